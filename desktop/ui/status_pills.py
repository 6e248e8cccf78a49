"""The row of status pills over the indicators, on 总览 and on 指标进度: 严重滞后 3, 滞后 5, ….

Both pages show the same five pills, worst first, coloured and counted
alike from the progress report, so the two pages never disagree.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel

from desktop.services.progress import STATUS_LABELS, ProgressReport
from desktop.ui.widgets import status_style

PILL_ORDER = ("far_behind", "behind", "on_track", "done", "no_data", "no_target")


def add_status_pills(row: QHBoxLayout) -> dict[str, QLabel]:
    """One empty pill a status, added to `row`; `show_status_counts` fills them."""
    pills: dict[str, QLabel] = {}
    for status in PILL_ORDER:
        pill = QLabel()
        pill.setStyleSheet(status_style(status))
        pills[status] = pill
        row.addWidget(pill)
    return pills


def show_status_counts(pills: dict[str, QLabel], report: ProgressReport) -> None:
    counts = report.status_counts()
    for status, pill in pills.items():
        pill.setText(f"{STATUS_LABELS[status]} {counts[status]}")
        # 未定目标 exists only between a rollover and the office entering its targets.
        pill.setVisible(status != "no_target" or counts[status] > 0)
