"""The PDF final evaluation (终期评估报告) of a whole plan period.

Set exactly like the annual summary (desktop/exporting/summary_style.py:
GB/T 9704 page, 仿宋 body, 黑体/楷体 headings, "— N —" page numbers, the
fonts embedded), so the office files the two side by side. The figures are
desktop/services/evaluation.py's; this module only lays them out: each
indicator from its baseline through every year to its final value and
verdict, the ledger by year with a chart, each 提升行动 and 重点工程 with its
tasks, and the units that never reported.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desktop.exporting.evaluation_chart import by_year_chart
from desktop.exporting.files import written_in_place
from desktop.exporting.fonts import fonts, markup
from desktop.exporting.progress_table import cn_number
from desktop.exporting.return_workbook import ExportCancelled, cn_date, office_name
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
    simple_table,
)
from desktop.services.evaluation import (
    DONE,
    NO_DATA,
    NO_TARGET,
    NOT_DONE,
    Evaluation,
    EvaluationService,
    IndicatorEvaluation,
)

if TYPE_CHECKING:
    from desktop.services import Services

KIND_LABELS = {"action": "提升行动", "project": "重点工程"}


def export_evaluation(
    services: Services,
    out: Path,
    progress: Progress | None = None,
    plan_code: str | None = None,
    today: date | None = None,
) -> Path:
    """Write the final evaluation of the plan named (default: the latest ended plan, else the
    active one) to `out` atomically, and record it as a submission of kind "evaluation"."""
    out = Path(out)
    fs = fonts()
    st = make_styles(fs)
    pages = PageNumbers(fs.song, progress, 10)
    if progress is not None and not progress(0, pages.estimate):
        raise ExportCancelled()
    ev = EvaluationService(services.db).evaluate(plan_code, today)
    office = office_name(services, ev.region)
    title = f"{ev.plan_name}终期评估报告"

    story: list[Flowable] = []
    story += _cover(st, ev, office)
    story += _overview(st, ev)
    story += _indicators(st, ev)
    story += _by_year(st, ev)
    story += _sections(st, ev)
    story += _silent(st, ev)
    story += _unmet(st, ev)

    with written_in_place(out) as staged:
        doc = official_document(str(staged.tmp), fs, title, office, f"{ev.period_label}终期评估")
        try:
            doc.build(story, onFirstPage=pages.cover, onLaterPages=pages.page)
        except ExportCancelled:
            raise ExportCancelled() from None
        services.submissions.record(
            ev.period_code, "evaluation", out, staged=staged.tmp, place=staged.place
        )
    return out


def _cover(st: Styles, ev: Evaluation, office: str) -> list[Flowable]:
    """The plan's name broken where a reader pauses (after 行动, before its years), then
    终期评估报告 on a line of its own."""
    name, paren, years = ev.plan_name.partition("（")
    head, sep, tail = name.partition("行动")
    lines = [head + sep, tail] if sep and tail and len(name) > 14 else [name]
    lines += [paren + years] if paren else []
    lines.append("终期评估报告")
    return [
        Spacer(1, 50 * mm),
        Paragraph("<br/>".join(markup(x, st.cover_title.fontName) for x in lines), st.cover_title),
        Spacer(1, 60 * mm),
        para(office, st.cover_line),
        para(cn_date(date.today()), st.cover_line),
        PageBreak(),
    ]


def _table(st: Styles, *args, **kwargs) -> Table:
    """simple_table with narrower cell padding: the evaluation's tables have more columns."""
    table = simple_table(st, *args, **kwargs)
    table.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)])
    )
    return table


def _digits(ind: IndicatorEvaluation) -> int:
    return 1 if ind.final.measure == "percent" else 0


def _baseline(ind: IndicatorEvaluation) -> list[str]:
    """The baseline value and its year, as two cells."""
    p = ind.final
    if p.baseline is None:
        return ["—", "—"]
    return [fmt(p.baseline, _digits(ind)), str(p.baseline_year) if p.baseline_year else "—"]


def _overview(st: Styles, ev: Evaluation) -> list[Flowable]:
    t = ev.total
    counts = ev.outcome_counts()
    n = len(ev.indicators)
    text = (
        f"{ev.period_label}，{ev.region}全民科学素质工作领导小组各成员单位按照《{ev.plan_name}》部署，"
        f"共开展科普活动 {t.activities:,} 次（{t.sessions:,} 场/期），参加 {t.participants:,} 人次；"
        f"科技志愿者参与 {t.volunteers:,} 人次，志愿服务 {fmt(t.volunteer_hours)} 小时；"
        f"投入经费 {t.funding_yuan / 10000:,.2f} 万元。"
    )
    verdict = (
        f"方案确定的 {n} 项量化指标中，完成 {counts[DONE]} 项、未完成 {counts[NOT_DONE]} 项"
        + (f"、无数据 {counts[NO_DATA]} 项" if counts[NO_DATA] else "")
        + (f"、未定目标 {counts[NO_TARGET]} 项" if counts[NO_TARGET] else "")
        + "。"
    )
    literacy = next(
        (i for i in ev.indicators if i.final.measure == "percent" and "科学素质" in i.final.name),
        None,
    )
    lit = ""
    if literacy is not None and literacy.final.actual is not None:
        lit = f"公民具备科学素质的比例 {ev.last_year}年达到 {literacy.final.actual:.1f}%"
        if ev.literacy_baseline is not None:
            lit += f"（{ev.literacy_baseline_year or ''}年为 {ev.literacy_baseline:g}%）"
        if literacy.final.target is not None:
            lit += f"，目标 {literacy.final.target:g}%，{literacy.outcome_label}"
        lit += "。"
    story = [para("一、总体情况", st.h1)]
    if not ev.ended:
        story.append(
            para(
                f"本方案期至{ev.last_year}年底结束。本报告为截至{cn_date(ev.as_of)}的阶段性评估，"
                "尚未到来的年份不列数值，终期值为目前的数值。",
                st.body,
            )
        )
    return [*story, para(text, st.body), para(lit + verdict, st.body), Spacer(1, 8)]


def _indicators(st: Styles, ev: Evaluation) -> list[Flowable]:
    rows, statuses = [], []
    for i, ind in enumerate(ev.indicators, start=1):
        p, d = ind.final, _digits(ind)
        rows.append(
            [
                str(i),
                p.name,
                p.unit,
                *_baseline(ind),
                fmt(p.target, d),
                fmt(p.actual, d),
                pct(p.completion_pct),
                ind.outcome_label,
            ]
        )
        statuses.append("behind" if ind.outcome == NOT_DONE else "")
    widths = [0.065, 0.255, 0.065, 0.11, 0.075, 0.11, 0.11, 0.1, 0.11]
    verdicts = _table(
        st,
        ["序号", "指标", "单位", "基线值", "基线年份", "目标值", "终期值", "完成率", "结论"],
        rows,
        [w * TEXT_WIDTH for w in widths],
        left_cols=(1,),
        status_col=8,
        statuses=statuses,
    )
    years = list(range(ev.first_year, ev.last_year + 1))
    yearly = [
        [str(i), ind.final.name, *(fmt(v, _digits(ind)) for v in ind.yearly)]
        for i, ind in enumerate(ev.indicators, start=1)
    ]
    year_w = (1 - 0.07 - 0.33) / len(years)
    by_year = _table(
        st,
        ["序号", "指标", *(f"{y}年" for y in years)],
        yearly,
        [0.07 * TEXT_WIDTH, 0.33 * TEXT_WIDTH, *([year_w * TEXT_WIDTH] * len(years))],
        left_cols=(1,),
    )
    return [
        para("二、指标完成情况", st.h1),
        para("（一）终期完成情况", st.h2),
        para(
            f"各项指标以{ev.last_year}年12月31日的数值为终期值，与方案目标对照，"
            "达到目标为“完成”，否则为“未完成”；目标尚未确定的为“未定目标”。"
            "年度目标按末年考核，“不超过”类指标以不超过目标为完成。",
            st.body,
        ),
        para("表 1　指标终期完成情况", st.caption),
        verdicts,
        Spacer(1, 8),
        para("（二）逐年情况", st.h2),
        para(
            "各年数值为当年12月31日按汇总规则计算的值：期内累计的指标为截至当年末的累计数，"
            "年度指标为当年数，存量和比例指标为当年末的最新值。",
            st.body,
        ),
        para("表 2　指标逐年情况", st.caption),
        by_year,
        Spacer(1, 8),
    ]


def _by_year(st: Styles, ev: Evaluation) -> list[Flowable]:
    def row(label: str, t) -> list[str]:
        return [
            label,
            fmt(t.activities),
            fmt(t.sessions),
            fmt(t.participants),
            fmt(t.volunteers),
            fmt(t.volunteer_hours),
            f"{t.funding_yuan / 10000:,.2f}",
        ]

    rows = [row(f"{y}年", t) for y, t in ev.years] + [row("合计", ev.total)]
    table = _table(
        st,
        [
            "年度",
            "活动次数",
            "场次/期数",
            "参加人次",
            "志愿者人次",
            "志愿服务时长（小时）",
            "经费（万元）",
        ],
        rows,
        [TEXT_WIDTH * w for w in (0.1, 0.12, 0.13, 0.15, 0.14, 0.19, 0.17)],
    )
    return [
        para("三、科普活动逐年情况", st.h1),
        para(
            f"{ev.period_label}各年科普活动、参加人次、科技志愿者和经费投入见表 3，"
            "活动次数和参加人次的变化见图 1。",
            st.body,
        ),
        para("表 3　各年科普活动主要数据", st.caption),
        table,
        Spacer(1, 6),
        KeepTogether(
            [by_year_chart(st, list(ev.years)), para("图 1　各年科普活动情况", st.caption)]
        ),
    ]


def _sections(st: Styles, ev: Evaluation) -> list[Flowable]:
    story: list[Flowable] = [
        para("四、提升行动和重点工程", st.h1),
        para(
            "各项任务期内服务的活动按活动台账所关联的任务统计；一项活动服务多项任务的，"
            "每项任务各计一次。",
            st.body,
        ),
    ]
    table_no = 4
    for n, sec in enumerate(ev.sections, start=1):
        acts = sum(t.activities for t in sec.tasks)
        kind = KIND_LABELS.get(sec.kind, "")
        title = sec.title if not kind or sec.title.endswith(kind) else f"{sec.title}（{kind}）"
        summary = f"本项共 {len(sec.tasks)} 项任务"
        summary += f"，期内记录相关活动 {acts:,} 次。" if acts else "，期内未记录相关活动。"
        rows = [
            [
                str(i),
                t.title,
                "、".join(t.lead_units) or "未明确",
                fmt(t.activities),
                fmt(t.participants),
            ]
            for i, t in enumerate(sec.tasks, start=1)
        ]
        table = _table(
            st,
            ["序号", "任务", "牵头单位", "活动次数", "参加人次"],
            rows,
            [TEXT_WIDTH * w for w in (0.07, 0.45, 0.2, 0.13, 0.15)],
            left_cols=(1, 2),
        )
        # The heading, its lead-in and the caption travel with the table, never alone at a foot.
        story += [
            KeepTogether(
                [
                    para(f"（{cn_number(n)}）{title}", st.h2),
                    para(summary, st.body),
                    para(f"表 {table_no}　{sec.title}任务完成情况", st.caption),
                    table,
                ]
            ),
            Spacer(1, 8),
        ]
        table_no += 1
    return story


def _silent(st: Styles, ev: Evaluation) -> list[Flowable]:
    story: list[Flowable] = [para("五、未报送单位", st.h1)]
    if not ev.silent_units:
        story.append(para("方案期内，各有关成员单位均报送过采集表或组织过科普活动。", st.body))
        return story
    story.append(
        para(
            f"以下 {len(ev.silent_units)} 个成员单位承担方案任务或指标，"
            "但方案期内从未报送采集表，也未组织科普活动：" + "、".join(ev.silent_units) + "。",
            st.body,
        )
    )
    return story


def _unmet(st: Styles, ev: Evaluation) -> list[Flowable]:
    story: list[Flowable] = [para("六、未完成指标", st.h1)]
    unmet = [i for i in ev.indicators if i.outcome in (NOT_DONE, NO_DATA)]
    if not unmet:
        story.append(para("方案确定的量化指标均已完成。", st.body))
        return story
    story.append(
        para(
            f"以下 {len(unmet)} 项指标到期未完成或无数据，请责任单位分析原因，"
            "在下一期方案中明确措施。",
            st.body,
        )
    )
    for i, ind in enumerate(unmet, start=1):
        p, d = ind.final, _digits(ind)
        units = "、".join(p.lead_units) or "领导小组办公室"
        story.append(
            para(
                f"{i}. {p.name}（{ind.outcome_label}）：目标 {fmt(p.target, d)}{p.unit}，"
                f"终期值 {fmt(p.actual, d)}{p.unit}，完成率 {pct(p.completion_pct)}。"
                f"责任单位：{units}。",
                st.body,
            )
        )
    return story
