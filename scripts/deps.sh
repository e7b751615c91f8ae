#!/usr/bin/env bash
# Installs what the station needs on Debian 12 (run as root), quietly and
# idempotently: the C libraries for cgo (SQLite is vendored by go-sqlite3;
# libusb for gousb; OpenGL/X11 for Fyne), umockdev for USB replays, Xvfb and
# xdotool for the windowed tests, PostgreSQL for the national server's
# conformance tests, and Go itself when the machine has none.
set -euo pipefail

PKGS=(gcc pkg-config git ca-certificates libusb-1.0-0-dev umockdev
  libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
  xvfb xauth xdotool imagemagick postgresql)
# npm fetches the region master data; a machine whose Node.js already ships
# npm (e.g. NodeSource's nodejs) must not get Debian's npm on top.
command -v npm >/dev/null || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Go: the project needs Go >= 1.26. /usr/local/go is where the official
# toolchain lives; a Debian golang >= 1.21 can fetch the right toolchain
# itself through the module proxy (GOTOOLCHAIN).
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"
if ! command -v go >/dev/null; then
  echo "deps: no Go found; trying Debian's golang and GOTOOLCHAIN=go1.26.8" >&2
  apt-get install -y -qq golang-go >/dev/null || true
  export GOTOOLCHAIN=go1.26.8
fi
command -v go >/dev/null || { echo "deps: Go 1.26 is required (install it to /usr/local/go)" >&2; exit 2; }
