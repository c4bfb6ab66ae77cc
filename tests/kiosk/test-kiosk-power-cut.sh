#!/usr/bin/env bash
# test-kiosk-power-cut.sh: a power cut in the middle of a count, as systemd sees one when
# it SIGKILLs the kiosk's unit (KillMode=control-group): cage and muster-kiosk die at
# once, mid-count, with scans streaming in. The session is started as the unit starts it
# (cage -- muster-kiosk, as an unprivileged user, nested in the test's Xvfb as in
# test-kiosk-cage.sh), then again after the kill, and:
#  - the database opens: PRAGMA integrity_check is ok, `muster audit verify` passes;
#  - the count is still open, the same one;
#  - every scan the kiosk acknowledged before the kill (its log: "Scan N committed in
#    count C", written after the commit, as the live screen shows it) is in the database,
#    in that count;
#  - the restarted kiosk resumes that count (its log: "Counting count C") and goes on
#    counting into it.
# The count is started with `muster count start`; in the kiosk the counter signs in and
# resumes it through --resume-as (PIN from $MUSTER_PIN), since a shell test has no
# finger; the scans come from the demo armoury's feed on the simulated reader (--sim-demo).
# KEEP=1 keeps the work folder (logs, database).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../support/missing.sh"
source "$here/cage-session.sh"
how="apt-get install cage xwayland sqlite3 (packaging/debian-packages.txt)"
missing_command cage "$how"
missing_command Xwayland "$how (cage 0.1.4 will not start without it)"
missing_command sqlite3 "$how"
missing_command setsid "apt-get install util-linux"

items=300 seed=11
work=$(mktemp -d "${TMPDIR:-/tmp}/muster-power-cut-XXXXXX")
pgid=""
cleanup() {
  set +e
  [[ -z $pgid ]] || { kill -KILL -- "-$pgid" 2>/dev/null; wait "$pgid" 2>/dev/null; }
  [[ -n ${KEEP:-} ]] || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for l in "$work"/*.log; do echo "--- $l"; tail -20 "$l"; done; exit 1; }

cage_prepare
db=$work/db/armoury.db
muster() { run_as "$work/muster" --db "$db" "$@"; }
sql() { run_as sqlite3 -batch "$db" "$1"; }

# The demo armoury (its own count done and reconciled), and a new count of all of it.
muster demo --items "$items" --seed "$seed" >"$work/demo.log" 2>&1 || fail "muster demo"
count=$(run_as MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 "$work/muster" --db "$db" --json \
  count start --user cpl.okafor --witness pte.lindqvist --all |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || fail "count start"
echo "count $count started"

session_env+=(MUSTER_PIN=1234 G_MESSAGES_DEBUG=Muster)

# start NAME: the session as cage_start starts it, but in a process group of its own (the
# unit's control group) and with the simulated reader's feed and --resume-as; $pgid is
# cage's pid and the group's id. The log is $work/NAME.log.
start() {
  rm -f "$work/run/wayland-"*
  setsid "${as_user[@]}" env -i PATH=/usr/bin:/bin HOME="$work/home" "${session_env[@]}" \
    cage -d -- "$work/muster-kiosk" --db "$db" --sim-demo --demo-items "$items" \
    --demo-seed "$seed" --sim-rate 25 --resume-as cpl.okafor >"$work/$1.log" 2>&1 &
  pgid=$!
}

# wait_for NAME N: until the kiosk of NAME has acknowledged N scans of the count.
acknowledged() { grep -o "Scan [0-9]* committed in count $count:" "$work/$1.log" | awk '{print $2}'; }
wait_for() {
  local tries=0
  until (($(acknowledged "$1" | wc -l) >= $2)); do
    kill -0 "$pgid" 2>/dev/null || fail "the session ended early"
    ((++tries < 600)) || fail "fewer than $2 scans acknowledged in 60 s"
    sleep 0.1
  done
}

# The kiosk's pid among the session's group (from /proc: field 3 after the name is the
# process group).
kiosk_in_group() {
  local d cmd stat fields
  for d in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null) || continue
    [[ $cmd == "$work/muster-kiosk "* ]] || continue
    stat=$(<"$d/stat") || continue
    read -ra fields <<<"${stat##*) }"
    [[ ${fields[2]} == "$pgid" ]] && echo "${d#/proc/}"
  done
  return 0
}

start first
wait_for first 1
grep -q "Counting count $count as cpl.okafor" "$work/first.log" || fail "the kiosk is not on count $count"
wait_for first 40
# The power cut: every process of the session at once, as systemd's SIGKILL, the kiosk
# among them while it counts.
kiosk_pid=$(kiosk_in_group)
[[ -n $kiosk_pid ]] || fail "no kiosk in the session's group"
kill -KILL -- "-$pgid"
wait "$pgid" 2>/dev/null || true
pgid=""
for _ in $(seq 50); do kill -0 "$kiosk_pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$kiosk_pid" 2>/dev/null || fail "the kiosk ($kiosk_pid) outlived the kill"
acknowledged first | sort -n >"$work/acked"
acked=$(wc -l <"$work/acked")
echo "killed the session after $acked acknowledged scans"

# The database as the restarted unit finds it.
[[ $(sql "PRAGMA integrity_check") == ok ]] || fail "integrity_check: $(sql 'PRAGMA integrity_check')"
muster audit verify >"$work/verify.out" 2>&1 || { cat "$work/verify.out"; fail "audit verify"; }
state=$(sql "SELECT state FROM count_session WHERE id = $count")
[[ $state == open ]] || fail "count $count is $state after the kill, not open"
stored=$(sql "SELECT count(*) FROM scan WHERE count_id = $count AND id IN ($(paste -sd, "$work/acked"))")
((stored == acked)) || {
  sql "SELECT id FROM scan WHERE count_id = $count ORDER BY id" >"$work/stored"
  echo "acknowledged but not stored: $(comm -23 "$work/acked" "$work/stored" | head)"
  fail "$stored of $acked acknowledged scans are in the database"
}
total=$(sql "SELECT count(*) FROM scan WHERE count_id = $count")
echo "after the kill: integrity ok, audit verifies, count $count open, $acked acknowledged scans all stored ($total in all)"
((total < $(sql "SELECT count(*) FROM item") * 2)) || fail "the feed was over before the kill: not mid-count"

# Started again the same way: the same count, counting on.
start second
wait_for second 5
grep -q "Counting count $count as cpl.okafor" "$work/second.log" ||
  fail "the restarted kiosk did not resume count $count"
kill -TERM -- "-$pgid"
wait "$pgid" 2>/dev/null || true
pgid=""
after=$(sql "SELECT count(*) FROM scan WHERE count_id = $count")
((after > total)) || fail "no scans were added to count $count after the restart"
[[ $(sql "PRAGMA integrity_check") == ok ]] || fail "integrity_check after the restart"
muster audit verify >"$work/verify2.out" 2>&1 || { cat "$work/verify2.out"; fail "audit verify after the restart"; }
echo "restarted: count $count resumed, $((after - total)) more scans in it; ok"
