"""The PDF annual summary, read back with pdftotext / pdffonts / pdfimages."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from desktop.exporting.fonts import fonts, markup
from desktop.exporting.return_workbook import ExportCancelled
from desktop.exporting.summary_appendix import wrap
from desktop.exporting.summary_pdf import export_summary
from desktop.services import Services
from desktop.services.submissions import file_sha256
from tests.report_dataset import FORMULA_TITLE, build


def pdftext(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def summary(plan_services: Services, tmp_path: Path) -> Path:
    plan_services.settings.update({"office_name": "测试县科学素质办"})
    build(plan_services, tmp_path)
    return export_summary(plan_services, 2024, tmp_path / "summary.pdf")


def test_parts_in_order_and_text_is_searchable(summary: Path) -> None:
    text = pdftext(summary)
    flat = "".join(text.split())
    headings = [
        "测试县全民科学素质行动2024年度工作总结",
        "一、总体情况",
        "二、指标完成情况",
        "三、重点任务推进",
        "四、滞后事项",
        "五、分单位情况",
        "六、特色活动",
        "附件",
    ]
    positions = [flat.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "测试县科学素质办" in flat


def test_hand_computed_totals_and_lagging(summary: Path) -> None:
    flat = "".join(pdftext(summary).split())
    assert "全年共开展科普活动3次（6场/期），参加650人次" in flat
    assert "志愿服务16小时" in flat
    assert "已完成2项、进度正常0项、滞后4项、严重滞后0项、无数据1项" in flat
    # 四、滞后事项 names each lagging indicator with its responsible unit.
    lagging = flat[flat.index("四、滞后事项") : flat.index("五、分单位情况")]
    assert "农民培训人次（滞后）：目标10,000人次，完成5,500人次，完成率55.0%" in lagging
    assert "责任单位：县农业农村局" in lagging
    assert "青少年科普讲座参加人次" in lagging and "县教体局" in lagging
    assert "安全事故次数" not in lagging


def test_highlights_and_appendix_list_activities(summary: Path) -> None:
    flat = "".join(pdftext(summary).split())
    highlights = flat[flat.index("六、特色活动") : flat.index("附件")]
    assert highlights.index("青少年科普讲座进校园") < highlights.index("农民实用技术培训班")
    appendix = flat[flat.index("附件") :]
    assert "2024年科普活动台账（共3项）" in appendix
    for title in ("青少年科普讲座进校园", FORMULA_TITLE, "农民实用技术培训班"):
        assert title in appendix
    assert "2023年青少年科普讲座" not in appendix


def test_evidence_photo_is_embedded(summary: Path) -> None:
    listing = subprocess.run(
        ["pdfimages", "-list", str(summary)], check=True, capture_output=True, text=True
    ).stdout
    assert len(listing.strip().splitlines()) == 3  # header, rule, one image


def test_fonts_embedded_and_page_numbers(summary: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(summary)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        assert line.split()[-5] == "yes", line  # emb
    pages = pdftext(summary).split("\f")
    assert "—1—" not in "".join(pages[0].split())  # no number on the cover
    assert "—1—" in "".join(pages[1].split())
    assert "—2—" in "".join(pages[2].split())


def test_page_size_is_a4(summary: Path) -> None:
    info = subprocess.run(["pdfinfo", str(summary)], check=True, capture_output=True, text=True)
    assert "595.276 x 841.89 pts (A4)" in info.stdout


def test_title_from_settings_and_submission(plan_services: Services, tmp_path: Path) -> None:
    plan_services.settings.update({"summary_title": "测试县2024年科普工作总结"})
    out = export_summary(plan_services, 2024, tmp_path / "s.pdf")
    assert "测试县2024年科普工作总结" in "".join(pdftext(out).split())
    [sub] = plan_services.submissions.list()
    assert (sub.period, sub.kind, sub.final) == ("2024", "summary", False)
    assert sub.sha256 == file_sha256(out)


def test_missing_glyphs_fall_back_or_show_a_mark() -> None:
    font = fonts().fangsong
    assert markup("科普<讲座>&", font) == "科普&lt;讲座&gt;&amp;"
    # U+20000 is in no font here: the geta mark stands in, never an invisible box.
    assert markup("\U00020000村", font) == "〓村"


def test_wrap_breaks_long_titles_by_width() -> None:
    font = fonts().song
    text = wrap("全民科学素质行动科普讲座进校园活动暨青少年科技节开幕式", font, 9, 60)
    lines = text.split("\n")
    assert len(lines) > 1 and "".join(lines).startswith("全民科学素质")


def test_cancel_leaves_no_file_and_no_record(plan_services: Services, tmp_path: Path) -> None:
    build(plan_services)
    out = tmp_path / "cancelled.pdf"
    with pytest.raises(ExportCancelled, match="^已取消导出，没有生成文件。$"):
        export_summary(plan_services, 2024, out, progress=lambda done, total: done < 2)
    assert not list(tmp_path.glob("cancelled.pdf*"))
    assert plan_services.submissions.list() == []


def _line_texts(para: Paragraph) -> list[str]:
    lines = para.blPara.lines
    if para.blPara.kind == 0:
        return ["".join(words) for _space, words in lines]
    return ["".join(frag.text for frag in line.words) for line in lines]


@pytest.mark.parametrize("mixed_fonts", [False, True])
def test_no_line_begins_with_chinese_closing_punctuation(mixed_fonts: bool) -> None:
    """避头点: "，" "；" "：" "）" never start a line, at any width the text may be set in."""
    font = fonts().body
    style = ParagraphStyle("t", fontName=font, fontSize=16, leading=28, wordWrap="CJK")
    # One closing mark at a time: reportlab hangs a single mark in the margin, so the
    # summary's own sentences never put two together ("）。").
    text = (
        "全年共开展科普活动，参加人次完成率达到百分之八十；注册志愿者（含青年）二千余人：服务时长达标。"
        * 3
    )
    if mixed_fonts:  # a second font span takes reportlab's other wrapping path
        text = f'<font name="{fonts().hei}">重点</font>' + text
    starts = set()
    for width in range(120, 420, 7):
        para = Paragraph(text, style)
        para.wrap(width, 10_000)
        lines = _line_texts(para)
        assert len(lines) > 1
        starts |= {line[0] for line in lines[1:] if line}
    assert not starts & set("，；：）。、")
