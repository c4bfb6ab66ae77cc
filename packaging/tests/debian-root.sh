# shellcheck shell=bash
# debian-root.sh: a fresh Debian 12 root for the packaging tests, sourced by
# test-install-root.sh (the packages installed and used in a chroot); kept apart so a
# test that boots the same root as an appliance can make it the same way.
#
# A base root (mmdebstrap, variant apt: Essential packages and apt, nothing else) from
# the Debian mirror this machine's apt uses, kept as a tarball in the build folder under
# the day and the mirror, so a second run the same day only unpacks it. apt's downloaded
# archives are kept beside it (bind-mounted into each root). Packages go in with apt,
# so their Depends are resolved from the archive, as on an appliance.
#
# The caller sets $here (its own folder, packaging/tests) and sources this with its
# arguments, BUILD_DIR DEBS_DIR: this sets $top (the source tree), $build and $debs
# (build-debs.sh's output) and sources tests/support/missing.sh. The caller then calls
# debian_root_requirements and debian_base_root; new_root NAME unpacks a root at $root
# and mounts /proc and /dev in it, remove_root (also on EXIT) unmounts and removes it.
# TAP helpers: ok, fail, check, check_eq, die, took; $status is 1 once anything failed.

top="$(cd "$here/../.." && pwd)"
# shellcheck source=../../tests/support/missing.sh
source "$top/tests/support/missing.sh"
build="$(realpath "${1:?usage: $0 BUILD_DIR DEBS_DIR}")"
debs="$(realpath "${2:?usage: $0 BUILD_DIR DEBS_DIR}")"
work="$build/${debian_root_work:-install-root}"
cache="$build/install-root-cache"

# What every root needs: root itself (chroot, mount), the tools, and mounts allowed.
debian_root_requirements() {
  [[ $(id -u) == 0 ]] || missing "not root" "the packaging tests need chroot and mount: run them as root"
  local tool
  for tool in mmdebstrap chroot mount unshare curl "$@"; do
    missing_command "$tool" "packaging/install-deps.sh installs it (packaging/debian-packages.txt)"
  done
  compgen -G "$debs/muster_*.deb" >/dev/null ||
    missing "no packages in $debs (ctest packaging/build-debs makes them, and was skipped?)" \
      "packaging/build-debs.sh $debs"
  unshare --mount true 2>/dev/null ||
    missing "mounts are not allowed here (a container without CAP_SYS_ADMIN?)" \
      "the packaging tests mount /proc and /dev in their root: run them where root may mount"
}

status=0
fail() {
  echo "not ok - $*"
  status=1
}
ok() { echo "ok - $*"; }
check() { # description command...: its output shown only when it fails
  local what="$1" out
  shift
  if out="$("$@" 2>&1)"; then
    ok "$what"
  else
    fail "$what"
    printf '%s\n' "$out" | sed 's/^/#   /'
  fi
}
check_eq() { # want got description
  if [[ $1 == "$2" ]]; then ok "$3"; else fail "$3: want '$1', got '$2'"; fi
}
die() { # on stderr too: it may be called inside $(...)
  echo "not ok - $*" >&2
  exit 1
}
took() { # what since
  printf '# %s: %d s\n' "$1" $((SECONDS - $2))
}

# --- the mirror and the cached base root -------------------------------------------

# The bookworm suites of this machine's apt sources (one-line and deb822), as
# "deb URI SUITE COMPONENTS" lines for mmdebstrap.
host_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    sed -n -E 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+(bookworm(-updates|-security)?)[[:space:]]+(.*)$/deb \2 \3 \5/p' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk 'function flush(   n, i, s) {
           if (types ~ /(^| )deb( |$)/ && uris != "") {
             n = split(suites, s, " ")
             for (i = 1; i <= n; i++)
               if (s[i] ~ /^bookworm(-updates|-security)?$/) print "deb " uris " " s[i] " " comps
           }
           types = uris = suites = comps = ""
         }
         /^[[:space:]]*$/ { flush(); next }
         /^Types:/ { sub(/^Types:[[:space:]]*/, ""); types = $0 }
         /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $1 }
         /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
         /^Components:/ { sub(/^Components:[[:space:]]*/, ""); comps = $0 }
         END { flush() }' "$f"
  done
}

# debian_base_root: $base, the cached base root's tarball (made when missing).
debian_base_root() {
  local sources main_uri key start
  mapfile -t sources < <(host_sources | sort -u)
  if [[ ${#sources[@]} -eq 0 ]]; then
    sources=("deb http://deb.debian.org/debian bookworm main"
             "deb http://deb.debian.org/debian bookworm-updates main"
             "deb http://deb.debian.org/debian-security bookworm-security main")
  fi
  main_uri="$(printf '%s\n' "${sources[@]}" | awk '$3 == "bookworm" {print $2; exit}')"
  curl -fsS -o /dev/null --max-time 20 "${main_uri%/}/dists/bookworm/InRelease" ||
    missing "the Debian mirror ${main_uri} cannot be reached (no network?)" \
      "the install test downloads Debian 12 from the mirror in /etc/apt/sources.list*"

  key="$(date -u +%Y%m%d)-$(printf '%s\n' "${sources[@]}" | sha256sum | cut -c1-12)"
  base="$cache/bookworm-apt-$key.tar"
  mkdir -p "$cache/archives/partial" "$work"
  if [[ ! -f $base ]]; then
    start=$SECONDS
    rm -f "$cache"/bookworm-apt-*.tar # an older day's or another mirror's
    mmdebstrap --quiet --variant=apt --format=tar bookworm "$base.part" "${sources[@]}" ||
      die "mmdebstrap could not make a Debian 12 root from ${sources[*]}"
    mv "$base.part" "$base"
    took "mmdebstrap (cold: base root made, $(du -m "$base" | cut -f1) MiB)" $start
  else
    echo "# base root: $base (cached)"
  fi
}

# --- a root: unpacked, mounted, entered, removed -----------------------------------

root=""
mounts=()

unmount_all() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount -R "${mounts[i]}" 2>/dev/null || umount -R -l "${mounts[i]}" || true
  done
  mounts=()
}

mounted_below() { # dir: the mount points below it, deepest first
  awk -v d="$1/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r
}

# Removes the root, but never while anything is still mounted below it (the host's
# /dev is bind-mounted there).
remove_root() {
  [[ -n $root && -d $root ]] || return 0
  unmount_all
  if [[ -n $(mounted_below "$root") ]]; then
    echo "# $root still has mounts; left in place" >&2
    return 0
  fi
  rm -rf --one-file-system "$root"
  root=""
}
trap remove_root EXIT
trap 'exit 1' INT TERM

# What a run killed by ctest's timeout (SIGKILL: no trap) left mounted.
unmount_stale() {
  local m
  for m in $(mounted_below "$work"); do
    umount -R -l "$m" || true
  done
  [[ -z $(mounted_below "$work") ]] || die "$work still has mounts: $(mounted_below "$work")"
}

mount_in_root() { # mount's arguments, the target last
  mount "$@" || die "mount $* failed"
  mounts+=("${*: -1}")
}

new_root() { # name
  remove_root
  unmount_stale
  root="$work/$1"
  rm -rf --one-file-system "$root"
  mkdir -p "$root"
  tar -C "$root" -xf "$base"
  mount_in_root -t proc proc "$root/proc"
  mount_in_root --rbind /dev "$root/dev"
  mount --make-rslave "$root/dev"
  mount_in_root --bind "$cache/archives" "$root/var/cache/apt/archives"
  # Nothing is started in the root (as debian-installer and mmdebstrap do it).
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  mkdir -p "$root/tmp/debs"
}

in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

# apt_install [APT-OPTION...] DEB...: the .deb files copied into the root and installed
# by apt, which resolves their Depends from the archive (Recommends left out:
# postgresql); the log in $work/apt.log.
apt_install() {
  local f opts=() names=()
  for f; do
    if [[ $f == -* ]]; then
      opts+=("$f")
      continue
    fi
    cp "$f" "$root/tmp/debs/"
    names+=("/tmp/debs/$(basename "$f")")
  done
  in_root apt-get install -y -q --no-install-recommends "${opts[@]}" "${names[@]}" \
    >"$work/apt.log" 2>&1 || {
    tail -n 40 "$work/apt.log"
    die "apt-get install ${names[*]} failed (log: $work/apt.log)"
  }
}

deb_of() { # package [debs-dir]
  local f
  f="$(ls "${2:-$debs}/$1"_*.deb 2>/dev/null | head -n 1)"
  [[ -n $f ]] || die "no $1 package in ${2:-$debs} (packaging/build-debs.sh builds it)"
  echo "$f"
}
stat_in_root() { in_root stat -c '%a %U:%G' "$1" 2>&1; }
version_of() { in_root dpkg-query -W -f '${Version}' "$1" 2>/dev/null; }
