"""What an OpenDocument spreadsheet (.ods) holds that the cell reader does not tell.

python-calamine reads an .ods whole when it is opened — every sheet as a
dense grid — shows formula cells as their cached results, and does not
report merged cells. One streaming walk of content.xml (through
defusedxml) gives, for every sheet, what the import needs before that:
the extent of the cells that hold something (a cell repeated across
sixteen thousand columns is sixteen thousand cells), the formula cells —
written back as Excel shows them (of:=SUM([.I4:.I9]) becomes =SUM(I4:I9)) so
the message is the one an .xlsx gets — the merged ranges, and the literal
digits of a number too large for a float.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from desktop.importing.workbook_file import Cells, column_letter

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
_NAMESPACE_PREFIX = re.compile(r"^[A-Za-z]+:(?==)")
_BRACKETED = re.compile(r"\[([^\]]*)\]")
_FLOAT_DIGITS = 308
_ROWS_AT_MOST = 10_000_000  # past the sheet limit either way; stops a repeat count from looping


def excel_formula(text: str) -> str:
    """An ODF formula (of:=SUM([.I4:.I9]); [$活动.A1]) in the form Excel shows (=SUM(I4:I9))."""

    def reference(match: re.Match[str]) -> str:
        parts = []
        for part in match[1].split(":"):
            sheet, _, cell = part.rpartition(".")
            sheet = sheet.lstrip("$").strip("'")
            parts.append(f"{sheet}!{cell}" if sheet else cell)
        return ":".join(parts)

    body = _NAMESPACE_PREFIX.sub("", text, count=1)
    return _BRACKETED.sub(reference, body).replace(";", ",")


def _count(element: object, name: str) -> int:
    try:
        return max(1, int(element.get(f"{_TABLE}{name}") or 1))  # type: ignore[attr-defined]
    except ValueError:
        return 1


def read_sheets(path: Path) -> dict[str, Cells]:
    """Each sheet's walk by name, in the file's order."""
    from defusedxml.ElementTree import iterparse

    sheets: dict[str, Cells] = {}
    found = Cells(merges=[])
    row = column = 0
    row_cells: list[tuple[int, int, str | None, str | None, bool]] = []
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as stream:
        for event, element in iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_TABLE}table":
                    found = Cells(merges=[])
                    sheets[element.get(f"{_TABLE}name", "")] = found
                    row = 0
                elif tag == f"{_TABLE}table-row":
                    column, row_cells = 0, []
                continue
            if tag in _CELLS:
                repeat = _count(element, "number-columns-repeated")
                formula = element.get(f"{_TABLE}formula")
                value = element.get(f"{_OFFICE}value")
                kind = element.get(f"{_OFFICE}value-type")
                filled = kind is not None or formula is not None or len(element) > 0
                if filled:
                    row_cells.append(
                        (column, repeat, formula, value if kind == "float" else None, True)
                    )
                columns = _count(element, "number-columns-spanned")
                rows = _count(element, "number-rows-spanned")
                if tag == _CELLS[0] and (columns > 1 or rows > 1):
                    first = f"{column_letter(column + 1)}{row + 1}"
                    last = f"{column_letter(column + columns)}{row + rows}"
                    found.merges.append(  # type: ignore[union-attr]
                        (row + 1, row + rows, column + 1, column + columns, f"{first}:{last}")
                    )
                column += repeat
                element.clear()
            elif tag == f"{_TABLE}table-row":
                repeat = min(_count(element, "number-rows-repeated"), _ROWS_AT_MOST)
                if row_cells:
                    _place(found, row, repeat, row_cells)
                row += repeat
                element.clear()
    return sheets


def _place(
    found: Cells, row: int, repeat: int, cells: list[tuple[int, int, str | None, str | None, bool]]
) -> None:
    """A row's cells that hold something, as many times as the row is repeated."""
    last = max(column + count for column, count, *_ in cells)
    found.last_row = max(found.last_row, row + repeat)
    found.last_column = max(found.last_column, last)
    for column, count, formula, value, _ in cells:
        huge = value is not None and len(value.strip()) > _FLOAT_DIGITS
        if formula is None and not huge:
            continue
        for r in range(row + 1, row + 1 + min(repeat, _ROWS_AT_MOST)):
            for c in range(column + 1, column + 1 + count):
                if formula is not None:
                    found.formulas[(r, c)] = excel_formula(formula)
                if huge:
                    found.numbers[(r, c)] = value.strip()  # type: ignore[union-attr]
