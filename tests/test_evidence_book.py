"""The evidence book (台账资料汇编), read back from the PDF it writes.

Built on the assessment tests' rubric (tests/test_assessment.py): 县科协's
three lectures count for L, its 全国科普日 for D, the lecture with a
签到表 for E. The first lecture carries the sign-in sheet, a photo taken
with the camera on its side (EXIF orientation 6) and a scanned PDF; the
second a Word file, which can only be listed.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from desktop.exporting.evidence_book import book_file_name, export_book
from desktop.exporting.return_workbook import ExportCancelled
from desktop.services import Services
from tests.cli_run import run
from tests.test_assessment import RUBRIC, _activity

SCAN_TEXT = "Meeting minutes scanned original"


def _sideways_photo(path: Path) -> None:
    """A 400×300 frame as the sensor saw it, red left and blue right, to be shown turned 90°."""
    im = Image.new("RGB", (400, 300), "red")
    im.paste(Image.new("RGB", (200, 300), "blue"), (200, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    im.save(path, "JPEG", exif=exif)


def _scan(path: Path) -> None:
    c = Canvas(str(path), pagesize=(500, 700))
    c.setFont("Helvetica", 20)
    c.drawString(60, 600, SCAN_TEXT)
    c.showPage()
    c.setFont("Helvetica", 20)
    c.drawString(60, 600, "Second page of the scan")
    c.save()


@pytest.fixture
def booked(county: Services, tmp_path: Path) -> Services:
    svc = county
    svc.rubrics.import_rubric(RUBRIC)
    lectures = [_activity(svc, "县科协", "lecture", date(2024, m, 10)) for m in (3, 5, 9)]
    _activity(svc, "县科协", "sci_day", date(2024, 9, 20))
    files = tmp_path / "files"
    files.mkdir()
    Image.new("RGB", (1200, 1600), "white").save(files / "科普讲座签到表.jpg")
    _sideways_photo(files / "讲座现场.jpg")
    _scan(files / "会议纪要扫描件.pdf")
    (files / "讲座课件.docx").write_bytes(b"PK\x03\x04 not really a document")
    for name in ("科普讲座签到表.jpg", "讲座现场.jpg", "会议纪要扫描件.pdf"):
        svc.evidence.add(lectures[0], files / name)
    svc.evidence.add(lectures[1], files / "讲座课件.docx")
    svc.assessment.set_score(2024, "县科协", "M", self_score=8)
    return svc


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _titles(outline: list) -> list[str]:
    out: list[str] = []
    for entry in outline:
        out += _titles(entry) if isinstance(entry, list) else [entry.title]
    return out


def test_the_book_holds_every_item_its_outline_photos_and_appended_scan(
    booked: Services, tmp_path: Path
):
    out = export_book(booked, 2024, "县科协", tmp_path / "book.pdf")
    reader = PdfReader(out)
    pages = [p.extract_text() for p in reader.pages]
    text = _flat("".join(pages))
    results = {i.code: i for i in booked.assessment.results(2024, "县科协")[0].items}
    for item in RUBRIC["items"]:
        assert _flat(item["standard"]) in text
        assert f"得分{results[item['code']].final:g}" in text
    assert "3/4次，按比例7.5/10分" in text
    titles = _titles(reader.outline)
    assert titles[:2] == ["目　录", "一、考核得分"]
    assert "二、第 L 项　科普讲座" in titles and "七、第 M 项　特色亮点" in titles
    assert "附件：会议纪要扫描件.pdf" in titles
    # The contents' page numbers are the printed ones (the cover has none: index = number).
    contents = _flat(pages[1])
    for heading in ("第L项科普讲座", "第D项全国科普日", "附件：会议纪要扫描件.pdf"):
        # Each entry's dots and number are drawn, and so extracted, before its text.
        number = int(
            re.search(r"(\d+)(?:[一二三四五六七八九十]+、)?" + re.escape(heading), contents)[1]
        )
        assert heading in _flat(pages[number]) and f"—{number}—" in _flat(pages[number])
    # The scan is set into the L section, both its pages, and named in the contents.
    scan_pages = [i for i, t in enumerate(pages) if SCAN_TEXT in t]
    assert len(scan_pages) == 1 and "Second page of the scan" in pages[scan_pages[0] + 1]
    assert "附件：会议纪要扫描件.pdf" in pages[1]
    # The Word file is listed with its SHA-256; it cannot be printed.
    digest = hashlib.sha256((tmp_path / "files" / "讲座课件.docx").read_bytes()).hexdigest()
    assert "讲座课件.docx" in text and digest in text


def _photo_page(reader: PdfReader) -> int:
    """The page whose image XObjects include the turned photo: 300 wide, 400 high."""
    return next(
        n for n, p in enumerate(reader.pages) if any(im.image.size == (300, 400) for im in p.images)
    )


def test_a_photo_is_embedded_upright_and_a_sign_in_sheet_readably(booked: Services, tmp_path: Path):
    out = export_book(booked, 2024, "县科协", tmp_path / "book.pdf")
    reader = PdfReader(out)
    n = _photo_page(reader)
    assert "讲座现场.jpg" in reader.pages[n].extract_text()
    sheets = [im.image.size for p in reader.pages for im in p.images if im.image.size[1] >= 1000]
    assert sheets == [(1200, 1600)]  # the sheet is printed from a large copy, not a thumbnail
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", str(n + 1), "-l", str(n + 1), out, tmp_path / "pg"],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("pg*.png"))).convert("RGB")
    red, blue = [], []
    for y in range(page.height):
        for x in range(page.width):
            r, g, b = page.getpixel((x, y))
            if r > 200 and g < 60 and b < 60:
                red.append((x, y))
            elif b > 200 and r < 60 and g < 60:
                blue.append((x, y))
    assert red and blue
    # Turned by its EXIF orientation: the sensor's left half (red) is now on top.
    assert max(y for _x, y in red) <= min(y for _x, y in blue) + 1
    assert abs(sum(x for x, _ in red) / len(red) - sum(x for x, _ in blue) / len(blue)) < 3


@pytest.mark.parametrize("cancel_at", [1, 3, 10])
def test_a_cancel_stops_the_book_and_leaves_no_file(
    booked: Services, tmp_path: Path, cancel_at: int
):
    asked: list[tuple[int, int]] = []

    def report(done: int, total: int) -> bool:
        asked.append((done, total))
        return len(asked) < cancel_at

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ExportCancelled):
        export_book(booked, 2024, "县科协", folder / "book.pdf", report)
    assert len(asked) == cancel_at
    assert list(folder.iterdir()) == []
    # Steps counted: two pictures, the PDF read and set in, the build.
    assert {total for _done, total in asked} == {5}


def test_progress_reaches_its_total(booked: Services, tmp_path: Path):
    asked: list[tuple[int, int]] = []
    export_book(
        booked, 2024, "县科协", tmp_path / "book.pdf", lambda d, t: asked.append((d, t)) or True
    )
    assert asked[-1] == (5, 5)
    assert [d for d, _t in asked] == sorted(d for d, _t in asked)


def test_cli_writes_one_book_per_unit(booked: Services, data_dir: Path, tmp_path: Path, capsys):
    db = str(data_dir / "county.sqlite3")
    folder = tmp_path / "books"
    folder.mkdir()
    code, out, err = run(
        capsys,
        "--db",
        db,
        "assessment",
        "book",
        "--all",
        "--out-dir",
        str(folder),
        "--year",
        "2024",
    )
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([book_file_name("县科协", 2024), book_file_name("县教体局", 2024)])
    other = _flat(PdfReader(folder / book_file_name("县教体局", 2024)).pages[0].extract_text())
    assert "被考核单位：县教体局" in other
    one = tmp_path / "one.pdf"
    code, out, err = run(
        capsys,
        "--db",
        db,
        "assessment",
        "book",
        "--unit",
        "县科协",
        "--year",
        "2024",
        "--out",
        str(one),
    )
    assert code == 0 and str(one) in out
    assert len(PdfReader(one).pages) == len(
        PdfReader(folder / book_file_name("县科协", 2024)).pages
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--unit", "县气象局"], "不在《测试县科普工作考核细则》的考核对象中"),
        (["--all"], "--out-dir"),
        (["--unit", "县科协", "--out", "book.docx"], "应为 .pdf"),
        (["--all", "--out-dir", "no-such-folder"], "文件夹不存在"),
    ],
)
def test_cli_refusals_say_why_and_write_nothing(
    booked: Services, data_dir: Path, tmp_path: Path, capsys, monkeypatch, argv, message
):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    code, out, err = run(
        capsys,
        "--db",
        str(data_dir / "county.sqlite3"),
        "assessment",
        "book",
        "--year",
        "2024",
        *argv,
    )
    assert code != 0 and message in err
    assert list(cwd.iterdir()) == []


def test_unreadable_files_are_listed_not_printed(booked: Services, tmp_path: Path):
    aid = _activity(booked, "县科协", "lecture", date(2024, 10, 8))
    for name in ("损坏的扫描件.pdf", "损坏的照片.jpg"):
        (tmp_path / name).write_bytes(b"not what the name says")
        booked.evidence.add(aid, tmp_path / name)
    reader = PdfReader(export_book(booked, 2024, "县科协", tmp_path / "book.pdf"))
    text = _flat("".join(p.extract_text() for p in reader.pages))
    assert "附件“损坏的扫描件.pdf”无法打开" in text
    assert "损坏的照片.jpg（文件无法读取，未能印出）" in text
    assert "附件：损坏的扫描件.pdf" not in _titles(reader.outline)
