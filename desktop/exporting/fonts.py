"""Chinese fonts for reportlab: the office's own 仿宋, 黑体, 楷体, 宋体 and 小标宋, else a free CJK font.

Which faces those are, role by role, is found by family name in the
system's font list (desktop/font_files.py); here they are registered with
reportlab, the first of each role's candidates that loads, and a face that
will not load (restricted embedding, a broken file, no Chinese glyphs) is
skipped with a logged reason. A role no installed face plays is set in a
stand-in. All are embedded as TrueType subsets, so the text stays selectable
and searchable. A character the role's font lacks is drawn with the first
font that has it (`markup`), so no glyph is ever missing.
"""

from __future__ import annotations

import hashlib
import logging
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import textsplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

from desktop.cleaning import writable
from desktop.errors import ServiceError
from desktop.font_files import (
    ROLE_LABELS,
    ROLES,
    TITLE,
    embeddable_faces,
    embedding_refused,
    fallback_fonts,
    read_faces,
    role_faces,
    system_faces,
    where,
)

log = logging.getLogger(__name__)
ORDER = (*ROLES, TITLE)

# Characters every Chinese text face has; a face without them is no 仿宋 at all.
SAMPLE = "科普工作年度总结一二三，。"

# Chinese line-breaking (避头点): reportlab's CJK wrap keeps its listed closing
# marks off the start of a line by hanging them in the margin, but the list
# holds only ASCII and Japanese forms. Add the full-width Chinese ones, or
# "，" "：" "）" begin lines in a document meant for an official stamp.
# Both the one-font and the mixed-font wrap paths read the list.
CHINESE_CANNOT_START = "，：；？！”’）》」』】〕〉…%％·"
textsplit.ALL_CANNOT_START = paragraph.ALL_CANNOT_START = "".join(
    dict.fromkeys(textsplit.ALL_CANNOT_START + CHINESE_CANNOT_START)
)


class NoChineseFont(ServiceError, RuntimeError):
    """No installed face can set Chinese text in a PDF: the message says what to install."""


@dataclass(frozen=True)
class Source:
    """The font file that plays a role, for `kepu smoke` to say."""

    role: str
    path: Path
    index: int
    family: str
    stand_in: bool


@dataclass(frozen=True)
class FontSet:
    """reportlab font names per role, plus the chain used for missing glyphs.

    `xiaobiaosong` is None where no 小标宋 is installed; a title then keeps
    the font it is set in without one.
    """

    fangsong: str
    hei: str
    kai: str
    song: str
    xiaobiaosong: str | None
    chain: tuple[str, ...]
    sources: tuple[Source, ...] = ()

    @property
    def body(self) -> str:
        return self.fangsong


@cache
def _load(path: Path, index: int) -> str | None:
    """Register one face under a name of its own; None, with the reason logged, when it can't."""
    name = "Kepu-" + hashlib.sha1(f"{path}#{index}".encode()).hexdigest()[:12]
    try:
        if refused := embedding_refused(path, index):
            log.warning("字体 %s 不能嵌入 PDF，已跳过：%s", where(path, index), refused)
            return None
        font = TTFont(name, str(path), subfontIndex=index)
    # reportlab refuses CFF outlines and restricted embedding with TTFError;
    # a broken file fails with whatever its reader trips on.
    except Exception as exc:
        log.warning("字体 %s 不能嵌入 PDF，已跳过：%s", where(path, index), exc)
        return None
    if not all(ord(ch) in font.face.charToGlyph for ch in SAMPLE):
        log.warning("字体 %s 缺少常用汉字，已跳过。", where(path, index))
        return None
    pdfmetrics.registerFont(font)
    return name


def _family(path: Path, index: int) -> str:
    """A stand-in's family name as its own name table gives it; the file's name when unreadable."""
    try:
        faces = read_faces(path)
    except (OSError, ValueError, struct.error):
        return path.name
    return next((f.family for f in faces if f.index == index), path.name)


def _any_chinese_face() -> list[tuple[Path, int, str]]:
    """The first listed Chinese face that loads, when neither a role's face nor a fallback does."""
    for face in embeddable_faces():
        if name := _load(face.path, face.index):
            return [(face.path, face.index, name)]
    return []


@cache
def fonts() -> FontSet:
    """Register the fonts once per process and say which name plays each role."""
    chosen: dict[str, str] = {}
    sources: list[Source] = []
    for role in ORDER:
        for face in role_faces(role):
            if name := _load(face.path, face.index):
                chosen[role] = name
                sources.append(Source(role, face.path, face.index, face.family, False))
                break
    fallbacks = [(p, 0, n) for p in fallback_fonts() if p.is_file() and (n := _load(p, 0))]
    stand_ins = [
        *fallbacks,
        *((s.path, s.index, chosen[s.role]) for s in sources if s.role != TITLE),
    ]
    for role in ROLES:
        if role in chosen:
            continue
        stand_ins = stand_ins or _any_chinese_face()
        if not stand_ins:
            raise NoChineseFont(
                "找不到可嵌入 PDF 的中文字体：请安装 TrueType 格式（.ttf/.ttc）的仿宋、黑体等字体"
                "（Windows 自带），或文泉驿正黑（fonts-wqy-zenhei）。"
            )
        path, index, chosen[role] = stand_ins[0]
        sources.append(Source(role, path, index, _family(path, index), True))
    chain = tuple(dict.fromkeys([*chosen.values(), *(n for _p, _i, n in stand_ins)]))
    return FontSet(
        fangsong=chosen["fangsong"],
        hei=chosen["hei"],
        kai=chosen["kai"],
        song=chosen["song"],
        xiaobiaosong=chosen.get(TITLE),
        chain=chain,
        sources=tuple(sorted(sources, key=lambda s: ORDER.index(s.role))),
    )


def refresh() -> None:
    """Look the fonts up again on the next PDF, as after the office has installed one."""
    system_faces.cache_clear()
    fonts.cache_clear()
    _load.cache_clear()


def describe() -> list[str]:
    """One line per role naming the file that plays it, for `kepu smoke`."""
    fs = fonts()
    lines = []
    for s in fs.sources:
        label = ROLE_LABELS[s.role]
        how = f"代用，没有可嵌入的{label}字体" if s.stand_in else "按字体名称找到"
        lines.append(f"{label}：{where(s.path, s.index)}（{s.family}，{how}）")
    if fs.xiaobiaosong is None:
        lines.append("小标宋：未安装，标题用宋体（工作总结）或黑体（统计表、催报名单）。")
    return lines


@cache
def _cmap(font_name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def covers(font_name: str, text: str) -> bool:
    cmap = _cmap(font_name)
    return all(ord(ch) in cmap or ch in "\n\r\t" for ch in text)


def _font_for(ch: str, chain: tuple[str, ...]) -> str | None:
    code = ord(ch)
    return next((name for name in chain if code in _cmap(name)), None)


def markup(text: str, font_name: str) -> str:
    """Escape `text` for a Paragraph; wrap characters `font_name` lacks in a font that has them.

    A character no font has is written as U+3013 〓, the geta mark Chinese
    typesetting uses for a missing character, rather than an invisible box.
    Control characters (text stored by an older version) are dropped.
    """
    text = writable(text)
    if covers(font_name, text):
        return escape(text)
    chain = fonts().chain
    out: list[str] = []
    for ch in text:
        if ord(ch) in _cmap(font_name) or ch in "\n\r\t":
            out.append(escape(ch))
            continue
        other = _font_for(ch, chain)
        if other is None:
            out.append("〓")
        else:
            out.append(f'<font name="{other}">{escape(ch)}</font>')
    return "".join(out)


def plain(text: str, font_name: str) -> str:
    """Text for canvas.drawString, where one font draws the whole string."""
    cmap = _cmap(font_name)
    return "".join(ch if ord(ch) in cmap else "〓" for ch in writable(text))
