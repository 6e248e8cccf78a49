"""Chinese numerals and quantified targets, with hand-written expectations."""

from __future__ import annotations

import pytest

from desktop.numbers import (
    Quantity,
    comparator_of,
    find_quantities,
    parse_chinese_integer,
    parse_number,
    parse_quantity,
    to_halfwidth,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十四", 14),
        ("二十", 20),
        ("一百零五", 105),
        ("两千", 2000),
        ("三万五千", 35000),
        ("二○三五", 2035),
        ("二〇二二", 2022),
        ("一", 1),
    ],
)
def test_parse_chinese_integer(text: str, value: int) -> None:
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize("text", ["", "十x", "abc"])
def test_parse_chinese_integer_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_chinese_integer(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.3 万", 13000),
        ("1.2万", 12000),
        ("2.5万", 25000),
        ("4万", 40000),
        ("１３", 13),
        ("1,000", 1000),
        ("17.5", 17.5),
        ("十四", 14),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    result = parse_number(text)
    assert result == value
    assert type(result) is type(value)  # 1.3 万 is the int 13000, not 13000.000000000002


def test_to_halfwidth_keeps_length() -> None:
    assert to_halfwidth("－１３－ ５０％") == "-13- 50%"
    assert len(to_halfwidth("培训１．３万人次")) == len("培训１．３万人次")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4万人次以上", Quantity(40000, "人次", ">=")),
        ("90%以上", Quantity(90, "%", ">=")),
        ("９０％", Quantity(90, "%", ">=")),
        ("不少于4次", Quantity(4, "次", ">=")),
        ("不低于85%", Quantity(85, "%", ">=")),
        ("不超过5次", Quantity(5, "次", "<=")),
        ("控制在3%以内", Quantity(3, "%", "<=")),
        ("1-2门", Quantity(1, "门", ">=", upper=2)),
        ("1.3 万人", Quantity(13000, "人", ">=")),
        ("达到 17.5%", Quantity(17.5, "%", ">=")),
        ("8% 左右", Quantity(8, "%", ">=")),
        ("１３人", Quantity(13, "人", ">=")),
        ("注册人数达到2.5万", Quantity(25000, "", ">=")),
        ("提高2个百分点", Quantity(2, "个百分点", ">=")),
        ("培训高层次创新人才 1000 人次", Quantity(1000, "人次", ">=")),
        ("至少配备一名专（兼）职科技教师", Quantity(1, "名", ">=")),
        ("每年召开一次会议", Quantity(1, "次", ">=")),
        ("不超过三次", Quantity(3, "次", "<=")),
    ],
)
def test_parse_quantity(text: str, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "到2025年",
        "2019—2023年全市干部教育培训规划",
        "2016~2020",
        "第十四个五年规划",
        "中国科协第九次全国代表大会",
        "十二届十二次、十三次和十四次全会",
        "“四个全面”战略布局",
        "培养一支科学素质较高的教师队伍",
        "青少年科普教育330工程",
        "国办发〔2016〕10号",
        "百岗万人职工职业技能大赛",
        "每名劳动力",
        "A1 类",
    ],
)
def test_not_targets(text: str) -> None:
    assert find_quantities(text) == []


def test_parse_quantity_without_number() -> None:
    with pytest.raises(ValueError):
        parse_quantity("加强科普基础设施建设")


def test_find_quantities_order_and_spans() -> None:
    text = "“十四五”期间，创建全国科普教育基地 2 个，自治区科普教育基地 10 个，创建2021-2025年度全国科普示范县（区）1个"
    found = find_quantities(text)
    assert [(q.quantity.value, q.quantity.unit) for q in found] == [
        (2, "个"),
        (10, "个"),
        (1, "个"),
    ]
    for q in found:
        assert text[q.start : q.end] == q.text


def test_person_numerals_need_no_trigger() -> None:
    found = find_quantities("乡、镇（街道）要配备一名科普专干，村（社区）要明确一名科普宣传员")
    assert [q.quantity for q in found] == [Quantity(1, "名"), Quantity(1, "名")]
    assert [q.quantity for q in find_quantities("实施“一村（社区）一名智慧科普传播员”计划")] == [
        Quantity(1, "名")
    ]


@pytest.mark.parametrize(
    ("before", "after", "comparator"),
    [
        ("达到", None, ">="),
        (None, "以上", ">="),
        ("不少于", None, ">="),
        ("不低于", None, ">="),
        ("不超过", None, "<="),
        (None, "以下", "<="),
        (None, None, ">="),
    ],
)
def test_comparator_of(before: str | None, after: str | None, comparator: str) -> None:
    assert comparator_of(before, after) == comparator
