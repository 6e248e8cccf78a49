"""Command: what looks wrong (疑似异常) — list the flags, confirm one with a comment."""

from __future__ import annotations

import argparse
import json

from desktop.cli.common import open_services
from desktop.errors import NotFoundError, ValidationError
from desktop.services.flags import KIND_LABELS, OPEN, Flag, FlagService


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("flags", help="疑似异常：偏离历史或超出活动容量的数据")
    p.add_argument("--period", help="统计期：2024、2024Q3 或 202407（默认：全部）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--confirm", metavar="CODE", help="确认一条：指标编号或活动编号")
    p.add_argument("--kind", choices=list(KIND_LABELS), help="与 --confirm 一起用：数据类别")
    p.add_argument("--unit", help="与 --confirm 一起用：单位名称")
    p.add_argument("--comment", help="与 --confirm 一起用：确认说明（例如：全县集中培训）")
    p.set_defaults(func=cmd_flags)


def _chosen(flags: list[Flag], args: argparse.Namespace) -> Flag:
    """The one flag --confirm (with --kind, --unit, --period) names."""
    found = [
        f
        for f in flags
        if f.code == args.confirm
        and (args.kind is None or f.kind == args.kind)
        and (args.unit is None or f.unit == args.unit)
    ]
    if not found:
        raise NotFoundError(f"没有编号为“{args.confirm}”的疑似异常。")
    if len(found) > 1:
        where = "、".join(f"{f.kind} {f.unit} {f.period}" for f in found)
        raise ValidationError(
            f"“{args.confirm}”有多条疑似异常（{where}），请用 --period、--kind 或 --unit 指明。"
        )
    return found[0]


def cmd_flags(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        service = FlagService(svc.db)
        flags = service.flags(args.period)
        if args.confirm:
            if not args.comment:
                raise ValidationError("确认疑似异常时请用 --comment 写明理由。")
            flag = _chosen(flags, args)
            service.confirm(flag, args.comment)
            print(
                f"已确认：{flag.kind_label} {flag.code} {flag.period} {flag.unit}：{args.comment}"
            )
            return 0
        if args.json:
            print(json.dumps([f.as_json() for f in flags], ensure_ascii=False, indent=2))
            return 0
        if not flags:
            print("没有疑似异常。")
        for f in flags:
            said = f"\t说明：{f.comment}" if f.comment else ""
            print(
                f"{f.status_label}\t{f.kind_label}\t{f.code}\t{f.name}\t{f.unit}\t{f.period}"
                f"\t{f.value:g}\t{f.reason}{said}"
            )
        open_count = sum(f.status == OPEN for f in flags)
        print(f"共 {len(flags)} 条，其中待处理 {open_count} 条。")
        return 0
    finally:
        svc.close()
