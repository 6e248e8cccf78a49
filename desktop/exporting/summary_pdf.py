"""The PDF annual summary (年度工作总结): its sections, from the cover to the ledger appendix.

Each section is a function of the year's figures that returns its
flowables; how they look (GB/T 9704 page, type, tables) is
desktop/exporting/summary_style.py, the completion chart is
summary_chart.py and the ledger appendix summary_appendix.py.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
)

from desktop.exporting.files import written_in_place
from desktop.exporting.fonts import fonts, markup
from desktop.exporting.progress_table import cn_number
from desktop.exporting.return_workbook import ExportCancelled, cn_date, office_name
from desktop.exporting.summary_appendix import appendix
from desktop.exporting.summary_chart import completion_chart
from desktop.exporting.summary_style import (
    TEXT_WIDTH,
    PageNumbers,
    Progress,
    Styles,
    fmt,
    make_styles,
    official_document,
    para,
    pct,
    short,
    simple_table,
)
from desktop.services.activities import ActivityFilter, Totals
from desktop.services.periods import year_period
from desktop.services.progress import IndicatorProgress, ProgressReport

if TYPE_CHECKING:
    from desktop.models import Plan
    from desktop.services import Services

# Two featured activities, each with its photo, fit on one page.
PHOTO_HEIGHT = 50 * mm


def export_summary(
    services: Services,
    year: int,
    out: Path,
    progress: Progress | None = None,
    record: bool = True,
    plan_code: str | None = None,
) -> Path:
    """Write the annual summary of `year` to `out` (atomically) and record the submission.

    `record=False` is for a print preview: nothing left the office yet.
    """
    out = Path(out)
    fs = fonts()
    st = make_styles(fs)
    period = year_period(year)
    plan = services.plans.for_period(period, plan_code)
    report = services.progress.report(period=period, plan_code=plan.code)
    totals = services.activities.totals(ActivityFilter(start=period.start, end=period.end))
    ledger_rows = services.reports.ledger_count(period)
    office = office_name(services, plan.region)
    title = services.settings.get("summary_title") or (
        f"{plan.region}全民科学素质行动{year}年度工作总结"
    )
    pages = PageNumbers(fs.song, progress, 12 + ledger_rows // 28)
    if progress is not None and not progress(0, pages.estimate):
        raise ExportCancelled()

    story: list[Flowable] = []
    story += _cover(st, title, office)
    story += _overview(st, year, plan, report, totals)
    story += _indicators(st, report)
    story += _sections(st, services, report, period, plan)
    story += _lagging(st, report)
    story += _units(st, services, report, period, plan)
    story += _highlights(st, services, year)
    story += appendix(st, services, period, ledger_rows)

    with written_in_place(out) as staged:
        doc = official_document(str(staged.tmp), fs, title, office, f"{year}年度工作总结")
        try:
            doc.build(story, onFirstPage=pages.cover, onLaterPages=pages.page)
        except ExportCancelled:
            raise ExportCancelled() from None
        if record:
            services.submissions.record(
                str(year), "summary", out, staged=staged.tmp, place=staged.place
            )
    return out


def _cover(st: Styles, title: str, office: str) -> list[Flowable]:
    """Title, office and date; a long title breaks after 行动, where a reader pauses."""
    head, sep, tail = title.partition("行动")
    lines = [head + sep, tail] if sep and tail and len(title) > 14 else [title]
    return [
        Spacer(1, 60 * mm),
        Paragraph("<br/>".join(markup(x, st.cover_title.fontName) for x in lines), st.cover_title),
        Spacer(1, 70 * mm),
        para(office, st.cover_line),
        para(cn_date(date.today()), st.cover_line),
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
        f"滞后 {counts['behind']} 项、严重滞后 {counts['far_behind']} 项、无数据 {counts['no_data']} 项"
        + (f"、目标待定 {counts['no_target']} 项" if counts["no_target"] else "")
        + "。"
    )
    table = simple_table(
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
        para("一、总体情况", st.h1),
        para(text, st.body),
        para(lit_text + status_text, st.body),
        Spacer(1, 4),
        para(f"表 1　{year}年科普活动主要数据", st.caption),
        table,
        Spacer(1, 8),
    ]


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
    table = simple_table(
        st,
        ["序号", "指标", "单位", "目标值", "完成值", "完成率", "进度"],
        rows,
        [w * TEXT_WIDTH for w in widths],
        left_cols=(1,),
        status_col=6,
        statuses=[p.status for p in report.indicators],
    )
    return [
        para("二、指标完成情况", st.h1),
        para("（一）完成率", st.h2),
        para(
            "各项指标完成率如图 1 所示。累计目标按方案时序计算应完成进度，年度目标在当年内考核。",
            st.body,
        ),
        KeepTogether([completion_chart(st, report), para("图 1　各项指标完成率", st.caption)]),
        para("（二）指标完成情况表", st.h2),
        para("表 2　指标完成情况", st.caption),
        table,
        Spacer(1, 8),
    ]


def _sections(
    st: Styles, services: Services, report: ProgressReport, period: Any, plan: Plan
) -> list[Flowable]:
    story: list[Flowable] = [para("三、重点任务推进", st.h1)]
    task_stats = services.reports.task_stats(period, plan.code)
    by_section = {r.key: r for r in report.sections}
    tasks = services.plans.tasks(plan.id)
    sections: dict[str, list] = {}
    for t in tasks:
        sections.setdefault(t.section.code, []).append(t)
    for n, (code, section_tasks) in enumerate(sections.items(), start=1):
        section = section_tasks[0].section
        roll = by_section.get(code)
        acts = sum(task_stats.get(t.code, (0, 0))[0] for t in section_tasks)
        story.append(para(f"（{cn_number(n)}）{section.title}", st.h2))
        summary = f"本项共 {len(section_tasks)} 项任务"
        if roll is not None and roll.indicators:
            summary += (
                f"，{roll.indicators} 项量化指标平均完成 {pct(roll.completion_pct)}"
                f"，总体{roll.status_label}"
            )
        summary += f"；全年记录相关活动 {acts:,} 次。" if acts else "；全年未记录相关活动。"
        story.append(para(summary, st.body))
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
            story.append(para(text + "。", st.body))
    return story


def _lagging(st: Styles, report: ProgressReport) -> list[Flowable]:
    story: list[Flowable] = [para("四、滞后事项", st.h1)]
    lagging = report.lagging()
    if not lagging:
        story.append(para("本年度各项指标均达到序时进度，无滞后事项。", st.body))
        return story
    story.append(
        para(
            f"以下 {len(lagging)} 项指标未达到序时进度，请责任单位加快推进，逐项明确措施和时限。",
            st.body,
        )
    )
    for i, p in enumerate(lagging, start=1):
        digits = 1 if p.measure == "percent" else 0
        units = "、".join(p.lead_units) or "领导小组办公室"
        story.append(
            para(
                f"{i}. {p.name}（{p.status_label}）：目标 {fmt(p.target, digits)}{p.unit}，"
                f"完成 {fmt(p.actual, digits)}{p.unit}，完成率 {pct(p.completion_pct)}，"
                f"按进度应完成 {pct(p.expected_pct)}。责任单位：{units}。",
                st.body,
            )
        )
    return story


def _units(
    st: Styles, services: Services, report: ProgressReport, period: Any, plan: Plan
) -> list[Flowable]:
    rollups = {r.key: r for r in report.units}
    rows, statuses = [], []
    for u in services.reports.unit_stats(period, plan.code):
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
    table = simple_table(
        st,
        ["单位", "牵头任务", "牵头指标", "滞后指标", "活动次数", "参加人次", "志愿者人次"],
        rows,
        [w * TEXT_WIDTH for w in widths],
        left_cols=(0,),
        status_col=3,
        statuses=statuses,
    )
    return [
        para("五、分单位情况", st.h1),
        para(
            "各成员单位牵头任务、指标和全年组织活动情况见表 3。"
            "指标按所属任务的牵头单位统计，活动按组织单位统计。",
            st.body,
        ),
        para("表 3　分单位情况", st.caption),
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
    heading = para("六、特色活动", st.h1)
    items = services.reports.largest_activities(year)
    if not items:
        return [heading, para("本年度未记录活动。", st.body)]
    # The heading and lead-in travel with the first activity, never alone at a page foot.
    opening: list[Flowable] = [heading, para("全年参加人次最多的活动如下。", st.lead_in)]
    story: list[Flowable] = []
    for n, h in enumerate(items, start=1):
        block: list[Flowable] = [
            *(opening if n == 1 else []),
            para(f"（{cn_number(n)}）{h.title}", st.h2),
            para(
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
                block += [img, para(f"图　{short(h.title, 30)}", st.caption)]
        story.append(KeepTogether(block))
    return story
