#!/usr/bin/env bash
# bench/beside.sh: `bench/run.sh --beside REV ...`, the benchmarks of this tree beside
# those of commit REV in the same run (see bench/README.md, "Beside another commit"), so
# that a refactor can show every figure within noise of its base.
#
# REV gets a git worktree of its own, build/beside-REV/src, and each side is driven only
# through its own bench/run.sh (which builds its Release tree and knows how to run its
# programs): REV may have another layout, and no source of this tree is compiled against
# it. For each benchmark the two sides run in turn, base first, round after round, so a
# drift of the machine hits both alike. Every run's output is kept in
# build/beside-REV/runs/<name>.<side>.<round>.txt; compare.awk reads their key=value
# lines and makes one table a benchmark: figure, base, current, change, noise band,
# verdict. The tables go to stdout and to build/beside-REV/beside.md.
#
# README.md is left alone: the base always runs with --no-readme, and the current tree
# too unless --readme (then its last round writes its blocks, as bench/run.sh does).
# Exits 1 when a figure is worse beyond noise, or a run failed (each named), else 0.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

noise_factor=2   # the band is this many times the spread of a figure's repeats,
noise_floor=5    # never under this % of the base, however steady they are,
noise_floor_ms=5 # nor under this for a time (one fsync of the WAL varies by ms),
noise_default=10 # and this % when nothing repeats the figure (compare.awk says why)

usage() {
  echo "usage: bench/run.sh --beside REV [--quick] [--rounds N] [--noise PCT] [--readme]"
  echo "                    [--only LIST | BENCHMARK...]"
  echo "  --beside REV  run each benchmark of this tree beside the same of commit REV"
  echo "  --rounds N    runs a side of each benchmark, interleaved (default 3)"
  echo "  --noise PCT   a fixed noise band for every figure (default: from the runs' spread)"
  echo "  --readme      let the current tree's last round write its README.md blocks"
  echo "  --only LIST   the benchmarks named, comma-separated (default: all of either side)"
}

# valued $#: an option that takes a value has one after it.
valued() { [[ $1 -ge 2 ]] || { usage >&2; exit 2; }; }

rev=""
rounds=3
noise=""
readme=0
size_args=()
names=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --beside) valued $#; rev=$2; shift ;;
    --rounds) valued $#; rounds=$2; shift ;;
    --noise) valued $#; noise=$2; shift ;;
    --only) valued $#; IFS=, read -ra listed <<<"$2"; names+=("${listed[@]}"); shift ;;
    --quick) size_args=(--quick) ;;
    --readme) readme=1 ;;
    --no-readme) readme=0 ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; exit 2 ;;
    *) names+=("$1") ;;
  esac
  shift
done
[[ -n $rev && $rounds =~ ^[1-9][0-9]*$ && $noise =~ ^([0-9]+(\.[0-9]+)?)?$ ]] || { usage >&2; exit 2; }

log() {
  if [[ -t 2 ]]; then printf '\033[1m== %s\033[0m\n' "$*" >&2; else printf '== %s\n' "$*" >&2; fi
}
die() { log "$*"; exit 1; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# The benchmarks a tree's run.sh offers, from its usage ("any of: a b c (default: all)").
benchmarks_of() { "$1/bench/run.sh" --help | sed -n 's/.*any of: \(.*\) (default.*/\1/p'; }

# ---- the base: REV in a worktree of its own ---------------------------------------------

sha=$(git rev-parse --verify --quiet "$rev^{commit}") || die "not a commit: $rev"
top=build/beside-$(printf '%s' "$rev" | tr -c 'A-Za-z0-9._-' '-')
base=$top/src
runs=$top/runs
if [[ ! -e $base/.git ]]; then
  log "checking out $rev (${sha:0:7}) in $base"
  # --force: a worktree once registered there and since deleted with build/
  git worktree add --force --detach --quiet "$base" "$sha"
elif [[ $(git -C "$base" rev-parse HEAD) != "$sha" ]]; then
  log "moving $base to $rev (${sha:0:7})"
  git -C "$base" checkout --detach --quiet "$sha"
fi
[[ -x $base/bench/run.sh ]] || die "$rev has no bench/run.sh to run its benchmarks with"

read -ra in_current <<<"$(benchmarks_of .)"
read -ra in_base <<<"$(benchmarks_of "$base")"
is_in() { local x; for x in "${@:2}"; do [[ $x == "$1" ]] && return 0; done; return 1; }

# Default: every benchmark of either side, this tree's order first.
if [[ ${#names[@]} -eq 0 ]]; then
  names=("${in_current[@]}")
  for b in "${in_base[@]}"; do is_in "$b" "${names[@]}" || names+=("$b"); done
fi
for b in "${names[@]}"; do
  is_in "$b" "${in_current[@]}" "${in_base[@]}" || { usage >&2; exit 2; }
done

# ---- the runs ---------------------------------------------------------------------------

current_commit=$(git rev-parse --short HEAD)
if [[ -n $(git status --porcelain -- . ':(exclude)README.md' | head -n1) ]]; then
  current_commit="$current_commit + uncommitted changes"
fi
base_commit="\`$rev\` (${sha:0:7})"

failed=() # "SIDE NAME, round R (exit N; see FILE)"
only=()   # "NAME: only in SIDE (not run)"

# run_side SIDE ROOT NAME ROUND: one run of benchmark NAME by ROOT's own run.sh, its
# stdout (the tables) into runs/NAME.SIDE.ROUND.md, the programs' output into .txt.
run_side() {
  local side=$1 root=$2 name=$3 round=$4 out=$runs/$3.$1.$4 args=(--no-readme) rc=0
  [[ $side == current && $readme == 1 && $round == "$rounds" ]] && args=()
  log "$name, round $round of $rounds: $side (load average $(loadavg); output in $out.txt)"
  "$root/bench/run.sh" "${args[@]}" "${size_args[@]}" "$name" >"$out.md" 2>"$out.txt" || rc=$?
  [[ $rc == 0 ]] || failed+=("$side $name, round $round (exit $rc; see $out.txt)")
}

# section NAME LOAD_BEFORE: the heading and table of benchmark NAME.
section() {
  echo "\`$1\`: base $base_commit beside current $current_commit, $rounds run$([[ $rounds == 1 ]] || echo s) a side in turn${size_args[*]:+, ${size_args[*]}}, load average $2 → $(loadavg):"
  echo
  awk -f bench/compare.awk -v bench="$1" -v noise="$noise" -v factor=$noise_factor \
    -v floor=$noise_floor -v floor_ms=$noise_floor_ms -v default_band=$noise_default -v worse_file="$runs/worse" "$runs/$1".base.*.txt "$runs/$1".current.*.txt
}

# ZXing's photographs sit in ../shared beside a clone, which the base's worktree lacks:
# both sides read the same folder, or the base would measure no decode rates at all.
if [[ -z ${MUSTER_ZXING_BLACKBOX:-} && -d ../shared/data/zxing-blackbox ]]; then
  MUSTER_ZXING_BLACKBOX=$(realpath ../shared/data/zxing-blackbox)
  export MUSTER_ZXING_BLACKBOX
fi

mkdir -p "$runs"
rm -f "$runs/worse" "$top/beside.md"
for b in "${names[@]}"; do
  rm -f "$runs/$b".*
  if ! is_in "$b" "${in_base[@]}"; then only+=("$b: only in the current tree (not run)"); continue; fi
  if ! is_in "$b" "${in_current[@]}"; then only+=("$b: only in $rev (not run)"); continue; fi
  before=$(loadavg)
  for ((r = 1; r <= rounds; r++)); do
    run_side base "$base" "$b" "$r"
    run_side current . "$b" "$r"
  done
  section "$b" "$before" >>"$top/beside.md"
  echo >>"$top/beside.md"
done

{
  for o in "${only[@]}"; do echo "- $o"; done
  if [[ -n $noise ]]; then
    echo "Noise band: ±$noise % for every figure (--noise)."
  else
    echo "Noise band: $noise_factor × the wider spread (max − min) of a figure over either side's runs (runs); with one run a side, over the rounds a benchmark repeats itself (its rounds); never under ±$noise_floor % of the base, nor ±$noise_floor_ms ms for a time (floor); ±$noise_default % where nothing repeats (default). Change and verdict compare the medians of the runs."
  fi
} >>"$top/beside.md"
cat "$top/beside.md"
log "the tables are in $top/beside.md"

for f in "${failed[@]}"; do log "FAILED: $f"; done
if [[ -s $runs/worse ]]; then
  while read -r line; do log "WORSE BEYOND NOISE: $line"; done <"$runs/worse"
fi
[[ ${#failed[@]} -eq 0 && ! -s $runs/worse ]]
