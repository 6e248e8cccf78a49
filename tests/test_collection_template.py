"""Collection workbooks for member units: content, validation, protection, text safety."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from desktop.collection_layout import (
    ACTIVITY_SHEET,
    INDICATOR_SHEET,
    MARKER_SHEET,
    OPTIONS_SHEET,
    TEMPLATE_VERSION,
)
from desktop.exporting.collection_template import write_template, write_templates
from desktop.services import Services
from desktop.services.reference import ensure_unit


def _unit(svc: Services, name: str) -> int:
    return next(u.id for u in svc.reference.units() if u.name == name)


@pytest.fixture
def county(plan_services: Services) -> Services:
    plan_services.reference.add_place("城关镇")
    plan_services.reference.add_place("河口镇")
    return plan_services


def test_template_is_prefilled_for_the_unit_and_period(county: Services, tmp_path: Path):
    out = write_template(
        county.imports.template_spec(_unit(county, "县人社局"), "2024Q2"), tmp_path / "t.xlsx"
    )
    wb = load_workbook(out)
    assert wb.sheetnames == ["说明", ACTIVITY_SHEET, INDICATOR_SHEET, OPTIONS_SHEET, MARKER_SHEET]
    assert wb[OPTIONS_SHEET].sheet_state == "hidden"
    assert wb[MARKER_SHEET].sheet_state == "veryHidden"
    marker = {r[0]: r[1] for r in wb[MARKER_SHEET].iter_rows(values_only=True)}
    assert marker == {
        "kind": "kepu-collection",
        "version": TEMPLATE_VERSION,
        "unit": "县人社局",
        "period": "2024Q2",
        "plan": "test-county-2021-2025",
    }

    notes = wb["说明"]
    assert notes["A1"].value == "县人社局 2024年第2季度 科普工作数据采集表"
    cells = [c.value for row in notes.iter_rows() for c in row if c.value]
    # Its one task, P1.1, with its role.
    assert "P1.1" in cells and "农民实用技术培训" in cells and "配合" in cells

    acts = wb[ACTIVITY_SHEET]
    assert acts["A1"].value == "县人社局科普活动填报表"
    assert "统计期：2024年第2季度" in acts["A2"].value
    headers = [c.value for c in acts[3]]
    assert headers[:4] == ["开始日期*", "结束日期", "活动名称*", "活动类型*"]
    assert "参加人次" in headers and "活动简介" in headers

    options = wb[OPTIONS_SHEET]
    assert [c.value for c in options["A"]][1:4] == ["科普讲座", "科普展览", "科普竞赛"]
    assert [c.value for c in options["B"] if c.value][1:] == ["城关镇", "河口镇"]
    assert [c.value for c in options["C"] if c.value][1:] == ["P1.1 农民实用技术培训"]
    assert "青少年" in [c.value for c in options["D"]]

    validations = {str(dv.sqref).split(":")[0]: dv for dv in acts.data_validations.dataValidation}
    assert validations["D4"].type == "list" and validations["D4"].formula1 == "'选项'!$A$2:$A$13"
    assert validations["E4"].formula1 == "'选项'!$B$2:$B$3"
    assert validations["F4"].formula1 == "'选项'!$C$2:$C$2"
    assert validations["A4"].type == "date"
    assert (validations["A4"].formula1, validations["A4"].formula2) == (
        "DATE(2024,4,1)",
        "DATE(2024,6,30)",
    )
    assert validations["I4"].type == "whole" and validations["I4"].operator == "greaterThanOrEqual"
    assert validations["N4"].type == "decimal"
    assert str(validations["A4"].sqref) == "A4:A503"

    # Headers are protected; data cells are not.
    assert acts.protection.sheet is True
    assert acts["C3"].protection.locked is True
    assert acts["C4"].protection.locked is False and acts["Q503"].protection.locked is False

    ind = wb[INDICATOR_SHEET]
    rows = [[c.value for c in row][:5] for row in ind.iter_rows(min_row=4)]
    assert rows == [
        ["C1", "农民培训人次", "人次", "10000（方案期目标）", None],
        ["C2", "每年农村妇女培训人次", "人次", "1000（年度目标）", None],
        ["Y1", "科普示范村数", "个", "400（年度目标）", None],
    ]
    assert ind["E4"].protection.locked is False and ind["B4"].protection.locked is True
    assert ind.protection.sheet is True


def test_text_that_looks_like_a_formula_stays_text(county: Services, tmp_path: Path):
    with county.db.transaction() as s:
        ensure_unit(s, "=1+2科协")
    unit = _unit(county, "=1+2科协")
    out = write_template(county.imports.template_spec(unit, "2024"), tmp_path / "eq.xlsx")
    wb = load_workbook(out)
    title = wb[ACTIVITY_SHEET]["A1"]
    assert title.value == "=1+2科协科普活动填报表" and title.data_type == "s"
    marker = {r[0]: r[1] for r in wb[MARKER_SHEET].iter_rows(values_only=True)}
    assert marker["unit"] == "=1+2科协"
    # The way an office prints it: LibreOffice shows the text, not a computed 3.
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "eq.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "=1+2科协科普活动填报表" in text


def test_templates_for_all_units_one_file_each(county: Services, tmp_path: Path):
    done: list[tuple[int, int]] = []
    paths = write_templates(
        county.imports, "2024", tmp_path, progress=lambda d, t: done.append((d, t)) or True
    )
    assert sorted(p.name for p in paths) == sorted(
        f"{u}-2024-采集表.xlsx" for u in ("县科协", "县教体局", "县农业农村局", "县人社局")
    )
    assert done[-1] == (4, 4)
    units = {
        {r[0]: r[1] for r in load_workbook(p)[MARKER_SHEET].iter_rows(values_only=True)}["unit"]
        for p in paths
    }
    assert units == {"县科协", "县教体局", "县农业农村局", "县人社局"}


def test_cancelling_all_units_stops_early(county: Services, tmp_path: Path):
    from desktop.errors import ServiceError

    with pytest.raises(ServiceError, match="已取消；已生成 2 个文件"):
        write_templates(county.imports, "2024", tmp_path, progress=lambda d, t: d < 2)
    assert len(list(tmp_path.glob("*.xlsx"))) == 2


def test_cli_template_commands(county: Services, tmp_path: Path, capsys):
    db = str(county.db.path)
    county.close()
    out = tmp_path / "rs.xlsx"
    assert (
        main(
            [
                "--db",
                db,
                "collection",
                "template",
                "--unit",
                "县人社局",
                "--period",
                "2024Q3",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "已生成 县人社局 2024年第3季度采集表" in capsys.readouterr().out
    assert load_workbook(out)[ACTIVITY_SHEET]["A1"].value == "县人社局科普活动填报表"

    folder = tmp_path / "all"
    folder.mkdir()
    assert (
        main(
            [
                "--db",
                db,
                "collection",
                "template",
                "--all",
                "--period",
                "2024",
                "--out-dir",
                str(folder),
            ]
        )
        == 0
    )
    assert "已为 4 个单位生成 2024年采集表" in capsys.readouterr().out
    assert len(list(folder.glob("*.xlsx"))) == 4

    assert (
        main(
            [
                "--db",
                db,
                "collection",
                "template",
                "--unit",
                "没有这个局",
                "--period",
                "2024",
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert "找不到责任单位“没有这个局”" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                db,
                "collection",
                "template",
                "--unit",
                "县人社局",
                "--period",
                "2030",
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert "不在实施方案期限" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                db,
                "collection",
                "template",
                "--all",
                "--period",
                "2024",
                "--out-dir",
                str(tmp_path / "missing"),
            ]
        )
        == 1
    )
    assert "输出文件夹不存在" in capsys.readouterr().err
