#!/usr/bin/env bash
#
# test-completion.sh: ctest packaging/completion. The bash completion of muster, run as
# bash runs it, against the built muster: commands, subcommands and options come from
# the program's own --help, so a command added to muster completes without a change.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../tests/support/missing.sh
source "$here/../../tests/support/missing.sh"

muster_dir="$(cd "$(dirname "${1:?usage: $0 PATH/TO/muster}")" && pwd)"
[[ -r /usr/share/bash-completion/bash_completion ]] ||
  missing "bash-completion is not installed" "apt-get install bash-completion"
# shellcheck source=/dev/null
source /usr/share/bash-completion/bash_completion
# shellcheck source=../bash-completion/muster
source "$here/../bash-completion/muster"
PATH="$muster_dir:$PATH"

status=0
expect() { # want words...
  local want="$1"
  shift
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _muster muster || true
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
exit $status
