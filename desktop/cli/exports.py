"""Commands: export return / summary / evaluation; every export is recorded as a submission,
and `submissions` lists them or says which one a file is."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.cli.common import open_services
from desktop.errors import ValidationError
from desktop.services.periods import parse_period


def register(sub: argparse._SubParsersAction) -> None:
    exp = sub.add_parser("export", help="导出报表与年度总结").add_subparsers(
        dest="what", metavar="内容", required=True
    )
    p = exp.add_parser("return", help="导出 Excel 报表")
    p.add_argument("--period", required=True, help="统计期：2024、2024Q3 或 202407")
    p.add_argument("--out", required=True, help="输出 .xlsx 文件")
    p.add_argument("--final", action="store_true", help="作为正式报送记录（报送后可锁定该统计期）")
    p.add_argument("--plan", metavar="CODE", help="方案编号（默认：统计期所在年份的方案）")
    p.set_defaults(func=cmd_export_return)
    p = exp.add_parser("summary", help="导出 PDF 年度工作总结")
    p.add_argument("--year", required=True, type=int, help="年度，如 2024")
    p.add_argument("--out", required=True, help="输出 .pdf 文件")
    p.add_argument("--plan", metavar="CODE", help="方案编号（默认：统计期所在年份的方案）")
    p.set_defaults(func=cmd_export_summary)
    p = exp.add_parser("evaluation", help="导出 PDF 终期评估报告（整个方案期）")
    p.add_argument("--out", required=True, help="输出 .pdf 文件")
    p.add_argument(
        "--plan", metavar="CODE", help="方案编号（默认：最近一个已到期的方案，否则为启用的方案）"
    )
    p.set_defaults(func=cmd_export_evaluation)
    p = sub.add_parser("submissions", help="报送记录：列出导出过的文件，或核对一个文件")
    p.add_argument("--identify", metavar="FILE", help="核对这个文件与哪一次导出完全一致")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_submissions)


def _out(path: str, suffix: str) -> Path:
    out = Path(path)
    if out.suffix.lower() != suffix:
        raise ValidationError(f"输出文件应以 {suffix} 结尾：{path}")
    if not out.parent.exists():
        raise ValidationError(f"输出目录不存在：{out.parent}")
    return out


def cmd_export_return(args: argparse.Namespace) -> int:
    from desktop.exporting.return_workbook import export_return

    out = _out(args.out, ".xlsx")
    period = parse_period(args.period)
    svc = open_services(args)
    try:
        export_return(svc, period, out, final=args.final, plan_code=args.plan)
        latest = svc.submissions.list(period.code)[0]
    finally:
        svc.close()
    kind = "正式报送" if args.final else ""
    print(f"已导出 {period.label}{kind}报表：{out}")
    print(f"SHA-256：{latest.sha256}")
    return 0


def cmd_export_summary(args: argparse.Namespace) -> int:
    from desktop.exporting.summary_pdf import export_summary

    out = _out(args.out, ".pdf")
    svc = open_services(args)
    try:
        export_summary(svc, args.year, out, plan_code=args.plan)
        latest = svc.submissions.list(str(args.year))[0]
    finally:
        svc.close()
    print(f"已导出 {args.year} 年度工作总结：{out}")
    print(f"SHA-256：{latest.sha256}")
    return 0


def cmd_export_evaluation(args: argparse.Namespace) -> int:
    from desktop.exporting.evaluation_pdf import export_evaluation

    out = _out(args.out, ".pdf")
    svc = open_services(args)
    try:
        export_evaluation(svc, out, plan_code=args.plan)
        latest = svc.submissions.list()[0]
    finally:
        svc.close()
    print(f"已导出 {latest.period_label}终期评估报告：{out}")
    print(f"SHA-256：{latest.sha256}")
    return 0


def cmd_submissions(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        rows = (
            svc.submissions.identify(Path(args.identify))
            if args.identify
            else svc.submissions.list()
        )
    finally:
        svc.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "period": r.period,
                        "kind": r.kind,
                        "final": r.final,
                        "file": r.file_name,
                        "sha256": r.sha256,
                        "operator": r.operator,
                        "exported_at": r.created_at.isoformat(),
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    elif args.identify and not rows:
        print(f"“{Path(args.identify).name}”与任何一次导出的文件都不一致。")
    else:
        for r in rows:
            final = "（正式报送）" if r.final else ""
            print(
                f"{r.created_at:%Y-%m-%d %H:%M}  {r.period}  {r.kind_label}{final}  "
                f"{r.operator}  {r.file_name}  SHA-256 {r.sha256}"
            )
    return 1 if args.identify and not rows else 0
