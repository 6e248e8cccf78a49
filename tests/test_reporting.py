"""Who has reported (报送情况): statuses, the due-date setting, undone batches, the CLI, the upgrade.

The small plan's member units for 2024Q2 (quarter ends 2024-06-30, due by
default 10 days later, 2024-07-10), each set up by hand:
县人社局 imported on 2024-07-05 (on time), 县农业农村局 on 2024-07-15
(late), 县教体局 imported and then undone (missing), 县科协 never (missing),
县气象局 has no task or indicator in the plan (not required). Expected
units 4, reported 2 (late counts), so 2/4 = 50.0 %.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop.errors import ValidationError
from desktop.exporting.collection_template import write_template
from desktop.importing.collection_workbook import import_workbooks
from desktop.models import ImportBatch
from desktop.services import Services
from desktop.services.periods import parse_period
from desktop.services.reporting import last_ended
from tests.test_collection_import import fill, run
from tests.test_migrations import _downgrade

PERIOD = "2024Q2"


def import_as_of(
    svc: Services, tmp_path: Path, unit: str, at: datetime, period: str = PERIOD, **kw
) -> int:
    """One unit's filled workbook for `period`, imported as if at `at`; returns its batch id."""
    unit_id = next(u.id for u in svc.reference.units() if u.name == unit)
    blank = write_template(
        svc.imports.template_spec(unit_id, period), tmp_path / f"{unit}{period}空表.xlsx"
    )
    filled = fill(blank, tmp_path / f"{unit}{period}.xlsx", kw.get("rows", []), kw.get("values"))
    result = import_workbooks(svc.imports, [filled])
    assert result.written, result.problems
    batch_id = result.files[0].batch_id
    with svc.db.transaction() as s:
        s.get(ImportBatch, batch_id).imported_at = at
    return batch_id


@pytest.fixture
def reported(county: Services, tmp_path: Path) -> tuple[Services, dict[str, int]]:
    county.plan_editor.add_unit("县气象局")
    kexie = next(u.id for u in county.reference.units() if u.name == "县科协")
    county.plan_editor.set_contact(kexie, "张敏 13800000001")
    batches = {
        "县人社局": import_as_of(
            county, tmp_path, "县人社局", datetime(2024, 7, 5, 9, 30), values={"C1": 300}
        ),
        "县农业农村局": import_as_of(
            county, tmp_path, "县农业农村局", datetime(2024, 7, 15, 16, 0), values={"C1": 200}
        ),
        "县教体局": import_as_of(
            county,
            tmp_path,
            "县教体局",
            datetime(2024, 7, 1, 8, 0),
            rows=[
                {
                    "start_date": datetime(2024, 5, 18),
                    "title": "青少年科普讲座",
                    "type": "科普讲座",
                    "participants": 60,
                }
            ],
        ),
    }
    county.imports.undo(batches["县教体局"])
    return county, batches


def _statuses(svc: Services) -> dict[str, str]:
    return {u.unit: u.status for u in svc.reporting.status(PERIOD).units}


def test_each_unit_received_late_missing_or_not_required(reported):
    svc, batches = reported
    report = svc.reporting.status(PERIOD)
    assert report.due.isoformat() == "2024-07-10" and report.due_days == 10
    assert _statuses(svc) == {
        "县人社局": "received",
        "县农业农村局": "late",
        "县教体局": "missing",  # its only batch was undone
        "县科协": "missing",
        "县气象局": "not_required",
    }
    by_unit = {u.unit: u for u in report.units}
    assert by_unit["县人社局"].batch == batches["县人社局"]
    assert by_unit["县人社局"].received_at == datetime(2024, 7, 5, 9, 30)
    assert by_unit["县教体局"].batch is None
    assert (report.expected, report.reported) == (4, 2)
    assert report.rate_text == "报送率 2/4（50.0%）"
    assert report.due_text == "报送截止 2024-07-10（期末后 10 天）"
    # Another period: nothing arrived for it.
    other = {u.unit: u.status for u in svc.reporting.status("2024Q3").units}
    assert other["县人社局"] == "missing" and other["县气象局"] == "not_required"


def test_the_due_date_setting_changes_a_status(reported):
    svc, _ = reported
    svc.settings.update({"due_days": "15"})
    report = svc.reporting.status(PERIOD)
    assert report.due.isoformat() == "2024-07-15"
    assert _statuses(svc)["县农业农村局"] == "received"  # 07-15 is within 15 days
    svc.settings.update({"due_days": "4"})
    assert _statuses(svc)["县人社局"] == "late"  # 07-05 after 07-04
    # The year has its own setting: 2024 ends 12-31, due 15 days later by default.
    assert svc.reporting.status("2024").due.isoformat() == "2025-01-15"
    with pytest.raises(ValidationError, match="整数"):
        svc.settings.update({"due_days": "十天"})
    assert svc.settings.get("due_days") == "4"


def test_the_chase_list_names_missing_units_with_their_contact(reported):
    svc, _ = reported
    assert svc.reporting.status(PERIOD).chase_text() == (
        "2024年第2季度采集表未报送单位（报送截止 2024-07-10）：\n"
        "1. 县科协（联系人：张敏 13800000001）\n"
        "2. 县教体局（未登记联系人）"
    )


def test_status_command_json(reported, capsys):
    svc, batches = reported
    db = svc.db.path
    svc.close()
    code, out, err = run(
        capsys, "--db", str(db), "collection", "status", "--period", PERIOD, "--json"
    )
    assert code == 0, err
    assert json.loads(out) == [
        {"unit": "县科协", "status": "missing"},
        {"unit": "县教体局", "status": "missing"},
        {
            "unit": "县农业农村局",
            "status": "late",
            "received_at": "2024-07-15T16:00:00",
            "batch": batches["县农业农村局"],
        },
        {
            "unit": "县人社局",
            "status": "received",
            "received_at": "2024-07-05T09:30:00",
            "batch": batches["县人社局"],
        },
        {"unit": "县气象局", "status": "not_required"},
    ]
    code, out, err = run(capsys, "--db", str(db), "collection", "status", "--period", PERIOD)
    assert code == 0, err
    assert "报送率 2/4（50.0%）" in out and "1. 县科协（联系人：张敏 13800000001）" in out
    code, out, err = run(capsys, "--db", str(db), "collection", "status", "--period", "2030")
    assert code != 0 and "不在实施方案期限" in err


def test_the_current_period_is_the_last_one_ended():
    assert last_ended(datetime(2024, 8, 2).date(), "quarter") == parse_period("2024Q2")
    assert last_ended(datetime(2024, 2, 2).date(), "quarter") == parse_period("2023Q4")
    assert last_ended(datetime(2024, 1, 9).date(), "month") == parse_period("202312")
    assert last_ended(datetime(2024, 1, 9).date(), "year") == parse_period("2023")
    assert last_ended(datetime(2024, 12, 31).date(), "quarter") == parse_period("2024Q4")
    assert last_ended(datetime(2024, 12, 30).date(), "quarter") == parse_period("2024Q3")
    assert last_ended(datetime(2024, 12, 31).date(), "year") == parse_period("2024")


def test_upgrade_from_0006_fills_in_each_stored_batch_period(reported):
    """A database at 0006 (the migrations' own downgrade) gets its batches' periods back:
    from the entries a batch wrote, else from its import audit record; no row is lost."""
    svc, batches = reported
    path = svc.db.path
    svc.close()
    _downgrade(path, "0006")
    con = sqlite3.connect(path)
    assert "period" not in {r[1] for r in con.execute("PRAGMA table_info(import_batch)")}
    con.close()

    upgraded = Services.open(path)
    try:
        with upgraded.db.reading() as s:
            periods = {b.id: b.period for b in s.query(ImportBatch)}
        assert periods == {
            batches["县人社局"]: PERIOD,
            batches["县农业农村局"]: PERIOD,
            batches["县教体局"]: PERIOD,
        }
        assert _statuses(upgraded)["县人社局"] == "received"
        assert _statuses(upgraded)["县农业农村局"] == "late"
        assert [b.entries for b in upgraded.imports.batches() if b.id == batches["县人社局"]] == [1]
    finally:
        upgraded.close()


def test_arrival_is_stamped_with_the_office_clock(county, tmp_path, monkeypatch):
    """The arrival time is the office's local time (北京时间 here), not the database's UTC:
    a workbook imported at 07:00 on the 11th arrived on the 11th, past a due date of the 10th."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        unit_id = next(u.id for u in county.reference.units() if u.name == "县人社局")
        blank = write_template(
            county.imports.template_spec(unit_id, PERIOD), tmp_path / "空表.xlsx"
        )
        result = import_workbooks(
            county.imports, [fill(blank, tmp_path / "人社局.xlsx", [], {"C1": 5})]
        )
        unit = {u.unit: u for u in county.reporting.status(PERIOD).units}["县人社局"]
        assert unit.batch == result.files[0].batch_id
        assert unit.received_at is not None
        assert abs(unit.received_at - datetime.now()) < timedelta(minutes=5)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
