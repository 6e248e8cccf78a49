"""Render resources/icons/kepu-ledger.svg to the PNGs a Linux desktop's icon theme
holds (hicolor/<size>x<size>/apps/kepu-ledger.png) and to the Windows .ico.

Qt's own SVG renderer draws them, so the PNGs look like the window's icon, which Qt
draws from the same SVG. Usage:
  python tools/render_icons.py HICOLOR_DIR      # PNGs (and the scalable SVG) for a package
  python tools/render_icons.py --ico FILE.ico   # the Windows icon (resources/icons/)
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "kepu-ledger.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
NAME = "kepu-ledger"


def render(renderer: QSvgRenderer, size: int) -> bytes:
    """The icon at size x size pixels, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("hicolor", nargs="?", type=Path)
    parser.add_argument("--ico", type=Path)
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"无法读取图标：{SVG}", file=sys.stderr)
        return 1
    if args.hicolor:
        for size in SIZES:
            folder = args.hicolor / f"{size}x{size}" / "apps"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{NAME}.png").write_bytes(render(renderer, size))
        scalable = args.hicolor / "scalable" / "apps"
        scalable.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SVG, scalable / f"{NAME}.svg")
    if args.ico:
        image = Image.open(io.BytesIO(render(renderer, 256)))
        image.save(args.ico, format="ICO", sizes=[(s, s) for s in SIZES if s != 22])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
