"""The built-in 中卫市 2021–2025 template against counts taken by hand from the seed text.

Every expected number below was counted by reading tests/data/plans/zhongwei-2021-2025.txt,
not computed from the template.
"""

from __future__ import annotations

import re

import pytest

from desktop.templates import load_template
from tests.paths import PLAN_TEXTS

SEED = PLAN_TEXTS / "zhongwei-2021-2025.txt"

# (code, kind, title, target group, tasks, 牵头部门 count, 配合部门 count), in document order
SECTIONS = [
    ("A1", "action", "青少年科学素质提升行动", "青少年", 5, 2, 7),
    ("A2", "action", "农民科学素质提升行动", "农民", 4, 2, 1),
    ("A3", "action", "产业工人科学素质提升行动", "产业工人", 3, 3, 10),
    ("A4", "action", "老年人科学素质提升行动", "老年人", 3, 2, 8),
    ("A5", "action", "领导干部和公务员科学素质提升行动", "领导干部和公务员", 3, 2, 1),
    ("P1", "project", "科技资源科普化工程", None, 3, 2, 8),
    ("P2", "project", "科普信息化提升工程", None, 3, 4, 1),
    ("P3", "project", "科普基础设施工程", None, 3, 4, 1),
    ("P4", "project", "基层科普能力提升工程", None, 3, 3, 1),
    ("P5", "project", "科普人才建设工程", None, 3, 4, 5),
]

COUNTY_GOVS = "各县（区）人民政府"
MEMBERS = "各成员单位"


@pytest.fixture(scope="module")
def tpl():
    return load_template("zhongwei-2021-2025").to_dict()


def _tasks(tpl):
    return [t for s in tpl["sections"] for t in s["tasks"]]


def _seed_flat() -> str:
    return "".join(line.strip() for line in SEED.read_text(encoding="utf-8").splitlines())


def _indicator(tpl, quote_part: str, name_part: str = ""):
    found = [i for i in tpl["indicators"] if quote_part in i["quote"] and name_part in i["name"]]
    assert len(found) == 1, (quote_part, name_part, [i["code"] for i in found])
    return found[0]


def test_plan_metadata(tpl):
    plan = tpl["plan"]
    assert tpl["id"] == "zhongwei-2021-2025"
    assert plan["region"] == "中卫市"
    assert plan["level"] == "city"
    assert plan["name"].startswith("中卫市全民科学素质行动规划纲要实施方案")
    assert (plan["first_year"], plan["last_year"]) == (2021, 2025)
    assert plan["doc_number"] is None and plan["issue_date"] is None  # not printed
    assert plan["literacy_target"] == 10
    assert plan["literacy_baseline"] is None and plan["literacy_baseline_year"] is None


def test_sections_in_order(tpl):
    got = [(s["code"], s["kind"], s["title"], s["target_group"]) for s in tpl["sections"]]
    assert got == [row[:4] for row in SECTIONS]
    kinds = [s["kind"] for s in tpl["sections"]]
    assert (kinds.count("action"), kinds.count("project")) == (5, 5)


def test_tasks_per_section(tpl):
    assert [len(s["tasks"]) for s in tpl["sections"]] == [row[4] for row in SECTIONS]
    assert len(_tasks(tpl)) == 33
    for sec in tpl["sections"]:
        for i, task in enumerate(sec["tasks"], 1):
            assert task["code"] == f"{sec['code']}.{i}"
            assert task["number"] == str(i)


def test_section_units(tpl):
    for sec, (code, *_rest, leads, coops) in zip(tpl["sections"], SECTIONS, strict=True):
        roles = [u["role"] for u in sec["units"]]
        assert roles == ["lead"] * leads + ["cooperating"] * coops, code
    assert sum(len(s["units"]) for s in tpl["sections"]) == 71
    by_code = {s["code"]: s for s in tpl["sections"]}
    assert [u["name"] for u in by_code["A1"]["units"][:2]] == ["市教育局", "市科协"]
    assert by_code["A1"]["units"][-1] == {"name": COUNTY_GOVS, "role": "cooperating"}
    assert by_code["A2"]["units"][-1] == {"name": MEMBERS, "role": "cooperating"}
    # "市市场监管局，团市委" is split on the full-width comma too.
    a3 = [u["name"] for u in by_code["A3"]["units"]]
    assert "市市场监管局" in a3 and "团市委" in a3
    assert [u["name"] for u in by_code["P2"]["units"]] == [
        "市委宣传部",
        "市科协",
        "市科技局",
        "市新闻传媒集团",
        MEMBERS,
    ]


def test_task_units_copied_from_section(tpl):
    links = 0
    for sec in tpl["sections"]:
        for task in sec["tasks"]:
            assert task["units"] == sec["units"], task["code"]
            links += len(task["units"])
    # 5*9 + 4*3 + 3*13 + 3*10 + 3*3 + 3*10 + 3*5 + 3*5 + 3*4 + 3*9, counted by hand
    assert links == 234


def test_units_and_aliases(tpl):
    names = [u["name"] for u in tpl["units"]]
    assert len(names) == 25
    assert len(set(names)) == 25
    aliases = {u["name"]: u["aliases"] for u in tpl["units"]}
    assert aliases[COUNTY_GOVS] == ["各县（区）政府"]
    assert MEMBERS in aliases
    assert sum(len(a) for a in aliases.values()) == 1
    for sec in tpl["sections"]:
        assert {u["name"] for u in sec["units"]} <= set(names)


def test_task_text(tpl):
    flat = _seed_flat()
    by_code = {t["code"]: t for t in _tasks(tpl)}
    for task in _tasks(tpl):
        assert not re.search(r"\s", task["title"]) and not task["title"].endswith("。")
        assert task["text"] and task["text"].endswith("。"), task["code"]
        assert "牵头部门" not in task["text"] and "配合部门" not in task["text"]
        assert f"{task['number']}.{task['title']}。{task['text']}" in flat, task["code"]
    # Page-break rejoins.
    assert "学校每学期至少安排1次研学实践教育活动，每学期举办科普讲座" in by_code["A1.3"]["text"]
    assert by_code["A1.2"]["text"].startswith("根据不同阶段青少年群体的特点，")
    assert "《2019—2023年全市干部教育培训规划》" in by_code["A5.1"]["text"]
    assert by_code["P1.2"]["text"].endswith("对外开放率达到90%以上。")
    assert by_code["A1.4"]["title"] == "科技教育融入“互联网+”应用常态化"


def test_indicator_count(tpl):
    inds = tpl["indicators"]
    assert len(inds) == 23
    codes = [i["code"] for i in inds]
    assert codes == ["LIT"] + [f"I{n:02d}" for n in range(1, 23)]
    per_task: dict[str | None, int] = {}
    for i in inds:
        per_task[i["task"]] = per_task.get(i["task"], 0) + 1
    assert per_task == {
        None: 1,
        "A1.3": 3,
        "A1.5": 2,
        "A2.1": 1,
        "A2.2": 4,
        "A2.4": 3,
        "A3.2": 1,
        "A5.2": 1,
        "P1.2": 1,
        "P2.3": 1,
        "P3.3": 3,
        "P4.1": 1,
        "P5.3": 1,
    }


def test_literacy_indicator(tpl):
    lit = tpl["indicators"][0]
    assert lit["code"] == "LIT" and lit["task"] is None
    assert (lit["unit"], lit["measure"], lit["target_mode"]) == ("%", "percent", "end")
    assert (lit["target"], lit["comparator"]) == (10, ">=")
    assert lit["baseline"] is None and lit["source"] == "manual"


@pytest.mark.parametrize(
    ("quote_part", "name_part", "unit", "measure", "mode", "target", "task"),
    [
        ("培育高素质农民 1.3 万人", "", "人", "count", "period", 13000, "A2.1"),
        ("1.2 万名以上", "", "名", "count", "period", 12000, "A2.2"),
        ("培训农村技能人才 1 万人次以上", "", "人次", "count", "period", 10000, "A2.2"),
        ("轮训村两委 1 万人次以上", "", "人次", "count", "period", 10000, "A2.2"),
        ("培训400人次以上", "", "人次", "count", "period", 400, "A1.5"),
        ("培训高层次创新人才 1000 人次", "", "人次", "count", "period", 1000, "A3.2"),
        ("4万人次以上", "", "人次", "count", "period", 40000, "A5.2"),
        ("不少于4次", "", "次", "level", "annual", 4, "A1.3"),
        ("至少安排1次", "", "次", "level", "annual", 1, "A1.3"),
        ("在校学生人数应达到90%以上", "", "%", "percent", "end", 90, "A1.3"),
        ("至少配备一名", "", "名", "level", "end", 1, "A1.5"),
        ("1-2 门技术", "", "门", "level", "end", 1, "A2.2"),
        ("覆盖率达到90%以上", "科技示范户", "%", "percent", "end", 90, "A2.4"),
        ("覆盖率达到90%以上", "科技带头人", "%", "percent", "end", 90, "A2.4"),
        ("覆盖率达到90%以上", "科普信息员", "%", "percent", "end", 90, "A2.4"),
        ("对外开放率达到90%以上", "", "%", "percent", "end", 90, "P1.2"),
        ("注册人数达到2.5万", "", "人", "level", "end", 25000, "P2.3"),
        ("创建全国科普教育基地 2 个", "全国", "个", "count", "period", 2, "P3.3"),
        ("创建全国科普教育基地 2 个", "自治区", "个", "count", "period", 10, "P3.3"),
        ("创建全国科普教育基地 2 个", "市级", "个", "count", "period", 20, "P3.3"),
        ("全国科普示范县（区）1个", "", "个", "count", "period", 1, "P4.1"),
        ("科技志愿者达到1万人", "", "人", "level", "end", 10000, "P5.3"),
    ],
)
def test_indicator_values(tpl, quote_part, name_part, unit, measure, mode, target, task):
    ind = _indicator(tpl, quote_part, name_part)
    assert (ind["unit"], ind["measure"], ind["target_mode"]) == (unit, measure, mode)
    assert ind["target"] == target
    assert ind["comparator"] == ">="
    assert ind["task"] == task
    assert ind["targets_by_year"] is None


def test_indicator_quotes_are_printed_text(tpl):
    flat = _seed_flat()
    for ind in tpl["indicators"]:
        assert ind["quote"] and ind["quote"] in flat, ind["code"]
        if ind["task"]:
            task = next(t for t in _tasks(tpl) if t["code"] == ind["task"])
            assert ind["quote"] in task["text"], ind["code"]


def test_derived_indicators(tpl):
    derived = {i["code"]: i for i in tpl["indicators"] if i["source"] == "derived"}
    # The four 培训人次 targets whose activities the ledger records.
    got = {
        i["quote"]: (i["rule"]["metric"], i["rule"]["target_groups"], i["rule"]["tasks"])
        for i in derived.values()
    }
    assert got == {
        "到2025年完成农村学校科技教师培训400人次以上": ("participants", [], ["A1.5"]),
        "培训农村技能人才 1 万人次以上": ("participants", ["农民"], ["A2.2"]),
        "培训高层次创新人才 1000 人次": ("participants", ["产业工人"], ["A3.2"]),
        "“十四五”期间，培训领导干部和公务员人数达到4万人次以上": (
            "participants",
            ["领导干部和公务员"],
            ["A5.2"],
        ),
    }
    for ind in tpl["indicators"]:
        if ind["source"] == "manual":
            assert ind["rule"] is None, ind["code"]
        else:
            assert "training" in ind["rule"]["activity_types"]
            assert ind["rule"]["units"] == []
