"""What reading a collection workbook yields: its rows as values, each with its problems.

The reader (desktop/importing/collection_workbook.py) builds these from a
file; the imports service (desktop/services/imports.py) checks them against
the database and writes them. Plain data, so neither needs the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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
