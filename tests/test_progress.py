"""The aggregation and status rules, against figures worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop.models import ActivityType, TargetGroup, Task, Unit
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.periods import parse_period
from desktop.services.progress import elapsed_share, status_for


def ind_id(svc: Services, code: str) -> int:
    return next(i.id for i in svc.plans.indicators() if i.code == code)


def unit_id(svc: Services, name: str) -> int:
    with svc.db.reading() as s:
        return s.scalar(select(Unit.id).where(Unit.name == name))


def by_code(svc: Services, as_of: date) -> dict:
    return {p.code: p for p in svc.progress.report(as_of=as_of).indicators}


@pytest.mark.parametrize(
    ("completion", "expected", "status"),
    [
        (None, 40.0, "no_data"),
        (100.0, 40.0, "done"),
        (120.0, 100.0, "done"),
        (40.0, 40.0, "on_track"),
        (39.9, 40.0, "behind"),
        (20.0, 40.0, "behind"),
        (19.9, 40.0, "far_behind"),
    ],
)
def test_status_rule(completion, expected, status):
    assert status_for(completion, expected) == status


def test_expected_share_is_k_over_n_at_year_end():
    assert elapsed_share(2021, 2025, date(2022, 12, 31)) == pytest.approx(0.4)
    assert elapsed_share(2021, 2025, date(2025, 12, 31)) == pytest.approx(1.0)
    # Mid-year: 1 full year plus 181/365 of 2022, over 5 years.
    assert elapsed_share(2021, 2025, date(2022, 6, 30)) == pytest.approx((1 + 181 / 365) / 5)
    assert elapsed_share(2021, 2025, date(2020, 6, 30)) == 0.0


def test_count_sums_over_time_and_units(any_plan_services: Services):
    svc = any_plan_services
    c1 = ind_id(svc, "C1")
    a, b = unit_id(svc, "县农业农村局"), unit_id(svc, "县人社局")
    svc.entries.set(c1, "2021", 1500, unit_id=a)
    svc.entries.set(c1, "2021", 1000, unit_id=b)
    svc.entries.set(c1, "2022Q1", 500, unit_id=a)
    svc.entries.set(c1, "2022Q3", 1000, unit_id=b)

    p = by_code(svc, date(2022, 12, 31))["C1"]
    assert p.actual == 4000  # 1500 + 1000 + 500 + 1000
    assert p.completion_pct == pytest.approx(40.0)
    assert p.expected_pct == pytest.approx(40.0)  # end of year 2 of 5
    assert p.status == "on_track"
    assert p.period_value == 1500  # 2022 alone: 500 + 1000

    mid = by_code(svc, date(2022, 6, 30))["C1"]
    assert mid.actual == 3000  # Q3 not yet reported
    assert mid.expected_pct == pytest.approx((1 + 181 / 365) / 5 * 100)  # 29.9 %
    assert mid.status == "on_track"  # 30.0 % ≥ 29.9 %


def test_level_takes_latest_per_unit_then_sums(any_plan_services: Services):
    svc = any_plan_services
    l1 = ind_id(svc, "L1")
    a, b = unit_id(svc, "县科协"), unit_id(svc, "县教体局")
    svc.entries.set(l1, "2021Q4", 100, unit_id=a)
    svc.entries.set(l1, "2022Q2", 150, unit_id=a)
    svc.entries.set(l1, "2022Q1", 80, unit_id=b)
    svc.entries.set(l1, "2022Q3", 60, unit_id=b)

    assert by_code(svc, date(2022, 6, 30))["L1"].actual == 230  # 150 + 80
    end = by_code(svc, date(2022, 12, 31))["L1"]
    assert end.actual == 210  # 150 + 60: B's stock fell
    assert end.completion_pct == pytest.approx(42.0)
    assert end.status == "on_track"
    assert by_code(svc, date(2021, 12, 31))["L1"].actual == 100


def test_annual_target_is_measured_within_its_year(any_plan_services: Services):
    svc = any_plan_services
    c2 = ind_id(svc, "C2")
    svc.entries.set(c2, "2021", 1200)
    svc.entries.set(c2, "2022Q1", 300)
    svc.entries.set(c2, "2022Q2", 100)

    assert by_code(svc, date(2021, 12, 31))["C2"].status == "done"
    p = by_code(svc, date(2022, 12, 31))["C2"]
    assert p.actual == 400  # not 1600: 2021 does not count toward 2022
    assert p.expected_pct == pytest.approx(100.0)
    assert p.status == "far_behind"  # 40 % < half of 100 %
    half = by_code(svc, date(2022, 6, 30))["C2"]
    assert half.expected_pct == pytest.approx(181 / 365 * 100)
    assert half.status == "behind"  # 40 % vs 49.6 % expected


def test_per_year_target_uses_that_years_value(any_plan_services: Services):
    svc = any_plan_services
    y1 = ind_id(svc, "Y1")
    svc.entries.set(y1, "2022", 150)
    p = by_code(svc, date(2022, 12, 31))["Y1"]
    assert p.target == 200
    assert p.completion_pct == pytest.approx(75.0)
    assert p.status == "behind"


def test_percent_with_baseline_expects_linear_path(any_plan_services: Services):
    svc = any_plan_services
    p1 = ind_id(svc, "P1")
    svc.entries.set(p1, "2021", 75)
    svc.entries.set(p1, "2022", 78)
    p = by_code(svc, date(2022, 12, 31))["P1"]
    assert p.actual == 78  # latest, never summed (75 + 78 would be 153)
    assert p.completion_pct == pytest.approx(78 / 90 * 100)
    # Expected value 70 + (90 − 70) × 2/5 = 78, i.e. 86.7 % of 90.
    assert p.expected_pct == pytest.approx(78 / 90 * 100)
    assert p.status == "on_track"


def test_ceiling_target(any_plan_services: Services):
    svc = any_plan_services
    e1 = ind_id(svc, "E1")
    svc.entries.set(e1, "2021", 8)
    svc.entries.set(e1, "2022Q1", 7)
    svc.entries.set(e1, "2022Q2", 5)
    assert by_code(svc, date(2021, 12, 31))["E1"].status == "done"
    assert by_code(svc, date(2022, 3, 31))["E1"].status == "on_track"
    over = by_code(svc, date(2022, 12, 31))["E1"]
    assert over.actual == 12
    assert over.status == "behind"


def _activity(svc: Services, day: date, type_code: str, group: str, participants: int) -> int:
    with svc.db.reading() as s:
        type_id = s.scalar(select(ActivityType.id).where(ActivityType.code == type_code))
        group_id = s.scalar(select(TargetGroup.id).where(TargetGroup.name == group))
        task_id = s.scalar(select(Task.id).where(Task.code == "A1.1"))
    return svc.activities.add(
        ActivityInput(
            start_date=day,
            title=f"{group}{type_code}",
            type_id=type_id,
            unit_id=unit_id(svc, "县科协"),
            participants=participants,
            task_ids=[task_id],
            group_ids=[group_id],
        )
    )


def test_derived_indicator_follows_the_ledger(any_plan_services: Services):
    svc = any_plan_services
    assert by_code(svc, date(2022, 12, 31))["D1"].status == "no_data"
    _activity(svc, date(2021, 3, 1), "lecture", "青少年", 200)
    _activity(svc, date(2021, 4, 1), "lecture", "农民", 300)  # other group
    _activity(svc, date(2022, 5, 1), "training", "青少年", 400)  # other type
    last = _activity(svc, date(2022, 6, 1), "lecture", "青少年", 600)

    p = by_code(svc, date(2022, 12, 31))["D1"]
    assert p.actual == 800  # 200 + 600
    assert p.completion_pct == pytest.approx(32.0)  # of 2500
    assert p.status == "behind"  # 32 % < 40 % expected, ≥ 20 %
    assert p.period_value == 600

    svc.activities.delete(last)
    assert by_code(svc, date(2022, 12, 31))["D1"].actual == 200


def test_rollups_and_lagging_order(any_plan_services: Services):
    svc = any_plan_services
    svc.entries.set(ind_id(svc, "C2"), "2022", 300)  # 30 % of annual → far behind
    svc.entries.set(ind_id(svc, "Y1"), "2022", 150)  # 75 % → behind
    report = svc.progress.report(period=parse_period("2022"))
    assert [p.code for p in report.lagging()] == ["C2", "Y1"]
    p1 = next(r for r in report.sections if r.key == "P1")
    assert p1.indicators == 3  # C1, C2, Y1 sit under task P1.1
    assert p1.counts["far_behind"] == 1 and p1.counts["behind"] == 1
    # Mean completion of C2 and Y1 = (30 + 75) / 2 = 52.5 % vs 100 % expected.
    assert p1.completion_pct == pytest.approx(52.5)
    assert p1.status == "behind"
    unit = next(r for r in report.units if r.key == "县农业农村局")
    assert unit.indicators == 3
