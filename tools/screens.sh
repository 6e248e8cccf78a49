#!/usr/bin/env bash
# Grab every page and the main dialogs under a real X server (Xvfb, xcb) to PNG:
# at 1366x768, and at 1920x1080 with 150 % scaling. Usage: tools/screens.sh [OUT_DIR] [DB]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/tools/setup.sh"
need=()
for pkg in xvfb libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
  libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
OUT="${1:-$ROOT/screens}"
shift || true
run() {  # display size scale [DB]
  local display=$1 size=$2 scale=$3
  shift 3
  Xvfb ":$display" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
  local xvfb=$!
  sleep 1
  DISPLAY=":$display" QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR="$scale" \
    "$ROOT/.venv/bin/python" "$ROOT/tools/screens.py" "$OUT/$size@$scale" "$@" || true
  kill "$xvfb"
}
cd "$ROOT"
run 91 1366x768 1 "$@"
run 92 1920x1080 1.5 "$@"
