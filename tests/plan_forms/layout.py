"""A plan printed as running text: its numbering, its parts, and the answer it means.

A text plan is the notice, then numbered parts (指导思想, 主要目标, the tasks,
保障措施), laid out one of three ways plans use:

- `parts`: 一、指导思想 二、主要目标 三、重点任务 (sections （一）… inside) 四、保障措施;
- `grouped`: as `parts`, the actions and the projects each under a part of
  their own (三、实施五项提升行动 四、实施六项重点工程), numbered afresh;
- `top`: the sections are the top-level parts themselves, between 一、总体要求
  and the closing 保障措施.

A form supplies how units are printed, through two hooks; `write_text`
returns the document and what it means (the expected sections and tasks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.plan_forms.clauses import Clause
from tests.plan_forms.corpus import Plan, Section, Task, Unit
from tests.plan_forms.frame import goal, guidance, notice_lines, safeguards, steps

_CN = "一二三四五六七八九十"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def chinese(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN[tens - 1] + "十")
    return head + (_CN[ones - 1] if ones else "")


@dataclass(frozen=True)
class Marker:
    """How an item is numbered: `pattern` holds the numeral, e.g. "（{}）" or "第{}条 "."""

    pattern: str
    numerals: str = "arabic"
    """arabic 1, chinese 一, fullwidth １, circled ①."""

    def numeral(self, n: int) -> str:
        if self.numerals == "chinese":
            return chinese(n)
        if self.numerals == "fullwidth":
            return str(n).translate(_FULLWIDTH)
        if self.numerals == "circled":
            return chr(0x2460 + n - 1)
        return str(n)

    def prefix(self, n: int) -> str:
        return self.pattern.format(self.numeral(n))

    def number(self, n: int) -> str:
        """The number as a reader records it: the marker without its closing 、 or ．."""
        return self.prefix(n).strip().rstrip("、．.")


CN = Marker("{}、", "chinese")
PAREN_CN = Marker("（{}）", "chinese")
PAREN_CN_HALF = Marker("({})", "chinese")
DOT_FULL = Marker("{}．")
DOT = Marker("{}. ")
COMMA = Marker("{}、")
PAREN = Marker("（{}）")
PAREN_HALF = Marker("({})")
FULL_DIGIT_DOT = Marker("{}．", "fullwidth")
CIRCLED = Marker("{}", "circled")
ITEM = Marker("第{}项 ", "chinese")
ARTICLE = Marker("第{}条 ", "chinese")


@dataclass(frozen=True)
class Printed:
    """How a form prints one task's (or one section's) units."""

    suffix: str = ""
    """Appended to the task's own line."""
    after: tuple[str, ...] = ()
    """Lines printed after it."""
    units: tuple[Unit, ...] = ()
    """The units these words give."""


def on_line(clause: Clause, before: str = "〔", after: str = "〕") -> Printed:
    return Printed(suffix=f"{before}{clause.text}{after}", units=clause.units)


def on_next_lines(clause: Clause, before: str = "", after: str = "") -> Printed:
    return Printed(after=tuple(f"{before}{clause.text}{after}".split("\n")), units=clause.units)


@dataclass
class ExpectedTask:
    number: str
    title: str
    units: tuple[Unit, ...]
    deadline: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "number": self.number,
            "title": self.title,
            "leads": [u.name for u in self.units if u.role == "lead"],
            "units": [{"name": u.name, "role": u.role} for u in self.units],
        }
        if self.deadline is not None:
            out["deadline"] = self.deadline
        return out


@dataclass
class ExpectedSection:
    title: str
    kind: str
    units: tuple[Unit, ...]
    tasks: list[ExpectedTask] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "kind": self.kind,
            "units": [{"name": u.name, "role": u.role} for u in self.units],
            "tasks": [t.as_dict() for t in self.tasks],
        }


TaskHook = Callable[[int, Task], Printed]
SectionHook = Callable[[Section], Printed]


def no_section_units(section: Section) -> Printed:
    return Printed()


@dataclass(frozen=True)
class TextLayout:
    parts: str
    """parts | grouped | top, see the module docstring."""
    section: Marker
    task: Marker
    items: Marker = PAREN_CN
    """Numbering of the prose items under 保障措施 (and 总体要求 in `top`)."""
    heading_period: bool = False
    """Section headings end with 。: "（一）青少年科学素质提升行动。"."""
    title_sentence: bool = True
    """A task opens with its title as a sentence ("1．标题。正文"); else "1．标题，正文"."""
    with_steps: bool = False
    blank_lines: bool = False
    task_part: str = "重点任务"


def _task_line(layout: TextLayout, n: int, task: Task) -> str:
    head = layout.task.prefix(n) + task.title
    if not task.body:
        return head + "。"
    return head + ("。" if layout.title_sentence else "，") + task.body


def _count(sections: list[Section], kind: str) -> int:
    return sum(s.kind == kind for s in sections)


def write_text(
    plan: Plan,
    layout: TextLayout,
    task_units: TaskHook,
    section_units: SectionHook = no_section_units,
) -> tuple[str, list[ExpectedSection]]:
    lines = notice_lines(plan)
    expected: list[ExpectedSection] = []
    running = 0

    def items(marker: Marker, pairs: list[tuple[str, str]]) -> None:
        for i, (title, text) in enumerate(pairs, 1):
            lines.append(f"{marker.prefix(i)}{title}。{text}")

    def write_sections(sections: list[Section], marker: Marker, start: int) -> None:
        nonlocal running
        for offset, section in enumerate(sections):
            lines.append(
                marker.prefix(start + offset)
                + section.title
                + ("。" if layout.heading_period else "")
            )
            heading = section_units(section)
            lines.extend(heading.after)
            wanted = ExpectedSection(section.title, section.kind, heading.units)
            for n, task in enumerate(section.tasks, 1):
                printed = task_units(running, task)
                running += 1
                lines.append(_task_line(layout, n, task) + printed.suffix)
                lines.extend(printed.after)
                units = printed.units or heading.units
                wanted.tasks.append(ExpectedTask(layout.task.number(n), task.title, units))
            expected.append(wanted)

    sections = list(plan.sections)
    closing: list[tuple[str, list[tuple[str, str]]]] = []
    if layout.with_steps:
        closing.append(("实施步骤", steps(plan)))
    closing.append(("保障措施", safeguards(plan)))
    if layout.parts == "top":
        lines.append(f"{CN.prefix(1)}总体要求")
        items(layout.items, [("指导思想", guidance(plan)), ("主要目标", goal(plan))])
        write_sections(sections, layout.section, 2)
        part = len(sections) + 2
    else:
        lines += [f"{CN.prefix(1)}指导思想", guidance(plan), f"{CN.prefix(2)}主要目标", goal(plan)]
        part = 3
        if layout.parts == "grouped":
            for kind, words in (("action", "提升行动"), ("project", "重点工程")):
                group = [s for s in sections if s.kind == kind]
                lines.append(f"{CN.prefix(part)}实施{chinese(_count(sections, kind))}项{words}")
                write_sections(group, layout.section, 1)
                part += 1
        else:
            lines.append(f"{CN.prefix(part)}{layout.task_part}")
            write_sections(sections, layout.section, 1)
            part += 1
    for title, pairs in closing:
        lines.append(f"{CN.prefix(part)}{title}")
        items(layout.items, pairs)
        part += 1
    if layout.blank_lines:
        lines = [line for text in lines for line in (text, "")]
    return "\n".join(lines) + "\n", expected
