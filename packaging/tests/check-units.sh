#!/usr/bin/env bash
#
# check-units.sh: checks the appliance's systemd units and layout as installed, with
# systemd's own tools: `systemd-analyze verify` (syntax, every ExecStart= program
# present, every Documentation= man page present; any message at all fails),
# `systemd-analyze security --offline` (the exposure of each service: at most 3.0, the
# kiosk's compositor included, since it stays under it; the figures are in
# packaging/README.md), the user and folders sysusers.d and tmpfiles.d make, and the
# journal catalog compiling.
#
# Usage: check-units.sh --build BUILD_DIR   install BUILD_DIR's tree (prefix /usr) into a
#                                           scratch root and check it
#        check-units.sh --debs DIR          unpack the .debs of DIR into the root instead
#
# verify runs against the scratch root (--root): the host's own units are copied beside
# ours (the targets and sockets ours name), and cage, which muster-kiosk.service runs,
# is copied from the host, so cage must be installed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../tests/support/missing.sh
source "$here/../../tests/support/missing.sh"

max_exposure=3.0

die() {
  echo "FAIL: $*" >&2
  exit 1
}

[[ $# -eq 2 ]] || die "usage: $0 --build BUILD_DIR | --debs DIR"
missing_command systemd-analyze "apt-get install systemd"
missing_command journalctl "apt-get install systemd"
missing_command /usr/bin/cage "apt-get install cage (muster-kiosk.service runs it)"

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT

case $1 in
--build)
  missing_command scdoc "apt-get install scdoc (the man pages the units' Documentation= names)"
  DESTDIR="$root" cmake --install "$2" --prefix /usr >/dev/null ||
    die "cmake --install $2 failed (build it first: cmake --build $2)"
  ;;
--debs)
  shopt -s nullglob
  debs=("$2"/*.deb)
  [[ ${#debs[@]} -gt 0 ]] || die "no .deb in $2 (run packaging/build-debs.sh $2)"
  for deb in "${debs[@]}"; do
    dpkg-deb -x "$deb" "$root"
  done
  ;;
*) die "usage: $0 --build BUILD_DIR | --debs DIR" ;;
esac

unitdir="$root/lib/systemd/system"
mapfile -t units < <(cd "$unitdir" && ls muster-*.service muster-*.timer)
[[ " ${units[*]} " == *" muster-sync.service "* && " ${units[*]} " == *" muster-backup.timer "* ]] ||
  die "muster-sync.service and muster-backup.timer are not in $unitdir (found: ${units[*]:-none})"
cp -an /lib/systemd/system/. "$unitdir/"
mkdir -p "$root/usr/bin"
cp /usr/bin/cage "$root/usr/bin/cage"

status=0
for unit in "${units[@]}"; do
  out="$(cd "$unitdir" && MANPATH="$root/usr/share/man" \
           systemd-analyze verify --root="$root" "$unit" 2>&1)" || true
  if [[ -n $out ]]; then
    echo "not ok - verify $unit:"
    sed 's/^/    /' <<<"$out"
    status=1
  else
    echo "ok - verify $unit"
  fi
done

for unit in "${units[@]}"; do
  [[ $unit == *.service ]] || continue
  line="$(systemd-analyze security --offline=yes --root="$root" "$unitdir/$unit" 2>&1 |
            grep 'Overall exposure level')" || die "systemd-analyze security $unit printed no level"
  level="$(sed -n 's/.*: \([0-9.]*\) .*/\1/p' <<<"$line")"
  if awk -v l="$level" -v m="$max_exposure" 'BEGIN { exit !(l <= m) }'; then
    echo "ok - security $unit: exposure $level (at most $max_exposure)"
  else
    echo "not ok - security $unit: exposure $level, above $max_exposure"
    status=1
  fi
done

# The layout: sysusers.d makes the user, tmpfiles.d its folders, 0700 and its own.
missing_command systemd-sysusers "apt-get install systemd"
systemd-sysusers --root="$root" >/dev/null 2>&1 || die "systemd-sysusers --root failed"
systemd-tmpfiles --root="$root" --create muster.conf || die "systemd-tmpfiles --root --create muster.conf failed"
ids="$(awk -F: '$1 == "muster" { print $3 ":" $4 }' "$root/etc/passwd")"
[[ -n $ids ]] || die "sysusers.d made no user muster"
for dir in var/lib/muster var/lib/muster/backups run/muster; do
  got="$(stat -c '%a %u:%g' "$root/$dir" 2>/dev/null || echo missing)"
  if [[ $got == "700 $ids" ]]; then
    echo "ok - /$dir is 0700 muster:muster"
  else
    echo "not ok - /$dir: $got, want 700 $ids (muster:muster)"
    status=1
  fi
done

# The journal catalog: it compiles, and each of its entries is there by its ID.
mkdir -p "$root/var/lib/systemd"
out="$(journalctl --root="$root" --update-catalog 2>&1)" || die "journalctl --update-catalog: $out"
ids="$(grep -c '^-- [0-9a-f]\{32\}$' "$root/usr/lib/systemd/catalog/muster.catalog")"
listed="$(journalctl --root="$root" --list-catalog 2>/dev/null | grep -c ' muster: ' || true)"
if [[ $ids -eq 9 && $listed -eq 9 ]]; then
  echo "ok - catalog: 9 entries"
else
  echo "not ok - catalog: $ids entries in the file, $listed in the compiled catalog (want 9)"
  status=1
fi
exit $status
