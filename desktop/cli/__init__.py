"""`kepu`: the same operations as the window, for scripts. A stable contract.

Each command group lives in its own module with a `register(subparsers)`;
errors are printed to stderr in Chinese and exit non-zero, having written
nothing (every service call is one transaction).

The window (no command) and its self-check are parsed from desktop/cli/window.py
alone: the other command modules import the domain, and the window's frame
must be on screen before the domain has loaded.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from desktop.cli import window
from desktop.cli.common import ChineseArgumentParser, fail
from desktop.errors import ServiceError


def command_modules() -> list[ModuleType]:
    """Every command group, in the order `kepu --help` lists them."""
    collecting = gc.isenabled()
    gc.disable()  # loading the domain makes many objects and no garbage: see desktop/__main__.py
    try:
        from desktop.cli import (
            assessment,
            collection,
            core,
            exports,
            flags,
            maintenance,
            plan,
            returns,
        )
    finally:
        if collecting:
            gc.enable()
    return [core, exports, maintenance, window, collection, returns, flags, plan, assessment]


def build_parser(modules: Sequence[ModuleType] | None = None) -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="kepu", description="科普台账：全民科学素质行动工作台账")
    parser.add_argument(
        "--db", help="数据库文件路径或数据库 URL（默认：用户数据目录中的 kepu.sqlite3）"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for module in command_modules() if modules is None else modules:
        module.register(sub)
    return parser


def window_command(argv: Sequence[str]) -> bool:
    """Whether argv, past its --db, names no command or one of the window's own.

    Anything else (help, an abbreviated option, another command) goes to the
    whole parser, which reads it exactly as before.
    """
    i = 0
    while i < len(argv) and (argv[i] == "--db" or argv[i].startswith("--db=")):
        i += 2 if argv[i] == "--db" else 1
    if i > len(argv):
        return False  # --db without its value: the whole parser says so
    return i == len(argv) or argv[i] in window.COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser([window] if window_command(argv) else None)
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
