"""What looks wrong (疑似异常): figures far from their own history or from what one activity holds.

A flag never refuses a figure: a county-wide campaign really can be ten
times a usual quarter. It asks the office to look once, and either correct
the figure or confirm it with a comment; the confirmation is kept with the
value it confirmed, so a corrected figure that is still out of range is
asked about again. The window, the command line and the final-return check
all read the flags from here.

The rules, each in one place below:

- an entry (填报数据) more than HISTORY_FACTOR times, or under a
  1/HISTORY_FACTOR of, the median of the same indicator's values for the
  same unit and place in its earlier periods of the same length (years with
  years, quarters with quarters), when there are at least HISTORY_MIN of
  them (fewer say nothing about what is usual);
- an activity with more participants per session than SESSION_CAPACITY;
- an activity whose money or volunteer hours exceed RANGE_FACTOR times the
  median of the same unit's activities in earlier years that recorded any
  (at least RANGE_MIN of them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from statistics import median

from sqlalchemy import func, literal_column, select, true
from sqlalchemy.orm import Session

from desktop.cleaning import clean_text
from desktop.db import Database
from desktop.errors import ValidationError
from desktop.models import Activity, Entry, FlagConfirmation, Indicator, Unit
from desktop.services import audit
from desktop.services.activities import ActivityInput
from desktop.services.periods import Period, parse_period, year_period
from desktop.services.plans import plan_for

HISTORY_FACTOR = 3
HISTORY_MIN = 3
# No venue a county uses holds more for one session: its stadium or a 万人广场
# seats a few thousand. More than this per session is an extra zero typed, or
# a whole campaign entered as a single session.
SESSION_CAPACITY = 5000
RANGE_FACTOR = 3
RANGE_MIN = 5

ENTRY, PARTICIPANTS, FUNDING, HOURS = "entry", "participants", "funding", "volunteer_hours"
KIND_LABELS = {
    ENTRY: "填报数据",
    PARTICIPANTS: "单场人数",
    FUNDING: "活动经费",
    HOURS: "志愿服务时长",
}
OPEN, CONFIRMED = "open", "confirmed"
STATUS_LABELS = {OPEN: "待处理", CONFIRMED: "已确认"}

# The activity columns the range rule reads, their scale to the shown value, and their unit.
_RANGE_COLUMNS = {FUNDING: ("funding_fen", 100.0, "元"), HOURS: ("volunteer_hours", 1.0, "小时")}


@dataclass(frozen=True)
class Flag:
    """One figure that looks wrong; `key` names it for its confirmation."""

    key: str
    kind: str
    code: str
    name: str
    unit: str
    period: str
    value: float
    reason: str
    status: str = OPEN
    comment: str = ""
    indicator_id: int | None = None
    unit_id: int | None = None
    place_id: int | None = None
    activity_id: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_json(self) -> dict[str, str | float]:
        """`kepu flags --json`."""
        return {
            "kind": self.kind,
            "code": self.code,
            "unit": self.unit,
            "period": self.period,
            "value": self.value,
            "reason": self.reason,
            "status": self.status,
        }


def _ratio_reason(value: float, earlier: list[float]) -> str | None:
    """Why `value` is far from the median of `earlier`, or None when it is not (or cannot be said)."""
    if len(earlier) < HISTORY_MIN:
        return None
    mid = median(earlier)
    if mid <= 0:
        return None  # no scale to be a multiple of
    if value > HISTORY_FACTOR * mid:
        return (
            f"是此前 {len(earlier)} 个同类统计期中位数 {mid:g} 的 {value / mid:.1f} 倍"
            f"（超过 {HISTORY_FACTOR} 倍）"
        )
    if value < mid / HISTORY_FACTOR:
        return f"不到此前 {len(earlier)} 个同类统计期中位数 {mid:g} 的三分之一"
    return None


def _entry_flags(session: Session, period: Period | None) -> Iterator[Flag]:
    """One read of every entry, in history order; medians as it goes.

    Entries are one per indicator, period, unit and place (set_entry replaces),
    a few thousand in a county's five years: the running median is cheap.
    """
    rows = session.execute(
        select(
            Entry.indicator_id,
            Indicator.code,
            Indicator.name,
            Entry.unit_id,
            Unit.name.label("unit"),
            Entry.place_id,
            Entry.period,
            Entry.period_start,
            Entry.period_end,
            Entry.value,
        )
        .join(Indicator, Indicator.id == Entry.indicator_id)
        .outerjoin(Unit, Unit.id == Entry.unit_id)
    ).all()  # every plan's: the old period's last figures are still asked about after a rollover

    def series(r: object) -> tuple:
        return (r.indicator_id, r.unit_id, r.place_id, parse_period(r.period).kind)

    for _, group in groupby(sorted(rows, key=lambda r: (series(r), r.period_start)), key=series):
        earlier: list[float] = []
        for r in group:
            reason = _ratio_reason(r.value, earlier)
            within = period is None or period.start <= r.period_start <= r.period_end <= period.end
            if reason and within:
                place = f":{r.place_id}" if r.place_id is not None else ""
                yield Flag(
                    key=f"{ENTRY}:{r.indicator_id}:{r.unit_id or ''}{place}:{r.period}",
                    kind=ENTRY,
                    code=r.code,
                    name=r.name,
                    unit=r.unit or "",
                    period=r.period,
                    value=r.value,
                    reason=reason,
                    indicator_id=r.indicator_id,
                    unit_id=r.unit_id,
                    place_id=r.place_id,
                )
            earlier.append(r.value)


def _activity_flag(kind: str, r: object, period_code: str, value: float, reason: str) -> Flag:
    return Flag(
        key=f"{kind}:{r.id}",
        kind=kind,
        code=str(r.id),
        name=r.title,
        unit=r.unit,
        period=period_code,
        value=value,
        reason=reason,
        unit_id=r.unit_id,
        activity_id=r.id,
    )


def _capacity_flags(
    session: Session, start: date, end: date, period_code: str, ids: Sequence[int] | None
) -> Iterator[Flag]:
    per_session = Activity.participants / Activity.sessions
    rows = session.execute(
        select(
            Activity.id,
            Activity.title,
            Activity.unit_id,
            Unit.name.label("unit"),
            Activity.participants,
            Activity.sessions,
        )
        .join(Unit, Unit.id == Activity.unit_id)
        .where(
            Activity.start_date.between(start, end),
            Activity.sessions > 0,
            Activity.participants > SESSION_CAPACITY * Activity.sessions,
            Activity.id.in_(ids) if ids is not None else true(),
        )
        .order_by(per_session.desc(), Activity.id)
    )
    for r in rows:
        each = r.participants / r.sessions
        reason = (
            f"每场 {each:,.0f} 人（{r.participants:,} 人 / {r.sessions} 场），"
            f"超过单场容量上限 {SESSION_CAPACITY:,} 人"
        )
        yield _activity_flag(PARTICIPANTS, r, period_code, float(r.participants), reason)


def unit_medians(
    session: Session, col: str, before: date, units: Iterable[int] | None = None
) -> dict[int, tuple[float, int]]:
    """Each unit's median of `col` over its activities before `before` that have any, with
    how many there are; only units with at least RANGE_MIN of them.

    A unit's values are read in order from its own range of the partial index
    on (unit, value, date) (migration 0010): counting them and stepping to the
    middle touches the index only, where a window function sorted the ledger.
    """
    column = getattr(Activity, col)
    if units is None:
        units = session.scalars(select(Activity.unit_id).distinct()).all()
    # A literal 0, not a bound parameter: only then does SQLite know the partial index applies.
    where = (column > literal_column("0"), Activity.start_date < before)
    out: dict[int, tuple[float, int]] = {}
    for unit_id in units:
        n = session.scalar(
            select(func.count()).select_from(Activity).where(Activity.unit_id == unit_id, *where)
        )
        if not n or n < RANGE_MIN:
            continue
        middle = session.scalars(
            select(column)
            .where(Activity.unit_id == unit_id, *where)
            .order_by(column)
            .limit(2 - n % 2)
            .offset((n - 1) // 2)
        ).all()
        out[unit_id] = (sum(middle) / len(middle), n)
    return out


def _range_flags(
    session: Session, start: date, end: date, period_code: str, ids: Sequence[int] | None
) -> Iterator[Flag]:
    """Activities from start to end (within one year) against their unit's earlier years."""
    for kind, (col, scale, uom) in _RANGE_COLUMNS.items():
        column = getattr(Activity, col)
        units = None
        if ids is not None:
            units = session.scalars(
                select(Activity.unit_id).where(Activity.id.in_(ids)).distinct()
            ).all()
        for unit_id, (mid, n) in unit_medians(session, col, date(start.year, 1, 1), units).items():
            rows = session.execute(
                select(
                    Activity.id,
                    Activity.title,
                    Activity.unit_id,
                    Unit.name.label("unit"),
                    column.label("v"),
                )
                .join(Unit, Unit.id == Activity.unit_id)
                .where(
                    Activity.unit_id == unit_id,
                    column > RANGE_FACTOR * mid,
                    Activity.start_date.between(start, end),
                    Activity.id.in_(ids) if ids is not None else true(),
                )
                .order_by(Activity.start_date, Activity.id)
            )
            for r in rows:
                value, median_shown = r.v / scale, mid / scale
                reason = (
                    f"{KIND_LABELS[kind]} {value:,.2f} {uom}，是本单位往年 {n} 项活动中位数 "
                    f"{median_shown:,.2f} {uom}的 {value / median_shown:.1f} 倍"
                    f"（超过 {RANGE_FACTOR} 倍）"
                )
                yield _activity_flag(kind, r, period_code, value, reason)


def _activity_windows(session: Session, period: Period | None) -> Iterable[tuple[Period, str]]:
    """The windows activity rules run over, each within one year, with the period code they report."""
    if period is not None:
        return [(period, period.code)]
    first, last = session.execute(
        select(func.min(Activity.start_date), func.max(Activity.start_date))
    ).one()
    if first is None or last is None:
        return []
    return [(year_period(y), str(y)) for y in range(first.year, last.year + 1)]


def flags_in(session: Session, period: Period | None = None) -> list[Flag]:
    """Every flag, with its confirmation status.

    Given a period, the entries within it (a year's return asks about its
    quarters too) and the activities that started in it.
    """
    found = list(_entry_flags(session, period))
    for window, code in _activity_windows(session, period):
        found += _capacity_flags(session, window.start, window.end, code, None)
        found += _range_flags(session, window.start, window.end, code, None)
    return _with_status(session, found)


def entry_marks(session: Session, unit_id: int | None) -> dict[tuple[int, str], str]:
    """(indicator id, period) → why the unit's own entry looks wrong, for its open flags."""
    flags = _with_status(
        session,
        [f for f in _entry_flags(session, None) if f.unit_id == unit_id and f.place_id is None],
    )
    return {
        (f.indicator_id, f.period): f"疑似异常：{f.reason}"
        for f in flags
        if f.status == OPEN and f.indicator_id is not None
    }


def activity_flags(session: Session, ids: Sequence[int]) -> list[Flag]:
    """The flags of these activities alone (a page of the ledger), each year's rule once."""
    days = session.scalars(select(Activity.start_date).where(Activity.id.in_(ids))).all()
    found: list[Flag] = []
    for year in sorted({d.year for d in days}):
        window = year_period(year)
        found += _capacity_flags(session, window.start, window.end, window.code, ids)
        found += _range_flags(session, window.start, window.end, window.code, ids)
    return _with_status(session, found)


def imported_flags(session: Session, batch_ids: Sequence[int]) -> list[Flag]:
    """The open flags on what these batches wrote, in this session (an import's own, before
    it commits or, in a dry run, rolls back)."""
    written = session.execute(
        select(Entry.indicator_id, Entry.unit_id, Entry.place_id, Entry.period).where(
            Entry.batch_id.in_(batch_ids)
        )
    ).all()
    keys = {(e.indicator_id, e.unit_id, e.place_id, e.period) for e in written}
    entries = [
        f
        for f in _with_status(session, list(_entry_flags(session, None)))
        if (f.indicator_id, f.unit_id, f.place_id, f.period) in keys
    ]
    ids = session.scalars(select(Activity.id).where(Activity.batch_id.in_(batch_ids))).all()
    found = entries + (activity_flags(session, ids) if ids else [])
    return [f for f in found if f.status == OPEN]


def unwritten_activity_flags(session: Session, rows: Sequence[ActivityInput]) -> list[Flag]:
    """The activity rules on rows not yet written (a dry run's last file), by the same bounds.

    Such a row has no id yet, so its flag has no code and cannot be
    confirmed until it is imported.
    """
    units = {unit_id: name for unit_id, name in session.execute(select(Unit.id, Unit.name))}
    found: list[Flag] = []

    def flag(kind: str, row: ActivityInput, value: float, reason: str) -> Flag:
        return Flag(
            key="",
            kind=kind,
            code="",
            name=row.title,
            unit=units.get(row.unit_id, ""),
            period=str(row.start_date.year),
            value=value,
            reason=reason,
            unit_id=row.unit_id,
        )

    for row in rows:
        if row.sessions > 0 and row.participants > SESSION_CAPACITY * row.sessions:
            reason = (
                f"每场 {row.participants / row.sessions:,.0f} 人（{row.participants:,} 人 / "
                f"{row.sessions} 场），超过单场容量上限 {SESSION_CAPACITY:,} 人"
            )
            found.append(flag(PARTICIPANTS, row, float(row.participants), reason))
    shown = {FUNDING: lambda r: r.funding_yuan, HOURS: lambda r: r.volunteer_hours}
    for year in sorted({row.start_date.year for row in rows}):
        in_year = [row for row in rows if row.start_date.year == year]
        for kind, (col, scale, uom) in _RANGE_COLUMNS.items():
            mids = unit_medians(session, col, date(year, 1, 1), {row.unit_id for row in in_year})
            for row in in_year:
                value = float(shown[kind](row) or 0)
                if row.unit_id not in mids or not value:
                    continue
                mid, n = mids[row.unit_id][0] / scale, mids[row.unit_id][1]
                if value > RANGE_FACTOR * mid:
                    reason = (
                        f"{KIND_LABELS[kind]} {value:,.2f} {uom}，是本单位往年 {n} 项活动中位数 "
                        f"{mid:,.2f} {uom}的 {value / mid:.1f} 倍（超过 {RANGE_FACTOR} 倍）"
                    )
                    found.append(flag(kind, row, value, reason))
    return found


def _with_status(session: Session, found: list[Flag]) -> list[Flag]:
    """The flags, each confirmed where the office confirmed this very value."""
    confirmed = {
        c.key: c
        for c in session.scalars(
            select(FlagConfirmation).where(FlagConfirmation.key.in_([f.key for f in found]))
        )
    }
    out = []
    for f in found:
        c = confirmed.get(f.key)
        if c is not None and abs(c.value - f.value) < 1e-9:
            f = Flag(**{**f.__dict__, "status": CONFIRMED, "comment": c.comment})
        out.append(f)
    return out


class FlagService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def flags(self, period_code: str | None = None) -> list[Flag]:
        period = parse_period(period_code) if period_code else None
        with self.db.reading() as s:
            if period is not None:
                plan_for(s, period)  # a period no plan covers is refused, as everywhere
            return flags_in(s, period)

    def open_flags(self, period_code: str | None = None) -> list[Flag]:
        return [f for f in self.flags(period_code) if f.status == OPEN]

    def imported(self, batch_ids: Sequence[int]) -> list[Flag]:
        """The open flags on what these import batches wrote: asked about as the import ends."""
        if not batch_ids:
            return []
        with self.db.reading() as s:
            return imported_flags(s, batch_ids)

    def activity_marks(self, ids: Sequence[int]) -> dict[int, str]:
        """Activity id → why it looks wrong, for the open flags among these activities."""
        if not ids:
            return {}
        with self.db.reading() as s:
            flags = activity_flags(s, ids)
        marks: dict[int, list[str]] = {}
        for f in flags:
            if f.status == OPEN and f.activity_id is not None:
                marks.setdefault(f.activity_id, []).append(f.reason)
        return {k: "；".join(v) for k, v in marks.items()}

    def confirm(self, flag: Flag, comment: str) -> None:
        """The office has looked at the figure and says why it stands; audited."""
        comment = clean_text(comment).strip()
        if not comment:
            raise ValidationError("请写明确认的理由（例如：全县集中培训）。", "comment")
        if len(comment) > 2000:
            raise ValidationError("说明不能超过 2000 字。", "comment")
        with self.db.transaction() as s:
            row = s.scalar(select(FlagConfirmation).where(FlagConfirmation.key == flag.key))
            if row is None:
                row = FlagConfirmation(key=flag.key)
                s.add(row)
            row.value = flag.value
            row.comment = comment
            row.confirmed_by = audit.current_user()
            audit.record(
                s,
                "confirm",
                "flag",
                flag.activity_id,
                f"确认疑似异常 {flag.kind_label} {flag.code} {flag.period}"
                f"{'（' + flag.unit + '）' if flag.unit else ''}：{flag.value:g}，{comment}",
            )


def named(flags: Sequence[Flag], shown: int = 10) -> str:
    """The flags as lines a user reads before going on: the first `shown`, then how many more."""
    lines = [
        f"· {f.kind_label} {f.name}（{f.unit + ' ' if f.unit else ''}{f.period}）：{f.value:g}，{f.reason}"
        for f in flags[:shown]
    ]
    if len(flags) > shown:
        lines.append(f"……另有 {len(flags) - shown} 条")
    return "\n".join(lines)
