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

from desktop.importing.plan_levels import assign_levels
from desktop.importing.plan_markers import Block, printed
from desktop.importing.plan_unit_clauses import take_unit_clause, unit_line
from desktop.importing.units import UnitMatcher, UnitRef
from desktop.plan.document import SectionDoc, TaskDoc, UnitLink, UnitName

_TASK_BLOCK_RE = re.compile(r"任务|行动|工程|分工|重点工作")
_SECTION_KEYWORD_RE = re.compile(r"行动|工程")
# Words of a container heading ("实施五项重点工程"); a section title keeps a subject.
_CONTAINER_WORDS_RE = re.compile(
    r"实施|开展|推进|主要|重点|提升|各项|[\d一二三四五六七八九十]+项|行动|工程|任务|工作"
)
_ITEM_KINDS = ("num", "subnum", "dash")
# Headings that frame the plan rather than assign its work.
_FRAMING_RE = re.compile(r"保障|总体要求|指导思想|目标|原则|组织实施|实施步骤|进度安排|意义")

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
    # lines the clerk should look at, in text order (_StructureParser.unplaced says which)
    unplaced: list[str] = field(default_factory=list)


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


def _close_clause(task: _Task) -> None:
    """Move the unit clause that ends a task's text so far into its units, so text
    printed after it ("牵头单位：县农业农村局" + "培训农民…") never runs into a name."""
    task.body, refs = take_unit_clause(task.body)
    task.units.extend(refs)


_ITEM_DEPTH = {"paren": 0, "num": 1, "subnum": 2, "dash": 3}


def _sets_aside(section: _Section, block: Block) -> bool:
    """Whether a block folded into the last task is one the clerk should see: a
    numbered line no deeper than the tasks, or a paragraph after the task's units."""
    if block.kind in ("paren", "num", "subnum"):
        return _ITEM_DEPTH[block.kind] < _ITEM_DEPTH.get(section.task_kind or "", 0)
    last = len(section.tasks) - 1
    after_line = bool(section.unit_lines) and section.unit_lines[-1][2] == last
    return block.kind == "text" and (bool(section.tasks[last].units) or after_line)


def printed_line(block: Block) -> str:
    """A block as the clerk reads it in the document, for the list of lines not placed."""
    if block.kind == "units":
        return f"{block.label}：{block.text}"
    return block.text if block.kind == "text" else printed(block)


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


def _names_units(block: Block) -> bool:
    return block.kind == "units" or bool(take_unit_clause(block.text)[1])


def _holds_work(title: str, blocks: list[Block], at: int) -> bool:
    """Whether the heading at `at` is a section by what it holds: its items name their units.

    "七、推进科技资源科普化" names neither a population nor a project, but
    "1．…（牵头单位：…）" items right under it make it a section of work; items
    one level further down belong to the sections it holds. 保障措施, 总体要求
    and the like stay framing, and "重点工程" holds sections, whatever they name.
    """
    if _FRAMING_RE.search(title) or _TASK_BLOCK_RE.search(title):
        return False
    heading = blocks[at].level
    owner = heading  # level of the mark the current block belongs to
    for block in blocks[at + 1 :]:
        if block.kind == "appendix" or 0 <= block.level <= heading:
            return False
        owner = block.level if block.level >= 0 else owner
        if owner <= heading + 1 and _names_units(block):
            return True
    return False


class _StructureParser:
    """Walks the classified blocks and builds sections, tasks and passages.

    Kinds are roles here, read from the document's outline (plan_levels):
    "top" is its outermost mark, "paren" the next, "num" the next. A "top"
    heading is either a section itself (it names a population or a project,
    or its items name their units) or a container whose "paren" headings are
    the sections (decided per heading, so both layouts work, even in one
    document); whatever the marks are ("（一）", "1．", "第一项"…).
    """

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.sections: list[_Section] = []
        self.passages: list[Passage] = []
        # units named outside any section (保障措施 brackets): listed, not linked
        self.loose_units: list[UnitRef] = []
        self.counters = {"action": 0, "project": 0}
        # (state, line) in text order: "unplaced", "pending" (text under a task
        # heading before its first section) or "marked" (a numbered or unit line
        # outside the task area)
        self._notes: list[tuple[str, str]] = []

    @property
    def unplaced(self) -> list[str]:
        """Lines the clerk should look at because the parser could not place them.

        Only what sits where tasks are: a numbered line at or above the level
        of its section's tasks that did not become a task; a unit line that
        names no unit, or one under a task heading (二、重点任务) outside any
        section; a paragraph after a task's units (its bracket or unit line),
        which belongs to no task; everything under a task heading that holds
        no section at all; a "（一）" line outside sections that names an
        action or a project. A document in which no section was found lists
        all its numbered and unit lines. The notice header, the prose of
        指导思想/保障措施 and the like, a section's intro, a task's continued
        paragraphs and its sub-items ("（1）", "——") are placed, not listed.
        """
        shown = ("unplaced", "marked") if not self.sections else ("unplaced",)
        return [line for state, line in self._notes if state in shown]

    def _settle_pending(self, state: str) -> None:
        """Text held under a task heading: its intro once a section opens, else unplaced."""
        self._notes = [(state if s == "pending" else s, line) for s, line in self._notes]

    def parse(self) -> None:
        container: Block | None = None  # the current "一、" heading that holds sections
        seen_top = False
        section: _Section | None = None
        blocks = assign_levels(self.blocks)
        for at, block in enumerate(blocks):
            if block.kind == "appendix":
                break
            if block.kind == "top":
                seen_top = True
                self._finish(section)
                self._settle_pending("unplaced")
                section = None
                title = _heading_title(block.text)[0]
                if _is_section_title(title) or _holds_work(title, blocks, at):
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
                self._outside(block, container)
            else:
                self._section_block(section, block)
        self._finish(section)
        self._settle_pending("unplaced")

    @staticmethod
    def _open(block: Block, level: str) -> _Section:
        text, units = take_unit_clause(block.text)
        title, intro = _heading_title(text)
        return _Section(title=title, intro=intro, level=level, units=units)

    def _section_block(self, section: _Section, block: Block) -> None:
        """Add one block inside a section."""
        item_kinds = _ITEM_KINDS if section.level == "paren" else ("paren", *_ITEM_KINDS)
        if block.kind == "measures":
            # what came before 措施 were goals; the measures are the tasks
            section.goals.extend(t.body for t in section.tasks)
            section.tasks.clear()
            section.task_kind = None
        elif block.kind == "units":
            section.unit_lines.append((block.label, block.text, len(section.tasks) - 1))
            if not unit_line(block.label, block.text, []):
                self._notes.append(("unplaced", printed_line(block)))
        elif block.kind in item_kinds and section.task_kind in (None, block.kind):
            number = block.number if block.kind in ("num", "subnum", "paren") else ""
            section.tasks.append(_Task(number=number, body=block.text))
            section.task_kind = block.kind
        else:
            text = block.text if block.kind == "text" else printed(block)
            if section.tasks:
                _close_clause(section.tasks[-1])
                if _sets_aside(section, block):
                    self._notes.append(("unplaced", printed_line(block)))
                section.tasks[-1].body += text
            else:
                section.intro += text

    def _outside(self, block: Block, container: Block | None) -> None:
        """A block outside any section: plan-wide text, its units only listed."""
        if container is not None:
            self._notes.append(
                ("unplaced" if block.kind == "units" else "pending", printed_line(block))
            )
        elif block.kind in ("units", "num", "subnum") or (
            block.kind == "paren" and not _is_section_title(_heading_title(block.text)[0])
        ):
            self._notes.append(("marked", printed_line(block)))
        elif block.kind == "paren":
            self._notes.append(("unplaced", printed_line(block)))
        if block.kind == "units":
            self.loose_units.extend(unit_line(block.label, block.text, []))
            return
        text, refs = take_unit_clause(block.text)
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
        self._settle_pending("intro")
        if not section.tasks and section.intro and not section.goals:
            section.tasks.append(_Task(number="", body=section.intro))
            intro = ""
        else:
            # units printed once under the heading, as a sentence of its intro
            intro, refs = take_unit_clause(section.intro, whole=True)
            section.units.extend(refs)
        self._name(section)
        group = section.target_group
        self._add_passage(Passage(intro, target_group=group))
        for goal in section.goals:
            self._add_passage(Passage(take_unit_clause(goal)[0], target_group=group))
        for task in section.tasks:
            _close_clause(task)
        per_task = any(0 <= index < len(section.tasks) - 1 for _, _, index in section.unit_lines)
        section_lines = []
        for label, text, index in section.unit_lines:
            if per_task and index >= 0:
                section.tasks[index].units.extend(
                    unit_line(label, text, section.tasks[index].units)
                )
            else:
                section_lines.append((label, text))
        for label, text in section_lines:
            section.units.extend(unit_line(label, text, section.units))
        for task in section.tasks:
            self._add_passage(Passage(task.body, task.code, group))
        self.sections.append(section)


_MAX_TITLE = 40
# Openings of a clause that sets the scene for the action named after it.
_SCENE_RE = re.compile(r"^(?:围绕|根据|按照|针对|依托|通过|结合|面向|立足|着眼|为了)")


def _task_title(body: str) -> tuple[str, str]:
    """Lead-in sentence as the title; the rest as the text (whole body if one sentence).

    A task with no lead-in sentence ("推动科技资源向科普资源转化，鼓励…，到2025年…。
    …"; "科学精神贯穿育人全链条，坚持…。") has a first sentence too long to be a
    title: it is titled by its first clause, and its text is the whole body. A
    first clause that only sets the scene ("围绕城镇化进程的要求，提高…") keeps
    the clause after it when both fit a title.
    """
    match = re.match(r"^(.*?)。(.*)$", body)
    first_sentence = match.group(1).strip() if match and match.group(1) else body.rstrip("。；")
    if len(first_sentence) > _MAX_TITLE:
        clauses = re.split(r"(?<=[，,；;：:])", first_sentence)
        first = clauses[0].rstrip("，,；;：:")
        two = "".join(clauses[:2]).rstrip("，,；;：:")
        if _SCENE_RE.match(first) and len(clauses) > 1 and len(two) <= _MAX_TITLE:
            return two, body
        if 4 <= len(first) <= _MAX_TITLE:
            return first, body
    if match and match.group(1) and match.group(2).strip():
        return first_sentence, match.group(2).strip()
    return first_sentence, body


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
    return Structure(sections, list(registry.units.values()), parser.passages, parser.unplaced)


@dataclass(frozen=True)
class GivenTask:
    """A task whose number, text and units were read apart, as a table's row gives them."""

    number: str
    body: str
    units: list[UnitRef]


def given_structure(sections: list[tuple[str, list[GivenTask]]]) -> Structure:
    """Sections read elsewhere (a task-division table, plan_table), typed, coded and
    their units linked by the same rules as the sections parsed from the text."""
    parser = _StructureParser([])
    registry = _UnitRegistry()
    docs = []
    for title, given in sections:
        tasks = [_Task(task.number, task.body, list(task.units)) for task in given]
        section = _Section(title=title, tasks=tasks)
        parser._name(section)
        for task in section.tasks:
            parser._add_passage(Passage(task.body, task.code, section.target_group))
        docs.append(_section_doc(section, registry))
    return Structure(docs, list(registry.units.values()), parser.passages)
