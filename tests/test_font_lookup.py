"""PDF fonts are found by family name, whatever the vendor and the file are called.

The font folder here holds copies of WenQuanYi Zen Hei renamed the way 信创
desktops and Windows name their fonts (方正, CESI, 华文, 中易) under file
names that say nothing (a1.ttf, zz.ttf), plus a decoy named simfang.ttf
whose family is no 仿宋. fontconfig is pointed at that folder only, so the
roles can resolve to the expected files only by reading their families.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from desktop import font_files
from desktop.errors import ServiceError
from desktop.exporting import fonts as pdf_fonts
from desktop.exporting.return_pdf import export_return_pdf
from desktop.exporting.summary_pdf import export_summary
from desktop.services import Services
from desktop.services.periods import parse_period
from tests.report_dataset import build

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
EN, ZH_CN, ZH_TW = 0x409, 0x804, 0x404
RESTRICTED = 0x0002  # OS/2 fsType "restricted licence embedding": no PDF may carry it

# file name → (family names with their Windows language, PostScript name, fsType)
RENAMED: dict[str, tuple[list[tuple[str, int]], str, int | None]] = {
    "a1.ttf": ([("FZFangSong-Z02S", EN), ("方正仿宋_GBK", ZH_CN)], "FZFangSong-Z02S", None),
    "zz.ttf": ([("CESI黑体-GB2312", ZH_CN), ("CESI_HT_GB2312", EN)], "CESI_HT_GB2312", None),
    "k0.ttf": ([("KaiTi", EN), ("楷体", ZH_CN)], "KaiTi", RESTRICTED),
    "k9.ttf": ([("STKaiti", EN), ("华文楷体", ZH_CN)], "STKaiti", None),
    "m.ttf": ([("FZShuSong-Z01S", EN), ("方正书宋_GBK", ZH_CN)], "FZShuSong-Z01S", None),
    "t.ttf": (
        [("FZXiaoBiaoSong-B05S", EN), ("方正小标宋简体", ZH_CN)],
        "FZXiaoBiaoSong-B05S",
        None,
    ),
    "simfang.ttf": ([("Kepu Decoy Sans", EN)], "KepuDecoySans", None),
}


def _rename(font: TTFont, families: list[tuple[str, int]], ps_name: str) -> None:
    """Replace every family, style, full and PostScript name, as a vendor's font carries them."""
    name = font["name"]
    name.names = [r for r in name.names if r.nameID not in (1, 2, 3, 4, 6, 16, 17, 18)]
    for family, lang in families:
        name.setName(family, 1, 3, 1, lang)
        name.setName("Regular", 2, 3, 1, lang)
        name.setName(family, 4, 3, 1, lang)
    name.setName(ps_name, 6, 3, 1, EN)
    name.setName(ps_name, 3, 3, 1, EN)


def _cff_font(out: Path, codepoints: list[int]) -> None:
    """A CFF-flavoured OpenType 宋体 that covers Chinese (every character drawn as one box)."""
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "box"])
    fb.setupCharacterMap(dict.fromkeys(codepoints, "box"))
    pen = T2CharStringPen(1000, None)
    pen.moveTo((100, 0))
    pen.lineTo((900, 0))
    pen.lineTo((900, 800))
    pen.lineTo((100, 800))
    pen.closePath()
    box = pen.getCharString()
    empty = T2CharStringPen(1000, None).getCharString()
    fb.setupCFF("SimSun", {"FullName": "SimSun"}, {".notdef": empty, "box": box}, {})
    fb.setupHorizontalMetrics({".notdef": (1000, 0), "box": (1000, 100)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "SimSun", "styleName": "Regular", "psName": "SimSun"})
    fb.font["name"].setName("宋体", 1, 3, 1, ZH_CN)
    fb.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(str(out))


@pytest.fixture(scope="module")
def font_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("renamed-fonts")
    base = folder.parent / "wqy-face0.ttf"
    TTFont(str(WQY), fontNumber=0, lazy=True).save(str(base))
    for file_name, (families, ps_name, fs_type) in RENAMED.items():
        font = TTFont(str(base), lazy=True)
        _rename(font, families, ps_name)
        if fs_type is not None:
            font["OS/2"].fsType = fs_type
        font.save(str(folder / file_name))
    # WenQuanYi's characters less Hangul and CJK extension A: enough for fontconfig to
    # call it Chinese, few enough for one box glyph to fit a format-4 cmap.
    codes = TTFont(str(base), lazy=True).getBestCmap()
    _cff_font(folder / "s.otf", [c for c in codes if c < 0x3400 or 0x4E00 <= c <= 0x9FFF])
    (folder / "broken.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 60)
    return folder


def _use_only(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fontconfig sees `folder` and nothing else; the lookups start afresh."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{folder}</dir>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    pdf_fonts.refresh()


@pytest.fixture(autouse=True)
def fresh_lookup() -> Iterator[None]:
    """Whatever a test pointed fontconfig at, the next test finds the machine's own fonts."""
    yield
    pdf_fonts.refresh()


@pytest.fixture
def only_these_fonts(font_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _use_only(font_dir, tmp_path, monkeypatch)
    return font_dir


def _listed(env: dict[str, str]) -> str:
    return subprocess.run(
        ["fc-list", "--format", "%{file}|%{family}|%{fontformat}\n"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_fontconfig_reports_both_localized_families(only_these_fonts: Path) -> None:
    listed = _listed(dict(os.environ))
    assert f"{only_these_fonts / 'a1.ttf'}|FZFangSong-Z02S,方正仿宋_GBK|TrueType" in listed
    assert f"{only_these_fonts / 's.otf'}|SimSun,宋体|CFF" in listed
    assert "WenQuanYi" not in listed  # the folder is all fontconfig sees


def test_each_role_resolves_to_its_renamed_file(
    only_these_fonts: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fs = pdf_fonts.fonts()
    files = {s.role: (s.path.name, s.family, s.stand_in) for s in fs.sources}
    assert files == {
        "fangsong": ("a1.ttf", "方正仿宋_GBK", False),
        "hei": ("zz.ttf", "CESI黑体-GB2312", False),
        "kai": ("k9.ttf", "华文楷体", False),
        "song": ("m.ttf", "方正书宋_GBK", False),
        "xiaobiaosong": ("t.ttf", "方正小标宋简体", False),
    }
    assert len({fs.fangsong, fs.hei, fs.kai, fs.song, fs.xiaobiaosong}) == 5
    messages = [r.getMessage() for r in caplog.records]
    # The 楷体 that forbids embedding and the CFF 宋体 are passed over, each with its reason.
    [restricted] = [m for m in messages if "k0.ttf" in m]
    assert "不能嵌入 PDF" in restricted and "字体许可不允许嵌入（fsType 0002）" in restricted
    [cff] = [m for m in messages if "s.otf" in m]
    assert "CFF 轮廓" in cff and "宋体" in cff
    assert not [m for m in messages if "simfang.ttf" in m]  # a file name plays no part


def test_smoke_lines_name_the_file_of_each_role(only_these_fonts: Path) -> None:
    lines = pdf_fonts.describe()
    assert f"仿宋：{only_these_fonts / 'a1.ttf'}（方正仿宋_GBK，按字体名称找到）" in lines
    assert f"小标宋：{only_these_fonts / 't.ttf'}（方正小标宋简体，按字体名称找到）" in lines
    assert len(lines) == 5


def test_a_missing_role_is_stood_in_for(
    font_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No 楷体 installed: the fallback chain's first font sets the （一） headings; no 小标宋: 宋体."""
    fewer = tmp_path / "fewer"
    fewer.mkdir()
    for name in ("a1.ttf", "zz.ttf", "m.ttf"):
        os.link(font_dir / name, fewer / name)
    _use_only(fewer, tmp_path, monkeypatch)
    fs = pdf_fonts.fonts()
    by_role = {s.role: s for s in fs.sources}
    assert by_role["kai"].stand_in and by_role["kai"].path == WQY
    assert by_role["fangsong"].path == fewer / "a1.ttf"
    assert fs.xiaobiaosong is None and "xiaobiaosong" not in by_role
    lines = pdf_fonts.describe()
    assert f"楷体：{WQY}（文泉驿正黑，代用，没有可嵌入的楷体字体）" in lines
    assert lines[-1] == "小标宋：未安装，标题用宋体（工作总结）或黑体（统计表、催报名单）。"


def _only(font_dir: Path, names: tuple[str, ...], tmp_path: Path, mp: pytest.MonkeyPatch) -> Path:
    """fontconfig sees just these files of the renamed folder, and no font stands in by path."""
    folder = tmp_path / "some"
    folder.mkdir()
    for name in names:
        os.link(font_dir / name, folder / name)
    mp.setattr(font_files, "SYSTEM_FALLBACKS", ())
    _use_only(folder, tmp_path, mp)
    return folder


def test_with_no_role_played_any_chinese_face_stands_in(
    font_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _only(font_dir, ("simfang.ttf", "s.otf"), tmp_path, monkeypatch)
    fs = pdf_fonts.fonts()
    assert {(s.role, s.path, s.stand_in) for s in fs.sources} == {
        (role, folder / "simfang.ttf", True) for role in font_files.ROLES
    }


def test_no_embeddable_chinese_font_is_refused_in_chinese(
    font_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _only(font_dir, ("k0.ttf", "s.otf"), tmp_path, monkeypatch)
    with pytest.raises(ServiceError, match="^找不到可嵌入 PDF 的中文字体：请安装 TrueType 格式"):
        pdf_fonts.fonts()


def test_windows_name_tables_read_the_same_families(
    font_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """On Windows the files' own name tables stand for fontconfig; the picks are the same."""
    caplog.set_level(logging.INFO)
    latin = TTFont(str(font_dir / "zz.ttf"), lazy=True)
    _rename(latin, [("Latin 黑体", EN)], "LatinHeiti")
    latin["OS/2"].ulCodePageRange1 = 1  # Latin 1 only, as Arial and the like say
    latin.save(str(tmp_path / "latin.ttf"))
    faces = font_files.faces_in_files([*sorted(font_dir.iterdir()), tmp_path / "latin.ttf"])
    by_file = {f.path.name: f for f in faces}
    assert "broken.ttf" not in by_file
    assert "latin.ttf" not in by_file  # its OS/2 table lists no Chinese code page
    [broken] = [r.getMessage() for r in caplog.records if "broken.ttf" in r.getMessage()]
    assert "读不出名称表" in broken
    assert by_file["a1.ttf"].families == ("方正仿宋_GBK", "FZFangSong-Z02S")
    assert by_file["s.otf"].fontformat == "CFF"
    picks = {
        role: [f.path.name for f in font_files.role_faces(role, faces)]
        for role in (*font_files.ROLES, font_files.TITLE)
    }
    assert picks == {
        "fangsong": ["a1.ttf"],
        "hei": ["zz.ttf"],
        "kai": ["k0.ttf", "k9.ttf"],  # the 中易 name first; its load failure falls to 华文楷体
        "song": ["m.ttf"],
        "xiaobiaosong": ["t.ttf"],
    }


@pytest.mark.parametrize(
    ("family", "role"),
    [
        ("仿宋_GB2312", "fangsong"),
        ("FangSong_GB2312", "fangsong"),
        ("CESI仿宋-GB2312", "fangsong"),
        ("STFangsong", "fangsong"),
        ("华文仿宋", "fangsong"),
        ("SimHei", "hei"),
        ("FZHei-B01S", "hei"),
        ("方正黑体_GBK", "hei"),
        ("文泉驿微米黑", "hei"),
        ("KaiTi_GB2312", "kai"),
        ("FZKai-Z03S", "kai"),
        ("AR PL UKai CN", "kai"),
        ("NSimSun", "song"),
        ("CESI宋体-GB2312", "song"),
        ("华文中宋", "song"),
        ("Noto Serif CJK SC", "song"),
        ("方正小标宋_GBK", "xiaobiaosong"),
    ],
)
def test_vendor_names_match_their_role(family: str, role: str) -> None:
    face = font_files.FontFace(Path("x.ttf"), 0, (family,))
    roles = [r for r in (*font_files.ROLES, font_files.TITLE) if font_files.role_faces(r, [face])]
    assert roles == [role]


def test_old_gb2312_encoded_names_are_read(font_dir: Path, tmp_path: Path) -> None:
    """仿宋_GB2312 from the Windows XP era names itself in GB codes (platform 3, encoding 3)."""
    font = TTFont(str(font_dir / "simfang.ttf"), lazy=True)
    _rename(font, [("FangSong_GB2312", EN)], "FangSong_GB2312")
    font["name"].setName("x", 1, 3, 3, ZH_CN)
    [record] = [r for r in font["name"].names if r.platEncID == 3]
    # Each GB code is one 16-bit unit; an ASCII character's high byte is zero.
    record.string = "仿宋".encode("gbk") + b"".join(b"\x00" + c.encode() for c in "_GB2312")
    font.save(str(tmp_path / "old.ttf"))
    [face] = font_files.read_faces(tmp_path / "old.ttf")
    assert face.families == ("仿宋_GB2312", "FangSong_GB2312")


def _fonts_on(page) -> dict[str, str]:
    fonts = page["/Resources"]["/Font"]
    return {key: fonts[key].get_object()["/BaseFont"] for key in fonts}


def test_summary_title_is_set_in_xiaobiaosong_and_embedded(
    only_these_fonts: Path, plan_services: Services, tmp_path: Path
) -> None:
    plan_services.settings.update({"summary_title": "测试县科普工作总结"})
    build(plan_services, tmp_path)
    out = export_summary(plan_services, 2024, tmp_path / "summary.pdf")
    reader = PdfReader(out)
    cover = reader.pages[0]
    drawn: list[tuple[str, str]] = []

    def visit(text, _cm, _tm, font, _size) -> None:
        if font is not None and text.strip():
            drawn.append((str(font["/BaseFont"]), text))

    cover.extract_text(visitor_text=visit)
    title = "".join(t for base, t in drawn if base.endswith("+FZXiaoBiaoSong-B05S"))
    assert "测试县科普工作总结" in "".join(title.split())
    [title_font] = [
        f.get_object()
        for f in cover["/Resources"]["/Font"].values()
        if str(f.get_object()["/BaseFont"]).endswith("+FZXiaoBiaoSong-B05S")
    ]
    assert "/FontFile2" in title_font["/FontDescriptor"]  # embedded, not only named
    body = {b.split("+")[-1] for page in reader.pages[1:] for b in _fonts_on(page).values()}
    assert {"FZFangSong-Z02S", "CESI_HT_GB2312", "FZShuSong-Z01S"} <= body
    assert not any("Decoy" in b or "WenQuanYi" in b for b in body)


def test_kepu_smoke_says_which_file_plays_each_role(only_these_fonts: Path, tmp_path: Path) -> None:
    report = tmp_path / "smoke.txt"
    env = dict(os.environ, KEPU_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "smoke", "--report", str(report)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = report.read_text(encoding="utf-8").splitlines()
    fonts_said = [line.strip() for line in lines if line.strip().startswith("PDF 字体")]
    assert fonts_said == [
        f"PDF 字体 仿宋：{only_these_fonts / 'a1.ttf'}（方正仿宋_GBK，按字体名称找到）",
        f"PDF 字体 黑体：{only_these_fonts / 'zz.ttf'}（CESI黑体-GB2312，按字体名称找到）",
        f"PDF 字体 楷体：{only_these_fonts / 'k9.ttf'}（华文楷体，按字体名称找到）",
        f"PDF 字体 宋体：{only_these_fonts / 'm.ttf'}（方正书宋_GBK，按字体名称找到）",
        f"PDF 字体 小标宋：{only_these_fonts / 't.ttf'}（方正小标宋简体，按字体名称找到）",
    ]
    assert "k0.ttf" in done.stderr  # the skipped 楷体's reason reaches the IT person


def test_the_return_pdf_title_is_set_in_xiaobiaosong_too(
    only_these_fonts: Path, plan_services: Services, tmp_path: Path
) -> None:
    build(plan_services, tmp_path)
    out = export_return_pdf(plan_services, parse_period("2024"), tmp_path / "return.pdf")
    drawn: list[tuple[str, str]] = []

    def visit(text, _cm, _tm, font, _size) -> None:
        if font is not None and text.strip():
            drawn.append((str(font["/BaseFont"]), text))

    PdfReader(out).pages[0].extract_text(visitor_text=visit)
    title = "".join(t for base, t in drawn if base.endswith("+FZXiaoBiaoSong-B05S"))
    assert "进展统计表" in "".join(title.split())


def test_a_bundle_runs_fc_list_with_the_systems_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyInstaller puts its own folder first on LD_LIBRARY_PATH; fc-list gets the user's back."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/kepu-ledger/_internal:/usr/local/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/usr/local/lib")
    assert font_files.system_program_env()["LD_LIBRARY_PATH"] == "/usr/local/lib"
    monkeypatch.delenv("LD_LIBRARY_PATH_ORIG")
    assert "LD_LIBRARY_PATH" not in font_files.system_program_env()
    monkeypatch.setattr(sys, "frozen", False)
    assert font_files.system_program_env()["LD_LIBRARY_PATH"].startswith("/opt/kepu-ledger")
