"""The summary's figure 1: each indicator's completion as a bar, coloured by its status.

A reportlab drawing, not a picture, so the PDF needs nothing but reportlab
to build and the chart stays vector and its labels searchable.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

from desktop.exporting.fonts import plain
from desktop.exporting.summary_style import TEXT_WIDTH, Styles, pct, short
from desktop.services.progress import STATUS_LABELS, ProgressReport

STATUS_FILL = {
    "done": colors.HexColor("#2e7d32"),
    "on_track": colors.HexColor("#1565c0"),
    "behind": colors.HexColor("#ef6c00"),
    "far_behind": colors.HexColor("#c62828"),
    "no_data": colors.HexColor("#9e9e9e"),
    "no_target": colors.HexColor("#6a1b9a"),
}


def completion_chart(st: Styles, report: ProgressReport) -> Drawing:
    """Horizontal bars of completion % by indicator, coloured by status, 100 % marked."""
    items = [p for p in report.indicators if p.completion_pct is not None]
    names = [plain(short(p.name, 14), st.fonts.song) for p in items]
    values = [min(p.completion_pct or 0.0, 150.0) for p in items]
    row_h = 16
    height = max(len(items), 1) * row_h + 50
    d = Drawing(TEXT_WIDTH, height, initialFontName=st.fonts.song)
    if not items:
        d.add(
            String(
                TEXT_WIDTH / 2,
                height / 2,
                plain("尚无可计算完成率的指标", st.fonts.song),
                fontName=st.fonts.song,
                fontSize=12,
                textAnchor="middle",
            )
        )
        return d
    chart = HorizontalBarChart()
    chart.x, chart.y = 115, 36
    chart.width, chart.height = TEXT_WIDTH - 150, height - 50
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName = st.fonts.song
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 150
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labels.fontName = st.fonts.song
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.barWidth = 10
    chart.groupSpacing = 6
    chart.bars[0].fillColor = STATUS_FILL["on_track"]
    chart.bars[0].strokeColor = None
    for i, p in enumerate(reversed(items)):
        chart.bars[(0, i)].fillColor = STATUS_FILL[p.status]
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[pct(p.completion_pct) for p in reversed(items)]]
    chart.barLabels.fontName = st.fonts.song
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    x100 = chart.x + chart.width * 100 / 150
    d.add(
        Line(
            x100,
            chart.y,
            x100,
            chart.y + chart.height,
            strokeColor=colors.HexColor("#424242"),
            strokeDashArray=[3, 2],
        )
    )
    legend_x = chart.x
    for status in ("done", "on_track", "behind", "far_behind"):
        d.add(
            String(
                legend_x,
                8,
                "■ " + STATUS_LABELS[status],
                fontName=st.fonts.song,
                fontSize=9,
                fillColor=STATUS_FILL[status],
            )
        )
        legend_x += 70
    return d
