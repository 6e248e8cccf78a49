"""The evidence book's files: photos downscaled one at a time, PDF evidence set into its pages.

A 500-photo book must not hold 500 decoded photos: each photo is opened,
turned upright by its EXIF orientation, scaled to what its slot prints at
and written as a JPEG into the book's temporary folder, then closed; the
page layout (desktop/exporting/evidence_book.py) refers to those copies
by name and reportlab reads each one only while it draws it.

A PDF file is appended where its item is: the layout keeps one page per
page of the file (`Inserted`), each with a heading, and after the build
pypdf sets the file's pages into them, scaled to fit. The page numbers,
the table of contents and the outline were counted with those pages, so
they stay right.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image

from desktop.exporting.fonts import plain
from desktop.exporting.return_workbook import ExportCancelled
from desktop.exporting.summary_style import BOTTOM, TOP
from desktop.services.assessment_evidence import BookFile

Progress = Callable[[int, int], bool]
# Where an appended page goes: wider than the text block (a scan is no body text),
# clear of the heading above and of the page number below.
INSERT_BOX = (18 * mm, BOTTOM, A4[0] - 36 * mm, A4[1] - TOP - BOTTOM - 22)
# The frame's inner height (text block less reportlab's 6 pt padding at top and bottom).
FRAME_HEIGHT = A4[1] - TOP - BOTTOM - 12


class Steps:
    """Progress over one book or many: each photo and each appended file is a step.

    `check` asks the caller without advancing, so cancel is heard during the build too.
    """

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0

    def advance(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        self.check()

    def check(self) -> None:
        if self.progress is not None and not self.progress(self.done, self.total):
            raise ExportCancelled()


@dataclass(frozen=True)
class Picture:
    """A print-size copy of a photo or sheet: its file in the temporary folder and its pixels."""

    path: Path
    width: int
    height: int


def prepare_picture(source: Path, target: Path, longest: int) -> Picture | None:
    """Write `source` upright and at most `longest` pixels on its long side; None when unreadable."""
    from PIL import Image, ImageOps

    try:
        with Image.open(source) as im:
            im.draft("RGB", (longest, longest))  # JPEG: decode at a fraction of full size
            upright = ImageOps.exif_transpose(im)
            rgb = upright.convert("RGB")
            rgb.thumbnail((longest, longest))
            rgb.save(target, "JPEG", quality=85)
            return Picture(target, rgb.width, rgb.height)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


class PictureFlowable(Image):
    """A photo copy that a drafting pass leaves undrawn
    (desktop/exporting/evidence_book.py `_BookDoc`: its `drafting` is set per build)."""

    def draw(self) -> None:
        if not getattr(getattr(self.canv, "_doctemplate", None), "drafting", False):
            super().draw()


def picture_flowable(f: BookFile, tmp: Path, box: tuple[float, float, int]) -> Image | None:
    """The file's print-size copy, named by its content: a photo attached twice is scaled once."""
    w, h, px = box
    pic = prepare_picture(f.path, tmp / f"{f.sha256}-{px}.jpg", px)
    if pic is None:
        return None
    scale = min(w / pic.width, h / pic.height)
    return PictureFlowable(
        str(pic.path), width=pic.width * scale, height=pic.height * scale, lazy=2
    )


def pdf_pages(path: Path) -> int | None:
    """How many pages an evidence PDF has; None when it can't be read (or opened without a password)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        return len(reader.pages)
    except (OSError, ValueError, PyPdfError):
        return None


@dataclass
class Insert:
    """One appended PDF: the book pages (1-based, as built) its pages go into."""

    file: BookFile
    pages: int
    slots: dict[int, int] = field(default_factory=dict)


class Inserted(Flowable):
    """A whole page kept for page `index` of an appended PDF, headed with its name.

    It asks for a full frame, so it always starts a page of its own; where it
    lands is noted on every pass, and the last pass's pages are the book's.
    """

    def __init__(self, insert: Insert, index: int, font: str, label: str) -> None:
        super().__init__()
        self.insert = insert
        self.index = index
        self.font = font
        self.label = label

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = FRAME_HEIGHT - 1
        return self.width, self.height

    def draw(self) -> None:
        self.insert.slots[self.index] = self.canv.getPageNumber()
        self.canv.setFont(self.font, 10.5)
        text = f"{self.label}（第 {self.index + 1}/{self.insert.pages} 页）"
        self.canv.drawString(0, self.height - 10.5, plain(text, self.font))


def set_inserts(built: Path, out: Path, inserts: list[Insert], steps: Steps) -> None:
    """Copy the built book to `out` with each appended PDF's pages set into their kept pages."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=str(built))
    x, y, box_w, box_h = INSERT_BOX
    for insert in inserts:
        reader = PdfReader(insert.file.path)
        if reader.is_encrypted:
            reader.decrypt("")
        # A page is turned upright (its /Rotate moved into its content) in a writer's copy.
        source = PdfWriter(clone_from=reader)
        for index, page in enumerate(source.pages):
            slot = insert.slots.get(index)
            if slot is None:
                continue
            page.transfer_rotation_to_content()
            box = page.mediabox
            w, h = float(box.width), float(box.height)
            scale = min(box_w / w, box_h / h)
            tx = x + (box_w - w * scale) / 2 - float(box.left) * scale
            ty = y + (box_h - h * scale) / 2 - float(box.bottom) * scale
            writer.pages[slot - 1].merge_transformed_page(
                page, Transformation().scale(scale).translate(tx, ty)
            )
        steps.advance()
    with open(out, "wb") as fh:
        writer.write(fh)


@contextmanager
def binary_streams() -> Iterator[None]:
    """Photos stored as binary streams, not ASCII85 text: a quarter less to hold and to write.

    reportlab reads the switch while it draws and saves, so it is set around one build.
    """
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved
