"""活动台账 as a window on a large ledger: every row counted, only the rows near the view held.

A demo county of a few thousand activities, shown with pages of 50 rows and
a cache of 6 pages, so the end of the ledger lies 60 pages away and the
cache must forget as the view moves. What the table shows is compared with
the same order read straight from the SQLite file.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from desktop.db import Database
from desktop.services import Services
from desktop.services.activities import ActivityFilter
from desktop.services.demo import build_demo
from desktop.ui.activity_model import COLUMNS, PLACEHOLDER, page_read
from desktop.ui.ledger_page import LedgerPage

ACTIVITIES = 3000
PAGE = 50
CACHE = 6


@pytest.fixture(scope="module")
def large_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KEPU_DATA_DIR", str(folder / "data"))
        db = Database.open(folder / "large.sqlite3")
        try:
            build_demo(db, activities=ACTIVITIES)
        finally:
            db.close()
    return folder / "large.sqlite3"


@pytest.fixture
def large(data_dir: Path, large_file: Path) -> Iterator[Services]:
    target = data_dir / "large.sqlite3"
    shutil.copy(large_file, target)
    svc = Services.open(target)
    yield svc
    svc.close()


@pytest.fixture
def page(qtbot: QtBot, large: Services, settled) -> LedgerPage:
    shown = LedgerPage(large, page_size=PAGE, cache_pages=CACHE)
    qtbot.addWidget(shown)
    shown.resize(1130, 760)
    shown.show()
    settled(shown)
    return shown


def ids_in_sql(services: Services, order: str, where: str = "") -> list[int]:
    """Activity ids straight from the file, in an order written out in SQL."""
    assert services.db.path is not None
    with sqlite3.connect(services.db.path) as con:
        sql = f"SELECT a.id FROM activity a {where} ORDER BY {order}"
        return [r[0] for r in con.execute(sql)]


def shown_rows(page: LedgerPage) -> range:
    table = page.table
    first = table.rowAt(0)
    last = table.rowAt(table.viewport().height() - 1)
    return range(first, (last if last >= 0 else page.model.rowCount() - 1) + 1)


def wait_shown(qtbot: QtBot, page: LedgerPage) -> list[int]:
    """Wait, page by page, until every row on screen has arrived; their ids."""
    model = page.model
    for _ in range(4):
        if all(model.row_data(r) is not None for r in shown_rows(page)):
            break
        with qtbot.waitSignal(model.page_loaded, timeout=30_000):
            pass
    ids = [model.activity_id(r) for r in shown_rows(page)]
    assert None not in ids, "rows on screen never arrived"
    return ids


def ctrl(qtbot: QtBot, page: LedgerPage, key: Qt.Key) -> None:
    page.table.setFocus()
    qtbot.keyClick(page.table, key, Qt.KeyboardModifier.ControlModifier)


def test_the_far_end_is_read_backwards_from_the_end():
    assert page_read(0, 50, 3000) == page_read(0, 50, 3000)
    assert (page_read(0, 50, 3000).offset, page_read(0, 50, 3000).from_end) == (0, False)
    last = page_read(59, 50, 3000)
    assert (last.offset, last.limit, last.from_end) == (0, 50, True)
    short = page_read(2, 50, 120)  # a last page of 20 rows
    assert (short.offset, short.limit, short.from_end) == (0, 20, True)
    deep = page_read(40, 50, 3000)  # rows 2000–2049: 950 from the end, 2000 from the start
    assert (deep.offset, deep.limit, deep.from_end) == (950, 50, True)
    assert not page_read(29, 50, 3000).from_end


def test_service_rows_from_the_end_are_the_same_rows(large: Services):
    flt = ActivityFilter()
    forward = large.activities.rows(flt, ACTIVITIES - 70, 70)
    assert large.activities.rows(flt, 0, 70, from_end=True) == forward
    for key in ("title", "place", "evidence"):
        for descending in (True, False):
            head = large.activities.rows(flt, 1234, 40, key, descending)
            back = large.activities.rows(flt, ACTIVITIES - 1234 - 40, 40, key, descending, True)
            assert back == head, (key, descending)


def test_count_first_and_ctrl_end_shows_the_true_last_rows(qtbot, page: LedgerPage):
    model = page.model
    newest_first = ids_in_sql(page.services, "a.start_date DESC, a.id DESC")
    assert model.rowCount() == model.total == ACTIVITIES  # every row counted from the start
    assert model.cached_pages == [0]
    assert wait_shown(qtbot, page) == newest_first[: len(shown_rows(page))]

    ctrl(qtbot, page, Qt.Key.Key_End)
    rows = shown_rows(page)
    assert rows[-1] == ACTIVITIES - 1
    # Nothing has arrived yet: a quiet placeholder, muted, no figures.
    assert model.index(ACTIVITIES - 1, 1).data() == PLACEHOLDER
    assert model.index(ACTIVITIES - 1, 5).data() == ""
    assert model.index(ACTIVITIES - 1, 1).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert page.selected_id() is None and not page.edit_button.isEnabled()
    assert wait_shown(qtbot, page) == newest_first[rows.start :]
    assert page.selected_id() == newest_first[-1]  # the last row, once its page is in
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled()
    assert model.cached_pages[0] == 0 and set(model.cached_pages[1:]) <= {58, 59}

    ctrl(qtbot, page, Qt.Key.Key_Home)
    assert wait_shown(qtbot, page)[0] == newest_first[0]
    assert page.selected_id() == newest_first[0]


def test_scrolling_through_holds_at_most_the_cache(qtbot, page: LedgerPage):
    model = page.model
    held: list[int] = []
    model.page_loaded.connect(lambda _first, _last: held.append(len(model.cached_pages)))
    page.table.selectRow(3)  # selected near the top, then scrolled far away
    chosen = page.selected_id()
    seen: list[int] = []
    for row in range(0, ACTIVITIES, 97):
        page.table.scrollTo(model.index(row, 0))
        seen += wait_shown(qtbot, page)
    assert len(held) > CACHE * 4 and max(held) <= model.cache_limit == CACHE + 1
    assert len(model.cached_pages) <= CACHE + 1
    assert seen == sorted(set(seen), key=seen.index)  # no row twice
    newest_first = ids_in_sql(page.services, "a.start_date DESC, a.id DESC")
    assert set(seen) <= set(newest_first)
    assert 0 in model.cached_pages  # the selected row's page was kept throughout
    assert page.selected_id() == chosen == newest_first[3]


def test_requests_scrolled_past_are_dropped(qtbot, page: LedgerPage):
    model = page.model
    arrived: list[int] = []
    model.page_loaded.connect(lambda first, _last: arrived.append(first // PAGE))
    middle = ACTIVITIES // 2
    page.table.scrollTo(model.index(middle, 0))  # asked for, then scrolled past at once
    page.table.scrollTo(model.index(ACTIVITIES - 1, 0))
    wait_shown(qtbot, page)
    assert middle // PAGE not in arrived and middle // PAGE not in model.cached_pages
    assert set(arrived) <= {58, 59}


def test_a_filter_change_drops_old_pages_and_starts_at_the_top(qtbot, page: LedgerPage, ref):
    ctrl(qtbot, page, Qt.Key.Key_End)
    wait_shown(qtbot, page)
    assert len(page.model.cached_pages) > 1
    unit = ref(page.services, "units")["市科协"]
    with qtbot.waitSignal(page.refreshed):
        page.unit.setCurrentIndex(page.unit.findText("市科协"))
    model = page.model
    expected = ids_in_sql(
        page.services, "a.start_date DESC, a.id DESC", f"WHERE a.unit_id = {unit}"
    )
    assert model.rowCount() == len(expected) == page.totals.activities
    assert model.cached_pages == [0] and page.table.rowAt(0) == 0
    assert wait_shown(qtbot, page) == expected[: len(shown_rows(page))]
    ctrl(qtbot, page, Qt.Key.Key_End)
    assert wait_shown(qtbot, page) == expected[-len(shown_rows(page)) :]
    assert {model.row_data(r).unit_name for r in shown_rows(page)} == {"市科协"}


def test_a_refresh_on_the_heels_of_a_filter_change_still_starts_at_the_top(qtbot, page: LedgerPage):
    ctrl(qtbot, page, Qt.Key.Key_End)
    wait_shown(qtbot, page)
    with qtbot.waitSignal(page.refreshed):
        page.unit.setCurrentIndex(page.unit.findText("市科协"))
        page.refresh()  # the window saw another program's write before the rows came
    assert page.model.cached_pages == [0] and page.table.rowAt(0) == 0


def test_a_write_elsewhere_refreshes_in_place(qtbot, page: LedgerPage):
    ctrl(qtbot, page, Qt.Key.Key_End)
    before = wait_shown(qtbot, page)
    target = before[-3]
    assert page.services.db.path is not None
    with sqlite3.connect(page.services.db.path) as con:  # another program's write
        con.execute("UPDATE activity SET title = '外部程序改过的标题' WHERE id = ?", (target,))
    with qtbot.waitSignal(page.refreshed):
        page.refresh()  # as the main window does when it sees the file change
    model = page.model
    assert shown_rows(page)[-1] == ACTIVITIES - 1  # still at the end
    assert wait_shown(qtbot, page) == before
    row = model.row_of(target)
    assert row == ACTIVITIES - 3 and model.row_data(row).title == "外部程序改过的标题"
    assert set(model.cached_pages) <= {58, 59}  # read again with the count: nothing blank


def test_an_edit_at_the_end_comes_back_selected(qtbot, page: LedgerPage):
    header = page.table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(0) + 10, header.height() // 2)
    with qtbot.waitSignal(page.refreshed):  # 日期 ascending: the open year is at the end
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    ctrl(qtbot, page, Qt.Key.Key_End)
    wait_shown(qtbot, page)
    row = page.model.row_data(ACTIVITIES - 2)
    page.table.selectRow(ACTIVITIES - 2)
    dialog = page.edit_selected()
    assert dialog is not None and dialog.title_edit.text() == row.title
    dialog.participants.setValue(row.participants + 11)
    with qtbot.waitSignal(page.refreshed):
        dialog.save_button.click()
    assert page.selected_id() == row.id
    again = page.model.row_data(page.model.row_of(row.id))
    assert again.participants == row.participants + 11
    assert shown_rows(page)[-1] == ACTIVITIES - 1


@pytest.mark.parametrize(
    ("column", "sql"),
    [("活动名称", "a.title {d}, a.id {d}"), ("参加人次", "a.participants {d}, a.id {d}")],
)
def test_sorting_is_right_at_both_ends(qtbot, page: LedgerPage, column: str, sql: str):
    header = page.table.horizontalHeader()
    section = [c.header for c in COLUMNS].index(column)
    point = QPoint(header.sectionViewportPosition(section) + 10, header.height() // 2)
    for _ in range(2):  # one click each way
        with qtbot.waitSignal(page.refreshed):
            qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        expected = ids_in_sql(page.services, sql.format(d="DESC" if descending else "ASC"))
        assert page.model.cached_pages == [0]
        top = wait_shown(qtbot, page)
        assert top == expected[: len(top)]
        ctrl(qtbot, page, Qt.Key.Key_End)
        bottom = wait_shown(qtbot, page)
        assert bottom == expected[-len(bottom) :]
        ctrl(qtbot, page, Qt.Key.Key_Home)
        wait_shown(qtbot, page)
