"""Sections and tasks found however a plan numbers them.

Each text is a short plan body numbered one published way; the sections and
task titles expected were written by hand from the text. Which mark is a
section and which a task is the document's own: "1．" is a task under
"（一）" sections in one plan and a section holding "①" tasks in another.
"""

from __future__ import annotations

import pytest

from desktop.importing.plan_levels import assign_levels
from desktop.importing.plan_markers import classify
from desktop.importing.plan_text import parse_plan_text

HEAD = "测试县全民科学素质行动规划纲要实施方案\n（2021—2025年）\n"
PURPOSE = "为提高全县公民科学素质，结合我县实际，制定本方案。\n"
GOALS = "一、指导思想\n以提高全民科学素质为目标，营造崇尚创新的社会氛围。\n"
SAFEGUARDS = (
    "（一）加强组织领导。县全民科学素质工作领导小组统筹协调本方案的组织实施。\n"
    "（二）强化经费保障。县财政将科普经费列入年度财政预算。\n"
)

Outline = list[tuple[str, list[str]]]


def _outline(body: str) -> Outline:
    draft = parse_plan_text(HEAD + PURPOSE + body)
    return [(s.title, [t.title for t in s.tasks]) for s in draft.sections]


YOUTH = "青少年科学素质提升行动"
FARMERS = "农民科学素质提升行动"


def test_sections_numbered_cn_with_paren_tasks() -> None:
    body = (
        GOALS + f"二、{YOUTH}\n"
        "（一）弘扬科学精神。开展科学家精神进校园活动。〔责任单位：县教育局〕\n"
        "（二）加强学校科学教育。完善科学课程教学体系。〔责任单位：县教育局、县科协〕\n"
        f"三、{FARMERS}\n"
        "（一）实施高素质农民培育计划。每年培训农民1000人次。〔责任单位：县农业农村局〕\n"
        "四、保障措施\n" + SAFEGUARDS
    )
    assert _outline(body) == [
        (YOUTH, ["弘扬科学精神", "加强学校科学教育"]),
        (FARMERS, ["实施高素质农民培育计划"]),
    ]


@pytest.mark.parametrize("mark", ["{}．", "{}. ", "{}、", "{}.", "（{}）", "({})", "{}）"])
def test_paren_sections_with_arabic_tasks(mark: str) -> None:
    def item(n: int, text: str) -> str:
        return mark.format(n) + text + "\n"

    body = (
        GOALS
        + "二、重点任务\n"
        + f"（一）{YOUTH}\n"
        + item(1, "全面推进校内科学教育。注重课程的系统性。〔责任单位：县教育局〕")
        + item(2, "大力开展课外科学教育活动。依托校内外科普资源。〔责任单位：县科协〕")
        + f"(二){FARMERS}\n"
        + item(1, "健全农村科学教育培训体系。创新农学结合模式。〔责任单位：县农业农村局〕")
        + "三、保障措施\n"
        + SAFEGUARDS
    )
    assert _outline(body) == [
        (YOUTH, ["全面推进校内科学教育", "大力开展课外科学教育活动"]),
        (FARMERS, ["健全农村科学教育培训体系"]),
    ]


@pytest.mark.parametrize("digits", ["１２", "12"])
def test_arabic_sections_with_circled_tasks(digits: str) -> None:
    """Full- or half-width "1．" sections under 三、重点任务, "①" tasks under them;
    the "1．" items of 保障措施 stay framing."""
    one, two = digits
    body = (
        GOALS
        + "二、主要目标\n到2025年，全县公民具备科学素质的比例达到12%。\n"
        + "三、重点任务\n"
        + f"{one}．实施青少年科学素质行动任务\n"
        + "①推进义务教育阶段的科技教育。落实科技教育课程。〔责任单位：县教育局〕\n"
        + "②推进高中阶段的科技教育。引导学生开展探究活动。〔责任单位：县教育局〕\n"
        + f"{two}．实施农民科学素质行动任务\n"
        + "①开展农业科技教育培训。面向农民开展培训。〔责任单位：县农业农村局〕\n"
        + "四、保障措施\n"
        + f"{one}．加强组织领导。县领导小组统筹协调。\n"
        + f"{two}．强化经费保障。县财政列入预算。\n"
    )
    assert _outline(body) == [
        ("实施青少年科学素质行动任务", ["推进义务教育阶段的科技教育", "推进高中阶段的科技教育"]),
        ("实施农民科学素质行动任务", ["开展农业科技教育培训"]),
    ]


def test_item_sections_with_article_tasks() -> None:
    """ "第一项" sections holding "第一条" tasks, titled without a lead-in sentence."""
    body = (
        GOALS
        + "二、实施五项提升行动\n"
        + f"第一项 {YOUTH}\n"
        + "第一条 科学精神贯穿育人全链条，坚持立德树人，将弘扬科学精神和科学家精神"
        "贯穿于青少年育人全链条、全方位、全过程。通过开展主题班会讲好科学家故事。"
        "〔牵头单位：县教育局；配合单位：县科协〕\n"
        + "第二条 科学教育纳入教学各环节，根据不同阶段青少年群体的特点，将提升科学素质的"
        "目标贯穿学前教育、义务教育和高中教育各个阶段。〔牵头单位：县教育局〕\n"
        + f"第二项 {FARMERS}\n"
        + "第一条 实施农民科技教育计划，围绕乡村振兴战略和特色产业发展，面向农民开展"
        "种植养殖、电子商务等技术培训。〔牵头单位：县农业农村局〕\n" + "三、保障措施\n" + SAFEGUARDS
    )
    outline = _outline(body)
    assert outline == [
        (YOUTH, ["科学精神贯穿育人全链条", "科学教育纳入教学各环节"]),
        (FARMERS, ["实施农民科技教育计划"]),
    ]
    draft = parse_plan_text(HEAD + PURPOSE + body)
    first = draft.sections[0].tasks[0]
    assert first.number == "第一条"
    assert first.text.startswith("科学精神贯穿育人全链条，坚持立德树人")
    assert [(u.name, u.role) for u in first.units] == [
        ("县教育局", "lead"),
        ("县科协", "cooperating"),
    ]


def test_headings_holding_tasks_with_units_are_sections() -> None:
    """ "三、推进科技资源科普化" names no population or project, but its items
    name their units; 总体要求 and 保障措施 hold items that name none."""
    body = (
        "一、总体要求\n"
        "（一）指导思想。以提高全民科学素质为目标。\n"
        "（二）主要目标。到2025年，全县公民具备科学素质的比例达到12%。\n"
        f"二、{YOUTH}\n"
        "1. 培养青少年科学精神。坚持立德树人。牵头单位：县教育局；配合单位：县科协。\n"
        "三、推进科技资源科普化\n"
        "1. 开展科技资源科普化行动。鼓励科研人员开展科普。牵头单位：县科技局。\n"
        "2. 强化科技工作者的社会责任。加强科研诚信建设。牵头单位：县科协。\n"
        "四、保障措施\n" + SAFEGUARDS
    )
    assert _outline(body) == [
        (YOUTH, ["培养青少年科学精神"]),
        ("推进科技资源科普化", ["开展科技资源科普化行动", "强化科技工作者的社会责任"]),
    ]


def test_parts_above_cn_headings() -> None:
    """ "第二部分" holding "一、" sections with "（一）" tasks."""
    body = (
        "第一部分 总体要求\n"
        "一、指导思想\n以提高全民科学素质为目标。\n"
        "第二部分 重点任务\n"
        f"一、{YOUTH}\n"
        "（一）弘扬科学精神。开展科学家精神进校园活动。〔责任单位：县教育局〕\n"
        f"二、{FARMERS}\n"
        "（一）实施高素质农民培育计划。每年培训农民。〔责任单位：县农业农村局〕\n"
        "（二）实施乡村振兴科技支撑行动。组织科技特派员下乡。〔责任单位：县科技局〕\n"
    )
    assert _outline(body) == [
        (YOUTH, ["弘扬科学精神"]),
        (FARMERS, ["实施高素质农民培育计划", "实施乡村振兴科技支撑行动"]),
    ]


def test_a_list_before_the_first_part_does_not_hold_it() -> None:
    """ "1．…" items in the preamble; "一、" after them starts the outline afresh."""
    marks = [
        "1．提高认识。",
        "2．加强协调。",
        "一、重点任务",
        f"（一）{YOUTH}",
        "1．加强学校科学教育。",
        "二、保障措施",
    ]
    blocks = assign_levels([classify(line) for line in marks])
    assert [(b.kind, b.level) for b in blocks] == [
        ("top", 0),
        ("top", 0),
        ("top", 0),
        ("paren", 1),
        ("num", 2),
        ("top", 0),
    ]


def test_marks_keep_their_printed_number() -> None:
    printed = {
        "第三项 科普信息化提升工程": ("item", "第三项", "科普信息化提升工程"),
        "第十二条 加强科普队伍建设。": ("article", "第十二条", "加强科普队伍建设。"),
        "１０．加强科普人才建设": ("digit", "10", "加强科普人才建设"),
        "③开展校内外结合的科技教育活动": ("circled", "③", "开展校内外结合的科技教育活动"),
        "2）建立激励机制": ("paren_digit", "2）", "建立激励机制"),
        "(3)拓宽传播渠道": ("paren_digit", "（3）", "拓宽传播渠道"),
        "（四）老年人科学素质提升行动": ("paren_cn", "四", "老年人科学素质提升行动"),
    }
    for line, expected in printed.items():
        block = classify(line)
        assert (block.style, block.number, block.text) == expected, line


def test_tasks_without_a_title_sentence() -> None:
    """No lead-in sentence: the first clause is the title, or the first two when
    the first only sets the scene ("围绕…"); the text is the whole item."""
    body = (
        "一、重点任务\n"
        "（一）实施城镇劳动者科学素质行动\n"
        "1、加强城镇劳动者科学教育培训，将科学素质内容纳入中等职业技术学校和成人教育的"
        "课程和教材，提高城镇劳动者的科学素质。〔责任单位：县人社局〕\n"
        "2、围绕城镇化进程的要求，提高进城务工人员的职业技能水平和适应城市生活的能力，"
        "依托企业和职业学校开展培训。〔责任单位：县总工会〕\n"
    )
    draft = parse_plan_text(HEAD + PURPOSE + body)
    tasks = draft.sections[0].tasks
    assert [t.title for t in tasks] == [
        "加强城镇劳动者科学教育培训",
        "围绕城镇化进程的要求，提高进城务工人员的职业技能水平和适应城市生活的能力",
    ]
    assert tasks[1].text == (
        "围绕城镇化进程的要求，提高进城务工人员的职业技能水平和适应城市生活的能力，"
        "依托企业和职业学校开展培训。"
    )


@pytest.mark.parametrize(
    ("section", "task"),
    [("（{}）", "{}．"), ("{}．", "（{}）"), ("{}、", "{}）")],
    ids=["paren-cn-outermost", "digit-outermost", "digit-comma-outermost"],
)
def test_sections_when_no_cn_heading_is_printed(section: str, task: str) -> None:
    """The outermost mark holds the sections when no "一、" is printed at all."""
    cn = "一二三"

    def heading(n: int, text: str) -> str:
        return section.format(cn[n - 1] if "（" in section else n) + text + "\n"

    body = (
        heading(1, YOUTH)
        + task.format(1)
        + "加强学校科学教育。完善课程体系。〔责任单位：县教育局〕\n"
        + task.format(2)
        + "推进馆校合作。利用科技场馆。〔责任单位：县科协〕\n"
        + heading(2, "科普基础设施工程")
        + task.format(1)
        + "建设县科技馆。到2025年建成县科技馆。〔责任单位：县发改局〕\n"
        + heading(3, "保障措施")
        + task.format(1)
        + "加强组织领导。县领导小组统筹协调。\n"
    )
    assert _outline(body) == [
        (YOUTH, ["加强学校科学教育", "推进馆校合作"]),
        ("科普基础设施工程", ["建设县科技馆"]),
    ]
