"""The office's mappings of lower indicators, and what changing one does to returns received.

A mapping (this lower code and name feeds that indicator of ours, or none)
is kept, so the next return of any region uses it; setting one also
consolidates again every return already received, since their figures are
all kept. A return whose consolidated figures would change in a locked
period refuses the change, as any write into a locked period is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop.errors import NotFoundError, ValidationError
from desktop.models import (
    Entry,
    ImportBatch,
    Indicator,
    Plan,
    RegionReturn,
    ReturnFigure,
    ReturnMapping,
    Unit,
)
from desktop.services import audit, locks
from desktop.services.periods import parse_period
from desktop.services.plans import plan_for
from desktop.services.return_data import INDICATOR, ReturnRecord
from desktop.services.return_matching import MEASURE_LABELS, Matcher, entry_values


@dataclass
class LowerIndicator:
    """A lower indicator seen in the returns received, with where it goes now."""

    code: str
    name: str
    uom: str
    measure: str
    regions: list[str] = field(default_factory=list)
    indicator: str = ""  # the upper code it feeds; "" when none
    reason: str = ""
    mapped: bool = False


def _record(f: ReturnFigure) -> ReturnRecord:
    return ReturnRecord(
        f.record, f.code, f.name, f.uom, f.measure, f.target, f.period_value, f.cumulative
    )


def lower_indicators(session: Session, plan: Plan, current: list[int]) -> list[LowerIndicator]:
    """Every lower indicator of the returns `current` (batch ids), matched or not."""
    matcher = Matcher(session, plan)
    seen: dict[tuple[str, str], LowerIndicator] = {}
    rows = session.execute(
        select(ReturnFigure, ImportBatch.unit_id)
        .join(ImportBatch, ImportBatch.id == ReturnFigure.batch_id)
        .where(ReturnFigure.batch_id.in_(current))
        .order_by(ReturnFigure.batch_id, ReturnFigure.sort_order)
    )
    regions = _region_names(session, current)
    for figure, unit_id in rows.all():
        key = (figure.code, figure.name)
        found = seen.get(key)
        if found is None:
            match = matcher.match(_record(figure))
            target = matcher.by_id.get(match.indicator_id) if match.indicator_id else None
            if figure.record != INDICATOR and not match.mapped:
                continue
            found = seen[key] = LowerIndicator(
                figure.code,
                figure.name,
                figure.uom,
                figure.measure,
                indicator=target.code if target else "",
                reason=match.reason,
                mapped=match.mapped,
            )
        region = regions.get(unit_id or 0, "")
        if region and region not in found.regions:
            found.regions.append(region)
    return list(seen.values())


def _region_names(session: Session, batches: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(Unit.id, Unit.name)
        .join(ImportBatch, ImportBatch.unit_id == Unit.id)
        .where(ImportBatch.id.in_(batches))
    )
    return {unit_id: name for unit_id, name in rows}


def set_mapping(
    session: Session, plan: Plan, source_code: str, source_name: str, indicator_code: str | None
) -> None:
    """Keep the office's answer for one lower indicator (None: not consolidated)."""
    figure = session.scalar(
        select(ReturnFigure)
        .where(ReturnFigure.code == source_code, ReturnFigure.name == source_name)
        .limit(1)
    )
    if figure is None:
        raise NotFoundError(f"已导入的下级报表中没有指标“{source_code} {source_name}”。")
    target: Indicator | None = None
    if indicator_code is not None:
        target = session.scalar(
            select(Indicator).where(Indicator.plan_id == plan.id, Indicator.code == indicator_code)
        )
        if target is None:
            raise NotFoundError(f"本级方案中没有编号为“{indicator_code}”的指标。")
        if target.measure != figure.measure:
            raise ValidationError(
                f"下级指标“{source_name}”是{MEASURE_LABELS.get(figure.measure, figure.measure)}，"
                f"本级指标“{target.name}”是{MEASURE_LABELS[target.measure]}，"
                "计量方式不同，不能汇总。",
                "indicator",
            )
    mapping = session.scalar(
        select(ReturnMapping).where(
            ReturnMapping.plan_id == plan.id,
            ReturnMapping.source_code == source_code,
            ReturnMapping.source_name == source_name,
        )
    )
    before = None if mapping is None else mapping.indicator_id
    if mapping is None:
        mapping = ReturnMapping(plan_id=plan.id, source_code=source_code, source_name=source_name)
        session.add(mapping)
    mapping.indicator_id = target.id if target else None
    session.flush()
    audit.record(
        session,
        "map",
        "return_mapping",
        mapping.id,
        f"下级指标“{source_code} {source_name}”"
        + (f"对应本级“{target.code} {target.name}”" if target else "设为不汇总"),
        {"indicator_id": [before, mapping.indicator_id]},
    )


def consolidate_again(session: Session, plan: Plan, current: list[int]) -> int:
    """Write each current return's entries afresh where they differ; how many returns changed.

    `entry_values` is the one rule for what a return writes, so a return
    consolidated again writes exactly what importing it now would.
    """
    matcher = Matcher(session, plan)
    changed = 0
    for batch_id in current:
        batch = session.get(ImportBatch, batch_id)
        assert batch is not None
        if plan_for(session, parse_period(batch.period or "")).id != plan.id:
            continue  # a return of another plan's years follows that plan's mappings
        figures = session.scalars(
            select(ReturnFigure)
            .where(ReturnFigure.batch_id == batch_id)
            .order_by(ReturnFigure.sort_order)
        )
        wanted, _ = entry_values(matcher, [_record(f) for f in figures])
        entries = list(session.scalars(select(Entry).where(Entry.batch_id == batch_id)))
        have = {e.indicator_id: e.value for e in entries}
        if have == wanted:
            continue
        first = entries[0] if entries else None
        ret = session.get(RegionReturn, batch_id)
        assert ret is not None
        locks.ensure_writable(session, ret.period_start, ret.period_end)
        session.execute(delete(Entry).where(Entry.batch_id == batch_id))
        session.add_all(
            Entry(
                indicator_id=ind_id,
                period=batch.period,
                period_start=ret.period_start,
                period_end=ret.period_end,
                unit_id=batch.unit_id,
                value=value,
                note=first.note if first else f"下级报表：{ret.region}",
                batch_id=batch_id,
            )
            for ind_id, value in wanted.items()
        )
        changed += 1
    return changed
