"""A percent computed from two other indicators (numerator / denominator), set up
through plan files and the command line; bad files are refused, naming the place."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml
from sqlalchemy import select

from desktop.cli import main
from desktop.errors import ValidationError
from desktop.exporting.plan_workbook import write_plan_workbook
from desktop.exporting.plan_yaml import write_plan_yaml
from desktop.importing.plan_file import read_plan_file
from desktop.models import Indicator, Unit
from desktop.plan.document import PlanDocument
from desktop.plan.validation import PlanFileError
from desktop.services import Services
from tests.conftest import RATIO_INDICATORS, SMALL_PLAN

# What an office writes by hand: 18 of its 40 communities are 科普示范社区.
PLAN_YAML = """\
id: demo-county-2021-2025
plan:
  region: 示范县
  name: 示范县全民科学素质行动实施方案（2021—2025年）
  first_year: 2021
  last_year: 2025
sections:
  - code: P1
    kind: project
    title: 基层科普能力提升工程
    tasks:
      - code: P1.1
        title: 创建科普示范社区
        units:
          - {name: 县科协, role: lead}
indicators:
  - code: I01
    name: 科普示范社区覆盖率
    unit: "%"
    measure: percent
    task: P1.1
    target_mode: end
    target: 60
    numerator: I02        # listed after the percent: order does not matter
    denominator: I03
  - code: I02
    name: 示范社区数
    unit: 个
    measure: level
    task: P1.1
    target_mode: end
    target: 24
  - code: I03
    name: 社区总数
    unit: 个
    measure: level
    target_mode: end
    target: 40
"""


def ratio_plan() -> dict:
    """The small plan plus 示范社区数 (R1), 社区总数 (R2) and their ratio (R3)."""
    data = copy.deepcopy(SMALL_PLAN)
    data["indicators"] += copy.deepcopy(RATIO_INDICATORS)
    return data


def ind_ids(svc: Services) -> dict[str, int]:
    return {i.code: i.id for i in svc.plans.indicators()}


def unit_id(svc: Services, name: str) -> int:
    with svc.db.reading() as s:
        return s.scalar(select(Unit.id).where(Unit.name == name))


def progress_of(svc: Services, code: str, as_of: date = date(2022, 12, 31)):
    return next(p for p in svc.progress.report(as_of=as_of).indicators if p.code == code)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PlanFileError) as info:
        read_plan_file(path)
    assert "未导入任何内容" in str(info.value)
    return [str(p) for p in info.value.problems]


# ---------------------------------------------------------------- set up from a file


def test_hand_written_yaml_computes_coverage_from_its_parts(services: Services, data_dir: Path):
    path = data_dir / "示范县.yaml"
    path.write_text(PLAN_YAML, encoding="utf-8")
    services.plans.create(read_plan_file(path))
    ids = ind_ids(services)
    kx = unit_id(services, "县科协")
    # 示范社区数 is a stock: each unit's latest value, then summed.
    services.entries.set(ids["I02"], "2021Q4", 6, unit_id=kx)
    services.entries.set(ids["I02"], "2022Q2", 10, unit_id=kx)  # supersedes 6
    services.entries.set(ids["I02"], "2022Q4", 8)  # county-wide figure from another source
    services.entries.set(ids["I03"], "2022", 40)

    p = progress_of(services, "I01")
    assert p.actual == pytest.approx(45.0)  # (10 + 8) / 40 × 100
    assert p.completion_pct == pytest.approx(75.0)  # 45 / 60
    assert p.expected_pct == pytest.approx(40.0)  # end of year 2 of 5
    assert p.status == "on_track"
    # At the end of 2021 only 6 communities and no total: nothing to divide by.
    assert progress_of(services, "I01", date(2021, 12, 31)).status == "no_data"

    exported = services.plans.document().to_dict()
    assert [(i["code"], i["numerator"], i["denominator"]) for i in exported["indicators"]] == [
        ("I01", "I02", "I03"),
        ("I02", None, None),
        ("I03", None, None),
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "yaml"])
def test_ratio_survives_a_file_round_trip_and_counts_18_of_40(
    services: Services, data_dir: Path, fmt: str
):
    services.plans.create(PlanDocument.from_dict(ratio_plan()))
    original = services.plans.document().to_dict()
    path = data_dir / f"plan.{fmt}"
    (write_plan_workbook if fmt == "xlsx" else write_plan_yaml)(services.plans.document(), path)

    other = Services.open(data_dir / "other.sqlite3")
    try:
        back = read_plan_file(path).to_dict()
        r3 = next(i for i in back["indicators"] if i["code"] == "R3")
        assert (r3["numerator"], r3["denominator"]) == ("R1", "R2")
        other.plans.create(PlanDocument.from_dict(back))
        assert other.plans.document().to_dict() == original
        ids = ind_ids(other)
        other.entries.set(ids["R1"], "2022", 18)
        other.entries.set(ids["R2"], "2022", 40)
        assert progress_of(other, "R3").actual == pytest.approx(45.0)
    finally:
        other.close()


def test_a_count_numerator_is_summed_over_the_window(services: Services):
    data = ratio_plan()
    r1 = next(i for i in data["indicators"] if i["code"] == "R1")
    r1.update(name="新创建示范社区数", measure="count", target_mode="period")
    services.plans.create(PlanDocument.from_dict(data))
    ids = ind_ids(services)
    services.entries.set(ids["R1"], "2021", 6)
    services.entries.set(ids["R1"], "2022", 12)
    services.entries.set(ids["R2"], "2022", 40)
    assert progress_of(services, "R3").actual == pytest.approx(45.0)  # (6 + 12) / 40


def test_command_line_import_entry_and_progress_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("KEPU_DATA_DIR", str(tmp_path / "data"))
    db = str(tmp_path / "county.sqlite3")
    path = tmp_path / "示范县.yaml"
    path.write_text(PLAN_YAML, encoding="utf-8")
    assert main(["--db", db, "init", "--plan", "anqiu-2021-2025"]) == 0
    assert main(["--db", db, "plan", "import", str(path), "--activate"]) == 0
    for code, value in (("I02", "18"), ("I03", "40")):
        assert (
            main(
                ["--db", db, "entry", "set", "--indicator", code, "--period", "2022"]
                + ["--value", value]
            )
            == 0
        )
    capsys.readouterr()
    assert main(["--db", db, "progress", "--as-of", "2022-12-31", "--json"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["I01"]["actual"] == 45.0
    assert rows["I01"]["completion_pct"] == 75.0
    assert rows["I01"]["status"] == "on_track"


# ---------------------------------------------------------------- bad files


def yaml_with(data: dict, path: Path) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def edit_r3(**changes) -> dict:
    data = ratio_plan()
    r3 = next(i for i in data["indicators"] if i["code"] == "R3")
    for key, value in changes.items():
        if value is None:
            r3.pop(key, None)
        else:
            r3[key] = value
    return data


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"numerator": "R9"},
            "第 10 个指标（R3）的“分子指标”：分子指标“R9”在本方案的指标中不存在。",
        ),
        (
            {"numerator": "P1"},
            "第 10 个指标（R3）的“分子指标”：分子指标“P1”本身是比率指标；"
            "分子、分母应为存量（level）或累计数（count）指标。",
        ),
        (
            {"denominator": None},
            "第 10 个指标（R3）的“分母指标”：填写了分子指标“R1”，还应填写分母指标"
            "（分子、分母要么都填，要么都不填）。",
        ),
        (
            {"denominator": "R3"},
            "第 10 个指标（R3）的“分母指标”：分母指标不能是本指标自身（“R3”）。",
        ),
        (
            {"measure": "level", "unit": "个"},
            "第 10 个指标（R3）的“分子指标”：只有计量方式为“比率”（percent）的指标"
            "才能设分子、分母指标，本指标为“存量”（level）。",
        ),
    ],
    ids=["missing", "percent-part", "only-one", "itself", "not-percent"],
)
def test_bad_yaml_names_the_indicator_and_key_and_writes_nothing(
    services: Services, data_dir: Path, changes: dict, expected: str
):
    path = yaml_with(edit_r3(**changes), data_dir / "bad.yaml")
    assert problems_of(path) == [expected]
    assert services.plans.plans() == []
    # The same dict given straight to the service is refused too, and nothing is kept.
    with pytest.raises(ValidationError):
        services.plans.create(PlanDocument.from_dict(edit_r3(**changes)))
    assert services.plans.plans() == []


@pytest.fixture
def ratio_workbook(data_dir: Path) -> Path:
    path = data_dir / "plan.xlsx"
    write_plan_workbook(PlanDocument.from_dict(ratio_plan()), path)
    return path


def columns(ws) -> dict[str, str]:
    return {c.value: c.column_letter for c in ws[1]}


def test_workbook_has_code_columns_with_a_dropdown(ratio_workbook: Path):
    ws = openpyxl.load_workbook(ratio_workbook)["指标"]
    col = columns(ws)
    assert list(col)[-3:] == ["分子指标编号", "分母指标编号", "原文"]
    assert (ws[f"{col['分子指标编号']}11"].value, ws[f"{col['分母指标编号']}11"].value) == (
        "R1",
        "R2",
    )
    assert ws[f"{col['分子指标编号']}9"].value is None  # R1 itself has no parts
    code_lists = [
        dv for dv in ws.data_validations.dataValidation if dv.formula1 == "'指标'!$A$2:$A$211"
    ]
    assert len(code_lists) == 1
    assert str(code_lists[0].sqref) == (
        f"{col['分子指标编号']}2:{col['分子指标编号']}211 "
        f"{col['分母指标编号']}2:{col['分母指标编号']}211"
    )


def test_bad_workbook_names_sheet_row_and_column(services: Services, ratio_workbook: Path):
    wb = openpyxl.load_workbook(ratio_workbook)
    ws = wb["指标"]
    col = columns(ws)
    num, den = col["分子指标编号"], col["分母指标编号"]
    ws[f"{num}11"] = "R9"  # R3 (row 11): a code that does not exist
    ws[f"{num}10"] = "R1"  # R2 (row 10, a level) names a numerator only
    ws[f"{den}5"] = "R2"  # P1 (row 5, a percent) names a denominator only
    ws[f"{num}8"] = "P1"  # E1 (row 8, a count) …
    ws[f"{den}8"] = "R2"  # … names the percent P1 as numerator
    wb.save(ratio_workbook)

    assert problems_of(ratio_workbook) == [
        f"工作表“指标”第 5 行 {num} 列（分子指标编号）：填写了分母指标“R2”，还应填写分子指标"
        "（分子、分母要么都填，要么都不填）。",
        f"工作表“指标”第 8 行 {num} 列（分子指标编号）：只有计量方式为“比率”（percent）的指标"
        "才能设分子、分母指标，本指标为“累计数”（count）。",
        f"工作表“指标”第 8 行 {num} 列（分子指标编号）：分子指标“P1”本身是比率指标；"
        "分子、分母应为存量（level）或累计数（count）指标。",
        f"工作表“指标”第 10 行 {den} 列（分母指标编号）：填写了分子指标“R1”，还应填写分母指标"
        "（分子、分母要么都填，要么都不填）。",
        f"工作表“指标”第 11 行 {num} 列（分子指标编号）：分子指标“R9”在本方案的指标中不存在。",
    ]
    assert services.plans.plans() == []


def test_older_workbook_without_the_columns_still_loads(services: Services, data_dir: Path):
    path = data_dir / "old.xlsx"
    write_plan_workbook(PlanDocument.from_dict(copy.deepcopy(SMALL_PLAN)), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["指标"]
    first = openpyxl.utils.column_index_from_string(columns(ws)["分子指标编号"])
    ws.delete_cols(first, 2)
    wb.save(path)
    assert "分子指标编号" not in columns(openpyxl.load_workbook(path)["指标"])

    data = read_plan_file(path).to_dict()
    assert all(i["numerator"] is None and i["denominator"] is None for i in data["indicators"])
    assert [i["quote"] for i in data["indicators"]] == [""] * 7  # 原文 still found by header
    services.plans.create(PlanDocument.from_dict(data))
    assert len(services.plans.indicators()) == 7


# ---------------------------------------------------------------- the plan as a whole


def test_a_plan_with_a_ratio_can_be_deleted(services: Services):
    keep = services.plans.create(PlanDocument.from_dict(copy.deepcopy(SMALL_PLAN)))
    gone = services.plans.create(PlanDocument.from_dict(yaml.safe_load(PLAN_YAML)), activate=False)
    services.plans.delete(gone)
    assert [p.id for p in services.plans.plans()] == [keep]
    with services.db.reading() as s:
        assert s.scalar(select(Indicator.id).where(Indicator.plan_id == gone)) is None


def test_updating_from_an_edited_file_relinks_and_removes_parts(services: Services, data_dir: Path):
    plan_id = services.plans.create(PlanDocument.from_dict(ratio_plan()))
    ids = ind_ids(services)
    services.entries.set(ids["R1"], "2022", 18)
    services.entries.set(ids["R2"], "2022", 40)

    # The office adds 社区总数（含新建） R4 and divides by it instead of R2.
    data = services.plans.document().to_dict()
    data["indicators"].insert(
        0,
        {
            **next(i for i in data["indicators"] if i["code"] == "R2"),
            "code": "R4",
            "name": "社区总数（含新建）",
        },
    )
    r3 = next(i for i in data["indicators"] if i["code"] == "R3")
    r3["denominator"] = "R4"
    path = yaml_with(data, data_dir / "edited.yaml")
    services.plan_editor.update_from_document(plan_id, read_plan_file(path))
    assert progress_of(services, "R3").actual is None  # R4 has no figures yet
    services.entries.set(ind_ids(services)["R4"], "2022", 45)
    assert progress_of(services, "R3").actual == pytest.approx(40.0)  # 18 / 45

    # Then drops the ratio together with both parts it used to have.
    data = services.plans.document().to_dict()
    data["indicators"] = [i for i in data["indicators"] if i["code"] not in ("R1", "R3", "R4")]
    path = yaml_with(data, data_dir / "smaller.yaml")
    counts = services.plan_editor.update_from_document(plan_id, read_plan_file(path), confirm=True)
    assert counts["removed"] == 3
    assert sorted(ind_ids(services)) == ["C1", "C2", "D1", "E1", "L1", "P1", "R2", "Y1"]


def test_templates_json_names_the_keys(capsys: pytest.CaptureFixture[str]):
    assert main(["templates", "--json"]) == 0
    templates = json.loads(capsys.readouterr().out)
    for indicator in (i for t in templates for i in t["indicators"]):
        assert (indicator["numerator"], indicator["denominator"]) == (None, None)


def test_a_computed_percent_is_not_offered_for_entry_and_refused_if_sent(services: Services):
    services.plans.create(PlanDocument.from_dict(ratio_plan()))
    ids = ind_ids(services)
    county_rows = [row.code for row in services.entry_grid.grid(None).rows]
    assert "R3" not in county_rows and {"R1", "R2"} <= set(county_rows)
    with pytest.raises(ValidationError, match="由分子、分母两项指标计算得出"):
        services.entries.set(ids["R3"], "2022", 45)
    assert services.entries.entries(ids["R3"]) == []
