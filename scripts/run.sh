#!/usr/bin/env bash
# Runs the recording station from a fresh clone on Debian 12 as root:
#   bash scripts/run.sh
# Installs what is missing (system packages, Go modules, the region master
# data from the npm registry, integrity-checked), builds, and launches the
# station window with simulated devices and its embedded store in
# ./rekam-data (override with REKAM_HOME). The first launch shows the
# station set-up screen.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
go mod download
echo "== building rekam, rekamctl, rekam-sim, rekam-pusat" >&2
go build -o bin/ ./cmd/...

export REKAM_HOME="${REKAM_HOME:-$PWD/rekam-data}"
mkdir -p "$REKAM_HOME/masterdata"
# Region master data: idn-area-data@4.0.1 (MIT package, ODbL data), fetched
# by exact name and version; rekamctl checks its integrity on import.
TGZ="$REKAM_HOME/masterdata/idn-area-data-4.0.1.tgz"
if [ ! -s "$TGZ" ]; then
  echo "== fetching region master data idn-area-data@4.0.1" >&2
  (cd "$REKAM_HOME/masterdata" && npm pack --silent idn-area-data@4.0.1 >/dev/null)
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<MSG
rekam: this machine has no display (DISPLAY is unset), so the station window cannot open.
Run it under a virtual display:
  xvfb-run -a -s '-screen 0 1280x1024x24' bin/rekam --sim --data "$REKAM_HOME"
or see the station work without a window:
  bin/rekamctl --help
MSG
  exit 2
fi
# Bahasa Indonesia first (LANGUAGE=en switches to English).
export LANGUAGE="${LANGUAGE:-id}"
case "${LANG:-C}" in C | C.* | POSIX) export LANG=id_ID.UTF-8 ;; esac
exec bin/rekam --sim --data "$REKAM_HOME"
