"""The 报表 page driven through its widgets: export, history, lock offer, settings, printing."""

from __future__ import annotations

import subprocess
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from desktop.services import Services
from desktop.services.periods import parse_period
from desktop.services.submissions import file_sha256
from desktop.ui.reports_page import ReportsPage, pdf_printer, render_pdf
from tests.report_dataset import build


def make_page(qtbot: QtBot, services: Services) -> ReportsPage:
    page = ReportsPage(services)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def wait_idle(qtbot: QtBot, page: ReportsPage) -> None:
    qtbot.waitUntil(lambda: page.export_return_button.isEnabled(), timeout=60_000)


def test_export_final_return_records_history_and_locks(
    qtbot: QtBot, plan_services: Services, tmp_path: Path, answer
) -> None:
    build(plan_services)
    page = make_page(qtbot, plan_services)
    page.period.set_period("2024Q3")
    page.final.setChecked(True)
    out = tmp_path / "三季度.xlsx"
    answer.next("是(&Y)")
    page.export_return_to(out)
    qtbot.waitUntil(lambda: plan_services.locks.is_locked(parse_period("2024Q3")), timeout=60_000)
    wait_idle(qtbot, page)
    assert "2024年第3季度" in answer.texts[0]
    assert out.exists()
    ws = load_workbook(out)["进展统计表"]
    assert ws["I2"].value.startswith("统计期：2024年第3季度")
    assert page.history.rowCount() == 1
    cells = [page.history.item(0, c).text() for c in range(page.history.columnCount())]
    assert cells[1:5] == ["2024年第3季度", "Excel 报表", "是", "三季度.xlsx"]
    assert page.history.item(0, 5).toolTip() == file_sha256(out)
    assert "已锁定 2024年第3季度" in page.status.text()
    page.grab().save(str(tmp_path / "reports_page.png"))


def test_declining_the_lock_leaves_the_period_open(
    qtbot: QtBot, plan_services: Services, tmp_path: Path, answer
) -> None:
    build(plan_services)
    page = make_page(qtbot, plan_services)
    page.period.set_period("2024")
    page.final.setChecked(True)
    answer.next("否(&N)")
    page.export_return_to(tmp_path / "r.xlsx")
    qtbot.waitUntil(lambda: bool(answer.texts), timeout=60_000)
    wait_idle(qtbot, page)
    assert not plan_services.locks.is_locked(parse_period("2024"))
    assert plan_services.submissions.list()[0].final


def test_summary_export_from_the_page(
    qtbot: QtBot, plan_services: Services, tmp_path: Path
) -> None:
    build(plan_services)
    page = make_page(qtbot, plan_services)
    page.year.setValue(2024)
    out = tmp_path / "总结"
    page.export_summary_to(out)
    qtbot.waitUntil(lambda: page.history.rowCount() == 1, timeout=60_000)
    assert out.with_suffix(".pdf").exists()
    assert page.history.item(0, 2).text() == "年度工作总结"
    assert page.history.item(0, 3).text() == ""


def test_a_file_from_someones_desk_is_identified_by_its_hash(
    qtbot: QtBot, plan_services: Services, tmp_path: Path
) -> None:
    build(plan_services)
    page = make_page(qtbot, plan_services)
    assert not page.open_file_button.isEnabled()
    page.year.setValue(2024)
    first = tmp_path / "总结一.pdf"
    page.export_summary_to(first)
    qtbot.waitUntil(lambda: page.history.rowCount() == 1, timeout=60_000)
    page.period.set_period("2024")
    second = tmp_path / "报表.xlsx"
    page.export_return_to(second)
    qtbot.waitUntil(lambda: page.history.rowCount() == 2, timeout=60_000)
    wait_idle(qtbot, page)

    copy = tmp_path / "市里收到的.pdf"
    copy.write_bytes(first.read_bytes())
    page.identify(copy)
    assert "“市里收到的.pdf”与" in page.status.text()
    assert "2024年的年度工作总结完全一致" in page.status.text()
    assert page.history.selectionModel().selectedRows()[0].row() == 1  # the summary, older
    assert page.open_file_button.isEnabled() and page.open_folder_button.isEnabled()

    edited = tmp_path / "改过的.xlsx"
    edited.write_bytes(second.read_bytes() + b"\0")
    page.identify(edited)
    assert "与任何一次导出的文件都不一致" in page.status.text()
    page.identify(tmp_path / "没有这个文件.pdf")
    assert page.status.text().startswith("文件不存在")


def test_settings_are_saved_through_the_service(qtbot: QtBot, plan_services: Services) -> None:
    page = make_page(qtbot, plan_services)
    page.settings_edits["form_number"].setText("科素年报1表")
    page.settings_edits["contact_person"].setText("王晓梅")
    page.settings_edits["summary_title"].setText("测试县2024年科普工作总结")
    page.save_settings_button.click()
    values = plan_services.settings.all()
    assert values["form_number"] == "科素年报1表"
    assert values["contact_person"] == "王晓梅"
    assert values["summary_title"] == "测试县2024年科普工作总结"
    assert page.status.text() == "报表设置已保存。"
    again = make_page(qtbot, plan_services)
    assert again.settings_edits["form_number"].text() == "科素年报1表"


def test_print_summary_renders_every_page(
    qtbot: QtBot, plan_services: Services, tmp_path: Path
) -> None:
    """Print to a PDF file through QPrinter: what a real printer would receive."""
    from desktop.exporting.summary_pdf import export_summary

    build(plan_services)
    pdf = export_summary(plan_services, 2024, tmp_path / "s.pdf", record=False)
    assert plan_services.submissions.list() == []  # a print copy is not a submission
    printer = pdf_printer(pdf, "总结")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    pages = render_pdf(pdf, printer)
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True, check=True)
    assert f"Pages:           {pages}" in info.stdout
    assert "A4" in info.stdout


def test_print_preview_of_the_return_main_sheet(
    qtbot: QtBot, plan_services: Services, tmp_path: Path
) -> None:
    from desktop.exporting.return_pdf import export_return_pdf

    build(plan_services)
    pdf = export_return_pdf(plan_services, parse_period("2024"), tmp_path / "main.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "测试县全民科学素质行动实施进展统计表" in text
    assert "农民培训人次" in text and "5,500" in text and "55.0%" in text
    page = make_page(qtbot, plan_services)
    dialog = page.preview_dialog(pdf, "进展统计表")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "打印预览 — 进展统计表"
    dialog.grab().save(str(tmp_path / "preview.png"))
    dialog.close()
