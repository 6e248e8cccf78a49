"""Plan files: YAML and plan-structure workbooks go out and come back with nothing lost;
a bad file is reported by sheet, row and column and changes nothing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from desktop.exporting.plan_workbook import write_plan_workbook
from desktop.exporting.plan_yaml import write_plan_yaml
from desktop.importing.plan_file import read_plan_file
from desktop.plan.document import IndicatorDoc, PlanDocument
from desktop.plan.validation import PlanFileError
from desktop.services import Services
from desktop.templates import load_template, template_ids


def export(data: dict, path: Path) -> Path:
    if path.suffix == ".xlsx":
        write_plan_workbook(PlanDocument.from_dict(data), path)
    else:
        write_plan_yaml(PlanDocument.from_dict(data), path)
    return path


def plan_count(svc: Services) -> int:
    return len(svc.plans.plans())


@pytest.mark.parametrize("fmt", ["xlsx", "yaml"])
@pytest.mark.parametrize("template_id", template_ids())
def test_every_template_survives_export_and_import(
    services: Services, data_dir: Path, template_id: str, fmt: str
):
    plan_id = services.plans.create(load_template(template_id))
    original = services.plans.document(plan_id).to_dict()
    path = export(original, data_dir / f"{template_id}.{fmt}")

    other = Services.open(data_dir / "other.sqlite3")
    try:
        copy_id = other.plans.create(read_plan_file(path))
        assert other.plans.document(copy_id).to_dict() == original
    finally:
        other.close()


def add_coverage_ratio(svc: Services) -> None:
    """科普示范社区覆盖率 = 示范社区数 ÷ 社区总数, added through the plan editor."""
    plan_id = svc.plans.active().id
    base = {"unit": "个", "measure": "level", "target_mode": "end", "task": None}
    svc.plan_editor.add_indicator(
        plan_id, IndicatorDoc.from_dict({**base, "code": "R1", "name": "示范社区数", "target": 24})
    )
    svc.plan_editor.add_indicator(
        plan_id, IndicatorDoc.from_dict({**base, "code": "R2", "name": "社区总数", "target": 40})
    )
    svc.plan_editor.add_indicator(
        plan_id,
        IndicatorDoc.from_dict(
            {
                **base,
                "code": "R3",
                "name": "科普示范社区覆盖率",
                "unit": "%",
                "measure": "percent",
                "target": 60,
                "numerator": "R1",
                "denominator": "R2",
            }
        ),
    )


@pytest.mark.parametrize("fmt", ["xlsx", "yaml"])
def test_per_year_targets_comparators_rules_and_aliases_survive(
    plan_services: Services, data_dir: Path, fmt: str
):
    add_coverage_ratio(plan_services)
    original = plan_services.plans.document().to_dict()
    back = read_plan_file(export(original, data_dir / f"small.{fmt}")).to_dict()
    r3 = next(i for i in back["indicators"] if i["code"] == "R3")
    assert (r3["measure"], r3["numerator"], r3["denominator"]) == ("percent", "R1", "R2")
    assert all(i["numerator"] is None for i in back["indicators"] if i["code"] != "R3")
    y1 = next(i for i in back["indicators"] if i["code"] == "Y1")
    assert y1["target_mode"] == "per_year"
    assert y1["targets_by_year"] == {2021: 100, 2022: 200, 2023: 300, 2024: 400, 2025: 500}
    e1 = next(i for i in back["indicators"] if i["code"] == "E1")
    assert e1["comparator"] == "<="
    d1 = next(i for i in back["indicators"] if i["code"] == "D1")
    assert d1["rule"] == {
        "metric": "participants",
        "activity_types": ["lecture"],
        "target_groups": ["青少年"],
        "tasks": [],
        "units": [],
    }
    assert {"name": "县科协", "aliases": ["县科学技术协会"]} in back["units"]
    other = Services.open(data_dir / "other.sqlite3")
    try:
        assert (
            other.plans.document(other.plans.create(PlanDocument.from_dict(back))).to_dict()
            == original
        )
    finally:
        other.close()


def test_workbook_sheets_dropdowns_and_text_cells(plan_services: Services, data_dir: Path):
    plan = plan_services.plans.document().to_dict()
    plan["sections"][0]["tasks"][0]["title"] = "=SUM(A1:A9)"
    plan["sections"][0]["tasks"][1]["text"] = "+86 热线"
    path = export(plan, data_dir / "plan.xlsx")

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["方案信息", "行动与任务", "责任单位", "单位名录", "指标"]
    tree = wb["行动与任务"]
    assert [c.value for c in tree[1]] == ["编号", "类别", "序号", "标题", "重点人群", "全文"]
    assert [c.value for c in tree[2]][:5] == [
        "A1",
        "提升行动",
        None,
        "青少年科学素质提升行动",
        "青少年",
    ]
    assert tree["D3"].value == "=SUM(A1:A9)" and tree["D3"].data_type == "s"
    assert tree["F4"].value == "+86 热线" and tree["F4"].data_type == "s"
    links = wb["责任单位"]
    assert [c.value for c in links[2]] == ["A1.1", "=SUM(A1:A9)", "县教体局", "牵头"]
    assert [c.value for c in links[3]][2:] == ["县科协", "配合"]
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in links.data_validations.dataValidation}
    assert lists["D"] == '"牵头,配合"'
    assert lists["C"] == "'单位名录'!$A$2:$A$205"
    ind = wb["指标"]
    headers = [c.value for c in ind[1]]
    assert headers[:8] == [
        "编号",
        "指标名称",
        "计量单位",
        "计量方式",
        "所属任务",
        "目标类型",
        "比较",
        "目标值",
    ]
    assert headers[8:13] == ["2021年目标", "2022年目标", "2023年目标", "2024年目标", "2025年目标"]
    assert headers[-3:] == ["分子指标编号", "分母指标编号", "原文"]
    formulas = {dv.formula1 for dv in ind.data_validations.dataValidation}
    assert '"累计数,存量,比率"' in formulas
    assert '"规划期累计,每年,分年度,期末达到"' in formulas
    assert '"不少于(≥),不超过(≤)"' in formulas
    assert '"手工填报,台账统计"' in formulas
    assert "'指标'!$A$2:$A$208" in formulas  # 分子/分母: the sheet's own indicator codes

    back = read_plan_file(path).to_dict()
    assert back["sections"][0]["tasks"][0]["title"] == "=SUM(A1:A9)"
    assert back["sections"][0]["tasks"][1]["text"] == "+86 热线"


@pytest.fixture
def small_workbook(plan_services: Services, data_dir: Path) -> Path:
    return export(plan_services.plans.document().to_dict(), data_dir / "plan.xlsx")


def broken(path: Path, edit) -> Path:
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PlanFileError) as info:
        read_plan_file(path)
    assert "未导入任何内容" in str(info.value)
    return [str(p) for p in info.value.problems]


def test_wrong_sheet_names_are_named(small_workbook: Path):
    path = broken(small_workbook, lambda wb: setattr(wb["指标"], "title", "Sheet1"))
    assert problems_of(path) == [
        "工作簿：缺少工作表“指标”（文件中的工作表：方案信息、行动与任务、责任单位、单位名录、Sheet1）。"
        "请使用本程序导出的方案工作簿。"
    ]


def test_bad_role_and_measure_values_name_sheet_row_and_column(small_workbook: Path):
    def edit(wb):
        wb["责任单位"]["D3"] = "领导"
        wb["指标"]["D3"] = "总数"

    problems = problems_of(broken(small_workbook, edit))
    assert problems == [
        "工作表“责任单位”第 3 行 D 列（角色）：角色“领导”无效，应为：牵头、配合、责任、主责。",
        "工作表“指标”第 3 行 D 列（计量方式）：计量方式“总数”无效，应为：累计数、存量、比率。",
    ]


def test_missing_title_duplicate_code_and_text_in_number_cell(small_workbook: Path):
    def edit(wb):
        wb["行动与任务"]["D4"] = None  # task A1.2 loses its title
        wb["指标"]["A3"] = "C1"  # second indicator repeats the first one's code
        wb["指标"]["H4"] = "很多"  # L1's target is not a number
        wb["方案信息"]["B6"] = "二〇二一"  # 起始年份

    problems = problems_of(broken(small_workbook, edit))
    assert "工作表“方案信息”第 6 行 B 列（起始年份）：“二〇二一”不是数字。" in problems
    assert "工作表“指标”第 4 行 H 列（目标值）：“很多”不是数字。" in problems
    assert "工作表“行动与任务”第 4 行 D 列（标题）：“标题”不能为空。" in problems
    assert "工作表“指标”第 3 行 A 列（编号）：指标编号“C1”重复（与第 1 个指标相同）。" in problems
    assert len(problems) == 4


def test_unknown_task_code_in_unit_sheet_and_formula_cells(small_workbook: Path):
    def edit(wb):
        wb["责任单位"]["A2"] = "A9.9"
        wb["指标"]["H2"] = "=1+1"

    problems = problems_of(broken(small_workbook, edit))
    assert problems == [
        "工作表“责任单位”第 2 行 A 列（编号）：编号“A9.9”在“行动与任务”表中不存在。",
        "工作表“指标”第 2 行 H 列（目标值）：单元格是公式，请直接填写内容。",
    ]


def test_a_bad_file_changes_nothing(plan_services: Services, small_workbook: Path):
    broken(small_workbook, lambda wb: wb["指标"].__setitem__("D2", "总数"))
    before = plan_count(plan_services)
    with pytest.raises(PlanFileError):
        plan_services.plans.create(read_plan_file(small_workbook))
    assert plan_count(plan_services) == before == 1


def test_yaml_problems_name_the_item(plan_services: Services, data_dir: Path):
    data = plan_services.plans.document().to_dict()
    data["sections"][0]["tasks"][0]["units"][0]["role"] = "boss"
    data["sections"][1]["title"] = ""
    data["indicators"][2]["measure"] = "stock"
    data["indicators"][0]["target"] = "一万"
    path = data_dir / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert problems_of(path) == [
        "第 1 个行动/工程（A1） › 第 1 项任务（A1.1） › 第 1 个责任单位的“角色”："
        "“角色”的值“boss”无效，应为 lead / cooperating。",
        "第 2 个行动/工程（P1）的“标题”：“标题”不能为空。",
        "第 1 个指标（C1）的“目标值”：“目标值”应为数字，现为“一万”。",
        "第 3 个指标（L1）的“计量方式”：“计量方式”的值“stock”无效，应为 count / level / percent。",
    ]


def test_yaml_syntax_error_gives_line_and_other_types_are_refused(data_dir: Path):
    path = data_dir / "broken.yaml"
    path.write_text("id: x\nplan:\n  region: [安丘\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert problem.startswith("第 4 行第 1 列：YAML 格式错误")
    doc = data_dir / "plan.docx"
    doc.write_bytes(b"PK")
    (problem,) = problems_of(doc)
    assert "不支持“.docx”" in problem and "从文本识别" in problem
