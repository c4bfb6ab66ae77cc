#!/usr/bin/env bash
# test-kiosk-inspector.sh: /kiosk/no-inspector-keybinding (issue 10, row 7).
# The fullscreen kiosk on the test's X server must leave no way into GTK's Inspector, whose object tree
# and property editor would let anyone at the screen change any widget:
#  - Ctrl+Shift+I and Ctrl+Shift+D, with the inspector keybinding enabled in GSettings
#    (GTK's default; the memory backend makes sure of it), open no window;
#  - GTK_DEBUG=interactive and GTK_INSPECTOR_DISPLAY in the environment open none either.
# Windows are counted by the kiosk's pid (_NET_WM_PID, which the Inspector's window
# carries too). Each check waits for the kiosk's window, sends the keys, then waits as long as an
# Inspector takes to appear on a loaded machine, and counts the windows again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../support/missing.sh"
missing_command xdotool "install xdotool (apt-get install xdotool; packaging/debian-packages.txt)"
dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
export MUSTER_RUNTIME_DIR=$dir/run
: >"$dir/none.conf"
export MUSTER_READERS=$dir/none.conf
export GSETTINGS_BACKEND=memory

"$MUSTER" --db "$dir/demo.db" demo --items 200 >/dev/null

windows() { # visible toplevel windows of the kiosk (by _NET_WM_PID)
  xdotool search --onlyvisible --pid "$pid" 2>/dev/null | wc -l
}

# Starts the kiosk (extra environment as arguments) and waits for its window.
start_kiosk() {
  env "$@" "$MUSTER_KIOSK" --db "$dir/demo.db" 2>>"$dir/kiosk.err" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do
    [[ $(windows) -ge 1 ]] && break
    kill -0 "$pid" || { echo "the kiosk died:"; cat "$dir/kiosk.err"; exit 1; }
    sleep 0.1
  done
  [[ $(windows) -ge 1 ]] || { echo "the kiosk shows no window"; exit 1; }
  sleep 1
}

stop_kiosk() {
  kill -TERM "$pid"
  wait "$pid" || true
}

# No window beyond the kiosk's own during the next 8 seconds.
assert_no_new_window() { # what
  for _ in $(seq 80); do
    if [[ $(windows) -gt 1 ]]; then
      echo "not ok - /kiosk/no-inspector-keybinding: $1 opened a window:"
      for w in $(xdotool search --onlyvisible --pid "$pid"); do xdotool getwindowname "$w"; done
      exit 1
    fi
    sleep 0.1
  done
}

start_kiosk
[[ $(windows) -eq 1 ]] || { echo "more than one window at the start"; exit 1; }
wid=$(xdotool search --onlyvisible --pid "$pid" | head -1)
xdotool windowfocus --sync "$wid" 2>/dev/null || true
xdotool key --clearmodifiers ctrl+shift+i
assert_no_new_window "Ctrl+Shift+I"
xdotool key --clearmodifiers ctrl+shift+d
assert_no_new_window "Ctrl+Shift+D"
kill -0 "$pid" || { echo "the kiosk died:"; cat "$dir/kiosk.err"; exit 1; }
stop_kiosk

start_kiosk GTK_DEBUG=interactive GTK_INSPECTOR_DISPLAY="$DISPLAY"
assert_no_new_window "GTK_DEBUG=interactive"
stop_kiosk
echo "ok - /kiosk/no-inspector-keybinding"
