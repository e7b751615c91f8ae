#!/usr/bin/env bash
# Saves a screenshot of each step of a whole enrollment into OUT (default
# /tmp/rekam-shots): it runs the end-to-end test (e2e/), which drives the
# real rekam window with the keyboard (xdotool) under Xvfb over simulated
# devices, approves, seals and syncs to a loopback rekam-pusat. Needs
# xvfb-run, xdotool and ImageMagick (scripts/deps.sh installs them).
#   scripts/rekam-screenshots.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-/tmp/rekam-shots}")
mkdir -p "$out"
REKAM_E2E_SHOTS="$out" xvfb-run -a -s "-screen 0 1280x1024x24" \
  go test -count=1 -run '^TestEnrollmentEndToEnd$' -v ./e2e/
ls "$out"
