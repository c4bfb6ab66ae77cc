#!/usr/bin/env bash
#
# check-man-pages.sh: ctest packaging/man-pages. The man pages are written by hand
# (packaging/man/*.scd), so this keeps them true to the programs: every command that
# `muster --help` lists, and every option of each command's --help, is in muster(1);
# every option of `muster-kiosk --help` in muster-kiosk(1); every command and option of
# `muster-registry` in muster-registry(8); every key of /etc/muster/muster.conf in
# muster.conf(5), and read by a unit or a program (no key nobody reads). Then each page
# goes through scdoc and `man --warnings` without a message.
#
# Usage: check-man-pages.sh MUSTER [MUSTER_KIOSK] [MUSTER_REGISTRY]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pkg="$here/.."
# shellcheck source=../../tests/support/missing.sh
source "$here/../../tests/support/missing.sh"
missing_command scdoc "apt-get install scdoc"
missing_command man "apt-get install man-db"

muster="${1:?usage: $0 MUSTER [MUSTER_KIOSK] [MUSTER_REGISTRY]}"
kiosk="${2:-}"
registry="${3:-}"
status=0

# in_page PAGE WHAT ITEM...: each ITEM is written in PAGE (as *ITEM* or in a line).
in_page() {
  local page="$pkg/man/$1" what="$2" item missing=()
  shift 2
  for item; do
    grep -qF -- "$item" "$page" || missing+=("$item")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "ok - $(basename "$page" .scd): every $what ($#)"
  else
    echo "not ok - $(basename "$page" .scd) lacks $what: ${missing[*]}"
    status=1
  fi
}

# The --options of a --help text, without GLib's own help options.
options_of() {
  grep -o -- '--[a-z][a-z-]*' | grep -v -x -e '--help' -e '--help-all' -e '--help-global' \
    -e '--help-gapplication' | sort -u
}

mapfile -t commands < <("$muster" --help |
  sed -n '/^Commands:/,/^$/s/^  \([a-z-]\+\( [a-z-]\+\)\?\)  .*/\1/p')
[[ ${#commands[@]} -gt 20 ]] || { echo "not ok - found no commands in muster --help"; exit 1; }
in_page muster.1.scd "command of muster --help" "${commands[@]/#/*}"
for cmd in "${commands[@]}"; do
  # shellcheck disable=SC2086 # a command is one or two words
  mapfile -t opts < <("$muster" $cmd --help | options_of)
  [[ ${#opts[@]} -eq 0 ]] || in_page muster.1.scd "option of muster $cmd" "${opts[@]}"
done

if [[ -n $kiosk ]]; then
  mapfile -t opts < <("$kiosk" --help | options_of)
  in_page muster-kiosk.1.scd "option of muster-kiosk --help" "${opts[@]}"
fi

if [[ -n $registry ]]; then
  mapfile -t rcmds < <("$registry" --help 2>&1 | sed -n 's/^  \([a-z]\+\)  .*/\1/p')
  [[ ${#rcmds[@]} -gt 3 ]] || { echo "not ok - found no commands in muster-registry --help"; exit 1; }
  in_page muster-registry.8.scd "command of muster-registry" "${rcmds[@]/#/*}"
  for cmd in "${rcmds[@]}"; do
    mapfile -t opts < <("$registry" "$cmd" --help 2>&1 | options_of)
    [[ ${#opts[@]} -eq 0 ]] || in_page muster-registry.8.scd "option of muster-registry $cmd" "${opts[@]}"
  done
fi

# muster.conf: every key documented, and each read by a unit (${KEY} or the environment
# it passes on), by a program (g_getenv, or gettext's LANG and LANGUAGE), or by one a
# unit runs and gives a default with Environment= (cage's WLR_RENDERER).
mapfile -t keys < <(sed -n 's/^#\?\([A-Z_]\+\)=.*/\1/p' "$pkg/etc/muster.conf" | sort -u)
in_page muster.conf.5.scd "key of etc/muster.conf" "${keys[@]/#/*}"
top="$(cd "$pkg/.." && pwd)"
for key in "${keys[@]}"; do
  if grep -q "\${$key}" "$pkg"/systemd/*.service ||
    grep -Eq "^Environment=(.* )?$key=" "$pkg"/systemd/*.service ||
    grep -rq --include='*.c' "g_getenv(\"$key\")" "$top/app" "$top/drivers" "$top/ui" "$top/core" ||
    [[ $key == LANG || $key == LANGUAGE ]]; then
    echo "ok - muster.conf's $key is read"
  else
    echo "not ok - muster.conf's $key is read by no unit and no program"
    status=1
  fi
done

for src in "$pkg"/man/*.scd; do
  out="$(scdoc <"$src" | MANWIDTH=80 man --warnings -l - 2>&1 >/dev/null)" || true
  if [[ -n $out ]]; then
    echo "not ok - $(basename "$src"): $out"
    status=1
  else
    echo "ok - $(basename "$src") formats without a warning"
  fi
done
exit $status
