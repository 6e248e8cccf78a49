#!/usr/bin/env bash
# Build the PyInstaller bundle from build.spec and let it check itself (`KepuLedger smoke`).
# Not part of ./test: it takes a few minutes. Usage: tools/bundle-smoke.sh [--db FILE]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/tools/setup.sh"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
echo "正在打包（build.spec）…"
start=$(date +%s)
"$ROOT/.venv/bin/pyinstaller" --noconfirm --log-level WARN \
  --workpath "$WORK/build" --distpath "$WORK/dist" build.spec
echo "打包用时 $(( $(date +%s) - start )) 秒；大小 $(du -sh "$WORK/dist/KepuLedger" | cut -f1)，$(find "$WORK/dist/KepuLedger" -type f | wc -l) 个文件。"
BUNDLE="$WORK/dist/KepuLedger/KepuLedger"
[[ -x "$BUNDLE" ]] || BUNDLE="$WORK/dist/KepuLedger/KepuLedger.exe"
KEPU_DATA_DIR="$WORK/data" "$BUNDLE" smoke --report "$WORK/smoke.txt" "$@"
echo "打包后的程序自检通过。"
