"""The 玉溪市 2016–2020 template against figures counted by hand from
tests/data/plans/yuxi-2016-2020.txt (not computed from the YAML)."""

from __future__ import annotations

import pytest

from desktop.templates import load_template

TID = "yuxi-2016-2020"


@pytest.fixture(scope="module")
def tpl():
    return load_template(TID).to_dict()


def _indicator(tpl, code):
    (ind,) = [i for i in tpl["indicators"] if i["code"] == code]
    return ind


def _all_tasks(tpl):
    return [t for s in tpl["sections"] for t in s["tasks"]]


def test_plan_metadata(tpl):
    plan = tpl["plan"]
    assert tpl["id"] == TID
    assert plan["region"] == "玉溪市"
    assert plan["level"] == "city"
    assert plan["name"] == "玉溪市全民科学素质行动计划纲要实施方案（2016—2020年）"
    assert (plan["first_year"], plan["last_year"]) == (2016, 2020)
    assert plan["doc_number"] is None  # no 文号 is printed in the seed
    assert plan["issue_date"] == "2017-03-07"
    assert plan["literacy_target"] == 9.58
    assert plan["literacy_baseline"] is None  # no baseline printed
    assert plan["literacy_baseline_year"] is None


def test_sections_by_kind_and_group(tpl):
    secs = tpl["sections"]
    assert [s["code"] for s in secs] == ["A1", "A2", "A3", "A4", "P1", "P2", "P3", "P4", "P5", "P6"]
    assert sum(s["kind"] == "action" for s in secs) == 4
    assert sum(s["kind"] == "project" for s in secs) == 6
    assert [s["target_group"] for s in secs] == [
        "青少年",
        "农民",
        "城镇劳动者",
        "领导干部和公务员",
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    assert secs[0]["title"] == "实施青少年科学素质行动任务"
    assert secs[5]["title"] == "实施社区科普益民工程任务"
    assert secs[9]["title"] == "实施科普人才建设工程任务"


def test_tasks_per_section(tpl):
    counts = [len(s["tasks"]) for s in tpl["sections"]]
    assert counts == [5, 5, 4, 4, 5, 3, 4, 4, 2, 3]
    assert sum(counts) == 39
    for s in tpl["sections"]:
        for i, t in enumerate(s["tasks"], 1):
            assert t["code"] == f"{s['code']}.{i}"
            assert t["number"] == str(i)
            assert t["title"] and not t["title"].endswith("。")
            assert t["text"].startswith(t["title"])
            assert "\n" not in t["text"]
            assert not t["text"][0].isdigit()


def test_specific_tasks(tpl):
    tasks = {t["code"]: t for t in _all_tasks(tpl)}
    assert tasks["A2.1"]["title"] == "开展农业科技教育培训"
    assert tasks["A3.3"]["title"] == "加强进城务工人员培训教育"
    assert tasks["P3.1"]["title"] == "实施“互联网+科普”行动"
    assert tasks["P5.2"]["title"] == "推动科普产品研发与创新"
    assert tasks["A1.5"]["text"].endswith("不断提高中小学生自救、互救意识和能力。")
    assert "每年组织2次应急演练活动" in tasks["A1.5"]["text"]
    assert "每年开展农民工引导性培训4万人" in tasks["A3.3"]["text"]
    # goals are not tasks
    assert not any(t["text"].startswith("宣传创新、协调、绿色") for t in tasks.values())


LEADS = [
    "市教育局",
    "市农业局",
    "市人力资源社会保障局",
    "市委组织部",
    "市教育局",
    "市科协",
    "市工业和信息化委",
    "市发展改革委",
    "市科技局",
    "市科协",
]
# 责任单位 counted by hand per section
COOPERATING = [8, 16, 10, 5, 8, 6, 9, 6, 10, 14]


def test_section_units(tpl):
    for s, lead, n_coop in zip(tpl["sections"], LEADS, COOPERATING, strict=True):
        roles = [u["role"] for u in s["units"]]
        assert s["units"][0] == {"name": lead, "role": "lead"}
        assert roles.count("lead") == 1
        assert roles.count("cooperating") == n_coop
    assert sum(len(s["units"]) for s in tpl["sections"]) == 102
    a1 = [u["name"] for u in tpl["sections"][0]["units"]]
    assert a1[-1] == "市环境保护局"  # the trailing 。 was dropped
    a2 = [u["name"] for u in tpl["sections"][1]["units"]]
    assert a2[1] == "市科协" and a2[-1] == "市妇联"


def test_task_unit_links(tpl):
    links = 0
    for s in tpl["sections"]:
        for t in s["tasks"]:
            assert t["units"] == s["units"]
            links += len(t["units"])
    # 5*9 + 5*17 + 4*11 + 4*6 + 5*9 + 3*7 + 4*10 + 4*7 + 2*11 + 3*15
    assert links == 399


def test_unit_list(tpl):
    names = [u["name"] for u in tpl["units"]]
    assert len(names) == len(set(names)) == 26
    for s in tpl["sections"]:
        for u in s["units"]:
            assert u["name"] in names
    for n in ["各县区人民政府", "市人民政府", "成员单位", "市全民科学素质工作领导小组办公室"]:
        assert n in names
    aliases = {u["name"]: u["aliases"] for u in tpl["units"]}
    assert "玉溪市科协" in aliases["市科协"]
    assert "市政府" in aliases["市人民政府"]


def test_indicator_count_and_codes(tpl):
    inds = tpl["indicators"]
    assert [i["code"] for i in inds] == ["LIT"] + [f"I{n:02d}" for n in range(1, 12)]
    assert sum(i["source"] == "derived" for i in inds) == 3
    task_codes = {t["code"] for t in _all_tasks(tpl)}
    for i in inds:
        assert i["task"] is None or i["task"] in task_codes
        assert i["measure"] in {"count", "level", "percent"}
        assert i["target_mode"] in {"period", "annual", "per_year", "end"}
        assert i["comparator"] == ">="
        assert (i["rule"] is not None) == (i["source"] == "derived")


def test_lit(tpl):
    lit = _indicator(tpl, "LIT")
    assert lit["name"] == "公民具备科学素质的比例"
    assert (lit["measure"], lit["unit"], lit["target_mode"]) == ("percent", "%", "end")
    assert lit["target"] == 9.58
    assert lit["task"] is None and lit["baseline"] is None
    assert lit["source"] == "manual"
    assert "比例达到9.58%" in lit["quote"]


@pytest.mark.parametrize(
    "code, task, measure, unit, mode, target",
    [
        ("I01", "A1.5", "count", "次", "annual", 2),
        ("I02", "A1.5", "percent", "%", "end", 100),
        ("I03", "A2.1", "count", "人次", "annual", 50000),
        ("I04", "A2.1", "count", "人次", "annual", 10000),
        ("I05", "A3.2", "count", "次", "period", 1),
        ("I06", "A3.3", "count", "人", "annual", 40000),
        ("I07", "P4.2", "level", "辆", "end", 10),
        ("I08", "P4.2", "level", "套", "end", 2),
        ("I09", None, "count", "次", "annual", 1),
        ("I10", "P6.2", "level", "名", "end", 1),
        ("I11", "P6.2", "level", "名", "end", 1),
    ],
)
def test_indicator_values(tpl, code, task, measure, unit, mode, target):
    ind = _indicator(tpl, code)
    assert (ind["task"], ind["measure"], ind["unit"], ind["target_mode"]) == (
        task,
        measure,
        unit,
        mode,
    )
    assert ind["target"] == target
    assert ind["targets_by_year"] is None


def test_quotes_come_from_the_task_text(tpl):
    tasks = {t["code"]: t for t in _all_tasks(tpl)}
    for code in ["I01", "I02", "I03", "I04", "I06", "I07", "I08"]:
        ind = _indicator(tpl, code)
        assert ind["quote"] in tasks[ind["task"]]["text"]


def test_derived_rules(tpl):
    i03 = _indicator(tpl, "I03")
    assert i03["rule"]["metric"] == "participants"
    assert i03["rule"]["activity_types"] == ["training"]
    assert i03["rule"]["target_groups"] == ["农民"]
    i06 = _indicator(tpl, "I06")
    assert i06["rule"]["target_groups"] == ["城镇劳动者"] and i06["rule"]["tasks"] == ["A3.3"]
    i01 = _indicator(tpl, "I01")
    assert i01["rule"]["metric"] == "activities"
    assert i01["rule"]["activity_types"] == ["emergency"]
    # 农村妇女 cannot be expressed by a rule (no sex filter): entered by hand
    assert _indicator(tpl, "I04")["source"] == "manual"
