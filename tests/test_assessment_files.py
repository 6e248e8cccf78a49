"""The assessment's files: a unit's 自评表 out and back in, and the 考核结果汇总表, by hand.

The rubric and ledger are tests/test_assessment.py's (`scored`): 61 points,
县科协 scored automatically L 7.5 · D 10 · E 2 · R 2.5 · T 0 · M manual, with
four activities in 2024 (three lectures, 全国科普日, 50 人次 each).

县科协 fills in its 自评表: L 10 · D 10 · E 6 · R 8 · T 12 · M 9, and the office
reviews E at 5 (with a note). Final: 10 + 10 + 5 + 8 + 12 + 9 = 54, by group
日常科普 10 · 重点活动 10 · 台账 5 · 组织 (R+T) 20 · 创新 9. On 61 points 良好
starts at 80 % (48.8) and 优秀 at 90 % (54.9): 54 is 良好. 县教体局 has no
自评: its automatic scores T 15, the rest 0, M none → 15, 不合格, second.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from desktop.assessment_layout import ACTIVITY_SHEET, MARKER_SHEET, RESULTS_SHEET, SCORE_SHEET
from desktop.services import Services
from tests.cli_run import run
from tests.db_dump import database_dump
from tests.test_assessment import scored  # noqa: F401 - the fixture

SELF = {"L": 10, "D": 10, "E": 6, "R": 8, "T": 12, "M": 9}
SELF_COLUMN = "H"  # 自评分
NOTE_COLUMN = "I"  # 说明


@pytest.fixture
def db(scored: Services, data_dir: Path) -> str:  # noqa: F811 - the fixture
    scored.close()
    return str(data_dir / "county.sqlite3")


def _template(capsys, db: str, out: Path, unit: str = "县科协") -> Path:
    code, stdout, err = run(
        capsys, "--db", db, "assessment", "template", "--unit", unit, "--year", "2024",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "6 项" in stdout and "本年活动 4 次" in stdout
    return out


def _fill(path: Path, scores: dict[str, object], notes: dict[str, str] | None = None) -> Path:
    wb = load_workbook(path)
    ws = wb[SCORE_SHEET]
    rows = {ws[f"B{r}"].value: r for r in range(4, ws.max_row + 1) if ws[f"B{r}"].value}
    for code, value in scores.items():
        ws[f"{SELF_COLUMN}{rows[code]}"] = value
    for code, note in (notes or {}).items():
        ws[f"{NOTE_COLUMN}{rows[code]}"] = note
    wb.save(path)
    return path


def _scores(capsys, db: str, unit: str) -> dict[str, dict]:
    import json

    code, out, err = run(
        capsys, "--db", db, "assessment", "scores", "--year", "2024", "--unit", unit, "--json"
    )
    assert code == 0, err
    return {r["code"]: r for r in json.loads(out)}


def test_the_template_carries_the_items_the_automatic_scores_and_the_activities(
    db: str, tmp_path: Path, capsys
):
    path = _template(capsys, db, tmp_path / "自评表.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [SCORE_SHEET, ACTIVITY_SHEET, MARKER_SHEET]
    ws = wb[SCORE_SHEET]
    assert [c.value for c in ws[3]] == [
        "考核项目", "序号", "考核内容", "考核标准", "分值", "自动评分", "自动评分依据",
        "自评分*", "说明",
    ]  # fmt: skip
    first = [c.value for c in ws[4]]
    assert first[:7] == [
        "日常科普",
        "L",
        "科普讲座",
        "年内举办科普讲座不少于 4 次，完不成的按比例扣分",
        10,
        7.5,
        "3/4 次，按比例 7.5/10 分",
    ]
    assert first[7] is None
    assert [ws[f"F{r}"].value for r in range(4, 10)] == [7.5, 10, 2, 2.5, 0, "人工评分"]
    assert ws["E10"].value == 61 and ws["C10"].value == "合计"
    # Only 自评分 and 说明 are editable; each 自评分 is validated 0..its 分值.
    assert ws.protection.sheet and not ws["H4"].protection.locked
    assert ws["E4"].protection.locked
    rules = {
        str(dv.sqref): (dv.type, dv.formula1, dv.formula2)
        for dv in ws.data_validations.dataValidation
    }
    assert rules == {
        "H4 H5 H7 H9": ("decimal", "0", "10"),
        "H6": ("decimal", "0", "6"),
        "H8": ("decimal", "0", "15"),
    }
    assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    acts = wb[ACTIVITY_SHEET]
    listed = [[c.value for c in row] for row in acts.iter_rows(min_row=4, max_row=7)]
    assert [(r[1].date().isoformat(), r[2], r[5]) for r in listed] == [
        ("2024-03-10", "lecture活动", 50),
        ("2024-05-10", "lecture活动", 50),
        ("2024-09-10", "lecture活动", 50),
        ("2024-09-20", "sci_day活动", 50),
    ]
    assert acts["F8"].value == 200
    marker = wb[MARKER_SHEET]
    assert marker.sheet_state == "veryHidden"
    facts = {marker.cell(r, 1).value: marker.cell(r, 2).value for r in range(1, 6)}
    assert facts["kind"] == "kepu-assessment" and facts["version"] == "1"
    assert facts["unit"] == "县科协" and facts["year"] == "2024" and facts["rubric"].isdigit()


def test_self_scores_come_back_and_the_results_table_adds_them_up(db: str, tmp_path: Path, capsys):
    path = _fill(_template(capsys, db, tmp_path / "自评表.xlsx"), SELF, {"M": "有创新案例"})
    before = database_dump(Path(db))
    code, out, err = run(capsys, "--db", db, "assessment", "import", str(path), "--dry-run")
    assert code == 0, err
    assert "未写入" in out and database_dump(Path(db)) == before
    code, out, err = run(capsys, "--db", db, "assessment", "import", str(path))
    assert code == 0, err
    assert "6 项" in out
    con = sqlite3.connect(db)
    try:
        audited = con.execute(
            "SELECT summary FROM audit_record WHERE entity = 'assessment' ORDER BY id"
        ).fetchall()
    finally:
        con.close()
    assert len(audited) == 6 and "县科协 L：自评 10" in audited[0][0]
    got = _scores(capsys, db, "县科协")
    assert {c: r["self"] for c, r in got.items()} == SELF
    assert got["L"]["auto"] == 7.5 and got["L"]["final"] == 10
    code, _, err = run(
        capsys, "--db", db, "assessment", "set", "--year", "2024", "--unit", "县科协",
        "--item", "E", "--review", "5", "--note", "签到表不全",
    )  # fmt: skip
    assert code == 0, err
    out_file = tmp_path / "结果.xlsx"
    code, out, err = run(
        capsys, "--db", db, "assessment", "export", "--year", "2024", "--out", str(out_file)
    )
    assert code == 0, err
    wb = load_workbook(out_file)
    assert wb.sheetnames == [RESULTS_SHEET, "县科协", "县教体局"]
    ws = wb[RESULTS_SHEET]
    assert ws["A1"].value.endswith("全民科学素质工作2024年度考核结果汇总表")
    assert [c.value for c in ws[3]] == [
        "序号", "被考核单位", "日常科普\n（10分）", "重点活动\n（10分）", "台账\n（6分）",
        "组织\n（25分）", "创新\n（10分）", "总分\n（61分）", "名次", "等次",
    ]  # fmt: skip
    assert [c.value for c in ws[4]] == [1, "县科协", 10, 10, 5, 20, 9, 54, 1, "良好"]
    assert [c.value for c in ws[5]] == [2, "县教体局", 0, 0, 0, 15, 0, 15, 2, "不合格"]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth == 1
    unit = wb["县科协"]
    assert [c.value for c in unit[3]] == [
        "序号", "考核内容", "分值", "自动评分", "自评", "审核", "得分", "依据", "说明",
    ]  # fmt: skip
    rows = {unit[f"A{r}"].value: [c.value for c in unit[r]] for r in range(4, 10)}
    assert rows["E"] == ["E", "签到表", 6, 2, 6, 5, 5, rows["E"][7], "签到表不全"]
    assert rows["M"][3] == "—" and rows["M"][4:7] == [9, "—", 9]
    assert rows["M"][8] == "有创新案例"
    assert unit["A10"].value == "合计" and unit["C10"].value == 61 and unit["G10"].value == 54


@pytest.mark.parametrize(
    ("scores", "where"),
    [
        ({"L": 11}, "第 4 行 H 列（自评分）：11 超过该项分值 10 分"),
        ({"D": -1}, "第 5 行 H 列（自评分）：-1 是负数"),
        ({"E": "很好"}, "第 6 行 H 列（自评分）：“很好”不是数字"),
        ({"R": "=1+1"}, "第 7 行 H 列（自评分）：单元格是公式"),
    ],
)
def test_a_bad_score_refuses_the_whole_file_and_writes_nothing(
    db: str, tmp_path: Path, capsys, scores, where
):
    path = _fill(_template(capsys, db, tmp_path / "自评表.xlsx"), {**SELF, **scores})
    before = database_dump(Path(db))
    code, _, err = run(capsys, "--db", db, "assessment", "import", str(path))
    assert code != 0
    assert f"工作表“{SCORE_SHEET}”{where}" in err and "整个文件未导入" in err
    assert database_dump(Path(db)) == before


def test_every_bad_cell_is_named_at_once(db: str, tmp_path: Path, capsys):
    path = _fill(_template(capsys, db, tmp_path / "自评表.xlsx"), {"L": 12, "E": "六", "T": 16})
    code, _, err = run(capsys, "--db", db, "assessment", "import", str(path))
    assert code != 0 and "有 2 处问题" in err
    assert "第 4 行" in err and "第 8 行" in err and "第 6 行" not in err  # 六 is read as 6


def test_foreign_and_mismatched_workbooks_are_refused(
    db: str, tmp_path: Path, capsys, template: Path
):
    foreign = tmp_path / "别的表.xlsx"
    wb = Workbook()
    wb.active["A1"] = "考核自评"
    wb.save(foreign)
    text = tmp_path / "自评.xlsx"
    text.write_text("序号,自评分\n1,5\n", encoding="utf-8")
    made = _template(capsys, db, tmp_path / "自评表.xlsx")
    other_unit = tmp_path / "改过.xlsx"
    wb = load_workbook(made)
    wb[MARKER_SHEET]["B3"] = "县气象局"
    wb.save(other_unit)
    other_year = tmp_path / "别年.xlsx"
    wb[MARKER_SHEET]["B3"], wb[MARKER_SHEET]["B4"] = "县科协", "2023"
    wb.save(other_year)
    before = database_dump(Path(db))
    for path, why in [
        (foreign, "不是本程序生成的考核自评表（缺少模板标记）"),
        (template, "这是数据采集表，不是考核自评表"),
        (text, "CSV 或文本文件"),
        (other_unit, "“县气象局”不在"),
        (other_year, "还没有适用于 2023 年的考核评分细则"),
    ]:
        code, _, err = run(capsys, "--db", db, "assessment", "import", str(path))
        assert code != 0 and why in err, (path.name, err)
    assert database_dump(Path(db)) == before


def test_a_locked_year_refuses_the_file(db: str, tmp_path: Path, capsys):
    path = _fill(_template(capsys, db, tmp_path / "自评表.xlsx"), SELF)
    svc = Services.open(Path(db))
    try:
        svc.locks.lock("2024")
    finally:
        svc.close()
    before = database_dump(Path(db))
    code, _, err = run(capsys, "--db", db, "assessment", "import", str(path))
    assert code != 0 and "锁定" in err
    assert database_dump(Path(db)) == before


def test_a_merged_score_cell_is_refused(db: str, tmp_path: Path, capsys):
    """Merged over two items, only the first would carry a score: refused, naming the range."""
    path = _fill(_template(capsys, db, tmp_path / "自评表.xlsx"), {"L": 7})
    wb = load_workbook(path)
    ws = wb[SCORE_SHEET]
    ws.protection.sheet = False
    ws.merge_cells(f"{SELF_COLUMN}4:{SELF_COLUMN}5")
    wb.save(path)
    before = database_dump(Path(db))
    code, _, err = run(capsys, "--db", db, "assessment", "import", str(path))
    assert code != 0
    assert f"第 4 行 {SELF_COLUMN} 列（自评分）：有合并单元格（{SELF_COLUMN}4:{SELF_COLUMN}5）" in err
    assert database_dump(Path(db)) == before
