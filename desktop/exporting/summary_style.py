"""How the annual summary looks on paper, after GB/T 9704: the page, the type, the plain tables.

A4 with the standard's margins (top 37 mm, bottom 35 mm, left 28 mm, right
26 mm), 仿宋 三号 (16 pt) body, 黑体 for 一、 headings, 楷体 for （一）
headings, the cover's title in 小标宋 where the office has one (else 宋体),
page numbers "— N —" below the text block (odd pages right, even pages
left), no number on the cover. Every section of desktop/exporting/summary_pdf.py
and its appendix are set in these styles, so the document reads as one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from desktop.exporting.fonts import FontSet, markup, plain
from desktop.exporting.return_workbook import ExportCancelled

Progress = Callable[[int, int], bool]
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm


def official_document(
    path: str, fs: FontSet, title: str, author: str, subject: str, cls: type = SimpleDocTemplate
) -> Any:
    """A document on the GB/T 9704 page (A4, its margins) with the file's own metadata:
    the annual summary, the final evaluation and the evidence book share it."""
    return cls(
        path,
        pagesize=A4,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        title=title,
        author=author,
        subject=subject,
        creator="科普台账",
        initialFontName=fs.song,
    )


TEXT_WIDTH = A4[0] - LEFT - RIGHT
BODY_SIZE, BODY_LEADING = 16, 28
TABLE_SIZE, TABLE_LEADING = 10.5, 14


@dataclass(frozen=True)
class Styles:
    fonts: FontSet
    body: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    caption: ParagraphStyle
    cover_title: ParagraphStyle
    lead_in: ParagraphStyle
    cover_line: ParagraphStyle


def make_styles(fs: FontSet) -> Styles:
    body = ParagraphStyle(
        "body",
        fontName=fs.fangsong,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        firstLineIndent=2 * BODY_SIZE,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
    )
    cell = ParagraphStyle(
        "cell",
        fontName=fs.song,
        fontSize=TABLE_SIZE,
        leading=TABLE_LEADING,
        wordWrap="CJK",
        alignment=TA_LEFT,
    )
    return Styles(
        fonts=fs,
        body=body,
        h1=ParagraphStyle("h1", parent=body, fontName=fs.hei, spaceBefore=6, keepWithNext=1),
        h2=ParagraphStyle("h2", parent=body, fontName=fs.kai, keepWithNext=1),
        h3=ParagraphStyle("h3", parent=body, fontName=fs.fangsong),
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        caption=ParagraphStyle(
            "caption",
            parent=body,
            fontName=fs.hei,
            fontSize=12,
            leading=18,
            firstLineIndent=0,
            alignment=TA_CENTER,
            spaceBefore=4,
            spaceAfter=6,
        ),
        cover_title=ParagraphStyle(
            "cover_title",
            fontName=fs.xiaobiaosong or fs.song,
            fontSize=26,
            leading=44,
            alignment=TA_CENTER,
            wordWrap="CJK",
        ),
        lead_in=ParagraphStyle("lead_in", parent=body, keepWithNext=1),
        cover_line=ParagraphStyle(
            "cover_line",
            fontName=fs.fangsong,
            fontSize=BODY_SIZE,
            leading=BODY_LEADING,
            alignment=TA_CENTER,
            wordWrap="CJK",
        ),
    )


def fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    if digits == 0 and not float(value).is_integer():
        digits = 1
    return f"{value:,.{digits}f}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text, style.fontName), style)


class PageNumbers:
    """Page furniture: the number "— N —" below the text block; none on the cover."""

    def __init__(self, font: str, progress: Progress | None, estimate: int) -> None:
        self.font = font
        self.progress = progress
        self.estimate = estimate

    def cover(self, canvas: Canvas, doc: Any) -> None:
        self._report(doc.page)

    def page(self, canvas: Canvas, doc: Any) -> None:
        number = doc.page - 1
        text = f"— {number} —"
        size = 14
        canvas.saveState()
        canvas.setFont(self.font, size)
        y = BOTTOM - 7 * mm - size
        if number % 2:
            canvas.drawRightString(A4[0] - RIGHT - size, y, plain(text, self.font))
        else:
            canvas.drawString(LEFT + size, y, plain(text, self.font))
        canvas.restoreState()
        self._report(doc.page)

    def _report(self, page: int) -> None:
        self.estimate = max(self.estimate, page + 1)
        if self.progress is not None and not self.progress(page, self.estimate):
            raise ExportCancelled()


def simple_table(
    st: Styles,
    headers: list[str],
    rows: Iterable[list[str]],
    widths: list[float],
    left_cols: tuple[int, ...] = (),
    status_col: int | None = None,
    statuses: list[str] | None = None,
) -> Table:
    data: list[list[Any]] = [[Paragraph(markup(h, st.fonts.hei), _head(st)) for h in headers]]
    for row in rows:
        data.append(
            [
                Paragraph(
                    markup(text, st.cell.fontName),
                    st.cell if i in left_cols else st.cell_center,
                )
                for i, text in enumerate(row)
            ]
        )
    table = Table(data, colWidths=widths, repeatRows=1)
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), st.fonts.song, TABLE_SIZE, TABLE_LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if status_col is not None and statuses:
        for i, status in enumerate(statuses, start=1):
            if status in ("behind", "far_behind"):
                commands.append(
                    ("BACKGROUND", (status_col, i), (status_col, i), colors.HexColor("#ffe0b2"))
                )
    table.setStyle(TableStyle(commands))
    return table


@lru_cache(maxsize=4)
def _head_style(font: str) -> ParagraphStyle:
    return ParagraphStyle(
        "head",
        fontName=font,
        fontSize=TABLE_SIZE,
        leading=TABLE_LEADING,
        alignment=TA_CENTER,
        wordWrap="CJK",
    )


def _head(st: Styles) -> ParagraphStyle:
    return _head_style(st.fonts.hei)
