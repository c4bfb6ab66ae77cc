# test-cli-count.sh: a whole count through the `muster` command, as an administrator,
# a counter, a witness and a supervisor would run it.
source "$(dirname "$0")/lib.sh"

setup_armoury
MUSTER_PIN=123456 m item import --user admin "$MUSTER_TEST_DATA/small-armoury.csv" >/dev/null
assert_eq 11 "$(m item export | tail -n +2 | wc -l)" "exported rows"

# Start: bob counts, carol witnesses; R1 only.
MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 m --json count start --user bob --witness carol \
  --scope R1 >"$T/start.json"
COUNT=$(jq -r .id "$T/start.json")
assert_eq 9 "$(jq -r .expected "$T/start.json")" "expected in-store items in R1"

# The witness must be someone else, and must sign in.
MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 expect_status 3 count start --user bob --witness bob --scope R1
MUSTER_PIN=1234 MUSTER_WITNESS_PIN=0000 expect_status 7 count start --user sue --witness carol --scope R1

# Scans: rack A in order, with a repeated tag, an unknown tag, garbage, the stolen
# Beretta, a component check and a wrong-location find.
cat >"$T/feed" <<'FEED'
@R1/A
04:a1:b2:c3:d4:e5:01
04A1B2C3D4E501
04 A1 B2 C3 D4 E5 02
GLK-1003
04A1B2C3D4E5FF
{"value": "BER-4001", "kind": "engraved_serial"}
{"value":
@R1/B
04A1B2C3D4E504
FN-2002
HK-3002
STY-6001
{"value": "GLK-1001", "group": "check-1"}
{"value": "SL-1002", "kind": "barcode", "group": "check-1", "component": "slide"}
FEED
printf '\x01\x02\xff\xfe garbage\n' >>"$T/feed"
MUSTER_PIN=1234 m --json count scan --user bob "$COUNT" <"$T/feed" >"$T/acks"
assert_eq 14 "$(grep -c '"type":"scan"' "$T/acks")" "every scan acknowledged"
outcomes=$(jq -r 'select(.type=="scan") | .outcome' "$T/acks" | sort | uniq -c | awk '{print $2"="$1}' | tr '\n' ' ')
assert_contains "$outcomes" "accepted=6" "accepted scans"
assert_contains "$outcomes" "duplicate=3" "repeat tag and re-scan are duplicates"
assert_contains "$outcomes" "unknown=1" "unknown tag"
assert_contains "$outcomes" "unreadable=2" "garbage kept"
assert_contains "$outcomes" "status_conflict=1" "stolen Beretta"
assert_contains "$outcomes" "wrong_location=1" "Steyr found in rack B"
# Every acknowledged scan id is in the database.
for id in $(jq -r 'select(.type=="scan") | .scan_id' "$T/acks"); do
  sqlite3 "$DB" "SELECT 1 FROM scan WHERE id=$id" | grep -q 1 || fail "scan $id acknowledged but missing"
done

MUSTER_PIN=1234 m count unmarked --user bob --description "AK-pattern rifle, no marks" \
  --location R1/B "$COUNT" >/dev/null
# Staff cannot reconcile someone else's count... but the counter may; nobody can scan
# into a closed count.
MUSTER_PIN=1234 m count close --user bob "$COUNT" >/dev/null
echo "GLK-1002" | MUSTER_PIN=1234 expect_status 9 count scan --user bob "$COUNT"
MUSTER_PIN=1234 m count reconcile --user sue "$COUNT" >/dev/null
m --json count discrepancies "$COUNT" >"$T/d1.json"
MUSTER_PIN=1234 m count reconcile --user sue "$COUNT" >/dev/null
m --json count discrepancies "$COUNT" >"$T/d2.json"
cmp -s "$T/d1.json" "$T/d2.json" || fail "reconciling twice changed the result"
kinds=$(jq -r '.[].kind' "$T/d1.json" | sort | uniq -c | awk '{print $2"="$1}' | tr '\n' ' ')
assert_contains "$kinds" "missing=2" "both CZ-5001 pistols missing"
assert_contains "$kinds" "wrong_location=1" "Steyr in the wrong rack"
assert_contains "$kinds" "unknown_marking=1" "unknown marking"
assert_contains "$kinds" "unmarked_item=1" "unmarked item"
assert_contains "$kinds" "status_conflict=1" "status conflict"
assert_contains "$kinds" "component_mismatch=1" "slide of GLK-1002 on GLK-1001"
assert_contains "$kinds" "duplicate_marking=1" "two items claim serial CZ-5001"

# Sign-off refused while anything is unresolved, and to the counter always.
MUSTER_PIN=1234 expect_status 9 count sign-off --user sue "$COUNT"
MISSING=$(jq -r '[.[] | select(.kind=="missing")][0].id' "$T/d1.json")
MUSTER_PIN=1234 expect_status 6 count resolve --user bob --action found --reason x "$MISSING"
MUSTER_PIN=1234 expect_status 6 count resolve --user sue --action found --reason "in armourer's shop" "$MISSING"
for id in $(jq -r '.[].id' "$T/d1.json"); do
  MUSTER_PIN=1234 MUSTER_CONFIRM_PIN=1234 m count resolve --user sue --confirm-by vic \
    --action reported --reason "reported to the registry" "$id" >/dev/null
done
assert_eq 0 "$(m --json count discrepancies --unresolved "$COUNT" | jq length)" "all resolved"
MUSTER_PIN=123456 expect_status 6 count sign-off --user admin "$COUNT"
MUSTER_PIN=1234 m --json count sign-off --user sue --note "Quarterly count" "$COUNT" >"$T/so.json"
assert_eq signed_off "$(jq -r .state "$T/so.json")" "state after sign-off"
# Signed off: nothing changes any more.
MUSTER_PIN=1234 MUSTER_CONFIRM_PIN=1234 expect_status 9 count resolve --user sue --confirm-by vic \
  --action found --reason late "$MISSING"

# Reports in three formats.
m report "$COUNT" >"$T/r.txt"
assert_contains "$(cat "$T/r.txt")" "signed off" "text report"
m report --format csv "$COUNT" >"$T/r.csv"
assert_eq "count_uuid,count_id,discrepancy_id,discrepancy_uuid,kind,subject,item_uuid,item,location,detail,resolution,reason,resolved_by,confirmed_by,resolved_at" \
  "$(head -1 "$T/r.csv" | tr -d '\r')" "CSV header"
m report --format json "$COUNT" | jq -e '.count.state == "signed_off" and (.discrepancies | length) > 0' >/dev/null \
  || fail "JSON report"

# Tracing: the stolen Beretta, by its serial.
m --json history BER-4001 >"$T/h.json"
jq -e '.items[0].item.status == "stolen"' "$T/h.json" >/dev/null || fail "history status"
jq -e '[.items[0].history[].kind] | index("counted") != null' "$T/h.json" >/dev/null \
  || fail "history shows the count that saw the stolen Beretta"
m --json history 04A1B2C3D4E5FF | jq -e '(.unknown_scans | length) == 1' >/dev/null \
  || fail "unknown scans are kept and traceable"

m audit verify >/dev/null
# Someone edits a scan behind Muster's back: verify names it.
sqlite3 "$DB" "DROP TRIGGER scan_no_update; UPDATE scan SET text='X' WHERE id=1;"
expect_status 15 audit verify
assert_contains "$(cat "$T/err")" "'scan'" "tamper message names the table"
echo "ok"
