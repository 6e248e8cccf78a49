"""Plan files in: a YAML plan file or a plan-structure workbook → a checked PlanDocument.

The suffix picks the reader (desktop/importing/plan_yaml_file.py,
desktop/importing/plan_workbook_file.py). Both check the whole plan before
anything is written: every problem is collected and reported at once, in
Chinese, and a file with any problem yields a PlanFileError and no plan, so
a bad file changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from desktop.importing.plan_workbook_file import read_plan_workbook
from desktop.importing.plan_yaml_file import read_plan_yaml
from desktop.plan.document import PlanDocument
from desktop.plan.validation import PlanFileError, Problem


def read_plan_file(path: Path | str) -> PlanDocument:
    """A checked plan from a .yaml/.yml plan file or a .xlsx plan workbook."""
    path = Path(path)
    if not path.is_file():
        raise PlanFileError(f"方案文件“{path}”", [Problem("文件", "不存在或不是文件。")])
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_plan_yaml(path)
    if suffix == ".xlsx":
        return read_plan_workbook(path)
    raise PlanFileError(
        f"方案文件“{path.name}”",
        [
            Problem(
                "文件类型",
                f"不支持“{suffix or '无扩展名'}”，应为 .yaml 或 .xlsx；"
                "方案原文（.txt / .docx）请用“从文本识别”。",
            )
        ],
    )
