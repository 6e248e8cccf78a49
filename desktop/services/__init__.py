"""The domain layer: every rule about plans, ledger, entries, progress and locks.

Nothing here imports Qt; the GUI and the CLI both go through `Services`.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.db import Database, UnreadableDatabase
from desktop.errors import ServiceError
from desktop.services import tally
from desktop.services.reference import reference_complete, seed_reference

if TYPE_CHECKING:
    from desktop.services.activities import ActivityService
    from desktop.services.assessment import AssessmentService
    from desktop.services.assessment_files import AssessmentFiles
    from desktop.services.entries import EntryService
    from desktop.services.entry_grid import EntryGridService
    from desktop.services.evidence import EvidenceService
    from desktop.services.imports import ImportService
    from desktop.services.locks import LockService
    from desktop.services.plan_editing import PlanEditingService
    from desktop.services.plan_periods import PlanPeriodService
    from desktop.services.plans import PlanService
    from desktop.services.progress import ProgressService
    from desktop.services.reference import ReferenceService
    from desktop.services.reporting import ReportingService
    from desktop.services.reports import ReportService
    from desktop.services.returns import ReturnsService
    from desktop.services.rubrics import RubricEditing, RubricService
    from desktop.services.safety import AuditLogService, BackupService
    from desktop.services.settings import SettingsService
    from desktop.services.submissions import SubmissionService
    from desktop.services.volunteers import VolunteerService


class Services:
    """All services over one open database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.before_commit(tally.settle)
        with db.reading() as s:
            complete = reference_complete(s)
        if not complete:  # opening takes no write lock unless it has something to write
            with db.transaction() as s:
                seed_reference(s)

    # Each service is built, and its module imported, the first time it is
    # asked for: the window's first page needs three of them, and the
    # importers and exporters behind the others (openpyxl, reportlab, …)
    # would otherwise be loaded before the window could show.

    @cached_property
    def plans(self) -> PlanService:
        from desktop.services.plans import PlanService

        return PlanService(self.db)

    @cached_property
    def plan_editor(self) -> PlanEditingService:
        from desktop.services.plan_editing import PlanEditingService

        return PlanEditingService(self.db)

    @cached_property
    def activities(self) -> ActivityService:
        from desktop.services.activities import ActivityService

        return ActivityService(self.db)

    @cached_property
    def entries(self) -> EntryService:
        from desktop.services.entries import EntryService

        return EntryService(self.db)

    @cached_property
    def evidence(self) -> EvidenceService:
        from desktop.services.evidence import EvidenceService

        return EvidenceService(self.db)

    @cached_property
    def locks(self) -> LockService:
        from desktop.services.locks import LockService

        return LockService(self.db)

    @cached_property
    def progress(self) -> ProgressService:
        from desktop.services.progress import ProgressService

        return ProgressService(self.db)

    @cached_property
    def reference(self) -> ReferenceService:
        from desktop.services.reference import ReferenceService

        return ReferenceService(self.db)

    @cached_property
    def settings(self) -> SettingsService:
        from desktop.services.settings import SettingsService

        return SettingsService(self.db)

    @cached_property
    def reports(self) -> ReportService:
        from desktop.services.reports import ReportService

        return ReportService(self.db)

    @cached_property
    def submissions(self) -> SubmissionService:
        from desktop.services.submissions import SubmissionService

        return SubmissionService(self.db)

    @cached_property
    def volunteers(self) -> VolunteerService:
        from desktop.services.volunteers import VolunteerService

        return VolunteerService(self.db)

    @cached_property
    def entry_grid(self) -> EntryGridService:
        from desktop.services.entry_grid import EntryGridService

        return EntryGridService(self.db)

    @cached_property
    def imports(self) -> ImportService:
        from desktop.services.imports import ImportService

        return ImportService(self.db)

    @cached_property
    def reporting(self) -> ReportingService:
        from desktop.services.reporting import ReportingService

        return ReportingService(self.db)

    @cached_property
    def assessment(self) -> AssessmentService:
        from desktop.services.assessment import AssessmentService

        return AssessmentService(self.db)

    @cached_property
    def assessment_files(self) -> AssessmentFiles:
        from desktop.services.assessment_files import AssessmentFiles

        return AssessmentFiles(self.db)

    @cached_property
    def rubric_editor(self) -> RubricEditing:
        from desktop.services.rubrics import RubricEditing

        return RubricEditing(self.db)

    @cached_property
    def rubrics(self) -> RubricService:
        from desktop.services.rubrics import RubricService

        return RubricService(self.db)

    @cached_property
    def plan_periods(self) -> PlanPeriodService:
        from desktop.services.plan_periods import PlanPeriodService

        return PlanPeriodService(self.db)

    @cached_property
    def returns(self) -> ReturnsService:
        from desktop.services.returns import ReturnsService

        return ReturnsService(self.db)

    @cached_property
    def audit_log(self) -> AuditLogService:
        from desktop.services.safety import AuditLogService

        return AuditLogService(self.db)

    @cached_property
    def backups(self) -> BackupService:
        from desktop.services.safety import BackupService

        return BackupService(self.db)

    @classmethod
    def open(cls, target: Path | str, daily_backup: bool = True) -> Services:
        """Open (and migrate) a database; `daily_backup=False`: see Database."""
        try:
            return cls(Database.open(target, daily_backup))
        except UnreadableDatabase as exc:
            raise ServiceError(str(exc)) from None

    def close(self) -> None:
        self.db.close()
