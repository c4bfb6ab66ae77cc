# test-sigkill.sh: a scan the command has acknowledged is on disk, whenever the process
# dies. Feeds a long stream of scans into `muster count scan`, kills it with SIGKILL at
# random moments, and checks that every acknowledged scan is in the database with the
# marking it was acknowledged for, that the file passes PRAGMA integrity_check, and that
# the audit chain still verifies.
source "$(dirname "$0")/lib.sh"

ROUNDS=${SIGKILL_ROUNDS:-12}
setup_armoury
{
  echo "manufacturer,country_of_manufacture,serial,model,category,calibre,status,location"
  seq 1 5000 | awk '{printf "Glock,AT,SN-%06d,Glock 17,pistol,9x19mm,in_store,R%d/A/%02d\n", $1, $1 % 3 + 1, $1 % 40 + 1}'
} >"$T/items.csv"
MUSTER_PIN=123456 m item import --user admin "$T/items.csv" >/dev/null
COUNT=$(MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 m --json count start --user bob --witness carol --all | jq -r .id)

total_acked=0
for round in $(seq 1 "$ROUNDS"); do
  out="$T/acks-$round"
  # Known serials, unknown ones and garbage, in an order that differs per round.
  seq 1 300000 | awk -v r="$round" '{
      n = ($1 * 7919 + r * 104729) % 9000;
      if ($1 % 97 == 0) print "\x01garbage\xff" $1; else printf "SN-%06d\n", n }' |
    MUSTER_PIN=1234 "$MUSTER" --json count scan --user bob "$COUNT" >"$out" 2>"$T/err-$round" &
  pid=$!
  # Wait for the first acknowledgement (signing in takes a moment), then kill somewhere
  # in the next second: mid-batch, mid-commit, mid-write.
  for _ in $(seq 1 300); do
    [ -s "$out" ] || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.05
  done
  sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.3f", rand() * 1.0 }')"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # Only complete lines count as acknowledgements.
  jq -rR 'fromjson? | select(.type == "scan") | "\(.scan_id) \(.marking // "")"' "$out" \
    >"$T/acked-$round" || true
  n=$(wc -l <"$T/acked-$round")
  [ "$n" -gt 0 ] || { cat "$T/err-$round" >&2; fail "round $round: nothing acknowledged before the kill"; }
  total_acked=$((total_acked + n))
  # Every acknowledged scan is there, with its marking.
  awk '{printf "INSERT INTO acked VALUES (%d, %s);\n", $1, ($2 == "" ? "NULL" : "'"'"'" $2 "'"'"'")}' \
    "$T/acked-$round" >"$T/acked-$round.sql"
  lost=$({
    echo "CREATE TEMP TABLE acked (id INTEGER, marking TEXT);"
    cat "$T/acked-$round.sql"
    echo "SELECT count(*) FROM acked a LEFT JOIN scan s ON s.id = a.id
          WHERE s.id IS NULL OR s.marking_value IS NOT a.marking;"
  } | sqlite3 "$DB")
  assert_eq 0 "$lost" "round $round: acknowledged scans missing or different after SIGKILL"
  assert_eq ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "round $round: integrity_check"
done
m audit verify >/dev/null || fail "audit chain broken by a kill"
stored=$(sqlite3 "$DB" "SELECT count(*) FROM scan")
[ "$stored" -ge "$total_acked" ] || fail "stored $stored < acknowledged $total_acked"
echo "ok: $ROUNDS kills, $total_acked acknowledged scans all present ($stored stored)"
