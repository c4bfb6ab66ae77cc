# lib.sh: helpers for the end-to-end tests of the `muster` command.
# Each test sources this, gets a fresh temp folder ($T) and a database path ($DB), and
# calls `m` to run muster. Failures print what was expected and exit non-zero.
set -euo pipefail

: "${MUSTER:?MUSTER must point at the muster binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/muster-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
export MUSTER_DB="$T/armoury.db"
DB=$MUSTER_DB
unset MUSTER_USER MUSTER_PIN MUSTER_WITNESS_PIN MUSTER_CONFIRM_PIN MUSTER_NEW_PIN

m() { "$MUSTER" "$@"; }

fail() { echo "FAIL: $*" >&2; exit 1; }

assert_eq() { # expected actual what
  [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

assert_contains() { # haystack needle what
  case "$1" in *"$2"*) ;; *) fail "$3: '$2' not in: $1" ;; esac
}

# Runs muster expecting exit status $1; prints its stderr on mismatch.
expect_status() {
  local want=$1; shift
  local rc=0
  "$MUSTER" "$@" >"$T/out" 2>"$T/err" || rc=$?
  [ "$rc" = "$want" ] || { cat "$T/out" "$T/err" >&2; fail "muster $*: exit $rc, wanted $want"; }
}

# A database with an admin (PIN 123456), a supervisor sue, staff bob and carol (PIN 1234).
setup_armoury() {
  MUSTER_PIN=123456 m init --code TEST-01 --name "Test armoury" --admin admin >/dev/null
  for u in "sue supervisor" "bob staff" "carol staff" "vic supervisor"; do
    set -- $u
    MUSTER_PIN=123456 MUSTER_NEW_PIN=1234 m user add --user admin --role "$2" "$1" >/dev/null
  done
}
