"""Printing a PDF from inside the program: a sharp preview, and a print job that never hangs.

Qt's own print preview records every page as a full-resolution image (a
39-page summary at 1200 dpi is over 20 GB) on the GUI thread. Here the
preview is QtPdf's own view, which draws each page from the PDF at the
zoom on screen — sharp at any zoom, and only the pages in sight — and
printing is a background job that renders one page at a time, at up to
300 dpi, so it holds a page or two in memory, reports progress and stops
at once on 取消.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServiceError
from desktop.exporting.return_workbook import ExportCancelled
from desktop.ui.widgets import fit_to_screen
from desktop.ui.workers import Report, Task, run_with_progress

PRINT_DPI = 300  # what an office laser printer resolves; more only costs memory
ZOOMS = [
    ("适合宽度", 0.0),
    ("50%", 0.5),
    ("75%", 0.75),
    ("100%", 1.0),
    ("150%", 1.5),
    ("200%", 2.0),
]


def _open(pdf: Path) -> QPdfDocument:
    doc = QPdfDocument()
    if doc.load(str(pdf)) != QPdfDocument.Error.None_:
        raise ServiceError(f"无法读取 PDF 文件：{pdf}")
    return doc


def pdf_printer(pdf: Path, title: str) -> QPrinter:
    """A printer set to A4 in the PDF's orientation, printing the whole sheet.

    The PDF already carries its margins, so the printer adds none of its own.
    """
    doc = _open(pdf)
    size = doc.pagePointSize(0) if doc.pageCount() else None
    doc.close()
    landscape = size is not None and size.width() > size.height()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    return printer


def print_pdf(pdf: Path, printer: QPrinter, report: Report | None = None) -> int:
    """Paint every page of `pdf` onto `printer`, one page at a time; returns pages printed.

    Safe on a job's thread (QPainter may paint on a QPrinter off the GUI
    thread). Each page is rendered at no more than PRINT_DPI and dropped
    before the next, so memory stays at about one page whatever the length.
    `report(done, total)` returning False aborts the job at the next page.
    """
    doc = _open(pdf)
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise ServiceError("无法连接打印机，请检查打印机是否已开机并连接。")
        device_dpi = printer.resolution()
        dpi = min(device_dpi, PRINT_DPI)
        total = doc.pageCount()
        for page in range(total):
            if report is not None and not report(page, total):
                printer.abort()
                raise ExportCancelled()
            if page:
                printer.newPage()
            points = doc.pagePointSize(page)
            layout = printer.pageLayout()
            area = (
                layout.fullRectPixels(device_dpi)
                if printer.fullPage()
                else layout.paintRectPixels(device_dpi)
            )
            scale = min(area.width() / points.width(), area.height() / points.height())
            width, height = points.width() * scale, points.height() * scale
            image = doc.render(
                page, QSize(round(width * dpi / device_dpi), round(height * dpi / device_dpi))
            )
            target = QRectF(
                QPointF((area.width() - width) / 2, (area.height() - height) / 2),
                image.size().toSizeF() * (device_dpi / dpi),
            )
            painter.drawImage(target, image)
            del image
        if report is not None:
            report(total, total)
        return total
    finally:
        if painter.isActive():
            painter.end()
        doc.close()


class PdfPreviewDialog(QDialog):
    """打印预览: the PDF itself, page by page, with zoom, and 打印… that starts the job."""

    def __init__(self, pdf: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.title = title
        self.task: Task | None = None
        self.printed: int | None = None
        self.setWindowTitle(f"打印预览 — {title}")
        self.document = _open(pdf)
        self.document.setParent(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.zoom = QComboBox()
        for label, factor in ZOOMS:
            self.zoom.addItem(label, factor)
        self.page_label = QLabel()
        self.print_button = QPushButton("打印…")
        self.print_button.setDefault(True)
        close = QPushButton("关闭")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("缩放"))
        bar.addWidget(self.zoom)
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.zoom.currentIndexChanged.connect(self._zoom)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        self.print_button.clicked.connect(self.choose_printer)
        close.clicked.connect(self.reject)
        self._show_page(0)
        fit_to_screen(self, 1000, 800)

    def _zoom(self) -> None:
        factor = self.zoom.currentData()
        if not factor:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            return
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)

    def _show_page(self, page: int) -> None:
        self.page_label.setText(f"第 {page + 1} 页 / 共 {self.document.pageCount()} 页")

    def choose_printer(self) -> None:
        printer = pdf_printer(self.pdf, self.title)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.start_printing(printer)

    def start_printing(self, printer: QPrinter) -> Task:
        """Print in the background; the printer is kept alive by the job until it ends."""
        self.print_button.setEnabled(False)
        self._printer = printer
        self.task = run_with_progress(
            self,
            f"正在打印：{self.title}",
            lambda report: print_pdf(self.pdf, printer, report),
            self._printed,
            self._failed,
        )
        return self.task

    def _printed(self, pages: int) -> None:
        self.printed = pages
        self.print_button.setEnabled(True)
        self.page_label.setText(f"已送往打印机：共 {pages} 页")

    def _failed(self, exc: BaseException) -> None:
        self.print_button.setEnabled(True)
        if isinstance(exc, ExportCancelled):
            self.page_label.setText("已取消打印。")
            return
        QMessageBox.warning(self, "打印", str(exc))


def preview(pdf: Path, title: str, parent: QWidget) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(pdf, title, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    return dialog
