"""A YAML plan file in: safe loading with its guards, then the plan checks.

The file is text an office edits by hand, so PyYAML's refusals are retold in
words a user can act on, with the line and column, and a repeated key is
refused rather than silently won by the last. Only plain data is built (the
safe loader); a file whose aliases (*) would expand past MAX_YAML_NODES, or
that refers to itself, is refused before anything is constructed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from desktop.importing.plan_document_file import (
    PlanDocumentError,
    decode_text,
    read_plan_bytes,
)
from desktop.plan.codes import default_id, fill_codes
from desktop.plan.document import PlanDocument
from desktop.plan.validation import PlanFileError, Problem, check_plan

MAX_YAML_NODES = 2_000_000  # a plan with 10,000 indicators has some 400,000

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# PyYAML's reasons, in the words an office user can act on.
_YAML_REASONS = [
    ("cannot start any token", "出现了不能用在这里的字符"),
    ("mapping values are not allowed", "这里不能出现“:”（缩进不对，或文字中的英文冒号没有加引号）"),
    ("could not find expected ':'", "缺少“:”（每一项应写成“名称: 内容”）"),
    ("expected <block end>", "缩进不一致"),
    ("expected <block mapping start>", "缩进不一致"),
    ("did not find expected key", "缩进不一致，或一行中有多余的内容"),
    ("did not find expected '-'", "列表项缩进不一致"),
    ("found undefined alias", "引用（*）了没有定义的锚点（&）"),
    (
        "could not determine a constructor",
        "含有不允许的 YAML 标签（!!…），方案文件中只能有文字、数字、列表和表",
    ),
    ("found another document", "文件中有多份文档（---），只能有一份"),
    ("maximum nesting depth", "嵌套层数太多"),
    ("unexpected end of stream", "文件在引号或括号未结束处中断（引号、括号没有配对）"),
    ("unknown escape character", "双引号内有无效的转义符“\\”（路径等请用单引号）"),
    ("control characters are not allowed", "含有不允许的控制字符"),
    ("found unacceptable character", "含有不允许的控制字符"),
    ("expected a comment or a line break", "一行的末尾有多余的内容"),
    ("found duplicate anchor", "锚点（&）重名"),
    ("found unhashable key", "表的键不能是列表或表"),
]


class _PlanYamlError(Exception):
    """A refusal of this loader's own (a repeated key, a bomb), with its place in words."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def _mark_words(mark: Any) -> str:
    return f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else "文件"


class _PlanLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing repeated keys (an edit slip: which one counts?)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        if isinstance(node, yaml.MappingNode):
            for key_node, _value in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise _PlanYamlError(
                            _mark_words(key_node.start_mark),
                            f"键“{key_node.value}”在同一层重复出现，应只写一次。",
                        )
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _expanded_size(root: Any) -> int:
    """Nodes the document stands for once every alias (*) is expanded;
    MAX_YAML_NODES + 1 for more, or for a node that contains itself."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()
    too_many = MAX_YAML_NODES + 1

    def size(node: Any) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            return too_many
        busy.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > MAX_YAML_NODES:
                total = too_many
                break
        busy.discard(key)
        sizes[key] = total
        return total

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 5000))  # the composer allows 1,000 levels
    try:
        return size(root)
    finally:
        sys.setrecursionlimit(limit)


def _char_at(text: str, mark: Any) -> str:
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _load_yaml(text: str) -> Any:
    loader = _PlanLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > MAX_YAML_NODES:
            raise _PlanYamlError(
                "文件",
                "内容展开后过于庞大（大量或循环的锚点 & / 引用 *），不是一份方案文件。",
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    english = f"{getattr(exc, 'problem', None) or ''} {exc}"
    reason = next((zh for en, zh in _YAML_REASONS if en in english), None)
    if reason == "出现了不能用在这里的字符" and _char_at(text, mark) == "\t":
        reason = "用了 Tab 键缩进；YAML 只能用空格缩进"
    return Problem(_mark_words(mark), f"YAML 格式错误：{reason or '不符合 YAML 格式'}。")


def read_plan_yaml(path: Path) -> PlanDocument:
    source = f"方案文件“{path.name}”"
    text = ""
    try:
        raw = read_plan_bytes(path)
        if raw.startswith(b"PK\x03\x04"):
            raise PlanDocumentError(
                "这是 Office 文件（.docx / .xlsx），不是 YAML 文本；方案工作簿请把扩展名改回 .xlsx。"
            )
        text = decode_text(raw)
        if not text.strip():
            raise PlanDocumentError("文件是空的。")
        data = _load_yaml(text)
    except PlanDocumentError as exc:
        raise PlanFileError(source, [Problem("文件", str(exc))]) from None
    except _PlanYamlError as exc:
        raise PlanFileError(source, [Problem(exc.where, exc.message)]) from None
    except yaml.YAMLError as exc:
        raise PlanFileError(source, [_yaml_problem(exc, text)]) from None
    except RecursionError:
        raise PlanFileError(source, [Problem("文件", "YAML 嵌套层数太多。")]) from None
    if not isinstance(data, dict):
        raise PlanFileError(
            source,
            [Problem("文件", "内容不是一个方案（应以 id:、plan:、sections: 等各项开头）。")],
        )
    fill_codes(data)
    if data.get("id") is None and isinstance(data.get("plan"), dict):
        data["id"] = default_id(data["plan"])
    return check_plan(data, source)
