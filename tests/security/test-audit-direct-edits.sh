# test-audit-direct-edits.sh: issue 10, row 4. Someone with the database file edits the
# register and the people straight in SQLite (the sqlite3 shell, as the review did): an
# item set to 'destroyed' so that the next count does not expect it, a staff member made
# an admin, the lockout setting raised. `muster audit verify` must name each row, and a
# count must refuse to freeze its expected list from them.
source "$MUSTER_TESTS/e2e/lib.sh"

setup_armoury
MUSTER_PIN=123456 m item import --user admin "$MUSTER_TEST_DATA/small-armoury.csv" >/dev/null
m audit verify >"$T/clean" || fail "a fresh armoury does not verify: $(cat "$T/clean")"

# audit/detects-direct-item-edit and audit/detects-direct-role-edit
sqlite3 "$DB" "UPDATE item SET status = 'destroyed' WHERE serial = 'GLK-1002';
               UPDATE app_user SET role = 'admin' WHERE name = 'bob';
               UPDATE setting SET value = '1000' WHERE key = 'lockout_attempts';
               INSERT INTO setting (key, value) SELECT 'lockout_attempts', '1000'
                 WHERE changes() = 0;"
expect_status 15 audit verify
msg=$(cat "$T/err")
assert_contains "$msg" "item Glock Glock 17 SN GLK-1002" "the edited item is named"
assert_contains "$msg" "user bob" "the promoted user is named"
assert_contains "$msg" "setting lockout_attempts" "the edited setting is named"
assert_contains "$msg" "3 records no longer match" "nothing else is blamed"
expect_status 15 --json audit verify
assert_eq false "$(jq -r .intact "$T/out")" "--json says not intact"

# count/refuses-to-freeze-from-edited-rows: no count starts, none is recorded.
MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 expect_status 15 count start --user carol \
  --witness sue --scope R1
assert_contains "$(cat "$T/err")" "GLK-1002" "the count names the edited item"
assert_eq 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM count_session')" "no count recorded"

# audit/detects-row-added-behind-musters-back: an item that no write of Muster's made.
sqlite3 "$DB" "INSERT INTO item (uuid, manufacturer, country_of_manufacture, serial, model,
                 category, status, created_at)
               VALUES ('forged-uuid', 'Colt', 'US', 'FORGED-1', 'M4', 'rifle', 'in_store',
                 '2026-01-01T00:00:00.000Z');"
expect_status 15 audit verify
assert_contains "$(cat "$T/err")" "SN FORGED-1 (forged-uuid) was added outside Muster" \
  "a row added behind Muster's back"

# A fresh armoury at $T/NAME.db with the small register and bob counting rack R1/A
# (witness carol): sets DB and COUNT.
counting_armoury() { # name
  export MUSTER_DB="$T/$1.db"
  DB=$MUSTER_DB
  setup_armoury
  MUSTER_PIN=123456 m item import --user admin "$MUSTER_TEST_DATA/small-armoury.csv" >/dev/null
  MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 m --json count start --user bob --witness carol \
    --scope R1/A >"$T/start.json"
  COUNT=$(jq -r .id "$T/start.json")
}

# audit/detects-edited-expected-list: an item slipped onto a count's frozen expected
# list after it started.
counting_armoury expected
m audit verify >/dev/null || fail "a count just started does not verify"
sqlite3 "$DB" "INSERT INTO count_expected (count_id, item_id, location_id)
               SELECT $COUNT, id, location_id FROM item WHERE serial = 'FN-2001';"
expect_status 15 audit verify
assert_contains "$(cat "$T/err")" "expected list of count $COUNT" "expected list edit named"
MUSTER_PIN=1234 m count close --user bob "$COUNT" >/dev/null
MUSTER_PIN=1234 m count reconcile --user sue "$COUNT" >/dev/null
MUSTER_PIN=1234 expect_status 15 count sign-off --user sue "$COUNT"
assert_contains "$(cat "$T/err")" "expected list of count $COUNT" "sign-off refuses it"

# audit/detects-forged-find: a missing weapon made "found" by a find that no scan backs.
counting_armoury finds
printf '@R1/A\n04A1B2C3D4E501\n' | MUSTER_PIN=1234 m count scan --user bob "$COUNT" >/dev/null
MUSTER_PIN=1234 m count close --user bob "$COUNT" >/dev/null
sqlite3 "$DB" "INSERT INTO count_find (count_id, item_id, scan_id, location_id)
               SELECT $COUNT, i.id, s.id, s.location_id FROM item i, scan s
               WHERE i.serial = 'GLK-1002' AND s.count_id = $COUNT LIMIT 1;"
# Reconciliation believes the find (GLK-1002 is not reported missing), but the
# supervisor cannot sign those figures off.
MUSTER_PIN=1234 m count reconcile --user sue "$COUNT" >/dev/null
MUSTER_PIN=1234 expect_status 15 count sign-off --user sue "$COUNT"
assert_contains "$(cat "$T/err")" "find of item GLK-1002 that no scan of it backs" \
  "sign-off names the forged find"
expect_status 15 audit verify
assert_contains "$(cat "$T/err")" "GLK-1002" "audit verify names it too"
echo "ok"
