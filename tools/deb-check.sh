#!/usr/bin/env bash
# Check the .deb on this machine as an office's IT person would meet it: lintian finds
# no error, the menu entry is valid, `apt-get install ./kepu-ledger_….deb` succeeds, an
# ordinary user with a fresh home opens the window under a real X server (Xvfb, xcb),
# that user's database lands in their own data folder, nothing is written under /opt,
# and `apt-get remove` leaves the user's data. Needs root; about three minutes with the
# build. Not part of ./test. Usage: tools/deb-check.sh [PACKAGE.deb]  (default: build it)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ "$(id -u)" == "0" ]] || { echo "请以 root 身份运行（要安装软件包、建立测试用户）。" >&2; exit 1; }
if (($#)); then
  DEB="$(readlink -f "$1")"
else
  "$ROOT/tools/build-deb.sh"
  DEB="$(ls -t "$ROOT"/dist/kepu-ledger_*.deb | head -n 1)"
fi
need=()
for pkg in lintian desktop-file-utils xvfb xauth x11-utils; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if ((${#need[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

USER_NAME=kepu-check
WORK="$(mktemp -d)"
cleanup() {
  userdel -r "$USER_NAME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "检查失败：$*" >&2; exit 1; }
step() { echo "== $*"; }

step "lintian $(basename "$DEB")"
lintian --fail-on error "$DEB" || fail "lintian 报告了错误"

step "菜单项（desktop-file-validate）"
dpkg-deb -x "$DEB" "$WORK/tree"
desktop-file-validate "$WORK/tree/usr/share/applications/kepu-ledger.desktop" || fail "菜单项不合规范"

step "apt-get install $(basename "$DEB")"
if dpkg -s kepu-ledger >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq kepu-ledger >/dev/null
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$DEB" >/dev/null || fail "安装失败"
[[ -x /usr/bin/kepu-ledger && -x /opt/kepu-ledger/KepuLedger ]] || fail "/usr/bin/kepu-ledger 或 /opt/kepu-ledger 缺失"
for icon in 16x16 32x32 48x48 256x256; do
  [[ -f "/usr/share/icons/hicolor/$icon/apps/kepu-ledger.png" ]] || fail "缺少 $icon 图标"
done
[[ -f /usr/share/icons/hicolor/scalable/apps/kepu-ledger.svg ]] || fail "缺少 SVG 图标"

step "普通用户 $USER_NAME（全新的主目录）在 Xvfb（xcb）下运行"
userdel -r "$USER_NAME" >/dev/null 2>&1 || true
useradd -m -s /bin/bash "$USER_NAME"
HOME_DIR="$(getent passwd "$USER_NAME" | cut -d: -f6)"
stamp="$WORK/stamp"
touch "$stamp"
sleep 1  # find -newer compares whole seconds on some file systems
as_user() {  # a clean login-like environment: only what a desktop session would set
  runuser -u "$USER_NAME" -- env -i HOME="$HOME_DIR" USER="$USER_NAME" LOGNAME="$USER_NAME" \
    PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=xcb ${DISPLAY:+DISPLAY="$DISPLAY"} "$@"
}
in_x() { as_user xvfb-run -a -s "-screen 0 1366x768x24 -nolisten tcp" "$@"; }
(cd "$HOME_DIR" && in_x kepu-ledger smoke) || fail "kepu-ledger smoke（临时演示数据）失败"
(cd "$HOME_DIR" && as_user kepu-ledger demo --activities 300) || fail "kepu-ledger demo 失败"
DB="$HOME_DIR/.local/share/KepuLedger/kepu.sqlite3"
[[ -f "$DB" ]] || fail "用户的数据库不在 $DB"
[[ "$(stat -c %U "$DB")" == "$USER_NAME" ]] || fail "$DB 不属于 $USER_NAME"
(cd "$HOME_DIR" && in_x kepu-ledger --db "$DB" smoke) || fail "kepu-ledger smoke（用户自己的数据库）失败"
(cd "$HOME_DIR" && as_user kepu-ledger progress --as-of 2025-12-31 >/dev/null) || fail "kepu-ledger progress 失败"
window_check() {  # the window itself: its icon, and the class that ties it to the menu entry
  Xvfb :87 -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
  local xvfb=$! app="" win="" i
  sleep 1
  (cd "$HOME_DIR" && DISPLAY=:87 as_user kepu-ledger --db "$DB") >/dev/null 2>&1 &
  app=$!
  for i in $(seq 60); do
    win="$(DISPLAY=:87 xwininfo -root -tree | grep -F '科普台账 — ' | awk '{print $1}' | head -n 1 || true)"
    [[ -n "$win" ]] && break
    sleep 0.5
  done
  local props=""
  [[ -n "$win" ]] && props="$(DISPLAY=:87 xprop -id "$win" WM_CLASS _NET_WM_ICON | head -n 3)"
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  kill "$xvfb"
  wait "$xvfb" 2>/dev/null || true
  [[ -n "$win" ]] || fail "主窗口没有出现"
  grep -q 'WM_CLASS(STRING) = "kepu-ledger"' <<<"$props" || fail "窗口的 WM_CLASS 不是 kepu-ledger：$props"
  grep -q '_NET_WM_ICON(CARDINAL) = ' <<<"$props" || fail "窗口没有图标"
  echo "主窗口：WM_CLASS kepu-ledger，带图标。"
}
window_check
echo "用户数据：$(find "$HOME_DIR/.local/share/KepuLedger" -type f | wc -l) 个文件在 $HOME_DIR/.local/share/KepuLedger"

step "/opt 下没有写入任何文件"
written="$(find /opt -newer "$stamp" -print)"
[[ -z "$written" ]] || fail "程序在 /opt 下写入了：$written"

step "apt-get remove kepu-ledger"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq kepu-ledger >/dev/null || fail "卸载失败"
[[ ! -e /usr/bin/kepu-ledger && ! -e /opt/kepu-ledger/KepuLedger ]] || fail "卸载后程序文件仍在"
[[ -f "$DB" ]] || fail "卸载后用户的数据库不见了"
echo "软件包检查全部通过：$(basename "$DEB")"
