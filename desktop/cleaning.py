"""Text on its way in: the one place that decides what a stored string may hold.

Offices paste from Word and WeChat. What arrives carries Word's manual line
break (\\x0b) and page break (\\x0c), bell and other control characters,
NUL, zero-width spaces and direction marks, full-width spaces, and now and
then half of a surrogate pair. None of it means anything to a reader, and
some of it stops a workbook or a PDF from being written. Every path that
stores text — the window, the command line, collection workbooks, plan
files, plan text, settings — goes through these functions, so what is
stored is always printable.

Three kinds of field:
- a *name* (unit, place, group, team): one line, invisible marks removed,
  and no spaces inside a Chinese name (市 科协 is 市科协);
- a *line* (title, plan name, indicator name, media): one line, invisible
  marks removed, runs of spaces collapsed to one;
- a *text* (task text, summary, note): several lines kept; each line as a
  line field; blank runs collapsed to one blank line.
"""

from __future__ import annotations

import re
import unicodedata

from desktop.errors import ValidationError

# Line breaks of every origin: \r\n, Word's \x0b and \x0c, Unicode's separators, NEL.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Spaces of every width, as one ASCII space.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


def _visible(ch: str) -> bool:
    """Whether a character may stay in one line of stored text."""
    category = unicodedata.category(ch)
    # Cc: control characters (tab and newline are handled before this);
    # Cf: zero-width spaces, joiners, direction marks and overrides, BOM, soft hyphen;
    # Cs: half of a surrogate pair, which no file format can encode.
    return category not in ("Cc", "Cf", "Cs")


def _one_line(text: str) -> str:
    text = "".join(ch for ch in text if ch in " \t" or _visible(ch))
    return _SPACES.sub(" ", text).strip()


def clean_line(value: object) -> str:
    """One line of text: line breaks become spaces, invisible characters go, spaces collapse."""
    if value is None:
        return ""
    return _one_line(_LINE_BREAKS.sub(" ", str(value)).replace("\n", " "))


def clean_name(value: object) -> str:
    """A name: as a line, and no space between two Chinese characters."""
    return _SPACE_IN_CJK.sub("", clean_line(value))


def clean_text(value: object) -> str:
    """Several lines: each cleaned as a line; at most one blank line in a row."""
    if value is None:
        return ""
    lines = [_one_line(line) for line in _LINE_BREAKS.sub("\n", str(value)).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


CLEANERS = {"line": clean_line, "name": clean_name, "text": clean_text}


def required(raw: object, cleaned: str, label: str, field: str | None = None) -> str:
    """A required field that is empty once cleaned is refused, the field named."""
    if cleaned:
        return cleaned
    if raw is not None and str(raw).strip():
        raise ValidationError(f"{label}只有空格或不可见的字符，等于没有填写。", field)
    raise ValidationError(f"{label}不能为空。", field)


_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def writable(value: str) -> str:
    """What every output format (xlsx, PDF, YAML) can hold, for the writers.

    Text stored by an earlier version, before these rules, may still carry
    control characters or half a surrogate pair; an export must never stop
    on them.
    """
    return _UNWRITABLE.sub("", value)
