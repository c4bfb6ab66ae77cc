#!/usr/bin/env bash
#
# test.sh: the README's second command and what CI runs (.ci/run).
#
# Stages, each in its own build folder so they never share a CMake cache:
#   deps   install the missing Debian packages (packaging/install-deps.sh)
#   ci     gcc, -Werror, optimised as shipped; the whole ctest suite   (build/ci)
#   asan   gcc, ASan + UBSan, -Werror; the whole ctest suite again     (build/asan)
#   fuzz   clang + libFuzzer: replay each corpus under ctest, then fuzz each target for
#          FUZZ_SECONDS over a temporary copy of its corpus, so the repository is
#          never written to                                            (build/fuzz)
# The first failure stops the run; the timing summary then marks the stage that failed.
# The summary also lists, per stage, every test that was skipped, by name and why: a
# whole test ctest did not run (exit 77: something it needs is missing, see
# tests/support/missing.h) and each case a passing program skipped (TAP "# SKIP").
# Under CI (CI=true, as .ci/run is run) a whole test skipped in the ci or asan stage
# fails the stage, unless SKIPS_ALLOWED_IN_CI below names it.
#
# Usage: packaging/test.sh [STAGE...]     (default: deps ci asan fuzz)
# Environment: FUZZ_SECONDS per fuzz target (default 20; 0 replays the corpora only),
#              JOBS for the compiler (default: all cores).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

# shellcheck source=tests/support/missing.sh
source "$root/tests/support/missing.sh" # missing_in_ci: the one rule for "under CI"

FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
JOBS="${JOBS:-$(nproc)}"
ALL_STAGES=(deps ci asan fuzz)

# Tests CI may skip as a whole: "ctest-name<TAB>why", one a line. None: CI installs every
# dependency (packaging/debian-packages.txt) and has ZXing's images beside the clone.
SKIPS_ALLOWED_IN_CI=()

declare -a summary=()
declare -a ctest_runs=() # "stage build-dir" of each ctest run, for the list of skips
current_stage=""
stage_start=0
fuzz_scratch=""
run_start=$SECONDS

log() {
  printf '\n==> %s\n' "$*"
}

die() {
  printf 'test.sh: %s\n' "$*" >&2
  exit 1
}

elapsed() {
  local s=$1
  printf '%dm%02ds' $((s / 60)) $((s % 60))
}

begin_stage() {
  current_stage=$1
  stage_start=$SECONDS
  log "stage $1: $2"
}

# record STATUS: one line of the timing summary for the current stage.
record() {
  summary+=("$(printf '  %-6s %-8s %s' "$current_stage" "$1" \
                 "$(elapsed $((SECONDS - stage_start)))")")
  current_stage=""
}

end_stage() {
  record ok
}

on_exit() {
  local rc=$?
  if [[ -n $fuzz_scratch ]]; then
    rm -rf "$fuzz_scratch"
  fi
  print_summary "$rc"
}

print_summary() {
  local rc=$1
  if [[ -n $current_stage ]]; then
    record FAILED
  fi
  local run
  for run in "${ctest_runs[@]}"; do
    print_skips "${run%% *}" "${run#* }"
  done
  if [[ ${#summary[@]} -gt 0 ]]; then
    printf '\n==> timing (%s cores)\n' "$(nproc)"
    printf '%s\n' "${summary[@]}"
    printf '  %-6s %-8s %s\n' total "$([[ $rc -eq 0 ]] && echo ok || echo FAILED)" \
      "$(elapsed $((SECONDS - run_start)))"
  fi
}
trap on_exit EXIT

# configure DIR COMPILER BUILD_TYPE [CMAKE_ARGS...]
configure() {
  local dir=$1 cc=$2 type=$3
  shift 3
  # The C++ compiler of the same family (decode/zxing-shim.cpp gets the same sanitizer
  # and fuzzer flags as the C around it): clang → clang++, gcc → g++.
  local cxx=${cc/clang/clang++}
  cxx=${cxx/gcc/g++}
  cmake -S "$root" -B "$dir" -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_BUILD_TYPE="$type" -DMUSTER_WERROR=ON "$@"
}

# run_ctest DIR [CTEST_ARGS...]: the tests of a build folder; ctest's JUnit file records
# which it did not run (its LastTest.log says Passed for those too).
run_ctest() {
  ctest_runs+=("$current_stage $1")
  rm -f "$1/Testing/Temporary/LastTestJUnit.xml"
  ctest --test-dir "$1" --output-on-failure -j2 \
    --output-junit "$root/$1/Testing/Temporary/LastTestJUnit.xml" "${@:2}"
}

# ctest_not_run DIR: "name<TAB>ctest's reason" for each test of the last run that did
# not run: exit 77 (SKIP_RETURN_CODE), or not runnable at all.
ctest_not_run() {
  local junit=$1/Testing/Temporary/LastTestJUnit.xml
  [[ -f $junit ]] || return 0
  awk '
    /<testcase / {
      match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7)
      notrun = $0 ~ /status="notrun"/
    }
    notrun && /<skipped / {
      match($0, /message="[^"]*"/); print name "\t" substr($0, RSTART + 9, RLENGTH - 10)
      notrun = 0
    }' "$junit"
}

# skip_lines DIR: from the output of each test in ctest's log, "S<TAB>name<TAB>line" for
# its "SKIP: why" lines (tests/support/missing.h) and, when it passed,
# "T<TAB>name<TAB>line" for each case it skipped (TAP: "ok 3 /path # SKIP why").
skip_lines() {
  local log=$1/Testing/Temporary/LastTest.log
  [[ -f $log ]] || return 0
  awk '
    /^[0-9]+\/[0-9]+ Test: / { sub(/^[0-9]+\/[0-9]+ Test: /, ""); name = $0; out = 0; n = 0; next }
    /^Output:$/ { out = 1; next }
    /^<end of output>$/ { out = 0; next }
    out && /^SKIP: / { print "S\t" name "\t" $0 }
    out && /^ok .*# [Ss][Kk][Ii][Pp]/ { tap[n++] = $0 }
    /^Test Passed\.$/ { for (i = 0; i < n; i++) print "T\t" name "\t" tap[i]; n = 0 }' "$log"
}

# print_skips STAGE DIR: every test and case skipped in the stage's ctest run, by name.
print_skips() {
  local stage=$1 dir=$2 name why kind test text line any=0
  local -A not_run=()
  local -a lines=()
  while IFS=$'\t' read -r name why; do
    not_run[$name]=$why
  done < <(ctest_not_run "$dir")
  mapfile -t lines < <(skip_lines "$dir")
  printf '\n==> skipped tests, stage %s (%s)\n' "$stage" "$dir"
  while IFS= read -r name; do
    if [[ -z $name ]]; then
      continue
    fi
    any=1
    printf '  %s: not run (%s)\n' "$name" "${not_run[$name]}"
    for line in "${lines[@]}"; do
      IFS=$'\t' read -r kind test text <<<"$line"
      if [[ $kind == S && $test == "$name" ]]; then
        printf '      %s\n' "$text"
      fi
    done
  done < <(printf '%s\n' "${!not_run[@]}" | sort)
  for line in "${lines[@]}"; do
    IFS=$'\t' read -r kind test text <<<"$line"
    if [[ $kind == T && -z ${not_run[$test]+set} ]]; then
      any=1
      printf '  %s, a case: %s\n' "$test" "$text"
    fi
  done
  if [[ $any -eq 0 ]]; then
    printf '  no test skipped\n'
  fi
}

# refuse_skips_in_ci DIR: under CI, a test ctest did not run fails the stage unless
# SKIPS_ALLOWED_IN_CI names it.
refuse_skips_in_ci() {
  missing_in_ci || return 0
  local name why allowed refused=()
  while IFS=$'\t' read -r name why; do
    for allowed in "${SKIPS_ALLOWED_IN_CI[@]}"; do
      [[ ${allowed%%$'\t'*} == "$name" ]] && continue 2
    done
    refused+=("$name")
  done < <(ctest_not_run "$1")
  [[ ${#refused[@]} -eq 0 ]] ||
    die "CI=$CI, and these tests were skipped: ${refused[*]}. CI must run every test:" \
        "install what the list of skipped tests below says is missing, or (with a reason)" \
        "add the test to SKIPS_ALLOWED_IN_CI in packaging/test.sh."
}

stage_deps() {
  begin_stage deps "install missing packages"
  "$root/packaging/install-deps.sh"
  end_stage
}

stage_ci() {
  begin_stage ci "gcc, -Werror, Release, whole suite"
  configure build/ci gcc Release
  cmake --build build/ci -j"$JOBS"
  run_ctest build/ci
  refuse_skips_in_ci build/ci
  end_stage
}

stage_asan() {
  begin_stage asan "gcc, ASan + UBSan, -Werror, whole suite"
  configure build/asan gcc Debug -DMUSTER_SANITIZE=ON
  cmake --build build/asan -j"$JOBS"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest build/asan
  refuse_skips_in_ci build/asan
  end_stage
}

# Fuzzes one target for FUZZ_SECONDS over a scratch copy of its committed corpus. New
# inputs land in the copy (thrown away); a crash is kept in build/fuzz/artifacts/.
fuzz_one() {
  local bin=$1 scratch=$2
  local name=${bin##*/}
  local corpus="$root/tests/fuzz/corpus/${name#fuzz-}"
  local work="$scratch/$name"
  local -a extra=()
  mkdir -p "$work" build/fuzz/artifacts
  if [[ -d $corpus ]]; then
    cp -R "$corpus/." "$work/"
  fi
  if [[ -f $root/tests/fuzz/$name.dict ]]; then
    extra+=("-dict=$root/tests/fuzz/$name.dict")
  fi
  log "fuzzing $name for ${FUZZ_SECONDS}s ($(find "$work" -type f | wc -l) corpus files)"
  "$bin" -max_total_time="$FUZZ_SECONDS" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$root/build/fuzz/artifacts/$name-" \
    "${extra[@]}" "$work" ||
    die "$name failed; the input that triggered it is in build/fuzz/artifacts/." \
        "Reproduce with: build/fuzz/tests/fuzz/$name build/fuzz/artifacts/$name-<file>;" \
        "once fixed, add that file to tests/fuzz/corpus/${name#fuzz-}/ so ctest keeps" \
        "checking it."
}

stage_fuzz() {
  begin_stage fuzz "clang + libFuzzer, ${FUZZ_SECONDS}s per target"
  # Only the fuzz targets are built here: the unit suite already ran twice.
  configure build/fuzz clang RelWithDebInfo -DMUSTER_FUZZ=ON
  cmake --build build/fuzz -j"$JOBS" --target muster-fuzz
  run_ctest build/fuzz -R '^fuzz/'

  # The sources name the targets, so a stale binary of a removed target is not run.
  local -a targets=()
  local src
  for src in tests/fuzz/fuzz-*.c; do
    [[ -e $src ]] || continue
    src=${src##*/}
    targets+=("build/fuzz/tests/fuzz/${src%.c}")
  done
  [[ ${#targets[@]} -gt 0 ]] || die "no fuzz targets (tests/fuzz/fuzz-*.c) were found"
  if [[ $FUZZ_SECONDS -eq 0 ]]; then
    log "FUZZ_SECONDS=0: corpora replayed, no fuzzing"
    end_stage
    return
  fi
  fuzz_scratch="$(mktemp -d "${TMPDIR:-/tmp}/muster-fuzz-XXXXXX")"
  local bin
  for bin in "${targets[@]}"; do
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 G_DEBUG=fatal-criticals \
      fuzz_one "$bin" "$fuzz_scratch"
  done
  rm -rf "$fuzz_scratch"
  fuzz_scratch=""
  end_stage
}

main() {
  local -a stages=("$@")
  [[ ${#stages[@]} -gt 0 ]] || stages=("${ALL_STAGES[@]}")
  local s
  for s in "${stages[@]}"; do
    [[ " ${ALL_STAGES[*]} " == *" $s "* ]] ||
      die "unknown stage '$s'. Stages: ${ALL_STAGES[*]}"
  done
  [[ $FUZZ_SECONDS =~ ^[0-9]+$ ]] || die "FUZZ_SECONDS must be a whole number of seconds"
  for s in "${stages[@]}"; do
    "stage_$s"
  done
  log "all stages passed"
}

main "$@"
