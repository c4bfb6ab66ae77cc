# test-store-cli.sh: the record store's files and secrets through the `muster` command
# (issue 10: rows 13 and 15, init validation, PINs in the environment). One function per
# hole, named after what it defends; each runs in a fresh folder.
#
# Root bypasses file permissions, so the cases that need a user the permissions bind
# run muster as 'nobody' (setpriv) when run as root, and the read-only file system is a
# tmpfs mounted read-only in a private mount namespace (unshare; a user namespace when
# not root). A case that cannot be built here is skipped (the script then exits 77),
# except under CI, where it fails (tests/support/missing.sh).
source "$MUSTER_TESTS/e2e/lib.sh"
source "$MUSTER_TESTS/support/missing.sh"

NOBODY=65534
failures=0

# "${as_user[@]}" CMD...: runs CMD as a user file permissions bind (nobody when we are
# root); with exec, CMD keeps the process id.
as_user=()
[ "$(id -u)" != 0 ] || as_user=(setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups)

# skip WHAT HOW, then return 77: the case cannot be built here (it runs in a subshell,
# so run_case reads why from $T/skip).
skip() {
  printf '%s\n%s\n' "$1" "$2" >"$T/skip"
}

run_case() { # name
  local name=$1 rc=0 what how
  rm -rf "${T:?}"/case "$T/skip" && mkdir -p "$T/case" && chmod 755 "$T" "$T/case"
  export MUSTER_DB="$T/case/armoury.db"
  DB=$MUSTER_DB
  # errexit holds inside the case only when the subshell is not part of a || list
  set +e
  (
    set -e
    "case_${name//[-\/]/_}"
  )
  rc=$?
  set -e
  case $rc in
    0) echo "ok - $name" ;;
    77) { read -r what && read -r how; } <"$T/skip"
        missing_case "$name" "$what" "$how" || failures=$((failures + 1)) ;;
    *) echo "not ok - $name"; failures=$((failures + 1)) ;;
  esac
}

mode() { stat -c %a "$1"; }

# Row 13: `muster init` under umask 022 made the file 0644: anyone read the PIN hashes.
case_store_init_private_under_umask() {
  (umask 022 && MUSTER_PIN=123456 m init --code A --admin admin >/dev/null)
  assert_eq 600 "$(mode "$DB")" "mode of a database made under umask 022"
  # a database an older version left readable to all is closed to others when opened
  chmod 644 "$DB"
  m user list >/dev/null
  assert_eq 640 "$(mode "$DB")" "mode of a world-readable database once opened"
}

# Row 15: a database on a read-only file system was called "not a Muster database...
# damaged" (exit 13).
case_store_read_only_filesystem_said_as_such() {
  MUSTER_PIN=123456 m init --code A --admin admin >/dev/null
  local ns=(unshare -m)
  [ "$(id -u)" = 0 ] || ns=(unshare -rm)
  if ! "${ns[@]}" true 2>/dev/null; then
    skip "no private mount namespace (unshare -m)" \
      "run the test as root, or where user namespaces are allowed (unshare -rm)"
    return 77
  fi
  local ro="$T/case/ro"
  mkdir "$ro"
  # shellcheck disable=SC2016
  "${ns[@]}" bash -c '
    set -e
    mount -t tmpfs -o size=16m tmpfs "$1"
    cp "$2" "$1/armoury.db"
    mount -o remount,ro "$1"
    rc=0
    MUSTER_PIN=123456 "$MUSTER" --db "$1/armoury.db" user list >"$3/out" 2>"$3/err" || rc=$?
    echo $rc >"$3/rc"
  ' _ "$ro" "$DB" "$T/case"
  assert_eq 11 "$(cat "$T/case/rc")" "exit status on a read-only file system"
  assert_contains "$(cat "$T/case/err")" "read-only" "the message"
  assert_contains "$(cat "$T/case/err")" "$ro" "the message names the folder"
}

# Row 15: a database in a folder this user may not write (no -wal or -shm can be made).
case_store_unwritable_folder_named() {
  MUSTER_PIN=123456 m init --code A --admin admin >/dev/null
  chmod 666 "$DB"
  chmod 555 "$T/case"
  local rc=0
  "${as_user[@]}" "$MUSTER" user list >"$T/out" 2>"$T/err" || rc=$?
  chmod 755 "$T/case"
  assert_eq 11 "$rc" "exit status in an unwritable folder"
  assert_contains "$(cat "$T/err")" "read-only" "the message"
  assert_contains "$(cat "$T/err")" "folder $T/case " "the message names the folder"
}

# `muster init` with an invalid admin name left a database without an admin.
case_init_invalid_admin_leaves_no_file() {
  MUSTER_PIN=123456 expect_status 3 init --code A --admin 'no spaces!'
  assert_contains "$(cat "$T/err")" "User name" "the message"
  [ ! -e "$DB" ] || fail "a database without an admin was left at $DB"
  MUSTER_PIN=12 expect_status 3 init --code A --admin admin
  [ ! -e "$DB" ] || fail "a database was left after a refused PIN"
  MUSTER_PIN=123456 expect_status 3 init --code 'A B' --admin admin
  [ ! -e "$DB" ] || fail "a database was left after a refused code"
  ! ls "$T/case" | grep -q armoury || fail "files left behind: $(ls "$T/case")"
  MUSTER_PIN=123456 m init --code A --admin admin >/dev/null
  MUSTER_PIN=123456 m user list >/dev/null
}

# MUSTER_PIN stayed in the environment (/proc/PID/environ) for the process's life, and
# the process could be dumped or traced by its user.
case_cli_pin_not_left_in_environment() {
  MUSTER_PIN=123456 m init --code A --admin admin >/dev/null
  MUSTER_PIN=123456 MUSTER_NEW_PIN=864213 m user add --user admin --role staff bob >/dev/null
  MUSTER_PIN=864213 MUSTER_WITNESS_PIN=123456 m --json count start --user bob \
    --witness admin --all >"$T/start.json"
  local count
  count=$(jq -r .id "$T/start.json")
  # a user the process's /proc files would belong to, were it dumpable
  [ "$(id -u)" = 0 ] && chown -R $NOBODY:$NOBODY "$T/case"
  mkfifo "$T/feed"
  (
    export MUSTER_PIN=864213 MUSTER_WITNESS_PIN=975310
    exec "${as_user[@]}" "$MUSTER" count scan --user bob "$count"
  ) <"$T/feed" >"$T/acks" 2>"$T/err" &
  local pid=$!
  exec 3>"$T/feed"
  echo "NO-SUCH-1" >&3
  # signed in once the first scan is acknowledged; it then waits on its input
  for _ in $(seq 300); do
    grep -q NO-SUCH-1 "$T/acks" 2>/dev/null && break
    sleep 0.1
  done
  grep -q NO-SUCH-1 "$T/acks" || { exec 3>&-; cat "$T/err" >&2; fail "no acknowledgement"; }
  local environ owner
  environ=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null || true)
  owner=$(stat -c %u "/proc/$pid/environ")
  exec 3>&-
  wait "$pid" || fail "count scan failed: $(cat "$T/err")"
  case $environ in *864213* | *975310*) fail "a PIN is still in /proc/$pid/environ" ;; esac
  # a process that is not dumpable has its /proc files owned by root
  [ "$(id -u)" != 0 ] || [ "$owner" = 0 ] || fail "count scan is dumpable (environ owned by $owner)"
  [ "$(id -u)" = 0 ] || [ -z "$environ" ] || fail "count scan is dumpable (environ readable)"
}

run_case store/init-private-under-umask
run_case store/read-only-filesystem-said-as-such
run_case store/unwritable-folder-named
run_case init/invalid-admin-leaves-no-file
run_case cli/pin-not-left-in-environment
[ "$failures" = 0 ] || { echo "$failures failed"; exit 1; }
missing_end
