#!/usr/bin/env bash
# bench-packages.sh [--quick] [--debs DIR] [--rebuild]: the sizes of the Debian packages
# (issue 11). See bench/README.md.
#
# Reads the .debs packaging/build-debs.sh leaves in build/debs, building them first when
# there are none there (or with --rebuild; a few minutes, and more on a busy machine:
# MUSTER_DEB_JOBS says how many jobs). For each package: the .deb's size and its
# Installed-Size (dpkg-deb's field: what it takes on the appliance's disk, in KiB), as
# key=value lines <package>_deb_kib and <package>_installed_kib ('-' as '_'), and the
# totals over muster, muster-kiosk and muster-registry. --quick changes nothing: the
# packages are what they are. Exits 1 when a package is missing.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

debs=$top/build/debs
rebuild=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) ;;
    --debs) debs=$2; shift ;;
    --rebuild) rebuild=1 ;;
    --dir) shift ;; # run.sh passes it to every benchmark; nothing goes to a temp folder
    -h | --help)
      echo "usage: bench-packages.sh [--quick] [--debs DIR] [--rebuild]"
      echo "  --debs DIR  where the .debs are (build/debs); built there when there are none"
      echo "  --rebuild   build them again first (packaging/build-debs.sh)"
      exit 0 ;;
    *) echo "bench-packages.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

packages=(muster muster-kiosk muster-registry)
deb_of() { compgen -G "$debs/$1_*.deb" | sort -V | tail -n1; }

if [[ $rebuild == 1 || -z $(deb_of muster) ]]; then
  echo "building the packages into $debs (packaging/build-debs.sh)" >&2
  "$top/packaging/build-debs.sh" "$debs" >&2
fi

echo "bench=packages"
echo "debs_dir=$debs"
total_deb=0 total_inst=0 missing=()
for p in "${packages[@]}"; do
  deb=$(deb_of "$p")
  if [[ -z $deb ]]; then
    missing+=("$p")
    continue
  fi
  key=${p//-/_}
  deb_kib=$((($(stat -c %s "$deb") + 1023) / 1024))
  inst_kib=$(dpkg-deb -f "$deb" Installed-Size)
  echo "${key}_version=$(dpkg-deb -f "$deb" Version)"
  echo "${key}_built=$(date -u -r "$deb" +%Y-%m-%dT%H:%MZ)"
  echo "${key}_deb_kib=$deb_kib"
  echo "${key}_installed_kib=$inst_kib"
  total_deb=$((total_deb + deb_kib))
  total_inst=$((total_inst + inst_kib))
done
# the debug symbols, built beside them, are not installed on an appliance: shown apart
dbg_kib=0
for f in "$debs"/*.ddeb "$debs"/*-dbgsym_*.deb; do
  [[ -e $f ]] && dbg_kib=$((dbg_kib + ($(stat -c %s "$f") + 1023) / 1024))
done
echo "dbgsym_deb_kib=$dbg_kib"
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "bench-packages.sh: no .deb of ${missing[*]} in $debs" >&2
  exit 1
fi
echo "total_deb_kib=$total_deb"
echo "total_installed_kib=$total_inst"
echo
echo "== Packages in $debs =="
for p in "${packages[@]}"; do
  f=$(deb_of "$p")
  printf '%-16s %6d KiB .deb, %6d KiB installed  %s\n' "$p" \
    "$((($(stat -c %s "$f") + 1023) / 1024))" "$(dpkg-deb -f "$f" Installed-Size)" "$(basename "$f")"
done
echo "RESULT: sizes only (no goal: issue 11 sets none)"
