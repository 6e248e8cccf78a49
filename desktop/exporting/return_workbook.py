"""The Excel return (报表) for a period: what the city receives and files.

Sheets: 进展统计表 (the form itself), 分地区 (only where lower regions report:
return_regions), 活动明细 (the ledger of the period),
分单位统计, 科普统计 (by activity type), 志愿者, and a hidden `_data` sheet
with stable codes and unrounded values, so the city's copy of the program
can import the return without retyping. Every figure of the form comes
from the progress report, the same one `kepu progress --json` prints.

The workbook is written in openpyxl's write-only mode, each sheet streamed
top to bottom (xlsx_style), the ledger straight from the service's row
stream: memory stays flat however many activities the period has. The
further sheets are in return_sheets.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from desktop.errors import ServiceError
from desktop.exporting.cells import put_value
from desktop.exporting.files import written_in_place
from desktop.exporting.progress_table import Block, build_blocks
from desktop.exporting.return_regions import write_region_sheet
from desktop.exporting.return_sheets import (
    Heading,
    write_ledger_sheet,
    write_type_sheet,
    write_unit_sheet,
    write_volunteer_sheet,
)
from desktop.exporting.xlsx_style import (
    FONT,
    Grid,
    Rows,
    add_styles,
    discard,
    number_style,
    streamed_sheet,
)
from desktop.return_layout import (
    DATA_HEADERS,
    DATA_SHEET,
    FORMAT_VERSION,
    PROGRESS_HEADER_ROW,
    PROGRESS_HEADERS,
    PROGRESS_SHEET,
    REGIONS_SHEET,
)
from desktop.services.activities import ActivityFilter, Totals
from desktop.services.periods import Period
from desktop.services.progress import ProgressReport
from desktop.services.region_figures import RegionTable
from desktop.services.reports import PlaceVolunteering, TeamStats, TypeStats, UnitStats

if TYPE_CHECKING:
    from desktop.models import Plan
    from desktop.services import Services

Progress = Callable[[int, int], bool]
SHEETS = [PROGRESS_SHEET, "活动明细", "分单位统计", "科普统计", "志愿者", DATA_SHEET]
PROGRESS_WIDTHS = [6, 16, 28, 26, 8, 11, 11, 11, 9, 9, 14, 26]


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


@dataclass(frozen=True)
class _Figures:
    """Everything the return shows beside the ledger: aggregates, worked out in SQL."""

    report: ProgressReport
    blocks: list[Block]
    units: list[UnitStats]
    types: list[TypeStats]
    teams: list[TeamStats]
    service: list[PlaceVolunteering]
    totals: Totals
    regions: RegionTable | None

    @classmethod
    def read(cls, services: Services, period: Period, plan: Plan, regions: bool) -> _Figures:
        report = services.progress.report(period=period, plan_code=plan.code)
        reports = services.reports
        return cls(
            regions=services.returns.table(period.code) if regions else None,
            report=report,
            blocks=build_blocks(
                report, services.plans.tasks(plan.id), reports.task_stats(period, plan.code)
            ),
            units=reports.unit_stats(period, plan.code),
            types=reports.type_stats(period),
            teams=reports.volunteer_teams(period),
            service=reports.volunteer_service(period),
            totals=services.activities.totals(ActivityFilter(start=period.start, end=period.end)),
        )


def export_return(
    services: Services,
    period: Period,
    out: Path,
    progress: Progress | None = None,
    final: bool = False,
    plan_code: str | None = None,
) -> Path:
    """Write the return for `period` to `out` (atomically) and record the submission.

    The figures of the form and the summary sheets are aggregates the
    database works out on its own; they are read on a second thread while
    the ledger streams (the database, not Python, does that work, so on two
    cores it takes no time of its own). Each write-only sheet streams to a
    file of its own, so the ledger, second in the workbook, is written first.
    """
    out = Path(out)
    plan = services.plans.for_period(period, plan_code)
    steps = _Steps(progress, services.reports.ledger_count(period) + 6)
    steps.advance(0)
    settings = services.settings.all()
    office = office_name(services, plan.region)
    heading = Heading(plan.region, office, period_text(period))

    wb = Workbook(write_only=True)
    add_styles(wb)
    wb.properties.title = f"{plan.region}全民科学素质行动实施进展统计表 {period.label}"
    wb.properties.creator = office
    wb.properties.subject = FORMAT_VERSION
    # An office that consolidates lower regions' returns shows them region by region.
    regions = services.returns.has_regions()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="return-figures") as pool:
        reading = pool.submit(_Figures.read, services, period, plan, regions)
        try:
            main = streamed_sheet(wb, PROGRESS_SHEET)
            by_region = streamed_sheet(wb, REGIONS_SHEET) if regions else None
            ledger, units, types, volunteers, data = (
                streamed_sheet(wb, name) for name in SHEETS[1:]
            )
            data.sheet_state = "hidden"
            write_ledger_sheet(ledger, heading, services.reports.ledger_rows(period), steps.advance)
            figures = reading.result()
            report = figures.report
            write_progress_sheet(
                main, plan.region, period, report, figures.blocks, settings, office
            )
            steps.advance()
            if by_region is not None and figures.regions is not None:
                write_region_sheet(by_region, heading, figures.regions)
            write_unit_sheet(units, heading, report, figures.units)
            steps.advance()
            write_type_sheet(types, heading, figures.types)
            steps.advance()
            write_volunteer_sheet(volunteers, heading, figures.teams, figures.service)
            steps.advance()
            _data_sheet(data, plan.code, plan.region, period, figures)
            steps.advance()

            with written_in_place(out) as staged:
                wb.save(staged.tmp)
                services.submissions.record(
                    period.code, "return", out, final, staged=staged.tmp, place=staged.place
                )
        except BaseException:
            reading.cancel()
            discard(wb)
            raise
    steps.advance()
    return out


def write_progress_sheet(
    ws: WriteOnlyWorksheet,
    region: str,
    period: Period,
    report: ProgressReport,
    blocks: list[Block],
    settings: dict[str, str],
    office: str,
) -> None:
    width = len(PROGRESS_HEADERS)
    g = Grid()
    g.merge(1, 1, 1, width)
    g.put(1, 1, f"{region}全民科学素质行动实施进展统计表", "k_title")
    g.height(1, 34)
    for first, last, text, style in (
        (1, 4, f"表号：{settings.get('form_number', '')}", "k_info"),
        (5, 8, f"制表机关：{settings.get('form_authority', '')}", "k_info"),
        (9, 12, f"统计期：{period_text(period)}", "k_info_right"),
    ):
        g.merge(2, first, 2, last)
        g.put(2, first, text, style)
    g.merge(3, 1, 3, 8)
    g.put(3, 1, f"填报单位（盖章）：{office}", "k_info")
    g.merge(3, 9, 3, 12)
    g.put(3, 9, f"数据截至：{report.as_of.isoformat()}", "k_info_right")
    g.header_row(PROGRESS_HEADER_ROW, PROGRESS_HEADERS, PROGRESS_WIDTHS)

    row = 5
    for block in blocks:
        block_start = row
        task_start, task_title = row, None
        for item in block.rows:
            sub = item.kind == "subtotal"
            if item.task != task_title:
                if task_title is not None and row - 1 > task_start:
                    g.merge(task_start, 3, row - 1, 3)
                task_start, task_title = row, item.task
            g.put(row, 1, item.number, "k_center")
            g.put(row, 2, block.title, "k_section")
            if sub:
                g.put(row, 3, item.task, "k_sub_text")
                g.put(row, 4, "", "k_sub_text")
                g.merge(row, 3, row, 4)
                task_title = None
            else:
                g.put(row, 3, item.task, "k_text")
                g.put(row, 4, item.indicator, "k_text")
            prefix = "k_sub_" if sub else "k_"
            g.put(row, 5, item.uom, "k_sub_text" if sub else "k_center")
            for col, value in (
                (6, item.target),
                (7, item.period_value),
                (8, item.cumulative),
            ):
                g.put(row, col, value, number_style(value, sub))
            g.put(row, 9, item.completion, prefix + "pct")
            font = None
            if item.status in ("behind", "far_behind"):
                colour = "C62828" if item.status == "far_behind" else "E65100"
                font = Font(name=FONT, size=10.5, bold=True, color=colour)
            g.put(row, 10, item.status_label, "k_sub_text" if sub else "k_center", font)
            g.put(row, 11, item.lead, prefix + "text" if sub else "k_text")
            g.put(row, 12, item.note, prefix + "text" if sub else "k_text")
            row += 1
        if task_title is not None and row - 1 > task_start:
            g.merge(task_start, 3, row - 1, 3)
        if row - 1 > block_start:
            g.merge(block_start, 2, row - 1, 2)

    row += 1
    today = cn_date(date.today())
    for first, last, text in (
        (1, 3, f"单位负责人：{settings.get('unit_head', '')}"),
        (4, 6, f"填报人：{settings.get('contact_person', '')}"),
        (7, 9, f"联系电话：{settings.get('contact_phone', '')}"),
        (10, 12, f"填报日期：{today}"),
    ):
        g.merge(row, first, row, last)
        g.put(row, first, text, "k_info")
    row += 1
    g.note(
        row,
        width,
        "说明：完成率＝累计完成÷目标值；进度按方案时序判定（已完成／正常／滞后／严重滞后／无数据）；"
        "小计仅合计计量单位相同的计数型指标。",
    )
    g.stream_into(ws, (5, row - 3), PROGRESS_WIDTHS, "$4:$4", "A5")


_LEDGER_UNITS = {
    "activities": "次",
    "sessions": "场",
    "participants": "人次",
    "volunteers": "人次",
    "volunteer_hours": "小时",
    "funding_yuan": "元",
}


def _ledger_record(code: str, name: str, figure: str, value: float) -> list:
    """A ledger sum's fields on the data sheet: a count in its figure's unit, with no target."""
    return [code, name, _LEDGER_UNITS[figure], "count", "", None, value, None, None, None, ""]


def _data_sheet(
    ws: WriteOnlyWorksheet, plan_code: str, region: str, period: Period, figures: _Figures
) -> None:
    """One record per figure, keyed by stable codes; values unrounded."""
    report, totals = figures.report, figures.totals
    rows = Rows(ws)
    rows.append([rows.cell(text, "k_text") for text in DATA_HEADERS])
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
    ledger = [
        _ledger_record(f"ledger:{key}", key, key, value)
        for key, value in (
            ("activities", totals.activities),
            ("sessions", totals.sessions),
            ("participants", totals.participants),
            ("volunteers", totals.volunteers),
            ("volunteer_hours", totals.volunteer_hours),
            ("funding_yuan", totals.funding_yuan),
        )
    ]
    for t in figures.types:
        for key, value in (
            ("activities", t.activities),
            ("sessions", t.sessions),
            ("participants", t.participants),
        ):
            ledger.append(_ledger_record(f"type:{t.code}:{key}", t.name, key, value))
    for kind, records_of_kind in (("indicator", records), ("ledger", ledger)):
        for values in records_of_kind:
            rows.append(
                [
                    put_value(WriteOnlyCell(ws), value)
                    for value in [*common[:1], kind, *common[2:], *values]
                ]
            )
