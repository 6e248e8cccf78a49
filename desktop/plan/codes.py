"""The codes a plan's parts are known by, given where a file or draft left them blank.

Links, indicators and rules refer to sections, tasks and indicators by code,
so every part needs one before the plan is checked; an office writing a plan
file by hand, or a parsed draft, may leave them out.
"""

from __future__ import annotations

from typing import Any

SECTION_PREFIXES = {"action": "A", "project": "P"}


def default_id(meta: dict[str, Any]) -> str:
    """The plan's code when its file names none."""
    return f"plan-{meta.get('first_year')}-{meta.get('last_year')}"


def fill_codes(data: dict[str, Any]) -> None:
    """Give blank section, task and indicator codes the next free code."""
    sections = [s for s in data.get("sections") or [] if isinstance(s, dict)]
    used = {s.get("code") for s in sections if isinstance(s.get("code"), str)}
    for sec in sections:
        kind = sec.get("kind")
        if not sec.get("code") and isinstance(kind, str) and kind in SECTION_PREFIXES:
            prefix = SECTION_PREFIXES[kind]
            n = 1
            while f"{prefix}{n}" in used:
                n += 1
            sec["code"] = f"{prefix}{n}"
            used.add(sec["code"])
    for sec in sections:
        tasks = [t for t in sec.get("tasks") or [] if isinstance(t, dict)]
        if not isinstance(sec.get("code"), str) or not sec["code"]:
            continue
        task_codes = {t.get("code") for t in tasks if isinstance(t.get("code"), str)}
        for j, task in enumerate(tasks, start=1):
            if not task.get("code"):
                n = j
                while f"{sec['code']}.{n}" in task_codes:
                    n += 1
                task["code"] = f"{sec['code']}.{n}"
                task_codes.add(task["code"])
    indicators = [i for i in data.get("indicators") or [] if isinstance(i, dict)]
    ind_codes = {i.get("code") for i in indicators if isinstance(i.get("code"), str)}
    n = 1
    for ind in indicators:
        if not ind.get("code"):
            while f"I{n:02d}" in ind_codes:
                n += 1
            ind["code"] = f"I{n:02d}"
            ind_codes.add(ind["code"])
