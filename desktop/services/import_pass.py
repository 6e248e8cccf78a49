"""One import's pass over its parsed files: check each, write its entries, bulk-write its activities.

Used by ImportService.import_files inside its one transaction. The rows of
a file are checked in memory (import_check.py); its few indicator entries
are written as they pass, each in a savepoint; its activities wait in an
`Accepted` until the service decides they are to be written, then go in
through bulk.py in chunks of WRITE_CHUNK, with progress and cancel between.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.collection_layout import ACTIVITY_SHEET, HEADER_OF, INDICATOR_SHEET
from desktop.collection_rows import CollectionFile, Problem, RowRecord
from desktop.errors import ServiceError, ValidationError
from desktop.models import Entry, ImportBatch, Plan
from desktop.services import audit, bulk
from desktop.services.activities import ActivityInput
from desktop.services.activity_rules import problems
from desktop.services.entries import set_entry
from desktop.services.import_check import (
    FIELD_COLUMN,
    Lookups,
    activity_input,
    activity_row,
    changed_columns,
    import_key,
    stored_activities,
)
from desktop.services.periods import Period, parse_period
from desktop.services.reference import find_unit

KIND = "collection"
PROGRESS_EVERY = 50  # rows checked between two progress reports
WRITE_CHUNK = 5_000  # activities written between two progress reports (and cancel checks)
Report = Callable[[int, int], bool]


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


class Progress:
    """Rows checked, then activities written, as `report(done, total)`; a cancel raises."""

    def __init__(self, report: Report | None, total: int) -> None:
        self.report, self.total, self.done = report, total, 0

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.report is None or (count == 1 and self.done % PROGRESS_EVERY):
            return
        if not self.report(min(self.done, self.total), self.total):
            raise ServiceError("已取消，没有导入任何数据。")

    def finish(self) -> None:
        self.done = self.total
        if self.report is not None and not self.report(self.total, self.total):
            raise ServiceError("已取消，没有导入任何数据。")


@dataclass
class Accepted:
    """One file's checked activities (with their import keys), waiting for the bulk write."""

    batch_id: int
    rows: list[tuple[ActivityInput, str]] = field(default_factory=list)

    def add(self, data: ActivityInput, key: str) -> None:
        self.rows.append((data, key))


def _check_activities(
    s: Session,
    lookups: Lookups,
    parsed: CollectionFile,
    unit_id: int,
    period: Period,
    out: FileOutcome,
    accepted: Accepted,
    progress: Progress,
) -> None:
    """Check every activity row of one file; the good ones go to `accepted`, the rest to `out`."""
    seen: dict[str, int] = {}
    pending: list[tuple[RowRecord, ActivityInput | None, str]] = []
    for record in parsed.activities:
        progress.step()
        out.rows += 1

        def problem(column: str, message: str, _record: RowRecord = record) -> None:
            _record.problems.append(
                Problem(parsed.name, ACTIVITY_SHEET, _record.row, column, message)
            )

        data = activity_input(lookups, unit_id, record, problem)
        key = ""
        if data is not None and not period.contains(data.start_date):
            problem(
                HEADER_OF["start_date"],
                f"活动日期 {data.start_date.isoformat()} 不在本表统计期（{period.label}）内。",
            )
            data = None
        if data is not None:
            key = import_key(unit_id, data)
            if key in seen:
                problem(HEADER_OF["title"], f"与第 {seen[key]} 行是同一活动（同日期、同名称）。")
                data = None
            else:
                seen[key] = record.row
        pending.append((record, data, key))
    stored = stored_activities(s, (key for _, data, key in pending if data is not None))
    for record, data, key in pending:
        if data is not None and key in stored:
            existing_id, existing = stored[key]
            changed = changed_columns(existing, data)
            if not changed:
                out.skipped += 1
                out.notes.append(
                    f"{parsed.name}，工作表“{ACTIVITY_SHEET}”第 {record.row} 行："
                    f"已导入过（活动 #{existing_id}），跳过。"
                )
                continue
            record.problems.append(
                Problem(
                    parsed.name,
                    ACTIVITY_SHEET,
                    record.row,
                    changed[0],
                    f"这条活动已导入过（活动 #{existing_id}），但表中的“{'”“'.join(changed)}”"
                    "与台账不同；如需更正，请在活动台账中修改，或撤销原批次后重新导入。",
                )
            )
        elif data is not None:
            found = problems(lookups.known, data)
            locked = None if found else lookups.locked(data.start_date)
            for field_name, message in found:
                record.problems.append(
                    Problem(
                        parsed.name,
                        ACTIVITY_SHEET,
                        record.row,
                        FIELD_COLUMN.get(field_name or "", ""),
                        message,
                    )
                )
            if locked is not None:
                record.problems.append(
                    Problem(
                        parsed.name, ACTIVITY_SHEET, record.row, HEADER_OF["start_date"], locked
                    )
                )
            if not record.problems:
                accepted.add(data, key)
                out.activities += 1
        out.problems.extend(record.problems)


def _check_entries(
    s: Session,
    lookups: Lookups,
    parsed: CollectionFile,
    unit_id: int,
    period: Period,
    out: FileOutcome,
    batch_id: int,
    progress: Progress,
) -> None:
    """The indicator rows: few, each written at once through set_entry in a savepoint."""
    stored = {
        e.indicator_id: e
        for e in s.scalars(
            select(Entry).where(
                Entry.period == period.code,
                Entry.unit_id == unit_id,
                Entry.place_id.is_(None),
            )
        )
    }
    for record in parsed.indicators:
        progress.step()
        out.problems.extend(record.problems)
        if record.problems or "value" not in record.values:
            continue
        out.rows += 1
        code = record.values["code"]

        def entry_problem(message: str, _row: int = record.row) -> None:
            out.problems.append(Problem(parsed.name, INDICATOR_SHEET, _row, "本期数值", message))

        ind = lookups.indicators.get(code)
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
        existing = stored.get(ind.id)
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
                    unit_id=unit_id,
                    note=record.values.get("note", ""),
                    batch_id=batch_id,
                )
            out.entries += 1
        except ServiceError as exc:
            entry_problem(str(exc))


def check_file(
    s: Session, plan: Plan, lookups: Lookups, parsed: CollectionFile, progress: Progress
) -> tuple[FileOutcome, Accepted | None]:
    """Check one parsed file inside the caller's transaction; its entries are written here,
    its activities returned for the bulk write."""
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
        return out, None
    unit = find_unit(s, parsed.unit_name)
    if unit is None:
        fail(Problem(parsed.name, message=f"找不到采集表中的填报单位“{parsed.unit_name}”。"))
        out.fatal = True
        return out, None
    try:
        period = parse_period(parsed.period_code)
    except ValidationError as exc:
        fail(Problem(parsed.name, message=str(exc)))
        out.fatal = True
        return out, None
    out.unit_name, out.period_label = unit.name, period.label
    batch = ImportBatch(
        kind=KIND,
        file_name=parsed.name[:260],
        sha256=parsed.sha256,
        unit_id=unit.id,
        period=period.code,
        imported_at=datetime.now(),  # the office's own clock: its date decides 逾期报送
        operator=audit.current_user(),
    )
    s.add(batch)
    s.flush()
    accepted = Accepted(batch.id)
    _check_activities(s, lookups, parsed, unit.id, period, out, accepted, progress)
    _check_entries(s, lookups, parsed, unit.id, period, out, batch.id, progress)
    batch.rows = out.activities + out.entries
    if batch.rows == 0:
        s.delete(batch)
        s.flush()
    else:
        out.batch_id = batch.id
        audit.record(
            s,
            "import",
            "import_batch",
            batch.id,
            f"导入采集表 {parsed.name}（{unit.name} {period.label}）：活动 {out.activities} 条，指标数据 {out.entries} 条",
        )
    return out, accepted


def write_accepted(s: Session, accepted: Accepted, progress: Progress) -> None:
    """One file's checked activities through the bulk path, a chunk at a time."""
    with bulk.writing_activities(s, expected=len(accepted.rows)) as writer:
        for start in range(0, len(accepted.rows), WRITE_CHUNK):
            chunk = accepted.rows[start : start + WRITE_CHUNK]
            writer.add(
                [activity_row(data, accepted.batch_id, key) for data, key in chunk],
                [data.task_ids for data, _ in chunk],
                [data.group_ids for data, _ in chunk],
                [data.cooperator_ids for data, _ in chunk],
            )
            progress.step(len(chunk))
