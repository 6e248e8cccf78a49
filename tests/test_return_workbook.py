"""The Excel return, read back with openpyxl: layout, hand-computed figures, safety."""

from __future__ import annotations

import copy
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.cli import main as kepu
from desktop.exporting.return_workbook import ExportCancelled, export_return
from desktop.plan.document import PlanDocument
from desktop.return_layout import DATA_HEADERS, FORMAT_VERSION, PROGRESS_HEADERS
from desktop.services import Services
from desktop.services.periods import parse_period
from desktop.services.submissions import file_sha256
from tests.conftest import SMALL_PLAN
from tests.report_dataset import FORMULA_TITLE, build


@pytest.fixture
def filled(plan_services: Services, tmp_path: Path) -> Services:
    plan_services.settings.update(
        {
            "office_name": "测试县科学素质办",
            "form_number": "科素表1号",
            "form_authority": "测试市科学素质办",
            "unit_head": "张三",
            "contact_person": "李四",
            "contact_phone": "0000-1234567",
        }
    )
    build(plan_services, tmp_path)
    return plan_services


@pytest.fixture
def workbook(filled: Services, tmp_path: Path):
    out = export_return(filled, parse_period("2024"), tmp_path / "return.xlsx")
    return load_workbook(out)


def rows_by_indicator(ws) -> dict[str, tuple]:
    return {
        row[3]: row
        for row in ws.iter_rows(min_row=5, values_only=True)
        if row[3] and row[0] and str(row[0]).isdigit()
    }


def test_sheets_in_order_with_a_hidden_data_sheet(workbook) -> None:
    assert workbook.sheetnames == [
        "进展统计表",
        "活动明细",
        "分单位统计",
        "科普统计",
        "志愿者",
        "_data",
    ]
    assert workbook["_data"].sheet_state == "hidden"
    assert all(workbook[n].sheet_state == "visible" for n in workbook.sheetnames[:-1])


def test_progress_sheet_layout(workbook) -> None:
    ws = workbook["进展统计表"]
    assert ws["A1"].value == "测试县全民科学素质行动实施进展统计表"
    assert "A1:L1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "表号：科素表1号"
    assert ws["E2"].value == "制表机关：测试市科学素质办"
    assert ws["I2"].value.startswith("统计期：2024年（2024-01-01 至 2024-12-31）")
    assert ws["A3"].value == "填报单位（盖章）：测试县科学素质办"
    assert [c.value for c in ws[4]] == PROGRESS_HEADERS
    footer = [c.value for row in ws.iter_rows(min_row=ws.max_row - 2) for c in row if c.value]
    assert "单位负责人：张三" in footer
    assert "填报人：李四" in footer
    assert "联系电话：0000-1234567" in footer
    assert any(str(v).startswith("填报日期：") for v in footer)
    # Prints on A4 landscape, one page wide, header row repeated, numbered pages.
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4"
    assert ws.freeze_panes == "A5"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws["A4"].font.name == "宋体"
    assert ws["A5"].border.left.style == "thin"


def test_hand_computed_figures(workbook) -> None:
    rows = rows_by_indicator(workbook["进展统计表"])
    # columns: 序号 行动 任务 指标 单位 目标 本期 累计 完成率 进度 牵头 备注
    c1 = rows["农民培训人次"]
    assert c1[4:10] == ("人次", 10000, 2500, 5500, pytest.approx(0.55), "滞后")
    assert c1[10] == "县农业农村局"
    assert c1[1] == "基层科普能力提升工程"
    assert rows["每年农村妇女培训人次"][5:10] == (1000, 1200, 1200, pytest.approx(1.2), "已完成")
    assert rows["注册科技志愿者人数"][5:10] == (500, 350, 350, pytest.approx(0.7), "滞后")
    d1 = rows["青少年科普讲座参加人次"]
    assert d1[5:10] == (2500, 500, 1500, pytest.approx(0.6), "滞后")
    assert d1[10] == "县教体局"
    assert rows["科普示范村数"][5:10] == (400, 450, 450, pytest.approx(1.125), "已完成")
    p1 = rows["科普信息员覆盖率"]
    assert p1[1] == "总体目标"
    assert p1[5:10] == (90, 85, 85, pytest.approx(85 / 90), "滞后")
    assert "按进度应完成 95.6%" in p1[11]
    assert rows["安全事故次数"][9] == "无数据"
    # The task cell is merged over its three indicators.
    assert c1[2] == "1. 农民实用技术培训"


def test_number_formats(workbook) -> None:
    ws = workbook["进展统计表"]
    row = next(r for r in ws.iter_rows(min_row=5) if r[3].value == "农民培训人次")
    assert row[5].number_format == "#,##0"
    assert row[7].number_format == "#,##0"
    assert row[8].number_format == "0.0%"
    p1 = next(r for r in ws.iter_rows(min_row=5) if r[3].value == "科普信息员覆盖率")
    assert p1[8].number_format == "0.0%"


def test_figures_equal_progress_json(filled: Services, workbook, capsys) -> None:
    """Every figure equals `kepu progress --json` for the same period."""
    assert kepu(["--db", str(filled.db.path), "progress", "--period", "2024", "--json"]) == 0
    expected = {p["code"]: p for p in json.loads(capsys.readouterr().out)}
    data = workbook["_data"]
    header = [c.value for c in data[1]]
    assert header == DATA_HEADERS
    records = [
        dict(zip(header, r, strict=True)) for r in data.iter_rows(min_row=2, values_only=True)
    ]
    indicators = {r["code"]: r for r in records if r["record"] == "indicator"}
    assert set(indicators) == set(expected)
    rows = rows_by_indicator(workbook["进展统计表"])
    for code, p in expected.items():
        got = indicators[code]
        assert got["format_version"] == FORMAT_VERSION
        assert got["plan_code"] == SMALL_PLAN["id"]
        assert got["period"] == "2024"
        assert got["target"] == p["target"]
        assert got["period_value"] == p["period_value"]
        assert got["cumulative"] == p["actual"]
        assert got["status"] == p["status"]
        if p["completion_pct"] is None:
            assert got["completion_pct"] is None
        else:
            assert round(got["completion_pct"], 1) == p["completion_pct"]
        sheet_row = rows[p["name"]]
        assert sheet_row[5:8] == (p["target"], p["period_value"], p["actual"])
        if p["completion_pct"] is not None:
            assert round(sheet_row[8] * 100, 1) == p["completion_pct"]
    ledger = {r["code"]: r["period_value"] for r in records if r["record"] == "ledger"}
    assert ledger["ledger:activities"] == 3
    assert ledger["ledger:participants"] == 650
    assert ledger["type:lecture:participants"] == 500
    assert ledger["type:training:sessions"] == 3


def test_formula_like_text_stays_text(filled: Services, tmp_path: Path) -> None:
    out = export_return(filled, parse_period("2024"), tmp_path / "r.xlsx")
    ws = load_workbook(out)["活动明细"]
    titles = [row[3] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert FORMULA_TITLE in titles
    cell = next(c for c in ws["D"] if c.value == FORMULA_TITLE)
    assert cell.data_type == "s"
    summary = next(c for c in ws["S"] if c.value == "+86 热线宣传")
    assert summary.data_type == "s"
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8"), name


def test_ledger_sheet(workbook) -> None:
    ws = workbook["活动明细"]
    assert ws["A1"].value == "测试县科普活动明细台账"
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert [r[3] for r in rows] == ["青少年科普讲座进校园", FORMULA_TITLE, "农民实用技术培训班"]
    first = rows[0]
    assert first[4:10] == (
        "科普讲座",
        "城关街道",
        "县教体局",
        "县科协",
        "开展青少年科普讲座",
        "青少年",
    )
    assert first[10:17] == (300, 140, None, 2, 5, 10, 1200)
    assert first[18] == "县实验小学报告厅，邀请市科技馆讲师。"
    assert first[19] == 1  # one photo attached
    total = next(
        r for r in ws.iter_rows(min_row=4, values_only=True) if str(r[0]).startswith("合计")
    )
    assert total[10] == 650
    assert total[13] == 6
    assert ws.print_title_rows == "$3:$3"


def test_type_unit_and_volunteer_sheets(workbook) -> None:
    types = {r[1]: r for r in workbook["科普统计"].iter_rows(min_row=4, values_only=True) if r[1]}
    assert types["科普讲座"][2:5] == (2, 3, 500)
    assert types["实用技术培训"][2:5] == (1, 3, 150)
    assert types["科技活动周"][3] == "—"  # sessions don't apply to this category
    assert types["合计"][2] == 3 and types["合计"][4] == 650

    units = {r[1]: r for r in workbook["分单位统计"].iter_rows(min_row=4, values_only=True) if r[1]}
    # 单位 牵头任务 配合任务 牵头指标 已完成 正常 滞后 严重滞后 无数据 活动 场次 人次 志愿者 时长
    assert units["县教体局"][2:5] == (1, 0, 1)  # leads A1.1, whose D1 is behind
    assert units["县教体局"][7] == 1
    assert units["县教体局"][10:13] == (1, 2, 300)
    assert units["县科协"][2:4] == (1, 1)
    assert units["县科协"][10:15] == (1, 1, 200, 3, 6)
    assert units["县农业农村局"][2:5] == (1, 0, 3)  # C1, C2, Y1 under P1.1
    assert units["合计"][12] == 650

    vol = list(workbook["志愿者"].iter_rows(min_row=4, values_only=True))
    team = next(r for r in vol if r[1] == "城关科技志愿服务队")
    assert team[5:8] == (40, 55, 15)
    by_place = next(r for r in vol if r[1] == "城关街道")
    assert by_place[2:5] == (2, 8, 16)


def test_section_subtotal_only_for_addable_counts(services: Services, tmp_path: Path) -> None:
    plan = copy.deepcopy(SMALL_PLAN)
    plan["indicators"].append(
        {
            "code": "C3",
            "name": "农村妇女技能培训人次",
            "unit": "人次",
            "measure": "count",
            "task": "P1.1",
            "target_mode": "period",
            "target": 5000,
        }
    )
    services.plans.create(PlanDocument.from_dict(plan))
    build(services)
    ind = {i.code: i.id for i in services.plans.indicators()}
    services.entries.set(ind["C3"], "2024", 500)
    out = export_return(services, parse_period("2024"), tmp_path / "sub.xlsx")
    ws = load_workbook(out)["进展统计表"]
    subtotals = [
        r for r in ws.iter_rows(min_row=5, values_only=True) if str(r[2]).startswith("小计")
    ]
    # C1 + C3 (人次, whole period) add up; C2 (annual), Y1 (个), L1 (level), P1 (%) never do.
    assert len(subtotals) == 1
    sub = subtotals[0]
    assert sub[2] == "小计（人次）"
    assert sub[5:10] == (15000, 3000, 6000, pytest.approx(0.4), "滞后")


def test_submission_recorded_with_hash(filled: Services, tmp_path: Path) -> None:
    out = export_return(filled, parse_period("2024Q3"), tmp_path / "q3.xlsx", final=True)
    [sub] = filled.submissions.list()
    assert (sub.period, sub.kind, sub.final, sub.operator) == ("2024Q3", "return", True, "测试员")
    assert sub.sha256 == file_sha256(out)
    assert Path(sub.file_name).name == "q3.xlsx"


def test_quarter_figures(filled: Services, tmp_path: Path) -> None:
    out = export_return(filled, parse_period("2024Q3"), tmp_path / "q3.xlsx")
    wb = load_workbook(out)
    rows = rows_by_indicator(wb["进展统计表"])
    # C1: 1,500 in Q3; cumulative to 30 Sep: 3,000 + 1,000 + 1,500.
    assert rows["农民培训人次"][6:8] == (1500, 5500)
    ledger = [
        r for r in wb["活动明细"].iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)
    ]
    assert [r[3] for r in ledger] == ["农民实用技术培训班"]


def test_cancel_leaves_no_file_and_no_record(filled: Services, tmp_path: Path) -> None:
    out = tmp_path / "cancelled.xlsx"
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < 3

    with pytest.raises(ExportCancelled):
        export_return(filled, parse_period("2024"), out, progress=progress)
    assert not out.exists()
    assert not list(tmp_path.glob("cancelled.xlsx*"))
    assert filled.submissions.list() == []


def test_progress_reaches_total(filled: Services, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export_return(
        filled,
        parse_period("2024"),
        tmp_path / "p.xlsx",
        progress=lambda d, t: seen.append((d, t)) or True,
    )
    assert seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cli_final_export_records_submission(filled: Services, tmp_path: Path, capsys) -> None:
    out = tmp_path / "cli.xlsx"
    code = kepu(
        [
            "--db",
            str(filled.db.path),
            "export",
            "return",
            "--period",
            "2024",
            "--out",
            str(out),
            "--final",
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "正式报送" in text and file_sha256(out) in text
    [sub] = filled.submissions.list("2024")
    assert sub.final and sub.sha256 == file_sha256(out)
