"""Plan-document parser: the text of a 全民科学素质行动 plan → a draft plan dict.

The office often has its plan only as a Word file or as text copied out of a
PDF. This module reads such text and proposes the plan in the shape of
resources/templates/SCHEMA.md — metadata, sections, tasks, responsible
units and quantified indicators — for the user to review before saving.

It keys on the conventions these documents share, not on any one file:

- headings "一、", "（一）"/"(一)", items "1．"/"1."/"1、", "（1）", "——";
- "措施：" blocks after goal lists (the measures are the tasks);
- unit lines "牵头部门/牵头单位：…", "配合部门/责任单位：…" after a section,
  and per-task "〔责任单位：…〕" or "（…按职责分工负责）" (first named leads);
- unit lists split by "、", "，" or spaces, two labels on one line
  ("牵头单位：A　配合单位：B"), "A牵头，B配合" and "A（牵头）、B";
- text hard-wrapped from a PDF, with page numbers such as "－１３－" inside,
  and titles or headings broken across lines;
- the notice header: 文号, issue date, and the plan's title with its years.

Nothing here may raise on odd input: an unrecognised document yields a dict
with whatever was found (possibly no sections at all).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from desktop.errors import ValidationError
from desktop.importing.numbers import (
    Number,
    Quantity,
    QuantityMatch,
    find_quantities,
    parse_chinese_integer,
    to_halfwidth,
)
from desktop.importing.units import (
    UnitMatcher,
    UnitRef,
    is_unit_label,
    parse_unit_clause,
    split_units,
)
from desktop.plan.document import PlanDocument

# ---------------------------------------------------------------- reading


MAX_FILE_BYTES = 20 * 1024 * 1024  # a plan document is well under 1 MB of text
MAX_DOCX_XML_BYTES = 200 * 1024 * 1024  # the unpacked document.xml of a .docx
TEXT_SUFFIXES = {".txt", ".text", ""}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class PlanDocumentError(ValidationError, ValueError):
    """A plan document that cannot be read; the message (Chinese) says why.

    Also a ValueError, as the reader raised before.

    Callers prefix the file name ("无法读取“x.docx”：…").
    """


def read_file_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file, or a PlanDocumentError saying in Chinese why not."""
    if path.is_dir():
        raise PlanDocumentError("这是一个文件夹，不是文件。")
    if not path.exists():
        raise PlanDocumentError("文件不存在。")
    try:
        size = path.stat().st_size
        if size > limit:
            raise PlanDocumentError(
                f"文件太大（{size / 1024 / 1024:.1f} MB，最多 {limit // 1024 // 1024} MB），"
                "不像是一份方案文件。"
            )
        return path.read_bytes()
    except PermissionError:
        raise PlanDocumentError(
            "没有读取这个文件的权限，或文件正被其他程序占用（请先关闭它）。"
        ) from None
    except OSError as exc:
        raise PlanDocumentError(f"系统无法读取这个文件（错误号 {exc.errno}）。") from None


def foreign_format(raw: bytes) -> str | None:
    """Chinese advice when the bytes are a format no reader here takes, else None."""
    if raw.startswith(_OLE2):
        return (
            "这是旧版 Office 文件（.doc / .xls / .wps），或是加了密码的文件，本程序无法读取；"
            "请在 Word / Excel / WPS 中打开，“另存为” .docx 或 .xlsx 后再试。"
        )
    if raw.startswith(b"%PDF"):
        return (
            "这是 PDF 文件，本程序无法直接读取；请在 PDF 阅读器中全选、复制正文，"
            "粘贴到“从文本识别”窗口，或存为 .txt 文件后再试。"
        )
    if raw.lstrip().startswith(b"{\\rtf"):
        return "这是 RTF 文件；请在 Word / WPS 中“另存为” .docx 后再试。"
    return None


def _bad_ratio(text: str) -> float:
    """Share of characters that are no part of any real text."""
    if not text:
        return 0.0
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f\v") or "\ue000" <= ch <= "\uf8ff"
    )
    return bad / len(text)


def decode_text(raw: bytes) -> str:
    """Text of a plain-text file in UTF-8 (with or without BOM), GBK/GB18030
    (Chinese Windows' default) or UTF-16/32 with a BOM; PlanDocumentError
    for anything that is not text."""
    boms = [
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ]
    candidates: list[str] = []
    for bom, encoding in boms:
        if raw.startswith(bom):
            raw = raw[len(bom) :]
            candidates = [encoding]
            break
    else:
        zeros_even, zeros_odd = raw[0::2].count(0), raw[1::2].count(0)
        if zeros_odd > len(raw) // 8 and zeros_even < zeros_odd // 4:
            candidates = ["utf-16-le"]
        elif zeros_even > len(raw) // 8 and zeros_odd < zeros_even // 4:
            candidates = ["utf-16-be"]
        else:
            candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _bad_ratio(text) < 0.01:
            return text
    # A few broken bytes (a file cut short, one odd character) are forgiven.
    for encoding in candidates:
        text = raw.decode(encoding, errors="replace")
        if _bad_ratio(text) < 0.005:
            return text
    raise PlanDocumentError(
        "不是文本文件，或文字编码无法识别（可识别 UTF-8、GBK/GB18030 和带 BOM 的 UTF-16）。"
    )


def read_plan_document(path: str | Path) -> str:
    """Text of a plan file: .txt (UTF-8, GBK/GB18030 or UTF-16) or .docx.

    A .docx is read in body order, paragraphs and table cells alike (one
    line per cell), so a task table still reaches the parser as text.
    Anything else — a missing, empty or unreadable file, a .doc or PDF,
    a damaged .docx — raises PlanDocumentError with a Chinese reason.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    raw = read_file_bytes(path)
    if not raw.strip():
        raise PlanDocumentError("文件是空的。")
    foreign = foreign_format(raw)
    if foreign:
        raise PlanDocumentError(foreign)
    if suffix == ".docx" or raw.startswith(b"PK\x03\x04"):
        text = _read_docx(path)
    elif suffix in TEXT_SUFFIXES:
        text = decode_text(raw)
    else:
        raise PlanDocumentError(
            f"不支持“{path.suffix}”文件；方案原文请用 .txt 或 .docx（Word）文件。"
        )
    if not text.strip():
        raise PlanDocumentError("文件中没有文字。")
    return text


def _read_docx(path: Path) -> str:
    # imported here: python-docx pulls in lxml, which plain-text parsing never needs
    import zipfile

    from docx import Document
    from docx.opc.exceptions import OpcError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml.etree import LxmlError

    damaged = "不是有效的 Word 文档（.docx），文件可能已损坏；请在 Word / WPS 中打开后重新保存。"
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                if "xl/workbook.xml" in names:
                    raise PlanDocumentError(
                        "这是 Excel 工作簿，不是 Word 文档；方案工作簿请用“导入方案文件”"
                        "（kepu plan import）。"
                    )
                raise PlanDocumentError(damaged)
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_XML_BYTES:
                raise PlanDocumentError("文档解压后太大，不像是一份方案原文。")
        document = Document(str(path))
        lines: list[str] = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag == "p":
                lines.append(Paragraph(child, document).text)
            elif tag == "tbl":
                for row in Table(child, document).rows:
                    seen: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) not in seen:  # merged cells repeat
                            seen.add(id(cell._tc))
                            lines.append(cell.text)
    except PlanDocumentError:
        raise
    except (zipfile.BadZipFile, OpcError, LxmlError, KeyError, ValueError, EOFError):
        raise PlanDocumentError(damaged) from None
    except OSError as exc:
        raise PlanDocumentError(f"系统无法读取这个文件（错误号 {exc.errno}）。") from None
    return "\n".join(lines)


# ------------------------------------------------------- text clean-up

_CN_NUM = "一二三四五六七八九十"
_TOP_RE = re.compile(rf"^(?:([{_CN_NUM}]{{1,3}})、|第([{_CN_NUM}]{{1,3}})(?:部分|章)\s*)(.*)$")
_PAREN_RE = re.compile(rf"^[（(]([{_CN_NUM}]{{1,3}})[）)]\s*(.*)$")
_NUM_RE = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.*)$")
_SUBNUM_RE = re.compile(r"^(?:[（(](\d{1,2})[）)]|([①-⑳]))\s*(.*)$")
_DASH_RE = re.compile(r"^(?:——|－－|--)\s*(.*)$")
_LABEL_RE = re.compile(r"^([^：:，。；,;（）()〔〕]{2,10})[：:](.*)$")
_MEASURES_RE = re.compile(r"^(?:主要|具体|工作|推进)?措施[：:]?$")
_APPENDIX_RE = re.compile(r"^(?:附件|附表|抄送)(?:[：:\d一二三]|$)")
_PAGE_NUMBER_RE = re.compile(r"^[-—–_~·\s]*(?:第\s*)?\d{1,4}\s*(?:页.*)?[-—–_~·\s]*$")
_YEAR_PAREN_RE = re.compile(r"[（(]\d{4}\s*年?\s*[—\-–~～至到]+\s*\d{4}\s*年?[）)]$")
_DOC_NUMBER_RE = re.compile(r"^([\u4e00-\u9fff]{1,12}[〔\[［【(（]\d{4}[〕\]］】)）]\d{1,4}号)$")
_DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_CN_DATE_RE = re.compile(
    rf"^([〇○零{_CN_NUM}]{{4}})年([{_CN_NUM}]{{1,3}})月([{_CN_NUM}]{{1,3}})日$"
)
_TITLE_END_RE = re.compile(r"(?:方案|规划|计划|纲要|通知)$")
_TERMINAL = tuple("。！？；：!?;:〕】")
_CJK_SPACE_RE = re.compile(
    r"(?<=[^\x00-\x7f])[ \t\u3000\u00a0]+|[ \t\u3000\u00a0]+(?=[^\x00-\x7f])"
)


_SPACES = "[ \t\u3000\u00a0]+"
# Where a list of units starts: after a unit label's colon, or inside a
# bracket that ends "…负责）".
_UNIT_LIST_RE = re.compile(
    r"(?:牵头|主责|配合|协办|协同|参与|协作|责任|相关|实施)(?:部门|单位)[ \t\u3000]*[：:]"
    r"(?P<after>[^〕】］\]。]*)"
    r"|[（(〔【［\[](?P<inside>[^（）()〔〕【】]*?负责)[）)〕】］\]]"
)
# Last character of a unit name (局, 委, 科协, 中心, 各乡镇（街道）…) and first
# character of one (its region: 县, 市, 区, 团县委, 各乡镇…).
_UNIT_END_CHARS = "局委会办部院校联协团站心司台馆所社府队处室厅行园区镇道组）)"
_UNIT_START_CHARS = "县市区州旗盟镇乡团各省国中"


def _listed(left: str, right: str) -> bool:
    """Whether a space between two words separates two unit names."""
    return (
        len(left) >= 2
        and len(right) >= 2
        and left[-1] in _UNIT_END_CHARS
        and (right[0] in _UNIT_START_CHARS or right[0] == left[0])
    )


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
        group = "after" if match.group("after") is not None else "inside"
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


def _is_date_line(line: str) -> bool:
    return bool(_DATE_RE.match(line) or _CN_DATE_RE.match(line))


def _starts_block(line: str) -> bool:
    """Whether a line opens a new block (so it never continues the previous one)."""
    if _TOP_RE.match(line) or _PAREN_RE.match(line) or _NUM_RE.match(line):
        return True
    if _SUBNUM_RE.match(line) or _DASH_RE.match(line) or _MEASURES_RE.match(line):
        return True
    if _APPENDIX_RE.match(line):
        return True
    label = _LABEL_RE.match(line)
    return bool(label and is_unit_label(label.group(1)))


def _is_short_heading(line: str) -> bool:
    """A heading printed alone on its line, such as "三、提升行动"."""
    match = _TOP_RE.match(line) or _PAREN_RE.match(line)
    return bool(match) and len(line) <= 40 and not re.search(r"[。，；]", line)


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
    if _is_short_heading(line) or _is_date_line(line) or _YEAR_PAREN_RE.search(line):
        return True
    if _DOC_NUMBER_RE.match(line):
        return True
    return bool(_TITLE_END_RE.search(line)) and not re.search(r"[，。]", line)


_YEAR_PAREN_START_RE = re.compile(r"^[（(]\d{4}\s*年?\s*[—\-–~～至到]+\s*\d{4}\s*年?[）)]")
# Words a heading ends with: "…提升行动", "…建设工程", "保障措施".
_HEADING_END_RE = re.compile(r"(?:行动|工程|计划|任务|措施|要求|目标|原则|机制|保障|思想)$")


def _continues_title(previous: str, line: str) -> bool:
    """A title's year range, alone or with the rest of the title, on the next line.

    "…规划纲要" + "（2021—2035年）实施方案（2021—2025年）" is one title.
    """
    years = _YEAR_PAREN_START_RE.match(line)
    if not years or not _TITLE_END_RE.search(previous) or re.search(r"[，。；]", previous):
        return False
    rest = line[years.end() :]
    return not rest or (
        not re.search(r"[，。；：]", rest)
        and bool(_TITLE_END_RE.search(rest) or _YEAR_PAREN_RE.search(rest))
    )


def _continues_heading(previous: str, line: str) -> bool:
    """The end of a heading that a PDF broke onto the next line.

    "（三）科普基础设施和基层科普能力建设" + "工程": a short fragment,
    no punctuation inside, that gives the heading its closing word.
    """
    fragment = line.rstrip("。")
    return (
        _is_short_heading(previous)
        and not _HEADING_END_RE.search(previous.rstrip("。"))
        and 0 < len(fragment) <= 12
        and not re.search(r"[，。；：:、（）()]", fragment)
        and not _starts_block(line)
        and bool(_HEADING_END_RE.search(previous + fragment))
    )


def unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into paragraphs.

    A line continues the previous one unless the previous line was complete
    (see `_is_complete`) or this one opens a block. A year range printed
    under a title ("（2016—2020年）") is glued to the title, and the last
    word of a heading broken across lines to its heading.
    """
    paragraphs: list[str] = []
    last_complete = True
    for line in lines:
        glue = bool(paragraphs) and (
            _continues_title(paragraphs[-1], line) or _continues_heading(paragraphs[-1], line)
        )
        if paragraphs and (glue or (not last_complete and not _starts_block(line))):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        last_complete = _is_complete(paragraphs[-1] if glue else line)
    return paragraphs


# ------------------------------------------------------------ blocks


@dataclass
class _Block:
    """One paragraph, classified."""

    kind: str  # top | paren | num | subnum | dash | units | measures | appendix | text
    text: str  # paragraph without its marker
    number: str = ""  # marker as printed ("1", "（1）", "一")
    label: str = ""  # for units: the label before the colon


def _halfwidth_marker(paragraph: str) -> str:
    """ "１．" / "（１）" → "1．" / "（1）", so printed task numbers are plain digits."""
    match = re.match(r"^[（(]?[０-９]{1,2}", paragraph)
    if not match:
        return paragraph
    return to_halfwidth(match.group(0)) + paragraph[match.end() :]


def _classify(paragraph: str) -> _Block:
    if _APPENDIX_RE.match(paragraph):
        return _Block("appendix", paragraph)
    if _MEASURES_RE.match(paragraph):
        return _Block("measures", paragraph)
    label = _LABEL_RE.match(paragraph)
    if label and is_unit_label(label.group(1)):
        return _Block("units", label.group(2), label=label.group(1))
    if m := _TOP_RE.match(paragraph):
        return _Block("top", m.group(3).strip(), number=m.group(1) or m.group(2))
    paragraph = _halfwidth_marker(paragraph)
    if m := _PAREN_RE.match(paragraph):
        return _Block("paren", m.group(2).strip(), number=m.group(1))
    if m := _NUM_RE.match(paragraph):
        return _Block("num", m.group(2).strip(), number=m.group(1))
    if m := _SUBNUM_RE.match(paragraph):
        printed = f"（{m.group(1)}）" if m.group(1) else m.group(2)
        return _Block("subnum", m.group(3).strip(), number=printed)
    if m := _DASH_RE.match(paragraph):
        return _Block("dash", m.group(1).strip())
    return _Block("text", paragraph)


# ------------------------------------------------------- plan structure

_TASK_BLOCK_RE = re.compile(r"任务|行动|工程|分工|重点工作")
_SECTION_KEYWORD_RE = re.compile(r"行动|工程")
# Words of a container heading ("实施五项重点工程"); a section title keeps a subject.
_CONTAINER_WORDS_RE = re.compile(
    r"实施|开展|推进|主要|重点|提升|各项|[\d一二三四五六七八九十]+项|行动|工程|任务|工作"
)
_ITEM_KINDS = ("num", "subnum", "dash")

# Target groups as printed in section titles; the first listed spelling is
# the schema's name. 领导干部 comes first because its title also says 公务员.
TARGET_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("领导干部和公务员", ("领导干部", "公务员")),
    ("青少年", ("青少年", "未成年人")),
    ("产业工人", ("产业工人",)),
    ("城镇劳动者", ("城镇劳动者",)),
    ("农民", ("农民",)),
    ("老年人", ("老年人",)),
    ("社区居民", ("社区居民",)),
)


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


@dataclass
class _Passage:
    """Text scanned for indicators, with the task and section it belongs to."""

    text: str
    task: _Task | None
    section: _Section | None


def _target_group(title: str) -> str | None:
    for group, spellings in TARGET_GROUPS:
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
    label = _LABEL_RE.match(inner)
    if label and is_unit_label(label.group(1)):
        return True
    return bool(re.search(r"(?:负责|牵头|配合|参与)[。]?$", inner)) and bool(split_units(inner))


def _take_unit_clause(text: str) -> tuple[str, list[UnitRef]]:
    """Remove a closing unit bracket from a task's text and parse it."""
    split = _split_trailing_bracket(text)
    if split and _looks_like_unit_clause(split[1]):
        return split[0].rstrip(), parse_unit_clause(split[1])
    return text, []


def _printed(block: _Block) -> str:
    """A sub-item put back together with its marker, for a task's text."""
    if block.kind == "num":
        return f"{block.number}．{block.text}"
    if block.kind == "dash":
        return f"——{block.text}"
    if block.kind == "paren":
        return f"（{block.number}）{block.text}"
    return f"{block.number}{block.text}"


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

    def __init__(self, blocks: list[_Block]) -> None:
        self.blocks = blocks
        self.sections: list[_Section] = []
        self.passages: list[_Passage] = []
        # units named outside any section (保障措施 brackets): listed, not linked
        self.loose_units: list[UnitRef] = []

    def parse(self) -> None:
        container: _Block | None = None  # the current "一、" heading that holds sections
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
    def _open(block: _Block, level: str) -> _Section:
        title, intro = _heading_title(block.text)
        return _Section(title=title, intro=intro, level=level)

    @staticmethod
    def _section_block(section: _Section, block: _Block) -> None:
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
            text = block.text if block.kind == "text" else _printed(block)
            if section.tasks:
                section.tasks[-1].body += text
            else:
                section.intro += text

    def _outside(self, block: _Block) -> None:
        """A block outside any section: plan-wide text, its units only listed."""
        if block.kind == "units":
            self.loose_units.extend(_unit_line(block.label, block.text, []))
            return
        text, refs = _take_unit_clause(block.text)
        self.loose_units.extend(refs)
        self._add_passage(text, None, None)

    def _add_passage(self, text: str, task: _Task | None, section: _Section | None) -> None:
        if text:
            self.passages.append(_Passage(text, task, section))

    def _finish(self, section: _Section | None) -> None:
        """Close a section: task units, section units, and its passages in order."""
        if section is None:
            return
        if not section.tasks and section.intro and not section.goals:
            section.tasks.append(_Task(number="", body=section.intro))
        else:
            self._add_passage(section.intro, None, section)
        for goal in section.goals:
            self._add_passage(_take_unit_clause(goal)[0], None, section)
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
            self._add_passage(task.body, task, section)
        self.sections.append(section)


def _unit_line(label: str, text: str, earlier: list[UnitRef]) -> list[UnitRef]:
    """Units of a "牵头部门：…" style line; a 责任单位 line after a lead line cooperates."""
    has_lead = any(ref.role == "lead" for ref in earlier)
    return parse_unit_clause(f"{label}：{text}", default_first_is_lead=not has_lead)


# ----------------------------------------------------------- metadata


@dataclass
class _Meta:
    region: str | None = None
    name: str | None = None
    first_year: int | None = None
    last_year: int | None = None
    doc_number: str | None = None
    issue_date: str | None = None
    level: str = "county"
    body_start: int = 0


def _find_title(paragraphs: list[str]) -> tuple[str | None, int]:
    """The plan's own title and its paragraph index (-1 when only in the notice)."""
    for i, para in enumerate(paragraphs):
        if (
            "科学素质" in para
            and len(para) <= 80
            and not re.search(r"关于|通知|《|》|[，。：]", para)
            and re.search(r"(?:方案|规划|计划|纲要)(?:[（(].*[）)])?$", para)
        ):
            return para, i
    for para in paragraphs:
        match = re.search(r"印发《?([^《》]*科学素质[^《》]*?)》?的?通知", para)
        if match:
            return match.group(1), -1
    return None, -1


def _issue_date(line: str) -> str | None:
    """ISO date of a line that is only a date ("2022 年 12 月 21 日", "二〇二一年九月八日")."""
    compact = line.replace(" ", "")
    if match := _DATE_RE.match(compact):
        parts = [int(to_halfwidth(g)) for g in match.groups()]
    elif match := _CN_DATE_RE.match(compact):
        parts = [parse_chinese_integer(g) for g in match.groups()]
    else:
        return None
    try:
        return date(*parts).isoformat()
    except ValueError:
        return None


_REGION_VERB_RE = re.compile(r"(?:关于)?(?:深入)?(?:贯彻落实|贯彻|落实|实施|推进|开展)$")


def _read_meta(lines: list[str], paragraphs: list[str]) -> _Meta:
    meta = _Meta()
    name, index = _find_title(paragraphs)
    meta.body_start = index + 1
    header_end = next((i for i, line in enumerate(lines) if _TOP_RE.match(line)), len(lines))
    for line in lines[:header_end]:
        compact = line.replace(" ", "")
        if meta.doc_number is None and (m := _DOC_NUMBER_RE.match(compact)):
            number = re.sub(r"[\[［【(（]", "〔", m.group(1))
            meta.doc_number = to_halfwidth(re.sub(r"[\]］】)）]", "〕", number))
        if meta.issue_date is None:
            meta.issue_date = _issue_date(line)
    if name:
        name = name.replace("(", "（").replace(")", "）")
        meta.name = name
        region = re.split(r"(?:全民|公民)?科学素质", name)[0].removeprefix("中共")
        # "北峪县贯彻落实全民科学素质…": the verb is not part of the region
        meta.region = _REGION_VERB_RE.sub("", region) or None
        # the last range: "…纲要（2021—2035年）实施方案（2021—2025年）" is a 2021–2025 plan
        years = re.findall(r"(\d{4})\s*年?\s*[—\-–~～至到]+\s*(\d{4})", to_halfwidth(name))
        if years:
            meta.first_year, meta.last_year = int(years[-1][0]), int(years[-1][1])
    meta.level = _level(meta.region, "\n".join(paragraphs))
    return meta


def _level(region: str | None, text: str) -> str:
    """county for 县/区/县级市, city for a 地级市 (one that has counties under it)."""
    if not region:
        return "county"
    if region.endswith(("县", "区", "旗")):
        return "county"
    if region.endswith(("州", "盟")):
        return "city"
    return "city" if re.search(r"县（区）|县区|区县|各县|县、区", text) else "county"


def _guess_first_year(meta: _Meta, text: str) -> None:
    """First year when the title prints none: the year of issue, else 十四五 → 2021."""
    if meta.first_year is not None:
        return
    issued = re.search(r"\d{4}", meta.issue_date or meta.doc_number or "")
    five_year = re.search(r"十([三四五六])五", text)
    if issued:
        meta.first_year = int(issued.group(0))
    elif five_year:
        meta.first_year = 2016 + 5 * "三四五六".index(five_year.group(1))


def _guess_last_year(meta: _Meta, target_years: list[int]) -> None:
    """Last year when the title prints none: the literacy target's year."""
    if meta.last_year is not None or meta.first_year is None:
        return
    later = sorted(y for y in target_years if y >= meta.first_year)
    meta.last_year = later[0] if later else meta.first_year + 4


# --------------------------------------------------------- indicators

LITERACY_NAME = "公民具备科学素质的比例"
_LITERACY_RE = re.compile(
    r"具备(?:基本)?科学素质的?(?:公民)?(?:的)?比例|公民(?:具备|具有)?科学素质的?(?:比例|水平)"
)
_RISE_RE = re.compile(r"(?:提高|提升|增长|增加|上升)(?:到|至)")
_SENTENCE_RE = re.compile(r"[^。；！？]+[。；！？]?")
_STRUCTURAL_RE = re.compile(r"^(?:提升行动|重点工程|重点工作|重点任务|行动|工程|任务|措施|原则)")
_RATE_RE = re.compile(r"(覆盖率|普及率|参与率|开放率|知晓率|达标率|合格率|比例|比率|占比)$")
_TIME_PREFIX_RE = re.compile(
    r"^(?:“?十[三四五六]五”?(?:期间|期末|末|时期)?|到\d{4}年(?:底|末)?|至\d{4}年|\d{4}年(?:底|末)?"
    r"|每年|每学期|五年(?:内|来)?(?:累计)?|累计|力争|争取|确保|基本|实现|要)[，,]?"
)
_FILLER_RE = re.compile(r"每年|每学期|每季度|至少|力争|争取")
_TRAILING_COMPARATOR_RE = re.compile(
    r"(?:应|要)?(?:(?:提高|提升|增加|增长|上升)(?:到|至)|达到|达|不少于|不低于|超过|不超过|控制在|共)?$"
)
# Verbs that take the counted object: "配备10辆科普大篷车", "新建…5个".
_OBJECT_VERBS = "配备|配置|创建|培育|建设|建成|举办|开展|组织|安排|召开|培训|轮训|培养|完成|拥有|设立|明确|新建|参加|认定"
# "配备10辆…和配置2套…": the second target's clause starts after 和.
_AND_VERB_RE = re.compile(rf"[和及并](?={_OBJECT_VERBS})")
_FLOW_VERBS = re.compile(r"培训|培育|轮训|培养|举办|开展|组织|召开|安排|参加|创建|新建|认定")
_ORGANISE_RE = re.compile(r"举办|开展|组织|安排|召开")
_TRAIN_RE = re.compile(r"培训|轮训")
_PERSON_UNITS = ("人", "名")
_STOCK_UNITS = ("个", "所", "家", "座", "处", "辆", "套", "门", "支")

# Activity type codes (SCHEMA.md) by the words that name them in a target.
_ACTIVITY_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("training", "培训|轮训|研修|培养"),
    ("lecture", "讲座|报告会|讲堂"),
    ("contest", "竞赛|大赛"),
    ("exhibition", "展览|展示|展演"),
    ("emergency", "演练|应急"),
    ("study_tour", "研学"),
    ("sci_day", "科普日"),
    ("sci_week", "科技活动周|科技周"),
    ("three_rural", "三下乡"),
    ("volunteer", "志愿服务"),
)


@dataclass
class _Literacy:
    target: Number | None = None
    baseline: Number | None = None
    baseline_year: int | None = None
    quote: str | None = None
    target_years: list[int] = field(default_factory=list)
    spans: set[tuple[int, str]] = field(default_factory=set)  # (passage id, sentence)


def _sentences(text: str) -> Iterator[str]:
    for match in _SENTENCE_RE.finditer(text):
        sentence = match.group(0).strip()
        if sentence:
            yield sentence


def _quote(sentence: str) -> str:
    return sentence.rstrip("。；！？;!?")


def _sentence_year(sentence: str) -> int | None:
    match = re.search(r"(\d{4})年", sentence)
    return int(match.group(1)) if match else None


def _read_literacy(passages: list[_Passage], first_year: int | None) -> _Literacy:
    """Literacy target and baseline from "公民具备科学素质的比例达到17.5%" sentences.

    A sentence dated before the plan's first year gives the baseline; the
    first other one gives the target (later years, as 到2035年, are
    recorded only to bound the plan's last year).
    """
    found = _Literacy()
    for pid, passage in enumerate(passages):
        for sentence in _sentences(passage.text):
            if not _LITERACY_RE.search(sentence):
                continue
            percents = [q for q in find_quantities(sentence) if q.quantity.unit == "%"]
            if not percents:
                continue
            found.spans.add((pid, sentence))
            year = _sentence_year(sentence)
            value = percents[0].quantity.value
            rise = _RISE_RE.search(sentence)
            if (
                rise
                and found.target is None
                and percents[0].start < rise.start() < percents[-1].start
            ):
                # "由2020年的8.5%提高到2025年的12%": baseline, then target
                found.target, found.quote = percents[-1].quantity.value, _quote(sentence)
                found.baseline = value
                found.baseline_year = year if year is not None and year != first_year else None
                found.target_years.extend(
                    int(y) for y in re.findall(r"(\d{4})年", sentence[rise.start() :])
                )
            elif year is not None and first_year is not None and year < first_year:
                found.baseline, found.baseline_year = value, year
            elif found.target is None:
                found.target, found.quote = value, _quote(sentence)
                if year is not None:
                    found.target_years.append(year)
            elif year is not None:
                found.target_years.append(year)
    return found


def _is_literacy_figure(sentence: str, match: QuantityMatch) -> bool:
    """Whether a percent in a literacy sentence is the literacy figure itself.

    In "…具备科学素质的比例超过13%，力争达到15%，城乡差距控制在3个百分点以内"
    both percents are the literacy target; the gap is a target of its own,
    as is any other rate named in its clause ("…达标率达到90%").
    """
    if match.quantity.unit != "%":
        return False
    clause = _local_clause(sentence, match)
    return bool(_LITERACY_RE.search(clause)) or not re.search(r"率|比例|比重|占比|水平", clause)


def _blank_titles(text: str) -> str:
    """Hide the inside of 《…》 (same length) so cited titles give no targets."""
    return re.sub(r"《[^《》]*》", lambda m: "《" + "□" * (len(m.group(0)) - 2) + "》", text)


# How far around a number a clause or a "每年" is looked for: a real sentence
# is far shorter; a "sentence" of a whole table without punctuation must not
# cost time that grows with the square of its length.
_WINDOW = 400


def _local_clause(sentence: str, match: QuantityMatch) -> str:
    """The clause holding a number, up to it: "…，每年组织2次" → "每年组织"."""
    start = max(0, match.start - _WINDOW)
    return re.split(r"[，,：:]", sentence[start : match.start])[-1]


def _object_after(sentence: str, match: QuantityMatch) -> str:
    """The noun a classifier counts ("10辆科普大篷车" → "科普大篷车"), else ""."""
    rest = sentence[match.end : match.end + _WINDOW]
    if not rest or not re.match(r"[\u4e00-\u9fff“]", rest):
        return ""
    return re.sub(r"^[的为]", "", re.split(r"[，,。；;、和及]", rest)[0])


def _indicator_name(sentence: str, match: QuantityMatch) -> str:
    """A short name: the clause before the number, plus the noun counted after it."""
    clause = _AND_VERB_RE.split(_local_clause(sentence, match))[-1]
    while True:
        trimmed = _TIME_PREFIX_RE.sub("", clause)
        if trimmed == clause:
            break
        clause = trimmed
    clause = _TRAILING_COMPARATOR_RE.sub("", _FILLER_RE.sub("", clause)).strip()
    fallback = sentence[max(0, match.end - _WINDOW) : match.end]
    return (clause + _object_after(sentence, match)).strip() or fallback


def _split_rate_list(name: str) -> list[str]:
    """ "行政村的科技示范户、科技带头人、科普信息员覆盖率" → one name per listed item."""
    match = _RATE_RE.search(name)
    if match is None or "、" not in name:
        return [name]
    rate = match.group(1)
    items = name[: -len(rate)].split("的")[-1].split("、")
    if len(items) < 2 or any(not item or len(item) > 6 for item in items):
        return [name]
    return [f"{item}{rate}" for item in items]


def _measure(quantity: Quantity, clause: str, name: str) -> str:
    if quantity.unit in ("%", "个百分点"):
        return "percent"
    if quantity.unit in _PERSON_UNITS or quantity.unit in _STOCK_UNITS or not quantity.unit:
        return "count" if _FLOW_VERBS.search(clause) and "人数" not in name else "level"
    return "count"


# "每年", "年均", and "年" before what is done in the year ("年浏览量", "年培训").
_ANNUAL_RE = re.compile(
    r"每年|每学年|每学期|每季度|年均|每个?年度|全年"
    r"|(?<![\d〇○零一二三四五六七八九十今明当同])年(?:浏览|访问|点击|阅读|接待|服务|培训|开展|举办|参与|参加)"
)
# Words that give a target its own time frame, so a "每年" earlier in the
# sentence no longer applies: "每年培训…，到2025年累计…".
_OWN_TIME_RE = re.compile(r"\d{4}年|期间|累计|五年|期末|年底|年末|总计|共计")


def _target_mode(measure: str, clause: str) -> str:
    if measure == "percent":
        return "end"
    if _ANNUAL_RE.search(clause):
        return "annual"
    return "end" if measure == "level" else "period"


def _annual_scope(sentence: str, match: QuantityMatch) -> bool:
    """Whether a "每年" earlier in the sentence still holds at this number.

    "每年培训农民2万人次，举办专题讲座10场" holds 10 场 every year as well;
    a clause that names its own time ("到2025年…", "累计…") ends the scope.
    """
    before = sentence[max(0, match.start - _WINDOW) : match.start]
    annuals = list(_ANNUAL_RE.finditer(before))
    return bool(annuals) and not _OWN_TIME_RE.search(before[annuals[-1].end() :])


def _rule(
    quantity: Quantity, measure: str, clause: str, task: _Task | None, section: _Section | None
) -> dict[str, Any] | None:
    """A derivation rule for targets the activity ledger can count, else None."""
    if measure != "count":
        return None
    types = [code for code, words in _ACTIVITY_TYPE_WORDS if re.search(words, clause)]
    if quantity.unit == "人次" or (quantity.unit in _PERSON_UNITS and _TRAIN_RE.search(clause)):
        metric = "participants"  # people trained are the participants of training
    elif not _ORGANISE_RE.search(clause):
        return None  # "有机会参加1次培训" counts attendance, not events held
    elif quantity.unit in ("次", "场", "场次") and (types or "活动" in clause):
        metric = "activities"
    elif quantity.unit == "期" and (types or re.search(r"班|活动", clause)):
        metric = "sessions"
    else:
        return None
    group = section.target_group if section is not None else None
    return {
        "metric": metric,
        "activity_types": types,
        "target_groups": [group] if group else [],
        "tasks": [task.code] if task is not None else [],
        "units": [],
    }


_OWN_PREDICATE_RE = re.compile(r"达到|超过|不少于|不低于|达|保持在|稳定在|提高到|提升到")


def _inherited_verb(previous: tuple[str, str] | None, unit: str, clause: str, gap: str = "") -> str:
    """The verb a listed target shares with the one before it, or "".

    In "创建全国科普教育基地2个，自治区科普教育基地10个" the second base is
    created too: same unit, no verb of its own. Not so in "培训骨干500人，
    到2025年，注册科技志愿者超过3000人": a new time (in `gap`, the text
    since the last target) or a predicate of its own starts a new statement.
    """
    if previous is None or previous[0] != unit or re.search(_OBJECT_VERBS, clause):
        return ""
    if _OWN_TIME_RE.search(gap) or _OWN_PREDICATE_RE.search(clause):
        return ""
    verb = re.match(_OBJECT_VERBS, previous[1])
    return verb.group(0) if verb else ""


def _indicators_from(passage: _Passage, pid: int, literacy: _Literacy) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for sentence in _sentences(passage.text):
        literacy_sentence = (pid, sentence) in literacy.spans
        previous: tuple[str, str] | None = None  # (unit, name) of the last target
        last_end = 0
        for match in find_quantities(_blank_titles(sentence)):
            quantity = match.quantity
            following = sentence[match.end : match.end + 6]
            if quantity.unit == "项" and _STRUCTURAL_RE.match(following):
                continue
            if literacy_sentence and _is_literacy_figure(sentence, match):
                continue
            clause = _local_clause(sentence, match) + _object_after(sentence, match)
            name = _indicator_name(sentence, match)
            gap = sentence[last_end : match.start]
            verb = _inherited_verb(previous, quantity.unit, clause, gap)
            name, clause = verb + name, verb + clause
            previous, last_end = (quantity.unit, name), match.end
            unit = quantity.unit or ("人" if name.endswith("人数") else "")
            measure = _measure(quantity, clause, name)
            mode = _target_mode(measure, clause)
            if mode == "period" and _annual_scope(sentence, match):
                mode = "annual"
            rule = _rule(quantity, measure, clause, passage.task, passage.section)
            quote = _quote(
                sentence
                if len(sentence) <= 2 * _WINDOW
                else sentence[max(0, match.start - _WINDOW) : match.end + _WINDOW]
            )
            for each in _split_rate_list(name) if measure == "percent" else [name]:
                found.append(
                    {
                        "code": "",
                        "name": each,
                        "unit": unit,
                        "measure": measure,
                        "task": passage.task.code if passage.task is not None else None,
                        "target_mode": mode,
                        "target": quantity.value,
                        "targets_by_year": None,
                        "comparator": quantity.comparator,
                        "baseline": None,
                        "baseline_year": None,
                        "source": "derived" if rule else "manual",
                        "rule": rule,
                        "numerator": None,
                        "denominator": None,
                        "quote": quote,
                    }
                )
    return found


# ------------------------------------------------------------ assembly


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


def _plan_id(region: str | None, first: int | None, last: int | None) -> str:
    """A stable slug: region as a short hash (no pinyin offline) plus the years."""
    tag = f"{zlib.crc32((region or '').encode('utf-8')):08x}"[:6]
    years = f"-{first}-{last}" if first and last else ""
    return f"plan-{tag}{years}"


class _UnitRegistry:
    """Every unit named in the plan: first spelling is the name, others aliases."""

    def __init__(self) -> None:
        self.matcher = UnitMatcher()
        self.units: dict[str, list[str]] = {}

    def canonical(self, name: str) -> str:
        known = self.matcher.match(name)
        if known is None:
            self.matcher.add(name)
            self.units[name] = []
            return name
        if name != known and name not in self.units[known]:
            self.units[known].append(name)
        return known

    def refs(self, refs: list[UnitRef]) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for ref in refs:
            name = self.canonical(ref.name)
            if all(r["name"] != name for r in out):
                out.append({"name": name, "role": ref.role})
        return out


def parse_plan_text(text: str) -> PlanDocument:
    """Parse a plan document's text into a draft plan dict (SCHEMA.md shape).

    The result is a proposal for the user to review, never saved as is:
    `id` is "plan-<region hash>-<first>-<last>" (no pinyin offline), task
    units fall back to the section's 牵头/配合 lines, and every number
    printed with a unit becomes an indicator with its quoting sentence.
    Fields the text does not give are None; sections may be empty.
    """
    lines = clean_lines(text)
    paragraphs = unwrap(lines)
    meta = _read_meta(lines, paragraphs)
    blocks = [_classify(p) for p in paragraphs[meta.body_start :]]
    structure = _StructureParser(blocks)
    structure.parse()

    counters = {"action": 0, "project": 0}
    registry = _UnitRegistry()
    sections_out = []
    for section in structure.sections:
        group = _target_group(section.title)
        section.kind = "project" if "工程" in section.title or group is None else "action"
        section.target_group = group if section.kind == "action" else None
        counters[section.kind] += 1
        section.code = f"{'A' if section.kind == 'action' else 'P'}{counters[section.kind]}"
        section_units = registry.refs(section.units)
        tasks_out = []
        for i, task in enumerate(section.tasks, start=1):
            task.code = f"{section.code}.{i}"
            title, body = _task_title(task.body)
            units = registry.refs(task.units) if task.units else [dict(u) for u in section_units]
            tasks_out.append(
                {
                    "code": task.code,
                    "number": task.number,
                    "title": title,
                    "text": body,
                    "units": units,
                }
            )
        sections_out.append(
            {
                "code": section.code,
                "kind": section.kind,
                "title": section.title,
                "target_group": section.target_group,
                "units": section_units,
                "tasks": tasks_out,
            }
        )

    for ref in structure.loose_units:
        registry.canonical(ref.name)

    passages = structure.passages
    _guess_first_year(meta, "\n".join(paragraphs))
    literacy = _read_literacy(passages, meta.first_year)
    _guess_last_year(meta, literacy.target_years)

    indicators: list[dict[str, Any]] = []
    if literacy.target is not None:
        indicators.append(
            {
                "code": "LIT",
                "name": LITERACY_NAME,
                "unit": "%",
                "measure": "percent",
                "task": None,
                "target_mode": "end",
                "target": literacy.target,
                "targets_by_year": None,
                "comparator": ">=",
                "baseline": literacy.baseline,
                "baseline_year": literacy.baseline_year,
                "source": "manual",
                "rule": None,
                "numerator": None,
                "denominator": None,
                "quote": literacy.quote,
            }
        )
    others = [ind for pid, p in enumerate(passages) for ind in _indicators_from(p, pid, literacy)]
    for n, indicator in enumerate(others, start=1):
        indicator["code"] = f"I{n:02d}"
    indicators.extend(others)

    return PlanDocument.from_dict(
        {
            "id": _plan_id(meta.region, meta.first_year, meta.last_year),
            "plan": {
                "region": meta.region,
                "level": meta.level,
                "name": meta.name,
                "first_year": meta.first_year,
                "last_year": meta.last_year,
                "doc_number": meta.doc_number,
                "issue_date": meta.issue_date,
                "literacy_baseline": literacy.baseline,
                "literacy_baseline_year": literacy.baseline_year,
                "literacy_target": literacy.target,
            },
            "units": [
                {"name": name, "aliases": aliases} for name, aliases in registry.units.items()
            ],
            "sections": sections_out,
            "indicators": indicators,
        }
    )
