#!/usr/bin/env bash
# Measures the time from launching rekam to its login screen under Xvfb,
# over a demo station: when the window is mapped (xdotool, from the shell's
# launch) and when the app put the login on it (the app's own log, from
# main). Prints milliseconds, one line per run (default 5 runs). Needs
# xvfb-run and xdotool.
#   scripts/rekam-launch-time.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/rekam" ./cmd/rekam
go run ./scripts/mkstation "$tmp/data" "$tmp/data-config" "demo-password-1" >/dev/null
cat >"$tmp/run.sh" <<'INNER'
#!/usr/bin/env bash
set -eu
tmp=$1 runs=$2
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  REKAM_STARTUP_LOG=1 LANG=en_US.UTF-8 LANGUAGE=id "$tmp/rekam" --data "$tmp/data" --sim >"$tmp/log" 2>&1 & P=$!
  xdotool search --sync --onlyvisible --name "Rekam" >/dev/null
  end=$(date +%s%N)
  until grep -q "screen login" "$tmp/log"; do sleep 0.02; done
  inapp=$(grep -o "screen login at [0-9]* ms" "$tmp/log" | grep -o "[0-9]*")
  echo "window mapped ms: $(( (end - start) / 1000000 ))  login screen built (in-app, since main) ms: $inapp"
  kill $P; wait $P || true
done
if grep -q "Error in Fyne call thread\|Translation failure" "$tmp/log"; then echo "FAIL: threading or translation errors"; cat "$tmp/log"; exit 1; fi
INNER
chmod +x "$tmp/run.sh"
xvfb-run -a -s "-screen 0 1280x860x24" "$tmp/run.sh" "$tmp" "$runs"
