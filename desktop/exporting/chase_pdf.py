"""The 催报 list as a one-page PDF, for printing inside the program (desktop/ui/printing.py).

The units still missing for a period, with their contacts, under the
period, its due date and the reporting rate: what the office hands round or
keeps beside the phone while it chases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop.exporting.files import written_in_place
from desktop.exporting.fonts import fonts, markup
from desktop.services.reporting import PeriodReport

MARGIN = 20 * mm


def chase_title(report: PeriodReport) -> str:
    return f"{report.period.label}采集表催报名单"


def write_chase_pdf(report: PeriodReport, office: str, out: Path) -> Path:
    fs = fonts()
    cell = ParagraphStyle("c", fontName=fs.song, fontSize=11, leading=16, wordWrap="CJK")
    head = ParagraphStyle("h", parent=cell, fontName=fs.hei, alignment=TA_CENTER)
    title = ParagraphStyle(
        "t", fontName=fs.xiaobiaosong or fs.hei, fontSize=18, leading=26, alignment=TA_CENTER
    )

    def p(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(markup(text, style.fontName), style)

    rows: list[list[Any]] = [[p(h, head) for h in ("序号", "单位", "联系人")]]
    for i, unit in enumerate(report.missing, start=1):
        rows.append([p(str(i), head), p(unit.unit, cell), p(unit.contact or "未登记", cell)])
    if not report.missing:
        rows.append([p("", cell), p("本期应报单位均已报送。", cell), p("", cell)])
    width = A4[0] - 2 * MARGIN
    table = Table(rows, colWidths=[0.1 * width, 0.5 * width, 0.4 * width], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    story = [
        p(chase_title(report), title),
        Spacer(1, 4),
        p(office, cell),
        p(f"{report.due_text}；{report.rate_text}", cell),
        Spacer(1, 6),
        table,
    ]
    with written_in_place(out) as staged:
        SimpleDocTemplate(
            str(staged.tmp),
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=chase_title(report),
            author=office,
            initialFontName=fs.song,
        ).build(story)
    return out
