# xvfb.sh COMMAND [ARGS...]: runs COMMAND on an X server of its own (Xvfb, 1920x1080 at
# 24 bits, no TCP), then stops the server; COMMAND's exit status is the script's.
#
# The server picks a free display itself (-displayfd) and says which once it accepts
# connections, so tests run in parallel never race for one. -noreset: a test that starts
# one kiosk after another must not find the server resetting (and refusing connections)
# the moment the last client left. Xvfb not installed, or not starting, is a missing
# precondition (tests/support/missing.sh): the test is skipped, and fails under CI.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../support/missing.sh"
how="install xvfb (apt-get install xvfb; packaging/debian-packages.txt)"
missing_command Xvfb "$how"

dir=$(mktemp -d "${TMPDIR:-/tmp}/muster-xvfb-XXXXXX")
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp -noreset \
  3>"$dir/display" >"$dir/xvfb.log" 2>&1 &
server=$!
stop_server() { # how the server ends is not the test's outcome
  set +e
  kill -TERM "$server" 2>/dev/null
  wait "$server" 2>/dev/null
  rm -rf "$dir"
}
trap stop_server EXIT

# The number and a newline come once it accepts connections (30 s at most on a busy box).
for _ in $(seq 300); do
  [[ $(wc -l <"$dir/display") -eq 0 ]] || break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if [[ $(wc -l <"$dir/display") -eq 0 ]]; then
  cat "$dir/xvfb.log" >&2
  missing "Xvfb did not start (its output is above)" \
    "check that 'Xvfb -displayfd 1 -nolisten tcp' runs here, or $how"
fi

rc=0
DISPLAY=":$(cat "$dir/display")" "$@" || rc=$?
exit "$rc"
