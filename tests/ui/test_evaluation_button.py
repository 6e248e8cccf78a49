"""导出终期评估 PDF… on the 报表 page: the save dialog, the export in the background, the record."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services import Services
from desktop.services.submissions import file_sha256
from desktop.ui.reports_page import ReportsPage
from tests.modal_guard import ModalGuard
from tests.report_dataset import build


def test_the_button_writes_the_evaluation_and_records_it(
    qtbot: QtBot, plan_services: Services, tmp_path: Path, modals: ModalGuard
) -> None:
    build(plan_services)
    page = ReportsPage(plan_services)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    button = page.export_evaluation_button
    assert button.text() == "导出终期评估 PDF…" and button.isVisible()
    out = tmp_path / "终期评估"
    modals.reply((str(out), "PDF 文件 (*.pdf)"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.history.rowCount() == 1, timeout=60_000)
    qtbot.waitUntil(button.isEnabled, timeout=60_000)
    assert "导出终期评估报告" in modals.shown[0]
    pdf = out.with_suffix(".pdf")
    text = "".join("".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "测试县全民科学素质行动实施方案（2021—2025年）终期评估报告" in text
    cells = [page.history.item(0, c).text() for c in range(4)]
    assert cells[1:4] == ["2021—2025年", "终期评估报告", ""]
    assert page.history.item(0, 5).toolTip() == file_sha256(pdf)
    assert "已导出终期评估报告" in page.status.text()
