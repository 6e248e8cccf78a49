"""The 考核结果汇总表: every assessed unit's scores by group, total, rank and 等次.

The first sheet has the units as rows (in rank order) and the rubric's
groups (the sum of their items' final scores) and the total as columns,
then 名次 and 等次; a sheet per unit follows with its items (分值 · 自动评分 ·
自评 · 审核 · 得分 · 依据 · 说明). The look and the print set-up are the
return's (xlsx_style: named styles, A4, one page wide, header rows
repeated, page numbers), so the office files both alike.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, NamedStyle
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from desktop.assessment_layout import RESULTS_SHEET
from desktop.exporting.files import written_in_place
from desktop.exporting.xlsx_style import (
    STYLES,
    Grid,
    add_styles,
    discard,
    streamed_sheet,
)
from desktop.services.assessment import UnitResult
from desktop.services.assessment_files import ResultsTable

SUMMARY_FIXED = [("序号", 6.0), ("被考核单位", 24.0)]
SUMMARY_TAIL = [("名次", 7.0), ("等次", 9.0)]
GROUP_WIDTH = 11.0
ITEM_HEADERS = ["序号", "考核内容", "分值", "自动评分", "自评", "审核", "得分", "依据", "说明"]
ITEM_WIDTHS = [6.0, 24.0, 7.0, 9.0, 7.0, 7.0, 7.0, 38.0, 24.0]
_BAD_SHEET_CHARS = str.maketrans({ch: "_" for ch in "[]:*?/\\"})
_SCORE, _SUB_SCORE = "k_score", "k_sub_score"


def _score_styles() -> list[NamedStyle]:
    """Scores centred and as written (10, 7.5, 7.25), in the return's cell and subtotal looks."""
    out = []
    for base, name in (("k_center", _SCORE), ("k_sub_text", _SUB_SCORE)):
        source = next(st for st in STYLES if st.name == base)
        st = NamedStyle(name=name)
        st.font, st.border, st.fill = source.font, source.border, source.fill
        st.alignment = Alignment(horizontal="center", vertical="center")
        st.number_format = "General"
        out.append(st)
    return out


def _put_score(g: Grid, row: int, col: int, value: float | None, sub: bool = False) -> None:
    g.put(row, col, "—" if value is None else value, _SUB_SCORE if sub else _SCORE)


def _title(g: Grid, table: ResultsTable, title: str, right: str, width: int) -> int:
    return g.title_block(title, f"评分细则：《{table.rubric_name}》", right, width)


def sheet_title(unit: str, taken: set[str]) -> str:
    """A unit's sheet name: what Excel allows (31 characters, no []:*?/\\), unique in the book."""
    base = unit.translate(_BAD_SHEET_CHARS)[:31] or "单位"
    name, n = base, 2
    while name in taken:
        tail = f"({n})"
        name, n = base[: 31 - len(tail)] + tail, n + 1
    taken.add(name)
    return name


def _summary(ws: WriteOnlyWorksheet, table: ResultsTable) -> None:
    maxima = {g: 0.0 for g in table.groups}
    for code, group in table.group_of.items():
        maxima[group] += table.max_of[code]
    scale = sum(maxima.values())
    headers = [h for h, _ in SUMMARY_FIXED]
    headers += [f"{g}\n（{maxima[g]:g}分）" for g in table.groups]
    headers += [f"总分\n（{scale:g}分）", *(h for h, _ in SUMMARY_TAIL)]
    widths = [w for _, w in SUMMARY_FIXED] + [GROUP_WIDTH] * (len(table.groups) + 1)
    widths += [w for _, w in SUMMARY_TAIL]
    width = len(headers)
    g = Grid()
    _title(
        g,
        table,
        f"{table.region}全民科学素质工作{table.year}年度考核结果汇总表",
        f"考核年度：{table.year}年",
        width,
    )
    g.header_row(3, headers, widths)
    row = 4
    for n, r in enumerate(sorted(table.results, key=lambda r: r.rank), start=1):
        g.put(row, 1, n, "k_center")
        g.put(row, 2, r.unit, "k_text")
        sums = {grp: 0.0 for grp in table.groups}
        for item in r.items:
            sums[table.group_of[item.code]] += item.final or 0.0
        for col, grp in enumerate(table.groups, start=3):
            _put_score(g, row, col, round(sums[grp], 2))
        col = 3 + len(table.groups)
        _put_score(g, row, col, r.total)
        g.put(row, col + 1, r.rank, "k_center")
        g.put(row, col + 2, r.grade, "k_center")
        row += 1
    if not table.results:
        g.merge(row, 1, row, width)
        g.put(row, 1, "评分细则没有考核对象。", "k_center")
        row += 1
    g.note(
        row,
        width,
        "说明：各项得分取审核分，未审核的取自评分，未自评的取自动评分；"
        "各类得分为该类各项得分之和，名次按总分排列，总分相同的名次并列。",
    )
    g.stream_into(ws, (4, row - 1), widths, "$3:$3", "C4", landscape=len(headers) > 8)


def _unit_sheet(ws: WriteOnlyWorksheet, table: ResultsTable, r: UnitResult) -> None:
    width = len(ITEM_HEADERS)
    g = Grid()
    _title(
        g,
        table,
        f"{r.unit}{table.year}年度全民科学素质工作考核评分表",
        f"总分：{r.total:g}　名次：{r.rank}　等次：{r.grade}",
        width,
    )
    g.header_row(3, ITEM_HEADERS, ITEM_WIDTHS)
    row = 4
    for item in r.items:
        g.put(row, 1, item.code, "k_center")
        g.put(row, 2, table.content_of.get(item.code, ""), "k_text")
        _put_score(g, row, 3, item.max)
        _put_score(g, row, 4, item.auto)
        _put_score(g, row, 5, item.self_score)
        _put_score(g, row, 6, item.review)
        _put_score(g, row, 7, item.final)
        g.put(row, 8, item.reason, "k_text")
        g.put(row, 9, item.note, "k_text")
        row += 1
    g.merge(row, 1, row, 2)
    g.put(row, 1, "合计", "k_sub_text")
    g.put(row, 2, None, "k_sub_text")
    _put_score(g, row, 3, sum(i.max for i in r.items), sub=True)
    for col in (4, 5, 6, 8, 9):
        g.put(row, col, "", "k_sub_text")
    _put_score(g, row, 7, r.total, sub=True)
    g.stream_into(ws, (4, row), ITEM_WIDTHS, "$3:$3", "C4")


def export_results(table: ResultsTable, out: Path | str) -> Path:
    """Write the results table to `out` (atomically): the summary, then a sheet per unit."""
    out = Path(out)
    wb = Workbook(write_only=True)
    add_styles(wb)
    for st in _score_styles():
        wb.add_named_style(st)
    wb.properties.title = f"{table.region}全民科学素质工作{table.year}年度考核结果汇总表"
    try:
        _summary(streamed_sheet(wb, RESULTS_SHEET), table)
        taken = {RESULTS_SHEET}
        for r in sorted(table.results, key=lambda r: r.rank):
            _unit_sheet(streamed_sheet(wb, sheet_title(r.unit, taken)), table, r)
        with written_in_place(out) as staged:
            wb.save(staged.tmp)
    except BaseException:
        discard(wb)
        raise
    return out
