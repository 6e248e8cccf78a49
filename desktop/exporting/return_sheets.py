"""The return's further sheets: 活动明细 (the ledger, streamed), 分单位统计, 科普统计, 志愿者.

Each sheet is written once, top to bottom, into a write-only sheet (see
xlsx_style). The ledger goes row by row straight from the service's
stream, so however many activities a period has, only the service's current
chunk of rows is held.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from desktop.exporting.xlsx_style import (
    Grid,
    RowCell,
    Rows,
    number_style,
    page_setup,
    row_height,
    set_widths,
)
from desktop.services.progress import ProgressReport
from desktop.services.reports import LedgerRow, PlaceVolunteering, TeamStats, TypeStats, UnitStats


@dataclass(frozen=True)
class Heading:
    """What every sheet's title block says: the region, the reporting office, the period."""

    region: str
    office: str
    period: str  # as return_workbook.period_text writes it

    def write(self, grid: Grid, title: str, width: int) -> int:
        return grid.title_block(
            f"{self.region}{title}", f"填报单位：{self.office}", f"统计期：{self.period}", width
        )


LEDGER_HEADERS = [
    "序号",
    "开始日期",
    "结束日期",
    "活动名称",
    "活动类型",
    "地点",
    "组织单位",
    "配合单位",
    "服务任务",
    "重点人群",
    "参加人次",
    "其中女性",
    "其中农村",
    "场次/期数",
    "志愿者人数",
    "志愿服务时长（小时）",
    "经费（元）",
    "宣传报道",
    "活动简介",
    "佐证材料（份）",
]
LEDGER_WIDTHS = [6, 11, 11, 28, 12, 10, 14, 14, 24, 12, 9, 9, 9, 8, 8, 10, 11, 12, 30, 9]
# The widths of the wrapped texts that decide a ledger row's height:
# 活动名称, 配合单位, 服务任务, 重点人群, 活动简介, 宣传报道.
_TALL_WIDTHS = [LEDGER_WIDTHS[i] for i in (3, 7, 8, 9, 18, 17)]
_NUMBERS = 7  # 参加人次 … 经费: columns 11 to 17
PROGRESS_EVERY = 1000  # ledger rows between two progress reports


class _LedgerLine:
    """The cells of one ledger row, styled once and filled again for every row.

    The sheet writes a row's cells before `append` returns, so the same
    twenty cells serve the whole ledger, each taking a new value only when
    it differs from the one it holds (RowCell.hold: rows in date order share
    their dates, types and empty fields). Each number column keeps one cell
    for whole numbers and one for decimals (number_style) and puts the one
    its value needs in the row.
    """

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        styles = ["k_center", "k_date", "k_date", *["k_text"] * 7]
        styles += [*["k_int"] * _NUMBERS, "k_text", "k_text", "k_int"]
        self.cells: list[RowCell] = [RowCell(ws, style) for style in styles]
        self.numbers = [{st: RowCell(ws, st) for st in ("k_int", "k_dec")} for _ in range(_NUMBERS)]

    def fill(self, number: int, r: LedgerRow, numbers: tuple) -> list[RowCell]:
        cells = self.cells
        cells[0].hold(number)
        cells[1].hold(r.start_date)
        cells[2].hold(r.end_date)
        cells[3].hold(r.title)
        cells[4].hold(r.type_name)
        cells[5].hold(r.place_name)
        cells[6].hold(r.unit_name)
        cells[7].hold(r.cooperators)
        cells[8].hold(r.tasks)
        cells[9].hold(r.groups)
        for col, (pair, value) in enumerate(zip(self.numbers, numbers, strict=True), start=10):
            cells[col] = pair[number_style(value)].hold(value)
        cells[17].hold(r.media)
        cells[18].hold(r.summary)
        cells[19].hold(r.evidence_count)
        return cells


def write_ledger_sheet(
    ws: WriteOnlyWorksheet,
    heading: Heading,
    ledger: Iterable[LedgerRow],
    advance: Callable[[int], None],
) -> int:
    """活动明细: every activity of the period in date order, then their totals; returns the count."""
    width = len(LEDGER_HEADERS)
    set_widths(ws, LEDGER_WIDTHS)
    page_setup(ws, "$3:$3", "E4")
    rows = Rows(ws)
    head = Grid()
    heading.write(head, "科普活动明细台账", width)
    head.header_row(3, LEDGER_HEADERS, LEDGER_WIDTHS)
    head.write(rows)

    line = _LedgerLine(ws)
    totals = [0, 0, 0, 0, 0, 0.0, 0.0, 0]
    n = 0
    for r in ledger:
        n += 1
        numbers = (
            r.participants,
            r.female,
            r.rural,
            r.sessions,
            r.volunteers,
            r.volunteer_hours,
            r.funding_yuan,
        )
        tall = (r.title, r.cooperators, r.tasks, r.groups, r.summary, r.media)
        rows.append(line.fill(n, r, numbers), row_height(zip(tall, _TALL_WIDTHS, strict=True)))
        for i, value in enumerate(numbers):
            totals[i] += value or 0
        totals[7] += r.evidence_count
        if n % PROGRESS_EVERY == 0:
            advance(PROGRESS_EVERY)
    advance(n % PROGRESS_EVERY)

    row = rows.next
    total = Grid()
    total.put(row, 1, f"合计（{n:,} 项活动）", "k_sub_text")
    total.merge(row, 1, row, 10)  # columns 2–10 are covered by the merge
    for col, value in enumerate(totals[:7], start=11):
        total.put(row, col, value, number_style(value, sub=True))
    total.put(row, 18, None, "k_sub_text")
    total.put(row, 19, None, "k_sub_text")
    total.put(row, 20, totals[7], "k_sub_int")
    total.write(rows)
    return n


def _total_label(g: Grid, row: int) -> None:
    """The 合计 row's words: the 序号 cell left blank, 合计 under the names."""
    g.put(row, 1, "", "k_sub_text")
    g.put(row, 2, "合计", "k_sub_text")


UNIT_HEADERS = [
    "序号",
    "单位",
    "牵头任务（项）",
    "配合任务（项）",
    "牵头指标（项）",
    "已完成",
    "正常",
    "滞后",
    "严重滞后",
    "无数据",
    "本期活动（次）",
    "场次/期数",
    "参加人次",
    "志愿者（人次）",
    "志愿服务时长（小时）",
]
UNIT_WIDTHS = [6, 22, 10, 10, 10, 8, 8, 8, 9, 8, 10, 10, 12, 10, 12]


def write_unit_sheet(
    ws: WriteOnlyWorksheet, heading: Heading, report: ProgressReport, units: list[UnitStats]
) -> None:
    """分单位统计: each responsible unit's tasks, indicators by status, and activities."""
    width = len(UNIT_HEADERS)
    g = Grid()
    heading.write(g, "全民科学素质行动分单位统计表", width)
    g.header_row(3, UNIT_HEADERS, UNIT_WIDTHS)
    rollups = {r.key: r for r in report.units}
    row = 4
    totals = [0, 0, 0, 0, 0.0]
    for n, u in enumerate(units, start=1):
        r = rollups.get(u.name)
        counts = r.counts if r else {}
        values = [
            u.tasks_led,
            u.tasks_cooperating,
            r.indicators if r else 0,
            counts.get("done", 0),
            counts.get("on_track", 0),
            counts.get("behind", 0),
            counts.get("far_behind", 0),
            counts.get("no_data", 0),
            u.activities,
            u.sessions,
            u.participants,
            u.volunteers,
            u.volunteer_hours,
        ]
        g.put(row, 1, n, "k_center")
        g.put(row, 2, u.name, "k_text")
        for col, value in enumerate(values, start=3):
            g.put(row, col, value, number_style(value))
        for i, value in enumerate(values[8:]):
            totals[i] += value
        row += 1
    _total_label(g, row)
    for col in range(3, 11):
        g.put(row, col, "—", "k_sub_text")
    for col, value in enumerate(totals, start=11):
        g.put(row, col, value, number_style(value, sub=True))
    row += 1
    g.note(
        row,
        width,
        "说明：指标按其所属任务的牵头单位统计，一项指标有多个牵头单位时各计一次，故不合计；"
        "活动按组织单位统计。",
    )
    g.stream_into(ws, (4, row - 1), UNIT_WIDTHS, "$3:$3", "C4")


TYPE_HEADERS = [
    "序号",
    "活动类别",
    "举办次数（次）",
    "场次/期数",
    "参加人次",
    "其中：女性",
    "其中：农村",
    "志愿者（人次）",
    "志愿服务时长（小时）",
    "经费（元）",
]
TYPE_WIDTHS = [6, 26, 12, 12, 14, 12, 12, 12, 14, 14]


def write_type_sheet(ws: WriteOnlyWorksheet, heading: Heading, types: list[TypeStats]) -> None:
    """科普统计: activities and 人次 by the national activity categories."""
    width = len(TYPE_HEADERS)
    g = Grid()
    heading.write(g, "科普活动统计表（按活动类别）", width)
    g.header_row(3, TYPE_HEADERS, TYPE_WIDTHS)
    row = 4
    totals: list[float] = [0] * 8
    for n, t in enumerate(types, start=1):
        values: list[float | str] = [
            t.activities,
            t.sessions if t.applies("sessions") else "—",
            t.participants,
            t.female,
            t.rural,
            t.volunteers,
            t.volunteer_hours,
            t.funding_yuan,
        ]
        g.put(row, 1, n, "k_center")
        g.put(row, 2, t.name, "k_text")
        for col, value in enumerate(values, start=3):
            if isinstance(value, str):
                g.put(row, col, value, "k_center")
            else:
                g.put(row, col, value, number_style(value))
                totals[col - 3] += value
        row += 1
    _total_label(g, row)
    for col, value in enumerate(totals, start=3):
        g.put(row, col, value, number_style(value, sub=True))
    row += 1
    g.note(
        row,
        width,
        "说明：类别按全国科普统计口径；“—”表示该类别不统计场次/期数，合计只含统计场次/期数的类别。",
    )
    g.stream_into(ws, (4, row - 1), TYPE_WIDTHS, "$3:$3", "C4")


VOLUNTEER_HEADERS = [
    "序号",
    "队伍名称",
    "所属单位",
    "所在镇（街道）",
    "成立时间",
    "期初注册人数",
    "期末注册人数",
    "增减",
]
VOLUNTEER_WIDTHS = [6, 30, 16, 16, 12, 14, 14, 10]


def write_volunteer_sheet(
    ws: WriteOnlyWorksheet,
    heading: Heading,
    teams: list[TeamStats],
    service: list[PlaceVolunteering],
) -> None:
    """志愿者: the teams' registered headcounts, then volunteer service by township."""
    headers, widths = VOLUNTEER_HEADERS, VOLUNTEER_WIDTHS
    g = Grid()
    heading.write(g, "科技志愿者队伍与志愿服务统计表", len(headers))
    g.header_row(3, headers, widths)
    row = 4
    start_total = end_total = 0
    for n, t in enumerate(teams, start=1):
        g.put(row, 1, n, "k_center")
        g.put(row, 2, t.name, "k_text")
        g.put(row, 3, t.unit_name, "k_text")
        g.put(row, 4, t.place_name, "k_text")
        g.put(row, 5, t.founded, "k_date")
        for col, value in ((6, t.headcount_start), (7, t.headcount_end), (8, t.change)):
            g.put(row, col, value, "k_int")
        start_total += t.headcount_start or 0
        end_total += t.headcount_end or 0
        row += 1
    g.put(row, 1, "", "k_sub_text")
    g.put(row, 2, "合计（各队最新注册人数之和）", "k_sub_text")
    g.merge(row, 2, row, 5)  # columns 3–5 are covered by the merge
    for col, value in ((6, start_total), (7, end_total), (8, end_total - start_total)):
        g.put(row, col, value, "k_sub_int")

    row += 2
    g.note(row, len(headers), "志愿服务情况（按活动地点）")
    row += 1
    for col, text in enumerate(
        [
            "序号",
            "镇（街道）",
            "有志愿者参与的活动（次）",
            "志愿者（人次）",
            "志愿服务时长（小时）",
        ],
        start=1,
    ):
        g.put(row, col, text, "k_head")
    g.height(row, 30)
    row += 1
    sums = [0, 0, 0.0]
    for n, v in enumerate(service, start=1):
        g.put(row, 1, n, "k_center")
        g.put(row, 2, v.place_name, "k_text")
        for col, value in ((3, v.activities), (4, v.volunteers), (5, v.volunteer_hours)):
            g.put(row, col, value, number_style(value))
        sums[0] += v.activities
        sums[1] += v.volunteers
        sums[2] += v.volunteer_hours
        row += 1
    _total_label(g, row)
    for col, value in zip((3, 4, 5), sums, strict=True):
        g.put(row, col, value, number_style(value, sub=True))
    g.stream_into(ws, (4, row), widths, "$3:$3", "A4", landscape=False)
