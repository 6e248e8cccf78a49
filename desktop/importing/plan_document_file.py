"""Reading a plan document off disk: bytes, text encodings and Word files.

The office keeps its plan as a Word file or as text saved from a PDF, in
whatever encoding the machine that wrote it used. Everything that can go
wrong before the parser sees text — a missing or huge file, an old .doc,
a PDF, a damaged .docx, GBK bytes — is turned here into a
PlanDocumentError whose Chinese message tells the user what to do. The
plan-file reader (YAML and workbooks) uses the same byte-level checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.errors import ValidationError

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


def read_plan_bytes(path: Path) -> bytes:
    """The bytes of a file that holds something, in a format a reader here may take."""
    raw = read_file_bytes(path)
    if not raw.strip():
        raise PlanDocumentError("文件是空的。")
    foreign = foreign_format(raw)
    if foreign:
        raise PlanDocumentError(foreign)
    return raw


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


@dataclass(frozen=True)
class DocumentTable:
    """A table of a Word file: its rows of cells, and where its lines are in the text.

    A row holds each cell once, as Word copies it (a cell spanning columns is
    one cell, so a section row spanning the table is a one-cell row); a cell
    merged down from the row above holds the text of the cell it continues,
    while the text has an empty line there. Lines `start` to `end` (exclusive)
    of the text are the table's.
    """

    rows: tuple[tuple[str, ...], ...]
    start: int
    end: int


@dataclass(frozen=True)
class PlanSource:
    """A plan file's text, and the tables a Word file held (none for text files)."""

    text: str
    tables: tuple[DocumentTable, ...] = ()


def read_plan_source(path: str | Path) -> PlanSource:
    """Text of a plan file (.txt in UTF-8, GBK/GB18030 or UTF-16, or .docx), with a
    Word file's tables.

    A .docx is read in body order, paragraphs and table cells alike (one
    line per cell, an empty line for a cell merged down from the row above,
    as Word copies a table), so a task table still reaches the parser as
    text; its tables come beside, row by row, for a reader that needs the
    merges. Anything else — a missing, empty or unreadable file, a .doc or
    PDF, a damaged .docx — raises PlanDocumentError with a Chinese reason.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    raw = read_plan_bytes(path)
    if suffix == ".docx" or raw.startswith(b"PK\x03\x04"):
        source = _read_docx(path)
    elif suffix in TEXT_SUFFIXES:
        source = PlanSource(decode_text(raw))
    else:
        raise PlanDocumentError(
            f"不支持“{path.suffix}”文件；方案原文请用 .txt 或 .docx（Word）文件。"
        )
    if not source.text.strip():
        raise PlanDocumentError("文件中没有文字。")
    return source


def read_plan_document(path: str | Path) -> str:
    """Text of a plan file, as `read_plan_source` reads it (for a text box or the parser)."""
    return read_plan_source(path).text


def _read_docx(path: Path) -> PlanSource:
    # imported here: python-docx pulls in lxml, which plain-text parsing never needs
    import zipfile

    from docx import Document
    from docx.opc.exceptions import OpcError
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
        tables: list[DocumentTable] = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag == "p":
                lines.extend(Paragraph(child, document).text.split("\n"))
            elif tag == "tbl":
                start = len(lines)
                rows = _table_rows(child, lambda p: Paragraph(p, document).text)
                for row in rows:
                    for text, covered in row:
                        lines.extend(("" if covered else text).split("\n"))
                cells = tuple(tuple(text for text, _ in row) for row in rows)
                tables.append(DocumentTable(cells, start, len(lines)))
    except PlanDocumentError:
        raise
    except (zipfile.BadZipFile, OpcError, LxmlError, KeyError, ValueError, EOFError):
        raise PlanDocumentError(damaged) from None
    except OSError as exc:
        raise PlanDocumentError(f"系统无法读取这个文件（错误号 {exc.errno}）。") from None
    return PlanSource("\n".join(lines), tuple(tables))


def _table_rows(table: Any, text_of: Callable[[Any], str]) -> list[list[tuple[str, bool]]]:
    """Each row's cells once, as (text, merged down from the row above).

    python-docx's `row.cells` repeats a merged cell in every row it covers and
    so hides the merge; the XML says it (`w:vMerge`), and a cell that continues
    one above takes that cell's text here.
    """
    above: dict[int, str] = {}
    rows = []
    for tr in table.tr_lst:
        column = tr.grid_before
        row = []
        for tc in tr.tc_lst:
            covered = tc.vMerge == "continue"
            own = "\n".join(text_of(p) for p in tc.p_lst)
            text = above.get(column, "") if covered else own
            for spanned in range(column, column + tc.grid_span):
                above[spanned] = text
            row.append((text, covered))
            column += tc.grid_span
        rows.append(row)
    return rows
