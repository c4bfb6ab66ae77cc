# missing.sh: what a test script does when something it needs is not there; the shell
# side of missing.h (see there). Source it, then:
#
#   missing WHAT HOW           the whole test cannot run: exits (77, or 1 under CI)
#   missing_command CMD HOW    missing, unless CMD is on PATH (or an executable path)
#   missing_case NAME WHAT HOW one case of a script cannot run: prints its TAP line;
#                              fails (status 1) under CI, else is remembered
#   missing_end                after the cases: exits 77 if missing_case skipped any
#   missing_in_ci              true under CI ($CI set to anything but "", 0 or false)
#
# Outside CI the test is skipped, visibly ("SKIP: WHAT; HOW", exit 77: ctest's Skipped);
# under CI it fails, naming what is missing and how to install it.

missing_skipped=()

missing_in_ci() {
  case "${CI:-}" in
    "" | 0 | false) return 1 ;;
  esac
}

missing() { # what how
  if missing_in_ci; then
    echo "FAIL: $1; $2 (CI=$CI: a test CI must run cannot be skipped)" >&2
    exit 1
  fi
  echo "SKIP: $1; $2"
  exit 77
}

missing_command() { # cmd how
  local where="not found on PATH"
  [[ $1 != */* ]] || where="no such program"
  command -v "$1" >/dev/null 2>&1 || missing "$1 is not installed ($where)" "$2"
}

missing_case() { # name what how
  if missing_in_ci; then
    echo "not ok - $1: $2; $3 (CI=$CI: a test CI must run cannot be skipped)"
    return 1
  fi
  echo "ok - $1 # SKIP $2"
  missing_skipped+=("$1: $2; $3")
}

missing_end() {
  [ ${#missing_skipped[@]} -gt 0 ] || return 0
  printf 'SKIP: %s\n' "${missing_skipped[@]}"
  exit 77
}
