"""The audit trail: one record per change, written in the caller's transaction."""

from __future__ import annotations

import getpass
import os
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from desktop.models import AuditRecord


def current_user() -> str:
    """The operator's name: KEPU_USER, else the OS account."""
    try:
        return os.environ.get("KEPU_USER") or getpass.getuser()
    except OSError:
        return "unknown"


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as field → [old, new]."""
    keys = list(dict.fromkeys([*before, *after]))
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))]
        for k in keys
        if before.get(k) != after.get(k)
    }


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    session.add(
        AuditRecord(
            user=current_user(),
            action=action,
            entity=entity,
            entity_id=entity_id,
            summary=summary[:300],
            changes={k: _plain(v) for k, v in changes.items()} if changes else None,
            reason=reason,
        )
    )
