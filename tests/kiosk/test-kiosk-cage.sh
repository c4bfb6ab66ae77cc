#!/usr/bin/env bash
# test-kiosk-cage.sh: the kiosk session as the appliance's unit runs it — cage --
# muster-kiosk --db DB, as an unprivileged user — with its first frame captured through
# cage's own screencopy (grim) and checked:
#  - no database: the first-boot setup screen, not blank;
#  - a database made by `muster init`: the sign-in screen, not blank, unlike the first.
#
# With no GPU and no screen: cage nested in the test's X server (tests/ui/xvfb.sh runs
# this script on one), its x11 backend drawing one 1024×768 window with the pixman
# renderer, and GTK on its Cairo renderer. GTK's GL renderer draws nothing on a
# compositor without a GPU; on the appliance cage and GTK both have the GPU. cage's
# headless backend (WLR_BACKENDS=headless) is no substitute: wlroots 0.15 there often
# answers "Basic output test failed for HEADLESS-1" and shows black for good. cage
# refuses to run as root, so under root the session runs as nobody (setpriv), from
# copies of the programs in a folder nobody may read. Which screen it is comes from the
# kiosk's own log line; the PNGs stay in $MUSTER_KIOSK_OUT. KEEP=1 keeps the work folder
# (logs, database) for a look after.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../support/missing.sh"
source "$here/cage-session.sh"
how="apt-get install cage xwayland grim (packaging/debian-packages.txt)"
missing_command cage "$how"
missing_command Xwayland "$how (cage 0.1.4 will not start without it)"
missing_command grim "$how"
missing_command python3 "apt-get install python3"

out=${MUSTER_KIOSK_OUT:-$PWD}
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/muster-cage-XXXXXX")
session=""
cleanup() {
  set +e
  [[ -z $session ]] || { kill -TERM "$session" 2>/dev/null; wait "$session" 2>/dev/null; }
  [[ -n ${KEEP:-} ]] || rm -rf "$work"
}
trap cleanup EXIT

cage_prepare

# shoot NAME: starts the session on $work/db/armoury.db, captures the first frame that is
# not blank into $out/cage-NAME.png, stops the session. The log is $work/NAME.log.
shoot() {
  local name=$1 png=$out/cage-$1.png shot=$work/run/shot.png
  rm -f "$png"
  cage_start "$work/$name.log"
  local tries=0
  until [[ -S $work/run/wayland-0 ]] &&
    run_as XDG_RUNTIME_DIR="$work/run" WAYLAND_DISPLAY=wayland-0 grim "$shot" 2>/dev/null &&
    python3 "$here/png-check.py" "$shot" >"$work/$name.check"; do
    kill -0 "$session" 2>/dev/null || { echo "cage ended early:"; cat "$work/$name.log"; exit 1; }
    ((++tries < 120)) || { echo "no frame drawn in 60 s:"; cat "$work/$name.log"; exit 1; }
    sleep 0.5
  done
  cp "$shot" "$png"
  echo "$name: $(cat "$work/$name.check") after $((tries / 2)) s; $png"
  kill -TERM "$session"
  wait "$session" || true
  session=""
}

shoot setup
grep -q "No database at $work/db/armoury.db: showing the first-boot setup screen" \
  "$work/setup.log" || { echo "not the setup screen:"; cat "$work/setup.log"; exit 1; }
[[ ! -e $work/db/armoury.db ]] || { echo "the setup screen created a database unasked"; exit 1; }

run_as MUSTER_PIN=123456 "$work/muster" --db "$work/db/armoury.db" init --code CAGE-01 \
  --admin admin >/dev/null
shoot sign-in
grep -q "Database $work/db/armoury.db opened: showing the sign-in screen" "$work/sign-in.log" ||
  { echo "not the sign-in screen:"; cat "$work/sign-in.log"; exit 1; }
! cmp -s "$out/cage-setup.png" "$out/cage-sign-in.png" ||
  { echo "the sign-in frame is the setup frame"; exit 1; }
echo "ok"
