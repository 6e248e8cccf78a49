"""Importing collection workbooks: good files, re-imports, undo, and every kind of bad file.

Bad files are built here with tmp_path. For each, the command exits non-zero
with a Chinese message naming the file (and sheet/row/column where there is
one), and the database content is unchanged: same row counts, same checksum.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from desktop.cli import main
from desktop.collection_layout import (
    ACTIVITY_COLUMNS,
    ACTIVITY_SHEET,
    FIRST_DATA_ROW,
    INDICATOR_SHEET,
    MARKER_SHEET,
)
from desktop.exporting.collection_template import write_template
from desktop.importing.collection_workbook import (
    MAX_ACTIVITY_ROWS,
    CollectionFileError,
    import_workbooks,
    parse_date,
    read_collection,
)
from desktop.services import Services
from desktop.services.activities import ActivityFilter
from tests.conftest import COLLECTION_PERIOD, COLLECTION_UNIT

COLUMN = {key: i for i, (key, _, _, _) in enumerate(ACTIVITY_COLUMNS, start=1)}
UNIT = COLLECTION_UNIT
PERIOD = COLLECTION_PERIOD


def fingerprint(path: Path) -> tuple[dict[str, int], str]:
    """Row counts and a checksum over every row of every table (the search index aside)."""
    con = sqlite3.connect(path)
    try:
        tables = sorted(
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'activity_fts%'"
            )
        )
        counts: dict[str, int] = {}
        digest = hashlib.sha256()
        for t in tables:
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{t}"'))
            counts[t] = len(rows)
            digest.update(t.encode())
            for r in rows:
                digest.update(r.encode())
        return counts, digest.hexdigest()
    finally:
        con.close()


def fill(
    template: Path,
    out: Path,
    rows: list[dict[str, Any]],
    values: dict[str, Any] | None = None,
    edit: Any = None,
) -> Path:
    """Fill the template the way a unit would in Excel, and save it as `out`."""
    wb = load_workbook(template)
    ws = wb[ACTIVITY_SHEET]
    for offset, row in enumerate(rows):
        for key, value in row.items():
            cell = ws.cell(FIRST_DATA_ROW + offset, COLUMN[key])
            cell.value = value
            if isinstance(value, str) and not value.startswith("=="):
                cell.data_type = "s"
            if isinstance(value, str) and value.startswith("=="):
                cell.value = value[1:]  # a real formula
    ind = wb[INDICATOR_SHEET]
    for row in ind.iter_rows(min_row=FIRST_DATA_ROW):
        code = row[0].value
        if values and code in values:
            row[4].value = values[code]
    if edit is not None:
        edit(wb)
    wb.save(out)
    return out


GOOD = [
    {
        "start_date": datetime(2024, 5, 18),
        "title": "农民工电工技能培训班",
        "type": "实用技术培训",
        "place": "城关镇",
        "tasks": "P1.1 农民实用技术培训",
        "groups": "农民、产业工人",
        "cooperators": "县科协",
        "participants": 120,
        "female": 45,
        "rural": 100,
        "sessions": 2,
        "volunteers": 4,
        "volunteer_hours": 12.5,
        "funding_yuan": 3500.5,
        "media": "县融媒",
        "summary": "集中授课与实操",
    },
    {
        "start_date": "2024.6.3",
        "end_date": "2024年6月4日",
        "title": "=1+1 这不是公式",
        "type": "科普讲座",
        "participants": "1,200",
    },
    {"start_date": "2024/4/9", "title": "防诈骗讲座", "type": "科普讲座", "participants": 80},
    {"start_date": "2024-05-20", "title": "＋电商直播培训", "type": "实用技术培训"},
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_good_file_imports_reimports_nothing_and_undoes(
    county: Services, template: Path, tmp_path: Path, capsys
):
    filled = fill(template, tmp_path / "人社局.xlsx", GOOD, {"C1": 1500, "C2": "300"})
    db = county.db.path
    county.close()

    code, out, err = run(capsys, "--db", str(db), "collection", "import", str(filled), "--dry-run")
    assert code == 0, err
    assert "活动 4 条，指标数据 2 条" in out and "没有写入任何数据" in out
    before = fingerprint(db)

    code, out, err = run(capsys, "--db", str(db), "collection", "import", str(filled))
    assert code == 0, err
    assert "已导入：活动 4 条，指标数据 2 条" in out
    backups = list((db.parent / "backups").glob("*pre-import*.sqlite3"))
    assert len(backups) == 1
    assert fingerprint(backups[0]) == before  # backed up before anything was written

    svc = Services.open(db)
    rows = svc.activities.rows(ActivityFilter(), 0, 10, "start_date", False)
    assert [(r.start_date, r.title, r.participants) for r in rows] == [
        (date(2024, 4, 9), "防诈骗讲座", 80),
        (date(2024, 5, 18), "农民工电工技能培训班", 120),
        (date(2024, 5, 20), "＋电商直播培训", 0),
        (date(2024, 6, 3), "=1+1 这不是公式", 1200),
    ]
    full = svc.activities.get(rows[1].id)
    assert (full.female, full.rural, full.sessions, full.volunteers) == (45, 100, 2, 4)
    assert full.volunteer_hours == 12.5 and full.funding_fen == 350050
    assert full.place.name == "城关镇" and full.unit.name == UNIT
    assert [t.code for t in full.tasks] == ["P1.1"]
    assert sorted(g.name for g in full.groups) == ["产业工人", "农民"]
    assert [u.name for u in full.cooperators] == ["县科协"]
    assert svc.activities.get(rows[3].id).end_date == date(2024, 6, 4)
    entries = {i.code: e for i in svc.plans.indicators() for e in svc.entries.entries(i.id)}
    assert entries["C1"].value == 1500 and entries["C1"].period == "2024Q2"
    assert entries["C2"].value == 300 and entries["C1"].unit_id == full.unit_id
    batches = svc.imports.batches()
    assert [(b.id, b.unit_name, b.activities, b.entries, b.rows) for b in batches] == [
        (1, UNIT, 4, 2, 6)
    ]
    svc.close()

    # The same file again adds nothing.
    after_first = fingerprint(db)
    code, out, _ = run(capsys, "--db", str(db), "collection", "import", str(filled))
    assert code == 0 and "没有新的数据需要导入" in out and "跳过（已导入过）6 条" in out
    assert fingerprint(db)[0] == after_first[0]

    # A re-send with a corrected figure is not silently skipped: it is refused, row and column named.
    corrected = [dict(GOOD[0], participants=150, female=45), *GOOD[1:]]
    resent = fill(template, tmp_path / "人社局（更正）.xlsx", corrected, {"C1": 1500, "C2": "300"})
    code, out, err = run(capsys, "--db", str(db), "collection", "import", str(resent))
    assert code != 0
    assert "人社局（更正）.xlsx，工作表“活动”，第 4 行，“参加人次”列" in out
    assert "已导入过（活动 #1），但表中的“参加人次”与台账不同" in out
    assert "没有导入任何数据" in err
    assert fingerprint(db)[0] == after_first[0]

    code, out, _ = run(capsys, "--db", str(db), "collection", "batches")
    assert code == 0 and "人社局.xlsx" in out and "有效" in out
    code, out, _ = run(capsys, "--db", str(db), "collection", "undo", "--batch", "1")
    assert code == 0 and "删除活动 4 条，指标数据 2 条" in out
    counts = fingerprint(db)[0]
    assert counts["activity"] == 0 and counts["entry"] == 0 and counts["activity_task"] == 0
    code, _, err = run(capsys, "--db", str(db), "collection", "undo", "--batch", "1")
    assert code == 1 and "批次 1 已于" in err and "撤销" in err

    # After an undo the file can be imported again.
    code, out, _ = run(capsys, "--db", str(db), "collection", "import", str(filled))
    assert code == 0 and "已导入：活动 4 条，指标数据 2 条" in out


def test_undo_refused_once_the_period_is_locked(county: Services, template: Path, tmp_path: Path):
    filled = fill(template, tmp_path / "f.xlsx", GOOD[:1])
    result = import_workbooks(county.imports, [filled])
    assert result.written and result.activities == 1
    county.locks.lock("2024Q2")
    from desktop.errors import LockedError

    with pytest.raises(LockedError, match="2024年第2季度已报送并锁定"):
        county.imports.undo(result.files[0].batch_id)
    assert county.activities.count(ActivityFilter()) == 1


def test_row_problems_block_the_file_unless_valid_only(
    county: Services, template: Path, tmp_path: Path, capsys
):
    rows = [
        GOOD[0],
        {"start_date": "5月18日", "title": "日期不全", "type": "科普讲座"},
        {"start_date": "2024/2/30", "title": "日期不存在", "type": "科普讲座"},
        {"start_date": "2024-07-01", "title": "不在本季度", "type": "科普讲座"},
        {
            "start_date": "2024-05-01",
            "title": "人次写成文字",
            "type": "科普讲座",
            "participants": "约50人",
        },
        {
            "start_date": "2024-05-02",
            "title": "女性多于总数",
            "type": "科普讲座",
            "participants": 10,
            "female": 11,
        },
        {"start_date": "2024-05-03", "title": "类型乱填", "type": "文艺演出"},
        {"start_date": "2024-05-04", "title": "", "type": "科普讲座", "participants": 3},
        {
            "start_date": "2024-05-05",
            "title": "公式人次",
            "type": "科普讲座",
            "participants": "==10*3",
        },
        {"start_date": "2024-05-06", "title": "任务乱填", "type": "科普讲座", "tasks": "Z9.9"},
        {"start_date": datetime(2024, 5, 18), "title": "农民工电工技能培训班", "type": "科普讲座"},
    ]
    filled = fill(template, tmp_path / "问题表.xlsx", rows, {"C1": "一千多"})
    db = county.db.path
    county.close()
    before = fingerprint(db)
    code, out, err = run(capsys, "--db", str(db), "collection", "import", str(filled))
    assert code == 1
    assert "没有导入任何数据" in err and "--valid-only" in err
    assert fingerprint(db) == before
    assert not list((db.parent / "backups").glob("*pre-import*"))  # nothing written, no copy kept
    expected = [
        "问题表.xlsx，工作表“活动”，第 5 行，“开始日期”列：无法识别的日期“5月18日”",
        "问题表.xlsx，工作表“活动”，第 6 行，“开始日期”列：日期“2024/2/30”不存在",
        "问题表.xlsx，工作表“活动”，第 7 行，“开始日期”列：活动日期 2024-07-01 不在本表统计期（2024年第2季度）内。",
        "问题表.xlsx，工作表“活动”，第 8 行，“参加人次”列：应填写整数，实际是“约50人”",
        "问题表.xlsx，工作表“活动”，第 9 行，“其中女性”列：女性人次（11）不能超过参加人次（10）。",
        "问题表.xlsx，工作表“活动”，第 10 行，“活动类型”列：没有“文艺演出”这种活动类型",
        "问题表.xlsx，工作表“活动”，第 11 行，“活动名称”列：必填项为空。",
        "问题表.xlsx，工作表“活动”，第 12 行，“参加人次”列：单元格是公式（=10*3）",
        "问题表.xlsx，工作表“活动”，第 13 行，“服务任务”列：方案中没有编号为“Z9.9”的任务。",
        "问题表.xlsx，工作表“活动”，第 14 行，“活动名称”列：与第 4 行是同一活动",
        "问题表.xlsx，工作表“指标填报”，第 4 行，“本期数值”列：应填写数字，实际是“一千多”",
    ]
    for text in expected:
        assert text in out, text
    assert out.count("问题：") == len(expected)

    code, out, err = run(
        capsys, "--db", str(db), "collection", "import", str(filled), "--valid-only"
    )
    assert code == 0, err
    assert "已导入：活动 1 条，指标数据 0 条" in out
    counts = fingerprint(db)[0]
    assert counts["activity"] == 1 and counts["import_batch"] == 1
    [copy] = (db.parent / "backups").glob("*pre-import*")
    assert fingerprint(copy) == before


def test_conflicting_entry_is_reported_not_overwritten(
    county: Services, template: Path, tmp_path: Path
):
    c1 = next(i for i in county.plans.indicators() if i.code == "C1")
    unit = next(u.id for u in county.reference.units() if u.name == UNIT)
    county.entries.set(c1.id, "2024Q2", 900, unit_id=unit)
    filled = fill(template, tmp_path / "c.xlsx", [], {"C1": 1500})
    result = import_workbooks(county.imports, [filled])
    assert not result.written
    assert [str(p) for p in result.problems] == [
        "c.xlsx，工作表“指标填报”，第 4 行，“本期数值”列：农民培训人次 2024年第2季度已有填报数值 900，"
        "与表中的 1500 不同；如需更正，请在“数据填报”中修改。"
    ]
    assert county.entries.entries(c1.id)[0].value == 900


def test_merged_cells_are_refused_with_their_range(
    county: Services, template: Path, tmp_path: Path
):
    rows = [
        {"start_date": "2024-05-01", "title": "甲", "type": "科普讲座"},
        {"start_date": "2024-05-02", "title": "乙"},
    ]
    filled = fill(
        template, tmp_path / "m.xlsx", rows, edit=lambda wb: wb[ACTIVITY_SHEET].merge_cells("D4:D5")
    )
    result = import_workbooks(county.imports, [filled])
    assert not result.written
    messages = [str(p) for p in result.problems]
    assert (
        "m.xlsx，工作表“活动”，第 4 行，“活动类型”列：有合并单元格（D4:D5），合并后只有第一格有值；请取消合并并逐行填写。"
        in messages
    )
    assert "m.xlsx，工作表“活动”，第 5 行，“活动类型”列：位于合并单元格 D4:D5 中。" in messages


def _fatal(county: Services, path: Path, capsys, *fragments: str) -> None:
    """The CLI refuses the file with a message naming it; the database is unchanged."""
    db = county.db.path
    before = fingerprint(db)
    code, out, err = run(capsys, "--db", str(db), "collection", "import", str(path))
    assert code == 1
    assert f"问题：{path.name}" in out
    for fragment in fragments:
        assert fragment in out, (fragment, out)
    assert "没有导入任何数据" in err
    assert fingerprint(db) == before


def test_not_a_workbook(county: Services, tmp_path: Path, capsys):
    path = tmp_path / "random.xlsx"
    path.write_bytes(bytes(range(256)) * 20)
    _fatal(county, path, capsys, "不是 Excel 工作簿")


def test_empty_file(county: Services, tmp_path: Path, capsys):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    _fatal(county, path, capsys, "empty.xlsx：文件是空的（0 字节）")


def test_truncated_file(county: Services, template: Path, tmp_path: Path, capsys):
    data = fill(template, tmp_path / "full.xlsx", GOOD).read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _fatal(county, path, capsys, "文件已损坏或不完整")


def test_xls_renamed(county: Services, tmp_path: Path, capsys):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    _fatal(county, path, capsys, "旧版 Excel（.xls）", "另存为")


def test_csv_renamed(county: Services, tmp_path: Path, capsys):
    path = tmp_path / "data.xlsx"
    path.write_text("开始日期,活动名称,活动类型\n2024-05-18,科普讲座,科普讲座\n", encoding="gbk")
    _fatal(county, path, capsys, "CSV 或文本文件")


def test_workbook_from_another_template(county: Services, tmp_path: Path, capsys):
    wb = Workbook()
    wb.active.title = ACTIVITY_SHEET
    wb.active.append(["开始日期", "活动名称", "活动类型"])
    wb.active.append(["2024-05-18", "讲座", "科普讲座"])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    _fatal(county, path, capsys, "不是本程序生成的采集表")


def test_template_of_another_version_or_plan(
    county: Services, template: Path, tmp_path: Path, capsys
):
    def old_version(wb):
        wb[MARKER_SHEET]["B2"] = "0"

    path = fill(template, tmp_path / "v0.xlsx", GOOD, edit=old_version)
    _fatal(county, path, capsys, "模板版本为“0”")

    def other_plan(wb):
        wb[MARKER_SHEET]["B5"] = "another-plan"

    path = fill(template, tmp_path / "plan.xlsx", GOOD, edit=other_plan)
    _fatal(county, path, capsys, "为方案“another-plan”生成的")


def test_a_hundred_thousand_rows_import_whole(county: Services, tmp_path: Path, capsys):
    """Refused as too many before the bulk path (活动超过 10000 行); now one import, all of it."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(ACTIVITY_SHEET)
    ws.append(["标题"])
    ws.append(["说明"])
    ws.append(["开始日期*", "活动名称*", "活动类型*"])
    for i in range(100_000):
        ws.append([f"2024-05-{1 + i % 31:02d}", f"活动{i}", "科普讲座"])
    ind = wb.create_sheet(INDICATOR_SHEET)
    ind.append(["指标编号", "指标名称", "计量单位", "目标值", "本期数值*", "备注"])
    marker = wb.create_sheet(MARKER_SHEET)
    for row in (
        ("kind", "kepu-collection"),
        ("version", "1"),
        ("unit", UNIT),
        ("period", PERIOD),
        ("plan", "test-county-2021-2025"),
    ):
        marker.append(row)
    path = tmp_path / "huge.xlsx"
    wb.save(path)
    assert MAX_ACTIVITY_ROWS >= 100_000
    db = county.db.path
    county.close()
    code, out, err = run(capsys, "--db", str(db), "collection", "import", str(path))
    assert code == 0, err
    assert "已导入：活动 100000 条" in out
    svc = Services.open(db)
    try:
        assert svc.activities.count(ActivityFilter()) == 100_000
        assert svc.activities.count(ActivityFilter(text="活动99999")) == 1
        from desktop.services import tally

        with svc.db.reading() as s:
            assert tally.differences(s) == []
    finally:
        svc.close()


BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{"&lol" + (str(i - 1) if i > 1 else "") + ";" * 1}' * 1 + '">'
        for i in range(1, 2)
    )
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol1;</t></si></sst>'
)


def _billion_laughs(original: bytes) -> bytes:
    """The sheet with a billion-laughs DTD put in front of its root element."""
    entities = ['<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        entities.append(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">')
    dtd = "<!DOCTYPE worksheet [" + "".join(entities) + "]>"
    return dtd.encode() + original


def _rewrite(source: Path, dest: Path, replace: dict[str, bytes], extra: Any = None) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        if extra is not None:
            extra(out)
    return dest


def test_xml_bomb(county: Services, template: Path, tmp_path: Path, capsys):
    filled = fill(template, tmp_path / "ok.xlsx", GOOD)
    with zipfile.ZipFile(filled) as zf:
        sheet = zf.read("xl/worksheets/sheet2.xml")
    assert b"<sheetData>" in sheet and b'r="4"' in sheet  # the 活动 sheet, with its rows
    path = _rewrite(
        filled, tmp_path / "bomb.xlsx", {"xl/worksheets/sheet2.xml": _billion_laughs(sheet)}
    )
    _fatal(county, path, capsys, "XML 炸弹")


def test_zip_bomb(county: Services, template: Path, tmp_path: Path, capsys):
    filled = fill(template, tmp_path / "ok.xlsx", GOOD)

    def add_bomb(out: zipfile.ZipFile) -> None:
        with out.open("xl/media/image1.png", "w") as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(200):
                member.write(chunk)

    path = _rewrite(filled, tmp_path / "zipbomb.xlsx", {}, add_bomb)
    assert path.stat().st_size < 2 * 1024 * 1024
    _fatal(county, path, capsys, "压缩炸弹")


def test_several_files_all_or_nothing(county: Services, template: Path, tmp_path: Path, capsys):
    good = fill(template, tmp_path / "good.xlsx", GOOD[:2])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"")
    db = county.db.path
    county.close()
    before = fingerprint(db)
    code, out, err = run(capsys, "--db", str(db), "collection", "import", str(good), str(bad))
    assert code == 1 and "bad.xlsx：文件是空的" in out
    assert fingerprint(db) == before
    code, out, _ = run(
        capsys, "--db", str(db), "collection", "import", str(good), str(bad), "--valid-only"
    )
    assert code == 0 and "已导入：活动 2 条" in out


def test_date_forms():
    for text in (
        "2024.5.18",
        "2024年5月18日",
        "2024/5/18",
        "2024-05-18",
        " 2024 年 5 月 18 日 ",
        45430,
    ):
        assert parse_date(text) == date(2024, 5, 18), text
    for bad in ("2024-13-01", "18/5/2024", "五月十八", 12):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_reader_raises_a_located_error(tmp_path: Path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"")
    with pytest.raises(CollectionFileError) as info:
        read_collection(path)
    assert info.value.problem.file == "x.xlsx"
    assert shutil.which("soffice")  # the template tests render with it


def test_progress_is_reported_and_cancel_writes_nothing(
    county: Services, template: Path, tmp_path: Path
):
    rows = [
        {"start_date": f"2024-05-{1 + i % 28:02d}", "title": f"科普讲座第{i}场", "type": "科普讲座"}
        for i in range(120)
    ]
    filled = fill(template, tmp_path / "many.xlsx", rows)
    db = county.db.path
    before = fingerprint(db)
    from desktop.errors import ServiceError

    calls: list[tuple[int, int]] = []
    with pytest.raises(ServiceError, match="已取消，没有导入任何数据"):
        import_workbooks(
            county.imports, [filled], progress=lambda d, t: calls.append((d, t)) or d < 100
        )
    # 120 activities + 3 indicator rows checked, then the 120 activities written.
    assert calls[:2] == [(50, 243), (100, 243)]
    assert fingerprint(db) == before

    calls.clear()
    checked = import_workbooks(
        county.imports, [filled], dry_run=True, progress=lambda d, t: calls.append((d, t)) or True
    )
    assert checked.activities == 120 and not checked.written
    assert calls == [(50, 123), (100, 123), (123, 123)]  # a check writes nothing: no second half

    calls.clear()
    result = import_workbooks(
        county.imports, [filled], progress=lambda d, t: calls.append((d, t)) or True
    )
    assert result.written and result.activities == 120
    assert calls[0] == (50, 243) and calls[-1] == (243, 243)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    # A cancel while the activities are being written leaves nothing either.
    county.imports.undo(result.files[0].batch_id)
    after_undo = fingerprint(db)
    with pytest.raises(ServiceError, match="已取消，没有导入任何数据"):
        import_workbooks(county.imports, [filled], progress=lambda d, t: d < 200)
    assert fingerprint(db) == after_undo


def test_import_dry_run_reimport_and_undo_on_each_database(
    any_plan_services: Services, tmp_path: Path
):
    svc = any_plan_services
    svc.reference.add_place("城关镇")
    unit = next(u.id for u in svc.reference.units() if u.name == UNIT)
    template = write_template(svc.imports.template_spec(unit, PERIOD), tmp_path / "template.xlsx")
    filled = fill(template, tmp_path / "f.xlsx", GOOD, {"C1": 1500})
    preview = import_workbooks(svc.imports, [filled], dry_run=True)
    assert (preview.activities, preview.entries, preview.written) == (4, 1, False)
    assert svc.activities.count(ActivityFilter()) == 0 and svc.imports.batches() == []
    done = import_workbooks(svc.imports, [filled])
    assert (done.activities, done.entries, done.written) == (4, 1, True)
    assert svc.activities.totals(ActivityFilter()).participants == 120 + 1200 + 80
    again = import_workbooks(svc.imports, [filled])
    assert (again.activities, again.skipped, again.written) == (0, 5, False)
    assert svc.imports.undo(done.files[0].batch_id) == (4, 1)
    assert svc.activities.count(ActivityFilter()) == 0
