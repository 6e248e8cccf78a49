"""Reading a filled-in collection workbook back, defensively and fast.

A file from a member unit may be anything: empty, truncated, an old .xls or
a CSV renamed to .xlsx, a workbook from another template, or hostile (a zip
bomb, an XML entity bomb, a million rows). The file is checked as bytes
first (desktop/importing/workbook_file.py), so a bad file costs a message,
never a crash, a hang or the machine's memory. The cells are then read by
python-calamine (the Rust calamine reader): it parses a sheet of 100,000
rows in about a second, where openpyxl takes ten or more. What calamine does
not tell — which cells hold formulas, the literal digits of a number too
large for a float — comes from the same file's XML, looked at only where
it is needed. The hidden marker sheet must name this program's template
and version. The limits on one file (rows, extent) are in desktop/limits.py.

Formulas are refused, not evaluated: a cached result may be missing or stale
(files saved by other programs often carry none), so a formula cell is
reported and the unit is asked to paste values instead. Merged cells inside
the data area are refused too: only their first cell holds a value, so
merging would silently blank the others.

Cell values are turned into Python values here (dates as date cells, Excel
serial numbers or in the common Chinese forms 2024-05-18, 2024/5/18,
2024.5.18, 2024年5月18日; whole numbers; decimals, also 1.2万), each failure
a Problem naming file, sheet, row and column (desktop/collection_rows.py).
Matching names against the database is the imports service's job: the files
read here are handed to it (`import_workbooks`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.collection_layout import (
    ACTIVITY_COLUMNS,
    ACTIVITY_SHEET,
    HEADER_OF,
    INDICATOR_COLUMNS,
    INDICATOR_SHEET,
    MARKER_SHEET,
    REQUIRED_ACTIVITY,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
)
from desktop.collection_rows import CollectionFile, Problem, RowRecord
from desktop.errors import ServiceError, ValidationError
from desktop.importing.cell_text import cell_text
from desktop.importing.file_kind import FileKind
from desktop.importing.sheet_facts import SheetFacts
from desktop.importing.workbook_file import FileRefused, check_file, column_letter
from desktop.limits import FILE_LIMITS, checked
from desktop.numbers import parse_number

if TYPE_CHECKING:
    from desktop.services.import_pass import Report
    from desktop.services.imports import ImportResult, ImportService

MAX_ACTIVITY_ROWS = int(FILE_LIMITS["activity_rows"].high)
MAX_INDICATOR_ROWS = int(FILE_LIMITS["indicator_rows"].high)
HEADER_SEARCH_ROWS = 10
MARKER_ROWS = 20

_DATE_TEXT = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.．]|年)\s*(\d{1,2})\s*(?:[-/.．]|月)\s*(\d{1,2})\s*日?\s*$"
)
_SPLIT = re.compile(r"[、,，;；\n]+")
# Excel serial numbers of 2000-01-01 and 2099-12-31: a bare number in a date column.
_SERIAL_RANGE = (36526, 73050)
_EXCEL_EPOCH = date(1899, 12, 30)


class CollectionFileError(ServiceError):
    """The whole file cannot be read; `problem` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


HEADERS = {HEADER_OF[key]: (key, kind) for key, _, kind, _ in ACTIVITY_COLUMNS}
INDICATOR_HEADERS = {header.rstrip("*"): key for key, header, _ in INDICATOR_COLUMNS}


def _fail(path: Path, message: str, sheet: str = "") -> CollectionFileError:
    return CollectionFileError(Problem(path.name, sheet, None, "", message))


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
        return [item.strip() for item in _SPLIT.split(cell_text(value)) if item.strip()]
    return cell_text(value)


def _blank(value: Any) -> bool:
    """Nothing in the cell: the reader gives "" for an empty cell; spaces count as nothing."""
    return value is None or (value.__class__ is str and not value.strip())


class _Sheet:
    """One worksheet as calamine reads it, with what only the file itself tells (sheet_facts.py).

    `rows` are lists of values from column A, row 1 first; `formulas` are
    the formula cells by (row, column), as "=…".
    """

    def __init__(self, book: Any, facts: SheetFacts, name: str, nrows: int | None = None) -> None:
        self.name, self.facts = name, facts
        cells = facts.cells(name)
        self.formulas = cells.formulas
        self._huge: dict[tuple[int, int], str] | None = None
        sheet = book.get_sheet_by_name(name)
        self.rows: list[list[Any]] = sheet.to_python(skip_empty_area=False, nrows=nrows)
        if cells.merges is not None:
            self.merges = cells.merges
        else:
            self.merges = [
                (
                    r1 + 1,
                    r2 + 1,
                    c1 + 1,
                    c2 + 1,
                    f"{column_letter(c1 + 1)}{r1 + 1}:{column_letter(c2 + 1)}{r2 + 1}",
                )
                for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []
            ]

    def number(self, row: int, column: int, value: Any) -> Any:
        """A number cell's value; one too large for a float comes back as the exact integer written.

        The reader turns the digits of a huge whole number into infinity, which
        would be refused as "not a number" instead of "too large".
        """
        if not (isinstance(value, float) and math.isinf(value)):
            return value
        if self._huge is None:
            self._huge = self.facts.huge_numbers(self.name)
        digits = self._huge.get((row, column), "")
        if digits.isdigit():
            try:
                return int(digits)
            except ValueError:  # more digits than Python turns into an int
                return value
        return value


def _find_header(rows: list[list[Any]], wanted: str) -> int | None:
    for index, row in enumerate(rows):
        if any(cell_text(v).rstrip("*") == wanted for v in row if not _blank(v)):
            return index
    return None


def _formula_problem(path: Path, sheet: str, row: int, column: str, formula: str) -> Problem:
    return Problem(
        path.name,
        sheet,
        row,
        column,
        f"单元格是公式（{formula[:30]}），不能导入；请复制后“选择性粘贴—数值”。",
    )


def _read_marker(path: Path, book: Any, facts: SheetFacts) -> dict[str, str]:
    if MARKER_SHEET not in book.sheet_names:
        raise _fail(
            path,
            "这不是本程序生成的采集表（缺少模板标记）。请用“生成采集表”得到的文件填写后再导入。",
        )
    marker: dict[str, str] = {}
    for row in _Sheet(book, facts, MARKER_SHEET, nrows=MARKER_ROWS).rows:
        if row and not _blank(row[0]):
            marker[cell_text(row[0])] = (
                cell_text(row[1]) if len(row) > 1 and not _blank(row[1]) else ""
            )
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


def _read_activities(path: Path, book: Any, facts: SheetFacts) -> list[RowRecord]:
    if ACTIVITY_SHEET not in book.sheet_names:
        raise _fail(path, f"缺少工作表“{ACTIVITY_SHEET}”。")
    sheet = _Sheet(book, facts, ACTIVITY_SHEET)
    index = _find_header(sheet.rows[:HEADER_SEARCH_ROWS], "活动名称")
    if index is None:
        raise _fail(path, "找不到表头行（应有“活动名称”等列）。", ACTIVITY_SHEET)
    columns: dict[int, tuple[str, str, str]] = {}
    for pos, value in enumerate(sheet.rows[index]):
        header = cell_text(value).rstrip("*") if not _blank(value) else ""
        if header in HEADERS:
            key, kind = HEADERS[header]
            columns[pos] = (key, kind, header)
    present = {key for key, _, _ in columns.values()}
    missing = [HEADER_OF[key] for key in REQUIRED_ACTIVITY if key not in present]
    if missing:
        raise _fail(path, f"缺少必需的列：{'、'.join(missing)}。", ACTIVITY_SHEET)
    header_row = index + 1
    merges = [m for m in sheet.merges if m[1] > header_row]  # reaching into the data rows
    formulas = sheet.formulas
    records: list[RowRecord] = []
    for row_number, values in enumerate(sheet.rows[header_row:], start=header_row + 1):
        cells = {pos: values[pos] for pos in columns if pos < len(values)}
        if all(_blank(v) and (row_number, pos + 1) not in formulas for pos, v in cells.items()):
            continue
        if len(records) >= MAX_ACTIVITY_ROWS:
            raise _fail(
                path,
                f"活动超过 {MAX_ACTIVITY_ROWS} 行（{FILE_LIMITS['activity_rows'].why}），"
                "超出单个文件的上限；请按月份拆分成多个文件后分别导入。",
                ACTIVITY_SHEET,
            )
        record = RowRecord(row_number, {})
        for pos, value in cells.items():
            key, kind, header = columns[pos]
            formula = formulas.get((row_number, pos + 1)) if formulas else None
            if formula is not None:
                record.problems.append(
                    _formula_problem(path, ACTIVITY_SHEET, row_number, header, formula)
                )
                continue
            if _blank(value):
                continue
            try:
                record.values[key] = _convert(key, kind, sheet.number(row_number, pos + 1, value))
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


def _read_indicators(path: Path, book: Any, facts: SheetFacts) -> list[RowRecord]:
    if INDICATOR_SHEET not in book.sheet_names:
        raise _fail(path, f"缺少工作表“{INDICATOR_SHEET}”。")
    sheet = _Sheet(book, facts, INDICATOR_SHEET)
    if len(sheet.rows) > MAX_INDICATOR_ROWS:
        raise _fail(
            path, f"指标行数超过 {MAX_INDICATOR_ROWS} 行，文件可能被改动过。", INDICATOR_SHEET
        )
    records: list[RowRecord] = []
    columns: dict[int, str] = {}
    for row_number, row in enumerate(sheet.rows, start=1):
        if not columns:
            labels = {pos: cell_text(v).rstrip("*") for pos, v in enumerate(row) if not _blank(v)}
            if "指标编号" in labels.values() and "本期数值" in labels.values():
                columns = {
                    pos: INDICATOR_HEADERS[t] for pos, t in labels.items() if t in INDICATOR_HEADERS
                }
            continue
        cells = {key: (pos, row[pos]) for pos, key in columns.items() if pos < len(row)}
        code = cells.get("code", (0, None))[1]
        if _blank(code):
            continue
        record = RowRecord(row_number, {"code": cell_text(code)})
        name = cells.get("name", (0, None))[1]
        record.values["name"] = cell_text(name) if not _blank(name) else ""
        pos, value = cells.get("value", (0, None))
        formula = sheet.formulas.get((row_number, pos + 1)) if "value" in cells else None
        if formula is not None:
            record.problems.append(
                _formula_problem(path, INDICATOR_SHEET, row_number, "本期数值", formula)
            )
        elif not _blank(value):
            try:
                record.values["value"] = _in_range(
                    "value",
                    parse_amount(sheet.number(row_number, pos + 1, value), whole=False),
                    "",
                )
            except ValueError as exc:
                record.problems.append(
                    Problem(path.name, INDICATOR_SHEET, row_number, "本期数值", str(exc))
                )
        note = cells.get("note", (0, None))[1]
        if note is not None and note != "":
            record.values["note"] = cell_text(note)
        records.append(record)
    if not columns:
        raise _fail(path, "找不到表头行（应有“指标编号”“本期数值”列）。", INDICATOR_SHEET)
    return records


def _open(path: Path, kind: FileKind) -> Any:
    """The cell reader on the file: by its path where the suffix names its kind (the reader
    picks its format by the suffix), else from its bytes (an .xls named .xlsx, or an .et)."""
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() in kind.suffixes and path.suffix.lower() != ".et":
        return CalamineWorkbook.from_path(str(path))
    with path.open("rb") as fh:
        return CalamineWorkbook.from_filelike(fh)


def read_collection(path: Path | str) -> CollectionFile:
    """Read one collection workbook (.xlsx, .xls, .et holding an .xls, or .ods);
    raise CollectionFileError when the file itself is unusable."""
    path = Path(path)
    try:
        checked_file = check_file(path)
        kind = checked_file.kind
        facts = SheetFacts(path, kind)
        with _open(path, kind) as book:
            marker = _read_marker(path, book, facts)
            activities = _read_activities(path, book, facts)
            indicators = _read_indicators(path, book, facts)
    except FileRefused as exc:
        raise _fail(path, exc.message, exc.sheet) from exc
    except CollectionFileError:
        raise
    except Exception as exc:  # the reader and the XML parsers raise many kinds on a malformed part
        name = exc.__class__.__name__
        if "Forbidden" in name or "DTD" in name or "Entit" in name:
            raise _fail(path, "文件含有不安全的 XML 内容（实体定义），已拒绝读取。") from exc
        raise _fail(path, f"文件内容已损坏，无法读取（{name}）。") from exc
    return CollectionFile(
        path,
        checked_file.sha256,
        marker["unit"],
        marker["period"],
        marker.get("plan", ""),
        activities,
        indicators,
    )


def read_collections(paths: Sequence[Path | str]) -> tuple[list[CollectionFile], list[Problem]]:
    """Read each file; one that cannot be read at all comes back as its one problem."""
    read: list[CollectionFile] = []
    unreadable: list[Problem] = []
    for path in paths:
        try:
            read.append(read_collection(path))
        except CollectionFileError as exc:
            unreadable.append(exc.problem)
    return read, unreadable


def import_workbooks(
    imports: ImportService,
    paths: Sequence[Path | str],
    dry_run: bool = False,
    valid_only: bool = False,
    progress: Report | None = None,
) -> ImportResult:
    """Read collection workbooks and import them as one transaction (ImportService.import_files)."""
    read, unreadable = read_collections(paths)
    return imports.import_files(
        read, unreadable, dry_run=dry_run, valid_only=valid_only, progress=progress
    )
