"""Bad plan files and plan texts: a Chinese message naming the place, nothing changed.

Each case runs `kepu` in-process against a real SQLite file and compares
every table's row count before and after.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from desktop.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def table_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


@pytest.fixture
def county(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KEPU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KEPU_USER", "测试员")
    db = tmp_path / "county.sqlite3"
    assert run(capsys, "--db", str(db), "init", "--plan", "zhongwei-2021-2025")[0] == 0
    return db


def refused(capsys, db: Path, *argv: str) -> str:
    """Run a command that must fail: Chinese on stderr, no traceback, db untouched."""
    before = table_counts(db)
    code, _out, err = run(capsys, "--db", str(db), *argv)
    assert code != 0
    assert err.startswith("错误："), err
    assert "Traceback" not in err
    assert table_counts(db) == before
    return err


def seed_text() -> str:
    return (SEEDS / "anqiu-2021-2025.txt").read_text(encoding="utf-8")


# ------------------------------------------------------------ plan parse


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.txt", b"", "文件是空的"),
        ("blank.txt", " \n\u3000\n".encode(), "文件中没有文字"),
        ("empty.docx", b"", "文件是空的"),
        ("junk.docx", bytes(range(256)) * 20, "不是有效的 Word 文档"),
        ("junk.txt", bytes(range(256)) * 20, "不是文本文件"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Office 文件"),
        ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为"),
        ("scan.docx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "这是 PDF 文件"),
        ("plan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "这是 PDF 文件"),
        ("plan.md", "一、总体要求".encode(), "不支持“.md”文件"),
    ],
)
def test_parse_refuses_what_is_not_a_plan_text(county, capsys, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    err = refused(capsys, county, "plan", "parse", str(path))
    assert name in err and expected in err


def test_parse_damaged_docx(county, capsys, tmp_path):
    from docx import Document

    good = tmp_path / "good.docx"
    document = Document()
    document.add_paragraph("一、总体要求")
    document.save(str(good))
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good.read_bytes()[:2000])
    no_body = tmp_path / "nobody.docx"
    with zipfile.ZipFile(no_body, "w") as archive:
        archive.writestr("readme.txt", "x")
    broken_xml = tmp_path / "broken.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken_xml, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    for path in (cut, no_body, broken_xml):
        err = refused(capsys, county, "plan", "parse", str(path))
        assert path.name in err and "不是有效的 Word 文档" in err


def test_parse_docx_without_text_and_workbook_named_docx(county, capsys, tmp_path):
    from docx import Document
    from openpyxl import Workbook

    empty = tmp_path / "blank.docx"
    Document().save(str(empty))
    assert "文件中没有文字" in refused(capsys, county, "plan", "parse", str(empty))
    book = tmp_path / "book.docx"
    Workbook().save(book)
    assert "这是 Excel 工作簿" in refused(capsys, county, "plan", "parse", str(book))


def test_parse_missing_file_and_folder(county, capsys, tmp_path):
    assert "文件不存在" in refused(capsys, county, "plan", "parse", str(tmp_path / "no.txt"))
    assert "文件夹" in refused(capsys, county, "plan", "parse", str(tmp_path))


def test_parse_unreadable_file(county, capsys, tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("一、总体要求", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    err = refused(capsys, county, "plan", "parse", str(path))
    assert "没有读取这个文件的权限" in err and "Permission" not in err


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16", "utf-16-be"])
def test_parse_reads_chinese_windows_encodings(capsys, tmp_path, encoding):
    text = seed_text()
    path = tmp_path / f"plan-{encoding}.txt"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    code, out, err = run(capsys, "plan", "parse", str(path))
    assert code == 0, err
    assert out.splitlines()[0] == "安丘市全民科学素质行动规划纲要实施方案（2021—2025年）"
