"""年度考核 in the window: the rubric with its rules, the units × items grid, and a 审核.

Figures are those of tests/test_assessment.py (县科协 L 7.5, D 10, E 2, R 2.5, T 0;
县教体局 T 15), computed there by hand.
"""

from __future__ import annotations

from desktop.ui.assessment_page import AssessmentPage, ScoreDialog
from tests.test_assessment import scored  # noqa: F401 (the fixture)


def _page(qtbot, svc) -> AssessmentPage:
    page = AssessmentPage(svc)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.refresh()
    page.year.setCurrentIndex(page.year.findData(2024))
    qtbot.waitSignal(page.loaded, timeout=30_000).wait()
    return page


def _row(page: AssessmentPage, unit: str) -> dict[str, str]:
    headers = [page.grid.horizontalHeaderItem(c).text() for c in range(page.grid.columnCount())]
    r = next(r for r in range(page.grid.rowCount()) if page.grid.item(r, 0).text() == unit)
    return {h: page.grid.item(r, c).text() for c, h in enumerate(headers)}


def test_grid_rubric_and_a_review(qtbot, scored, monkeypatch):  # noqa: F811
    page = _page(qtbot, scored)
    kexie = _row(page, "县科协")
    assert kexie["L（10）"] == "7.5" and kexie["D（10）"] == "10" and kexie["T（15）"] == "0"
    assert kexie["总分"] == "22" and kexie["名次"] == "1" and kexie["等次"] == "不合格"
    assert _row(page, "县教体局")["T（15）"] == "15"
    r = next(r for r in range(page.grid.rowCount()) if page.grid.item(r, 0).text() == "县科协")
    assert "3/4 次，按比例 7.5/10 分" in page.grid.item(r, 1).toolTip()
    rules = [page.rubric.item(i, 5).text() for i in range(page.rubric.rowCount())]
    assert rules[0].startswith("活动次数，类型：科普讲座") and rules[5] == "人工评分"

    def answer(dialog: ScoreDialog) -> int:
        dialog.self_score.setValue(8)
        dialog.review.setValue(6)
        dialog.note.setText("特色材料不足")
        return 1

    monkeypatch.setattr(ScoreDialog, "exec", answer)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.edit(r, 6)  # M
    assert _row(page, "县科协")["M（10）"] == "6" and _row(page, "县科协")["总分"] == "28"


def test_without_a_rubric_the_page_offers_the_sample(qtbot, county):
    page = AssessmentPage(county)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.refresh()
    assert "还没有适用于" in page.status.text() and not page.sample_button.isHidden()
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.use_sample()
    assert page.rubric.rowCount() == 10 and page.sample_button.isHidden()


def test_the_results_table_and_a_units_book_from_the_page(qtbot, scored, tmp_path):  # noqa: F811
    from openpyxl import load_workbook
    from pypdf import PdfReader

    page = _page(qtbot, scored)
    page.export_results_to(tmp_path / "结果.xlsx")
    qtbot.waitUntil(lambda: "已生成" in page.status.text(), timeout=60_000)
    wb = load_workbook(tmp_path / "结果.xlsx")
    cells = [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert "县科协" in cells and "县教体局" in cells
    r = next(r for r in range(page.grid.rowCount()) if page.grid.item(r, 0).text() == "县科协")
    page.grid.setCurrentCell(r, 1)
    page.status.setText("")
    page.write_book("县科协", tmp_path / "book.pdf")
    qtbot.waitUntil(lambda: "已生成" in page.status.text(), timeout=60_000)
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "book.pdf").pages)
    assert "县科协" in text and "科普讲座" in text


def test_the_rubric_is_edited_on_the_page(qtbot, scored, monkeypatch, modals):  # noqa: F811
    from desktop.ui.rubric_item_dialog import RubricItemDialog

    page = _page(qtbot, scored)

    def add(dialog: RubricItemDialog) -> int:
        dialog.code.setText("N")
        dialog.content.setText("科普信息")
        dialog.standard.setPlainText("每年上报科普信息 2 篇以上，完不成的按比例扣分")
        dialog.max.setValue(4)
        assert dialog.rule.text().startswith("媒体报道（科普信息），达到 2")
        return 1

    monkeypatch.setattr(RubricItemDialog, "exec", add)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.edit_item(None)
    codes = [page.rubric.item(r, 0).text() for r in range(page.rubric.rowCount())]
    assert codes[-1] == "N" and page.rubric.item(len(codes) - 1, 4).text() == "4"
    assert "N（4）" in [
        page.grid.horizontalHeaderItem(c).text() for c in range(page.grid.columnCount())
    ]

    def manual(dialog: RubricItemDialog) -> int:
        assert dialog.code.isReadOnly() and dialog.content.text() == "科普讲座"
        dialog.manual.setChecked(True)
        return 1

    monkeypatch.setattr(RubricItemDialog, "exec", manual)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.edit_item(0)
    assert page.rubric.item(0, 5).text() == "人工评分"
    assert _row(page, "县科协")["L（10）"] == ""  # now scored by hand, and not yet

    page.rubric.setCurrentCell(len(codes) - 1, 0)
    from PySide6.QtWidgets import QMessageBox

    modals.reply(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.remove_item()
    assert page.rubric.rowCount() == len(codes) - 1
