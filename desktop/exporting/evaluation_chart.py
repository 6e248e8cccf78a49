"""The evaluation's figure: activities and 参加人次 year by year, as two bar charts side by side.

Two charts, not one with two axes: the counts differ by orders of
magnitude and a reader compares the years, not the two series. A
reportlab drawing, so the labels stay vector and searchable.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from desktop.exporting.fonts import plain
from desktop.exporting.summary_style import TEXT_WIDTH, Styles
from desktop.services.activities import Totals

HEIGHT = 190
BAR = colors.HexColor("#1565c0")


def _bars(
    st: Styles, x: float, width: float, title: str, years: list[str], values: list[float]
) -> list:
    font = st.fonts.song
    chart = VerticalBarChart()
    chart.x, chart.y = x + 44, 30
    chart.width, chart.height = width - 56, HEIGHT - 64
    chart.data = [values]
    chart.categoryAxis.categoryNames = years
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 9
    chart.valueAxis.valueMin = 0
    top = max(values) if values and max(values) > 0 else 1
    chart.valueAxis.valueMax = top * 1.2
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    digits = 0 if all(float(v).is_integer() for v in values) else 1
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.{digits}f}"
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: f"{v:,.{digits}f}"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 8
    chart.barLabels.nudge = 6
    caption = String(
        x + width / 2,
        HEIGHT - 16,
        plain(title, font),
        fontName=font,
        fontSize=10.5,
        textAnchor="middle",
    )
    return [chart, caption]


def by_year_chart(st: Styles, years: list[tuple[int, Totals]]) -> Drawing:
    """活动次数 on the left, 参加人次 on the right, one bar per year of the plan."""
    d = Drawing(TEXT_WIDTH, HEIGHT, initialFontName=st.fonts.song)
    names = [str(y) for y, _ in years]
    half = TEXT_WIDTH / 2
    people: list[float] = [t.participants for _, t in years]
    unit = "人次"
    if max(people, default=0) >= 100_000:  # six-digit labels would run into each other
        people, unit = [round(v / 10_000, 1) for v in people], "万人次"
    for shape in _bars(st, 0, half, "活动次数（次）", names, [t.activities for _, t in years]):
        d.add(shape)
    for shape in _bars(st, half, half, f"参加人次（{unit}）", names, people):
        d.add(shape)
    return d
