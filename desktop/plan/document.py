"""The plan document: one typed shape for a plan outside the database.

Templates, plan files (YAML and workbook), the text parser's draft, the
editor dialogs and the `--json` outputs all hold a plan as a PlanDocument.
Its dict form is the one resources/templates/SCHEMA.md describes (the YAML
file, the JSON printed); `from_dict` and `to_dict` here are the only
conversion between the two, and `to_dict(from_dict(d))` gives every key
SCHEMA.md names, defaults filled. Checking a dict before it becomes a
document is desktop/plan/validation.py's job: `from_dict` trusts its input's
types and only fills what is missing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

RULE_LISTS = ("activity_types", "target_groups", "tasks", "units")


@dataclass
class PlanInfo:
    """The plan's own lines: who issued it, for which years, its literacy goal."""

    region: str | None = None
    level: str = "county"
    name: str | None = None
    first_year: int | None = None
    last_year: int | None = None
    doc_number: str | None = None
    issue_date: str | None = None
    """ISO "YYYY-MM-DD" when the document prints a date."""
    literacy_baseline: float | None = None
    literacy_baseline_year: int | None = None
    literacy_target: float | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PlanInfo:
        data = data or {}
        issued = data.get("issue_date")
        return cls(
            region=data.get("region"),
            level=data.get("level") or "county",
            name=data.get("name"),
            first_year=data.get("first_year"),
            last_year=data.get("last_year"),
            doc_number=data.get("doc_number"),
            issue_date=issued.isoformat() if hasattr(issued, "isoformat") else issued,
            literacy_baseline=data.get("literacy_baseline"),
            literacy_baseline_year=data.get("literacy_baseline_year"),
            literacy_target=data.get("literacy_target"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "level": self.level,
            "name": self.name,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "doc_number": self.doc_number,
            "issue_date": self.issue_date,
            "literacy_baseline": self.literacy_baseline,
            "literacy_baseline_year": self.literacy_baseline_year,
            "literacy_target": self.literacy_target,
        }


@dataclass
class UnitName:
    """A unit named anywhere in the plan, with the other spellings the text used."""

    name: str
    aliases: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UnitName:
        return cls(name=data["name"], aliases=list(data.get("aliases") or []))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": list(self.aliases)}


@dataclass
class UnitLink:
    """A unit responsible for a section or task: role is lead (牵头) or cooperating (配合)."""

    name: str
    role: str = "cooperating"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UnitLink:
        return cls(name=data["name"], role=data.get("role") or "cooperating")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role}


def _links(items: Any) -> list[UnitLink]:
    return [UnitLink.from_dict(link) for link in items or []]


@dataclass
class TaskDoc:
    code: str | None = None
    """Section code + "." + order ("A1.2"); None in a draft until codes are filled."""
    number: str = ""
    """As printed: "1", "（1）"; "" for a —— bullet."""
    title: str = ""
    text: str = ""
    units: list[UnitLink] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaskDoc:
        return cls(
            code=data.get("code") or None,
            number=str(data.get("number") or ""),
            title=data.get("title") or "",
            text=data.get("text") or "",
            units=_links(data.get("units")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "units": [link.to_dict() for link in self.units],
        }


@dataclass
class SectionDoc:
    """A 提升行动 (kind action, with its target group) or a 重点工程 (kind project)."""

    code: str | None = None
    kind: str = "action"
    title: str = ""
    target_group: str | None = None
    units: list[UnitLink] = field(default_factory=list)
    tasks: list[TaskDoc] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SectionDoc:
        return cls(
            code=data.get("code") or None,
            kind=data.get("kind") or "action",
            title=data.get("title") or "",
            target_group=data.get("target_group") or None,
            units=_links(data.get("units")),
            tasks=[TaskDoc.from_dict(t) for t in data.get("tasks") or []],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "title": self.title,
            "target_group": self.target_group,
            "units": [link.to_dict() for link in self.units],
            "tasks": [t.to_dict() for t in self.tasks],
        }


@dataclass
class Rule:
    """How a derived indicator is counted from the ledger; an empty list means any."""

    metric: str = "participants"
    activity_types: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Rule | None:
        if not data:
            return None
        return cls(
            metric=data.get("metric") or "participants",
            **{key: list(data.get(key) or []) for key in RULE_LISTS},
        )

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric} | {key: list(getattr(self, key)) for key in RULE_LISTS}


@dataclass
class IndicatorDoc:
    code: str | None = None
    name: str = ""
    unit: str = ""
    """The unit of measure as printed: 人次, 个, %."""
    measure: str = "count"
    task: str | None = None
    """The code of the task it belongs to; None for a plan-wide indicator."""
    target_mode: str = "period"
    target: float | None = None
    targets_by_year: dict[int, float] | None = None
    comparator: str = ">="
    baseline: float | None = None
    baseline_year: int | None = None
    source: str = "manual"
    rule: Rule | None = None
    numerator: str | None = None
    denominator: str | None = None
    """A percent computed from two other indicators names their codes, both or neither."""
    quote: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IndicatorDoc:
        by_year = data.get("targets_by_year")
        return cls(
            code=data.get("code") or None,
            name=data.get("name") or "",
            unit=data.get("unit") or "",
            measure=data.get("measure") or "count",
            task=data.get("task") or None,
            target_mode=data.get("target_mode") or "period",
            target=data.get("target"),
            targets_by_year={int(y): v for y, v in by_year.items()} if by_year else None,
            comparator=data.get("comparator") or ">=",
            baseline=data.get("baseline"),
            baseline_year=data.get("baseline_year"),
            source=data.get("source") or "manual",
            rule=Rule.from_dict(data.get("rule")),
            numerator=data.get("numerator") or None,
            denominator=data.get("denominator") or None,
            quote=data.get("quote") or "",
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "measure": self.measure,
            "task": self.task,
            "target_mode": self.target_mode,
            "target": self.target,
            "targets_by_year": dict(self.targets_by_year) if self.targets_by_year else None,
            "comparator": self.comparator,
            "baseline": self.baseline,
            "baseline_year": self.baseline_year,
            "source": self.source,
            "rule": self.rule.to_dict() if self.rule else None,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "quote": self.quote,
        }


@dataclass
class PlanDocument:
    id: str | None = None
    """The plan's code: a template's file stem, or "<region>-<first>-<last>"."""
    info: PlanInfo = field(default_factory=PlanInfo)
    units: list[UnitName] = field(default_factory=list)
    sections: list[SectionDoc] = field(default_factory=list)
    indicators: list[IndicatorDoc] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanDocument:
        return cls(
            id=data.get("id") or None,
            info=PlanInfo.from_dict(data.get("plan")),
            units=[UnitName.from_dict(u) for u in data.get("units") or []],
            sections=[SectionDoc.from_dict(s) for s in data.get("sections") or []],
            indicators=[IndicatorDoc.from_dict(i) for i in data.get("indicators") or []],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "plan": self.info.to_dict(),
            "units": [u.to_dict() for u in self.units],
            "sections": [s.to_dict() for s in self.sections],
            "indicators": [i.to_dict() for i in self.indicators],
        }

    def copy(self) -> PlanDocument:
        return copy.deepcopy(self)

    def tasks(self) -> list[TaskDoc]:
        return [task for section in self.sections for task in section.tasks]

    def linked_unit_names(self) -> set[str]:
        """The units some section or task names; a draft keeps only these in `units`."""
        return {
            link.name
            for section in self.sections
            for owner in (section, *section.tasks)
            for link in owner.units
        }
