"""The unit list (单位名录): adding, renaming and removing units and their aliases.

A unit's name and aliases are how activities, entries and plan files find
it, so no name may belong to two units, and a unit that recorded data
names is never removed: it is renamed, its old name kept as an alias.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.cleaning import clean_line
from desktop.errors import NotFoundError, ServiceError, ValidationError
from desktop.models import Activity, Entry, SectionUnit, TaskUnit, Unit, UnitAlias
from desktop.services import audit
from desktop.services.editing_rules import DependentsError, Editor, checked_title, found
from desktop.services.reference import ensure_unit, find_unit, guess_unit_kind, normalise_name


class UnitEditing(Editor):
    def unit_aliases(self, unit_id: int) -> list[str]:
        with self.db.reading() as s:
            return list(
                s.scalars(
                    select(UnitAlias.alias)
                    .where(UnitAlias.unit_id == unit_id)
                    .order_by(UnitAlias.alias)
                )
            )

    def unit_names(self) -> list[str]:
        """Every unit name and alias, for completion when linking a unit."""
        with self.db.reading() as s:
            names = list(s.scalars(select(Unit.name).order_by(Unit.sort_order, Unit.id)))
            return names + list(s.scalars(select(UnitAlias.alias).order_by(UnitAlias.alias)))

    def add_unit(self, name: str, aliases: list[str] | None = None) -> int:
        with self.db.transaction() as s:
            name = normalise_name(checked_title(name, "单位名称", 100))
            if find_unit(s, name) is not None:
                raise ValidationError(f"单位“{name}”已存在（名称或别名）。", "name")
            unit = ensure_unit(s, name, aliases or [])
            audit.record(s, "create", "unit", unit.id, f"新增单位 {unit.name}")
            return unit.id

    def rename_unit(self, unit_id: int, name: str, keep_old_as_alias: bool = True) -> None:
        with self.db.transaction() as s:
            unit = found(s, Unit, unit_id, "单位")
            new = normalise_name(checked_title(name, "单位名称", 100))
            if new == unit.name:
                return
            other = find_unit(s, new)
            if other is not None and other.id != unit.id:
                raise ValidationError(f"单位“{new}”已存在，不能重名。", "name")
            old = unit.name
            for alias in list(unit.aliases):
                if alias.alias == new:
                    unit.aliases.remove(alias)
            s.flush()
            unit.name = new
            unit.kind = guess_unit_kind(new)
            if keep_old_as_alias:
                unit.aliases.append(UnitAlias(alias=old))
            audit.record(
                s, "update", "unit", unit.id, f"单位改名 {old} → {new}", {"name": [old, new]}
            )

    def set_contact(self, unit_id: int, contact: str) -> None:
        """The person and phone a 催报 reaches (报送情况), free text: “李明 13800000000”."""
        with self.db.transaction() as s:
            unit = found(s, Unit, unit_id, "单位")
            new = clean_line(contact)[:100] or None
            if new == unit.contact:
                return
            old, unit.contact = unit.contact, new
            audit.record(
                s,
                "update",
                "unit",
                unit.id,
                f"单位 {unit.name} 联系人改为 {new or '（空）'}",
                {"contact": [old, new]},
            )

    def add_alias(self, unit_id: int, alias: str) -> None:
        with self.db.transaction() as s:
            unit = found(s, Unit, unit_id, "单位")
            alias = normalise_name(checked_title(alias, "别名", 100))
            other = find_unit(s, alias)
            if other is not None:
                raise ValidationError(f"“{alias}”已是单位“{other.name}”的名称或别名。", "alias")
            unit.aliases.append(UnitAlias(alias=alias))
            s.flush()
            audit.record(s, "update", "unit", unit.id, f"单位 {unit.name} 增加别名 {alias}")

    def remove_alias(self, unit_id: int, alias: str) -> None:
        with self.db.transaction() as s:
            unit = found(s, Unit, unit_id, "单位")
            match = next((a for a in unit.aliases if a.alias == alias), None)
            if match is None:
                raise NotFoundError(f"单位“{unit.name}”没有别名“{alias}”。")
            unit.aliases.remove(match)
            audit.record(s, "update", "unit", unit.id, f"单位 {unit.name} 删除别名 {alias}")

    def remove_unit(self, unit_id: int, confirm: bool = False) -> None:
        """Remove a unit; never while activities or entries name it."""
        with self.db.transaction() as s:
            unit = found(s, Unit, unit_id, "单位")
            counts = _unit_counts(s, unit_id)
            cooperations = s.scalar(
                select(func.count(Activity.id)).where(Activity.cooperators.any(Unit.id == unit_id))
            )
            if counts["activities"] or counts["entries"] or cooperations:
                raise ServiceError(
                    f"单位“{unit.name}”已有 {counts['activities'] + (cooperations or 0)} 条活动、"
                    f"{counts['entries']} 条填报数据，不能删除；"
                    "如该单位已撤并，可改名（原名称保留为别名）。"
                )
            if counts["links"] and not confirm:
                raise DependentsError(
                    f"单位“{unit.name}”是 {counts['links']} 项行动/任务的责任单位。"
                    "删除后这些任务不再列出该单位。如确定要删除，请确认后再删除。",
                    counts,
                )
            for link in s.scalars(select(TaskUnit).where(TaskUnit.unit_id == unit_id)):
                s.delete(link)
            for link in s.scalars(select(SectionUnit).where(SectionUnit.unit_id == unit_id)):
                s.delete(link)
            audit.record(
                s, "delete", "unit", unit.id, f"删除单位 {unit.name}", {"links": counts["links"]}
            )
            s.delete(unit)


def _unit_counts(s: Session, unit_id: int) -> dict[str, int]:
    """The activities it held, its entries, and the sections and tasks it is linked to."""
    return {
        "activities": s.scalar(select(func.count(Activity.id)).where(Activity.unit_id == unit_id))
        or 0,
        "entries": s.scalar(select(func.count(Entry.id)).where(Entry.unit_id == unit_id)) or 0,
        "links": (s.scalar(select(func.count(TaskUnit.id)).where(TaskUnit.unit_id == unit_id)) or 0)
        + (s.scalar(select(func.count(SectionUnit.id)).where(SectionUnit.unit_id == unit_id)) or 0),
    }
