"""Lines of a plan document's text, cleaned and joined back into paragraphs.

Text copied out of a PDF arrives hard-wrapped: a paragraph broken at any
character, page numbers such as "－１３－" between its pieces, a title's
year range or a heading's last word on a line of its own, and spaces
between Chinese characters (or between unit names, where they were the
only separator). Everything after this module works on whole paragraphs,
so the clean-up and the unwrapping rules are kept together here.
"""

from __future__ import annotations

import re

from desktop.importing.plan_markers import (
    DOC_NUMBER_RE,
    TITLE_END_RE,
    YEAR_PAREN_END_RE,
    YEAR_PAREN_START_RE,
    is_date_line,
    is_short_heading,
    starts_block,
    unit_label,
)
from desktop.importing.plan_unit_clauses import ends_unit_list
from desktop.importing.units import UNIT_END_CHARS, UNIT_START_CHARS, looks_like_unit_name
from desktop.numbers import to_halfwidth

_PAGE_NUMBER_RE = re.compile(r"^[-—–_~·\s]*(?:第\s*)?\d{1,4}\s*(?:页.*)?[-—–_~·\s]*$")
_TERMINAL = tuple("。！？；：!?;:〕】")
_CJK_SPACE_RE = re.compile(
    r"(?<=[^\x00-\x7f])[ \t\u3000\u00a0]+|[ \t\u3000\u00a0]+(?=[^\x00-\x7f])"
)

_SPACES = "[ \t\u3000\u00a0]+"
# Where a list of units starts: after a unit label's colon, inside a bracket
# that ends "…负责）", or in a sentence that does ("县科协 县教育局牵头。").
_UNIT_LIST_RE = re.compile(
    r"(?:牵头|主责|配合|协办|协同|参与|协作|责任|相关|实施)(?:部门|单位)[ \t\u3000]*[：:]"
    r"(?P<after>[^〕】］\]。]*)"
    r"|[（(〔【［\[](?P<inside>[^（）()〔〕【】]*?(?:负责|牵头|配合|参与))[）)〕】］\]]"
    r"|(?:^|(?<=。))(?P<sentence>[^。（）()〔〕【】：:]*?(?:负责|牵头|配合|参与))(?=。|$)"
)
_LIST_MARKS = re.compile(r"[、，,；;。：:]")
_ROLE_VERB_END = re.compile(r"(?:按职责分工|牵头|配合|参与|协助)?(?:负责|实施)?$")


def _listed(left: str, right: str) -> bool:
    """Whether a space between two words separates two unit names: the left ends
    one, and the right starts one with a region ("县科协 县科技局") or is a
    whole name itself ("县气象局 枫林职业技术学院"; not "县委 宣传部")."""
    if len(left) < 2 or len(right) < 2 or left[-1] not in UNIT_END_CHARS + "）)":
        return False
    if right[0] in UNIT_START_CHARS or right[0] == left[0]:
        return True
    last, following = _LIST_MARKS.split(left)[-1], _LIST_MARKS.split(right)[0]
    following = _ROLE_VERB_END.sub("", following)
    return len(last) >= 3 and len(following) >= 4 and looks_like_unit_name(following)


def _space_separated_units(span: str) -> str:
    """ "县科协 县工业和信息化局" → "县科协、县工业和信息化局" (spaces between
    letters of one name, as in "县 科 协", are left for `_normalize_line`)."""
    words = re.split(f"({_SPACES})", span)
    out = words[:1]
    for i in range(1, len(words) - 1, 2):
        left, right = out[-1], words[i + 1]
        out.append("、" if _listed(left.rstrip(), right.lstrip()) else words[i])
        out.append(right)
    if len(words) > 1 and len(words) % 2 == 0:  # trailing separator
        out.append(words[-1])
    return "".join(out)


def _mark_unit_lists(line: str) -> str:
    """Turn the spaces that separate unit names into "、" before spaces go."""

    def fix(match: re.Match[str]) -> str:
        group = next(g for g in ("after", "inside", "sentence") if match.group(g) is not None)
        start, end = match.span(group)
        text = match.group(0)
        offset = match.start()
        return (
            text[: start - offset]
            + _space_separated_units(match.group(group))
            + text[end - offset :]
        )

    return _UNIT_LIST_RE.sub(fix, line)


def _normalize_line(line: str) -> str:
    """Strip a line and drop spaces next to Chinese text ("到 2025 年" → "到2025年").

    Spaces that separate unit names in a unit list become "、" first.
    """
    line = line.replace("\ufeff", "").strip(" \t\u3000\u00a0\r")
    return _CJK_SPACE_RE.sub("", _mark_unit_lists(line))


def _is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER_RE.fullmatch(to_halfwidth(line)))


def clean_lines(text: str) -> list[str]:
    """Non-empty, normalised lines with page-number lines removed."""
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _normalize_line(raw)
        if line and not _is_page_number(line):
            lines.append(line)
    return lines


def _bracket_balance(line: str) -> int:
    return sum(line.count(c) for c in "（(〔［[【") - sum(line.count(c) for c in "）)〕］]】")


def _is_complete(line: str) -> bool:
    """Whether a line ends its paragraph, judged from the line alone.

    PDF text breaks lines anywhere; a paragraph is only known to end at
    sentence punctuation, a closing unit bracket, or a line that is a
    heading, title, 文号 or date on its own.
    """
    if _bracket_balance(line) > 0:
        return False
    if line.endswith(_TERMINAL) or re.search(r"[。！？]”$", line):
        return True
    if re.search(r"负责[）)]$", line) or (line[0] in "（(" and line[-1] in "）)"):
        return True
    if is_short_heading(line) or is_date_line(line) or YEAR_PAREN_END_RE.search(line):
        return True
    if DOC_NUMBER_RE.match(line):
        return True
    return bool(TITLE_END_RE.search(line)) and not re.search(r"[，。]", line)


# Words a heading ends with: "…提升行动", "…建设工程", "保障措施".
_HEADING_END_RE = re.compile(r"(?:行动|工程|计划|任务|措施|要求|目标|原则|机制|保障|思想)$")


def _continues_title(previous: str, line: str) -> bool:
    """A title's year range, alone or with the rest of the title, on the next line.

    "…规划纲要" + "（2021—2035年）实施方案（2021—2025年）" is one title.
    """
    years = YEAR_PAREN_START_RE.match(line)
    if not years or not TITLE_END_RE.search(previous) or re.search(r"[，。；]", previous):
        return False
    rest = line[years.end() :]
    return not rest or (
        not re.search(r"[，。；：]", rest)
        and bool(TITLE_END_RE.search(rest) or YEAR_PAREN_END_RE.search(rest))
    )


def _continues_heading(previous: str, line: str) -> bool:
    """The end of a heading that a PDF broke onto the next line.

    "（三）科普基础设施和基层科普能力建设" + "工程": a short fragment,
    no punctuation inside, that gives the heading its closing word.
    """
    fragment = line.rstrip("。")
    return (
        is_short_heading(previous)
        and not _HEADING_END_RE.search(previous.rstrip("。"))
        and 0 < len(fragment) <= 12
        and not re.search(r"[，。；：:、（）()]", fragment)
        and not starts_block(line)
        and bool(_HEADING_END_RE.search(previous + fragment))
    )


def unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into paragraphs.

    A line continues the previous one unless the previous line was complete
    (see `_is_complete`), ended a unit list this line does not go on with, or
    this one opens a block (a unit label inside an open bracket does not).
    A year range printed under a title ("（2016—2020年）") is glued to the
    title, and the last word of a heading broken across lines to its heading.
    """
    paragraphs: list[str] = []
    last_complete = True
    for line in lines:
        glue = bool(paragraphs) and (
            _continues_title(paragraphs[-1], line) or _continues_heading(paragraphs[-1], line)
        )
        runs_on = not last_complete and (
            not starts_block(line)
            or (_bracket_balance(paragraphs[-1]) > 0 and bool(unit_label(line)))
        )
        if runs_on and ends_unit_list(paragraphs[-1], line):
            runs_on = False
        if paragraphs and (glue or runs_on):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        last_complete = _is_complete(paragraphs[-1] if glue else line)
    return paragraphs
