#!/usr/bin/env bash
#
# test-completion.sh: ctest packaging/completion. The bash completions of muster,
# muster-kiosk and muster-registry, run as bash runs them, against the built programs:
# commands, subcommands and options come from each program's own --help, so a command or
# option added to a program completes without a change.
#
# Usage: test-completion.sh PATH/TO/muster [PATH/TO/muster-kiosk] [PATH/TO/muster-registry]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../tests/support/missing.sh
source "$here/../../tests/support/missing.sh"

muster_dir="$(cd "$(dirname "${1:?usage: $0 PATH/TO/muster [KIOSK] [REGISTRY]}")" && pwd)"
[[ -r /usr/share/bash-completion/bash_completion ]] ||
  missing "bash-completion is not installed" "apt-get install bash-completion"
# shellcheck source=/dev/null
source /usr/share/bash-completion/bash_completion
# shellcheck source=../bash-completion/muster
source "$here/../bash-completion/muster"
PATH="$muster_dir:$PATH"
for prog in "${@:2}"; do
  PATH="$(cd "$(dirname "$prog")" && pwd):$PATH"
  # shellcheck source=/dev/null
  source "$here/../bash-completion/$(basename "$prog")"
done

status=0
expect() { # want words... (completed by the function of the first word's program)
  local want="$1" fn
  shift
  fn=_${1//-/_}
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  "$fn" "$1" || true
  if [[ "${COMPREPLY[*]}" == "$want" ]]; then
    echo "ok - '$*' completes to: $want"
  else
    echo "not ok - '$*' completes to '${COMPREPLY[*]}', want '$want'"
    status=1
  fi
}

expect "count" muster co
expect "start" muster --db x.db count st
expect "sign-off" muster count sig
expect "--all --blind --scope --user --witness" muster count start --
expect "--format" muster report --f
expect "--json" muster --js
expect "drivers" muster readers d
if [[ $# -ge 2 ]]; then
  expect "--readers --resume-as" muster-kiosk --re
  expect "--sim-demo --sim-feed --sim-rate" muster-kiosk --sim
  expect "" muster-kiosk --sim-rate ""
fi
if [[ $# -ge 3 ]]; then
  expect "serve" muster-registry se
  expect "anchors" muster-registry --db "dbname=x" an
  expect "--cert --cert-key" muster-registry serve --cert
  expect "--db" muster-registry anchors --d
fi
exit $status
