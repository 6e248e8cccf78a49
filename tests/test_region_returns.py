"""The roll-up one level up: a city imports two counties' returns and sees its plan consolidated.

Figures by hand (period 2024, the city's plan has the counties' indicators):

          C1 农民培训人次 (count)   L1 志愿者人数 (level)   P1 覆盖率 (percent)   D1 讲座人次 (derived)
  city    500 (own entry)          —                       75 (own entry)        100 (own lecture)
  甲县    1200                     300                     80                    150
  乙县    800 (as X9, by name)     250                     70                    90

  consolidated: C1 = 500 + 1200 + 800 = 2500; L1 = 300 + 250 = 550;
  P1 = 75 (the city's own: a percent is never summed; regions 70–80);
  D1 = 100 + 150 + 90 = 340.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop.exporting.return_workbook import export_return
from desktop.importing.return_file import read_return, read_returns
from desktop.models import ActivityType, AuditRecord, ImportBatch, TargetGroup, Task, Unit
from desktop.plan.document import PlanDocument
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.periods import parse_period
from desktop.services.returns import IMPORTED, REFUSED, REPLACED, UNCHANGED
from tests.cli_run import run
from tests.conftest import SMALL_PLAN
from tests.db_dump import database_dump


def _plan(region: str, code: str, renames: dict[str, str] | None = None, extra=()) -> dict:
    plan = copy.deepcopy(SMALL_PLAN)
    plan["id"] = code
    plan["plan"]["region"] = region
    plan["plan"]["name"] = f"{region}全民科学素质行动实施方案（2021—2025年）"
    for ind in plan["indicators"]:
        ind["code"] = (renames or {}).get(ind["code"], ind["code"])
    plan["indicators"].extend(extra)
    return plan


def _ind(svc: Services, code: str) -> int:
    return next(i.id for i in svc.plans.indicators() if i.code == code)


def _lecture(svc: Services, participants: int) -> None:
    with svc.db.reading() as s:
        type_id = s.scalar(select(ActivityType.id).where(ActivityType.code == "lecture"))
        group_id = s.scalar(select(TargetGroup.id).where(TargetGroup.name == "青少年"))
        task_id = s.scalar(select(Task.id).where(Task.code == "A1.1"))
        unit_id = s.scalar(select(Unit.id).where(Unit.name == "县科协"))
    svc.activities.add(
        ActivityInput(
            start_date=date(2024, 5, 1),
            title="青少年科普讲座",
            type_id=type_id,
            unit_id=unit_id,
            participants=participants,
            task_ids=[task_id],
            group_ids=[group_id],
        )
    )


EXTRA = {
    "code": "Z1",
    "name": "科普大篷车巡展次数",
    "unit": "次",
    "measure": "count",
    "task": None,
    "target_mode": "period",
    "target": 40,
}


def _county(
    root: Path, region: str, figures: dict[str, float], lecture: int, renames=None, extra=()
) -> Path:
    """A county's database with its 2024 figures, and its exported 2024 return."""
    svc = Services.open(root / f"{region}.sqlite3")
    try:
        svc.plans.create(PlanDocument.from_dict(_plan(region, f"{region}-2021", renames, extra)))
        for code, value in figures.items():
            svc.entries.set(_ind(svc, code), "2024", value)
        _lecture(svc, lecture)
        return export_return(svc, parse_period("2024"), root / f"{region}2024年报表.xlsx")
    finally:
        svc.close()


@pytest.fixture
def returns(tmp_path: Path, data_dir: Path) -> tuple[Path, Path]:
    counties = tmp_path / "counties"
    counties.mkdir()
    jia = _county(counties, "甲县", {"C1": 1200, "L1": 300, "P1": 80}, 150)
    yi = _county(
        counties,
        "乙县",
        {"X9": 800, "L1": 250, "P1": 70, "Z1": 6},
        90,
        renames={"C1": "X9"},
        extra=[EXTRA],
    )
    return jia, yi


@pytest.fixture
def city(data_dir: Path) -> Services:
    svc = Services.open(data_dir / "city.sqlite3")
    svc.plans.create(PlanDocument.from_dict(_plan("测试市", "city-2021")))
    svc.entries.set(_ind(svc, "C1"), "2024", 500)
    svc.entries.set(_ind(svc, "P1"), "2024", 75)
    _lecture(svc, 100)
    yield svc
    svc.close()


def _arrived(svc: Services, region: str, at: datetime) -> None:
    """Date a region's return back to when it came, as the office's clock would have."""
    with svc.db.transaction() as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.name == region))
        for batch in s.scalars(select(ImportBatch).where(ImportBatch.unit_id == unit_id)):
            batch.imported_at = at


def _progress(svc: Services) -> dict:
    report = svc.progress.report(period=parse_period("2024"))
    return {p.code: p for p in report.indicators}


def test_two_counties_consolidate_by_the_aggregation_rules(city: Services, returns):
    jia, yi = returns
    read, unreadable = read_returns([jia, yi])
    assert unreadable == []
    result = city.returns.import_returns(read)
    assert result.written
    assert [o.action for o in result.outcomes] == [IMPORTED, IMPORTED]
    # 乙县's Z1 has no indicator in the city's plan: listed, not consolidated.
    (z1,) = result.outcomes[1].unmatched
    assert (z1.code, z1.name) == ("Z1", "科普大篷车巡展次数")

    p = _progress(city)
    assert p["C1"].actual == 2500
    assert p["C1"].period_value == 2500
    assert p["L1"].actual == 550
    assert p["P1"].actual == 75
    assert p["D1"].actual == 340

    table = city.returns.table("2024")
    got = {(f.code, f.region): f.actual for f in table.figures}
    assert got[("C1", "甲县")] == 1200 and got[("C1", "乙县")] == 800
    assert got[("L1", "甲县")] == 300 and got[("L1", "乙县")] == 250
    assert got[("P1", "甲县")] == 80 and got[("P1", "乙县")] == 70
    assert got[("D1", "甲县")] == 150 and got[("D1", "乙县")] == 90
    columns = {c.code: c for c in table.columns}
    assert columns["C1"].total == 2000  # the regions' part of C1's 2500
    assert columns["P1"].total is None and columns["P1"].range == (70, 80)

    # The regions became units of the city. 甲县's return came by the due date
    # (2025-01-15: 15 days after the year); 乙县's arrives today, long after.
    _arrived(city, "甲县", datetime(2025, 1, 10, 9, 0))
    status = {u.unit: u.status for u in city.returns.status("2024").units}
    assert status == {"甲县": "received", "乙县": "late"}


def test_the_same_file_again_changes_nothing(city: Services, returns, data_dir: Path):
    jia, _ = returns
    city.returns.import_returns([read_return(jia)])
    before = database_dump(data_dir / "city.sqlite3")
    again = city.returns.import_returns([read_return(jia)])
    assert [o.action for o in again.outcomes] == [UNCHANGED]
    assert not again.written
    assert database_dump(data_dir / "city.sqlite3") == before


def test_a_new_return_replaces_only_when_asked_and_is_audited(
    city: Services, returns, tmp_path: Path, data_dir: Path
):
    jia, _ = returns
    city.returns.import_returns([read_return(jia)])
    county = Services.open(tmp_path / "counties" / "甲县.sqlite3")
    try:
        county.entries.set(_ind(county, "C1"), "2024", 1300)
        newer = export_return(
            county, parse_period("2024"), tmp_path / "甲县2024年报表（更正）.xlsx"
        )
    finally:
        county.close()

    before = database_dump(data_dir / "city.sqlite3")
    refused = city.returns.import_returns([read_return(newer)])
    assert [o.action for o in refused.outcomes] == [REFUSED]
    assert "--replace" in refused.outcomes[0].message
    assert database_dump(data_dir / "city.sqlite3") == before

    _arrived(city, "甲县", datetime(2025, 1, 10, 9, 0))
    replaced = city.returns.import_returns([read_return(newer)], replace=True)
    assert [o.action for o in replaced.outcomes] == [REPLACED]
    assert _progress(city)["C1"].actual == 500 + 1300
    with city.db.reading() as s:
        audit = s.scalars(select(AuditRecord).where(AuditRecord.action == "replace")).one()
        assert "甲县" in audit.summary and len(audit.changes["sha256"]) == 2
    # Still one 2024 return of 甲县, on time: received when the first arrived.
    (jia_status,) = [u for u in city.returns.status("2024").units if u.unit == "甲县"]
    assert jia_status.status == "received"
    assert jia_status.received_at == datetime(2025, 1, 10, 9, 0)


def test_a_return_edited_after_export_is_refused_naming_the_indicator(
    city: Services, returns, tmp_path: Path, data_dir: Path
):
    jia, _ = returns
    wb = load_workbook(jia)
    ws = wb["进展统计表"]
    row = next(r for r in ws.iter_rows(min_row=5) if r[3].value == "农民培训人次")
    row[7].value = 9999
    edited = tmp_path / "甲县（改过）.xlsx"
    wb.save(edited)
    before = database_dump(data_dir / "city.sqlite3")
    read, unreadable = read_returns([edited, returns[1]])
    (problem,) = unreadable
    assert "农民培训人次" in problem.message and "累计完成" in problem.message
    assert "9999" in problem.message and "1200" in problem.message
    result = city.returns.import_returns(read, unreadable)
    assert not result.written  # 乙县's good return waits for the whole import
    assert database_dump(data_dir / "city.sqlite3") == before


def test_foreign_and_out_of_period_files_get_a_chinese_reason(
    city: Services, template: Path, tmp_path: Path, data_dir: Path
):
    from openpyxl import Workbook

    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    old = Services.open(tmp_path / "old.sqlite3")
    try:
        doc = _plan("丙县", "bing-2016")
        doc["plan"].update(first_year=2016, last_year=2020)
        y1 = next(i for i in doc["indicators"] if i["code"] == "Y1")
        y1["targets_by_year"] = {year - 5: v for year, v in y1["targets_by_year"].items()}
        doc["plan"]["name"] = "丙县全民科学素质行动实施方案（2016—2020年）"
        old.plans.create(PlanDocument.from_dict(doc))
        old.entries.set(_ind(old, "C1"), "2019", 10)
        old_return = export_return(old, parse_period("2019"), tmp_path / "丙县2019.xlsx")
    finally:
        old.close()
    before = database_dump(data_dir / "city.sqlite3")
    read, unreadable = read_returns([plain, template])
    assert all("不是科普台账导出的报表" in u.message for u in unreadable)
    result = city.returns.import_returns([read_return(old_return)])
    (outcome,) = result.outcomes
    assert outcome.action == REFUSED and "2019年" in outcome.message
    assert database_dump(data_dir / "city.sqlite3") == before


def test_a_mapping_is_kept_and_consolidates_returns_already_received(city: Services, returns):
    city.returns.import_returns(read_returns(list(returns))[0])
    rows = {r.code: r for r in city.returns.lower_indicators()}
    assert rows["Z1"].indicator == "" and rows["Z1"].regions == ["乙县"]
    assert rows["X9"].indicator == "C1"  # matched by name and unit
    assert city.returns.set_mapping("Z1", "科普大篷车巡展次数", "Y1") == 1
    assert _progress(city)["Y1"].actual == 6
    # A count cannot feed a percent.
    with pytest.raises(Exception, match="计量方式不同"):
        city.returns.set_mapping("Z1", "科普大篷车巡展次数", "P1")
    assert city.returns.set_mapping("Z1", "科普大篷车巡展次数", None) == 1
    assert _progress(city)["Y1"].actual is None


def test_cli_import_status_and_table(city: Services, returns, data_dir: Path, capsys):
    db = str(data_dir / "city.sqlite3")
    city.returns.add_region("丙县")
    city.close()
    code, out, err = run(capsys, "--db", db, "returns", "import", *map(str, returns), "--dry-run")
    assert code == 0 and "没有写入任何数据" in out
    code, out, err = run(capsys, "--db", db, "returns", "import", *map(str, returns))
    assert code == 0, err
    assert "未汇总：Z1 科普大篷车巡展次数" in out

    code, out, _ = run(capsys, "--db", db, "returns", "status", "--period", "2024", "--json")
    status = {r["region"]: r for r in json.loads(out)}
    assert status["丙县"] == {"region": "丙县", "status": "missing"}
    assert status["甲县"]["status"] == "late" and len(status["甲县"]["sha256"]) == 64
    code, out, _ = run(capsys, "--db", db, "returns", "status", "--period", "2024")
    assert "报表未报送地区" in out and "1. 丙县" in out

    code, out, _ = run(capsys, "--db", db, "returns", "table", "--period", "2024", "--json")
    rows = json.loads(out)
    assert {
        "code": "L1",
        "name": "注册科技志愿者人数",
        "measure": "level",
        "region": "乙县",
        "actual": 250.0,
    } in rows
    code, out, _ = run(capsys, "--db", db, "progress", "--period", "2024", "--json")
    assert code == 0
    by_code = {p["code"]: p for p in json.loads(out)}
    assert by_code["C1"]["actual"] == 2500


def test_the_citys_return_has_a_regions_sheet(city: Services, returns, tmp_path: Path):
    city.returns.add_region("丙县")
    city.returns.import_returns(read_returns(list(returns))[0])
    out = export_return(city, parse_period("2024"), tmp_path / "city.xlsx")
    wb = load_workbook(out)
    ws = wb["分地区"]
    cells = [list(row) for row in ws.iter_rows(values_only=True)]
    header = next(r for r in cells if r[1] == "地区")
    body = {r[1]: r for r in cells if r[1] in ("甲县", "乙县", "丙县", "合计")}
    c1 = next(i for i, h in enumerate(header) if h and "农民培训人次" in str(h))
    p1 = next(i for i, h in enumerate(header) if h and "科普信息员覆盖率" in str(h))
    assert body["甲县"][c1] == 1200 and body["乙县"][c1] == 800
    assert body["合计"][c1] == 2000
    assert body["合计"][p1] == "70—80"
    assert body["丙县"][2] == "未报送" and body["丙县"][c1] is None
    assert body["合计"][2] == "2/3"
    assert any(r and r[0] and "未报送地区：丙县" in str(r[0]) for r in cells)
    # The city's own data sheet carries the consolidated figures one level further up.
    data = {r[8]: r for r in wb["_data"].iter_rows(min_row=2, values_only=True)}
    assert data["C1"][15] == 2500


def test_upgrade_from_0008_keeps_every_row_and_takes_returns(
    city: Services, returns, data_dir: Path
):
    from tests.test_migrations import _downgrade

    path = data_dir / "city.sqlite3"
    city.close()
    _downgrade(path, "0008")
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    entries = con.execute("SELECT count(*) FROM entry").fetchone()[0]
    con.close()
    assert "region_return" not in tables and entries == 2
    again = Services.open(path)
    try:
        assert _progress(again)["C1"].actual == 500
        again.returns.import_returns(read_returns(list(returns))[0])
        assert _progress(again)["C1"].actual == 2500
    finally:
        again.close()


def test_a_region_starting_late_is_told_and_earlier_years_add_up(city: Services, tmp_path: Path):
    """甲县 2023: 1000, 2024: 1200 → its 2024 return alone gives the city 1200, with a warning;
    with its 2023 return too, 2200; the city's C1 is then 500 + 2200 = 2700."""
    root = tmp_path / "late"
    root.mkdir()
    svc = Services.open(root / "甲县.sqlite3")
    try:
        svc.plans.create(PlanDocument.from_dict(_plan("甲县", "jia-2021")))
        svc.entries.set(_ind(svc, "C1"), "2023", 1000)
        svc.entries.set(_ind(svc, "C1"), "2024", 1200)
        r2023 = export_return(svc, parse_period("2023"), root / "2023.xlsx")
        r2024 = export_return(svc, parse_period("2024"), root / "2024.xlsx")
    finally:
        svc.close()
    (outcome,) = city.returns.import_returns([read_return(r2024)]).outcomes
    assert "此前各期的报表" in outcome.message
    assert _progress(city)["C1"].actual == 500 + 1200
    (earlier,) = city.returns.import_returns([read_return(r2023)]).outcomes
    assert earlier.action == IMPORTED and "此前各期" not in earlier.message
    assert _progress(city)["C1"].actual == 500 + 1000 + 1200


def test_a_locked_period_refuses_returns_and_undo_takes_one_back(
    city: Services, returns, data_dir: Path
):
    jia, yi = returns
    city.returns.import_returns([read_return(yi)])
    city.locks.lock("2024")
    before = database_dump(data_dir / "city.sqlite3")
    (outcome,) = city.returns.import_returns([read_return(jia)]).outcomes
    assert outcome.action == REFUSED and "锁定" in outcome.message
    assert database_dump(data_dir / "city.sqlite3") == before
    city.locks.unlock("2024", "补录甲县报表")
    city.returns.import_returns([read_return(jia)])
    assert _progress(city)["C1"].actual == 2500
    # Undoing 甲县's batch takes its figures out and makes it 未报送 again.
    batch = next(b for b in city.imports.batches() if b.unit_name == "甲县")
    city.imports.undo(batch.id)
    assert _progress(city)["C1"].actual == 500 + 800
    status = {u.unit: u.status for u in city.returns.status("2024").units}
    assert status["甲县"] == "missing"
    # …and the same file can come in again.
    (again,) = city.returns.import_returns([read_return(jia)]).outcomes
    assert again.action == IMPORTED
