"""`kepu`: the same operations as the window, for scripts. A stable contract.

Each command group lives in its own module with a `register(subparsers)`;
errors are printed to stderr in Chinese and exit non-zero, having written
nothing (every service call is one transaction).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from desktop.cli import collection, core, exports, maintenance, plan
from desktop.cli.common import ChineseArgumentParser, fail
from desktop.errors import ServiceError

COMMAND_MODULES = [core, exports, maintenance, collection, plan]


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="kepu", description="科普台账：全民科学素质行动工作台账")
    parser.add_argument(
        "--db", help="数据库文件路径或数据库 URL（默认：用户数据目录中的 kepu.sqlite3）"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from desktop.ui.app import run_gui

        return run_gui(args.db)
    try:
        return int(args.func(args) or 0)
    except ServiceError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("已中断。")
    except BrokenPipeError:  # `kepu progress | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
