#!/usr/bin/env bash
# test-kiosk-binary.sh: the muster-kiosk program itself, on the test's X server.
#  - on a demo database with the simulated reader it starts, keeps running, and stops
#    cleanly (exit 0) on SIGTERM, as systemd stops it;
#  - it holds the readers of its readers file (--readers): `muster readers list` in
#    another process shows them; a second kiosk runs on without readers and says that
#    another program (with its pid) holds them;
#  - on a missing database it shows the first-boot setup screen (and creates nothing
#    until it is filled in); on a file that is no database it says which and what to do.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Our own lock and status folder, and no hardware readers unless a test names them.
export MUSTER_RUNTIME_DIR=$dir/run
: >"$dir/none.conf"
export MUSTER_READERS=$dir/none.conf

"$MUSTER" --db "$dir/demo.db" demo --items 200 >"$dir/demo.log"

"$MUSTER_KIOSK" --db "$dir/demo.db" --windowed --sim-demo --demo-items 200 2>"$dir/kiosk.err" &
pid=$!
sleep 3
kill -0 "$pid" || { echo "the kiosk died:"; cat "$dir/kiosk.err"; exit 1; }
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[[ $status -eq 0 ]] || { echo "exit status $status on SIGTERM:"; cat "$dir/kiosk.err"; exit 1; }

# Readers from a readers file, held by the kiosk.
printf 'GL-1\n' >"$dir/feed.txt"
printf '[reader desk0]\nkind=sim\nfeed=%s\nrate=1\n' "$dir/feed.txt" >"$dir/readers.conf"
"$MUSTER_KIOSK" --db "$dir/demo.db" --windowed --readers "$dir/readers.conf" 2>"$dir/held.err" &
pid=$!
for _ in $(seq 50); do [[ -s $MUSTER_RUNTIME_DIR/readers.json ]] && break; sleep 0.1; done
sleep 1
"$MUSTER" readers list >"$dir/list.out" 2>&1 || { echo "readers list failed:"; cat "$dir/list.out"; exit 1; }
grep -q "sim:desk0 .*sim .*ready" "$dir/list.out" ||
  { echo "the kiosk's reader is not listed:"; cat "$dir/list.out" "$dir/held.err"; exit 1; }
"$MUSTER_KIOSK" --db "$dir/demo.db" --windowed 2>"$dir/second.err" &
pid2=$!
sleep 2
kill -0 "$pid2" || { echo "a second kiosk died instead of running on:"; cat "$dir/second.err"; exit 1; }
grep -q "no readers of its own: The readers are in use by another program (pid $pid" "$dir/second.err" ||
  { echo "the second kiosk does not say who holds the readers:"; cat "$dir/second.err"; exit 1; }
kill -TERM "$pid2" "$pid"
wait "$pid2"
wait "$pid"

# No database: the first-boot setup screen, and nothing created until it is filled in.
"$MUSTER_KIOSK" --db "$dir/missing.db" 2>"$dir/missing.err" &
pid=$!
sleep 2
kill -0 "$pid" || { echo "the kiosk died on a missing database:"; cat "$dir/missing.err"; exit 1; }
kill -TERM "$pid"
wait "$pid" || true
grep -q "No database at $dir/missing.db: showing the first-boot setup screen" "$dir/missing.err" ||
  { echo "no setup screen for a missing database:"; cat "$dir/missing.err"; exit 1; }
[[ ! -e $dir/missing.db ]] || { echo "a missing database was created"; exit 1; }

# A file that is there but no database: what and what to do, nothing overwritten.
printf 'not a database' >"$dir/garbage.db"
"$MUSTER_KIOSK" --db "$dir/garbage.db" 2>"$dir/garbage.err" &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid" || true
grep -q "cannot open its database $dir/garbage.db" "$dir/garbage.err" ||
  { echo "no clear message for a damaged database:"; cat "$dir/garbage.err"; exit 1; }
[[ $(cat "$dir/garbage.db") == "not a database" ]] || { echo "a damaged file was changed"; exit 1; }
echo "ok"
