"""分地区: the upper office's return, region by region (regions as rows, indicators as columns).

Only an office that consolidates lower regions' returns has this sheet.
Each cell is the region's figure by the aggregation rules; the 合计 row
adds counts and levels and gives a percent's range instead, since a percent
is never summed (the rule lives in desktop/services/region_figures.py). The
regions that have not reported are named under the table, so the city's
reader sees at once whose figures are missing from the totals.
"""

from __future__ import annotations

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from desktop.exporting.return_sheets import Heading
from desktop.exporting.xlsx_style import Grid, number_style
from desktop.services.region_figures import RegionTable

LEAD_HEADERS = ["序号", "地区", "报送情况", "报送时间"]
LEAD_WIDTHS = [6, 14, 10, 17]
FIGURE_WIDTH = 13


def _range_text(low: float, high: float) -> str:
    return f"{low:g}—{high:g}"


def write_region_sheet(ws: WriteOnlyWorksheet, heading: Heading, table: RegionTable) -> None:
    headers = LEAD_HEADERS + [f"{c.name}（{c.uom}）" if c.uom else c.name for c in table.columns]
    widths = LEAD_WIDTHS + [FIGURE_WIDTH] * len(table.columns)
    width = len(headers)
    g = Grid()
    heading.write(g, "全民科学素质行动实施进展分地区统计表", width)
    g.header_row(3, headers, widths)
    row = 4
    for n, unit in enumerate(table.in_order(), start=1):
        g.put(row, 1, n, "k_center")
        g.put(row, 2, unit.unit, "k_text")
        g.put(row, 3, unit.label, "k_center")
        when = f"{unit.received_at:%Y-%m-%d %H:%M}" if unit.received_at else ""
        g.put(row, 4, when, "k_center")
        for col, column in enumerate(table.columns, start=5):
            value = column.values.get(unit.unit)
            g.put(row, col, value, number_style(value))
        row += 1
    g.put(row, 1, "", "k_sub_text")
    g.put(row, 2, "合计", "k_sub_text")
    g.put(row, 3, f"{table.report.reported}/{table.report.expected}", "k_sub_text")
    g.put(row, 4, "", "k_sub_text")
    for col, column in enumerate(table.columns, start=5):
        if column.range is not None:
            g.put(row, col, _range_text(*column.range), "k_sub_text")
        else:
            g.put(row, col, column.total, number_style(column.total, sub=True))
    row += 1
    missing = [u.unit for u in table.report.missing]
    g.note(
        row,
        width,
        "未报送地区：" + ("、".join(missing) if missing else "无"),
    )
    row += 1
    g.note(
        row,
        width,
        f"说明：数据截至 {table.as_of.isoformat()}；各地区数值按汇总规则计算（累计数相加，"
        "存量取各地区最新值相加）；百分比不相加，合计行为各地区的范围。",
    )
    g.stream_into(ws, (4, row - 2), widths, "$3:$3", "C4")
