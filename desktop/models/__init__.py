"""ORM classes; importing this package registers every table on Base.metadata."""

from desktop.models.admin import AuditRecord, PeriodLock, Setting, Submission
from desktop.models.assessment import AssessmentScore, Rubric, RubricItem
from desktop.models.base import Base
from desktop.models.flags import FlagConfirmation
from desktop.models.indicator import Entry, Indicator, IndicatorYearTarget
from desktop.models.ledger import (
    Activity,
    Evidence,
    ImportBatch,
    TeamHeadcount,
    VolunteerTeam,
    activity_cooperator,
    activity_group,
    activity_task,
)
from desktop.models.plan import Plan, Section, SectionUnit, Task, TaskUnit
from desktop.models.reference import ActivityType, Place, TargetGroup, Unit, UnitAlias
from desktop.models.returns import RegionReturn, ReturnFigure, ReturnMapping
from desktop.models.tally import ActivityTally, TallyStale

__all__ = [
    "Activity",
    "AssessmentScore",
    "ActivityTally",
    "ActivityType",
    "AuditRecord",
    "Base",
    "Entry",
    "Evidence",
    "FlagConfirmation",
    "ImportBatch",
    "Indicator",
    "IndicatorYearTarget",
    "PeriodLock",
    "Place",
    "Plan",
    "RegionReturn",
    "Rubric",
    "RubricItem",
    "ReturnFigure",
    "ReturnMapping",
    "Section",
    "SectionUnit",
    "Setting",
    "Submission",
    "TallyStale",
    "TargetGroup",
    "Task",
    "TaskUnit",
    "TeamHeadcount",
    "Unit",
    "UnitAlias",
    "VolunteerTeam",
    "activity_cooperator",
    "activity_group",
    "activity_task",
]
