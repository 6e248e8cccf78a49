"""Volunteer teams, headcounts over time, the registered-volunteer indicator, and the entry grid."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from sqlalchemy import select

from desktop.errors import LockedError, ServiceError, ValidationError
from desktop.models import AuditRecord
from desktop.plan.document import PlanDocument
from desktop.services import Services
from desktop.services.volunteers import TeamInput
from tests.conftest import SMALL_PLAN

VOLUNTEER_PLAN = copy.deepcopy(SMALL_PLAN)
VOLUNTEER_PLAN["id"] = "test-county-volunteers"
VOLUNTEER_PLAN["indicators"].append(
    {
        "code": "V1",
        "name": "注册科技志愿者（队伍人数）",
        "unit": "人",
        "measure": "level",
        "task": "A1.2",
        "target_mode": "end",
        "target": 500,
        "source": "derived",
        "rule": {"metric": "registered_volunteers"},
    }
)


@pytest.fixture
def vol(services: Services) -> Services:
    services.plans.create(PlanDocument.from_dict(VOLUNTEER_PLAN))
    return services


def _unit(svc: Services, name: str) -> int:
    return next(u.id for u in svc.reference.units() if u.name == name)


def _v1(svc: Services, as_of: date) -> float | None:
    report = svc.progress.report(as_of)
    return next(p.actual for p in report.indicators if p.code == "V1")


def test_registered_volunteers_is_the_sum_of_each_teams_latest_headcount(vol: Services):
    kx = _unit(vol, "县科协")
    a = vol.volunteers.add(TeamInput("城关科技志愿服务队", kx, None, date(2021, 3, 1)))
    b = vol.volunteers.add(
        TeamInput("银龄科普志愿服务队", kx, None, date(2021, 5, 1)), 30, date(2021, 6, 30)
    )
    vol.volunteers.set_headcount(a, date(2021, 12, 31), 40)
    vol.volunteers.set_headcount(a, date(2022, 12, 31), 55)
    vol.volunteers.set_headcount(b, date(2022, 6, 30), 38)
    # End of 2021: team A 40 + team B 30 = 70; end of 2022: 55 + 38 = 93.
    assert vol.volunteers.registered_total(date(2021, 12, 31)) == 70
    assert vol.volunteers.registered_total(date(2022, 12, 31)) == 93
    assert _v1(vol, date(2021, 12, 31)) == 70
    assert _v1(vol, date(2022, 12, 31)) == 93
    # Mid-2022 team A's latest is still 40 and team B's is 38.
    assert vol.volunteers.registered_total(date(2022, 7, 1)) == 78

    rows = {r.name: r for r in vol.volunteers.teams()}
    assert rows["城关科技志愿服务队"].headcount == 55
    assert rows["城关科技志愿服务队"].headcount_as_of == date(2022, 12, 31)
    assert rows["银龄科普志愿服务队"].unit_name == "县科协"
    history = vol.volunteers.headcounts(a)
    assert [(h.as_of, h.headcount, h.change) for h in history] == [
        (date(2021, 12, 31), 40, None),
        (date(2022, 12, 31), 55, 15),
    ]
    # The same date replaces, it does not add a second figure.
    vol.volunteers.set_headcount(a, date(2022, 12, 31), 60)
    assert vol.volunteers.registered_total(date(2022, 12, 31)) == 98
    assert len(vol.volunteers.headcounts(a)) == 2


def test_validation_messages(vol: Services):
    vol.volunteers.add(TeamInput("城关科技志愿服务队", None, None, date(2021, 3, 1)))
    with pytest.raises(ValidationError, match="已有名为“城关科技志愿服务队”"):
        vol.volunteers.add(TeamInput(" 城关科技志愿服务队 "))
    with pytest.raises(ValidationError, match="队伍名称不能为空"):
        vol.volunteers.add(TeamInput("  "))
    team = vol.volunteers.teams()[0].id
    with pytest.raises(ValidationError, match="不能为负数"):
        vol.volunteers.set_headcount(team, date(2022, 1, 1), -3)
    with pytest.raises(ValidationError, match="不能早于队伍成立日期（2021-03-01）"):
        vol.volunteers.set_headcount(team, date(2021, 1, 1), 10)
    assert vol.volunteers.headcounts(team) == []


def test_locked_headcounts_are_read_only_and_protect_their_team(vol: Services):
    team = vol.volunteers.add(TeamInput("景芝镇科技志愿服务队", None, None, date(2021, 1, 1)))
    hc = vol.volunteers.set_headcount(team, date(2021, 12, 31), 50)
    vol.locks.lock("2021")
    with pytest.raises(LockedError):
        vol.volunteers.set_headcount(team, date(2021, 12, 31), 80)
    with pytest.raises(LockedError):
        vol.volunteers.delete_headcount(hc)
    with pytest.raises(ServiceError, match="已随报表报送并锁定"):
        vol.volunteers.delete(team)
    assert vol.volunteers.headcounts(team)[0].locked is True
    assert vol.volunteers.registered_total(date(2021, 12, 31)) == 50
    # A new date outside the lock is fine.
    vol.volunteers.set_headcount(team, date(2022, 12, 31), 70)
    assert vol.volunteers.registered_total(date(2022, 12, 31)) == 70


def test_every_change_is_audited(vol: Services):
    team = vol.volunteers.add(TeamInput("官庄镇科技志愿服务队"), 20, date(2023, 1, 1))
    vol.volunteers.update(team, TeamInput("官庄镇科技志愿服务总队", founded=date(2020, 1, 1)))
    vol.volunteers.delete(team)
    with vol.db.reading() as s:
        trail = [
            (r.action, r.entity, r.summary)
            for r in s.scalars(
                select(AuditRecord)
                .where(AuditRecord.entity.in_(["volunteer_team", "team_headcount"]))
                .order_by(AuditRecord.id)
            )
        ]
    assert trail == [
        ("create", "volunteer_team", "新增志愿服务队 官庄镇科技志愿服务队"),
        ("create", "team_headcount", "官庄镇科技志愿服务队 2023-01-01 注册人数 20"),
        ("update", "volunteer_team", "修改志愿服务队 官庄镇科技志愿服务总队"),
        ("delete", "volunteer_team", "删除志愿服务队 官庄镇科技志愿服务总队"),
    ]
    assert vol.volunteers.teams() == []


def test_entry_grid_for_one_unit(plan_services: Services):
    svc = plan_services
    rs = _unit(svc, "县人社局")
    ind = {i.code: i for i in svc.plans.indicators()}
    # 县人社局 cooperates on P1.1, whose manual indicators are C1, C2 and Y1.
    grid = svc.entry_grid.grid(rs, "quarter", 2024)
    assert [r.code for r in grid.rows] == ["C1", "C2", "Y1"]
    assert [p.code for p in grid.periods] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    svc.entries.set(ind["C1"].id, "2024Q1", 1200, unit_id=rs)
    svc.entries.set(ind["C1"].id, "2024Q2", 800, unit_id=rs)
    svc.entries.set(ind["C2"].id, "2023", 500, unit_id=rs)
    svc.locks.lock("2024Q1")

    q = svc.entry_grid.grid(rs, "quarter", 2024)
    c1 = q.rows[0].cells
    assert [c.value for c in c1] == [1200, 800, None, None]
    assert [c.editable for c in c1] == [False, True, True, True]
    assert c1[0].locked and c1[0].reason == "该统计期已锁定"

    years = svc.entry_grid.grid(rs, "year")
    assert [p.code for p in years.periods] == ["2021", "2022", "2023", "2024", "2025"]
    c1_2024 = years.rows[0].cells[3]
    # The year shows the quarters' sum (1200 + 800) and cannot take a second figure.
    assert c1_2024.value == 2000 and not c1_2024.editable
    c2_2023 = years.rows[1].cells[2]
    assert c2_2023.value == 500 and c2_2023.editable
    # A year entered as a whole makes its quarters read-only.
    q2023 = svc.entry_grid.grid(rs, "quarter", 2023)
    assert not any(c.editable for c in q2023.rows[1].cells)
    assert "2023年" in q2023.rows[1].cells[0].reason

    # The county as a whole also sees the percentage; a unit never does.
    county = svc.entry_grid.grid(None, "year")
    assert "P1" in [r.code for r in county.rows]
    assert "D1" not in [r.code for r in county.rows]
