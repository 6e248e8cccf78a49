"""The PDF annual summary (年度工作总结), laid out after GB/T 9704.

A4 with the standard's margins (top 37 mm, bottom 35 mm, left 28 mm, right
26 mm), 仿宋 三号 (16 pt) body, 黑体 for 一、 headings, 楷体 for （一）
headings, page numbers "— N —" below the text block (odd pages right, even
pages left), no number on the cover. Charts are reportlab's own drawings, so
the file needs nothing but reportlab to build and stays vector and searchable.

The ledger appendix can run to hundreds of pages: its rows are wrapped by
measuring glyph widths (no Paragraph per cell) and laid out in tables of a
few hundred rows, which keeps the build linear in the number of rows.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from desktop.exporting.files import written_in_place
from desktop.exporting.fonts import FontSet, covers, fonts, markup, plain
from desktop.exporting.progress_table import cn_number
from desktop.exporting.return_workbook import ExportCancelled, cn_date, office_name
from desktop.services.activities import ActivityFilter, Totals
from desktop.services.periods import year_period
from desktop.services.progress import STATUS_LABELS, IndicatorProgress, ProgressReport

if TYPE_CHECKING:
    from desktop.services import Services

Progress = Callable[[int, int], bool]
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
TEXT_WIDTH = A4[0] - LEFT - RIGHT
# Two featured activities, each with its photo, fit on one page.
PHOTO_HEIGHT = 50 * mm
BODY_SIZE, BODY_LEADING = 16, 28
TABLE_SIZE, TABLE_LEADING = 10.5, 14
APPENDIX_CHUNK = 250
STATUS_FILL = {
    "done": colors.HexColor("#2e7d32"),
    "on_track": colors.HexColor("#1565c0"),
    "behind": colors.HexColor("#ef6c00"),
    "far_behind": colors.HexColor("#c62828"),
    "no_data": colors.HexColor("#9e9e9e"),
}


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
            fontName=fs.song,
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


class _Pages:
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


def export_summary(
    services: Services,
    year: int,
    out: Path,
    progress: Progress | None = None,
    record: bool = True,
) -> Path:
    """Write the annual summary of `year` to `out` (atomically) and record the submission.

    `record=False` is for a print preview: nothing left the office yet.
    """
    out = Path(out)
    fs = fonts()
    st = make_styles(fs)
    period = year_period(year)
    services.plans.check_period(period)
    plan = services.plans.active()
    report = services.progress.report(period=period)
    totals = services.activities.totals(ActivityFilter(start=period.start, end=period.end))
    ledger_rows = services.reports.ledger_count(period)
    office = office_name(services, plan.region)
    title = services.settings.get("summary_title") or (
        f"{plan.region}全民科学素质行动{year}年度工作总结"
    )
    pages = _Pages(fs.song, progress, 12 + ledger_rows // 28)
    if progress is not None and not progress(0, pages.estimate):
        raise ExportCancelled()

    story: list[Flowable] = []
    story += _cover(st, title, office)
    story += _overview(st, year, plan, report, totals)
    story += _indicators(st, report)
    story += _sections(st, services, report, period)
    story += _lagging(st, report)
    story += _units(st, services, report, period)
    story += _highlights(st, services, year)
    story += _appendix(st, services, period, ledger_rows)

    with written_in_place(out) as staged:
        doc = SimpleDocTemplate(
            str(staged.tmp),
            pagesize=A4,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            leftMargin=LEFT,
            rightMargin=RIGHT,
            title=title,
            author=office,
            subject=f"{year}年度工作总结",
            creator="科普台账",
            initialFontName=fs.song,
        )
        try:
            doc.build(story, onFirstPage=pages.cover, onLaterPages=pages.page)
        except ExportCancelled:
            raise ExportCancelled() from None
        if record:
            services.submissions.record(
                str(year), "summary", out, staged=staged.tmp, place=staged.place
            )
    return out


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text, style.fontName), style)


def _cover(st: Styles, title: str, office: str) -> list[Flowable]:
    """Title, office and date; a long title breaks after 行动, where a reader pauses."""
    head, sep, tail = title.partition("行动")
    lines = [head + sep, tail] if sep and tail and len(title) > 14 else [title]
    return [
        Spacer(1, 60 * mm),
        Paragraph("<br/>".join(markup(x, st.cover_title.fontName) for x in lines), st.cover_title),
        Spacer(1, 70 * mm),
        _p(office, st.cover_line),
        _p(cn_date(date.today()), st.cover_line),
        PageBreak(),
    ]


def literacy(report: ProgressReport) -> IndicatorProgress | None:
    """The plan's headline indicator: the share of citizens with scientific literacy."""
    return next(
        (p for p in report.indicators if p.measure == "percent" and "科学素质" in p.name), None
    )


def _overview(
    st: Styles, year: int, plan: Any, report: ProgressReport, totals: Totals
) -> list[Flowable]:
    counts = report.status_counts()
    n = len(report.indicators)
    text = (
        f"{year}年，{plan.region}全民科学素质工作领导小组各成员单位按照《{plan.name}》部署，"
        f"全年共开展科普活动 {totals.activities:,} 次（{totals.sessions:,} 场/期），"
        f"参加 {totals.participants:,} 人次；科技志愿者参与 {totals.volunteers:,} 人次，"
        f"志愿服务 {fmt(totals.volunteer_hours)} 小时；投入经费 {totals.funding_yuan / 10000:,.2f} 万元。"
    )
    lit = literacy(report)
    if lit is not None and lit.actual is not None:
        lit_text = f"公民具备科学素质的比例达到 {lit.actual:.1f}%"
        if plan.literacy_target:
            lit_text += f"，{plan.last_year}年目标为 {plan.literacy_target:g}%"
            lit_text += f"，完成目标的 {lit.completion_pct:.1f}%" if lit.completion_pct else ""
        lit_text += f"（{lit.status_label}）。"
    elif plan.literacy_target:
        lit_text = f"公民具备科学素质的比例 {plan.last_year}年目标为 {plan.literacy_target:g}%，本年尚无测评数据。"
    else:
        lit_text = ""
    status_text = (
        f"方案确定的 {n} 项量化指标中，已完成 {counts['done']} 项、进度正常 {counts['on_track']} 项、"
        f"滞后 {counts['behind']} 项、严重滞后 {counts['far_behind']} 项、无数据 {counts['no_data']} 项。"
    )
    table = _simple_table(
        st,
        ["活动次数", "场次/期数", "参加人次", "志愿者人次", "志愿服务时长（小时）", "经费（万元）"],
        [
            [
                fmt(totals.activities),
                fmt(totals.sessions),
                fmt(totals.participants),
                fmt(totals.volunteers),
                fmt(totals.volunteer_hours),
                f"{totals.funding_yuan / 10000:,.2f}",
            ]
        ],
        [TEXT_WIDTH / 6] * 6,
    )
    return [
        _p("一、总体情况", st.h1),
        _p(text, st.body),
        _p(lit_text + status_text, st.body),
        Spacer(1, 4),
        _p(f"表 1　{year}年科普活动主要数据", st.caption),
        table,
        Spacer(1, 8),
    ]


def completion_chart(st: Styles, report: ProgressReport) -> Drawing:
    """Horizontal bars of completion % by indicator, coloured by status, 100 % marked."""
    items = [p for p in report.indicators if p.completion_pct is not None]
    names = [plain(_short(p.name, 14), st.fonts.song) for p in items]
    values = [min(p.completion_pct or 0.0, 150.0) for p in items]
    row_h = 16
    height = max(len(items), 1) * row_h + 50
    d = Drawing(TEXT_WIDTH, height, initialFontName=st.fonts.song)
    if not items:
        d.add(
            String(
                TEXT_WIDTH / 2,
                height / 2,
                plain("尚无可计算完成率的指标", st.fonts.song),
                fontName=st.fonts.song,
                fontSize=12,
                textAnchor="middle",
            )
        )
        return d
    chart = HorizontalBarChart()
    chart.x, chart.y = 115, 36
    chart.width, chart.height = TEXT_WIDTH - 150, height - 50
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName = st.fonts.song
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 150
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labels.fontName = st.fonts.song
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.barWidth = 10
    chart.groupSpacing = 6
    chart.bars[0].fillColor = STATUS_FILL["on_track"]
    chart.bars[0].strokeColor = None
    for i, p in enumerate(reversed(items)):
        chart.bars[(0, i)].fillColor = STATUS_FILL[p.status]
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[pct(p.completion_pct) for p in reversed(items)]]
    chart.barLabels.fontName = st.fonts.song
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    x100 = chart.x + chart.width * 100 / 150
    d.add(
        Line(
            x100,
            chart.y,
            x100,
            chart.y + chart.height,
            strokeColor=colors.HexColor("#424242"),
            strokeDashArray=[3, 2],
        )
    )
    legend_x = chart.x
    for status in ("done", "on_track", "behind", "far_behind"):
        d.add(
            String(
                legend_x,
                8,
                "■ " + STATUS_LABELS[status],
                fontName=st.fonts.song,
                fontSize=9,
                fillColor=STATUS_FILL[status],
            )
        )
        legend_x += 70
    return d


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _indicators(st: Styles, report: ProgressReport) -> list[Flowable]:
    rows = []
    for i, p in enumerate(report.indicators, start=1):
        digits = 1 if p.measure == "percent" else 0
        rows.append(
            [
                str(i),
                p.name,
                p.unit,
                fmt(p.target, digits),
                fmt(p.actual, digits),
                pct(p.completion_pct),
                p.status_label,
            ]
        )
    widths = [0.08, 0.35, 0.09, 0.13, 0.13, 0.11, 0.11]
    table = _simple_table(
        st,
        ["序号", "指标", "单位", "目标值", "完成值", "完成率", "进度"],
        rows,
        [w * TEXT_WIDTH for w in widths],
        left_cols=(1,),
        status_col=6,
        statuses=[p.status for p in report.indicators],
    )
    return [
        _p("二、指标完成情况", st.h1),
        _p("（一）完成率", st.h2),
        _p(
            "各项指标完成率如图 1 所示。累计目标按方案时序计算应完成进度，年度目标在当年内考核。",
            st.body,
        ),
        KeepTogether([completion_chart(st, report), _p("图 1　各项指标完成率", st.caption)]),
        _p("（二）指标完成情况表", st.h2),
        _p("表 2　指标完成情况", st.caption),
        table,
        Spacer(1, 8),
    ]


def _sections(
    st: Styles, services: Services, report: ProgressReport, period: Any
) -> list[Flowable]:
    story: list[Flowable] = [_p("三、重点任务推进", st.h1)]
    task_stats = services.reports.task_stats(period)
    by_section = {r.key: r for r in report.sections}
    tasks = services.plans.tasks()
    sections: dict[str, list] = {}
    for t in tasks:
        sections.setdefault(t.section.code, []).append(t)
    for n, (code, section_tasks) in enumerate(sections.items(), start=1):
        section = section_tasks[0].section
        roll = by_section.get(code)
        acts = sum(task_stats.get(t.code, (0, 0))[0] for t in section_tasks)
        story.append(_p(f"（{cn_number(n)}）{section.title}", st.h2))
        summary = f"本项共 {len(section_tasks)} 项任务"
        if roll is not None and roll.indicators:
            summary += (
                f"，{roll.indicators} 项量化指标平均完成 {pct(roll.completion_pct)}"
                f"，总体{roll.status_label}"
            )
        summary += f"；全年记录相关活动 {acts:,} 次。" if acts else "；全年未记录相关活动。"
        story.append(_p(summary, st.body))
        for i, t in enumerate(section_tasks, start=1):
            n_act, people = task_stats.get(t.code, (0, 0))
            leads = "、".join(u.name for u in t.lead_units) or "未明确"
            text = f"{i}. {t.title}，由{leads}牵头。"
            text += f"开展活动 {n_act:,} 次，参加 {people:,} 人次" if n_act else "本年未记录活动"
            inds = [p for p in report.indicators if p.task_code == t.code]
            for p in inds:
                digits = 1 if p.measure == "percent" else 0
                text += (
                    f"；{p.name}完成 {fmt(p.actual, digits)}{p.unit}"
                    f"，目标 {fmt(p.target, digits)}{p.unit}，完成率 {pct(p.completion_pct)}，{p.status_label}"
                )
            story.append(_p(text + "。", st.body))
    return story


def _lagging(st: Styles, report: ProgressReport) -> list[Flowable]:
    story: list[Flowable] = [_p("四、滞后事项", st.h1)]
    lagging = report.lagging()
    if not lagging:
        story.append(_p("本年度各项指标均达到序时进度，无滞后事项。", st.body))
        return story
    story.append(
        _p(
            f"以下 {len(lagging)} 项指标未达到序时进度，请责任单位加快推进，逐项明确措施和时限。",
            st.body,
        )
    )
    for i, p in enumerate(lagging, start=1):
        digits = 1 if p.measure == "percent" else 0
        units = "、".join(p.lead_units) or "领导小组办公室"
        story.append(
            _p(
                f"{i}. {p.name}（{p.status_label}）：目标 {fmt(p.target, digits)}{p.unit}，"
                f"完成 {fmt(p.actual, digits)}{p.unit}，完成率 {pct(p.completion_pct)}，"
                f"按进度应完成 {pct(p.expected_pct)}。责任单位：{units}。",
                st.body,
            )
        )
    return story


def _units(st: Styles, services: Services, report: ProgressReport, period: Any) -> list[Flowable]:
    rollups = {r.key: r for r in report.units}
    rows, statuses = [], []
    for u in services.reports.unit_stats(period):
        r = rollups.get(u.name)
        if not (u.tasks_led or u.activities or r):
            continue
        lag = (r.counts["behind"] + r.counts["far_behind"]) if r else 0
        rows.append(
            [
                u.name,
                str(u.tasks_led),
                str(r.indicators if r else 0),
                str(lag),
                fmt(u.activities),
                fmt(u.participants),
                fmt(u.volunteers),
            ]
        )
        statuses.append("behind" if lag else "")
    widths = [0.27, 0.11, 0.11, 0.1, 0.13, 0.15, 0.13]
    table = _simple_table(
        st,
        ["单位", "牵头任务", "牵头指标", "滞后指标", "活动次数", "参加人次", "志愿者人次"],
        rows,
        [w * TEXT_WIDTH for w in widths],
        left_cols=(0,),
        status_col=3,
        statuses=statuses,
    )
    return [
        _p("五、分单位情况", st.h1),
        _p(
            "各成员单位牵头任务、指标和全年组织活动情况见表 3。"
            "指标按所属任务的牵头单位统计，活动按组织单位统计。",
            st.body,
        ),
        _p("表 3　分单位情况", st.caption),
        table,
        Spacer(1, 8),
    ]


def _image(path: Path, max_w: float, max_h: float) -> Image | None:
    """A photo scaled down to print size; None when the file can't be read."""
    try:
        from PIL import Image as PILImage

        with PILImage.open(path) as im:
            im = im.convert("RGB")
            im.thumbnail((1200, 1200))
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=82)
            w, h = im.size
    except (OSError, ValueError):
        return None
    buf.seek(0)
    scale = min(max_w / w, max_h / h)
    return Image(buf, width=w * scale, height=h * scale)


def _highlights(st: Styles, services: Services, year: int) -> list[Flowable]:
    heading = _p("六、特色活动", st.h1)
    items = services.reports.largest_activities(year)
    if not items:
        return [heading, _p("本年度未记录活动。", st.body)]
    # The heading and lead-in travel with the first activity, never alone at a page foot.
    opening: list[Flowable] = [heading, _p("全年参加人次最多的活动如下。", st.lead_in)]
    story: list[Flowable] = []
    for n, h in enumerate(items, start=1):
        block: list[Flowable] = [
            *(opening if n == 1 else []),
            _p(f"（{cn_number(n)}）{h.title}", st.h2),
            _p(
                f"{cn_date(h.start_date)}，{h.unit_name}在{h.place_name or '本地'}组织开展"
                f"{h.type_name}，参加 {h.participants:,} 人次"
                + (f"，志愿者 {h.volunteers:,} 人次参与" if h.volunteers else "")
                + "。"
                + (h.summary or ""),
                st.body,
            ),
        ]
        if h.image is not None:
            img = _image(services.evidence.path(h.image), TEXT_WIDTH * 0.7, PHOTO_HEIGHT)
            if img is not None:
                block += [img, _p(f"图　{_short(h.title, 30)}", st.caption)]
        story.append(KeepTogether(block))
    return story


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


def _appendix(st: Styles, services: Services, period: Any, total: int) -> list[Flowable]:
    font, size = st.fonts.song, 9
    widths = [w / sum(APPENDIX_WIDTHS) * TEXT_WIDTH for w in APPENDIX_WIDTHS]
    story: list[Flowable] = [
        PageBreak(),
        _p("附件", st.h1),
        _p(f"{period.label}科普活动台账（共 {total:,} 项）", st.caption),
    ]
    if not total:
        story.append(_p("本年度未记录活动。", st.body))
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


def _simple_table(
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
