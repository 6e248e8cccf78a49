#!/usr/bin/env bash
# Build the PyInstaller bundle from build.spec and let it check itself (`KepuLedger smoke`):
# offscreen, and on a real X server through Qt's xcb plugin when Xvfb is installed. Fails
# when the bundle outgrows BUNDLE_LIMIT_MB (150: build.spec leaves out what Qt would bring).
# Not part of ./test: about a minute. Usage: tools/bundle-smoke.sh [--db FILE]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE_LIMIT_MB=150
"$ROOT/tools/setup.sh"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
echo "正在打包（build.spec）…"
start=$(date +%s)
"$ROOT/.venv/bin/pyinstaller" --noconfirm --log-level WARN \
  --workpath "$WORK/build" --distpath "$WORK/dist" build.spec
size_mb=$(du -sm "$WORK/dist/KepuLedger" | cut -f1)
echo "打包用时 $(( $(date +%s) - start )) 秒；大小 ${size_mb} MB，$(find "$WORK/dist/KepuLedger" -type f | wc -l) 个文件。"
if ((size_mb > BUNDLE_LIMIT_MB)); then
  echo "打包结果超过 ${BUNDLE_LIMIT_MB} MB。" >&2
  exit 1
fi
BUNDLE="$WORK/dist/KepuLedger/KepuLedger"
[[ -x "$BUNDLE" ]] || BUNDLE="$WORK/dist/KepuLedger/KepuLedger.exe"
KEPU_DATA_DIR="$WORK/data" "$BUNDLE" smoke --report "$WORK/smoke.txt" "$@"
if command -v xvfb-run >/dev/null 2>&1; then
  echo "在 Xvfb（xcb 显示平台）下再自检一次…"
  KEPU_DATA_DIR="$WORK/data-xcb" QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1366x768x24 -nolisten tcp" "$BUNDLE" smoke "$@"
fi
echo "打包后的程序自检通过。"
