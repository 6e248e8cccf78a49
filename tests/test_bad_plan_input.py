"""Bad plan files and plan texts: a Chinese message naming the place, nothing changed.

Each case runs `kepu` in-process against a real SQLite file and compares
every table's row count before and after.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop.cli import main
from tests.cli_run import SEEDS, run, table_counts


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
def test_parse_refuses_what_is_not_a_plan_text(
    zhongwei_db, capsys, tmp_path, name, content, expected
):
    path = tmp_path / name
    path.write_bytes(content)
    err = refused(capsys, zhongwei_db, "plan", "parse", str(path))
    assert name in err and expected in err


def test_parse_damaged_docx(zhongwei_db, capsys, tmp_path):
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
        err = refused(capsys, zhongwei_db, "plan", "parse", str(path))
        assert path.name in err and "不是有效的 Word 文档" in err


def test_parse_docx_without_text_and_workbook_named_docx(zhongwei_db, capsys, tmp_path):
    from docx import Document
    from openpyxl import Workbook

    empty = tmp_path / "blank.docx"
    Document().save(str(empty))
    assert "文件中没有文字" in refused(capsys, zhongwei_db, "plan", "parse", str(empty))
    book = tmp_path / "book.docx"
    Workbook().save(book)
    assert "这是 Excel 工作簿" in refused(capsys, zhongwei_db, "plan", "parse", str(book))


def test_parse_missing_file_and_folder(zhongwei_db, capsys, tmp_path):
    assert "文件不存在" in refused(capsys, zhongwei_db, "plan", "parse", str(tmp_path / "no.txt"))
    assert "文件夹" in refused(capsys, zhongwei_db, "plan", "parse", str(tmp_path))


def test_parse_unreadable_file(zhongwei_db, capsys, tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("一、总体要求", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    err = refused(capsys, zhongwei_db, "plan", "parse", str(path))
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


# ------------------------------------------------------------ plan import


@pytest.fixture
def plan_yaml(zhongwei_db, capsys, tmp_path) -> str:
    out = tmp_path / "plan.yaml"
    assert (
        run(
            capsys,
            "--db",
            str(zhongwei_db),
            "plan",
            "export",
            "--format",
            "yaml",
            "--out",
            str(out),
        )[0]
        == 0
    )
    return out.read_text(encoding="utf-8")


@pytest.fixture
def plan_xlsx(zhongwei_db, capsys, tmp_path) -> Path:
    out = tmp_path / "plan.xlsx"
    assert (
        run(
            capsys,
            "--db",
            str(zhongwei_db),
            "plan",
            "export",
            "--format",
            "xlsx",
            "--out",
            str(out),
        )[0]
        == 0
    )
    return out


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.yaml", b"", "文件是空的"),
        ("junk.yaml", bytes(range(256)) * 20, "不是文本文件"),
        ("old.yaml", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Office 文件"),
        ("empty.xlsx", b"", "文件是空的"),
        ("junk.xlsx", bytes(range(256)) * 20, "不是有效的 Excel 工作簿"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Office 文件"),
        ("scan.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "这是 PDF 文件"),
        ("cut.xlsx", b"PK\x03\x04" + b"\0" * 100, "不是有效的 Excel 工作簿"),
    ],
)
def test_import_refuses_what_is_not_a_plan_file(
    zhongwei_db, capsys, tmp_path, name, content, expected
):
    path = tmp_path / name
    path.write_bytes(content)
    err = refused(capsys, zhongwei_db, "plan", "import", str(path), "--code", "NEW")
    assert f"“{name}”" in err and expected in err
    assert "zip" not in err.lower()


def test_import_docx_named_xlsx(zhongwei_db, capsys, tmp_path):
    from docx import Document

    path = tmp_path / "plan.xlsx"
    Document().save(str(path))
    assert "这是 Word 文档" in refused(capsys, zhongwei_db, "plan", "import", str(path))


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_import_yaml_saved_by_notepad(zhongwei_db, capsys, tmp_path, plan_yaml, encoding):
    path = tmp_path / f"plan-{encoding}.yaml"
    path.write_bytes(plan_yaml.encode(encoding))
    code, out, err = run(
        capsys, "--db", str(zhongwei_db), "plan", "import", str(path), "--code", "NEW"
    )
    assert code == 0, err
    assert "已导入方案" in out


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # a code that is a list or a mapping: was TypeError: unhashable type
        (("- code: A1\n", "- code: [1]\n"), "“编号”应为文字"),
        (("- code: LIT\n", "- code: {a: 1}\n"), "“编号”应为文字"),
        (("  task: null\n", "  task: [A1.1]\n"), "“所属任务”应为任务编号"),
        # NaN and infinity passed as numbers
        (("  literacy_target: 10.0\n", "  literacy_target: .nan\n"), "“科学素质目标”应为数字"),
        # the second id silently won
        (
            ("id: zhongwei-2021-2025\n", "id: zhongwei-2021-2025\nid: other\n"),
            "键“id”在同一层重复出现",
        ),
        (("plan:\n  region", "plan:\n\tregion"), "用了 Tab 键缩进"),
    ],
)
def test_import_yaml_with_wrong_types(zhongwei_db, capsys, tmp_path, plan_yaml, edit, expected):
    old, new = edit
    assert old in plan_yaml
    path = tmp_path / "bad.yaml"
    path.write_text(plan_yaml.replace(old, new, 1), encoding="utf-8")
    err = refused(capsys, zhongwei_db, "plan", "import", str(path), "--code", "NEW")
    assert "“bad.yaml”" in err and expected in err


def test_import_yaml_messages_are_chinese(zhongwei_db, capsys, tmp_path, plan_yaml):
    path = tmp_path / "tag.yaml"
    path.write_text('!!python/object/apply:os.system ["echo hi"]\n', encoding="utf-8")
    err = refused(capsys, zhongwei_db, "plan", "import", str(path))
    assert "第 1 行第 1 列" in err and "YAML 标签" in err and "constructor" not in err
    path.write_text(plan_yaml + "\n---\nid: x\n", encoding="utf-8")
    err = refused(capsys, zhongwei_db, "plan", "import", str(path), "--code", "NEW")
    assert "多份文档" in err and "document" not in err


BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
"""


def test_import_yaml_bombs(zhongwei_db, capsys, tmp_path, plan_yaml):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB + "id: x\nsections: *h\n", encoding="utf-8")
    assert "过于庞大" in refused(capsys, zhongwei_db, "plan", "import", str(path))
    # a plan that contains itself
    path.write_text(
        plan_yaml.replace("  region: 中卫市\n", "  region: 中卫市\n  self: *p\n").replace(
            "plan:\n", "plan: &p\n", 1
        ),
        encoding="utf-8",
    )
    assert "过于庞大" in refused(capsys, zhongwei_db, "plan", "import", str(path), "--code", "NEW")


def test_import_huge_yaml(zhongwei_db, capsys, tmp_path, plan_yaml):
    path = tmp_path / "huge.yaml"
    path.write_text(plan_yaml + 'note: "' + "x" * (21 * 1024 * 1024) + '"\n', encoding="utf-8")
    assert "文件太大" in refused(capsys, zhongwei_db, "plan", "import", str(path), "--code", "NEW")


def test_import_unreadable_yaml(zhongwei_db, capsys, tmp_path, plan_yaml, monkeypatch):
    path = tmp_path / "locked.yaml"
    path.write_text(plan_yaml, encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    err = refused(capsys, zhongwei_db, "plan", "import", str(path), "--code", "NEW")
    assert "没有读取这个文件的权限" in err and "Permission" not in err


def test_import_plan_without_indicators(zhongwei_db, capsys, tmp_path):
    """A plan file with no indicators list at all: was imported, then a KeyError."""
    path = tmp_path / "bare.yaml"
    path.write_text(
        "id: bare\nplan: {region: 测试县, name: 测试县方案, first_year: 2021, last_year: 2025}\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--db", str(zhongwei_db), "plan", "import", str(path))
    assert code == 0, err
    assert "0 个行动/工程、0 项任务、0 个指标" in out


def test_import_workbook_with_not_a_number(zhongwei_db, capsys, tmp_path, plan_xlsx):
    from openpyxl import load_workbook

    wb = load_workbook(plan_xlsx)
    ws = wb["指标"]
    col = next(c.column for c in ws[1] if c.value == "目标值")
    ws.cell(2, col).value = "nan"
    ws.cell(3, col).value = "1e999"
    wb.save(plan_xlsx)
    err = refused(capsys, zhongwei_db, "plan", "import", str(plan_xlsx), "--code", "NEW")
    assert "工作表“指标”第 2 行" in err and "“nan”不是数字" in err
    assert "工作表“指标”第 3 行" in err and "“1e999”不是数字" in err


def test_import_workbook_with_a_stray_far_cell(zhongwei_db, capsys, tmp_path, plan_xlsx):
    """One entry in XFD1048576: the reader walked 17 billion cells (a hang)."""
    from openpyxl import load_workbook

    wb = load_workbook(plan_xlsx)
    wb["指标"].cell(1048576, 16384).value = "x"
    wb.save(plan_xlsx)
    err = refused(capsys, zhongwei_db, "plan", "import", str(plan_xlsx), "--code", "NEW")
    assert "工作表“指标”第 1048576 行" in err and "“目标类型”不能为空" in err


def test_parse_long_sentence_full_of_numbers_names_indicators_briefly(capsys, tmp_path):
    """A table pasted without punctuation: one "sentence" with 6,000 numbers.

    The indicator finder looked back over the whole sentence at each number
    and named indicators after all of it.
    """
    path = tmp_path / "table.txt"
    path.write_text("1." + "到2025年，达到100万人次，" * 6000, encoding="gbk")
    code, out, err = run(capsys, "plan", "parse", str(path), "--json")
    assert code == 0, err
    assert max(len(ind["name"]) for ind in __import__("json").loads(out)["indicators"]) < 500


# ------------------------------------------------------------ other arguments

ACTIVITY = ["activity", "add", "--title", "讲座", "--type", "科普讲座", "--unit", "市科协"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        # was ValueError: cannot convert float NaN to integer (a traceback)
        (
            [*ACTIVITY, "--date", "2024-05-01", "--funding", "nan"],
            "参数 --funding：“nan”不是有效的数值",
        ),
        # was saved as infinity hours
        ([*ACTIVITY, "--date", "2024-05-01", "--volunteer-hours", "inf"], "“inf”不是有效的数值"),
        # was OverflowError: Python int too large to convert to SQLite INTEGER
        ([*ACTIVITY, "--date", "2024-05-01", "--participants", "9" * 23], "超出允许范围"),
        # was an SQLAlchemy traceback
        (
            ["entry", "set", "--indicator", "LIT", "--period", "2024", "--value", "nan"],
            "“nan”不是有效的数值",
        ),
    ],
)
def test_numbers_on_the_command_line(zhongwei_db, capsys, argv, expected):
    before = table_counts(zhongwei_db)
    try:
        code = main(["--db", str(zhongwei_db), *argv])
    except SystemExit as exit_info:  # argparse's usage error
        code = exit_info.code
    err = capsys.readouterr().err
    assert code in (1, 2) and expected in err and "Traceback" not in err
    assert table_counts(zhongwei_db) == before


def test_backup_into_a_file(zhongwei_db, capsys, tmp_path):
    """--out-dir naming a file: was FileExistsError with a traceback."""
    target = tmp_path / "note.txt"
    target.write_text("x", encoding="utf-8")
    assert "是一个文件，不是文件夹" in refused(
        capsys, zhongwei_db, "backup", "--out-dir", str(target)
    )


def test_collection_import_missing_file_and_folder(zhongwei_db, capsys, tmp_path):
    """Was "无法打开文件：No such file or directory"."""
    err = refused(capsys, zhongwei_db, "collection", "import", str(tmp_path / "no.xlsx"))
    assert "文件不存在" in err and "No such" not in err
    assert "是一个文件夹" in refused(capsys, zhongwei_db, "collection", "import", str(tmp_path))


def test_import_code_empty_or_too_long(zhongwei_db, capsys, tmp_path, plan_yaml):
    path = tmp_path / "plan.yaml"
    path.write_text(plan_yaml, encoding="utf-8")
    assert "不能为空" in refused(capsys, zhongwei_db, "plan", "import", str(path), "--code", " ")
    assert "方案编号太长" in refused(
        capsys, zhongwei_db, "plan", "import", str(path), "--code", "x" * 100
    )
