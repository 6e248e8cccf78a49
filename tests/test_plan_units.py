"""Unit lists, unit names and the alias matcher, with hand-written expectations."""

from __future__ import annotations

import pytest

from desktop.importing.units import (
    UnitMatcher,
    UnitRef,
    is_unit_label,
    normalize_unit_name,
    parse_unit_clause,
    split_units,
    unit_key,
)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("〔责任单位：市科协、市教体局〕", ["市科协", "市教体局"]),
        (
            "市委宣传部、市教体局、市科技局、团市委、市科协按职责分工负责",
            ["市委宣传部", "市教体局", "市科技局", "团市委", "市科协"],
        ),
        ("（市教体局、市科协按职责分工负责）", ["市教体局", "市科协"]),
        ("牵头部门：市教育局、市科协", ["市教育局", "市科协"]),
        (
            "配合部门：市发展改革委、市科技局，团市委、各县（区）人民政府",
            ["市发展改革委", "市科技局", "团市委", "各县（区）人民政府"],
        ),
        ("责任单位：市科技局、市环境保护局。", ["市科技局", "市环境保护局"]),
        # a name hard-wrapped across lines, as copied out of a PDF
        (
            "〔责任单位：市教育和体育局、市委宣传部、市\n科协，各县（区）人民政\n府〕",
            ["市教育和体育局", "市委宣传部", "市科协", "各县（区）人民政府"],
        ),
        ("市科协 、 市科技局等", ["市科协", "市科技局"]),
        ("", []),
    ],
)
def test_split_units(text: str, names: list[str]) -> None:
    assert split_units(text) == names


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("各县(区) 人民政府。", "各县（区）人民政府"),
        (" 市 科 协 ", "市科协"),
        ("市教体局，", "市教体局"),
    ],
)
def test_normalize_unit_name(raw: str, clean: str) -> None:
    assert normalize_unit_name(raw) == clean


def test_first_named_leads() -> None:
    assert parse_unit_clause("〔责任单位：市教育和体育局、市委宣传部，各县（区）人民政府〕") == [
        UnitRef("市教育和体育局", "lead"),
        UnitRef("市委宣传部", "cooperating"),
        UnitRef("各县（区）人民政府", "cooperating"),
    ]
    assert parse_unit_clause("（市教体局、市科协按职责分工负责）") == [
        UnitRef("市教体局", "lead"),
        UnitRef("市科协", "cooperating"),
    ]


def test_labelled_roles() -> None:
    assert parse_unit_clause("牵头部门：市教育局、市科协") == [
        UnitRef("市教育局", "lead"),
        UnitRef("市科协", "lead"),
    ]
    assert parse_unit_clause("配合部门：市科技局、市科协") == [
        UnitRef("市科技局", "cooperating"),
        UnitRef("市科协", "cooperating"),
    ]
    assert parse_unit_clause("牵头单位：市教育局；配合单位：市科技局、市科协") == [
        UnitRef("市教育局", "lead"),
        UnitRef("市科技局", "cooperating"),
        UnitRef("市科协", "cooperating"),
    ]
    # a 责任单位 line printed under its own 牵头单位 line only cooperates
    assert parse_unit_clause("责任单位：市科技局、团市委", default_first_is_lead=False) == [
        UnitRef("市科技局", "cooperating"),
        UnitRef("团市委", "cooperating"),
    ]


def test_inline_roles() -> None:
    assert parse_unit_clause("市科协牵头，市教育局、市科技局配合") == [
        UnitRef("市科协", "lead"),
        UnitRef("市教育局", "cooperating"),
        UnitRef("市科技局", "cooperating"),
    ]


def test_repeated_unit_keeps_first_role() -> None:
    assert parse_unit_clause("责任单位：市科协、市教育局、市科协") == [
        UnitRef("市科协", "lead"),
        UnitRef("市教育局", "cooperating"),
    ]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("牵头部门", True),
        ("牵头单位", True),
        ("配合部门", True),
        ("责任单位", True),
        ("参与单位", True),
        ("组长", False),
        ("指导思想", False),
    ],
)
def test_is_unit_label(label: str, expected: bool) -> None:
    assert is_unit_label(label) is expected


@pytest.mark.parametrize(
    "group",
    [
        ["市教育局", "市教育和体育局", "市教体局", "市教育体育局"],
        ["市人力资源社会保障局", "市人社局", "市人力资源和社会保障局"],
        ["市卫生健康委", "市卫健委", "市卫生健康委员会"],
        ["市发展改革委", "市发改委", "市发改局", "市发展和改革委员会"],
        ["团市委", "共青团市委"],
        ["市委老干部局", "市委老干局"],
        ["市自然资源和规划局", "市自然资源规划局"],
        ["县教育局", "县教体局"],
    ],
)
def test_equivalent_names(group: list[str]) -> None:
    assert len({unit_key(name) for name in group}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("市教育局", "县教育局"),  # the region prefix is kept
        ("市教育局", "区教育局"),
        ("市质监局", "市食品药品监管局"),  # coexisting offices stay apart
        ("市科技局", "市科协"),
        ("市市场监管局", "市场监管局"),
    ],
)
def test_distinct_names(a: str, b: str) -> None:
    assert unit_key(a) != unit_key(b)


def test_matcher() -> None:
    matcher = UnitMatcher([("市教体局", []), ("市卫健委", ["市卫生健康委员会"]), ("市科协", [])])
    assert matcher.match("市教体局") == "市教体局"
    assert matcher.match("市卫生健康委员会") == "市卫健委"  # alias
    assert matcher.match("市教育和体育局") == "市教体局"  # equivalence
    assert matcher.match("市 教 体 局") == "市教体局"  # spacing
    assert matcher.match("县教育局") is None
    assert matcher.match("市妇联") is None
    matcher.add("市妇联", ["市妇女联合会"])
    assert matcher.match("市妇女联合会") == "市妇联"
    assert matcher.names() == ["市教体局", "市卫健委", "市科协", "市妇联"]
