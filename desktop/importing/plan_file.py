"""Plan files in: a YAML plan file or a plan-structure workbook → the plan dict.

Both are checked completely before anything is written: every problem is
collected and reported at once, by sheet, row and column for a workbook and
by section/task/indicator for YAML, in Chinese. A file with any problem
yields a PlanFileError and no plan, so a bad file changes nothing.

The workbook layout is the one desktop/exporting/plan_workbook.py writes;
columns are found by their header, so an office may reorder or widen them.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from desktop.exporting.plan_workbook import (
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
from desktop.plan.document import PlanDocument
from desktop.plan.validation import (
    BAD,
    TYPE_CODES,
    DictPath,
    PlanFileError,
    Problem,
    fill_codes,
    is_number,
    is_year,
    validate_plan,
)
from desktop.plan.vocabulary import (
    COMPARATOR_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    MEASURE_LABELS,
    METRIC_LABELS,
    ROLE_LABELS,
    SOURCE_LABELS,
    TARGET_MODE_LABELS,
)

MAX_XLSX_UNPACKED = 300 * 1024 * 1024  # the parts of a workbook, unpacked
MAX_YAML_NODES = 2_000_000  # a plan with 10,000 indicators has some 400,000

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# PyYAML's reasons, in the words an office user can act on.
_YAML_REASONS = [
    ("cannot start any token", "出现了不能用在这里的字符"),
    ("mapping values are not allowed", "这里不能出现“:”（缩进不对，或文字中的英文冒号没有加引号）"),
    ("could not find expected ':'", "缺少“:”（每一项应写成“名称: 内容”）"),
    ("expected <block end>", "缩进不一致"),
    ("expected <block mapping start>", "缩进不一致"),
    ("did not find expected key", "缩进不一致，或一行中有多余的内容"),
    ("did not find expected '-'", "列表项缩进不一致"),
    ("found undefined alias", "引用（*）了没有定义的锚点（&）"),
    (
        "could not determine a constructor",
        "含有不允许的 YAML 标签（!!…），方案文件中只能有文字、数字、列表和表",
    ),
    ("found another document", "文件中有多份文档（---），只能有一份"),
    ("maximum nesting depth", "嵌套层数太多"),
    ("unexpected end of stream", "文件在引号或括号未结束处中断（引号、括号没有配对）"),
    ("unknown escape character", "双引号内有无效的转义符“\\”（路径等请用单引号）"),
    ("control characters are not allowed", "含有不允许的控制字符"),
    ("found unacceptable character", "含有不允许的控制字符"),
    ("expected a comment or a line break", "一行的末尾有多余的内容"),
    ("found duplicate anchor", "锚点（&）重名"),
    ("found unhashable key", "表的键不能是列表或表"),
]


class _PlanYamlError(Exception):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def _mark_words(mark: Any) -> str:
    return f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else "文件"


class _PlanLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing repeated keys (an edit slip: which one counts?)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        if isinstance(node, yaml.MappingNode):
            for key_node, _value in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise _PlanYamlError(
                            _mark_words(key_node.start_mark),
                            f"键“{key_node.value}”在同一层重复出现，应只写一次。",
                        )
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _expanded_size(root: Any) -> int:
    """Nodes the document stands for once every alias (*) is expanded;
    MAX_YAML_NODES + 1 for more, or for a node that contains itself."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()
    too_many = MAX_YAML_NODES + 1

    def size(node: Any) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            return too_many
        busy.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > MAX_YAML_NODES:
                total = too_many
                break
        busy.discard(key)
        sizes[key] = total
        return total

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 5000))  # the composer allows 1,000 levels
    try:
        return size(root)
    finally:
        sys.setrecursionlimit(limit)


def _char_at(text: str, mark: Any) -> str:
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _load_yaml(text: str) -> Any:
    loader = _PlanLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > MAX_YAML_NODES:
            raise _PlanYamlError(
                "文件",
                "内容展开后过于庞大（大量或循环的锚点 & / 引用 *），不是一份方案文件。",
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()


def read_plan_yaml(path: Path) -> PlanDocument:
    from desktop.importing.plan_text import (
        PlanDocumentError,
        decode_text,
        foreign_format,
        read_file_bytes,
    )

    source = f"方案文件“{path.name}”"
    text = ""
    try:
        raw = read_file_bytes(path)
        foreign = foreign_format(raw)
        if foreign or raw.startswith(b"PK\x03\x04"):
            raise PlanDocumentError(
                foreign
                or "这是 Office 文件（.docx / .xlsx），不是 YAML 文本；"
                "方案工作簿请把扩展名改回 .xlsx。"
            )
        text = decode_text(raw)
        if not text.strip():
            raise PlanDocumentError("文件是空的。")
        data = _load_yaml(text)
    except PlanDocumentError as exc:
        raise PlanFileError(source, [Problem("文件", str(exc))]) from None
    except _PlanYamlError as exc:
        raise PlanFileError(source, [Problem(exc.where, exc.message)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        english = f"{getattr(exc, 'problem', None) or ''} {exc}"
        reason = next((zh for en, zh in _YAML_REASONS if en in english), None)
        if reason == "出现了不能用在这里的字符" and _char_at(text, mark) == "\t":
            reason = "用了 Tab 键缩进；YAML 只能用空格缩进"
        reason = reason or "不符合 YAML 格式"
        raise PlanFileError(
            source, [Problem(_mark_words(mark), f"YAML 格式错误：{reason}。")]
        ) from None
    except RecursionError:
        raise PlanFileError(source, [Problem("文件", "YAML 嵌套层数太多。")]) from None
    if isinstance(data, dict):
        fill_codes(data)
        if data.get("id") is None and isinstance(data.get("plan"), dict):
            data["id"] = _default_id(data["plan"])
    problems = (
        validate_plan(data)
        if isinstance(data, dict)
        else [Problem("文件", "内容不是一个方案（应以 id:、plan:、sections: 等各项开头）。")]
    )
    if problems:
        raise PlanFileError(source, problems)
    return PlanDocument.from_dict(data)


def _default_id(meta: dict[str, Any]) -> str:
    return f"plan-{meta.get('first_year')}-{meta.get('last_year')}"


# ---------------------------------------------------------------- workbook


def _reverse(labels: dict[str, str]) -> dict[str, str]:
    out = {code: code for code in labels}
    out.update({label: code for code, label in labels.items()})
    return out


_LEVELS = _reverse(LEVEL_LABELS) | {"县": "county", "区": "county", "市": "city", "地级市": "city"}
_KINDS = _reverse(KIND_LABELS) | {"行动": "action", "工程": "project"}
_ROLES = _reverse(ROLE_LABELS) | {"配合": "cooperating", "责任": "cooperating", "主责": "lead"}
_MEASURES = _reverse(MEASURE_LABELS)
_MODES = _reverse(TARGET_MODE_LABELS)
_COMPARATORS = _reverse(COMPARATOR_LABELS) | {
    "≥": ">=",
    "≤": "<=",
    "不少于": ">=",
    "不超过": "<=",
}
_SOURCES = _reverse(SOURCE_LABELS)
_METRICS = _reverse(METRIC_LABELS)
_YEAR_COLUMN = re.compile(r"^(\d{4})\s*年?目标$")
_SPLIT = re.compile(r"[、,，;；\n]+")


@dataclass(frozen=True)
class _Spot:
    sheet: str
    row: int
    column: int | None = None
    header: str | None = None

    def __str__(self) -> str:
        text = f"工作表“{self.sheet}”第 {self.row} 行"
        if self.column is not None:
            text += f" {get_column_letter(self.column)} 列"
            if self.header:
                text += f"（{self.header}）"
        return text


class _WorkbookReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.spots: dict[DictPath, _Spot] = {}

    # -- cells

    def bad(self, spot: _Spot, message: str) -> None:
        self.problems.append(Problem(str(spot), message))

    def _formula(self, cell: Cell, spot: _Spot) -> bool:
        if cell.data_type == "f":
            self.bad(spot, "单元格是公式，请直接填写内容。")
            return True
        return False

    def text(self, cell: Cell, spot: _Spot) -> Any:
        if self._formula(cell, spot):
            return BAD
        value = cell.value
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def number(self, cell: Cell, spot: _Spot) -> Any:
        if self._formula(cell, spot):
            return BAD
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if is_number(value):
            return value
        try:
            number = float(str(value).strip().replace(",", "").replace("，", ""))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.bad(spot, f"“{value}”不是数字。")
            return BAD
        return int(number) if number.is_integer() else number

    def year(self, cell: Cell, spot: _Spot) -> Any:
        value = self.number(cell, spot)
        if value is None or value is BAD:
            return value
        if not float(value).is_integer() or not is_year(int(value)):
            self.bad(spot, f"“{cell.value}”不是四位年份。")
            return BAD
        return int(value)

    def coded(self, cell: Cell, spot: _Spot, codes: dict[str, str], what: str) -> Any:
        text = self.text(cell, spot)
        if text is BAD or text == "":
            return None if text == "" else BAD
        code = codes.get(text) or codes.get(text.lower())
        if code is None:
            choices = "、".join(dict.fromkeys(k for k in codes if not k.isascii()))
            self.bad(spot, f"{what}“{text}”无效，应为：{choices}。")
            return BAD
        return code

    # -- sheets

    def headers(self, ws: Worksheet, required: list[str]) -> dict[str, int] | None:
        found: dict[str, int] = {}
        for cell in ws[1]:
            if isinstance(cell.value, str) and cell.value.strip():
                found.setdefault(cell.value.strip(), cell.column)
        missing = [h for h in required if h not in found]
        for header in missing:
            self.bad(_Spot(ws.title, 1), f"缺少列“{header}”。")
        return None if missing else found

    @staticmethod
    def rows(ws: Worksheet) -> list[tuple[int, tuple[Cell, ...]]]:
        """The rows below the header that hold anything, each as wide as the header.

        Only cells that exist are looked at: one stray entry in cell XFD1048576
        makes the sheet's dimensions 17 billion cells, which must not be walked.
        """
        filled: set[int] = set()
        for (row, _col), cell in ws._cells.items():  # noqa: SLF001
            if row >= 2 and cell.value not in (None, ""):
                filled.add(row)
        headers = [
            col
            for (row, col), cell in ws._cells.items()  # noqa: SLF001
            if row == 1 and cell.value not in (None, "")
        ]
        width = max([2, *headers])
        return [(r, tuple(ws.cell(r, c) for c in range(1, width + 1))) for r in sorted(filled)]

    def read(self) -> PlanDocument:
        source = f"方案工作簿“{self.path.name}”"
        from desktop.importing.plan_text import PlanDocumentError, foreign_format, read_file_bytes

        damaged = (
            "不是有效的 Excel 工作簿（.xlsx），文件可能已损坏；请在 Excel / WPS 中打开后重新保存。"
        )
        try:
            raw = read_file_bytes(self.path)
            if not raw.strip():
                raise PlanDocumentError("文件是空的。")
            foreign = foreign_format(raw)
            if foreign:
                raise PlanDocumentError(foreign)
            if not raw.startswith(b"PK"):
                raise PlanDocumentError(damaged)
            with zipfile.ZipFile(self.path) as archive:
                names = archive.namelist()
                if "word/document.xml" in names:
                    raise PlanDocumentError(
                        "这是 Word 文档，不是 Excel 工作簿；方案原文请用“从文本识别”"
                        "（kepu plan parse）。"
                    )
                if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED:
                    raise PlanDocumentError("工作簿解压后太大，不像是一份方案工作簿。")
            wb = load_workbook(self.path)
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
            raise PlanFileError(source, [Problem("文件", damaged)]) from None
        except OSError as exc:
            raise PlanFileError(
                source, [Problem("文件", f"系统无法读取这个文件（错误号 {exc.errno}）。")]
            ) from None
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
        problems = self.problems + [
            p for p in validate_plan(data, self.locate) if p.where not in self._reported()
        ]
        if problems:
            raise PlanFileError(source, problems)
        return PlanDocument.from_dict(data)

    def _reported(self) -> set[str]:
        return {p.where for p in self.problems}

    def locate(self, path: DictPath) -> str:
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
            spot = _Spot(ws.title, row, 2, label)
            cell = cells[1]
            if key in ("first_year", "last_year", "literacy_baseline_year"):
                value = self.year(cell, spot)
            elif key in ("literacy_baseline", "literacy_target"):
                value = self.number(cell, spot)
            elif key == "level":
                value = self.coded(cell, spot, _LEVELS, "层级") or "county"
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
                self.bad(_Spot(ws.title, 1), f"缺少“{label}”一行。")
        data["plan"] = meta
        if not data.get("id"):
            data["id"] = _default_id(meta)
        self.spots[("plan",)] = _Spot(ws.title, 2)

    def _tree(self, ws: Worksheet, data: dict[str, Any]) -> None:
        cols = self.headers(ws, TREE_HEADERS[:4])
        sections: list[dict[str, Any]] = []
        data["sections"] = sections
        if cols is None:
            return
        optional = {h: cols.get(h) for h in TREE_HEADERS}

        def cell(cells: tuple[Cell, ...], header: str) -> tuple[Cell | None, _Spot]:
            col = optional[header]
            found = cells[col - 1] if col and col <= len(cells) else None
            return found, _Spot(ws.title, row, col, header)

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
                kind = self.coded(kind_cell, kind_spot, _KINDS, "类别") if kind_cell else None
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
            self.spots[path] = _Spot(ws.title, row)
            for key, header in fields.items():
                self.spots[(*path, key)] = _Spot(ws.title, row, optional[header], header)

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
            spot_code = _Spot(ws.title, row, c_code, "编号")
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
            spot_unit = _Spot(ws.title, row, c_unit, "责任单位")
            spot_role = _Spot(ws.title, row, c_role, "角色")
            name = self.text(cells[c_unit - 1], spot_unit)
            role = self.coded(cells[c_role - 1], spot_role, _ROLES, "角色")
            if role is None:
                self.bad(spot_role, "“角色”不能为空（牵头或配合）。")
                role = BAD
            k = len(owner["units"])
            owner["units"].append({"name": name, "role": role})
            link_path = (*path, "units", k)
            self.spots[link_path] = _Spot(ws.title, row)
            self.spots[(*link_path, "name")] = spot_unit
            self.spots[(*link_path, "role")] = spot_role

    def _units(self, ws: Worksheet, data: dict[str, Any]) -> None:
        cols = self.headers(ws, UNIT_HEADERS[:1])
        if cols is None:
            return
        units = []
        for row, cells in self.rows(ws):
            spot_name = _Spot(ws.title, row, cols["单位名称"], "单位名称")
            name = self.text(cells[cols["单位名称"] - 1], spot_name)
            aliases: Any = []
            if "别名" in cols and cols["别名"] <= len(cells):
                spot_alias = _Spot(ws.title, row, cols["别名"], "别名")
                raw = self.text(cells[cols["别名"] - 1], spot_alias)
                aliases = BAD if raw is BAD else [a.strip() for a in _SPLIT.split(raw) if a.strip()]
                self.spots[("units", len(units), "aliases")] = spot_alias
            self.spots[("units", len(units))] = _Spot(ws.title, row)
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

    def spot(self, header: str) -> _Spot:
        return _Spot(self.sheet, self.row, self.cols.get(header), header)

    def get(self, header: str, read: Callable[..., Any], *extra: Any) -> Any:
        col = self.cols.get(header)
        if col is None or col > len(self.cells):
            return None
        return read(self.cells[col - 1], self.spot(header), *extra)

    def indicator(self, years: dict[int, int]) -> dict[str, Any]:
        r = self.reader
        r.spots[self.path] = _Spot(self.sheet, self.row)
        for key, header in _IND_FIELDS:
            if header in self.cols:
                r.spots[(*self.path, key)] = self.spot(header)
        ind: dict[str, Any] = {
            "code": self.get("编号", r.text),
            "name": self.get("指标名称", r.text),
            "unit": self.get("计量单位", r.text),
            "measure": self.get("计量方式", r.coded, _MEASURES, "计量方式"),
            "task": self.get("所属任务", r.text) or None,
            "target_mode": self.get("目标类型", r.coded, _MODES, "目标类型"),
            "comparator": self.get("比较", r.coded, _COMPARATORS, "比较") or ">=",
            "target": self.get("目标值", r.number),
            "baseline": self.get("基线值", r.number),
            "baseline_year": self.get("基线年份", r.year),
            "source": self.get("数据来源", r.coded, _SOURCES, "数据来源") or "manual",
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
        metric = self.get("统计口径", r.coded, _METRICS, "统计口径")
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
            items = [x.strip() for x in _SPLIT.split(raw) if x.strip()]
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


def read_plan_file(path: Path | str) -> PlanDocument:
    """A checked plan from a .yaml/.yml plan file or a .xlsx plan workbook."""
    path = Path(path)
    if not path.is_file():
        raise PlanFileError(f"方案文件“{path}”", [Problem("文件", "不存在或不是文件。")])
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_plan_yaml(path)
    if suffix == ".xlsx":
        return read_plan_workbook(path)
    raise PlanFileError(
        f"方案文件“{path.name}”",
        [
            Problem(
                "文件类型",
                f"不支持“{suffix or '无扩展名'}”，应为 .yaml 或 .xlsx；"
                "方案原文（.txt / .docx）请用“从文本识别”。",
            )
        ],
    )
