"""The streamed return workbook read back with openpyxl: every sheet, its print set-up, a long ledger.

The return is written in openpyxl's write-only mode, the 活动明细 sheet row
by row from the service's ledger stream; these tests read the file back
(normal and read-only mode) and check what an office sees: hand-computed
figures on the summary sheets, the ledger rows in date order with their
names, the print set-up of every sheet, and a long ledger written whole,
its memory flat.
"""

from __future__ import annotations

import tempfile
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from desktop.cleaning import writable
from desktop.exporting.return_sheets import (
    LEDGER_HEADERS,
    LEDGER_WIDTHS,
    TYPE_WIDTHS,
    UNIT_WIDTHS,
    VOLUNTEER_WIDTHS,
)
from desktop.exporting.return_workbook import PROGRESS_WIDTHS, ExportCancelled, export_return
from desktop.models import Activity
from desktop.services import Services
from desktop.services.activities import ActivityFilter, ActivityInput
from desktop.services.demo import build_demo
from desktop.services.periods import parse_period
from tests.report_dataset import FORMULA_TITLE, build


@pytest.fixture
def year(plan_services: Services, tmp_path: Path) -> Services:
    """report_dataset's 2024, plus an activity with two of everything and no place."""
    build(plan_services, tmp_path)
    units = {u.name: u.id for u in plan_services.reference.units()}
    groups = {g.name: g.id for g in plan_services.reference.groups()}
    tasks = {t.code: t.id for t in plan_services.plans.tasks()}
    types = {t.code: t.id for t in plan_services.reference.activity_types()}
    plan_services.activities.add(
        ActivityInput(
            start_date=date(2024, 8, 1),  # the same day as the training: id decides the order
            end_date=date(2024, 8, 3),
            title="科普大篷车进乡村",
            type_id=types["three_rural"],
            unit_id=units["县科协"],
            participants=80,
            female=30,
            rural=80,
            sessions=2,
            volunteers=4,
            volunteer_hours=7.5,
            funding_yuan=350.5,
            media="县融媒体中心",
            # given out of the reference order on purpose
            task_ids=[tasks["P1.1"], tasks["A1.1"]],
            group_ids=[groups["农民"], groups["青少年"]],
            cooperator_ids=[units["县人社局"], units["县科协"]],
        )
    )
    return plan_services


@pytest.fixture
def streamed(year: Services, tmp_path: Path) -> Path:
    return export_return(year, parse_period("2024"), tmp_path / "2024.xlsx")


def ledger_rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]


def test_ledger_rows_in_date_order_with_their_names(year: Services, streamed: Path) -> None:
    ws = load_workbook(streamed)["活动明细"]
    assert [c.value for c in ws[3]] == LEDGER_HEADERS
    rows = ledger_rows(ws)
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    assert [r[3] for r in rows] == [
        "青少年科普讲座进校园",
        FORMULA_TITLE,
        "农民实用技术培训班",
        "科普大篷车进乡村",
    ]
    first, _, training, caravan = rows
    # 序号 开始 结束 名称 类型 地点 组织单位 配合单位 服务任务 重点人群
    assert first[1].date() == date(2024, 3, 10) and first[2] is None
    assert first[4:10] == (
        "科普讲座",
        "城关街道",
        "县教体局",
        "县科协",
        "开展青少年科普讲座",
        "青少年",
    )
    assert training[4:10] == (
        "实用技术培训",
        "城关街道",
        "县农业农村局",
        None,
        "农民实用技术培训",
        "农民",
    )
    # Lists in the reference order (sections, then tasks; groups; units), whatever the input order.
    units = [u.name for u in year.reference.units()]
    cooperators = "；".join(n for n in units if n in ("县人社局", "县科协"))
    assert caravan[1].date() == date(2024, 8, 1) and caravan[2].date() == date(2024, 8, 3)
    assert caravan[4:10] == (
        "文化科技卫生“三下乡”",
        None,
        "县科协",
        cooperators,
        "开展青少年科普讲座；农民实用技术培训",
        "青少年；农民",
    )
    # 参加 女性 农村 场次 志愿者 时长 经费 宣传 简介 佐证
    assert caravan[10:20] == (80, 30, 80, 2, 4, 7.5, 350.5, "县融媒体中心", None, 0)
    assert first[10:20] == (
        300,
        140,
        None,
        2,
        5,
        10,
        1200,
        None,
        "县实验小学报告厅，邀请市科技馆讲师。",
        1,
    )
    # Numbers carry their format: whole numbers #,##0, the rest one decimal.
    last = ws.max_row - 1
    assert ws.cell(last, 11).number_format == "#,##0"
    assert ws.cell(last, 16).number_format == "#,##0.0"
    assert ws.cell(last, 17).number_format == "#,##0.0"
    assert ws.cell(last, 2).number_format == "yyyy-mm-dd"
    # Text that looks like a formula stays text.
    cell = ws.cell(5, 4)
    assert cell.value == FORMULA_TITLE and cell.data_type == "s" and cell.quotePrefix
    assert not ws.cell(6, 4).quotePrefix  # the next row's cell does not inherit the prefix


def test_ledger_total_row(streamed: Path) -> None:
    ws = load_workbook(streamed)["活动明细"]
    total = [c.value for c in ws[ws.max_row]]
    assert total[0] == "合计（4 项活动）"
    assert f"A{ws.max_row}:J{ws.max_row}" in {str(r) for r in ws.merged_cells.ranges}
    # 300 + 200 + 150 + 80 人次; 140 + 30 women; 80 rural; 2 + 1 + 3 + 2 sessions;
    # 5 + 3 + 4 volunteers; 10 + 6 + 7.5 hours; 1,200 + 350.5 yuan; one photo.
    assert total[10:17] == [730, 170, 80, 8, 12, 23.5, 1550.5]
    assert total[19] == 1
    assert ws.cell(ws.max_row, 11).font.b  # bold subtotal style
    # The cells the merge covers keep the box's edges, so the merged cell is drawn whole.
    assert ws.cell(ws.max_row, 5).border.top.style == "thin"
    assert ws.cell(ws.max_row, 10).border.right.style == "thin"


def test_summary_sheets_hand_computed(streamed: Path) -> None:
    wb = load_workbook(streamed)
    types = {r[1]: r for r in wb["科普统计"].iter_rows(min_row=4, values_only=True) if r[1]}
    # 活动类别: 次数 场次 人次 女性 农村 志愿者 时长 经费
    assert types["科普讲座"][2:10] == (2, 3, 500, 140, 0, 8, 16, 1200)
    assert types["实用技术培训"][2:10] == (1, 3, 150, 0, 0, 0, 0, 0)
    caravan = types["文化科技卫生“三下乡”"]
    assert caravan[2:10] == (1, "—", 80, 30, 80, 4, 7.5, 350.5)  # the form asks no 场次 here
    # The 场次 total holds only the categories that count them: 3 + 3.
    assert types["合计"][2:10] == (4, 6, 730, 170, 80, 12, 23.5, 1550.5)

    units = {r[1]: r for r in wb["分单位统计"].iter_rows(min_row=4, values_only=True) if r[1]}
    # 本期活动 场次 人次 志愿者 时长 (columns 11–15), by organising unit.
    assert units["县教体局"][10:15] == (1, 2, 300, 5, 10)
    assert units["县科协"][10:15] == (2, 3, 280, 7, 13.5)
    assert units["县农业农村局"][10:15] == (1, 3, 150, 0, 0)
    assert units["合计"][10:15] == (4, 8, 730, 12, 23.5)

    vol = list(wb["志愿者"].iter_rows(min_row=4, values_only=True))
    team = next(r for r in vol if r[1] == "城关科技志愿服务队")
    assert team[2:8] == ("县科协", "城关街道", team[4], 40, 55, 15)
    assert next(r for r in vol if r[1] == "合计（各队最新注册人数之和）")[5:8] == (40, 55, 15)
    # Volunteer service by place: 城关街道 holds the two lectures; the caravan has no place.
    assert next(r for r in vol if r[1] == "城关街道")[2:5] == (2, 8, 16)
    assert next(r for r in vol if r[1] == "未填地点")[2:5] == (1, 4, 7.5)
    assert [r for r in vol if r[1] == "合计"][-1][2:5] == (3, 12, 23.5)


def test_print_setup_of_every_sheet(streamed: Path) -> None:
    wb = load_workbook(streamed)
    expected = {
        # sheet: header rows repeated, frozen panes, landscape, widths
        "进展统计表": ("$4:$4", "A5", True, PROGRESS_WIDTHS),
        "活动明细": ("$3:$3", "E4", True, LEDGER_WIDTHS),
        "分单位统计": ("$3:$3", "C4", True, UNIT_WIDTHS),
        "科普统计": ("$3:$3", "C4", True, TYPE_WIDTHS),
        "志愿者": ("$3:$3", "A4", False, VOLUNTEER_WIDTHS),
    }
    for name, (titles, freeze, landscape, widths) in expected.items():
        ws = wb[name]
        assert ws.print_title_rows == titles, name
        assert ws.freeze_panes == freeze, name
        assert ws.page_setup.orientation == ("landscape" if landscape else "portrait"), name
        assert ws.page_setup.paperSize == 9, name
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.print_options.horizontalCentered, name
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页", name
        got = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(widths))]
        assert got == widths, name
        last = chr(ord("A") + len(widths) - 1)
        assert f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}, name
        assert ws["A1"].font.name == "宋体" and ws["A1"].font.sz == 18, name
        assert ws.row_dimensions[1].height in (32, 34), name
    assert wb["_data"].sheet_state == "hidden"


def test_the_ledger_reads_the_same_on_each_engine(any_plan_services: Services) -> None:
    build(any_plan_services)
    rows = list(any_plan_services.reports.ledger_rows(parse_period("2024"), chunk=2))
    assert [r.title for r in rows] == ["青少年科普讲座进校园", FORMULA_TITLE, "农民实用技术培训班"]
    first = rows[0]
    assert (first.type_name, first.place_name, first.unit_name) == (
        "科普讲座",
        "城关街道",
        "县教体局",
    )
    assert (first.cooperators, first.tasks, first.groups) == (
        "县科协",
        "开展青少年科普讲座",
        "青少年",
    )
    assert rows[2].cooperators == "" and rows[2].groups == "农民"
    chunks = list(any_plan_services.reports.ledger_chunks(parse_period("2024"), chunk=2))
    assert [len(c) for c in chunks] == [2, 1]


@pytest.fixture(scope="module")
def long_ledger(tmp_path_factory: pytest.TempPathFactory) -> Services:
    """The demo county with 12,000 activities (about 2,900 of them in 2025)."""
    folder = tmp_path_factory.mktemp("long")
    mp = pytest.MonkeyPatch()
    mp.setenv("KEPU_DATA_DIR", str(folder / "data"))
    svc = Services.open(folder / "long.sqlite3")
    build_demo(svc.db, activities=12_000)
    yield svc
    svc.close()
    mp.undo()


def test_a_long_ledger_is_written_whole(long_ledger: Services, tmp_path: Path) -> None:
    period = parse_period("2025")
    n = long_ledger.reports.ledger_count(period)
    assert n > 2_000
    out = export_return(long_ledger, period, tmp_path / "long.xlsx")
    wb = load_workbook(out, read_only=True)
    rows = list(wb["活动明细"].iter_rows(values_only=True))
    assert len(rows) == 3 + n + 1  # title, information line, headers; the activities; the total
    ledger = rows[3:-1]
    assert [r[0] for r in ledger] == list(range(1, n + 1))
    days = [r[1] for r in ledger]
    assert days == sorted(days)
    with long_ledger.db.reading() as s:
        last = s.execute(
            select(Activity.start_date, Activity.title, Activity.participants)
            .where(Activity.start_date.between(period.start, period.end))
            .order_by(Activity.start_date.desc(), Activity.id.desc())
            .limit(1)
        ).one()
        female = s.scalar(
            select(func.coalesce(func.sum(Activity.female), 0)).where(
                Activity.start_date.between(period.start, period.end)
            )
        )
    assert (ledger[-1][1].date(), ledger[-1][3], ledger[-1][10]) == tuple(last)
    totals = long_ledger.activities.totals(ActivityFilter(start=period.start, end=period.end))
    total = rows[-1]
    assert total[0] == f"合计（{n:,} 项活动）"
    assert total[10] == totals.participants
    assert total[11] == female
    assert total[13] == totals.sessions
    assert total[14] == totals.volunteers
    assert total[15] == pytest.approx(totals.volunteer_hours)
    assert total[16] == pytest.approx(totals.funding_yuan)


def _peak_export(services: Services, period: str, out: Path) -> int:
    tracemalloc.start()
    try:
        export_return(services, parse_period(period), out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_however_long_the_ledger(long_ledger: Services, tmp_path: Path) -> None:
    """A year holds four times a quarter's activities; the export's peak barely moves."""
    quarter = long_ledger.reports.ledger_count(parse_period("2025Q1"))
    year = long_ledger.reports.ledger_count(parse_period("2025"))
    assert year > 3 * quarter
    _peak_export(long_ledger, "2025Q1", tmp_path / "warm.xlsx")  # first-use caches
    small = _peak_export(long_ledger, "2025Q1", tmp_path / "q1.xlsx")
    large = _peak_export(long_ledger, "2025", tmp_path / "y.xlsx")
    # Held in memory, the ~2,200 further rows × 20 cells would add well over 10 MB.
    assert large - small < 4 * 1024 * 1024, (small, large)


def test_a_cancelled_export_leaves_no_temporary_files(
    year: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where openpyxl streams each sheet
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 3  # cancel while the ledger is written

    with pytest.raises(ExportCancelled):
        export_return(year, parse_period("2024"), tmp_path / "c.xlsx", progress=progress)
    assert list(scratch.iterdir()) == []
    assert not list(tmp_path.glob("c.xlsx*")) and not list(tmp_path.glob(".c.xlsx*"))
    # and a finished export leaves none either
    export_return(year, parse_period("2024"), tmp_path / "d.xlsx")
    assert list(scratch.iterdir()) == []


def test_text_put_value_leaves_alone_is_text_writable_keeps() -> None:
    """put_value skips the clean-up for printable text; nothing it would remove is printable."""
    every = "".join(map(chr, range(0x110000)))
    removed = set(every) - set(writable(every))
    assert removed  # control characters, half surrogate pairs
    assert not any(ch.isprintable() for ch in removed)
