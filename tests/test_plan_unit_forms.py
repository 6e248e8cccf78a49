"""Units in every form plans print them (issue 20), each with hand-written expectations.

Each case is a short plan whose one task ends with a unit clause as some
county printed it; the parse must name the units with the roles the wording
gives, and keep the clause out of the task's title and text.
"""

from __future__ import annotations

import pytest

from desktop.importing.plan_text import parse_plan_text
from desktop.importing.units import looks_like_unit_name
from desktop.plan.document import PlanDocument

L, C = "lead", "cooperating"

_HEAD = (
    "测试县全民科学素质行动实施方案（2021—2025年）\n二、重点任务\n（一）青少年科学素质提升行动\n"
)
_TASK = "1．加强学校科学教育。每所中小学每学期举办科普讲座不少于2次"


def _plan(ending: str) -> PlanDocument:
    return parse_plan_text(_HEAD + _TASK + ending + "\n2．开展青少年科技竞赛。每年1次。\n")


def _units(doc: PlanDocument, task: int = 0) -> list[tuple[str, str]]:
    section = doc.sections[0]
    links = section.tasks[task].units or section.units
    return [(link.name, link.role) for link in links]


def _assert_clean_task(doc: PlanDocument) -> None:
    task = doc.sections[0].tasks[0]
    assert task.title == "加强学校科学教育"
    assert task.text == "每所中小学每学期举办科普讲座不少于2次。"
    # the next task stays apart and names no units
    assert doc.sections[0].tasks[1].title == "开展青少年科技竞赛"


FORMS = [
    # inline_label: one 责任单位 list on the task's own line, the first named leads
    ("。责任单位：县教体局、县科协。", [("县教体局", L), ("县科协", C)]),
    ("。责任单位:县教体局、县科协、团县委", [("县教体局", L), ("县科协", C), ("团县委", C)]),
    ("，责任单位：县教体局、县科协。", [("县教体局", L), ("县科协", C)]),
    ("。责任部门：县科协，县教体局。", [("县科协", L), ("县教体局", C)]),
    # lead_coop_labels: labels give the roles; ；，or spaces between them
    (
        "。牵头单位：县教体局；配合单位：县科协、团县委。",
        [("县教体局", L), ("县科协", C), ("团县委", C)],
    ),
    (
        "。牵头部门：县教体局，配合部门：县科协、团县委。",
        [("县教体局", L), ("县科协", C), ("团县委", C)],
    ),
    (
        "。主责单位：县教体局；协办单位：县科协，团县委。",
        [("县教体局", L), ("县科协", C), ("团县委", C)],
    ),
    (
        "。牵头单位：县教体局、县科协；参与单位：团县委。",
        [("县教体局", L), ("县科协", L), ("团县委", C)],
    ),
    ("。牵头单位：县教体局。配合单位：县科协。", [("县教体局", L), ("县科协", C)]),
    (
        "。牵头单位:县教体局 参与单位:县科协 县气象局 枫林职业技术学院 各乡（镇）人民政府。",
        [
            ("县教体局", L),
            ("县科协", C),
            ("县气象局", C),
            ("枫林职业技术学院", C),
            ("各乡（镇）人民政府", C),
        ],
    ),
    (
        "。\n牵头单位：县教体局\n配合单位：县科协、团县委",
        [("县教体局", L), ("县科协", C), ("团县委", C)],
    ),
    # verb_forms
    ("。县教体局牵头，县科协、团县委配合。", [("县教体局", L), ("县科协", C), ("团县委", C)]),
    ("。县教体局、县科协牵头，团县委配合。", [("县教体局", L), ("县科协", L), ("团县委", C)]),
    ("。责任单位：县教体局（牵头）、县科协。", [("县教体局", L), ("县科协", C)]),
    ("。责任单位：县科协、县教体局（牵头）。", [("县科协", C), ("县教体局", L)]),
    ("。由县教体局负责，县科协、团县委配合。", [("县教体局", L), ("县科协", C), ("团县委", C)]),
    ("。由县教体局负责。", [("县教体局", L)]),
    ("。由县教体局、县科协牵头，团县委配合。", [("县教体局", L), ("县科协", L), ("团县委", C)]),
    ("。县教体局、县科协按职责分工负责。", [("县教体局", L), ("县科协", C)]),
    ("。（县教体局、县科协按职责分工负责）", [("县教体局", L), ("县科协", C)]),
    # groups: kept as named groups, set off by "，"
    (
        "。责任单位：县教体局、县科协，各乡（镇）人民政府。",
        [("县教体局", L), ("县科协", C), ("各乡（镇）人民政府", C)],
    ),
    ("。县教体局牵头，各成员单位配合。", [("县教体局", L), ("各成员单位", C)]),
    ("。〔责任单位：县教体局，各县（区）人民政府〕", [("县教体局", L), ("各县（区）人民政府", C)]),
    ("。（县科协、各乡镇（街道）按职责分工负责）", [("县科协", L), ("各乡镇（街道）", C)]),
    (
        "。县教体局牵头，县科协，各乡（镇）人民政府配合。",
        [("县教体局", L), ("县科协", C), ("各乡（镇）人民政府", C)],
    ),
]


@pytest.mark.parametrize(("ending", "expected"), FORMS)
def test_unit_clause_form(ending: str, expected: list[tuple[str, str]]) -> None:
    doc = _plan(ending)
    assert _units(doc) == expected
    _assert_clean_task(doc)
    assert not _units(doc, 1)


@pytest.mark.parametrize(
    "ending",
    [
        "。引导各部门密切配合。",
        "。鼓励社会力量积极参与。",
        "。建立县科协牵头、各部门配合的工作机制。",
        "。县全民科学素质工作领导小组负责统筹协调。",
    ],
)
def test_sentences_that_are_not_unit_clauses(ending: str) -> None:
    doc = _plan(ending)
    task = doc.sections[0].tasks[0]
    assert task.units == [] and doc.sections[0].units == []
    assert task.text.endswith(ending.lstrip("。").rstrip("。") + "。")


def test_section_unit_lines_apply_to_each_task() -> None:
    doc = parse_plan_text(
        _HEAD
        + "牵头单位：县教体局\n配合单位：县科协、团县委\n"
        + "1．加强学校科学教育。每年1次。\n2．开展青少年科技竞赛。每年2次。\n"
    )
    expected = [("县教体局", L), ("县科协", C), ("团县委", C)]
    assert [(u.name, u.role) for u in doc.sections[0].units] == expected
    assert _units(doc, 0) == _units(doc, 1) == expected


def test_unit_clause_in_a_section_heading() -> None:
    doc = parse_plan_text(
        "测试县全民科学素质行动实施方案（2021—2025年）\n二、重点任务\n"
        "（一）青少年科学素质提升行动（牵头单位：县教体局；配合单位：县科协）\n"
        "1．加强学校科学教育。每年1次。\n"
    )
    section = doc.sections[0]
    assert section.title == "青少年科学素质提升行动"
    assert [(u.name, u.role) for u in section.units] == [("县教体局", L), ("县科协", C)]


def test_paren_task_with_its_units_on_its_line() -> None:
    """The issue's pasted plan: "（一）加强学校科学教育。责任单位：县教体局、县科协"."""
    doc = parse_plan_text(
        "测试县全民科学素质行动实施方案（2021—2025年）\n一、青少年科学素质提升行动\n"
        "（一）加强学校科学教育。责任单位：县教体局、县科协\n（二）开展青少年科技竞赛。\n"
    )
    task = doc.sections[0].tasks[0]
    assert task.title == "加强学校科学教育"
    assert [(u.name, u.role) for u in task.units] == [("县教体局", L), ("县科协", C)]


@pytest.mark.parametrize(
    "task",
    [
        "1．开展农民技术培训。\n牵头单位：县农业农村局\n培训农民2000人次以上。",
        "1．开展农民技术培训。牵头单位：县农业农村局\n培训农民2000人次以上。",
    ],
)
def test_text_after_a_unit_line_stays_out_of_its_names(task: str) -> None:
    """The issue's 县农业农村局培训农民: a unit line then text, hard-wrapped or not."""
    doc = parse_plan_text(
        "测试县全民科学素质行动实施方案（2021—2025年）\n二、重点任务\n"
        f"（一）农民科学素质提升行动\n{task}\n"
    )
    assert [u.name for u in doc.units] == ["县农业农村局"]
    assert _units(doc) == [("县农业农村局", L)]
    names = [indicator.name for indicator in doc.indicators]
    assert names and not any("县农业农村局" in name for name in names)
    assert "县农业农村局" not in doc.sections[0].tasks[0].text


def test_unit_list_hard_wrapped_inside_names() -> None:
    doc = _plan("。配合单位：县科技局、县生\n态环境局、县委\n宣传部")
    assert _units(doc) == [("县科技局", C), ("县生态环境局", C), ("县委宣传部", C)]
    _assert_clean_task(doc)


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("县教育和体育局", True),
        ("团县委", True),
        ("县委党校（行政学院）", True),
        ("各乡镇（街道）", True),
        ("各成员单位", True),
        ("县融媒体中心", True),
        ("县农业农村局培训农民2000人次以上", False),
        ("引导各部门密切", False),
        ("牵头", False),
    ],
)
def test_looks_like_unit_name(name: str, unit: bool) -> None:
    assert looks_like_unit_name(name) is unit


@pytest.mark.parametrize(
    ("ending", "expected"),
    [
        ("。责任单位：县科协牵头，县教体局配合。", [("县科协", L), ("县教体局", C)]),
        ("。主要责任单位：县科协；协同单位：县教体局。", [("县科协", L), ("县教体局", C)]),
        ("。县科协负责，县教体局配合。", [("县科协", L), ("县教体局", C)]),
        ("。由县科协牵头，县教体局配合实施。", [("县科协", L), ("县教体局", C)]),
        ("。县科协、县教体局等部门按职责分工负责。", [("县科协", L), ("县教体局", C)]),
        ("。各成员单位按职责分工负责。", [("各成员单位", L)]),
        ("。〔牵头单位：县科协\n配合单位：县教体局〕", [("县科协", L), ("县教体局", C)]),
        ("。(县科协牵头)", [("县科协", L)]),
    ],
)
def test_more_wordings_a_county_prints(ending: str, expected: list[tuple[str, str]]) -> None:
    doc = _plan(ending)
    assert _units(doc) == expected
    _assert_clean_task(doc)


@pytest.mark.parametrize(
    ("ending", "expected"),
    [
        (
            "。县教体局 县科协 团县委按职责分工负责。",
            [("县教体局", L), ("县科协", C), ("团县委", C)],
        ),
        (
            "。县教体局 枫林职业技术学院牵头，县科协 县气象局配合。",
            [("县教体局", L), ("枫林职业技术学院", L), ("县科协", C), ("县气象局", C)],
        ),
        ("。（县教体局 县科协牵头，团县委配合）", [("县教体局", L), ("县科协", L), ("团县委", C)]),
    ],
)
def test_space_separated_names_in_verb_forms(ending: str, expected: list[tuple[str, str]]) -> None:
    doc = _plan(ending)
    assert _units(doc) == expected
    _assert_clean_task(doc)


@pytest.mark.parametrize(
    "intro",
    [
        "围绕提升青少年科学素质开展工作。牵头单位：县教体局；配合单位：县科协。",
        "县教体局牵头，县科协配合。",
    ],
)
def test_units_closing_a_section_intro(intro: str) -> None:
    doc = parse_plan_text(_HEAD + intro + "\n1．加强学校科学教育。每年1次。\n")
    section = doc.sections[0]
    assert [(u.name, u.role) for u in section.units] == [("县教体局", L), ("县科协", C)]
    assert _units(doc) == [("县教体局", L), ("县科协", C)]
    assert section.tasks[0].title == "加强学校科学教育"
