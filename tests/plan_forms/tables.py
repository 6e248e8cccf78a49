"""The task-division table (任务分工方案) a county issues beside its plan.

One row per task under a header row, a section row (one cell spanning the
table) before each section's tasks. The columns differ from county to
county — which header words (重点任务/工作任务/主要任务, 配合单位/责任单位,
完成时限/完成时间), which order, with or without 具体措施 and 备注 — so a
reader must find them by their words. Where consecutive tasks of a section
share a lead (or every unit), that cell is merged down over them.

The same rows are written as a .docx table (python-docx) and as text, one
cell per line as copied out of Word: a section row is one line, and a cell
covered by a merge from above is an empty line.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document

from tests.plan_forms.clauses import exact, first_leads, listing
from tests.plan_forms.corpus import LEAD, Plan, Task, Unit
from tests.plan_forms.frame import goal, guidance, notice_lines, safeguards
from tests.plan_forms.layout import CN, PAREN_CN, ExpectedSection, ExpectedTask, Marker

_FIXED_TIME = (2024, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class TableSpec:
    header: tuple[str, ...]
    columns: tuple[str, ...]
    """Per header word, what the column holds: number, task (the title, or title。text
    when there is no measures column), measures, lead, coop, responsible (every unit,
    the first leading), deadline, note (empty)."""
    section_marker: Marker | None
    """How section rows are numbered; None prints the bare title."""
    running_numbers: bool
    """序号 runs through the table; else it starts again in each section."""
    merge: tuple[str, ...] = ("lead",)


def deadline(plan: Plan, index: int) -> str:
    choices = (
        f"{plan.last_year}年底前",
        "长期坚持",
        "每年",
        f"{plan.first_year + 1}年底前",
        "持续推进",
        f"{plan.last_year}年6月底前",
    )
    return choices[index % len(choices)]


def _cell(spec: TableSpec, column: str, number: str, task: Task, due: str) -> str:
    leads = [u.name for u in task.units if u.role == LEAD]
    coops = [u.name for u in task.units if u.role != LEAD]
    if column == "task":
        if "measures" in spec.columns or not task.body:
            return task.title
        return f"{task.title}。{task.body}"
    return {
        "number": number,
        "measures": task.body,
        "lead": listing(leads),
        "coop": listing(coops),
        "responsible": listing(leads + coops),
        "deadline": due,
        "note": "",
    }[column]


def _meant(spec: TableSpec, task: Task) -> tuple[Unit, ...]:
    if "responsible" in spec.columns:
        return first_leads([u.name for u in exact(task.units)])
    return exact(task.units)


@dataclass
class _Row:
    cells: list[str]
    section: bool = False
    covered: frozenset[int] = frozenset()
    """Columns merged into the cell above."""


def table_rows(plan: Plan, spec: TableSpec) -> tuple[list[_Row], list[ExpectedSection]]:
    rows = [_Row(list(spec.header))]
    expected: list[ExpectedSection] = []
    running = 0
    for s, section in enumerate(plan.sections, 1):
        marker = spec.section_marker.prefix(s) if spec.section_marker else ""
        rows.append(_Row([marker + section.title], section=True))
        wanted = ExpectedSection(section.title, section.kind, ())
        for n, task in enumerate(section.tasks, 1):
            running += 1
            number = str(running if spec.running_numbers else n)
            due = deadline(plan, running - 1)
            cells = [_cell(spec, column, number, task, due) for column in spec.columns]
            covered = frozenset(
                c
                for c, column in enumerate(spec.columns)
                if column in spec.merge and n > 1 and rows[-1].cells[c] == cells[c]
            )
            rows.append(_Row(cells, covered=covered))
            wanted.tasks.append(ExpectedTask(number, task.title, _meant(spec, task), due))
        expected.append(wanted)
    return rows, expected


def _before(plan: Plan) -> list[str]:
    return [
        *notice_lines(plan),
        f"{CN.prefix(1)}指导思想",
        guidance(plan),
        f"{CN.prefix(2)}主要目标",
        goal(plan),
        f"{CN.prefix(3)}重点任务分工",
        "各项重点任务及责任分工见下表。",
        f"{plan.region}全民科学素质行动重点任务分工表",
    ]


def _after(plan: Plan) -> list[str]:
    lines = [f"{CN.prefix(4)}保障措施"]
    for i, (title, text) in enumerate(safeguards(plan), 1):
        lines.append(f"{PAREN_CN.prefix(i)}{title}。{text}")
    return lines


def table_text(plan: Plan, spec: TableSpec) -> tuple[str, list[ExpectedSection]]:
    rows, expected = table_rows(plan, spec)
    lines = _before(plan)
    for row in rows:
        if row.section:
            lines.append(row.cells[0])
        else:
            lines += ["" if c in row.covered else text for c, text in enumerate(row.cells)]
    lines += _after(plan)
    return "\n".join(lines) + "\n", expected


def _runs(rows: list[_Row], column: int) -> list[tuple[int, int]]:
    """(first, last) row indexes of each merge down `column`."""
    runs = []
    for r, row in enumerate(rows):
        if column in row.covered:
            if runs and runs[-1][1] == r - 1:
                runs[-1] = (runs[-1][0], r)
            else:
                runs.append((r - 1, r))
    return runs


def write_table_docx(plan: Plan, spec: TableSpec, path: Path) -> list[ExpectedSection]:
    rows, expected = table_rows(plan, spec)
    document = Document()
    for line in _before(plan):
        if line:
            document.add_paragraph(line)
    width = len(spec.columns)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        if row.section:
            table.cell(r, 0).merge(table.cell(r, width - 1))
    for c in range(width):
        for first, last in _runs(rows, c):
            table.cell(first, c).merge(table.cell(last, c))
    for r, row in enumerate(rows):
        for c, text in enumerate(row.cells):
            if c not in row.covered:
                table.cell(r, c).text = text
    for line in _after(plan):
        document.add_paragraph(line)
    props = document.core_properties
    props.author = props.last_modified_by = ""
    props.created = props.modified = datetime(*_FIXED_TIME)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_steady_zip(buffer.getvalue()))
    return expected


def _steady_zip(data: bytes) -> bytes:
    """The same package with fixed member times, so regenerating changes no bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
