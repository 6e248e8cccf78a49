"""The 报表 page driven through its widgets: export, history, lock offer, settings, printing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from desktop.services import Services
from desktop.services.periods import parse_period
from desktop.services.submissions import file_sha256
from desktop.ui.printing import ZOOMS, pdf_printer, preview
from desktop.ui.reports_page import ReportsPage
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


def test_print_summary_to_a_pdf_printer_in_the_background(
    qtbot: QtBot, plan_services: Services, tmp_path: Path
) -> None:
    """打印… from the preview: a job that prints every page, as a real printer would receive it."""
    from desktop.exporting.summary_pdf import export_summary

    build(plan_services)
    pdf = export_summary(plan_services, 2024, tmp_path / "s.pdf", record=False)
    assert plan_services.submissions.list() == []  # a print copy is not a submission
    source_pages = len(PdfReader(pdf).pages)
    dialog = preview(pdf, "总结", make_page(qtbot, plan_services))
    qtbot.addWidget(dialog)
    printer = pdf_printer(pdf, "总结")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    dialog.start_printing(printer)
    qtbot.waitUntil(lambda: dialog.printed is not None, timeout=120_000)
    assert dialog.printed == source_pages
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True, check=True)
    assert f"Pages:           {source_pages}" in info.stdout and "A4" in info.stdout
    assert f"共 {source_pages} 页" in dialog.page_label.text()


# The child's own peak: VmHWM belongs to its address space (ru_maxrss would carry the
# parent's size over from fork, on Linux).
PRINT_LONG_SUMMARY = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from PySide6.QtPrintSupport import QPrinter
from desktop.ui.printing import pdf_printer, print_pdf
pdf, out = Path(sys.argv[1]), sys.argv[2]
printer = pdf_printer(pdf, "总结")
printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
printer.setOutputFileName(out)
seen = []
pages = print_pdf(pdf, printer, lambda done, total: seen.append(done) or True)
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(pages, int(peak.split()[1]) // 1024)
"""


def test_printing_a_long_summary_holds_about_a_page_in_memory(
    demo_services: Services, tmp_path: Path
) -> None:
    """The 1200-dpi printer used to get every page as a full-resolution image: 21 GB for 39 pages."""
    from desktop.exporting.summary_pdf import export_summary

    pdf = export_summary(demo_services, 2025, tmp_path / "summary.pdf", record=False)
    pages = len(PdfReader(pdf).pages)
    assert pages >= 10
    done = subprocess.run(
        [sys.executable, "-c", PRINT_LONG_SUMMARY, str(pdf), str(tmp_path / "printed.pdf")],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert done.returncode == 0, done.stderr
    printed, peak_mb = (int(x) for x in done.stdout.split())
    assert printed == pages == len(PdfReader(tmp_path / "printed.pdf").pages)
    print(f"printed {printed} pages, peak memory {peak_mb} MB")
    assert peak_mb < 500, f"peak memory {peak_mb} MB"


def _sharpness(image: QImage) -> float:
    """Mean absolute difference between horizontal neighbours: blur lowers it."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = gray.width(), gray.height(), gray.bytesPerLine()
    data = bytes(gray.constBits())[: stride * height]
    total = 0
    for y in range(0, height, 2):
        row = data[y * stride : y * stride + width]
        total += sum(abs(a - b) for a, b in zip(row, row[1:], strict=False))
    return total / (width * height / 2)


def test_the_preview_is_as_sharp_as_pdftoppm_at_the_same_size(
    qtbot: QtBot, plan_services: Services, tmp_path: Path
) -> None:
    """At 100 % the preview draws the page from the PDF itself, not a shrunken print image."""
    from desktop.exporting.return_pdf import export_return_pdf

    build(plan_services)
    pdf = export_return_pdf(plan_services, parse_period("2024"), tmp_path / "main.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "测试县全民科学素质行动实施进展统计表" in text
    assert "农民培训人次" in text and "5,500" in text and "55.0%" in text
    dialog = preview(pdf, "进展统计表", make_page(qtbot, plan_services))
    qtbot.addWidget(dialog)
    dialog.resize(1400, 1000)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "打印预览 — 进展统计表"
    dialog.zoom.setCurrentIndex([label for label, _ in ZOOMS].index("100%"))
    qtbot.wait(300)
    shown = dialog.view.viewport().grab().toImage()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "ref")],
        check=True,
    )
    reference = QImage(str(next(tmp_path.glob("ref*.png"))))
    # Compare the same region: the top-left of the page at 72 dpi (100 %).
    width = min(reference.width(), shown.width()) - 40
    height = min(reference.height(), shown.height()) - 40
    ours = shown.copy(20, 20, width, height)
    theirs = reference.copy(0, 0, width, height)
    assert _sharpness(ours) >= 0.7 * _sharpness(theirs)
    dialog.close()
