"""A small hand-made year on SMALL_PLAN, with the figures every output must show.

Figures for 2024 worked out by hand (plan 2021–2025, so the end of 2024 is
k/N = 4/5 = 80 % of the plan period):

- C1 农民培训人次 (count, whole period, target 10,000): entries 2023 3,000,
  2024Q1 1,000, 2024Q3 1,500 → this period 2,500, cumulative 5,500,
  completion 55 % (< 80 % expected, ≥ 40 %) → 滞后.
- C2 每年农村妇女培训人次 (count, annual 1,000): 2024 1,200 → 120 % → 已完成.
- L1 注册科技志愿者人数 (level, end 500): 2023 200, 2024 350 → 350, 70 % → 滞后.
- P1 科普信息员覆盖率 (percent, end 90, baseline 70 in 2020): 2024 85 →
  94.4 %; expected (70 + 20 × 0.8) / 90 = 95.6 % → 滞后.
- D1 青少年科普讲座参加人次 (derived: lectures for 青少年, period target
  2,500): 300 + 200 in 2024 and 1,000 in 2023 → period 500, cumulative
  1,500, 60 % → 滞后.
- Y1 科普示范村数 (per-year count, 2024 target 400): 2024 450 → 112.5 % → 已完成.
- E1 安全事故次数 (annual ≤ 10): nothing recorded → 无数据.

Ledger 2024: lectures 2 (3 sessions, 500 人次, 8 volunteers, 16 h) and one
training (3 sessions, 150 人次); 650 人次 in all. One team grows from 40
(2023-12-31) to 55 (2024-12-31).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PIL import Image

from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.volunteers import TeamInput

FORMULA_TITLE = "=SUM(A1)"


def ids(rows: list) -> dict[str, int]:
    return {r.name: r.id for r in rows}


def build(services: Services, photo_dir: Path | None = None) -> dict[str, int]:
    """Fill a SMALL_PLAN database with the year above; returns activity ids by key."""
    units = ids(services.reference.units())
    types = {t.code: t.id for t in services.reference.activity_types()}
    groups = ids(services.reference.groups())
    tasks = {t.code: t.id for t in services.plans.tasks()}
    place = services.reference.add_place("城关街道")

    def activity(day: date, title: str, type_code: str, unit: str, **fields) -> int:
        return services.activities.add(
            ActivityInput(
                start_date=day,
                title=title,
                type_id=types[type_code],
                unit_id=units[unit],
                place_id=place.id,
                **fields,
            )
        )

    made = {
        "a1": activity(
            date(2024, 3, 10),
            "青少年科普讲座进校园",
            "lecture",
            "县教体局",
            participants=300,
            female=140,
            sessions=2,
            volunteers=5,
            volunteer_hours=10,
            funding_yuan=1200,
            task_ids=[tasks["A1.1"]],
            group_ids=[groups["青少年"]],
            cooperator_ids=[units["县科协"]],
            summary="县实验小学报告厅，邀请市科技馆讲师。",
        ),
        "a2": activity(
            date(2024, 5, 20),
            FORMULA_TITLE,
            "lecture",
            "县科协",
            participants=200,
            sessions=1,
            volunteers=3,
            volunteer_hours=6,
            task_ids=[tasks["A1.1"]],
            group_ids=[groups["青少年"]],
            summary="+86 热线宣传",
        ),
        "a3": activity(
            date(2024, 8, 1),
            "农民实用技术培训班",
            "training",
            "县农业农村局",
            participants=150,
            sessions=3,
            task_ids=[tasks["P1.1"]],
            group_ids=[groups["农民"]],
        ),
        "old": activity(
            date(2023, 6, 1),
            "2023年青少年科普讲座",
            "lecture",
            "县教体局",
            participants=1000,
            task_ids=[tasks["A1.1"]],
            group_ids=[groups["青少年"]],
        ),
    }
    inds = {i.code: i.id for i in services.plans.indicators()}
    for code, period, value in (
        ("C1", "2023", 3000),
        ("C1", "2024Q1", 1000),
        ("C1", "2024Q3", 1500),
        ("C2", "2024", 1200),
        ("L1", "2023", 200),
        ("L1", "2024", 350),
        ("P1", "2024", 85),
        ("Y1", "2024", 450),
    ):
        services.entries.set(inds[code], period, value)
    team = services.volunteers.add(
        TeamInput("城关科技志愿服务队", units["县科协"], place.id, date(2022, 3, 1)),
        40,
        date(2023, 12, 31),
    )
    services.volunteers.set_headcount(team, date(2024, 12, 31), 55)
    if photo_dir is not None:
        photo = photo_dir / "讲座现场.jpg"
        Image.new("RGB", (640, 400), (30, 120, 200)).save(photo)
        services.evidence.add(made["a1"], photo)
    return made
