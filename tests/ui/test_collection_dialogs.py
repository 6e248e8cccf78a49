"""Collection workbooks in the window: generate for all units, review an import, undo a batch."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QWidget

from desktop.collection_layout import ACTIVITY_SHEET, FIRST_DATA_ROW, MARKER_SHEET
from desktop.exporting.collection_template import write_template
from desktop.importing.collection_workbook import import_workbooks
from desktop.services.activities import ActivityFilter
from desktop.services.periods import parse_period
from desktop.ui.collection_dialogs import BatchesDialog, ImportFlow, ReviewDialog, TemplatesDialog

UNIT = "市交通运输局"


def _filled(demo_services, tmp_path: Path, rows: list[list[object]]) -> Path:
    unit = next(u.id for u in demo_services.reference.units() if u.name == UNIT)
    path = write_template(
        demo_services.imports.template_spec(unit, "2025Q3"), tmp_path / "交通.xlsx"
    )
    wb = load_workbook(path)
    ws = wb[ACTIVITY_SHEET]
    for r, row in enumerate(rows):
        for c, value in enumerate(row, start=1):
            ws.cell(FIRST_DATA_ROW + r, c, value)
    wb.save(path)
    return path


GOOD = ["2025-07-08", None, "交通安全科普进校园", "科普讲座", "景芝镇", None, "青少年", None, 300]
BAD = ["2025/7/40", None, "日期写错的活动", "科普讲座", None, None, None, None, "三百多"]


def _review(qtbot, flow: ImportFlow) -> ReviewDialog:
    qtbot.waitUntil(lambda: flow.review is not None and flow.review.isVisible(), timeout=30_000)
    return flow.review


def test_generate_templates_for_checked_units(qtbot, demo_services, tmp_path, answer):
    units = demo_services.imports.template_units()
    dialog = TemplatesDialog(
        demo_services.imports, units, range(2021, 2026), parse_period("2025Q3")
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.period.period().code == "2025Q3"
    assert len(dialog.units.checked()) == len(units) == 28
    chosen = [u.id for u in units[:3]]
    dialog.units.set_checked(chosen)
    dialog.folder.setText(str(tmp_path))
    answer.next("确定")
    dialog.generate.click()
    qtbot.waitUntil(lambda: len(dialog.written) == 3, timeout=60_000)
    assert answer.texts and "已生成 3 个采集表" in answer.texts[0]
    names = {
        {r[0]: r[1] for r in load_workbook(p)[MARKER_SHEET].iter_rows(values_only=True)}["unit"]
        for p in dialog.written
    }
    assert names == {u.name for u in units[:3]}


def test_review_lists_every_problem_and_takes_only_valid_rows(
    qtbot, demo_services, tmp_path, answer
):
    path = _filled(demo_services, tmp_path, [GOOD, BAD])
    before = demo_services.activities.count(ActivityFilter())
    flow = ImportFlow(demo_services.imports, _host(qtbot))
    flow.check([path])
    review = _review(qtbot, flow)
    rows = [
        [review.problems.item(r, c).text() for c in range(5)]
        for r in range(review.problems.rowCount())
    ]
    assert rows == [
        ["交通.xlsx", "活动", "5", "开始日期", "日期“2025/7/40”不存在"],
        ["交通.xlsx", "活动", "5", "参加人次", "应填写整数，实际是“三百多”"],
    ]
    assert "发现 2 处问题" in review.summary.text() and "活动 1 条" in review.summary.text()
    assert not review.import_all.isEnabled() and review.valid_only.isEnabled()
    # Checking wrote nothing.
    assert demo_services.activities.count(ActivityFilter()) == before

    answer.next("确定")
    review.valid_only.click()
    qtbot.waitUntil(lambda: flow.result is not None, timeout=30_000)
    assert flow.result.written and flow.result.activities == 1
    assert "已导入活动 1 条" in answer.texts[0]
    assert demo_services.activities.count(ActivityFilter()) == before + 1
    assert demo_services.activities.count(ActivityFilter(text="交通安全科普进校园")) == 1


def test_cancel_in_review_writes_nothing(qtbot, demo_services, tmp_path):
    path = _filled(demo_services, tmp_path, [GOOD])
    before = demo_services.activities.count(ActivityFilter())
    flow = ImportFlow(demo_services.imports, _host(qtbot))
    flow.check([path])
    review = _review(qtbot, flow)
    assert review.import_all.isEnabled() and not review.valid_only.isVisible()
    assert "检查通过：可导入活动 1 条" in review.summary.text()
    review.reject()
    qtbot.wait(100)
    assert flow.result is None
    assert demo_services.activities.count(ActivityFilter()) == before
    assert demo_services.imports.batches() == []


def test_batches_dialog_undoes_a_whole_batch(qtbot, demo_services, tmp_path, answer):
    path = _filled(demo_services, tmp_path, [GOOD])
    before = demo_services.activities.count(ActivityFilter())
    result = import_workbooks(demo_services.imports, [path])
    assert result.written
    dialog = BatchesDialog(demo_services.imports)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 1
    assert [dialog.table.item(0, c).text() for c in (0, 2, 3, 4, 7)] == [
        str(result.files[0].batch_id),
        UNIT,
        "交通.xlsx",
        "1",
        "有效",
    ]
    assert not dialog.undo_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.undo_button.isEnabled()
    answer.next("撤销批次")
    answer.next("确定")
    dialog.undo_button.click()
    qtbot.waitUntil(lambda: len(answer.texts) == 2)
    assert "将删除它导入的活动 1 条" in answer.texts[0]
    assert "删除活动 1 条" in answer.texts[1]
    assert dialog.table.item(0, 7).text().startswith("已撤销")
    assert demo_services.activities.count(ActivityFilter()) == before


def test_unreadable_file_is_reviewed_not_crashed(qtbot, demo_services, tmp_path):
    path = tmp_path / "坏文件.xlsx"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    flow = ImportFlow(demo_services.imports, _host(qtbot))
    flow.check([path])
    review = _review(qtbot, flow)
    assert review.problems.rowCount() == 1
    assert "CSV 或文本文件" in review.problems.item(0, 4).text()
    assert review.problems.item(0, 0).text() == "坏文件.xlsx"
    assert not review.import_all.isEnabled() and not review.valid_only.isEnabled()
    review.reject()


def _host(qtbot) -> QWidget:
    """A shown parent window for the flow's dialogs."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget
