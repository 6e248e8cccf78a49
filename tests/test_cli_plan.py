"""`kepu plan …` and `kepu templates --json`, run in-process against real files."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.cli_run import SEEDS, run, table_counts

INDICATOR_KEYS = {"code", "name", "measure", "unit", "target_mode", "target", "comparator"}


def assert_plan_object(obj: dict) -> None:
    """The shape issue 3 promises for templates --json and plan parse --json."""
    assert {"id", "plan", "sections", "indicators"} <= set(obj)
    assert {"region", "name", "first_year", "last_year", "doc_number", "literacy_target"} <= set(
        obj["plan"]
    )
    for sec in obj["sections"]:
        for task in sec["tasks"]:
            assert {"number", "title", "units"} <= set(task)
            for unit in task["units"]:
                assert set(unit) == {"name", "role"} and unit["role"] in ("lead", "cooperating")
    for ind in obj["indicators"]:
        assert set(ind) >= INDICATOR_KEYS


def test_templates_json_has_the_promised_shape(capsys):
    code, out, _ = run(capsys, "templates", "--json")
    assert code == 0
    templates = json.loads(out)
    assert [t["id"] for t in templates] == [
        "anqiu-2021-2025",
        "panzhihua-2016-2020",
        "panzhihua-2022-2025",
        "yuxi-2016-2020",
        "zhongwei-2021-2025",
    ]
    for t in templates:
        assert_plan_object(t)
    zhongwei = templates[-1]
    farmers = next(i for i in zhongwei["indicators"] if i["target"] == 13000)
    assert (farmers["measure"], farmers["unit"], farmers["target_mode"], farmers["comparator"]) == (
        "count",
        "人",
        "period",
        ">=",
    )


def test_plan_parse_json_prints_one_draft_plan(capsys):
    code, out, _ = run(capsys, "plan", "parse", str(SEEDS / "zhongwei-2021-2025.txt"), "--json")
    assert code == 0
    draft = json.loads(out)
    assert_plan_object(draft)
    assert draft["plan"]["region"] == "中卫市"
    assert (draft["plan"]["first_year"], draft["plan"]["last_year"]) == (2021, 2025)
    assert len(draft["sections"]) == 10
    assert sum(len(s["tasks"]) for s in draft["sections"]) == 33


def test_plan_parse_summary_and_missing_file(capsys, tmp_path: Path):
    code, out, _ = run(capsys, "plan", "parse", str(SEEDS / "anqiu-2021-2025.txt"))
    assert code == 0
    assert "安丘市全民科学素质行动规划纲要实施方案（2021—2025年）" in out
    assert "识别出 9 个行动/工程、31 项任务" in out
    code, _, err = run(capsys, "plan", "parse", str(tmp_path / "none.txt"))
    assert code == 1 and "文件不存在" in err


def test_export_import_list_and_activate(zhongwei_db: Path, tmp_path: Path, capsys):
    db = str(zhongwei_db)
    code, out, _ = run(capsys, "--db", db, "plan", "list")
    assert code == 0 and out.splitlines()[0].startswith("* zhongwei-2021-2025")

    xlsx, yml = tmp_path / "plan.xlsx", tmp_path / "plan.yaml"
    assert run(capsys, "--db", db, "plan", "export", "--format", "xlsx", "--out", str(xlsx))[0] == 0
    assert run(capsys, "--db", db, "plan", "export", "--format", "yaml", "--out", str(yml))[0] == 0
    assert openpyxl.load_workbook(xlsx)["指标"].max_row == 24  # header + 23 indicators

    code, _, err = run(capsys, "--db", db, "plan", "import", str(yml))
    assert code == 1 and "已有编号为“zhongwei-2021-2025”的方案" in err and "--code" in err

    wb = openpyxl.load_workbook(xlsx)
    wb["方案信息"]["B5"] = "中卫市全民科学素质行动实施方案（修订）"
    wb.save(xlsx)
    code, out, _ = run(capsys, "--db", db, "plan", "import", str(xlsx), "--code", "zhongwei-rev")
    assert code == 0
    assert out.strip() == (
        "已导入方案“中卫市全民科学素质行动实施方案（修订）”（编号 zhongwei-rev）："
        "10 个行动/工程、33 项任务、23 个指标"
    )
    code, out, _ = run(capsys, "--db", db, "plan", "list")
    lines = out.splitlines()
    assert lines[0].startswith("* zhongwei-2021-2025") and lines[1].startswith("  zhongwei-rev")

    code, out, _ = run(capsys, "--db", db, "plan", "activate", "zhongwei-rev")
    assert code == 0 and out.strip() == "已启用方案：中卫市全民科学素质行动实施方案（修订）"
    code, out, _ = run(capsys, "--db", db, "plan", "list")
    assert out.splitlines()[1].startswith("* zhongwei-rev")
    code, _, err = run(capsys, "--db", db, "plan", "activate", "nope")
    assert code == 1 and "没有编号为“nope”的方案" in err


def test_import_with_activate_and_a_bad_file_writes_nothing(
    zhongwei_db: Path, tmp_path: Path, capsys
):
    db = str(zhongwei_db)
    xlsx = tmp_path / "plan.xlsx"
    run(capsys, "--db", db, "plan", "export", "--format", "xlsx", "--out", str(xlsx))
    wb = openpyxl.load_workbook(xlsx)
    wb["责任单位"]["D2"] = "领导"
    wb["指标"]["H3"] = "一万"
    wb.save(xlsx)
    before = table_counts(zhongwei_db)
    code, out, err = run(
        capsys, "--db", db, "plan", "import", str(xlsx), "--code", "x", "--activate"
    )
    assert code == 1 and out == ""
    assert "有 2 处问题，未导入任何内容" in err
    assert "工作表“责任单位”第 2 行 D 列（角色）：角色“领导”无效" in err
    assert "工作表“指标”第 3 行 H 列（目标值）：“一万”不是数字。" in err
    assert table_counts(zhongwei_db) == before

    run(capsys, "--db", db, "plan", "export", "--format", "xlsx", "--out", str(xlsx))
    code, out, _ = run(capsys, "--db", db, "plan", "import", str(xlsx), "--code", "x", "--activate")
    assert code == 0 and out.strip().endswith("，已设为当前方案")


def test_export_refuses_wrong_suffix(zhongwei_db: Path, tmp_path: Path, capsys):
    code, _, err = run(
        capsys,
        "--db",
        str(zhongwei_db),
        "plan",
        "export",
        "--format",
        "yaml",
        "--out",
        str(tmp_path / "p.xlsx"),
    )
    assert code == 1 and "输出文件应以 .yaml 或 .yml 结尾" in err


def test_import_update_edits_the_plan_in_place(zhongwei_db: Path, tmp_path: Path, capsys):
    db = str(zhongwei_db)
    xlsx = tmp_path / "plan.xlsx"
    run(capsys, "--db", db, "plan", "export", "--format", "xlsx", "--out", str(xlsx))
    code, _, _ = run(
        capsys,
        "--db",
        db,
        "entry",
        "set",
        "--indicator",
        "I06",
        "--period",
        "2023",
        "--value",
        "2600",
    )
    assert code == 0
    wb = openpyxl.load_workbook(xlsx)
    tree = wb["行动与任务"]
    assert (tree["A3"].value, tree["D3"].value) == ("A1.1", "科学精神贯穿育人全链条")
    tree["D3"] = "弘扬科学精神贯穿育人全链条"
    ind = wb["指标"]
    assert ind["A8"].value == "I06"
    ind.delete_rows(8)
    wb.save(xlsx)

    code, _, err = run(capsys, "--db", db, "plan", "import", str(xlsx), "--update")
    assert code == 1
    assert "1 个指标已有 1 条填报数据（将一并删除）" in err and "--confirm" in err
    code, out, _ = run(capsys, "--db", db, "plan", "import", str(xlsx), "--update", "--confirm")
    assert code == 0
    assert out.strip() == (
        "已按文件更新方案“中卫市全民科学素质行动规划纲要实施方案（2021年—2025年）”："
        "新增 0 项、修改 1 项、删除 1 项"
    )
    code, out, _ = run(
        capsys, "--db", db, "plan", "export", "--format", "yaml", "--out", str(tmp_path / "p.yaml")
    )
    text = (tmp_path / "p.yaml").read_text(encoding="utf-8")
    assert "弘扬科学精神贯穿育人全链条" in text and "code: I06" not in text
