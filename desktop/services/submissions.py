"""Submissions: every file that leaves the office, with its SHA-256.

At the annual assessment the city asks "which figures did you send us?";
the hash proves that a file on someone's desk is exactly the one exported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from desktop.db import Database
from desktop.errors import ValidationError
from desktop.models import Submission
from desktop.services import audit
from desktop.services.periods import parse_period

KINDS = {
    "return": "Excel 报表",
    "summary": "年度工作总结",
    "return_pdf": "报表打印稿",
    "evaluation": "终期评估报告",
}


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    period: str
    kind: str
    file_name: str
    sha256: str
    operator: str
    final: bool
    created_at: datetime

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def period_label(self) -> str:
        """2024年, or 2021—2025年 for a whole plan period (the final evaluation's 2021-2025)."""
        first, dash, last = self.period.partition("-")
        if dash and len(first) == 4 and len(last) == 4:
            return f"{first}—{last}年"
        return parse_period(self.period).label


class SubmissionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(
        self,
        period_code: str,
        kind: str,
        path: Path,
        final: bool = False,
        staged: Path | None = None,
        place: Callable[[], None] | None = None,
    ) -> int:
        """Hash the written file and record it, with its audit record, in one transaction.

        With `staged` and `place`, the file still lies under its temporary
        name: it is hashed there and `place()` moves it to `path` inside the
        transaction, after the record is written and before it is committed,
        so the file and its record exist together or not at all.
        """
        if kind not in KINDS:
            raise ValidationError(f"未知的报送类型“{kind}”。", "kind")
        path = Path(path)
        written = Path(staged) if staged is not None else path
        if not written.is_file():
            raise ValidationError(f"导出的文件不存在：{path}")
        digest = file_sha256(written)
        with self.db.transaction() as s:
            row = Submission(
                period=period_code,
                kind=kind,
                file_name=str(path.resolve())[:260],
                sha256=digest,
                operator=audit.current_user(),
                final=final,
                created_at=datetime.now().replace(microsecond=0),
            )
            s.add(row)
            s.flush()
            audit.record(
                s,
                "export",
                "submission",
                row.id,
                f"导出{'正式报送' if final else ''}{KINDS[kind]} {period_code}：{path.name}",
                {"sha256": [None, digest]},
            )
            if place is not None:
                place()
            return row.id

    def list(
        self, period_code: str | None = None, sha256: str | None = None
    ) -> list[SubmissionRow]:
        """Newest first."""
        stmt = select(Submission).order_by(Submission.created_at.desc(), Submission.id.desc())
        if period_code:
            stmt = stmt.where(Submission.period == period_code)
        if sha256:
            stmt = stmt.where(Submission.sha256 == sha256)
        with self.db.reading() as s:
            return [
                SubmissionRow(
                    r.id,
                    r.period,
                    r.kind,
                    r.file_name,
                    r.sha256,
                    r.operator,
                    bool(r.final),
                    r.created_at,
                )
                for r in s.scalars(stmt)
            ]

    def identify(self, path: Path) -> list[SubmissionRow]:
        """The submissions a file on someone's desk is byte for byte (newest first)."""
        path = Path(path)
        if not path.is_file():
            raise ValidationError(f"文件不存在：{path}")
        try:
            digest = file_sha256(path)
        except OSError:
            raise ValidationError(f"无法读取“{path.name}”。") from None
        return self.list(sha256=digest)

    def verify(self, submission_id: int, path: Path) -> bool:
        """Whether `path` is byte for byte the file recorded as this submission."""
        with self.db.reading() as s:
            row = s.get(Submission, submission_id)
            if row is None:
                raise ValidationError("报送记录不存在。")
            expected = row.sha256
        return Path(path).is_file() and file_sha256(Path(path)) == expected
