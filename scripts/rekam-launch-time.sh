#!/usr/bin/env bash
# Measures the time from launching the rekam window to its login screen
# being mapped, under Xvfb, over a demo station. Prints milliseconds, one
# line per run (default 5 runs). Needs xvfb-run and xdotool.
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
  LANG=en_US.UTF-8 LANGUAGE=id "$tmp/rekam" --data "$tmp/data" --sim >"$tmp/log" 2>&1 & P=$!
  xdotool search --sync --onlyvisible --name "Rekam" >/dev/null
  end=$(date +%s%N)
  echo "launch-to-login ms: $(( (end - start) / 1000000 ))"
  kill $P; wait $P || true
done
if grep -q "Error in Fyne call thread\|Translation failure" "$tmp/log"; then echo "FAIL: threading or translation errors"; cat "$tmp/log"; exit 1; fi
INNER
chmod +x "$tmp/run.sh"
xvfb-run -a -s "-screen 0 1280x860x24" "$tmp/run.sh" "$tmp" "$runs"
