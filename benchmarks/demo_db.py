"""A demo county in a temporary folder, for a benchmark to work on."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def demo_database(activities: int) -> Iterator[Path]:
    """Build the demo county with this many activities; yield its file; remove it after."""
    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        os.environ["KEPU_DATA_DIR"] = str(Path(tmp) / "data")
        from desktop.db import Database
        from desktop.services.demo import build_demo

        path = Path(tmp) / "bench.sqlite3"
        db = Database.open(path)
        try:
            build_demo(db, activities=activities)
        finally:
            db.close()
        yield path
