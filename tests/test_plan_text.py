"""The plan-text parser against the seed plans and their built-in templates.

Each seed document is parsed and compared with the template transcribed by
hand from the same document: the parser must find at least 95 % of the
tasks (matched by title), at least 95 % of the task–unit links (unit names
matched through the alias matcher, roles equal), and every quantified target
of the template (same value and comparator, one parsed indicator each).
Smaller hand-written documents cover the shapes the seeds do not.
"""

from __future__ import annotations

import json
import random
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest

from desktop.importing.plan_document_file import read_plan_document, read_plan_source
from desktop.importing.plan_lines import clean_lines, unwrap
from desktop.importing.plan_text import parse_plan_draft, parse_plan_text
from desktop.importing.units import UnitMatcher
from desktop.plan.document import PlanDocument
from desktop.templates import load_template
from tests.paths import DATA, PLAN_TEXTS
from tests.plan_forms import CORPUS

SEEDS = PLAN_TEXTS
SEED_IDS = [
    "anqiu-2021-2025",
    "zhongwei-2021-2025",
    "yuxi-2016-2020",
    "panzhihua-2016-2020",
    "panzhihua-2022-2025",
]
PLAN_FIELDS = [
    "region",
    "level",
    "name",
    "first_year",
    "last_year",
    "doc_number",
    "issue_date",
    "literacy_baseline",
    "literacy_baseline_year",
    "literacy_target",
]


def _parse_seed(seed_id: str) -> dict[str, Any]:
    return parse_plan_text(read_plan_document(SEEDS / f"{seed_id}.txt")).to_dict()


def _titles_match(a: str, b: str) -> bool:
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= 0.6


def _tasks(plan: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(section, task) pairs in document order."""
    return [(s, t) for s in plan["sections"] for t in s["tasks"]]


def _pair_tasks(
    template: dict[str, Any], parsed: dict[str, Any]
) -> list[tuple[tuple[dict[str, Any], dict[str, Any]], tuple[dict[str, Any], dict[str, Any]]]]:
    """Template tasks paired one-to-one with the parsed task of the closest title."""
    free = _tasks(parsed)
    pairs = []
    for wanted in _tasks(template):
        title = wanted[1]["title"]
        candidates = [p for p in free if _titles_match(title, p[1]["title"])]
        if candidates:
            best = max(
                candidates, key=lambda p: SequenceMatcher(None, title, p[1]["title"]).ratio()
            )
            free.remove(best)
            pairs.append((wanted, best))
    return pairs


def _links(section: dict[str, Any], task: dict[str, Any]) -> list[dict[str, str]]:
    """A task's units, or its section's when the task names none."""
    return task["units"] or section["units"]


def _link_score(template: dict[str, Any], parsed: dict[str, Any]) -> tuple[int, int]:
    matcher = UnitMatcher((u["name"], u.get("aliases") or []) for u in template["units"])
    found = total = 0
    for (t_section, t_task), (p_section, p_task) in _pair_tasks(template, parsed):
        got = {
            (matcher.match(u["name"]) or u["name"], u["role"]) for u in _links(p_section, p_task)
        }
        for link in _links(t_section, t_task):
            total += 1
            found += (matcher.match(link["name"]) or link["name"], link["role"]) in got
    # links of template tasks the parser missed count as missed
    paired = {id(t) for (_, t), _ in _pair_tasks(template, parsed)}
    total += sum(len(_links(s, t)) for s, t in _tasks(template) if id(t) not in paired)
    return found, total


def _missing_targets(template: dict[str, Any], parsed: dict[str, Any]) -> list[str]:
    """Template indicators with no parsed indicator of the same target and comparator."""
    free = list(parsed["indicators"])
    missing = []
    for wanted in template["indicators"]:
        candidates = [
            ind
            for ind in free
            if ind["target"] is not None
            and wanted["target"] is not None
            and abs(float(ind["target"]) - float(wanted["target"])) < 1e-9
            and ind["comparator"] == wanted["comparator"]
        ]
        if not candidates:
            missing.append(f"{wanted['code']} {wanted['target']} {wanted['quote']}")
            continue
        best = max(
            candidates, key=lambda i: SequenceMatcher(None, i["quote"], wanted["quote"]).ratio()
        )
        free.remove(best)
    return missing


@pytest.fixture(scope="module", params=SEED_IDS)
def seed_pair(request: pytest.FixtureRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    return load_template(request.param).to_dict(), _parse_seed(request.param)


def test_tasks_found(seed_pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    template, parsed = seed_pair
    total = len(_tasks(template))
    found = len(_pair_tasks(template, parsed))
    assert found / total >= 0.95, f"{found}/{total} tasks"


def test_no_extra_tasks(seed_pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    template, parsed = seed_pair
    assert len(_tasks(parsed)) <= len(_tasks(template)) * 1.05


def test_task_unit_links_found(seed_pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    template, parsed = seed_pair
    found, total = _link_score(template, parsed)
    assert found / total >= 0.95, f"{found}/{total} links"


def test_every_template_target_found(seed_pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    template, parsed = seed_pair
    assert _missing_targets(template, parsed) == []


def test_plan_metadata(seed_pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    template, parsed = seed_pair
    for key in PLAN_FIELDS:
        assert parsed["plan"][key] == template["plan"][key], key


def test_sections(seed_pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    template, parsed = seed_pair
    expected = [(s["code"], s["kind"], s["target_group"]) for s in template["sections"]]
    assert [(s["code"], s["kind"], s["target_group"]) for s in parsed["sections"]] == expected


def test_schema_shape(seed_pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """Same keys as the template at every level, so the same loader takes both."""
    template, parsed = seed_pair
    assert parsed.keys() == template.keys()
    assert parsed["plan"].keys() == template["plan"].keys()
    assert parsed["units"][0].keys() == template["units"][0].keys()
    assert parsed["sections"][0].keys() == template["sections"][0].keys()
    assert parsed["sections"][0]["tasks"][0].keys() == template["sections"][0]["tasks"][0].keys()
    assert parsed["indicators"][0].keys() == template["indicators"][0].keys()
    assert parsed["id"].startswith("plan-")


def test_units_list(seed_pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """Every parsed unit is one of the template's; every linked template unit is parsed."""
    template, parsed = seed_pair
    matcher = UnitMatcher((u["name"], u.get("aliases") or []) for u in template["units"])
    parsed_names = {matcher.match(u["name"]) for u in parsed["units"]}
    assert None not in parsed_names
    linked = {u["name"] for s, t in _tasks(template) for u in _links(s, t)}
    assert linked <= parsed_names


def test_literacy_indicator(seed_pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    template, parsed = seed_pair
    lit = next(i for i in parsed["indicators"] if i["code"] == "LIT")
    assert lit["target"] == template["plan"]["literacy_target"]
    assert lit["baseline"] == template["plan"]["literacy_baseline"]
    assert lit["measure"] == "percent" and lit["target_mode"] == "end"


@pytest.mark.parametrize(
    "path",
    sorted([*SEEDS.glob("*.txt"), *(DATA / "plan_variants").glob("*.txt")]),
    ids=lambda path: path.stem,
)
def test_parser_builds_the_typed_document(path: Path) -> None:
    """The draft is a PlanDocument that its dict form reads back as, key order and all."""
    draft = parse_plan_text(read_plan_document(path))
    assert isinstance(draft, PlanDocument)
    data = draft.to_dict()
    again = PlanDocument.from_dict(data)
    assert again == draft
    assert json.dumps(again.to_dict(), ensure_ascii=False) == json.dumps(data, ensure_ascii=False)


def test_task_text_is_unwrapped_and_clean() -> None:
    """Page numbers and unit brackets are out of the task text, hard wraps joined."""
    parsed = _parse_seed("panzhihua-2022-2025")
    task = next(t for _, t in _tasks(parsed) if t["number"] == "25")
    assert "13" not in task["text"] and "１３" not in task["text"]
    assert "责任单位" not in task["text"] and "\n" not in task["text"]
    assert task["units"][0] == {"name": "市应急管理局", "role": "lead"}
    assert task["units"][-1]["name"] == "钒钛高新区管委会"


def test_zhongwei_derived_rules() -> None:
    parsed = _parse_seed("zhongwei-2021-2025")
    by_quote = {i["quote"]: i for i in parsed["indicators"]}
    training = next(
        i for q, i in by_quote.items() if "培训农村技能人才" in q and i["unit"] == "人次"
    )
    assert training["source"] == "derived"
    assert training["rule"]["metric"] == "participants"
    assert training["rule"]["activity_types"] == ["training"]
    assert training["rule"]["target_groups"] == ["农民"]
    assert training["target"] == 10000 and training["target_mode"] == "period"
    volunteers = next(i for i in parsed["indicators"] if "科技志愿者" in i["name"])
    assert (volunteers["measure"], volunteers["target_mode"], volunteers["source"]) == (
        "level",
        "end",
        "manual",
    )
    bases = [(i["name"], i["measure"]) for i in parsed["indicators"] if i["unit"] == "个"][:3]
    assert bases == [  # the second base in the list is created too
        ("创建全国科普教育基地", "count"),
        ("创建自治区科普教育基地", "count"),
        ("新培育市级科普基地", "count"),
    ]
    rates = [i["name"] for i in parsed["indicators"] if i["name"].endswith("覆盖率")]
    assert rates == ["科技示范户覆盖率", "科技带头人覆盖率", "科普信息员覆盖率"]


# ------------------------------------------------ a plan from another place

COUNTY_PLAN = """\
测试县人民政府办公室
关于印发测试县全民科学素质行动
规划纲要实施方案（2021—2025年）的通知
测政办发〔2021〕15 号
各乡镇人民政府、街道办事处，县直各部门：
现将《测试县全民科学素质行动规划纲要实施方案（2021—2025年）》印发给你们，请认真贯彻执行。
测试县人民政府办公室
二〇二一年九月八日
测试县全民科学素质行动规划纲要实施方案
（2021—2025年）
一、主要目标
2020年，全县公民具备科学素质的比例为8.5%。到 2025 年，全县公民具备科学素质的比例达到 12%。
二、重点任务
（一）青少年科学素质提升行动
（1）加强学校科学教育。每所中小学每学期举办科普讲座不少于2次，全县中

— 5 —

小学生参与科普活动比例达到95%以上。〔责任单位：县教育和体育局、县科协、团
县委〕
（2）开展青少年科技竞赛。每年组织县级青少年科技创新大赛1次。〔责任单位：县科协、县教体局〕
（二）农民科学素质提升行动
1．提高农民科学文化素质。
措施：
1．开展农民技术培训。每年培训农民2000人次以上。
2．建设农村科普示范基地。“十四五”期间新建农村科普示范基地5个。
牵头单位：县农业农村局
责任单位：县科协、县人社局、各乡镇人民政府
（三）科普基础设施工程
——建设县科技馆。到2025年建成县科技馆1座，每场讲解时长不超过2小时。（县发改局、县科协按职责分工负责）
——完善基层科普设施。每个乡镇至少配备一名科普专干。
（县科协、各乡镇人民政府按职责分工负责）
三、保障措施
县全民科学素质工作领导小组每年召开1次工作会议。〔责任单位：县科协、县财政局〕
附件：测试县全民科学素质工作领导小组成员名单
组长：张三
"""


@pytest.fixture(scope="module")
def county() -> dict[str, Any]:
    return parse_plan_text(COUNTY_PLAN).to_dict()


def test_county_metadata(county: dict[str, Any]) -> None:
    assert county["plan"] == {
        "region": "测试县",
        "level": "county",
        "name": "测试县全民科学素质行动规划纲要实施方案（2021—2025年）",
        "first_year": 2021,
        "last_year": 2025,
        "doc_number": "测政办发〔2021〕15号",
        "issue_date": "2021-09-08",
        "literacy_baseline": 8.5,
        "literacy_baseline_year": 2020,
        "literacy_target": 12,
    }


def test_county_sections_and_tasks(county: dict[str, Any]) -> None:
    sections = county["sections"]
    assert [(s["code"], s["kind"], s["target_group"], len(s["tasks"])) for s in sections] == [
        ("A1", "action", "青少年", 2),
        ("A2", "action", "农民", 2),  # the goal before 措施 is not a task
        ("P1", "project", None, 2),
    ]
    a1 = sections[0]["tasks"]
    assert [(t["number"], t["title"]) for t in a1] == [
        ("（1）", "加强学校科学教育"),
        ("（2）", "开展青少年科技竞赛"),
    ]
    assert (
        a1[0]["text"]
        == "每所中小学每学期举办科普讲座不少于2次，全县中小学生参与科普活动比例达到95%以上。"
    )
    assert [t["number"] for t in sections[2]["tasks"]] == ["", ""]


def test_county_units(county: dict[str, Any]) -> None:
    a1, a2, p1 = county["sections"]
    assert a1["tasks"][0]["units"] == [
        {"name": "县教育和体育局", "role": "lead"},
        {"name": "县科协", "role": "cooperating"},
        {"name": "团县委", "role": "cooperating"},
    ]
    # 县教体局 is the same unit as 县教育和体育局: one unit, one alias
    assert a1["tasks"][1]["units"] == [
        {"name": "县科协", "role": "lead"},
        {"name": "县教育和体育局", "role": "cooperating"},
    ]
    assert {"name": "县教育和体育局", "aliases": ["县教体局"]} in county["units"]
    # section lines: 牵头单位 leads, the 责任单位 under it cooperate; copied to tasks
    expected = [
        {"name": "县农业农村局", "role": "lead"},
        {"name": "县科协", "role": "cooperating"},
        {"name": "县人社局", "role": "cooperating"},
        {"name": "各乡镇人民政府", "role": "cooperating"},
    ]
    assert a2["units"] == expected
    assert all(t["units"] == expected for t in a2["tasks"])
    # the bracket on a line of its own still belongs to the task above it
    assert p1["tasks"][1]["units"] == [
        {"name": "县科协", "role": "lead"},
        {"name": "各乡镇人民政府", "role": "cooperating"},
    ]
    assert "按职责分工负责" not in p1["tasks"][0]["text"]
    # named only in 保障措施: listed as a unit of the plan, linked to nothing
    assert {"name": "县财政局", "aliases": []} in county["units"]


def test_county_indicators(county: dict[str, Any]) -> None:
    got = [
        (
            i["code"],
            i["task"],
            i["target"],
            i["unit"],
            i["comparator"],
            i["measure"],
            i["target_mode"],
        )
        for i in county["indicators"]
    ]
    assert got == [
        ("LIT", None, 12, "%", ">=", "percent", "end"),
        ("I01", "A1.1", 2, "次", ">=", "count", "annual"),
        ("I02", "A1.1", 95, "%", ">=", "percent", "end"),
        ("I03", "A1.2", 1, "次", ">=", "count", "annual"),
        ("I04", "A2.1", 2000, "人次", ">=", "count", "annual"),
        ("I05", "A2.2", 5, "个", ">=", "count", "period"),
        ("I06", "P1.1", 1, "座", ">=", "level", "end"),
        ("I07", "P1.1", 2, "小时", "<=", "count", "period"),
        ("I08", "P1.2", 1, "名", ">=", "level", "end"),
        ("I09", None, 1, "次", ">=", "count", "annual"),
    ]
    lecture, _, contest, training = county["indicators"][1:5]
    assert lecture["rule"] == {
        "metric": "activities",
        "activity_types": ["lecture"],
        "target_groups": ["青少年"],
        "tasks": ["A1.1"],
        "units": [],
    }
    assert contest["rule"]["activity_types"] == ["contest"]
    assert training["rule"]["metric"] == "participants"
    assert training["rule"]["target_groups"] == ["农民"]
    assert county["indicators"][0]["baseline_year"] == 2020
    assert "责任单位" not in county["indicators"][-1]["quote"]


DISTRICT_PLAN = """\
示范区全民科学素质行动规划纲要（2021—2035年）实施方案（2021—2025年）
一、工作目标
到2025年，全区具备科学素质的公民比例达到15%。
二、主要任务
（一）社区居民科学素质提升行动
１．开展社区科普活动。每年举办社区科普讲座１２场。
（1）推动科普进社区。
（2）建设社区科普e站。
责任单位：区科协、区民政局
２．建设社区科普阵地。到2025年建成社区科普馆3个。
责任单位：区民政局、区科协
（二）科普信息化提升工程
1．推进智慧科普。科普公众号关注人数达到5000人。（牵头单位：区委宣传部；责任单位：区融媒体中心、区科协）
"""


def test_district_shapes() -> None:
    parsed = parse_plan_text(DISTRICT_PLAN).to_dict()
    plan = parsed["plan"]
    assert (plan["region"], plan["level"], plan["first_year"], plan["last_year"]) == (
        "示范区",
        "county",
        2021,
        2025,
    )
    assert plan["literacy_target"] == 15
    a1, p1 = parsed["sections"]
    assert (a1["kind"], a1["target_group"]) == ("action", "社区居民")
    first, second = a1["tasks"]
    # full-width numbers read as digits; "（1）" sub-items stay in their task's text
    assert (first["number"], second["number"]) == ("1", "2")
    assert "（1）推动科普进社区。（2）建设社区科普e站。" in first["text"]
    # a 责任单位 line after each task belongs to that task, first named leads
    assert first["units"] == [
        {"name": "区科协", "role": "lead"},
        {"name": "区民政局", "role": "cooperating"},
    ]
    assert second["units"] == [
        {"name": "区民政局", "role": "lead"},
        {"name": "区科协", "role": "cooperating"},
    ]
    assert a1["units"] == []
    assert p1["tasks"][0]["units"] == [
        {"name": "区委宣传部", "role": "lead"},
        {"name": "区融媒体中心", "role": "cooperating"},
        {"name": "区科协", "role": "cooperating"},
    ]
    assert [(i["target"], i["unit"], i["task"]) for i in parsed["indicators"]] == [
        (15, "%", None),
        (12, "场", "A1.1"),
        (3, "个", "A1.2"),
        (5000, "人", "P1.1"),
    ]


def test_invalid_issue_date_is_dropped() -> None:
    parsed = parse_plan_text(
        "某县全民科学素质行动实施方案\n2022年13月40日\n一、总体要求\n"
    ).to_dict()
    assert parsed["plan"]["issue_date"] is None


def test_sections_without_top_headings() -> None:
    """A document that starts straight with "（一）…行动" headings."""
    parsed = parse_plan_text(
        "（一）老年人科学素质提升行动\n"
        "1.实施智慧助老行动。开展智能技术培训。\n"
        "2.开展健康科普。\n"
        "（二）科普人才建设工程\n"
        "1.壮大科技志愿者队伍。到2025年科技志愿者达到500人。\n"
    ).to_dict()
    assert [(s["kind"], s["target_group"], len(s["tasks"])) for s in parsed["sections"]] == [
        ("action", "老年人", 2),
        ("project", None, 1),
    ]
    assert [(i["target"], i["task"]) for i in parsed["indicators"]] == [(500, "P1.1")]


def test_sections_at_top_level() -> None:
    """Sections printed as "一、" headings with "（一）" tasks under them."""
    parsed = parse_plan_text(
        "一、指导思想\n以提高全民科学素质为目标。\n"
        "二、青少年科学素质提升行动\n"
        "（一）加强科学教育。推进科学课程改革。\n"
        "（二）开展科技活动。每年举办科技节1次。\n"
        "牵头部门：区教育局\n配合部门：区科协\n"
        "三、组织实施\n加强领导。\n"
    ).to_dict()
    (section,) = parsed["sections"]
    assert section["title"] == "青少年科学素质提升行动"
    assert [t["number"] for t in section["tasks"]] == ["一", "二"]
    assert section["units"] == [
        {"name": "区教育局", "role": "lead"},
        {"name": "区科协", "role": "cooperating"},
    ]


def test_unwrap_joins_broken_sentences_only() -> None:
    lines = clean_lines(
        "一、总体要求\n\n（一）指导思想。坚持以习近平新时代中国特色社会主义\n\n"
        "－１３－\n\n思想为指导。\n（二）主要目标\n到 2025 年，比例达到 15%。\n"
    )
    assert unwrap(lines) == [
        "一、总体要求",
        "（一）指导思想。坚持以习近平新时代中国特色社会主义思想为指导。",
        "（二）主要目标",
        "到2025年，比例达到15%。",
    ]


@pytest.mark.parametrize(
    "text", ["", "   \n\n", "一、", "（一）\n1.", "〔责任单位：", "措施：\n1．"]
)
def test_odd_input_does_not_crash(text: str) -> None:
    parsed = parse_plan_text(text).to_dict()
    assert parsed["sections"] == [] or isinstance(parsed["sections"], list)
    assert parsed["plan"]["literacy_target"] is None


def test_random_fragments_do_not_crash() -> None:
    """Shuffled and truncated seed lines: whatever comes out, nothing raises."""
    rng = random.Random(20240521)
    lines = [
        line
        for seed in SEED_IDS
        for line in (SEEDS / f"{seed}.txt").read_text("utf-8").splitlines()
    ]
    for _ in range(40):
        sample = rng.sample(lines, k=min(len(lines), rng.randint(1, 120)))
        text = "\n".join(line[: rng.randint(0, len(line))] for line in sample)
        parsed = parse_plan_text(text).to_dict()
        assert set(parsed) == {"id", "plan", "units", "sections", "indicators"}


# --------------------------------------------------------------- reading


def test_read_gb18030_and_bom(tmp_path: Path) -> None:
    gbk = tmp_path / "plan.txt"
    gbk.write_bytes("测试县全民科学素质行动实施方案".encode("gb18030"))
    assert read_plan_document(gbk) == "测试县全民科学素质行动实施方案"
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeff一、总体要求".encode())
    assert read_plan_document(bom) == "一、总体要求"


def test_read_docx(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("测试县全民科学素质行动实施方案（2021—2025年）")
    document.add_paragraph("二、重点任务")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "（一）青少年科学素质提升行动"
    table.rows[0].cells[1].text = "1．加强科学教育。每年举办科普讲座4次。"
    path = tmp_path / "plan.docx"
    document.save(str(path))
    text = read_plan_document(path)
    assert text.splitlines() == [
        "测试县全民科学素质行动实施方案（2021—2025年）",
        "二、重点任务",
        "（一）青少年科学素质提升行动",
        "1．加强科学教育。每年举办科普讲座4次。",
    ]
    parsed = parse_plan_text(text).to_dict()
    assert parsed["plan"]["first_year"] == 2021
    assert [i["target"] for i in parsed["indicators"]] == [4]


def test_read_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(ValueError):
        read_plan_document(path)


def test_literacy_rise_in_one_sentence() -> None:
    """Baseline and target in one sentence; years from the issue date and that target."""
    parsed = parse_plan_text(
        "某县全民科学素质行动推进方案\n2022年3月1日\n一、目标\n"
        "全县公民具备科学素质的比例由2020年的8.5%提升至2025年的12%。\n"
    ).to_dict()
    plan = parsed["plan"]
    assert (plan["first_year"], plan["last_year"]) == (2022, 2025)
    assert (plan["literacy_baseline"], plan["literacy_baseline_year"]) == (8.5, 2020)
    assert plan["literacy_target"] == 12
    assert [i["code"] for i in parsed["indicators"]] == ["LIT"]


UNPLACED_PLAN = """某县全民科学素质行动实施方案（2021—2025年）
一、指导思想
以习近平新时代中国特色社会主义思想为指导，全面提升公民科学素质。
二、重点任务
（一）青少年科学素质提升行动
1．开展科普讲座。每年举办科普讲座不少于4次。〔责任单位：县科协〕
这一段写在任务的责任单位之后，不属于任何任务。
2．建设科技志愿者队伍。到2025年科技志愿者达到500人。
牵头单位：
（二）农民科学素质提升行动
1．培训农民。每年培训农民1000人次。
（1）举办农业实用技术培训班。
三、重点工作
围绕乡村振兴开展科普进村入户。
县科协负责组织实施。
四、保障措施
（一）加强组织领导。各成员单位要加强协调配合。
牵头单位：县政府办公室
"""


def test_the_lines_the_parser_could_not_place_are_listed_for_the_review():
    """A paragraph after a task's units, a unit label naming nobody, a task heading
    holding no section; not the header, 指导思想/保障措施 prose or a task's sub-item."""
    draft = parse_plan_draft(UNPLACED_PLAN)
    assert draft.unplaced == [
        "这一段写在任务的责任单位之后，不属于任何任务。",
        "牵头单位：",
        "三、重点工作",
        "围绕乡村振兴开展科普进村入户。",
        "县科协负责组织实施。",
    ]
    assert [s.title for s in draft.document.sections] == [
        "青少年科学素质提升行动",
        "农民科学素质提升行动",
    ]
    assert draft.document == parse_plan_text(UNPLACED_PLAN)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_a_seed_leaves_no_line_unplaced(seed: str):
    assert parse_plan_draft(read_plan_document(SEEDS / f"{seed}.txt")).unplaced == []


@pytest.mark.parametrize("form", ["division_table_text", "division_table_docx"])
def test_a_plan_whose_tasks_are_in_its_division_table_lists_no_prose_line(form: str):
    """The text around the table has no sections of its own: its headings and
    保障措施 are not lines the parser failed to place."""
    for path in sorted((CORPUS / form).glob("*.*")):
        if path.suffix in (".txt", ".docx"):
            source = read_plan_source(path)
            assert parse_plan_draft(source.text, source.tables).unplaced == [], path.name


def test_a_unit_naming_line_lost_by_an_odd_outline_is_listed_not_dropped():
    # No 一、 heading: the （一） item is read as a part heading and would vanish
    # from the draft; its units name the work someone must do, so it is shown.
    draft = parse_plan_draft(
        "某县全民科学素质行动实施方案\n"
        "（一）加强学校科学教育。责任单位：县教体局、县科协\n"
        "（二）提升农民科学素质。牵头单位：县农业农村局\n"
    )
    assert [s.title for s in draft.document.sections] == ["提升农民科学素质"]
    assert draft.unplaced == ["（一）加强学校科学教育。责任单位：县教体局、县科协"]
