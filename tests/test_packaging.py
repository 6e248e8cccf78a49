"""What the bundle and the .deb are built from, checked without building them (a build
takes minutes: tools/bundle-smoke.sh and tools/deb-check.sh do that).

build.spec leaves out every Qt module and plugin it does not name, so a Qt module the
program starts to import without adding it there would only fail in the bundle; the
menu entry, icon, copyright file and lintian overrides must be what a Debian desktop
and lintian read.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

import PySide6
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SVG = ROOT / "resources" / "icons" / "kepu-ledger.svg"
QT_PLUGIN_DIR = Path(PySide6.__file__).resolve().parent / "Qt" / "plugins"
WINDOWS_ONLY_PLUGINS = {"qwindows", "qmodernwindowsstyle", "windowsprintersupport"}


def spec_value(name: str) -> object:
    """A literal assigned at the top level of build.spec."""
    tree = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"build.spec 中没有 {name}")


def qt_modules_imported() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found.update(
                n.split(".")[1] for n in names if n.startswith("PySide6.") and n.count(".") >= 1
            )
    return found


def test_the_bundle_keeps_every_qt_module_the_program_imports() -> None:
    kept = set(spec_value("QT_MODULES"))
    excluded = set(spec_value("QT_ALL_MODULES"))
    imported = qt_modules_imported()
    assert {"QtCore", "QtGui", "QtWidgets"} <= imported
    assert imported - kept == set(), "desktop/ 导入了 build.spec 的 QT_MODULES 未列出的 Qt 模块"
    assert kept & excluded == set()


def test_every_plugin_the_bundle_keeps_exists_under_that_name() -> None:
    """A misspelt name in QT_PLUGINS would silently leave the plugin out."""
    for folder, names in spec_value("QT_PLUGINS").items():
        for name in set(names) - WINDOWS_ONLY_PLUGINS:
            assert (QT_PLUGIN_DIR / folder / f"lib{name}.so").is_file(), f"{folder}/{name}"
    assert "qxcb" in spec_value("QT_PLUGINS")["platforms"]


def test_desktop_entry_names_the_program_in_chinese_and_english() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive in a desktop entry
    entry.read(PACKAGING / "kepu-ledger.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Name"] == "科普台账"
    assert section["Name[en]"] == "Kepu Ledger"
    assert section["Categories"] == "Office;"
    assert section["Exec"] == "kepu-ledger"
    assert section["Icon"] == "kepu-ledger"
    assert section["Type"] == "Application"


def test_desktop_entry_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(PACKAGING / "kepu-ledger.desktop")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_icons_render_at_every_theme_size(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "render_icons.py"), str(tmp_path)], check=True
    )
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        with Image.open(tmp_path / f"{size}x{size}" / "apps" / "kepu-ledger.png") as image:
            assert image.size == (size, size)
            image = image.convert("RGBA")
            assert image.getpixel((0, 0))[3] == 0  # the rounded tile's corner is clear
            red, _green, blue, alpha = image.getpixel((size // 2, size * 61 // 100))
            assert alpha == 255 and blue > red + 100  # the middle bar, blue
    with Image.open(tmp_path / "256x256" / "apps" / "kepu-ledger.png") as image:
        assert image.convert("RGB").getpixel((77, 205)) == (255, 255, 255)  # the ledger sheet
    assert (tmp_path / "scalable" / "apps" / "kepu-ledger.svg").read_bytes() == SVG.read_bytes()
    with Image.open(ROOT / "resources" / "icons" / "kepu-ledger.ico") as ico:
        assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]


def test_the_window_uses_the_same_icon() -> None:
    """The icon is the application's, so every window and dialog shows it."""
    code = (
        "from desktop.ui.app import application\n"
        "icon = application().windowIcon()\n"
        "image = icon.pixmap(64, 64).toImage()\n"
        "print(icon.isNull(), image.width(), image.pixelColor(32, 40).name())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[:2] == ["False", "64"]
    assert out[2] == "#1e88e5"  # the middle bar on the ledger sheet


def test_copyright_file_is_machine_readable() -> None:
    text = (PACKAGING / "copyright").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert paragraphs[0].startswith(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    )
    used = {
        m.group(1).strip()
        for p in paragraphs
        if p.startswith("Files:")
        for m in re.finditer(r"^License: (.+)$", p, flags=re.MULTILINE)
    }
    defined = {p.split("\n", 1)[0][len("License: ") :] for p in paragraphs if p.startswith("License:")}
    names = {n.strip() for u in used for n in re.split(r" and (?=[A-Z])", u)}
    assert names - defined == set(), "Files 段落用到的许可证没有单独的 License 段落"


def test_lintian_overrides_name_the_package_and_a_reason() -> None:
    lines = (PACKAGING / "lintian-overrides").read_text(encoding="utf-8").splitlines()
    overrides = [i for i, line in enumerate(lines) if line and not line.startswith("#")]
    assert overrides
    for i in overrides:
        assert re.fullmatch(r"kepu-ledger: [a-z0-9-]+( \S+)? \[[^\]]+\]", lines[i]), lines[i]
        assert any(lines[j].startswith("# ") for j in range(max(0, i - 6), i)), lines[i]


def test_control_template_describes_in_chinese_and_english() -> None:
    control = (PACKAGING / "control").read_text(encoding="utf-8")
    for field in ("Package: kepu-ledger", "Version: @VERSION@", "Depends: @DEPENDS@"):
        assert field in control
    description = control.split("Description: ", 1)[1]
    synopsis, body = description.split("\n", 1)
    assert len(synopsis) < 80
    assert re.search(r"[\u4e00-\u9fff]{20}", body) and "Kepu Ledger is the desktop program" in body
