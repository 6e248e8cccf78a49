"""Where a plan prints a task's units: the clause that closes a task, wherever it stands.

A task's units come at its end in one of several ways: a bracket
("〔责任单位：…〕", "（…按职责分工负责）"), or a sentence of its own with no
bracket at all ("…的远大志向。责任单位：A、B。", "牵头单位：A；配合单位：B。",
"A牵头，B配合。", "由A负责，B配合。", "责任单位：A（牵头）、B。"). A bracket
says plainly that it holds units; a bare sentence is taken as a unit clause
only when it has a clause's shape (a unit label, or a closing 负责/牵头/配合)
and every name in it reads as a unit, so a sentence of the task's own text is
never taken for one. The same test keeps a hard-wrapped paragraph from
running on past a unit line ("牵头单位：县农业农村局" + "培训农民…").
"""

from __future__ import annotations

import re

from desktop.importing.plan_markers import unit_label
from desktop.importing.units import (
    UnitRef,
    has_name_roles,
    looks_like_unit_name,
    parse_unit_clause,
)

_OPENERS = "（(〔[［【"
_CLOSERS = "）)〕]］】"
# How a clause without a label ends: "…配合", "…按职责分工负责", "…牵头".
_CLOSING_WORD = re.compile(r"(?:负责|牵头|配合|参与|协助|协办|落实)(?:实施)?$")
# A unit label inside a sentence, after a comma or semicolon ("…能力，责任单位：A").
_INNER_LABEL = re.compile(r"(?<=[，,；;\s])[^\s，,；;：:。]{2,8}[：:]")


def _split_trailing_bracket(text: str) -> tuple[str, str] | None:
    """("…实践能力。", "市委宣传部…按职责分工负责") for text ending in a bracket."""
    stripped = text.rstrip().rstrip("。.；;")
    if not stripped or stripped[-1] not in _CLOSERS:
        return None
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        ch = stripped[i]
        if ch in _CLOSERS:
            depth += 1
        elif ch in _OPENERS:
            depth -= 1
            if depth == 0:
                return stripped[:i], stripped[i + 1 : -1]
    return None


def clause_units(text: str) -> list[UnitRef]:
    """The units of a text that is a unit clause and nothing else, or [] if it is not one.

    Several sentences of labels ("牵头单位：A。配合单位：B") read as one clause.
    """
    inner = text.strip().rstrip("。.；;").replace("。", "；")
    shaped = (
        unit_label(inner) is not None or bool(_CLOSING_WORD.search(inner)) or has_name_roles(inner)
    )
    if not shaped:
        return []
    refs = parse_unit_clause(inner)
    if refs and all(looks_like_unit_name(ref.name) for ref in refs):
        return refs
    return []


def _trailing_sentences(text: str) -> tuple[int, list[UnitRef]]:
    """Where the unit sentences closing `text` start, and their units ((len, []) if none).

    The longest run of whole sentences, each a clause, read as one clause
    wins; failing that, a labelled clause after a comma in the last sentence.
    """
    core = text.rstrip().rstrip("。.；;")
    starts = [0] + [m.end() for m in re.finditer("。", core)]
    ends = [*starts[1:], len(core)]
    first = len(starts)
    while first > 0 and clause_units(core[starts[first - 1] : ends[first - 1]]):
        first -= 1
    if first < len(starts):
        return starts[first], clause_units(core[starts[first] :])
    for label in _INNER_LABEL.finditer(core, starts[-1]):
        refs = clause_units(core[label.start() :])
        if refs:
            return label.start(), refs
    return len(text), []


def take_unit_clause(text: str, whole: bool = False) -> tuple[str, list[UnitRef]]:
    """A task's text without the unit clause closing it, and that clause's units.

    Text that is nothing but a clause is left as it is (a task is never
    emptied into its units) unless `whole`, as for a section's intro.
    """
    split = _split_trailing_bracket(text)
    if split:
        refs = clause_units(split[1])
        if refs:
            return split[0].rstrip(), refs
    start, refs = _trailing_sentences(text)
    before = text[:start].rstrip()
    if not refs or not (whole or before.strip("，,；;")):
        return text, []
    if not before:
        return "", refs
    if before[-1] in "，,；;":
        before = before[:-1] + "。"
    return before, refs


def ends_unit_list(previous: str, line: str) -> bool:
    """Whether `line` starts after a labelled unit list that `previous` completes.

    "牵头单位：县农业农村局" then "培训农民2000人次以上。": the list is
    whole and the line does not go on with it, so the line is new text. A
    list broken inside a name ("…、县生" + "态环境局") goes on.
    """
    if not re.search(r"[：:]", previous):
        return False
    return _ends_labelled_list(previous) and not _ends_labelled_list(previous + line)


def _ends_labelled_list(text: str) -> bool:
    """Whether `text` ends with a labelled unit clause, as a whole line or after a sentence."""
    start, refs = _trailing_sentences(text)
    return bool(refs) and unit_label(text[start:].strip()) is not None


def unit_line(label: str, text: str, earlier: list[UnitRef]) -> list[UnitRef]:
    """Units of a "牵头部门：…" style line; a 责任单位 line after a lead line cooperates."""
    has_lead = any(ref.role == "lead" for ref in earlier)
    return parse_unit_clause(f"{label}：{text}", default_first_is_lead=not has_lead)
