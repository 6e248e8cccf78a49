"""The seed plans' structure under other place names, ready to be printed in any form.

Every form is written by a county office, so each seed gets a county of its
own (安丘市 → 青河县, 攀枝花市 → 松岭县 / 枫林县, 玉溪市 → 南屏县, 中卫市 →
禾丰县), none of them a name the seeds or tests/data/plan_variants use. A
unit's region prefix follows (市教体局 → 县教体局, 团市委 → 团县委); the
towns and counties below the seed's city become townships (各县（区）人民政府 →
各乡（镇）人民政府), and other local names get local stand-ins. The same
renaming is applied to titles, texts and units, so an answer written from
the renamed plan names exactly what its document prints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from desktop.plan.document import UnitLink
from desktop.templates import load_template

LEAD, COOP = "lead", "cooperating"


@dataclass(frozen=True)
class Unit:
    name: str
    role: str


@dataclass(frozen=True)
class Task:
    title: str
    body: str
    """The task's text after its title sentence."""
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class Section:
    title: str
    kind: str
    units: tuple[Unit, ...]
    """Units the seed names once for the whole section; () when it names them per task."""
    tasks: tuple[Task, ...]


@dataclass(frozen=True)
class Renaming:
    region: str
    abbr: str
    """The character a 文号 starts with: 青政办发〔2022〕12号."""
    words: tuple[tuple[str, str], ...]
    """Seed-specific names, whole: the city, its towns, units without a region prefix."""


RENAMINGS: dict[str, Renaming] = {
    "anqiu-2021-2025": Renaming(
        "青河县",
        "青",
        (
            ("潍坊市生态环境局安丘分局", "东州市生态环境局青河分局"),
            ("安丘市", "青河县"),
            ("安丘", "青河"),
            ("潍坊市", "东州市"),
            ("齐鲁", "东州"),
        ),
    ),
    "panzhihua-2016-2020": Renaming(
        "松岭县",
        "松",
        (("攀枝花学院", "松岭职业技术学院"), ("攀枝花市", "松岭县"), ("攀枝花", "松岭")),
    ),
    "panzhihua-2022-2025": Renaming(
        "枫林县",
        "枫",
        (
            ("攀枝花学院", "枫林职业技术学院"),
            ("钒钛高新区管委会", "枫林经开区管委会"),
            ("攀枝花市", "枫林县"),
            ("攀枝花", "枫林"),
        ),
    ),
    "yuxi-2016-2020": Renaming(
        "南屏县",
        "南",
        (("玉溪市", "南屏县"), ("玉溪", "南屏"), ("红塔区", "城北镇"), ("澄江", "龙潭")),
    ),
    "zhongwei-2021-2025": Renaming(
        "禾丰县",
        "禾",
        (
            ("中卫市", "禾丰县"),
            ("中卫", "禾丰"),
            ("海原县", "东岭乡"),
            ("沙坡头区", "西塬镇"),
            ("中宁县", "南川乡"),
        ),
    ),
}

# The level below the seed's city becomes the level below a county.
_LOWER_LEVEL = (
    ("各县（区）人民政府", "各乡（镇）人民政府"),
    ("各县区人民政府", "各乡镇人民政府"),
    ("县（区）", "乡（镇）"),
    ("县、区", "乡、镇"),
    ("县区", "乡镇"),
    ("市、县", "县、乡"),
    ("市、乡", "县、乡"),
)
# The city's own words in running text.
_CITY_WORDS = (
    ("全市", "全县"),
    ("我市", "我县"),
    ("本市", "本县"),
    ("市级", "县级"),
    ("市委", "县委"),
    ("市人民政府", "县人民政府"),
    ("市政府", "县政府"),
    ("市域", "县域"),
    ("市内外", "县内外"),
    ("市科技馆", "县科技馆"),
    ("团市委", "团县委"),
)


def _replace_all(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def rename_unit(name: str, renaming: Renaming) -> str:
    """市教体局 → 县教体局, 团市委 → 团县委, 攀枝花学院 → 松岭职业技术学院."""
    for old, new in renaming.words:
        if name == old:
            return new
    for old, new in _LOWER_LEVEL[:2]:
        if name == old:
            return new
    if name.startswith("市"):
        return "县" + name[1:]
    if name.startswith("团市委"):
        return "团县委" + name[3:]
    return name


def rename_text(text: str, renaming: Renaming, unit_names: list[str]) -> str:
    text = _replace_all(text, _LOWER_LEVEL)
    for name in sorted(unit_names, key=len, reverse=True):
        text = text.replace(name, rename_unit(name, renaming))
    text = _replace_all(text, renaming.words)
    return _replace_all(text, _CITY_WORDS)


@dataclass(frozen=True)
class Plan:
    seed: str
    renaming: Renaming
    first_year: int
    last_year: int
    literacy_target: float | None
    sections: tuple[Section, ...]

    @property
    def region(self) -> str:
        return self.renaming.region

    def tasks(self) -> list[Task]:
        return [task for section in self.sections for task in section.tasks]


def _body(title: str, text: str) -> str:
    """The text after the title sentence; some seeds repeat the title in the text."""
    if text.startswith(title):
        return text[len(title) :].lstrip("。，, ")
    return text


def load_plan(seed: str) -> Plan:
    """The seed's template, every name renamed to the seed's county."""
    doc = load_template(seed)
    renaming = RENAMINGS[seed]
    names = [u.name for u in doc.units] + [a for u in doc.units for a in u.aliases]

    def units(links: list[UnitLink]) -> tuple[Unit, ...]:
        return tuple(Unit(rename_unit(link.name, renaming), link.role) for link in links)

    def text(value: str) -> str:
        return rename_text(value, renaming, names)

    sections = tuple(
        Section(
            title=text(section.title),
            kind=section.kind,
            units=units(section.units),
            tasks=tuple(
                Task(text(task.title), text(_body(task.title, task.text)), units(task.units))
                for task in section.tasks
            ),
        )
        for section in doc.sections
    )
    first, last = doc.info.first_year, doc.info.last_year
    assert first is not None and last is not None, seed
    return Plan(seed, renaming, first, last, doc.info.literacy_target, sections)


def section_wide_units(section: Section) -> tuple[Unit, ...]:
    """The units to print once for a section: its own, or, for a seed that names
    units per task, the commonest lead set with every other unit cooperating."""
    if section.units:
        return section.units
    lead_sets = Counter(
        tuple(u.name for u in task.units if u.role == LEAD) for task in section.tasks
    )
    leads = lead_sets.most_common(1)[0][0]
    others = dict.fromkeys(
        u.name for task in section.tasks for u in task.units if u.name not in leads
    )
    return tuple(Unit(name, LEAD) for name in leads) + tuple(Unit(name, COOP) for name in others)
