"""Where the tests' own files live: everything a test reads is in the repository."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
PLAN_TEXTS = DATA / "plans"  # the five public plan documents, see data/plans/SOURCES.md
