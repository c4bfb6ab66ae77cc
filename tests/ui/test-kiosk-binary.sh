#!/usr/bin/env bash
# test-kiosk-binary.sh: the muster-kiosk program itself, on the test's X server.
#  - on a demo database with the simulated reader it starts, keeps running, and stops
#    cleanly (exit 0) on SIGTERM, as systemd stops it;
#  - on a missing database it says which file and what to do (and creates nothing).
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$MUSTER" --db "$dir/demo.db" demo --items 200 >"$dir/demo.log"

"$MUSTER_KIOSK" --db "$dir/demo.db" --windowed --sim-demo --demo-items 200 2>"$dir/kiosk.err" &
pid=$!
sleep 3
kill -0 "$pid" || { echo "the kiosk died:"; cat "$dir/kiosk.err"; exit 1; }
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[[ $status -eq 0 ]] || { echo "exit status $status on SIGTERM:"; cat "$dir/kiosk.err"; exit 1; }

"$MUSTER_KIOSK" --db "$dir/missing.db" 2>"$dir/missing.err" &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid" || true
grep -q "cannot open its database $dir/missing.db" "$dir/missing.err" ||
  { echo "no clear message for a missing database:"; cat "$dir/missing.err"; exit 1; }
grep -q "muster init" "$dir/missing.err"
[[ ! -e $dir/missing.db ]] || { echo "a missing database was created"; exit 1; }
echo "ok"
