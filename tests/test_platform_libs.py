"""The window needs Qt's xcb platform plugin on a Linux desktop, and that plugin needs
system libraries PySide6 does not carry.

Every other test runs with QT_QPA_PLATFORM=offscreen, which loads none of them: a
missing libxcb-cursor0 once let `./run` abort on a fresh Debian desktop while the
whole suite passed. These tests read the plugin's links the way the loader does.
They run where ./test runs: on the Debian (or 统信UOS/银河麒麟) machine tools/setup.sh
prepares, with ldd, readelf and dpkg; a machine without them fails here, loudly.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import PySide6

QT = Path(PySide6.__file__).resolve().parent / "Qt"
XCB_PLUGIN = QT / "plugins" / "platforms" / "libqxcb.so"
SETUP = Path(__file__).resolve().parent.parent / "tools" / "setup.sh"

# Packages every Debian system has (Priority: required, or pulled in by apt itself).
ESSENTIAL = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libzstd1"}


def ldd(path: Path) -> str:
    return subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True).stdout


def needed(path: Path) -> list[str]:
    """The library names an ELF file asks for (its NEEDED entries)."""
    out = subprocess.run(
        ["readelf", "-d", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out)


def setup_packages() -> set[str]:
    """The Debian packages tools/setup.sh installs for everyone (not only for the tests)."""
    text = SETUP.read_text(encoding="utf-8").split('if [[ "${KEPU_TEST_TOOLS', 1)[0]
    text = text.replace("\\\n", " ")
    names = set(re.findall(r"want_pkg ([\w.+-]+)", text))
    for listed in re.findall(r"for pkg in ([^;]+);", text):
        names.update(listed.split())
    return names


def test_xcb_plugin_finds_every_library() -> None:
    assert XCB_PLUGIN.is_file(), XCB_PLUGIN
    missing = [line.strip() for line in ldd(XCB_PLUGIN).splitlines() if "not found" in line]
    assert missing == [], f"{XCB_PLUGIN.name} 缺少系统库（tools/setup.sh 应安装）：{missing}"


def test_setup_installs_the_package_of_every_system_library_the_plugin_links() -> None:
    """Not only installed on this machine by chance: tools/setup.sh names each package."""
    qt_libs = [XCB_PLUGIN]
    resolved = dict(
        re.findall(r"^\s*(\S+) => (\S+)", ldd(XCB_PLUGIN), flags=re.MULTILINE)
    )
    qt_libs += [Path(p) for p in resolved.values() if str(QT) in str(Path(p).resolve())]
    system = sorted(
        {name for lib in qt_libs for name in needed(lib) if name in resolved}
        - {Path(p).name for p in resolved.values() if str(QT) in str(Path(p).resolve())}
    )
    assert "libxcb-cursor.so.0" in system  # the one Qt 6.5+ names when it aborts
    listed = setup_packages() | ESSENTIAL
    unlisted = {}
    for name in system:
        owner = subprocess.run(
            ["dpkg", "-S", f"*/{name}"], capture_output=True, text=True, check=True
        ).stdout
        packages = {line.split(":", 1)[0] for line in owner.splitlines()}
        packages = {p for p in packages if not p.endswith("-dev")}
        if not packages & listed:
            unlisted[name] = sorted(packages)
    assert unlisted == {}, f"tools/setup.sh 未安装这些库所在的软件包：{unlisted}"
