"""Task-division tables (任务分工方案): rows of cells → sections, tasks and units.

Counties often issue the plan's tasks as a table beside it: one row per task
under a header row, a row spanning the table before each section's tasks,
and a lead cell merged down over the tasks it leads. The columns differ from
county to county — 序号 · 重点任务/工作任务/主要任务 · 具体措施 · 牵头单位 ·
配合单位/责任单位 · 完成时限, in any order, with or without 备注 — so they are
found by their header words, never by position, and the unit cells are read
with the header as their label ("牵头单位：…；责任单位：…"), by the same
unit-list rules as a unit line of the text (units.parse_unit_clause): a lone
责任单位 column's first unit leads, beside a 牵头 column it cooperates.

The table reaches the parser in one of two ways. A Word file's tables come
as rows (plan_document_file.DocumentTable), merges resolved from the XML.
Text has one cell per line, as Word copies a table: a section row is one
line, a cell merged down from the row above is an empty line; the header's
words give the number of columns, and the lines after it are regrouped into
rows of that many lines, each opening with its 序号 (a table read as text
needs that column first, or its rows cannot be told apart); pasted from the
clipboard, a row is one line with its cells apart by tabs. An empty unit or
完成时限 cell in text takes the cell above in the same section, as a merge.
A title row or a two-row header may come before the header row; a section
row is one cell spanning the table, or a row with one text and no units.

The typed TaskDoc has no deadline field (one would need a schema migration),
so a 完成时限 cell is kept as the last line of the task's text,
"完成时限：…". The text around the table still gives the plan's header and
indicators; its sections, when a table is found, are the table's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.importing.plan_document_file import DocumentTable
from desktop.importing.plan_markers import classify
from desktop.importing.plan_structure import GivenTask, Structure, given_structure
from desktop.importing.units import UnitMatcher, is_unit_label, parse_unit_clause
from desktop.numbers import to_halfwidth

DEADLINE_LABEL = "完成时限"
_UNTITLED_SECTION = "重点任务"
_MAX_HEADER_WORD = 10
_HEADER_ROWS = 3  # a header is among a table's first rows
_NUMBER_CELL_RE = re.compile(r"^[（(]?\d{1,3}[)）.．、]?$")
# Header words by what their column holds, tried in this order (unit labels before).
_HEADER_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"^(?:序号|编号|序列)$")),
    ("deadline", re.compile(r"时限|时间|期限|进度|时序")),
    ("note", re.compile(r"^备注$")),
    ("measures", re.compile(r"措施|举措|内容|要求|目标")),
    ("task", re.compile(r"任务|事项|工作|项目")),
)


@dataclass(frozen=True)
class _Columns:
    """Where each kind of cell is in a row, by the header's words."""

    width: int
    task: int
    units: tuple[tuple[int, str], ...]  # (column, header word as a unit label), leads first
    number: int | None = None
    measures: tuple[int, ...] = ()
    deadline: int | None = None

    def merged_down(self) -> tuple[int, ...]:
        """Columns whose empty cell, in text, continues the cell above."""
        deadline = () if self.deadline is None else (self.deadline,)
        return tuple(column for column, _ in self.units) + deadline


def _header_word(cell: str) -> str:
    return re.sub(r"\s+", "", cell)


def _column_kind(word: str) -> str | None:
    """What a header word's column holds; "other" for a word of no known column
    (责任领导, an empty corner), None for text too long to be a header word."""
    if len(word) > _MAX_HEADER_WORD:
        return None
    if is_unit_label(word):
        return "units"
    for kind, pattern in _HEADER_WORDS:
        if pattern.search(word):
            return kind
    return "other"


def _lead_label(label: str) -> bool:
    """Whether every unit under `label` leads (牵头单位), as the unit rules read it.

    Lead columns come first in a row's clause, so a 责任单位 column beside
    one cooperates wherever it stands.
    """
    return all(ref.role == "lead" for ref in parse_unit_clause(f"{label}：甲局、乙局"))


def _columns(header: Sequence[str]) -> _Columns | None:
    """The columns of a division table's header row, or None if it is not one.

    A header names a task column and at least one unit column, other
    columns are passed over; a second task-like column (工作任务 beside
    重点任务) holds the task's measures.
    """
    words = [_header_word(cell) for cell in header]
    kinds = [_column_kind(word) for word in words]
    if len(words) < 3 or None in kinds or "task" not in kinds or "units" not in kinds:
        return None
    task = kinds.index("task")
    units = [(c, words[c]) for c, kind in enumerate(kinds) if kind == "units"]
    return _Columns(
        width=len(words),
        task=task,
        units=tuple(sorted(units, key=lambda unit: not _lead_label(unit[1]))),
        number=kinds.index("number") if "number" in kinds else None,
        measures=tuple(
            c
            for c, kind in enumerate(kinds)
            if kind == "measures" or (kind == "task" and c != task)
        ),
        deadline=kinds.index("deadline") if "deadline" in kinds else None,
    )


def _one_line(cell: str) -> str:
    """A cell's paragraphs as one text (a cell's lines are not separate blocks)."""
    return "".join(part.strip() for part in cell.splitlines())


def _section_title(cell: str) -> str:
    block = classify(cell)
    return (block.text if block.number else cell).rstrip("。：:；")


def _body(cells: Sequence[str], columns: _Columns) -> str:
    """The task cell then its measures: the title is the task cell's first sentence."""
    task = cells[columns.task]
    measures = "".join(cells[c] for c in columns.measures)
    if not measures:
        return task
    return f"{task.rstrip('。；;，, ')}。{measures}"


def _units_clause(cells: Sequence[str], columns: _Columns) -> str:
    """The unit cells as one labelled clause: "牵头单位：A；配合单位：B、C"."""
    return "；".join(f"{label}：{cells[c]}" for c, label in columns.units if cells[c])


@dataclass
class _ReadSection:
    title: str
    tasks: list[GivenTask]
    deadlines: list[str]


def _is_section_row(cells: Sequence[str], columns: _Columns) -> bool:
    """A row naming a section: one text, in a cell spanning the table or alone in its row."""
    if len(cells) == 1:
        return True
    texts = {cell for cell in cells if cell}
    if len(texts) != 1 or len(cells) != columns.width or _NUMBER_CELL_RE.match(next(iter(texts))):
        return False
    return not any(cells[c] for c, _ in columns.units)


def _header(rows: Sequence[Sequence[str]]) -> tuple[int, _Columns] | None:
    """The header row among a table's first rows, and its columns.

    A title row may come first; of a two-row header (责任单位 spanning
    牵头单位 · 配合单位) the second row names every column.
    """
    found: tuple[int, _Columns] | None = None
    for at, row in enumerate(rows[:_HEADER_ROWS]):
        columns = _columns(row)
        if columns is not None:
            found = (at, columns)
        elif found is not None:
            break
    return found


def _read_rows(rows: Sequence[Sequence[str]], blanks_merged: bool) -> list[_ReadSection] | None:
    """Sections and tasks of a table, or None if it is no division table."""
    found = _header(rows)
    if found is None:
        return None
    at, columns = found
    header = [_header_word(cell) for cell in rows[at]]
    sections: list[_ReadSection] = []
    above: list[str] | None = None
    for row in rows[at + 1 :]:
        cells = [_one_line(cell) for cell in row]
        if _is_section_row(cells, columns):
            title = next(cell for cell in cells if cell) if any(cells) else ""
            if title:
                sections.append(_ReadSection(_section_title(title), [], []))
            above = None
            continue
        if len(cells) != columns.width or [_header_word(c) for c in cells] == header:
            continue
        if blanks_merged and above is not None:
            for c in columns.merged_down():
                cells[c] = cells[c] or above[c]
        if not cells[columns.task]:
            continue
        above = cells
        if not sections:
            sections.append(_ReadSection(_UNTITLED_SECTION, [], []))
        number = "" if columns.number is None else to_halfwidth(cells[columns.number])
        sections[-1].tasks.append(
            GivenTask(
                number=number.strip("（()）.．、 "),
                body=_body(cells, columns),
                units=parse_unit_clause(_units_clause(cells, columns)),
            )
        )
        sections[-1].deadlines.append("" if columns.deadline is None else cells[columns.deadline])
    sections = [section for section in sections if section.tasks]
    return sections or None


def _text_table(lines: Sequence[str], start: int) -> tuple[int, list[list[str]]] | None:
    """(end, rows) of a table written in text whose header starts at `start`: one
    cell per line, or one row per line with its cells apart by tabs (as Word puts
    a table on the clipboard)."""
    if "\t" in lines[start]:
        return _tab_table(lines, start)
    end = start
    while end < len(lines) and _column_kind(_header_word(lines[end])) not in (None, "other"):
        end += 1
    header = [line.strip() for line in lines[start:end]]
    columns = _columns(header)
    if columns is None or columns.number != 0:
        return None
    rows = [header]
    at = end
    while at < len(lines):
        cell = lines[at].strip()
        if _NUMBER_CELL_RE.match(cell) and at + columns.width <= len(lines):
            rows.append([line.strip() for line in lines[at : at + columns.width]])
            at += columns.width
        elif cell and at + 1 < len(lines) and _NUMBER_CELL_RE.match(lines[at + 1].strip()):
            rows.append([cell])
            at += 1
        else:
            break
    return (at, rows) if len(rows) > 1 else None


def _tab_table(lines: Sequence[str], start: int) -> tuple[int, list[list[str]]] | None:
    """(end, rows) of a table whose rows are lines of tab-separated cells."""
    header = [cell.strip() for cell in lines[start].split("\t")]
    columns = _columns(header)
    if columns is None:
        return None
    rows = [header]
    at = start + 1
    while at < len(lines):
        line = lines[at].strip()
        if "\t" in lines[at]:
            cells = [cell.strip() for cell in lines[at].split("\t")]
            rows.append((cells + [""] * columns.width)[: columns.width])
        elif line and at + 1 < len(lines) and "\t" in lines[at + 1]:
            rows.append([line])
        else:
            break
        at += 1
    return (at, rows) if len(rows) > 1 else None


@dataclass(frozen=True)
class DivisionTable:
    """The sections a plan's division tables give, and the text around them."""

    sections: list[_ReadSection]
    prose: str

    def structure(self, prose: Structure) -> Structure:
        """The plan's structure: the table's sections, then the units and passages
        of the text around it (its sections, if any, are the table's again, so
        the lines it could not place are no loss: its tasks are in the table)."""
        table = given_structure([(s.title, s.tasks) for s in self.sections])
        for section, doc in zip(self.sections, table.sections, strict=True):
            for deadline, task in zip(section.deadlines, doc.tasks, strict=True):
                if deadline:
                    task.text = f"{task.text}\n{DEADLINE_LABEL}：{deadline}"
        matcher = UnitMatcher((unit.name, unit.aliases) for unit in table.units)
        units = table.units + [unit for unit in prose.units if matcher.match(unit.name) is None]
        passages = prose.passages + table.passages
        return Structure(table.sections, units, passages)


def find_division_tables(text: str, tables: Sequence[DocumentTable] = ()) -> DivisionTable | None:
    """The division tables of a plan: a Word file's `tables`, else those written
    one cell per line in `text`; None when the plan has none."""
    lines = text.split("\n")
    sections: list[_ReadSection] = []
    spans: list[tuple[int, int]] = []
    for table in tables:
        read = _read_rows(table.rows, blanks_merged=False)
        if read:
            sections += read
            spans.append((table.start, table.end))
    from_file = bool(spans)
    at = 0
    while not from_file and at < len(lines):
        found = _text_table(lines, at)
        read = _read_rows(found[1], blanks_merged=True) if found else None
        if found and read:
            sections += read
            spans.append((at, found[0]))
            at = found[0]
        else:
            at += 1
    if not sections:
        return None
    prose = [line for i, line in enumerate(lines) if not any(a <= i < b for a, b in spans)]
    return DivisionTable(sections, "\n".join(prose))
