"""The plan-structure workbook in: its five sheets read back into a checked plan.

An office exports its plan (desktop/exporting/plan_workbook.py), fixes a unit
name or adds a target in Excel, and loads the file back. Columns are found
by their header (desktop/plan/workbook_layout.py), so they may be reordered
or widened; every fault is reported at its sheet, row and column, and a file
with any fault yields a PlanFileError and no plan.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from desktop.importing.plan_document_file import PlanDocumentError, read_plan_bytes
from desktop.importing.plan_workbook_cells import (
    COMPARATOR_CODES,
    KIND_CODES,
    LEVEL_CODES,
    MEASURE_CODES,
    METRIC_CODES,
    MODE_CODES,
    ROLE_CODES,
    SOURCE_CODES,
    CellReader,
    Spot,
    split_list,
)
from desktop.plan.codes import default_id, fill_codes
from desktop.plan.document import PlanDocument
from desktop.plan.locator import DictPath
from desktop.plan.validation import BAD, TYPE_CODES, PlanFileError, Problem, check_plan
from desktop.plan.workbook_layout import (
    IND_HEAD,
    KIND_TASK,
    LINK_HEADERS,
    META_FIELDS,
    SHEET_INDICATORS,
    SHEET_LINKS,
    SHEET_META,
    SHEET_TREE,
    SHEET_UNITS,
    TREE_HEADERS,
    UNIT_HEADERS,
)

MAX_XLSX_UNPACKED = 300 * 1024 * 1024  # the parts of a workbook, unpacked
_YEAR_COLUMN = re.compile(r"^(\d{4})\s*年?目标$")
_DAMAGED = "不是有效的 Excel 工作簿（.xlsx），文件可能已损坏；请在 Excel / WPS 中打开后重新保存。"


def _open(path: Path, source: str) -> Workbook:
    """The workbook, once its bytes look like one and its unpacked size is sane."""
    try:
        if not read_plan_bytes(path).startswith(b"PK"):
            raise PlanDocumentError(_DAMAGED)
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "word/document.xml" in names:
                raise PlanDocumentError(
                    "这是 Word 文档，不是 Excel 工作簿；方案原文请用“从文本识别”"
                    "（kepu plan parse）。"
                )
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED:
                raise PlanDocumentError("工作簿解压后太大，不像是一份方案工作簿。")
        return load_workbook(path)
    except PlanDocumentError as exc:
        raise PlanFileError(source, [Problem("文件", str(exc))]) from None
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        EOFError,
        SyntaxError,  # ElementTree's ParseError
    ):
        raise PlanFileError(source, [Problem("文件", _DAMAGED)]) from None
    except OSError as exc:
        raise PlanFileError(
            source, [Problem("文件", f"系统无法读取这个文件（错误号 {exc.errno}）。")]
        ) from None


class _WorkbookReader(CellReader):
    """The sheets into a plan dict, remembering where each value came from."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.spots: dict[DictPath, Spot] = {}

    def read(self) -> PlanDocument:
        source = f"方案工作簿“{self.path.name}”"
        wb = _open(self.path, source)
        required = [SHEET_META, SHEET_TREE, SHEET_LINKS, SHEET_INDICATORS]
        missing = [name for name in required if name not in wb.sheetnames]
        if missing:
            raise PlanFileError(
                source,
                [
                    Problem(
                        "工作簿",
                        f"缺少工作表“{name}”（文件中的工作表：{'、'.join(wb.sheetnames)}）。"
                        "请使用本程序导出的方案工作簿。",
                    )
                    for name in missing
                ],
            )
        data: dict[str, Any] = {}
        self._meta(wb[SHEET_META], data)
        self._tree(wb[SHEET_TREE], data)
        self._links(wb[SHEET_LINKS], data)
        if SHEET_UNITS in wb.sheetnames:
            self._units(wb[SHEET_UNITS], data)
        self._indicators(wb[SHEET_INDICATORS], data)
        self._fill_units(data)
        fill_codes(data)
        return check_plan(data, source, self.locate, self.problems)

    def locate(self, path: DictPath) -> str:
        """The cell a value came from, or the nearest row or sheet that holds it."""
        probe = path
        while probe:
            if probe in self.spots:
                return str(self.spots[probe])
            probe = probe[:-1]
        return "工作簿"

    def _meta(self, ws: Worksheet, data: dict[str, Any]) -> None:
        by_label = {label: key for key, label in META_FIELDS}
        meta: dict[str, Any] = {}
        seen: set[str] = set()
        for row, cells in self.rows(ws):
            label = str(cells[0].value or "").strip()
            key = by_label.get(label)
            if key is None or len(cells) < 2:
                continue
            seen.add(key)
            spot = Spot(ws.title, row, 2, label)
            cell = cells[1]
            if key in ("first_year", "last_year", "literacy_baseline_year"):
                value = self.year(cell, spot)
            elif key in ("literacy_baseline", "literacy_target"):
                value = self.number(cell, spot)
            elif key == "level":
                value = self.coded(cell, spot, LEVEL_CODES, "层级") or "county"
            else:
                value = self.text(cell, spot)
                if key in ("doc_number", "issue_date") and value == "":
                    value = None
            path = ("id",) if key == "id" else ("plan", key)
            self.spots[path] = spot
            if key == "id":
                data["id"] = value
            else:
                meta[key] = value
        for key, label in META_FIELDS:
            if key not in seen and key in ("region", "name", "first_year", "last_year"):
                self.bad(Spot(ws.title, 1), f"缺少“{label}”一行。")
        data["plan"] = meta
        if not data.get("id"):
            data["id"] = default_id(meta)
        self.spots[("plan",)] = Spot(ws.title, 2)

    def _tree(self, ws: Worksheet, data: dict[str, Any]) -> None:
        cols = self.headers(ws, TREE_HEADERS[:4])
        sections: list[dict[str, Any]] = []
        data["sections"] = sections
        if cols is None:
            return
        optional = {h: cols.get(h) for h in TREE_HEADERS}

        def cell(cells: tuple[Cell, ...], header: str) -> tuple[Cell | None, Spot]:
            col = optional[header]
            found = cells[col - 1] if col and col <= len(cells) else None
            return found, Spot(ws.title, row, col, header)

        for row, cells in self.rows(ws):
            values: dict[str, Any] = {}
            for header in TREE_HEADERS:
                c, spot = cell(cells, header)
                values[header] = "" if c is None else self.text(c, spot)
            kind_cell, kind_spot = cell(cells, "类别")
            kind_text = values["类别"]
            if kind_text is BAD:
                continue
            if kind_text == KIND_TASK:
                if not sections:
                    self.bad(kind_spot, "任务行之前没有行动/工程行，不知道它属于哪个行动/工程。")
                    continue
                sec = sections[-1]
                j = len(sec["tasks"])
                path: DictPath = ("sections", len(sections) - 1, "tasks", j)
                sec["tasks"].append(
                    {
                        "code": values["编号"],
                        "number": values["序号"],
                        "title": values["标题"],
                        "text": values["全文"],
                        "units": [],
                    }
                )
                fields = {"code": "编号", "number": "序号", "title": "标题", "text": "全文"}
            else:
                kind = self.coded(kind_cell, kind_spot, KIND_CODES, "类别") if kind_cell else None
                if kind is BAD:
                    continue
                if kind is None:
                    self.bad(kind_spot, "“类别”不能为空（提升行动、重点工程或任务）。")
                    continue
                path = ("sections", len(sections))
                sections.append(
                    {
                        "code": values["编号"],
                        "kind": kind,
                        "title": values["标题"],
                        "target_group": values["重点人群"] or None,
                        "units": [],
                        "tasks": [],
                    }
                )
                fields = {
                    "code": "编号",
                    "kind": "类别",
                    "title": "标题",
                    "target_group": "重点人群",
                }
            self.spots[path] = Spot(ws.title, row)
            for key, header in fields.items():
                self.spots[(*path, key)] = Spot(ws.title, row, optional[header], header)

    def _owners(self, data: dict[str, Any]) -> dict[str, tuple[dict[str, Any], DictPath]]:
        owners: dict[str, tuple[dict[str, Any], DictPath]] = {}
        for i, sec in enumerate(data["sections"]):
            owners.setdefault(sec["code"], (sec, ("sections", i)))
            for j, task in enumerate(sec["tasks"]):
                owners.setdefault(task["code"], (task, ("sections", i, "tasks", j)))
        return owners

    def _links(self, ws: Worksheet, data: dict[str, Any]) -> None:
        cols = self.headers(ws, [LINK_HEADERS[0], LINK_HEADERS[2], LINK_HEADERS[3]])
        if cols is None:
            return
        owners = self._owners(data)
        c_code, c_unit, c_role = cols["编号"], cols["责任单位"], cols["角色"]
        for row, cells in self.rows(ws):
            spot_code = Spot(ws.title, row, c_code, "编号")
            code = self.text(cells[c_code - 1], spot_code)
            if code is BAD:
                continue
            if code == "":
                self.bad(spot_code, "“编号”不能为空，应填行动/工程或任务的编号。")
                continue
            if code not in owners:
                self.bad(spot_code, f"编号“{code}”在“{SHEET_TREE}”表中不存在。")
                continue
            owner, path = owners[code]
            spot_unit = Spot(ws.title, row, c_unit, "责任单位")
            spot_role = Spot(ws.title, row, c_role, "角色")
            name = self.text(cells[c_unit - 1], spot_unit)
            role = self.coded(cells[c_role - 1], spot_role, ROLE_CODES, "角色")
            if role is None:
                self.bad(spot_role, "“角色”不能为空（牵头或配合）。")
                role = BAD
            k = len(owner["units"])
            owner["units"].append({"name": name, "role": role})
            link_path = (*path, "units", k)
            self.spots[link_path] = Spot(ws.title, row)
            self.spots[(*link_path, "name")] = spot_unit
            self.spots[(*link_path, "role")] = spot_role

    def _units(self, ws: Worksheet, data: dict[str, Any]) -> None:
        cols = self.headers(ws, UNIT_HEADERS[:1])
        if cols is None:
            return
        units = []
        for row, cells in self.rows(ws):
            spot_name = Spot(ws.title, row, cols["单位名称"], "单位名称")
            name = self.text(cells[cols["单位名称"] - 1], spot_name)
            aliases: Any = []
            if "别名" in cols and cols["别名"] <= len(cells):
                spot_alias = Spot(ws.title, row, cols["别名"], "别名")
                raw = self.text(cells[cols["别名"] - 1], spot_alias)
                aliases = BAD if raw is BAD else split_list(raw)
                self.spots[("units", len(units), "aliases")] = spot_alias
            self.spots[("units", len(units))] = Spot(ws.title, row)
            self.spots[("units", len(units), "name")] = spot_name
            units.append({"name": name, "aliases": aliases})
        data["units"] = units

    @staticmethod
    def _fill_units(data: dict[str, Any]) -> None:
        """Units named in links but not in 单位名录 are added, without aliases."""
        units = data.setdefault("units", [])
        known = {u["name"] for u in units}
        for aliases in (u.get("aliases") for u in units):
            if isinstance(aliases, list):
                known.update(aliases)
        for sec in data["sections"]:
            for owner in [sec, *sec["tasks"]]:
                for link in owner["units"]:
                    name = link["name"]
                    if isinstance(name, str) and name and name not in known:
                        units.append({"name": name, "aliases": []})
                        known.add(name)

    def _indicators(self, ws: Worksheet, data: dict[str, Any]) -> None:
        cols = self.headers(ws, IND_HEAD)
        indicators: list[dict[str, Any]] = []
        data["indicators"] = indicators
        if cols is None:
            return
        years = {int(m.group(1)): col for h, col in cols.items() if (m := _YEAR_COLUMN.match(h))}
        for row, cells in self.rows(ws):
            line = _Line(self, ws.title, row, cells, cols, ("indicators", len(indicators)))
            indicators.append(line.indicator(years))


_IND_FIELDS = [
    ("code", "编号"),
    ("name", "指标名称"),
    ("unit", "计量单位"),
    ("measure", "计量方式"),
    ("task", "所属任务"),
    ("target_mode", "目标类型"),
    ("comparator", "比较"),
    ("target", "目标值"),
    ("baseline", "基线值"),
    ("baseline_year", "基线年份"),
    ("source", "数据来源"),
    ("rule", "统计口径"),
    ("targets_by_year", "目标类型"),
    ("numerator", "分子指标编号"),
    ("denominator", "分母指标编号"),
    ("quote", "原文"),
]
_RULE_FIELDS = [
    ("activity_types", "活动类型"),
    ("target_groups", "重点人群"),
    ("tasks", "限定任务"),
    ("units", "限定单位"),
]


class _Line:
    """One row of the 指标 sheet, read cell by cell with its place remembered."""

    def __init__(
        self,
        reader: _WorkbookReader,
        sheet: str,
        row: int,
        cells: tuple[Cell, ...],
        cols: dict[str, int],
        path: DictPath,
    ) -> None:
        self.reader = reader
        self.sheet = sheet
        self.row = row
        self.cells = cells
        self.cols = cols
        self.path = path

    def spot(self, header: str) -> Spot:
        return Spot(self.sheet, self.row, self.cols.get(header), header)

    def get(self, header: str, read: Callable[..., Any], *extra: Any) -> Any:
        col = self.cols.get(header)
        if col is None or col > len(self.cells):
            return None
        return read(self.cells[col - 1], self.spot(header), *extra)

    def indicator(self, years: dict[int, int]) -> dict[str, Any]:
        r = self.reader
        r.spots[self.path] = Spot(self.sheet, self.row)
        for key, header in _IND_FIELDS:
            if header in self.cols:
                r.spots[(*self.path, key)] = self.spot(header)
        ind: dict[str, Any] = {
            "code": self.get("编号", r.text),
            "name": self.get("指标名称", r.text),
            "unit": self.get("计量单位", r.text),
            "measure": self.get("计量方式", r.coded, MEASURE_CODES, "计量方式"),
            "task": self.get("所属任务", r.text) or None,
            "target_mode": self.get("目标类型", r.coded, MODE_CODES, "目标类型"),
            "comparator": self.get("比较", r.coded, COMPARATOR_CODES, "比较") or ">=",
            "target": self.get("目标值", r.number),
            "baseline": self.get("基线值", r.number),
            "baseline_year": self.get("基线年份", r.year),
            "source": self.get("数据来源", r.coded, SOURCE_CODES, "数据来源") or "manual",
            "numerator": self.get("分子指标编号", r.text) or None,
            "denominator": self.get("分母指标编号", r.text) or None,
            "quote": self.get("原文", r.text) or "",
        }
        by_year: dict[int, Any] = {}
        for year, col in sorted(years.items()):
            header = next(h for h, c in self.cols.items() if c == col)
            value = self.get(header, r.number)
            if value is not None:
                by_year[year] = value
                r.spots[(*self.path, "targets_by_year", year)] = self.spot(header)
        ind["targets_by_year"] = by_year or None
        ind["rule"] = self.rule()
        return ind

    def rule(self) -> Any:
        r = self.reader
        metric = self.get("统计口径", r.coded, METRIC_CODES, "统计口径")
        if "统计口径" in self.cols:
            r.spots[(*self.path, "rule", "metric")] = self.spot("统计口径")
        lists: dict[str, Any] = {}
        for key, header in _RULE_FIELDS:
            if header in self.cols:
                r.spots[(*self.path, "rule", key)] = self.spot(header)
            raw = self.get(header, r.text) or ""
            if raw is BAD:
                lists[key] = BAD
                continue
            items = split_list(raw)
            if key == "activity_types":
                items = [TYPE_CODES.get(x, x) for x in items]
            lists[key] = items
        if metric is BAD:
            return BAD
        if metric is None:
            if any(v for v in lists.values() if v is not BAD):
                r.bad(self.spot("统计口径"), "填写了活动类型等限定条件，但没有选择统计口径。")
                return BAD
            return None
        return {"metric": metric, **lists}


def read_plan_workbook(path: Path) -> PlanDocument:
    return _WorkbookReader(path).read()
