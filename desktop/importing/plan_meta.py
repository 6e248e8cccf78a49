"""The plan's own lines: title, region, 文号, issue date, years and level.

A plan arrives as a notice ("关于印发《…》的通知", 文号, date) followed by
the plan under its title ("某县全民科学素质行动规划纲要实施方案（2021—2025年）").
The draft's PlanInfo and its id come from that header; what the header
does not print is guessed from the text (十四五 → 2021, the literacy
target's year → the last year) so that the user corrects a proposal
rather than fills in blanks.
"""

from __future__ import annotations

import re
import zlib
from datetime import date

from desktop.importing.plan_markers import CN_DATE_RE, DATE_RE, DOC_NUMBER_RE, TOP_RE, YEAR_RANGE
from desktop.numbers import parse_chinese_integer, to_halfwidth
from desktop.plan.document import PlanInfo

_REGION_VERB_RE = re.compile(r"(?:关于)?(?:深入)?(?:贯彻落实|贯彻|落实|实施|推进|开展)$")


def _find_title(paragraphs: list[str]) -> tuple[str | None, int]:
    """The plan's own title and its paragraph index (-1 when only in the notice)."""
    for i, para in enumerate(paragraphs):
        if (
            "科学素质" in para
            and len(para) <= 80
            and not re.search(r"关于|通知|《|》|[，。：]", para)
            and re.search(r"(?:方案|规划|计划|纲要)(?:[（(].*[）)])?$", para)
        ):
            return para, i
    for para in paragraphs:
        match = re.search(r"印发《?([^《》]*科学素质[^《》]*?)》?的?通知", para)
        if match:
            return match.group(1), -1
    return None, -1


def _issue_date(line: str) -> str | None:
    """ISO date of a line that is only a date ("2022 年 12 月 21 日", "二〇二一年九月八日")."""
    compact = line.replace(" ", "")
    if match := DATE_RE.match(compact):
        parts = [int(to_halfwidth(g)) for g in match.groups()]
    elif match := CN_DATE_RE.match(compact):
        parts = [parse_chinese_integer(g) for g in match.groups()]
    else:
        return None
    try:
        return date(*parts).isoformat()
    except ValueError:
        return None


def read_meta(lines: list[str], paragraphs: list[str]) -> tuple[PlanInfo, int]:
    """The plan's info from its header, and the index of the paragraph its body starts at."""
    info = PlanInfo()
    name, index = _find_title(paragraphs)
    header_end = next((i for i, line in enumerate(lines) if TOP_RE.match(line)), len(lines))
    for line in lines[:header_end]:
        compact = line.replace(" ", "")
        if info.doc_number is None and (m := DOC_NUMBER_RE.match(compact)):
            number = re.sub(r"[\[［【(（]", "〔", m.group(1))
            info.doc_number = to_halfwidth(re.sub(r"[\]］】)）]", "〕", number))
        if info.issue_date is None:
            info.issue_date = _issue_date(line)
    if name:
        name = name.replace("(", "（").replace(")", "）")
        info.name = name
        region = re.split(r"(?:全民|公民)?科学素质", name)[0].removeprefix("中共")
        # "北峪县贯彻落实全民科学素质…": the verb is not part of the region
        info.region = _REGION_VERB_RE.sub("", region) or None
        # the last range: "…纲要（2021—2035年）实施方案（2021—2025年）" is a 2021–2025 plan
        years = re.findall(YEAR_RANGE, to_halfwidth(name))
        if years:
            info.first_year, info.last_year = int(years[-1][0]), int(years[-1][1])
    info.level = _level(info.region, "\n".join(paragraphs))
    return info, index + 1


def _level(region: str | None, text: str) -> str:
    """county for 县/区/县级市, city for a 地级市 (one that has counties under it)."""
    if not region:
        return "county"
    if region.endswith(("县", "区", "旗")):
        return "county"
    if region.endswith(("州", "盟")):
        return "city"
    return "city" if re.search(r"县（区）|县区|区县|各县|县、区", text) else "county"


def guess_first_year(info: PlanInfo, text: str) -> None:
    """First year when the title prints none: the year of issue, else 十四五 → 2021."""
    if info.first_year is not None:
        return
    issued = re.search(r"\d{4}", info.issue_date or info.doc_number or "")
    five_year = re.search(r"十([三四五六])五", text)
    if issued:
        info.first_year = int(issued.group(0))
    elif five_year:
        info.first_year = 2016 + 5 * "三四五六".index(five_year.group(1))


def guess_last_year(info: PlanInfo, target_years: list[int]) -> None:
    """Last year when the title prints none: the literacy target's year."""
    if info.last_year is not None or info.first_year is None:
        return
    later = sorted(y for y in target_years if y >= info.first_year)
    info.last_year = later[0] if later else info.first_year + 4


def plan_id(info: PlanInfo) -> str:
    """A stable slug: region as a short hash (no pinyin offline) plus the years."""
    tag = f"{zlib.crc32((info.region or '').encode('utf-8')):08x}"[:6]
    first, last = info.first_year, info.last_year
    years = f"-{first}-{last}" if first and last else ""
    return f"plan-{tag}{years}"
