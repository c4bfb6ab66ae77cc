# test-cli-unmarked-photo.sh: `muster count unmarked --photo FILE` keeps the photo's
# bytes in the database, with their SHA-256 in the outbox and the audit chain; a file
# that is not a PNG or JPEG, missing or too big is refused, and nothing is recorded.
source "$(dirname "$0")/lib.sh"

setup_armoury
MUSTER_PIN=123456 m item import --user admin "$MUSTER_TEST_DATA/small-armoury.csv" >/dev/null
MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 m --json count start --user bob --witness carol \
  --scope R1 >"$T/start.json"
COUNT=$(jq -r .id "$T/start.json")
unmarked() { sqlite3 "$DB" "SELECT count(*) FROM unmarked_item"; }

# An 8×6 grey PNG (written by Python's zlib and struct: signature, IHDR, IDAT, IEND).
base64 -d >"$T/rifle.png" <<'PNG'
iVBORw0KGgoAAAANSUhEUgAAAAgAAAAGCAAAAADbboAnAAAAKElEQVR4nGNgUHBIaFhw4AGDgEFAwYQNFz7ABRigAgIMUAEFBqiAAQBMlBaBCjcfUAAAAABJRU5ErkJggg==
PNG
SHA=$(sha256sum "$T/rifle.png" | cut -d' ' -f1)
MUSTER_PIN=1234 m --json count unmarked --user bob --description "Rifle, no marks" \
  --location R1/B --photo "$T/rifle.png" "$COUNT" >"$T/u.json"
assert_eq "$SHA" "$(jq -r .photo.sha256 "$T/u.json")" "SHA-256 the command reports"
assert_eq image/png "$(jq -r .photo.media_type "$T/u.json")" "media type"
UUID=$(jq -r .unmarked_item "$T/u.json")

# The bytes in the database are the file's, with its size from the header.
sqlite3 "$DB" "SELECT writefile('$T/back.png', bytes) FROM unmarked_photo" >/dev/null
cmp -s "$T/rifle.png" "$T/back.png" || fail "stored bytes differ from the file"
assert_eq "8x6|$SHA|bob" "$(sqlite3 "$DB" "SELECT p.width || 'x' || p.height || '|' || p.sha256 \
  || '|' || a.name FROM unmarked_photo p JOIN app_user a ON a.id = p.taken_by")" "photo row"
# The registry gets the digest, not the bytes.
assert_eq "$SHA" "$(sqlite3 "$DB" "SELECT json_extract(payload, '\$.photo.sha256') FROM outbox \
  WHERE kind = 'unmarked.recorded' AND entity_uuid = '$UUID'")" "outbox photo digest"
assert_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE payload LIKE '%iVBOR%'")" \
  "no photo bytes in the outbox"

# Out again as it went in, for a report or the registry: `count photo`, by the subject of
# the item's discrepancy.
MUSTER_PIN=1234 m count close --user bob "$COUNT" >/dev/null
MUSTER_PIN=1234 m count reconcile --user bob "$COUNT" >/dev/null
SUBJECT=$(m --json count discrepancies --kind unmarked_item "$COUNT" | jq -r '.[0].subject')
assert_eq "$UUID" "$SUBJECT" "the discrepancy names the unmarked item"
m --json count photo --out "$T/export.png" "$SUBJECT" >"$T/export.json"
cmp -s "$T/rifle.png" "$T/export.png" || fail "exported photo differs from the file"
assert_eq "$SHA" "$(jq -r .sha256 "$T/export.json")" "exported SHA-256"
expect_status 4 count photo --out "$T/none.png" 00000000-0000-4000-8000-000000000000
[ ! -e "$T/none.png" ] || fail "a photo written for an unknown item"
COUNT=$(MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 m --json count start --user bob --witness carol \
  --scope R1 | jq -r .id)

# Refused, each with the file named, and nothing recorded.
echo "just some text" >"$T/notes.txt"
MUSTER_PIN=1234 expect_status 3 count unmarked --user bob --description Pistol --location R1/B \
  --photo "$T/notes.txt" "$COUNT"
assert_contains "$(cat "$T/err")" "$T/notes.txt" "refusal names the file"
assert_contains "$(cat "$T/err")" "not a PNG or JPEG image" "refusal says why"
MUSTER_PIN=1234 expect_status 4 count unmarked --user bob --description Pistol --location R1/B \
  --photo "$T/missing.png" "$COUNT"
assert_contains "$(cat "$T/err")" "$T/missing.png" "missing file named"
{ head -c 32 "$T/rifle.png"; head -c 9000000 /dev/zero; } >"$T/huge.png"
MUSTER_PIN=1234 expect_status 3 count unmarked --user bob --description Pistol --location R1/B \
  --photo "$T/huge.png" "$COUNT"
assert_contains "$(cat "$T/err")" "at most 8 MiB" "size limit"
assert_eq 1 "$(unmarked)" "refused photos record nothing"

# Without --photo: as before.
MUSTER_PIN=1234 m --json count unmarked --user bob --description "Pistol" --location R1/A \
  "$COUNT" | jq -e '.photo == null' >/dev/null || fail "no photo reported as null"
assert_eq 2 "$(unmarked)" "item without a photo"

# The photo is sealed into the audit chain: editing it behind Muster's back is found.
m audit verify >/dev/null
sqlite3 "$DB" "DROP TRIGGER unmarked_photo_no_update; UPDATE unmarked_photo SET bytes = zeroblob(length(bytes));"
expect_status 15 audit verify
assert_contains "$(cat "$T/err")" "'unmarked_photo'" "tamper message names the photos"
# ... and the altered bytes are not handed out as the photo.
expect_status 15 count photo --out "$T/tampered.png" "$UUID"
[ ! -e "$T/tampered.png" ] || fail "tampered photo written"
echo "ok"
