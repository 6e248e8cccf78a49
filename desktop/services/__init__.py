"""The domain layer: every rule about plans, ledger, entries, progress and locks.

Nothing here imports Qt; the GUI and the CLI both go through `Services`.
"""

from __future__ import annotations

from pathlib import Path

from desktop.db import Database, UnreadableDatabase
from desktop.errors import ServiceError
from desktop.services.activities import ActivityService
from desktop.services.entries import EntryService
from desktop.services.entry_grid import EntryGridService
from desktop.services.evidence import EvidenceService
from desktop.services.imports import ImportService
from desktop.services.locks import LockService
from desktop.services.plan_editing import PlanEditingService
from desktop.services.plans import PlanService
from desktop.services.progress import ProgressService
from desktop.services.reference import ReferenceService, reference_complete, seed_reference
from desktop.services.reports import ReportService
from desktop.services.safety import AuditLogService, BackupService
from desktop.services.settings import SettingsService
from desktop.services.submissions import SubmissionService
from desktop.services.volunteers import VolunteerService


class Services:
    """All services over one open database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        with db.reading() as s:
            complete = reference_complete(s)
        if not complete:  # opening takes no write lock unless it has something to write
            with db.transaction() as s:
                seed_reference(s)
        self.plans = PlanService(db)
        self.plan_editor = PlanEditingService(db)
        self.activities = ActivityService(db)
        self.entries = EntryService(db)
        self.evidence = EvidenceService(db)
        self.locks = LockService(db)
        self.progress = ProgressService(db)
        self.reference = ReferenceService(db)
        self.settings = SettingsService(db)
        self.reports = ReportService(db)
        self.submissions = SubmissionService(db)
        self.volunteers = VolunteerService(db)
        self.entry_grid = EntryGridService(db)
        self.imports = ImportService(db)
        self.audit_log = AuditLogService(db)
        self.backups = BackupService(db)

    @classmethod
    def open(cls, target: Path | str) -> Services:
        try:
            return cls(Database.open(target))
        except UnreadableDatabase as exc:
            raise ServiceError(str(exc)) from None

    def close(self) -> None:
        self.db.close()
