"""Commands: the annual assessment (年度考核) — the rubric, the scores, 自评 and 审核."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from desktop.cli import assessment_book, assessment_files
from desktop.cli.common import open_services
from desktop.errors import ValidationError
from desktop.services.assessment_rules import rule_text


def register(sub: argparse._SubParsersAction) -> None:
    top = sub.add_parser("assessment", help="年度考核：评分细则、自动评分、自评与审核")
    acts = top.add_subparsers(dest="action", metavar="操作", required=True)
    rubric = acts.add_parser("rubric", help="考核评分细则").add_subparsers(
        dest="rubric_action", metavar="操作", required=True
    )
    p = rubric.add_parser("import", help="导入评分细则（.xlsx 或 .yaml；--sample 导入内置示例）")
    p.add_argument("file", nargs="?", metavar="FILE.xlsx|FILE.yaml")
    p.add_argument("--sample", action="store_true", help="导入内置的示例细则（10 项、100 分）")
    p.add_argument("--name", help="细则名称（默认：文件中的名称）")
    p.set_defaults(func=cmd_rubric_import)
    p = rubric.add_parser("export", help="导出评分细则（.xlsx 按公布的表式，或 .yaml）")
    p.add_argument("--out", required=True)
    p.add_argument("--year", type=int, help="年度（默认：当前方案最新的细则）")
    p.set_defaults(func=cmd_rubric_export)
    p = rubric.add_parser("show", help="列出评分细则的各项及识别出的计分规则")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rubric_show)

    p = acts.add_parser("scores", help="各单位的自动评分、自评、审核、得分、总分、名次和等次")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--unit", help="只看一个单位")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_scores)

    p = acts.add_parser("set", help="填写一个单位一项的自评分或审核分")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--item", required=True, metavar="CODE")
    p.add_argument("--self", dest="self_score", type=float, help="自评分")
    p.add_argument("--review", type=float, help="审核分")
    p.add_argument("--note", default="", help="说明（审核分与自评分不同时必填）")
    p.set_defaults(func=cmd_set)
    assessment_files.register(acts)
    assessment_book.register(acts)


def cmd_rubric_import(args: argparse.Namespace) -> int:
    from desktop.services.rubrics import sample_rubric

    if args.sample:
        data = sample_rubric()
    elif args.file:
        path = Path(args.file)
        if not path.is_file():
            raise ValidationError(f"文件不存在：{args.file}")
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            from desktop.importing.rubric_workbook import read_rubric_workbook

            data = read_rubric_workbook(path)
        else:
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, yaml.YAMLError) as exc:
                raise ValidationError(f"“{path.name}”不是可读的 YAML 细则：{exc}") from None
    else:
        raise ValidationError("请给出细则文件，或用 --sample 导入内置示例。")
    svc = open_services(args)
    try:
        name = svc.rubrics.import_rubric(data, args.name)
    finally:
        svc.close()
    print(f"已导入考核评分细则《{name}》。")
    return 0


def cmd_rubric_export(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        data = svc.rubrics.export(args.year)
    finally:
        svc.close()
    out = Path(args.out)
    if out.suffix.lower() == ".xlsx":
        from desktop.exporting.rubric_workbook import write_rubric_workbook

        write_rubric_workbook(data, out)
    else:
        out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    print(f"已导出考核评分细则《{data['name']}》：{args.out}")
    return 0


def cmd_rubric_show(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        items = svc.assessment.items(args.year)
    finally:
        svc.close()
    if args.json:
        keys = ("code", "group", "content", "standard", "max", "rule")
        print(json.dumps([{k: i[k] for k in keys} for i in items], ensure_ascii=False, indent=2))
        return 0
    for i in items:
        print(f"{i['code']}\t{i['group']}\t{i['content']}\t{i['max']:g} 分\t{rule_text(i['rule'])}")
        print(f"\t标准：{i['standard']}")
    return 0


def cmd_scores(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        results = svc.assessment.results(args.year, args.unit)
    finally:
        svc.close()
    if args.json:
        rows = [item.as_json() for r in results for item in r.items]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in sorted(results, key=lambda r: r.rank):
        print(f"{r.rank}. {r.unit}\t总分 {r.total:g}\t{r.grade}")
        for item in r.items:
            final = "—" if item.final is None else f"{item.final:g}"
            print(f"\t{item.code}\t{final}/{item.max:g}\t{item.reason}")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    svc = open_services(args)
    try:
        svc.assessment.set_score(
            args.year, args.unit, args.item, args.self_score, args.review, args.note
        )
    finally:
        svc.close()
    print(f"已记录 {args.unit} {args.year}年考核第 {args.item} 项。")
    return 0
