"""A safety net under the structure parser: no line that names units is lost unseen.

The structure parser lists the lines it knowingly sets aside (plan_structure's
unplaced). A paragraph can also fall through a document's unusual outline —
"（一）加强学校科学教育。责任单位：县教体局、县科协" read as a part heading in a
plan with no 一、 — and vanish from the draft. A paragraph that names
responsible units is the clerk's work assignment: if neither its words nor its
units reached any section or task, it is listed for the clerk to place by hand.
"""

from __future__ import annotations

import re

from desktop.importing.plan_markers import Block, unit_label
from desktop.importing.plan_structure import printed_line
from desktop.importing.plan_unit_clauses import take_unit_clause
from desktop.importing.units import UnitMatcher, parse_unit_clause
from desktop.plan.document import PlanDocument

_NOT_WORDS = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    return _NOT_WORDS.sub("", text)


def _lead(text: str) -> str:
    """The words before the first full stop: what a title or a task's text would hold."""
    return _key(re.split(r"[。；;]", text, maxsplit=1)[0])


def lost_lines(blocks: list[Block], doc: PlanDocument, listed: list[str]) -> list[str]:
    """`listed` and, after it, every unit-naming paragraph that left no trace in `doc`.

    Only the task area counts: the paragraphs up to the last one whose words
    reached a section or task, so 保障措施 after the tasks, which name units
    too, are not a task the parser missed.
    """
    written = "\n".join(
        _key(part)
        for section in doc.sections
        for part in (section.title, *(f"{t.title}\n{t.text}" for t in section.tasks))
    )
    linked = doc.linked_unit_names()
    known = UnitMatcher()
    for unit in doc.units:
        if unit.name in linked:
            known.add(unit.name, unit.aliases)
    leads = [_lead(take_unit_clause(block.text, whole=True)[0]) for block in blocks]
    placed = [i for i, lead in enumerate(leads) if lead and lead in written]
    seen = set(listed)
    out = list(listed)
    for block, lead in zip(blocks[: placed[-1] if placed else 0], leads, strict=False):
        labelled = unit_label(block.text)
        if block.kind == "units" or labelled:
            label, rest = (block.label, block.text) if block.kind == "units" else labelled
            names = [ref.name for ref in parse_unit_clause(f"{label}：{rest}")]
            lost = bool(names) and not any(known.match(name) for name in names)
        else:
            lost = bool(take_unit_clause(block.text, whole=True)[1]) and lead not in written
        line = printed_line(block)
        if lost and line not in seen:
            seen.add(line)
            out.append(line)
    return out
