"""Write the plan-form corpus: every seed in every form, each with its answer.

`python -m tests.plan_forms.render [form …]` rewrites tests/data/plan_forms/
<form>/<seed>.txt (or .docx) and <seed>.expected.json for the forms named,
all by default. Within a form the five seeds differ on purpose (brackets,
labels, colons, separators, layout), so a form's score is not one spelling's.

An answer (<seed>.expected.json) holds the plan's notice fields and its
sections in order — title, kind, section-level units — each with its tasks:
number as printed, title, the lead units, every unit with its role (a task
printed without units has its section's) and, in a table, its 完成时限. The
document's path is relative to the answer's folder.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.plan.document import UnitLink
from desktop.templates import load_template
from tests.plan_forms import CORPUS, FORMS, SEEDS
from tests.plan_forms.clauses import (
    Clause,
    by_duty,
    by_whom,
    labelled,
    lead_verb,
    marked,
    responsible,
)
from tests.plan_forms.corpus import COOP, LEAD, Plan, Task, Unit, load_plan
from tests.plan_forms.corpus import section_wide_units as wide
from tests.plan_forms.frame import notice
from tests.plan_forms.layout import (
    ARTICLE,
    CIRCLED,
    CN,
    COMMA,
    DOT,
    DOT_FULL,
    FULL_DIGIT_DOT,
    ITEM,
    PAREN_CN,
    PAREN_CN_HALF,
    PAREN_HALF,
    ExpectedSection,
    ExpectedTask,
    Printed,
    SectionHook,
    TaskHook,
    TextLayout,
    no_section_units,
    on_line,
    on_next_lines,
    write_text,
)
from tests.plan_forms.tables import TableSpec, table_text, write_table_docx

ANQIU, PZH16, PZH22, YUXI, ZHONGWEI = SEEDS

# A unit, or a list of names, is kept on one line of the answer.
_ONE_LINE = re.compile(r'\{\s*"name": "[^"]*",\s*"role": "[^"]*"\s*\}|"leads": \[[^\]]*\]')


def _one_line(match: re.Match[str]) -> str:
    key, colon, value = match.group().rpartition('"leads":')
    return key + colon + (" " if colon else "") + json.dumps(json.loads(value), ensure_ascii=False)


def _units_of(units: tuple[Unit, ...]) -> Clause:
    """One lead: 责任单位：A、B; several: 牵头单位：A、B；配合单位：C."""
    if sum(u.role == LEAD for u in units) == 1:
        return responsible(units)
    return labelled(units)


def _bracket(before: str, after: str, next_line: bool) -> TaskHook:
    def hook(i: int, task: Task) -> Printed:
        clause = _units_of(task.units)
        if next_line:
            return on_next_lines(clause, before, after)
        return on_line(clause, before, after)

    return hook


def _sentence(
    make: Callable[[tuple[Unit, ...]], Clause], before: str = "", after: str = "。"
) -> TaskHook:
    def hook(i: int, task: Task) -> Printed:
        clause = make(task.units)
        return Printed(suffix=f"{before}{clause.text}{after}", units=clause.units)

    return hook


def _next_lines(make: Callable[[tuple[Unit, ...]], Clause]) -> TaskHook:
    return lambda i, task: on_next_lines(make(task.units))


def _rotating(offset: int) -> TaskHook:
    """The four verb wordings in turn, starting at `offset`."""
    hooks = (
        _sentence(lead_verb),
        _sentence(marked),
        _sentence(by_whom),
        _sentence(by_duty, "（", "）"),
    )
    return lambda i, task: hooks[(i + offset) % len(hooks)](i, task)


def _section_lines(make: Callable[[tuple[Unit, ...]], Clause]) -> SectionHook:
    return lambda section: on_next_lines(make(wide(section)))


GROUPS = ("各乡（镇）人民政府", "各成员单位", "各乡镇（街道）")


def _grouped(i: int, task: Task) -> Task:
    """The task with a group among its units: appended, or standing for the cooperators."""
    leads = [u for u in task.units if u.role == LEAD]
    coops = [u for u in task.units if u.role != LEAD]
    group = GROUPS[i % len(GROUPS)]
    if group == "各成员单位":
        coops = [Unit(group, COOP)]
    elif all(u.name != group for u in task.units):
        coops.append(Unit(group, COOP))
    return Task(task.title, task.body, tuple(leads + coops))


def _with_groups(hook: TaskHook) -> TaskHook:
    return lambda i, task: hook(i, _grouped(i, task))


TextForm = dict[str, tuple[TextLayout, TaskHook, SectionHook]]


def _text_forms() -> dict[str, TextForm]:
    none = no_section_units
    parts = TextLayout("parts", PAREN_CN, DOT_FULL)
    return {
        "bracket_after": {
            ANQIU: (TextLayout("grouped", PAREN_CN, DOT_FULL), _bracket("〔", "〕", False), none),
            PZH16: (
                TextLayout("parts", PAREN_CN, DOT_FULL, with_steps=True),
                _bracket("【", "】", True),
                none,
            ),
            PZH22: (
                TextLayout(
                    "parts", PAREN_CN, DOT_FULL, heading_period=True, task_part="主要任务和责任分工"
                ),
                _bracket("（", "）", False),
                none,
            ),
            YUXI: (
                TextLayout("grouped", PAREN_CN, DOT_FULL, with_steps=True),
                _bracket("〔", "〕", True),
                none,
            ),
            ZHONGWEI: (
                TextLayout("parts", PAREN_CN, DOT_FULL, blank_lines=True),
                _bracket("【", "】", False),
                none,
            ),
        },
        "inline_label": {
            ANQIU: (parts, _sentence(responsible), none),
            PZH16: (
                TextLayout("grouped", PAREN_CN, DOT_FULL),
                _sentence(lambda u: responsible(u, colon=":")),
                none,
            ),
            PZH22: (
                TextLayout("parts", PAREN_CN, DOT_FULL, heading_period=True),
                _sentence(responsible),
                none,
            ),
            YUXI: (
                TextLayout("top", CN, DOT_FULL),
                _sentence(lambda u: responsible(u, colon=":")),
                none,
            ),
            ZHONGWEI: (parts, _sentence(responsible), none),
        },
        "lead_coop_labels": {
            ANQIU: (TextLayout("top", CN, DOT), _sentence(labelled), none),
            PZH16: (
                TextLayout("top", CN, DOT_FULL),
                _sentence(lambda u: labelled(u, "牵头部门", "配合部门", between="，")),
                none,
            ),
            PZH22: (
                TextLayout("top", CN, DOT),
                _sentence(lambda u: labelled(u, "牵头单位", "参与单位", ":", " ", " ")),
                none,
            ),
            YUXI: (
                TextLayout("top", CN, DOT_FULL),
                _sentence(lambda u: labelled(u, "主责单位", "协办单位", sep="，")),
                none,
            ),
            ZHONGWEI: (
                TextLayout("top", CN, DOT),
                _next_lines(lambda u: labelled(u, between="\n")),
                none,
            ),
        },
        "verb_forms": {
            seed: (
                TextLayout("grouped" if seed == YUXI else "parts", PAREN_CN, DOT_FULL),
                _rotating(offset),
                none,
            )
            for offset, seed in enumerate(SEEDS)
        },
        "numbering": {
            ANQIU: (TextLayout("top", CN, PAREN_CN), _bracket("〔", "〕", False), none),
            PZH16: (
                TextLayout("parts", PAREN_CN, COMMA, title_sentence=False, with_steps=True),
                _bracket("〔", "〕", False),
                none,
            ),
            PZH22: (
                TextLayout("parts", PAREN_CN_HALF, PAREN_HALF, items=PAREN_CN_HALF),
                _bracket("〔", "〕", False),
                none,
            ),
            YUXI: (
                TextLayout("parts", FULL_DIGIT_DOT, CIRCLED, items=FULL_DIGIT_DOT),
                _bracket("〔", "〕", False),
                none,
            ),
            ZHONGWEI: (
                TextLayout("grouped", ITEM, ARTICLE, title_sentence=False),
                _bracket("〔", "〕", False),
                none,
            ),
        },
        "section_units": {
            ANQIU: (
                parts,
                lambda i, t: Printed(),
                _section_lines(lambda u: labelled(u, between="\n")),
            ),
            PZH16: (
                TextLayout("grouped", PAREN_CN, DOT_FULL),
                lambda i, t: Printed(),
                _section_lines(lambda u: labelled(u, "牵头部门", "配合部门")),
            ),
            PZH22: (
                TextLayout("parts", PAREN_CN, DOT_FULL, heading_period=True),
                lambda i, t: Printed(),
                _section_lines(responsible),
            ),
            YUXI: (
                TextLayout("parts", PAREN_CN, DOT_FULL, with_steps=True),
                lambda i, t: Printed(),
                _section_lines(lambda u: labelled(u, between="\u3000")),
            ),
            ZHONGWEI: (
                TextLayout("top", CN, DOT_FULL),
                lambda i, t: Printed(),
                _section_lines(lambda u: labelled(u, "牵头单位", "参与单位", between="\n")),
            ),
        },
        "groups": {
            ANQIU: (parts, _with_groups(_bracket("〔", "〕", False)), none),
            PZH16: (parts, _with_groups(_sentence(labelled)), none),
            PZH22: (parts, _with_groups(_sentence(lead_verb)), none),
            YUXI: (parts, _with_groups(_sentence(by_duty, "（", "）")), none),
            ZHONGWEI: (parts, _with_groups(_next_lines(_units_of)), none),
        },
    }


TABLES: dict[str, TableSpec] = {
    ANQIU: TableSpec(
        ("序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"),
        ("number", "task", "measures", "lead", "coop", "deadline"),
        PAREN_CN,
        running_numbers=False,
    ),
    PZH16: TableSpec(
        ("序号", "工作任务", "牵头部门", "配合部门", "完成时限"),
        ("number", "task", "lead", "coop", "deadline"),
        CN,
        running_numbers=True,
        merge=("lead", "coop"),
    ),
    PZH22: TableSpec(
        ("序号", "主要任务", "具体措施", "责任单位", "完成时限"),
        ("number", "task", "measures", "responsible", "deadline"),
        None,
        running_numbers=True,
        merge=(),
    ),
    YUXI: TableSpec(
        ("序号", "重点任务", "具体措施", "完成时限", "牵头单位", "责任单位"),
        ("number", "task", "measures", "deadline", "lead", "coop"),
        PAREN_CN,
        running_numbers=False,
    ),
    ZHONGWEI: TableSpec(
        ("序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时间", "备注"),
        ("number", "task", "measures", "lead", "coop", "deadline", "note"),
        CN,
        running_numbers=True,
    ),
}


def _answer(
    seed: str, form: str, document: str, plan: dict[str, Any], sections: list[dict[str, Any]]
) -> dict[str, Any]:
    return {"seed": seed, "form": form, "document": document, "plan": plan, "sections": sections}


def _write_answer(folder: Path, seed: str, answer: dict[str, Any]) -> None:
    text = _ONE_LINE.sub(_one_line, json.dumps(answer, ensure_ascii=False, indent=1))
    (folder / f"{seed}.expected.json").write_text(text + "\n", encoding="utf-8")


def _plan_fields(plan: Plan) -> dict[str, Any]:
    return notice(plan).as_dict(plan.region, plan.first_year, plan.last_year)


def _seed_answer(seed: str) -> dict[str, Any]:
    """The seed's own text, answered by its hand transcription."""
    doc = load_template(seed)

    def units(links: list[UnitLink]) -> tuple[Unit, ...]:
        return tuple(Unit(link.name, link.role) for link in links)

    sections = [
        ExpectedSection(
            s.title,
            s.kind,
            units(s.units),
            [ExpectedTask(t.number, t.title, units(t.units)) for t in s.tasks],
        ).as_dict()
        for s in doc.sections
    ]
    info = doc.info
    fields = {
        "region": info.region,
        "name": info.name,
        "first_year": info.first_year,
        "last_year": info.last_year,
        "doc_number": info.doc_number,
        "issue_date": info.issue_date,
    }
    return _answer(seed, "seed", f"../../plans/{seed}.txt", fields, sections)


def render_form(form: str) -> None:
    folder = CORPUS / form
    folder.mkdir(parents=True, exist_ok=True)
    text_forms = _text_forms()
    for seed in SEEDS:
        if form == "seed":
            _write_answer(folder, seed, _seed_answer(seed))
            continue
        plan = load_plan(seed)
        if form == "division_table_docx":
            document = f"{seed}.docx"
            expected = write_table_docx(plan, TABLES[seed], folder / document)
        else:
            if form == "division_table_text":
                text, expected = table_text(plan, TABLES[seed])
            else:
                layout, task_hook, section_hook = text_forms[form][seed]
                text, expected = write_text(plan, layout, task_hook, section_hook)
            document = f"{seed}.txt"
            (folder / document).write_text(text, encoding="utf-8")
        sections = [s.as_dict() for s in expected]
        _write_answer(folder, seed, _answer(seed, form, document, _plan_fields(plan), sections))


def main(argv: list[str]) -> int:
    forms = argv or list(FORMS)
    unknown = [f for f in forms if f not in FORMS]
    if unknown:
        print(f"unknown form(s): {', '.join(unknown)}; known: {', '.join(FORMS)}", file=sys.stderr)
        return 2
    for form in forms:
        render_form(form)
        print(f"{form}: {len(SEEDS)} documents in {CORPUS / form}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
