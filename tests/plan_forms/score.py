"""How much of each plan form the plan-text parser reads: tasks found, lead right, units right.

`python -m tests.plan_forms.score [form …] [--by-seed]` prints a markdown
table, one row per form (and per document with --by-seed). Each document of
the corpus is read with `read_plan_source` and parsed with
`parse_plan_text` (its text and a Word file's tables); the parse is compared with the document's answer
(<seed>.expected.json) as follows.

Titles are compared normalised: NFKC (full-width letters, digits and
brackets become half-width), then only letters and digits kept, so spacing,
punctuation and quotation marks do not count. A parsed title *matches* an
expected one when it is the same, or starts with it and goes on after a
punctuation mark: a parser that keeps the title's sentence and more
("建立…机制，把提高科学素质列为…") has found the task; one that cuts the title
short, runs it into the next words ("弘扬和传承科学精神聚焦落实…", two table
cells read as one), or leaves the number or a unit clause in front of it,
has not.

A task is **found** when it is paired with a parsed task. Pairs are the
largest set of (expected, parsed) task pairs with matching titles that keeps
document order on both sides: the tasks of every section, section after
section, are aligned in order with the parsed tasks in theirs (a longest
common subsequence), so each parsed task answers at most one expected task,
and a task is found even if the parser put it under the wrong section.

A found task's units are the parsed task's own, or, when it has none, its
parsed section's (units printed once for a section apply to each task).
Unit names are compared after NFKC with spaces removed.

- **lead right**: the set of units it gives the role lead equals the
  expected set of leads (usually one unit; several when the document names
  several under a 牵头 label);
- **whole unit set right**: the set of (unit, role) pairs equals the
  expected set — the same units, none missing or extra, the same leads.

Both count over every expected task, so a task not found is neither. A
document the parser rejects (an exception) scores 0 and is listed below the
table. Sections are reported beside: an expected section is found when a
parsed section of the same kind has a matching title, aligned in order the
same way. Numbers and 完成时限 are in the answers but not scored.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from desktop.plan.document import PlanDocument, SectionDoc, TaskDoc
from tests.plan_forms import CORPUS, FORMS, SEEDS


@dataclass(frozen=True)
class FormScore:
    tasks_expected: int = 0
    tasks_found: int = 0
    lead_right: int = 0
    units_right: int = 0
    sections_expected: int = 0
    sections_found: int = 0

    def __add__(self, other: FormScore) -> FormScore:
        return FormScore(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(FormScore))
        )

    def rates(self) -> tuple[float, float, float, float]:
        """Percent of expected tasks found, lead right, unit set right; of sections found."""
        tasks, sections = self.tasks_expected, self.sections_expected
        return (
            _percent(self.tasks_found, tasks),
            _percent(self.lead_right, tasks),
            _percent(self.units_right, tasks),
            _percent(self.sections_found, sections),
        )


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def _parser_functions() -> tuple[Callable[..., PlanDocument], Callable[[Path], Any]]:
    """parse_plan_text and read_plan_source, from plan_text or the module beside it
    that holds them now (the importing package is being split)."""
    package = importlib.import_module("desktop.importing")
    names = ["plan_text"] + sorted(
        info.name for info in pkgutil.iter_modules(package.__path__) if info.name != "plan_text"
    )
    found: dict[str, Any] = {}
    for name in names:
        module = importlib.import_module(f"desktop.importing.{name}")
        for wanted in ("parse_plan_text", "read_plan_source"):
            if wanted not in found and hasattr(module, wanted):
                found[wanted] = getattr(module, wanted)
        if len(found) == 2:
            return found["parse_plan_text"], found["read_plan_source"]
    missing = {"parse_plan_text", "read_plan_source"} - set(found)
    raise ImportError(f"desktop.importing has no {', '.join(sorted(missing))}")


def _is_word(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def normal_title(title: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", title) if _is_word(ch))


def normal_unit(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def title_matches(expected: str, parsed: str) -> bool:
    """Whether `parsed` is the expected title, or it followed by more after a punctuation mark."""
    wanted = normal_title(expected)
    kept = 0
    for ch in unicodedata.normalize("NFKC", parsed):
        if kept == len(wanted):
            return not _is_word(ch)
        if _is_word(ch):
            if ch != wanted[kept]:
                return False
            kept += 1
    return bool(wanted) and kept == len(wanted)


def align(count: tuple[int, int], matches: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """The largest order-keeping set of matching (expected, parsed) index pairs."""
    n, m = count
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + 1 if matches(i, j) else 0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs = []
    i = j = 0
    while i < n and j < m:
        if matches(i, j) and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _unit_pairs(units: Sequence[dict[str, str]]) -> set[tuple[str, str]]:
    return {(normal_unit(u["name"]), u["role"]) for u in units}


def _parsed_units(section: SectionDoc, task: TaskDoc) -> set[tuple[str, str]]:
    links = task.units or section.units
    return {(normal_unit(link.name), link.role) for link in links}


def _leads(pairs: set[tuple[str, str]]) -> set[str]:
    return {name for name, role in pairs if role == "lead"}


def compare(answer: dict[str, Any], parsed: PlanDocument) -> FormScore:
    """The parse of one document against its answer, by the rules of the module docstring."""
    wanted = [task for section in answer["sections"] for task in section["tasks"]]
    got = [(section, task) for section in parsed.sections for task in section.tasks]
    pairs = align(
        (len(wanted), len(got)), lambda i, j: title_matches(wanted[i]["title"], got[j][1].title)
    )
    lead_right = units_right = 0
    for i, j in pairs:
        expected = _unit_pairs(wanted[i]["units"])
        actual = _parsed_units(*got[j])
        lead_right += _leads(actual) == _leads(expected)
        units_right += actual == expected
    sections = answer["sections"]
    section_pairs = align(
        (len(sections), len(parsed.sections)),
        lambda i, j: (
            sections[i]["kind"] == parsed.sections[j].kind
            and title_matches(sections[i]["title"], parsed.sections[j].title)
        ),
    )
    return FormScore(
        len(wanted), len(pairs), lead_right, units_right, len(sections), len(section_pairs)
    )


def answer_path(form: str, seed: str) -> Path:
    return CORPUS / form / f"{seed}.expected.json"


def load_answer(form: str, seed: str) -> dict[str, Any]:
    return json.loads(answer_path(form, seed).read_text(encoding="utf-8"))


def document_path(form: str, seed: str) -> Path:
    return (CORPUS / form / load_answer(form, seed)["document"]).resolve()


def score_document(form: str, seed: str) -> tuple[FormScore, str | None]:
    """The document's score, and the parser's refusal if it raised."""
    parse_plan_text, read_plan_source = _parser_functions()
    answer = load_answer(form, seed)
    try:
        source = read_plan_source(document_path(form, seed))
        parsed = parse_plan_text(source.text, source.tables)
    except Exception as exc:  # a refusal is a result: the form is not read
        tasks = sum(len(s["tasks"]) for s in answer["sections"])
        return FormScore(tasks, sections_expected=len(answer["sections"])), repr(exc)
    return compare(answer, parsed), None


def score(form: str) -> FormScore:
    """The five seeds of `form`, summed."""
    total = FormScore()
    for seed in SEEDS:
        total += score_document(form, seed)[0]
    return total


def _row(label: str, result: FormScore) -> str:
    cells = [label, str(result.tasks_expected), *(f"{rate:.1f} %" for rate in result.rates())]
    return "| " + " | ".join(cells) + " |"


def report(forms: Sequence[str], by_seed: bool = False) -> str:
    lines = [
        "| form | tasks | tasks found | lead right | whole unit set right | sections found |",
        "|---|---|---|---|---|---|",
    ]
    refusals = []
    for form in forms:
        total = FormScore()
        rows = []
        for seed in SEEDS:
            result, refusal = score_document(form, seed)
            total += result
            rows.append(_row(f"{form} · {seed}", result))
            if refusal:
                refusals.append(f"- {form}/{seed}: {refusal}")
        lines.append(_row(f"**{form}**" if by_seed else form, total))
        if by_seed:
            lines += rows
    if refusals:
        lines += ["", "Documents the parser refused:", *refusals]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    by_seed = "--by-seed" in argv
    forms = [a for a in argv if a != "--by-seed"] or list(FORMS)
    unknown = [f for f in forms if f not in FORMS]
    if unknown:
        print(f"unknown form(s): {', '.join(unknown)}; known: {', '.join(FORMS)}", file=sys.stderr)
        return 2
    print(report(forms, by_seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
