#!/usr/bin/env bash
#
# test-build-debs.sh: ctest packaging/build-debs. Builds the three packages with
# packaging/build-debs.sh into OUTDIR (lintian must give no error and no warning left
# unexplained: the script fails otherwise), then checks what they hold: each package's
# files where the appliance expects them, dependencies from the build (shlibs) and the
# ones stated, the configuration files marked conffiles, and the units as packaged
# (check-units.sh --debs).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../tests/support/missing.sh
source "$here/../../tests/support/missing.sh"

outdir="${1:?usage: $0 OUTDIR}"
for tool in dpkg-buildpackage dh lintian scdoc rsync; do
  missing_command "$tool" "packaging/install-deps.sh installs it (packaging/debian-packages.txt)"
done

status=0
check() { # description command...
  local what="$1"
  shift
  if "$@"; then
    echo "ok - $what"
  else
    echo "not ok - $what"
    status=1
  fi
}

"$here/../build-debs.sh" "$outdir"

deb() { ls "$outdir"/"$1"_*.deb; }
has_file() { dpkg-deb -c "$(deb "$1")" | awk '{print $6}' | grep -qx "./$2"; }
field() { dpkg-deb -f "$(deb "$1")" "$2"; }
conffiles() { dpkg-deb -I "$(deb "$1")" conffiles 2>/dev/null; }
postinst() { dpkg-deb --ctrl-tarfile "$(deb "$1")" | tar -xO ./postinst; }
contains_all() { # text word...
  local text="$1" word
  shift
  for word; do
    [[ $text == *"$word"* ]] || return 1
  done
}

for f in usr/bin/muster lib/systemd/system/muster-sync.service \
  lib/systemd/system/muster-backup.service lib/systemd/system/muster-backup.timer \
  lib/udev/rules.d/70-muster-readers.rules usr/lib/sysusers.d/muster.conf \
  usr/lib/tmpfiles.d/muster.conf usr/lib/systemd/catalog/muster.catalog \
  etc/muster/muster.conf etc/muster/readers.conf etc/muster/scanners.conf \
  usr/share/bash-completion/completions/muster usr/share/man/man1/muster.1.gz \
  usr/share/man/man5/muster.conf.5.gz usr/share/man/man5/readers.conf.5.gz \
  usr/share/locale/de/LC_MESSAGES/muster.mo; do
  check "muster holds /$f" has_file muster "$f"
done
for f in usr/bin/muster-kiosk lib/systemd/system/muster-kiosk.service etc/pam.d/muster-kiosk \
  usr/lib/systemd/logind.conf.d/muster-kiosk.conf usr/share/man/man1/muster-kiosk.1.gz \
  usr/share/locale/ar/LC_MESSAGES/muster-kiosk.mo usr/share/bash-completion/completions/muster-kiosk; do
  check "muster-kiosk holds /$f" has_file muster-kiosk "$f"
done
for f in usr/bin/muster-registry lib/systemd/system/muster-registry.service \
  usr/lib/sysusers.d/muster-registry.conf etc/muster-registry/registry.conf \
  usr/share/man/man8/muster-registry.8.gz usr/share/bash-completion/completions/muster-registry; do
  check "muster-registry holds /$f" has_file muster-registry "$f"
done

version="$(field muster Version)"
check "muster depends on the libraries it links, and systemd" \
  contains_all "$(field muster Depends)" libsqlite3-0 libsodium23 libnfc6 libusb-1.0-0 libcurl4 systemd
check "muster-kiosk depends on GTK 4, cage, xwayland, polkitd (logind activates its session through it) and muster (= $version)" \
  contains_all "$(field muster-kiosk Depends)" libgtk-4-1 cage xwayland polkitd procps "muster (= $version)"
check "muster-registry depends on libpq, libsoup 3 and glib-networking" \
  contains_all "$(field muster-registry Depends)" libpq5 libsoup-3.0-0 glib-networking
check "muster-registry recommends postgresql" \
  contains_all "$(field muster-registry Recommends)" postgresql
check "muster's conffiles are the three files of /etc/muster" \
  test "$(conffiles muster | sort | tr '\n' ' ')" = \
  "/etc/muster/muster.conf /etc/muster/readers.conf /etc/muster/scanners.conf "
check "muster-kiosk's conffile is its PAM service" \
  test "$(conffiles muster-kiosk)" = /etc/pam.d/muster-kiosk
check "muster's postinst makes the user, then its folders" \
  contains_all "$(postinst muster)" "systemd-sysusers" "systemd-tmpfiles"
check "muster-registry's postinst makes its user" \
  contains_all "$(postinst muster-registry)" "systemd-sysusers"
# The installed kiosk never looks for catalogues in the folder it was built in.
kiosk_reads_build_tree() {
  dpkg-deb --fsys-tarfile "$(deb muster-kiosk)" | tar -xO ./usr/bin/muster-kiosk |
    grep -aq -- "$(dirname "$outdir")/debs-work"
}
check "muster-kiosk names no folder of the build" eval '! kiosk_reads_build_tree'

"$here/check-units.sh" --debs "$outdir" || status=1
ls -l "$outdir"/*.deb
exit $status
