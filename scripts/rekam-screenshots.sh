#!/usr/bin/env bash
# Drives rekam under Xvfb with the keyboard (xdotool) over a demo station and
# saves a screenshot of each screen into OUT (default /tmp/rekam-shots).
#   scripts/rekam-screenshots.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-/tmp/rekam-shots}")
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/rekam" ./cmd/rekam
go run ./scripts/mkstation "$tmp/data" "$tmp/data-config" "demo-password-1" >/dev/null
cat >"$tmp/drive.sh" <<'INNER'
#!/usr/bin/env bash
set -eu
tmp=$1 out=$2
shot() { sleep "${2:-1}"; import -window root "$out/$1.png"; }
key() { xdotool key --clearmodifiers "$@"; }
LANG=en_US.UTF-8 LANGUAGE=id "$tmp/rekam" --data "$tmp/data" --sim >"$tmp/log" 2>&1 & P=$!
W=$(xdotool search --sync --onlyvisible --name "Rekam" | head -1)
xdotool windowsize "$W" 1280 860; xdotool windowmove "$W" 0 0; xdotool windowfocus "$W"
shot 1-login
xdotool type op1; key Tab; xdotool type demo-password-1; key Return
shot 2-dashboard 2
key ctrl+h; shot 3-help; key ctrl+h; sleep 0.5
key ctrl+n; shot 4-privacy
key space; key ctrl+l; sleep 1
xdotool type 3211014101900001; key Return
shot 5-biodata 2
key ctrl+l; sleep 2
for i in 1 2 3 4 5 6; do key ctrl+r; sleep 1.2; done
shot 6-fingers
for i in 7 8 9 10; do key ctrl+r; sleep 1.2; done
key ctrl+l; sleep 1
key ctrl+r; sleep 1.2; key ctrl+r; sleep 1.2
shot 7-irises
key ctrl+l; sleep 1; key ctrl+r; sleep 1.5
shot 8-face
key ctrl+l; sleep 1; key ctrl+r; sleep 5
shot 9-signature
key ctrl+l; sleep 1
shot 10-review
key ctrl+l; sleep 1.5
shot 11-submitted
key shift+ctrl+l; sleep 1
xdotool type sup1; key Tab; xdotool type demo-password-1; key Return; sleep 1.5
key ctrl+p; sleep 1.5
key Down; sleep 0.3; key space; sleep 1.5
shot 12-approvals
kill $P; wait $P || true
if grep -q "Error in Fyne call thread\|Translation failure" "$tmp/log"; then echo "FAIL: threading or translation errors"; cat "$tmp/log"; exit 1; fi
INNER
chmod +x "$tmp/drive.sh"
xvfb-run -a -s "-screen 0 1280x860x24" "$tmp/drive.sh" "$tmp" "$out"
ls "$out"
