# test-backup.sh: `muster backup`, `muster restore` and `muster migrate` through the
# real binary: a backup taken while a count commits scans, generations, each refusal
# of a restore with its exit status, a damaged database restored and verified, and a
# full or read-only backup medium (small tmpfs mounts; needs root).
source "$(dirname "$0")/lib.sh"
source "$MUSTER_TESTS/support/missing.sh"
command -v sqlite3 >/dev/null || missing "the sqlite3 shell" "apt-get install sqlite3"

q() { sqlite3 -batch -noheader "$1" "$2"; }
B=$T/backups
mkdir "$B"

setup_armoury
MUSTER_PIN=123456 m item import --user admin "$MUSTER_TEST_DATA/small-armoury.csv" >/dev/null
COUNT=$(MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 m --json count start --user bob --witness carol \
  --all | jq -r .id)

# A backup while a count commits scans: the copy verifies and holds a prefix of them.
(for i in $(seq 1 300); do echo "UNKNOWN-$i"; sleep 0.01; done) |
  MUSTER_PIN=1234 m count scan --user bob "$COUNT" >/dev/null &
FEED=$!
while [ "$(q "$DB" 'SELECT count(*) FROM scan')" -lt 20 ]; do sleep 0.05; done
m --json backup --to "$B" --keep 2 >"$T/b1.json"
during=$(q "$DB" 'SELECT count(*) FROM scan')
wait "$FEED"
total=$(q "$DB" 'SELECT count(*) FROM scan')
FILE=$(jq -r .file "$T/b1.json")
copied=$(q "$FILE" 'SELECT count(*) FROM scan')
[ "$copied" -lt "$total" ] || fail "the count went on after the backup: $copied of $total copied"
[ "$copied" -le "$during" ] || fail "the copy holds $copied scans, more than the $during there were"
prefix="SELECT group_concat(id || marking_value || stored_at) FROM (SELECT * FROM scan WHERE id <= $copied ORDER BY id)"
assert_eq "$(q "$DB" "$prefix")" "$(q "$FILE" "$prefix")" "the copy's scans, as the live file holds them"
assert_eq "$(sha256sum <"$FILE" | cut -d' ' -f1)" "$(jq -r .sha256 "${FILE%.muster-backup}.manifest.json")" "manifest sha256"
assert_eq "$(q "$FILE" 'SELECT max(seq) FROM audit_log')" "$(jq -r .audit_head_seq "$T/b1.json")" "head seq"
cp "$FILE" "$T/check.db"
m --db "$T/check.db" audit verify >/dev/null || fail "the copy does not verify"
assert_eq "backup.taken|" "$(q "$DB" "SELECT action || '|' || coalesce(user_name, '') FROM audit_log WHERE action = 'backup.taken'")" "recorded as done by the system"

# Generations: --keep 2 leaves the two newest, and never a file that is not ours.
echo "not a backup" >"$B/notes.txt"
m backup --to "$B" --keep 2 >/dev/null
m backup --to "$B" --keep 2 >"$T/b3.txt"
assert_contains "$(cat "$T/b3.txt")" "removed the older backup $(basename "$FILE")" "pruning said"
[ ! -e "$FILE" ] || fail "the oldest backup was kept"
assert_eq 2 "$(ls "$B"/*.muster-backup | wc -l)" "backups kept"
assert_eq 2 "$(ls "$B"/*.manifest.json | wc -l)" "manifests kept"
[ -e "$B/notes.txt" ] || fail "a file that is not a backup was removed"
GOOD=$(ls "$B"/*.muster-backup | tail -1)

# Refusals, each with its own exit status, and the live file untouched by each.
before=$(sha256sum <"$DB")
head -c 10000 /dev/urandom >"$T/random.bin"
MUSTER_PIN=123456 expect_status 16 restore --user admin "$T/random.bin"
assert_contains "$(cat "$T/err")" "is not a Muster backup" "foreign"
sqlite3 "$T/other-program.db" 'CREATE TABLE t (x); INSERT INTO t VALUES (1);'
MUSTER_PIN=123456 expect_status 16 restore --user admin "$T/other-program.db"
cp "$GOOD" "$T/flipped.muster-backup"
cp "${GOOD%.muster-backup}.manifest.json" "$T/flipped.manifest.json"
printf 'X' | dd of="$T/flipped.muster-backup" bs=1 seek=5000 conv=notrunc status=none
MUSTER_PIN=123456 expect_status 13 restore --user admin "$T/flipped.muster-backup"
assert_contains "$(cat "$T/err")" "its manifest" "damaged on the medium"
head -c 20000 "$GOOD" >"$T/truncated.bin"
MUSTER_PIN=123456 expect_status 13 restore --user admin "$T/truncated.bin"
MUSTER_PIN=123456 m --db "$T/other.db" init --code TEST-01 --admin admin >/dev/null
m --db "$T/other.db" backup --to "$T" >/dev/null
MUSTER_PIN=123456 expect_status 17 restore --user admin "$T"/TEST-01-*.muster-backup
assert_contains "$(cat "$T/err")" "another armoury" "other armoury"
MUSTER_PIN=1234 expect_status 6 restore --user bob "$GOOD"
assert_eq "$before" "$(sha256sum <"$DB")" "the live file after the refusals"

# A damaged database, restored: refused without an anchor, done when told, verified,
# and the restore is in the audit log with the admin's name.
MUSTER_PIN=123456 MUSTER_NEW_PIN=1234 m user add --user admin --role admin late-admin >/dev/null
q "$DB" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
dd if=/dev/urandom of="$DB" bs=4096 seek=0 count=1 conv=notrunc status=none
expect_status 13 audit verify
MUSTER_PIN=123456 expect_status 3 restore --user admin "$GOOD"
assert_contains "$(cat "$T/err")" "--no-registry-anchor" "the way out is named"
MUSTER_PIN=1234 expect_status 4 restore --user late-admin --no-registry-anchor "$GOOD"
MUSTER_PIN=123456 m restore --user admin --no-registry-anchor "$GOOD" >"$T/restored.txt"
assert_contains "$(cat "$T/restored.txt")" "was kept as $DB.replaced-" "the damaged file kept"
ls "$DB".replaced-* >/dev/null || fail "the replaced file is gone"
m audit verify >/dev/null || fail "the restored database does not verify"
assert_eq "store.restore|admin" "$(q "$DB" "SELECT action || '|' || user_name FROM audit_log ORDER BY seq DESC LIMIT 1")" "the restore's entry"
assert_contains "$(q "$DB" 'SELECT detail FROM audit_log ORDER BY seq DESC LIMIT 1')" '"no_registry_anchor":true' "recorded without an anchor"
[ -z "$(ls -A "$T" | grep -e '\.restoring')" ] || fail "a restore copy was left behind"

# Nothing pending: migrate does nothing, and takes no backup.
n=$(ls "$B" | wc -l)
assert_contains "$(m migrate --backup-to "$B")" "nothing to migrate" "migrate"
assert_eq "$n" "$(ls "$B" | wc -l)" "files in the backup folder after migrate"

# A full and a read-only medium: a clear message, the right status, nothing left.
expect_status 4 backup --to "$T/no-such-medium"
assert_contains "$(cat "$T/err")" "does not exist" "missing folder"
mkdir "$T/full" "$T/ro"
trap 'umount "$T/full" "$T/ro" 2>/dev/null; rm -rf "$T"' EXIT
if ! mount -t tmpfs -o size=1m tmpfs "$T/full" 2>/dev/null; then
  missing "mounting a 1 MB tmpfs for the full-disk case" "run as root (CI does)"
fi
m --db "$T/demo.db" demo --items 600 >/dev/null
expect_status 12 --db "$T/demo.db" backup --to "$T/full"
assert_contains "$(cat "$T/err")" "is full" "full disk"
assert_eq "" "$(ls -A "$T/full")" "left on the full medium"
mount -t tmpfs -o size=1m,ro tmpfs "$T/ro"
expect_status 11 backup --to "$T/ro"
assert_contains "$(cat "$T/err")" "read-only" "read-only medium"
echo "ok: backup, restore and migrate"
