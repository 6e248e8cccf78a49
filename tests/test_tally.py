"""The ledger's monthly totals always equal a recount, whoever wrote and however."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from desktop.importing.collection_workbook import import_workbooks
from desktop.models import (
    Activity,
    ActivityTally,
    ActivityType,
    TallyStale,
    TargetGroup,
    Task,
    Unit,
)
from desktop.plan.document import PlanDocument
from desktop.services import Services, tally
from desktop.services.activities import ActivityFilter, ActivityInput
from desktop.services.tally import Profile
from tests.test_collection_import import GOOD, fill


def _ids(svc: Services, model, column, names) -> list[int]:
    with svc.db.reading() as s:
        return [s.scalar(select(model.id).where(column == name)) for name in names]


def _lecture(svc: Services, day: date, participants: int, groups=("青少年",), tasks=("A1.1",)):
    with svc.db.reading() as s:
        lecture = s.scalar(select(ActivityType.id).where(ActivityType.code == "lecture"))
        unit = s.scalar(select(Unit.id).where(Unit.name == "县科协"))
    return ActivityInput(
        start_date=day,
        title=f"科普讲座 {day.isoformat()}",
        type_id=lecture,
        unit_id=unit,
        participants=participants,
        sessions=2,
        volunteer_hours=1.5,
        group_ids=_ids(svc, TargetGroup, TargetGroup.name, groups),
        task_ids=_ids(svc, Task, Task.code, tasks),
    )


def _in_step(svc: Services) -> None:
    with svc.db.reading() as s:
        assert list(s.scalars(select(TallyStale.month))) == []  # settled before commit
        assert tally.differences(s) == []
        stored = s.scalar(select(func.coalesce(func.sum(ActivityTally.activities), 0)))
        assert stored == s.scalar(select(func.count()).select_from(Activity))


def _month(svc: Services, month: date) -> list[tuple[int, str, str, int, int]]:
    """(activities, groups, tasks, participants, sessions) rows of one month's totals."""
    with svc.db.reading() as s:
        rows = s.execute(
            select(
                ActivityTally.activities,
                ActivityTally.groups,
                ActivityTally.tasks,
                ActivityTally.participants,
                ActivityTally.sessions,
            )
            .where(ActivityTally.month == month)
            .order_by(ActivityTally.participants)
        )
        return [tuple(r) for r in rows]


def test_totals_follow_adds_edits_deletes_and_undo(any_plan_services: Services):
    svc = any_plan_services
    youth, farmers = _ids(svc, TargetGroup, TargetGroup.name, ["青少年", "农民"])
    a1, p1 = _ids(svc, Task, Task.code, ["A1.1", "P1.1"])
    first = svc.activities.add(_lecture(svc, date(2022, 3, 5), 100))
    svc.activities.add(_lecture(svc, date(2022, 3, 20), 50))
    svc.activities.add(_lecture(svc, date(2022, 3, 9), 7, groups=("青少年", "农民"), tasks=()))
    _in_step(svc)
    key = f"{min(youth, farmers)},{max(youth, farmers)}"
    # Two activities share a profile (150 人次, 4 场); the third has two groups and no task.
    assert _month(svc, date(2022, 3, 1)) == [(1, key, "", 7, 2), (2, str(youth), str(a1), 150, 4)]

    moved = _lecture(svc, date(2022, 4, 2), 100, tasks=("A1.1", "P1.1"))
    svc.activities.update(first, moved)
    _in_step(svc)
    assert _month(svc, date(2022, 3, 1)) == [(1, key, "", 7, 2), (1, str(youth), str(a1), 50, 2)]
    assert _month(svc, date(2022, 4, 1)) == [(1, str(youth), f"{a1},{p1}", 100, 2)]

    deleted = svc.activities.delete(first)
    _in_step(svc)
    assert _month(svc, date(2022, 4, 1)) == []
    svc.activities.restore(deleted)
    _in_step(svc)
    assert _month(svc, date(2022, 4, 1)) == [(1, str(youth), f"{a1},{p1}", 100, 2)]

    ids = [r.id for r in svc.activities.rows(ActivityFilter(), 0, 10)]
    svc.activities.delete_many(ids[:2])
    _in_step(svc)


def test_removing_a_task_moves_its_activities_totals(plan_services: Services):
    svc = plan_services
    svc.activities.add(_lecture(svc, date(2023, 5, 1), 30, tasks=("A1.1", "P1.1")))
    (p1,) = _ids(svc, Task, Task.code, ["P1.1"])
    (a1,) = _ids(svc, Task, Task.code, ["A1.1"])
    assert _month(svc, date(2023, 5, 1))[0][2] == f"{min(a1, p1)},{max(a1, p1)}"
    svc.plan_editor.remove_task(a1, confirm=True)
    _in_step(svc)
    assert _month(svc, date(2023, 5, 1))[0][2] == str(p1)


def test_import_and_its_undo_keep_totals_in_step(county: Services, template: Path, tmp_path: Path):
    filled = fill(template, tmp_path / "人社局.xlsx", GOOD)
    result = import_workbooks(county.imports, [filled])
    _in_step(county)
    with county.db.reading() as s:
        may = tally.window(s, date(2024, 5, 1), date(2024, 5, 31))
    # GOOD has two May activities: 120 人次 (2 场) and one with no participants (1 场).
    assert sum(v.activities for v in may.values()) == 2
    assert sum(v.participants for v in may.values()) == 120
    assert sum(v.sessions for v in may.values()) == 3
    county.imports.undo(result.files[0].batch_id)
    _in_step(county)
    with county.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ActivityTally)) == 0


def test_window_counts_partial_months_and_edges(plan_services: Services):
    svc = plan_services
    for day, n in [
        (date(2022, 1, 31), 1),
        (date(2022, 2, 1), 10),
        (date(2022, 2, 28), 100),
        (date(2022, 3, 1), 1000),
    ]:
        svc.activities.add(_lecture(svc, day, n))

    def participants(start: date, end: date) -> int:
        with svc.db.reading() as s:
            return sum(v.participants for v in tally.window(s, start, end).values())

    assert participants(date(2022, 1, 1), date(2022, 12, 31)) == 1111
    assert participants(date(2022, 1, 31), date(2022, 2, 28)) == 111  # edge day + a whole month
    assert participants(date(2022, 2, 1), date(2022, 2, 27)) == 10  # within one month
    assert (
        participants(date(2022, 2, 2), date(2022, 3, 1)) == 1100
    )  # partial month, next month's first day
    assert participants(date(2022, 3, 2), date(2022, 3, 1)) == 0  # empty window


def test_a_write_from_outside_the_program_is_counted_from_the_ledger(plan_services: Services):
    """A row written by another tool marks its month; readers count that month directly."""
    svc = plan_services
    svc.activities.add(_lecture(svc, date(2022, 6, 1), 200))
    d1 = next(i.id for i in svc.plans.indicators() if i.code == "D1")
    con = sqlite3.connect(svc.db.path)
    with con:
        con.execute(
            "INSERT INTO activity (start_date, title, type_id, unit_id, participants, sessions,"
            " volunteers, volunteer_hours, funding_fen, media, summary, created_at, updated_at)"
            " SELECT '2022-06-15', '外部写入的讲座', type_id, unit_id, 300, 1, 0, 0, 0, '', '',"
            " '2022-06-15', '2022-06-15' FROM activity LIMIT 1"
        )
        con.execute(
            "INSERT INTO activity_group SELECT max(id), (SELECT group_id FROM activity_group LIMIT 1)"
            " FROM activity"
        )
    con.close()
    with svc.db.reading() as s:
        assert list(s.scalars(select(TallyStale.month))) == [date(2022, 6, 1)]
    report = svc.progress.report(as_of=date(2022, 12, 31))
    assert next(p for p in report.indicators if p.id == d1).actual == 500  # 200 + 300
    svc.activities.add(_lecture(svc, date(2023, 1, 9), 1))  # the program's next write settles it
    _in_step(svc)


def test_rebuild_restores_totals_a_mistake_changed(plan_services: Services):
    svc = plan_services
    svc.activities.add(_lecture(svc, date(2022, 6, 1), 200))
    with svc.db.transaction() as s:
        row = s.scalars(select(ActivityTally)).one()
        row.participants = 999
    with svc.db.reading() as s:
        assert tally.differences(s) == [date(2022, 6, 1)]
    with svc.db.transaction() as s:
        assert tally.rebuild(s) == 1
    _in_step(svc)


def test_upgrade_to_0004_counts_the_rows_already_there(tmp_path: Path, data_dir: Path):
    from tests.conftest import SMALL_PLAN
    from tests.test_migrations import _downgrade

    path = tmp_path / "old.sqlite3"
    svc = Services.open(path)
    svc.plans.create(PlanDocument.from_dict(SMALL_PLAN))
    for day, n in [(date(2021, 5, 1), 5), (date(2021, 5, 9), 6), (date(2024, 1, 1), 7)]:
        svc.activities.add(_lecture(svc, day, n))
    svc.close()
    _downgrade(path, "0003")
    svc = Services.open(path)
    try:
        _in_step(svc)
        with svc.db.reading() as s:
            found = tally.window(s, date(2021, 1, 1), date(2025, 12, 31))
        assert {p.type_id for p in found} == set(
            _ids(svc, ActivityType, ActivityType.code, ["lecture"])
        )
        assert sum(v.participants for v in found.values()) == 18
        assert all(isinstance(p, Profile) for p in found)
    finally:
        svc.close()


def test_ledger_counts_and_totals_by_filter(plan_services: Services):
    """The ledger's count and totals line, answered from the monthly totals, by hand."""
    svc = plan_services
    youth, farmers = _ids(svc, TargetGroup, TargetGroup.name, ["青少年", "农民"])
    (a1,) = _ids(svc, Task, Task.code, ["A1.1"])
    svc.activities.add(_lecture(svc, date(2022, 1, 31), 1))
    svc.activities.add(_lecture(svc, date(2022, 2, 1), 10, groups=("农民",)))
    svc.activities.add(_lecture(svc, date(2022, 2, 28), 100, tasks=()))
    svc.activities.add(_lecture(svc, date(2022, 3, 1), 1000, groups=("青少年", "农民")))
    cases = [
        (ActivityFilter(), 4, 1111),
        (ActivityFilter(start=date(2022, 2, 1)), 3, 1110),
        (ActivityFilter(start=date(2022, 1, 31), end=date(2022, 2, 27)), 2, 11),
        (ActivityFilter(group_id=youth), 3, 1101),
        (ActivityFilter(group_id=farmers, end=date(2022, 2, 28)), 1, 10),
        (ActivityFilter(task_id=a1), 3, 1011),
        (ActivityFilter(task_id=a1, group_id=farmers), 2, 1010),
        (ActivityFilter(text="2022-02"), 2, 110),
    ]
    for flt, count, participants in cases:
        totals = svc.activities.totals(flt)
        assert (svc.activities.count(flt), totals.participants) == (count, participants), flt
        assert totals.sessions == 2 * count and totals.volunteer_hours == 1.5 * count


def test_check_finds_wrong_totals_and_repair_recounts_them(plan_services: Services, capsys):
    from tests.cli_run import run

    svc = plan_services
    svc.activities.add(_lecture(svc, date(2022, 6, 1), 200))
    path = str(svc.db.path)
    svc.close()
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE activity_tally SET participants = participants + 1")
    con.close()
    code, out, _ = run(capsys, "--db", path, "check")
    assert code == 1 and "2022年6月" in out and "--repair" in out
    code, out, _ = run(capsys, "--db", path, "check", "--repair")
    assert code == 0 and "重新汇总 1 个月" in out and "检查通过" in out
    assert list((Path(path).parent / "backups").glob("*pre-repair*.sqlite3"))
    con = sqlite3.connect(path)
    assert con.execute("SELECT participants FROM activity_tally").fetchall() == [(200,)]
    con.close()
