"""Task-division tables (任务分工方案) read into sections, tasks and units (issue 20).

A hand-made table, as a Word file (a 牵头单位 cell merged down over two tasks,
section rows spanning the table) and as text one cell per line, must give
the same plan: the sections of the section rows, a task per row, the merged
lead on each task it covers, and the 完成时限 kept as the task text's last line.
"""

from __future__ import annotations

from pathlib import Path

from desktop.importing.plan_document_file import read_plan_document, read_plan_source
from desktop.importing.plan_text import parse_plan_text
from desktop.plan.document import PlanDocument

HEADER = ("序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限")
ROWS: list[tuple[str, ...]] = [
    ("（一）青少年科学素质提升行动",),
    ("1", "加强学校科学教育", "开齐开足科学课程。", "县教体局", "县科协、团县委", "2025年底前"),
    ("2", "开展青少年科技活动", "每年举办科技节。", "县教体局", "县科协", "每年"),
    ("（二）科普基础设施工程",),
    ("1", "建设科普场馆", "建成县科技馆。", "县科协", "县发展改革局、县财政局", "2024年底前"),
]
BEFORE = ["石湾县全民科学素质行动实施方案（2021—2025年）", "一、重点任务分工", "各项任务见下表。"]
AFTER = ["二、保障措施", "（一）加强组织领导。各单位要高度重视。"]

EXPECTED = [
    (
        "青少年科学素质提升行动",
        "action",
        [
            (
                "加强学校科学教育",
                "开齐开足科学课程。\n完成时限：2025年底前",
                [("县教体局", "lead"), ("县科协", "cooperating"), ("团县委", "cooperating")],
            ),
            (
                "开展青少年科技活动",
                "每年举办科技节。\n完成时限：每年",
                [("县教体局", "lead"), ("县科协", "cooperating")],
            ),
        ],
    ),
    (
        "科普基础设施工程",
        "project",
        [
            (
                "建设科普场馆",
                "建成县科技馆。\n完成时限：2024年底前",
                [
                    ("县科协", "lead"),
                    ("县发展改革局", "cooperating"),
                    ("县财政局", "cooperating"),
                ],
            ),
        ],
    ),
]


def _outline(plan: PlanDocument) -> list[tuple[str, str, list[tuple[str, str, list]]]]:
    return [
        (
            section.title,
            section.kind,
            [
                (task.title, task.text, [(link.name, link.role) for link in task.units])
                for task in section.tasks
            ],
        )
        for section in plan.sections
    ]


def _write_docx(path: Path) -> None:
    from docx import Document

    document = Document()
    for line in BEFORE:
        document.add_paragraph(line)
    table = document.add_table(rows=len(ROWS) + 1, cols=len(HEADER))
    rows = [HEADER, *ROWS]
    for r, row in enumerate(rows):
        if len(row) == 1:
            table.cell(r, 0).merge(table.cell(r, len(HEADER) - 1))
    lead = HEADER.index("牵头单位")
    table.cell(2, lead).merge(table.cell(3, lead))  # one lead cell over tasks 1 and 2
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) != (3, lead):
                table.cell(r, c).text = text
    for line in AFTER:
        document.add_paragraph(line)
    document.save(str(path))


def _text_lines() -> list[str]:
    """The same table as Word copies it: a cell merged from above is an empty line."""
    lines = [*BEFORE, *HEADER]
    for r, row in enumerate(ROWS):
        lines += [
            "" if (r, c) == (2, HEADER.index("牵头单位")) else cell for c, cell in enumerate(row)
        ]
    return lines + AFTER


def test_docx_table_rows_and_text(tmp_path: Path) -> None:
    path = tmp_path / "分工.docx"
    _write_docx(path)
    source = read_plan_source(path)
    assert len(source.tables) == 1
    table = source.tables[0]
    assert table.rows[0] == HEADER
    assert table.rows[1] == ("（一）青少年科学素质提升行动",)
    assert table.rows[3][3] == "县教体局"  # the merged lead, in the row it covers
    assert source.text.splitlines()[table.start : table.end] == _text_lines()[len(BEFORE) : -2]
    assert read_plan_document(path) == source.text


def test_docx_table_becomes_sections_tasks_and_units(tmp_path: Path) -> None:
    path = tmp_path / "分工.docx"
    _write_docx(path)
    source = read_plan_source(path)
    plan = parse_plan_text(source.text, source.tables)
    assert _outline(plan) == EXPECTED
    assert [task.number for task in plan.tasks()] == ["1", "2", "1"]
    assert [task.code for task in plan.tasks()] == ["A1.1", "A1.2", "P1.1"]
    assert plan.info.first_year == 2021 and plan.info.last_year == 2025
    assert _outline(parse_plan_text(source.text)) == EXPECTED  # the text alone reads the same


def test_text_table_one_cell_per_line() -> None:
    plan = parse_plan_text("\n".join(_text_lines()) + "\n")
    assert _outline(plan) == EXPECTED
    assert "保障措施" not in [section.title for section in plan.sections]


def test_columns_found_by_header_words_in_any_order() -> None:
    """责任单位 alone: its first unit leads; beside a 牵头 column it cooperates."""
    lone = [
        "序号", "完成时间", "责任单位", "工作任务",
        "一、农民科学素质提升行动",
        "1", "长期坚持", "县农业农村局、县科协", "培训高素质农民。每年培训农民500人次。",
    ]  # fmt: skip
    plan = parse_plan_text("\n".join(lone))
    assert _outline(plan) == [
        (
            "农民科学素质提升行动",
            "action",
            [
                (
                    "培训高素质农民",
                    "每年培训农民500人次。\n完成时限：长期坚持",
                    [("县农业农村局", "lead"), ("县科协", "cooperating")],
                )
            ],
        )
    ]
    beside = [
        "序号", "主要任务", "责任单位", "牵 头 单 位",
        "1", "建设科普场馆", "县财政局、县住建局", "县科协",
        "2", "建设科普大篷车", "", "",
    ]  # fmt: skip
    plan = parse_plan_text("\n".join(beside))
    units = [[(link.name, link.role) for link in task.units] for task in plan.tasks()]
    leads_then = [("县科协", "lead"), ("县财政局", "cooperating"), ("县住建局", "cooperating")]
    assert sorted(units[0]) == sorted(leads_then)
    assert units[1] == units[0]  # empty cells continue the cells above
    assert [task.text for task in plan.tasks()] == ["建设科普场馆", "建设科普大篷车"]


def test_plain_text_without_table_is_untouched() -> None:
    text = "测试县全民科学素质行动实施方案\n一、青少年科学素质提升行动\n1．加强科学教育。〔责任单位：县教体局〕"
    plan = parse_plan_text(text)
    assert [task.title for task in plan.tasks()] == ["加强科学教育"]


def test_docx_title_row_two_row_header_and_unspanned_section_row(tmp_path: Path) -> None:
    """A title row, then 责任单位 spanning 牵头单位 · 配合单位 over a second header row;
    a section named in the first cell of an otherwise empty row."""
    from docx import Document

    document = Document()
    table = document.add_table(rows=6, cols=5)
    table.cell(0, 0).merge(table.cell(0, 4)).text = "重点任务分工表"
    for c, word in [(0, "序号"), (1, "工作任务"), (4, "完成时间")]:
        table.cell(1, c).merge(table.cell(2, c)).text = word
    table.cell(1, 2).merge(table.cell(1, 3)).text = "责任单位"
    table.cell(2, 2).text, table.cell(2, 3).text = "牵头单位", "配合单位"
    table.cell(3, 0).text = "一、科普基础设施工程"
    for c, text in enumerate(["1", "建设科普场馆", "县科协", "县财政局", "2024年"]):
        table.cell(4, c).text = text
    for c, text in enumerate(["2", "建设科普长廊", "县住建局", "", ""]):
        table.cell(5, c).text = text
    path = tmp_path / "表.docx"
    document.save(str(path))
    source = read_plan_source(path)
    assert _outline(parse_plan_text(source.text, source.tables)) == [
        (
            "科普基础设施工程",
            "project",
            [
                (
                    "建设科普场馆",
                    "建设科普场馆\n完成时限：2024年",
                    [("县科协", "lead"), ("县财政局", "cooperating")],
                ),
                ("建设科普长廊", "建设科普长廊", [("县住建局", "lead")]),
            ],
        )
    ]


def test_text_table_pasted_with_tabs() -> None:
    """Word puts a table on the clipboard a row per line, its cells apart by tabs."""
    rows = [
        "\t".join(HEADER),
        *(
            "\t".join(
                "" if (r, c) == (2, HEADER.index("牵头单位")) else cell
                for c, cell in enumerate(row)
            )
            for r, row in enumerate(ROWS)
        ),
    ]
    plan = parse_plan_text("\n".join([*BEFORE, *rows, *AFTER]))
    assert _outline(plan) == EXPECTED


def test_a_column_of_no_known_kind_is_passed_over() -> None:
    from desktop.importing.plan_document_file import DocumentTable

    rows = (
        ("序号", "主要任务", "分管领导", "牵头单位"),
        ("1", "建设科普场馆", "张三", "县科协"),
    )
    plan = parse_plan_text("建设科普场馆", [DocumentTable(rows, 0, 0)])
    assert _outline(plan) == [
        ("重点任务", "project", [("建设科普场馆", "建设科普场馆", [("县科协", "lead")])])
    ]
