"""Writing one workbook cell: the rule every workbook writer shares.

A string is always text, never a formula (a title such as "=1+1" or
"+电商直播培训" stays as typed), and it loses what a workbook cannot hold —
control characters and half surrogate pairs that text stored by an older
version may still carry — so no stored text can stop an export.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell

from desktop.cleaning import writable

FORMULA_START = ("=", "+", "-", "@")


def put_value(cell: Cell, value: Any) -> Cell:
    if isinstance(value, str):
        if not value.isprintable():  # all writable() removes is unprintable; most text has none
            value = writable(value)
        cell.value = value
        quoted = value.startswith(FORMULA_START)
        if value:
            cell.data_type = "s"
        # The prefix follows the text: a cell written again (a streamed row's
        # cells are) loses the prefix an earlier text needed.
        if quoted or cell.quotePrefix:
            cell.quotePrefix = quoted
    else:
        cell.value = value
    return cell
