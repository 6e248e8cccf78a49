"""A collection workbook saved by a real office suite comes back in, in every format it saves.

A member unit opens the .xlsx it was sent in Excel, WPS or LibreOffice and
saves it back as .xlsx, .xls (Excel 97–2003, WPS's default on many PCs),
.ods, or WPS's .et. Here LibreOffice itself (headless, with a profile of
the test's own so parallel runs do not clash) resaves one filled workbook
in each format; each result is imported with `kepu collection import` into
a database of its own, and the figures must be the ones computed by hand
for the fill. A workbook with bad cells is refused in every format with
the same messages (row and column named the same way), and nothing in the
database changes. Files that are not what they say get a message naming
what they really are.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop.collection_layout import ACTIVITY_SHEET, INDICATOR_SHEET
from desktop.exporting.collection_template import write_template
from desktop.importing.workbook_file import column_number
from desktop.plan.document import PlanDocument
from desktop.services import Services
from desktop.services.activities import ActivityFilter
from tests.cli_run import run
from tests.conftest import COLLECTION_PERIOD, COLLECTION_UNIT, SMALL_PLAN
from tests.db_dump import database_dump
from tests.test_collection_import import fill

FORMATS = ("xlsx", "xls", "ods")
# What a unit fills in, and what must come out of it in every format.
ROWS: list[dict[str, Any]] = [
    {
        "start_date": datetime(2024, 5, 18),
        "title": "农民工电工技能培训班",
        "type": "实用技术培训",
        "place": "城关镇",
        "tasks": "P1.1 农民实用技术培训",
        "groups": "农民、产业工人",
        "participants": 120,
        "female": 45,
        "sessions": 2,
        "volunteers": 4,
        "volunteer_hours": 12.5,
        "funding_yuan": 3500.5,
    },
    {"start_date": "2024/4/9", "title": "防诈骗讲座", "type": "科普讲座", "participants": 80},
    {
        "start_date": "2024.6.3",
        "end_date": "2024年6月4日",
        "title": "青少年科技节",
        "type": "青少年科技活动",
        "participants": "1,200",
        "sessions": 3,
    },
]
VALUES = {"C1": 1500, "C2": "300"}
EXPECTED = [
    # date, title, participants, female, sessions, volunteers, hours, funding (fen), place
    (date(2024, 4, 9), "防诈骗讲座", 80, None, 1, 0, 0.0, 0, None),
    (date(2024, 5, 18), "农民工电工技能培训班", 120, 45, 2, 4, 12.5, 350050, "城关镇"),
    (date(2024, 6, 3), "青少年科技节", 1200, None, 3, 0, 0.0, 0, None),
]
# Bad cells: a negative count, a count written as words, a formula, a merge in the data area.
BAD_ROWS: list[dict[str, Any]] = [
    dict(ROWS[1], participants=-5),
    dict(ROWS[1], title="科普展览进社区", sessions="约3场"),
    dict(ROWS[1], title="公式", participants="==2*3"),
]
BAD_MESSAGES = [
    "工作表“活动”，第 4 行，“参加人次”列：不能为负数（-5）",
    "工作表“活动”，第 5 行，“场次”列：应填写整数，实际是“约3场”",
    "工作表“活动”，第 6 行，“参加人次”列：单元格是公式（=2*3）",
    "工作表“活动”，第 8 行，“媒体报道”列：有合并单元格（P8:P9）",
    "工作表“指标填报”，第 4 行，“本期数值”列：不能为负数（-7）",
]

# Formulas of every common shape: filled down (one shared formula in an .xls), a function
# over a range, nested functions with a text, another sheet, an absolute reference.
FORMULAS = {
    "活动!J4": "=I4+1",
    "活动!J5": "=I5+1",
    "活动!J6": "=I6+1",
    "活动!L4": "=SUM(I4:I6)",
    "活动!L5": '=IF(I4>0,ROUND(I4/3,0),"无")',
    "活动!L6": "=指标填报!E4*2",
    "活动!M5": "=$I$4-I5",
    "指标填报!E5": "=E4/2",
}
FORMULA_MESSAGES = sorted(
    f"工作表“{sheet}”，第 {row} 行，“{column}”列：单元格是公式（{formula}），"
    "不能导入；请复制后“选择性粘贴—数值”。"
    for sheet, row, column, formula in [
        ("活动", 4, "其中女性", "=I4+1"),
        ("活动", 5, "其中女性", "=I5+1"),
        ("活动", 6, "其中女性", "=I6+1"),
        ("活动", 4, "场次", "=SUM(I4:I6)"),
        ("活动", 5, "场次", '=IF(I4>0,ROUND(I4/3,0),"无")'),
        ("活动", 6, "场次", "=指标填报!E4*2"),
        ("活动", 5, "志愿者人数", "=$I$4-I5"),
        ("指标填报", 5, "本期数值", "=E4/2"),
    ]
)


def new_county(folder: Path) -> Path:
    """A fresh database of the small plan, with the township the fill names."""
    folder.mkdir(parents=True, exist_ok=True)
    svc = Services.open(folder / "county.sqlite3")
    svc.plans.create(PlanDocument.from_dict(SMALL_PLAN))
    svc.reference.add_place("城关镇")
    path = svc.db.path
    svc.close()
    return path


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A LibreOffice profile of this module's own (a first start in it writes it)."""
    assert shutil.which("soffice"), "LibreOffice (soffice) is part of the test set-up"
    return tmp_path_factory.mktemp("lo-profile")


def resave(office: Path, sources: list[Path], fmt: str, out_dir: Path) -> list[Path]:
    """Each source as LibreOffice saves it in `fmt`, as a unit's office suite would."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={office.as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    results = [out_dir / f"{source.stem}.{fmt}" for source in sources]
    for path in results:
        assert path.is_file() and path.stat().st_size > 0, path
    return results


@pytest.fixture(scope="module")
def saved(office: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """The good fill, the bad fill and a fill with a value far out at IV300, in every format."""
    root = tmp_path_factory.mktemp("suites")
    db = new_county(root / "maker")
    svc = Services.open(db)
    unit = next(u.id for u in svc.reference.units() if u.name == COLLECTION_UNIT)
    template = write_template(
        svc.imports.template_spec(unit, COLLECTION_PERIOD), root / "template.xlsx"
    )
    svc.close()

    def bad_edit(wb: Any) -> None:
        wb[ACTIVITY_SHEET].merge_cells("P8:P9")

    def formula_edit(wb: Any) -> None:
        for cell, formula in FORMULAS.items():
            sheet, ref = cell.split("!")
            wb[sheet][ref] = formula

    def far_edit(wb: Any) -> None:
        wb[ACTIVITY_SHEET]["IV300"] = "远处的一格"

    sources = [
        fill(template, root / "good.xlsx", ROWS, VALUES),
        fill(template, root / "bad.xlsx", BAD_ROWS, {"C1": -7}, edit=bad_edit),
        fill(template, root / "far.xlsx", ROWS, VALUES, edit=far_edit),
        fill(template, root / "formulas.xlsx", ROWS, VALUES, edit=formula_edit),
    ]
    files: dict[str, dict[str, Path]] = {}
    for fmt in FORMATS:
        results = resave(office, sources, fmt, root / fmt)
        files[fmt] = {path.stem: path for path in results}
    return files


def figures(db: Path) -> tuple[list[tuple[Any, ...]], dict[str, float], int]:
    """What the ledger holds after an import: activities, indicator entries, participants in all."""
    svc = Services.open(db)
    try:
        rows = svc.activities.rows(ActivityFilter(), 0, 100, "start_date", False)
        activities = []
        for row in rows:
            full = svc.activities.get(row.id)
            activities.append(
                (
                    full.start_date,
                    full.title,
                    full.participants,
                    full.female,
                    full.sessions,
                    full.volunteers,
                    full.volunteer_hours,
                    full.funding_fen,
                    full.place.name if full.place else None,
                    full.unit.name,
                    sorted(t.code for t in full.tasks),
                    sorted(g.name for g in full.groups),
                )
            )
        entries = {
            i.code: e.value for i in svc.plans.indicators() for e in svc.entries.entries(i.id)
        }
        total = svc.activities.totals(ActivityFilter()).participants
        return activities, entries, total
    finally:
        svc.close()


def _import(capsys: pytest.CaptureFixture[str], db: Path, path: Path) -> tuple[int, str, str]:
    return run(capsys, "--db", str(db), "collection", "import", str(path))


@pytest.mark.parametrize("fmt", [*FORMATS, "et"])
def test_each_format_imports_the_figures_computed_by_hand(
    saved: dict[str, dict[str, Path]], fmt: str, tmp_path: Path, capsys
):
    source = saved["xls" if fmt == "et" else fmt]["good"]
    path = tmp_path / f"人社局.{fmt}"
    shutil.copyfile(source, path)  # WPS's .et is, as WPS usually writes it, an .xls inside
    db = new_county(tmp_path / "db")
    code, out, err = _import(capsys, db, path)
    assert code == 0, out + err
    assert "已导入：活动 3 条，指标数据 2 条" in out
    activities, entries, total = figures(db)
    assert [a[:9] for a in activities] == EXPECTED
    assert {a[9] for a in activities} == {COLLECTION_UNIT}
    assert activities[1][10:] == (["P1.1"], ["产业工人", "农民"])
    assert entries == {"C1": 1500, "C2": 300}
    assert total == 80 + 120 + 1200


def _problems(out: str, name: str) -> list[str]:
    """The problem lines of a refused import, without the file's name."""
    return sorted(
        line.strip().split(f"{name}，", 1)[1]
        for line in out.splitlines()
        if f"{name}，工作表" in line
    )


def test_bad_cells_get_the_same_messages_in_every_format_and_change_nothing(
    saved: dict[str, dict[str, Path]], tmp_path: Path, capsys
):
    db = new_county(tmp_path / "db")
    before = database_dump(db)
    seen: dict[str, list[str]] = {}
    for fmt in [*FORMATS, "et"]:
        path = tmp_path / f"有错.{fmt}"
        shutil.copyfile(saved["xls" if fmt == "et" else fmt]["bad"], path)
        code, out, err = _import(capsys, db, path)
        assert code == 1, out + err
        assert "没有导入任何数据" in err
        seen[fmt] = _problems(out, path.name)
        for message in BAD_MESSAGES:
            assert any(line.startswith(message) for line in seen[fmt]), (fmt, message, out)
        assert database_dump(db) == before
    assert seen["xls"] == seen["xlsx"] == seen["ods"] == seen["et"]


def test_formulas_are_refused_as_excel_shows_them_whatever_saved_them(
    saved: dict[str, dict[str, Path]], tmp_path: Path, capsys
):
    db = new_county(tmp_path / "db")
    before = database_dump(db)
    for fmt in FORMATS:
        path = saved[fmt]["formulas"]
        code, out, _ = _import(capsys, db, path)
        assert code == 1
        assert _problems(out, path.name) == FORMULA_MESSAGES, (fmt, out)
    assert database_dump(db) == before


def test_a_value_far_out_is_refused_before_the_reader_in_every_format(
    saved: dict[str, dict[str, Path]], tmp_path: Path, capsys
):
    db = new_county(tmp_path / "db")
    before = database_dump(db)
    for fmt in FORMATS:
        path = saved[fmt]["far"]
        code, out, _ = _import(capsys, db, path)
        assert code == 1
        assert (
            f"{path.name}，工作表“{ACTIVITY_SHEET}”：工作表“{ACTIVITY_SHEET}”第 IV 列有内容" in out
        )
        assert "超出采集表的范围" in out, (fmt, out)
    assert database_dump(db) == before


def _refused(capsys: pytest.CaptureFixture[str], db: Path, path: Path) -> str:
    before = database_dump(db)
    code, out, err = _import(capsys, db, path)
    assert code == 1 and "没有导入任何数据" in err
    assert database_dump(db) == before
    message = next(line for line in out.splitlines() if line.startswith(f"问题：{path.name}"))
    assert "Traceback" not in out + err
    return message


def test_an_et_that_is_not_an_xls_inside_asks_for_xlsx(
    saved: dict[str, dict[str, Path]], tmp_path: Path, capsys
):
    db = new_county(tmp_path / "db")
    for source in (saved["xlsx"]["good"], saved["ods"]["good"]):
        path = tmp_path / f"{source.suffix[1:]}里的.et"
        shutil.copyfile(source, path)
        message = _refused(capsys, db, path)
        assert "WPS 表格（.et）" in message and "另存为” Excel 工作簿（*.xlsx）" in message


def test_a_damaged_ods_gets_an_ods_message_never_a_word_one(
    saved: dict[str, dict[str, Path]], tmp_path: Path, capsys
):
    db = new_county(tmp_path / "db")
    data = saved["ods"]["good"].read_bytes()
    truncated = tmp_path / "截断.ods"
    truncated.write_bytes(data[: len(data) // 2])
    message = _refused(capsys, db, truncated)
    assert "OpenDocument 电子表格（.ods）文件已损坏或不完整" in message, message

    no_content = tmp_path / "缺内容.ods"
    with (
        zipfile.ZipFile(saved["ods"]["good"]) as src,
        zipfile.ZipFile(no_content, "w") as dst,
    ):
        for item in src.infolist():
            if item.filename != "content.xml":
                dst.writestr(item, src.read(item.filename))
    message = _refused(capsys, db, no_content)
    assert "OpenDocument 电子表格（.ods）文件不完整（缺少 content.xml）" in message, message

    broken_xml = tmp_path / "坏XML.ods"
    with zipfile.ZipFile(saved["ods"]["good"]) as src, zipfile.ZipFile(broken_xml, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item, body[: len(body) // 2] if item.filename == "content.xml" else body)
    message = _refused(capsys, db, broken_xml)
    assert "OpenDocument 电子表格（.ods）文件已损坏" in message and "Word" not in message


def test_a_file_named_for_another_kind_is_read_or_named_by_what_it_is(
    saved: dict[str, dict[str, Path]], tmp_path: Path, capsys
):
    db = new_county(tmp_path / "db")
    renamed = tmp_path / "其实是ods.xlsx"
    shutil.copyfile(saved["ods"]["good"], renamed)
    code, out, err = _import(capsys, db, renamed)
    assert code == 0 and "已导入：活动 3 条，指标数据 2 条" in out, out + err

    from docx import Document

    word = tmp_path / "其实是Word.xlsx"
    Document().save(str(word))
    assert "这是Word 文档（.docx），不是采集表" in _refused(capsys, db, word)

    csv = tmp_path / "导出.xls"
    csv.write_text("开始日期,活动名称\n2024-05-18,讲座\n", encoding="gbk")
    assert "CSV 或文本文件（只是扩展名改成了 .xls）" in _refused(capsys, db, csv)


def test_a_number_too_large_for_a_float_in_an_ods_is_too_large_not_damage(
    saved: dict[str, dict[str, Path]], tmp_path: Path, capsys
):
    patched = tmp_path / "大数.ods"
    with zipfile.ZipFile(saved["ods"]["good"]) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "content.xml":
                body, count = re.subn(
                    rb'office:value="1500"', b'office:value="' + b"9" * 400 + b'"', body
                )
                assert count == 1
            dst.writestr(item, body)
    db = new_county(tmp_path / "db")
    message = _refused(capsys, db, patched)
    assert f"工作表“{INDICATOR_SHEET}”，第 4 行，“本期数值”列" in message
    assert "超出允许范围（0—1,000,000,000,000" in message and "已损坏" not in message


def _patched_ods(source: Path, out: Path, change: Any) -> Path:
    """The .ods with its content.xml changed, everything else as LibreOffice wrote it."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item, change(body) if item.filename == "content.xml" else body)
    return out


def test_an_ods_too_wide_too_tall_or_with_a_dtd_is_refused_before_the_reader(
    saved: dict[str, dict[str, Path]], tmp_path: Path, capsys
):
    """One cell repeated over 20,000 columns, or one row of content over 300,000 rows, would
    have the reader build that grid; an entity declaration is how an XML bomb starts."""
    db = new_county(tmp_path / "db")
    good = saved["ods"]["good"]
    title = "防诈骗讲座".encode()

    def wide(body: bytes) -> bytes:
        at = body.rindex(b"<table:table-cell ", 0, body.index(title))
        return (
            body[:at]
            + b'<table:table-cell table:number-columns-repeated="20000" '
            + body[at + len(b"<table:table-cell ") :]
        )

    def tall(body: bytes) -> bytes:
        at = body.rindex(b"<table:table-row", 0, body.index(title))
        return (
            body[:at]
            + b'<table:table-row table:number-rows-repeated="300000"'
            + body[at + len(b"<table:table-row") :]
        )

    def dtd(body: bytes) -> bytes:
        return body.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)

    message = _refused(capsys, db, _patched_ods(good, tmp_path / "宽.ods", wide))
    far = re.search(rf"工作表“{ACTIVITY_SHEET}”第 ([A-Z]+) 列有内容，超出采集表的范围", message)
    assert far and 20_000 < column_number(far[1]) < 20_020, message
    message = _refused(capsys, db, _patched_ods(good, tmp_path / "长.ods", tall))
    assert "第 300005 行有内容，超出上限" in message
    message = _refused(capsys, db, _patched_ods(good, tmp_path / "实体.ods", dtd))
    assert "content.xml 含有 XML 实体" in message


def test_a_truncated_xls_is_named_as_an_xls_that_is_damaged(
    saved: dict[str, dict[str, Path]], tmp_path: Path, capsys
):
    db = new_county(tmp_path / "db")
    data = saved["xls"]["good"].read_bytes()
    for size in (len(data) // 2, 5000, 600):
        path = tmp_path / f"截断{size}.xls"
        path.write_bytes(data[:size])
        message = _refused(capsys, db, path)
        assert "旧版 Excel（.xls）" in message and "损坏" in message, message


def test_an_xls_with_an_open_password_is_refused_as_such(
    saved: dict[str, dict[str, Path]], tmp_path: Path, capsys
):
    """The globals' CODEPAGE record turned into FILEPASS, the mark of an encrypted workbook."""
    data = saved["xls"]["good"].read_bytes()
    codepage = b"\x42\x00\x02\x00\xb0\x04"  # CODEPAGE, 2 bytes: 1200 (UTF-16)
    assert data.count(codepage) == 1
    path = tmp_path / "加密.xls"
    path.write_bytes(data.replace(codepage, b"\x2f\x00" + codepage[2:]))
    db = new_county(tmp_path / "db")
    message = _refused(capsys, db, path)
    assert "设置了打开密码" in message and "另存为" in message, message
