"""The summary's appendix: the year's whole ledger, one table row per activity.

It can run to hundreds of pages: its rows are wrapped by measuring glyph
widths (no Paragraph per cell, unless a cell needs a second font) and laid
out in tables of a few hundred rows, which keeps the build linear in the
number of rows.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from desktop.exporting.fonts import covers, markup
from desktop.exporting.summary_style import TEXT_WIDTH, Styles, para

if TYPE_CHECKING:
    from desktop.services import Services

APPENDIX_CHUNK = 250


@lru_cache(maxsize=65536)
def _char_width(ch: str, font: str, size: float) -> float:
    return stringWidth(ch, font, size)


def wrap(text: str, font: str, size: float, width: float, max_lines: int = 4) -> str:
    """Break text into lines that fit `width`, by measured glyph widths (fast, no Paragraph)."""
    lines: list[str] = []
    line, used = "", 0.0
    for ch in text.replace("\n", " "):
        w = _char_width(ch, font, size)
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines)


APPENDIX_HEADERS = ["序号", "日期", "活动名称", "类型", "地点", "组织单位", "人次", "志愿者"]
APPENDIX_WIDTHS = [0.06, 0.14, 0.3, 0.13, 0.1, 0.13, 0.07, 0.07]


def appendix(st: Styles, services: Services, period: Any, total: int) -> list[Flowable]:
    font, size = st.fonts.song, 9
    widths = [w / sum(APPENDIX_WIDTHS) * TEXT_WIDTH for w in APPENDIX_WIDTHS]
    story: list[Flowable] = [
        PageBreak(),
        para("附件", st.h1),
        para(f"{period.label}科普活动台账（共 {total:,} 项）", st.caption),
    ]
    if not total:
        story.append(para("本年度未记录活动。", st.body))
        return story
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, size, 11),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("ALIGN", (0, 1), (1, -1), "CENTER"),
            ("ALIGN", (6, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    inner = [w - 6 for w in widths]
    number = 0
    rows: list[list[Any]] = []
    for chunk in services.reports.ledger_chunks(period):
        for r in chunk:
            number += 1
            texts = [
                str(number),
                r.start_date.strftime("%Y-%m-%d"),
                r.title,
                r.type_name,
                r.place_name,
                r.unit_name,
                f"{r.participants:,}",
                f"{r.volunteers:,}",
            ]
            rows.append(
                [
                    _cell(text, font, size, width, st)
                    for text, width in zip(texts, inner, strict=True)
                ]
            )
            if len(rows) == APPENDIX_CHUNK:
                story.append(_ledger_table(rows, widths, style))
                rows = []
    if rows:
        story.append(_ledger_table(rows, widths, style))
    return story


def _cell(text: str, font: str, size: float, width: float, st: Styles) -> Any:
    if covers(font, text):
        return wrap(text, font, size, width)
    return Paragraph(
        markup(text, font), ParagraphStyle("x", parent=st.cell, fontSize=size, leading=11)
    )


def _ledger_table(rows: list[list[Any]], widths: list[float], style: TableStyle) -> Table:
    table = Table([APPENDIX_HEADERS, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(style)
    return table
