"""Checking a plan in its dict form, before it becomes a PlanDocument.

Every route in (a YAML or workbook file, a template, the parser's draft, the
editor's indicator) is checked here, so a plan is held to one set of rules
and each fault is reported once, in Chinese, at the place the user sees it:
a Locator (desktop/plan/locator.py) turns a path in the dict into words,
and a file reader passes its own (sheet, row and column for a workbook). Text
is cleaned in place (desktop/cleaning.py) as it is checked. The rules for a
ratio's numerator and denominator are desktop/plan/ratios.py's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.cleaning import CLEANERS, clean_name
from desktop.errors import ValidationError
from desktop.limits import LIMITS, checked
from desktop.models.indicator import COMPARATORS, MEASURES, SOURCES, TARGET_MODES
from desktop.models.plan import ROLES
from desktop.plan.document import RULE_LISTS, PlanDocument
from desktop.plan.locator import DictPath, Locator, yaml_locator
from desktop.plan.ratios import ratio_problems
from desktop.plan.vocabulary import (
    ACTIVITY_TYPES,
    FIELD_LABELS,
    METRIC_LABELS,
    RATIO_KEYS,
    TARGET_GROUPS,
)

MAX_SHOWN = 30
LEVELS = ("county", "city")
KINDS = ("action", "project")
METRICS = tuple(METRIC_LABELS)
TYPE_CODES = {code: code for code, _name, _c in ACTIVITY_TYPES} | {
    name: code for code, name, _c in ACTIVITY_TYPES
}

# The longest text each database column holds.
MAX_LENGTHS = {
    "plan_name": 200,
    "region": 50,
    "doc_number": 60,
    "code": 20,
    "section_title": 200,
    "task_title": 300,
    "number": 20,
    "unit_name": 100,
    "indicator_name": 200,
    "uom": 20,
    "id": 60,
}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"


class PlanFileError(ValidationError):
    """A plan file that cannot be loaded; `problems` lists every fault found."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:MAX_SHOWN])
        more = f"\n……另有 {len(problems) - MAX_SHOWN} 处问题" if len(problems) > MAX_SHOWN else ""
        super().__init__(f"{source}有 {len(problems)} 处问题，未导入任何内容：\n{shown}{more}")


class _Bad:
    """Marks a value that could not be read; its problem is already reported."""

    def __repr__(self) -> str:
        return "<bad>"


BAD = _Bad()


def is_number(value: Any) -> bool:
    """A real, finite number (not True/False, not NaN or infinity)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_year(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1949 <= value <= 2100


class _Checker:
    """Semantic checks on a plan dict; `locate` turns a path into words."""

    def __init__(self, data: dict[str, Any], locate: Locator) -> None:
        self.data = data
        self.locate = locate
        self.problems: list[Problem] = []

    def bad(self, path: DictPath, message: str) -> None:
        self.problems.append(Problem(self.locate(path), message))

    def text(
        self,
        obj: dict[str, Any],
        key: str,
        path: DictPath,
        required: bool,
        limit: int | None = None,
        kind: str = "line",
    ) -> None:
        """Check a text field and store it cleaned (desktop/cleaning.py): `kind` is line, name or text."""
        value = obj.get(key)
        where = (*path, key)
        if value is BAD:
            return
        if value is None or value == "":
            if required:
                self.bad(where, f"“{FIELD_LABELS.get(key, key)}”不能为空。")
            return
        if not isinstance(value, str):
            self.bad(where, f"“{FIELD_LABELS.get(key, key)}”应为文字，现为“{value}”。")
            return
        value = obj[key] = CLEANERS[kind](value)
        if not value:
            if required:
                self.bad(
                    where, f"“{FIELD_LABELS.get(key, key)}”只有空格或不可见的字符，等于没有填写。"
                )
            return
        if limit and len(value) > limit:
            self.bad(
                where, f"“{FIELD_LABELS.get(key, key)}”太长（{len(value)} 字，最多 {limit} 字）。"
            )

    def choice(
        self, obj: dict[str, Any], key: str, path: DictPath, allowed: tuple[str, ...]
    ) -> None:
        value = obj.get(key)
        if value is BAD:
            return
        if value is None or value == "":
            self.bad((*path, key), f"“{FIELD_LABELS.get(key, key)}”不能为空。")
        elif not isinstance(value, str) or value not in allowed:
            self.bad(
                (*path, key),
                f"“{FIELD_LABELS.get(key, key)}”的值“{value}”无效，应为 {' / '.join(allowed)}。",
            )

    def number(
        self,
        obj: dict[str, Any],
        key: str,
        path: DictPath,
        required: bool = False,
        pct: bool = False,
    ) -> None:
        value = obj.get(key)
        if value is BAD:
            return
        label = FIELD_LABELS.get(key, key)
        if value is None:
            if required:
                self.bad((*path, key), f"“{label}”不能为空。")
            return
        if not is_number(value):
            self.bad((*path, key), f"“{label}”应为数字，现为“{value}”。")
        elif value < 0:
            self.bad((*path, key), f"“{label}”不能为负数。")
        elif pct and value > 100:
            self.bad((*path, key), f"“{label}”是百分比，不能超过 100。")
        elif key in LIMITS:
            self._in_range((*path, key), key, value, label)

    def _in_range(self, where: DictPath, name: str, value: Any, label: str) -> None:
        try:
            checked(name, value, label)
        except ValidationError as exc:
            self.bad(where, str(exc))

    def year(self, obj: dict[str, Any], key: str, path: DictPath, required: bool = False) -> None:
        value = obj.get(key)
        if value is BAD or (value is None and not required):
            return
        if value is None:
            self.bad((*path, key), f"“{FIELD_LABELS.get(key, key)}”不能为空。")
        elif not is_year(value):
            self.bad((*path, key), f"“{FIELD_LABELS.get(key, key)}”应为四位年份，现为“{value}”。")

    def run(self) -> list[Problem]:
        data = self.data
        if not isinstance(data, dict):
            self.bad((), "文件内容不是一个方案。")
            return self.problems
        self.text(data, "id", (), required=True, limit=MAX_LENGTHS["id"])
        meta = data.get("plan")
        if not isinstance(meta, dict):
            self.bad(("plan",), "缺少方案信息（plan）。")
            meta = {}
        self._meta(meta)
        self._units(data.get("units"))
        tasks = self._sections(data.get("sections"))
        self._indicators(data.get("indicators"), tasks, meta)
        return self.problems

    def _meta(self, meta: dict[str, Any]) -> None:
        p: DictPath = ("plan",)
        self.text(meta, "region", p, True, MAX_LENGTHS["region"])
        self.text(meta, "name", p, True, MAX_LENGTHS["plan_name"])
        if meta.get("level") is not None:
            self.choice(meta, "level", p, LEVELS)
        self.year(meta, "first_year", p, required=True)
        self.year(meta, "last_year", p, required=True)
        first, last = meta.get("first_year"), meta.get("last_year")
        if is_year(first) and is_year(last) and last < first:
            self.bad((*p, "last_year"), "结束年份早于起始年份。")
        self.text(meta, "doc_number", p, False, MAX_LENGTHS["doc_number"])
        issued = meta.get("issue_date")
        if issued not in (None, "", BAD) and not isinstance(issued, date):
            try:
                date.fromisoformat(str(issued))
            except ValueError:
                self.bad((*p, "issue_date"), f"“印发日期”应为 YYYY-MM-DD，现为“{issued}”。")
        self.number(meta, "literacy_baseline", p, pct=True)
        self.year(meta, "literacy_baseline_year", p)
        self.number(meta, "literacy_target", p, pct=True)

    def _units(self, units: Any) -> set[str]:
        names: set[str] = set()
        if units is None:
            return names
        if not isinstance(units, list):
            self.bad(("units",), "单位名录应为列表。")
            return names
        aliases: dict[str, int] = {}
        for i, unit in enumerate(units):
            p: DictPath = ("units", i)
            if not isinstance(unit, dict):
                self.bad(p, "应为含 name 的条目。")
                continue
            self.text(unit, "name", p, True, MAX_LENGTHS["unit_name"], kind="name")
            name = unit.get("name")
            if isinstance(name, str) and name:
                if name in names:
                    self.bad((*p, "name"), f"单位“{name}”重复列出。")
                names.add(name)
            if unit.get("aliases") is BAD:
                continue
            if not isinstance(unit.get("aliases") or [], list):
                self.bad((*p, "aliases"), "“别名”应为列表。")
                continue
            if unit.get("aliases"):
                unit["aliases"] = [
                    clean_name(a) if isinstance(a, str) else a for a in unit["aliases"]
                ]
            for alias in unit.get("aliases") or []:
                if not isinstance(alias, str) or not alias:
                    self.bad((*p, "aliases"), f"别名“{alias}”无效。")
                elif alias in aliases and aliases[alias] != i:
                    self.bad((*p, "aliases"), f"别名“{alias}”同时属于两个单位。")
                else:
                    aliases[alias] = i
        for alias in aliases:
            if alias in names:
                i = aliases[alias]
                self.bad(("units", i, "aliases"), f"别名“{alias}”与另一单位的名称相同。")
        return names

    def _links(self, links: Any, path: DictPath) -> None:
        if links is None or links is BAD:
            return
        if not isinstance(links, list):
            self.bad(path, "责任单位应为列表。")
            return
        seen: set[str] = set()
        for k, link in enumerate(links):
            p = (*path, k)
            if not isinstance(link, dict):
                self.bad(p, "责任单位应为含 name 和 role 的条目。")
                continue
            self.text(link, "name", p, True, MAX_LENGTHS["unit_name"], kind="name")
            self.choice(link, "role", p, ROLES)
            name = link.get("name")
            if isinstance(name, str) and name:
                if name in seen:
                    self.bad((*p, "name"), f"责任单位“{name}”重复列出。")
                seen.add(name)

    def _sections(self, sections: Any) -> set[str]:
        codes: dict[str, DictPath] = {}
        tasks: set[str] = set()
        if not isinstance(sections, list):
            if sections is not None:
                self.bad(("sections",), "行动/工程应为列表。")
            return tasks

        def unique(code: Any, where: DictPath) -> None:
            if not isinstance(code, str) or not code:
                return
            if code in codes:
                self.bad(where, f"编号“{code}”重复（另见{self.locate(codes[code])}）。")
            else:
                codes[code] = where

        for i, sec in enumerate(sections):
            p: DictPath = ("sections", i)
            if not isinstance(sec, dict):
                self.bad(p, "应为一个行动/工程。")
                continue
            self.text(sec, "code", p, True, MAX_LENGTHS["code"])
            unique(sec.get("code"), (*p, "code"))
            self.choice(sec, "kind", p, KINDS)
            self.text(sec, "title", p, True, MAX_LENGTHS["section_title"])
            group = sec.get("target_group")
            if group not in (None, "", BAD) and group not in TARGET_GROUPS:
                self.bad(
                    (*p, "target_group"),
                    f"重点人群“{group}”不在名单中（{'、'.join(TARGET_GROUPS)}）。",
                )
            self._links(sec.get("units"), (*p, "units"))
            sec_tasks = sec.get("tasks") or []
            if not isinstance(sec_tasks, list):
                self.bad((*p, "tasks"), "任务应为列表。")
                continue
            for j, task in enumerate(sec_tasks):
                tp: DictPath = (*p, "tasks", j)
                if not isinstance(task, dict):
                    self.bad(tp, "应为一项任务。")
                    continue
                self.text(task, "code", tp, True, MAX_LENGTHS["code"])
                unique(task.get("code"), (*tp, "code"))
                if isinstance(task.get("code"), str):
                    tasks.add(task["code"])
                self.text(task, "title", tp, True, MAX_LENGTHS["task_title"])
                number = task.get("number")
                if number not in (None, BAD) and not isinstance(number, str):
                    self.bad((*tp, "number"), f"“序号”应为文字，现为“{number}”。")
                elif isinstance(number, str) and len(number) > MAX_LENGTHS["number"]:
                    self.bad((*tp, "number"), "“序号”太长。")
                self.text(task, "text", tp, False, kind="text")
                self._links(task.get("units"), (*tp, "units"))
        return tasks

    def _indicators(
        self,
        indicators: Any,
        tasks: set[str],
        meta: dict[str, Any],
        others: dict[str, str] | None = None,
    ) -> None:
        if indicators is None:
            return
        if not isinstance(indicators, list):
            self.bad(("indicators",), "指标应为列表。")
            return
        codes: dict[str, int] = {}
        first, last = meta.get("first_year"), meta.get("last_year")
        for i, ind in enumerate(indicators):
            p: DictPath = ("indicators", i)
            if not isinstance(ind, dict):
                self.bad(p, "应为一个指标。")
                continue
            self.text(ind, "code", p, True, MAX_LENGTHS["code"])
            code = ind.get("code")
            if isinstance(code, str) and code:
                if code in codes:
                    self.bad(
                        (*p, "code"), f"指标编号“{code}”重复（与第 {codes[code] + 1} 个指标相同）。"
                    )
                else:
                    codes[code] = i
            self.text(ind, "name", p, True, MAX_LENGTHS["indicator_name"])
            self.text(ind, "unit", p, False, MAX_LENGTHS["uom"])
            self.choice(ind, "measure", p, MEASURES)
            self.choice(ind, "target_mode", p, TARGET_MODES)
            if ind.get("comparator") is not None:
                self.choice(ind, "comparator", p, COMPARATORS)
            if ind.get("source") is not None:
                self.choice(ind, "source", p, SOURCES)
            task = ind.get("task")
            if task not in (None, "", BAD) and not isinstance(task, str):
                self.bad((*p, "task"), f"“所属任务”应为任务编号（文字），现为“{task}”。")
            elif task not in (None, "", BAD) and task not in tasks:
                self.bad((*p, "task"), f"所属任务“{task}”在方案中不存在。")
            mode = ind.get("target_mode")
            percent = ind.get("measure") == "percent"
            # A target may be pending (a plan just rolled over, a draft): it shows as 未定目标.
            self.number(ind, "target", p, pct=percent)
            self.number(ind, "baseline", p, pct=percent)
            self.year(ind, "baseline_year", p)
            self._year_targets(ind, p, mode, first, last)
            self._rule(ind, p, tasks)
            self.text(ind, "quote", p, False, kind="text")
        self._ratios(indicators, others or {})

    def _ratios(self, indicators: list[Any], others: dict[str, str]) -> None:
        """Numerator and denominator name level/count indicators of the same plan."""
        measures = dict(others)
        for ind in indicators:
            if isinstance(ind, dict) and isinstance(ind.get("code"), str) and ind["code"]:
                measures.setdefault(ind["code"], ind.get("measure"))
        for i, ind in enumerate(indicators):
            if not isinstance(ind, dict) or any(ind.get(k) is BAD for k in RATIO_KEYS):
                continue
            for key, message in ratio_problems(ind, measures):
                self.bad(("indicators", i, key), message)

    def _year_targets(
        self, ind: dict[str, Any], p: DictPath, mode: Any, first: Any, last: Any
    ) -> None:
        by_year = ind.get("targets_by_year")
        if by_year is BAD:
            return
        if by_year in (None, {}):
            return  # per-year targets still to be entered: each year shows as 未定目标
        if not isinstance(by_year, dict):
            self.bad((*p, "targets_by_year"), "分年度目标应为“年份: 数值”的表。")
            return
        for year, value in by_year.items():
            where = (*p, "targets_by_year", year)
            if value is BAD:
                continue
            y = int(year) if isinstance(year, str) and year.isascii() and year.isdigit() else year
            if not is_year(y):
                self.bad(where, f"“{year}”不是年份。")
            elif is_year(first) and is_year(last) and not first <= y <= last:
                self.bad(where, f"{y} 年不在方案的 {first}—{last} 年之内。")
            if not is_number(value):
                self.bad(where, f"{year} 年目标应为数字，现为“{value}”。")
            else:
                self._in_range(where, "target", value, f"{year} 年目标")

    def _rule(self, ind: dict[str, Any], p: DictPath, tasks: set[str]) -> None:
        rule = ind.get("rule")
        if rule is BAD:
            return
        if rule is None:
            if ind.get("source") == "derived":
                self.bad((*p, "rule"), "数据来源为“台账统计”，但没有填写统计口径。")
            return
        if not isinstance(rule, dict):
            self.bad((*p, "rule"), "统计口径应为含 metric 的表。")
            return
        rp = (*p, "rule")
        self.choice(rule, "metric", rp, METRICS)
        for key in RULE_LISTS:
            items = rule.get(key) or []
            if items is BAD:
                continue
            if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
                self.bad((*rp, key), f"“{FIELD_LABELS[key]}”应为文字列表。")
                continue
            for item in items:
                if key == "activity_types" and item not in TYPE_CODES:
                    self.bad((*rp, key), f"活动类型“{item}”不存在。")
                elif key == "target_groups" and item not in TARGET_GROUPS:
                    self.bad((*rp, key), f"重点人群“{item}”不在名单中。")
                elif key == "tasks" and item not in tasks:
                    self.bad((*rp, key), f"限定任务“{item}”在方案中不存在。")


def validate_plan(data: dict[str, Any], locate: Locator | None = None) -> list[Problem]:
    """Every problem in a plan dict; empty when it can be saved as it is."""
    return _Checker(data, locate or yaml_locator(data)).run()


def indicator_problems(
    ind: dict[str, Any],
    task_codes: set[str],
    first_year: int,
    last_year: int,
    others: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(field, message) for each fault in one indicator, as the editor saves it.

    `others` maps the codes of the plan's other indicators to their measures,
    for the numerator and denominator.
    """

    def field(path: DictPath) -> str:
        return next((str(k) for k in reversed(path) if isinstance(k, str)), "")

    checker = _Checker({}, field)
    checker._indicators(
        [ind], task_codes, {"first_year": first_year, "last_year": last_year}, others
    )
    return [(p.where, p.message) for p in checker.problems]


def check_plan(
    data: dict[str, Any],
    source: str = "方案",
    locate: Locator | None = None,
    found: Iterable[Problem] = (),
) -> PlanDocument:
    """The checked dict as a document, or PlanFileError listing every problem.

    `found` are the faults a reader met while building the dict (a cell that
    is not a number); the checks add nothing at a place already named there,
    so each fault is told once.
    """
    found = list(found)
    named = {p.where for p in found}
    problems = [*found, *(p for p in validate_plan(data, locate) if p.where not in named)]
    if problems:
        raise PlanFileError(source, problems)
    return PlanDocument.from_dict(data)
