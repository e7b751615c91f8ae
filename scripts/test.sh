#!/usr/bin/env bash
# The whole test suite, from a fresh clone on Debian 12 as root:
#   bash scripts/test.sh
# Installs missing system packages, then runs go vet and go test over every
# package. Windowed tests get a virtual display (Xvfb) when there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
go mod download
echo "== go vet ./..."
go vet ./...
echo "== go test ./..."
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" go test -timeout 20m ./...
fi
exec go test -timeout 20m ./...
