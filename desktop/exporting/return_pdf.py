"""The 进展统计表 drawn as a PDF in the workbook's layout, for printing inside the program.

Office PCs have no LibreOffice to print a workbook from, so the main sheet
is laid out again with reportlab: same title, header lines, columns, merged
section and task cells, subtotal rows and signature footer; A4 landscape
with the header row repeated on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop.exporting.files import written_in_place
from desktop.exporting.fonts import fonts, markup, plain
from desktop.exporting.progress_table import build_blocks
from desktop.exporting.return_workbook import (
    PROGRESS_HEADERS,
    PROGRESS_WIDTHS,
    ExportCancelled,
    cn_date,
    office_name,
    period_text,
)
from desktop.services.periods import Period

if TYPE_CHECKING:
    from desktop.services import Services

Progress = Callable[[int, int], bool]
PAGE = landscape(A4)
MARGIN = 12 * mm


def _num(value: float | None, measure: str) -> str:
    if value is None:
        return ""
    if measure == "percent" or not float(value).is_integer():
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def export_return_pdf(
    services: Services,
    period: Period,
    out: Path,
    progress: Progress | None = None,
    plan_code: str | None = None,
) -> Path:
    """Write the printable 进展统计表 of `period` to `out`; not recorded as a submission."""
    out = Path(out)
    plan = services.plans.for_period(period, plan_code)
    fs = fonts()
    report = services.progress.report(period=period, plan_code=plan.code)
    blocks = build_blocks(
        report, services.plans.tasks(plan.id), services.reports.task_stats(period, plan.code)
    )
    settings = services.settings.all()
    office = office_name(services, plan.region)
    if progress is not None and not progress(1, 3):
        raise ExportCancelled()

    size = 9
    cell = ParagraphStyle("c", fontName=fs.song, fontSize=size, leading=11.5, wordWrap="CJK")
    center = ParagraphStyle("cc", parent=cell, alignment=TA_CENTER)
    right = ParagraphStyle("cr", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("h", parent=center, fontName=fs.hei)
    bold = ParagraphStyle("b", parent=cell, fontName=fs.hei)
    info = ParagraphStyle("i", parent=cell, fontSize=10, leading=14, alignment=TA_LEFT)
    info_right = ParagraphStyle("ir", parent=info, alignment=TA_RIGHT)
    title_style = ParagraphStyle(
        "t",
        fontName=fs.xiaobiaosong or fs.hei,
        fontSize=18,
        leading=26,
        alignment=TA_CENTER,
        wordWrap="CJK",
    )

    def p(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(markup(text, style.fontName), style)

    width = PAGE[0] - 2 * MARGIN
    scale = width / sum(PROGRESS_WIDTHS)
    col_widths = [w * scale for w in PROGRESS_WIDTHS]
    data: list[list[Any]] = [[p(h, head) for h in PROGRESS_HEADERS]]
    spans: list[tuple] = []
    for block in blocks:
        first = len(data)
        task_start, task_title = first, None
        for item in block.rows:
            row = len(data)
            sub = item.kind == "subtotal"
            if item.task != task_title or sub:
                if task_title is not None and row - 1 > task_start:
                    spans.append(("SPAN", (2, task_start), (2, row - 1)))
                task_start, task_title = row, None if sub else item.task
            style = bold if sub else cell
            data.append(
                [
                    p(item.number, center),
                    p(block.title, ParagraphStyle("s", parent=center, fontName=fs.hei)),
                    p(item.task, style),
                    p(item.indicator, style),
                    p(item.uom, center),
                    p(_num(item.target, item.measure), right),
                    p(_num(item.period_value, item.measure), right),
                    p(_num(item.cumulative, item.measure), right),
                    p("" if item.completion is None else f"{item.completion * 100:.1f}%", right),
                    p(item.status_label, center),
                    p(item.lead, cell),
                    p(item.note, cell),
                ]
            )
            if sub:
                spans.append(("SPAN", (2, row), (3, row)))
                spans.append(("BACKGROUND", (2, row), (-1, row), colors.HexColor("#fafafa")))
            if item.status in ("behind", "far_behind"):
                colour = "#ffcdd2" if item.status == "far_behind" else "#ffe0b2"
                spans.append(("BACKGROUND", (9, row), (9, row), colors.HexColor(colour)))
        last = len(data) - 1
        if task_title is not None and last > task_start:
            spans.append(("SPAN", (2, task_start), (2, last)))
        if last > first:
            spans.append(("SPAN", (1, first), (1, last)))
    table = Table(data, colWidths=col_widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fs.song, size),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                *spans,
            ]
        )
    )
    line = Table(
        [
            [
                p(f"表号：{settings.get('form_number', '')}", info),
                p(f"制表机关：{settings.get('form_authority', '')}", info),
                p(f"统计期：{period_text(period)}", info_right),
            ],
            [
                p(f"填报单位（盖章）：{office}", info),
                "",
                p(f"数据截至：{report.as_of.isoformat()}", info_right),
            ],
        ],
        colWidths=[width * 0.34, width * 0.33, width * 0.33],
        style=TableStyle([("FONT", (0, 0), (-1, -1), fs.song, 10), ("SPAN", (0, 1), (1, 1))]),
    )
    footer = Table(
        [
            [
                p(f"单位负责人：{settings.get('unit_head', '')}", info),
                p(f"填报人：{settings.get('contact_person', '')}", info),
                p(f"联系电话：{settings.get('contact_phone', '')}", info),
                p(f"填报日期：{cn_date(date.today())}", info),
            ]
        ],
        colWidths=[width / 4] * 4,
        style=TableStyle([("FONT", (0, 0), (-1, -1), fs.song, 10)]),
    )
    story = [
        p(f"{plan.region}全民科学素质行动实施进展统计表", title_style),
        Spacer(1, 4),
        line,
        Spacer(1, 2),
        table,
        Spacer(1, 6),
        footer,
    ]

    def number(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(fs.song, 9)
        canvas.drawCentredString(PAGE[0] / 2, 6 * mm, plain(f"第 {doc.page} 页", fs.song))
        canvas.restoreState()

    with written_in_place(out) as staged:
        doc = SimpleDocTemplate(
            str(staged.tmp),
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=f"{plan.region}全民科学素质行动实施进展统计表 {period.label}",
            author=office,
            initialFontName=fs.song,
        )
        doc.build(story, onFirstPage=number, onLaterPages=number)
    if progress is not None:
        progress(3, 3)
    return out
