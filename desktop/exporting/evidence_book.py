"""The evidence book (台账资料汇编): one PDF per unit and year, bound for the annual review.

What a unit would otherwise collect, sort, print and bind by hand: a cover,
a table of contents with page numbers (and the same entries as the PDF's
outline, so a reviewer jumps to an item), the scores at a glance, then per
rubric item its standard, score and reason, the activities counted for it,
their photos and scanned sign-in sheets, the PDF evidence appended in place
and every other file listed by name and SHA-256. It is set in the annual
summary's GB/T 9704 style (desktop/exporting/summary_style.py).

An activity that counts for several items shows its files at the first of
them; the others point there, so a photo is printed once. The data is
desktop/services/assessment_evidence.py; the photo copies and the appended
PDFs desktop/exporting/evidence_book_files.py.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from desktop.errors import ValidationError
from desktop.exporting.evidence_book_files import (
    Insert,
    Inserted,
    Progress,
    Steps,
    binary_streams,
    pdf_pages,
    picture_flowable,
    set_inserts,
)
from desktop.exporting.files import written_in_place
from desktop.exporting.fonts import fonts, markup
from desktop.exporting.progress_table import cn_number
from desktop.exporting.return_workbook import ExportCancelled, cn_date, office_name
from desktop.exporting.summary_style import (
    TEXT_WIDTH,
    PageNumbers,
    Styles,
    fmt,
    make_styles,
    official_document,
    para,
    simple_table,
)
from desktop.services.assessment_evidence import (
    OTHER,
    PDF,
    PHOTO,
    SHEET,
    Book,
    BookActivity,
    BookFile,
    BookItem,
    book,
    book_units,
)

if TYPE_CHECKING:
    from desktop.services import Services

GAP = 6 * mm
PHOTO_W, PHOTO_H, PHOTO_PX = (TEXT_WIDTH - GAP) / 2, 58 * mm, 1000  # two across, three down
SHEET_W, SHEET_H, SHEET_PX = TEXT_WIDTH, 170 * mm, 1800  # a sign-in sheet: a page to itself
_PATH_CHARS = re.compile(r'[\\/:*?"<>|]')
_ROLE_WORDS = {
    PHOTO: ("照片", "张"),
    SHEET: ("签到表", "份"),
    PDF: ("PDF", "份"),
    OTHER: ("文件", "个"),
}


def book_file_name(unit: str, year: int) -> str:
    """`2024年县科协考核台账资料汇编.pdf`: a unit name's path characters become "_"."""
    return f"{year}年{_PATH_CHARS.sub('_', unit)}考核台账资料汇编.pdf"


def export_book(
    services: Services, year: int, unit: str, out: Path, progress: Progress | None = None
) -> Path:
    """Write the evidence book of `unit` for `year` to `out`, whole or not at all."""
    data = book(services.db, year, unit)
    steps = Steps(progress, _step_count(data))
    steps.check()
    _write(services, data, Path(out), steps)
    return Path(out)


def export_books(
    services: Services, year: int, out_dir: Path, progress: Progress | None = None
) -> list[Path]:
    """Every assessed unit's book into `out_dir`; a cancel keeps the books already written."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ValidationError(f"文件夹不存在：{out_dir}")
    books = [book(services.db, year, u) for u in book_units(services.db, year)]
    steps = Steps(progress, sum(_step_count(b) for b in books))
    steps.check()
    written = []
    for data in books:
        out = out_dir / book_file_name(data.unit, year)
        _write(services, data, out, steps)
        written.append(out)
    return written


def _first_showings(data: Book) -> dict[int, str]:
    """Activity id → the item code whose section shows its files (the first that counts it)."""
    first: dict[int, str] = {}
    for item in data.items:
        for a in item.activities:
            first.setdefault(a.id, item.code)
    return first


def _step_count(data: Book) -> int:
    """A step per photo, two per appended PDF (read, then set in), one for the build."""
    shown = _first_showings(data)
    roles = [
        f.role
        for item in data.items
        for a in item.activities
        if shown[a.id] == item.code
        for f in a.files
    ]
    return roles.count(PHOTO) + roles.count(SHEET) + 2 * roles.count(PDF) + 1


class _BookDoc(SimpleDocTemplate):
    """Headings carrying `toc` = (level, text, key) become outline bookmarks and, but for
    the contents' own heading, entries of the table of contents."""

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "toc", None)
        if entry is None:
            return
        level, text, key = entry
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        if key != "toc":
            self.notify("TOCEntry", (level, markup(text, self.toc_font), self.page - 1, key))


def _heading(text: str, style: ParagraphStyle, level: int, key: str) -> Paragraph:
    p = para(text, style)
    p.toc = (level, text, key)  # type: ignore[attr-defined]
    return p


def _write(services: Services, data: Book, out: Path, steps: Steps) -> None:
    fs = fonts()
    st = make_styles(fs)
    office = office_name(services, data.region)
    title = f"{data.unit}{data.year}年度考核台账资料汇编"
    pages = PageNumbers(fs.song, None, 0)

    def first(canvas: Any, doc: Any) -> None:
        steps.check()

    def later(canvas: Any, doc: Any) -> None:
        pages.page(canvas, doc)
        steps.check()

    with (
        tempfile.TemporaryDirectory(prefix="kepu-book-") as tmp,
        written_in_place(out) as staged,
        binary_streams(),
    ):
        story, inserts = _story(st, data, office, Path(tmp), steps)
        built = Path(tmp) / "book.pdf"
        doc = official_document(str(built), fs, title, office, f"{data.year}年度考核", cls=_BookDoc)
        doc.toc_font = fs.fangsong  # type: ignore[attr-defined]
        try:
            # The passes that settle the contents' page numbers draw no photos (the
            # layout is the same without them); the contents settled, one more pass
            # draws them, so each photo is read once.
            for drafting in (True, False):
                doc.drafting = drafting  # type: ignore[attr-defined]
                doc.multiBuild(story, onFirstPage=first, onLaterPages=later)
                for flowable in story:  # what multiBuild leaves marked after its last pass
                    flowable.__dict__.pop("_postponed", None)
        except ExportCancelled:
            raise ExportCancelled() from None
        if inserts:
            set_inserts(built, staged.tmp, inserts, steps)
        else:
            built.replace(staged.tmp)
        steps.advance()


def _story(
    st: Styles, data: Book, office: str, tmp: Path, steps: Steps
) -> tuple[list[Flowable], list[Insert]]:
    toc = TableOfContents(
        levelStyles=[
            ParagraphStyle(
                f"toc{n}",
                parent=st.body,
                firstLineIndent=0,
                leftIndent=indent,
                fontSize=size,
                leading=size * 1.6,
            )
            for n, (indent, size) in enumerate(((0, 14), (2 * 14, 12)))
        ],
        dotsMinLevel=0,
    )
    centred = ParagraphStyle("toc_title", parent=st.h1, alignment=TA_CENTER, firstLineIndent=0)
    story: list[Flowable] = [
        *_cover(st, data, office),
        _heading("目　录", centred, 0, "toc"),
        toc,
        PageBreak(),
        *_overview(st, data),
    ]
    shown = _first_showings(data)
    inserts: list[Insert] = []
    for n, item in enumerate(data.items, start=1):
        story.append(PageBreak())
        story += _item(st, item, n, shown, inserts, tmp, steps)
    return story, inserts


def _cover(st: Styles, data: Book, office: str) -> list[Flowable]:
    lines = [
        f"被考核单位：{data.unit}",
        f"考核年度：{data.year}年",
        f"考核细则：《{data.rubric}》",
    ]
    return [
        Spacer(1, 45 * mm),
        para(f"{data.year}年度考核", st.cover_title),
        para("台账资料汇编", st.cover_title),
        Spacer(1, 35 * mm),
        *(para(line, st.cover_line) for line in lines),
        Spacer(1, 45 * mm),
        para(office, st.cover_line),
        para(cn_date(date.today()), st.cover_line),
        PageBreak(),
    ]


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _overview(st: Styles, data: Book) -> list[Flowable]:
    rows = [
        [
            i.code,
            i.content or i.group,
            f"{i.score.max:g}",
            _score(i.score.auto),
            _score(i.score.self_score),
            _score(i.score.review),
            _score(i.score.final),
        ]
        for i in data.items
    ]
    rows.append(["", "合计", f"{data.scale:g}", "", "", "", f"{data.total:g}"])
    widths = [0.08, 0.4, 0.1, 0.11, 0.1, 0.1, 0.11]
    table = simple_table(
        st,
        ["序号", "考核内容", "分值", "自动评分", "自评", "审核", "得分"],
        rows,
        [w * TEXT_WIDTH for w in widths],
        left_cols=(1,),
    )
    return [
        _heading("一、考核得分", st.h1, 0, "overview"),
        para(
            f"{data.unit}{data.year}年度按《{data.rubric}》考核，总分 {data.total:g} 分"
            f"（满分 {data.scale:g} 分），等次为{data.grade}，在被考核单位中排第 {data.rank} 名。"
            "得分以审核分为准，未审核的取自评分，未自评的取自动评分。",
            st.body,
        ),
        Spacer(1, 4),
        table,
    ]


def _item(
    st: Styles,
    item: BookItem,
    n: int,
    shown: dict[int, str],
    inserts: list[Insert],
    tmp: Path,
    steps: Steps,
) -> list[Flowable]:
    s = item.score
    facts = [
        ("考核项目", item.group),
        ("考核内容", item.content),
        ("考核标准", item.standard),
        ("分值", f"{s.max:g} 分"),
        ("计分规则", item.rule),
        ("自动评分", f"{_score(s.auto)}（{s.reason}）"),
        ("自评分", _score(s.self_score)),
        ("审核分", _score(s.review)),
        ("得分", _score(s.final)),
        ("考核依据", item.basis),
        ("说明", s.note),
    ]
    label_w = 0.18 * TEXT_WIDTH
    table = Table(
        [[para(k, st.cell_center), para(v, st.cell)] for k, v in facts if v],
        colWidths=[label_w, TEXT_WIDTH - label_w],
    )
    table.setStyle(_grid())
    story: list[Flowable] = [
        _heading(
            f"{cn_number(n + 1)}、第 {item.code} 项　{item.content or item.group}",
            st.h1,
            0,
            f"item{n}",
        ),
        table,
        Spacer(1, 6),
        para("（一）计入本项的活动", st.h2),
    ]
    if not item.counted:
        how = "人工评分" if s.reason == "人工评分" else "按报送和任务情况计分"
        story.append(para(f"本项{how}，不按活动计分（{s.reason}）。", st.body))
        return story
    if not item.activities:
        story.append(para("本年度没有计入本项的活动。", st.body))
        return story
    story.append(_activity_table(st, item, shown))
    mine = [a for a in item.activities if shown[a.id] == item.code]
    pictures = _pictures(st, mine, tmp, steps)
    if pictures:
        story += [Spacer(1, 6), para("（二）活动照片与签到表", st.h2), *pictures]
    listed = [(a, f) for a in mine for f in a.files if f.role in (OTHER, PDF)]
    if listed:
        story += [Spacer(1, 6), para("（三）其他佐证材料", st.h2), _file_table(st, listed)]
    for a in mine:
        for f in a.files:
            if f.role == PDF:
                story += _appended(st, a, f, len(inserts), inserts, steps)
    return story


def _evidence_words(a: BookActivity, item: BookItem, shown: dict[int, str]) -> str:
    if not a.files:
        return "无"
    if shown[a.id] != item.code:
        return f"见第 {shown[a.id]} 项"
    counts: dict[str, int] = {}
    for f in a.files:
        counts[f.role] = counts.get(f.role, 0) + 1
    return "、".join(
        f"{_ROLE_WORDS[r][0]} {counts[r]} {_ROLE_WORDS[r][1]}" for r in _ROLE_WORDS if r in counts
    )


def _activity_table(st: Styles, item: BookItem, shown: dict[int, str]) -> Table:
    rows = [
        [
            str(k),
            a.day.isoformat(),
            a.title if a.unit == item.score.unit else f"{a.title}（{a.unit}）",
            a.place or "—",
            fmt(a.participants),
            _evidence_words(a, item, shown),
        ]
        for k, a in enumerate(item.activities, start=1)
    ]
    widths = [0.08, 0.17, 0.31, 0.13, 0.11, 0.2]
    return simple_table(
        st,
        ["序号", "日期", "活动名称", "地点", "人次", "佐证材料"],
        rows,
        [w * TEXT_WIDTH for w in widths],
        left_cols=(2,),
    )


def _grid() -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )


def _pictures(
    st: Styles, activities: list[BookActivity], tmp: Path, steps: Steps
) -> list[Flowable]:
    """Photos two across and three down; a sign-in sheet large enough to read, one to a page."""
    caption = ParagraphStyle("photo_caption", parent=st.cell_center, fontSize=9, leading=12)
    photos: list[list[Flowable]] = []
    sheets: list[Flowable] = []
    for a in activities:
        for f in a.files:
            if f.role not in (PHOTO, SHEET):
                continue
            box = (PHOTO_W, PHOTO_H, PHOTO_PX) if f.role == PHOTO else (SHEET_W, SHEET_H, SHEET_PX)
            img = picture_flowable(f, tmp, box)
            steps.advance()
            words = f"{a.day.isoformat()} {a.title}　{f.name}"
            if img is None:
                words += "（文件无法读取，未能印出）"
            cell: list[Flowable] = [*([img] if img else []), para(words, caption)]
            if f.role == PHOTO:
                photos.append(cell)
            else:
                sheets.append(KeepTogether(cell))
    out: list[Flowable] = []
    if photos:
        rows = [
            photos[i : i + 2] + [[]] * (2 - len(photos[i : i + 2]))
            for i in range(0, len(photos), 2)
        ]
        grid = Table(rows, colWidths=[PHOTO_W + GAP / 2] * 2)
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        out.append(grid)
    out += sheets
    return out


def _file_table(st: Styles, listed: list[tuple[BookActivity, BookFile]]) -> Table:
    sha = ParagraphStyle("sha", parent=st.cell, fontSize=8, leading=10, wordWrap="CJK")
    rows = [
        [
            para(f.name, st.cell),
            para(f"{a.day.isoformat()} {a.title}", st.cell),
            para(f"{f.size / 1024:,.0f} KB" + ("，附后" if f.role == PDF else ""), st.cell_center),
            para(f.sha256, sha),
        ]
        for a, f in listed
    ]
    head = [para(h, st.cell_center) for h in ("文件名", "所属活动", "大小", "SHA-256")]
    widths = [0.28, 0.3, 0.13, 0.29]
    table = Table([head, *rows], colWidths=[w * TEXT_WIDTH for w in widths], repeatRows=1)
    table.setStyle(_grid())
    return table


def _appended(
    st: Styles, a: BookActivity, f: BookFile, n: int, inserts: list[Insert], steps: Steps
) -> list[Flowable]:
    """The PDF's pages, each on a page of its own where the layout keeps a place for it."""
    pages = pdf_pages(f.path)
    steps.advance()
    if not pages:
        return [para(f"附件“{f.name}”无法打开（可能已加密或损坏），未能附入。", st.body)]
    insert = Insert(f, pages)
    inserts.append(insert)
    label = f"附件：{f.name}（{a.day.isoformat()} {a.title}）"
    out: list[Flowable] = []
    for index in range(pages):
        page = Inserted(insert, index, st.fonts.hei, label)
        if index == 0:
            page.toc = (1, f"附件：{f.name}", f"att{n}")  # type: ignore[attr-defined]
        out.append(page)
    return out
