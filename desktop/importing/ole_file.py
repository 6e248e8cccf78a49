"""The streams of an OLE compound file (Excel 97–2003 .xls, WPS .et, Word .doc, encrypted .xlsx).

The cell reader (python-calamine) reads .xls itself, but it neither tells
which cells hold formulas nor what lies where before it has built the whole
grid; desktop/importing/xls_cells.py finds both in the workbook stream, and
desktop/importing/file_kind.py tells the kinds of compound file apart by the
names of their streams. This is the part of the format (MS-CFB) those two
need: the header, the sector allocation table, the directory, and streams
read whole from their sector chains, every chain bounded by the file's own
size so a damaged or hostile file cannot loop.
"""

from __future__ import annotations

import struct
from pathlib import Path

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_STREAM = 2
_ROOT = 5
_HEADER_DIFAT = 109


class OleError(Exception):
    """The compound file is damaged: its chains or directory do not hold together."""


class OleFile:
    """A compound file read into memory (the import's 50 MB file limit bounds it)."""

    def __init__(self, path: Path) -> None:
        self.data = path.read_bytes()
        data = self.data
        if len(data) < 512 or not data.startswith(SIGNATURE):
            raise OleError("not a compound file")
        sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if sector_shift not in (9, 12) or mini_shift != 6:
            raise OleError("bad sector size")
        self.sector = 1 << sector_shift
        self.mini = 1 << mini_shift
        (
            fat_sectors,
            self._dir_start,
            _,
            self._cutoff,
            mini_fat_start,
            mini_fat_sectors,
            difat_start,
            difat_sectors,
        ) = struct.unpack_from("<IIIIIIII", data, 0x2C)
        self._limit = len(data) // self.sector + 1
        fat_list = list(struct.unpack_from(f"<{_HEADER_DIFAT}I", data, 0x4C))
        sector = difat_start
        for _ in range(min(difat_sectors, self._limit)):
            if sector >= _END:
                break
            block = self._sector(sector)
            words = struct.unpack(f"<{self.sector // 4}I", block)
            fat_list.extend(words[:-1])
            sector = words[-1]
        self.fat: list[int] = []
        for sector in fat_list[: min(fat_sectors, self._limit)]:
            if sector >= _END:
                break
            self.fat.extend(struct.unpack(f"<{self.sector // 4}I", self._sector(sector)))
        directory = self._chain(self._dir_start)
        self.entries: dict[str, tuple[int, int, int]] = {}
        root: tuple[int, int] | None = None
        for offset in range(0, len(directory) - 127, 128):
            length, kind = struct.unpack_from("<HB", directory, offset + 64)
            start, size = struct.unpack_from("<IQ", directory, offset + 116)
            if self.sector == 512:
                size &= 0xFFFFFFFF  # version 3 files leave the high half undefined
            name = directory[offset : offset + max(length - 2, 0)].decode("utf-16-le", "replace")
            if kind == _ROOT and root is None:
                root = (start, size)
            elif kind == _STREAM and name not in self.entries:
                self.entries[name] = (kind, start, size)
        if root is None:
            raise OleError("no root entry")
        self._mini_stream = self._chain(root[0])[: root[1]] if root[1] else b""
        mini_fat = self._chain(mini_fat_start) if mini_fat_sectors else b""
        self._mini_fat = list(struct.unpack(f"<{len(mini_fat) // 4}I", mini_fat))

    def _sector(self, number: int) -> bytes:
        offset = (number + 1) * self.sector
        if offset >= len(self.data):
            raise OleError("sector past the end of the file")
        return self.data[offset : offset + self.sector]

    def _chain(self, start: int) -> bytes:
        parts: list[bytes] = []
        sector = start
        for _ in range(self._limit):
            if sector >= _END or sector == _FREE:
                return b"".join(parts)
            if sector >= len(self.fat):
                raise OleError("chain leaves the allocation table")
            parts.append(self._sector(sector))
            sector = self.fat[sector]
        raise OleError("chain loops")

    def _mini_chain(self, start: int) -> bytes:
        parts: list[bytes] = []
        sector = start
        for _ in range(len(self._mini_fat) + 1):
            if sector >= _END:
                return b"".join(parts)
            if sector >= len(self._mini_fat):
                raise OleError("mini chain leaves its table")
            offset = sector * self.mini
            parts.append(self._mini_stream[offset : offset + self.mini])
            sector = self._mini_fat[sector]
        raise OleError("mini chain loops")

    def streams(self) -> set[str]:
        """The names of the streams in the file."""
        return set(self.entries)

    def read(self, name: str) -> bytes:
        """One stream's bytes, whole."""
        _, start, size = self.entries[name]
        data = self._mini_chain(start) if size < self._cutoff else self._chain(start)
        if len(data) < size:
            raise OleError(f"stream {name} is shorter than its directory entry says")
        return data[:size]
