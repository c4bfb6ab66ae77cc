#!/usr/bin/env bash
#
# test-install-root.sh: ctest packaging/install-root. The packages installed the way an
# armoury's technician installs them, into a fresh Debian 12 root, and used there.
#
#   1. A base root (mmdebstrap, variant apt: Essential packages and apt, nothing else)
#      from the Debian mirror this machine's apt uses, kept as a tarball in the build
#      folder under the day and the mirror (a second run the same day only unpacks it).
#   2. The packages installed with apt-get from their .deb files inside the root, so
#      their Depends are resolved from the archive, as on an appliance. The downloaded
#      archives are kept beside the tarball (apt's cache folder, bind-mounted).
#   3. The layout they make: user and group muster, /var/lib/muster 0700, the conffiles
#      of /etc/muster, udev rules, units (the backup timer enabled), man pages, completion.
#   4. As the muster user: muster init, a count (import, start, scans, close, reconcile)
#      and muster demo, muster backup, the database damaged, muster restore as the
#      technician would (the admin, --no-registry-anchor: this appliance has no
#      registry and its live file cannot be read), audit verify, the restore recorded.
#   5. An upgrade with a migration: the previous release (this tree without its newest
#      migration, built by build-debs.sh as version ~prev1) installed in a second fresh
#      root, an armoury and a count made with it, then the current packages installed
#      over it: the postinst's muster migrate takes a backup and migrates, and the
#      data is all there at the newest schema.
#
# The previous release's reconcile needs the newest migration (the tree's code is the
# current one), so its count is closed there and reconciled after the upgrade: that
# also shows the migration filled its table from the markings the old file held.
#
# Needs root (chroot, mounts), mmdebstrap and the mirror; skipped (77) without them
# outside CI. The roots are removed at the end (never while anything is mounted in
# them); the tarball and archives stay in BUILD/install-root-cache.
#
# Usage: test-install-root.sh BUILD_DIR DEBS_DIR   (DEBS_DIR: build-debs.sh's output)
# Environment: MUSTER_INSTALL_KIOSK=no leaves muster-kiosk out of the fresh install.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=debian-root.sh
source "$here/debian-root.sh" "$@"
DB=/var/lib/muster/armoury.db
ADMIN_PIN=123456
PIN=1234

debian_root_requirements jq sqlite3
debian_base_root

# mu [VAR=VALUE...] ARG...: muster, as the muster user, on the appliance's database.
mu() {
  local vars=()
  while [[ $# -gt 0 && $1 == [A-Z]*=* ]]; do
    vars+=("$1")
    shift
  done
  in_root runuser -u muster -- /usr/bin/env "MUSTER_DB=$DB" "${vars[@]}" muster "$@"
}

# A copy of the appliance's database (and its WAL), to read with sqlite3 without
# leaving root-owned files beside the live one.
db_copy() {
  local f
  rm -f "$work/q.db" "$work/q.db-wal"
  for f in "$root$DB" "$root$DB-wal"; do
    [[ ! -f $f ]] || cp "$f" "$work/q.db${f#"$root$DB"}"
  done
  echo "$work/q.db"
}
q() { sqlite3 -batch -noheader "$(db_copy)" "$1"; }

# An armoury with people and the small test armoury's records; a count of it, scanned
# and closed. Prints the count's id.
make_armoury() { # code
  mu MUSTER_PIN=$ADMIN_PIN init --code "$1" --name "Install test" --admin admin >/dev/null ||
    die "muster init failed in the root"
  local u name role
  for u in "sue supervisor" "bob staff" "carol staff" "vic supervisor"; do
    read -r name role <<<"$u"
    mu MUSTER_PIN=$ADMIN_PIN MUSTER_NEW_PIN=$PIN user add --user admin --role "$role" "$name" \
      >/dev/null || die "muster user add $name failed"
  done
  cp "$top/tests/data/small-armoury.csv" "$root/tmp/armoury.csv"
  chmod 644 "$root/tmp/armoury.csv"
  mu MUSTER_PIN=$ADMIN_PIN item import --user admin /tmp/armoury.csv >/dev/null ||
    die "muster item import failed"
  local count
  count="$(mu MUSTER_PIN=$PIN MUSTER_WITNESS_PIN=$PIN --json count start --user bob \
    --witness carol --all | jq -r .id)" || die "muster count start failed"
  printf '@R1/A\n04A1B2C3D4E501\nGLK-1003\n@R1/B\n04A1B2C3D4E504\nFN-2002\nUNKNOWN-1\n' |
    mu MUSTER_PIN=$PIN count scan --user bob "$count" >/dev/null || die "muster count scan failed"
  mu MUSTER_PIN=$PIN count close --user bob "$count" >/dev/null || die "muster count close failed"
  echo "$count"
}

reconcile_kinds() { # count
  mu MUSTER_PIN=$PIN count reconcile --user sue "$1" >/dev/null || return 1
  mu --json count discrepancies "$1" | jq -r '.[].kind' | sort | uniq -c |
    awk '{print $2"="$1}' | tr '\n' ' '
}

# --- 1. a fresh install of the current packages, and a day's work on it -----------

kiosk=()
[[ ${MUSTER_INSTALL_KIOSK:-yes} == no ]] || kiosk=("$(deb_of muster-kiosk)")

start=$SECONDS
new_root fresh
took "base root unpacked" $start
start=$SECONDS
in_root apt-get update -q >"$work/apt.log" 2>&1 || die "apt-get update failed in the root: $(tail -n 5 "$work/apt.log")"
apt_install "$(deb_of muster)" "$(deb_of muster-registry)" "${kiosk[@]}"
took "apt-get install muster muster-registry${kiosk:+ muster-kiosk} (with their dependencies)" $start
echo "# packages in the root: $(in_root dpkg-query -W -f '.\n' | wc -l)"

for p in muster muster-registry ${kiosk:+muster-kiosk}; do
  check_eq "install ok installed" "$(in_root dpkg-query -W -f '${Status}' "$p" 2>&1)" "$p is installed"
done
check "user muster exists (sysusers)" in_root getent passwd muster
check "group muster exists (sysusers)" in_root getent group muster
check "user muster-registry exists (sysusers)" in_root getent passwd muster-registry
check_eq "700 muster:muster" "$(stat_in_root /var/lib/muster)" "/var/lib/muster"
check_eq "700 muster:muster" "$(stat_in_root /var/lib/muster/backups)" "/var/lib/muster/backups"
conffiles="$(in_root dpkg-query -W -f '${Conffiles}\n' muster | awk 'NF {print $1}' | sort | tr '\n' ' ')"
check_eq "/etc/muster/muster.conf /etc/muster/readers.conf /etc/muster/scanners.conf " \
  "$conffiles" "the conffiles of muster"
for f in /etc/muster/muster.conf /etc/muster/readers.conf /etc/muster/scanners.conf \
  /lib/udev/rules.d/70-muster-readers.rules /lib/systemd/system/muster-sync.service \
  /lib/systemd/system/muster-backup.service /lib/systemd/system/muster-backup.timer \
  /lib/systemd/system/muster-registry.service /usr/share/man/man1/muster.1.gz \
  /usr/share/man/man5/muster.conf.5.gz /usr/share/man/man5/readers.conf.5.gz \
  /usr/share/man/man8/muster-registry.8.gz /usr/share/bash-completion/completions/muster \
  ${kiosk:+/lib/systemd/system/muster-kiosk.service /usr/share/man/man1/muster-kiosk.1.gz}; do
  check "$f is installed" test -f "$root$f"
done
check "the backup timer is enabled" test -L "$root/etc/systemd/system/timers.target.wants/muster-backup.timer"
if [[ -n ${kiosk:-} ]]; then
  check "the kiosk is enabled" test -L "$root/etc/systemd/system/graphical.target.wants/muster-kiosk.service"
  check "muster-kiosk runs in the root (--help)" in_root muster-kiosk --help
fi

start=$SECONDS
count="$(make_armoury INST-01)" || exit 1
check_eq "600 muster:muster" "$(stat_in_root $DB)" "$DB"
kinds="$(reconcile_kinds "$count")"
check "reconciled: missing, wrong location, unknown and the duplicate serial ($kinds)" \
  test "${kinds#*duplicate_marking=1}" != "$kinds" -a "${kinds#*missing=}" != "$kinds" \
  -a "${kinds#*unknown_marking=1}" != "$kinds"
check "muster demo: a whole count, reconciled, every planted problem found" \
  mu demo --db /var/lib/muster/demo.db --items 200
took "init, a count, muster demo" $start

start=$SECONDS
backup="$(mu --json backup | jq -r .file)" || die "muster backup failed"
check "the backup is in /var/lib/muster/backups ($backup)" test -f "$root$backup"
check "the backup has its manifest" test -f "$root${backup%.muster-backup}.manifest.json"
check_eq "600 muster:muster" "$(stat_in_root "$backup")" "the backup's mode and owner"
check "audit verify passes before the damage" mu audit verify
items_before="$(mu item export | sha256sum)"

# The damage: a stretch of the file's middle overwritten, as a failing disk leaves it.
size=$(stat -c %s "$root$DB")
dd if=/dev/urandom of="$root$DB" bs=1024 seek=$((size / 2048)) count=$((size / 4096)) \
  conv=notrunc status=none
rm -f "$root$DB-wal" "$root$DB-shm"
verify_status=0
mu audit verify >/dev/null 2>&1 || verify_status=$?
check "audit verify fails on the damaged database (exit $verify_status)" test $verify_status -ne 0

mu MUSTER_PIN=$ADMIN_PIN restore --user admin --no-registry-anchor "$backup" >"$work/restore.out" 2>&1 ||
  { cat "$work/restore.out"; fail "muster restore of $backup"; }
sed 's/^/# restore: /' "$work/restore.out"
check "audit verify passes after the restore" mu audit verify
check_eq "$items_before" "$(mu item export | sha256sum)" "the records are as backed up"
check_eq "reconciled" "$(mu --json count show "$count" | jq -r .state)" "the count is as backed up"
check_eq 1 "$(q "SELECT count(*) FROM audit_log WHERE action = 'store.restore'")" \
  "the restore is in the audit log"
check "the damaged file was kept beside it" compgen -G "$root$DB.replaced-*"
took "backup, damage, restore, verify" $start
in_root apt-get autoclean -q >/dev/null 2>&1 || true # keeps the archives cache bounded

# --- 2. an upgrade from the previous release, with a migration ---------------------

newest="$(basename "$(ls "$top"/db/migrations/[0-9]*.sql | sort | tail -n 1)")"
latest=$((10#${newest%%-*}))
current_version="$(dpkg-deb -f "$(deb_of muster)" Version)"
previous_version="${current_version}~prev1"
prev="$build/debs-prev"
start=$SECONDS
MUSTER_DEB_VERSION="$previous_version" MUSTER_DEB_WITHOUT_MIGRATION="$newest" \
  MUSTER_DEB_LINTIAN=no "$top/packaging/build-debs.sh" "$prev" >"$work/build-prev.log" 2>&1 || {
  tail -n 30 "$work/build-prev.log"
  die "building the previous release ($previous_version, without $newest) failed"
}
took "the previous release built ($previous_version, without $newest)" $start

start=$SECONDS
new_root upgrade
in_root apt-get update -q >"$work/apt.log" 2>&1 || die "apt-get update failed in the root"
apt_install "$(deb_of muster "$prev")"
check_eq "$previous_version" "$(version_of muster)" "the previous release is installed"
count="$(make_armoury UPG-01)" || exit 1
check_eq $((latest - 1)) "$(q 'PRAGMA user_version')" "the previous release's schema"
items_before="$(mu item export | sha256sum)"
users_before="$(mu user list | sha256sum)"
scans_before="$(q "SELECT count(*) FROM scan")"
audit_before="$(q "SELECT count(*) FROM audit_log")"

apt_install "$(deb_of muster)"
sed -n 's/^/# apt: /p' "$work/apt.log" | grep -i -E 'muster|migrat|backup' || true
took "the previous release installed, used, upgraded" $start
check_eq "$current_version" "$(version_of muster)" "the current release is installed over it"
check_eq "$latest" "$(q 'PRAGMA user_version')" "the schema is at the newest migration ($newest)"
check_eq "600 muster:muster" "$(stat_in_root $DB)" "$DB after the upgrade"
upgrade_backup="$(ls "$root"/var/lib/muster/backups/*.muster-backup 2>/dev/null | head -n 1)"
check "the upgrade took a backup first" test -n "$upgrade_backup"
if [[ -n $upgrade_backup ]]; then
  check_eq "upgrade $((latest - 1))" \
    "$(jq -r '"\(.reason) \(.schema_version)"' "${upgrade_backup%.muster-backup}.manifest.json")" \
    "the backup's reason and schema, in its manifest"
fi
check_eq "$items_before" "$(mu item export | sha256sum)" "the records are kept"
check_eq "$users_before" "$(mu user list | sha256sum)" "the people are kept"
check_eq "$scans_before" "$(q "SELECT count(*) FROM scan")" "the count's scans are kept"
check "the audit log kept every entry (then the backup's and the migration's)" \
  test "$(q "SELECT count(*) FROM audit_log")" -ge "$audit_before"
check_eq "CZ-5001" "$(q "SELECT group_concat(value) FROM marking_repeat")" \
  "the migration filled its table from the markings the old file held"
kinds="$(reconcile_kinds "$count")"
check "the count closed before the upgrade reconciles after it, the duplicate serial found through the migrated table ($kinds)" \
  test "${kinds#*duplicate_marking=1}" != "$kinds"
check "audit verify passes after the upgrade" mu audit verify
in_root apt-get autoclean -q >/dev/null 2>&1 || true

# --- 3. a next release whose migration fails, and the way back ---------------------

failing="$work/$(printf '%03d' $((latest + 1)))-fails-half-way.sql"
cat >"$failing" <<'EOF'
-- A migration that fails half-way, as one written against another schema would: its
-- first statement works, its second cannot.
CREATE TABLE half_done (id INTEGER PRIMARY KEY);
INSERT INTO no_such_table VALUES (1);
EOF
next_version="${current_version}+next1"
start=$SECONDS
MUSTER_DEB_VERSION="$next_version" MUSTER_DEB_WITH_MIGRATION="$failing" MUSTER_DEB_LINTIAN=no \
  "$top/packaging/build-debs.sh" "$build/debs-next" >"$work/build-next.log" 2>&1 || {
  tail -n 30 "$work/build-next.log"
  die "building the next release ($next_version, with $(basename "$failing")) failed"
}
took "the next release built ($next_version, with a migration that fails)" $start

dump_before="$(q .dump | sha256sum)"
backups_before="$(ls "$root"/var/lib/muster/backups/*.muster-backup | wc -l)"
start=$SECONDS
if (apt_install "$(deb_of muster "$build/debs-next")") >/dev/null 2>&1; then
  fail "the upgrade to $next_version succeeded, though its migration cannot"
else
  ok "the upgrade to $next_version fails: its migration cannot run"
fi
took "the next release's upgrade tried" $start
grep -i -E 'muster.*(migrat|backup|no such)' "$work/apt.log" | sed 's/^/# apt: /' || true
check "apt's output names the migration's error (no such table)" \
  grep -q "no such table: no_such_table" "$work/apt.log"
check "apt's output says nothing was migrated" grep -q "Nothing was migrated" "$work/apt.log"
check_eq "install ok half-configured" "$(in_root dpkg-query -W -f '${Status}' muster 2>&1)" \
  "dpkg leaves muster half-configured, for the technician to see"
check_eq "$dump_before" "$(q .dump | sha256sum)" "the database is as it was: the old file left in place"
check_eq "$latest" "$(q 'PRAGMA user_version')" "its schema is the one before the failed migration"
check_eq "" "$(q "SELECT name FROM sqlite_master WHERE name = 'half_done'")" \
  "nothing of the half-run migration is in it"
# The backup's own check migrates a scratch copy first (a copy of an older schema is
# verified at the newest): the migration fails there, before the live file is touched,
# and no backup that could not be checked is kept, nor any scratch file.
check_eq "$backups_before" "$(ls "$root"/var/lib/muster/backups/*.muster-backup | wc -l)" \
  "no unchecked backup is kept"
check_eq "" "$(ls -A "$root"/var/lib/muster/backups | grep -v -E '\.(muster-backup|manifest\.json)$' || true)" \
  "no scratch or partial file is left in the backup folder"

start=$SECONDS
apt_install --allow-downgrades "$(deb_of muster)"
took "the release that worked reinstalled" $start
check_eq "$current_version" "$(version_of muster)" "the release that worked is back"
check_eq "$items_before" "$(mu item export | sha256sum)" "the records are all there"
check "audit verify passes on the old file" mu audit verify
in_root apt-get autoclean -q >/dev/null 2>&1 || true

remove_root
rm -f "$work/q.db" "$work/q.db-wal"
exit $status
