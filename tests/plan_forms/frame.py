"""What surrounds the tasks in a county's plan: the notice, the aims, the safeguards.

Real plans open with the issuing notice (title with the years, 文号, date,
addressees naming 各乡（镇）人民政府 and 县直各部门) and hold prose before and
after the tasks — 指导思想, 主要目标 with the literacy target, 保障措施 with
numbered items that are not tasks. The parser must find the task area inside
this, so every rendered document carries it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.plan_forms.corpus import Plan

# Issued as 人民政府办公室 (…政办发) or 人民政府 (…政发), its number and date.
_ISSUES: dict[str, tuple[str, str, int, str]] = {
    "anqiu-2021-2025": ("人民政府", "政发", 12, "2022-04-18"),
    "panzhihua-2016-2020": ("人民政府办公室", "政办发", 45, "2017-07-24"),
    "panzhihua-2022-2025": ("人民政府", "府发", 30, "2022-12-21"),
    "yuxi-2016-2020": ("人民政府办公室", "政办发", 8, "2017-03-07"),
    "zhongwei-2021-2025": ("人民政府办公室", "政办发", 27, "2021-11-30"),
}


@dataclass(frozen=True)
class Notice:
    issuer: str
    name: str
    """The plan's name with its years: 青河县全民科学素质行动规划纲要实施方案（2021—2025年）."""
    short_name: str
    years: str
    doc_number: str
    issue_date: str

    def as_dict(self, region: str, first_year: int, last_year: int) -> dict[str, object]:
        return {
            "region": region,
            "name": self.name,
            "first_year": first_year,
            "last_year": last_year,
            "doc_number": self.doc_number,
            "issue_date": self.issue_date,
        }


def notice(plan: Plan) -> Notice:
    office, series, number, issued = _ISSUES[plan.seed]
    if plan.first_year == 2016:
        kind = "全民科学素质行动计划纲要实施方案"
    elif plan.first_year == 2022:
        kind = "全民科学素质行动推进方案"
    else:
        kind = "全民科学素质行动规划纲要实施方案"
    years = f"（{plan.first_year}—{plan.last_year}年）"
    return Notice(
        issuer=plan.region + office,
        name=f"{plan.region}{kind}{years}",
        short_name=plan.region + kind,
        years=years,
        doc_number=f"{plan.renaming.abbr}{series}〔{issued[:4]}〕{number}号",
        issue_date=issued,
    )


def _date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{year}年{int(month)}月{int(day)}日"


def notice_lines(plan: Plan) -> list[str]:
    """The issuing notice and the plan's own title, down to its opening sentence."""
    n = notice(plan)
    return [
        n.issuer,
        f"关于印发《{n.name}》的通知",
        n.doc_number,
        "",
        "各乡（镇）人民政府，县直各部门、各单位：",
        f"《{n.name}》已经县人民政府同意，现印发给你们，请结合实际认真贯彻落实。",
        "",
        n.issuer,
        _date(n.issue_date),
        "（此件公开发布）",
        "",
        n.short_name,
        n.years,
        "",
        opening(plan),
    ]


def opening(plan: Plan) -> str:
    if plan.first_year == 2016:
        source = "《全民科学素质行动计划纲要实施方案（2016—2020年）》"
    else:
        source = "《全民科学素质行动规划纲要（2021—2035年）》"
    return (
        f"为深入贯彻落实{source}，进一步加强{plan.region}公民科学素质建设，"
        f"明确{plan.first_year}—{plan.last_year}年全县全民科学素质工作的目标任务和保障措施，"
        "结合我县实际，制定本方案。"
    )


def guidance(plan: Plan) -> str:
    """指导思想."""
    if plan.first_year == 2016:
        return (
            "深入贯彻党的十八大和十八届三中、四中、五中、六中全会精神，牢固树立创新、协调、"
            "绿色、开放、共享的发展理念，坚持“政府推动、全民参与、提升素质、促进和谐”的方针，"
            "围绕“节约能源资源、保护生态环境、保障安全健康、促进创新创造”的工作主题，"
            "大力推进全县全民科学素质工作，为全面建成小康社会提供有力支撑。"
        )
    congress = "二十大" if plan.first_year >= 2022 else "十九大和十九届历次全会"
    return (
        f"以习近平新时代中国特色社会主义思想为指导，深入贯彻党的{congress}精神，坚持“党的领导、"
        "政府推动、全民参与、社会协同、开放合作”的工作格局，以提高全民科学素质服务高质量发展"
        "为目标，以践行社会主义核心价值观、弘扬科学精神为主线，着力提升基层科普能力，营造"
        f"热爱科学、崇尚创新的社会氛围，为{plan.region}经济社会高质量发展提供有力支撑。"
    )


def goal(plan: Plan) -> str:
    """主要目标, with the literacy target when the seed has one."""
    target = plan.literacy_target
    figure = f"，全县公民具备科学素质的比例达到{target:g}%" if target is not None else ""
    return (
        f"到{plan.last_year}年，全县科普公共服务能力明显增强，科普基础设施进一步完善，"
        f"科学精神在全社会广泛弘扬{figure}。"
    )


def safeguards(plan: Plan) -> list[tuple[str, str]]:
    """保障措施: (title, text) items, numbered like tasks but not tasks."""
    return [
        (
            "加强组织领导",
            "县全民科学素质工作领导小组负责统筹协调本方案的组织实施，领导小组办公室设在县科协，"
            "负责日常工作。各成员单位要把科学素质建设纳入本部门工作计划，明确分管领导和具体"
            "责任人，形成工作合力。",
        ),
        (
            "强化经费保障",
            "县财政要将科普经费列入年度财政预算，并随经济社会发展逐步提高投入水平。各乡（镇）"
            "要安排必要的科普工作经费，鼓励企业、社会组织和个人捐资支持科普事业。",
        ),
        (
            "加强队伍建设",
            "加强专兼职科普人才和科技志愿者队伍建设，建立科普人才培训制度，定期组织开展科普"
            "骨干培训，提高基层科普工作者的业务能力。",
        ),
        (
            "开展监测评估",
            f"县科协会同有关部门定期开展公民科学素质监测评估，{plan.last_year}年对本方案实施"
            "情况进行总结，对工作成效突出的单位和个人按照有关规定予以表扬。",
        ),
    ]


def steps(plan: Plan) -> list[tuple[str, str]]:
    """实施步骤 (the 2016–2020 plans print them)."""
    first, last = plan.first_year, plan.last_year
    return [
        ("宣传发动阶段", f"{first}年，制定印发本方案，召开动员部署会议，明确各成员单位任务分工。"),
        (
            "组织实施阶段",
            f"{first + 1}—{last - 1}年，各成员单位按照任务分工组织实施，县科协加强督促检查。",
        ),
        ("总结评估阶段", f"{last}年，对本方案实施情况进行全面总结评估，表彰先进单位和个人。"),
    ]
