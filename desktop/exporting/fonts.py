"""Chinese fonts for reportlab: the office's own Windows fonts, else a free CJK font.

Which files those are, role by role (仿宋, 黑体, 楷体, 宋体), is found by
desktop/font_files.py; here they are registered with reportlab. All are
embedded as TrueType subsets, so the text stays selectable and searchable. A
character the role's font lacks is drawn with the first font that has it
(`markup`), so no glyph is ever missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import textsplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

from desktop.cleaning import writable
from desktop.font_files import ROLES, fallback_fonts, windows_font

# Chinese line-breaking (避头点): reportlab's CJK wrap keeps its listed closing
# marks off the start of a line by hanging them in the margin, but the list
# holds only ASCII and Japanese forms. Add the full-width Chinese ones, or
# "，" "：" "）" begin lines in a document meant for an official stamp.
# Both the one-font and the mixed-font wrap paths read the list.
CHINESE_CANNOT_START = "，：；？！”’）》」』】〕〉…%％·"
textsplit.ALL_CANNOT_START = paragraph.ALL_CANNOT_START = "".join(
    dict.fromkeys(textsplit.ALL_CANNOT_START + CHINESE_CANNOT_START)
)


@dataclass(frozen=True)
class FontSet:
    """reportlab font names per role, plus the chain used for missing glyphs."""

    fangsong: str
    hei: str
    kai: str
    song: str
    chain: tuple[str, ...]

    @property
    def body(self) -> str:
        return self.fangsong


def _register(name: str, path: Path) -> str | None:
    """Register a TrueType font (first face of a collection); None when it can't load."""
    try:
        font = TTFont(name, str(path), subfontIndex=0)
    except Exception:  # CFF-flavoured OpenType and broken files: try the next candidate
        return None
    pdfmetrics.registerFont(font)
    return name


@cache
def fonts() -> FontSet:
    """Register the fonts once per process and say which name plays each role."""
    fallbacks: list[str] = []
    for i, path in enumerate(fallback_fonts()):
        if path.is_file() and (name := _register(f"KepuFallback{i}", path)):
            fallbacks.append(name)
    chosen: dict[str, str] = {}
    for role in ROLES:
        path = windows_font(role)
        name = _register(f"Kepu-{role}", path) if path else None
        if name is None:
            if not fallbacks:
                raise RuntimeError(
                    "找不到中文字体：请安装仿宋/黑体（Windows 自带）或文泉驿正黑（fonts-wqy-zenhei）。"
                )
            name = fallbacks[0]
        chosen[role] = name
    chain = tuple(dict.fromkeys([*chosen.values(), *fallbacks]))
    return FontSet(chain=chain, **chosen)


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
