"""The Excel return (报表) for a period: what the city receives and files.

Sheets: 进展统计表 (the form itself), 活动明细 (the ledger of the period),
分单位统计, 科普统计 (by activity type), 志愿者, and a hidden `_data` sheet
with stable codes and unrounded values, so the city's copy of the program
can import the return without retyping. Every figure of the form comes
from the progress report, the same one `kepu progress --json` prints.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from desktop.errors import ServiceError
from desktop.exporting.cells import put_value
from desktop.exporting.files import written_in_place
from desktop.exporting.progress_table import Block, build_blocks
from desktop.exporting.xlsx_style import (
    FONT,
    add_styles,
    fit_row,
    fit_rows,
    header_row,
    number_style,
    page_setup,
    put,
    title_block,
)
from desktop.services.activities import ActivityFilter
from desktop.services.periods import Period
from desktop.services.progress import ProgressReport
from desktop.services.reports import TypeStats

if TYPE_CHECKING:
    from desktop.services import Services

Progress = Callable[[int, int], bool]
FORMAT_VERSION = "kepu-return/1"
DATA_SHEET = "_data"
PROGRESS_HEADERS = [
    "序号",
    "行动/工程",
    "任务",
    "指标",
    "计量单位",
    "目标值",
    "本期完成",
    "累计完成",
    "完成率",
    "进度",
    "牵头单位",
    "备注",
]
PROGRESS_WIDTHS = [6, 16, 28, 26, 8, 11, 11, 11, 9, 9, 14, 26]
DATA_HEADERS = [
    "format_version",
    "record",
    "plan_code",
    "region",
    "period",
    "period_start",
    "period_end",
    "as_of",
    "code",
    "name",
    "uom",
    "measure",
    "target_mode",
    "target",
    "period_value",
    "cumulative",
    "completion_pct",
    "expected_pct",
    "status",
]


class ExportCancelled(ServiceError):
    MESSAGE = "已取消导出，没有生成文件。"

    def __init__(self, message: str = MESSAGE) -> None:
        # reportlab re-raises exceptions from page callbacks with an annotated message.
        super().__init__(message)


def period_text(period: Period) -> str:
    return f"{period.label}（{period.start.isoformat()} 至 {period.end.isoformat()}）"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def office_name(services: Services, region: str) -> str:
    return services.settings.get("office_name") or f"{region}全民科学素质工作领导小组办公室"


class _Steps:
    """Progress over the whole export; raises ExportCancelled when the user cancels."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and not self.progress(min(self.done, self.total), self.total):
            raise ExportCancelled()


def export_return(
    services: Services,
    period: Period,
    out: Path,
    progress: Progress | None = None,
    final: bool = False,
) -> Path:
    """Write the return for `period` to `out` (atomically) and record the submission."""
    out = Path(out)
    services.plans.check_period(period)
    plan = services.plans.active()
    report = services.progress.report(period=period)
    blocks = build_blocks(report, services.plans.tasks(), services.reports.task_stats(period))
    ledger_total = services.reports.ledger_count(period)
    steps = _Steps(progress, ledger_total + 6)
    steps.advance(0)
    settings = services.settings.all()
    office = office_name(services, plan.region)

    wb = Workbook()
    add_styles(wb)
    wb.properties.title = f"{plan.region}全民科学素质行动实施进展统计表 {period.label}"
    wb.properties.creator = office
    wb.properties.subject = FORMAT_VERSION
    ws = wb.active
    assert ws is not None
    ws.title = "进展统计表"
    write_progress_sheet(ws, plan.region, period, report, blocks, settings, office)
    steps.advance()
    _ledger_sheet(wb.create_sheet("活动明细"), services, plan.region, period, office, steps)
    _unit_sheet(wb.create_sheet("分单位统计"), services, plan.region, period, report, office)
    steps.advance()
    types = _type_sheet(wb.create_sheet("科普统计"), services, plan.region, period, office)
    steps.advance()
    _volunteer_sheet(wb.create_sheet("志愿者"), services, plan.region, period, office)
    steps.advance()
    data = wb.create_sheet(DATA_SHEET)
    _data_sheet(data, plan.code, plan.region, period, report, services, types)
    data.sheet_state = "hidden"
    steps.advance()

    with written_in_place(out) as staged:
        wb.save(staged.tmp)
        services.submissions.record(
            period.code, "return", out, final, staged=staged.tmp, place=staged.place
        )
    steps.advance()
    return out


def write_progress_sheet(
    ws: Worksheet,
    region: str,
    period: Period,
    report: ProgressReport,
    blocks: list[Block],
    settings: dict[str, str],
    office: str,
) -> None:
    width = len(PROGRESS_HEADERS)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    put(ws, 1, 1, f"{region}全民科学素质行动实施进展统计表", "k_title")
    ws.row_dimensions[1].height = 34
    for first, last, text, style in (
        (1, 4, f"表号：{settings.get('form_number', '')}", "k_info"),
        (5, 8, f"制表机关：{settings.get('form_authority', '')}", "k_info"),
        (9, 12, f"统计期：{period_text(period)}", "k_info_right"),
    ):
        ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last)
        put(ws, 2, first, text, style)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=8)
    put(ws, 3, 1, f"填报单位（盖章）：{office}", "k_info")
    ws.merge_cells(start_row=3, start_column=9, end_row=3, end_column=12)
    put(ws, 3, 9, f"数据截至：{report.as_of.isoformat()}", "k_info_right")
    header_row(ws, 4, PROGRESS_HEADERS, PROGRESS_WIDTHS)

    row = 5
    for block in blocks:
        block_start = row
        task_start, task_title = row, None
        for item in block.rows:
            sub = item.kind == "subtotal"
            if item.task != task_title:
                if task_title is not None and row - 1 > task_start:
                    ws.merge_cells(
                        start_row=task_start, start_column=3, end_row=row - 1, end_column=3
                    )
                task_start, task_title = row, item.task
            put(ws, row, 1, item.number, "k_center")
            put(ws, row, 2, block.title, "k_section")
            if sub:
                put(ws, row, 3, item.task, "k_sub_text")
                put(ws, row, 4, "", "k_sub_text")
                ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
                task_title = None
            else:
                put(ws, row, 3, item.task, "k_text")
                put(ws, row, 4, item.indicator, "k_text")
            prefix = "k_sub_" if sub else "k_"
            put(ws, row, 5, item.uom, "k_sub_text" if sub else "k_center")
            for col, value in (
                (6, item.target),
                (7, item.period_value),
                (8, item.cumulative),
            ):
                put(ws, row, col, value, number_style(value, sub))
            put(ws, row, 9, item.completion, prefix + "pct")
            put(ws, row, 10, item.status_label, "k_sub_text" if sub else "k_center")
            if item.status in ("behind", "far_behind"):
                colour = "C62828" if item.status == "far_behind" else "E65100"
                ws.cell(row, 10).font = Font(name=FONT, size=10.5, bold=True, color=colour)
            put(ws, row, 11, item.lead, prefix + "text" if sub else "k_text")
            put(ws, row, 12, item.note, prefix + "text" if sub else "k_text")
            row += 1
        if task_title is not None and row - 1 > task_start:
            ws.merge_cells(start_row=task_start, start_column=3, end_row=row - 1, end_column=3)
        if row - 1 > block_start:
            ws.merge_cells(start_row=block_start, start_column=2, end_row=row - 1, end_column=2)

    row += 1
    today = cn_date(date.today())
    for first, last, text in (
        (1, 3, f"单位负责人：{settings.get('unit_head', '')}"),
        (4, 6, f"填报人：{settings.get('contact_person', '')}"),
        (7, 9, f"联系电话：{settings.get('contact_phone', '')}"),
        (10, 12, f"填报日期：{today}"),
    ):
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        put(ws, row, first, text, "k_info")
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    put(
        ws,
        row,
        1,
        "说明：完成率＝累计完成÷目标值；进度按方案时序判定（已完成／正常／滞后／严重滞后／无数据）；"
        "小计仅合计计量单位相同的计数型指标。",
        "k_info",
    )
    fit_rows(ws, 5, row - 3, PROGRESS_WIDTHS)
    page_setup(ws, "$4:$4", "A5")


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


def _ledger_sheet(
    ws: Worksheet, services: Services, region: str, period: Period, office: str, steps: _Steps
) -> None:
    width = len(LEDGER_HEADERS)
    title_block(
        ws,
        f"{region}科普活动明细台账",
        f"填报单位：{office}",
        f"统计期：{period_text(period)}",
        width,
    )
    header_row(ws, 3, LEDGER_HEADERS, LEDGER_WIDTHS)
    row = 4
    totals = [0, 0, 0, 0, 0, 0.0, 0.0, 0]
    for chunk in services.reports.ledger_chunks(period):
        for r in chunk:
            put(ws, row, 1, row - 3, "k_center")
            put(ws, row, 2, r.start_date, "k_date")
            put(ws, row, 3, r.end_date, "k_date")
            for col, text in (
                (4, r.title),
                (5, r.type_name),
                (6, r.place_name),
                (7, r.unit_name),
                (8, r.cooperators),
                (9, r.tasks),
                (10, r.groups),
            ):
                put(ws, row, col, text, "k_text")
            numbers = (
                r.participants,
                r.female,
                r.rural,
                r.sessions,
                r.volunteers,
                r.volunteer_hours,
                r.funding_yuan,
            )
            for col, value in enumerate(numbers, start=11):
                put(ws, row, col, value, number_style(value))
            put(ws, row, 18, r.media, "k_text")
            put(ws, row, 19, r.summary, "k_text")
            put(ws, row, 20, r.evidence_count, "k_int")
            fit_row(
                ws,
                row,
                [
                    (r.title, LEDGER_WIDTHS[3]),
                    (r.cooperators, LEDGER_WIDTHS[7]),
                    (r.tasks, LEDGER_WIDTHS[8]),
                    (r.groups, LEDGER_WIDTHS[9]),
                    (r.summary, LEDGER_WIDTHS[18]),
                    (r.media, LEDGER_WIDTHS[17]),
                ],
            )
            for i, value in enumerate((*numbers, r.evidence_count)):
                totals[i] += value or 0
            row += 1
        steps.advance(len(chunk))
    put(ws, row, 1, f"合计（{row - 4:,} 项活动）", "k_sub_text")
    for col in range(2, 11):
        put(ws, row, col, None, "k_sub_text")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
    for col, value in enumerate(totals[:7], start=11):
        put(ws, row, col, value, number_style(value, sub=True))
    put(ws, row, 18, None, "k_sub_text")
    put(ws, row, 19, None, "k_sub_text")
    put(ws, row, 20, totals[7], "k_sub_int")
    page_setup(ws, "$3:$3", "E4")


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


def _unit_sheet(
    ws: Worksheet,
    services: Services,
    region: str,
    period: Period,
    report: ProgressReport,
    office: str,
) -> None:
    width = len(UNIT_HEADERS)
    title_block(
        ws,
        f"{region}全民科学素质行动分单位统计表",
        f"填报单位：{office}",
        f"统计期：{period_text(period)}",
        width,
    )
    header_row(ws, 3, UNIT_HEADERS, UNIT_WIDTHS)
    rollups = {r.key: r for r in report.units}
    row = 4
    totals = [0, 0, 0, 0, 0.0]
    for n, u in enumerate(services.reports.unit_stats(period), start=1):
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
        put(ws, row, 1, n, "k_center")
        put(ws, row, 2, u.name, "k_text")
        for col, value in enumerate(values, start=3):
            put(ws, row, col, value, number_style(value))
        for i, value in enumerate(values[8:]):
            totals[i] += value
        row += 1
    put(ws, row, 1, "", "k_sub_text")
    put(ws, row, 2, "合计", "k_sub_text")
    for col in range(3, 11):
        put(ws, row, col, "—", "k_sub_text")
    for col, value in enumerate(totals, start=11):
        put(ws, row, col, value, number_style(value, sub=True))
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    put(
        ws,
        row,
        1,
        "说明：指标按其所属任务的牵头单位统计，一项指标有多个牵头单位时各计一次，故不合计；"
        "活动按组织单位统计。",
        "k_info",
    )
    fit_rows(ws, 4, row - 1, UNIT_WIDTHS)
    page_setup(ws, "$3:$3", "C4")


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


def _type_sheet(
    ws: Worksheet, services: Services, region: str, period: Period, office: str
) -> list[TypeStats]:
    width = len(TYPE_HEADERS)
    title_block(
        ws,
        f"{region}科普活动统计表（按活动类别）",
        f"填报单位：{office}",
        f"统计期：{period_text(period)}",
        width,
    )
    header_row(ws, 3, TYPE_HEADERS, TYPE_WIDTHS)
    types = services.reports.type_stats(period)
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
        put(ws, row, 1, n, "k_center")
        put(ws, row, 2, t.name, "k_text")
        for col, value in enumerate(values, start=3):
            if isinstance(value, str):
                put(ws, row, col, value, "k_center")
            else:
                put(ws, row, col, value, number_style(value))
                totals[col - 3] += value
        row += 1
    put(ws, row, 1, "", "k_sub_text")
    put(ws, row, 2, "合计", "k_sub_text")
    for col, value in enumerate(totals, start=3):
        put(ws, row, col, value, number_style(value, sub=True))
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    put(
        ws,
        row,
        1,
        "说明：类别按全国科普统计口径；“—”表示该类别不统计场次/期数，合计只含统计场次/期数的类别。",
        "k_info",
    )
    fit_rows(ws, 4, row - 1, TYPE_WIDTHS)
    page_setup(ws, "$3:$3", "C4")
    return types


def _volunteer_sheet(
    ws: Worksheet, services: Services, region: str, period: Period, office: str
) -> None:
    headers = [
        "序号",
        "队伍名称",
        "所属单位",
        "所在镇（街道）",
        "成立时间",
        "期初注册人数",
        "期末注册人数",
        "增减",
    ]
    widths = [6, 30, 16, 16, 12, 14, 14, 10]
    title_block(
        ws,
        f"{region}科技志愿者队伍与志愿服务统计表",
        f"填报单位：{office}",
        f"统计期：{period_text(period)}",
        len(headers),
    )
    header_row(ws, 3, headers, widths)
    row = 4
    start_total = end_total = 0
    for n, t in enumerate(services.reports.volunteer_teams(period), start=1):
        put(ws, row, 1, n, "k_center")
        put(ws, row, 2, t.name, "k_text")
        put(ws, row, 3, t.unit_name, "k_text")
        put(ws, row, 4, t.place_name, "k_text")
        put(ws, row, 5, t.founded, "k_date")
        for col, value in ((6, t.headcount_start), (7, t.headcount_end), (8, t.change)):
            put(ws, row, col, value, "k_int")
        start_total += t.headcount_start or 0
        end_total += t.headcount_end or 0
        row += 1
    put(ws, row, 1, "", "k_sub_text")
    put(ws, row, 2, "合计（各队最新注册人数之和）", "k_sub_text")
    for col in (3, 4, 5):
        put(ws, row, col, None, "k_sub_text")
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
    for col, value in ((6, start_total), (7, end_total), (8, end_total - start_total)):
        put(ws, row, col, value, "k_sub_int")

    row += 2
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
    put(ws, row, 1, "志愿服务情况（按活动地点）", "k_info")
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
        put(ws, row, col, text, "k_head")
    ws.row_dimensions[row].height = 30
    row += 1
    sums = [0, 0, 0.0]
    for n, v in enumerate(services.reports.volunteer_service(period), start=1):
        put(ws, row, 1, n, "k_center")
        put(ws, row, 2, v.place_name, "k_text")
        for col, value in ((3, v.activities), (4, v.volunteers), (5, v.volunteer_hours)):
            put(ws, row, col, value, number_style(value))
        sums[0] += v.activities
        sums[1] += v.volunteers
        sums[2] += v.volunteer_hours
        row += 1
    put(ws, row, 1, "", "k_sub_text")
    put(ws, row, 2, "合计", "k_sub_text")
    for col, value in zip((3, 4, 5), sums, strict=True):
        put(ws, row, col, value, number_style(value, sub=True))
    fit_rows(ws, 4, row, widths)
    page_setup(ws, "$3:$3", "A4", landscape=False)


def _data_sheet(
    ws: Worksheet,
    plan_code: str,
    region: str,
    period: Period,
    report: ProgressReport,
    services: Services,
    types: list[TypeStats],
) -> None:
    """One record per figure, keyed by stable codes; values unrounded."""
    for col, text in enumerate(DATA_HEADERS, start=1):
        put(ws, 1, col, text, "k_text")
    common = [
        FORMAT_VERSION,
        None,
        plan_code,
        region,
        period.code,
        period.start.isoformat(),
        period.end.isoformat(),
        report.as_of.isoformat(),
    ]
    records: list[list] = []
    for p in report.indicators:
        records.append(
            [
                p.code,
                p.name,
                p.unit,
                p.measure,
                p.target_mode,
                p.target,
                p.period_value,
                p.actual,
                p.completion_pct,
                p.expected_pct,
                p.status,
            ]
        )
    ledger: list[list] = []
    totals = services.activities.totals(ActivityFilter(start=period.start, end=period.end))
    for key, uom, value in (
        ("activities", "次", totals.activities),
        ("sessions", "场", totals.sessions),
        ("participants", "人次", totals.participants),
        ("volunteers", "人次", totals.volunteers),
        ("volunteer_hours", "小时", totals.volunteer_hours),
        ("funding_yuan", "元", totals.funding_yuan),
    ):
        ledger.append([f"ledger:{key}", key, uom, "count", "", None, value, None, None, None, ""])
    for t in types:
        for key, uom, value in (
            ("activities", "次", t.activities),
            ("sessions", "场", t.sessions),
            ("participants", "人次", t.participants),
        ):
            ledger.append(
                [
                    f"type:{t.code}:{key}",
                    t.name,
                    uom,
                    "count",
                    "",
                    None,
                    value,
                    None,
                    None,
                    None,
                    "",
                ]
            )
    row = 2
    for kind, rows in (("indicator", records), ("ledger", ledger)):
        for values in rows:
            for col, value in enumerate([*common[:1], kind, *common[2:], *values], start=1):
                put_value(ws.cell(row=row, column=col), value)
            row += 1
