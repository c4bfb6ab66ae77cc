#!/usr/bin/env bash
# test-kiosk-sigterm.sh: /kiosk/sigterm-signs-out-audited (issue 10, row 21). The real
# muster-kiosk, someone signed in, stopped by SIGTERM (as systemd stops it), SIGINT or
# SIGHUP: the audit log shows their sign-out, why "terminated", and the kiosk exits 0.
#
# Someone signs in the way a finger-free test can: a genuine badge tapped on the
# simulated reader (--sim-feed, a JSON line of kind hf_uid as the NFC driver reports a
# card), with badge_needs_pin 0.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export MUSTER_RUNTIME_DIR=$dir/run
: >"$dir/none.conf"
export MUSTER_READERS=$dir/none.conf
export MUSTER_DB=$dir/armoury.db
db=$MUSTER_DB

MUSTER_PIN=123456 "$MUSTER" init --code TEST-01 --name "Test armoury" --admin admin >/dev/null
MUSTER_PIN=123456 MUSTER_NEW_PIN=1234 "$MUSTER" user add --user admin --role staff bob >/dev/null
MUSTER_PIN=123456 "$MUSTER" user badge --user admin bob 04A1B2C3D4E5F6 >/dev/null
MUSTER_PIN=123456 "$MUSTER" settings set --user admin badge_needs_pin 0 >/dev/null
# The card is tapped again every second (for two minutes) until the sign-in screen has
# taken it.
for _ in $(seq 120); do
  echo '{"value": "04A1B2C3D4E5F6", "kind": "hf_uid", "reader_kind": "nfc", "authenticity": "genuine"}'
done >"$dir/feed.txt"

audit_count() { # action [detail]
  sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = '$1' AND user_name = 'bob'${2:+ AND detail = '$2'}"
}

stop_with() { # signal
  "$MUSTER_KIOSK" --db "$db" --windowed --sim-feed "$dir/feed.txt" --sim-rate 1 2>"$dir/kiosk.err" &
  local pid=$! before
  before=$(audit_count user.sign_in)
  for _ in $(seq 900); do # up to 90 s: a loaded CI machine, an ASan build
    [[ $(audit_count user.sign_in) -gt $before ]] && break
    kill -0 "$pid" || { echo "the kiosk died:"; cat "$dir/kiosk.err"; exit 1; }
    sleep 0.1
  done
  [[ $(audit_count user.sign_in) -gt $before ]] ||
    { echo "bob's badge did not sign him in:"; cat "$dir/kiosk.err"; exit 1; }
  local outs
  outs=$(audit_count user.sign_out '{"why":"terminated"}')
  kill "-$1" "$pid"
  local status=0
  wait "$pid" || status=$?
  [[ $status -eq 0 ]] || { echo "exit status $status on SIG$1:"; cat "$dir/kiosk.err"; exit 1; }
  [[ $(audit_count user.sign_out '{"why":"terminated"}') -eq $((outs + 1)) ]] ||
    { echo "SIG$1 ended bob's session unaudited:"; sqlite3 "$db" "SELECT * FROM audit_log" ;
      cat "$dir/kiosk.err"; exit 1; }
}

for sig in TERM INT HUP; do
  stop_with "$sig"
done
"$MUSTER" audit verify >/dev/null
echo "ok"
