"""汇总下级报表 in the window: check, review, import, replace, and the mapping combo.

Figures are those of tests/test_region_returns.py: 甲县 C1 1200, 乙县 800
(as X9); the city's own C1 is 500, so the consolidated C1 is 2500.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from desktop.importing.return_file import read_returns
from desktop.services.periods import parse_period
from desktop.ui.returns_dialog import ReturnsDialog
from desktop.ui.returns_review import ReturnsReview
from tests.test_region_returns import _progress, city, returns  # noqa: F401 (fixtures)


def _dialog(qtbot, svc) -> ReturnsDialog:
    dialog = ReturnsDialog(svc, range(2021, 2026), parse_period("2024"))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _review(qtbot, dialog: ReturnsDialog) -> ReturnsReview:
    qtbot.waitUntil(lambda: dialog.review is not None and dialog.review.isVisible(), timeout=30_000)
    assert dialog.review is not None
    return dialog.review


def _cells(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_import_review_and_the_figures_tab(qtbot, city, returns):  # noqa: F811
    dialog = _dialog(qtbot, city)
    assert "还没有下级地区" in dialog.summary.text()
    dialog.check([Path(p) for p in returns])
    review = _review(qtbot, dialog)
    assert "2 个文件检查通过" in review.summary.text()
    assert [review.table.item(r, 3).text() for r in range(2)] == ["可以导入", "可以导入"]
    assert "科普大篷车巡展次数" in review.table.item(1, 5).text()
    assert _progress(city)["C1"].actual == 500  # the check wrote nothing
    review.import_button.click()
    qtbot.waitUntil(lambda: "已汇总 2 份下级报表" in dialog.message.text(), timeout=30_000)
    assert _progress(city)["C1"].actual == 2500

    assert "下级地区 2 个" in dialog.summary.text()
    rows = _cells(dialog.figures)
    header = [dialog.figures.horizontalHeaderItem(c).text() for c in range(len(rows[0]))]
    c1 = header.index("农民培训人次（人次）")
    by_region = {row[0]: row for row in rows}
    assert by_region["甲县"][c1] == "1,200" and by_region["乙县"][c1] == "800"
    assert by_region["合计"][c1] == "2,000"
    p1 = header.index("科普信息员覆盖率（%）")
    assert by_region["合计"][p1] == "70—80"


def test_a_second_return_is_replaced_only_on_replace(qtbot, city, returns):  # noqa: F811
    jia, _ = returns
    city.returns.import_returns(read_returns([jia])[0])
    # The same figures resaved: another file (another SHA-256) for the same region and period.
    wb = load_workbook(jia)
    wb.properties.description = "更正"
    changed = jia.with_name("甲县（更正）.xlsx")
    wb.save(changed)
    dialog = _dialog(qtbot, city)
    dialog.check([changed])
    review = _review(qtbot, dialog)
    assert review.table.item(0, 3).text() == "将替换"
    assert not review.import_button.isVisible() and review.replace_button.isVisible()
    review.replace_button.click()
    qtbot.waitUntil(lambda: "已替换" in dialog.message.text(), timeout=30_000)


def test_the_mapping_combo_consolidates_again(qtbot, city, returns):  # noqa: F811
    city.returns.import_returns(read_returns(list(returns))[0])
    dialog = _dialog(qtbot, city)
    rows = _cells(dialog.mapping)
    z1 = next(i for i, row in enumerate(rows) if row[0] == "Z1")
    assert rows[z1][3] == "乙县" and "没有编号或名称相同" in rows[z1][5]
    combo = dialog.mapping.cellWidget(z1, 4)
    assert combo.currentText() == "（不汇总）"
    combo.setCurrentIndex(combo.findData("Y1"))
    assert "重新汇总了 1 份报表" in dialog.message.text()
    assert _progress(city)["Y1"].actual == 6
    # A percent cannot take a count: refused in words, nothing changes.
    z1 = next(i for i, row in enumerate(_cells(dialog.mapping)) if row[0] == "Z1")
    combo = dialog.mapping.cellWidget(z1, 4)
    combo.setCurrentIndex(combo.findData("P1"))
    assert "计量方式不同" in dialog.message.text()
    assert _progress(city)["Y1"].actual == 6


def test_returns_already_imported_offer_nothing_to_do(qtbot, city, returns):  # noqa: F811
    city.returns.import_returns(read_returns(list(returns))[0])
    dialog = _dialog(qtbot, city)
    dialog.check([Path(p) for p in returns])
    review = _review(qtbot, dialog)
    assert "都已导入过" in review.summary.text()
    assert not review.import_button.isVisible() and not review.replace_button.isVisible()
    assert review.table.item(0, 3).text() == "已导入过，无变化"


def test_overview_shows_the_regions_reporting_rate(qtbot, city, returns):  # noqa: F811
    from desktop.ui.dashboard_page import DashboardPage

    city.returns.add_region("丙县")
    city.returns.import_returns(read_returns(list(returns))[0])
    page = DashboardPage(city)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.set_year(2024)
    card = page.cards["reporting"]
    assert card.caption.text() == "下级报表报送率"
    assert card.value.text() == "66.7%"  # 甲县 and 乙县 of three regions
    assert card.note.text().startswith("2024年 已报 2/应报 3")
    assert "2024年报表报送率 2/3（66.7%）" in card.toolTip()
