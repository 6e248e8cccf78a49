"""The house rules that a reader cannot see at a glance, checked.

- The domain (services, importing, exporting, models, db) never imports Qt,
  as Anki's pylib never does: the command line and the tests run it without
  a window, and no rule can hide in a widget.
- The repository is self-contained: nothing it runs or tests reads a folder
  beside the checkout.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ["desktop/services", "desktop/importing", "desktop/exporting", "desktop/models"]


def _modules(folder: str) -> list[str]:
    return [
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in sorted((ROOT / folder).rglob("*.py"))
        if p.name != "__init__.py"
    ]


def test_the_domain_imports_no_qt():
    modules = ["desktop.db", "desktop.cli"] + [m for f in DOMAIN for m in _modules(f)]
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


def test_no_file_reads_beside_the_checkout():
    outside = re.compile(r"""\.\./shared|["']shared["']\s*/|parents\[\d\]\s*/\s*["']shared""")
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("desktop", "tests", "benchmarks", "tools")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in {".py", ".sh"}
        and p.name != "test_layers.py"
        and outside.search(p.read_text("utf-8"))
    ]
    assert offenders == []
    for script in ("run", "test", ".ci/run"):
        assert not outside.search((ROOT / script).read_text("utf-8"))
