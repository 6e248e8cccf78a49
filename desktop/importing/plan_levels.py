"""Which printed mark is a part, a section heading or an item in this document.

Plans number the same levels differently: one prints "一、" parts holding
"（一）" sections with "1．" tasks, another "1．" sections with "①" tasks
under "三、重点任务", a third "第一项" sections with "第一条" tasks. So a
mark's level is read from the document's own sequence of marks, the way a
reader follows an outline: a mark not open yet nests under the one before
it, a mark already open closes every level opened after it. The structure
parser then reads the levels as roles: the outermost is a part ("top"),
the next a heading that may be a section ("paren"), the next a task ("num"),
deeper ones sub-items ("subnum"); "——" bullets keep their own kind.

One fixed order remains, as a tie-breaker only: a mark the usual order puts
outside every open mark ("一、" after a list of "1．" in the preamble)
starts the outline afresh instead of nesting under that list.
"""

from __future__ import annotations

from dataclasses import replace

from desktop.importing.plan_markers import Block

_ROLES = ("top", "paren", "num")
# The usual order, outermost first; "第一项"/"第一条" and "——" have no usual place.
_USUAL_DEPTH = {"part": 0, "cn": 1, "paren_cn": 2, "digit": 3, "paren_digit": 4, "circled": 5}


def _outside_all(style: str, open_styles: list[str]) -> bool:
    depth = _USUAL_DEPTH.get(style)
    if depth is None or not open_styles:
        return False
    return all(depth < _USUAL_DEPTH.get(s, -1) for s in open_styles)


def assign_levels(blocks: list[Block]) -> list[Block]:
    """The blocks with each mark's outline depth as its level, and its role as its kind."""
    open_styles: list[str] = []
    out = []
    for block in blocks:
        if not block.style:
            out.append(block)
            continue
        if block.style in open_styles:
            del open_styles[open_styles.index(block.style) + 1 :]
        elif _outside_all(block.style, open_styles):
            open_styles = [block.style]
        else:
            open_styles.append(block.style)
        level = len(open_styles) - 1
        kind = "dash" if block.style == "dash" else (_ROLES[level] if level < 3 else "subnum")
        out.append(replace(block, kind=kind, level=level))
    return out
