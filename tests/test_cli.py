"""The `kepu` command line contract, run in-process against real database files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.services import Services
from tests.cli_run import run, table_counts


@pytest.fixture
def county(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.setenv("KEPU_DATA_DIR", str(tmp_path / "data"))
    db = tmp_path / "anqiu.sqlite3"
    code, out, _ = run(capsys, "--db", str(db), "init", "--plan", "anqiu-2021-2025")
    assert code == 0 and "安丘市全民科学素质行动规划纲要实施方案" in out
    return db


def test_templates_lists_the_builtin_plans(capsys):
    code, out, _ = run(capsys, "templates")
    assert code == 0
    assert "anqiu-2021-2025" in out and "31 项任务" in out


def test_init_activity_entry_progress_flow(county: Path, capsys):
    db = str(county)
    code, out, err = run(
        capsys,
        "--db",
        db,
        "activity",
        "add",
        "--date",
        "2024-05-18",
        "--title",
        "科技活动周主场活动",
        "--type",
        "sci_week",
        "--unit",
        "市科协",
        "--task",
        "P4.3",
        "--group",
        "社会公众",
        "--participants",
        "1200",
        "--female",
        "600",
        "--volunteers",
        "30",
        "--volunteer-hours",
        "90",
        "--funding",
        "5000",
    )
    assert code == 0, err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "entry",
        "set",
        "--indicator",
        "LIT",
        "--period",
        "2024",
        "--value",
        "16.2",
    )
    assert code == 0, err
    code, out, _ = run(capsys, "--db", db, "progress", "--as-of", "2024-12-31", "--json")
    assert code == 0
    items = {p["code"]: p for p in json.loads(out)}
    lit = items["LIT"]
    assert lit["target"] == 17.5 and lit["actual"] == 16.2 and lit["measure"] == "percent"
    # Baseline 12.5 % (2020) → expected at end of 2024 = 12.5 + 5 × 4/5 = 16.5 → 94.3 % of 17.5.
    assert lit["expected_pct"] == pytest.approx(94.3, abs=0.05)
    assert lit["completion_pct"] == pytest.approx(92.6, abs=0.05)  # 16.2 / 17.5
    assert lit["status"] == "behind"
    assert set(lit) >= {
        "code",
        "name",
        "unit",
        "measure",
        "target",
        "actual",
        "completion_pct",
        "expected_pct",
        "status",
    }


def test_errors_are_chinese_and_write_nothing(county: Path, capsys):
    db = str(county)
    before = table_counts(county)
    code, _, err = run(
        capsys,
        "--db",
        db,
        "activity",
        "add",
        "--date",
        "2024-05-18",
        "--title",
        "讲座",
        "--type",
        "lecture",
        "--unit",
        "不存在的单位",
    )
    assert code != 0 and "找不到责任单位“不存在的单位”" in err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "activity",
        "add",
        "--date",
        "2024-05-18",
        "--title",
        "讲座",
        "--type",
        "lecture",
        "--unit",
        "市科协",
        "--participants",
        "10",
        "--female",
        "20",
    )
    assert code != 0 and "不能超过参加人次" in err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "entry",
        "set",
        "--indicator",
        "LIT",
        "--period",
        "2024Q5",
        "--value",
        "1",
    )
    assert code != 0 and "无法识别的统计期" in err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "entry",
        "set",
        "--indicator",
        "NOPE",
        "--period",
        "2024",
        "--value",
        "1",
    )
    assert code != 0 and "没有编号为“NOPE”的指标" in err
    assert table_counts(county) == before


def test_usage_mistakes_are_explained_in_chinese(county: Path, capsys):
    before = table_counts(county)
    for argv, message in [
        (["unlock", "--period", "2024"], "缺少必填参数：--reason"),
        (["frobnicate"], "没有 'frobnicate' 这一项（可选：'templates'"),
        (["entry", "set", "--indicator", "LIT", "--period", "2024", "--value"], "需要填写一个值"),
        (["progress", "--jsonn"], "无法识别的参数：--jsonn"),
    ]:
        with pytest.raises(SystemExit) as exited:
            main(["--db", str(county), *argv])
        err = capsys.readouterr().err
        assert exited.value.code == 2
        assert err.startswith("用法：kepu") and message in err
        assert "required" not in err and "usage" not in err
    assert table_counts(county) == before


def test_lock_refuses_then_unlock_allows(county: Path, capsys):
    db = str(county)
    assert run(capsys, "--db", db, "lock", "--period", "2024")[0] == 0
    code, _, err = run(
        capsys,
        "--db",
        db,
        "entry",
        "set",
        "--indicator",
        "LIT",
        "--period",
        "2024",
        "--value",
        "16",
    )
    assert code == 1 and "2024年已报送并锁定" in err
    code, _, err = run(capsys, "--db", db, "unlock", "--period", "2024", "--reason", "")
    assert code == 1 and "解锁必须填写原因" in err
    assert run(capsys, "--db", db, "unlock", "--period", "2024", "--reason", "更正抽样结果")[0] == 0
    assert (
        run(
            capsys,
            "--db",
            db,
            "entry",
            "set",
            "--indicator",
            "LIT",
            "--period",
            "2024",
            "--value",
            "16",
        )[0]
        == 0
    )


def test_init_refuses_to_overwrite_and_missing_db_is_reported(county: Path, tmp_path: Path, capsys):
    code, _, err = run(capsys, "--db", str(county), "init", "--plan", "anqiu-2021-2025")
    assert code == 1 and "已存在" in err
    code, _, err = run(capsys, "--db", str(tmp_path / "none.sqlite3"), "progress")
    assert code == 1 and "数据库文件不存在" in err
    assert not (tmp_path / "none.sqlite3").exists()


def test_demo_county_is_believable(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("KEPU_DATA_DIR", str(tmp_path / "data"))
    db = tmp_path / "demo.sqlite3"
    code, _, err = run(capsys, "--db", str(db), "demo")
    assert code == 0, err
    counts = table_counts(db)
    assert counts["activity"] == 3000
    assert counts["unit"] >= 20
    assert counts["place"] >= 11
    assert counts["period_lock"] == 4
    code, out, _ = run(capsys, "--db", str(db), "progress", "--json")
    statuses = {p["status"] for p in json.loads(out)}
    assert "done" in statuses and ({"behind", "far_behind"} & statuses)
    # Each year's three largest activities carry a photo, so 特色活动 shows pictures.
    assert counts["evidence"] == 15
    svc = Services.open(db)
    try:
        for year in range(2021, 2026):
            top = svc.reports.largest_activities(year, limit=3)
            assert [h.image is not None for h in top] == [True, True, True]
            assert all(svc.evidence.path(h.image).stat().st_size > 10_000 for h in top)
            assert svc.reports.largest_activities(year, limit=4)[3].image is None
    finally:
        svc.close()


def test_backup_restore_and_check(county: Path, tmp_path: Path, capsys):
    db = str(county)
    code, out, _ = run(capsys, "--db", db, "backup", "--out-dir", str(tmp_path / "bk"))
    assert code == 0
    backup = next((tmp_path / "bk").glob("*.sqlite3"))
    assert (
        run(
            capsys,
            "--db",
            db,
            "entry",
            "set",
            "--indicator",
            "LIT",
            "--period",
            "2024",
            "--value",
            "16",
        )[0]
        == 0
    )
    assert table_counts(county)["entry"] == 1

    code, _, err = run(capsys, "--db", db, "restore", str(backup))
    assert code == 1 and "--yes" in err
    assert table_counts(county)["entry"] == 1
    code, out, _ = run(capsys, "--db", db, "restore", str(backup), "--yes")
    assert code == 0 and "恢复前的数据已另存为" in out
    assert table_counts(county)["entry"] == 0
    safety = next(county.parent.joinpath("backups").glob("*pre-restore*"))
    assert table_counts(safety)["entry"] == 1
    code, out, _ = run(capsys, "--db", db, "check")
    assert code == 0 and "检查通过" in out


def test_a_damaged_database_is_explained_kept_and_restorable(county: Path, tmp_path: Path, capsys):
    db = str(county)
    code, out, _ = run(capsys, "--db", db, "backup", "--out-dir", str(tmp_path / "bk"))
    assert code == 0
    backup = next((tmp_path / "bk").glob("*.sqlite3"))
    backup_bytes = backup.read_bytes()

    not_a_db = tmp_path / "台账.sqlite3"
    not_a_db.write_text("这不是数据库", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(not_a_db), "progress")
    assert code == 1 and "无法打开数据库" in err and "它不是数据库文件" in err
    assert not_a_db.read_text(encoding="utf-8") == "这不是数据库"

    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(county.read_bytes()[:3000])
    code, _, err = run(capsys, "--db", str(damaged), "progress")
    assert code == 1 and "文件已损坏" in err and "restore" in err

    code, out, err = run(capsys, "--db", str(damaged), "restore", str(backup), "--yes")
    assert code == 0, err
    kept = next(tmp_path.joinpath("backups").glob("damaged-pre-restore-*.sqlite3"))
    assert kept.read_bytes() == county.read_bytes()[:3000]  # the damaged file, as it was
    assert table_counts(damaged)["plan"] == 1
    code, out, _ = run(capsys, "--db", str(damaged), "progress", "--json")
    assert code == 0 and json.loads(out)[0]["code"] == "LIT"
    # The backup itself is read, never migrated or copied.
    assert backup.read_bytes() == backup_bytes
    assert not (tmp_path / "bk" / "backups").exists()

    code, _, err = run(capsys, "--db", db, "restore", str(not_a_db), "--yes")
    assert code == 1 and "不能用于恢复" in err
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    code, _, err = run(capsys, "--db", db, "restore", str(other), "--yes")
    assert code == 1 and "它不是科普台账的数据库" in err


def test_output_cut_short_by_a_pipe_is_not_an_error(county: Path):
    shell = (
        f'"{sys.executable}" -m desktop --db "{county}" templates --json | head -c 20'  # ~400 KB
    )
    done = subprocess.run(shell, shell=True, capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("[") and len(done.stdout) == 20
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_submissions_are_listed_and_a_file_is_identified(county: Path, tmp_path: Path, capsys):
    db = str(county)
    out = tmp_path / "2024年报表.xlsx"
    code, _, err = run(
        capsys, "--db", db, "export", "return", "--period", "2024", "--out", str(out), "--final"
    )
    assert code == 0, err
    code, out_text, _ = run(capsys, "--db", db, "submissions", "--json")
    [row] = json.loads(out_text)
    assert (row["period"], row["kind"], row["final"]) == ("2024", "return", True)
    assert row["file"] == str(out.resolve())

    desk_copy = tmp_path / "市里收到的.xlsx"
    desk_copy.write_bytes(out.read_bytes())
    code, text, _ = run(capsys, "--db", db, "submissions", "--identify", str(desk_copy))
    assert code == 0 and "2024  Excel 报表（正式报送）" in text and row["sha256"] in text
    desk_copy.write_bytes(out.read_bytes() + b"\0")
    code, text, _ = run(capsys, "--db", db, "submissions", "--identify", str(desk_copy))
    assert code == 1 and "与任何一次导出的文件都不一致" in text
    code, _, err = run(capsys, "--db", db, "submissions", "--identify", str(tmp_path / "无.xlsx"))
    assert code == 1 and "文件不存在" in err
