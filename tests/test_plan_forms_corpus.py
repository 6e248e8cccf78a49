"""The plan-form corpus is sound: complete, its answers printed in its documents, its
scorer exact on the seeds.

This checks the measuring stick, not the parser: each form folder holds the
five seeds, every task title, section title and unit an answer names occurs
in its document, the answers agree with themselves, and the scorer gives the
seed texts — which the parser reads perfectly — 100 % on every count. The
parser's own scores per form are printed by `python -m tests.plan_forms.score`;
the thresholds issue 20 sets are not asserted here yet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.plan_forms import CORPUS, FORMS, SEEDS, TABLE_FORMS
from tests.plan_forms.score import FormScore, document_path, load_answer, score

DOCUMENTS = [(form, seed) for form in FORMS for seed in SEEDS]


def _document_text(path: Path) -> str:
    if path.suffix == ".docx":
        document = Document(str(path))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return path.read_text(encoding="utf-8")


def _compact(text: str) -> str:
    """Without spaces or line breaks: the seeds are hard-wrapped copies of PDFs."""
    return "".join(text.split())


def _tasks(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [task for section in answer["sections"] for task in section["tasks"]]


def test_every_form_folder_holds_all_five_seeds() -> None:
    assert sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) == sorted(FORMS)
    for form, seed in DOCUMENTS:
        answer = load_answer(form, seed)
        assert (answer["seed"], answer["form"]) == (seed, form)
        assert document_path(form, seed).is_file(), f"{form}/{seed}"
    for form in FORMS:
        assert sorted(p.name for p in (CORPUS / form).glob("*.expected.json")) == sorted(
            f"{seed}.expected.json" for seed in SEEDS
        )


@pytest.mark.parametrize(("form", "seed"), DOCUMENTS)
def test_answer_names_what_its_document_prints(form: str, seed: str) -> None:
    answer = load_answer(form, seed)
    text = _compact(_document_text(document_path(form, seed)))
    assert _tasks(answer), f"{form}/{seed} has no tasks"
    for section in answer["sections"]:
        assert _compact(section["title"]) in text, section["title"]
    named = {u["name"] for s in answer["sections"] for u in s["units"]}
    for task in _tasks(answer):
        assert _compact(task["title"]) in text, task["title"]
        named |= {u["name"] for u in task["units"]}
    missing = sorted(name for name in named if _compact(name) not in text)
    assert not missing, f"{form}/{seed}: units not in the text: {missing}"


@pytest.mark.parametrize(("form", "seed"), DOCUMENTS)
def test_answer_agrees_with_itself(form: str, seed: str) -> None:
    answer = load_answer(form, seed)
    assert {s["kind"] for s in answer["sections"]} <= {"action", "project"}
    for task in _tasks(answer):
        roles = [u["role"] for u in task["units"]]
        assert set(roles) <= {"lead", "cooperating"}, task["title"]
        assert task["leads"] == [u["name"] for u in task["units"] if u["role"] == "lead"]
        assert task["leads"], f"{task['title']} has no lead"
        assert len({u["name"] for u in task["units"]}) == len(task["units"]), task["title"]
        assert ("deadline" in task) == (form in TABLE_FORMS), task["title"]


def test_the_seed_form_scores_full_marks() -> None:
    result = score("seed")
    full = result.tasks_expected
    assert full == sum(len(_tasks(load_answer("seed", seed))) for seed in SEEDS)
    assert result == FormScore(
        full, full, full, full, result.sections_expected, result.sections_expected
    )


def test_a_form_folder_holds_only_the_seeds_documents() -> None:
    """A stray file would be scored by nobody and mislead whoever reads the folder."""
    for form in FORMS:
        for path in (CORPUS / form).iterdir():
            stem = path.name.split(".")[0]
            assert stem in SEEDS, path
            if path.name.endswith(".expected.json"):
                json.loads(path.read_text(encoding="utf-8"))
