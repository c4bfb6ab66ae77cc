#!/usr/bin/env bash
#
# demo.sh: the README's first command. From a fresh clone on Debian 12 it installs what
# is missing, builds a Release `muster` into ./build and runs `muster demo`, which creates
# a demo armoury database, counts it from the simulated reader and prints the
# reconciliation. Arguments are passed on to `muster demo` (see `muster demo --help`).
#
# When a screen is present (X11 or Wayland) and the kiosk has been built, the kiosk is
# opened afterwards; on a headless machine the demo ends with the printed reconciliation.
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

run_demo() {
  log "running: muster demo $*"
  "$build_dir/muster" demo "$@"
}

has_display() {
  [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]
}

# The kiosk is a separate program (muster-kiosk); nothing is opened until it is built.
kiosk_available() {
  has_display && [[ -x $build_dir/muster-kiosk ]]
}

main() {
  install_deps
  build
  run_demo "$@"
  if kiosk_available; then
    log "opening the kiosk"
    "$build_dir/muster-kiosk"
  fi
}

main "$@"
