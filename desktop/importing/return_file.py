"""Reading a return one level up: the county's exported workbook, as the city receives it.

The hidden `_data` sheet is the machine-readable copy of the return
(desktop/return_layout.py); the visible 进展统计表 is what the county
looked at and sent. A return whose visible figures differ from its data
sheet was edited after export and is refused, naming the indicator: the
upper office must not consolidate figures nobody can vouch for.

Only the two sheets are read (python-calamine parses a sheet on demand), so
a return with a large 活动明细 reads as fast as a small one.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from datetime import date
from pathlib import Path
from typing import Any

from desktop.importing.cell_text import cell_text
from desktop.importing.workbook_file import FileRefused, check_file
from desktop.return_layout import (
    DATA_HEADERS,
    DATA_SHEET,
    FORMAT_VERSION,
    PROGRESS_COLUMNS,
    PROGRESS_HEADER_ROW,
    PROGRESS_HEADERS,
    PROGRESS_SHEET,
)
from desktop.services.return_data import (
    INDICATOR,
    LEDGER,
    ReturnFile,
    ReturnRecord,
    UnreadableReturn,
)

MEASURES = ("count", "level", "percent")
# Two figures agree when they differ by no more than rounding in a suite's resave.
_TOLERANCE = 1e-9
_FIGURES = {"target": "目标值", "period_value": "本期完成", "cumulative": "累计完成"}


class ReturnFileError(Exception):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.unreadable = UnreadableReturn(path, message)


def _number(value: Any, where: str, path: Path) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ReturnFileError(path, f"数据表{where}应为数字，却是“{cell_text(value)}”。")
    if not math.isfinite(value):
        raise ReturnFileError(path, f"数据表{where}不是有效数字。")
    return float(value)


def _day(value: Any, field: str, path: Path) -> date:
    text = cell_text(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReturnFileError(
            path, f"数据表的 {field} 应为日期（如 2024-12-31），却是“{text}”。"
        ) from None


def _data_records(rows: list[list[Any]], path: Path) -> tuple[dict[str, str], list[ReturnRecord]]:
    if not rows or [cell_text(v) for v in rows[0][: len(DATA_HEADERS)]] != DATA_HEADERS:
        raise ReturnFileError(path, "隐藏数据表 _data 的表头与本程序导出的报表不同，无法读取。")
    head: dict[str, str] = {}
    records: list[ReturnRecord] = []
    for number, row in enumerate(rows[1:], start=2):
        row = list(row) + [""] * (len(DATA_HEADERS) - len(row))
        values = dict(zip(DATA_HEADERS, row, strict=False))
        if all(v in (None, "") for v in values.values()):
            continue
        version = cell_text(values["format_version"])
        if version != FORMAT_VERSION:
            raise ReturnFileError(
                path,
                f"报表格式版本为“{version}”，本程序只能读取 {FORMAT_VERSION} 格式的报表"
                "（请用相同版本的科普台账导出）。",
            )
        where = f"第 {number} 行"
        kind = cell_text(values["record"])
        if kind not in (INDICATOR, LEDGER):
            raise ReturnFileError(path, f"数据表{where}的记录类型“{kind}”无法识别。")
        fields = {k: cell_text(values[k]) for k in ("plan_code", "region", "period")}
        fields.update(
            period_start=cell_text(values["period_start"]),
            period_end=cell_text(values["period_end"]),
            as_of=cell_text(values["as_of"]),
        )
        if not head:
            head = fields
        elif fields != head:
            raise ReturnFileError(
                path,
                f"数据表{where}的地区或统计期与第 2 行不同：一个报表只能有一个地区、一个统计期。",
            )
        measure = cell_text(values["measure"])
        if kind == INDICATOR and measure not in MEASURES:
            raise ReturnFileError(path, f"数据表{where}的计量方式“{measure}”无法识别。")
        code = cell_text(values["code"])
        if not code:
            raise ReturnFileError(path, f"数据表{where}缺少指标编号。")
        records.append(
            ReturnRecord(
                record=kind,
                code=code,
                name=cell_text(values["name"]),
                uom=cell_text(values["uom"]),
                measure=measure,
                target=_number(values["target"], f"{where}的目标值", path),
                period_value=_number(values["period_value"], f"{where}的本期完成", path),
                cumulative=_number(values["cumulative"], f"{where}的累计完成", path),
            )
        )
    if not head or not any(r.record == INDICATOR for r in records):
        raise ReturnFileError(path, "隐藏数据表 _data 中没有任何指标记录。")
    if not head["region"]:
        raise ReturnFileError(path, "数据表没有写明填报地区（region）。")
    return head, records


def _visible_rows(rows: list[list[Any]], path: Path) -> dict[tuple[str, str], deque]:
    """The 进展统计表's indicator rows, by (name, unit) in print order, with their row numbers."""
    header = [cell_text(v) for v in rows[PROGRESS_HEADER_ROW - 1]] if len(rows) >= 4 else []
    if header[: len(PROGRESS_HEADERS)] != PROGRESS_HEADERS:
        raise ReturnFileError(
            path, f"“{PROGRESS_SHEET}”第 {PROGRESS_HEADER_ROW} 行的表头被改动过，无法核对。"
        )
    found: dict[tuple[str, str], deque] = defaultdict(deque)
    width = max(PROGRESS_COLUMNS.values()) + 1
    for number, row in enumerate(rows[PROGRESS_HEADER_ROW:], start=PROGRESS_HEADER_ROW + 1):
        row = list(row) + [""] * (width - len(row))
        name = cell_text(row[PROGRESS_COLUMNS["name"]])
        if name:
            key = (name, cell_text(row[PROGRESS_COLUMNS["uom"]]))
            found[key].append((number, row))
    return found


def _same(shown: Any, kept: float | None) -> bool:
    if shown is None or shown == "":
        return kept is None
    if kept is None or isinstance(shown, bool) or not isinstance(shown, int | float):
        return False
    return abs(float(shown) - kept) <= _TOLERANCE * max(1.0, abs(kept))


def _check_visible(records: list[ReturnRecord], rows: list[list[Any]], path: Path) -> None:
    """Every indicator of the data sheet shows the same figures on the 进展统计表."""
    visible = _visible_rows(rows, path)
    for r in records:
        if r.record != INDICATOR:
            continue
        queue = visible.get((r.name, r.uom))
        if not queue:
            raise ReturnFileError(
                path,
                f"指标“{r.name}”（{r.code}）在“{PROGRESS_SHEET}”中找不到：报表导出后被修改过，"
                "请让该地区重新导出报表。",
            )
        number, row = queue.popleft()
        for field, label in _FIGURES.items():
            shown = row[PROGRESS_COLUMNS[field]]
            kept = getattr(r, field)
            if not _same(shown, kept):
                kept_text = "空" if kept is None else f"{kept:g}"
                raise ReturnFileError(
                    path,
                    f"“{PROGRESS_SHEET}”第 {number} 行指标“{r.name}”（{r.code}）的{label}为"
                    f"“{cell_text(shown) or '空'}”，与隐藏数据表记录的 {kept_text} 不一致："
                    "报表导出后被修改过，请让该地区重新导出报表。",
                )


def read_return(path: Path | str) -> ReturnFile:
    """Read one exported return; raise ReturnFileError saying why it cannot be taken."""
    path = Path(path)
    try:
        sha256 = check_file(path).sha256
    except FileRefused as exc:
        raise ReturnFileError(path, exc.message) from exc
    from python_calamine import CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            names = book.sheet_names
            if DATA_SHEET not in names or PROGRESS_SHEET not in names:
                raise ReturnFileError(
                    path,
                    "不是科普台账导出的报表（缺少“进展统计表”或隐藏数据表 _data），"
                    "请让该地区用科普台账“导出报表”后发送。",
                )
            data = book.get_sheet_by_name(DATA_SHEET).to_python(skip_empty_area=False)
            head, records = _data_records(data, path)
            shown = book.get_sheet_by_name(PROGRESS_SHEET).to_python(skip_empty_area=False)
            _check_visible(records, shown, path)
    except ReturnFileError:
        raise
    except Exception as exc:  # the reader raises many kinds on a malformed part
        raise ReturnFileError(
            path, f"文件内容已损坏，无法读取（{exc.__class__.__name__}）。"
        ) from exc
    return ReturnFile(
        path=path,
        sha256=sha256,
        region=head["region"],
        plan_code=head["plan_code"],
        period=head["period"],
        period_start=_day(head["period_start"], "period_start", path),
        period_end=_day(head["period_end"], "period_end", path),
        as_of=_day(head["as_of"], "as_of", path),
        records=tuple(records),
    )


def read_returns(paths: list[Path | str]) -> tuple[list[ReturnFile], list[UnreadableReturn]]:
    read: list[ReturnFile] = []
    unreadable: list[UnreadableReturn] = []
    for path in paths:
        try:
            read.append(read_return(path))
        except ReturnFileError as exc:
            unreadable.append(exc.unreadable)
    return read, unreadable
