"""Locks refuse writes in the service layer; every change leaves an audit record."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.errors import LockedError, ValidationError
from desktop.models import Activity, ActivityType, AuditRecord, SectionUnit, TaskUnit, Unit
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.periods import parse_period
from desktop.services.safety import ACTION_LABELS, ENTITY_LABELS


def _input(svc: Services, day: date, **kw) -> ActivityInput:
    with svc.db.reading() as s:
        type_id = s.scalar(select(ActivityType.id).where(ActivityType.code == "lecture"))
        unit_id = s.scalar(select(Unit.id).where(Unit.name == "县科协"))
    return ActivityInput(
        start_date=day, title="科普讲座进校园", type_id=type_id, unit_id=unit_id, **kw
    )


def _audit_count(svc: Services) -> int:
    with svc.db.reading() as s:
        return s.scalar(select(func.count(AuditRecord.id)))


def test_locked_period_refuses_writes_until_unlocked(any_plan_services: Services):
    svc = any_plan_services
    kept = svc.activities.add(_input(svc, date(2022, 2, 10), participants=50))
    svc.locks.lock("2022Q1")

    with pytest.raises(LockedError, match="2022年第1季度已报送并锁定"):
        svc.activities.add(_input(svc, date(2022, 3, 1)))
    with pytest.raises(LockedError):
        svc.activities.delete(kept)
    with pytest.raises(LockedError):
        svc.activities.update(kept, _input(svc, date(2022, 4, 1)))
    c1 = next(i.id for i in svc.plans.indicators() if i.code == "C1")
    with pytest.raises(LockedError):
        svc.entries.set(c1, "2022", 10)  # the year overlaps the locked quarter
    svc.entries.set(c1, "2022Q2", 10)  # the next quarter is open
    svc.activities.add(_input(svc, date(2022, 4, 1)))

    with pytest.raises(ValidationError):
        svc.locks.unlock("2022Q1", "  ")
    svc.locks.unlock("2022Q1", "市科协退回，更正人次")
    svc.activities.delete(kept)
    with svc.db.reading() as s:
        unlock = s.scalar(select(AuditRecord).where(AuditRecord.action == "unlock"))
    assert unlock.reason == "市科协退回，更正人次"
    assert unlock.user == "测试员"


def test_every_change_is_audited_in_its_transaction(any_plan_services: Services):
    svc = any_plan_services
    before = _audit_count(svc)
    aid = svc.activities.add(_input(svc, date(2022, 5, 1), participants=80))
    changed = _input(svc, date(2022, 5, 1), participants=120)
    svc.activities.update(aid, changed)
    with svc.db.reading() as s:
        rec = s.scalars(
            select(AuditRecord).where(AuditRecord.entity == "activity").order_by(AuditRecord.id)
        ).all()
    assert [r.action for r in rec] == ["create", "update"]
    assert rec[1].changes == {"participants": [80, 120]}
    assert _audit_count(svc) == before + 2

    # A refused write leaves neither data nor audit behind.
    with pytest.raises(ValidationError, match="女性人次"):
        svc.activities.add(_input(svc, date(2022, 5, 2), participants=10, female=11))
    assert _audit_count(svc) == before + 2
    with svc.db.reading() as s:
        assert s.scalar(select(func.count(Activity.id))) == 1


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"end_date": date(2022, 4, 30)}, "结束日期不能早于开始日期"),
        ({"participants": -1}, "参加人次不能为负数"),
        ({"rural": 5, "participants": 3}, "农村人次"),
    ],
)
def test_activity_validation(any_plan_services: Services, kw, message):
    with pytest.raises(ValidationError, match=message):
        any_plan_services.activities.add(_input(any_plan_services, date(2022, 5, 1), **kw))


def test_activity_outside_plan_years_is_refused(any_plan_services: Services):
    svc = any_plan_services
    with pytest.raises(ValidationError, match="不在实施方案期限"):
        svc.activities.add(_input(svc, date(2019, 5, 1)))
    # A range that runs past the plan's last year (2025) is refused at its end date.
    with pytest.raises(ValidationError, match="结束日期 2026-01-03 晚于实施方案期限（2025年底）"):
        svc.activities.add(_input(svc, date(2025, 12, 30), end_date=date(2026, 1, 3)))
    svc.activities.add(_input(svc, date(2025, 12, 30), end_date=date(2025, 12, 31)))


def test_only_periods_of_the_plan_can_be_locked(any_plan_services: Services):
    svc = any_plan_services
    before = _audit_count(svc)
    for code in ("2019", "2030Q1", "202601"):
        with pytest.raises(ValidationError, match="不在实施方案期限（2021—2025年）内"):
            svc.locks.lock(code)
    assert svc.locks.locks() == []
    assert _audit_count(svc) == before
    svc.locks.lock("2025Q4")
    assert svc.locks.is_locked(parse_period("2025Q4"))


def test_every_audited_kind_and_action_has_a_chinese_label() -> None:
    """The 操作记录 tab never shows a code such as "submission" to the office."""
    root = Path(__file__).resolve().parent.parent / "desktop"
    actions: set[str] = set()
    entities = {SectionUnit.__tablename__, TaskUnit.__tablename__}
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                action, entity = node.args[1], node.args[2]
                if isinstance(action, ast.Constant):
                    actions.add(action.value)
                if isinstance(entity, ast.Constant):
                    entities.add(entity.value)
    assert len(entities) > 15 and len(actions) > 8
    assert sorted(entities - ENTITY_LABELS.keys()) == []
    assert sorted(actions - ACTION_LABELS.keys()) == []
