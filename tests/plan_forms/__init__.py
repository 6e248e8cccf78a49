"""The plan-form corpus: the five seed plans written every way a county publishes a plan.

Issue 20 asks that a plan be read whatever way its text names units and
numbers tasks, and that this be measured rather than hoped. The corpus in
tests/data/plan_forms/<form>/ holds, for each form, the five seed plans
rendered in that form under other place names (`render.py` makes them), and
beside each document the answer a reader should give (<seed>.expected.json).
`score.py` runs the plan-text parser over a form and counts how much of the
answer it gets.

The committed files are the test data; the generator is kept so they can be
made again (`python -m tests.plan_forms.render`), not run by the tests.
"""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "data" / "plan_forms"

SEEDS = (
    "anqiu-2021-2025",
    "panzhihua-2016-2020",
    "panzhihua-2022-2025",
    "yuxi-2016-2020",
    "zhongwei-2021-2025",
)

# Each form's id, and what it is. `seed` is the original texts in
# tests/data/plans with the hand transcriptions as their answer.
FORMS: dict[str, str] = {
    "seed": "the seed texts themselves (tests/data/plans), answers from the templates",
    "bracket_after": "〔责任单位：…〕 / 【…】 / （…） after each task, on its line or the next",
    "inline_label": "责任单位：A、B、C。 closing the task's own line",
    "lead_coop_labels": "牵头单位：A；配合单位：B (and 牵头部门, 参与单位, 协办单位, 主责单位) under 一、 sections",
    "verb_forms": "A牵头，B配合 · 责任单位：A（牵头）、B · 由A负责 · （A、B按职责分工负责）",
    "numbering": "一、 （一） (一) 1、 （1） ① 第一项/第一条, with and without a title sentence",
    "section_units": "units once per section (牵头单位/配合单位 lines after its heading), none per task",
    "groups": "各乡（镇）人民政府, 各成员单位, 各乡镇（街道） among the units",
    "division_table_docx": "a 任务分工方案 table in .docx: header words, section rows, merged cells, 完成时限",
    "division_table_text": "the same table as text, one cell per line as copied out of Word",
}

TABLE_FORMS = ("division_table_docx", "division_table_text")
