"""The built-in 安丘市 2021–2025 template against counts taken by hand from the seed text.

Every expected number below was counted by reading tests/data/plans/anqiu-2021-2025.txt,
not computed from the template, so a lost task, a mis-split unit list or a
dropped continuation line makes these tests fail.
"""

from __future__ import annotations

import re

import pytest

from desktop.templates import load_template
from tests.paths import PLAN_TEXTS

SEED = PLAN_TEXTS / "anqiu-2021-2025.txt"

# (code, kind, title, target group, number of —— tasks, task-unit links), in document order
SECTIONS = [
    ("A1", "action", "青少年科学素质提升行动", "青少年", 6, 31),
    ("A2", "action", "农民科学素质提升行动", "农民", 3, 23),
    ("A3", "action", "产业工人科学素质提升行动", "产业工人", 4, 25),
    ("A4", "action", "老年人科学素质提升行动", "老年人", 3, 19),
    ("A5", "action", "领导干部和公务员科学素质提升行动", "领导干部和公务员", 3, 7),
    ("P1", "project", "科技资源科普化工程", None, 3, 11),
    ("P2", "project", "科普信息化提升工程", None, 3, 13),
    ("P3", "project", "科普基础设施建设工程", None, 3, 23),
    ("P4", "project", "基层科普能力提升工程", None, 3, 28),
]

# Units named in the （…按职责分工负责） clauses, in order of first appearance.
UNITS = [
    "市委宣传部",
    "市教体局",
    "市科技局",
    "市文旅局",
    "市融媒体中心",
    "团市委",
    "市科协",
    "市自然资源和规划局",
    "潍坊市生态环境局安丘分局",
    "市交通运输局",
    "市水利局",
    "市卫健委",
    "市应急管理局",
    "市市场监管局",
    "市气象局",
    "市妇联",
    "市农业农村局",
    "市人社局",
    "市总工会",
    "市工信局",
    "市互联网舆情中心",
    "市委老干局",
    "市民政局",
    "市委组织部",
    "市发改局",
    "市大数据中心",
    "市财政局",
    "市消防救援大队",
]


@pytest.fixture(scope="module")
def tpl():
    return load_template("anqiu-2021-2025").to_dict()


def _tasks(tpl):
    return [t for s in tpl["sections"] for t in s["tasks"]]


def _seed_flat() -> str:
    """The seed with every line break removed: hard wraps rejoined."""
    return "".join(line.strip() for line in SEED.read_text(encoding="utf-8").splitlines())


def test_plan_metadata(tpl):
    plan = tpl["plan"]
    assert tpl["id"] == "anqiu-2021-2025"
    assert plan["region"] == "安丘市"
    assert plan["level"] == "county"
    assert plan["name"] == "安丘市全民科学素质行动规划纲要实施方案（2021—2025年）"
    assert (plan["first_year"], plan["last_year"]) == (2021, 2025)
    assert plan["doc_number"] == "安政发〔2022〕9号"
    assert plan["issue_date"] is None  # no date printed in the seed
    assert plan["literacy_baseline"] == 12.5
    assert plan["literacy_baseline_year"] == 2020
    assert plan["literacy_target"] == 17.5


def test_sections_in_order(tpl):
    got = [(s["code"], s["kind"], s["title"], s["target_group"]) for s in tpl["sections"]]
    assert got == [row[:4] for row in SECTIONS]
    kinds = [s["kind"] for s in tpl["sections"]]
    assert kinds.count("action") == 5
    assert kinds.count("project") == 4


def test_tasks_per_section(tpl):
    assert [len(s["tasks"]) for s in tpl["sections"]] == [row[4] for row in SECTIONS]
    assert len(_tasks(tpl)) == 31


def test_task_codes_and_numbers(tpl):
    for sec in tpl["sections"]:
        for i, task in enumerate(sec["tasks"], 1):
            assert task["code"] == f"{sec['code']}.{i}"
            assert task["number"] == ""  # —— bullets carry no printed number


def test_task_unit_links(tpl):
    per_section = [sum(len(t["units"]) for t in s["tasks"]) for s in tpl["sections"]]
    assert per_section == [row[5] for row in SECTIONS]
    assert sum(per_section) == 180
    # No section-level 牵头/配合 lines in this plan.
    assert all(s["units"] == [] for s in tpl["sections"])


def test_roles_first_named_is_lead(tpl):
    for task in _tasks(tpl):
        roles = [u["role"] for u in task["units"]]
        assert roles[0] == "lead", task["code"]
        assert all(r == "cooperating" for r in roles[1:]), task["code"]
        names = [u["name"] for u in task["units"]]
        assert len(names) == len(set(names)), task["code"]


def test_specific_tasks(tpl):
    by_code = {t["code"]: t for t in _tasks(tpl)}
    # Units clause wrapped mid-name ("（市教体" / "局、市科协…").
    assert [u["name"] for u in by_code["A1.2"]["units"]] == ["市教体局", "市科协"]
    # Units clause on its own line after the text.
    assert [u["name"] for u in by_code["A5.1"]["units"]] == ["市委组织部", "市委宣传部"]
    assert len(by_code["P4.1"]["units"]) == 13
    # Half-width "(" opening, full-width "）" closing, wrapped over a page break.
    p33 = [u["name"] for u in by_code["P3.3"]["units"]]
    assert len(p33) == 14
    assert p33[0] == "市发改局" and p33[4] == "市交通运输局" and p33[-1] == "市科协"
    # The stray paragraph belongs to the special action before it.
    assert by_code["P1.2"]["title"] == "实施科技资源科普化专项行动"
    assert "实施科普品牌建设计划。完善科普产业发展支持政策" in by_code["P1.2"]["text"]
    assert by_code["P1.2"]["units"][0] == {"name": "市发改局", "role": "lead"}
    # Title printed on its own line.
    assert by_code["A1.3"]["title"] == "提升高等、中职教育阶段科学教育和科普工作水平"
    assert by_code["A1.3"]["text"].startswith("深化高校、中职理科教育教学改革")
    # Page-break rejoins inside the text.
    assert "持续开展“中国梦·劳动美”" in by_code["A3.1"]["text"]
    assert "等形式，普及科学知识" in by_code["A1.5"]["text"]
    assert by_code["A4.3"]["units"][0]["name"] == "市民政局"


def test_task_text_is_clean(tpl):
    for task in _tasks(tpl):
        for field in ("title", "text"):
            value = task[field]
            assert value and value == value.strip(), (task["code"], field)
            assert not re.search(r"\s", value), (task["code"], field)
        assert not task["title"].endswith("。")
        assert "按职责分工负责" not in task["text"]
        assert task["text"].endswith("。"), task["code"]


def test_task_text_matches_seed(tpl):
    flat = _seed_flat()
    for task in _tasks(tpl):
        assert f"——{task['title']}。{task['text']}" in flat, task["code"]


def test_units(tpl):
    assert [u["name"] for u in tpl["units"]] == UNITS
    assert all(u["aliases"] == [] for u in tpl["units"])
    known = set(UNITS)
    for task in _tasks(tpl):
        assert {u["name"] for u in task["units"]} <= known


def test_indicators(tpl):
    # The only quantified target printed in the plan is the literacy rate.
    assert len(tpl["indicators"]) == 1
    lit = tpl["indicators"][0]
    assert lit["code"] == "LIT"
    assert lit["name"] == "公民具备科学素质的比例"
    assert (lit["unit"], lit["measure"], lit["target_mode"]) == ("%", "percent", "end")
    assert (lit["target"], lit["comparator"]) == (17.5, ">=")
    assert (lit["baseline"], lit["baseline_year"]) == (12.5, 2020)
    assert lit["task"] is None
    assert lit["source"] == "manual" and lit["rule"] is None
    assert lit["quote"] in _seed_flat()
