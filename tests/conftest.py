"""Shared fixtures: real SQLite files in a temp folder, a small hand-made plan."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from desktop.ui.app import chinese_system_locale  # noqa: E402

chinese_system_locale()  # before pytest-qt makes the application, as the program does

from desktop.exporting.collection_template import write_template  # noqa: E402
from desktop.plan.document import PlanDocument  # noqa: E402
from desktop.services import Services  # noqa: E402
from tests.cli_run import run  # noqa: E402
from tests.modal_guard import ModalGuard  # noqa: E402
from tests.postgres_server import create_database, postgres_cluster  # noqa: E402

SMALL_PLAN = {
    "id": "test-county-2021-2025",
    "plan": {
        "region": "测试县",
        "level": "county",
        "name": "测试县全民科学素质行动实施方案（2021—2025年）",
        "first_year": 2021,
        "last_year": 2025,
        "doc_number": "测政发〔2021〕1号",
        "issue_date": "2021-06-01",
        "literacy_baseline": 8.0,
        "literacy_baseline_year": 2020,
        "literacy_target": 13.0,
    },
    "units": [{"name": "县科协", "aliases": ["县科学技术协会"]}],
    "sections": [
        {
            "code": "A1",
            "kind": "action",
            "title": "青少年科学素质提升行动",
            "target_group": "青少年",
            "units": [],
            "tasks": [
                {
                    "code": "A1.1",
                    "number": "1",
                    "title": "开展青少年科普讲座",
                    "text": "每年开展青少年科普讲座。",
                    "units": [
                        {"name": "县教体局", "role": "lead"},
                        {"name": "县科协", "role": "cooperating"},
                    ],
                },
                {
                    "code": "A1.2",
                    "number": "2",
                    "title": "建设科技志愿者队伍",
                    "text": "科技志愿者达到500人。",
                    "units": [{"name": "县科协", "role": "lead"}],
                },
            ],
        },
        {
            "code": "P1",
            "kind": "project",
            "title": "基层科普能力提升工程",
            "target_group": None,
            "units": [{"name": "县科协", "role": "lead"}],
            "tasks": [
                {
                    "code": "P1.1",
                    "number": "1",
                    "title": "农民实用技术培训",
                    "text": "十四五期间培训农民1万人次。",
                    "units": [
                        {"name": "县农业农村局", "role": "lead"},
                        {"name": "县人社局", "role": "cooperating"},
                    ],
                }
            ],
        },
    ],
    "indicators": [
        {
            "code": "C1",
            "name": "农民培训人次",
            "unit": "人次",
            "measure": "count",
            "task": "P1.1",
            "target_mode": "period",
            "target": 10000,
        },
        {
            "code": "C2",
            "name": "每年农村妇女培训人次",
            "unit": "人次",
            "measure": "count",
            "task": "P1.1",
            "target_mode": "annual",
            "target": 1000,
        },
        {
            "code": "L1",
            "name": "注册科技志愿者人数",
            "unit": "人",
            "measure": "level",
            "task": "A1.2",
            "target_mode": "end",
            "target": 500,
        },
        {
            "code": "P1",
            "name": "科普信息员覆盖率",
            "unit": "%",
            "measure": "percent",
            "task": None,
            "target_mode": "end",
            "target": 90,
            "baseline": 70,
            "baseline_year": 2020,
        },
        {
            "code": "D1",
            "name": "青少年科普讲座参加人次",
            "unit": "人次",
            "measure": "count",
            "task": "A1.1",
            "target_mode": "period",
            "target": 2500,
            "source": "derived",
            "rule": {
                "metric": "participants",
                "activity_types": ["lecture"],
                "target_groups": ["青少年"],
                "tasks": [],
                "units": [],
            },
        },
        {
            "code": "Y1",
            "name": "科普示范村数",
            "unit": "个",
            "measure": "count",
            "task": "P1.1",
            "target_mode": "per_year",
            "target": None,
            "targets_by_year": {2021: 100, 2022: 200, 2023: 300, 2024: 400, 2025: 500},
        },
        {
            "code": "E1",
            "name": "安全事故次数",
            "unit": "次",
            "measure": "count",
            "task": None,
            "target_mode": "annual",
            "target": 10,
            "comparator": "<=",
        },
    ],
}

# 科普示范社区覆盖率 (R3) computed from 示范社区数 (R1) over 社区总数 (R2).
RATIO_INDICATORS: list[dict] = [
    {
        "code": "R1",
        "name": "示范社区数",
        "unit": "个",
        "measure": "level",
        "task": "P1.1",
        "target_mode": "end",
        "target": 24,
    },
    {
        "code": "R2",
        "name": "社区总数",
        "unit": "个",
        "measure": "level",
        "task": None,
        "target_mode": "end",
        "target": 40,
    },
    {
        "code": "R3",
        "name": "科普示范社区覆盖率",
        "unit": "%",
        "measure": "percent",
        "task": "P1.1",
        "target_mode": "end",
        "target": 60,
        "numerator": "R1",
        "denominator": "R2",
    },
]


@pytest.fixture(autouse=True)
def modals(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModalGuard]:
    """Every blocking dialog fails the test at once unless the test answers it."""
    guard = ModalGuard()
    guard.install(monkeypatch)
    yield guard
    if guard.unanswered:
        pytest.fail("测试未应答的对话框：" + "；".join(guard.unanswered), pytrace=False)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KEPU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KEPU_USER", "测试员")
    return tmp_path


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    svc = Services.open(data_dir / "county.sqlite3")
    yield svc
    svc.close()


@pytest.fixture
def plan_services(services: Services) -> Services:
    services.plans.create(PlanDocument.from_dict(SMALL_PLAN))
    return services


# The member unit and period of the collection-workbook tests.
COLLECTION_UNIT = "县人社局"
COLLECTION_PERIOD = "2024Q2"


@pytest.fixture
def county(plan_services: Services) -> Services:
    """The small plan with a township, as the collection-workbook tests need it."""
    plan_services.reference.add_place("城关镇")
    return plan_services


@pytest.fixture
def template(county: Services, tmp_path: Path) -> Path:
    """县人社局's empty collection workbook for 2024Q2."""
    unit = next(u.id for u in county.reference.units() if u.name == COLLECTION_UNIT)
    return write_template(
        county.imports.template_spec(unit, COLLECTION_PERIOD), tmp_path / "template.xlsx"
    )


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """URL template of a PostgreSQL cluster started for this test run."""
    with postgres_cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_plan_services(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[Services]:
    """The small plan on each supported database: the rules must not depend on the engine."""
    if request.param == "sqlite":
        svc = Services.open(data_dir / "county.sqlite3")
    else:
        svc = Services.open(create_database(request.getfixturevalue("postgres")))
    svc.plans.create(PlanDocument.from_dict(SMALL_PLAN))
    yield svc
    svc.close()


@pytest.fixture
def zhongwei_db(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database file made by `kepu init` from the 中卫 template, for command-line tests."""
    db = data_dir / "county.sqlite3"
    assert run(capsys, "--db", str(db), "init", "--plan", "zhongwei-2021-2025")[0] == 0
    return db
