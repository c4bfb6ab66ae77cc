#!/usr/bin/env bash
# test-readers.sh: `muster readers` and a count fed from the readers.
#
# A readers file with a scripted (sim) reader stands in for hardware here; the real
# drivers have their own tests against emulated devices. Checks: a count fed with
# `count scan --from-readers` stores and acknowledges every scan (a rack label moves the
# counter, garbage is kept as unreadable), `readers list` shows what the program holding
# the readers reports, a second holder is refused, and a bad readers file is an error
# naming the file and group.
source "$(dirname "$0")/lib.sh"
export MUSTER_RUNTIME_DIR="$T/run"

setup_armoury
MUSTER_PIN=123456 m item import --user admin "$MUSTER_TEST_DATA/small-armoury.csv" >/dev/null
COUNT=$(MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 m --json count start --user bob --witness carol \
  --scope R1 | jq -r .id)

printf '@R1/A\nGLK-1001\n04:A1:B2:C3:D4:E5:02\nGLK-1001\n\001garbage\n@R1/B\nFN-2001\nNO-SUCH-1\n' >"$T/feed"
cat >"$T/readers.conf" <<CONF
[reader bench]
kind=sim
feed=$T/feed
rate=50
CONF

# --- a count fed from the readers
MUSTER_PIN=1234 m --json count scan --user bob --from-readers --readers "$T/readers.conf" \
  --idle-exit 1 "$COUNT" >"$T/acks" 2>"$T/err"
assert_eq 6 "$(jq -s 'map(select(.type == "scan")) | length' "$T/acks")" "acknowledged scans"
assert_eq "accepted accepted duplicate unreadable accepted unknown" \
  "$(jq -r 'select(.type == "scan") | .outcome' "$T/acks" | tr '\n' ' ' | sed 's/ $//')" "outcomes"
assert_eq "R1/A R1/A R1/A R1/A R1/B R1/B" \
  "$(jq -r 'select(.type == "scan") | .location' "$T/acks" | tr '\n' ' ' | sed 's/ $//')" "locations"
# every acknowledged scan is in the file, with the reader that read it
for id in $(jq -r 'select(.type == "scan") | .scan_id' "$T/acks"); do
  assert_eq "sim:bench" "$(sqlite3 "$DB" "SELECT reader FROM scan WHERE id = $id")" "scan $id reader"
done
assert_eq 6 "$(sqlite3 "$DB" "SELECT count(*) FROM scan")" "scans stored"

# --- readers list while another program holds the readers
printf 'GLK-1002\n' >"$T/slow"
for i in $(seq 1 50); do echo "GLK-1003" >>"$T/slow"; done
cat >"$T/slow.conf" <<CONF
[reader slow]
kind=sim
feed=$T/slow
rate=10
CONF
"$MUSTER" readers watch --readers "$T/slow.conf" >"$T/watch" 2>"$T/watch.err" &
WATCH=$!
for i in $(seq 1 50); do [ -s "$T/watch" ] && break; sleep 0.1; done
[ -s "$T/watch" ] || fail "readers watch printed nothing"
m --json readers list >"$T/list"
assert_eq "sim:slow" "$(jq -r '.[0].id' "$T/list")" "listed reader"
assert_eq "ready" "$(jq -r '.[0].state' "$T/list")" "listed state"
[ "$(jq -r '.[0].last_read' "$T/list")" != null ] || fail "last read not shown"
# a second holder is refused with a clear message
expect_status 9 readers watch --readers "$T/slow.conf"
assert_contains "$(cat "$T/err")" "in use by another program" "second holder refused"
kill -TERM "$WATCH"  # (a background job of a script ignores SIGINT)
wait "$WATCH" || fail "readers watch did not stop cleanly on SIGTERM"
assert_contains "$(head -1 "$T/watch")" "GLK-1002" "watch shows the first scan"

# --- a bad readers file names the file and the group
printf '[reader x]\nkind=teleport\n' >"$T/bad.conf"
expect_status 3 readers list --readers "$T/bad.conf"
assert_contains "$(cat "$T/err")" "[reader x]: kind=teleport is not a reader kind" "unknown kind"
printf '[reader y]\nkind=sim\n' >"$T/bad.conf"
expect_status 3 readers list --readers "$T/bad.conf"
assert_contains "$(cat "$T/err")" "needs feed=PATH" "missing feed"
echo "ok"
