#!/usr/bin/env bash
#
# demo.sh: the README's first command. From a fresh clone on Debian 12 it installs what
# is missing, builds a Release `muster` into ./build and runs `muster demo`, which creates
# a demo armoury database, counts it from the simulated reader and prints the
# reconciliation. Arguments are passed on to `muster demo` (see `muster demo --help`).
#
# When a screen is present (X11 or Wayland) and the kiosk has been built, the kiosk is
# opened afterwards on the demo's database, its simulated reader playing the feed of the
# same demo armoury (same --items/--seed), so a new count can be counted on screen. On a
# headless machine the demo ends with the printed reconciliation, as it always did.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir="$PWD/build"

log() {
  printf '\n==> %s\n' "$*"
}

install_deps() {
  log "checking the packages Muster needs"
  packaging/install-deps.sh
}

build() {
  log "building Muster (Release) in $build_dir"
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
  cmake --build "$build_dir" -j"$(nproc)"
}

has_display() {
  [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]
}

# The kiosk is a separate program (muster-kiosk); nothing is opened until it is built.
kiosk_available() {
  has_display && [[ -x $build_dir/muster-kiosk ]]
}

# The demo's output, kept when the kiosk will need the database's path from it.
demo_log=""

run_demo() {
  log "running: muster demo $*"
  if ! kiosk_available; then
    "$build_dir/muster" demo "$@"
    return
  fi
  demo_log=$(mktemp)
  trap 'rm -f "$demo_log"' EXIT
  "$build_dir/muster" demo "$@" | tee "$demo_log"
}

# demo_option LONG SHORT ARGS...: the value ARGS give to `muster demo --LONG` (or SHORT),
# empty when not given (the kiosk's defaults are the demo's).
demo_option() {
  local long=$1 short=$2 value=""
  shift 2
  while (($# > 0)); do
    case $1 in
      "--$long="*) value=${1#*=} ;;
      "--$long" | "$short") value=${2:-}; shift ;;
    esac
    shift
  done
  echo "$value"
}

# The database the demo made: its "export MUSTER_DB=" line (or "database" with --json).
demo_database() {
  sed -n -e 's/^  export MUSTER_DB=//p' \
    -e 's/^[[:space:]]*"database"[[:space:]]*:[[:space:]]*"\(.*\)",\{0,1\}$/\1/p' "$demo_log" |
    head -n1
}

open_kiosk() {
  local db items seed args=()
  db=$(demo_database)
  [[ -n $db ]] || { log "the demo did not say where its database is; not opening the kiosk"; return; }
  items=$(demo_option items -n "$@")
  seed=$(demo_option seed "" "$@")
  [[ -z $items ]] || args+=(--demo-items "$items")
  [[ -z $seed ]] || args+=(--demo-seed "$seed")
  log "opening the kiosk on $db (sign in with the PINs above; an admin leaves from the home screen)"
  "$build_dir/muster-kiosk" --db "$db" --windowed --sim-demo "${args[@]}"
}

main() {
  install_deps
  build
  run_demo "$@"
  if kiosk_available; then
    open_kiosk "$@"
  fi
}

main "$@"
