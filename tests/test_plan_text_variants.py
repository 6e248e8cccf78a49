"""The plan-text parser on plans from other places, in the seeds' family.

Four fictional plans in tests/data/plan_variants/, each written the way a
real county document is, and each shaped differently from the seeds:

- 云溪县 (yunxi): "一、" parts holding "（一）" actions and projects, "1." items,
  "牵头单位：… 配合单位：…" lines after each section — both on one line, unit
  lists split by "、", "，" or spaces, 县科协 also spelled 县科学技术协会;
- 桐湾市 (tongwan, a county-level city): "1．" tasks numbered through the
  document, each ending with its units in （）, ASCII (), 〔〕 or 【】, as
  "责任单位：…", "牵头单位：…；配合单位：…", "A牵头，B、C配合" or "A（牵头）、B";
- 北峪县 (beiyu): copied out of a PDF — hard-wrapped at 35 characters,
  page numbers "－ 5 －" / "— ６ —" / "- 7 -" / "－８－" between and inside
  paragraphs, full-width digits, the title and a heading broken across lines,
  units in "（…按职责分工负责）" brackets split over two lines;
- 澄溪区 (chengxi, 2016–2020): "一、" sections with 目标 and 措施 blocks,
  "（1）" measures, "牵头部门/责任部门" lines, Chinese numerals (一次, 两次).

Every expectation below was checked by hand against the text, and every
quantified target of each plan is listed: the parser must find exactly
these, with value, unit, measure, target mode and comparator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.importing.plan_document_file import read_plan_document
from desktop.importing.plan_lines import clean_lines, unwrap
from desktop.importing.plan_text import parse_plan_text
from desktop.importing.units import parse_unit_clause
from desktop.numbers import find_quantities

VARIANTS = Path(__file__).resolve().parent / "data" / "plan_variants"

L, C = "lead", "cooperating"


def _parse(name: str) -> dict[str, Any]:
    return parse_plan_text(read_plan_document(VARIANTS / f"{name}.txt")).to_dict()


@pytest.fixture(scope="module")
def yunxi() -> dict[str, Any]:
    return _parse("yunxi-county-2021-2025")


@pytest.fixture(scope="module")
def tongwan() -> dict[str, Any]:
    return _parse("tongwan-city-2021-2025")


@pytest.fixture(scope="module")
def beiyu() -> dict[str, Any]:
    return _parse("beiyu-county-pdf-2021-2025")


@pytest.fixture(scope="module")
def chengxi() -> dict[str, Any]:
    return _parse("chengxi-district-2016-2020")


def _sections(plan: dict[str, Any]) -> list[tuple[str, str, str | None, str, int]]:
    return [
        (s["code"], s["kind"], s["target_group"], s["title"], len(s["tasks"]))
        for s in plan["sections"]
    ]


def _task(plan: dict[str, Any], code: str) -> dict[str, Any]:
    return next(t for s in plan["sections"] for t in s["tasks"] if t["code"] == code)


def _units(task: dict[str, Any]) -> list[tuple[str, str]]:
    return [(u["name"], u["role"]) for u in task["units"]]


def _targets(plan: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(task, value, unit, measure, target mode, comparator) of every indicator."""
    return [
        (
            i["task"],
            i["target"],
            i["unit"],
            i["measure"],
            i["target_mode"],
            i["comparator"],
        )
        for i in plan["indicators"]
    ]


def _aliases(plan: dict[str, Any]) -> dict[str, list[str]]:
    return {u["name"]: u["aliases"] for u in plan["units"]}


def _all_text(plan: dict[str, Any]) -> str:
    return "".join(t["title"] + t["text"] for s in plan["sections"] for t in s["tasks"])


def test_variant_files_are_full_plans() -> None:
    files = sorted(VARIANTS.glob("*.txt"))
    assert len(files) >= 3
    for path in files:
        assert 3000 <= len(path.read_text("utf-8")) <= 8000, path.name


# ------------------------------------------------------------------ 云溪县


def test_yunxi_metadata(yunxi: dict[str, Any]) -> None:
    assert yunxi["plan"] == {
        "region": "云溪县",
        "level": "county",
        "name": "云溪县全民科学素质行动实施方案（2021—2025年）",
        "first_year": 2021,
        "last_year": 2025,
        "doc_number": "云政办发〔2021〕46号",
        "issue_date": "2021-10-12",
        "literacy_baseline": None,
        "literacy_baseline_year": None,
        "literacy_target": 11,
    }


def test_yunxi_sections(yunxi: dict[str, Any]) -> None:
    assert _sections(yunxi) == [
        ("A1", "action", "青少年", "青少年科学素质提升行动", 3),
        ("A2", "action", "农民", "农民科学素质提升行动", 3),
        ("A3", "action", "产业工人", "产业工人科学素质提升行动", 2),
        ("A4", "action", "老年人", "老年人科学素质提升行动", 2),
        ("A5", "action", "领导干部和公务员", "领导干部和公务员科学素质提升行动", 2),
        ("P1", "project", None, "科普基础设施工程", 2),
        ("P2", "project", None, "基层科普能力提升工程", 2),
    ]
    assert [(t["number"], t["title"]) for t in yunxi["sections"][0]["tasks"]] == [
        ("1", "弘扬科学家精神"),
        ("2", "加强学校科学教育"),
        ("3", "丰富校外科技教育活动"),
    ]
    assert _task(yunxi, "A5.2")["title"] == "在公务员录用和考核中体现科学素质要求"


def test_yunxi_unit_lines(yunxi: dict[str, Any]) -> None:
    # "牵头单位：县教育局　　配合单位：县科协、…" on one line
    assert _units(_task(yunxi, "A1.3")) == [
        ("县教育局", L),
        ("县科协", C),
        ("团县委", C),
        ("县科技局", C),
        ("县妇联", C),
    ]
    # a list split by "，"; 县科学技术协会 is 县科协, 县人力资源和社会保障局 kept whole
    assert _units(_task(yunxi, "A2.1")) == [
        ("县农业农村局", L),
        ("县科协", C),
        ("县委组织部", C),
        ("县人力资源和社会保障局", C),
        ("县妇联", C),
        ("团县委", C),
    ]
    # two leads; a list split by spaces; 县人社局 is 县人力资源和社会保障局
    assert _units(_task(yunxi, "A3.2")) == [
        ("县人力资源和社会保障局", L),
        ("县总工会", L),
        ("县科协", C),
        ("县工业和信息化局", C),
        ("县应急管理局", C),
    ]
    # "牵头单位：…；配合单位：…" on one line
    assert _units(_task(yunxi, "A5.1")) == [
        ("县委组织部", L),
        ("县委党校", C),
        ("县人力资源和社会保障局", C),
        ("县科协", C),
    ]
    assert _units(_task(yunxi, "P2.2")) == [
        ("县科协", L),
        ("县委宣传部", C),
        ("县融媒体中心", C),
        ("各乡镇人民政府", C),
    ]
    aliases = _aliases(yunxi)
    assert aliases["县科协"] == ["县科学技术协会"]
    assert aliases["县人力资源和社会保障局"] == ["县人社局"]
    assert list(aliases) == [
        "县教育局",
        "县科协",
        "团县委",
        "县科技局",
        "县妇联",
        "县农业农村局",
        "县委组织部",
        "县人力资源和社会保障局",
        "县总工会",
        "县工业和信息化局",
        "县应急管理局",
        "县卫生健康局",
        "县民政局",
        "县委老干部局",
        "县公安局",
        "县委党校",
        "县发展和改革局",
        "县财政局",
        "县住房和城乡建设局",
        "县委宣传部",
        "县融媒体中心",
        "各乡镇人民政府",
    ]


def test_yunxi_targets(yunxi: dict[str, Any]) -> None:
    assert _targets(yunxi) == [
        (None, 11, "%", "percent", "end", ">="),  # 到2025年…比例达到11%
        ("A1.1", 20, "场次", "count", "annual", ">="),  # 每年…不少于20场次
        ("A1.2", 120, "名", "level", "end", ">="),  # 科技辅导员达到120名
        ("A1.3", 1, "次", "count", "annual", ">="),  # 每年举办…大赛1次
        ("A2.1", 2000, "人", "count", "annual", ">="),  # 每年培训高素质农民2000人以上
        ("A2.2", 150, "次", "count", "period", ">="),  # “十四五”期间累计…不少于150次
        ("A2.3", 30, "个", "level", "end", ">="),  # 到2025年，建成…示范站30个
        ("A3.1", 15000, "人次", "count", "period", ">="),  # 五年内培训产业工人1.5万人次
        ("A4.1", 10, "期", "count", "annual", ">="),  # 每年举办…培训班不少于10期
        ("A5.1", 2, "次", "count", "annual", ">="),  # 每年组织…报告会两次
        ("P1.2", 10, "个", "level", "end", ">="),  # 建成县级科普示范社区10个
        ("P1.2", 20, "个", "level", "end", ">="),  # 科普示范村20个
        ("P2.1", 1500, "人", "level", "end", ">="),  # 注册科技志愿者达到1500人
        ("P2.2", 4, "次", "count", "annual", ">="),  # 每年…主题科普活动不少于4次
    ]
    names = [i["name"] for i in yunxi["indicators"]]
    assert names[1] == "开展科学家精神进校园活动"
    assert names[7] == "培训产业工人"
    assert names[11] == "建成科普示范村"  # the second item shares the first's verb
    visits = yunxi["indicators"][1]
    assert visits["rule"]["metric"] == "activities"
    assert visits["rule"]["target_groups"] == ["青少年"]


# ------------------------------------------------------------------ 桐湾市


def test_tongwan_metadata(tongwan: dict[str, Any]) -> None:
    plan = tongwan["plan"]
    assert (plan["region"], plan["level"], plan["first_year"], plan["last_year"]) == (
        "桐湾市",
        "county",
        2021,
        2025,
    )
    assert (plan["doc_number"], plan["issue_date"], plan["literacy_target"]) == (None, None, 13)


def test_tongwan_sections(tongwan: dict[str, Any]) -> None:
    assert _sections(tongwan) == [
        ("A1", "action", "青少年", "青少年科学素质提升行动", 3),
        ("A2", "action", "农民", "农民科学素质提升行动", 3),
        ("A3", "action", "产业工人", "产业工人科学素质提升行动", 2),
        ("A4", "action", "老年人", "老年人科学素质提升行动", 2),
        ("A5", "action", "领导干部和公务员", "领导干部和公务员科学素质提升行动", 1),
        ("P1", "project", None, "科普基础设施工程", 2),
        ("P2", "project", None, "科普信息化工程", 2),
        ("P3", "project", None, "基层科普能力提升工程", 3),
    ]
    numbers = [t["number"] for s in tongwan["sections"] for t in s["tasks"]]
    assert numbers == [str(n) for n in range(1, 19)]
    assert all(s["units"] == [] for s in tongwan["sections"])


def test_tongwan_task_brackets(tongwan: dict[str, Any]) -> None:
    cases = {
        # （责任单位：…） full-width
        "A1.1": (
            "激发青少年好奇心和想象力",
            [("市教育和体育局", L), ("市科协", C), ("团市委", C), ("市妇联", C)],
        ),
        # (责任单位：…) ASCII; 市教体局 is 市教育和体育局
        "A1.2": ("提升基础教育阶段科学教育质量", [("市教育和体育局", L), ("市财政局", C)]),
        # 〔责任单位：…〕; 市科学技术协会 is 市科协
        "A1.3": ("开展青少年科技创新活动", [("市科协", L), ("市教育和体育局", C), ("团市委", C)]),
        # 【责任单位：…】
        "A2.1": (
            "实施高素质农民培育工程",
            [("市农业农村局", L), ("市人力资源和社会保障局", C), ("市科协", C)],
        ),
        # （牵头单位：…；配合单位：…）
        "A2.2": (
            "推进科技助力乡村振兴",
            [
                ("市农业农村局", L),
                ("市科技局", C),
                ("市科协", C),
                ("各镇人民政府", C),
                ("各街道办事处", C),
            ],
        ),
        # （A牵头，B、C配合）
        "A2.3": ("提升农村妇女科学素质", [("市妇联", L), ("市农业农村局", C), ("市科协", C)]),
        # 责任单位：A（牵头）、B、C
        "A3.1": (
            "开展技能提升培训",
            [("市人力资源和社会保障局", L), ("市总工会", C), ("市工业和信息化局", C)],
        ),
        "P3.3": ("加强应急科普能力建设", [("市应急管理局", L), ("市卫健局", C), ("市科协", C)]),
    }
    for code, (title, units) in cases.items():
        task = _task(tongwan, code)
        assert (task["title"], _units(task)) == (title, units), code
        assert "责任单位" not in task["text"] and "牵头" not in task["text"], code
    aliases = _aliases(tongwan)
    assert aliases["市教育和体育局"] == ["市教体局"]
    assert aliases["市科协"] == ["市科学技术协会"]
    assert aliases["市人力资源和社会保障局"] == ["市人社局"]


def test_tongwan_targets(tongwan: dict[str, Any]) -> None:
    assert _targets(tongwan) == [
        (None, 13, "%", "percent", "end", ">="),  # 比例超过13%
        ("A1.2", 1, "名", "level", "end", ">="),  # 至少配备一名专职科学教师
        ("A1.2", 100, "%", "percent", "end", ">="),  # 实验室达标率达到100%
        ("A1.3", 3, "次", "count", "annual", ">="),  # 每年…竞赛活动不少于3次
        ("A2.1", 13000, "人", "count", "period", ">="),  # 到2025年累计培育…1.3万人
        ("A2.2", 40000, "人次", "count", "annual", ">="),  # 每年…4万人次以上
        ("A2.2", 200, "项", "count", "annual", ">="),  # (每年)推广…200项以上
        ("A2.3", 5000, "人次", "count", "annual", ">="),  # 每年培训农村妇女5000人次
        ("A3.1", 12000, "人次", "count", "annual", ">="),  # 每年…1.2万人次以上
        ("A3.2", 2, "场", "count", "annual", ">="),  # 每年…技能竞赛不少于2场
        ("A4.1", 300, "人", "level", "end", ">="),  # 老年科技志愿者达到300人
        ("A4.2", 6, "次", "count", "annual", ">="),  # 每年…讲座不少于6次
        ("A5.1", 90, "%", "percent", "end", ">="),  # 参训率达到百分之九十以上
        ("P1.1", 80000, "人次", "count", "annual", ">="),  # 每年接待…不少于8万人次
        ("P1.2", 15, "个", "count", "period", ">="),  # 到2025年新认定…15个
        ("P2.1", 1000000, "人次", "count", "annual", ">="),  # 年浏览量达到100万人次
        ("P2.2", 2, "次", "count", "annual", ">="),  # 每年…竞赛不少于2次
        ("P3.1", 1200, "人", "count", "annual", ">="),  # 每年培训…不少于1,200人
        ("P3.1", 3000, "人", "level", "end", ">="),  # 注册科技志愿者超过3000人
        ("P3.2", 300, "场次", "count", "annual", ">="),  # 每年…不少于300场次
        ("P3.3", 20, "次", "count", "annual", ">="),  # 每年…不少于20次
    ]
    volunteers = tongwan["indicators"][18]
    assert volunteers["name"] == "全市注册科技志愿者"  # not "培训…": a new statement
    training = tongwan["indicators"][7]
    assert training["rule"]["metric"] == "participants"
    assert training["rule"]["target_groups"] == ["农民"]


# ------------------------------------------------------------- 北峪县 (PDF)


def test_beiyu_metadata(beiyu: dict[str, Any]) -> None:
    assert beiyu["plan"] == {
        "region": "北峪县",
        "level": "county",
        "name": "北峪县贯彻落实全民科学素质行动规划纲要（2021—2035年）实施方案（2021—2025年）",
        "first_year": 2021,
        "last_year": 2025,
        "doc_number": "北政发〔2021〕18号",
        "issue_date": "2021-11-03",
        "literacy_baseline": None,
        "literacy_baseline_year": None,
        "literacy_target": 12,
    }


def test_beiyu_sections(beiyu: dict[str, Any]) -> None:
    assert _sections(beiyu) == [
        ("A1", "action", "青少年", "青少年科学素质提升行动", 2),
        ("A2", "action", "农民", "农民科学素质提升行动", 2),
        ("A3", "action", "产业工人", "产业工人科学素质提升行动", 1),
        ("A4", "action", "老年人", "老年人科学素质提升行动", 2),
        ("A5", "action", "领导干部和公务员", "领导干部和公务员科学素质提升行动", 1),
        ("P1", "project", None, "科技资源科普化工程", 1),
        ("P2", "project", None, "科普信息化提升工程", 1),
        # the heading broken as "…能力建设" / "工程" is one heading
        ("P3", "project", None, "科普基础设施和基层科普能力建设工程", 1),
        ("P4", "project", None, "科学素质交流合作工程", 1),
    ]
    numbers = [t["number"] for s in beiyu["sections"][:5] for t in s["tasks"]]
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "8"]  # from "１．"
    # a project printed as one paragraph is its own task, titled by its first clause
    assert _task(beiyu, "P1.1")["title"] == "推动科技资源向科普资源转化"
    assert _task(beiyu, "P3.1")["text"].startswith("完善县科技馆")


def test_beiyu_unwrapped_text(beiyu: dict[str, Any]) -> None:
    text = _all_text(beiyu)
    for page in ("－ 5 －", "５", "－８－", "- 7 -", "— ６ —", "\n"):
        assert page not in text
    assert "科普工作机制更加健全" in "".join(
        unwrap(clean_lines((VARIANTS / "beiyu-county-pdf-2021-2025.txt").read_text("utf-8")))
    )
    task = _task(beiyu, "A4.2")  # its paragraph runs across the "- 7 -" page break
    assert "普及合理膳食、慢病防治" in task["text"]
    assert task["text"].endswith("老年人健康素养水平提高到25%。")


def test_beiyu_units(beiyu: dict[str, Any]) -> None:
    # "（县教" / "育局、…按职责分工负责）" across two lines
    assert _units(_task(beiyu, "A1.1")) == [("县教育局", L), ("县科协", C), ("团县委", C)]
    # "〔责任" / "单位：…〕" across two lines; 县科学技术协会 is 县科协
    assert _units(_task(beiyu, "A1.2")) == [
        ("县教育局", L),
        ("县科协", C),
        ("县文化和旅游局", C),
        ("县自然资源局", C),
    ]
    assert _units(_task(beiyu, "A3.1")) == [
        ("县人力资源和社会保障局", L),
        ("县总工会", C),
        ("县工业和信息化局", C),
        ("县应急管理局", C),
    ]
    assert _units(_task(beiyu, "A4.2")) == [
        ("县卫生健康局", L),
        ("县市场监管局", C),
        ("县公安局", C),
    ]
    assert _units(_task(beiyu, "P3.1")) == [
        ("县科协", L),
        ("县住房和城乡建设局", C),
        ("县民政局", C),
        ("各乡镇人民政府", C),
    ]
    aliases = _aliases(beiyu)
    assert aliases["县科协"] == ["县科学技术协会"]
    assert aliases["县卫生健康局"] == ["县卫健局"]
    assert aliases["县人力资源和社会保障局"] == ["县人社局"]


def test_beiyu_targets(beiyu: dict[str, Any]) -> None:
    assert _targets(beiyu) == [
        (None, 12, "%", "percent", "end", ">="),  # 到２０２５年…比例达到12%
        ("A1.1", 100, "%", "percent", "end", ">="),  # 参与率达到100%
        ("A1.2", 30, "次", "count", "annual", ">="),  # 每年…不少于３０次
        ("A2.1", 20000, "人次", "count", "period", ">="),  # 五年累计培训农民2万人次以上
        ("A2.1", 1200, "人", "count", "period", ">="),  # 培育高素质农民1200人
        ("A2.2", 25, "个", "level", "end", ">="),  # 到2025年…建成…协会25个
        ("A2.2", 12, "个", "level", "end", ">="),  # 科普示范基地12个
        ("A3.1", 3000, "人次", "count", "annual", ">="),  # 每年培训…不少于3000人次
        ("A3.1", 2, "次", "count", "annual", ">="),  # (每年)举办职工技能竞赛2次以上
        ("A4.1", 4, "期", "count", "annual", ">="),  # 每个乡镇每年…不少于4期
        ("A4.2", 25, "%", "percent", "end", ">="),  # 健康素养水平提高到25%
        ("A5.1", 2, "期", "count", "annual", ">="),  # 每年举办…培训班不少于2期
        ("A5.1", 1, "次", "count", "annual", ">="),  # 每年参加科普培训不少于1次
        ("P1.1", 8, "个", "count", "period", ">="),  # 到2025年，新培育…基地8个
        ("P2.1", 10000, "人", "level", "end", ">="),  # 信息员达到1万人
        ("P2.1", 500000, "人次", "count", "annual", ">="),  # 年阅读量超过50万人次
        ("P3.1", 10, "个", "level", "end", ">="),  # 建成科普示范社区10个
        ("P3.1", 1500, "人", "level", "end", ">="),  # 科普志愿者达到1500人
        ("P3.1", 200, "场次", "count", "annual", ">="),  # 每年…不少于200场次
        ("P4.1", 2, "次", "count", "annual", ">="),  # 每年…交流活动不少于2次
    ]
    names = [i["name"] for i in beiyu["indicators"]]
    assert names[10] == "老年人健康素养水平"
    assert names[17] == "科普志愿者"
    assert names[18] == "开展科普活动"


# ------------------------------------------------------------------ 澄溪区


def test_chengxi_metadata(chengxi: dict[str, Any]) -> None:
    assert chengxi["plan"] == {
        "region": "澄溪区",
        "level": "county",
        "name": "澄溪区全民科学素质行动计划纲要实施方案（2016—2020年）",
        "first_year": 2016,
        "last_year": 2020,
        "doc_number": "澄府办发〔2016〕72号",
        "issue_date": "2016-11-28",
        "literacy_baseline": 6.2,
        "literacy_baseline_year": 2015,
        "literacy_target": 10,
    }


def test_chengxi_sections(chengxi: dict[str, Any]) -> None:
    assert _sections(chengxi) == [
        ("A1", "action", "青少年", "青少年科学素质行动", 3),  # the 目标 bullets are not tasks
        ("A2", "action", "农民", "农民科学素质行动", 2),
        ("A3", "action", "城镇劳动者", "城镇劳动者科学素质行动", 2),
        ("A4", "action", "领导干部和公务员", "领导干部和公务员科学素质行动", 2),
        ("A5", "action", "社区居民", "社区居民科学素质行动", 2),
        ("P1", "project", None, "科普信息化工程", 2),
        ("P2", "project", None, "科普基础设施工程", 2),
        ("P3", "project", None, "科普人才建设工程", 2),
    ]
    assert [(t["number"], t["title"]) for t in chengxi["sections"][0]["tasks"]] == [
        ("（1）", "完善基础教育阶段的科技教育"),
        ("（2）", "开展丰富多彩的科技教育活动"),
        ("（3）", "加强校内外科技教育资源的有效衔接"),
    ]


def test_chengxi_units(chengxi: dict[str, Any]) -> None:
    # 牵头部门 leads; the 责任部门 under it cooperate
    assert chengxi["sections"][0]["units"] == [
        {"name": "区教育局", "role": L},
        {"name": "区科学技术协会", "role": C},
        {"name": "团区委", "role": C},
        {"name": "区科技局", "role": C},
        {"name": "区妇联", "role": C},
        {"name": "区安全监管局", "role": C},
    ]
    assert _units(_task(chengxi, "A3.2")) == [
        ("区人社局", L),
        ("区总工会", L),
        ("区科学技术协会", C),
        ("区经信局", C),
        ("区安全监管局", C),
        ("团区委", C),
    ]
    assert _units(_task(chengxi, "A5.1")) == [
        ("区科学技术协会", L),
        ("区民政局", L),
        ("区卫生和计划生育委员会", C),
        ("区文化广电新闻出版局", C),
        ("区环保局", C),
        ("各街道办事处", C),
    ]
    aliases = _aliases(chengxi)
    assert aliases["区科学技术协会"] == ["区科协"]
    assert aliases["区人社局"] == ["区人力资源社会保障局"]
    assert aliases["区文化广电新闻出版局"] == ["区文广新局"]


def test_chengxi_targets(chengxi: dict[str, Any]) -> None:
    assert _targets(chengxi) == [
        (None, 10, "%", "percent", "end", ">="),  # 比例达到10%以上
        # in the literacy sentence, a target of its own: 差距控制在3个百分点以内
        (None, 3, "个百分点", "percent", "end", "<="),
        ("A1.1", 1, "名", "level", "end", ">="),  # 至少配备1名专职科技辅导员
        ("A1.2", 1, "次", "count", "annual", ">="),  # 每年举办…大赛一次
        ("A1.2", 1, "次", "count", "annual", ">="),  # 每学期至少开展一次应急疏散演练
        ("A2.1", 12000, "人次", "count", "annual", ">="),  # 每年培训农民1.2万人次
        ("A2.1", 800, "人", "count", "annual", ">="),  # (每年)培育新型职业农民800人
        ("A2.2", 15, "个", "level", "end", ">="),  # 到2020年，建成…基地15个
        ("A2.2", 95, "%", "percent", "end", ">="),  # 覆盖率达到95%以上
        ("A3.1", 6000, "人次", "count", "annual", ">="),  # 每年…不少于6000人次
        ("A4.1", 10, "%", "percent", "end", ">="),  # 课程比例不低于10%
        ("A4.1", 2, "次", "count", "annual", ">="),  # 每年组织…报告会两次
        ("A5.1", 120, "场次", "count", "annual", ">="),  # 每年…不少于120场次
        ("A5.2", 1, "名", "level", "end", ">="),  # 每个社区配备一名科普宣传员
        ("A5.2", 12, "个", "level", "end", ">="),  # 建成科普示范社区12个
        ("P1.1", 20000, "人", "level", "end", ">="),  # 关注人数达到2万人
        ("P1.2", 50, "期", "count", "annual", ">="),  # 每年播出…不少于50期
        ("P2.1", 1, "处", "level", "end", ">="),  # 建成…活动中心1处
        ("P2.1", 30000, "人次", "count", "annual", ">="),  # 每年接待…不少于3万人次
        ("P2.2", 100, "%", "percent", "end", ">="),  # 建有率达到100%
        ("P2.2", 500000, "元", "count", "annual", ">="),  # 每年…经费不少于50万元
        ("P3.1", 800, "人", "level", "end", ">="),  # 注册科普志愿者达到800人
        ("P3.2", 2, "期", "count", "annual", ">="),  # 每年举办…培训班2期
        (None, 1, "次", "count", "annual", ">="),  # 保障措施: 每年召开一次全体成员会议
    ]
    gap = chengxi["indicators"][1]
    assert gap["name"] == "城乡居民科学素质水平差距"
    assert chengxi["indicators"][0]["baseline"] == 6.2


# --------------------------------------------------- the shapes, one by one


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "牵头单位：县教育局　　配合单位：县科协、团县委",
            [("县教育局", L), ("县科协", C), ("团县委", C)],
        ),
        ("牵头单位：县教育局；配合单位：县科协", [("县教育局", L), ("县科协", C)]),
        (
            "责任单位：县科协（牵头）、县教育局、县财政局",
            [("县科协", L), ("县教育局", C), ("县财政局", C)],
        ),
        ("县科协(牵头)，各乡镇（街道）按职责分工负责", [("县科协", L), ("各乡镇（街道）", C)]),
        ("（牵头单位：县科协，配合单位：县教育局）", [("县科协", L), ("县教育局", C)]),
        ("责任单位：县科协、县教育局等有关部门", [("县科协", L), ("县教育局", C)]),
    ],
)
def test_unit_clause_shapes(clause: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.name, r.role) for r in parse_unit_clause(clause)] == expected


def test_space_separated_unit_lists() -> None:
    lines = clean_lines(
        "配合单位：县科协 县工业和信息化局　县应急管理局\n"
        "（县委宣传部 县教育局 团县委按职责分工负责）\n"
        "责任单位：县 科 协、县教育局\n"
        "到 2025 年 建成 10 个\n"
    )
    assert lines == [
        "配合单位：县科协、县工业和信息化局、县应急管理局",
        "（县委宣传部、县教育局、团县委按职责分工负责）",
        "责任单位：县科协、县教育局",  # letter-spaced name stays one name
        "到2025年建成10个",
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("每年开展科普活动不少于200场次", 200, "场次", ">="),
        ("培训农民2万人次以上", 20000, "人次", ">="),
        ("年均培训2万余人次", 20000, "人次", ">="),
        ("科普志愿者达到1,500人", 1500, "人", ">="),
        ("科普志愿者达到１５００人", 1500, "人", ">="),
        ("覆盖率达到百分之九十以上", 90, "%", ">="),
        ("比例达到百分之十二点五", 12.5, "%", ">="),
        ("每年组织领导干部科普报告会两次", 2, "次", ">="),
        ("差距控制在3个百分点以内", 3, "个百分点", "<="),
    ],
)
def test_quantity_shapes(text: str, value: float, unit: str, comparator: str) -> None:
    (found,) = find_quantities(text)
    assert (found.quantity.value, found.quantity.unit, found.quantity.comparator) == (
        value,
        unit,
        comparator,
    )


@pytest.mark.parametrize("text", ["全县，100个", "一次性补助", "实施第三次科普调查"])
def test_not_quantities(text: str) -> None:
    found = find_quantities(text)
    assert all(q.quantity.value != 100100 for q in found)
    if text != "全县，100个":
        assert found == []
    else:
        assert [q.quantity.value for q in found] == [100]


def test_heading_and_title_wraps() -> None:
    lines = clean_lines(
        "某县贯彻落实全民科学素质行动规划纲要\n（2021—2035年）实施方案（2021—2025年）\n"
        "（三）科普基础设施和基层科普能力建设\n工程\n完善县科技馆。\n"
        "（一）指导思想\n坚持以人民为中心。\n"
    )
    assert unwrap(lines) == [
        "某县贯彻落实全民科学素质行动规划纲要（2021—2035年）实施方案（2021—2025年）",
        "（三）科普基础设施和基层科普能力建设工程",
        "完善县科技馆。",
        "（一）指导思想",
        "坚持以人民为中心。",
    ]
