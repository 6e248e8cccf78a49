"""What an Excel 97–2003 workbook (.xls, and WPS's .et) holds that the cell reader does not tell.

python-calamine reads the values of a .xls, formula cells as their cached
results, and builds every sheet as a dense grid when the file is opened.
One walk of the workbook stream's records (BIFF8, as Excel, WPS and
LibreOffice write it; BIFF5 too, formulas then shown without their text)
gives, for every worksheet, what the import refuses before that happens:
its extent (one value at IV65536 would ask for sixteen million cells) and
its formula cells, each written back as Excel shows it (=SUM(I4:I9)) where
its tokens are the common ones, else as "=…". A workbook with an open
password (FILEPASS) is told apart, so it is refused as such.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from desktop.importing.workbook_file import Cells, column_letter

_BOF, _EOF, _BOUNDSHEET, _FILEPASS, _EXTERNSHEET = 0x0809, 0x000A, 0x0085, 0x002F, 0x0017
_FORMULA, _SHRFMLA, _ARRAY = 0x0006, 0x04BC, 0x0221
# Cells with a value (a blank one, only formatted, the reader skips, and so does the extent).
_SINGLE_CELLS = {0x0203, 0x00FD, 0x027E, 0x0204, 0x0205, 0x00D6}
_MULRK = 0x00BD  # row, first column, …, last column
_BIFF8 = 0x0600
UNKNOWN_FORMULA = "=…"


class XlsError(Exception):
    """The workbook stream does not hold together."""


@dataclass
class XlsBook:
    """Each worksheet's walk by name, in workbook order; `encrypted` if it has an open password."""

    sheets: dict[str, Cells] = field(default_factory=dict)
    encrypted: bool = False


def _records(data: bytes, offset: int):
    end = len(data)
    while offset + 4 <= end:
        kind, length = struct.unpack_from("<HH", data, offset)
        body = data[offset + 4 : offset + 4 + length]
        yield kind, body
        offset += 4 + length


def _sheet_name(body: bytes, biff8: bool) -> str:
    count = body[6]
    if biff8:
        wide = body[7] & 1
        raw = body[8 : 8 + count * (2 if wide else 1)]
        return raw.decode("utf-16-le" if wide else "latin-1", "replace")
    return body[7 : 7 + count].decode("gbk", "replace")


def read_book(stream: bytes) -> XlsBook:
    """Walk the globals for the sheets, then each worksheet's records."""
    book = XlsBook()
    if len(stream) < 8 or struct.unpack_from("<H", stream, 0)[0] not in (_BOF, 0x0409, 0x0209):
        raise XlsError("no BOF")
    version = struct.unpack_from("<H", stream, 4)[0]
    biff8 = version == _BIFF8
    sheets: list[tuple[str, int, int]] = []
    xti: list[int] = []
    for kind, body in _records(stream, 0):
        if kind == _EOF:
            break
        if kind == _FILEPASS:
            book.encrypted = True
            return book
        if kind == _BOUNDSHEET and len(body) >= 8:
            position = struct.unpack_from("<I", body, 0)[0]
            sheets.append((_sheet_name(body, biff8), position, body[5]))
        elif kind == _EXTERNSHEET and biff8 and len(body) >= 2:
            count = struct.unpack_from("<H", body, 0)[0]
            xti = [
                struct.unpack_from("<H", body, 2 + 6 * i + 2)[0]
                for i in range(count)
                if 2 + 6 * i + 6 <= len(body)
            ]
    names = [name for name, _, _ in sheets]
    for name, position, sheet_type in sheets:
        if sheet_type == 0 and 0 < position < len(stream):
            book.sheets[name] = _walk_sheet(stream, position, biff8, names, xti)
    return book


def _walk_sheet(stream: bytes, offset: int, biff8: bool, names: list[str], xti: list[int]) -> Cells:
    found = Cells()
    pending: list[tuple[int, int, bytes]] = []
    groups: dict[tuple[int, int], tuple[int, int, bytes]] = {}
    for kind, body in _records(
        stream, offset + 4 + struct.unpack_from("<H", stream, offset + 2)[0]
    ):
        if kind == _EOF:
            break
        if kind in _SINGLE_CELLS or kind == _FORMULA:
            if len(body) < 4:
                continue
            row, column = struct.unpack_from("<HH", body, 0)
            found.last_row = max(found.last_row, row + 1)
            found.last_column = max(found.last_column, column + 1)
            if kind == _FORMULA and len(body) >= 22:
                size = struct.unpack_from("<H", body, 20)[0]
                pending.append((row, column, body[22 : 22 + size]))
        elif kind == _MULRK and len(body) >= 6:
            row = struct.unpack_from("<H", body, 0)[0]
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            found.last_row = max(found.last_row, row + 1)
            found.last_column = max(found.last_column, last + 1)
        elif kind in (_SHRFMLA, _ARRAY):
            start = 8 if kind == _SHRFMLA else 12
            if len(body) >= start + 2:
                first_row, first_column = struct.unpack_from("<H", body, 0)[0], body[4]
                size = struct.unpack_from("<H", body, start)[0]
                groups[(first_row, first_column)] = (
                    first_row,
                    first_column,
                    body[start + 2 : start + 2 + size],
                )
    for row, column, tokens in pending:
        text = None
        if biff8:
            text = Formula(tokens, row, column, names, xti, groups).text()
        found.formulas[(row + 1, column + 1)] = text or UNKNOWN_FORMULA
    return found


_BINARY = {
    0x03: "+", 0x04: "-", 0x05: "*", 0x06: "/", 0x07: "^", 0x08: "&", 0x09: "<", 0x0A: "<=",
    0x0B: "=", 0x0C: ">=", 0x0D: ">", 0x0E: "<>", 0x0F: " ", 0x10: ",", 0x11: ":",
}  # fmt: skip
_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
           0x24: "#NUM!", 0x2A: "#N/A"}  # fmt: skip
# Built-in functions by their BIFF number: name and, for a fixed number of arguments, that number.
_FUNCTIONS: dict[int, tuple[str, int | None]] = {
    0: ("COUNT", None), 1: ("IF", None), 2: ("ISNA", 1), 3: ("ISERROR", 1), 4: ("SUM", None),
    5: ("AVERAGE", None), 6: ("MIN", None), 7: ("MAX", None), 8: ("ROW", None),
    9: ("COLUMN", None), 10: ("NA", 0), 19: ("PI", 0), 20: ("SQRT", 1), 24: ("ABS", 1),
    25: ("INT", 1), 26: ("SIGN", 1), 27: ("ROUND", 2), 28: ("LOOKUP", None),
    29: ("INDEX", None), 31: ("MID", 3), 32: ("LEN", 1), 33: ("VALUE", 1), 34: ("TRUE", 0),
    35: ("FALSE", 0), 36: ("AND", None), 37: ("OR", None), 38: ("NOT", 1), 39: ("MOD", 2),
    48: ("TEXT", 2), 63: ("RAND", 0), 65: ("DATE", 3), 67: ("DAY", 1), 68: ("MONTH", 1),
    69: ("YEAR", 1), 70: ("WEEKDAY", None), 74: ("NOW", 0), 100: ("CHOOSE", None),
    101: ("HLOOKUP", None), 102: ("VLOOKUP", None), 111: ("CHAR", 1), 115: ("LEFT", None),
    116: ("RIGHT", None), 118: ("TRIM", 1), 120: ("SUBSTITUTE", None), 124: ("FIND", None),
    128: ("ISNUMBER", 1), 129: ("ISBLANK", 1), 140: ("DATEVALUE", 1), 169: ("COUNTA", None),
    183: ("PRODUCT", None), 197: ("TRUNC", None), 212: ("ROUNDUP", 2), 213: ("ROUNDDOWN", 2),
    221: ("TODAY", 0), 227: ("MEDIAN", None), 228: ("SUMPRODUCT", None),
    336: ("CONCATENATE", None), 337: ("POWER", 2), 344: ("SUBTOTAL", None),
    345: ("SUMIF", None), 346: ("COUNTIF", None), 347: ("COUNTBLANK", 1),
}  # fmt: skip


class _Unknown(Exception):
    """A token this decoder does not write back as text."""


class Formula:
    """A BIFF8 formula's tokens (reverse Polish) written back as Excel shows it."""

    def __init__(
        self,
        tokens: bytes,
        row: int,
        column: int,
        names: list[str],
        xti: list[int],
        groups: dict[tuple[int, int], tuple[int, int, bytes]],
    ) -> None:
        self.tokens, self.row, self.column = tokens, row, column
        self.names, self.xti, self.groups = names, xti, groups

    def text(self) -> str | None:
        try:
            return "=" + self._decode(self.tokens, shared=False)
        except (_Unknown, struct.error, IndexError):
            return None

    def _ref(self, row: int, flags: int, shared: bool) -> str:
        column = flags & 0xFF
        row_relative, column_relative = bool(flags & 0x8000), bool(flags & 0x4000)
        if shared:
            if row_relative:
                row = self.row + (row - 0x10000 if row & 0x8000 else row)
            if column_relative:
                column = self.column + (column - 0x100 if column & 0x80 else column)
        return (
            ("" if column_relative else "$")
            + column_letter(column + 1)
            + ("" if row_relative else "$")
            + str(row + 1)
        )

    def _sheet(self, index: int) -> str:
        if index >= len(self.xti) or self.xti[index] >= len(self.names):
            raise _Unknown
        return self.names[self.xti[index]] + "!"

    def _decode(self, tokens: bytes, shared: bool) -> str:
        stack: list[str] = []
        at = 0
        while at < len(tokens):
            ptg = tokens[at]
            base = ptg if ptg < 0x20 else 0x20 | (ptg & 0x1F)
            at += 1
            if base in _BINARY:
                right, left = stack.pop(), stack.pop()
                stack.append(f"{left}{_BINARY[base]}{right}")
            elif base in (0x12, 0x13):
                stack.append(("+" if base == 0x12 else "-") + stack.pop())
            elif base == 0x14:
                stack.append(stack.pop() + "%")
            elif base == 0x15:
                stack.append(f"({stack.pop()})")
            elif base == 0x16:
                stack.append("")
            elif base == 0x17:
                count, wide = tokens[at], tokens[at + 1] & 1
                raw = tokens[at + 2 : at + 2 + count * (2 if wide else 1)]
                text = raw.decode("utf-16-le" if wide else "latin-1")
                stack.append('"' + text.replace('"', '""') + '"')
                at += 2 + len(raw)
            elif base == 0x19:
                kind = tokens[at]
                if kind & 0x10:
                    stack.append(f"SUM({stack.pop()})")
                if kind & 0x04:
                    at += 2 * (struct.unpack_from("<H", tokens, at + 1)[0] + 1)
                at += 3
            elif base == 0x1C:
                stack.append(_ERRORS.get(tokens[at], "#N/A"))
                at += 1
            elif base == 0x1D:
                stack.append("TRUE" if tokens[at] else "FALSE")
                at += 1
            elif base == 0x1E:
                stack.append(str(struct.unpack_from("<H", tokens, at)[0]))
                at += 2
            elif base == 0x1F:
                number = struct.unpack_from("<d", tokens, at)[0]
                stack.append(str(int(number)) if number.is_integer() else repr(number))
                at += 8
            elif base == 0x01:
                key = struct.unpack_from("<HH", tokens, at)
                if key not in self.groups:
                    raise _Unknown
                stack.append(self._decode(self.groups[key][2], shared=True))
                at += 4
            elif base in (0x21, 0x22):
                if base == 0x21:
                    number, count = struct.unpack_from("<H", tokens, at)[0], None
                    at += 2
                else:
                    count, number = tokens[at] & 0x7F, struct.unpack_from("<H", tokens, at + 1)[0]
                    at += 3
                name, fixed = _FUNCTIONS.get(number & 0x7FFF, ("", None))
                count = fixed if count is None else count
                if not name or count is None or count > len(stack):
                    raise _Unknown
                args = stack[len(stack) - count :] if count else []
                del stack[len(stack) - count :]
                stack.append(f"{name}({','.join(args)})")
            elif base in (0x24, 0x2C):
                row, flags = struct.unpack_from("<HH", tokens, at)
                stack.append(self._ref(row, flags, base == 0x2C))
                at += 4
            elif base in (0x25, 0x2D):
                r1, r2, f1, f2 = struct.unpack_from("<HHHH", tokens, at)
                relative = base == 0x2D
                stack.append(f"{self._ref(r1, f1, relative)}:{self._ref(r2, f2, relative)}")
                at += 8
            elif base == 0x3A:
                index, row, flags = struct.unpack_from("<HHH", tokens, at)
                stack.append(self._sheet(index) + self._ref(row, flags, shared))
                at += 6
            elif base == 0x3B:
                index, r1, r2, f1, f2 = struct.unpack_from("<HHHHH", tokens, at)
                first, second = self._ref(r1, f1, shared), self._ref(r2, f2, shared)
                stack.append(f"{self._sheet(index)}{first}:{second}")
                at += 10
            elif base in (0x2A, 0x2B):
                stack.append("#REF!")
                at += 4 if base == 0x2A else 8
            elif base in (0x26, 0x27, 0x28):
                at += 6  # the subexpression that follows is decoded as it comes
            elif base in (0x29, 0x2E, 0x2F):
                at += 2
            else:
                raise _Unknown
        if len(stack) != 1:
            raise _Unknown
        return stack[0]
