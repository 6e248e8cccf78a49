"""Collection workbooks from the database and back into it, as import batches that can be undone.

The files themselves belong to the file layers above: a unit's workbook is
written (desktop/exporting/collection_template.py) from the `TemplateSpec`
built here, and a filled-in one is read (desktop/importing/collection_workbook.py)
into a `CollectionFile` that is checked and written here. So the rules of an
import live with the rest of the domain, and no service opens a workbook.

One import is one transaction: every read file is checked row by row, and
nothing is written unless every file is valid, or the caller
explicitly takes only the valid rows. Each file becomes an ImportBatch; what
it added carries the batch id, so undoing the batch removes exactly that. An
activity's import key (unit + date + title) makes re-importing the same
file, or a corrected copy of it, add nothing twice. A backup of the
database is made before anything is written.

The check runs in memory with every lookup loaded once (import_check.py);
the activities then go in through the bulk path (bulk.py) in chunks, with
progress and cancel between them. A dry run checks the very same way in a
transaction that is rolled back, so what it reports is what a real import
would do. A file's activities are written before the next file is checked,
so a later file meets them as the ledger would; the last file's are written
only when the import is going to be kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from desktop.collection_layout import task_option
from desktop.collection_rows import CollectionFile, Problem
from desktop.db import Database, refresh_statistics
from desktop.errors import NotFoundError, ServiceError
from desktop.models import (
    Activity,
    ActivityType,
    Entry,
    ImportBatch,
    PeriodLock,
    Place,
    Plan,
    Section,
    Setting,
    TargetGroup,
    Task,
    TaskUnit,
    Unit,
)
from desktop.services import audit, bulk, locks
from desktop.services.activities import ActivityInput
from desktop.services.entry_grid import unit_indicators
from desktop.services.flags import Flag, imported_flags, unwritten_activity_flags
from desktop.services.import_check import Lookups
from desktop.services.import_pass import (
    FileOutcome,
    Progress,
    Report,
    check_file,
    write_accepted,
)
from desktop.services.periods import Period, parse_period
from desktop.services.plans import active_plan, plan_for, plan_tasks, unit_tasks

TARGET_LABELS = {
    "period": "方案期目标",
    "annual": "年度目标",
    "per_year": "年度目标",
    "end": "期末目标",
}


@dataclass(frozen=True)
class TemplateTask:
    code: str
    title: str
    role: str  # 牵头 / 配合


@dataclass(frozen=True)
class TemplateIndicator:
    code: str
    name: str
    uom: str
    target_text: str


@dataclass(frozen=True)
class TemplateSpec:
    """What one unit's collection workbook holds, read from the database for the writer
    (desktop/exporting/collection_template.py)."""

    unit_name: str
    period: Period
    plan_code: str
    plan_name: str
    office_name: str
    types: list[str]
    places: list[str]
    groups: list[str]
    tasks: list[TemplateTask]
    task_options: list[str]
    indicators: list[TemplateIndicator]


@dataclass
class ImportResult:
    files: list[FileOutcome]
    written: bool
    backup: Path | None = None
    flags: list[Flag] = field(default_factory=list)  # a dry run's 疑似异常, for its review

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    @property
    def activities(self) -> int:
        return sum(f.activities for f in self.files)

    @property
    def entries(self) -> int:
        return sum(f.entries for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)


@dataclass(frozen=True)
class BatchRow:
    id: int
    kind: str
    file_name: str
    unit_name: str
    rows: int
    operator: str
    imported_at: datetime
    undone_at: datetime | None
    activities: int
    entries: int


def _file_plan(session: Session, parsed: CollectionFile) -> Plan:
    """The plan a workbook was made under: its period's (a workbook of an unreadable period is
    checked against the active plan, and refused there for its period)."""
    try:
        return plan_for(session, parse_period(parsed.period_code))
    except ServiceError:
        return active_plan(session)


def template_spec(session: Session, unit_id: int, period: Period) -> TemplateSpec:
    plan = plan_for(session, period)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError("单位不存在。")
    all_tasks = plan_tasks(session, plan.id)
    own_roles = unit_tasks(session, unit_id, all_tasks)
    own = [t for t, _ in own_roles]
    tasks = [
        TemplateTask(t.code, t.title, "牵头" if role == "lead" else "配合") for t, role in own_roles
    ]
    options = [task_option(t.code, t.title) for t in (own or all_tasks)]
    indicators = []
    for ind in unit_indicators(session, unit_id, plan):
        target = ind.target_for(period.year)
        target_text = (
            f"{target:g}（{TARGET_LABELS.get(ind.target_mode, '目标')}）"
            if target is not None
            else ""
        )
        indicators.append(TemplateIndicator(ind.code, ind.name, ind.uom, target_text))
    office_name = session.get(Setting, "office_name")
    return TemplateSpec(
        unit_name=unit.name,
        period=period,
        plan_code=plan.code,
        plan_name=plan.name,
        office_name=office_name.value if office_name and office_name.value else plan.region,
        types=list(session.scalars(select(ActivityType.name).order_by(ActivityType.sort_order))),
        places=list(
            session.scalars(
                select(Place.name).where(Place.kind != "county").order_by(Place.sort_order)
            )
        ),
        groups=list(session.scalars(select(TargetGroup.name).order_by(TargetGroup.sort_order))),
        tasks=tasks,
        task_options=options,
        indicators=indicators,
    )


class _NotWritten(Exception):
    """Rolls the checked import back; carries what the check found."""

    def __init__(self, outcomes: list[FileOutcome], flags: list[Flag] | None = None) -> None:
        super().__init__()
        self.outcomes = outcomes
        self.flags = flags or []


class ImportService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- templates -------------------------------------------------------
    def template_spec(self, unit_id: int, period_code: str) -> TemplateSpec:
        with self.db.reading() as s:
            return template_spec(s, unit_id, parse_period(period_code))

    def template_units(self) -> list[Unit]:
        """Member units that get a workbook: every active unit named in the active plan."""
        with self.db.reading() as s:
            plan = active_plan(s)
            linked = (
                select(TaskUnit.unit_id).join(Task).join(Section).where(Section.plan_id == plan.id)
            )
            return list(
                s.scalars(
                    select(Unit)
                    .where(Unit.active.is_(True), Unit.id.in_(linked))
                    .order_by(Unit.sort_order, Unit.id)
                )
            )

    # --- imports ---------------------------------------------------------
    def import_files(
        self,
        parsed: Sequence[CollectionFile],
        unreadable: Sequence[Problem] = (),
        dry_run: bool = False,
        valid_only: bool = False,
        progress: Report | None = None,
    ) -> ImportResult:
        """Check and import read collection workbooks as one transaction.

        `unreadable` holds the one problem of each file that could not be
        read at all (desktop/importing/collection_workbook.py reads them:
        `import_workbooks`); it counts as a problem of the import. Without
        `valid_only`, any problem in any file means nothing is written. With
        it, the valid rows are written and the rest reported.
        """
        failed = [FileOutcome(p.file, problems=[p], fatal=True) for p in unreadable]
        # Copied before the check-and-write pass, since whether it writes is
        # known only inside it; dropped again when nothing was written.
        backup = None
        if not dry_run and parsed and self.db.path is not None:
            backup = self.db.backup(label="pre-import")
        try:
            with self.db.transaction() as s:
                unwritten: list[ActivityInput] = []
                outcomes = self._run(
                    s, list(parsed), progress, dry_run, valid_only, bool(failed), unwritten
                )
                any_problem = bool(failed) or any(o.problems for o in outcomes)
                writes = sum(o.activities + o.entries for o in outcomes)
                if dry_run or writes == 0 or (any_problem and not valid_only):
                    flags = self._preview_flags(s, outcomes, unwritten) if dry_run else []
                    raise _NotWritten(outcomes, flags)
        except BaseException as exc:
            if backup is not None:
                backup.unlink(missing_ok=True)
            if not isinstance(exc, _NotWritten):
                raise
            for outcome in exc.outcomes:
                outcome.batch_id = None  # rolled back: no batch exists
            return ImportResult(failed + exc.outcomes, written=False, flags=exc.flags)
        return ImportResult(failed + outcomes, written=True, backup=backup)

    @staticmethod
    def _preview_flags(
        s: Session, outcomes: list[FileOutcome], unwritten: list[ActivityInput]
    ) -> list[Flag]:
        """疑似异常 among what a dry run would write, shown in its review before anything is."""
        batches = [o.batch_id for o in outcomes if o.batch_id is not None]
        found = imported_flags(s, batches) if batches else []
        return found + unwritten_activity_flags(s, unwritten)

    def _run(
        self,
        s: Session,
        parsed: list[CollectionFile],
        progress: Report | None,
        dry_run: bool,
        valid_only: bool,
        failed: bool,
        unwritten: list[ActivityInput],
    ) -> list[FileOutcome]:
        """Check and write the parsed files in `s`; a cancel raises, so the transaction rolls back.

        Progress counts each row checked, then each activity row of a file
        whose activities are written (all of them in a real import; in a dry
        run, those of every file but the last).
        """
        lookups: dict[
            int, Lookups
        ] = {}  # one per plan: a 2025 and a 2026 workbook may come together
        last = len(parsed) - 1
        rows = sum(len(f.activities) + len(f.indicators) for f in parsed)
        writing = [not dry_run or i < last for i in range(len(parsed))]
        steps = Progress(
            progress,
            rows + sum(len(f.activities) for f, w in zip(parsed, writing, strict=True) if w),
        )
        outcomes: list[FileOutcome] = []
        wrote = False
        for i, parsed_file in enumerate(parsed):
            plan = _file_plan(s, parsed_file)
            if plan.id not in lookups:
                lookups[plan.id] = Lookups(s, plan)
            outcome, accepted = check_file(s, plan, lookups[plan.id], parsed_file, steps)
            outcomes.append(outcome)
            if not writing[i]:
                if accepted is not None:
                    unwritten.extend(data for data, _ in accepted.rows)
                continue
            problems = failed or any(o.problems for o in outcomes)
            kept = not dry_run and (valid_only or not problems)
            written = 0
            if accepted is not None and accepted.rows and (i < last or kept):
                write_accepted(s, accepted, steps)
                written = len(accepted.rows)
                wrote = True
            if len(parsed_file.activities) > written:
                steps.step(len(parsed_file.activities) - written)
        if wrote:
            refresh_statistics(s)  # the planner's picture of the ledger, for its new size
        steps.finish()
        return outcomes

    # --- batches ---------------------------------------------------------
    def batches(self) -> list[BatchRow]:
        acts = (
            select(Activity.batch_id, func.count(Activity.id).label("n"))
            .group_by(Activity.batch_id)
            .subquery()
        )
        ents = (
            select(Entry.batch_id, func.count(Entry.id).label("n"))
            .group_by(Entry.batch_id)
            .subquery()
        )
        stmt = (
            select(ImportBatch, Unit.name, acts.c.n, ents.c.n)
            .outerjoin(Unit, Unit.id == ImportBatch.unit_id)
            .outerjoin(acts, acts.c.batch_id == ImportBatch.id)
            .outerjoin(ents, ents.c.batch_id == ImportBatch.id)
            .order_by(ImportBatch.id.desc())
        )
        with self.db.reading() as s:
            return [
                BatchRow(
                    b.id,
                    b.kind,
                    b.file_name,
                    unit or "",
                    b.rows,
                    b.operator,
                    b.imported_at,
                    b.undone_at,
                    a or 0,
                    e or 0,
                )
                for b, unit, a, e in s.execute(stmt)
            ]

    def undo(self, batch_id: int) -> tuple[int, int]:
        """Remove everything one batch added, in one transaction; returns (activities, entries).

        Set-wise whatever the batch's size: one query finds whether any of
        its rows lies in a locked period, one statement deletes its entries
        and one (bulk.delete_activities) its activities.
        """
        with self.db.transaction() as s:
            batch = s.get(ImportBatch, batch_id)
            if batch is None:
                raise NotFoundError(f"没有编号为 {batch_id} 的导入批次。")
            if batch.undone_at is not None:
                raise ServiceError(f"批次 {batch_id} 已于 {batch.undone_at:%Y-%m-%d %H:%M} 撤销。")
            open_lock = PeriodLock.unlocked_at.is_(None)
            locked_day = s.scalar(
                select(Activity.start_date)
                .join(
                    PeriodLock,
                    and_(
                        PeriodLock.start <= Activity.start_date,
                        PeriodLock.end >= Activity.start_date,
                    ),
                )
                .where(Activity.batch_id == batch_id, open_lock)
                .limit(1)
            )
            if locked_day is not None:
                locks.ensure_writable(s, locked_day)
            locked_entry = s.execute(
                select(Entry.period_start, Entry.period_end)
                .join(
                    PeriodLock,
                    and_(
                        PeriodLock.start <= Entry.period_end, PeriodLock.end >= Entry.period_start
                    ),
                )
                .where(Entry.batch_id == batch_id, open_lock)
                .limit(1)
            ).first()
            if locked_entry is not None:
                locks.ensure_writable(s, *locked_entry)
            activity_ids = list(s.scalars(select(Activity.id).where(Activity.batch_id == batch_id)))
            entry_ids = list(s.scalars(select(Entry.id).where(Entry.batch_id == batch_id)))
            s.execute(delete(Entry).where(Entry.batch_id == batch_id))
            bulk.delete_activities(s, bulk.ACTIVITY.c.batch_id == batch_id)
            batch.undone_at = datetime.now()
            audit.record(
                s,
                "undo",
                "import_batch",
                batch.id,
                f"撤销导入批次 {batch.id}（{batch.file_name}）：删除活动 {len(activity_ids)} 条，"
                f"指标数据 {len(entry_ids)} 条",
                {"activity_ids": [activity_ids, None], "entry_ids": [entry_ids, None]},
            )
            return len(activity_ids), len(entry_ids)
