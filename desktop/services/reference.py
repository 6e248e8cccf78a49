"""Reference lists: seeding, lookup by name or alias, and editing."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.cleaning import clean_name, required
from desktop.db import Database
from desktop.errors import NotFoundError
from desktop.models import ActivityType, Place, TargetGroup, Unit, UnitAlias
from desktop.plan.vocabulary import ACTIVITY_TYPES, TARGET_GROUPS
from desktop.services import audit

_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """A unit or place name as stored: cleaned, no spaces, full-width brackets."""
    return _SPACES.sub("", clean_name(name)).replace("(", "（").replace(")", "）")


def reference_complete(session: Session) -> bool:
    """Whether every standard target group and activity type is there (read only)."""
    groups = set(session.scalars(select(TargetGroup.name)))
    types = set(session.scalars(select(ActivityType.code)))
    return set(TARGET_GROUPS) <= groups and {code for code, _, _ in ACTIVITY_TYPES} <= types


def seed_reference(session: Session) -> None:
    """Insert the standard target groups and activity types that are missing."""
    have_groups = set(session.scalars(select(TargetGroup.name)))
    for order, name in enumerate(TARGET_GROUPS):
        if name not in have_groups:
            session.add(TargetGroup(name=name, sort_order=order))
    have_types = set(session.scalars(select(ActivityType.code)))
    for order, (code, name, counts) in enumerate(ACTIVITY_TYPES):
        if code not in have_types:
            session.add(ActivityType(code=code, name=name, sort_order=order, counts=counts))
    session.flush()


def find_unit(session: Session, name: str) -> Unit | None:
    name = normalise_name(name)
    unit = session.scalar(select(Unit).where(Unit.name == name))
    if unit is None:
        unit = session.scalar(select(Unit).join(UnitAlias).where(UnitAlias.alias == name))
    return unit


def unit_by_name(session: Session, name: str) -> Unit:
    unit = find_unit(session, name)
    if unit is None:
        raise NotFoundError(f"找不到责任单位“{name}”。")
    return unit


def ensure_unit(session: Session, name: str, aliases: list[str] | None = None) -> Unit:
    """The unit with this name or alias, created when unknown; aliases are added."""
    required(name, normalise_name(name), "单位名称", "name")
    unit = find_unit(session, name)
    if unit is None:
        count = session.query(Unit).count()
        unit = Unit(name=normalise_name(name), kind=guess_unit_kind(name), sort_order=count)
        session.add(unit)
        session.flush()
    for alias in aliases or []:
        alias = normalise_name(alias)
        if alias and alias != unit.name and find_unit(session, alias) is None:
            unit.aliases.append(UnitAlias(alias=alias))
    session.flush()
    return unit


def guess_unit_kind(name: str) -> str:
    if name.endswith(("人民政府", "镇", "街道", "乡", "管委会", "街办")):
        return "government"
    if name.endswith(("学校", "中学", "小学", "学院", "大学")):
        return "school"
    if any(k in name for k in ("科协", "工会", "团", "妇联", "残联")):
        return "mass_org"
    return "department"


def type_by_code_or_name(session: Session, text: str) -> ActivityType:
    t = session.scalar(
        select(ActivityType).where((ActivityType.code == text) | (ActivityType.name == text))
    )
    if t is None:
        t = session.scalar(select(ActivityType).where(ActivityType.name.contains(text)))
    if t is None:
        raise NotFoundError(f"找不到活动类型“{text}”。")
    return t


def group_by_name(session: Session, name: str) -> TargetGroup:
    g = session.scalar(select(TargetGroup).where(TargetGroup.name == name))
    if g is None:
        raise NotFoundError(f"找不到重点人群“{name}”。")
    return g


def place_by_name(session: Session, name: str) -> Place:
    p = session.scalar(select(Place).where(Place.name == normalise_name(name)))
    if p is None:
        raise NotFoundError(f"找不到地点“{name}”。")
    return p


class ReferenceService:
    """Read access to reference lists for screens and dialogs."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def units(self) -> list[Unit]:
        with self.db.reading() as s:
            return list(s.scalars(select(Unit).order_by(Unit.sort_order, Unit.id)))

    def places(self) -> list[Place]:
        with self.db.reading() as s:
            return list(s.scalars(select(Place).order_by(Place.sort_order, Place.id)))

    def groups(self) -> list[TargetGroup]:
        with self.db.reading() as s:
            return list(s.scalars(select(TargetGroup).order_by(TargetGroup.sort_order)))

    def activity_types(self) -> list[ActivityType]:
        with self.db.reading() as s:
            return list(s.scalars(select(ActivityType).order_by(ActivityType.sort_order)))

    def add_place(self, name: str, kind: str = "township", parent_id: int | None = None) -> Place:
        name = required(name, normalise_name(name), "地点名称", "name")
        with self.db.transaction() as s:
            count = s.query(Place).count()
            place = Place(name=name, kind=kind, parent_id=parent_id, sort_order=count)
            s.add(place)
            s.flush()
            audit.record(s, "create", "place", place.id, f"新增地点 {place.name}")
            return place
