"""Built-in plan templates: the seed plans, transcribed as YAML.

The dict shape is documented in resources/templates/SCHEMA.md and is shared
with the plan-text parser and plan files, so a template, a parsed draft and
an exported plan can all be loaded by the same code.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

from desktop.paths import resource_dir


def template_dir() -> Path:
    return resource_dir() / "templates"


def template_ids() -> list[str]:
    return sorted(p.stem for p in template_dir().glob("*.yaml"))


@cache
def _load(template_id: str) -> dict[str, Any]:
    path = template_dir() / f"{template_id}.yaml"
    if not path.is_file():
        raise KeyError(template_id)
    import yaml  # read when a template is; kepu and the window start without it

    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    data["id"] = template_id
    for ind in data.get("indicators") or []:
        # Optional keys (a percent computed from two other indicators), shown as null
        # so `kepu templates --json` prints every key SCHEMA.md names.
        ind.setdefault("numerator", None)
        ind.setdefault("denominator", None)
    return data


def load_template(template_id: str) -> dict[str, Any]:
    """Return a fresh copy so callers may edit the draft freely."""
    return copy.deepcopy(_load(template_id))
