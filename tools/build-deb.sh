#!/usr/bin/env bash
# Build dist/kepu-ledger_<version>_<arch>.deb from the one-folder bundle (build.spec):
# the bundle under /opt/kepu-ledger, /usr/bin/kepu-ledger, a menu entry, the icon in the
# hicolor theme, Depends computed by dpkg-shlibdeps from the system libraries the bundle
# links but does not carry, plus a Chinese font. The package is for the distribution
# release it is built on (and later ones): build the arm64 one on an arm64 machine.
# Usage: tools/build-deb.sh [--bundle DIR]   (DIR: an already built dist/KepuLedger)
# KEPU_DEB_MAINTAINER="Name <mail>" sets the Maintainer field.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/tools/setup.sh"
PY="$ROOT/.venv/bin/python"
BUNDLE=""
if [[ "${1:-}" == "--bundle" ]]; then
  BUNDLE="$(cd "$2" && pwd)"
fi
# dpkg-shlibdeps computes Depends; patchelf clears search paths of the build machine.
need=()
for pkg in dpkg-dev patchelf; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if ((${#need[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

NAME=kepu-ledger
VERSION="$("$PY" -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' "$ROOT/pyproject.toml")"
ARCH="$(dpkg --print-architecture)"
MAINTAINER="${KEPU_DEB_MAINTAINER:-Kepu Ledger maintainers <kepu-ledger@example.org>}"
OUT="$ROOT/dist/${NAME}_${VERSION}_${ARCH}.deb"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [[ -z "$BUNDLE" ]]; then
  echo "正在打包（build.spec）…"
  "$ROOT/.venv/bin/pyinstaller" --noconfirm --log-level WARN \
    --workpath "$WORK/build" --distpath "$WORK/dist" "$ROOT/build.spec"
  BUNDLE="$WORK/dist/KepuLedger"
fi
[[ -x "$BUNDLE/KepuLedger" ]] || { echo "不是打包好的程序文件夹：$BUNDLE" >&2; exit 1; }

PKG="$WORK/pkg"
mkdir -p "$PKG/DEBIAN" "$PKG/opt/$NAME" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/doc/$NAME" "$PKG/usr/share/man/man1" "$PKG/usr/share/lintian/overrides"
cp -a "$BUNDLE/." "$PKG/opt/$NAME/"
install -m 0755 "$ROOT/packaging/kepu-ledger" "$PKG/usr/bin/$NAME"
install -m 0644 "$ROOT/packaging/kepu-ledger.desktop" "$PKG/usr/share/applications/$NAME.desktop"
"$PY" "$ROOT/tools/render_icons.py" "$PKG/usr/share/icons/hicolor"
install -m 0644 "$ROOT/packaging/copyright" "$PKG/usr/share/doc/$NAME/copyright"
sed -e "s/@VERSION@/$VERSION/" -e "s/@MAINTAINER@/$MAINTAINER/" \
  -e "s/@DATE@/$(date -R -u -d "@$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)")/" \
  "$ROOT/packaging/changelog" | gzip -9n >"$PKG/usr/share/doc/$NAME/changelog.gz"
gzip -9n <"$ROOT/packaging/kepu-ledger.1" >"$PKG/usr/share/man/man1/$NAME.1.gz"
install -m 0644 "$ROOT/packaging/lintian-overrides" "$PKG/usr/share/lintian/overrides/$NAME"

# Debian's modes: directories and data 0755/0644; shared objects 0644 (they are
# loaded, not run); only the bundle's executable and the command are 0755.
find "$PKG" -type d -exec chmod 0755 {} +
find "$PKG" -type f -exec chmod 0644 {} +
chmod 0755 "$PKG/opt/$NAME/KepuLedger" "$PKG/usr/bin/$NAME"

# Depends: every ELF file's NEEDED libraries, less those the bundle carries (found in
# its own folders, given to dpkg-shlibdeps with -l), resolved to the packages that
# hold them, with the versions their symbols need (dpkg-shlibdeps, as debhelper does).
mapfile -t elves < <(find "$PKG/opt/$NAME" -type f -exec sh -c \
  'for f; do [ "$(head -c 4 "$f" | od -An -c | tr -d " ")" = "177ELF" ] && echo "$f"; done' sh {} +)
mapfile -t libdirs < <(printf '%s\n' "${elves[@]}" | xargs -n1 dirname | sort -u)
# A Python built in a home folder (pyenv) leaves its lib folder as RUNPATH in libpython
# and the standard modules: a path of the build machine. Only $ORIGIN-relative ones stay.
for elf in "${elves[@]}"; do
  runpath="$(patchelf --print-rpath "$elf" 2>/dev/null || true)"
  [[ -n "$runpath" ]] || continue
  kept="$(tr ':' '\n' <<<"$runpath" | grep '^\$ORIGIN' | paste -sd: || true)"
  if [[ "$kept" != "$runpath" ]]; then
    if [[ -n "$kept" ]]; then patchelf --set-rpath "$kept" "$elf"; else patchelf --remove-rpath "$elf"; fi
  fi
done
mkdir -p "$WORK/src/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$NAME" "$NAME" >"$WORK/src/debian/control"
(cd "$WORK/src" && dpkg-shlibdeps -O --ignore-missing-info "${libdirs[@]/#/-l}" \
  "${elves[@]}" 2>"$WORK/shlibdeps.err") >"$WORK/shlibs"
# What it says about the bundle's own libraries (no package holds them, Python's C API
# comes from the interpreter, wheels link more than they use) is expected; the rest is shown.
grep -v -e "no dependency information found" -e "couldn't find library" -e "binaries to analyze" \
  -e "useless dependency" -e "unresolvable reference" -e "similar warnings have been skipped" \
  "$WORK/shlibdeps.err" >&2 || true
SHLIBS="$(sed -n 's/^shlibs:Depends=//p' "$WORK/shlibs")"
[[ -n "$SHLIBS" ]] || { echo "dpkg-shlibdeps 没有给出依赖：" >&2; cat "$WORK/shlibdeps.err" >&2; exit 1; }
# The window's and the PDF's Chinese text: any CJK outline font; these two are in
# Debian, UOS and Kylin alike.
DEPENDS="$SHLIBS, fonts-wqy-zenhei | fonts-noto-cjk"
SIZE="$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@MAINTAINER@/$MAINTAINER/" \
  -e "s/@SIZE@/$SIZE/" -e "s/@DEPENDS@/$DEPENDS/" "$ROOT/packaging/control" >"$PKG/DEBIAN/control"
chmod 0644 "$PKG/DEBIAN/control"

mkdir -p "$ROOT/dist"
dpkg-deb --build --root-owner-group "$PKG" "$OUT" >/dev/null
echo "已生成 $OUT（$(du -h "$OUT" | cut -f1)，安装后 $((SIZE / 1024)) MB）。"
echo "依赖：$DEPENDS"
