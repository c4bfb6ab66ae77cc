# shellcheck shell=bash disable=SC2154,SC2034 # $work is the caller's; $session is for it
# cage-session.sh: the kiosk session as the appliance's unit runs it, cage --
# muster-kiosk --db DB as an unprivileged user, nested in the X server of $DISPLAY (see
# test-kiosk-cage.sh for why so). Sourced by tests/kiosk/test-kiosk-cage.sh and
# bench/bench-kiosk-boot.sh, which set $work (their work folder), $MUSTER and
# $MUSTER_KIOSK first.
#
#   cage_prepare              copies the programs into $work; makes its home, run and db
#                             folders (no hardware readers); sets as_user and session_env
#   run_as CMD...             CMD as the session's user, in a clean environment
#   cage_start LOG [VAR=...]  starts the session on $work/db/armoury.db in the background,
#                             its output in LOG, extra environment VAR=...; $session is
#                             cage's pid, which SIGTERM stops (and its kiosk with it)

# The session's user: this one, or nobody when run as root (cage refuses root).
cage_prepare() {
  as_user=()
  if [[ $(id -u) -eq 0 ]]; then
    as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    chmod 0755 "$work"
  fi
  cp "$MUSTER" "$MUSTER_KIOSK" "$work/"
  mkdir -p "$work/home" "$work/run" "$work/db"
  : >"$work/db/readers.conf" # no hardware readers
  [[ ${#as_user[@]} -eq 0 ]] || chown -R nobody:nogroup "$work/home" "$work/run" "$work/db"
  chmod 0700 "$work/run"
  [[ -n ${DISPLAY:-} ]] || { echo "no DISPLAY: run this under tests/ui/xvfb.sh"; exit 1; }
  session_env=(XDG_RUNTIME_DIR="$work/run" DISPLAY="$DISPLAY" WLR_BACKENDS=x11 WLR_X11_OUTPUTS=1
    WLR_RENDERER=pixman GSK_RENDERER=cairo GDK_BACKEND=wayland
    MUSTER_RUNTIME_DIR="$work/run/muster" MUSTER_READERS="$work/db/readers.conf"
    LANGUAGE= LC_ALL=C.UTF-8 GTK_A11Y=none NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory)
}

run_as() { "${as_user[@]}" env -i PATH=/usr/bin:/bin HOME="$work/home" "$@"; }

cage_start() {
  local log=$1
  shift
  rm -f "$work/run/wayland-"*
  (exec "${as_user[@]}" env -i PATH=/usr/bin:/bin HOME="$work/home" "${session_env[@]}" "$@" \
    cage -d -- "$work/muster-kiosk" --db "$work/db/armoury.db" >"$log" 2>&1) &
  session=$!
}
