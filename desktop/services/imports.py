"""Collection workbooks in and out, as import batches that can be undone.

One import is one transaction: every file is checked row by row, and
nothing is written unless every file is valid, or the caller explicitly
takes only the valid rows. Each file becomes an ImportBatch; what it added
carries the batch id, so undoing the batch removes exactly that. An
activity's import key (unit + date + title) makes re-importing the same
file, or a corrected copy of it, add nothing twice. A backup of the
database is made before anything is written.

A dry run performs the very same writes in a transaction that is rolled
back, so what it reports is what a real import would do.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desktop.db import Database
from desktop.errors import LockedError, NotFoundError, ServiceError, ValidationError
from desktop.exporting.collection_template import (
    ACTIVITY_COLUMNS,
    ACTIVITY_SHEET,
    INDICATOR_SHEET,
    TemplateIndicator,
    TemplateSpec,
    TemplateTask,
    safe_file_name,
    task_option,
    write_template,
)
from desktop.importing.collection_workbook import (
    CollectionFile,
    CollectionFileError,
    Problem,
    RowRecord,
    read_collection,
)
from desktop.models import (
    Activity,
    ActivityType,
    Entry,
    ImportBatch,
    Indicator,
    Place,
    Plan,
    Section,
    Setting,
    TargetGroup,
    Task,
    TaskUnit,
    Unit,
)
from desktop.services import audit, locks
from desktop.services.activities import ActivityInput, add_activity
from desktop.services.entries import set_entry
from desktop.services.entry_grid import unit_indicators
from desktop.services.periods import Period, parse_period
from desktop.services.plans import active_plan
from desktop.services.reference import find_unit, normalise_name

KIND = "collection"
PROGRESS_EVERY = 50
Report = Callable[[int, int], bool]
HEADER_OF = {key: header.rstrip("*") for key, header, _, _ in ACTIVITY_COLUMNS}
# ValidationError.field of an activity → the workbook column that holds it.
FIELD_COLUMN = {
    **HEADER_OF,
    "type_id": HEADER_OF["type"],
    "place_id": HEADER_OF["place"],
    "task_ids": HEADER_OF["tasks"],
    "group_ids": HEADER_OF["groups"],
    "cooperator_ids": HEADER_OF["cooperators"],
    "unit_id": "",
}
TARGET_LABELS = {
    "period": "方案期目标",
    "annual": "年度目标",
    "per_year": "年度目标",
    "end": "期末目标",
}


@dataclass
class FileOutcome:
    """What importing one file does (or would do)."""

    file: str
    unit_name: str = ""
    period_label: str = ""
    activities: int = 0
    entries: int = 0
    skipped: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: bool = False
    batch_id: int | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class ImportResult:
    files: list[FileOutcome]
    written: bool
    backup: Path | None = None

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


def import_key(unit_id: int, data: ActivityInput) -> str:
    """Same unit, same day, same title (ignoring spaces and punctuation): the same activity."""
    title = "".join(ch for ch in data.title if ch.isalnum())
    return hashlib.sha256(f"{unit_id}|{data.start_date.isoformat()}|{title}".encode()).hexdigest()


def template_spec(session: Session, unit_id: int, period: Period) -> TemplateSpec:
    plan = active_plan(session)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError("单位不存在。")
    if not plan.first_year <= period.year <= plan.last_year:
        raise ValidationError(
            f"统计期 {period.label} 不在实施方案期限（{plan.first_year}—{plan.last_year}年）内。",
            "period",
        )
    all_tasks = list(
        session.scalars(
            select(Task)
            .join(Section)
            .where(Section.plan_id == plan.id)
            .order_by(Section.sort_order, Task.sort_order)
        )
    )
    roles = {
        link.task_id: link.role
        for link in session.scalars(select(TaskUnit).where(TaskUnit.unit_id == unit_id))
    }
    own = [t for t in all_tasks if t.id in roles]
    tasks = [
        TemplateTask(t.code, t.title, "牵头" if roles[t.id] == "lead" else "配合") for t in own
    ]
    options = [task_option(t.code, t.title) for t in (own or all_tasks)]
    indicators = []
    for ind in unit_indicators(session, unit_id):
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


class _Lookup:
    """Names in a workbook → ids, for the active plan."""

    def __init__(self, s: Session, plan: Plan) -> None:
        self.s = s
        self.types = {}
        for t in s.scalars(select(ActivityType)):
            self.types[t.name] = t.id
            self.types[t.code] = t.id
        self.places = {normalise_name(p.name): p.id for p in s.scalars(select(Place))}
        self.groups = {g.name: g.id for g in s.scalars(select(TargetGroup))}
        self.tasks = {
            t.code: t.id
            for t in s.scalars(select(Task).join(Section).where(Section.plan_id == plan.id))
        }
        self.indicators = {
            i.code: i for i in s.scalars(select(Indicator).where(Indicator.plan_id == plan.id))
        }


def _activity_input(
    lookup: _Lookup, unit_id: int, record: RowRecord, problem: Callable[[str, str], None]
) -> ActivityInput | None:
    v = record.values
    unreadable = {p.column for p in record.problems}
    for key in ("start_date", "title", "type"):
        if not v.get(key) and HEADER_OF[key] not in unreadable:
            problem(HEADER_OF[key], "必填项为空。")
    type_id = None
    if v.get("type"):
        type_id = lookup.types.get(v["type"])
        if type_id is None:
            problem(HEADER_OF["type"], f"没有“{v['type']}”这种活动类型，请从下拉列表中选择。")
    place_id = None
    if v.get("place"):
        names = v["place"]
        if len(names) > 1:
            problem(HEADER_OF["place"], "只能填写一个地点。")
        place_id = lookup.places.get(normalise_name(names[0]))
        if place_id is None:
            problem(HEADER_OF["place"], f"没有“{names[0]}”这个地点，请从下拉列表中选择。")
    task_ids = []
    for item in v.get("tasks", []):
        code = item.split()[0]
        if code not in lookup.tasks:
            problem(HEADER_OF["tasks"], f"方案中没有编号为“{code}”的任务。")
        else:
            task_ids.append(lookup.tasks[code])
    group_ids = []
    for name in v.get("groups", []):
        if name not in lookup.groups:
            problem(HEADER_OF["groups"], f"没有“{name}”这个重点人群。")
        else:
            group_ids.append(lookup.groups[name])
    cooperator_ids = []
    for name in _split_names(v.get("cooperators", "")):
        unit = find_unit(lookup.s, name)
        if unit is None:
            problem(HEADER_OF["cooperators"], f"找不到单位“{name}”，请填写单位全称。")
        else:
            cooperator_ids.append(unit.id)
    if record.problems or type_id is None or not v.get("start_date") or not v.get("title"):
        return None
    return ActivityInput(
        start_date=v["start_date"],
        end_date=v.get("end_date"),
        title=v["title"],
        type_id=type_id,
        unit_id=unit_id,
        place_id=place_id,
        participants=v.get("participants", 0),
        female=v.get("female"),
        rural=v.get("rural"),
        sessions=v.get("sessions", 1),
        volunteers=v.get("volunteers", 0),
        volunteer_hours=v.get("volunteer_hours", 0.0),
        funding_yuan=v.get("funding_yuan", 0.0),
        media=v.get("media", ""),
        summary=v.get("summary", ""),
        task_ids=sorted(set(task_ids)),
        group_ids=sorted(set(group_ids)),
        cooperator_ids=sorted(set(cooperator_ids) - {unit_id}),
    )


def _changed_columns(stored: ActivityInput, sent: ActivityInput) -> list[str]:
    """Workbook columns whose value differs from the activity already in the ledger."""
    before, after = stored.as_dict(), sent.as_dict()
    changed: list[str] = []
    for name, value in after.items():
        old = before[name]
        if isinstance(value, list):
            old, value = sorted(old), sorted(value)
        elif isinstance(value, float):
            old, value = round(old, 2), round(value, 2)
        elif isinstance(value, str):
            old, value = old.strip(), value.strip()
        column = FIELD_COLUMN.get(name, "")
        if old != value and column and column not in changed:
            changed.append(column)
    return changed


def _split_names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r"[、,，;；\s]+", text or "") if n.strip()]


def _import_file(
    s: Session, plan: Plan, lookup: _Lookup, parsed: CollectionFile, tick: Callable[[], None]
) -> FileOutcome:
    """Write one parsed file inside the caller's transaction; each row in a savepoint."""
    out = FileOutcome(parsed.name)
    fail = out.problems.append
    if parsed.plan_code and parsed.plan_code != plan.code:
        fail(
            Problem(
                parsed.name,
                message=f"这份采集表是为方案“{parsed.plan_code}”生成的，与当前启用的方案“{plan.code}”不符。",
            )
        )
        out.fatal = True
        return out
    unit = find_unit(s, parsed.unit_name)
    if unit is None:
        fail(Problem(parsed.name, message=f"找不到采集表中的填报单位“{parsed.unit_name}”。"))
        out.fatal = True
        return out
    try:
        period = parse_period(parsed.period_code)
    except ValidationError as exc:
        fail(Problem(parsed.name, message=str(exc)))
        out.fatal = True
        return out
    out.unit_name, out.period_label = unit.name, period.label
    batch = ImportBatch(
        kind=KIND,
        file_name=parsed.name[:260],
        sha256=parsed.sha256,
        unit_id=unit.id,
        operator=audit.current_user(),
    )
    s.add(batch)
    s.flush()
    seen: dict[str, int] = {}
    for record in parsed.activities:
        tick()
        out.rows += 1

        def problem(column: str, message: str, _record: RowRecord = record) -> None:
            _record.problems.append(
                Problem(parsed.name, ACTIVITY_SHEET, _record.row, column, message)
            )

        data = _activity_input(lookup, unit.id, record, problem)
        if data is not None and not period.contains(data.start_date):
            problem(
                HEADER_OF["start_date"],
                f"活动日期 {data.start_date.isoformat()} 不在本表统计期（{period.label}）内。",
            )
            data = None
        if data is not None:
            key = import_key(unit.id, data)
            if key in seen:
                problem(HEADER_OF["title"], f"与第 {seen[key]} 行是同一活动（同日期、同名称）。")
                data = None
            else:
                seen[key] = record.row
                existing = s.scalar(select(Activity).where(Activity.import_key == key))
                if existing is not None:
                    changed = _changed_columns(ActivityInput.from_activity(existing), data)
                    if changed:
                        problem(
                            changed[0],
                            f"这条活动已导入过（活动 #{existing.id}），但表中的“{'”“'.join(changed)}”"
                            "与台账不同；如需更正，请在活动台账中修改，或撤销原批次后重新导入。",
                        )
                        data = None
                    else:
                        out.skipped += 1
                        out.notes.append(
                            f"{parsed.name}，工作表“{ACTIVITY_SHEET}”第 {record.row} 行："
                            f"已导入过（活动 #{existing.id}），跳过。"
                        )
                        continue
        if data is not None:
            try:
                with s.begin_nested():
                    activity = add_activity(s, data, batch_id=batch.id)
                    activity.import_key = key
                    s.flush()
                out.activities += 1
            except LockedError as exc:
                problem(HEADER_OF["start_date"], str(exc))
            except ValidationError as exc:
                for field, message in exc.per_field:
                    problem(FIELD_COLUMN.get(field or "", ""), message)
            except ServiceError as exc:
                problem("", str(exc))
        out.problems.extend(record.problems)
    for record in parsed.indicators:
        tick()
        out.problems.extend(record.problems)
        if record.problems or "value" not in record.values:
            continue
        out.rows += 1
        code = record.values["code"]

        def entry_problem(message: str, _row: int = record.row) -> None:
            out.problems.append(Problem(parsed.name, INDICATOR_SHEET, _row, "本期数值", message))

        ind = lookup.indicators.get(code)
        if ind is None:
            out.problems.append(
                Problem(
                    parsed.name,
                    INDICATOR_SHEET,
                    record.row,
                    "指标编号",
                    f"当前方案中没有编号为“{code}”的指标。",
                )
            )
            continue
        value = float(record.values["value"])
        existing = s.scalar(
            select(Entry).where(
                Entry.indicator_id == ind.id,
                Entry.period == period.code,
                Entry.unit_id == unit.id,
                Entry.place_id.is_(None),
            )
        )
        if existing is not None:
            if abs(existing.value - value) < 1e-9:
                out.skipped += 1
                out.notes.append(
                    f"{parsed.name}，工作表“{INDICATOR_SHEET}”第 {record.row} 行：{ind.name} 已有相同数值，跳过。"
                )
            else:
                entry_problem(
                    f"{ind.name} {period.label}已有填报数值 {existing.value:g}，与表中的 {value:g} 不同；"
                    "如需更正，请在“数据填报”中修改。"
                )
            continue
        try:
            with s.begin_nested():
                set_entry(
                    s,
                    ind,
                    period.code,
                    value,
                    unit_id=unit.id,
                    note=record.values.get("note", ""),
                    batch_id=batch.id,
                )
            out.entries += 1
        except ServiceError as exc:
            entry_problem(str(exc))
    batch.rows = out.activities + out.entries
    if batch.rows == 0:
        s.delete(batch)
    else:
        out.batch_id = batch.id
        audit.record(
            s,
            "import",
            "import_batch",
            batch.id,
            f"导入采集表 {parsed.name}（{unit.name} {period.label}）：活动 {out.activities} 条，指标数据 {out.entries} 条",
        )
    return out


class _NotWritten(Exception):
    """Rolls the checked import back; carries what the check found."""

    def __init__(self, outcomes: list[FileOutcome]) -> None:
        super().__init__()
        self.outcomes = outcomes


class ImportService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- templates -------------------------------------------------------
    def template_spec(self, unit_id: int, period_code: str) -> TemplateSpec:
        with self.db.reading() as s:
            return template_spec(s, unit_id, parse_period(period_code))

    def write_template(self, unit_id: int, period_code: str, path: Path | str) -> Path:
        return write_template(self.template_spec(unit_id, period_code), path)

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

    def write_templates(
        self,
        period_code: str,
        out_dir: Path | str,
        unit_ids: Sequence[int] | None = None,
        progress: Report | None = None,
    ) -> list[Path]:
        """One workbook per unit into a folder; `progress(done, total)` may cancel."""
        period = parse_period(period_code)
        out_dir = Path(out_dir)
        if not out_dir.is_dir():
            raise ValidationError(f"输出文件夹不存在：{out_dir}")
        ids = list(unit_ids) if unit_ids is not None else [u.id for u in self.template_units()]
        written: list[Path] = []
        for done, unit_id in enumerate(ids):
            if progress is not None and not progress(done, len(ids)):
                raise ServiceError(f"已取消；已生成 {len(written)} 个文件。")
            spec = self.template_spec(unit_id, period.code)
            name = f"{safe_file_name(spec.unit_name)}-{period.code}-采集表.xlsx"
            written.append(write_template(spec, out_dir / name))
        if progress is not None:
            progress(len(ids), len(ids))
        return written

    # --- imports ---------------------------------------------------------
    def read(self, paths: Sequence[Path | str]) -> tuple[list[CollectionFile], list[FileOutcome]]:
        """Parse files; unreadable files become outcomes with one fatal problem."""
        parsed: list[CollectionFile] = []
        failed: list[FileOutcome] = []
        for path in paths:
            try:
                parsed.append(read_collection(path))
            except CollectionFileError as exc:
                failed.append(FileOutcome(Path(path).name, problems=[exc.problem], fatal=True))
        return parsed, failed

    def import_files(
        self,
        paths: Sequence[Path | str],
        dry_run: bool = False,
        valid_only: bool = False,
        progress: Report | None = None,
    ) -> ImportResult:
        """Check and import collection workbooks as one transaction.

        Without `valid_only`, any problem in any file means nothing is
        written. With it, the valid rows are written and the rest reported.
        """
        parsed, failed = self.read(paths)
        # Copied before the check-and-write pass, since whether it writes is
        # known only inside it; dropped again when nothing was written.
        backup = None
        if not dry_run and parsed and self.db.path is not None:
            backup = self.db.backup(label="pre-import")
        try:
            with self.db.transaction() as s:
                outcomes = self._run(s, parsed, progress)
                any_problem = bool(failed) or any(o.problems for o in outcomes)
                writes = sum(o.activities + o.entries for o in outcomes)
                if dry_run or writes == 0 or (any_problem and not valid_only):
                    raise _NotWritten(outcomes)
        except BaseException as exc:
            if backup is not None:
                backup.unlink(missing_ok=True)
            if not isinstance(exc, _NotWritten):
                raise
            for outcome in exc.outcomes:
                outcome.batch_id = None  # rolled back: no batch exists
            return ImportResult(failed + exc.outcomes, written=False)
        return ImportResult(failed + outcomes, written=True, backup=backup)

    def _run(
        self, s: Session, parsed: list[CollectionFile], progress: Report | None
    ) -> list[FileOutcome]:
        """Import the parsed files in `s`; a cancel raises, so the caller's transaction rolls back."""
        plan = active_plan(s)
        lookup = _Lookup(s, plan)
        total = sum(len(f.activities) + len(f.indicators) for f in parsed)
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0 and not progress(done, total):
                raise ServiceError("已取消，没有导入任何数据。")

        outcomes = [_import_file(s, plan, lookup, f, tick) for f in parsed]
        if progress is not None and not progress(total, total):
            raise ServiceError("已取消，没有导入任何数据。")
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
        """Remove everything one batch added, in one transaction; returns (activities, entries)."""
        with self.db.transaction() as s:
            batch = s.get(ImportBatch, batch_id)
            if batch is None:
                raise NotFoundError(f"没有编号为 {batch_id} 的导入批次。")
            if batch.undone_at is not None:
                raise ServiceError(f"批次 {batch_id} 已于 {batch.undone_at:%Y-%m-%d %H:%M} 撤销。")
            acts = list(
                s.execute(
                    select(Activity.id, Activity.start_date).where(Activity.batch_id == batch_id)
                )
            )
            ents = list(
                s.execute(
                    select(Entry.id, Entry.period_start, Entry.period_end).where(
                        Entry.batch_id == batch_id
                    )
                )
            )
            for _, day in acts:
                locks.ensure_writable(s, day)
            for _, start, end in ents:
                locks.ensure_writable(s, start, end)
            s.execute(delete(Entry).where(Entry.batch_id == batch_id))
            s.execute(delete(Activity).where(Activity.batch_id == batch_id))
            batch.undone_at = datetime.now()
            audit.record(
                s,
                "undo",
                "import_batch",
                batch.id,
                f"撤销导入批次 {batch.id}（{batch.file_name}）：删除活动 {len(acts)} 条，指标数据 {len(ents)} 条",
                {
                    "activity_ids": [[a for a, _ in acts], None],
                    "entry_ids": [[e for e, _, _ in ents], None],
                },
            )
            return len(acts), len(ents)
