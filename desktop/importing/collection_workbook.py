"""Reading a filled-in collection workbook back, defensively.

A file from a member unit may be anything: empty, truncated, an old .xls or
a CSV renamed to .xlsx, a workbook from another template, or hostile (a zip
bomb, an XML entity bomb, a million rows). The checks run before openpyxl
sees the file and stop early, so a bad file costs a message, never a crash
or a hang:

- the first bytes decide what the file really is (zip, OLE2 .xls, text);
- the zip's central directory is checked for entry count, total
  uncompressed size and compression ratio before anything is inflated;
- every XML part is scanned for a DTD (no workbook needs one; entity bombs
  do), and openpyxl itself parses through defusedxml;
- the activity sheet is streamed (read-only mode) and reading stops at
  MAX_ACTIVITY_ROWS rows of data with a message to split the file;
- the hidden marker sheet must name this program's template and version.

Formulas are refused, not evaluated: openpyxl cannot compute them and a
cached result may be missing or stale (files saved by other programs often
carry none), so a formula cell is reported and the unit is asked to paste
values instead. Merged cells inside the data area are refused too: only
their first cell holds a value, so merging would silently blank the others.

Cell values are turned into Python values here (dates in the common
Chinese forms 2024-05-18, 2024/5/18, 2024.5.18, 2024年5月18日; whole
numbers; decimals, also 1.2万), each failure a Problem naming file, sheet,
row and column. Matching names against the database is the imports
service's job.
"""

from __future__ import annotations

import hashlib
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from desktop.errors import ServiceError, ValidationError
from desktop.exporting.collection_template import (
    ACTIVITY_COLUMNS,
    ACTIVITY_SHEET,
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    MARKER_SHEET,
    REQUIRED_ACTIVITY,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
)
from desktop.importing.numbers import parse_number
from desktop.limits import checked

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_ENTRY_BYTES = 150 * 1024 * 1024
MAX_RATIO = 200
MAX_ACTIVITY_ROWS = 10_000
MAX_INDICATOR_ROWS = 2_000
# Rows looked at, empty or not: bounds the work on a sheet of formatted blanks.
MAX_SCANNED_ROWS = 200_000
HEADER_SEARCH_ROWS = 10
DTD_SCAN_BYTES = 64 * 1024

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_DATE_TEXT = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.．]|年)\s*(\d{1,2})\s*(?:[-/.．]|月)\s*(\d{1,2})\s*日?\s*$"
)
_SPLIT = re.compile(r"[、,，;；\n]+")
# Excel serial numbers of 2000-01-01 and 2099-12-31: a bare number in a date column.
_SERIAL_RANGE = (36526, 73050)
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, as precisely as it can be located."""

    file: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"“{self.column}”列")
        return "，".join(where) + "：" + self.message


class CollectionFileError(ServiceError):
    """The whole file cannot be read; `problem` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class RowRecord:
    """One data row: parsed values by column key, and what was wrong with it."""

    row: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class CollectionFile:
    path: Path
    sha256: str
    unit_name: str
    period_code: str
    plan_code: str
    activities: list[RowRecord]
    indicators: list[RowRecord]

    @property
    def name(self) -> str:
        return self.path.name


HEADERS = {header.rstrip("*"): (key, kind) for key, header, kind, _ in ACTIVITY_COLUMNS}
INDICATOR_HEADERS = {header.rstrip("*"): key for key, header, _ in INDICATOR_COLUMNS}


def _fail(path: Path, message: str, sheet: str = "") -> CollectionFileError:
    return CollectionFileError(Problem(path.name, sheet, None, "", message))


def _sniff(path: Path, head: bytes) -> None:
    """Refuse what is not a zip, saying what it looks like instead."""
    if head.startswith(_ZIP):
        return
    if head.startswith(_OLE2):
        raise _fail(
            path,
            "这是旧版 Excel（.xls）文件或设置了打开密码的工作簿，不是 .xlsx。"
            "请在 Excel 中取消密码，并“另存为” Excel 工作簿（*.xlsx）后再导入。",
        )
    text = None
    for encoding in ("utf-8-sig", "gbk"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is not None and text.strip() and ("," in text or "\t" in text or "\n" in text):
        raise _fail(
            path,
            "这是 CSV 或文本文件（只是扩展名改成了 .xlsx），不是采集表。"
            "请使用本程序生成的采集表填写后发回。",
        )
    raise _fail(path, "不是 Excel 工作簿（.xlsx），无法读取。")


def _check_zip(path: Path) -> None:
    """Check the central directory before anything is inflated; then scan XML for a DTD."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise _fail(path, f"文件内部包含 {len(infos)} 个部件，远超正常工作簿，已拒绝。")
            total = sum(i.file_size for i in infos)
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > MAX_ENTRY_BYTES or (
                    ratio > MAX_RATIO and info.file_size > 1024 * 1024
                ):
                    raise _fail(
                        path,
                        f"文件解压后异常巨大（部件 {info.filename} 解压后 "
                        f"{info.file_size // (1024 * 1024)} MB，压缩比 {ratio:.0f}:1），"
                        "疑似“压缩炸弹”，已拒绝读取。",
                    )
            if total > MAX_UNCOMPRESSED_BYTES:
                raise _fail(
                    path,
                    f"文件解压后共 {total // (1024 * 1024)} MB，超过上限，疑似“压缩炸弹”，已拒绝读取。",
                )
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
                raise _fail(
                    path, "压缩包中没有 Excel 工作簿内容（可能是 Word 文档或其他压缩文件）。"
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as part:
                        if _DTD.search(part.read(DTD_SCAN_BYTES)):
                            raise _fail(
                                path,
                                f"文件中的 {info.filename} 含有 XML 实体/文档类型定义，"
                                "正常工作簿不会有，疑似“XML 炸弹”，已拒绝读取。",
                            )
    except zipfile.BadZipFile as exc:
        raise _fail(path, "文件已损坏或不完整（可能下载或复制未完成），无法打开。") from exc
    except zipfile.LargeZipFile as exc:
        raise _fail(path, "文件过大，无法读取。") from exc
    except (OSError, EOFError, NotImplementedError, ValueError) as exc:
        raise _fail(path, f"文件已损坏，无法读取（{exc.__class__.__name__}）。") from exc


def _merged_ranges(path: Path, part: str) -> list[tuple[int, int, int, int, str]]:
    """Merged ranges of a worksheet part as (first_row, last_row, first_col, last_col, ref)."""
    from openpyxl.utils import column_index_from_string

    found: list[tuple[int, int, int, int, str]] = []
    tail = b""
    with zipfile.ZipFile(path) as zf, zf.open(part) as stream:
        while chunk := stream.read(1024 * 1024):
            data = tail + chunk
            for m in _MERGE.finditer(data):
                c1, r1 = m[1].decode(), int(m[2])
                c2, r2 = (m[3] or m[1]).decode(), int(m[4] or m[2])
                ref = f"{c1}{r1}:{c2}{r2}"
                item = (r1, r2, column_index_from_string(c1), column_index_from_string(c2), ref)
                if item not in found:
                    found.append(item)
            tail = data[-200:]
    return found


def parse_date(value: Any) -> date:
    """A date from a date cell, an Excel serial number or text in a common Chinese form."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1] and float(value).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"“{value:g}”不是日期")
    text = str(value).strip()
    m = _DATE_TEXT.match(text)
    if not m:
        raise ValueError(
            f"无法识别的日期“{text}”，请写成 2024-05-18、2024/5/18、2024.5.18 或 2024年5月18日"
        )
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ValueError(f"日期“{text}”不存在") from exc


def parse_amount(value: Any, whole: bool) -> int | float:
    """A count (whole) or an amount from a number cell or text such as "1,200" or "1.2万".

    Whole numbers stay Python ints however long they are, so that a cell of
    thirty nines is refused by its size (desktop/limits.py), not by an
    overflow.
    """
    if isinstance(value, bool):
        raise ValueError("应填写数字")
    if isinstance(value, int | float):
        number: int | float = value
    else:
        text = str(value).strip()
        try:
            number = parse_number(text)
        except ValueError as exc:
            raise ValueError(f"应填写{'整数' if whole else '数字'}，实际是“{text[:40]}”") from exc
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError("不是有效的数字（无穷大或非数字）")
    if number < 0:
        raise ValueError(f"不能为负数（{number:g}）")
    if isinstance(number, int):
        return number
    if whole and number.is_integer():
        return int(number)
    if whole:
        raise ValueError(f"应为整数，实际是 {number:g}")
    return number


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _in_range(name: str, number: int | float, label: str | None = None) -> int | float:
    """The range check of desktop/limits.py, told as a cell's problem."""
    try:
        return checked(name, number, label)
    except ValidationError as exc:
        raise ValueError(str(exc)) from None


def _convert(key: str, kind: str, value: Any) -> Any:
    if kind == "date":
        return parse_date(value)
    if kind == "int":
        return _in_range(key, parse_amount(value, whole=True), "")
    if kind == "decimal":
        return _in_range(key, parse_amount(value, whole=False), "")
    if kind.startswith("list:") and kind != "list:types":
        return [item.strip() for item in _SPLIT.split(_text(value)) if item.strip()]
    return _text(value)


def _is_formula(cell: Any) -> bool:
    return getattr(cell, "data_type", None) == "f"


def _find_header(rows: list[tuple[Any, ...]], wanted: str) -> int | None:
    for index, row in enumerate(rows):
        if any(_text(c.value).rstrip("*") == wanted for c in row if c.value is not None):
            return index
    return None


def _read_marker(path: Path, wb: Any) -> dict[str, str]:
    if MARKER_SHEET not in wb.sheetnames:
        raise _fail(
            path,
            "这不是本程序生成的采集表（缺少模板标记）。请用“生成采集表”得到的文件填写后再导入。",
        )
    marker: dict[str, str] = {}
    for row in wb[MARKER_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and row[0] is not None:
            marker[_text(row[0])] = _text(row[1]) if len(row) > 1 and row[1] is not None else ""
    if marker.get("kind") != TEMPLATE_KIND:
        raise _fail(path, "这不是本程序生成的采集表（模板标记不符）。", MARKER_SHEET)
    if marker.get("version") != TEMPLATE_VERSION:
        raise _fail(
            path,
            f"采集表模板版本为“{marker.get('version', '')}”，本程序只能读取版本 {TEMPLATE_VERSION}；"
            "请重新生成采集表。",
            MARKER_SHEET,
        )
    for key, label in (("unit", "填报单位"), ("period", "统计期")):
        if not marker.get(key):
            raise _fail(path, f"模板标记中缺少{label}，文件可能被改动过。", MARKER_SHEET)
    return marker


def _read_activities(path: Path, wb: Any) -> list[RowRecord]:
    if ACTIVITY_SHEET not in wb.sheetnames:
        raise _fail(path, f"缺少工作表“{ACTIVITY_SHEET}”。")
    ws = wb[ACTIVITY_SHEET]
    rows = ws.iter_rows()
    head: list[tuple[Any, ...]] = []
    for _ in range(HEADER_SEARCH_ROWS):
        row = next(rows, None)
        if row is None:
            break
        head.append(row)
    index = _find_header(head, "活动名称")
    if index is None:
        raise _fail(path, "找不到表头行（应有“活动名称”等列）。", ACTIVITY_SHEET)
    columns: dict[int, tuple[str, str, str]] = {}
    for pos, cell in enumerate(head[index]):
        header = _text(cell.value).rstrip("*") if cell.value is not None else ""
        if header in HEADERS:
            key, kind = HEADERS[header]
            columns[pos] = (key, kind, header)
    present = {key for key, _, _ in columns.values()}
    missing = [
        h.rstrip("*")
        for k, h, _, _ in ACTIVITY_COLUMNS
        if k in REQUIRED_ACTIVITY and k not in present
    ]
    if missing:
        raise _fail(path, f"缺少必需的列：{'、'.join(missing)}。", ACTIVITY_SHEET)
    header_row = index + 1
    merges = [
        m
        for m in _merged_ranges(path, ws._worksheet_path)
        if m[1] > header_row  # a merge that reaches into the data rows
    ]
    records: list[RowRecord] = []
    pending = head[index + 1 :]
    scanned = len(head)

    def all_rows():
        yield from pending
        yield from rows

    for row in all_rows():
        scanned += 1
        if scanned > MAX_SCANNED_ROWS:
            raise _fail(
                path,
                f"工作表行数超过 {MAX_SCANNED_ROWS} 行，超出上限；请删除多余的空行或拆分文件。",
                ACTIVITY_SHEET,
            )
        cells = {pos: row[pos] for pos in columns if pos < len(row)}
        if all(c.value is None or _text(c.value) == "" for c in cells.values()):
            continue
        if len(records) >= MAX_ACTIVITY_ROWS:
            raise _fail(
                path,
                f"活动超过 {MAX_ACTIVITY_ROWS} 行，超出单个文件的上限；请按月份拆分成多个文件后分别导入。",
                ACTIVITY_SHEET,
            )
        row_number = next(iter(cells.values())).row
        record = RowRecord(row_number, {})
        for pos, cell in cells.items():
            key, kind, header = columns[pos]
            if cell.value is None or _text(cell.value) == "":
                continue
            if _is_formula(cell):
                record.problems.append(
                    Problem(
                        path.name,
                        ACTIVITY_SHEET,
                        row_number,
                        header,
                        f"单元格是公式（{_text(cell.value)[:30]}），不能导入；请复制后“选择性粘贴—数值”。",
                    )
                )
                continue
            try:
                record.values[key] = _convert(key, kind, cell.value)
            except ValueError as exc:
                record.problems.append(
                    Problem(path.name, ACTIVITY_SHEET, row_number, header, str(exc))
                )
        records.append(record)
    by_row = {r.row: r for r in records}
    headers_by_col = {pos + 1: header for pos, (_, _, header) in columns.items()}
    for r1, r2, c1, _c2, ref in merges:
        first = max(r1, header_row + 1)
        column = headers_by_col.get(c1, "")
        problem = Problem(
            path.name,
            ACTIVITY_SHEET,
            first,
            column,
            f"有合并单元格（{ref}），合并后只有第一格有值；请取消合并并逐行填写。",
        )
        target = by_row.get(first)
        if target is None:
            target = RowRecord(first, {})
            records.append(target)
            by_row[first] = target
        target.problems.append(problem)
        for number in range(first + 1, r2 + 1):
            if number in by_row:
                by_row[number].problems.append(
                    Problem(path.name, ACTIVITY_SHEET, number, column, f"位于合并单元格 {ref} 中。")
                )
    records.sort(key=lambda r: r.row)
    return records


def _read_indicators(path: Path, wb: Any) -> list[RowRecord]:
    if INDICATOR_SHEET not in wb.sheetnames:
        raise _fail(path, f"缺少工作表“{INDICATOR_SHEET}”。")
    ws = wb[INDICATOR_SHEET]
    records: list[RowRecord] = []
    columns: dict[int, str] = {}
    for count, row in enumerate(ws.iter_rows(), start=1):
        if count > MAX_INDICATOR_ROWS:
            raise _fail(
                path, f"指标行数超过 {MAX_INDICATOR_ROWS} 行，文件可能被改动过。", INDICATOR_SHEET
            )
        if not columns:
            labels = {
                pos: _text(c.value).rstrip("*") for pos, c in enumerate(row) if c.value is not None
            }
            if "指标编号" in labels.values() and "本期数值" in labels.values():
                columns = {
                    pos: INDICATOR_HEADERS[t] for pos, t in labels.items() if t in INDICATOR_HEADERS
                }
            continue
        cells = {key: row[pos] for pos, key in columns.items() if pos < len(row)}
        code_cell = cells.get("code")
        if code_cell is None or code_cell.value is None or not _text(code_cell.value):
            continue
        record = RowRecord(code_cell.row, {"code": _text(code_cell.value)})
        name_cell = cells.get("name")
        record.values["name"] = (
            _text(name_cell.value) if name_cell is not None and name_cell.value else ""
        )
        value_cell = cells.get("value")
        if value_cell is not None and value_cell.value is not None and _text(value_cell.value):
            if _is_formula(value_cell):
                record.problems.append(
                    Problem(
                        path.name,
                        INDICATOR_SHEET,
                        record.row,
                        "本期数值",
                        "单元格是公式，不能导入；请复制后“选择性粘贴—数值”。",
                    )
                )
            else:
                try:
                    record.values["value"] = _in_range(
                        "value", parse_amount(value_cell.value, whole=False), ""
                    )
                except ValueError as exc:
                    record.problems.append(
                        Problem(path.name, INDICATOR_SHEET, record.row, "本期数值", str(exc))
                    )
        note_cell = cells.get("note")
        if note_cell is not None and note_cell.value is not None:
            record.values["note"] = _text(note_cell.value)
        records.append(record)
    if not columns:
        raise _fail(path, "找不到表头行（应有“指标编号”“本期数值”列）。", INDICATOR_SHEET)
    return records


def read_collection(path: Path | str) -> CollectionFile:
    """Read one collection workbook; raise CollectionFileError when the file itself is unusable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise _fail(path, f"无法打开文件：{exc.strerror or exc}") from exc
    if size == 0:
        raise _fail(path, "文件是空的（0 字节）。")
    if size > MAX_FILE_BYTES:
        raise _fail(
            path,
            f"文件有 {size // (1024 * 1024)} MB，超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 的上限。",
        )
    _sniff(path, head)
    _check_zip(path)
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    try:
        with path.open("rb") as fh:
            wb = load_workbook(fh, read_only=True, data_only=False)
            try:
                marker = _read_marker(path, wb)
                activities = _read_activities(path, wb)
                indicators = _read_indicators(path, wb)
            finally:
                wb.close()
    except CollectionFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a malformed part
        name = exc.__class__.__name__
        if "Forbidden" in name or "DTD" in name or "Entit" in name:
            raise _fail(path, "文件含有不安全的 XML 内容（实体定义），已拒绝读取。") from exc
        raise _fail(path, f"文件内容已损坏，无法读取（{name}）。") from exc
    return CollectionFile(
        path,
        digest.hexdigest(),
        marker["unit"],
        marker["period"],
        marker.get("plan", ""),
        activities,
        indicators,
    )
