"""The roll-up one level up (汇总下级报表): lower regions' returns, consolidated.

A city office (or a county over its townships) imports the returns its
regions exported. Each region becomes a unit of kind `region` the first time
it reports; an accepted return is an import batch of that unit, its whole
data sheet is kept (`return_figure`), and each figure matched to one of the
office's indicators (desktop/services/return_matching.py) is written as an
entry of the region's unit for the return's period. From there the one set
of aggregation rules applies (desktop/services/progress.py): counts summed
over regions, levels the latest per region summed, percents never summed.

All files of one import are one transaction: a refused file means nothing
is written. The same file again changes nothing; a different return for a
region and period already received replaces it only when asked, and the
replacement is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from desktop.db import Database
from desktop.errors import ServiceError, ValidationError
from desktop.limits import checked
from desktop.models import (
    Entry,
    ImportBatch,
    Indicator,
    Plan,
    RegionReturn,
    ReturnFigure,
    Unit,
)
from desktop.services import audit, locks
from desktop.services.periods import Period, parse_period
from desktop.services.plans import active_plan, plan_for
from desktop.services.reference import find_unit, normalise_name
from desktop.services.region_figures import RegionTable, region_table, region_units, returns_report
from desktop.services.reporting import REGION_KIND, RETURN_BATCH, PeriodReport, last_ended
from desktop.services.return_data import ReturnFile, UnreadableReturn
from desktop.services.return_mapping import (
    LowerIndicator,
    consolidate_again,
    lower_indicators,
    set_mapping,
)
from desktop.services.return_matching import Matcher, Unmatched, entry_values

IMPORTED, REPLACED, UNCHANGED, REFUSED = "imported", "replaced", "unchanged", "refused"
ACTION_LABELS = {IMPORTED: "已导入", REPLACED: "已替换", UNCHANGED: "未变化", REFUSED: "未导入"}


@dataclass
class ReturnOutcome:
    file: str
    region: str = ""
    period: str = ""
    action: str = REFUSED
    message: str = ""
    matched: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)
    replaceable: bool = False  # refused only because an earlier return would be replaced

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class ReturnImportResult:
    outcomes: list[ReturnOutcome]
    written: bool
    backup: Path | None = None

    @property
    def refused(self) -> list[ReturnOutcome]:
        return [o for o in self.outcomes if o.action == REFUSED]

    @property
    def replace_would_do(self) -> bool:
        """Whether every refusal is a return already received, which --replace would take."""
        return bool(self.refused) and all(o.replaceable for o in self.refused)


class _Refused(ServiceError):
    pass


class _AlreadyReceived(_Refused):
    """A different return for a region and period already received: replaceable when asked."""


class _Identical(Exception):
    """The file is the very return already received for its region and period."""


class _NotWritten(Exception):
    def __init__(self, outcomes: list[ReturnOutcome]) -> None:
        super().__init__("not written")
        self.outcomes = outcomes


def current_returns(session: Session, unit_id: int | None = None) -> list[RegionReturn]:
    """Returns that count: not replaced, their batch not undone."""
    stmt = (
        select(RegionReturn)
        .join(ImportBatch, ImportBatch.id == RegionReturn.batch_id)
        .where(RegionReturn.replaced_at.is_(None), ImportBatch.undone_at.is_(None))
    )
    if unit_id is not None:
        stmt = stmt.where(ImportBatch.unit_id == unit_id)
    return list(session.scalars(stmt))


def _check_values(matcher: Matcher, values: dict[int, float]) -> None:
    for ind_id, value in values.items():
        ind = matcher.by_id[ind_id]
        try:
            checked("value", value, f"指标“{ind.name}”的数值")
        except ServiceError as exc:
            raise _Refused(str(exc)) from exc
        if ind.measure == "percent" and value > 100:
            raise _Refused(f"指标“{ind.name}”是百分比，数值 {value:g} 超过 100。")


def _write_entries(
    s: Session, batch: ImportBatch, ret: RegionReturn, values: dict[int, float]
) -> None:
    rows = [
        {
            "indicator_id": ind_id,
            "period": batch.period,
            "period_start": ret.period_start,
            "period_end": ret.period_end,
            "unit_id": batch.unit_id,
            "place_id": None,
            "value": value,
            "note": f"下级报表：{ret.region}",
            "batch_id": batch.id,
        }
        for ind_id, value in values.items()
    ]
    if rows:
        s.execute(insert(Entry), rows)


def _region_unit(s: Session, plan: Plan, region: str) -> Unit:
    if region == plan.region:
        raise _Refused(f"这是本级（{plan.region}）自己的报表，不能作为下级报表汇总。")
    unit = find_unit(s, region)
    if unit is None:
        count = s.query(Unit).count()
        unit = Unit(name=region, kind=REGION_KIND, sort_order=count)
        s.add(unit)
        s.flush()
    elif unit.kind != REGION_KIND:
        raise _Refused(f"“{region}”是本级的成员单位，不是下级地区，不能导入其报表。")
    return unit


def _period(s: Session, f: ReturnFile) -> tuple[Period, Plan]:
    """The return's period and the upper plan covering it (2025 returns after a rollover go to
    2021–2025)."""
    try:
        period = parse_period(f.period)
        plan = plan_for(s, period)
    except ServiceError as exc:
        raise _Refused(f"{exc}本级方案为“{active_plan(s).name}”。") from exc
    if (period.start, period.end) != (f.period_start, f.period_end):
        raise _Refused(f"报表的统计期 {f.period} 与其起止日期不符，文件已损坏。")
    return period, plan


def _earlier_periods_missing(
    s: Session, plan: Plan, unit: Unit, period: Period, f: ReturnFile
) -> bool:
    """Whether the region counted figures before this period that no return here holds.

    Counts are consolidated from each return's own period, so a city that
    starts with a county's 2024 return lacks that county's 2021–2023.
    """
    if period.start <= date(plan.first_year, 1, 1):
        return False
    if any(r.period_end < period.start for r in current_returns(s, unit.id)):
        return False
    return any(
        r.measure == "count"
        and r.cumulative is not None
        and (r.cumulative - (r.period_value or 0)) > 1e-9 * max(1.0, abs(r.cumulative))
        for r in f.indicators
    )


class ReturnsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def import_returns(
        self,
        files: list[ReturnFile],
        unreadable: list[UnreadableReturn] | None = None,
        dry_run: bool = False,
        replace: bool = False,
    ) -> ReturnImportResult:
        """Check and consolidate read returns as one transaction (see the module's docstring)."""
        failed = [ReturnOutcome(u.path.name, message=u.message) for u in unreadable or []]
        backup = None
        if not dry_run and files and not failed and self.db.path is not None:
            backup = self.db.backup(label="pre-return-import")
        try:
            with self.db.transaction() as s:
                matchers: dict[int, Matcher] = {}
                seen: dict[tuple[str, str], str] = {}
                # Earlier periods first, so a region's later return knows its earlier ones.
                outcomes: list[ReturnOutcome] = [ReturnOutcome("")] * len(files)
                for i in sorted(range(len(files)), key=lambda i: files[i].period_start):
                    outcomes[i] = self._one(s, matchers, files[i], replace, seen)
                refused = failed or any(o.action == REFUSED for o in outcomes)
                if dry_run or refused or all(o.action == UNCHANGED for o in outcomes):
                    raise _NotWritten(outcomes)
        except BaseException as exc:
            if backup is not None:
                backup.unlink(missing_ok=True)
            if not isinstance(exc, _NotWritten):
                raise
            return ReturnImportResult(failed + exc.outcomes, written=False)
        return ReturnImportResult(failed + outcomes, written=True, backup=backup)

    def _one(
        self,
        s: Session,
        matchers: dict[int, Matcher],
        f: ReturnFile,
        replace: bool,
        seen: dict[tuple[str, str], str],
    ) -> ReturnOutcome:
        outcome = ReturnOutcome(f.path.name, f.region, f.period)
        try:
            period, plan = _period(s, f)
            if plan.id not in matchers:
                matchers[plan.id] = Matcher(s, plan)
            matcher = matchers[plan.id]
            outcome.period = period.label
            key = (f.region, period.code)
            if key in seen:
                raise _Refused(
                    f"与本次导入的“{seen[key]}”是同一地区、同一统计期的报表，请只选一个。"
                )
            seen[key] = f.path.name
            unit = _region_unit(s, plan, f.region)
            values, outcome.unmatched = entry_values(matcher, list(f.records))
            outcome.matched = len(values)
            _check_values(matcher, values)
            earlier = self._earlier(s, unit, period, f, replace)
            locks.ensure_writable(s, period.start, period.end)
        except _Identical:
            outcome.action = UNCHANGED
            outcome.message = "与已导入的报表完全相同，未作更改。"
            return outcome
        except ServiceError as exc:
            outcome.message = str(exc)
            outcome.replaceable = isinstance(exc, _AlreadyReceived)
            return outcome
        batch = ImportBatch(
            kind=RETURN_BATCH,
            file_name=f.path.name[:260],
            sha256=f.sha256,
            unit_id=unit.id,
            period=period.code,
            rows=len(f.records),
            operator=audit.current_user(),
            imported_at=datetime.now(),  # the office's own clock: its date decides 逾期报送
        )
        s.add(batch)
        s.flush()
        ret = RegionReturn(
            batch_id=batch.id,
            region=f.region,
            plan_code=f.plan_code,
            period_start=period.start,
            period_end=period.end,
            as_of=f.as_of,
        )
        s.add(ret)
        s.flush()
        s.execute(
            insert(ReturnFigure),
            [
                {
                    "batch_id": batch.id,
                    "record": r.record,
                    "code": r.code[:80],
                    "name": r.name[:200],
                    "uom": r.uom[:20],
                    "measure": r.measure[:10],
                    "target": r.target,
                    "period_value": r.period_value,
                    "cumulative": r.cumulative,
                    "sort_order": i,
                }
                for i, r in enumerate(f.records)
            ],
        )
        _write_entries(s, batch, ret, values)
        summary = f"导入下级报表 {f.path.name}（{f.region} {period.label}）：{len(values)} 项指标"
        if earlier is not None:
            self._replace(s, earlier, batch, f)
            outcome.action = REPLACED
            outcome.message = f"已替换先前导入的报表；汇总 {len(values)} 项指标。"
        else:
            outcome.action = IMPORTED
            outcome.message = f"汇总 {len(values)} 项指标。"
        if _earlier_periods_missing(s, plan, unit, period, f):
            outcome.message += (
                f"注意：{f.region}的累计完成含{period.label}以前的数，本级只汇总已导入各期的本期数；"
                "请一并导入该地区此前各期的报表。"
            )
        audit.record(s, "import", "import_batch", batch.id, summary, {"sha256": f.sha256})
        return outcome

    def _earlier(
        self, s: Session, unit: Unit, period: Period, f: ReturnFile, replace: bool
    ) -> RegionReturn | None:
        """The current return this one would replace; _Identical when it is that very file."""
        for ret in current_returns(s, unit.id):
            batch = s.get(ImportBatch, ret.batch_id)
            assert batch is not None
            if batch.period == period.code:
                if batch.sha256 == f.sha256:
                    raise _Identical()
                if not replace:
                    raise _AlreadyReceived(
                        f"已导入{f.region}{period.label}的报表（{batch.file_name}，"
                        f"导入于 {batch.imported_at:%Y-%m-%d %H:%M}）。"
                        "如确需用这个文件替换，请选择“替换”（命令行加 --replace）。"
                    )
                locks.ensure_writable(s, ret.period_start, ret.period_end)
                return ret
            if ret.period_start <= period.end and period.start <= ret.period_end:
                raise _Refused(
                    f"已有{f.region}{parse_period(batch.period or '').label}的报表，"
                    f"与{period.label}时间重叠：同一地区按一种统计期汇总，数字才不会重复。"
                )
        return None

    def _replace(self, s: Session, old: RegionReturn, new: ImportBatch, f: ReturnFile) -> None:
        old_batch = s.get(ImportBatch, old.batch_id)
        assert old_batch is not None
        now = datetime.now()
        old.replaced_at = now
        old_batch.undone_at = now
        s.execute(delete(Entry).where(Entry.batch_id == old.batch_id))
        audit.record(
            s,
            "replace",
            "region_return",
            new.id,
            f"替换下级报表：{f.region} {parse_period(new.period or '').label}"
            f"（{old_batch.file_name} → {f.path.name}）",
            {
                "sha256": [old_batch.sha256, f.sha256],
                "batch": [old_batch.id, new.id],
                "file_name": [old_batch.file_name, f.path.name],
            },
        )

    def regions(self) -> list[Unit]:
        with self.db.reading() as s:
            return list(
                s.scalars(
                    select(Unit).where(Unit.kind == REGION_KIND).order_by(Unit.sort_order, Unit.id)
                )
            )

    def add_region(self, name: str) -> Unit:
        """Register a region expected to report before its first return arrives."""
        with self.db.transaction() as s:
            plan = active_plan(s)
            name = normalise_name(name)
            if not name:
                raise ValidationError("请填写下级地区的名称。", "name")
            known = find_unit(s, name) is not None
            try:
                unit = _region_unit(s, plan, name)
            except _Refused as exc:
                raise ValidationError(str(exc), "name") from exc
            if not known:
                audit.record(s, "create", "unit", unit.id, f"登记下级地区：{unit.name}")
            return unit

    def indicator_codes(self) -> list[tuple[str, str]]:
        """The office's indicators (code, name) a lower figure may be mapped to."""
        with self.db.reading() as s:
            plan = active_plan(s)
            return list(
                s.execute(
                    select(Indicator.code, Indicator.name)
                    .where(Indicator.plan_id == plan.id)
                    .order_by(Indicator.sort_order)
                )
            )

    # --- what the returns say -------------------------------------------
    def status(self, period_code: str) -> PeriodReport:
        with self.db.reading() as s:
            return returns_report(s, parse_period(period_code))

    def table(self, period_code: str) -> RegionTable:
        with self.db.reading() as s:
            return region_table(s, parse_period(period_code))

    def current(self, today: date) -> PeriodReport | None:
        """Who has reported for the last period ended by `today`, of the kind regions send;
        None when the office has no lower regions or no such period has ended in its plan."""
        with self.db.reading() as s:
            if not region_units(s):
                return None
            plan = active_plan(s)
            code = s.scalar(
                select(ImportBatch.period)
                .where(ImportBatch.kind == RETURN_BATCH, ImportBatch.period.is_not(None))
                .order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc())
                .limit(1)
            )
            kind = parse_period(code).kind if code else "year"
            period = last_ended(min(today, date(plan.last_year, 12, 31)), kind)
            if period.year < plan.first_year:
                return None
            return returns_report(s, period)

    def has_regions(self) -> bool:
        with self.db.reading() as s:
            return bool(region_units(s))

    # --- mappings --------------------------------------------------------
    def lower_indicators(self) -> list[LowerIndicator]:
        """Every lower indicator in the returns that count, with the upper one it feeds."""
        with self.db.reading() as s:
            current = [r.batch_id for r in current_returns(s)]
            return lower_indicators(s, active_plan(s), current)

    def set_mapping(self, source_code: str, source_name: str, indicator_code: str | None) -> int:
        """Keep a mapping and consolidate the received returns again; how many changed."""
        with self.db.transaction() as s:
            plan = active_plan(s)
            set_mapping(s, plan, source_code, source_name, indicator_code)
            return consolidate_again(s, plan, [r.batch_id for r in current_returns(s)])
