"""The built-in 攀枝花市 2016–2020 实施方案 template against counts taken by hand.

Every expected number below was counted by reading
tests/data/plans/panzhihua-2016-2020.txt (三、职责分工: ten 行动/工程, three numbered
measures each, a 牵头部门 and a 配合部门 line per section), not computed from the
template, so a lost task, a mis-split unit list or a dropped continuation
line makes these tests fail.
"""

from __future__ import annotations

from collections import Counter

import pytest

from desktop.templates import load_template
from tests.paths import PLAN_TEXTS

SEED = PLAN_TEXTS / "panzhihua-2016-2020.txt"

# (code, kind, title, target group, 牵头部门 in order, number of 配合部门), in document order.
SECTIONS = [
    ("A1", "action", "实施青少年科学素质行动", "青少年", ["市教育体育局", "团市委", "市科协"], 18),
    ("A2", "action", "实施农民科学素质行动", "农民", ["市农牧局", "市科协"], 18),
    (
        "A3",
        "action",
        "实施城镇劳动者科学素质行动",
        "城镇劳动者",
        ["市人力资源社会保障局", "市总工会"],
        14,
    ),
    (
        "A4",
        "action",
        "实施领导干部和公务员科学素质行动",
        "领导干部和公务员",
        ["市委组织部", "市人力资源社会保障局"],
        17,
    ),
    (
        "P1",
        "project",
        "实施科学教育与培训基础工程",
        None,
        ["市教育体育局", "市人力资源社会保障局"],
        14,
    ),
    ("P2", "project", "实施社区科普益民工程", None, ["市科协", "市妇联", "市民政局"], 13),
    (
        "P3",
        "project",
        "实施科普信息化建设工程",
        None,
        ["市科协", "市委宣传部", "市文化广播新闻出版局"],
        18,
    ),
    (
        "P4",
        "project",
        "实施科普基础设施建设工程",
        None,
        ["市科协", "市发展改革委", "市科技和知识产权局"],
        20,
    ),
    ("P5", "project", "实施科普产业助力工程", None, ["市科技和知识产权局", "市科协"], 20),
    (
        "P6",
        "project",
        "实施科普人才建设工程",
        None,
        ["市科协", "市科技和知识产权局", "市人力资源社会保障局"],
        21,
    ),
]
# lead + cooperating per section: 21 20 16 19 16 16 21 23 22 24 = 198; × 3 tasks = 594 links

UNITS = [
    "市教育体育局",
    "团市委",
    "市科协",
    "市委宣传部",
    "市科技和知识产权局",
    "市民族宗教委",
    "市民政局",
    "市人力资源社会保障局",
    "市国土资源局",
    "市环境保护局",
    "市林业局",
    "市文化广播新闻出版局",
    "市卫生计生委",
    "市质监局",
    "市食品药品监管局",
    "市旅游局",
    "市防震减灾局",
    "市气象局",
    "市社科联",
    "市妇联",
    "攀枝花学院",
    "市农牧局",
    "市委组织部",
    "市农林科学院",
    "市总工会",
    "市安全监管局",
    "市委党校",
    "市发展改革委",
    "市财政局",
]


@pytest.fixture(scope="module")
def tpl():
    return load_template("panzhihua-2016-2020").to_dict()


def _tasks(tpl):
    return [t for s in tpl["sections"] for t in s["tasks"]]


def _seed_flat() -> str:
    return "".join(line.strip() for line in SEED.read_text(encoding="utf-8").splitlines())


def test_plan_metadata(tpl):
    plan = tpl["plan"]
    assert tpl["id"] == "panzhihua-2016-2020"
    assert plan["region"] == "攀枝花市"
    assert plan["level"] == "city"
    assert plan["name"] == "攀枝花市全民科学素质行动计划纲要实施方案（2016～2020年）"
    assert (plan["first_year"], plan["last_year"]) == (2016, 2020)
    assert plan["doc_number"] == "攀办发〔2017〕102号"
    assert plan["issue_date"] == "2017-07-24"
    assert plan["literacy_target"] == 8
    assert plan["literacy_baseline"] is None


def test_section_kinds(tpl):
    assert Counter(s["kind"] for s in tpl["sections"]) == {"action": 4, "project": 6}


def test_sections_in_order(tpl):
    got = [(s["code"], s["kind"], s["title"], s["target_group"]) for s in tpl["sections"]]
    assert got == [row[:4] for row in SECTIONS]
    # 2016–2020 plans speak of 城镇劳动者, not 产业工人
    assert "产业工人" not in {s["target_group"] for s in tpl["sections"]}


def test_tasks_per_section(tpl):
    assert [len(s["tasks"]) for s in tpl["sections"]] == [3] * 10
    for s in tpl["sections"]:
        assert [t["number"] for t in s["tasks"]] == ["1", "2", "3"]
        assert [t["code"] for t in s["tasks"]] == [
            f"{s['code']}.1",
            f"{s['code']}.2",
            f"{s['code']}.3",
        ]


def test_section_units(tpl):
    for s, (_, _, _, _, leads, n_coop) in zip(tpl["sections"], SECTIONS, strict=True):
        got_leads = [u["name"] for u in s["units"] if u["role"] == "lead"]
        assert got_leads == leads, s["code"]
        assert sum(u["role"] == "cooperating" for u in s["units"]) == n_coop, s["code"]
        # 牵头部门 line first, then 配合部门
        roles = [u["role"] for u in s["units"]]
        assert roles == ["lead"] * len(leads) + ["cooperating"] * n_coop
    assert [len(s["units"]) for s in tpl["sections"]] == [21, 20, 16, 19, 16, 16, 21, 23, 22, 24]


def test_task_units_copied_from_section(tpl):
    for s in tpl["sections"]:
        for t in s["tasks"]:
            assert t["units"] == s["units"], t["code"]
    assert sum(len(t["units"]) for t in _tasks(tpl)) == 594


def test_units_and_alias(tpl):
    names = [u["name"] for u in tpl["units"]]
    assert names == UNITS
    aliases = {u["name"]: u["aliases"] for u in tpl["units"] if u["aliases"]}
    # （六）社区科普益民工程 writes 市文化广电新闻出版局; everywhere else 市文化广播新闻出版局
    assert aliases == {"市文化广播新闻出版局": ["市文化广电新闻出版局"]}
    linked = {u["name"] for t in _tasks(tpl) for u in t["units"]}
    assert linked == set(UNITS)
    p2 = next(s for s in tpl["sections"] if s["code"] == "P2")
    assert {"name": "市文化广播新闻出版局", "role": "cooperating"} in p2["units"]


def test_specific_tasks(tpl):
    by_code = {t["code"]: t for t in _tasks(tpl)}
    assert by_code["A1.1"]["title"] == "全面推进校内青少年科学教育"
    assert (
        by_code["A3.3"]["title"]
        == "围绕城镇化进程的要求，提高进城务工人员的职业技能水平和适应城市生活的能力"
    )
    assert by_code["P3.1"]["title"] == "实施“互联网+科普”行动"
    # hard wraps rejoined inside a measure
    assert "安全自救避险、民防（人防）" in by_code["A1.2"]["text"]
    assert "推动产业转型升级。" in by_code["P5.1"]["text"]


def test_texts_are_unwrapped_and_faithful(tpl):
    flat = _seed_flat()
    for t in _tasks(tpl):
        assert "\n" not in t["text"] and "牵头部门" not in t["text"]
        assert not t["title"].endswith("。")
        assert f"{t['number']}. {t['title']}。{t['text']}" in flat, t["code"]


def test_indicators(tpl):
    inds = {i["code"]: i for i in tpl["indicators"]}
    assert list(inds) == ["LIT", "I01"]
    lit = inds["LIT"]
    assert (lit["measure"], lit["unit"], lit["target_mode"], lit["target"], lit["comparator"]) == (
        "percent",
        "%",
        "end",
        8,
        ">=",
    )
    assert lit["task"] is None and lit["source"] == "manual"
    assert lit["quote"].endswith("全市公民具备科学素质的比例达到 8% 左右")
    meeting = inds["I01"]
    assert (
        meeting["measure"],
        meeting["unit"],
        meeting["target_mode"],
        meeting["target"],
        meeting["comparator"],
    ) == ("count", "次", "annual", 1, ">=")
    assert meeting["task"] is None and meeting["source"] == "manual"
    flat = _seed_flat()
    for ind in inds.values():
        assert ind["quote"] in flat
