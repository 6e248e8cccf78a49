"""The final evaluation (终期评估报告) of SMALL_PLAN's 2021–2025, read back with pypdf.

Figures worked out by hand (every value at Dec 31 of its year):

- C1 农民培训人次 (count over the period, target 10,000): 2,000 a year in
  2021 and 2022, 3,000 in 2023, 2,000 in 2024, 2,500 in 2025 → cumulative
  2,000 / 4,000 / 7,000 / 9,000 / 11,500 → 115.0 % → 完成.
- C2 每年农村妇女培训人次 (annual 1,000): 1,200 in 2024, 800 in 2025 → the
  final year 800 → 80.0 % → 未完成.
- L1 注册科技志愿者人数 (level, end 500): 200 in 2022, 450 in 2025 → 2021 —,
  2022–2024 200, 2025 450 → 90.0 % → 未完成.
- P1 科普信息员覆盖率 (percent, end 90, baseline 70 in 2020): 80 in 2023, 92 in
  2025 → 102.2 % → 完成.
- D1 青少年科普讲座参加人次 (derived from lectures for 青少年, period 2,500):
  600 (2021) + 1,000 (2023) + 1,000 (2025) → 2,600 → 完成.
- Y1 科普示范村数 (per year, 2025 target 500): 450 in 2025 → 未完成.
- E1 安全事故次数 (annual ≤ 10): 3 in 2025 → 完成.

Ledger: 2021 one lecture, 2022 none, 2023 a lecture and a training, 2024
none, 2025 one lecture → 1 / 0 / 2 / 0 / 1 activities. 县人社局 shares task
P1.1, so it is expected to report, and never did nor organised anything.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.exporting.evaluation_pdf import export_evaluation
from desktop.exporting.return_workbook import ExportCancelled
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.evaluation import EvaluationService
from desktop.services.submissions import file_sha256
from tests.cli_run import run
from tests.test_reporting import import_as_of

TODAY = date(2026, 1, 20)


def flat_text(path: Path) -> str:
    return "".join("".join(page.extract_text() for page in PdfReader(path).pages).split())


def fill(services: Services) -> None:
    units = {u.name: u.id for u in services.reference.units()}
    types = {t.code: t.id for t in services.reference.activity_types()}
    groups = {g.name: g.id for g in services.reference.groups()}
    tasks = {t.code: t.id for t in services.plans.tasks()}
    place = services.reference.add_place("城关街道")

    def activity(day: date, title: str, kind: str, unit: str, people: int, task: str, group: str):
        services.activities.add(
            ActivityInput(
                start_date=day,
                title=title,
                type_id=types[kind],
                unit_id=units[unit],
                place_id=place.id,
                participants=people,
                sessions=1,
                volunteers=4,
                volunteer_hours=8,
                funding_yuan=5000,
                task_ids=[tasks[task]],
                group_ids=[groups[group]],
            )
        )

    activity(date(2021, 5, 1), "2021年科普讲座", "lecture", "县教体局", 600, "A1.1", "青少年")
    activity(date(2023, 5, 1), "2023年科普讲座", "lecture", "县教体局", 1000, "A1.1", "青少年")
    activity(date(2023, 9, 1), "2023年农民培训", "training", "县农业农村局", 150, "P1.1", "农民")
    activity(date(2025, 5, 1), "2025年科普讲座", "lecture", "县科协", 1000, "A1.1", "青少年")
    inds = {i.code: i.id for i in services.plans.indicators()}
    for code, period, value in (
        ("C1", "2021", 2000),
        ("C1", "2022", 2000),
        ("C1", "2023", 3000),
        ("C1", "2024", 2000),
        ("C1", "2025", 2500),
        ("C2", "2024", 1200),
        ("C2", "2025", 800),
        ("L1", "2022", 200),
        ("L1", "2025", 450),
        ("P1", "2023", 80),
        ("P1", "2025", 92),
        ("Y1", "2025", 450),
        ("E1", "2025", 3),
    ):
        services.entries.set(inds[code], period, value)


@pytest.fixture
def filled(plan_services: Services) -> Services:
    plan_services.settings.update({"office_name": "测试县科学素质办"})
    fill(plan_services)
    return plan_services


@pytest.fixture
def evaluation(filled: Services, tmp_path: Path) -> Path:
    return export_evaluation(filled, tmp_path / "evaluation.pdf", today=TODAY)


def table_row(text: str, name: str) -> str:
    """The indicator's row of 表 1: from its name to the next row's number."""
    table = text[text.index("表1指标") : text.index("（二）逐年情况")]
    start = table.index(name)
    return table[start : start + 60]


def test_title_parts_and_office(evaluation: Path) -> None:
    text = flat_text(evaluation)
    assert "测试县全民科学素质行动实施方案（2021—2025年）终期评估报告" in text
    headings = [
        "一、总体情况",
        "二、指标完成情况",
        "三、科普活动逐年情况",
        "四、提升行动和重点工程",
        "五、未报送单位",
        "六、未完成指标",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "测试县科学素质办" in text


def test_baselines_final_values_and_verdicts(evaluation: Path) -> None:
    text = flat_text(evaluation)
    assert "方案确定的7项量化指标中，完成4项、未完成3项。" in text
    assert table_row(text, "农民培训人次").startswith("农民培训人次人次——10,00011,500115.0%完成")
    assert table_row(text, "每年农村妇女培训人次").startswith(
        "每年农村妇女培训人次人次——1,00080080.0%未完成"
    )
    assert table_row(text, "注册科技志愿者人数").startswith(
        "注册科技志愿者人数人——50045090.0%未完成"
    )
    assert table_row(text, "科普信息员覆盖率").startswith(
        "科普信息员覆盖率%70.0202090.092.0102.2%完成"
    )
    assert table_row(text, "青少年科普讲座参加人次").startswith(
        "青少年科普讲座参加人次人次——2,5002,600104.0%完成"
    )
    assert table_row(text, "科普示范村数").startswith("科普示范村数个——50045090.0%未完成")
    assert table_row(text, "安全事故次数").startswith("安全事故次数次——103100.0%完成")


def test_each_years_value_by_the_aggregation_rules(evaluation: Path) -> None:
    text = flat_text(evaluation)
    yearly = text[text.index("表2指标") : text.index("三、科普活动逐年情况")]
    # Cumulative over the period, the year alone, the latest level.
    assert "农民培训人次2,0004,0007,0009,00011,500" in yearly
    assert "每年农村妇女培训人次——" in yearly and "1,200800" in yearly
    assert "注册科技志愿者人数—200200200450" in yearly
    assert "科普信息员覆盖率——80.080.092.0" in yearly


def test_activities_by_year_and_tasks_over_the_period(evaluation: Path) -> None:
    text = flat_text(evaluation)
    assert "共开展科普活动4次（4场/期），参加2,750人次" in text
    assert "投入经费2.00万元" in text
    table = text[text.index("表3各年") : text.index("图1各年")]
    for row in (
        "2021年116004",
        "2022年0000",
        "2023年221,1508",
        "2024年0000",
        "2025年111,0004",
        "合计442,75016",
    ):
        assert row in table, row
    sections = text[text.index("四、提升行动和重点工程") : text.index("五、未报送单位")]
    assert "青少年科学素质提升行动" in sections and "基层科普能力提升工程" in sections
    assert "开展青少年科普讲座县教体局32,600" in sections
    assert "建设科技志愿者队伍县科协00" in sections
    assert "农民实用技术培训县农业农村局1150" in sections
    assert "期内记录相关活动3次" in sections


def test_the_unit_that_never_reported_is_named(evaluation: Path) -> None:
    text = flat_text(evaluation)
    silent = text[text.index("五、未报送单位") : text.index("六、未完成指标")]
    assert "以下1个成员单位" in silent and "县人社局" in silent
    for active in ("县科协", "县教体局", "县农业农村局"):
        assert active not in silent


def test_a_workbook_sent_in_any_year_counts_as_reporting(filled: Services, tmp_path: Path) -> None:
    svc = EvaluationService(filled.db)
    assert svc.evaluate(today=TODAY).silent_units == ("县人社局",)
    batch = import_as_of(
        filled, tmp_path, "县人社局", datetime(2022, 7, 5, 9, 0), "2022Q2", values={"C1": 300}
    )
    assert svc.evaluate(today=TODAY).silent_units == ()
    filled.imports.undo(batch)  # an undone workbook was never received
    assert svc.evaluate(today=TODAY).silent_units == ("县人社局",)


def test_fonts_embedded_page_numbers_and_submission(filled: Services, evaluation: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(evaluation)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        assert line.split()[-5] == "yes", line
    pages = [re.sub(r"\s", "", p.extract_text()) for p in PdfReader(evaluation).pages]
    assert "—1—" not in pages[0]
    assert "—1—" in pages[1] and "—2—" in pages[2]
    [sub] = filled.submissions.list()
    assert (sub.period, sub.kind, sub.kind_label, sub.period_label) == (
        "2021-2025",
        "evaluation",
        "终期评估报告",
        "2021—2025年",
    )
    assert sub.sha256 == file_sha256(evaluation)


def test_the_old_plans_evaluation_is_unchanged_after_the_rollover(
    filled: Services, evaluation: Path, tmp_path: Path
) -> None:
    before = flat_text(evaluation)
    new_code = filled.plan_periods.rollover(2026, 2030)
    assert filled.plans.active().code == new_code
    # The default is the plan that has ended, not the new active one.
    after = export_evaluation(filled, tmp_path / "after.pdf", today=TODAY)
    named = export_evaluation(
        filled, tmp_path / "named.pdf", plan_code="test-county-2021-2025", today=TODAY
    )
    assert flat_text(after) == before
    assert flat_text(named) == before
    # The new plan's own evaluation, asked for by code, shows its targets as still to be set.
    new = EvaluationService(filled.db).evaluate(new_code, TODAY)
    assert (new.first_year, new.last_year) == (2026, 2030)
    assert {i.outcome_label for i in new.indicators} == {"未定目标"}
    # Still running: the years to come have no value, and the report says it is interim.
    assert not new.ended
    assert all(ind.yearly[1:] == (None,) * 4 for ind in new.indicators)
    interim = export_evaluation(filled, tmp_path / "new.pdf", plan_code=new_code, today=TODAY)
    assert "本报告为截至2026年1月20日的阶段性评估" in flat_text(interim)
    assert "阶段性评估" not in before


def test_default_plan_before_the_period_ends_is_the_active_one(filled: Services) -> None:
    svc = EvaluationService(filled.db)
    assert svc.plan_code(today=date(2024, 6, 1)) == "test-county-2021-2025"


def test_cancel_leaves_no_file_and_no_record(filled: Services, tmp_path: Path) -> None:
    out = tmp_path / "cancelled.pdf"
    with pytest.raises(ExportCancelled):
        export_evaluation(filled, out, progress=lambda done, total: done < 2, today=TODAY)
    assert not out.exists()
    assert filled.submissions.list() == []


def test_cli_export_evaluation(
    filled: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(filled.db.path)
    out = tmp_path / "终期评估.pdf"
    code, stdout, _ = run(
        capsys,
        "--db",
        db,
        "export",
        "evaluation",
        "--plan",
        "test-county-2021-2025",
        "--out",
        str(out),
    )
    assert code == 0, stdout
    assert "已导出" in stdout and "2021—2025年终期评估报告" in stdout
    assert "农民培训人次" in flat_text(out)
    code, _, err = run(capsys, "--db", db, "export", "evaluation", "--out", str(tmp_path / "x.txt"))
    assert code != 0 and "应以 .pdf 结尾" in err
    code, _, err = run(
        capsys, "--db", db, "export", "evaluation", "--plan", "nope", "--out", str(out)
    )
    assert code != 0 and "没有编号为“nope”的实施方案" in err
