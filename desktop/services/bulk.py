"""One bulk write path for activities: the collection import and the demo builder both use it.

Rows go in as Core `insert()` statements with many rows each (executemany),
never one ORM object at a time, and their task, group and cooperator links
likewise. Ids are taken before the rows are written, so links need no
RETURNING round trip: on SQLite as the next free rowids, which is safe
because a writing transaction holds the database's write lock from its
BEGIN IMMEDIATE (desktop/db.py); on PostgreSQL from the table's sequence.

On SQLite the ledger's row triggers (the text search index of migration
0002, the stale-month marks of migration 0004) cost more than the rows
themselves: per row, a trigger program and an index insert. While a bulk
write runs they are dropped and, once the rows are in, replaced by one
statement each over all the new rows, then created again from their own
stored text; all of it inside one savepoint of the caller's transaction.
SQLite's schema changes are transactional, so a failure or a killed process
rolls the triggers back together with the rows, and no commit can ever see
rows without their index entries or marks. A trigger is only taken out when
its stored text is exactly the one its replacement stands for; any other
(a later migration's) stays and fires per row, which is slower but right.
When the new rows at least double the table (the demo county, a first big
import), its indexes are dropped the same way and built once at the end.
Links go in as one JSON array per chunk that SQLite unpacks itself, and the
connection's page cache is enlarged while the block runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    column,
    delete,
    func,
    insert,
    literal,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from desktop.models import (
    Activity,
    TallyStale,
    activity_cooperator,
    activity_group,
    activity_task,
)
from desktop.services.search import FTS_TABLE

ACTIVITY = Activity.__table__
# What a bulk row carries; the timestamps come from the columns' server defaults.
COLUMNS = (
    "start_date",
    "end_date",
    "title",
    "type_id",
    "place_id",
    "unit_id",
    "participants",
    "female",
    "rural",
    "sessions",
    "volunteers",
    "volunteer_hours",
    "funding_fen",
    "media",
    "summary",
    "batch_id",
    "import_key",
)
_BLANK: dict[str, Any] = dict.fromkeys(COLUMNS)

_FTS = table(FTS_TABLE, column(FTS_TABLE), column("rowid"), column("title"), column("summary"))
_MONTH = "date({}.start_date, 'start of month')"
_MARK_LINK = (
    "CREATE TRIGGER tally_{table}_{event} AFTER {EVENT} ON {table} BEGIN "
    "INSERT OR IGNORE INTO tally_stale (month) SELECT date(start_date, 'start of month') "
    "FROM activity WHERE id = {row}.activity_id; END"
)
# The row triggers a bulk insert or delete stands in for, with the text each
# must have (migrations 0002 and 0004) for the stand-in to be exact.
INSERT_TRIGGERS = {
    "activity_fts_insert": "CREATE TRIGGER activity_fts_insert AFTER INSERT ON activity BEGIN "
    "INSERT INTO activity_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); END",
    "tally_activity_insert": "CREATE TRIGGER tally_activity_insert AFTER INSERT ON activity BEGIN "
    f"INSERT OR IGNORE INTO tally_stale (month) VALUES ({_MONTH.format('new')}); END",
    **{
        f"tally_{t}_insert": _MARK_LINK.format(table=t, event="insert", EVENT="INSERT", row="new")
        for t in ("activity_task", "activity_group")
    },
}
DELETE_TRIGGERS = {
    "activity_fts_delete": "CREATE TRIGGER activity_fts_delete AFTER DELETE ON activity BEGIN "
    "INSERT INTO activity_fts(activity_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); END",
    "tally_activity_delete": "CREATE TRIGGER tally_activity_delete AFTER DELETE ON activity BEGIN "
    f"INSERT OR IGNORE INTO tally_stale (month) VALUES ({_MONTH.format('old')}); END",
    **{
        f"tally_{t}_delete": _MARK_LINK.format(table=t, event="delete", EVENT="DELETE", row="old")
        for t in ("activity_task", "activity_group")
    },
}
_SPACE = re.compile(r"\s+")
CACHE_KIB = 256 * 1024


def _same_text(a: str, b: str) -> bool:
    return _SPACE.sub(" ", a).strip() == _SPACE.sub(" ", b).strip()


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _suspend(session: Session, expected: dict[str, str]) -> dict[str, str]:
    """Drop the row triggers whose stored text is the expected one; return them by name."""
    if not _is_sqlite(session):
        return {}
    stored = session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    ).all()
    taken = {
        name: sql
        for name, sql in stored
        if name in expected and sql and _same_text(sql, expected[name])
    }
    for name in taken:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    return taken


def _restore(session: Session, suspended: dict[str, str]) -> None:
    for sql in suspended.values():
        session.execute(text(sql))


def _stand_in(
    session: Session, suspended: dict[str, str], rows: ColumnElement[bool], indexing: str
) -> None:
    """What the suspended triggers would have done for the activities `rows` selects.

    `indexing` is "insert" (add the rows to the text index) or "delete" (take
    them out, with the values they were indexed with). Every tally trigger,
    the link ones included, marks the month of an activity among `rows`.
    """
    fts = f"activity_fts_{indexing}"
    if fts in suspended:
        values = [ACTIVITY.c.id, ACTIVITY.c.title, ACTIVITY.c.summary]
        names = ["rowid", "title", "summary"]
        if indexing == "delete":
            values.insert(0, literal("delete"))
            names.insert(0, FTS_TABLE)
        session.execute(insert(_FTS).from_select(names, select(*values).where(rows)))
    if any(name.startswith("tally_") for name in suspended):
        month = func.date(ACTIVITY.c.start_date, "start of month")
        session.execute(
            insert(TallyStale)
            .prefix_with("OR IGNORE")
            .from_select(["month"], select(month).where(rows).distinct())
        )


class ActivityWriter:
    """Adds activities in chunks inside `writing_activities`; see the module's docstring."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sqlite = _is_sqlite(session)
        # The next rowid on SQLite, where the caller's transaction holds the write lock.
        self.first_id = (session.scalar(select(func.max(ACTIVITY.c.id))) or 0) + 1
        self._next = self.first_id
        self.written = 0

    def _ids(self, count: int) -> list[int]:
        if self.sqlite:
            ids = list(range(self._next, self._next + count))
            self._next += count
            return ids
        sequence = func.nextval(func.pg_get_serial_sequence(ACTIVITY.name, "id"))
        return list(
            self.session.scalars(select(sequence).select_from(func.generate_series(1, count)))
        )

    def _insert_sqlite(self, rows: Sequence[dict[str, Any]], ids: list[int]) -> None:
        """The Core insert, compiled once per chunk, run as one executemany of plain tuples.

        Per-row parameter handling in SQLAlchemy (a dictionary and a type
        processor per value) is a third of a bulk insert's time on SQLite;
        the values here are what its processors would make (ISO dates).
        """
        statement = insert(ACTIVITY).compile(
            dialect=self.session.get_bind().dialect, column_keys=["id", *COLUMNS]
        )
        if list(statement.positiontup or ()) != ["id", *COLUMNS]:
            raise RuntimeError(f"unexpected parameter order: {statement.positiontup}")
        params = []
        for row, i in zip(rows, ids, strict=True):
            values = [i, *map(row.get, COLUMNS)]
            for at in (1, 2):  # start_date, end_date
                if values[at] is not None:
                    values[at] = values[at].isoformat()
            params.append(tuple(values))
        self.session.connection().exec_driver_sql(str(statement), params)

    def _link(self, link_table: Table, other: str, pairs: list[tuple[int, int]]) -> None:
        """Many link rows in one statement: on SQLite, one JSON array that SQLite itself unpacks.

        Three or so links per activity make per-row parameter handling the
        larger part of a bulk write; `json_each` hands SQLite the whole chunk
        at once.
        """
        if not pairs:
            return
        if not self.sqlite:
            self.session.execute(
                insert(link_table), [{"activity_id": a, other: b} for a, b in pairs]
            )
            return
        pair = func.json_each(json.dumps(pairs, separators=(",", ":"))).table_valued("value")
        self.session.execute(
            insert(link_table).from_select(
                ["activity_id", other],
                select(
                    func.json_extract(pair.c.value, "$[0]"),
                    func.json_extract(pair.c.value, "$[1]"),
                ),
            )
        )

    def add(
        self,
        rows: Sequence[dict[str, Any]],
        tasks: Sequence[Iterable[int]] = (),
        groups: Sequence[Iterable[int]] = (),
        cooperators: Sequence[Iterable[int]] = (),
    ) -> list[int]:
        """Insert `rows` (columns of COLUMNS; missing ones are NULL) and each row's links.

        `tasks[i]`, `groups[i]` and `cooperators[i]` are the ids row i links
        to; an empty sequence means no links of that kind for any row.
        Returns the new ids in the order of `rows`.
        """
        if not rows:
            return []
        ids = self._ids(len(rows))
        if self.sqlite:
            self._insert_sqlite(rows, ids)
        else:
            self.session.execute(
                insert(ACTIVITY),
                [{**_BLANK, **row, "id": i} for row, i in zip(rows, ids, strict=True)],
            )
        for link_table, other, linked in (
            (activity_task, "task_id", tasks),
            (activity_group, "group_id", groups),
            (activity_cooperator, "unit_id", cooperators),
        ):
            if linked:
                pairs = [
                    (i, target)
                    for i, targets in zip(ids, linked, strict=True)
                    for target in targets
                ]
                self._link(link_table, other, pairs)
        self.written += len(rows)
        return ids


@contextmanager
def roomy_cache(session: Session) -> Iterator[None]:
    """A larger SQLite page cache for this connection while a bulk write runs.

    The default 2 MB holds too little of the activity table's indexes:
    past a few hundred thousand rows each insert then reads its index pages
    back from the file, and a million rows take twice as long. The cache is
    memory taken as pages are touched, given back when the block ends.
    """
    if not _is_sqlite(session):
        yield
        return
    before = session.execute(text("PRAGMA cache_size")).scalar()
    session.execute(text(f"PRAGMA cache_size = -{CACHE_KIB}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size = {int(before or -2000)}"))


def _drop_indexes(session: Session, expected: int) -> dict[str, str]:
    """Drop the activity table's own indexes when `expected` new rows at least double it.

    SQLite then builds each index once from sorted keys after the rows are
    in, instead of inserting a million keys one at a time at random places
    (half the time of a large bulk write). The unique import key is part
    of the table and stays, so duplicates are still refused as they arrive.
    Returns the dropped indexes' stored text, to create them again.
    """
    if not _is_sqlite(session) or expected <= 0:
        return {}
    if (session.scalar(select(func.count()).select_from(ACTIVITY)) or 0) > expected:
        return {}
    dropped = dict(
        session.execute(
            text(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = 'activity' AND sql IS NOT NULL"
            )
        ).all()
    )
    for name in dropped:
        session.execute(text(f'DROP INDEX "{name}"'))
    return dropped


@contextmanager
def writing_activities(session: Session, expected: int = 0) -> Iterator[ActivityWriter]:
    """A writer for many new activities (about `expected` of them), inside the caller's transaction.

    Nothing else may add activities in `session` until the block ends. The
    block runs in a savepoint: if it raises, the rows, the links, the
    suspended triggers and any dropped index all go back to how they were.
    """
    session.flush()
    with roomy_cache(session), session.begin_nested():
        writer = ActivityWriter(session)
        suspended = _suspend(session, INSERT_TRIGGERS)
        indexes = _drop_indexes(session, expected)
        yield writer
        _restore(session, indexes)
        if writer.written and suspended:  # suspended only on SQLite, where ids run on from first_id
            _stand_in(session, suspended, ACTIVITY.c.id >= writer.first_id, "insert")
        _restore(session, suspended)


def delete_activities(session: Session, rows: ColumnElement[bool]) -> int:
    """Delete the activities `rows` selects (a condition on the activity table) and their links.

    One statement for the rows (their links go by the foreign keys' ON
    DELETE CASCADE), with the index entries and month marks taken out and
    set beforehand as the row triggers would; returns how many were deleted.
    """
    session.flush()
    with roomy_cache(session), session.begin_nested():
        suspended = _suspend(session, DELETE_TRIGGERS)
        _stand_in(session, suspended, rows, "delete")
        deleted = session.execute(delete(ACTIVITY).where(rows)).rowcount or 0
        _restore(session, suspended)
    return deleted
