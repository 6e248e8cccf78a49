"""Commands: templates, init, demo, activity, entry, progress, lock, unlock."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import select

from desktop.cli.common import amount_arg, count_arg, db_target, open_services
from desktop.errors import ServiceError, ValidationError
from desktop.models import Task
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.entries import indicator_by_code
from desktop.services.periods import parse_period, year_period
from desktop.services.plans import plan_for
from desktop.services.progress import STATUS_LABELS
from desktop.services.reference import (
    group_by_name,
    place_by_name,
    type_by_code_or_name,
    unit_by_name,
)
from desktop.templates import load_template, template_ids


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("templates", help="列出内置方案模板")
    p.add_argument("--json", action="store_true", help="输出 JSON（含完整结构）")
    p.set_defaults(func=cmd_templates)

    p = sub.add_parser("init", help="用内置模板新建数据库")
    p.add_argument(
        "--plan", required=True, metavar="TEMPLATE_ID", help="模板编号，见 kepu templates"
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="新建演示县数据库")
    p.add_argument("--activities", type=int, default=3000, help="活动条数（默认 3000）")
    p.set_defaults(func=cmd_demo)

    act = sub.add_parser("activity", help="活动台账").add_subparsers(
        dest="action", metavar="操作", required=True
    )
    p = act.add_parser("add", help="新增一条活动")
    p.add_argument("--date", required=True, help="开始日期 YYYY-MM-DD")
    p.add_argument("--end-date", help="结束日期 YYYY-MM-DD")
    p.add_argument("--title", required=True, help="活动名称")
    p.add_argument("--type", required=True, help="活动类型编码或名称")
    p.add_argument("--unit", required=True, help="组织单位名称")
    p.add_argument("--task", action="append", default=[], help="任务编号，可重复")
    p.add_argument("--group", action="append", default=[], help="重点人群，可重复")
    p.add_argument("--cooperator", action="append", default=[], help="配合单位，可重复")
    p.add_argument("--place", help="地点（镇/街道）")
    p.add_argument("--participants", type=count_arg, default=0, help="参加人次")
    p.add_argument("--female", type=count_arg, help="其中女性人次")
    p.add_argument("--rural", type=count_arg, help="其中农村人次")
    p.add_argument("--sessions", type=count_arg, default=1, help="场次/期数（默认 1）")
    p.add_argument("--volunteers", type=count_arg, default=0, help="志愿者人数")
    p.add_argument("--volunteer-hours", type=amount_arg, default=0.0, help="志愿服务时长（小时）")
    p.add_argument("--funding", type=amount_arg, default=0.0, help="经费（元）")
    p.add_argument("--summary", default="", help="活动简介")
    p.set_defaults(func=cmd_activity_add)

    ent = sub.add_parser("entry", help="填报数据").add_subparsers(
        dest="action", metavar="操作", required=True
    )
    p = ent.add_parser("set", help="填报或修改一个数值")
    p.add_argument("--indicator", required=True, help="指标编号")
    p.add_argument("--period", required=True, help="统计期：2024、2024Q3 或 202407")
    p.add_argument("--value", required=True, type=amount_arg, help="数值")
    p.add_argument("--unit", help="填报单位")
    p.add_argument("--place", help="地点")
    p.add_argument("--note", default="", help="备注")
    p.set_defaults(func=cmd_entry_set)

    p = sub.add_parser("progress", help="指标进度")
    p.add_argument("--as-of", help="截至日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--period", help="本期：2024、2024Q3 或 202407")
    p.add_argument("--plan", metavar="CODE", help="方案编号（默认：统计期所在年份的方案）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser("lock", help="锁定已报送的统计期")
    p.add_argument("--period", required=True, help="统计期：2024、2024Q3 或 202407")
    p.set_defaults(func=cmd_lock)
    p = sub.add_parser("unlock", help="解锁统计期（须填写原因）")
    p.add_argument("--period", required=True, help="统计期：2024、2024Q3 或 202407")
    p.add_argument("--reason", required=True, help="解锁原因（记入操作记录）")
    p.set_defaults(func=cmd_unlock)


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"日期“{text}”格式不对，应为 YYYY-MM-DD。", field) from None


def _new_db_path(args: argparse.Namespace) -> str:
    target = db_target(args)
    if "://" not in target and Path(target).exists():
        raise ServiceError(f"数据库文件已存在：{target}；为免覆盖数据，请换一个文件名。")
    return target


def cmd_templates(args: argparse.Namespace) -> int:
    templates = [load_template(t) for t in template_ids()]
    if args.json:
        dicts = [t.to_dict() for t in templates]
        print(json.dumps(dicts, ensure_ascii=False, indent=2, default=str))
        return 0
    for t in templates:
        info = t.info
        print(
            f"{t.id:<22} {info.name}  {info.first_year}—{info.last_year}  "
            f"{len(t.sections)} 个行动/工程，{len(t.tasks())} 项任务，{len(t.indicators)} 个指标"
        )
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    if args.plan not in template_ids():
        raise ServiceError(f"没有编号为“{args.plan}”的模板；可用模板：{'、'.join(template_ids())}")
    svc = Services.open(_new_db_path(args))
    try:
        svc.plans.create(load_template(args.plan))
        plan = svc.plans.active()
        print(f"已新建数据库，启用方案：{plan.name}")
    finally:
        svc.close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop.services.demo import build_demo  # with Pillow behind it: not for every kepu start

    if args.activities < 0:
        raise ValidationError("活动条数不能为负数。")
    svc = Services.open(_new_db_path(args))

    def shown(done: int, total: int) -> bool:
        """A million activities take a minute or two: a line that counts, on a terminal."""
        sys.stderr.write(f"\r正在生成活动：{done:,} / {total:,}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
        return True

    try:
        build_demo(
            svc.db, activities=args.activities, progress=shown if sys.stderr.isatty() else None
        )
        print(f"已生成演示县数据库：{db_target(args)}（{args.activities} 条活动）")
    finally:
        svc.close()
    return 0


def cmd_activity_add(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        day = _date(args.date, "date")
        with svc.db.reading() as s:
            plan = plan_for(s, year_period(day.year))  # a 2025 activity serves 2021–2025's tasks
            task_ids = []
            for code in args.task:
                tid = s.scalar(
                    select(Task.id)
                    .join(Task.section)
                    .where(Task.code == code, Task.section.has(plan_id=plan.id))
                )
                if tid is None:
                    raise ValidationError(f"方案“{plan.name}”中没有编号为“{code}”的任务。", "task")
                task_ids.append(tid)
            data = ActivityInput(
                start_date=day,
                end_date=_date(args.end_date, "end_date") if args.end_date else None,
                title=args.title,
                type_id=type_by_code_or_name(s, args.type).id,
                unit_id=unit_by_name(s, args.unit).id,
                place_id=place_by_name(s, args.place).id if args.place else None,
                participants=args.participants,
                female=args.female,
                rural=args.rural,
                sessions=args.sessions,
                volunteers=args.volunteers,
                volunteer_hours=args.volunteer_hours,
                funding_yuan=args.funding,
                summary=args.summary,
                task_ids=task_ids,
                group_ids=[group_by_name(s, g).id for g in args.group],
                cooperator_ids=[unit_by_name(s, u).id for u in args.cooperator],
            )
        new_id = svc.activities.add(data)
        print(f"已新增活动 #{new_id}：{args.title}")
    finally:
        svc.close()
    return 0


def cmd_entry_set(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        with svc.db.reading() as s:
            ind = indicator_by_code(s, args.indicator)
            unit_id = unit_by_name(s, args.unit).id if args.unit else None
            place_id = place_by_name(s, args.place).id if args.place else None
        svc.entries.set(ind.id, args.period, args.value, unit_id, place_id, args.note)
        print(f"已填报 {ind.name} {parse_period(args.period).label}：{args.value:g}")
    finally:
        svc.close()
    return 0


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def cmd_progress(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        as_of = _date(args.as_of, "as_of") if args.as_of else None
        period = parse_period(args.period) if args.period else None
        report = svc.progress.report(as_of=as_of, period=period, plan_code=args.plan)
    finally:
        svc.close()
    if args.json:
        print(json.dumps([p.as_json() for p in report.indicators], ensure_ascii=False, indent=2))
        return 0
    print(f"{report.plan_name}  截至 {report.as_of.isoformat()}")
    for p in report.indicators:
        digits = 1 if p.measure == "percent" else 0
        print(
            f"{p.code:<5} {p.name}  目标 {_fmt(p.target, digits)}{p.unit}  完成 {_fmt(p.actual, digits)}  "
            f"完成率 {_fmt(p.completion_pct, 1)}%  应达 {_fmt(p.expected_pct, 1)}%  {STATUS_LABELS[p.status]}"
        )
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        svc.locks.lock(args.period)
        print(f"已锁定 {parse_period(args.period).label}")
    finally:
        svc.close()
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        svc.locks.unlock(args.period, args.reason)
        print(f"已解锁 {parse_period(args.period).label}")
    finally:
        svc.close()
    return 0
