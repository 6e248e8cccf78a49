"""Naming a place in a plan dict the way the user sees it in the plan file.

A check finds a fault at a path in the dict (("sections", 0, "tasks", 1,
"title")); the user needs words ("第 1 个行动/工程（A1） › 第 2 项任务（A1.2）的
“标题”"). A reader that knows better places (the workbook's sheet, row and
column) passes its own Locator instead of this one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.plan.vocabulary import FIELD_LABELS

DictPath = tuple[str | int, ...]
Locator = Callable[[DictPath], str]


def _entry(items: Any, index: int) -> dict[str, Any]:
    if isinstance(items, list) and 0 <= index < len(items) and isinstance(items[index], dict):
        return items[index]
    return {}


def _shown(entry: dict[str, Any], *keys: str, missing: str = "?") -> Any:
    """The first of an entry's names that is filled in, for the user to recognise it by."""
    return next((entry[key] for key in keys if entry.get(key)), missing)


def yaml_locator(data: Any) -> Locator:
    """Name a place in a plan dict the way the user sees it in the file."""

    def locate(path: DictPath) -> str:
        if not isinstance(data, dict) or not path:
            return "方案"
        head, rest = path[0], list(path[1:])
        words: list[str] = []
        if head == "plan":
            words.append("方案信息")
        elif head == "id":
            return "方案编号（id）"
        elif head == "units" and rest:
            i = int(rest.pop(0))
            unit = _entry(data.get("units"), i)
            words.append(f"单位名录第 {i + 1} 项（{_shown(unit, 'name', missing='未命名')}）")
        elif head == "sections" and rest:
            i = int(rest.pop(0))
            sec = _entry(data.get("sections"), i)
            words.append(f"第 {i + 1} 个行动/工程（{_shown(sec, 'code', 'title')}）")
            if rest[:1] == ["tasks"] and len(rest) > 1:
                j = int(rest[1])
                del rest[:2]
                task = _entry(sec.get("tasks"), j)
                words.append(f"第 {j + 1} 项任务（{_shown(task, 'code', 'title')}）")
            if rest[:1] == ["units"] and len(rest) > 1:
                words.append(f"第 {int(rest[1]) + 1} 个责任单位")
                del rest[:2]
        elif head == "indicators" and rest:
            i = int(rest.pop(0))
            ind = _entry(data.get("indicators"), i)
            words.append(f"第 {i + 1} 个指标（{_shown(ind, 'code', 'name')}）")
        else:
            words.append(str(head))
        keys = [str(k) for k in rest if not isinstance(k, int)]
        if keys[:1] == ["rule"] and len(keys) > 1:
            keys = keys[1:]
        fields = [FIELD_LABELS.get(k, k) for k in keys]
        text = " › ".join(words)
        return f"{text}的“{'·'.join(fields)}”" if fields else text

    return locate
