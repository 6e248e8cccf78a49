"""Reporting periods: a year (2024), a quarter (2024Q3) or a month (202407)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from desktop.errors import ValidationError

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-?(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    code: str
    kind: str

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "quarter":
            return f"{self.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.year}年{self.start.month}月"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year), "year")


def parse_period(text: str) -> Period:
    """Parse 2024, 2024Q3 or 202407 / 2024-07; raise ValidationError otherwise."""
    text = text.strip()
    if m := _YEAR.match(text):
        return year_period(int(m[1]))
    if m := _QUARTER.match(text):
        year, q = int(m[1]), int(m[2])
        first = 3 * q - 2
        last_day = calendar.monthrange(year, first + 2)[1]
        return Period(
            date(year, first, 1), date(year, first + 2, last_day), f"{year}Q{q}", "quarter"
        )
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            last_day = calendar.monthrange(year, month)[1]
            return Period(
                date(year, month, 1), date(year, month, last_day), f"{year}{month:02d}", "month"
            )
    raise ValidationError(f"无法识别的统计期“{text}”：请写成 2024、2024Q3 或 202407。", "period")
