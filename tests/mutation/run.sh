#!/usr/bin/env bash
# tests/mutation/run.sh [--list] [ID-or-glob ...]: the mutation run (tests/mutation/README.md).
#
# Each entry of tests/mutation/*.mut is a one-line change that breaks one of the engine's
# rules. This script copies the working tree (tracked and untracked files, not build/) to
# build/mutation/src, keeps one Debug build of that copy in build/mutation/build, and for
# each selected mutation: applies it, builds only the entry's targets, runs only its
# tests, and puts the file back. A mutation some test fails on is KILLED; one they all
# pass with SURVIVED (a rule no test holds); one whose `from` is not in the file exactly
# once is STALE; one that does not compile, or whose targets do not compile the file, is
# INVALID. Exits 0 only when every selected mutation is KILLED.
#
# The copy is refreshed by content (rsync --checksum, without keeping times), so a file
# copied or put back is always newer than the objects built from a mutant of it and the
# build never reuses one. The tests first run unmutated: if one fails or skips there the
# run stops, since it could not tell a mutant from a broken suite.
#
# Environment: MUTATION_JOBS (build jobs, default 2), MUTATION_TIMEOUT (seconds a
# mutation's tests may take, default 60 + 10 times what they took unmutated).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work=$root/build/mutation
src=$work/src
bld=$work/build
logs=$work/logs
jobs=${MUTATION_JOBS:-2}

die() {
  printf 'mutation: %s\n' "$*" >&2
  exit 2
}

usage() {
  echo "usage: tests/mutation/run.sh [--list] [ID-or-glob ...]"
  echo "  --list       list the mutations (id, file, tests) and stop"
  echo "  ID-or-glob   run only these, e.g. reconcile/find-from-any-count or 'audit/*'"
}

# ---- the list -----------------------------------------------------------------------

ids=() files=() froms=() tos=() has_to=() tests=() builds=() whys=() origins=()

# parse_mut FILE: appends FILE's entries to the arrays above.
parse_mut() {
  local mut=$1 n=0 line key value cur=-1
  local -A seen=()
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    line=${line%$'\r'}
    [[ -z ${line//[[:space:]]/} || $line == '#'* ]] && continue
    if [[ $line =~ ^\[([a-z0-9_-]+/[a-z0-9_.-]+)\]$ ]]; then
      finish_entry "$cur"
      cur=${#ids[@]}
      ids+=("${BASH_REMATCH[1]}") files+=("") froms+=("") tos+=("") has_to+=(0) tests+=("")
      builds+=("")
      whys+=("") origins+=("${mut#"$root"/}:$n")
      seen=()
      continue
    fi
    [[ $cur -ge 0 ]] || die "${mut#"$root"/}:$n: a line before the first [area/name]"
    [[ $line =~ ^([a-z]+):\ ?(.*)$ ]] || die "${mut#"$root"/}:$n: not 'key: value': $line"
    key=${BASH_REMATCH[1]}
    value=${line#"$key:"}
    value=${value#" "}
    [[ -z ${seen[$key]:-} ]] || die "${mut#"$root"/}:$n: '$key' twice in ${ids[cur]}"
    seen[$key]=1
    case $key in
    why) whys[cur]=$value ;;
    file) files[cur]=$value ;;
    from) froms[cur]=$value ;;
    to) tos[cur]=$value has_to[cur]=1 ;;
    tests) tests[cur]=$value ;;
    build) builds[cur]=$value ;;
    *) die "${mut#"$root"/}:$n: unknown key '$key'" ;;
    esac
  done <"$mut"
  finish_entry "$cur"
}

# finish_entry INDEX: checks the entry is whole; the default build is the tests' basenames.
finish_entry() {
  local i=$1 t
  [[ $i -ge 0 ]] || return 0
  [[ -n ${whys[i]} && -n ${files[i]} && -n ${froms[i]} && ${has_to[i]} == 1 && -n ${tests[i]} ]] ||
    die "${origins[i]}: ${ids[i]} needs why:, file:, from:, to: and tests:"
  if [[ -z ${builds[i]} ]]; then
    for t in ${tests[i]}; do builds[i]+="${builds[i]:+ }${t##*/}"; done
  fi
}

load_list() {
  local mut i j
  shopt -s nullglob
  for mut in "$here"/*.mut; do parse_mut "$mut"; done
  shopt -u nullglob
  [[ ${#ids[@]} -gt 0 ]] || die "no mutations in $here/*.mut"
  for ((i = 0; i < ${#ids[@]}; i++)); do
    for ((j = i + 1; j < ${#ids[@]}; j++)); do
      [[ ${ids[i]} != "${ids[j]}" ]] || die "${origins[j]}: ${ids[j]} is already at ${origins[i]}"
    done
  done
}

# ---- the scratch copy and its build -------------------------------------------------

# The working tree's files, as git sees them: tracked (and not deleted) plus untracked,
# ignored ones (build/) left out.
tree_files() {
  git -C "$root" ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [[ -e $root/$f || -L $root/$f ]] && printf '%s\0' "$f"; done
}

sync_copy() {
  command -v rsync >/dev/null || die "rsync is missing: run packaging/install-deps.sh"
  mkdir -p "$src" "$logs"
  local list=$work/files
  tree_files | sort -z >"$list"
  # Without -t, a copied file gets the time of the copy; --checksum skips the unchanged.
  rsync -rl --checksum --files-from="$list" --from0 "$root"/ "$src"/
  # Files gone from the tree go from the copy too.
  comm -z -13 "$list" <(cd "$src" && find . -type f -printf '%P\0' | sort -z) |
    (cd "$src" && xargs -0 -r rm -f --)
}

configure() {
  [[ -f $bld/CMakeCache.txt ]] && return 0
  local gen=()
  command -v ninja >/dev/null && gen=(-G Ninja)
  echo "== configuring $bld (Debug, no sanitizers)"
  cmake -S "$src" -B "$bld" "${gen[@]}" -DCMAKE_BUILD_TYPE=Debug -DMUSTER_WERROR=OFF \
    -DMUSTER_SANITIZE=OFF >"$logs/configure.log" 2>&1 || {
    cat "$logs/configure.log" >&2
    die "configuring the scratch build failed"
  }
}

# build LOG TARGET...: builds the targets, output to LOG.
build() {
  local log=$1
  shift
  cmake --build "$bld" -j"$jobs" --target "$@" >"$log" 2>&1
}

# A ctest regular expression matching exactly these test names.
tests_regex() {
  local t out=""
  for t in "$@"; do out+="${out:+|}$(printf '%s' "$t" | sed 's/[][\.*^$+?(){}|]/\\&/g')"; done
  printf '^(%s)$' "$out"
}

# run_tests LOG TIMEOUT TEST...: 0 when every test passed; 124 on time out.
run_tests() {
  local log=$1 limit=$2
  shift 2
  (cd "$bld" && timeout -k 10 "$limit" ctest -R "$(tests_regex "$@")" --no-tests=error \
    --stop-on-failure --output-on-failure) >"$log" 2>&1
}

# ---- one mutation ---------------------------------------------------------------------

# occurrences FILE STRING: how often STRING occurs in FILE (overlaps counted).
occurrences() {
  FROM=$2 awk 'BEGIN { s = ENVIRON["FROM"] }
    { line = $0; while ((k = index(line, s)) > 0) { n++; line = substr(line, k + 1) } }
    END { print n + 0 }' "$1"
}

# mutate FILE FROM TO: writes FILE with its one FROM replaced by TO.
mutate() {
  local tmp=$1.mutant
  FROM=$2 TO=$3 awk 'BEGIN { s = ENVIRON["FROM"]; t = ENVIRON["TO"] }
    { k = index($0, s); if (k > 0) $0 = substr($0, 1, k - 1) t substr($0, k + length(s)); print }' \
    "$1" >"$tmp"
  cat "$tmp" >"$1"
  rm -f "$tmp"
}

restore_file=""
restore() {
  if [[ -n $restore_file ]]; then
    cp "$work/original" "$restore_file"
    restore_file=""
  fi
}
trap restore EXIT
trap 'restore; exit 130' INT TERM

declare -A baseline_seconds=()
verdicts=()

# run_one INDEX: prints the verdict line of one mutation.
run_one() {
  local i=$1 id=${ids[$1]} target=$src/${files[$1]} started verdict note="" limit t sum=0
  local log=$logs/${id//\//--}.log targets names
  started=$(date +%s.%N)
  : >"$log"
  read -ra targets <<<"${builds[i]}"
  read -ra names <<<"${tests[i]}"
  if [[ ! -f $target ]]; then
    verdict=STALE note="no file ${files[i]}"
  elif [[ $(occurrences "$target" "${froms[i]}") != 1 ]]; then
    verdict=STALE note="'from' occurs $(occurrences "$target" "${froms[i]}") times in ${files[i]}"
  else
    cp -p "$target" "$work/original"
    restore_file=$target
    mutate "$target" "${froms[i]}" "${tos[i]}"
    if ! build "$log" "${targets[@]}"; then
      verdict=INVALID note="does not compile (log: ${log#"$root"/})"
    elif [[ $target == *.c ]] && ! grep -qF "$(basename "$target").o" "$log"; then
      verdict=INVALID note="targets '${builds[i]}' do not compile ${files[i]}"
    else
      for t in "${names[@]}"; do sum=$(awk -v a="$sum" -v b="${baseline_seconds[$t]:-0}" 'BEGIN { print a + b }'); done
      limit=${MUTATION_TIMEOUT:-$(awk -v s="$sum" 'BEGIN { printf "%d", 60 + 10 * s }')}
      local rc=0
      run_tests "$log.ctest" "$limit" "${names[@]}" || rc=$?
      cat "$log.ctest" >>"$log"
      rm -f "$log.ctest"
      if [[ $rc -eq 0 ]]; then
        verdict=SURVIVED note="${files[i]}: ${whys[i]}"
      elif [[ $rc -eq 124 || $rc -eq 137 ]]; then
        verdict=KILLED note="timed out after ${limit} s"
      else
        verdict=KILLED note=$(sed -n 's/^[[:space:]]*[0-9]* - \(.*\) (\(.*\))$/\1 (\2)/p' "$log" | paste -sd, -)
      fi
    fi
    restore
  fi
  local secs
  secs=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  verdicts+=("$verdict")
  printf '%-8s %6s s  %s%s\n' "$verdict" "$secs" "$id" "${note:+  $note}"
}

# ---- main -------------------------------------------------------------------------------

main() {
  local list_only=0 args=() a i
  for a in "$@"; do
    case $a in
    --list) list_only=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; exit 2 ;;
    *) args+=("$a") ;;
    esac
  done
  load_list

  local selected=()
  if [[ ${#args[@]} -eq 0 ]]; then
    for ((i = 0; i < ${#ids[@]}; i++)); do selected+=("$i"); done
  else
    for a in "${args[@]}"; do
      local matched=0
      for ((i = 0; i < ${#ids[@]}; i++)); do
        # shellcheck disable=SC2053 # a glob on purpose
        [[ ${ids[i]} == $a ]] || continue
        matched=1
        [[ " ${selected[*]} " == *" $i "* ]] || selected+=("$i")
      done
      [[ $matched -eq 1 ]] || die "no mutation matches '$a' (--list shows them)"
    done
  fi

  if [[ $list_only -eq 1 ]]; then
    for i in "${selected[@]}"; do printf '%-40s %-24s %s\n' "${ids[i]}" "${files[i]}" "${tests[i]}"; done
    exit 0
  fi

  local t0 all_targets=() all_tests=()
  t0=$(date +%s)
  echo "== copying the working tree to ${src#"$root"/}"
  sync_copy
  configure
  for i in "${selected[@]}"; do
    for a in ${builds[i]}; do [[ " ${all_targets[*]} " == *" $a "* ]] || all_targets+=("$a"); done
    for a in ${tests[i]}; do [[ " ${all_tests[*]} " == *" $a "* ]] || all_tests+=("$a"); done
  done
  echo "== building ${all_targets[*]} (log: ${logs#"$root"/}/baseline-build.log)"
  build "$logs/baseline-build.log" "${all_targets[@]}" || {
    tail -n 40 "$logs/baseline-build.log" >&2
    die "the unmutated tree does not build"
  }
  echo "== running ${#all_tests[@]} tests unmutated (log: ${logs#"$root"/}/baseline-tests.log)"
  local blog=$logs/baseline-tests.log
  run_tests "$blog" "${MUTATION_BASELINE_TIMEOUT:-3600}" "${all_tests[@]}" || {
    tail -n 40 "$blog" >&2
    die "a test fails unmutated: fix the suite first"
  }
  # Every named test must exist and run: a skipped one cannot kill anything.
  for a in "${all_tests[@]}"; do
    local line
    line=$(grep -F " Test " "$blog" | grep -F " $a " | head -n1 || true)
    [[ -n $line ]] || die "no test named '$a' ran (see $blog)"
    [[ $line == *Passed* ]] || die "test '$a' did not pass unmutated: $line"
    baseline_seconds[$a]=$(sed -n 's/.* \([0-9.]*\) sec$/\1/p' <<<"$line")
  done

  echo "== ${#selected[@]} mutations"
  for i in "${selected[@]}"; do run_one "$i"; done

  local killed=0 survived=0 stale=0 invalid=0 v total
  for v in "${verdicts[@]}"; do
    case $v in
    KILLED) killed=$((killed + 1)) ;; SURVIVED) survived=$((survived + 1)) ;;
    STALE) stale=$((stale + 1)) ;; INVALID) invalid=$((invalid + 1)) ;;
    esac
  done
  total=$(($(date +%s) - t0))
  printf 'mutation: %d killed, %d survived, %d stale, %d invalid of %d in %d s (%s s a mutation)\n' \
    "$killed" "$survived" "$stale" "$invalid" "${#selected[@]}" "$total" \
    "$(awk -v t="$total" -v n="${#selected[@]}" 'BEGIN { printf "%.1f", t / n }')"
  [[ $killed -eq ${#selected[@]} ]]
}

main "$@"
