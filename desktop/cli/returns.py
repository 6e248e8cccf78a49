"""Commands: lower regions' returns, one level up — import, who has reported, the table, mappings."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.cli.common import fail, open_services
from desktop.errors import ValidationError
from desktop.services.periods import parse_period


def register(sub: argparse._SubParsersAction) -> None:
    ret = sub.add_parser("returns", help="汇总下级报表（市汇总各县、县汇总各镇）").add_subparsers(
        dest="action", metavar="操作", required=True
    )
    p = ret.add_parser("import", help="导入下级地区用科普台账导出的报表")
    p.add_argument("files", nargs="+", metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument(
        "--replace", action="store_true", help="同一地区、同一统计期已有报表时，用新文件替换"
    )
    p.set_defaults(func=cmd_import)

    p = ret.add_parser("status", help="报送情况：各下级地区某一统计期的报表是否已报送")
    p.add_argument("--period", required=True, help="统计期：2024、2024Q3 或 202407")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_status)

    p = ret.add_parser("table", help="分地区汇总表：各地区每项指标的数值")
    p.add_argument("--period", required=True, help="统计期：2024、2024Q3 或 202407")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_table)

    p = ret.add_parser("map", help="下级指标与本级指标的对应：不带参数时列出")
    p.add_argument("--code", help="下级指标编号")
    p.add_argument("--name", help="下级指标名称")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--to", metavar="CODE", help="对应的本级指标编号")
    target.add_argument("--none", action="store_true", help="不汇总这项下级指标")
    p.set_defaults(func=cmd_map)

    p = ret.add_parser("regions", help="列出下级地区；--add 登记尚未报送过的地区")
    p.add_argument("--add", metavar="NAME", action="append", help="地区名称，可重复")
    p.set_defaults(func=cmd_regions)


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.importing.return_file import read_returns

    for name in args.files:
        if not Path(name).is_file():
            raise ValidationError(f"文件不存在：{name}")
    read, unreadable = read_returns([Path(f) for f in args.files])
    svc = open_services(args)
    try:
        result = svc.returns.import_returns(
            read, unreadable, dry_run=args.dry_run, replace=args.replace
        )
    finally:
        svc.close()
    for o in result.outcomes:
        head = o.file + (f"（{o.region} {o.period}）" if o.region else "")
        print(f"{head}：{o.label}。{o.message}")
        for u in o.unmatched:
            print(f"  未汇总：{u.code} {u.name}（{u.uom or '无计量单位'}）：{u.reason}")
    if args.dry_run:
        print("检查完毕（--dry-run），没有写入任何数据。")
        return fail(f"{len(result.refused)} 个文件不能导入。") if result.refused else 0
    if result.refused:
        return fail(f"{len(result.refused)} 个文件不能导入，没有导入任何报表。请处理后重新导入。")
    if result.written:
        print(
            "已汇总下级报表" + (f"；导入前已备份数据库：{result.backup}" if result.backup else "。")
        )
    else:
        print("没有新的报表需要导入。")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from desktop.services.region_figures import region_status_json

    period = parse_period(args.period)
    svc = open_services(args)
    try:
        report = svc.returns.status(period.code)
    finally:
        svc.close()
    if args.json:
        print(json.dumps(region_status_json(report), ensure_ascii=False, indent=2))
        return 0
    print(f"{period.label}下级报表报送情况：{report.due_text}；{report.rate_text}")
    print("地区\t状态\t报送时间\t联系人")
    for u in report.units:
        when = f"{u.received_at:%Y-%m-%d %H:%M}" if u.received_at else ""
        print(f"{u.unit}\t{u.label}\t{when}\t{u.contact}")
    if report.missing:
        print()
        print(report.chase_text())
    return 0


def cmd_table(args: argparse.Namespace) -> int:
    period = parse_period(args.period)
    svc = open_services(args)
    try:
        table = svc.returns.table(period.code)
    finally:
        svc.close()
    if args.json:
        print(json.dumps([f.as_json() for f in table.figures], ensure_ascii=False, indent=2))
        return 0
    print(f"{period.label}分地区汇总（数据截至 {table.as_of.isoformat()}）")
    for c in table.columns:
        values = "；".join(f"{region} {value:g}" for region, value in c.values.items())
        if c.total is not None:
            values += f"；合计 {c.total:g}"
        if c.range is not None:
            values += f"；范围 {c.range[0]:g}—{c.range[1]:g}（百分比不相加）"
        print(f"{c.code} {c.name}（{c.uom}）：{values}")
    missing = [u.unit for u in table.report.missing]
    if missing:
        print("未报送地区：" + "、".join(missing))
    return 0


def cmd_map(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        if args.to or args.none:
            if not (args.code and args.name):
                raise ValidationError("设置对应时请用 --code 和 --name 指明下级指标。")
            changed = svc.returns.set_mapping(args.code, args.name, None if args.none else args.to)
            what = "不汇总" if args.none else f"对应本级指标 {args.to}"
            print(f"已设置：下级指标“{args.code} {args.name}”{what}；重新汇总了 {changed} 份报表。")
            return 0
        rows = svc.returns.lower_indicators()
    finally:
        svc.close()
    if not rows:
        print("还没有导入下级报表。")
        return 0
    print("下级编号\t下级指标\t计量单位\t本级指标\t说明\t地区")
    for r in rows:
        note = "（已设对应）" if r.mapped and r.indicator else r.reason
        print(f"{r.code}\t{r.name}\t{r.uom}\t{r.indicator or '—'}\t{note}\t{'、'.join(r.regions)}")
    return 0


def cmd_regions(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        for name in args.add or []:
            svc.returns.add_region(name)
            print(f"已登记下级地区：{name}")
        regions = svc.returns.regions()
    finally:
        svc.close()
    print("下级地区：" + ("、".join(u.name for u in regions) if regions else "（无）"))
    return 0
