"""Commands: backup, restore, check — keeping five years of records safe."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import db_target, open_services
from desktop.db import UnreadableDatabase, backup_sqlite, probe_sqlite, restore_database
from desktop.errors import ServiceError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="备份数据库")
    p.add_argument("--out-dir", help="备份目录（默认：数据库旁的 backups 目录）")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="用备份文件恢复数据库（恢复前自动备份当前数据）")
    p.add_argument("backup", help="备份文件")
    p.add_argument("--yes", action="store_true", help="确认覆盖当前数据库")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("check", help="检查数据库完整性，以及活动月度汇总是否与台账一致")
    p.add_argument(
        "--repair", action="store_true", help="先备份，再按台账重新汇总活动月度数据，然后检查"
    )
    p.set_defaults(func=cmd_check)


def _local_path(args: argparse.Namespace) -> Path:
    target = db_target(args)
    if "://" in target:
        raise ServiceError(
            "备份与恢复只适用于本地 SQLite 数据库文件；服务器数据库请用其自带的备份工具。"
        )
    path = Path(target)
    if not path.exists():
        raise ServiceError(f"数据库文件不存在：{target}")
    return path


def cmd_backup(args: argparse.Namespace) -> int:
    path = _local_path(args)
    if args.out_dir and Path(args.out_dir).exists() and not Path(args.out_dir).is_dir():
        raise ServiceError(f"备份目录“{args.out_dir}”是一个文件，不是文件夹。")
    dest = backup_sqlite(path, Path(args.out_dir) if args.out_dir else None, label="manual")
    print(f"已备份到：{dest}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = _local_path(args)
    backup = Path(args.backup)
    if not backup.is_file():
        raise ServiceError(f"备份文件不存在：{backup}")
    try:
        probe_sqlite(backup)
    except UnreadableDatabase as exc:
        raise ServiceError(str(exc)) from None
    if not args.yes:
        raise ServiceError("恢复会用备份覆盖当前数据库；确认无误后请加 --yes 再运行。")
    try:
        safety = restore_database(backup, path)
    except UnreadableDatabase as exc:
        raise ServiceError(str(exc)) from None
    print(f"已从 {backup} 恢复；恢复前的数据已另存为 {safety}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from desktop.services.health import HealthService

    svc = open_services(args)
    try:
        health = HealthService(svc.db)
        if args.repair:
            print(health.repair())
        problems = health.problems()
    finally:
        svc.close()
    if problems:
        for p in problems:
            print(f"问题：{p}")
        return 1
    print("数据库检查通过。")
    return 0
