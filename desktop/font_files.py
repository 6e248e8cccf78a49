"""Where the Chinese font files are on this computer, best first for each typesetting role.

GB/T 9704 asks for 仿宋 body text, 黑体 and 楷体 headings. Windows PCs have
them (simfang.ttf, simhei.ttf, simkai.ttf, simsun.ttc); elsewhere a font
shipped in resources/fonts or installed by the system (WenQuanYi Zen Hei)
stands in. Only paths: the PDF writers register them with reportlab
(desktop/exporting/fonts.py), the demo's pictures draw with one (Pillow).
"""

from __future__ import annotations

import os
from pathlib import Path

from desktop.paths import resource_dir

# role → candidate file names, best first (Windows system fonts).
WINDOWS_FILES: dict[str, tuple[str, ...]] = {
    "fangsong": ("simfang.ttf", "STFANGSO.TTF"),
    "hei": ("simhei.ttf", "STXIHEI.TTF"),
    "kai": ("simkai.ttf", "STKAITI.TTF"),
    "song": ("simsun.ttc", "simsun.ttf", "STSONG.TTF"),
}
SYSTEM_FALLBACKS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
ROLES = ("fangsong", "hei", "kai", "song")


def _font_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def windows_font(role: str) -> Path | None:
    """The office's own Windows font for a role (one of ROLES), when this is such a PC."""
    for folder in _font_dirs():
        for name in WINDOWS_FILES[role]:
            path = folder / name
            if path.is_file():
                return path
    return None


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
    candidates = [windows_font("hei"), *fallback_fonts()]
    return next((p for p in candidates if p is not None and p.is_file()), None)
