"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from desktop.paths import default_db_path

if TYPE_CHECKING:  # loaded by the commands that open a database, not by the window's start
    from desktop.services import Services

# argparse looks its messages up through its module-level gettext `_` at the
# moment it prints them; the office reads Chinese, so the ones a user can meet
# are given here (the rest are programming errors and stay as they are).
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "命令与参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有 %(value)r 这一项（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 格式不对",
    "expected one argument": "需要填写一个值",
    "expected at least one argument": "至少需要填写一个值",
    "expected at most one argument": "最多只能填写一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须提供以下参数之一：%s",
    "ignored explicit argument %r": "多余的参数值 %r",
}
_english = argparse._  # type: ignore[attr-defined]
argparse._ = lambda message: ARGPARSE_ZH.get(message) or _english(message)  # type: ignore[attr-defined]


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors in Chinese."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：参数错误：{message}\n")


def count_arg(text: str) -> int:
    """An argparse type: a whole number; its range is the services' (desktop/limits.py)."""
    try:
        return int(text.strip().replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None


def amount_arg(text: str) -> float:
    """An argparse type: a finite number (not nan / inf); its range is the services'."""
    try:
        value = float(text.strip().replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的数值")
    return value


def fail(message: str, code: int = 1) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


def db_target(args: argparse.Namespace) -> str:
    return args.db or str(default_db_path())


def open_services(args: argparse.Namespace, must_exist: bool = True) -> Services:
    """Open the database named by --db; refuse to create one by accident."""
    target = db_target(args)
    if must_exist and "://" not in target and not Path(target).exists():
        from desktop.errors import ServiceError

        raise ServiceError(f"数据库文件不存在：{target}（请先运行 kepu --db 文件 init 或 demo）")
    from desktop.services import Services

    return Services.open(target)
