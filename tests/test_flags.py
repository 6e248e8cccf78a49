"""What looks wrong (疑似异常): the rules with hand-computed figures, confirmation, the CLI, the upgrade.

History: 县科协's 农民培训人次 (C1) for 2021–2023 is 100, 120, 110: median
110, so 2024 above 3 × 110 = 330 or under 110 / 3 ≈ 36.7 is flagged (400 and
30 are, 300 is not). Capacity: 20,000 participants in 2 sessions is 10,000
a session, over the 5,000 bound; 10,000 in 2 is exactly 5,000 and is not.
Money: five 2022 activities of 1,000–5,000 元 have median 3,000, so a 2023
activity over 9,000 元 is flagged.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import ValidationError
from desktop.models import ActivityType
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.flags import CONFIRMED, OPEN, FlagService
from tests.cli_run import run
from tests.test_migrations import _downgrade
from tests.test_progress import unit_id


def _c1(svc: Services, values: dict[str, float], unit: str = "县科协") -> None:
    ind = next(i.id for i in svc.plans.indicators() if i.code == "C1")
    for period, value in values.items():
        svc.entries.set(ind, period, value, unit_id(svc, unit))


def _activity(svc: Services, day: date, participants: int = 50, sessions: int = 1, **kw) -> int:
    with svc.db.reading() as s:
        lecture = s.scalar(select(ActivityType.id).where(ActivityType.code == "lecture"))
    return svc.activities.add(
        ActivityInput(
            start_date=day,
            title=kw.pop("title", "科普讲座"),
            type_id=lecture,
            unit_id=unit_id(svc, "县科协"),
            participants=participants,
            sessions=sessions,
            **kw,
        )
    )


def test_an_entry_three_times_its_median_is_flagged(plan_services: Services):
    svc = plan_services
    _c1(svc, {"2021": 100, "2022": 120, "2023": 110, "2024": 400})
    flags = FlagService(svc.db).flags()
    assert [(f.kind, f.code, f.unit, f.period, f.value, f.status) for f in flags] == [
        ("entry", "C1", "县科协", "2024", 400.0, OPEN)
    ]
    assert "中位数 110" in flags[0].reason and "3.6 倍" in flags[0].reason
    _c1(svc, {"2024": 300})
    assert FlagService(svc.db).flags() == []


def test_an_entry_under_a_third_is_flagged_and_short_history_is_not(plan_services: Services):
    svc = plan_services
    _c1(svc, {"2021": 100, "2022": 120, "2023": 110, "2024": 30})
    (flag,) = FlagService(svc.db).flags("2024")
    assert flag.value == 30 and "三分之一" in flag.reason
    _c1(svc, {"2021": 100, "2022": 120, "2023": 400}, unit="县人社局")
    assert [f.unit for f in FlagService(svc.db).flags()] == ["县科协"]
    assert FlagService(svc.db).flags("2023") == []


def test_periods_of_another_length_are_not_history(plan_services: Services):
    """Three years of 100 say nothing about a quarter: 2024Q1's 400 has no earlier quarters."""
    svc = plan_services
    _c1(svc, {"2021": 100, "2022": 100, "2023": 100, "2024Q1": 400})
    assert FlagService(svc.db).flags() == []


def test_participants_beyond_any_venue_are_flagged(plan_services: Services):
    svc = plan_services
    big = _activity(svc, date(2024, 5, 1), participants=20_000, sessions=2, title="科普日")
    _activity(svc, date(2024, 5, 2), participants=10_000, sessions=2)
    (flag,) = FlagService(svc.db).flags("2024")
    assert (flag.kind, flag.code, flag.period, flag.value) == (
        "participants",
        str(big),
        "2024",
        20000,
    )
    assert "每场 10,000 人" in flag.reason and "5,000" in flag.reason
    assert [f.period for f in FlagService(svc.db).flags("2024Q2")] == ["2024Q2"]
    assert FlagService(svc.db).flags("2024Q3") == []


def test_money_far_outside_the_units_range_is_flagged(plan_services: Services):
    svc = plan_services
    for i, yuan in enumerate([1000, 2000, 3000, 4000, 5000]):
        _activity(svc, date(2022, 3, 1 + i), funding_yuan=yuan, volunteer_hours=10)
    high = _activity(svc, date(2023, 4, 1), funding_yuan=9001, volunteer_hours=31)
    _activity(svc, date(2023, 4, 2), funding_yuan=9000, volunteer_hours=30)
    flags = FlagService(svc.db).flags()
    assert [(f.kind, f.code, f.period, f.value) for f in flags] == [
        ("funding", str(high), "2023", 9001.0),
        ("volunteer_hours", str(high), "2023", 31.0),
    ]
    assert "中位数 3,000.00 元" in flags[0].reason


def test_fewer_than_five_earlier_activities_say_nothing(plan_services: Services):
    svc = plan_services
    for i, yuan in enumerate([1000, 2000, 3000, 4000]):
        _activity(svc, date(2022, 3, 1 + i), funding_yuan=yuan)
    _activity(svc, date(2023, 4, 1), funding_yuan=100_000)
    assert FlagService(svc.db).flags() == []


def test_confirming_with_a_comment_survives_reopening(plan_services: Services, data_dir: Path):
    svc = plan_services
    _c1(svc, {"2021": 100, "2022": 120, "2023": 110, "2024": 400})
    service = FlagService(svc.db)
    (flag,) = service.flags()
    with pytest.raises(ValidationError):
        service.confirm(flag, "  ")
    service.confirm(flag, "全县集中培训")
    svc.close()
    again = Services.open(data_dir / "county.sqlite3")
    try:
        (flag,) = FlagService(again.db).flags()
        assert (flag.status, flag.comment) == (CONFIRMED, "全县集中培训")
        assert FlagService(again.db).open_flags() == []
        # A corrected figure that is still far off is a new question.
        _c1(again, {"2024": 500})
        (flag,) = FlagService(again.db).flags()
        assert flag.status == OPEN
    finally:
        again.close()


def test_cli_lists_and_confirms(plan_services: Services, data_dir: Path, capsys):
    svc = plan_services
    _c1(svc, {"2021": 100, "2022": 120, "2023": 110, "2024": 400})
    big = _activity(svc, date(2024, 5, 1), participants=20_000, sessions=2)
    svc.close()
    db = str(data_dir / "county.sqlite3")
    code, out, err = run(capsys, "--db", db, "flags", "--period", "2024", "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert [f["kind"] for f in listed] == ["entry", "participants"]
    assert listed[0] == {
        "kind": "entry",
        "code": "C1",
        "unit": "县科协",
        "period": "2024",
        "value": 400.0,
        "reason": listed[0]["reason"],
        "status": "open",
    }
    assert listed[1]["code"] == str(big) and listed[1]["value"] == 20000
    code, out, err = run(capsys, "--db", db, "flags", "--confirm", "C1")
    assert code == 1 and "--comment" in err
    code, out, err = run(
        capsys, "--db", db, "flags", "--confirm", "C1", "--comment", "全县集中培训"
    )
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "flags", "--json")
    assert [f["status"] for f in json.loads(out)] == ["confirmed", "open"]
    code, out, err = run(capsys, "--db", db, "flags")
    assert "说明：全县集中培训" in out and "共 2 条，其中待处理 1 条。" in out


def test_upgrade_from_0007_adds_the_confirmations(plan_services: Services, data_dir: Path):
    svc = plan_services
    _c1(svc, {"2021": 100, "2022": 120, "2023": 110, "2024": 400})
    svc.close()
    path = data_dir / "county.sqlite3"
    _downgrade(path, "0007")
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert "flag_confirmation" not in tables
    again = Services.open(path)
    try:
        service = FlagService(again.db)
        (flag,) = service.flags()
        service.confirm(flag, "全县集中培训")
        assert service.flags()[0].status == CONFIRMED
    finally:
        again.close()


def test_a_dry_run_names_the_flags_of_what_it_would_write(
    county: Services, template, tmp_path, qapp
):
    """The review before an import shows 疑似异常 of the file's own figures, then writes nothing:
    30,000 people in one session (capacity 5,000), and C1 at 400 after 100, 120, 110."""
    from desktop.importing.collection_workbook import import_workbooks
    from desktop.ui.collection_dialogs import ReviewDialog
    from tests.test_collection_import import fill

    svc = county
    _c1(svc, {"2023Q2": 100, "2023Q3": 120, "2023Q4": 110}, unit="县人社局")
    rows = [
        {
            "start_date": date(2024, 5, 18),
            "title": "全县科普大会",
            "type": "科普讲座",
            "participants": 30000,
            "sessions": 1,
        }
    ]
    path = fill(template, tmp_path / "filled.xlsx", rows, values={"C1": 400})
    preview = import_workbooks(svc.imports, [path], dry_run=True)
    assert not preview.written and not preview.problems
    got = {(f.kind, f.name, f.period) for f in preview.flags}
    assert got == {("participants", "全县科普大会", "2024"), ("entry", "农民培训人次", "2024Q2")}
    assert FlagService(svc.db).flags() == []  # nothing was written
    review = ReviewDialog(preview)
    assert review.flags.rowCount() == 2
    reasons = [review.flags.item(r, 5).text() for r in range(2)]
    assert any("超过单场容量上限 5,000 人" in r for r in reasons)
    assert any("3.6 倍" in r for r in reasons)


def test_the_range_median_of_an_even_count_on_every_engine(any_plan_services: Services):
    """Six earlier activities, 1,000…6,000 元: the median is (3,000 + 4,000) / 2 = 3,500, so
    10,501 元 is more than three times it and 10,500 元 is not — on SQLite and PostgreSQL."""
    svc = any_plan_services
    for i, yuan in enumerate([6000, 1000, 5000, 2000, 4000, 3000]):
        _activity(svc, date(2022, 3, 1 + i), funding_yuan=yuan)
    high = _activity(svc, date(2023, 4, 1), funding_yuan=10_501)
    _activity(svc, date(2023, 4, 2), funding_yuan=10_500)
    flags = FlagService(svc.db).flags("2023")
    assert [(f.kind, f.code, f.value) for f in flags] == [("funding", str(high), 10_501.0)]
    assert "6 项活动中位数 3,500.00 元" in flags[0].reason
