"""A lower region's return as read from its workbook: the shape the reader hands the service.

desktop/importing/return_file.py reads the workbook (and refuses one that is
foreign, damaged or edited after export); desktop/services/returns.py checks
it against the upper office's plan and consolidates it. This module is the
one both know.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

INDICATOR, LEDGER = "indicator", "ledger"


@dataclass(frozen=True)
class ReturnRecord:
    """One record of the return's data sheet, its values unrounded."""

    record: str
    code: str
    name: str
    uom: str
    measure: str
    target: float | None
    period_value: float | None
    cumulative: float | None


@dataclass(frozen=True)
class ReturnFile:
    path: Path
    sha256: str
    region: str
    plan_code: str
    period: str
    period_start: date
    period_end: date
    as_of: date
    records: tuple[ReturnRecord, ...]

    @property
    def indicators(self) -> list[ReturnRecord]:
        return [r for r in self.records if r.record == INDICATOR]


@dataclass(frozen=True)
class UnreadableReturn:
    """A file that is not a return this program can take, and why (in Chinese)."""

    path: Path
    message: str
