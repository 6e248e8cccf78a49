"""The printed marks of a plan document's lines, and the block each paragraph is.

Plans number their headings and items the same few ways ("第一部分",
"一、", "（一）", "第一项", "第一条", "1．"/"1."/"1、", "（1）"/"1）", "①",
"——"), label their unit lines ("牵头单位：…"), open their
measures with "措施：" and end with "附件"; the notice header prints a 文号,
a date and a title ending in 方案 or 规划 with its years. Joining PDF lines
back into paragraphs, telling sections from tasks and reading the header
all key on these marks, so they live here once: the line cleaner asks
whether a line opens a block, the structure parser what kind of block it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.importing.units import is_unit_label
from desktop.numbers import to_halfwidth

_CN_NUM = "一二三四五六七八九十"
TOP_RE = re.compile(rf"^(?:([{_CN_NUM}]{{1,3}})、|第([{_CN_NUM}]{{1,3}})(?:部分|章)\s*)(.*)$")
_PAREN_RE = re.compile(rf"^[（(]([{_CN_NUM}]{{1,3}})[）)]\s*(.*)$")
# "第一项 …" / "第一条 …" (the space after the mark is gone with the other CJK spaces)
_ORDINAL_RE = re.compile(rf"^第([{_CN_NUM}]{{1,3}})([项条])[：:、．.]?\s*(.*)$")
_NUM_RE = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.*)$")
_SUBNUM_RE = re.compile(r"^(?:[（(](\d{1,2})[）)]|(\d{1,2})[）)]|([①-⑳]))\s*(.*)$")
_DASH_RE = re.compile(r"^(?:——|－－|--)\s*(.*)$")
_LABEL_RE = re.compile(r"^([^：:，。；,;（）()〔〕]{2,10})[：:](.*)$")
_MEASURES_RE = re.compile(r"^(?:主要|具体|工作|推进)?措施[：:]?$")
_APPENDIX_RE = re.compile(r"^(?:附件|附表|抄送)(?:[：:\d一二三]|$)")

# A plan's years as printed: "2021—2025", "2016-2020年", "2021 年至 2025".
YEAR_RANGE = r"(\d{4})\s*年?\s*[—\-–~～至到]+\s*(\d{4})"
_YEAR_PAREN = rf"[（(]{YEAR_RANGE}\s*年?[）)]"
YEAR_PAREN_END_RE = re.compile(_YEAR_PAREN + "$")
YEAR_PAREN_START_RE = re.compile("^" + _YEAR_PAREN)
DOC_NUMBER_RE = re.compile(r"^([\u4e00-\u9fff]{1,12}[〔\[［【(（]\d{4}[〕\]］】)）]\d{1,4}号)$")
DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
CN_DATE_RE = re.compile(rf"^([〇○零{_CN_NUM}]{{4}})年([{_CN_NUM}]{{1,3}})月([{_CN_NUM}]{{1,3}})日$")
TITLE_END_RE = re.compile(r"(?:方案|规划|计划|纲要|通知)$")


@dataclass
class Block:
    """One paragraph, classified."""

    kind: str  # top | paren | num | subnum | dash | units | measures | appendix | text
    text: str  # paragraph without its marker
    number: str = ""  # marker as printed ("1", "（1）", "一", "①", "第一条")
    label: str = ""  # for units: the label before the colon
    # family of the mark, whatever its width: part | cn | paren_cn | item | article |
    # digit | paren_digit | circled | dash ("" for unmarked blocks)
    style: str = ""
    level: int = -1  # depth of the mark in the document's outline (plan_levels)


def _halfwidth_marker(paragraph: str) -> str:
    """ "１．" / "（１）" → "1．" / "（1）", so printed task numbers are plain digits."""
    match = re.match(r"^[（(]?[０-９]{1,2}", paragraph)
    if not match:
        return paragraph
    return to_halfwidth(match.group(0)) + paragraph[match.end() :]


def unit_label(text: str) -> tuple[str, str] | None:
    """(label, rest) of a text opening with a unit label ("牵头单位：…"), else None."""
    label = _LABEL_RE.match(text)
    if label and is_unit_label(label.group(1)):
        return label.group(1), label.group(2)
    return None


def classify(paragraph: str) -> Block:
    """The block a paragraph is, by the mark it starts with ("text" when none)."""
    if _APPENDIX_RE.match(paragraph):
        return Block("appendix", paragraph)
    if _MEASURES_RE.match(paragraph):
        return Block("measures", paragraph)
    if labelled := unit_label(paragraph):
        return Block("units", labelled[1], label=labelled[0])
    if m := TOP_RE.match(paragraph):
        style = "cn" if m.group(1) else "part"
        return Block("top", m.group(3).strip(), number=m.group(1) or m.group(2), style=style)
    if m := _ORDINAL_RE.match(paragraph):
        style = "item" if m.group(2) == "项" else "article"
        return Block("paren", m.group(3).strip(), number=f"第{m.group(1)}{m.group(2)}", style=style)
    paragraph = _halfwidth_marker(paragraph)
    if m := _PAREN_RE.match(paragraph):
        return Block("paren", m.group(2).strip(), number=m.group(1), style="paren_cn")
    if m := _NUM_RE.match(paragraph):
        return Block("num", m.group(2).strip(), number=m.group(1), style="digit")
    if m := _SUBNUM_RE.match(paragraph):
        if m.group(3):
            return Block("subnum", m.group(4).strip(), number=m.group(3), style="circled")
        printed = f"（{m.group(1)}）" if m.group(1) else f"{m.group(2)}）"
        return Block("subnum", m.group(4).strip(), number=printed, style="paren_digit")
    if m := _DASH_RE.match(paragraph):
        return Block("dash", m.group(1).strip(), style="dash")
    return Block("text", paragraph)


def starts_block(line: str) -> bool:
    """Whether a line opens a new block (so it never continues the previous one)."""
    return classify(line).kind != "text"


def printed(block: Block) -> str:
    """A sub-item put back together with its marker, for a task's text."""
    if block.style == "digit":
        return f"{block.number}．{block.text}"
    if block.style == "dash":
        return f"——{block.text}"
    if block.style == "paren_cn":
        return f"（{block.number}）{block.text}"
    if block.style == "cn":
        return f"{block.number}、{block.text}"
    return f"{block.number}{block.text}"


def is_short_heading(line: str) -> bool:
    """A heading printed alone on its line, such as "三、提升行动" or "第一项 青少年…"."""
    match = TOP_RE.match(line) or _PAREN_RE.match(line) or _ORDINAL_RE.match(line)
    return bool(match) and len(line) <= 40 and not re.search(r"[。，；]", line)


def is_date_line(line: str) -> bool:
    return bool(DATE_RE.match(line) or CN_DATE_RE.match(line))
