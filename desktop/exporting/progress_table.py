"""The rows of the 进展统计表, shared by the workbook, its printable PDF and the summary.

Every figure comes from the progress report; this module only arranges it
by section and task and adds the subtotals the measures allow: count
indicators of one section with the same unit, the same window (annual or
whole period) and a ≥ target. Levels and percents are never added, nor are
figures of different units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from desktop.models import Task
from desktop.services.progress import STATUS_LABELS, IndicatorProgress, ProgressReport, status_for

OVERALL = "总体目标"
MODE_NOTES = {
    "period": "方案期内累计目标",
    "annual": "年度目标",
    "per_year": "分年度目标",
    "end": "期末目标",
}
CN_NUMERALS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (enough for a plan's sections)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return head + "十" + (CN_NUMERALS[ones - 1] if ones else "")


@dataclass
class TableRow:
    kind: str  # "indicator", "task" (a task without indicators) or "subtotal"
    number: str
    section: str
    task: str
    indicator: str = ""
    uom: str = ""
    target: float | None = None
    period_value: float | None = None
    cumulative: float | None = None
    completion: float | None = None  # a fraction: 0.5 is 50 %
    status: str = ""
    lead: str = ""
    note: str = ""
    measure: str = ""
    code: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "")


@dataclass
class Block:
    """One section (or the plan-wide indicators) with its rows in print order."""

    title: str
    rows: list[TableRow] = field(default_factory=list)


def _window(p: IndicatorProgress) -> str:
    return "year" if p.target_mode in ("annual", "per_year") else "plan"


def indicator_note(p: IndicatorProgress) -> str:
    parts = [MODE_NOTES.get(p.target_mode, "")]
    if p.comparator == "<=":
        parts.append("不超过目标值")
    if p.source == "derived":
        parts.append("据活动台账自动统计")
    if p.status in ("behind", "far_behind") and p.expected_pct is not None:
        parts.append(f"按进度应完成 {p.expected_pct:.1f}%")
    return "；".join(x for x in parts if x)


def _indicator_row(p: IndicatorProgress, section: str, task: str) -> TableRow:
    return TableRow(
        kind="indicator",
        number="",
        section=section,
        task=task,
        indicator=p.name,
        uom=p.unit,
        target=p.target,
        period_value=p.period_value,
        cumulative=p.actual,
        completion=None if p.completion_pct is None else p.completion_pct / 100,
        status=p.status,
        lead="、".join(p.lead_units),
        note=indicator_note(p),
        measure=p.measure,
        code=p.code,
    )


def subtotals(items: list[IndicatorProgress], section: str) -> list[TableRow]:
    """Subtotal rows for groups of ≥ 2 addable count indicators of one section."""
    groups: dict[tuple[str, str], list[IndicatorProgress]] = defaultdict(list)
    for p in items:
        if p.measure == "count" and p.comparator == ">=" and p.target is not None:
            groups[(p.unit, _window(p))].append(p)
    out = []
    for (uom, window), members in groups.items():
        if len(members) < 2:
            continue
        target = sum(p.target or 0 for p in members)
        period_values = [p.period_value for p in members if p.period_value is not None]
        actuals = [p.actual for p in members if p.actual is not None]
        cumulative = sum(actuals) if actuals else None
        completion = cumulative / target if cumulative is not None and target else None
        expected = members[0].expected_pct
        status = status_for(None if completion is None else completion * 100, expected)
        out.append(
            TableRow(
                kind="subtotal",
                number="",
                section=section,
                task=f"小计（{uom}）",
                uom=uom,
                target=target,
                period_value=sum(period_values) if period_values else None,
                cumulative=cumulative,
                completion=completion,
                status=status,
                note=f"{len(members)} 项{'年度' if window == 'year' else '累计'}计数指标合计",
                measure="count",
            )
        )
    return out


def build_blocks(
    report: ProgressReport, tasks: list[Task], task_stats: dict[str, tuple[int, int]]
) -> list[Block]:
    """Sections in plan order, each task with its indicators (or its activity figures)."""
    by_task: dict[str | None, list[IndicatorProgress]] = defaultdict(list)
    for p in report.indicators:
        by_task[p.task_code].append(p)
    blocks: list[Block] = []
    overall = by_task.get(None, [])
    if overall:
        block = Block(OVERALL)
        block.rows = [_indicator_row(p, OVERALL, "—") for p in overall]
        blocks.append(block)
    current: Block | None = None
    section_items: list[IndicatorProgress] = []
    for task in tasks:
        title = task.section.title
        if current is None or current.title != title:
            if current is not None:
                current.rows.extend(subtotals(section_items, current.title))
            current = Block(title)
            blocks.append(current)
            section_items = []
        task_title = f"{task.number}. {task.title}" if task.number else task.title
        items = by_task.get(task.code, [])
        section_items.extend(items)
        if items:
            current.rows.extend(_indicator_row(p, title, task_title) for p in items)
            continue
        n, people = task_stats.get(task.code, (0, 0))
        current.rows.append(
            TableRow(
                kind="task",
                number="",
                section=title,
                task=task_title,
                indicator="（无量化指标）",
                lead="、".join(u.name for u in task.lead_units),
                note=f"本期开展活动 {n:,} 次，参加 {people:,} 人次" if n else "本期无活动记录",
            )
        )
    if current is not None:
        current.rows.extend(subtotals(section_items, current.title))
    number = 0
    for block in blocks:
        for row in block.rows:
            if row.kind != "subtotal":
                number += 1
                row.number = str(number)
    return blocks
