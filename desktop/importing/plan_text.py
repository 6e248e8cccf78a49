"""Plan-document parser: the text of a 全民科学素质行动 plan → a draft PlanDocument.

The office often has its plan only as a Word file or as text copied out of a
PDF. This parser reads such text and proposes the plan in the shape of
resources/templates/SCHEMA.md — metadata, sections, tasks, responsible
units and quantified indicators — for the user to review before saving.

It keys on the conventions these documents share, not on any one file (the
README's "Plans read from their text" lists every form, measured by
tests/plan_forms): numbering of every published kind, its levels read from the
document's own outline; unit clauses on a task's line or after it, labelled,
bracketed or as verbs (A牵头，B配合); task-division tables; text hard-wrapped
from a PDF with page numbers inside; the notice header (文号, issue date, the
title with its years).

Nothing here may raise on odd input: an unrecognised document yields a
draft with whatever was found (possibly no sections at all).

This module only runs the steps in order; each lives in its own module:
plan_document_file (bytes → text and Word tables), plan_lines (lines →
paragraphs), plan_markers and plan_levels (a paragraph's kind and outline
level), plan_structure with plan_unit_clauses (sections, tasks, units),
plan_table (task-division tables), plan_meta (the header), plan_indicators
(the quantified targets) and plan_lost_lines (what must not vanish unseen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop.importing.plan_document_file import DocumentTable
from desktop.importing.plan_indicators import find_indicators, read_literacy
from desktop.importing.plan_lines import clean_lines, unwrap
from desktop.importing.plan_lost_lines import lost_lines
from desktop.importing.plan_markers import classify
from desktop.importing.plan_meta import guess_first_year, guess_last_year, plan_id, read_meta
from desktop.importing.plan_structure import parse_structure
from desktop.importing.plan_table import find_division_tables
from desktop.plan.document import PlanDocument


@dataclass
class PlanDraft:
    """The parsed draft, and the lines of the text it could not place, for the review."""

    document: PlanDocument
    unplaced: list[str] = field(default_factory=list)


def parse_plan_text(text: str, tables: Sequence[DocumentTable] = ()) -> PlanDocument:
    """The draft plan of a plan document's text (see parse_plan_draft)."""
    return parse_plan_draft(text, tables).document


def parse_plan_draft(text: str, tables: Sequence[DocumentTable] = ()) -> PlanDraft:
    """Parse a plan document's text into a draft plan (SCHEMA.md shape).

    The result is a proposal for the user to review, never saved as is:
    `id` is "plan-<region hash>-<first>-<last>" (no pinyin offline), task
    units fall back to the section's 牵头/配合 lines, and every number
    printed with a unit becomes an indicator with its quoting sentence.
    Fields the text does not give are None; sections may be empty.
    A task-division table — a Word file's `tables`, or written in the text
    one cell per line — gives the sections (plan_table). The lines the
    structure parser could not place come beside the document
    (plan_structure's _StructureParser.unplaced says which).
    """
    division = find_division_tables(text, tables)
    lines = clean_lines(division.prose if division else text)
    paragraphs = unwrap(lines)
    info, body_start = read_meta(lines, paragraphs)
    blocks = [classify(p) for p in paragraphs[body_start:]]
    structure = parse_structure(blocks)
    if division:
        structure = division.structure(structure)
    guess_first_year(info, "\n".join(paragraphs))
    literacy = read_literacy(structure.passages, info.first_year)
    guess_last_year(info, literacy.target_years)
    info.literacy_baseline = literacy.baseline
    info.literacy_baseline_year = literacy.baseline_year
    info.literacy_target = literacy.target
    document = PlanDocument(
        id=plan_id(info),
        info=info,
        units=structure.units,
        sections=structure.sections,
        indicators=find_indicators(structure.passages, literacy),
    )
    unplaced = structure.unplaced if division else lost_lines(blocks, document, structure.unplaced)
    return PlanDraft(document, unplaced)
