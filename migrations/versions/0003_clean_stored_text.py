"""clean stored text: what earlier versions stored before text was cleaned on the way in

Control characters (Word's \\x0b and \\x0c, bell, NUL), zero-width spaces and
direction marks, half surrogate pairs and runs of spaces are removed from
every stored text field, by the rules of desktop/cleaning.py as
they stood when this revision was written (copied here: a migration must
not change when the program's code does). Only rows that change are
written. A required field that would be empty keeps a visible placeholder
instead, and a unit name that would collide with another unit's is left as
it is; no row is deleted.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


def _one_line(text: str) -> str:
    kept = "".join(
        ch for ch in text if ch in " \t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
    return _SPACES.sub(" ", kept).strip()


def _line(value: str) -> str:
    return _one_line(_LINE_BREAKS.sub(" ", value).replace("\n", " "))


def _name(value: str) -> str:
    return _SPACE_IN_CJK.sub("", _line(value))


def _text(value: str) -> str:
    lines = [_one_line(line) for line in _LINE_BREAKS.sub("\n", value).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


# table: (column, cleaner, placeholder when a required field would be empty)
FIELDS: dict[str, list[tuple[str, object, str | None]]] = {
    "activity": [
        ("title", _line, "（名称为空）"),
        ("media", _line, None),
        ("summary", _text, None),
    ],
    "entry": [("note", _text, None)],
    "plan": [
        ("name", _line, "（名称为空）"),
        ("region", _line, "（地区为空）"),
        ("doc_number", _line, None),
    ],
    "section": [("title", _line, "（标题为空）")],
    "task": [("title", _line, "（标题为空）"), ("number", _line, None), ("text", _text, None)],
    "indicator": [("name", _line, "（名称为空）"), ("uom", _line, None), ("quote", _text, None)],
    "volunteer_team": [("name", _line, None)],
    "setting": [("value", _line, None)],
}
UNIQUE_NAMES = {"unit": "name", "unit_alias": "alias", "place": "name"}


def _clean_table(
    conn: sa.Connection, table: str, fields: list[tuple[str, object, str | None]]
) -> None:
    columns = ", ".join(f'"{c}"' for c, _, _ in fields)
    key = "key" if table == "setting" else "id"
    updates = []
    for row in conn.exec_driver_sql(f'SELECT "{key}", {columns} FROM "{table}"'):
        changed = {}
        for (column, clean, placeholder), value in zip(fields, row[1:], strict=True):
            if not isinstance(value, str):
                continue
            new = clean(value)  # type: ignore[operator]
            if not new and placeholder and value:
                new = placeholder
            if new != value:
                changed[column] = new
        if changed:
            updates.append((row[0], changed))
    for ident, changed in updates:
        sets = ", ".join(f'"{c}" = :{c}' for c in changed)
        conn.execute(
            sa.text(f'UPDATE "{table}" SET {sets} WHERE "{key}" = :ident'),
            {**changed, "ident": ident},
        )


def _clean_names(conn: sa.Connection, table: str, column: str) -> None:
    rows = list(conn.exec_driver_sql(f'SELECT id, "{column}" FROM "{table}"'))
    taken = {value for _, value in rows}
    for ident, value in rows:
        if not isinstance(value, str):
            continue
        new = _name(value).replace(" ", "")
        if new and new != value and new not in taken:
            conn.execute(
                sa.text(f'UPDATE "{table}" SET "{column}" = :v WHERE id = :i'),
                {"v": new, "i": ident},
            )
            taken.discard(value)
            taken.add(new)


def upgrade() -> None:
    conn = op.get_bind()
    for table, fields in FIELDS.items():
        _clean_table(conn, table, fields)
    for table, column in UNIQUE_NAMES.items():
        _clean_names(conn, table, column)


def downgrade() -> None:
    """Nothing to undo: the removed characters carried no meaning."""
