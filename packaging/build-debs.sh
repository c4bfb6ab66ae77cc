#!/usr/bin/env bash
#
# build-debs.sh: builds the Debian packages muster, muster-kiosk and muster-registry
# from this tree, runs lintian on them, and leaves them in OUTDIR (default build/debs).
#
# The debian/ sources live in packaging/debian/ so that the top level stays as it is: the
# tree (without build/ and .git) is copied to a scratch folder with packaging/debian as
# its debian/, and built there with dpkg-buildpackage -b. The scratch folder is always
# the same (OUTDIR/../debs-work) so that ccache, when installed, hits on a rebuild.
# lintian must report no error and no warning: each warning left is overridden with its
# reason in packaging/debian/*.lintian-overrides.
#
# Usage: packaging/build-debs.sh [OUTDIR]
# Environment: MUSTER_DEB_JOBS   parallel jobs (default: every processor)
#              MUSTER_DEB_VERSION  build as this package version (a changelog entry is
#                                  added to the copy: upgrade tests build two versions)
#              MUSTER_DEB_WITHOUT_MIGRATION  leave this file of db/migrations/ out of the
#                                  copy (and of db/muster.gresource.xml): the previous
#                                  release the install test upgrades from, one migration
#                                  behind
#              MUSTER_DEB_WITH_MIGRATION  add this .sql file to db/migrations/ of the
#                                  copy (and to db/muster.gresource.xml): a next release
#                                  whose migration fails, for the install test
#              MUSTER_DEB_LINTIAN  "no" skips lintian (those test releases only)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/.." && pwd)"
outdir="$(realpath -m "${1:-$top/build/debs}")"

die() {
  printf 'build-debs: %s\n' "$*" >&2
  exit 1
}

for tool in dpkg-buildpackage dh lintian rsync scdoc; do
  command -v "$tool" >/dev/null 2>&1 ||
    die "$tool is not installed: run packaging/install-deps.sh (packaging/debian-packages.txt)"
done

version="$(dpkg-parsechangelog -l "$here/debian/changelog" -S Version)"
project_version="$(sed -n 's/^project(muster VERSION \([0-9.]*\).*/\1/p' "$top/CMakeLists.txt")"
[[ ${version%%[-+~]*} == "$project_version" ]] ||
  die "packaging/debian/changelog is at $version but CMakeLists.txt at $project_version:" \
      "add a changelog entry for $project_version"
version="${MUSTER_DEB_VERSION:-$version}"

work="$(dirname "$outdir")/debs-work"
src="$work/muster"
mkdir -p "$outdir" "$work"
rm -rf "$work"/*.deb "$work"/*.ddeb "$work"/*.changes "$work"/*.buildinfo
rsync -a --delete --exclude=/build/ --exclude=/.git --exclude=/packaging/debian/ \
  "$top/" "$src/"
rsync -a --delete "$here/debian/" "$src/debian/"

if [[ -n ${MUSTER_DEB_WITHOUT_MIGRATION:-} ]]; then
  migration="${MUSTER_DEB_WITHOUT_MIGRATION##*/}"
  [[ -f $src/db/migrations/$migration ]] ||
    die "MUSTER_DEB_WITHOUT_MIGRATION: there is no db/migrations/$migration"
  rm "$src/db/migrations/$migration"
  sed -i "\\|<file>migrations/$migration</file>|d" "$src/db/muster.gresource.xml"
fi

if [[ -n ${MUSTER_DEB_WITH_MIGRATION:-} ]]; then
  migration="${MUSTER_DEB_WITH_MIGRATION##*/}"
  [[ -f $MUSTER_DEB_WITH_MIGRATION && $migration == [0-9][0-9][0-9]-*.sql ]] ||
    die "MUSTER_DEB_WITH_MIGRATION: $MUSTER_DEB_WITH_MIGRATION is not a migration (NNN-name.sql)"
  cp "$MUSTER_DEB_WITH_MIGRATION" "$src/db/migrations/"
  last="$(grep -o 'migrations/[0-9]*-[^<]*\.sql' "$src/db/muster.gresource.xml" | tail -n 1)"
  sed -i "\\|<file>$last</file>|a\\    <file>migrations/$migration</file>" "$src/db/muster.gresource.xml"
fi

if [[ -n ${MUSTER_DEB_VERSION:-} ]]; then
  entry="$(printf 'muster (%s) unstable; urgency=medium\n\n  * Built as %s by packaging/build-debs.sh.\n\n -- %s  %s\n\n' \
    "$version" "$version" "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Maintainer)" \
    "$(date -R)")"
  printf '%s\n' "$entry" | cat - "$src/debian/changelog" >"$src/debian/changelog.new"
  mv "$src/debian/changelog.new" "$src/debian/changelog"
fi

export DEB_BUILD_OPTIONS="parallel=${MUSTER_DEB_JOBS:-$(nproc)} ${DEB_BUILD_OPTIONS:-}"
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_C_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="$src"
  export CCACHE_DIR="${CCACHE_DIR:-$work/ccache}"
fi

start=$SECONDS
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 ||
  die "dpkg-buildpackage failed; the last lines of $work/build.log:
$(tail -n 30 "$work/build.log")"
echo "build-debs: built $version in $((SECONDS - start)) s (log: $work/build.log)"

changes="$(ls "$work"/muster_"${version#*:}"_*.changes)"
lintian_log="$outdir/lintian.txt"
if [[ ${MUSTER_DEB_LINTIAN:-yes} == no ]]; then
  echo "build-debs: lintian skipped (MUSTER_DEB_LINTIAN=no)" >"$lintian_log"
elif ! lintian --fail-on error,warning --info "$changes" >"$lintian_log" 2>&1; then
  cat "$lintian_log" >&2
  die "lintian found errors or unexplained warnings (above; $lintian_log)." \
      "Fix them, or override a warning with its reason in packaging/debian/PACKAGE.lintian-overrides."
else
  echo "build-debs: lintian: $(grep -c . "$lintian_log" || true) lines (no error, no warning; $lintian_log)"
fi

rm -f "$outdir"/*.deb "$outdir"/*.ddeb "$outdir"/*.changes "$outdir"/*.buildinfo
cp "$work"/*.deb "$changes" "$work"/*.buildinfo "$outdir/"
cp "$work"/*.ddeb "$outdir/" 2>/dev/null || true
ls -l "$outdir"/*.deb
