"""Commands: plan parse / list / activate / export / import (the next period: plan_periods)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.cli import plan_periods
from desktop.cli.common import open_services
from desktop.errors import NotFoundError, ServiceError, ValidationError
from desktop.services import Services
from desktop.services.editing_rules import DependentsError


def register(sub: argparse._SubParsersAction) -> None:
    plan = sub.add_parser("plan", help="实施方案：识别原文、列出、启用、导入导出").add_subparsers(
        dest="action", metavar="操作", required=True
    )
    p = plan.add_parser("parse", help="从方案原文（.txt / .docx）识别出方案草稿")
    p.add_argument("file", metavar="FILE", help="方案原文文件")
    p.add_argument("--json", action="store_true", help="输出 JSON（与 templates --json 同一格式）")
    p.set_defaults(func=cmd_parse)

    p = plan.add_parser("list", help="列出数据库中的方案：年份、是否启用、是否已结束")
    p.set_defaults(func=cmd_list)
    plan_periods.register(plan)

    p = plan.add_parser("activate", help="启用一个方案")
    p.add_argument("code", metavar="CODE", help="方案编号，见 kepu plan list")
    p.set_defaults(func=cmd_activate)

    p = plan.add_parser("export", help="导出方案文件（YAML 或 Excel 方案工作簿）")
    p.add_argument("--format", choices=["yaml", "xlsx"], required=True, help="文件格式")
    p.add_argument("--out", required=True, help="输出文件")
    p.add_argument("--plan", metavar="CODE", help="方案编号（默认：当前启用的方案）")
    p.set_defaults(func=cmd_export)

    p = plan.add_parser(
        "import", help="导入方案文件（.yaml / .xlsx）：存为新方案，或更新同编号的方案"
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--activate", action="store_true", help="导入后设为当前方案")
    p.add_argument("--code", help="新方案的编号（文件中的编号已存在时使用）")
    p.add_argument(
        "--update", action="store_true", help="用文件内容更新数据库中同编号的方案（按编号对应）"
    )
    p.add_argument(
        "--confirm",
        action="store_true",
        help="与 --update 同用：确认删除文件中已删去、但已有记录的内容",
    )
    p.set_defaults(func=cmd_import)


def cmd_parse(args: argparse.Namespace) -> int:
    from desktop.importing.plan_document_file import read_plan_source
    from desktop.importing.plan_text import parse_plan_text

    path = Path(args.file)
    try:
        source = read_plan_source(path)
    except ServiceError as exc:
        raise ValidationError(f"无法读取“{args.file}”：{exc}") from None
    draft = parse_plan_text(source.text, source.tables)
    if args.json:
        print(json.dumps(draft.to_dict(), ensure_ascii=False, indent=2, default=str))
        return 0
    info = draft.info
    links = sum(len(t.units) for t in draft.tasks())
    print(f"{info.name or '（未识别出方案名称）'}")
    print(
        f"地区：{info.region or '—'}  年份：{info.first_year or '?'}—"
        f"{info.last_year or '?'}  文号：{info.doc_number or '—'}"
    )
    print(
        f"识别出 {len(draft.sections)} 个行动/工程、{len(draft.tasks())} 项任务、"
        f"{links} 个任务责任单位、{len(draft.indicators)} 个指标"
    )
    for sec in draft.sections:
        print(f"  {sec.code} {sec.title}（{len(sec.tasks)} 项任务）")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        plans = svc.plans.plans()
        if not plans:
            print("数据库中还没有方案。")
            return 0
        for plan in plans:
            mark = "*" if plan.is_active else " "
            ended = "  已结束（只读）" if svc.plan_periods.read_only(plan.code) else ""
            print(f"{mark} {plan.code:<26} {plan.name}  {plan.first_year}—{plan.last_year}{ended}")
        print("（* 为当前启用的方案；报表、总结和评估按统计期所在年份自动选用方案）")
    finally:
        svc.close()
    return 0


def _plan_id(svc: Services, code: str) -> int:
    for plan in svc.plans.plans():
        if plan.code == code:
            return plan.id
    raise NotFoundError(f"没有编号为“{code}”的方案；请用 kepu plan list 查看。")


def _active_code(svc: Services) -> str | None:
    return svc.plans.active().code if svc.plans.has_active() else None


def cmd_activate(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        svc.plans.activate(_plan_id(svc, args.code))
        print(f"已启用方案：{svc.plans.active().name}")
    finally:
        svc.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.exporting.plan_workbook import write_plan_workbook
    from desktop.exporting.plan_yaml import write_plan_yaml

    out = Path(args.out)
    suffixes = {"yaml": (".yaml", ".yml"), "xlsx": (".xlsx",)}[args.format]
    if out.suffix.lower() not in suffixes:
        raise ValidationError(f"输出文件应以 {' 或 '.join(suffixes)} 结尾：{args.out}")
    if not out.parent.exists():
        raise ValidationError(f"输出目录不存在：{out.parent}")
    svc = open_services(args)
    try:
        plan = svc.plans.document(_plan_id(svc, args.plan) if args.plan else None)
    finally:
        svc.close()
    if args.format == "yaml":
        write_plan_yaml(plan, out)
    else:
        write_plan_workbook(plan, out)
    print(f"已导出方案“{plan.info.name}”：{out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.importing.plan_file import read_plan_file
    from desktop.plan.validation import MAX_LENGTHS

    if args.code is not None:
        args.code = args.code.strip()
        if not args.code:
            raise ValidationError("--code 后应填写新方案的编号，不能为空。")
        if len(args.code) > MAX_LENGTHS["id"]:
            raise ValidationError(
                f"方案编号太长（{len(args.code)} 字，最多 {MAX_LENGTHS['id']} 字）。"
            )
    doc = read_plan_file(args.file)
    if args.code:
        doc.id = args.code
    svc = open_services(args)
    try:
        existing = next((p for p in svc.plans.plans() if p.code == doc.id), None)
        if existing is not None and args.update:
            try:
                counts = svc.plan_editor.update_from_document(
                    existing.id, doc, confirm=args.confirm
                )
            except DependentsError as exc:
                raise ServiceError(f"{exc}（命令行中请加 --confirm）") from None
            if args.activate:
                svc.plans.activate(existing.id)
            print(
                f"已按文件更新方案“{doc.info.name}”：新增 {counts['added']} 项、"
                f"修改 {counts['changed']} 项、删除 {counts['removed']} 项"
            )
            return 0
        if existing is not None:
            raise ServiceError(
                f"数据库中已有编号为“{doc.id}”的方案；如要用文件内容更新它，请加 --update；"
                "如要另存为新方案，请加 --code 新编号。"
            )
        if args.update:
            raise ServiceError(f"数据库中没有编号为“{doc.id}”的方案，无法更新。")
        if svc.db.path is not None:
            svc.db.backup(label="pre-plan-import")
        svc.plans.create(doc, activate=args.activate)
        print(
            f"已导入方案“{doc.info.name}”（编号 {doc.id}）："
            f"{len(doc.sections)} 个行动/工程、{len(doc.tasks())} 项任务、"
            f"{len(doc.indicators)} 个指标"
            + ("，已设为当前方案" if _active_code(svc) == doc.id else "")
        )
    finally:
        svc.close()
    return 0
