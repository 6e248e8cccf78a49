"""Command: the evidence book (台账资料汇编) — one unit's PDF, or every assessed unit's."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import open_services
from desktop.errors import ValidationError


def register(acts: argparse._SubParsersAction) -> None:
    p = acts.add_parser(
        "book", help="生成台账资料汇编 PDF（封面、目录、各项得分、计分活动、照片和佐证材料）"
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--unit", help="一个单位")
    which.add_argument("--all", action="store_true", help="每个被考核单位各一份（须给 --out-dir）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", metavar="FILE.pdf", help="输出文件（默认：当前文件夹下按单位命名）")
    p.add_argument("--out-dir", metavar="DIR", help="--all 时的输出文件夹")
    p.set_defaults(func=cmd_book)


def cmd_book(args: argparse.Namespace) -> int:
    from desktop.exporting.evidence_book import book_file_name, export_book, export_books

    if args.all and not args.out_dir:
        raise ValidationError("--all 须同时给出输出文件夹（--out-dir DIR）。")
    if args.all and args.out:
        raise ValidationError("--all 每个单位各写一份，请用 --out-dir 给出文件夹，不用 --out。")
    if args.unit and args.out_dir:
        raise ValidationError("一个单位的汇编请用 --out FILE.pdf 给出文件，不用 --out-dir。")
    svc = open_services(args)
    try:
        if args.all:
            written = export_books(svc, args.year, Path(args.out_dir))
        else:
            out = Path(args.out or book_file_name(args.unit, args.year))
            if out.suffix.lower() != ".pdf":
                raise ValidationError(f"输出文件应为 .pdf：{out}")
            written = [export_book(svc, args.year, args.unit, out)]
    finally:
        svc.close()
    for path in written:
        print(f"已生成台账资料汇编：{path}")
    return 0
