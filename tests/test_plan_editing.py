"""Plan editing: every change is audited; removing what records depend on is refused
until confirmed, and never touches a locked period."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from desktop.errors import ServiceError, ValidationError
from desktop.models import Activity, AuditRecord, Entry
from desktop.plan.document import IndicatorDoc, PlanDocument
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.editing_rules import DependentsError
from tests.conftest import RATIO_INDICATORS


def audit_rows(svc: Services, entity: str) -> list[tuple[str, str]]:
    with svc.db.reading() as s:
        rows = s.scalars(
            select(AuditRecord).where(AuditRecord.entity == entity).order_by(AuditRecord.id)
        )
        return [(r.action, r.summary) for r in rows]


def ids(svc: Services) -> dict[str, int]:
    """Section and task codes → ids, indicator codes → ids (prefixed 'ind:')."""
    plan = svc.plans.active()
    out = {sec.code: sec.id for sec in plan.sections}
    out |= {t.code: t.id for sec in plan.sections for t in sec.tasks}
    out |= {f"ind:{i.code}": i.id for i in svc.plans.indicators()}
    return out


def task_layout(svc: Services) -> list[tuple[str, list[str]]]:
    return [
        (s["code"], [t["code"] for t in s["tasks"]])
        for s in svc.plans.document().to_dict()["sections"]
    ]


def add_lecture(svc: Services, day: date, task_ids: list[int], unit: str = "县教体局") -> int:
    units = {u.name: u.id for u in svc.reference.units()}
    types = {t.code: t.id for t in svc.reference.activity_types()}
    return svc.activities.add(
        ActivityInput(
            start_date=day,
            title="青少年科普讲座",
            type_id=types["lecture"],
            unit_id=units[unit],
            participants=60,
            task_ids=task_ids,
        )
    )


def test_add_sections_tasks_and_units_with_codes_and_audit(plan_services: Services):
    svc, editor = plan_services, plan_services.plan_editor
    plan_id = svc.plans.active().id
    section_id = editor.add_section(plan_id, "action", "老年人科学素质提升行动", "老年人")
    task_id = editor.add_task(section_id, "开展智慧助老培训", "1", "每年培训老年人。")
    editor.add_task_unit(task_id, "县卫健局", "lead")
    editor.add_task_unit(task_id, "县科学技术协会", "cooperating")  # an alias of 县科协
    project_id = editor.add_section(plan_id, "project", "科普基础设施工程")

    data = svc.plans.document().to_dict()
    new = data["sections"][2]
    assert (new["code"], new["kind"], new["target_group"]) == ("A2", "action", "老年人")
    assert new["tasks"][0]["code"] == "A2.1"
    assert new["tasks"][0]["units"] == [
        {"name": "县卫健局", "role": "lead"},
        {"name": "县科协", "role": "cooperating"},
    ]
    assert data["sections"][3]["code"] == "P2"
    assert audit_rows(svc, "section")[-2:] == [
        ("create", "新增提升行动 老年人科学素质提升行动"),
        ("create", "新增重点工程 科普基础设施工程"),
    ]
    assert audit_rows(svc, "task_unit") == [
        ("create", "任务 A2.1 增加牵头单位 县卫健局"),
        ("create", "任务 A2.1 增加配合单位 县科协"),
    ]
    with pytest.raises(ValidationError, match="已是该任务的责任单位"):
        editor.add_task_unit(task_id, "县科协", "lead")
    with pytest.raises(ValidationError, match="不能为空"):
        editor.add_task(project_id, "  ")


def test_edit_and_reorder(plan_services: Services):
    svc, editor = plan_services, plan_services.plan_editor
    t = ids(svc)
    editor.update_task(t["A1.2"], "建设县级科技志愿者队伍", "（2）", "科技志愿者达到600人。")
    assert editor.move_task(t["A1.2"], -1) is True
    assert editor.move_task(t["A1.2"], -1) is False  # already first
    assert editor.move_section(t["P1"], -1) is True
    assert task_layout(svc) == [("P1", ["P1.1"]), ("A1", ["A1.2", "A1.1"])]
    task = svc.plans.document().to_dict()["sections"][1]["tasks"][0]
    assert (task["number"], task["title"]) == ("（2）", "建设县级科技志愿者队伍")
    (update,) = [r for r in audit_rows(svc, "task") if r[0] == "update"]
    assert update == ("update", "修改任务 A1.2")

    link = next(
        link.id
        for sec in svc.plans.active().sections
        for task in sec.tasks
        for link in task.unit_links
        if task.code == "A1.1" and link.unit.name == "县科协"
    )
    editor.set_link_role(link, "lead")
    editor.move_link(link, -1)
    units = next(
        t
        for s in svc.plans.document().to_dict()["sections"]
        for t in s["tasks"]
        if t["code"] == "A1.1"
    )
    assert units["units"] == [
        {"name": "县科协", "role": "lead"},
        {"name": "县教体局", "role": "lead"},
    ]


def test_plan_info_is_checked(plan_services: Services):
    editor = plan_services.plan_editor
    plan_id = plan_services.plans.active().id
    info = plan_services.plans.document(plan_id).info
    editor.update_plan(
        plan_id, replace(info, doc_number="测政发〔2022〕3号", issue_date="2022-03-01")
    )
    meta = plan_services.plans.document().to_dict()["plan"]
    assert (meta["doc_number"], meta["issue_date"]) == ("测政发〔2022〕3号", "2022-03-01")
    info = plan_services.plans.document(plan_id).info
    with pytest.raises(ValidationError, match="结束年份早于起始年份"):
        editor.update_plan(plan_id, replace(info, last_year=2019))
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        editor.update_plan(plan_id, replace(info, issue_date="2022年3月"))
    assert plan_services.plans.document().to_dict()["plan"]["last_year"] == 2025


def test_plan_years_cannot_shrink_past_recorded_data(plan_services: Services):
    svc, editor = plan_services, plan_services.plan_editor
    plan_id = svc.plans.active().id
    info = svc.plans.document(plan_id).info
    add_lecture(svc, date(2024, 6, 1), [])
    add_lecture(svc, date(2025, 3, 1), [])
    c1 = next(i.id for i in svc.plans.indicators() if i.code == "C1")
    svc.entries.set(c1, "2025Q1", 30)
    with pytest.raises(ValidationError, match="已有2 条活动、1 条填报数据落在方案期限之外"):
        editor.update_plan(plan_id, replace(info, last_year=2023))
    with pytest.raises(ValidationError, match="已有1 条活动、1 条填报数据落在方案期限之外"):
        editor.update_plan(plan_id, replace(info, last_year=2024))
    assert svc.plans.document().to_dict()["plan"]["last_year"] == 2025
    edited = svc.plans.document().to_dict()
    edited["plan"]["last_year"] = 2024  # the same, through an edited plan file
    with pytest.raises(ValidationError, match="已有1 条活动、1 条填报数据落在方案期限之外"):
        editor.update_from_document(plan_id, PlanDocument.from_dict(edited))
    assert svc.plans.document().to_dict()["plan"]["last_year"] == 2025
    editor.update_plan(plan_id, replace(info, first_year=2022, last_year=2026))  # nothing outside
    assert (svc.plans.active().first_year, svc.plans.active().last_year) == (2022, 2026)


def test_indicators_with_targets_by_year_and_checks(plan_services: Services):
    svc, editor = plan_services, plan_services.plan_editor
    plan_id = svc.plans.active().id
    new_id = editor.add_indicator(
        plan_id,
        IndicatorDoc.from_dict(
            {
                "name": "青少年科技竞赛参赛人次",
                "unit": "人次",
                "measure": "count",
                "task": "A1.1",
                "target_mode": "per_year",
                "targets_by_year": {2024: 300, 2025: 350},
            }
        ),
    )
    added = next(
        i
        for i in svc.plans.document().to_dict()["indicators"]
        if i["name"] == "青少年科技竞赛参赛人次"
    )
    assert added["code"] == "I01"
    assert added["targets_by_year"] == {2024: 300.0, 2025: 350.0}
    assert added["task"] == "A1.1" and added["comparator"] == ">="

    editor.update_indicator(
        new_id,
        IndicatorDoc.from_dict(
            {**added, "targets_by_year": {2023: 250, 2024: 320}, "comparator": ">="}
        ),
    )
    after = next(i for i in svc.plans.document().to_dict()["indicators"] if i["code"] == "I01")
    assert after["targets_by_year"] == {2023: 250.0, 2024: 320.0}
    assert ("update", "修改指标 I01") in audit_rows(svc, "indicator")

    with pytest.raises(ValidationError, match="2026 年不在方案的 2021—2025 年之内"):
        editor.update_indicator(
            new_id, IndicatorDoc.from_dict({**added, "targets_by_year": {2026: 1}})
        )
    with pytest.raises(ValidationError, match="不能为负数"):
        editor.update_indicator(
            new_id, IndicatorDoc.from_dict({**added, "target_mode": "period", "target": -5})
        )
    with pytest.raises(ValidationError, match="所属任务“Z9”在方案中不存在"):
        editor.update_indicator(new_id, IndicatorDoc.from_dict({**added, "task": "Z9"}))
    with pytest.raises(ValidationError, match="指标编号“C1”已被使用"):
        editor.update_indicator(new_id, IndicatorDoc.from_dict({**added, "code": "C1"}))
    assert editor.move_indicator(new_id, -1) is True
    assert [i["code"] for i in svc.plans.document().to_dict()["indicators"]][-2:] == ["I01", "E1"]


def test_removing_a_task_with_activities_needs_confirmation(plan_services: Services):
    svc, editor = plan_services, plan_services.plan_editor
    t = ids(svc)
    activity = add_lecture(svc, date(2025, 3, 1), [t["A1.1"]])
    assert editor.task_dependents(t["A1.1"]).activities == 1

    with pytest.raises(DependentsError) as refused:
        editor.remove_task(t["A1.1"])
    assert str(refused.value) == (
        "任务 A1.1“开展青少年科普讲座”已有 1 条活动关联、1 个指标属于它。"
        "删除后这些活动不再关联该任务（活动本身保留），指标不再属于任何任务。如确定要删除，请确认后再删除。"
    )
    assert task_layout(svc)[0] == ("A1", ["A1.1", "A1.2"])

    editor.remove_task(t["A1.1"], confirm=True)
    assert task_layout(svc)[0] == ("A1", ["A1.2"])
    assert svc.activities.get(activity).tasks == []
    d1 = next(i for i in svc.plans.document().to_dict()["indicators"] if i["code"] == "D1")
    assert d1["task"] is None
    assert audit_rows(svc, "task")[-1] == ("delete", "删除任务 A1.1 开展青少年科普讲座")


def test_nothing_in_a_locked_period_is_unlinked_or_deleted(plan_services: Services):
    svc, editor = plan_services, plan_services.plan_editor
    t = ids(svc)
    add_lecture(svc, date(2023, 5, 1), [t["A1.2"]], unit="县科协")
    svc.entries.set(t["ind:L1"], "2023", 320)
    svc.locks.lock("2023")
    with pytest.raises(ServiceError, match="1 条属于已报送并锁定的统计期"):
        editor.remove_task(t["A1.2"], confirm=True)
    with pytest.raises(ServiceError, match="已锁定的2023年有填报数据"):
        editor.remove_indicator(t["ind:L1"], confirm=True)
    assert task_layout(svc)[0] == ("A1", ["A1.1", "A1.2"])
    assert svc.plan_editor.indicator_dependents(t["ind:L1"]).entries == 1


def test_removing_an_indicator_with_entries_and_a_section(plan_services: Services):
    svc, editor = plan_services, plan_services.plan_editor
    t = ids(svc)
    svc.entries.set(t["ind:C1"], "2024", 3000)
    svc.entries.set(t["ind:C1"], "2025Q1", 800)
    with pytest.raises(DependentsError, match="2 条填报数据。删除指标会同时删除这些填报数据"):
        editor.remove_indicator(t["ind:C1"])
    editor.remove_indicator(t["ind:C1"], confirm=True)
    with svc.db.reading() as s:
        assert s.scalars(select(Entry)).all() == []
        record = s.scalars(
            select(AuditRecord)
            .where(AuditRecord.entity == "indicator")
            .order_by(AuditRecord.id.desc())
        ).first()
    assert record.summary == "删除指标 C1 农民培训人次（含 2 条填报数据）"
    assert sorted(record.changes["entries"]) == [["2024", None, 3000.0], ["2025Q1", None, 800.0]]

    with pytest.raises(DependentsError, match="“基层科普能力提升工程”已有 2 个指标属于它"):
        editor.remove_section(t["P1"])
    editor.remove_section(t["P1"], confirm=True)
    assert {i["code"]: i["task"] for i in svc.plans.document().to_dict()["indicators"]}[
        "Y1"
    ] is None
    assert [s for s, _ in task_layout(svc)] == ["A1"]
    with pytest.raises(ServiceError, match="不存在"):
        editor.remove_section(t["P1"])


def test_units_aliases_and_guarded_removal(plan_services: Services):
    svc, editor = plan_services, plan_services.plan_editor
    units = {u.name: u.id for u in svc.reference.units()}
    editor.rename_unit(units["县教体局"], "县教育和体育局")
    assert editor.unit_aliases(units["县教体局"]) == ["县教体局"]
    editor.add_alias(units["县教体局"], "县教育局")
    with pytest.raises(ValidationError, match="已是单位“县教育和体育局”的名称或别名"):
        editor.add_alias(units["县科协"], "县教育局")
    t = ids(svc)
    add_lecture(svc, date(2025, 4, 2), [t["A1.1"]], unit="县教育和体育局")
    with pytest.raises(ServiceError, match="已有 1 条活动、0 条填报数据，不能删除"):
        editor.remove_unit(units["县教体局"], confirm=True)

    with pytest.raises(DependentsError, match="是 1 项行动/任务的责任单位"):
        editor.remove_unit(units["县人社局"])
    editor.remove_unit(units["县人社局"], confirm=True)
    p1 = next(s for s in svc.plans.document().to_dict()["sections"] if s["code"] == "P1")
    assert p1["tasks"][0]["units"] == [{"name": "县农业农村局", "role": "lead"}]
    assert ("delete", "删除单位 县人社局") in audit_rows(svc, "unit")

    link = next(
        link.id
        for sec in svc.plans.active().sections
        for task in sec.tasks
        for link in task.unit_links
        if task.code == "A1.1" and link.unit.name == "县教育和体育局"
    )
    with pytest.raises(DependentsError, match="县教育和体育局在任务 A1.1下已有 1 条活动关联"):
        editor.remove_link(link)
    editor.remove_link(link, confirm=True)
    with svc.db.reading() as s:
        assert s.scalar(select(Activity.title)) == "青少年科普讲座"


def test_an_edited_plan_file_updates_the_plan_in_place(plan_services: Services, data_dir):
    from desktop.exporting.plan_workbook import write_plan_workbook
    from desktop.importing.plan_file import read_plan_file

    svc, editor = plan_services, plan_services.plan_editor
    t = ids(svc)
    kept = add_lecture(svc, date(2025, 3, 1), [t["A1.2"]], unit="县科协")
    dropped = add_lecture(svc, date(2025, 3, 2), [t["P1.1"]], unit="县科协")
    svc.entries.set(t["ind:L1"], "2024", 420)
    plan_id = svc.plans.active().id

    edited = svc.plans.document().to_dict()
    a1, p1 = edited["sections"]
    a1["tasks"][1]["title"] = "建设县级科技志愿者队伍"  # A1.2 renamed
    a1["tasks"][1]["units"].append({"name": "团县委", "role": "cooperating"})
    moved = a1["tasks"].pop(0)  # A1.1 moves to P1 …
    p1["tasks"] = [
        moved,
        {"code": "P1.2", "number": "2", "title": "建设科普示范村", "text": "", "units": []},
    ]
    edited["indicators"] = [i for i in edited["indicators"] if i["code"] != "C2"]  # … P1.1 goes
    for ind in edited["indicators"]:
        if ind["task"] == "P1.1":
            ind["task"] = None
    edited["indicators"][0]["target"] = 15000
    path = data_dir / "edited.xlsx"
    write_plan_workbook(PlanDocument.from_dict(edited), path)
    data = read_plan_file(path).to_dict()

    with pytest.raises(DependentsError, match="1 项任务已有 1 条活动关联") as refused:
        editor.update_from_document(plan_id, PlanDocument.from_dict(data))
    assert "删去的任务：P1.1" in str(refused.value)
    assert task_layout(svc) == [("A1", ["A1.1", "A1.2"]), ("P1", ["P1.1"])]

    counts = editor.update_from_document(plan_id, PlanDocument.from_dict(data), confirm=True)
    assert counts == {"added": 1, "changed": 4, "removed": 2}
    after = svc.plans.document(plan_id).to_dict()
    assert task_layout(svc) == [("A1", ["A1.2"]), ("P1", ["A1.1", "P1.2"])]
    assert after["sections"] == data["sections"]
    assert after["indicators"] == data["indicators"]
    assert [t.code for t in svc.activities.get(kept).tasks] == ["A1.2"]
    assert svc.activities.get(dropped).tasks == []
    assert svc.plan_editor.indicator_dependents(t["ind:L1"]).entries == 1  # same row, entry kept
    assert audit_rows(svc, "plan")[-1] == (
        "update",
        "按方案文件更新方案 测试县全民科学素质行动实施方案（2021—2025年）：新增 1 项、修改 4 项、删除 2 项",
    )
    # The plan as it was before the update is kept in a safety copy.
    copies = sorted(svc.db.path.parent.joinpath("backups").glob("*-pre-plan-update-*.sqlite3"))
    assert copies
    before = Services.open(copies[-1])
    try:
        assert task_layout(before) == [("A1", ["A1.1", "A1.2"]), ("P1", ["P1.1"])]
    finally:
        before.close()


def last_audit(svc: Services, entity: str) -> AuditRecord:
    with svc.db.reading() as s:
        return s.scalars(
            select(AuditRecord).where(AuditRecord.entity == entity).order_by(AuditRecord.id.desc())
        ).first()


def test_a_percent_computed_from_two_levels_is_checked_audited_and_guarded(
    plan_services: Services,
):
    svc, editor = plan_services, plan_services.plan_editor
    plan_id = svc.plans.active().id
    level = {"unit": "个", "measure": "level", "target_mode": "end", "task": None}
    r1 = editor.add_indicator(
        plan_id, IndicatorDoc.from_dict({**level, "code": "R1", "name": "示范社区数", "target": 24})
    )
    r2 = editor.add_indicator(
        plan_id, IndicatorDoc.from_dict({**level, "code": "R2", "name": "社区总数", "target": 40})
    )
    ratio = dict(RATIO_INDICATORS[-1])
    before = len(svc.plans.indicators())
    refusals = [
        ({"denominator": None}, "denominator", "填写了分子指标“R1”，还应填写分母指标"),
        ({"numerator": "P1"}, "numerator", "分子指标“P1”本身是比率指标"),
        ({"numerator": "R7"}, "numerator", "分子指标“R7”在本方案的指标中不存在"),
        ({"measure": "count"}, "numerator", "只有计量方式为“比率”（percent）的指标"),
        ({"denominator": "R1"}, "denominator", "分子、分母不能是同一个指标“R1”"),
        ({"source": "derived", "rule": {"metric": "activities"}}, "source", "应为“手工填报”"),
    ]
    for change, field, words in refusals:
        with pytest.raises(ValidationError, match=words) as info:
            editor.add_indicator(plan_id, IndicatorDoc.from_dict({**ratio, **change}))
        assert info.value.field == field
    assert len(svc.plans.indicators()) == before  # nothing half-written

    r3 = editor.add_indicator(plan_id, IndicatorDoc.from_dict(ratio))
    record = last_audit(svc, "indicator")
    assert record.summary == "新增指标 R3 科普示范社区覆盖率"
    assert (record.changes["numerator"], record.changes["denominator"]) == ("R1", "R2")
    svc.entries.set(r1, "2022", 18)
    svc.entries.set(r2, "2022", 40)
    p = next(x for x in svc.progress.report(as_of=date(2022, 12, 31)).indicators if x.code == "R3")
    assert p.actual == pytest.approx(45.0)  # 18 / 40
    assert p.completion_pct == pytest.approx(75.0)  # 45 / 60

    # A part cannot become a percent, nor name itself once it is one.
    with pytest.raises(ValidationError, match="是比率指标 R3“科普示范社区覆盖率”的分子") as info:
        editor.update_indicator(
            r1,
            IndicatorDoc.from_dict(
                {**level, "code": "R1", "name": "示范社区数", "target": 24, "measure": "percent"}
            ),
        )
    assert info.value.field == "measure"
    with pytest.raises(ValidationError, match="分子指标不能是本指标自身"):
        editor.update_indicator(r3, IndicatorDoc.from_dict({**ratio, "numerator": "R3"}))

    # Removing a part is refused and names the percent that uses it; nothing changes.
    with pytest.raises(
        ServiceError, match="指标 R1“示范社区数”是比率指标 R3“科普示范社区覆盖率”的分子"
    ):
        editor.remove_indicator(r1, confirm=True)
    with pytest.raises(ServiceError, match="R3“科普示范社区覆盖率”的分母"):
        editor.remove_indicator(r2)
    assert {"R1", "R2", "R3"} <= {i.code for i in svc.plans.indicators()}
    assert len(svc.entries.entries(r1)) == 1

    # Clearing the parts is an audited change; then R1 may go (with its entry, confirmed).
    editor.update_indicator(
        r3, IndicatorDoc.from_dict({**ratio, "numerator": None, "denominator": None})
    )
    record = last_audit(svc, "indicator")
    assert record.summary == "修改指标 R3"
    assert record.changes == {"numerator": ["R1", None], "denominator": ["R2", None]}
    editor.remove_indicator(r1, confirm=True)
    assert "R1" not in {i.code for i in svc.plans.indicators()}
