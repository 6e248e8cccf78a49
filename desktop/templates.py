"""Built-in plan templates: the seed plans, transcribed as YAML.

A template file is a plan file in the dict form of resources/templates/
SCHEMA.md; it is read as a PlanDocument, the shape a parsed draft and an
imported plan take too, so all three are saved by the same code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from desktop.paths import resource_dir
from desktop.plan.document import PlanDocument


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
    return data


def load_template(template_id: str) -> PlanDocument:
    """A fresh document each call, so callers may edit it freely."""
    return PlanDocument.from_dict(_load(template_id))
