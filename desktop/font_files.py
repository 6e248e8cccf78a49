"""Which installed fonts play each typesetting role, found by family name, best first.

GB/T 9704 asks for 仿宋 body text, 黑体 and 楷体 headings, 宋体 tables and a
小标宋 title. Whoever made the font (中易 on Windows, 方正, CESI, 华文 on a
信创 desktop) and whatever its file is called, the system's font list knows
it by its family names, often in two languages (fontconfig lists one face as
both `FZFangSong-Z02S` and `方正仿宋_GBK`); a role is matched against every
one of them. The list comes from fontconfig (`fc-list`) on Linux and from the
fonts Windows has installed (its registry and font folders, each file's name
table read here) on Windows.

Only files and faces are found here: the PDF writers register them with
reportlab (desktop/exporting/fonts.py), which embeds TrueType outlines only,
so a face in CFF-flavoured OpenType (most .otf, Noto/思源 CJK) or a bitmap
face is passed over with a logged reason. Where no face plays a role, a font
shipped in resources/fonts or the system's WenQuanYi Zen Hei stands in.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from desktop.paths import resource_dir

log = logging.getLogger(__name__)

ROLES = ("fangsong", "hei", "kai", "song")
TITLE = "xiaobiaosong"  # 小标宋: the title's font when the office has installed one
ROLE_LABELS = {"fangsong": "仿宋", "hei": "黑体", "kai": "楷体", "song": "宋体", TITLE: "小标宋"}

# role → patterns over a family name's key (see _key), best first. The first
# tier is the name Windows (中易) gives the face; the next any vendor's 仿宋,
# 黑体…; a last tier, where there is one, fonts of the same kind that can
# stand in (文泉驿正黑 for 黑体, 明体 and the CJK serifs for 宋体).
ROLE_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    role: tuple(re.compile(p) for p in patterns)
    for role, patterns in {
        "fangsong": (r"^(仿宋|fangsong)(gb2312)?$", r"仿宋|fangsong|fangso"),
        "hei": (
            r"^(黑体|simhei)(gb2312)?$",
            r"黑体|heiti|simhei|fzhei|cesiht",
            r"黑|zenhei|microhei",
        ),
        "kai": (r"^(楷体|kaiti)(gb2312)?$", r"楷|kaiti|fzkai|cesikt|ukai"),
        "song": (
            r"^(宋体|simsun)(gb2312)?$",
            r"(?<![仿标])宋|(?<!fang)(?<!biao)song|simsun|cesiss",
            r"明|ming|serifcjk|hanserif",
        ),
        TITLE: (r"小[标標]宋|xiaobiaosong",),
    }.items()
}
REGULAR_STYLES = frozenset(
    ("regular", "normal", "book", "roman", "standard", "medium", "常规", "標準", "标准")
)

SYSTEM_FALLBACKS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
FC_FIELDS = ("file", "index", "family", "style", "fontformat", "outline")
_SEP = "\x1f"


@dataclass(frozen=True)
class FontFace:
    """One face of an installed font file, with every family name the system reports for it."""

    path: Path
    index: int
    families: tuple[str, ...]
    styles: tuple[str, ...] = ()
    fontformat: str = "TrueType"
    outline: bool = True

    @property
    def family(self) -> str:
        """The name to show: the first, which _by_language makes the Simplified Chinese one."""
        return self.families[0]

    def unembeddable(self) -> str | None:
        """Why reportlab cannot embed this face in a PDF, or None when it can."""
        if not self.outline:
            return "点阵字体，没有轮廓"
        if self.fontformat != "TrueType":
            return f"{self.fontformat} 轮廓（PDF 只能嵌入 TrueType 轮廓）"
        return None


def where(path: Path, index: int) -> str:
    """A face as a person finds it: the file, and which face when the file holds several."""
    return f"{path} 中的第 {index + 1} 款" if index else str(path)


def _by_language(named: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """Names without repeats, those for zh-cn first, then other Chinese, then the rest."""

    def rank(lang: str) -> int:
        lang = lang.casefold()
        return 0 if lang in ("zh-cn", "zh-sg", "zh-hans") else 1 if lang.startswith("zh") else 2

    ordered = sorted(named, key=lambda pair: rank(pair[1]))
    return tuple(dict.fromkeys(name for name, _lang in ordered if name))


def _key(name: str) -> str:
    """A family name as compared: case, spaces, hyphens and underscores ignored."""
    return re.sub(r"[\s_\-]+", "", name).casefold()


def _tier(role: str, face: FontFace) -> int | None:
    keys = [_key(f) for f in face.families]
    for tier, pattern in enumerate(ROLE_PATTERNS[role]):
        if any(pattern.search(k) for k in keys):
            return tier
    return None


def _style_rank(face: FontFace) -> int:
    styles = {_key(s) for s in face.styles}
    return 0 if not styles or styles & REGULAR_STYLES else 1


def role_faces(role: str, faces: Iterable[FontFace] | None = None) -> list[FontFace]:
    """The faces that can play `role` (one of ROLES or TITLE) in a PDF, best first.

    Faces whose family matches but which reportlab cannot embed are left out,
    each with a log record saying why.
    """
    ranked: list[tuple[int, int, str, int, FontFace]] = []
    for face in system_faces() if faces is None else faces:
        tier = _tier(role, face)
        if tier is None:
            continue
        reason = face.unembeddable()
        if reason:
            log.info(
                "字体“%s”（%s）不能嵌入 PDF：%s，不用作%s。",
                face.family,
                where(face.path, face.index),
                reason,
                ROLE_LABELS[role],
            )
            continue
        ranked.append((tier, _style_rank(face), str(face.path), face.index, face))
    ranked.sort(key=lambda r: r[:4])
    return [r[-1] for r in ranked]


def embeddable_faces() -> list[FontFace]:
    """Every listed Chinese face reportlab can embed: the last stand-ins for a role none plays."""
    faces = [f for f in system_faces() if f.unembeddable() is None]
    return sorted(faces, key=lambda f: (str(f.path), f.index))


@cache
def system_faces() -> tuple[FontFace, ...]:
    """The system's Chinese font faces, read once per process."""
    if sys.platform == "win32":
        return tuple(faces_in_files(_windows_font_files()))
    return tuple(fontconfig_faces())


# fontconfig -------------------------------------------------------------------


def system_program_env() -> dict[str, str]:
    """The environment for a program of the system's own, such as fc-list.

    A PyInstaller bundle starts with its own folder on LD_LIBRARY_PATH and
    keeps the user's value in LD_LIBRARY_PATH_ORIG; the system's fc-list must
    load the system's libfontconfig, not the one in the bundle.
    """
    env = dict(os.environ)
    if getattr(sys, "frozen", False):
        original = env.pop("LD_LIBRARY_PATH_ORIG", None)
        if original is None:
            env.pop("LD_LIBRARY_PATH", None)
        else:
            env["LD_LIBRARY_PATH"] = original
    return env


def fontconfig_faces() -> list[FontFace]:
    """The faces fontconfig lists for Chinese (`fc-list :lang=zh`); none when it is not installed."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        log.info("没有 fc-list（fontconfig），不按字体名称查找中文字体。")
        return []
    listed = "%{[]family,familylang{%{family}=%{familylang}" + _SEP + "}}"
    fields = "\t".join("%{" + f + "}" for f in FC_FIELDS).replace("%{family}", listed)
    try:
        out = subprocess.run(
            [fc_list, "--format", fields + "\n", ":lang=zh"],
            env=system_program_env(),
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("fc-list 没有列出字体：%s", exc)
        return []
    faces: dict[tuple[str, int], FontFace] = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != len(FC_FIELDS) or not parts[0]:
            continue
        path, index, families, styles, fontformat, outline = parts
        names = _by_language(_name_and_language(n) for n in families.split(_SEP) if n)
        # A variable font's named instances carry the instance in the index's high bits.
        number = int(index or 0) & 0xFFFF
        if names and (path, number) not in faces:
            faces[path, number] = FontFace(
                Path(path),
                number,
                names,
                tuple(s for s in styles.split(",") if s),
                fontformat,
                outline == "True",
            )
    return list(faces.values())


def _name_and_language(listed: str) -> tuple[str, str]:
    """`方正仿宋_GBK=zh-cn` as fc-list printed it, split; a name without a language keeps it all."""
    name, sep, lang = listed.rpartition("=")
    return (name, lang) if sep else (listed, "")


# Windows ----------------------------------------------------------------------


def _windows_font_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _windows_font_files() -> list[Path]:
    """The files Windows has installed (its registry, machine and user) and those in its font folders."""
    import winreg  # Windows only

    folders = _windows_font_dirs()
    files: list[Path] = []
    key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for root in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(root, key_path) as key:
                for i in range(winreg.QueryInfoKey(key)[1]):
                    _name, value, _kind = winreg.EnumValue(key, i)
                    if isinstance(value, str) and value:
                        path = Path(value)
                        files.append(path if path.is_absolute() else folders[0] / path)
        except OSError:
            continue
    for folder in folders:
        if folder.is_dir():
            files.extend(sorted(folder.iterdir()))
    return files


def faces_in_files(paths: Iterable[Path]) -> list[FontFace]:
    """Every face of these font files, its families read from its own name table."""
    faces: list[FontFace] = []
    seen: set[str] = set()
    for path in paths:
        key = os.path.normcase(str(path))
        if key in seen or path.suffix.lower() not in FONT_SUFFIXES or not path.is_file():
            continue
        seen.add(key)
        try:
            faces.extend(read_faces(path))
        except (OSError, ValueError, struct.error) as exc:
            log.info("字体文件 %s 读不出名称表，已跳过：%s", path, exc)
    return faces


def _offsets(f) -> tuple[int, ...]:
    """Where each face's table directory starts: one for a .ttf, each face's in a .ttc."""
    head = f.read(12)
    if head[:4] != b"ttcf":
        return (0,)
    (count,) = struct.unpack(">I", head[8:12])
    return struct.unpack(f">{count}I", f.read(4 * count))


def _directory(f, offset: int) -> tuple[bytes, dict[bytes, tuple[int, int]]]:
    """A face's sfnt version and its tables' (start, length) by tag."""
    f.seek(offset)
    version, count = struct.unpack(">4sH", f.read(6))
    f.seek(offset + 12)
    tables = {}
    for _ in range(count):
        tag, _checksum, start, length = struct.unpack(">4sIII", f.read(16))
        tables[tag] = (start, length)
    return version, tables


def read_faces(path: Path) -> list[FontFace]:
    """The faces of one .ttf/.otf/.ttc file, from its sfnt table directory and name table."""
    faces = []
    with path.open("rb") as f:
        for index, offset in enumerate(_offsets(f)):
            version, tables = _directory(f, offset)
            if b"name" not in tables:
                raise ValueError("没有名称表")
            families, styles = _names(f, *tables[b"name"])
            cff = version == b"OTTO" or b"CFF " in tables or b"CFF2" in tables
            fontformat = "CFF" if cff and b"glyf" not in tables else "TrueType"
            outline = b"glyf" in tables or cff
            if families and _may_be_chinese(f, tables):
                faces.append(FontFace(path, index, families, styles, fontformat, outline))
    return faces


CHINESE_CODE_PAGES = (1 << 18) | (1 << 20)  # OS/2 ulCodePageRange1: cp936 GBK, cp950 Big5


def _may_be_chinese(f, tables: dict[bytes, tuple[int, int]]) -> bool:
    """False for a face whose OS/2 table lists its code pages and no Chinese one (Arial, MS Gothic).

    So a Windows font folder yields what `fc-list :lang=zh` would: the
    Chinese faces, and those too old to say.
    """
    start, length = tables.get(b"OS/2", (0, 0))
    if length < 82:
        return True
    f.seek(start)
    (version,) = struct.unpack(">H", f.read(2))
    f.seek(start + 78)
    (pages,) = struct.unpack(">I", f.read(4))
    return version < 1 or not pages or bool(pages & CHINESE_CODE_PAGES)


def embedding_refused(path: Path, index: int) -> str | None:
    """Why the face's licence bars embedding it in a PDF (OS/2 fsType), or None when it allows it.

    reportlab embeds a subset of the outlines, so "restricted licence",
    "no subsetting" and "bitmaps only" all rule the face out.
    """
    with path.open("rb") as f:
        _version, tables = _directory(f, _offsets(f)[index])
        if b"OS/2" not in tables:
            return None
        f.seek(tables[b"OS/2"][0] + 8)
        (fs_type,) = struct.unpack(">H", f.read(2))
    if fs_type & 0x000F == 0x0002:
        return f"字体许可不允许嵌入（fsType {fs_type:04X}）"
    if fs_type & 0x0100:
        return f"字体许可不允许取子集嵌入（fsType {fs_type:04X}）"
    if fs_type & 0x0200:
        return f"字体许可只允许嵌入点阵（fsType {fs_type:04X}）"
    return None


# Name-record languages that are Chinese: Windows LCIDs, then the Macintosh codes.
_CHINESE = {2052: "zh-cn", 4100: "zh-sg", 1028: "zh-tw", 3076: "zh-hk", 5124: "zh-mo"}
_MAC_CHINESE = {33: "zh-cn", 19: "zh-tw"}


def _names(f, start: int, length: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Family names (IDs 16 and 1) and style names (17 and 2) in every language the table has."""
    f.seek(start)
    table = f.read(length)
    _fmt, count, storage = struct.unpack(">HHH", table[:6])
    found: dict[int, list[tuple[str, str]]] = {1: [], 2: [], 16: [], 17: []}
    for i in range(count):
        platform, encoding, lang, name_id, size, at = struct.unpack(
            ">6H", table[6 + 12 * i : 18 + 12 * i]
        )
        if name_id not in found:
            continue
        text = _decode(table[storage + at : storage + at + size], platform, encoding)
        languages = _MAC_CHINESE if platform == 1 else _CHINESE
        if text:
            found[name_id].append((text, languages.get(lang, "")))
    return _by_language(found[16] + found[1]), _by_language(found[17] + found[2])


_WINDOWS_LEGACY = {2: "shift_jis", 3: "gbk", 4: "big5", 5: "cp949", 6: "johab"}


def _decode(raw: bytes, platform: int, encoding: int) -> str | None:
    """A name record's text. Old Chinese fonts (仿宋_GB2312) store GB codes as 16-bit units."""
    try:
        if platform == 0 or (platform == 3 and encoding in (0, 1, 10)):
            return raw.decode("utf-16-be").strip("\x00 ")
        if platform == 3 and encoding in _WINDOWS_LEGACY:
            return raw.replace(b"\x00", b"").decode(_WINDOWS_LEGACY[encoding]).strip()
        if platform == 1 and encoding == 0:
            return raw.decode("mac_roman").strip("\x00 ")
        if platform == 1 and encoding == 25:
            return raw.decode("gbk").strip("\x00 ")
    except UnicodeDecodeError:
        return None
    return None


# stand-ins --------------------------------------------------------------------


def fallback_fonts() -> list[Path]:
    """Fonts that can stand in for every role: those shipped in resources/fonts, then the system's."""
    folder = resource_dir() / "fonts"
    shipped = (
        sorted(p for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".ttc"))
        if folder.is_dir()
        else []
    )
    return [*shipped, *map(Path, SYSTEM_FALLBACKS)]


def cjk_font_path() -> Path | None:
    """A font file with Chinese glyphs, for drawing text outside reportlab (demo photos)."""
    found = [f.path for f in role_faces("hei")]
    return next((p for p in [*found, *fallback_fonts()] if p.is_file()), None)
