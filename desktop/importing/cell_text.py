"""A workbook cell's value as the text a reader compares: what the clerk sees in the cell.

A date cell reads as 2024-05-18, a whole number stored as a float (Excel
stores every number so) as 12 rather than 12.0, anything else as its text
without the spaces around it. The collection workbook's reader and the plan
workbook's reader both read cells this way.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def cell_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
