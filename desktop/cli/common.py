"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from desktop.paths import default_db_path
from desktop.services import Services


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors in Chinese."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：参数错误：{message}\n")


def fail(message: str, code: int = 1) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


def db_target(args: argparse.Namespace) -> str:
    return args.db or str(default_db_path())


def open_services(args: argparse.Namespace, must_exist: bool = True) -> Services:
    """Open the database named by --db; refuse to create one by accident."""
    target = db_target(args)
    if must_exist and "://" not in target and not Path(target).exists():
        from desktop.services.errors import ServiceError

        raise ServiceError(f"数据库文件不存在：{target}（请先运行 kepu --db 文件 init 或 demo）")
    return Services.open(target)
