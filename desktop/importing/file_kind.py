"""What kind of file this really is, from its bytes, whatever its name says.

Member units send back what their office suite saved: .xlsx (Excel, WPS,
LibreOffice), .xls (Excel 97–2003, WPS), .ods (LibreOffice, WPS), WPS's
own .et — or a Word document, a CSV, a PDF picked by mistake. A message
about the file must name what it is, so the kind is read from the file's
first bytes and its container's table of contents, never from the suffix:

- a zip is told apart by its entries: an OpenDocument file by its
  `mimetype` entry (spreadsheet, text, presentation), an Office Open XML
  one by its main part (xl/, word/, ppt/); a zip whose central directory is
  lost (a truncated download) by its first local entry, which is where
  both formats put what identifies them;
- an OLE compound file by its streams: Workbook/Book (Excel 97–2003 — what
  WPS usually writes into an .et), EncryptedPackage (an .xlsx or .docx with
  an open password), WordDocument, PowerPoint Document.

`detect(path)` returns a FileKind; `kind.label` is its Chinese name for
messages, `kind.suffixes` the names it is saved under.
"""

from __future__ import annotations

import struct
import zipfile
from enum import Enum
from pathlib import Path

from desktop.importing.ole_file import SIGNATURE as OLE_SIGNATURE
from desktop.importing.ole_file import OleError, OleFile

_ZIP = b"PK\x03\x04"
_ODF = "application/vnd.oasis.opendocument."
_HEAD = 4096


class FileKind(Enum):
    """A kind of file, with its Chinese name and the suffixes it is saved under."""

    XLSX = ("Excel 工作簿（.xlsx）", (".xlsx", ".xlsm"))
    XLS = ("Excel 97–2003 工作簿（.xls）", (".xls", ".et"))
    ODS = ("OpenDocument 电子表格（.ods）", (".ods",))
    DOCX = ("Word 文档（.docx）", (".docx",))
    PPTX = ("PowerPoint 演示文稿（.pptx）", (".pptx",))
    ODT = ("OpenDocument 文本文档（.odt）", (".odt",))
    ODP = ("OpenDocument 演示文稿（.odp）", (".odp",))
    ODF = ("OpenDocument 文件", ())
    ZIP = ("压缩包", (".zip",))
    ENCRYPTED = ("设置了打开密码的 Office 文件", ())
    DOC = ("Word 97–2003 文档（.doc）", (".doc", ".wps"))
    PPT = ("PowerPoint 97–2003 演示文稿（.ppt）", (".ppt", ".dps"))
    OLE = ("OLE 复合文档", ())
    PDF = ("PDF 文件", (".pdf",))
    TEXT = ("CSV 或文本文件", (".csv", ".txt"))
    EMPTY = ("空文件", ())
    UNKNOWN = ("无法识别的文件", ())

    def __init__(self, label: str, suffixes: tuple[str, ...]) -> None:
        self.label = label
        self.suffixes = suffixes

    @property
    def workbook(self) -> bool:
        """A spreadsheet the cell reader opens."""
        return self in (FileKind.XLSX, FileKind.XLS, FileKind.ODS)


def kind_of_suffix(suffix: str) -> FileKind | None:
    """The kind a file name's suffix promises (".ods" → ODS), or None."""
    suffix = suffix.lower()
    return next((kind for kind in FileKind if suffix in kind.suffixes), None)


def detect(path: Path) -> FileKind:
    """The file's real kind from its bytes; OSError if it cannot be read."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD)
    if not head:
        return FileKind.EMPTY
    if head.startswith(_ZIP):
        return _zip_kind(path, head)
    if head.startswith(OLE_SIGNATURE):
        return _ole_kind(path)
    if head.startswith(b"%PDF"):
        return FileKind.PDF
    if _looks_like_text(head):
        return FileKind.TEXT
    return FileKind.UNKNOWN


def _odf_kind(mimetype: str) -> FileKind:
    kind = mimetype.removeprefix(_ODF)
    if kind.startswith("spreadsheet"):
        return FileKind.ODS
    if kind.startswith("text"):
        return FileKind.ODT
    if kind.startswith("presentation"):
        return FileKind.ODP
    return FileKind.ODF


def _zip_kind(path: Path, head: bytes) -> FileKind:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200:
                    mimetype = zf.read(info).decode("ascii", "replace").strip()
                    if mimetype.startswith(_ODF):
                        return _odf_kind(mimetype)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError):
        return _first_entry_kind(head)
    for part, kind in (
        ("xl/workbook.xml", FileKind.XLSX),
        ("word/document.xml", FileKind.DOCX),
        ("ppt/presentation.xml", FileKind.PPTX),
    ):
        if part in names:
            return kind
    if any(name.startswith("xl/") for name in names):
        return FileKind.XLSX
    return FileKind.ZIP


def _first_entry_kind(head: bytes) -> FileKind:
    """A zip without its directory: what its first local entry says (ODF stores `mimetype` first)."""
    if len(head) < 30:
        return FileKind.ZIP
    name_length = int.from_bytes(head[26:28], "little")
    extra_length = int.from_bytes(head[28:30], "little")
    name = head[30 : 30 + name_length]
    body = head[30 + name_length + extra_length :]
    if name == b"mimetype" and body.startswith(_ODF.encode()):
        return _odf_kind(body[:80].decode("ascii", "replace"))
    text = head.decode("latin-1")
    for marker, kind in (("xl/", FileKind.XLSX), ("word/", FileKind.DOCX), ("ppt/", FileKind.PPTX)):
        if marker in text:
            return kind
    if "[Content_Types].xml" in text:
        return FileKind.XLSX
    return FileKind.ZIP


def _ole_kind(path: Path) -> FileKind:
    try:
        streams = OleFile(path).streams()
    except (OleError, struct.error, IndexError):
        return FileKind.OLE
    if "Workbook" in streams or "Book" in streams:
        return FileKind.XLS
    if "EncryptedPackage" in streams:
        return FileKind.ENCRYPTED
    if "WordDocument" in streams:
        return FileKind.DOC
    if "PowerPoint Document" in streams:
        return FileKind.PPT
    return FileKind.OLE


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8-sig", "gbk"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # not just a character cut at the end of the head
                continue
            text = head[: exc.start].decode(encoding)
        return bool(text.strip()) and ("," in text or "\t" in text or "\n" in text)
    return False
