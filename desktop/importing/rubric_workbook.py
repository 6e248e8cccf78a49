"""A rubric (考核评分细则) read from a workbook in the shape published ones take.

Published rubrics share one shape but not one set of headers: 考核项目 (or
考核类别, 项目) · 序号 · 考核内容 (内容, 指标) · 考核标准 (评分标准, 评分细则) ·
分值 (标准分, 分数) · 自评分 · 审核分 · 考核依据 (考核方法, 评分依据) · 备注.
The header row is the first with three known headers; a group written once
in a merged cell applies to every row it spans; a 合计 / 总计 row is not an
item; points may be written 4, 4分 or ４. The dict it returns is checked like
any other rubric (desktop/services/rubrics.py); a cell this reader cannot
take refuses the file with its row and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.errors import ValidationError
from desktop.importing.cell_text import cell_text
from desktop.services.rubrics import points

HEADERS = {
    "group": ("考核项目", "考核类别", "项目", "类别", "考核指标"),
    "code": ("序号", "编号"),
    "content": ("考核内容", "内容", "工作内容", "指标"),
    "standard": ("考核标准", "评分标准", "评分细则", "评分办法", "标准"),
    "max": ("分值", "标准分", "分数", "满分"),
    "basis": ("考核依据", "考核方法", "评分依据", "考核方式", "佐证材料"),
    "note": ("备注", "说明"),
}
IGNORED = ("自评分", "自评", "审核分", "审核", "得分")
TOTALS = ("合计", "总计", "总分", "小计")
MAX_ROWS = 500


def _key(header: str) -> str | None:
    text = header.replace(" ", "").replace("\n", "")
    for key, names in HEADERS.items():
        if text in names:
            return key
    return None


def _letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_rubric_workbook(path: Path | str) -> dict[str, Any]:
    """The rubric dict of the workbook's first sheet that holds one."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
        raise ValidationError(
            f"“{path.name}”不是可读的 Excel 工作簿（.xlsx）：{exc.__class__.__name__}"
        ) from None
    for ws in wb.worksheets:
        found = _read_sheet(ws, path)
        if found is not None:
            return found
    raise ValidationError(
        f"“{path.name}”中找不到考核细则的表头（应有“考核内容”“考核标准”“分值”等列）。"
    )


def _read_sheet(ws: Any, path: Path) -> dict[str, Any] | None:
    merged: dict[tuple[int, int], Any] = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(rng.min_row, rng.min_col).value
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                merged[(row, col)] = top

    def value(row: int, col: int) -> Any:
        return merged.get((row, col), ws.cell(row, col).value)

    columns: dict[str, int] = {}
    header_row = 0
    title = ""
    for row in range(1, min(ws.max_row, 15) + 1):
        found = {}
        for col in range(1, min(ws.max_column, 20) + 1):
            key = _key(cell_text(ws.cell(row, col).value))
            if key and key not in found:
                found[key] = col
        if len(found) >= 3 and "max" in found:
            columns, header_row = found, row
            break
        text = cell_text(ws.cell(row, 1).value)
        if text and not title:
            title = text
    if not columns:
        return None
    if ws.max_row - header_row > MAX_ROWS:
        raise ValidationError(f"“{path.name}”的考核细则超过 {MAX_ROWS} 行，不像一份评分细则。")
    items = []
    for row in range(header_row + 1, ws.max_row + 1):
        cells = {k: value(row, c) for k, c in columns.items()}
        texts = {k: cell_text(v) for k, v in cells.items()}
        if not any(texts.values()):
            continue
        if any(t.replace(" ", "") in TOTALS for t in texts.values()):
            continue
        if not (texts.get("content") or texts.get("standard")):
            continue
        max_points = points(cells.get("max"))
        if max_points is None or max_points <= 0:
            col = _letter(columns["max"])
            raise ValidationError(
                f"“{path.name}”工作表“{ws.title}”第 {row} 行 {col} 列（分值）："
                f"“{texts.get('max', '')}”不是分值（应写作 4、4分 或 ４）。"
            )
        items.append(
            {
                "code": texts.get("code") or str(len(items) + 1),
                "group": texts.get("group", ""),
                "content": texts.get("content", ""),
                "standard": texts.get("standard", ""),
                "max": max_points,
                "basis": texts.get("basis", ""),
                "note": texts.get("note", ""),
            }
        )
    if not items:
        return None
    return {"name": title or path.stem, "items": items}
