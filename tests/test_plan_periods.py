"""The next plan period: roll over, keep the old plan whole, and report each year under its plan."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop.errors import ServiceError, ValidationError
from desktop.exporting.collection_template import write_template
from desktop.importing.collection_workbook import import_workbooks
from desktop.models import Indicator, Plan
from desktop.plan.document import PlanDocument
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.periods import parse_period
from desktop.templates import load_template, template_ids
from tests.cli_run import run
from tests.conftest import SMALL_PLAN
from tests.test_collection_import import fill


def _ind(svc: Services, code: str, plan_code: str | None = None) -> Indicator:
    with svc.db.reading() as s:
        plan = s.scalar(select(Plan).where(Plan.code == plan_code)) if plan_code else None
        plan_id = plan.id if plan else svc.plans.active().id
        return s.scalar(
            select(Indicator).where(Indicator.plan_id == plan_id, Indicator.code == code)
        )


def _by_code(svc: Services, period: str, plan_code: str | None = None) -> dict:
    report = svc.progress.report(period=parse_period(period), plan_code=plan_code)
    return {p.code: p for p in report.indicators}


@pytest.mark.parametrize("template", template_ids())
def test_each_built_in_plan_rolls_over(services: Services, template: str):
    doc = load_template(template)
    services.plans.create(doc)
    old = services.plans.active()
    span = old.last_year - old.first_year + 1
    first, last = old.last_year + 1, old.last_year + 5
    code = services.plan_periods.rollover(first, last)
    new = services.plans.active()
    assert new.code == code and (new.first_year, new.last_year) == (first, last)
    assert str(first) in new.name and str(last) in new.name and new.name != old.name
    new_doc = services.plans.document(new.id)
    assert [s.title for s in new_doc.sections] == [s.title for s in doc.sections]
    assert len(new_doc.tasks()) == len(doc.tasks())
    assert [i.name for i in new_doc.indicators] == [i.name for i in doc.indicators]
    assert all(i.target is None and not i.targets_by_year for i in new_doc.indicators)
    # Every new indicator remembers the one it continues.
    with services.db.reading() as s:
        olds = {
            i.id: i.code for i in s.scalars(select(Indicator).where(Indicator.plan_id == old.id))
        }
        news = s.scalars(select(Indicator).where(Indicator.plan_id == new.id)).all()
        assert [olds[i.continues_id] for i in news] == [i.code for i in news]
    # Nothing recorded yet, so no baseline is invented; every target is pending.
    report = services.progress.report(period=parse_period(str(first)))
    assert {p.status for p in report.indicators} == {"no_target"}
    assert services.plan_periods.read_only(old.code) and not services.plan_periods.read_only(code)
    assert span >= 4


def test_the_demo_rolls_over_keeping_2025_whole(tmp_path: Path, data_dir: Path, capsys):
    db = str(tmp_path / "demo.sqlite3")
    assert run(capsys, "--db", db, "demo", "--activities", "300")[0] == 0
    before = tmp_path / "before.xlsx"
    assert (
        run(capsys, "--db", db, "export", "return", "--period", "2025", "--out", str(before))[0]
        == 0
    )
    # Before the turn a 2026 figure has no plan: refused, not shown "as of 2025-12-31".
    code, _, err = run(capsys, "--db", db, "progress", "--period", "2026")
    assert code != 0 and "统计期 2026年 不在实施方案期限（2021—2025年）内" in err

    code, out, err = run(capsys, "--db", db, "plan", "rollover", "--to", "2026-2030")
    assert code == 0, err
    assert "安丘市全民科学素质行动规划纲要实施方案（2026—2030年）" in out
    code, out, _ = run(capsys, "--db", db, "plan", "list")
    assert "* anqiu-2026-2030" in out and "anqiu-2021-2025" in out and "已结束（只读）" in out

    after = tmp_path / "after.xlsx"
    assert (
        run(capsys, "--db", db, "export", "return", "--period", "2025", "--out", str(after))[0] == 0
    )
    rows = [list(load_workbook(p)["_data"].iter_rows(values_only=True)) for p in (before, after)]
    assert rows[0] == rows[1]
    out_pdf = tmp_path / "s.pdf"
    assert (
        run(capsys, "--db", db, "export", "summary", "--year", "2025", "--out", str(out_pdf))[0]
        == 0
    )

    code, out, _ = run(capsys, "--db", db, "progress", "--period", "2026", "--json")
    lit = next(p for p in json.loads(out) if p["code"] == "LIT")
    assert lit["target"] is None and lit["status"] == "no_target"
    assert (lit["baseline"], lit["baseline_year"]) == (16.4, 2025)
    code, out, _ = run(capsys, "--db", db, "progress", "--period", "2025", "--json")
    lit_2025 = next(p for p in json.loads(out) if p["code"] == "LIT")
    assert lit_2025["actual"] == 16.4 and lit_2025["target"] == 17.5

    assert run(capsys, "--db", db, "plan", "target", "--indicator", "LIT", "--value", "25")[0] == 0
    code, out, _ = run(capsys, "--db", db, "progress", "--period", "2026", "--json")
    lit = next(p for p in json.loads(out) if p["code"] == "LIT")
    # Expected at the end of 2026: the line from 16.4 (2025) to 25 (2030), one fifth of the way.
    assert lit["target"] == 25 and lit["expected_pct"] == pytest.approx(
        (16.4 + 8.6 / 5) / 25 * 100, abs=0.05
    )
    # --plan picks the old plan explicitly, and refuses a year it does not cover.
    assert (
        run(capsys, "--db", db, "progress", "--period", "2025", "--plan", "anqiu-2021-2025")[0] == 0
    )
    code, _, err = run(
        capsys, "--db", db, "progress", "--period", "2026", "--plan", "anqiu-2021-2025"
    )
    assert code != 0 and "不在实施方案期限（2021—2025年）内" in err


def test_activities_and_entries_go_to_the_plan_of_their_year(plan_services: Services):
    svc = plan_services
    svc.plan_periods.rollover(2026, 2030)
    unit = next(u.id for u in svc.reference.units() if u.name == "县科协")
    types = {t.code: t.id for t in svc.reference.activity_types()}
    for day in (date(2025, 12, 20), date(2026, 3, 15)):
        svc.activities.add(
            ActivityInput(start_date=day, title="讲座", type_id=types["lecture"], unit_id=unit)
        )
    with pytest.raises(ValidationError, match="2021—2025年、2026—2030年"):
        svc.activities.add(
            ActivityInput(
                start_date=date(2031, 1, 5), title="讲座", type_id=types["lecture"], unit_id=unit
            )
        )
    old_c1 = _ind(svc, "C1", "test-county-2021-2025")
    new_c1 = _ind(svc, "C1")
    svc.entries.set(old_c1.id, "2025", 800)
    svc.entries.set(new_c1.id, "2026", 300)
    assert _by_code(svc, "2025")["C1"].actual == 800
    assert _by_code(svc, "2026")["C1"].actual == 300
    with pytest.raises(ValidationError, match="2026年 不在实施方案期限（2021—2025年）内"):
        svc.entries.set(old_c1.id, "2026", 1)


def test_a_2026_collection_workbook_goes_to_the_new_plan(county: Services, tmp_path: Path):
    svc = county
    code = svc.plan_periods.rollover(2026, 2030)
    unit = next(u.id for u in svc.reference.units() if u.name == "县人社局")
    spec = svc.imports.template_spec(unit, "2026Q1")
    assert spec.plan_code == code
    path = write_template(spec, tmp_path / "2026.xlsx")
    rows = [
        {
            "start_date": date(2026, 2, 10),
            "title": "春季技能培训",
            "type": "实用技术培训",
            "participants": 60,
        }
    ]
    filled = fill(path, tmp_path / "2026-filled.xlsx", rows, values={"C1": 120})
    result = import_workbooks(svc.imports, [filled])
    assert result.written and result.activities == 1 and result.entries == 1
    assert _by_code(svc, "2026Q1")["C1"].period_value == 120
    # A 2025 workbook made before the turn still imports, into the old plan.
    old_spec = svc.imports.template_spec(unit, "2025Q4")
    assert old_spec.plan_code == "test-county-2021-2025"
    old = fill(
        write_template(old_spec, tmp_path / "2025.xlsx"),
        tmp_path / "2025-filled.xlsx",
        [],
        values={"C1": 70},
    )
    assert import_workbooks(svc.imports, [old]).written
    assert _by_code(svc, "2025Q4")["C1"].period_value == 70


def test_years_must_follow_and_never_overlap(plan_services: Services):
    svc = plan_services
    with pytest.raises(ValidationError, match="应从 2026 年或以后开始"):
        svc.plan_periods.rollover(2025, 2029)
    svc.plans.create(
        PlanDocument.from_dict(
            {
                **SMALL_PLAN,
                "id": "later",
                "plan": {**SMALL_PLAN["plan"], "first_year": 2028, "last_year": 2032},
                "indicators": [i for i in SMALL_PLAN["indicators"] if i["code"] != "Y1"],
            }
        ),
        activate=False,
    )
    with pytest.raises(ValidationError, match="重叠"):
        svc.plan_periods.rollover(2026, 2030)
    with pytest.raises(ValidationError, match="不在“"):
        svc.plan_periods.set_continuations("test-county-2021-2025", "later", {})


def test_the_ended_plan_is_read_only_until_unlocked(plan_services: Services):
    svc = plan_services
    old = svc.plans.active()
    svc.plan_periods.rollover(2026, 2030)
    section = next(s for s in svc.plan_editor.tree(old.id).sections)
    with pytest.raises(ServiceError, match="已结束，结构只读"):
        svc.plan_editor.add_task(section.id, "新增任务")
    with pytest.raises(ServiceError, match="已结束，结构只读"):
        svc.plan_periods.set_target("C1", 1, plan_code=old.code)
    with pytest.raises(ValidationError, match="理由"):
        svc.plan_periods.unlock(old.code, "  ")
    svc.plan_periods.unlock(old.code, "市里要求补充任务")
    svc.plan_editor.add_task(section.id, "新增任务")
    svc.plan_periods.lock(old.code)
    with pytest.raises(ServiceError, match="已结束，结构只读"):
        svc.plan_editor.add_task(section.id, "又一项任务")
    # The new plan stays editable, and switching the active plan is not an edit.
    new_section = next(s for s in svc.plan_editor.tree(svc.plans.active().id).sections)
    svc.plan_editor.add_task(new_section.id, "2026 年新任务")
    svc.plans.activate(old.id)


def test_a_plan_read_from_its_text_continues_the_old_one(plan_services: Services):
    """The new plan renames C1 to A01 and drops L1: matched by name and unit, baseline taken."""
    svc = plan_services
    c1 = _ind(svc, "C1")
    svc.entries.set(c1.id, "2021", 4000)
    svc.entries.set(c1.id, "2024", 5000)
    old = svc.plans.active()
    new_doc = json.loads(json.dumps(SMALL_PLAN))
    new_doc["id"] = "test-county-2026-2030"
    new_doc["plan"].update(first_year=2026, last_year=2030, name="测试县实施方案（2026—2030年）")
    for ind in new_doc["indicators"]:
        if ind["code"] == "C1":
            ind["code"] = "A01"
        if "targets_by_year" in ind:
            ind["targets_by_year"] = {int(y) + 5: v for y, v in ind["targets_by_year"].items()}
    svc.plans.create(PlanDocument.from_dict(new_doc))
    rows = {r.code: r for r in svc.plan_periods.continuations("test-county-2026-2030", old.code)}
    assert rows["A01"].old_code == "C1" and rows["A01"].final == 9000
    linked = svc.plan_periods.set_continuations(
        "test-county-2026-2030", old.code, {r.code: r.old_code for r in rows.values()}
    )
    assert linked == len(rows)
    a01 = _ind(svc, "A01", "test-county-2026-2030")
    assert a01.continues_id == c1.id and (a01.baseline, a01.baseline_year) == (9000, 2025)
    with pytest.raises(ValidationError, match="计量方式不同"):
        svc.plan_periods.set_continuations("test-county-2026-2030", old.code, {"A01": "L1"})
    # Said to be new, it stays new when the table is opened again.
    svc.plan_periods.set_continuations("test-county-2026-2030", old.code, {"A01": None})
    again = {r.code: r for r in svc.plan_periods.continuations("test-county-2026-2030", old.code)}
    assert again["A01"].old_code is None


def test_a_per_year_target_is_entered_year_by_year(plan_services: Services):
    svc = plan_services
    svc.plan_periods.rollover(2026, 2030)
    with pytest.raises(ValidationError, match="--year"):
        svc.plan_periods.set_target("Y1", 100)
    svc.plan_periods.set_target("Y1", 120, year=2026)
    assert _by_code(svc, "2026")["Y1"].target == 120
    assert _by_code(svc, "2027")["Y1"].status == "no_target"


def test_upgrade_from_0010_keeps_the_plan_and_rolls_over(plan_services: Services, data_dir: Path):
    from tests.test_migrations import _downgrade

    svc = plan_services
    svc.entries.set(_ind(svc, "C1").id, "2024", 700)
    svc.close()
    path = data_dir / "county.sqlite3"
    _downgrade(path, "0010")
    again = Services.open(path)
    try:
        assert _by_code(again, "2024")["C1"].actual == 700
        again.plan_periods.rollover(2026, 2030)
        assert _ind(again, "C1").baseline == 700
    finally:
        again.close()


@pytest.mark.parametrize(
    "argv",
    [
        ("progress", "--period", "2031"),
        ("progress", "--as-of", "2031-03-01"),
        ("flags", "--period", "2031"),
        ("collection", "status", "--period", "2031"),
        ("returns", "status", "--period", "2031"),
        ("lock", "--period", "2031"),
    ],
)
def test_a_period_no_plan_covers_is_refused_everywhere(plan_services, data_dir, capsys, argv):
    db = str(data_dir / "county.sqlite3")
    plan_services.close()
    code, out, err = run(capsys, "--db", db, *argv)
    assert code != 0 and "统计期 2031年 不在实施方案期限（2021—2025年）内" in err
