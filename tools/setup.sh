#!/usr/bin/env bash
# Shared set-up for ./run and ./test: a venv with the project installed, and
# the Debian packages the program and its tests need (installed only when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

need_apt=()
want_pkg() { dpkg -s "$1" >/dev/null 2>&1 || need_apt+=("$1"); }

# Chinese font for Qt and the PDF.
want_pkg fonts-wqy-zenhei
# What Qt's xcb platform plugin (PySide6/Qt/plugins/platforms/libqxcb.so and the
# libQt6XcbQpa it loads) links against, beyond what PySide6 carries: its ELF NEEDED
# entries resolved with dpkg -S. Without them the window aborts on a real desktop
# ("xcb-cursor0 or libxcb-cursor0 is needed"); tests/test_platform_libs.py checks
# with ldd that nothing is missing.
for pkg in libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 \
  libx11-6 libx11-xcb1 libxkbcommon0 libxkbcommon-x11-0 libxcb1 libxcb-cursor0 \
  libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 \
  libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 \
  libxcb-xfixes0 libxcb-xkb1; do
  want_pkg "$pkg"
done
if [[ "${KEPU_TEST_TOOLS:-0}" == "1" ]]; then
  # Tests render PDFs to text and pictures and workbooks through LibreOffice.
  want_pkg poppler-utils
  want_pkg libreoffice-calc-nogui
  # A throwaway PostgreSQL cluster proves the same code runs there.
  want_pkg postgresql
  # ./test runs `kepu smoke` once under a real X server (xvfb-run needs xauth).
  want_pkg xvfb
  want_pkg xauth
  # tests/test_packaging.py checks the menu entry the .deb installs.
  want_pkg desktop-file-utils
fi
if ((${#need_apt[@]})); then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
    echo "安装系统软件包：${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "提示：缺少系统软件包 ${need_apt[*]}，请用 apt-get 安装。" >&2
  fi
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  # A venv made before PySide6 was pinned holds PySide6-Pdf 6.12, whose QtPdf would
  # shadow the one PySide6-Addons 6.11 brings.
  "$VENV/bin/python" -m pip uninstall -q -y PySide6-Pdf >/dev/null 2>&1 || true
  "$VENV/bin/python" -m pip install -q -e "$ROOT[dev]"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
