#!/usr/bin/env bash
# bench/test-beside.sh: the judgement and the plumbing of `bench/run.sh --beside REV`
# (ctest bench/beside). Real benchmarks take minutes and a Release build a side, so:
#   - compare.awk gets made-up outputs of runs and must judge them as bench/README.md says
#     (noise bands, verdicts, figures on one side only, not measured, other keys);
#   - beside.sh runs in a throw-away git repository whose bench/run.sh is a stand-in that
#     prints made-up figures and logs how it was called: the base must come from a
#     worktree of REV, the sides must take turns, README must be left alone, and the exit
#     status must name what is worse.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/muster-bench-beside-XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# has FILE TEXT WHAT: FILE holds the line fragment TEXT.
has() { grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$3: no '$2'"; }; }
hasnt() { ! grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$3: '$2' should not be there"; }; }

# compare NAME: the table of runs $T/c/NAME.{base,current}.*.txt into $T/c/NAME.md.
compare() {
  rm -f "$T/c/worse"
  awk -f "$here/compare.awk" -v bench="$1" -v noise="${noise:-}" -v factor=2 -v floor=5 \
    -v floor_ms="${floor_ms:-0}" -v default_band=10 -v worse_file="$T/c/worse" "$T/c/$1".base.*.txt "$T/c/$1".current.*.txt \
    >"$T/c/$1.md"
}
# runs NAME SIDE VALUES...: one run file a value set, each "k=v k=v ...".
runs() {
  local name=$1 side=$2 i=0 set
  shift 2
  for set in "$@"; do i=$((i + 1)); tr ' ' '\n' <<<"$set" >"$T/c/$name.$side.$i.txt"; done
}

case_same_build_within_noise() {
  runs same base "scans_per_s=1000 took_seconds=2.00 rss_kib=500 items=9" \
    "scans_per_s=1040 took_seconds=2.10 rss_kib=500 items=9" "scans_per_s=980 took_seconds=1.95 rss_kib=500 items=9"
  runs same current "scans_per_s=1010 took_seconds=2.05 rss_kib=505 items=9" \
    "scans_per_s=1050 took_seconds=1.90 rss_kib=500 items=9" "scans_per_s=990 took_seconds=2.00 rss_kib=500 items=9"
  compare same
  has "$T/c/same.md" "| scans_per_s | 1,000 | 1,010 | +1.0% | ±12.0% (runs) | within noise |" "rate, band 2 × 60"
  has "$T/c/same.md" "| took_seconds | 2.00 | 2.00 | +0.0% | ±15.0% (runs) | within noise |" "time"
  has "$T/c/same.md" "| rss_kib | 500 | 500 | +0.0% | ±5.0% (floor) | within noise |" "steady: the floor"
  hasnt "$T/c/same.md" "items" "a count that is the same"
  [[ ! -s $T/c/worse ]] || fail "nothing is worse in a build beside itself"
}

case_worse_beyond_noise_is_named() {
  runs worse base "scans_per_s=1000 rss_kib=500" "scans_per_s=1010 rss_kib=500" "scans_per_s=990 rss_kib=500"
  runs worse current "scans_per_s=800 rss_kib=600" "scans_per_s=810 rss_kib=600" "scans_per_s=790 rss_kib=600"
  compare worse
  has "$T/c/worse.md" "| scans_per_s | 1,000 | 800 | -20.0% | ±5.0% (floor) | slower |" "fewer a second"
  has "$T/c/worse.md" "| rss_kib | 500 | 600 | +20.0% | ±5.0% (floor) | larger |" "memory"
  has "$T/c/worse" "worse: scans_per_s slower, 1,000 → 800 (-20.0%, beyond the band of ±5.0%)" "named"
  has "$T/c/worse" "worse: rss_kib larger" "named"
  # the other way round is better, never worse
  mv "$T/c/worse.base.1.txt" "$T/c/x" && mv "$T/c/worse.current.1.txt" "$T/c/worse.base.1.txt"
  mv "$T/c/x" "$T/c/worse.current.1.txt"
  rm "$T/c/worse".*.[23].txt
  compare worse
  has "$T/c/worse.md" "| scans_per_s | 800 | 1,000 | +25.0% | ±10.0% (default) | faster |" "one run: default"
  has "$T/c/worse.md" "| rss_kib | 600 | 500 | -16.7% | ±10.0% (default) | smaller |" "smaller"
  [[ ! -s $T/c/worse ]] || fail "better is not worse"
}

case_program_rounds_give_the_band() {
  runs own base "engine1_seconds=1.0 engine2_seconds=1.2 engine_seconds=1.0 engine_vs_shell=2.0"
  runs own current "engine1_seconds=1.1 engine2_seconds=1.3 engine_seconds=1.1 engine_vs_shell=2.1"
  compare own
  has "$T/c/own.md" "| engine_seconds | 1.0 | 1.1 | +10.0% | ±40.0% (its rounds) | within noise |" "2 × 0.2"
  hasnt "$T/c/own.md" "engine1_seconds" "a round is not a figure of its own"
  has "$T/c/own.md" "| engine_vs_shell | 2.0 | 2.1 | +5.0% | ±10.0% (default) | within noise |" "ratio"
  noise=1 compare own
  has "$T/c/own.md" "| engine_vs_shell | 2.0 | 2.1 | +5.0% | ±1.0% (--noise) | slower |" "--noise"
}

case_a_time_of_a_few_ms_has_an_absolute_floor() {
  runs tiny base "close_seconds=0.004 lat_ms=40.0" "close_seconds=0.004 lat_ms=40.2"
  runs tiny current "close_seconds=0.006 lat_ms=44.0" "close_seconds=0.006 lat_ms=44.0"
  floor_ms=5 compare tiny
  has "$T/c/tiny.md" "| close_seconds | 0.004 | 0.006 | +50.0% | ±125.0% (floor of 5 ms) | within noise |" "one fsync's jitter"
  has "$T/c/tiny.md" "| lat_ms | 40.1 | 44.0 | +9.7% | ±12.5% (floor of 5 ms) | within noise |" "ms too"
  [[ ! -s $T/c/worse ]] || fail "2 ms on a 4 ms figure is within the floor"
  runs tiny current "close_seconds=0.012 lat_ms=46.0" "close_seconds=0.012 lat_ms=46.0"
  floor_ms=5 compare tiny
  has "$T/c/tiny.md" "| close_seconds | 0.004 | 0.012 | +200.0% | ±125.0% (floor of 5 ms) | slower |" "beyond it"
  has "$T/c/tiny.md" "| lat_ms | 40.1 | 46.0 | +14.7% | ±12.5% (floor of 5 ms) | slower |" "beyond it in ms"
  # without it, the old relative floor
  compare tiny
  has "$T/c/tiny.md" "| close_seconds | 0.004 | 0.012 | +200.0% | ±5.0% (floor) | slower |" "no absolute floor"
}

case_one_side_and_not_measured() {
  runs odd base "old_ms=3 gone=1 lat_ms=nan zero_percent=0.00 idle_seconds=5 seed=1 dir=/a"
  runs odd current "new_ms=4 lat_ms=2.5 zero_percent=0.00 idle_seconds=4 seed=2 dir=/b"
  compare odd
  has "$T/c/odd.md" "| old_ms | 3 | — | | | only in base |" "figure gone"
  has "$T/c/odd.md" "| new_ms | — | 4 | | | only in current |" "figure new"
  has "$T/c/odd.md" "| lat_ms | NOT MEASURED | 2.5 | | | not compared |" "nan"
  has "$T/c/odd.md" "| zero_percent | 0.00 | 0.00 | 0% | ±0.00 (default) | within noise |" "zero"
  has "$T/c/odd.md" "\`gone\` only in base" "other key gone"
  has "$T/c/odd.md" "\`seed\` 1 → 2" "other key differs"
  has "$T/c/odd.md" "\`idle_seconds\` 5 → 4" "the idle window is not a figure"
  hasnt "$T/c/odd.md" "\`dir\`" "the temp folder"
  # a key that varies from run to run within a side is not a difference of the builds
  runs vary base "batches=3" "batches=4"
  runs vary current "batches=5" "batches=5"
  compare vary
  hasnt "$T/c/vary.md" "batches" "varies within the base"
}

# A repository whose bench/run.sh is a stand-in: it offers the benchmarks in bench/list,
# prints bench/figures.NAME (N: how many runs this tree has made) and logs each call.
fake_repo() {
  local r=$T/repo
  mkdir -p "$r/bench"
  cp "$here/beside.sh" "$here/compare.awk" "$r/bench/"
  cat >"$r/bench/run.sh" <<'EOF'
#!/usr/bin/env bash
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ $1 != --help ]] || { echo "  BENCHMARK    any of: $(cat bench/list) (default: all)"; exit 0; }
tree=$(basename "$(dirname "$PWD")")/$(basename "$PWD")
n=$(($(grep -c "^$tree " "$CALLS" || true) + 1))
echo "$tree $*" >>"$CALLS"
echo "| a table |"
sed "s/N/$n/g" "bench/figures.${*: -1}" >&2
EOF
  chmod +x "$r/bench/run.sh"
  printf 'build*/\n' >"$r/.gitignore"
  echo "a b" >"$r/bench/list"
  printf 'scans_per_s=100N\nlat_ms=2N.0\nitems=5\n' >"$r/bench/figures.a"
  printf 'x_ms=1\n' >"$r/bench/figures.b"
  echo "readme" >"$r/README.md"
  git -C "$r" init -q
  git -C "$r" add -A
  git -C "$r" -c user.name=t -c user.email=t@t commit -qm base
  # the current tree: a slower, counts one item more, has c instead of b
  echo "a c" >"$r/bench/list"
  printf 'scans_per_s=80N\nlat_ms=2N.0\nitems=6\n' >"$r/bench/figures.a"
  printf 'y_ms=1\n' >"$r/bench/figures.c"
}

case_beside_runs_both_in_turn() {
  fake_repo
  export CALLS=$T/calls
  local rc=0
  (cd "$T/repo" && bench/beside.sh --beside HEAD --rounds 2 --quick --readme) >"$T/out" 2>"$T/err" || rc=$?
  [[ $rc == 1 ]] || { cat "$T/out" "$T/err" >&2; fail "a slower figure: exit $rc, wanted 1"; }
  has "$T/out" "| scans_per_s | 1,002 | 802 | -20.0% | ±5.0% (floor) | slower |" "a is slower"
  has "$T/out" "| lat_ms | 21.5 | 21.5 | +0.0% | ±23.3% (floor of 5 ms) | within noise |" "latency: the floor of 5 ms"
  has "$T/out" "\`items\` 5 → 6" "a count that changed"
  has "$T/out" "- b: only in HEAD (not run)" "b"
  has "$T/out" "- c: only in the current tree (not run)" "c"
  has "$T/out" "2 runs a side in turn, --quick" "heading"
  has "$T/err" "WORSE BEYOND NOISE: a: scans_per_s slower" "named on stderr"
  # base and current in turn, the base from its worktree, README only by the last current
  printf '%s\n' "src --no-readme --quick a" "repo --no-readme --quick a" "src --no-readme --quick a" \
    "repo --quick a" >"$T/want"
  sed 's|^[^ ]*/||' "$CALLS" | diff "$T/want" - || fail "the order of the runs"
  [[ $(git -C "$T/repo/build/beside-HEAD/src" rev-parse HEAD) == $(git -C "$T/repo" rev-parse HEAD) ]] ||
    fail "the base is not a worktree of REV"
  has "$T/repo/build/beside-HEAD/beside.md" "| scans_per_s |" "the tables are kept"
  rc=0
  (cd "$T/repo" && bench/beside.sh --beside HEAD --only nothing) >/dev/null 2>&1 || rc=$?
  [[ $rc == 2 ]] || fail "an unknown benchmark: exit $rc, wanted 2"
}

mkdir -p "$T/c"
for c in $(declare -F | sed -n 's/^declare -f case_//p'); do
  "case_$c"
  echo "ok - /bench/beside/$c"
done
