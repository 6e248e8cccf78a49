"""A new plan from the screens: its file chosen, its problems shown, saved under a free code.

The first-run wizard, 从文本识别 and the 实施方案 page's 导入方案文件 all
end in a new plan; they choose a plan file, explain a plan that cannot be
saved, and keep apart from a plan already stored under the same code in
the same way.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.errors import ServiceError
from desktop.plan.document import PlanDocument
from desktop.plan.validation import validate_plan
from desktop.services import Services

MAX_PROBLEMS_SHOWN = 8


def choose_plan_file(parent: QWidget) -> Path | None:
    """The plan workbook or YAML file the user picks; None when they cancel."""
    name, _ = QFileDialog.getOpenFileName(
        parent, "导入方案文件", "", "方案文件 (*.xlsx *.yaml *.yml)"
    )
    return Path(name) if name else None


def free_code(code: str, taken: set[str]) -> str:
    """`code` itself, or the first of code-2, code-3 … that no stored plan has."""
    if code not in taken:
        return code
    n = 2
    while f"{code}-{n}" in taken:
        n += 1
    return f"{code}-{n}"


def problems_text(problems: list[str]) -> str:
    """The first problems, one a line, as many as a message box shows well."""
    return "\n".join(problems[:MAX_PROBLEMS_SHOWN])


def save_new_plan(
    parent: QWidget, services: Services, doc: PlanDocument, *, activate: bool, title: str, noun: str
) -> int | None:
    """Save `doc` as a new plan under a free code; explain and return None if it cannot be.

    `noun` names what is saved in the message ("方案", "方案草稿").
    """
    problems = [str(p) for p in validate_plan(doc.to_dict())]
    if problems:
        QMessageBox.warning(
            parent,
            title,
            f"{noun}还有 {len(problems)} 处问题，请先修正：\n{problems_text(problems)}",
        )
        return None
    doc.id = free_code(doc.id or "", {p.code for p in services.plans.plans()})
    try:
        return services.plans.create(doc, activate=activate)
    except ServiceError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
