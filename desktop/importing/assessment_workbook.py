"""Reading a filled-in self-assessment workbook (自评表) back, with a collection workbook's care.

The file is checked as bytes first (workbook_file.check_file: what it
really is, zip and XML bombs, its size), its cells read by python-calamine,
and its hidden marker must name this program's self-assessment template
and version, a unit and a year. Each item row's 自评分 must be a number
from 0 to the item's 分值 in the database (not the one printed in the file,
which a unit could overwrite); a formula, text, a negative number or one
above the maximum refuses the whole file, every such cell named by sheet,
row and column, and nothing is written. The scores of a file that passes
are recorded together in one transaction (AssessmentFiles.set_self_scores).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.assessment_layout import (
    MARKER_SHEET,
    SCORE_COLUMNS,
    SCORE_HEADER_OF,
    SCORE_SHEET,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
)
from desktop.collection_layout import TEMPLATE_KIND as COLLECTION_KIND
from desktop.errors import ServiceError
from desktop.importing.cell_text import cell_text
from desktop.importing.file_kind import FileKind
from desktop.importing.sheet_facts import SheetFacts
from desktop.importing.workbook_file import FileRefused, check_file, column_letter
from desktop.numbers import parse_number
from desktop.services.assessment_files import AssessmentFiles

if TYPE_CHECKING:
    from desktop.services import Services

MARKER_ROWS = 20
HEADER_SEARCH_ROWS = 10
MAX_ITEM_ROWS = 500
SHOWN_PROBLEMS = 20
_KEY_OF = {header: key for key, header in SCORE_HEADER_OF.items()}


class AssessmentFileError(ServiceError):
    """The file is refused as a whole; the message names where and why."""


@dataclass(frozen=True)
class CellProblem:
    row: int
    column: int
    header: str
    message: str

    def __str__(self) -> str:
        return (
            f"工作表“{SCORE_SHEET}”第 {self.row} 行 {column_letter(self.column)} 列"
            f"（{self.header}）：{self.message}"
        )


@dataclass
class AssessmentFile:
    """A 自评表 as read: whose and which year's, and per item code its 自评分 and 说明."""

    path: Path
    unit: str
    year: int
    rubric_id: int
    scores: dict[str, tuple[float | None, str]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # code → its row, for messages
    self_column: int = 0


def _fail(path: Path, message: str) -> AssessmentFileError:
    return AssessmentFileError(f"{path.name}：{message}")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _open(path: Path, kind: FileKind) -> Any:
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() in kind.suffixes and path.suffix.lower() != ".et":
        return CalamineWorkbook.from_path(str(path))
    with path.open("rb") as fh:
        return CalamineWorkbook.from_filelike(fh)


def _marker(path: Path, book: Any) -> dict[str, str]:
    if MARKER_SHEET not in book.sheet_names:
        raise _fail(
            path,
            "这不是本程序生成的考核自评表（缺少模板标记）。"
            "请用“kepu assessment template”生成的自评表填写后再导入。",
        )
    rows = book.get_sheet_by_name(MARKER_SHEET).to_python(nrows=MARKER_ROWS)
    marker = {
        cell_text(r[0]): cell_text(r[1]) if len(r) > 1 and not _blank(r[1]) else ""
        for r in rows
        if r and not _blank(r[0])
    }
    if marker.get("kind") == COLLECTION_KIND:
        raise _fail(
            path, "这是数据采集表，不是考核自评表；采集表请用“kepu collection import”导入。"
        )
    if marker.get("kind") != TEMPLATE_KIND:
        raise _fail(path, "这不是本程序生成的考核自评表（模板标记不符）。")
    if marker.get("version") != TEMPLATE_VERSION:
        raise _fail(
            path,
            f"自评表模板版本为“{marker.get('version', '')}”，本程序只能读取版本 "
            f"{TEMPLATE_VERSION}；请重新生成自评表。",
        )
    for key, label in (("unit", "被考核单位"), ("year", "考核年度"), ("rubric", "评分细则")):
        if not marker.get(key):
            raise _fail(path, f"模板标记中缺少{label}，文件可能被改动过。")
    if not (marker["year"].isdigit() and marker["rubric"].isdigit()):
        raise _fail(path, "模板标记中的考核年度或评分细则不是数字，文件可能被改动过。")
    return marker


def _number(value: Any) -> float:
    """A score from a number cell or text such as "8" or "８.5"; anything else is refused."""
    if isinstance(value, bool):
        raise ValueError("不是数字")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = cell_text(value)
        try:
            number = float(parse_number(text))
        except (ValueError, ArithmeticError):
            raise ValueError(f"“{text[:20]}”不是数字，请只填写分数") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError("不是有效的数字")
    return number


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """The header row's index and each known column's position."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {
            _KEY_OF[cell_text(v).rstrip("*")]: pos
            for pos, v in enumerate(row)
            if not _blank(v) and cell_text(v).rstrip("*") in _KEY_OF
        }
        if "code" in found and "self" in found:
            return index, found
    raise FileRefused("找不到表头行（应有“序号”“自评分”列）。", SCORE_SHEET)


def _scores(path: Path, book: Any, facts: SheetFacts, into: AssessmentFile) -> list[CellProblem]:
    if SCORE_SHEET not in book.sheet_names:
        raise _fail(path, f"缺少工作表“{SCORE_SHEET}”。")
    cells = facts.cells(SCORE_SHEET)
    formulas = cells.formulas
    sheet = book.get_sheet_by_name(SCORE_SHEET)
    rows = sheet.to_python(skip_empty_area=False)
    index, columns = _header(rows)
    self_pos, note_pos = columns["self"], columns.get("note")
    into.self_column = self_pos + 1
    problems: list[CellProblem] = []
    self_header = SCORE_HEADER_OF["self"]
    for row_number, row in enumerate(rows[index + 1 :], start=index + 2):
        code = row[columns["code"]] if columns["code"] < len(row) else None
        if _blank(code):
            continue
        code = cell_text(code)
        if len(into.rows) >= MAX_ITEM_ROWS:
            raise _fail(path, f"考核项目超过 {MAX_ITEM_ROWS} 行，文件可能被改动过。")
        if code in into.rows:
            problems.append(
                CellProblem(
                    row_number,
                    columns["code"] + 1,
                    SCORE_HEADER_OF["code"],
                    f"序号“{code}”与第 {into.rows[code]} 行重复。",
                )
            )
            continue
        into.rows[code] = row_number
        value = row[self_pos] if self_pos < len(row) else None
        formula = formulas.get((row_number, self_pos + 1))
        score: float | None = None
        if formula is not None:
            problems.append(
                CellProblem(
                    row_number,
                    self_pos + 1,
                    self_header,
                    f"单元格是公式（{formula[:30]}），不能导入；请直接填写分数。",
                )
            )
        elif not _blank(value):
            try:
                score = _number(value)
            except ValueError as exc:
                problems.append(CellProblem(row_number, self_pos + 1, self_header, str(exc)))
        note_value = row[note_pos] if note_pos is not None and note_pos < len(row) else None
        note = "" if _blank(note_value) else cell_text(note_value)
        if score is not None or note:
            into.scores[code] = (score, note)
    if not into.rows:
        raise _fail(path, f"工作表“{SCORE_SHEET}”中没有考核项目。")
    merges = cells.merges
    if merges is None:
        merges = [
            (r1 + 1, r2 + 1, c1 + 1, c2 + 1, "")
            for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or []
        ]
    filled = {self_pos + 1: self_header}
    if note_pos is not None:
        filled[note_pos + 1] = SCORE_HEADER_OF["note"]
    item_rows = set(into.rows.values())
    for r1, r2, c1, c2, _ref in merges:
        if not item_rows.intersection(range(r1, r2 + 1)):
            continue  # the title, the header and the notes under the items may be merged
        for col, header in filled.items():
            if c1 <= col <= c2:
                ref = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
                problems.append(
                    CellProblem(
                        min(item_rows.intersection(range(r1, r2 + 1))),
                        col,
                        header,
                        f"有合并单元格（{ref}），合并后只有第一格有值；请取消合并并逐项填写。",
                    )
                )
    return problems


def read_self_assessment(path: Path | str) -> tuple[AssessmentFile, list[CellProblem]]:
    """Read one 自评表; raise AssessmentFileError when the file itself is unusable.

    The cell problems found (formulas, text, duplicated codes) come back
    with the file, for `check_scores` to report with the range checks.
    """
    path = Path(path)
    try:
        checked = check_file(path)
        facts = SheetFacts(path, checked.kind)
        with _open(path, checked.kind) as book:
            marker = _marker(path, book)
            read = AssessmentFile(path, marker["unit"], int(marker["year"]), int(marker["rubric"]))
            problems = _scores(path, book, facts, read)
    except FileRefused as exc:
        where = f"工作表“{exc.sheet}”：" if exc.sheet else ""
        raise _fail(path, where + exc.message) from exc
    except AssessmentFileError:
        raise
    except Exception as exc:  # the reader and the XML parsers raise many kinds on a malformed part
        raise _fail(path, f"文件内容已损坏，无法读取（{exc.__class__.__name__}）。") from exc
    return read, problems


def check_scores(
    read: AssessmentFile, maxima: dict[str, float], problems: list[CellProblem]
) -> None:
    """Refuse the file, naming every bad cell, unless each code is an item and each score fits."""
    found = list(problems)
    code_col = next(i for i, (k, _, _) in enumerate(SCORE_COLUMNS, start=1) if k == "code")
    self_header = SCORE_HEADER_OF["self"]
    for code, row in read.rows.items():
        if code not in maxima:
            found.append(
                CellProblem(row, code_col, SCORE_HEADER_OF["code"], f"评分细则中没有序号“{code}”。")
            )
            continue
        score = read.scores.get(code, (None, ""))[0]
        if score is None:
            continue
        if score < 0:
            found.append(
                CellProblem(
                    row, read.self_column, self_header, f"{score:g} 是负数，自评分不能小于 0。"
                )
            )
        elif score > maxima[code] + 1e-9:
            found.append(
                CellProblem(
                    row,
                    read.self_column,
                    self_header,
                    f"{score:g} 超过该项分值 {maxima[code]:g} 分。",
                )
            )
    if found:
        found.sort(key=lambda p: (p.row, p.column))
        lines = [str(p) for p in found[:SHOWN_PROBLEMS]]
        if len(found) > SHOWN_PROBLEMS:
            lines.append(f"……另有 {len(found) - SHOWN_PROBLEMS} 处问题。")
        raise AssessmentFileError(
            f"{read.path.name}：有 {len(found)} 处问题，整个文件未导入：\n" + "\n".join(lines)
        )


@dataclass(frozen=True)
class ImportSummary:
    unit: str
    year: int
    recorded: int
    written: bool


def import_self_assessment(
    services: Services, path: Path | str, dry_run: bool = False
) -> ImportSummary:
    """Read, check against the year's rubric, and record a 自评表's scores (all or none)."""
    read, problems = read_self_assessment(path)
    files = AssessmentFiles(services.db)
    check_scores(read, files.maxima(read.year, read.rubric_id), problems)
    recorded = files.set_self_scores(
        read.year, read.unit, read.scores, rubric_id=read.rubric_id, dry_run=dry_run
    )
    return ImportSummary(read.unit, read.year, recorded, not dry_run)
