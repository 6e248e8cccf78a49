"""The plan's structure: sections, their tasks and responsible units, and passages.

A plan nests its work in two layouts, sometimes both in one document: a
"一、" heading that is a section itself, or one that holds "（一）" sections;
tasks are the numbered items inside, unless a "措施：" line says the items
before it were goals. Units come as lines after a section ("牵头部门：…"),
after a task, or as a bracket closing a task ("〔责任单位：…〕"). This
module walks the classified paragraphs once and builds the sections and
tasks of the draft, with codes (A1, P1, A1.2) and units named by their first
spelling, and the passages (text with its task and target group) in which
the indicators are looked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.importing.plan_markers import Block, printed, unit_label
from desktop.importing.units import (
    UnitMatcher,
    UnitRef,
    parse_unit_clause,
    split_units,
)
from desktop.plan.document import SectionDoc, TaskDoc, UnitLink, UnitName

_TASK_BLOCK_RE = re.compile(r"任务|行动|工程|分工|重点工作")
_SECTION_KEYWORD_RE = re.compile(r"行动|工程")
# Words of a container heading ("实施五项重点工程"); a section title keeps a subject.
_CONTAINER_WORDS_RE = re.compile(
    r"实施|开展|推进|主要|重点|提升|各项|[\d一二三四五六七八九十]+项|行动|工程|任务|工作"
)
_ITEM_KINDS = ("num", "subnum", "dash")

# Target groups as printed in section titles; the first listed spelling is
# the schema's name. 领导干部 comes first because its title also says 公务员.
_GROUP_SPELLINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("领导干部和公务员", ("领导干部", "公务员")),
    ("青少年", ("青少年", "未成年人")),
    ("产业工人", ("产业工人",)),
    ("城镇劳动者", ("城镇劳动者",)),
    ("农民", ("农民",)),
    ("老年人", ("老年人",)),
    ("社区居民", ("社区居民",)),
)


@dataclass(frozen=True)
class Passage:
    """Text scanned for indicators, with the code of its task and its section's group."""

    text: str
    task_code: str | None = None
    target_group: str | None = None


@dataclass
class Structure:
    """The draft's sections and units, and the passages its indicators come from."""

    sections: list[SectionDoc]
    units: list[UnitName]
    passages: list[Passage]


@dataclass
class _Task:
    number: str
    body: str
    units: list[UnitRef] = field(default_factory=list)
    code: str = ""


@dataclass
class _Section:
    title: str
    intro: str = ""
    tasks: list[_Task] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    # unit lines as (label, text, index of the task they follow or -1)
    unit_lines: list[tuple[str, str, int]] = field(default_factory=list)
    units: list[UnitRef] = field(default_factory=list)
    level: str = "paren"  # heading kind that opened it: "top" (一、) or "paren" (（一）)
    task_kind: str | None = None  # block kind of its tasks, set by the first item
    kind: str = "project"
    target_group: str | None = None
    code: str = ""


def _target_group(title: str) -> str | None:
    for group, spellings in _GROUP_SPELLINGS:
        if any(s in title for s in spellings):
            return group
    return None


def _heading_title(text: str) -> tuple[str, str]:
    """Split "青少年科学素质提升行动。围绕…" into title and the rest."""
    match = re.match(r"^(.*?)。(.*)$", text)
    if match and match.group(1):
        return match.group(1).strip(), match.group(2).strip()
    return text.rstrip("。：:；"), ""


def _split_trailing_bracket(text: str) -> tuple[str, str] | None:
    """("…实践能力。", "市委宣传部…按职责分工负责") for text ending in a bracket."""
    stripped = text.rstrip().rstrip("。.；;")
    if not stripped or stripped[-1] not in "）)〕]］】":
        return None
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        ch = stripped[i]
        if ch in "）)〕]］】":
            depth += 1
        elif ch in "（(〔[［【":
            depth -= 1
            if depth == 0:
                return stripped[:i], stripped[i + 1 : -1]
    return None


def _looks_like_unit_clause(inner: str) -> bool:
    if unit_label(inner):
        return True
    return bool(re.search(r"(?:负责|牵头|配合|参与)[。]?$", inner)) and bool(split_units(inner))


def _take_unit_clause(text: str) -> tuple[str, list[UnitRef]]:
    """Remove a closing unit bracket from a task's text and parse it."""
    split = _split_trailing_bracket(text)
    if split and _looks_like_unit_clause(split[1]):
        return split[0].rstrip(), parse_unit_clause(split[1])
    return text, []


def _is_section_title(title: str) -> bool:
    """A heading that is itself a section: it names a population or a subject.

    "青少年科学素质提升行动" and "科普基础设施工程" are sections; "提升行动",
    "实施五项重点工程" and "重点任务" only hold sections.
    """
    if _target_group(title):
        return True
    if not _SECTION_KEYWORD_RE.search(title):
        return False
    return bool(_CONTAINER_WORDS_RE.sub("", title))


class _StructureParser:
    """Walks the classified blocks and builds sections, tasks and passages.

    A "一、" heading is either a section itself or a container whose "（一）"
    headings are the sections (decided per heading, so both layouts work,
    even in one document); without any "一、" heading, "（一）" headings
    that name an action or project are sections.
    """

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.sections: list[_Section] = []
        self.passages: list[Passage] = []
        # units named outside any section (保障措施 brackets): listed, not linked
        self.loose_units: list[UnitRef] = []
        self.counters = {"action": 0, "project": 0}

    def parse(self) -> None:
        container: Block | None = None  # the current "一、" heading that holds sections
        seen_top = False
        section: _Section | None = None
        for block in self.blocks:
            if block.kind == "appendix":
                break
            if block.kind == "top":
                seen_top = True
                self._finish(section)
                section = None
                title = _heading_title(block.text)[0]
                if _is_section_title(title):
                    container = None
                    section = self._open(block, level="top")
                    continue
                container = block if _TASK_BLOCK_RE.search(title) else None
            elif block.kind == "paren" and (section is None or section.level == "paren"):
                title = _heading_title(block.text)[0]
                self._finish(section)
                section = None
                if container is not None or (not seen_top and _SECTION_KEYWORD_RE.search(title)):
                    section = self._open(block, level="paren")
                    continue
            elif section is None and container is not None and block.kind in _ITEM_KINDS:
                # tasks listed straight under "二、重点任务", with no sections
                section = _Section(title=_heading_title(container.text)[0], level="paren")
            if section is None:
                self._outside(block)
            else:
                self._section_block(section, block)
        self._finish(section)

    @staticmethod
    def _open(block: Block, level: str) -> _Section:
        title, intro = _heading_title(block.text)
        return _Section(title=title, intro=intro, level=level)

    @staticmethod
    def _section_block(section: _Section, block: Block) -> None:
        """Add one block inside a section."""
        item_kinds = _ITEM_KINDS if section.level == "paren" else ("paren", *_ITEM_KINDS)
        if block.kind == "measures":
            # what came before 措施 were goals; the measures are the tasks
            section.goals.extend(t.body for t in section.tasks)
            section.tasks.clear()
            section.task_kind = None
        elif block.kind == "units":
            section.unit_lines.append((block.label, block.text, len(section.tasks) - 1))
        elif block.kind in item_kinds and section.task_kind in (None, block.kind):
            number = block.number if block.kind in ("num", "subnum", "paren") else ""
            section.tasks.append(_Task(number=number, body=block.text))
            section.task_kind = block.kind
        else:
            text = block.text if block.kind == "text" else printed(block)
            if section.tasks:
                section.tasks[-1].body += text
            else:
                section.intro += text

    def _outside(self, block: Block) -> None:
        """A block outside any section: plan-wide text, its units only listed."""
        if block.kind == "units":
            self.loose_units.extend(_unit_line(block.label, block.text, []))
            return
        text, refs = _take_unit_clause(block.text)
        self.loose_units.extend(refs)
        self._add_passage(Passage(text))

    def _add_passage(self, passage: Passage) -> None:
        if passage.text:
            self.passages.append(passage)

    def _name(self, section: _Section) -> None:
        """Kind, target group and codes: A1, A2… for actions, P1… for projects, A1.2 for tasks."""
        group = _target_group(section.title)
        section.kind = "project" if "工程" in section.title or group is None else "action"
        section.target_group = group if section.kind == "action" else None
        self.counters[section.kind] += 1
        section.code = f"{'A' if section.kind == 'action' else 'P'}{self.counters[section.kind]}"
        for i, task in enumerate(section.tasks, start=1):
            task.code = f"{section.code}.{i}"

    def _finish(self, section: _Section | None) -> None:
        """Close a section: task units, section units, and its passages in order."""
        if section is None:
            return
        if not section.tasks and section.intro and not section.goals:
            section.tasks.append(_Task(number="", body=section.intro))
            intro = ""
        else:
            intro = section.intro
        self._name(section)
        group = section.target_group
        self._add_passage(Passage(intro, target_group=group))
        for goal in section.goals:
            self._add_passage(Passage(_take_unit_clause(goal)[0], target_group=group))
        for task in section.tasks:
            task.body, task.units = _take_unit_clause(task.body)
        per_task = any(0 <= index < len(section.tasks) - 1 for _, _, index in section.unit_lines)
        section_lines = []
        for label, text, index in section.unit_lines:
            if per_task and index >= 0:
                section.tasks[index].units.extend(
                    _unit_line(label, text, section.tasks[index].units)
                )
            else:
                section_lines.append((label, text))
        for label, text in section_lines:
            section.units.extend(_unit_line(label, text, section.units))
        for task in section.tasks:
            self._add_passage(Passage(task.body, task.code, group))
        self.sections.append(section)


def _unit_line(label: str, text: str, earlier: list[UnitRef]) -> list[UnitRef]:
    """Units of a "牵头部门：…" style line; a 责任单位 line after a lead line cooperates."""
    has_lead = any(ref.role == "lead" for ref in earlier)
    return parse_unit_clause(f"{label}：{text}", default_first_is_lead=not has_lead)


_MAX_TITLE = 40


def _task_title(body: str) -> tuple[str, str]:
    """Lead-in sentence as the title; the rest as the text (whole body if one sentence).

    A single long sentence with no lead-in ("推动科技资源向科普资源转化，鼓励…，
    到2025年…") is titled by its first clause.
    """
    match = re.match(r"^(.*?)。(.*)$", body)
    if match and match.group(1) and match.group(2).strip():
        return match.group(1).strip(), match.group(2).strip()
    title = body.rstrip("。；")
    if len(title) > _MAX_TITLE:
        first = re.split(r"[，,；;：:]", title)[0]
        if 4 <= len(first) <= _MAX_TITLE:
            title = first
    return title, body


class _UnitRegistry:
    """Every unit named in the plan: first spelling is the name, others aliases."""

    def __init__(self) -> None:
        self.matcher = UnitMatcher()
        self.units: dict[str, UnitName] = {}

    def canonical(self, name: str) -> str:
        known = self.matcher.match(name)
        if known is None:
            self.matcher.add(name)
            self.units[name] = UnitName(name)
            return name
        aliases = self.units[known].aliases
        if name != known and name not in aliases:
            aliases.append(name)
        return known

    def links(self, refs: list[UnitRef]) -> list[UnitLink]:
        out: list[UnitLink] = []
        for ref in refs:
            name = self.canonical(ref.name)
            if all(link.name != name for link in out):
                out.append(UnitLink(name, ref.role))
        return out


def _section_doc(section: _Section, registry: _UnitRegistry) -> SectionDoc:
    """A parsed section as the draft shows it; a task naming no units takes the section's."""
    units = registry.links(section.units)
    tasks = []
    for task in section.tasks:
        title, text = _task_title(task.body)
        links = (
            registry.links(task.units)
            if task.units
            else [UnitLink(link.name, link.role) for link in units]
        )
        tasks.append(
            TaskDoc(code=task.code, number=task.number, title=title, text=text, units=links)
        )
    return SectionDoc(
        code=section.code,
        kind=section.kind,
        title=section.title,
        target_group=section.target_group,
        units=units,
        tasks=tasks,
    )


def parse_structure(blocks: list[Block]) -> Structure:
    """Sections, tasks and units of the plan's body, and its passages in text order."""
    parser = _StructureParser(blocks)
    parser.parse()
    registry = _UnitRegistry()
    sections = [_section_doc(section, registry) for section in parser.sections]
    for ref in parser.loose_units:
        registry.canonical(ref.name)
    return Structure(sections, list(registry.units.values()), parser.passages)
