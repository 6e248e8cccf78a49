"""Per sheet, what the cell reader does not tell — the same facts whatever suite saved the file.

python-calamine gives the values of an .xlsx, .xls or .ods alike. The
import also needs each sheet's formula cells, its extent (checked before
the reader builds the sheet as a dense grid), its merged ranges and the
literal digits of a number too large for a float. Where those come from
depends on the kind:

- .xlsx: the reader opens one sheet at a time, so each sheet's XML is
  streamed when that sheet is read, and walked cell by cell only where the
  stream shows a formula or a far cell (the fast path, workbook_file.py);
  merged ranges come from the reader;
- .xls (and WPS .et): the reader builds every sheet when the file is
  opened, so the workbook stream is walked once before that, every
  worksheet checked (xls_cells.py); merged ranges come from the reader;
  a float cannot hold more digits than it holds, so there are no huge ones;
- .ods: likewise walked once before the reader opens it (ods_cells.py),
  merged ranges included.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

from desktop.importing.file_kind import FileKind
from desktop.importing.ole_file import OleError, OleFile
from desktop.importing.workbook_file import (
    Cells,
    FileRefused,
    beyond_limits,
    needs_walk,
    sheet_parts,
    walk,
)


class SheetFacts:
    """The facts of every sheet of one checked workbook file."""

    def __init__(self, path: Path, kind: FileKind) -> None:
        self.path, self.kind = path, kind
        self._parts: dict[str, str] = {}
        self._sheets: dict[str, Cells] = {}
        if kind is FileKind.XLSX:
            self._parts = sheet_parts(path)
        elif kind is FileKind.XLS:
            self._sheets = _xls_sheets(path, kind)
        else:
            from desktop.importing.ods_cells import read_sheets

            try:
                self._sheets = read_sheets(path)
            except (zipfile.BadZipFile, zlib.error, ParseError, KeyError, EOFError) as exc:
                raise FileRefused(f"{kind.label}文件已损坏，无法读取。") from exc
        for name, cells in self._sheets.items():
            _within_limits(name, cells)

    def cells(self, name: str) -> Cells:
        """The sheet's formulas and extent, refused when it lies past the limits."""
        if self.kind is not FileKind.XLSX:
            if name not in self._sheets:
                raise FileRefused(f"文件内容已损坏，找不到工作表“{name}”的数据。", name)
            return self._sheets[name]
        part = self._parts.get(name)
        if part is None:  # the reader found a sheet its own relationships do not name
            raise FileRefused(f"文件内容已损坏，找不到工作表“{name}”的数据。", name)
        if not needs_walk(self.path, part):
            return Cells()
        cells = walk(self.path, part)
        _within_limits(name, cells)
        return cells

    def huge_numbers(self, name: str) -> dict[tuple[int, int], str]:
        """The literal digits of each number cell a float cannot hold, by (row, column)."""
        if self.kind is FileKind.XLSX:
            return walk(self.path, self._parts[name], huge=True).numbers
        return self._sheets[name].numbers


def _within_limits(name: str, cells: Cells) -> None:
    reason = beyond_limits(cells)
    if reason is not None:
        raise FileRefused(f"工作表“{name}”{reason}", name)


def _xls_sheets(path: Path, kind: FileKind) -> dict[str, Cells]:
    from desktop.importing.xls_cells import XlsError, read_book

    damaged = (
        f"{kind.label}文件已损坏，无法读取；请在 Excel / WPS 中打开，"
        "“另存为” Excel 工作簿（*.xlsx）后再导入。"
    )
    try:
        ole = OleFile(path)
        name = "Workbook" if "Workbook" in ole.streams() else "Book"
        book = read_book(ole.read(name))
    except (OleError, XlsError, KeyError, struct.error, IndexError) as exc:
        raise FileRefused(damaged) from exc
    if book.encrypted:
        raise FileRefused(
            "这个工作簿设置了打开密码，无法读取。"
            "请在 Excel / WPS 中取消密码，并“另存为” Excel 工作簿（*.xlsx）后再导入。"
        )
    return book.sheets
