#!/usr/bin/env bash
# session-lib.sh: what the kiosk session tests share (sourced, after $work is made): the
# session's user, a work folder it may use, and the session's environment.
#  - as_user / run_as: this user, or nobody (setpriv) when the test runs as root, since
#    cage refuses root; copies of $MUSTER and $MUSTER_KIOSK in $work, which nobody may
#    run; $work/home, $work/run (XDG_RUNTIME_DIR, 0700), $work/db with an empty readers
#    file (no hardware readers).
#  - session_env: cage nested in the test's X server (x11 backend, pixman) and GTK on its
#    Cairo renderer; see test-kiosk-cage.sh for why.
set -euo pipefail

as_user=()
if [[ $(id -u) -eq 0 ]]; then
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  chmod 0755 "$work"
fi
run_as() { "${as_user[@]}" env -i PATH=/usr/bin:/bin HOME="$work/home" "$@"; }
cp "$MUSTER" "$MUSTER_KIOSK" "$work/"
mkdir -p "$work/home" "$work/run" "$work/db"
: >"$work/db/readers.conf"
[[ ${#as_user[@]} -eq 0 ]] || chown -R nobody:nogroup "$work/home" "$work/run" "$work/db"
chmod 0700 "$work/run"

[[ -n ${DISPLAY:-} ]] || { echo "no DISPLAY: run this under tests/ui/xvfb.sh"; exit 1; }
# shellcheck disable=SC2034 # used by the scripts that source this
session_env=(XDG_RUNTIME_DIR="$work/run" DISPLAY="$DISPLAY" WLR_BACKENDS=x11 WLR_X11_OUTPUTS=1
  WLR_RENDERER=pixman GSK_RENDERER=cairo GDK_BACKEND=wayland
  MUSTER_RUNTIME_DIR="$work/run/muster" MUSTER_READERS="$work/db/readers.conf"
  LANGUAGE= LC_ALL=C.UTF-8 GTK_A11Y=none NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory)
