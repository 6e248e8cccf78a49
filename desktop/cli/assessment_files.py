"""Commands: the assessment's files — the unit's 自评表 out and back in, the 考核结果汇总表 out."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import open_services


def register(acts: argparse._SubParsersAction) -> None:
    p = acts.add_parser("template", help="生成一个单位的考核自评表（.xlsx）")
    p.add_argument("--unit", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_template)

    p = acts.add_parser("import", help="导入单位填好的考核自评表（有错则整份不导入）")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.set_defaults(func=cmd_import)

    p = acts.add_parser("export", help="导出考核结果汇总表（.xlsx，附各单位评分表）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_export)


def cmd_template(args: argparse.Namespace) -> int:
    from desktop.exporting.assessment_template import write_self_assessment

    svc = open_services(args)
    try:
        spec = svc.assessment_files.self_assessment(args.year, args.unit)
    finally:
        svc.close()
    out = write_self_assessment(spec, Path(args.out))
    print(
        f"已生成 {spec.unit} {spec.year} 年考核自评表（{len(spec.items)} 项，"
        f"本年活动 {len(spec.activities)} 次）：{out}"
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.importing.assessment_workbook import import_self_assessment

    svc = open_services(args)
    try:
        done = import_self_assessment(svc, Path(args.file), dry_run=args.dry_run)
    finally:
        svc.close()
    if done.written:
        print(f"已导入 {done.unit} {done.year} 年考核自评：{done.recorded} 项。")
    else:
        print(f"检查通过（未写入）：{done.unit} {done.year} 年考核自评 {done.recorded} 项。")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.exporting.assessment_results import export_results

    svc = open_services(args)
    try:
        table = svc.assessment_files.results_table(args.year)
    finally:
        svc.close()
    out = export_results(table, Path(args.out))
    print(f"已导出 {table.year} 年考核结果汇总表（{len(table.results)} 个单位）：{out}")
    return 0
