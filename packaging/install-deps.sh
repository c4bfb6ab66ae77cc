#!/usr/bin/env bash
#
# install-deps.sh: installs the Debian 12 packages Muster needs to build, test, fuzz and
# benchmark, and only those that are missing.
#
# The list lives in packaging/debian-packages.txt so there is one source of truth for
# the README, CI and this script. Nothing is touched (no apt-get update, no sudo prompt)
# when everything is already installed, so demo.sh and test.sh can call this every time.
#
# Usage: packaging/install-deps.sh [--check]
#   --check   only report what is missing; exit 1 if anything is.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list="$here/debian-packages.txt"

die() {
  printf 'install-deps: %s\n' "$*" >&2
  exit 1
}

# Package names from the list: comments and blank lines dropped.
read_packages() {
  sed -e 's/#.*//' -e 's/[[:space:]]\+//g' "$list" | grep -v '^$'
}

is_installed() {
  dpkg-query -W -f='${db:Status-Status}\n' "$1" 2>/dev/null | grep -qx installed
}

# Prints the command prefix that gives root, or fails saying how to get it.
root_prefix() {
  if [[ $EUID -eq 0 ]]; then
    return 0
  fi
  if command -v sudo >/dev/null 2>&1; then
    printf 'sudo\n'
    return 0
  fi
  die "these packages are missing and installing them needs root, but you are not root" \
      "and sudo is not installed. Run as root:
  apt-get update && apt-get install -y --no-install-recommends $*"
}

main() {
  local check_only=0
  case "${1:-}" in
  --check) check_only=1 ;;
  "") ;;
  *) die "unknown argument '$1'. Usage: $0 [--check]" ;;
  esac

  [[ -r $list ]] || die "cannot read the package list $list"
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    die "dpkg-query and apt-get were not found. Muster's scripts support Debian 12;" \
        "on another system install the packages listed in $list by hand."
  fi

  local -a wanted missing=()
  mapfile -t wanted < <(read_packages)
  local pkg
  for pkg in "${wanted[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
  done

  if [[ ${#missing[@]} -eq 0 ]]; then
    printf 'install-deps: all %d packages are installed.\n' "${#wanted[@]}"
    return 0
  fi
  printf 'install-deps: missing %d of %d packages: %s\n' \
    "${#missing[@]}" "${#wanted[@]}" "${missing[*]}"
  if [[ $check_only -eq 1 ]]; then
    return 1
  fi

  local prefix
  prefix="$(root_prefix "${missing[@]}")"
  # Word splitting of $prefix is wanted: it is empty or "sudo".
  # shellcheck disable=SC2086
  $prefix apt-get update ||
    die "'apt-get update' failed (see above). Check the network and /etc/apt/sources.list."
  # shellcheck disable=SC2086
  $prefix env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" ||
    die "apt-get could not install ${missing[*]} (see above). This list is for Debian 12;" \
        "on another release a package may have another name ($list)."

  for pkg in "${missing[@]}"; do
    is_installed "$pkg" || die "apt-get finished but '$pkg' is still not installed."
  done
  printf 'install-deps: installed %s\n' "${missing[*]}"
}

main "$@"
