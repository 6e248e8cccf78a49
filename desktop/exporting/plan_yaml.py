"""A plan as a readable YAML file, in the shape of resources/templates/SCHEMA.md.

The same file can be kept beside the office's records, mailed to another
county, or loaded back with `kepu plan import` (desktop/importing/plan_yaml_file.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from desktop.cleaning import writable
from desktop.exporting.files import written_in_place
from desktop.plan.document import PlanDocument

_HEADER = (
    "# 科普台账 实施方案文件（格式见 resources/templates/SCHEMA.md）\n"
    "# 可用文本编辑器修改后，用“导入方案文件”或 kepu plan import 读回。\n"
)


class _Dumper(yaml.SafeDumper):
    """Block style everywhere, and multi-line or long text kept readable."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _writable(value: Any) -> Any:
    if isinstance(value, str):
        return writable(value)
    if isinstance(value, dict):
        return {k: _writable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_writable(v) for v in value]
    return value


def plan_yaml_text(doc: PlanDocument) -> str:
    body = yaml.dump(
        _writable(doc.to_dict()),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        indent=2,
    )
    return _HEADER + body


def write_plan_yaml(doc: PlanDocument, path: Path | str) -> None:
    with written_in_place(Path(path)) as staged:
        staged.tmp.write_text(plan_yaml_text(doc), encoding="utf-8")
