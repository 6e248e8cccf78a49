"""Text search over activity titles and summaries.

On SQLite the condition uses the FTS5 trigram index that migration 0002
builds (`activity_fts`), so a substring search over a million activities does
not scan the table. The trigram tokenizer cannot match fewer than three
characters; a two-character query (most Chinese words) is answered from the
index's list of trigrams instead (migration 0005): the rows holding any
trigram that starts with the query, plus the rows whose title or summary
ends with it, found through two expression indexes. One-character queries
use LIKE, as every other database does. The choice is made when the statement is
compiled for its database, so `apply_filter` needs no session to know which
one it talks to.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    bindparam,
    column,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy import text as sql_text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from desktop.cleaning import clean_line
from desktop.models import Activity

FTS_TABLE = "activity_fts"
FTS_VOCAB = "activity_fts_vocab"
# Names the search index owns in the SQLite schema (the table, its shadow
# tables and its triggers), which the ORM models do not describe.
FTS_PREFIX = "activity_fts"
TRIGRAM = 3
# Migration 0005 indexes the last two characters of these, lowered; the
# expressions below must read as they do there (a literal -2, not a parameter).
ENDING_COLUMNS = (Activity.title, Activity.summary)


def is_search_index(name: str | None) -> bool:
    """True for the FTS table and its shadow tables, e.g. for autogenerate filters."""
    return bool(name) and str(name).startswith(FTS_PREFIX)


def fts_phrase(text: str) -> str:
    """The query as one FTS5 phrase: a plain substring, quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


class ActivityTextMatch(ColumnElement[bool]):
    """`activity` rows whose title or summary contains `text` (case-insensitive)."""

    inherit_cache = False

    def __init__(self, text: str) -> None:
        self.text = text

    def like(self) -> ColumnElement[bool]:
        return or_(
            Activity.title.icontains(self.text, autoescape=True),
            Activity.summary.icontains(self.text, autoescape=True),
        ).self_group()


@compiles(ActivityTextMatch)
def _compile_like(element: ActivityTextMatch, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.like(), **kw)


@compiles(ActivityTextMatch, "sqlite")
def _compile_fts(element: ActivityTextMatch, compiler: SQLCompiler, **kw: Any) -> str:
    if len(element.text) < TRIGRAM - 1:
        return compiler.process(element.like(), **kw)
    if len(element.text) < TRIGRAM:
        return compiler.process(_pair_match(element), **kw)
    return compiler.process(Activity.id.in_(_fts_rows(fts_phrase(element.text))), **kw)


def _fts_rows(query: Any) -> Any:
    """rowids of the index's rows matching an FTS5 query (a string or an SQL expression)."""
    rowid = literal_column("rowid", Integer)
    if isinstance(query, str):
        query = bindparam("fts_query", query, unique=True)
    return (
        select(rowid)
        .select_from(table(FTS_TABLE))
        .where(literal_column(FTS_TABLE).op("MATCH")(query))
    )


def _pair_match(element: ActivityTextMatch) -> ColumnElement[bool]:
    """Two characters: the rows with a trigram starting with them, or a text ending with them."""
    pair = element.text.lower()
    vocab = table(FTS_VOCAB, column("term"))
    quoted = literal('"') + func.replace(vocab.c.term, '"', '""') + literal('"')
    trigrams = (
        select(func.group_concat(quoted, " OR "))
        .where(
            vocab.c.term >= bindparam("fts_from", pair, unique=True),
            vocab.c.term < bindparam("fts_to", pair + "\U0010ffff", unique=True),
        )
        .scalar_subquery()
    )
    # No trigram starts with the pair: a query of the pair alone, which matches no row.
    query = func.coalesce(trigrams, fts_phrase(element.text))
    ending = bindparam("fts_end", element.text, unique=True)
    return or_(
        Activity.id.in_(_fts_rows(query)),
        *(
            func.lower(func.substr(column, literal_column("-2"))) == func.lower(ending)
            for column in ENDING_COLUMNS
        ),
    ).self_group()


def match_count(session: Session, text: str) -> int | None:
    """How many activities hold `text`, counted in the trigram index alone.

    The index has one row per activity (its triggers keep it so), so
    counting its matches equals counting the ledger's, without a lookup
    per match. None where the index cannot answer: other databases, and
    queries shorter than a trigram once cleaned.
    """
    if session.get_bind().dialect.name != "sqlite" or not text.strip():
        return None
    cleaned = clean_line(text)
    if len(cleaned) < TRIGRAM:
        return None
    matches = _fts_rows(fts_phrase(cleaned)).subquery()
    return session.scalar(select(func.count()).select_from(matches))


# The start date's own index: walked in order it gives each row's date and
# rowid without reading the table.
DATE_INDEX = "ix_activity_start_date"


def page_in_date_order(
    session: Session, text: str, offset: int, limit: int, descending: bool
) -> list[int] | None:
    """The ids of one page of a common word's matches in date order, read along the date index.

    Sorting the matches reads every one's date from the table (40,000
    lookups for a common word at a million activities, 55 ms); walking the
    date index from the page's end reads about (offset + limit) × ledger /
    matches entries and stops (6 ms). Walking wins once matches² exceed
    that product; a rare word is left to the sort (None), as is anything
    the trigram index cannot answer alone.
    """
    matches = match_count(session, text)
    if not matches:
        return None
    ledger = session.scalar(select(func.max(Activity.id))) or 0  # ids run about as dense as rows
    if matches * matches <= (offset + limit) * ledger:
        return None
    order = "DESC" if descending else "ASC"
    walk = sql_text(
        f"SELECT id FROM activity INDEXED BY {DATE_INDEX} "
        f"WHERE id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :query) "
        f"ORDER BY start_date {order}, id {order} LIMIT :limit OFFSET :offset"
    )
    found = session.execute(
        walk, {"query": fts_phrase(clean_line(text)), "limit": limit, "offset": offset}
    )
    return [row[0] for row in found]


def text_condition(text: str) -> ColumnElement[bool] | None:
    """The WHERE condition for a search box's text; None when there is nothing to search.

    The query is cleaned by the rule stored text was cleaned by
    (cleaning.clean_line), so text pasted from Word finds what was pasted
    from Word. A query of nothing but characters no stored text can hold
    (NUL, control characters, zero-width marks) finds nothing — never
    everything. LIKE and FTS special characters are searched as themselves.
    """
    if not text.strip():
        return None
    cleaned = clean_line(text)
    if not cleaned:
        return false()
    return ActivityTextMatch(cleaned)
