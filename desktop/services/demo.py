"""A believable demo county: the 安丘市 plan, its units and townships, and five years of records.

Deterministic (seeded), so screenshots and benchmarks are repeatable. The
activities go through the same bulk path as a collection import
(desktop/services/bulk.py), a chunk at a time, so a million of them build in
about a minute and a half; their monthly totals are counted once at the end
of the same transaction.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.db import Database, refresh_statistics
from desktop.errors import ServiceError
from desktop.models import (
    Activity,
    ActivityType,
    Indicator,
    Place,
    Plan,
    TargetGroup,
    Task,
    TeamHeadcount,
    Unit,
    VolunteerTeam,
)
from desktop.plan.document import IndicatorDoc, PlanDocument
from desktop.services import audit, bulk, tally
from desktop.services.demo_photos import draw_photo
from desktop.services.entries import set_entry
from desktop.services.evidence import EvidenceService
from desktop.services.locks import LockService
from desktop.services.plans import PlanService
from desktop.services.reference import ensure_unit, seed_reference
from desktop.services.rubrics import sample_rubric, store_rubric
from desktop.services.settings import SettingsService
from desktop.templates import load_template

DEMO_TEMPLATE = "anqiu-2021-2025"
TOWNSHIPS = [
    "兴安街道",
    "新安街道",
    "景芝镇",
    "凌河街道",
    "官庄镇",
    "大盛镇",
    "石堆镇",
    "柘山镇",
    "辉渠镇",
    "吾山镇",
    "金冢子镇",
    "石埠子镇",
    "贾戈街道",
    "刘家尧镇",
    "白芬子镇",
    "担山镇",
]
EXTRA_UNITS = ["市科技馆", "市图书馆", "市老年大学", "市第一中学", "市实验小学", "市红十字会"]

# The county's own yearly work targets, added beside the plan's literacy target.
DEMO_INDICATORS: list[dict[str, Any]] = [
    {
        "code": "I01",
        "name": "科普讲座场次",
        "unit": "场",
        "measure": "count",
        "task": "P4.3",
        "target_mode": "annual",
        "target": 260,
        "source": "derived",
        "rule": {"metric": "sessions", "activity_types": ["lecture"]},
    },
    {
        "code": "I02",
        "name": "农民实用技术培训人次",
        "unit": "人次",
        "measure": "count",
        "task": "A2.2",
        "target_mode": "period",
        "target": 60000,
        "source": "derived",
        "rule": {
            "metric": "participants",
            "activity_types": ["training"],
            "target_groups": ["农民"],
        },
    },
    {
        "code": "I03",
        "name": "青少年科技活动参与人次",
        "unit": "人次",
        "measure": "count",
        "task": "A1.5",
        "target_mode": "annual",
        "target": 30000,
        "source": "derived",
        "rule": {"metric": "participants", "activity_types": ["youth", "study_tour"]},
    },
    {
        "code": "I04",
        "name": "注册科技志愿者人数",
        "unit": "人",
        "measure": "level",
        "task": "P4.2",
        "target_mode": "end",
        "target": 3000,
        "source": "derived",
        "rule": {"metric": "registered_volunteers"},
    },
    {
        "code": "I05",
        "name": "科技志愿服务时长",
        "unit": "小时",
        "measure": "count",
        "task": "P4.2",
        "target_mode": "annual",
        "target": 9000,
        "source": "derived",
        "rule": {"metric": "volunteer_hours"},
    },
    {
        "code": "I06",
        "name": "全国科普日活动次数",
        "unit": "次",
        "measure": "count",
        "task": "P4.3",
        "target_mode": "annual",
        "target": 30,
        "source": "derived",
        "rule": {"metric": "activities", "activity_types": ["sci_day"]},
    },
    {
        "code": "I07",
        "name": "农民工职业技能培训人次",
        "unit": "人次",
        "measure": "count",
        "task": "A3.3",
        "target_mode": "annual",
        "target": 12000,
        "source": "manual",
    },
    {
        "code": "I08",
        "name": "科普教育基地数",
        "unit": "个",
        "measure": "level",
        "task": "P3.3",
        "target_mode": "end",
        "target": 30,
        "baseline": 18,
        "baseline_year": 2020,
        "source": "manual",
    },
    {
        "code": "I09",
        "name": "老年人智能技术培训人次",
        "unit": "人次",
        "measure": "count",
        "task": "A4.1",
        "target_mode": "period",
        "target": 100000,
        "source": "derived",
        "rule": {"metric": "participants", "target_groups": ["老年人"]},
    },
    {
        "code": "I10",
        "name": "应急科普演练次数",
        "unit": "次",
        "measure": "count",
        "task": "P4.1",
        "target_mode": "annual",
        "target": 60,
        "source": "derived",
        "rule": {"metric": "activities", "activity_types": ["emergency"]},
    },
]

# type code: (share, title patterns, units, groups, task codes, participants range)
TYPE_PROFILES: dict[
    str, tuple[float, list[str], list[str], list[str], list[str], tuple[int, int]]
] = {
    "lecture": (
        0.24,
        [
            "{place}健康科普大讲堂",
            "{place}防范电信诈骗科普讲座",
            "科学家精神进{place}宣讲",
            "{place}食品安全科普讲座",
            "“科普中国”{place}专题讲座",
        ],
        ["市科协", "市卫健委", "市市场监管局", "市委宣传部", "市科技局"],
        ["社区居民", "老年人", "社会公众"],
        ["A4.2", "P4.3", "A2.1"],
        (40, 300),
    ),
    "training": (
        0.17,
        [
            "{place}高素质农民培训班",
            "{place}设施蔬菜种植技术培训",
            "{place}农村电商技能培训",
            "{place}姜蒜高效栽培技术培训",
            "{place}农村妇女专题培训班",
        ],
        ["市农业农村局", "市人社局", "市妇联", "市科协"],
        ["农民"],
        ["A2.2", "A2.3"],
        (30, 220),
    ),
    "youth": (
        0.12,
        [
            "{place}青少年科技节",
            "{place}机器人兴趣小组活动",
            "{place}中小学科普大篷车进校园",
            "{place}青少年科技创新大赛选拔",
        ],
        ["市教体局", "团市委", "市科协", "市科技馆"],
        ["青少年"],
        ["A1.4", "A1.5"],
        (80, 600),
    ),
    "exhibition": (
        0.06,
        ["{place}科普展览巡展", "{place}流动科技馆巡展", "{place}防灾减灾科普展"],
        ["市科协", "市科技馆", "市文旅局"],
        ["社会公众", "青少年"],
        ["P3.2", "P1.2"],
        (200, 1500),
    ),
    "contest": (
        0.04,
        ["{place}科普知识竞赛", "{place}农民科学素质网络竞赛", "{place}科普讲解大赛"],
        ["市科协", "市总工会", "团市委"],
        ["社会公众", "产业工人"],
        ["P2.1", "A3.2"],
        (50, 400),
    ),
    "sci_week": (
        0.03,
        ["{place}科技活动周主场活动"],
        ["市科技局", "市科协"],
        ["社会公众"],
        ["P4.3"],
        (300, 2000),
    ),
    "sci_day": (
        0.05,
        ["{place}全国科普日主题活动", "全国科普日{place}科普集市"],
        ["市科协"],
        ["社会公众", "社区居民"],
        ["P4.3"],
        (200, 1800),
    ),
    "three_rural": (
        0.04,
        ["文化科技卫生“三下乡”{place}集中示范活动"],
        ["市委宣传部", "市科协", "市卫健委"],
        ["农民"],
        ["A2.1"],
        (150, 1200),
    ),
    "emergency": (
        0.08,
        ["{place}应急避险科普演练", "{place}消防安全科普演练", "{place}防汛应急科普宣传"],
        ["市应急管理局", "市消防救援大队", "市气象局", "市水利局"],
        ["社会公众", "青少年"],
        ["P4.1"],
        (60, 500),
    ),
    "study_tour": (
        0.05,
        ["{place}中小学生研学实践", "走进科普教育基地研学活动（{place}）"],
        ["市教体局", "市科技馆", "市文旅局"],
        ["青少年"],
        ["A1.5", "P3.3"],
        (40, 260),
    ),
    "volunteer": (
        0.10,
        ["{place}科技志愿服务进社区", "{place}智能手机助老志愿服务", "{place}银龄科普志愿服务"],
        ["市科协", "市民政局", "团市委", "市老年大学"],
        ["老年人", "社区居民"],
        ["A4.1", "A4.3", "P4.2"],
        (20, 180),
    ),
    "other": (
        0.02,
        ["{place}科普宣传活动", "{place}科普画廊更新"],
        ["市科协", "市文旅局"],
        ["社会公众"],
        ["P2.2"],
        (20, 300),
    ),
}

# Seasonal weight per month, so 科技活动周 falls in May and 科普日 in September.
SEASON = {"sci_week": {5: 1.0}, "sci_day": {9: 1.0}, "three_rural": {1: 0.6, 2: 0.4}}
YEARS = range(2021, 2026)
CHUNK = 20_000


def demo_plan() -> PlanDocument:
    doc = load_template(DEMO_TEMPLATE)
    doc.indicators += [
        IndicatorDoc.from_dict({**ind, "quote": "安丘市年度科普工作要点（演示数据）"})
        for ind in DEMO_INDICATORS
    ]
    return doc


def _random_day(rng: random.Random, year: int, type_code: str) -> date:
    months = SEASON.get(type_code)
    if months:
        month = rng.choices(list(months), weights=list(months.values()))[0]
        start = date(year, month, 1)
        span = 28
    else:
        start = date(year, 1, 1)
        span = 364
    return start + timedelta(days=rng.randrange(span))


def build_demo(
    db: Database,
    activities: int = 3000,
    seed: int = 20211,
    progress: Callable[[int, int], bool] | None = None,
) -> None:
    """Fill an empty database with the demo county; `progress(done, total)` may cancel."""
    rng = random.Random(seed)
    plans = PlanService(db)
    with db.transaction() as s:
        if s.scalar(select(Plan.id).limit(1)) is not None:
            raise ServiceError("数据库中已有方案，演示数据只能写入新建的数据库。")
        seed_reference(s)
        county = Place(name="安丘市", kind="county", sort_order=0)
        s.add(county)
        s.flush()
        for i, name in enumerate(TOWNSHIPS, start=1):
            s.add(Place(name=name, kind="township", parent_id=county.id, sort_order=i))
        for name in EXTRA_UNITS:
            ensure_unit(s, name)
    plans.create(demo_plan())
    with db.transaction() as s:
        store_rubric(s, sample_rubric())  # the 考核 of the demo county's member units
    SettingsService(db).update(
        {
            "office_name": "安丘市全民科学素质工作领导小组办公室",
            "region": "安丘市",
            "contact_person": "王晓梅",
            "contact_phone": "0536-4221234",
            "unit_head": "李建国",
            "form_authority": "潍坊市全民科学素质工作领导小组办公室",
        }
    )
    with db.transaction() as s, bulk.roomy_cache(s):
        _insert_activities(s, rng, activities, progress)
        _insert_entries_and_teams(s, rng)
        audit.record(s, "import", "demo", None, f"生成演示数据：{activities} 条活动")
        tally.settle(s)  # `db` may have no Services (and so no settle before commit)
        refresh_statistics(s)
    _attach_photos(db, rng)
    locks = LockService(db)
    for year in (2021, 2022, 2023, 2024):
        locks.lock(str(year))


def _attach_photos(db: Database, rng: random.Random, per_year: int = 3) -> None:
    """A drawn photo for each year's largest activities, as the office would attach."""
    evidence = EvidenceService(db)
    with db.reading() as s:
        chosen = [
            (a.id, a.title, a.start_date)
            for year in YEARS
            for a in s.scalars(
                select(Activity)
                .where(Activity.start_date.between(date(year, 1, 1), date(year, 12, 31)))
                .order_by(Activity.participants.desc(), Activity.id)
                .limit(per_year)
            )
        ]
    with tempfile.TemporaryDirectory() as folder:
        for activity_id, title, day in chosen:
            photo = draw_photo(title, day, Path(folder) / f"{day.isoformat()} 活动现场.jpg", rng)
            evidence.add(activity_id, photo)


def _insert_activities(
    s: Session, rng: random.Random, total: int, progress: Callable[[int, int], bool] | None
) -> None:
    """Draw `total` activities from `rng` and write them through the bulk path, a chunk at a time.

    The draws, and their order, are the demo's content: the same seed gives
    the same county, activity ids included.
    """
    types = {t.code: t.id for t in s.scalars(select(ActivityType))}
    units = {u.name: u.id for u in s.scalars(select(Unit))}
    groups = {g.name: g.id for g in s.scalars(select(TargetGroup))}
    tasks = {t.code: t.id for t in s.scalars(select(Task))}
    places = [(p.id, p.name) for p in s.scalars(select(Place).where(Place.kind == "township"))]
    codes = list(TYPE_PROFILES)
    # Cumulative weights, as random.choices makes of plain ones on every call: the same draws.
    weights = list(accumulate(TYPE_PROFILES[c][0] for c in codes))
    # Slightly more activity each year, with a dip in 2022.
    year_weights = list(accumulate([0.17, 0.15, 0.21, 0.23, 0.24]))
    years = list(YEARS)
    rows: list[dict[str, Any]] = []
    row_tasks: list[list[int]] = []
    row_groups: list[list[int]] = []
    with bulk.writing_activities(s, expected=total) as writer:
        for n in range(total):
            code = rng.choices(codes, cum_weights=weights)[0]
            _, titles, unit_names, group_names, task_codes, (lo, hi) = TYPE_PROFILES[code]
            year = rng.choices(years, cum_weights=year_weights)[0]
            place_id, place_name = rng.choice(places)
            participants = rng.randint(lo, hi)
            sessions = (
                1 if code not in ("training", "lecture", "youth") else rng.choice([1, 1, 1, 2, 3])
            )
            volunteers = (
                rng.randint(2, 30)
                if code in ("volunteer", "sci_day", "three_rural", "sci_week")
                else rng.choice([0, 0, 2, 4])
            )
            day = _random_day(rng, year, code)
            unit_name = next(
                (u for u in rng.sample(unit_names, len(unit_names)) if u in units), "市科协"
            )
            rows.append(
                {
                    "start_date": day,
                    "end_date": day + timedelta(days=rng.choice([0, 0, 0, 1, 2]))
                    if code in ("training", "exhibition")
                    else None,
                    "title": rng.choice(titles).format(place=place_name),
                    "type_id": types[code],
                    "place_id": place_id,
                    "unit_id": units[unit_name],
                    "participants": participants,
                    "female": round(participants * rng.uniform(0.35, 0.6)),
                    "rural": round(participants * rng.uniform(0.2, 0.8))
                    if code != "youth"
                    else None,
                    "sessions": sessions,
                    "volunteers": volunteers,
                    "volunteer_hours": float(volunteers * rng.choice([2, 3, 4])),
                    "funding_fen": rng.randrange(0, 800_000, 100),
                    "media": rng.choice(["", "", "安丘融媒", "潍坊日报", "“科普安丘”公众号"]),
                    "summary": f"{place_name}{rng.choice(['村（社区）', '中心校', '新时代文明实践所'])}"
                    f"组织开展，参加 {participants} 人次。",
                }
            )
            row_tasks.append(
                [
                    tasks[tc]
                    for tc in rng.sample(task_codes, rng.randint(1, len(task_codes)))
                    if tc in tasks
                ]
            )
            row_groups.append(
                [groups[gn] for gn in rng.sample(group_names, rng.randint(1, len(group_names)))]
            )
            if len(rows) >= CHUNK or n == total - 1:
                writer.add(rows, row_tasks, row_groups)
                rows, row_tasks, row_groups = [], [], []
                if progress is not None and not progress(n + 1, total):
                    raise ServiceError("已取消。")


def _insert_entries_and_teams(s: Any, rng: random.Random) -> None:
    inds = {i.code: i for i in s.scalars(select(Indicator))}
    units = {u.name: u.id for u in s.scalars(select(Unit))}
    for year, value in zip(YEARS, [13.1, 13.9, 14.8, 15.6, 16.4], strict=True):
        set_entry(s, inds["LIT"], str(year), value, note="市科协抽样调查")
    for year in YEARS:
        for q in range(1, 5):
            for unit, base in (("市人社局", 2200), ("市总工会", 700)):
                set_entry(
                    s,
                    inds["I07"],
                    f"{year}Q{q}",
                    base + rng.randint(-300, 400),
                    unit_id=units[unit],
                )
    for year, bases in zip(YEARS, [(14, 6), (16, 7), (17, 7), (18, 8), (19, 8)], strict=True):
        set_entry(s, inds["I08"], str(year), bases[0], unit_id=units["市科协"])
        set_entry(s, inds["I08"], str(year), bases[1], unit_id=units["市教体局"])
    places = list(s.scalars(select(Place).where(Place.kind == "township")))
    for i, place in enumerate(places):
        team = VolunteerTeam(
            name=f"{place.name}科技志愿服务队",
            unit_id=units["市科协"],
            place_id=place.id,
            founded=date(2021, rng.randint(1, 12), 1),
        )
        s.add(team)
        s.flush()
        size = rng.randint(40, 90)
        for year in YEARS:
            size += rng.randint(5, 40) if i % 5 else rng.randint(-5, 10)
            s.add(TeamHeadcount(team_id=team.id, as_of=date(year, 12, 31), headcount=size))
    s.flush()
