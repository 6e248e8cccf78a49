"""Volunteer teams (科技志愿服务队) and their registered headcounts over time.

The registered-volunteer indicator (metric `registered_volunteers`) is the
sum of each team's latest headcount; that rule lives in the progress engine,
and `registered_total` asks it rather than counting a second way. A headcount
dated inside a locked period is part of a submitted figure, so it is
read-only, and a team with such headcounts cannot be deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from desktop.cleaning import clean_line, required
from desktop.db import Database
from desktop.errors import NotFoundError, ServiceError, ValidationError
from desktop.limits import checked
from desktop.models import Place, TeamHeadcount, Unit, VolunteerTeam
from desktop.services import audit, locks
from desktop.services.progress_values import team_headcount


@dataclass
class TeamInput:
    name: str
    unit_id: int | None = None
    place_id: int | None = None
    founded: date | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_team(cls, team: VolunteerTeam) -> TeamInput:
        return cls(team.name, team.unit_id, team.place_id, team.founded, team.note)


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    unit_name: str
    place_name: str
    founded: date | None
    headcount: int | None
    headcount_as_of: date | None


@dataclass(frozen=True)
class HeadcountRow:
    id: int
    as_of: date
    headcount: int
    change: int | None
    locked: bool


def _validate(session: Session, data: TeamInput, team_id: int | None) -> None:
    name = data.name = required(data.name, clean_line(data.name), "队伍名称", "name")
    if len(name) > 200:
        raise ValidationError("队伍名称不能超过 200 字。", "name")
    clash = session.scalar(
        select(VolunteerTeam.id).where(
            VolunteerTeam.name == name, VolunteerTeam.id != (team_id or 0)
        )
    )
    if clash is not None:
        raise ValidationError(f"已有名为“{name}”的志愿服务队。", "name")
    if data.unit_id is not None and session.get(Unit, data.unit_id) is None:
        raise ValidationError("所属单位不存在。", "unit_id")
    if data.place_id is not None and session.get(Place, data.place_id) is None:
        raise ValidationError("地点不存在。", "place_id")
    if data.founded is not None and data.founded > date.today():
        raise ValidationError("成立日期不能晚于今天。", "founded")
    if team_id is not None and data.founded is not None:
        first = session.scalar(
            select(func.min(TeamHeadcount.as_of)).where(TeamHeadcount.team_id == team_id)
        )
        if first is not None and first < data.founded:
            raise ValidationError(
                f"成立日期不能晚于已有的最早人数记录（{first.isoformat()}）。", "founded"
            )


def _team(session: Session, team_id: int) -> VolunteerTeam:
    team = session.get(VolunteerTeam, team_id)
    if team is None:
        raise NotFoundError("志愿服务队不存在或已被删除。")
    return team


class VolunteerService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def teams(self) -> list[TeamRow]:
        """Every team with its latest headcount, in name order."""
        latest = (
            select(
                TeamHeadcount.team_id,
                TeamHeadcount.headcount,
                TeamHeadcount.as_of,
                func.row_number()
                .over(
                    partition_by=TeamHeadcount.team_id,
                    order_by=(TeamHeadcount.as_of.desc(), TeamHeadcount.id.desc()),
                )
                .label("rn"),
            )
        ).subquery()
        stmt = (
            select(
                VolunteerTeam.id,
                VolunteerTeam.name,
                Unit.name,
                Place.name,
                VolunteerTeam.founded,
                latest.c.headcount,
                latest.c.as_of,
            )
            .outerjoin(Unit, Unit.id == VolunteerTeam.unit_id)
            .outerjoin(Place, Place.id == VolunteerTeam.place_id)
            .outerjoin(latest, (latest.c.team_id == VolunteerTeam.id) & (latest.c.rn == 1))
            .order_by(Place.sort_order, VolunteerTeam.name)
        )
        with self.db.reading() as s:
            return [
                TeamRow(r[0], r[1], r[2] or "", r[3] or "", r[4], r[5], r[6])
                for r in s.execute(stmt)
            ]

    def get(self, team_id: int) -> VolunteerTeam:
        with self.db.reading() as s:
            team = s.scalar(
                select(VolunteerTeam)
                .where(VolunteerTeam.id == team_id)
                .options(
                    selectinload(VolunteerTeam.unit),
                    selectinload(VolunteerTeam.place),
                    selectinload(VolunteerTeam.headcounts),
                )
            )
            if team is None:
                raise NotFoundError("志愿服务队不存在或已被删除。")
            return team

    def add(self, data: TeamInput, headcount: int | None = None, as_of: date | None = None) -> int:
        """Create a team, optionally with its first headcount, in one transaction."""
        with self.db.transaction() as s:
            _validate(s, data, None)
            team = VolunteerTeam(
                name=data.name,
                unit_id=data.unit_id,
                place_id=data.place_id,
                founded=data.founded,
                note=data.note,
            )
            s.add(team)
            s.flush()
            audit.record(
                s,
                "create",
                "volunteer_team",
                team.id,
                f"新增志愿服务队 {team.name}",
                {k: [None, v] for k, v in data.as_dict().items()},
            )
            if headcount is not None:
                _set_headcount(s, team, as_of or date.today(), headcount)
            return team.id

    def update(self, team_id: int, data: TeamInput) -> None:
        with self.db.transaction() as s:
            team = _team(s, team_id)
            _validate(s, data, team_id)
            before = TeamInput.from_team(team).as_dict()
            team.name = data.name
            team.unit_id = data.unit_id
            team.place_id = data.place_id
            team.founded = data.founded
            team.note = data.note
            changes = audit.diff(before, TeamInput.from_team(team).as_dict())
            if changes:
                audit.record(
                    s, "update", "volunteer_team", team.id, f"修改志愿服务队 {team.name}", changes
                )

    def delete(self, team_id: int) -> None:
        """Delete a team and its headcounts, unless a headcount was already submitted."""
        with self.db.transaction() as s:
            team = _team(s, team_id)
            for hc in team.headcounts:
                if locks.lock_covering(s, hc.as_of) is not None:
                    raise ServiceError(
                        f"“{team.name}”在 {hc.as_of.isoformat()} 的人数已随报表报送并锁定，"
                        "不能删除该队伍。"
                    )
            audit.record(
                s,
                "delete",
                "volunteer_team",
                team.id,
                f"删除志愿服务队 {team.name}",
                {
                    **{k: [v, None] for k, v in TeamInput.from_team(team).as_dict().items()},
                    "headcounts": [[(h.as_of, h.headcount) for h in team.headcounts], None],
                },
            )
            s.delete(team)

    def headcounts(self, team_id: int) -> list[HeadcountRow]:
        """A team's headcount history, oldest first, with the change from the previous one."""
        with self.db.reading() as s:
            rows = list(
                s.scalars(
                    select(TeamHeadcount)
                    .where(TeamHeadcount.team_id == team_id)
                    .order_by(TeamHeadcount.as_of, TeamHeadcount.id)
                )
            )
            out: list[HeadcountRow] = []
            previous: int | None = None
            for r in rows:
                change = None if previous is None else r.headcount - previous
                locked = locks.lock_covering(s, r.as_of) is not None
                out.append(HeadcountRow(r.id, r.as_of, r.headcount, change, locked))
                previous = r.headcount
            return out

    def set_headcount(self, team_id: int, as_of: date, headcount: int) -> int:
        """Record the registered headcount on a date (replacing one on the same date)."""
        with self.db.transaction() as s:
            return _set_headcount(s, _team(s, team_id), as_of, headcount).id

    def delete_headcount(self, headcount_id: int) -> None:
        with self.db.transaction() as s:
            hc = s.get(TeamHeadcount, headcount_id)
            if hc is None:
                raise NotFoundError("人数记录不存在。")
            locks.ensure_writable(s, hc.as_of)
            audit.record(
                s,
                "delete",
                "team_headcount",
                hc.id,
                f"删除 {hc.team.name} {hc.as_of.isoformat()} 的人数记录",
                {"headcount": [hc.headcount, None]},
            )
            s.delete(hc)

    def registered_total(self, as_of: date) -> int:
        """Registered volunteers on a date: each team's latest headcount, summed."""
        with self.db.reading() as s:
            return int(team_headcount(s, as_of) or 0)


def _set_headcount(s: Session, team: VolunteerTeam, as_of: date, headcount: int) -> TeamHeadcount:
    headcount = int(checked("headcount", headcount, "注册人数"))
    if as_of > date.today():
        raise ValidationError("统计日期不能晚于今天。", "as_of")
    if team.founded is not None and as_of < team.founded:
        raise ValidationError(
            f"统计日期不能早于队伍成立日期（{team.founded.isoformat()}）。", "as_of"
        )
    locks.ensure_writable(s, as_of)
    hc = s.scalar(
        select(TeamHeadcount).where(TeamHeadcount.team_id == team.id, TeamHeadcount.as_of == as_of)
    )
    if hc is None:
        hc = TeamHeadcount(team_id=team.id, as_of=as_of, headcount=headcount)
        s.add(hc)
        s.flush()
        audit.record(
            s,
            "create",
            "team_headcount",
            hc.id,
            f"{team.name} {as_of.isoformat()} 注册人数 {headcount}",
            {"headcount": [None, headcount]},
        )
    else:
        old = hc.headcount
        hc.headcount = headcount
        audit.record(
            s,
            "update",
            "team_headcount",
            hc.id,
            f"{team.name} {as_of.isoformat()} 注册人数 {old} → {headcount}",
            {"headcount": [old, headcount]},
        )
    return hc
