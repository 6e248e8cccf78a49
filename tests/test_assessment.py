"""The annual assessment, scored from the ledger with figures worked out by hand.

The rubric (2024, 61 points), for 县科协 and 县教体局:

  L  科普讲座不少于 4 次（按比例）, 10 分      县科协 3 lectures → 3/4 × 10 = 7.5;  县教体局 0 → 0
  D  参加全国科普日，不参加不得分, 10 分        县科协 1 → 10;                        县教体局 0 → 0
  E  每开展 1 次活动并留存签到表得 2 分，最高 6 分  县科协 1 with a 签到表 → 2;         县教体局 0 → 0
  R  按时报送采集表（按比例）, 10 分            县科协 2024Q1 on time, Q2 late, Q3/Q4 none → 1/4 × 10 = 2.5
  T  牵头任务全部落实（按比例）, 15 分          县科协 leads A1.2, no activity → 0/1 → 0;
                                              县教体局 leads A1.1, served by the lectures → 1/1 → 15
  M  特色亮点 (manual), 10 分                  县科协 自评 8, 审核 6 (with a note) → 6

  县科协 7.5 + 10 + 2 + 2.5 + 0 + 6 = 28;  县教体局 0 + 0 + 0 + 0 + 15 + 0 = 15.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import ValidationError
from desktop.models import ActivityType, Task
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.assessment_rules import recognise
from desktop.services.rubrics import checked_rubric, points, sample_rubric
from tests.cli_run import run
from tests.test_reporting import import_as_of

RUBRIC = {
    "name": "测试县科普工作考核细则",
    "audience": "list",
    "audience_value": ["县科协", "县教体局"],
    "first_year": 2024,
    "last_year": 2024,
    "items": [
        {
            "code": "L",
            "group": "日常科普",
            "content": "科普讲座",
            "standard": "年内举办科普讲座不少于 4 次，完不成的按比例扣分",
            "max": 10,
        },
        {
            "code": "D",
            "group": "重点活动",
            "content": "全国科普日",
            "standard": "参加“全国科普日”活动，不参加不得分",
            "max": "10分",
        },
        {
            "code": "E",
            "group": "台账",
            "content": "签到表",
            "standard": "每开展 1 次活动并留存签到表得 2 分，最高 6 分",
            "max": "６",
        },
        {
            "code": "R",
            "group": "组织",
            "content": "数据报送",
            "standard": "按时报送采集表，逾期的按比例扣分",
            "max": 10,
        },
        {
            "code": "T",
            "group": "组织",
            "content": "牵头任务",
            "standard": "牵头任务全部落实，按比例计分",
            "max": 15,
        },
        {
            "code": "M",
            "group": "创新",
            "content": "特色亮点",
            "standard": "工作有创新、有特色",
            "max": 10,
        },
    ],
}


def _activity(svc: Services, unit: str, type_code: str, day: date) -> int:
    with svc.db.reading() as s:
        type_id = s.scalar(select(ActivityType.id).where(ActivityType.code == type_code))
        task_id = s.scalar(select(Task.id).where(Task.code == "A1.1"))
    unit_id = next(u.id for u in svc.reference.units() if u.name == unit)
    return svc.activities.add(
        ActivityInput(
            start_date=day,
            title=f"{type_code}活动",
            type_id=type_id,
            unit_id=unit_id,
            participants=50,
            task_ids=[task_id],
        )
    )


@pytest.fixture
def scored(county: Services, tmp_path: Path) -> Services:
    svc = county
    svc.rubrics.import_rubric(RUBRIC)
    first = None
    for month in (3, 5, 9):
        aid = _activity(svc, "县科协", "lecture", date(2024, month, 10))
        first = first or aid
    _activity(svc, "县科协", "sci_day", date(2024, 9, 20))
    sheet = tmp_path / "科普讲座签到表.jpg"
    from PIL import Image

    Image.new("RGB", (40, 30), "white").save(sheet)
    svc.evidence.add(first, sheet)
    import_as_of(svc, tmp_path, "县科协", datetime(2024, 4, 5), "2024Q1", values={"L1": 100})
    import_as_of(svc, tmp_path, "县科协", datetime(2024, 8, 1), "2024Q2", values={"L1": 120})
    return svc


def _scores(svc: Services) -> dict[str, dict[str, float | None]]:
    return {r.unit: {i.code: i.final for i in r.items} for r in svc.assessment.results(2024)}


def test_the_rules_score_what_the_ledger_knows(scored: Services):
    svc = scored
    svc.assessment.set_score(2024, "县科协", "M", self_score=8)
    with pytest.raises(ValidationError, match="说明"):
        svc.assessment.set_score(2024, "县科协", "M", review=6)
    svc.assessment.set_score(2024, "县科协", "M", review=6, note="特色材料不足")
    got = _scores(svc)
    assert got["县科协"] == {"L": 7.5, "D": 10, "E": 2, "R": 2.5, "T": 0, "M": 6}
    assert got["县教体局"] == {"L": 0, "D": 0, "E": 0, "R": 0, "T": 15, "M": None}
    results = {r.unit: r for r in svc.assessment.results(2024)}
    assert results["县科协"].total == 28 and results["县科协"].rank == 1
    assert results["县教体局"].total == 15 and results["县教体局"].rank == 2
    # 61 points: 合格 at 60 % of the scale (36.6), so both are 不合格.
    assert results["县科协"].grade == "不合格"
    reasons = {i.code: i.reason for i in results["县科协"].items}
    assert reasons["L"] == "3/4 次，按比例 7.5/10 分"
    assert reasons["R"] == "1/4 期按时报送，按比例 2.5/10 分"
    assert "不得分" in {i.code: i.reason for i in results["县教体局"].items}["D"]


def test_scores_are_checked_and_a_locked_year_freezes_them(scored: Services):
    svc = scored
    with pytest.raises(ValidationError, match="不在 0—10 分之内"):
        svc.assessment.set_score(2024, "县科协", "M", self_score=11)
    with pytest.raises(ValidationError, match="不在 0—10 分之内"):
        svc.assessment.set_score(2024, "县科协", "M", self_score=-1)
    svc.locks.lock("2024")
    with pytest.raises(Exception, match="锁定"):
        svc.assessment.set_score(2024, "县科协", "M", self_score=5)
    assert _scores(svc)["县科协"]["M"] is None


def test_standards_are_read_for_rules_and_points_in_any_form():
    assert points("4分") == points("４") == points(4) == 4.0
    assert recognise("", "每年上报科普信息 4 篇以上（完不成的按比例扣分）") == {
        "scoring": "proportional",
        "threshold": 4.0,
        "kind": "media",
    }
    assert recognise("", "年内召开专题会议 1 次以上（以会议记录为准）")["evidence"] == "会议记录"
    assert recognise("", "积极参与“科技活动周”活动（以图片、总结上报为准）")["types"] == [
        "sci_week"
    ]
    assert recognise("", "工作有创新、有特色") is None
    with pytest.raises(ValidationError, match="分值"):
        checked_rubric({"name": "x", "items": [{"code": "1", "content": "a", "max": "很多"}]})
    sample = checked_rubric(sample_rubric())
    assert sum(i["max"] for i in sample["items"]) == 100 and len(sample["items"]) == 10


def test_cli_rubric_and_scores(scored: Services, data_dir: Path, tmp_path: Path, capsys):
    db = str(data_dir / "county.sqlite3")
    scored.close()
    code, out, _ = run(
        capsys, "--db", db, "assessment", "rubric", "show", "--year", "2024", "--json"
    )
    items = json.loads(out)
    assert [i["code"] for i in items] == ["L", "D", "E", "R", "T", "M"]
    assert items[5]["rule"] is None and items[0]["rule"]["kind"] == "activities"
    code, out, err = run(
        capsys,
        "--db",
        db,
        "assessment",
        "set",
        "--year",
        "2024",
        "--unit",
        "县科协",
        "--item",
        "M",
        "--self",
        "8",
    )
    assert code == 0, err
    code, out, _ = run(
        capsys, "--db", db, "assessment", "scores", "--year", "2024", "--unit", "县科协", "--json"
    )
    rows = {r["code"]: r for r in json.loads(out)}
    assert rows["M"] == {
        "unit": "县科协",
        "code": "M",
        "max": 10.0,
        "auto": None,
        "self": 8.0,
        "review": None,
        "final": 8.0,
        "reason": "人工评分",
    }
    assert rows["L"]["auto"] == 7.5 and rows["L"]["final"] == 7.5
    out_file = tmp_path / "rubric.yaml"
    assert run(capsys, "--db", db, "assessment", "rubric", "export", "--out", str(out_file))[0] == 0
    import yaml

    again = yaml.safe_load(out_file.read_text("utf-8"))
    assert [i["code"] for i in again["items"]] == ["L", "D", "E", "R", "T", "M"]
    code, _, err = run(
        capsys, "--db", db, "assessment", "scores", "--year", "2024", "--unit", "县气象局"
    )
    assert code != 0 and "不在" in err


def _published(path: Path, headers: list[str], rows: list[list], merge: str | None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2024年度全民科学素质工作考核评分细则"])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("headers", "order"),
    [
        (
            [
                "考核项目",
                "序号",
                "考核内容",
                "考核标准",
                "分值",
                "自评分",
                "审核分",
                "考核依据",
                "备注",
            ],
            ("group", "code", "content", "standard", "max", None, None, "basis", "note"),
        ),
        (
            ["序号", "考核类别", "内容", "评分标准", "标准分", "考核方法"],
            ("code", "group", "content", "standard", "max", "basis"),
        ),
    ],
)
def test_a_published_rubric_workbook_is_read_item_by_item(tmp_path: Path, headers, order):
    from desktop.importing.rubric_workbook import read_rubric_workbook

    items = [
        {
            "group": "组织领导",
            "code": "1",
            "content": "专题研究",
            "standard": "召开专题会议 1 次以上",
            "max": "4分",
            "basis": "会议记录",
            "note": "",
        },
        {
            "group": "组织领导",
            "code": "2",
            "content": "数据报送",
            "standard": "按时报送",
            "max": "４",
            "basis": "报送记录",
            "note": "逾期扣分",
        },
        {
            "group": "重点活动",
            "code": "3",
            "content": "全国科普日",
            "standard": "参加全国科普日，不参加不得分",
            "max": 6,
            "basis": "照片",
            "note": "",
        },
    ]
    rows = [[item.get(k, "") if k else "" for k in order] for item in items]
    total = ["" for _ in order]
    total[order.index("content")] = "合计"
    total[order.index("max")] = 14
    rows.append(total)
    group_col = "ABCDEFGHI"[order.index("group")]
    path = _published(tmp_path / "细则.xlsx", headers, rows, f"{group_col}3:{group_col}4")
    # Merged, the group is kept once, in its first cell, as a published rubric has it.
    got = read_rubric_workbook(path)
    assert got["name"] == "2024年度全民科学素质工作考核评分细则"
    assert [(i["code"], i["group"], i["max"]) for i in got["items"]] == [
        ("1", "组织领导", 4.0),
        ("2", "组织领导", 4.0),
        ("3", "重点活动", 6.0),
    ]
    assert got["items"][2]["standard"] == "参加全国科普日，不参加不得分"
    checked = checked_rubric(got)
    assert checked["items"][2]["rule"]["scoring"] == "all_or_nothing"
    assert checked["items"][1]["rule"]["kind"] == "reporting"


def test_a_rubric_workbook_with_bad_points_names_row_and_column(tmp_path: Path):
    from desktop.importing.rubric_workbook import read_rubric_workbook

    path = _published(
        tmp_path / "坏.xlsx",
        ["序号", "考核内容", "考核标准", "分值"],
        [["1", "讲座", "不少于4次", "很多"]],
        None,
    )
    with pytest.raises(ValidationError, match="第 3 行 D 列（分值）"):
        read_rubric_workbook(path)


def test_an_indicator_rule_scores_its_completion(county: Services):
    """C1 (10,000 人次 over the plan) at 2,500 by the end of 2024: 25 % → 25 % of 8 = 2 分."""
    svc = county
    c1 = next(i.id for i in svc.plans.indicators() if i.code == "C1")
    svc.entries.set(c1, "2024", 2500)
    svc.rubrics.import_rubric(
        {
            "name": "指标细则",
            "audience": "list",
            "audience_value": ["县农业农村局"],
            "items": [
                {
                    "code": "I",
                    "content": "农民培训",
                    "standard": "完成农民培训指标",
                    "max": 8,
                    "rule": {"kind": "indicator", "indicator": "C1"},
                },
            ],
        }
    )
    (result,) = svc.assessment.results(2024)
    (item,) = result.items
    assert item.auto == 2 and item.reason == "指标 C1 完成 25.0%，按比例 2.0/8 分"
    with pytest.raises(ValidationError, match="indicator"):
        checked_rubric(
            {
                "name": "x",
                "items": [{"code": "1", "content": "a", "max": 1, "rule": {"kind": "indicator"}}],
            }
        )


def test_a_rubric_goes_out_as_a_workbook_and_comes_back_the_same(
    county: Services, tmp_path, capsys, data_dir
):
    from desktop.importing.rubric_workbook import read_rubric_workbook

    county.rubrics.import_rubric(sample_rubric())
    db = str(data_dir / "county.sqlite3")
    county.close()
    out = tmp_path / "细则.xlsx"
    code, _, err = run(capsys, "--db", db, "assessment", "rubric", "export", "--out", str(out))
    assert code == 0, err
    back = checked_rubric(read_rubric_workbook(out))
    sent = checked_rubric(sample_rubric())
    keys = ("code", "group", "content", "standard", "max", "basis", "rule")
    assert [{k: i[k] for k in keys} for i in back["items"]] == [
        {k: i[k] for k in keys} for i in sent["items"]
    ]
    assert back["name"] == sent["name"]


def test_the_office_itself_is_assessed_on_its_whole_ledger(county: Services, tmp_path: Path):
    """The city's rubric for the county: 科普讲座不少于 4 次 counts every unit's lectures (3 of
    县科协, 1 of 县教体局: 4/4 → 10), and 按时报送 its own final returns (2024's, sent late → 0/1)."""
    from desktop.exporting.return_workbook import export_return
    from desktop.services.periods import parse_period

    svc = county
    for unit in ("县科协", "县科协", "县科协", "县教体局"):
        _activity(svc, unit, "lecture", date(2024, 4, 2))
    export_return(svc, parse_period("2024"), tmp_path / "r.xlsx", final=True)
    svc.rubrics.import_rubric(
        {
            "name": "市对县考核细则",
            "audience": "office",
            "items": [
                {
                    "code": "1",
                    "content": "科普讲座",
                    "standard": "举办科普讲座不少于 4 次",
                    "max": 10,
                },
                {"code": "2", "content": "报表报送", "standard": "按时报送统计报表", "max": 5},
            ],
        }
    )
    (result,) = svc.assessment.results(2024)
    assert result.unit == "测试县全民科学素质工作领导小组办公室"
    scores = {i.code: (i.auto, i.reason) for i in result.items}
    assert scores["1"] == (10, "4/4 次，按比例 10.0/10 分")
    assert scores["2"] == (0, "0/1 期正式报表按时报送，按比例 0.0/5 分")
    # The office is no member unit: 报送情况 does not list it.
    assert all(u.unit != result.unit for u in svc.reporting.status("2024Q1").units)


def test_the_editor_checks_an_item_as_an_import_would(scored: Services):
    svc = scored
    rubric_id = svc.assessment.items(2024)[0]["rubric_id"]
    with pytest.raises(ValidationError, match="已有考核项目"):
        svc.rubric_editor.save_item(rubric_id, "L", {"content": "x", "max": 1}, new=True)
    with pytest.raises(ValidationError, match="分值"):
        svc.rubric_editor.save_item(rubric_id, "Z", {"content": "x", "max": 0}, new=True)
    svc.rubric_editor.save_item(
        rubric_id,
        "L",
        {"content": "科普讲座", "standard": "举办科普讲座不少于 6 次", "max": 12},
        new=False,
    )
    kexie = next(r for r in svc.assessment.results(2024) if r.unit == "县科协")
    lecture = next(i for i in kexie.items if i.code == "L")
    assert (lecture.max, lecture.auto) == (12, 6)  # 3/6 of 12
