"""数据填报: a unit's manual indicators × periods; locked periods read-only; edits saved at once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.services.entries import indicator_by_code
from desktop.ui.entries_page import FIXED_COLUMNS, LOCKED_BACKGROUND

UNIT = "市交通运输局"  # cooperates on A3.3 (I07) and P3.3 (I08); no entries in the demo


def _page(main_window):
    page = main_window.show_page("数据填报")
    page.select_unit(UNIT)
    return page


def _values(svc, code: str, unit_id: int) -> dict[str, float]:
    with svc.db.reading() as s:
        ind = indicator_by_code(s, code)
    return {e.period: e.value for e in svc.entries.entries(ind.id) if e.unit_id == unit_id}


def _type_into(qtbot, table, row: int, col: int, text: str) -> None:
    """Select a cell and type, the way a clerk does: keys start the editor, Enter saves."""
    status = table.parent().status
    status.setText("")
    table.setFocus()
    table.setCurrentCell(row, col)
    ascii_part = text.rstrip("万")
    qtbot.keyClicks(table, ascii_part[0])  # the first key opens the editor …
    editor = table.focusWidget()
    qtbot.keyClicks(editor, ascii_part[1:])  # … which takes the rest
    if text != ascii_part:
        editor.insert(text[len(ascii_part) :])  # QTest types ASCII only; an IME gives the rest
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status.text() != "")  # saved and reloaded


def test_quarter_grid_typing_saves_and_the_year_shows_the_sum(
    qtbot, main_window, demo_services, ref, answer
):
    page = _page(main_window)
    page.set_view("quarter", 2025)
    table = page.table
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == [
        *FIXED_COLUMNS,
        "第1季度",
        "第2季度",
        "第3季度",
        "第4季度",
    ]
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == [
        "农民工职业技能培训人次",
        "科普教育基地数",
    ]
    assert table.item(0, 3).text() == "12,000"
    q1 = table.item(0, 4)
    assert q1.text() == "" and q1.flags() & Qt.ItemFlag.ItemIsEditable

    _type_into(qtbot, table, 0, 4, "1200")
    answer.next("确定保存")  # it moves the quarter's total by far, so it is asked about
    _type_into(qtbot, table, 0, 5, "1.2万")
    assert answer.texts[-1].startswith("这一数值会使")
    unit_id = ref(demo_services, "units")[UNIT]
    assert _values(demo_services, "I07", unit_id) == {"2025Q1": 1200, "2025Q2": 12000}
    assert table.item(0, 5).text() == "12,000"
    assert (
        "已保存：市交通运输局 农民工职业技能培训人次 2025年第2季度 = 12,000" in page.status.text()
    )

    # The year view adds the quarters up (1,200 + 12,000) and will not take a second figure.
    page.set_view("year")
    year_2025 = table.item(0, len(FIXED_COLUMNS) + 4)
    assert year_2025.text() == "13,200"
    assert not year_2025.flags() & Qt.ItemFlag.ItemIsEditable
    assert "季度" in year_2025.toolTip()

    # Clearing a cell deletes that value.
    page.set_view("quarter", 2025)
    table.item(0, 4).setText("")
    qtbot.waitUntil(lambda: "已删除" in page.status.text())
    assert _values(demo_services, "I07", unit_id) == {"2025Q2": 12000}


def test_locked_periods_are_grey_and_read_only(qtbot, main_window):
    page = _page(main_window)
    page.set_view("quarter", 2024)
    table = page.table
    for col in range(len(FIXED_COLUMNS), table.columnCount()):
        item = table.item(0, col)
        assert not item.flags() & Qt.ItemFlag.ItemIsEditable
        assert item.background().color() == LOCKED_BACKGROUND
        assert item.toolTip() == "该统计期已锁定"
    page.set_view("year")
    editable = [
        bool(table.item(0, c).flags() & Qt.ItemFlag.ItemIsEditable)
        for c in range(len(FIXED_COLUMNS), table.columnCount())
    ]
    assert editable == [False, False, False, False, True]  # 2021–2024 locked, 2025 open
    assert "4 个统计期已锁定" in page.status.text()


def test_bad_text_is_refused_with_a_message_and_nothing_saved(
    qtbot, main_window, demo_services, ref, answer
):
    page = _page(main_window)
    page.set_view("quarter", 2025)
    answer.next("确定")
    page.table.item(0, 6).setText("约一千人")
    qtbot.waitUntil(lambda: bool(answer.texts))
    assert answer.texts == ["“约一千人”不是数字。"]
    assert page.table.item(0, 6).text() == ""
    assert _values(demo_services, "I07", ref(demo_services, "units")[UNIT]) == {}


def test_county_wide_view_offers_the_literacy_percentage(main_window):
    page = main_window.show_page("数据填报")
    page.unit.setCurrentIndex(page.unit.count() - 1)
    page.set_view("year")
    names = [page.table.item(r, 1).text() for r in range(page.table.rowCount())]
    assert "公民具备科学素质的比例" in names
    assert page.status.text().startswith("全县（不分单位）")


def test_a_negative_figure_is_refused_as_negative_not_as_not_a_number(
    qtbot, main_window, demo_services, ref, answer
):
    page = _page(main_window)
    page.set_view("quarter", 2025)
    answer.next("确定")
    page.table.item(0, 6).setText("-5")
    qtbot.waitUntil(lambda: bool(answer.texts))
    assert answer.texts == ["填报数值不能为负数（-5）。"]
    assert page.table.item(0, 6).text() == ""
    assert _values(demo_services, "I07", ref(demo_services, "units")[UNIT]) == {}


def test_the_grid_shows_the_other_units_and_the_total_as_the_clerk_types(
    qtbot, main_window, demo_services, ref, answer
):
    """A level's figure is added to the others' latest: 28 beside 19 and 8 was 183 %, unseen."""
    page = _page(main_window)
    page.set_view("quarter", 2025)
    row = [page.table.item(r, 1).text() for r in range(page.table.rowCount())].index(
        "科普教育基地数"
    )
    ctx = page.show_context(row, len(FIXED_COLUMNS) + 2, None)  # 2025 Q3, nothing typed yet
    assert ctx is not None and ctx.measure == "level"
    others = sum(v for _, v in ctx.others)
    assert ctx.before == others and others > 0  # this unit has no figure of its own yet
    assert (
        "其他单位：" in page.context.text()
        and "存量指标：每个单位取截至本期末最新的一个数值" in page.context.text()
    )
    typed = page.show_context(row, len(FIXED_COLUMNS) + 2, "28")
    assert typed.after == others + 28
    assert f"{UNIT}填 28 后指标合计 {others + 28:,.0f}" in page.context.text()
    if typed.confirm:
        assert page.context_warning.text() == typed.confirm
    # Saving a figure that would double the indicator asks first; 返回修改 keeps nothing.
    huge = others * 3
    answer.next("取消")
    _type_into(qtbot, page.table, row, len(FIXED_COLUMNS) + 2, f"{huge:.0f}")
    assert "合计从" in answer.texts[-1] or "达到目标的" in answer.texts[-1]
    assert _values(demo_services, "I08", ref(demo_services, "units")[UNIT]) == {}
    assert page.status.text() == "未保存：数值已还原。"


def test_the_page_opens_on_a_unit_with_something_to_fill(main_window, demo_services):
    page = main_window.show_page("数据填报")
    assert page.grid is not None and page.grid.rows, page.grid.unit_name
