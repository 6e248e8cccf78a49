"""Which of the upper office's indicators a lower region's figure feeds.

A lower indicator is matched, in this order: by the office's own mapping
for it (kept in `return_mapping`, which may also say "none"); by code; by
name and unit of measure. A match must agree in measure (a count never
feeds a level or a percent: the aggregation rules differ), so a code that
means something else in the lower plan is not taken for a match. A
figure of the ledger (`ledger:participants`) feeds nothing unless mapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import Indicator, Plan, ReturnMapping
from desktop.services.return_data import INDICATOR, ReturnRecord

MEASURE_LABELS = {"count": "累计数", "level": "存量", "percent": "百分比"}


@dataclass(frozen=True)
class Match:
    """Where one lower record goes: an upper indicator id, or None with the reason."""

    indicator_id: int | None
    reason: str = ""
    mapped: bool = False


class Matcher:
    """The upper plan's indicators and mappings, read once for a whole import."""

    def __init__(self, session: Session, plan: Plan) -> None:
        self.indicators = list(
            session.scalars(select(Indicator).where(Indicator.plan_id == plan.id))
        )
        self.by_id = {ind.id: ind for ind in self.indicators}
        self.by_code = {ind.code: ind for ind in self.indicators}
        self.by_name: dict[tuple[str, str], Indicator] = {}
        for ind in self.indicators:
            self.by_name.setdefault((ind.name, ind.uom), ind)
        self.mappings = {
            (m.source_code, m.source_name): m.indicator_id
            for m in session.scalars(select(ReturnMapping).where(ReturnMapping.plan_id == plan.id))
        }

    def match(self, record: ReturnRecord) -> Match:
        key = (record.code, record.name)
        if key in self.mappings:
            target = self.mappings[key]
            if target is None:
                return Match(None, "已设为不汇总", mapped=True)
            return Match(target, mapped=True)
        if record.record != INDICATOR:
            return Match(None, "台账合计，未设对应指标")
        candidates = [self.by_code.get(record.code), self.by_name.get((record.name, record.uom))]
        mismatched: Indicator | None = None
        for ind in candidates:
            if ind is None:
                continue
            if ind.measure == record.measure:
                return Match(ind.id)
            mismatched = mismatched or ind
        if mismatched is not None:
            return Match(
                None,
                f"本级“{mismatched.code} {mismatched.name}”计量方式为"
                f"{MEASURE_LABELS[mismatched.measure]}，下级为"
                f"{MEASURE_LABELS.get(record.measure, record.measure)}",
            )
        return Match(None, "本级方案中没有编号或名称相同的指标")


@dataclass
class Unmatched:
    code: str
    name: str
    uom: str
    reason: str


def entry_values(
    matcher: Matcher, records: list[ReturnRecord]
) -> tuple[dict[int, float], list[Unmatched]]:
    """What one return writes: a value per upper indicator, and what matched nothing.

    Two lower figures mapped to one upper indicator add up (counts and
    levels); a percent is never added, so the second is listed instead.
    """
    values: dict[int, float] = {}
    unmatched: list[Unmatched] = []
    for r in records:
        found = matcher.match(r)
        if found.indicator_id is None:
            if r.record == "indicator" and not found.mapped:
                unmatched.append(Unmatched(r.code, r.name, r.uom, found.reason))
            continue
        if r.period_value is None:
            continue
        ind = matcher.by_id[found.indicator_id]
        if found.indicator_id in values:
            if ind.measure == "percent":
                unmatched.append(
                    Unmatched(r.code, r.name, r.uom, f"百分比指标“{ind.name}”已有对应，不能相加")
                )
                continue
            values[found.indicator_id] += r.period_value
        else:
            values[found.indicator_id] = r.period_value
    return values, unmatched
