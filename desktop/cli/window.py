"""The window's own commands: none at all (the window itself) and smoke, its self-check.

They are parsed from this module alone (see desktop/cli/__init__.py), so a
start of the window loads no command module, and with them none of the
domain, before the window's frame is on screen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.errors import ServiceError

COMMANDS = ("smoke",)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "smoke",
        help="程序自检：打开数据库和主窗口，逐一显示各页面（不指定 --db 时使用临时演示数据）",
    )
    p.add_argument("--report", help="同时把结果写入此文件（Windows 窗口版程序没有控制台输出）")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument(
        "--first-window",
        action="store_true",
        help="首页数据显示完毕即退出，不逐一打开其他页面（用于测量启动速度）",
    )
    shown.add_argument(
        "--frame-only",
        action="store_true",
        help="窗口框架（标题、导航栏、“正在打开数据库…”）显示即退出，不打开数据库（用于测量启动速度）",
    )
    p.set_defaults(func=cmd_smoke)


def cmd_smoke(args: argparse.Namespace) -> int:
    from desktop.ui.smoke import smoke

    if args.db and "://" not in args.db and not Path(args.db).exists():
        raise ServiceError(f"数据库文件不存在：{args.db}")
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    try:
        code = smoke(args.db, say, first_window=args.first_window, frame_only=args.frame_only)
    except ServiceError as exc:
        lines.append(f"自检未通过：{exc}")
        raise
    finally:
        if args.report:
            Path(args.report).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return code
