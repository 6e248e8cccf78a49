"""The one bulk write path for activities (desktop/services/bulk.py) and the import built on it.

A bulk import must leave exactly what entering the same activities one at a
time leaves: the same rows and links, the same search results, the same
month totals and progress figures; its stand-ins for the row triggers must
match the triggers in the schema, and nothing — a failure, a cancel, a
killed process — may leave the search index or the triggers wrong.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from desktop.collection_layout import (
    ACTIVITY_COLUMNS,
    ACTIVITY_SHEET,
    INDICATOR_SHEET,
    MARKER_SHEET,
)
from desktop.importing import collection_workbook
from desktop.importing.collection_workbook import import_workbooks, read_collection
from desktop.models import Activity
from desktop.plan.document import PlanDocument
from desktop.services import Services, bulk, import_pass, tally
from desktop.services.activities import ActivityFilter, ActivityInput
from tests.conftest import COLLECTION_PERIOD, COLLECTION_UNIT, SMALL_PLAN
from tests.test_collection_import import GOOD, fill, fingerprint

HEADERS = [header for _, header, _, _ in ACTIVITY_COLUMNS]
TYPES = ["科普讲座", "实用技术培训", "科普展览", "科技志愿服务"]
TRIGGERS = sorted({*bulk.INSERT_TRIGGERS, *bulk.DELETE_TRIGGERS})


def _rows(n: int, seed: int = 1) -> list[list[Any]]:
    """`n` distinct activities of 2024Q2 in the template's column order, some with every field."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        day = date(2024, 4, 1) + timedelta(days=rng.randrange(91))
        participants = rng.randint(10, 500)
        full = i % 3 == 0
        rows.append(
            [
                day if i % 2 else day.isoformat(),
                day + timedelta(days=1) if full else None,
                f"乡村科普行第{i + 1}站（{rng.choice(['东村', '西村', '南庄'])}）",
                TYPES[i % len(TYPES)],
                "城关镇" if full else None,
                "P1.1 农民实用技术培训、A1.1" if full else ("A1.2" if i % 3 == 1 else None),
                "农民、青少年" if full else ("老年人" if i % 5 == 0 else None),
                "县科协" if i % 4 == 0 else None,
                participants,
                participants // 3 if full else None,
                participants // 2 if full else None,
                rng.choice([1, 2]),
                rng.choice([0, 3]),
                rng.choice([0.0, 4.5]),
                float(rng.randrange(0, 90000, 50)) / 10,
                "县融媒" if full else None,
                f"在{rng.choice(['文化广场', '村委会', '中心校'])}开展，群众参与踊跃。"
                if full
                else None,
            ]
        )
    return rows


def _workbook(path: Path, rows: list[list[Any]]) -> Path:
    """A collection workbook written row by row (openpyxl's write-only mode, for thousands of rows)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(ACTIVITY_SHEET)
    ws.append(["县人社局科普活动填报表"])
    ws.append(["说明"])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    ind = wb.create_sheet(INDICATOR_SHEET)
    ind.append(["指标编号", "指标名称", "计量单位", "目标值", "本期数值*", "备注"])
    marker = wb.create_sheet(MARKER_SHEET)
    for pair in (
        ("kind", "kepu-collection"),
        ("version", "1"),
        ("unit", COLLECTION_UNIT),
        ("period", COLLECTION_PERIOD),
        ("plan", SMALL_PLAN["id"]),
    ):
        marker.append(pair)
    wb.save(path)
    return path


def _entered_one_by_one(services: Services, source: Services) -> None:
    """Add every activity of `source` to `services` through the ordinary single-row path."""
    with source.db.reading() as s:
        ids = list(s.scalars(select(Activity.id).order_by(Activity.id)))
    for activity_id in ids:
        services.activities.add(ActivityInput.from_activity(source.activities.get(activity_id)))


def _ledger(path: Path) -> list[tuple]:
    """Every activity with its links, as entered (no ids, batches or timestamps)."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT a.start_date, a.end_date, a.title, a.type_id, a.place_id, a.unit_id, "
            "a.participants, a.female, a.rural, a.sessions, a.volunteers, a.volunteer_hours, "
            "a.funding_fen, a.media, a.summary, "
            "(SELECT group_concat(task_id) FROM activity_task WHERE activity_id = a.id), "
            "(SELECT group_concat(group_id) FROM activity_group WHERE activity_id = a.id), "
            "(SELECT group_concat(unit_id) FROM activity_cooperator WHERE activity_id = a.id) "
            "FROM activity a"
        ).fetchall()
        return sorted(rows, key=repr)
    finally:
        con.close()


def _schema(path: Path) -> list[tuple[str, str, str]]:
    con = sqlite3.connect(path)
    try:
        return sorted(
            con.execute(
                "SELECT type, name, coalesce(sql, '') FROM sqlite_master "
                "WHERE type IN ('trigger', 'index')"
            )
        )
    finally:
        con.close()


def _index_whole(path: Path) -> None:
    """The search index agrees with the table; every trigger and index is in place, as made."""
    con = sqlite3.connect(path)
    try:
        con.execute("INSERT INTO activity_fts(activity_fts, rank) VALUES ('integrity-check', 1)")
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    fresh = path.parent / "fresh-schema.sqlite3"
    if not fresh.exists():
        Services.open(fresh).close()
    assert _schema(path) == _schema(fresh)
    assert set(TRIGGERS) <= {name for kind, name, _ in _schema(path) if kind == "trigger"}


def _figures(services: Services) -> list[tuple]:
    return [(p.code, p.actual, p.status) for p in services.progress.report().indicators]


def test_a_bulk_import_leaves_what_entering_the_rows_one_by_one_leaves(
    county: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(import_pass, "WRITE_CHUNK", 150)  # several chunks, as a big file has
    book = _workbook(tmp_path / "县人社局.xlsx", _rows(400))
    result = import_workbooks(county.imports, [book])
    assert result.written and result.activities == 400 and not result.problems

    twin = Services.open(tmp_path / "twin.sqlite3")
    twin.plans.create(PlanDocument.from_dict(SMALL_PLAN))
    twin.reference.add_place("城关镇")
    _entered_one_by_one(twin, county)
    assert _ledger(county.db.path) == _ledger(twin.db.path)
    assert _figures(county) == _figures(twin)
    for text in ("乡村科普行第137站", "文化广场", "第1"):
        flt = ActivityFilter(text=text)
        assert county.activities.count(flt) == twin.activities.count(flt) > 0, text
    for svc in (county, twin):
        with svc.db.reading() as s:
            assert tally.differences(s) == []
    _index_whole(county.db.path)
    twin.close()

    assert county.imports.undo(result.files[0].batch_id) == (400, 0)
    assert county.activities.count(ActivityFilter()) == 0
    assert county.activities.count(ActivityFilter(text="乡村科普行")) == 0
    with county.db.reading() as s:
        assert tally.differences(s) == []
    _index_whole(county.db.path)


def test_every_row_trigger_the_bulk_path_stands_in_for_is_the_one_in_the_schema(
    services: Services,
):
    """Were a migration to change one, the bulk path would keep it firing per row: told here."""
    con = sqlite3.connect(services.db.path)
    try:
        stored = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger'"))
    finally:
        con.close()
    expected = {**bulk.INSERT_TRIGGERS, **bulk.DELETE_TRIGGERS}
    assert [name for name, sql in expected.items() if not bulk._same_text(stored[name], sql)] == []


def _row(types: dict[str, int], unit: int, day: date, key: str | None) -> dict[str, Any]:
    return {
        "start_date": day,
        "title": f"讲座{key}",
        "type_id": types["lecture"],
        "unit_id": unit,
        "participants": 10,
        "sessions": 1,
        "volunteers": 0,
        "volunteer_hours": 0.0,
        "funding_fen": 0,
        "media": "",
        "summary": "",
        "import_key": key,
    }


def test_a_failure_inside_a_bulk_write_takes_back_its_rows_and_puts_every_trigger_back(
    plan_services: Services,
):
    svc = plan_services
    types = {t.code: t.id for t in svc.reference.activity_types()}
    unit = next(u.id for u in svc.reference.units() if u.name == "县科协")
    with svc.db.transaction() as s:
        try:  # expecting many rows into an empty table: its indexes are dropped meanwhile
            with bulk.writing_activities(s, expected=1000) as writer:
                writer.add([_row(types, unit, date(2024, 5, 1), "k1")], [[]], [[]])
                writer.add([_row(types, unit, date(2024, 5, 2), "k1")], [[]], [[]])  # same key
        except Exception as exc:  # the unique import key: the writer's savepoint rolls back
            assert "UNIQUE" in str(exc)
        # The transaction goes on and commits: nothing of the failed block may be in it.
        with bulk.writing_activities(s) as writer:
            writer.add([_row(types, unit, date(2024, 6, 1), "k2")], [[]], [[]])
    assert [a.title for a in svc.activities.rows(ActivityFilter(), 0, 10)] == ["讲座k2"]
    assert svc.activities.count(ActivityFilter(text="讲座k1")) == 0
    assert svc.activities.count(ActivityFilter(text="讲座k2")) == 1
    with svc.db.reading() as s:
        assert tally.differences(s) == []
    _index_whole(svc.db.path)


def test_a_killed_bulk_import_leaves_the_index_and_the_triggers_whole(
    county: Services, tmp_path: Path
):
    book = _workbook(tmp_path / "big.xlsx", _rows(8000, seed=2))
    db = county.db.path
    county.close()
    pristine = tmp_path / "pristine.sqlite3"
    pristine.write_bytes(db.read_bytes())
    argv = [sys.executable, "-m", "desktop", "--db", str(db), "collection", "import", str(book)]
    started = time.monotonic()
    subprocess.run(argv, check=True, capture_output=True, timeout=600)
    span = time.monotonic() - started
    _index_whole(db)
    rng = random.Random(4)
    seen = set()
    for _ in range(4):
        db.write_bytes(pristine.read_bytes())
        for side in ("-wal", "-shm"):
            Path(f"{db}{side}").unlink(missing_ok=True)
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(span * 0.4, span * 0.95))  # mostly while the rows are written
        proc.kill()
        proc.wait(timeout=60)
        _index_whole(db)
        count = sqlite3.connect(db).execute("SELECT count(*) FROM activity").fetchone()[0]
        assert count in (0, 8000)
        seen.add(count)
    assert seen


def test_a_file_past_the_old_ten_thousand_rows_imports_and_the_limit_names_itself(
    county: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    book = _workbook(tmp_path / "大表.xlsx", _rows(12_000, seed=3))
    result = import_workbooks(county.imports, [book], dry_run=True)
    assert result.activities == 12_000 and not result.problems
    monkeypatch.setattr(collection_workbook, "MAX_ACTIVITY_ROWS", 10_000)
    refused = import_workbooks(county.imports, [book])
    assert not refused.written
    [problem] = refused.problems
    assert "活动超过 10000 行（一个采集表最多 200000 行活动）" in str(problem)
    assert "拆分" in str(problem)


def _patch_sheet(source: Path, dest: Path, edit: Any) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":  # the 活动 sheet of _workbook
                data = edit(data)
            out.writestr(info, data)
    return dest


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("AA5", "第 AA 列有内容，超出采集表的范围（采集表的内容应在 A 至 Z 列之内）"),
        ("XFD1048576", "第 XFD 列有内容"),
        ("B300000", "第 300000 行有内容，超出上限（一个工作表最多 250000 行，含空行）"),
    ],
)
def test_a_value_far_outside_the_template_is_refused_before_the_sheet_is_read(
    tmp_path: Path, cell: str, expected: str
):
    """The reader holds a sheet as a dense grid up to its farthest value: one cell could ask
    for billions of cells. Such a file is named and refused, quickly and in little memory."""
    book = _workbook(tmp_path / "ok.xlsx", _rows(3))
    row = "".join(ch for ch in cell if ch.isdigit())
    far = f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>备注</t></is></c></row>'.encode()
    bad = _patch_sheet(
        book, tmp_path / "far.xlsx", lambda d: d.replace(b"</sheetData>", far + b"</sheetData>")
    )
    with pytest.raises(collection_workbook.CollectionFileError) as info:
        read_collection(bad)
    assert info.value.problem.sheet == ACTIVITY_SHEET
    assert expected in info.value.problem.message


def test_formulas_are_found_wherever_the_reader_sees_only_their_results(
    county: Services, template: Path, tmp_path: Path
):
    """A formula written once, then filled down, names each of its cells."""
    rows = [dict(GOOD[2], title=f"讲座{i}", participants=10 + i) for i in range(3)]
    filled = fill(template, tmp_path / "f.xlsx", rows)

    def filled_down(data: bytes) -> bytes:
        for row, formula in (
            (4, b'<f t="shared" ref="I4:I6" si="0">J4*2</f>'),
            (5, b'<f t="shared" si="0"/>'),
        ):
            start = data.index(f'<c r="I{row}"'.encode())
            end = data.index(b"</c>", start) + 4
            data = (
                data[:start] + f'<c r="I{row}">'.encode() + formula + b"<v>20</v></c>" + data[end:]
            )
        return data

    with zipfile.ZipFile(filled) as zf:
        sheet = next(
            n for n in zf.namelist() if b"<sheetData>" in zf.read(n) and b'r="I4"' in zf.read(n)
        )
    patched = tmp_path / "filled.xlsx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, filled_down(data) if info.filename == sheet else data)
    result = import_workbooks(county.imports, [patched])
    assert not result.written
    assert [str(p) for p in result.problems] == [
        "filled.xlsx，工作表“活动”，第 4 行，“参加人次”列：单元格是公式（=J4*2），不能导入；请复制后“选择性粘贴—数值”。",
        "filled.xlsx，工作表“活动”，第 5 行，“参加人次”列：单元格是公式（=J5*2），不能导入；请复制后“选择性粘贴—数值”。",
    ]


def test_a_cancel_in_the_middle_of_the_writing_leaves_nothing(
    county: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(import_pass, "WRITE_CHUNK", 100)
    book = _workbook(tmp_path / "c.xlsx", _rows(500, seed=5))
    before = fingerprint(county.db.path)
    seen: list[tuple[int, int]] = []

    def report(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 500 + 300  # checked every row, then three chunks written

    from desktop.errors import ServiceError

    with pytest.raises(ServiceError, match="已取消，没有导入任何数据"):
        import_workbooks(county.imports, [book], progress=report)
    assert seen[-1] == (800, 1000)
    assert fingerprint(county.db.path) == before
    _index_whole(county.db.path)


DATES = st.dates(min_value=date(2019, 6, 1), max_value=date(2027, 6, 30))


def test_cells_read_as_the_unit_typed_them(county: Services, template: Path, tmp_path: Path):
    """Numbers in text columns stay their digits, text in number columns is read as numbers,
    a date cell and a typed date agree, and the merged title rows above the header are fine."""
    rows = [
        {"start_date": datetime(2024, 5, 18), "title": 20240518, "type": "科普讲座", "participants": "0012"},
        {"start_date": "2024-05-19", "title": "讲座", "type": "科普讲座", "participants": 120.0,
         "volunteer_hours": "2.5", "funding_yuan": "1.2万", "summary": 3.25},
    ]  # fmt: skip
    parsed = read_collection(fill(template, tmp_path / "cells.xlsx", rows))
    first, second = (r.values for r in parsed.activities)
    assert first["start_date"] == date(2024, 5, 18) and first["title"] == "20240518"
    assert first["participants"] == 12 and isinstance(first["participants"], int)
    assert second["start_date"] == date(2024, 5, 19)
    assert second["participants"] == 120 and isinstance(second["participants"], int)
    assert (second["volunteer_hours"], second["funding_yuan"], second["summary"]) == (
        2.5,
        12000,
        "3.25",
    )
    assert all(not r.problems for r in parsed.activities)
