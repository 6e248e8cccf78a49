"""A workbook file as bytes: what it really is, whether it is safe to open, and what a reader misses.

Everything here runs before, or beside, the fast cell reader (python-calamine,
see collection_workbook.py), on the file's bytes, the zip and its XML directly:

- the bytes decide what the file really is (desktop/importing/file_kind.py):
  an .xlsx, .xls (or WPS .et holding one) or .ods goes on; anything else
  is refused with a message that names what it is instead;
- an .xlsx's or .ods's zip central directory is checked for entry count, total
  uncompressed size and compression ratio before anything is inflated;
- every XML part is scanned for a DTD (no workbook needs one; entity bombs
  do; calamine's parser expands none, and the little XML parsed here goes
  through defusedxml);
- an .xlsx worksheet is streamed once for what would make the reader allocate a
  huge grid (it holds a sheet as a dense table from A1 to its farthest
  value, so one value at XFD1048576 would ask for seventeen billion cells)
  and for formulas, which the reader shows only as their cached results;
- where either is there, the sheet is parsed cell by cell to locate them
  exactly, and the same walk returns the literal text of a number the
  reader could only turn into infinity (four hundred nines are too large,
  not "not a number"). The same facts of an .xls or .ods come from
  desktop/importing/xls_cells.py and ods_cells.py (sheet_facts.py picks).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from desktop.importing.file_kind import FileKind, detect, kind_of_suffix
from desktop.limits import FILE_LIMITS

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_ENTRY_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200
DTD_SCAN_BYTES = 64 * 1024
SHEET_ROWS = FILE_LIMITS["sheet_rows"]
SHEET_COLUMNS = FILE_LIMITS["sheet_columns"]

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# Streaming gates: each match is confirmed by the exact walk before anything is refused.
# A cell past column Z, or a row number from 250000 on.
_FAR = re.compile(rb'\sr="(?:[A-Z]{2,}\d|[A-Z]{0,3}(2[5-9]\d{4}|[3-9]\d{5}|\d{7,})")')
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_TAIL = 64
_FLOAT_DIGITS = 308  # the most digits of a whole number a float still holds (about 1.8e308)
_CHUNK = 1024 * 1024
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class FileRefused(Exception):
    """The file is not something to read; the message says why, in Chinese."""

    def __init__(self, message: str, sheet: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet


def column_letter(number: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _refuse_kind(path: Path, kind: FileKind) -> None:
    """Refuse what is not a workbook the reader opens, saying what it is instead."""
    if path.suffix.lower() == ".et" and kind is not FileKind.XLS:
        raise FileRefused(
            "这个 WPS 表格（.et）文件不是 Excel 97–2003 格式，本程序无法读取。"
            "请在 WPS 中打开，“另存为” Excel 工作簿（*.xlsx）后再导入。"
        )
    if kind.workbook:
        return
    if kind is FileKind.ENCRYPTED:
        raise FileRefused(
            "这个工作簿设置了打开密码，无法读取。"
            "请在 Excel / WPS 中取消密码，并“另存为” Excel 工作簿（*.xlsx）后再导入。"
        )
    if kind is FileKind.OLE:
        raise FileRefused(
            "这是旧版 Excel（.xls）等 Office 97–2003 格式的文件，但其中找不到工作簿："
            "文件可能已损坏或不完整（下载或复制未完成）。请在 Excel / WPS 中打开，"
            "“另存为” Excel 工作簿（*.xlsx）后再导入。"
        )
    if kind is FileKind.TEXT:
        renamed = kind_of_suffix(path.suffix)
        note = f"（只是扩展名改成了 {path.suffix}）" if renamed and renamed.workbook else ""
        raise FileRefused(
            f"这是 CSV 或文本文件{note}，不是采集表。请使用本程序生成的采集表填写后发回。"
        )
    if kind is FileKind.ZIP:
        raise FileRefused(
            "这是一个压缩包，其中没有 Excel 工作簿或 OpenDocument 电子表格；"
            "请解压后导入其中的采集表。"
        )
    if kind is FileKind.UNKNOWN:
        raise FileRefused(
            "不是 Excel 工作簿（.xlsx、.xls）或 OpenDocument 电子表格（.ods），无法读取。"
        )
    raise FileRefused(
        f"这是{kind.label}，不是采集表。请使用本程序生成的采集表填写后发回"
        "（可用 Excel、WPS 或 LibreOffice 保存为 .xlsx、.xls 或 .ods）。"
    )


# What each zip-based workbook must hold.
_REQUIRED_PARTS = {
    FileKind.XLSX: ("xl/workbook.xml", "[Content_Types].xml"),
    FileKind.ODS: ("content.xml",),
}


def _check_zip(path: Path, kind: FileKind) -> None:
    """Check the central directory before anything is inflated; then scan XML for a DTD."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise FileRefused(f"文件内部包含 {len(infos)} 个部件，远超正常工作簿，已拒绝。")
            total = sum(i.file_size for i in infos)
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > MAX_ENTRY_BYTES or (
                    ratio > MAX_RATIO and info.file_size > 1024 * 1024
                ):
                    raise FileRefused(
                        f"文件解压后异常巨大（部件 {info.filename} 解压后 "
                        f"{info.file_size // (1024 * 1024)} MB，压缩比 {ratio:.0f}:1），"
                        "疑似“压缩炸弹”，已拒绝读取。"
                    )
            if total > MAX_UNCOMPRESSED_BYTES:
                raise FileRefused(
                    f"文件解压后共 {total // (1024 * 1024)} MB，超过上限，疑似“压缩炸弹”，已拒绝读取。"
                )
            names = {i.filename for i in infos}
            missing = [part for part in _REQUIRED_PARTS[kind] if part not in names]
            if missing:
                raise FileRefused(
                    f"{kind.label}文件不完整（缺少 {'、'.join(missing)}），可能已损坏；"
                    "请在原来的软件中打开后重新保存。"
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml", ".rdf")):
                    with zf.open(info) as part:
                        if _DTD.search(part.read(DTD_SCAN_BYTES)):
                            raise FileRefused(
                                f"文件中的 {info.filename} 含有 XML 实体/文档类型定义，"
                                "正常工作簿不会有，疑似“XML 炸弹”，已拒绝读取。"
                            )
    except zipfile.BadZipFile as exc:
        raise FileRefused(
            f"{kind.label}文件已损坏或不完整（可能下载或复制未完成），无法打开。"
        ) from exc
    except zipfile.LargeZipFile as exc:
        raise FileRefused("文件过大，无法读取。") from exc
    # RuntimeError: zipfile's refusals of what it cannot read (an encrypted
    # part, an unknown compression method), as well as damage.
    except (OSError, EOFError, RuntimeError, ValueError) as exc:
        raise FileRefused(
            f"{kind.label}文件已损坏，无法读取（{exc.__class__.__name__}）。"
        ) from exc


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed every check as a whole: its SHA-256 and its real kind."""

    sha256: str
    kind: FileKind


def check_file(path: Path) -> CheckedFile:
    """Every check on the file as a whole, before any cell is read."""
    try:
        size = path.stat().st_size
        kind = detect(path) if size <= MAX_FILE_BYTES else FileKind.UNKNOWN
    except OSError as exc:
        raise FileRefused(f"无法打开文件：{exc.strerror or exc}") from exc
    if size == 0:
        raise FileRefused("文件是空的（0 字节）。")
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            f"文件有 {size // (1024 * 1024)} MB，超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 的上限。"
        )
    _refuse_kind(path, kind)
    if kind in _REQUIRED_PARTS:
        _check_zip(path, kind)
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return CheckedFile(digest.hexdigest(), kind)


def sheet_parts(path: Path) -> dict[str, str]:
    """Each worksheet's name → its part inside the zip, from the workbook and its relationships."""
    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(path) as zf:
        book = fromstring(zf.read("xl/workbook.xml"))
        try:
            rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        except KeyError:
            return {}
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels if rel.tag.endswith("Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if target:
            part = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            parts[sheet.get("name", "")] = posixpath.normpath(part)
    return parts


@dataclass
class Cells:
    """What the exact walk of a sheet found, by (row, column), both from 1."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    numbers: dict[tuple[int, int], str] = field(default_factory=dict)
    last_row: int = 0
    last_column: int = 0
    # Merged ranges (first row, last row, first column, last column, "A1:B2") where the
    # reader does not tell them (.ods); None where it does.
    merges: list[tuple[int, int, int, int, str]] | None = None


def needs_walk(path: Path, part: str) -> bool:
    """Stream the part once: does it hold a formula, or a value that may lie past the limits?"""
    tail = b""
    with zipfile.ZipFile(path) as zf, zf.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            if (b"<f" in data or b":f" in data) and _FORMULA.search(data):
                return True
            for far in _FAR.finditer(data):
                if far[1] is None or int(far[1]) > SHEET_ROWS.high:
                    return True
            tail = data[-_TAIL:]
    return False


def walk(path: Path, part: str, huge: bool = False) -> Cells:
    """Every cell of the part, in order: formulas (as "=…"), extent and, with `huge`, the
    literal text of every number cell written with more digits than a float holds.

    Cells carry their reference, or take the next column of their row when
    they do not (as the format allows). A formula written once and filled
    down (one group, `si`, in the sheet XML) is translated to each of its
    cells, as Excel shows it.
    """
    from defusedxml.ElementTree import iterparse

    found = Cells()
    groups: dict[str, tuple[str, str]] = {}
    row = column = 0
    with zipfile.ZipFile(path) as zf, zf.open(part) as stream:
        for event, element in iterparse(stream, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                if tag == "row":
                    row = int(element.get("r") or row + 1)
                    column = 0
                continue
            if tag == "row":
                element.clear()
                continue
            if tag != "c":
                continue
            ref = _REF.match(element.get("r") or "")
            if ref:
                row, column = int(ref[2]), column_number(ref[1])
            else:
                column += 1
            value = formula = None
            for child in element:
                name = child.tag.rpartition("}")[2]
                if name == "f":
                    formula = _formula(child, row, column, groups)
                elif name in ("v", "is"):
                    value = child.text if name == "v" else "".join(child.itertext())
            if formula is not None:
                found.formulas[(row, column)] = formula
            if value is not None or formula is not None:
                found.last_row = max(found.last_row, row)
                found.last_column = max(found.last_column, column)
            numeric = element.get("t", "n") == "n"
            if huge and numeric and value is not None and len(value) > _FLOAT_DIGITS:
                found.numbers[(row, column)] = value.strip()
            element.clear()
    return found


# The sheet XML's mark (t=…) on a formula written once and filled down its group.
FILLED_DOWN = "shared"


def _formula(element: object, row: int, column: int, groups: dict[str, tuple[str, str]]) -> str:
    text = getattr(element, "text", None) or ""
    kind = element.get("t")  # type: ignore[attr-defined]
    index = element.get("si")  # type: ignore[attr-defined]
    here = f"{column_letter(column)}{row}"
    if kind == FILLED_DOWN and index is not None:
        if text:
            groups[index] = (here, text)
        elif index in groups:
            from openpyxl.formula.translate import Translator

            origin, source = groups[index]
            return Translator(f"={source}", origin).translate_formula(here)
    return f"={text}"


def beyond_limits(cells: Cells) -> str | None:
    """Why the walked sheet is too large for the reader, or None."""
    if cells.last_column > SHEET_COLUMNS.high:
        return (
            f"第 {column_letter(cells.last_column)} 列有内容，超出采集表的范围"
            f"（{SHEET_COLUMNS.why}）；请删除多余的列后再导入。"
        )
    if cells.last_row > SHEET_ROWS.high:
        return (
            f"第 {cells.last_row} 行有内容，超出上限（{SHEET_ROWS.why}）；"
            "请删除多余的行或拆分文件后再导入。"
        )
    return None
