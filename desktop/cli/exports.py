"""Commands: export return / summary; every export is recorded as a submission."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import open_services
from desktop.services.errors import ValidationError
from desktop.services.periods import parse_period


def register(sub: argparse._SubParsersAction) -> None:
    exp = sub.add_parser("export", help="导出报表与年度总结").add_subparsers(
        dest="what", metavar="内容", required=True
    )
    p = exp.add_parser("return", help="导出 Excel 报表")
    p.add_argument("--period", required=True, help="统计期：2024、2024Q3 或 202407")
    p.add_argument("--out", required=True, help="输出 .xlsx 文件")
    p.add_argument("--final", action="store_true", help="作为正式报送记录（报送后可锁定该统计期）")
    p.set_defaults(func=cmd_export_return)
    p = exp.add_parser("summary", help="导出 PDF 年度工作总结")
    p.add_argument("--year", required=True, type=int, help="年度，如 2024")
    p.add_argument("--out", required=True, help="输出 .pdf 文件")
    p.set_defaults(func=cmd_export_summary)


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
        export_return(svc, period, out, final=args.final)
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
        export_summary(svc, args.year, out)
        latest = svc.submissions.list(str(args.year))[0]
    finally:
        svc.close()
    print(f"已导出 {args.year} 年度工作总结：{out}")
    print(f"SHA-256：{latest.sha256}")
    return 0
