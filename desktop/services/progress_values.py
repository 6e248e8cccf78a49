"""Each indicator's value over a window, by the aggregation rules: what progress measures.

Counts sum over the window; levels take each unit's (and place's) latest
value up to the window's end; percents are computed from their parts or
taken from the county-wide entry; derived indicators count the ledger's
monthly totals (desktop/services/tally.py). A report reads each window once
for every indicator (`WindowValues`); desktop/services/progress.py turns the
values into completion and status.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.models import (
    ActivityType,
    Entry,
    Indicator,
    Plan,
    Section,
    TargetGroup,
    Task,
    TeamHeadcount,
    Unit,
)
from desktop.services import tally
from desktop.services.tally import Profile, Sums

# A derived rule's metric, and the ledger total it sums.
METRICS = {
    "activities": "activities",
    "sessions": "sessions",
    "participants": "participants",
    "volunteers": "volunteers",
    "volunteer_hours": "volunteer_hours",
    "funding": "funding_fen",
}


def latest_levels(
    ind_id: int | None, start: date | None, end: date, unit_ids: Iterable[int] | None = None
) -> Any:
    """Entries ranked newest first per (indicator, unit, place) up to `end`: rn == 1 is each one's level.

    With no `ind_id`, every indicator's entries are ranked at once; `unit_ids`
    keeps only those units' entries (the lower regions, one level up).
    """
    conds = [Entry.period_end <= end]
    if ind_id is not None:
        conds.append(Entry.indicator_id == ind_id)
    if unit_ids is not None:
        conds.append(Entry.unit_id.in_(list(unit_ids)))
    if start is not None:
        conds.append(Entry.period_start >= start)
    return (
        select(
            Entry.indicator_id,
            Entry.unit_id,
            Entry.value,
            func.row_number()
            .over(
                partition_by=(Entry.indicator_id, Entry.unit_id, Entry.place_id),
                order_by=(Entry.period_end.desc(), Entry.id.desc()),
            )
            .label("rn"),
        )
        .where(*conds)
        .subquery()
    )


def entries_by_unit(
    session: Session, ind: Indicator, start: date, end: date, latest_from: date | None = None
) -> dict[int | None, float]:
    """What each reporting unit contributes to `ind` over the window, by the aggregation rule.

    Counts sum within the window; levels take each unit's (and place's)
    latest value up to the window's end (from `latest_from` on, when the
    window is a year), and so does a percent, which is never summed: a unit
    reports it at one place. The indicator's figure is the sum of these,
    exactly as `measure_indicator` computes it (percents apart).
    """
    if ind.measure in ("level", "percent"):
        ranked = latest_levels(ind.id, latest_from, end)
        rows = session.execute(
            select(ranked.c.unit_id, func.sum(ranked.c.value))
            .where(ranked.c.rn == 1)
            .group_by(ranked.c.unit_id)
        )
    else:
        rows = session.execute(
            select(Entry.unit_id, func.sum(Entry.value))
            .where(
                Entry.indicator_id == ind.id, Entry.period_start >= start, Entry.period_end <= end
            )
            .group_by(Entry.unit_id)
        )
    return {unit_id: float(value) for unit_id, value in rows}


def team_headcount(session: Session, end: date) -> float | None:
    """Registered volunteers at `end`: each team's latest headcount, summed."""
    ranked = (
        select(
            TeamHeadcount.headcount,
            func.row_number()
            .over(partition_by=TeamHeadcount.team_id, order_by=TeamHeadcount.as_of.desc())
            .label("rn"),
        )
        .where(TeamHeadcount.as_of <= end)
        .subquery()
    )
    return session.scalar(select(func.sum(ranked.c.headcount)).where(ranked.c.rn == 1))


class WindowValues:
    """Each indicator's value over a window, from data read once per window, not per indicator.

    A report asks about three or four windows (the plan period, the year,
    the reporting period, all time for a stock); each window's ledger totals
    and entry sums are read in one pass and shared by every indicator.
    """

    def __init__(self, session: Session, plan: Plan) -> None:
        self.s = session
        self.plan = plan
        self._profiles: dict[tuple[date, date], dict[Profile, Sums]] = {}
        self._entry_sums: dict[tuple[date, date], dict[int, float]] = {}
        self._entry_levels: dict[tuple[date | None, date], dict[int, float]] = {}
        self._county_percents: dict[tuple[date | None, date], dict[int, float]] = {}
        self._headcounts: dict[date, float | None] = {}
        self._names: dict[str, dict[str, int]] | None = None

    def entries_count(self, ind: Indicator, start: date, end: date) -> float | None:
        key = (start, end)
        if key not in self._entry_sums:
            rows = self.s.execute(
                select(Entry.indicator_id, func.sum(Entry.value))
                .where(Entry.period_start >= start, Entry.period_end <= end)
                .group_by(Entry.indicator_id)
            )
            self._entry_sums[key] = {ind_id: value for ind_id, value in rows}
        return self._entry_sums[key].get(ind.id)

    def entries_level(self, ind_id: int, start: date | None, end: date) -> float | None:
        """Each (unit, place)'s latest value up to `end`, summed."""
        key = (start, end)
        if key not in self._entry_levels:
            ranked = latest_levels(None, start, end)
            rows = self.s.execute(
                select(ranked.c.indicator_id, func.sum(ranked.c.value))
                .where(ranked.c.rn == 1)
                .group_by(ranked.c.indicator_id)
            )
            self._entry_levels[key] = {i: value for i, value in rows}
        return self._entry_levels[key].get(ind_id)

    def county_percent(self, ind_id: int, latest_from: date | None, end: date) -> float | None:
        """The latest county-wide entry of a percent, up to `end`."""
        key = (latest_from, end)
        if key not in self._county_percents:
            conds = [Entry.unit_id.is_(None), Entry.period_end <= end]
            if latest_from is not None:
                conds.append(Entry.period_start >= latest_from)
            ranked = (
                select(
                    Entry.indicator_id,
                    Entry.value,
                    func.row_number()
                    .over(
                        partition_by=Entry.indicator_id,
                        order_by=(Entry.period_end.desc(), Entry.id.desc()),
                    )
                    .label("rn"),
                )
                .where(*conds)
                .subquery()
            )
            rows = self.s.execute(
                select(ranked.c.indicator_id, ranked.c.value).where(ranked.c.rn == 1)
            )
            self._county_percents[key] = {i: value for i, value in rows}
        return self._county_percents[key].get(ind_id)

    def entries_percent(
        self, ind: Indicator, start: date, end: date, latest_from: date | None
    ) -> float | None:
        if ind.numerator_id and ind.denominator_id:
            parts = [
                self.s.get(Indicator, ind.numerator_id),
                self.s.get(Indicator, ind.denominator_id),
            ]
            if any(part is None or part.measure == "percent" for part in parts):
                return None
            num, den = (self.value(part, start, end, latest_from) for part in parts)
            if num is None or not den:
                return None
            return num / den * 100
        return self.county_percent(ind.id, latest_from, end)

    def _ids(self, kind: str) -> dict[str, int]:
        """Names and codes a rule may use, resolved to ids once per report."""
        if self._names is None:
            self._names = {
                "types": dict(self.s.execute(select(ActivityType.code, ActivityType.id)).all()),
                "groups": dict(self.s.execute(select(TargetGroup.name, TargetGroup.id)).all()),
                "units": dict(self.s.execute(select(Unit.name, Unit.id)).all()),
                "tasks": dict(
                    self.s.execute(
                        select(Task.code, Task.id)
                        .join(Section)
                        .where(Section.plan_id == self.plan.id)
                    ).all()
                ),
            }
        return self._names[kind]

    def _wanted(self, rule: dict, key: str, kind: str) -> set[int] | None:
        """The ids a rule's list names (None when the rule does not restrict by it)."""
        names = rule.get(key)
        if not names:
            return None
        ids = self._ids(kind)
        return {ids[name] for name in names if name in ids}

    def derived(self, ind: Indicator, start: date, end: date) -> float | None:
        rule = ind.rule or {}
        metric = rule.get("metric", "activities")
        if metric == "registered_volunteers":
            return self.team_headcount(end)
        types = self._wanted(rule, "activity_types", "types")
        groups = self._wanted(rule, "target_groups", "groups")
        tasks = self._wanted(rule, "tasks", "tasks")
        units = self._wanted(rule, "units", "units")
        if (start, end) not in self._profiles:
            self._profiles[(start, end)] = tally.window(self.s, start, end)
        count, value = 0, 0.0
        for profile, sums in self._profiles[(start, end)].items():
            if (
                (types is None or profile.type_id in types)
                and (units is None or profile.unit_id in units)
                and (groups is None or not groups.isdisjoint(profile.groups))
                and (tasks is None or not tasks.isdisjoint(profile.tasks))
            ):
                count += sums.activities
                value += (
                    sums.activities if metric == "activities" else getattr(sums, METRICS[metric])
                )
        if not count:
            return None
        return value / 100 if metric == "funding" else float(value)

    def team_headcount(self, end: date) -> float | None:
        if end not in self._headcounts:
            self._headcounts[end] = team_headcount(self.s, end)
        return self._headcounts[end]

    def value(
        self, ind: Indicator, start: date, end: date, latest_from: date | None
    ) -> float | None:
        """Aggregate per the measure: counts over [start, end], stocks as of `end`."""
        if ind.source == "derived":
            # A lower region's return feeds a derived indicator through entries
            # (desktop/services/returns.py): the office's own ledger plus theirs.
            if ind.measure == "count":
                parts = (self.derived(ind, start, end), self.entries_count(ind, start, end))
            else:
                parts = (
                    self.derived(ind, latest_from or date.min, end),
                    self.entries_level(ind.id, latest_from, end),
                )
            known = [part for part in parts if part is not None]
            return sum(known) if known else None
        if ind.measure == "count":
            return self.entries_count(ind, start, end)
        if ind.measure == "level":
            return self.entries_level(ind.id, latest_from, end)
        return self.entries_percent(ind, start, end, latest_from)
