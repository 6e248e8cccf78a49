"""Responsible units (责任单位) as printed in plans: splitting, naming, matching.

Plans name the units responsible for a task in several ways —
"〔责任单位：市科协、市教体局〕", "（市委宣传部、市教体局…按职责分工负责）",
"牵头部门：市教育局、市科协" — and spell the same department differently
from one document to the next (市教育局 / 市教育和体育局 / 市教体局). This
module turns such text into clean names with a role, and matches a new name
against units already known, so an imported plan links to existing units
instead of creating duplicates.

The equivalences are data (`UNIT_EQUIVALENTS`, `ABBREVIATION_RULES`), not
code: adding a department spelling means adding a string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from desktop.numbers import to_halfwidth

Role = Literal["lead", "cooperating"]

# Canonical department name (without region prefix) → other spellings of the
# same department. Renames where one office simply replaced another
# (卫生计生委 → 卫生健康委) are listed; mergers of several offices that
# coexisted in older plans (质监局 + 食品药品监管局 → 市场监管局) are not,
# or the old plan's units would collapse into one.
UNIT_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "教育局": ("教育和体育局", "教育体育局", "教体局", "教育委员会", "教委"),
    "科技局": ("科学技术局", "科技和知识产权局", "科学技术和知识产权局"),
    "科协": ("科学技术协会",),
    "人力资源社会保障局": ("人力资源和社会保障局", "人社局"),
    "卫生健康委": (
        "卫生健康委员会",
        "卫健委",
        "卫生健康局",
        "卫健局",
        "卫生计生委",
        "卫生和计划生育委员会",
        "卫计委",
    ),
    "发展改革委": ("发展和改革委员会", "发展改革局", "发展和改革局", "发改委", "发改局"),
    "经济和信息化局": (
        "经信局",
        "经济信息化委",
        "经信委",
        "工业和信息化局",
        "工信局",
        "工业和信息化委",
        "工信委",
    ),
    "文化广电旅游局": (
        "文化广播电视和旅游局",
        "文广旅局",
        "文化和旅游局",
        "文旅局",
        "文化旅游局",
        "旅游和文体广电局",
        "文化体育广电和旅游局",
    ),
    "文化广播新闻出版局": ("文化广电新闻出版局", "文广新局"),
    "市场监管局": ("市场监督管理局", "市监局"),
    "应急管理局": ("应急局",),
    "自然资源和规划局": ("自然资源局", "自然资源规划局", "自规局"),
    "生态环境局": ("环境保护局", "环保局"),
    "农业农村局": ("农业局", "农牧局", "农业农村委"),
    "民族宗教委": ("民族宗教事务委员会", "民族宗教事务局", "民族宗教局", "民宗委", "民宗局"),
    "食品药品监管局": ("食品药品监督管理局", "食药监局"),
    "安全监管局": ("安全生产监督管理局", "安监局"),
    "质监局": ("质量技术监督局",),
    "防震减灾局": ("地震局",),
    "委老干部局": ("委老干局",),
    "委党校": ("委党校（行政学院）", "委党校(行政学院)"),
    "总工会": ("工会",),
    "妇联": ("妇女联合会",),
    "社科联": ("社会科学界联合会",),
    "融媒体中心": ("新闻传媒中心",),
}

# Spelling rules applied to a whole name before the table is consulted:
# "和" is often dropped (自然资源和规划局 = 自然资源规划局) and 委员会 is
# shortened to 委; the Youth League is printed 共青团X委 or 团X委.
ABBREVIATION_RULES: tuple[tuple[str, str], ...] = (
    (r"和", ""),
    (r"委员会$", "委"),
    (r"^共青团(.{1,8}?)委", r"团\1委"),
    (r"^中共(.{1,8}?)委", r"\1委"),
)

# Labels that open a unit list, and the role they give.
_LEAD_LABEL = re.compile(r"(?:牵头|主责|主办|主要责任)(?:部门|单位)?$")
_COOP_LABEL = re.compile(r"(?:配合|协办|协同|参与|协作|相关)(?:部门|单位)?$")
_FIRST_IS_LEAD_LABEL = re.compile(r"(?:责任|负责|实施)(?:部门|单位)$")
_LABELLED_PART = re.compile(r"^\s*([^：:]{1,8})[：:](.*)$", re.S)
# A second label printed on the same line ("牵头单位：A　配合单位：B、C"):
# the list before it ends there.
_EMBEDDED_LABEL = re.compile(
    r"(?<=[^；;：:\s])(?<!主要)[\s、，,]*"
    r"(?=(?:主要)?(?:牵头|主责|配合|协办|协同|参与|协作|责任|相关)(?:部门|单位)\s*[：:])"
)
# The verb that makes a chunk's names lead: "A牵头", "由A负责" (not "B配合负责").
_LEADS_CHUNK = re.compile(r"牵头(?:负责|实施)?$|(?<!配合)(?<!参与)(?<!协助)负责(?:实施)?$")
# A role printed after one name: "县科协（牵头）、县教育局".
_NAME_ROLE = re.compile(r"[（(](牵头|配合|参与|协办)(?:部门|单位)?[）)]$")

# Closing words after a list: "…按职责分工负责", "…分别负责", "…等", "…等有关部门".
_TRAILING_WORDS = re.compile(
    r"(?:按(?:照)?(?:职责|职能)?(?:分工)?(?:负责|落实|实施)|分工负责|分别负责|共同负责|负责"
    r"|等(?:相关|有关|其他)?(?:成员)?(?:部门|单位)?)+$"
)
_SPLIT = re.compile(r"[、，,；;/]+")
_WRAPPERS = "〔〕[]［］【】（）()"

# Last character of a unit name (局, 委, 科协, 中心, 各乡镇（街道）…) and first
# character of one (its region: 县, 市, 区, 团县委, 各乡镇…).
UNIT_END_CHARS = "局委会办部院校联协团站心司台馆所社府队处室厅行园区镇道组位门学厂场"
UNIT_START_CHARS = "县市区州旗盟镇乡团各省国中"
# Words of a sentence that no department's name holds ("县科协要加强与各部门配合").
_NOT_IN_NAMES = re.compile(
    r"[要的与并将把对为是了着\d“”\"'《》：:。；;]|加强|开展|推进|推动|做好|积极|共同|密切|认真"
    r"|统筹|引导|鼓励|支持|动员|发挥|强化|完善|建立|提高|提升"
)


def normalize_unit_name(name: str) -> str:
    """Clean one printed unit name: no spaces, half-width letters and digits,
    Chinese parentheses, no trailing punctuation.

    "各县(区) 人民政府。" → "各县（区）人民政府".
    """
    name = to_halfwidth(name)
    name = re.sub(r"\s+", "", name)
    name = name.replace("(", "（").replace(")", "）")
    name = name.strip("。.，,、；;：:")
    if name.count("（") < name.count("）") and name.endswith("）"):
        name = name[:-1]
    if name.count("（") > name.count("）") and name.startswith("（"):
        name = name[1:]
    return name


def looks_like_unit_name(name: str) -> bool:
    """Whether a listed name is a department or a group of them, not words of a sentence.

    A unit clause printed without brackets ("…的远大志向。责任单位：A、B。") is
    told from the task's text by its names: each ends as a unit does (局, 委,
    中心, 人民政府…) or names a group (各成员单位, 各乡镇（街道）).
    """
    name = normalize_unit_name(name)
    if not 2 <= len(name) <= 24 or _NOT_IN_NAMES.search(name):
        return False
    core = re.sub(r"（[^（）]*）$", "", name)
    return core.startswith("各") or (len(core) >= 2 and core[-1] in UNIT_END_CHARS)


def _strip_wrapper(text: str) -> str:
    text = text.strip().rstrip("。.；;")
    while len(text) >= 2 and text[0] in _WRAPPERS and text[-1] in _WRAPPERS:
        text = text[1:-1].strip()
    return text


def split_units(text: str) -> list[str]:
    """Unit names in a printed list, in order, without labels or closing words.

    "〔责任单位：市科协、市教体局〕" → ["市科协", "市教体局"];
    "市委宣传部、市教体局按职责分工负责" → ["市委宣传部", "市教体局"].
    """
    text = _strip_wrapper(text)
    labelled = _LABELLED_PART.match(text)
    if labelled:
        text = labelled.group(2)
    # Names never contain spaces; a line break inside one is a hard wrap.
    # "由A、B负责": the 由 is the sentence's, not the first name's.
    text = re.sub(r"^由", "", re.sub(r"\s+", "", text))
    names = []
    for part in _SPLIT.split(text):
        part = _TRAILING_WORDS.sub("", part.strip())
        name = normalize_unit_name(part)
        if name and name not in names:
            names.append(name)
    return names


@dataclass(frozen=True)
class UnitRef:
    """One unit named for a task or section, with its role."""

    name: str
    role: Role


def _role_of_label(label: str) -> Role | None:
    label = re.sub(r"\s+", "", label)
    if _LEAD_LABEL.search(label):
        return "lead"
    if _COOP_LABEL.search(label):
        return "cooperating"
    return None


def is_unit_label(label: str) -> bool:
    """Whether `label` (the text before a colon) introduces a list of units."""
    label = re.sub(r"\s+", "", label)
    return _role_of_label(label) is not None or bool(_FIRST_IS_LEAD_LABEL.search(label))


def parse_unit_clause(text: str, default_first_is_lead: bool = True) -> list[UnitRef]:
    """Units with roles from a clause such as a task's closing bracket.

    - "牵头单位：A；配合单位：B、C" → A lead, B and C cooperating;
    - "牵头部门：A、B" → both lead; "配合部门：…" → all cooperating;
    - "〔责任单位：A、B〕" or "（A、B按职责分工负责）" → the first named
      leads and the rest cooperate (the convention of these plans), unless
      `default_first_is_lead` is false, when all cooperate (a 责任单位 line
      printed under a separate 牵头单位 line).
    - "A牵头，B、C配合" → A lead, B and C cooperating; "A（牵头）、B、C" and
      "由A负责，B、C配合" too;
    - "牵头单位：A　配合单位：B、C" (two labels on one line) as with "；".
    """
    body = _EMBEDDED_LABEL.sub("；", _strip_wrapper(text))
    refs: list[UnitRef] = []
    parts = [p for p in re.split(r"[；;]", body) if p.strip()]
    for part in parts:
        labelled = _LABELLED_PART.match(part)
        role: Role | None = None
        first_is_lead = default_first_is_lead
        if labelled and is_unit_label(labelled.group(1)):
            role = _role_of_label(labelled.group(1))
            part = labelled.group(2)
        if role is None and re.search(r"牵头|配合", part) and not has_name_roles(part):
            refs.extend(_inline_roles(part))
            continue
        names = split_units(part)
        if not names:
            continue
        if has_name_roles(part):
            refs.extend(_marked_roles(names, role))
            continue
        if role is None and any(r.role == "lead" for r in refs):
            first_is_lead = False
        for i, name in enumerate(names):
            this_role: Role = role or ("lead" if i == 0 and first_is_lead else "cooperating")
            refs.append(UnitRef(name, this_role))
    return _dedupe(refs)


def has_name_roles(text: str) -> bool:
    """Whether a list marks a role after a name: "县科协（牵头）、县教育局"."""
    return any(_NAME_ROLE.search(name) for name in split_units(text))


def _marked_roles(names: list[str], role: Role | None) -> list[UnitRef]:
    """ "县科协（牵头）、县教育局" → the marked name leads, the others cooperate."""
    refs = []
    for name in names:
        marker = _NAME_ROLE.search(name)
        this_role: Role = role or "cooperating"
        if marker:
            name = name[: marker.start()]
            this_role = "lead" if marker.group(1) == "牵头" else "cooperating"
        refs.append(UnitRef(name, this_role))
    return refs


def _inline_roles(text: str) -> list[UnitRef]:
    """ "A牵头，B、C配合" / "A、B牵头，C参与" → roles from the trailing verb."""
    refs: list[UnitRef] = []
    for chunk in re.split(r"[，,]", text):
        chunk = chunk.strip()
        role: Role = "lead" if _LEADS_CHUNK.search(chunk) else "cooperating"
        chunk = re.sub(r"(?:牵头|配合|参与|协助)(?:负责|实施)?$", "", chunk)
        refs.extend(UnitRef(name, role) for name in split_units(chunk))
    return refs


def _dedupe(refs: Iterable[UnitRef]) -> list[UnitRef]:
    """Keep the first mention of each unit (a lead named again stays lead)."""
    seen: set[str] = set()
    kept = []
    for ref in refs:
        if ref.name not in seen:
            seen.add(ref.name)
            kept.append(ref)
    return kept


def _rewrite(name: str) -> str:
    for pattern, replacement in ABBREVIATION_RULES:
        name = re.sub(pattern, replacement, name)
    return name


def _build_suffix_index() -> list[tuple[str, str]]:
    """(spelling, canonical) pairs, longest spelling first, for suffix matching."""
    pairs: dict[str, str] = {}
    for canonical, variants in UNIT_EQUIVALENTS.items():
        for spelling in (canonical, *variants):
            pairs.setdefault(_rewrite(normalize_unit_name(spelling)), canonical)
    return sorted(pairs.items(), key=lambda p: -len(p[0]))


_SUFFIX_INDEX = _build_suffix_index()


def unit_key(name: str) -> str:
    """Equivalence key: two names with the same key are the same unit.

    The region prefix is kept ("县" + 教育局 is not "市" + 教育局); the
    department part is mapped to its canonical spelling: 市教体局,
    市教育和体育局 and 市教育局 all give "市|教育局".
    """
    rewritten = _rewrite(normalize_unit_name(name))
    for spelling, canonical in _SUFFIX_INDEX:
        if rewritten.endswith(spelling):
            return f"{rewritten[: -len(spelling)]}|{canonical}"
    return rewritten


class UnitMatcher:
    """Match newly read unit names against known units (name + aliases).

    Order of preference: exact name, exact alias, then the equivalence key
    of `unit_key`. Returns the known unit's name, or None for a new unit.
    """

    def __init__(self, units: Iterable[tuple[str, Sequence[str]]] = ()) -> None:
        self._exact: dict[str, str] = {}
        self._by_key: dict[str, str] = {}
        for name, aliases in units:
            self.add(name, aliases)

    def add(self, name: str, aliases: Sequence[str] = ()) -> None:
        """Register a known unit; earlier registrations win on conflicts."""
        for spelling in (name, *aliases):
            clean = normalize_unit_name(spelling)
            self._exact.setdefault(clean, name)
            self._by_key.setdefault(unit_key(clean), name)

    def match(self, name: str) -> str | None:
        clean = normalize_unit_name(name)
        return self._exact.get(clean) or self._by_key.get(unit_key(clean))

    def names(self) -> list[str]:
        """Known unit names, in registration order."""
        return list(dict.fromkeys(self._exact.values()))
