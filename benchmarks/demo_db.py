"""Demo counties for the benchmarks: built once per size and program version, then reused.

Building the 1,000,000-activity county takes minutes, so each size is kept
in `benchmarks/.cache/` under a name that changes whenever the demo builder
or the schema does; a benchmark that writes gets a fresh copy of it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.harness import ROOT

CACHE = ROOT / "benchmarks" / ".cache"


def _version() -> str:
    """A digest of what decides the demo's content: the builders, the models, the migrations."""
    digest = hashlib.sha256()
    sources = [ROOT / "desktop" / "services" / name for name in ("demo.py", "bulk.py")]
    sources += sorted((ROOT / "desktop" / "models").glob("*.py"))
    sources += sorted((ROOT / "migrations" / "versions").glob("*.py"))
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def cache_entry(kind: str, size: int, version: str, suffix: str) -> Path:
    """Where this kind, size and version is kept; other versions of it are removed."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{kind}-{size}-{version}{suffix}"
    for stale in CACHE.glob(f"{kind}-{size}-*{suffix}"):
        if stale != path:
            stale.unlink()
    return path


def cached_demo(activities: int) -> Path:
    """The demo county with this many activities, built in a child process if not cached."""
    path = cache_entry("demo", activities, _version(), ".sqlite3")
    if path.exists():
        return path
    part = path.with_suffix(".part")
    part.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        env = dict(os.environ, KEPU_DATA_DIR=str(Path(tmp) / "data"))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "desktop",
                "--db",
                str(part),
                "demo",
                "--activities",
                str(activities),
            ],
            check=True,
            cwd=ROOT,
            env=env,
        )
    part.rename(path)
    return path


@contextmanager
def demo_copy(activities: int) -> Iterator[Path]:
    """A scratch copy of the cached demo county, for a benchmark that writes; removed after."""
    with tempfile.TemporaryDirectory(prefix="kepu-bench-") as tmp:
        copy = Path(tmp) / "bench.sqlite3"
        shutil.copy(cached_demo(activities), copy)
        os.environ["KEPU_DATA_DIR"] = str(Path(tmp) / "data")
        yield copy


@contextmanager
def demo_database(activities: int) -> Iterator[Path]:
    """Build the demo county with this many activities in-process; yield its file; remove it after."""
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
