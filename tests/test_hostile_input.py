"""What real offices paste and send: each of the inputs that used to break the program.

Each is taken cleanly (and every output still writes) or refused in Chinese
with the database unchanged.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from desktop.services import Services
from desktop.services.activities import ActivityFilter
from tests.cli_run import run, table_counts
from tests.test_collection_import import COLUMN, GOOD, INDICATOR_SHEET, fill, fingerprint


def _empty_database(path: Path) -> Path:
    Services.open(path).close()
    return path


def _exports_succeed(capsys, db: Path, out: Path) -> None:
    """The year's return, the summary, every collection template and the plan workbook."""
    folder = out / "采集表"
    folder.mkdir(parents=True, exist_ok=True)
    for argv in (
        ["export", "return", "--period", "2024", "--out", str(out / "2024.xlsx")],
        ["export", "summary", "--year", "2024", "--out", str(out / "2024.pdf")],
        ["collection", "template", "--all", "--period", "2024Q2", "--out-dir", str(folder)],
        ["plan", "export", "--format", "xlsx", "--out", str(out / "方案.xlsx")],
        ["plan", "export", "--format", "yaml", "--out", str(out / "方案.yaml")],
    ):
        code, _, err = run(capsys, "--db", str(db), *argv)
        assert code == 0, (argv, err)
        assert "Traceback" not in err


def test_control_characters_in_a_title_are_removed_and_every_export_works(
    capsys, county: Services, tmp_path: Path
):
    db = county.db.path
    county.close()
    code, _, err = run(
        capsys, "--db", str(db), "activity", "add", "--date", "2024-05-01",
        "--title", "讲座\x07A\x0b第二行\x0c", "--type", "lecture", "--unit", "县科协",
    )  # fmt: skip
    assert code == 0, err
    svc = Services.open(db)
    titles = [a.title for a in svc.activities.rows(ActivityFilter(), 0, 10, "title", False)]
    svc.close()
    assert titles == ["讲座A 第二行"]
    _exports_succeed(capsys, db, tmp_path / "out")
    ledger = load_workbook(tmp_path / "out" / "2024.xlsx")["活动明细"]
    assert "讲座A 第二行" in [c.value for row in ledger.iter_rows() for c in row]


def test_a_plan_file_with_control_characters_imports_clean_and_exports(
    capsys, data_dir: Path, tmp_path: Path
):
    from tests.conftest import SMALL_PLAN

    plan = yaml.safe_load(yaml.safe_dump(SMALL_PLAN, allow_unicode=True))
    plan["units"] = [{"name": "县\a科协", "aliases": ["县科学技术协会\u200b"]}]
    plan["sections"][0]["title"] = "青少年\x0b科学素质提升行动"
    plan["sections"][1]["units"] = [{"name": "县 科协", "role": "lead"}]  # typed with a space
    plan["indicators"][5]["targets_by_year"] = {
        2021: 100,
        2022: 200,
        2023: 300,
        2024: 400,
        2025: 500,
    }
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    db = _empty_database(data_dir / "county.sqlite3")
    code, _, err = run(capsys, "--db", str(db), "plan", "import", str(source), "--activate")
    assert code == 0, err
    svc = Services.open(db)
    try:
        assert "县科协" in [u.name for u in svc.reference.units()]
        assert svc.plans.active().sections[0].title == "青少年 科学素质提升行动"
        assert [link.unit.name for link in svc.plans.active().sections[1].unit_links] == ["县科协"]
        assert sum(u.name == "县科协" for u in svc.reference.units()) == 1
    finally:
        svc.close()
    _exports_succeed(capsys, db, tmp_path / "out")
    assert len(list((tmp_path / "out" / "采集表").glob("*.xlsx"))) >= 3


def test_one_unit_listed_twice_under_two_spellings_is_named_not_a_traceback(
    capsys, data_dir: Path, tmp_path: Path
):
    """市科协 and 市 科协 in one section: was an IntegrityError traceback after validation passed."""
    from tests.conftest import SMALL_PLAN

    plan = yaml.safe_load(yaml.safe_dump(SMALL_PLAN, allow_unicode=True))
    plan["sections"][1]["units"] = [
        {"name": "县科协", "role": "lead"},
        {"name": "县 科协", "role": "cooperating"},
    ]
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    db = _empty_database(data_dir / "county.sqlite3")
    code, _, err = run(capsys, "--db", str(db), "plan", "import", str(source), "--activate")
    assert code == 1 and "责任单位“县科协”重复列出" in err and "Traceback" not in err


def test_a_year_key_that_only_looks_like_digits_is_refused(capsys, data_dir: Path, tmp_path: Path):
    from tests.conftest import SMALL_PLAN

    plan = yaml.safe_load(yaml.safe_dump(SMALL_PLAN, allow_unicode=True))
    plan["indicators"][5]["targets_by_year"] = {"2023²": 300, 2024: 400}
    source = tmp_path / "plan.yaml"
    source.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    db = _empty_database(data_dir / "county.sqlite3")
    code, _, err = run(capsys, "--db", str(db), "plan", "import", str(source))
    assert code == 1 and "“2023²”不是年份" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("participants", 1e308, "参加人次 1.000e+308 超出允许范围（0—10,000,000"),
        ("participants", "9" * 30, "超出允许范围（0—10,000,000：一条活动记录最多一千万人次）"),
        ("participants", "九亿亿亿亿", "超出允许范围"),
        ("sessions", 10**20, "场次 1.000e+20 超出允许范围（0—100,000"),
        ("funding_yuan", 1e17, "经费（元） 1.000e+17 超出允许范围（0—10,000,000,000"),
        ("volunteer_hours", 1e308, "志愿服务时长 1.000e+308 超出允许范围（0—10,000,000"),
    ],
)
def test_numbers_past_any_sensible_size_are_refused_with_row_column_value_and_bound(
    capsys, county: Services, template: Path, tmp_path: Path, column, value, expected
):
    row = dict(GOOD[2])
    row[column] = value
    if column == "participants":
        row.pop("female", None)
    filled = fill(template, tmp_path / "big.xlsx", [row])
    db = county.db.path
    county.close()
    before = fingerprint(db)
    code, out, err = run(capsys, "--db", str(db), "collection", "import", str(filled))
    assert code != 0
    text = out + err
    assert "第 4 行" in text and expected in text, text
    assert "已损坏" not in text and "Traceback" not in text
    assert fingerprint(db) == before


def test_infinity_and_a_400_digit_value_in_the_sheet_xml_are_numbers_too_large(
    capsys, county: Services, template: Path, tmp_path: Path
):
    filled = fill(
        template, tmp_path / "raw.xlsx", [dict(GOOD[2], participants=111111)], {"C1": 222222}
    )
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<v>111111</v>", b"<v>1e999</v>")
                data = data.replace(b"<v>222222</v>", b"<v>" + b"9" * 400 + b"</v>")
            dst.writestr(item, data)
    db = county.db.path
    county.close()
    before = table_counts(db)
    code, out, err = run(capsys, "--db", str(db), "collection", "import", str(patched))
    text = out + err
    assert code != 0
    assert "参加人次" in text and "不是有效的数字" in text
    assert INDICATOR_SHEET in text and "超出允许范围（0—1,000,000,000,000" in text
    assert "已损坏" not in text and "Traceback" not in text
    assert table_counts(db) == before


def test_invisible_names_are_refused_naming_the_field(capsys, county: Services):
    from desktop.errors import ValidationError

    with pytest.raises(ValidationError, match="单位名称不能为空"):
        county.plan_editor.add_unit("   ")
    with pytest.raises(ValidationError, match="单位名称只有空格或不可见的字符"):
        county.plan_editor.add_unit("\u200b\u3000")
    db = county.db.path
    county.close()
    before = table_counts(db)
    code, _, err = run(
        capsys, "--db", str(db), "activity", "add", "--date", "2024-05-01",
        "--title", "\u3000\u200b", "--type", "lecture", "--unit", "县科协",
    )  # fmt: skip
    assert code == 1 and "活动名称只有空格或不可见的字符" in err
    assert table_counts(db) == before


def test_an_invisible_title_in_a_workbook_is_refused_at_its_row(
    capsys, county: Services, template: Path, tmp_path: Path
):
    filled = fill(
        template, tmp_path / "invisible.xlsx", [dict(GOOD[2], title="\u3000\u200b\u200d")]
    )
    db = county.db.path
    county.close()
    before = fingerprint(db)
    code, out, err = run(capsys, "--db", str(db), "collection", "import", str(filled))
    assert code != 0 and "第 4 行" in out + err and "活动名称" in out + err
    assert fingerprint(db) == before
    assert COLUMN["title"]  # the column the message names exists in the template
