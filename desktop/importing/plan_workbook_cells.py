"""Reading the plan workbook's cells: text, numbers, years and labelled codes.

An office edits the workbook in Excel or WPS, so a cell may hold a number
where text was meant, a date, a formula or a label typed by hand (县, ≥).
Each cell is read leniently where the meaning is plain and refused where it
is not; a refusal is remembered with its sheet, row and column and the value
becomes BAD, so the plan checks say nothing more about that place.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.importing.cell_text import cell_text
from desktop.plan.validation import BAD, Problem, is_number, is_year
from desktop.plan.vocabulary import (
    COMPARATOR_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    MEASURE_LABELS,
    METRIC_LABELS,
    ROLE_LABELS,
    SOURCE_LABELS,
    TARGET_MODE_LABELS,
)


def _reverse(labels: dict[str, str]) -> dict[str, str]:
    out = {code: code for code in labels}
    out.update({label: code for code, label in labels.items()})
    return out


LEVEL_CODES = _reverse(LEVEL_LABELS) | {
    "县": "county",
    "区": "county",
    "市": "city",
    "地级市": "city",
}
KIND_CODES = _reverse(KIND_LABELS) | {"行动": "action", "工程": "project"}
ROLE_CODES = _reverse(ROLE_LABELS) | {"配合": "cooperating", "责任": "cooperating", "主责": "lead"}
MEASURE_CODES = _reverse(MEASURE_LABELS)
MODE_CODES = _reverse(TARGET_MODE_LABELS)
COMPARATOR_CODES = _reverse(COMPARATOR_LABELS) | {
    "≥": ">=",
    "≤": "<=",
    "不少于": ">=",
    "不超过": "<=",
}
SOURCE_CODES = _reverse(SOURCE_LABELS)
METRIC_CODES = _reverse(METRIC_LABELS)
_LIST = re.compile(r"[、,，;；\n]+")


@dataclass(frozen=True)
class Spot:
    """A cell's place as the user finds it in Excel: sheet, row, column letter and header."""

    sheet: str
    row: int
    column: int | None = None
    header: str | None = None

    def __str__(self) -> str:
        text = f"工作表“{self.sheet}”第 {self.row} 行"
        if self.column is not None:
            text += f" {get_column_letter(self.column)} 列"
            if self.header:
                text += f"（{self.header}）"
        return text


def split_list(text: str) -> list[str]:
    """The items of a list cell, however the office separated them (、 , ; or new lines)."""
    return [item.strip() for item in _LIST.split(text) if item.strip()]


class CellReader:
    """Reads cells and keeps every fault found, in the order met."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, spot: Spot, message: str) -> None:
        self.problems.append(Problem(str(spot), message))

    def _formula(self, cell: Cell, spot: Spot) -> bool:
        if cell.data_type == "f":
            self.bad(spot, "单元格是公式，请直接填写内容。")
            return True
        return False

    def text(self, cell: Cell, spot: Spot) -> Any:
        if self._formula(cell, spot):
            return BAD
        return "" if cell.value is None else cell_text(cell.value)

    def number(self, cell: Cell, spot: Spot) -> Any:
        if self._formula(cell, spot):
            return BAD
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if is_number(value):
            return value
        try:
            number = float(str(value).strip().replace(",", "").replace("，", ""))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.bad(spot, f"“{value}”不是数字。")
            return BAD
        return int(number) if number.is_integer() else number

    def year(self, cell: Cell, spot: Spot) -> Any:
        value = self.number(cell, spot)
        if value is None or value is BAD:
            return value
        if not float(value).is_integer() or not is_year(int(value)):
            self.bad(spot, f"“{cell.value}”不是四位年份。")
            return BAD
        return int(value)

    def coded(self, cell: Cell, spot: Spot, codes: dict[str, str], what: str) -> Any:
        text = self.text(cell, spot)
        if text is BAD or text == "":
            return None if text == "" else BAD
        code = codes.get(text) or codes.get(text.lower())
        if code is None:
            choices = "、".join(dict.fromkeys(k for k in codes if not k.isascii()))
            self.bad(spot, f"{what}“{text}”无效，应为：{choices}。")
            return BAD
        return code

    def headers(self, ws: Worksheet, required: list[str]) -> dict[str, int] | None:
        """Each header's column, found by name (an office may reorder them); None if one is missing."""
        found: dict[str, int] = {}
        for cell in ws[1]:
            if isinstance(cell.value, str) and cell.value.strip():
                found.setdefault(cell.value.strip(), cell.column)
        missing = [h for h in required if h not in found]
        for header in missing:
            self.bad(Spot(ws.title, 1), f"缺少列“{header}”。")
        return None if missing else found

    @staticmethod
    def rows(ws: Worksheet) -> list[tuple[int, tuple[Cell, ...]]]:
        """The rows below the header that hold anything, each as wide as the header.

        Only cells that exist are looked at: one stray entry in cell XFD1048576
        makes the sheet's dimensions 17 billion cells, which must not be walked.
        """
        filled: set[int] = set()
        for (row, _col), cell in ws._cells.items():  # noqa: SLF001
            if row >= 2 and cell.value not in (None, ""):
                filled.add(row)
        headers = [
            col
            for (row, col), cell in ws._cells.items()  # noqa: SLF001
            if row == 1 and cell.value not in (None, "")
        ]
        width = max([2, *headers])
        return [(r, tuple(ws.cell(r, c) for c in range(1, width + 1))) for r in sorted(filled)]
