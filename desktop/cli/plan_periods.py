"""Commands: plan rollover / target / continue / unlock / lock — the next plan period."""

from __future__ import annotations

import argparse
import re

from desktop.cli.common import open_services
from desktop.errors import ValidationError

_YEARS = re.compile(r"^\s*(\d{4})\s*[-—–~～]\s*(\d{4})\s*$")


def register(plan: argparse._SubParsersAction) -> None:
    p = plan.add_parser("rollover", help="开始下一期方案：沿用当前方案的结构，年份顺延，目标待定")
    p.add_argument("--to", required=True, metavar="2026-2030", help="新方案的起止年份")
    p.add_argument("--name", help="新方案名称（默认：把原名称中的年份换成新年份）")
    p.add_argument("--code", help="新方案编号（默认：把原编号中的年份换成新年份）")
    p.set_defaults(func=cmd_rollover)

    p = plan.add_parser("target", help="填写指标目标（下一期方案的目标待定时）")
    p.add_argument("--indicator", required=True, metavar="CODE", help="指标编号")
    p.add_argument("--value", required=True, type=float, help="目标值")
    p.add_argument("--year", type=int, help="分年度目标的年份")
    p.add_argument("--plan", metavar="CODE", help="方案编号（默认：当前启用的方案）")
    p.set_defaults(func=cmd_target)

    p = plan.add_parser(
        "continue", help="新方案的指标接续上一期方案的指标（不带 --map 时列出建议）"
    )
    p.add_argument("--from", dest="old", required=True, metavar="CODE", help="上一期方案编号")
    p.add_argument("--to", dest="new", required=True, metavar="CODE", help="新方案编号")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="NEW=OLD",
        help="新指标=旧指标，OLD 为空表示新增指标",
    )
    p.add_argument("--accept", action="store_true", help="采用列出的全部建议")
    p.set_defaults(func=cmd_continue)

    p = plan.add_parser("unlock", help="解锁已结束方案的结构（须写明理由）")
    p.add_argument("--plan", required=True, metavar="CODE")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_unlock)

    p = plan.add_parser("lock", help="重新锁定已结束方案的结构")
    p.add_argument("--plan", required=True, metavar="CODE")
    p.set_defaults(func=cmd_lock)


def cmd_rollover(args: argparse.Namespace) -> int:
    m = _YEARS.match(args.to)
    if m is None:
        raise ValidationError(f"--to 应写作 2026-2030，却是“{args.to}”。", "to")
    svc = open_services(args)
    try:
        old = svc.plans.active()
        code = svc.plan_periods.rollover(int(m[1]), int(m[2]), args.name, args.code)
        new = next(p for p in svc.plans.plans() if p.code == code)
        pending = sum(1 for i in svc.plans.indicators(new.id))
    finally:
        svc.close()
    print(f"已开始下一期方案：{new.name}（{code}），已启用。")
    print(f"沿用“{old.name}”的行动、任务、责任单位和 {pending} 项指标；各项目标待定（未定目标）。")
    print("请逐项填写目标：kepu plan target --indicator 编号 --value 目标值 [--year 年份]")
    return 0


def cmd_target(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        svc.plan_periods.set_target(args.indicator, args.value, args.year, args.plan)
    finally:
        svc.close()
    when = f"{args.year}年" if args.year else ""
    print(f"已设定指标 {args.indicator} {when}目标：{args.value:g}")
    return 0


def _pairs(items: list[str]) -> dict[str, str | None]:
    pairs: dict[str, str | None] = {}
    for item in items:
        new, sep, old = item.partition("=")
        if not sep or not new.strip():
            raise ValidationError(f"--map 应写作 新指标编号=旧指标编号，却是“{item}”。", "map")
        pairs[new.strip()] = old.strip() or None
    return pairs


def cmd_continue(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        rows = svc.plan_periods.continuations(args.new, args.old)
        pairs = _pairs(args.map)
        if args.accept:
            pairs = {r.code: r.old_code for r in rows} | pairs
        if pairs:
            linked = svc.plan_periods.set_continuations(args.new, args.old, pairs)
            print(f"已接续 {linked} 项指标（无基期值的取上一期期末值为基期值）。")
            return 0
    finally:
        svc.close()
    print("新指标\t名称\t计量单位\t接续（上一期）\t上一期期末值")
    for r in rows:
        final = "" if r.final is None else f"{r.final:g}"
        print(f"{r.code}\t{r.name}\t{r.uom}\t{r.old_code or '—（新增）'} {r.old_name}\t{final}")
    print("用 --accept 采用以上建议，或用 --map 新=旧 逐项指定。")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        svc.plan_periods.unlock(args.plan, args.reason)
    finally:
        svc.close()
    print(
        f"已解锁方案 {args.plan} 的结构（理由已记入操作日志）。改完后请用 kepu plan lock 重新锁定。"
    )
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        svc.plan_periods.lock(args.plan)
    finally:
        svc.close()
    print(f"已重新锁定方案 {args.plan} 的结构。")
    return 0
