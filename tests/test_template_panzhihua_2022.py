"""The built-in 攀枝花市 2022–2025 推进方案 template against counts taken by hand.

Every expected number below was counted by reading
tests/data/plans/panzhihua-2022-2025.txt (the 28 numbered tasks and their
〔责任单位：…〕 lists), not computed from the template, so a lost task, a
mis-split unit list, a page number left inside a text or a dropped
continuation line makes these tests fail.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from desktop.templates import load_template
from tests.paths import PLAN_TEXTS

SEED = PLAN_TEXTS / "panzhihua-2022-2025.txt"

# (code, kind, title, target group, task numbers as printed), in document order:
# the ten （一）…（十） headings under 二、主要任务和责任分工.
SECTIONS = [
    ("A1", "action", "青少年科学素质提升行动", "青少年", ["1", "2", "3", "4", "5"]),
    ("A2", "action", "农民科学素质提升行动", "农民", ["6", "7", "8"]),
    ("A3", "action", "产业工人科学素质提升行动", "产业工人", ["9", "10", "11", "12"]),
    ("A4", "action", "老年人科学素质提升行动", "老年人", ["13", "14", "15"]),
    ("A5", "action", "领导干部和公务员科学素质提升行动", "领导干部和公务员", ["16", "17"]),
    ("P1", "project", "推进科技资源科普化", None, ["18", "19"]),
    ("P2", "project", "提升科普信息化水平", None, ["20", "21", "22"]),
    ("P3", "project", "加强科普基础设施建设", None, ["23", "24"]),
    ("P4", "project", "提升基层科普服务能力", None, ["25", "26", "27"]),
    ("P5", "project", "加强科学素质交流合作", None, ["28"]),
]

# Units in each task's 〔责任单位：…〕, counted by hand, task 1 … task 28
# (各县（区）人民政府 and 钒钛高新区管委会 count as units).
UNITS_PER_TASK = [
    7,
    12,
    5,
    16,
    3,
    18,
    11,
    12,
    9,
    10,
    7,
    7,
    6,
    8,
    4,
    6,
    3,
    15,
    6,
    7,
    9,
    8,
    9,
    22,
    21,
    14,
    14,
    4,
]

# The first unit named in each list is the lead.
LEADS = {
    "1": "市教育和体育局",
    "2": "市教育和体育局",
    "3": "市教育和体育局",
    "4": "市教育和体育局",
    "5": "市教育和体育局",
    "6": "市农业农村局",
    "7": "市农业农村局",
    "8": "市农业农村局",
    "9": "市委宣传部",
    "10": "市人力资源社会保障局",
    "11": "市人力资源社会保障局",
    "12": "市人力资源社会保障局",
    "13": "市卫生健康委",
    "14": "市卫生健康委",
    "15": "市卫生健康委",
    "16": "市委组织部",
    "17": "市委组织部",
    "18": "市科技局",
    "19": "市科技局",
    "20": "市科协",
    "21": "市委宣传部",
    "22": "市科协",
    "23": "市发展改革委",
    "24": "市科协",
    "25": "市应急管理局",
    "26": "市科协",
    "27": "市科协",
    "28": "市科协",
}

# 28 distinct units in the task lists, plus two named only under 三、保障措施.
TASK_UNITS = {
    "市教育和体育局",
    "市委宣传部",
    "市科协",
    "市社科联",
    "团市委",
    "攀枝花学院",
    "各县（区）人民政府",
    "市科技局",
    "市生态环境局",
    "市卫生健康委",
    "市应急管理局",
    "市市场监管局",
    "市气象局",
    "市妇联",
    "市农业农村局",
    "市文广旅局",
    "市林业局",
    "市农林科学院",
    "市民族宗教委",
    "市人力资源社会保障局",
    "市自然资源和规划局",
    "市经济和信息化局",
    "市总工会",
    "钒钛高新区管委会",
    "市民政局",
    "市委组织部",
    "市委党校",
    "市发展改革委",
}
GUARANTEE_UNITS = {"市全民科学素质工作领导小组成员单位", "市财政局"}


@pytest.fixture(scope="module")
def tpl():
    return load_template("panzhihua-2022-2025").to_dict()


def _tasks(tpl):
    return [t for s in tpl["sections"] for t in s["tasks"]]


def _seed_flat() -> str:
    """The seed with hard wraps rejoined and the page numbers (－１３－) dropped."""
    lines = (line.strip() for line in SEED.read_text(encoding="utf-8").splitlines())
    return "".join(ln for ln in lines if not re.fullmatch(r"－[０-９0-9]+－", ln))


def test_plan_metadata(tpl):
    plan = tpl["plan"]
    assert tpl["id"] == "panzhihua-2022-2025"
    assert plan["region"] == "攀枝花市"
    assert plan["level"] == "city"
    assert plan["name"] == "攀枝花市全民科学素质行动推进方案"
    assert (plan["first_year"], plan["last_year"]) == (2022, 2025)
    assert plan["doc_number"] == "攀府发〔2022〕30号"
    assert plan["issue_date"] == "2022-12-21"
    assert plan["literacy_target"] == 13
    assert plan["literacy_baseline"] is None  # no baseline is printed
    assert plan["literacy_baseline_year"] is None


def test_section_kinds(tpl):
    kinds = Counter(s["kind"] for s in tpl["sections"])
    assert kinds == {"action": 5, "project": 5}


def test_sections_in_order(tpl):
    got = [
        (s["code"], s["kind"], s["title"], s["target_group"], [t["number"] for t in s["tasks"]])
        for s in tpl["sections"]
    ]
    assert got == SECTIONS


def test_tasks_per_section(tpl):
    assert [len(s["tasks"]) for s in tpl["sections"]] == [5, 3, 4, 3, 2, 2, 3, 2, 3, 1]
    assert len(_tasks(tpl)) == 28


def test_task_codes(tpl):
    for s in tpl["sections"]:
        assert [t["code"] for t in s["tasks"]] == [
            f"{s['code']}.{i}" for i in range(1, len(s["tasks"]) + 1)
        ]
        assert s["units"] == []  # this plan names units per task only


def test_task_unit_links(tpl):
    tasks = _tasks(tpl)
    assert [len(t["units"]) for t in tasks] == UNITS_PER_TASK
    assert sum(len(t["units"]) for t in tasks) == 273


def test_lead_is_first_named(tpl):
    for t in _tasks(tpl):
        roles = [u["role"] for u in t["units"]]
        assert roles == ["lead"] + ["cooperating"] * (len(roles) - 1), t["number"]
        assert t["units"][0]["name"] == LEADS[t["number"]]


def test_county_governments_and_zone(tpl):
    tasks = _tasks(tpl)
    # every one of the 28 lists names 各县（区）人民政府 (cooperating)
    assert all(any(u["name"] == "各县（区）人民政府" for u in t["units"]) for t in tasks)
    # 钒钛高新区管委会 is named from task 9 on, except 13, 14 and 15
    with_zone = [
        t["number"] for t in tasks if any(u["name"] == "钒钛高新区管委会" for u in t["units"])
    ]
    assert with_zone == [str(n) for n in range(9, 29) if n not in (13, 14, 15)]


def test_units(tpl):
    names = [u["name"] for u in tpl["units"]]
    assert len(names) == len(set(names)) == 30
    assert set(names) == TASK_UNITS | GUARANTEE_UNITS
    linked = {u["name"] for t in _tasks(tpl) for u in t["units"]}
    assert linked == TASK_UNITS
    assert all(u["aliases"] == [] for u in tpl["units"])  # one spelling each in this document


def test_specific_tasks(tpl):
    by_number = {t["number"]: t for t in _tasks(tpl)}
    assert by_number["4"]["title"] == "建立校内外科学教育资源有效衔接机制"
    assert by_number["17"]["title"] == "在公务员录用中落实科学素质要求"
    assert by_number["28"]["title"] == "开展市内外科普交流合作"
    # task 25's unit list runs across the page break with "－１３－"
    t25 = by_number["25"]
    assert t25["units"][-2:] == [
        {"name": "各县（区）人民政府", "role": "cooperating"},
        {"name": "钒钛高新区管委会", "role": "cooperating"},
    ]
    assert t25["text"].endswith("推进应急知识和技能进企业、进农村、进学校、进社区、进家庭。")


def test_texts_are_unwrapped_and_faithful(tpl):
    flat = _seed_flat()
    for t in _tasks(tpl):
        assert "\n" not in t["text"] and "－" not in t["text"] and "〔" not in t["text"]
        assert not t["title"].endswith("。")
        assert f"{t['number']}．{t['title']}。{t['text']}〔责任单位：" in flat, t["number"]


def test_indicators(tpl):
    inds = {i["code"]: i for i in tpl["indicators"]}
    assert list(inds) == ["LIT", "I01"]
    lit = inds["LIT"]
    assert (lit["measure"], lit["unit"], lit["target_mode"], lit["target"], lit["comparator"]) == (
        "percent",
        "%",
        "end",
        13,
        ">=",
    )
    assert lit["task"] is None and lit["baseline"] is None and lit["source"] == "manual"
    assert "超过 13%" in lit["quote"] and "力争达到 15%" in lit["quote"]
    i01 = inds["I01"]
    assert (i01["measure"], i01["unit"], i01["target_mode"], i01["target"], i01["comparator"]) == (
        "level",
        "名",
        "end",
        1,
        ">=",
    )
    assert i01["task"] == "P2.3"  # task 22 加强科普传播能力建设
    assert "一村（社区）一名智慧科普传播员" in i01["quote"]


def test_indicator_quotes_in_seed(tpl):
    flat = _seed_flat()
    task_codes = {t["code"] for t in _tasks(tpl)}
    for ind in tpl["indicators"]:
        assert ind["quote"] in flat, ind["code"]
        assert ind["task"] is None or ind["task"] in task_codes
        assert ind["source"] in ("manual", "derived")
