"""Commands: collection workbooks for member units — templates, import, batches, undo."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.common import fail, open_services
from desktop.errors import ValidationError
from desktop.services.periods import parse_period
from desktop.services.reference import unit_by_name

if TYPE_CHECKING:  # the importer, with openpyxl behind it, loads when a command needs it
    from desktop.services.imports import ImportResult


def register(sub: argparse._SubParsersAction) -> None:
    col = sub.add_parser("collection", help="成员单位数据采集表").add_subparsers(
        dest="action", metavar="操作", required=True
    )
    p = col.add_parser("template", help="生成采集表（一个单位，或 --all 所有单位）")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--unit", help="单位名称")
    who.add_argument("--all", action="store_true", help="为方案中的所有责任单位各生成一个文件")
    p.add_argument("--period", required=True, help="统计期：2024、2024Q3 或 202407")
    p.add_argument("--out", help="输出 .xlsx 文件（与 --unit 一起用）")
    p.add_argument("--out-dir", help="输出文件夹（与 --all 一起用）")
    p.set_defaults(func=cmd_template)

    p = col.add_parser(
        "import", help="导入填好的采集表（.xlsx、.xls、.ods，或内含 .xls 的 WPS .et）"
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument(
        "--valid-only",
        action="store_true",
        help="只导入检查通过的行，其余列出（默认：有错则全部不导入）",
    )
    p.set_defaults(func=cmd_import)

    p = col.add_parser("batches", help="列出导入批次")
    p.set_defaults(func=cmd_batches)

    p = col.add_parser("status", help="报送情况：各单位某一统计期的采集表是否已报送")
    p.add_argument("--period", required=True, help="统计期：2024、2024Q3 或 202407")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_status)

    p = col.add_parser("undo", help="撤销一个导入批次")
    p.add_argument("--batch", required=True, type=int, help="批次编号，见 kepu collection batches")
    p.set_defaults(func=cmd_undo)


def cmd_template(args: argparse.Namespace) -> int:
    from desktop.exporting.collection_template import write_template, write_templates

    period = parse_period(args.period)
    svc = open_services(args)
    try:
        if args.all:
            if not args.out_dir:
                raise ValidationError("使用 --all 时请用 --out-dir 指定输出文件夹。")
            paths = write_templates(svc.imports, period.code, Path(args.out_dir))
            for path in paths:
                print(path)
            print(f"已为 {len(paths)} 个单位生成 {period.label}采集表：{args.out_dir}")
            return 0
        if not args.out:
            raise ValidationError("请用 --out 指定输出的 .xlsx 文件。")
        out = Path(args.out)
        if out.suffix.lower() != ".xlsx":
            raise ValidationError(f"输出文件应以 .xlsx 结尾：{out}")
        if not out.parent.exists():
            raise ValidationError(f"输出目录不存在：{out.parent}")
        with svc.db.reading() as s:
            unit_id = unit_by_name(s, args.unit).id
        write_template(svc.imports.template_spec(unit_id, period.code), out)
        print(f"已生成 {args.unit} {period.label}采集表：{out}")
        return 0
    finally:
        svc.close()


def _report(result: ImportResult) -> None:
    for outcome in result.files:
        head = outcome.file
        if outcome.unit_name:
            head += f"（{outcome.unit_name} {outcome.period_label}）"
        print(
            f"{head}：活动 {outcome.activities} 条，指标数据 {outcome.entries} 条，"
            f"跳过（已导入过）{outcome.skipped} 条，问题 {len(outcome.problems)} 处"
            + (f"，批次 {outcome.batch_id}" if outcome.batch_id else "")
        )
    for note in (n for f in result.files for n in f.notes):
        print(f"  {note}")


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.importing.collection_workbook import import_workbooks

    for name in args.files:
        if Path(name).is_dir():
            raise ValidationError(f"“{name}”是一个文件夹，不是采集表文件。")
        if not Path(name).exists():
            raise ValidationError(f"文件不存在：{name}")
    svc = open_services(args)
    try:
        result = import_workbooks(
            svc.imports,
            [Path(f) for f in args.files],
            dry_run=args.dry_run,
            valid_only=args.valid_only,
        )
    finally:
        svc.close()
    _report(result)
    problems = result.problems
    for problem in problems:
        print(f"问题：{problem}")
    if args.dry_run:
        print("检查完毕（--dry-run），没有写入任何数据。")
        return fail(f"发现 {len(problems)} 处问题。") if problems else 0
    if problems and not result.written:
        return fail(
            f"发现 {len(problems)} 处问题，没有导入任何数据。"
            "请改正后重新导入，或使用 --valid-only 只导入检查通过的行。"
        )
    if result.written:
        print(
            f"已导入：活动 {result.activities} 条，指标数据 {result.entries} 条"
            + (f"；导入前已备份数据库：{result.backup}" if result.backup else "")
        )
    else:
        print("没有新的数据需要导入。")
    return 0


def cmd_batches(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        rows = svc.imports.batches()
    finally:
        svc.close()
    if not rows:
        print("还没有导入批次。")
        return 0
    print("批次\t导入时间\t单位\t文件\t活动\t指标数据\t操作人\t状态")
    for b in rows:
        state = f"已撤销 {b.undone_at:%Y-%m-%d %H:%M}" if b.undone_at else "有效"
        print(
            f"{b.id}\t{b.imported_at:%Y-%m-%d %H:%M}\t{b.unit_name}\t{b.file_name}\t"
            f"{b.activities}\t{b.entries}\t{b.operator}\t{state}"
        )
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        activities, entries = svc.imports.undo(args.batch)
    finally:
        svc.close()
    print(f"已撤销批次 {args.batch}：删除活动 {activities} 条，指标数据 {entries} 条。")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    period = parse_period(args.period)
    svc = open_services(args)
    try:
        report = svc.reporting.status(period.code)
    finally:
        svc.close()
    if args.json:
        print(json.dumps([u.as_json() for u in report.units], ensure_ascii=False, indent=2))
        return 0
    print(f"{period.label}报送情况：{report.due_text}；{report.rate_text}")
    print("单位\t状态\t报送时间\t批次\t联系人")
    for u in report.units:
        when = f"{u.received_at:%Y-%m-%d %H:%M}" if u.received_at else ""
        print(f"{u.unit}\t{u.label}\t{when}\t{u.batch or ''}\t{u.contact}")
    if report.missing:
        print()
        print(report.chase_text())
    return 0
