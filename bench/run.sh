#!/usr/bin/env bash
# bench/run.sh [--quick]: the one benchmark command (see bench/README.md).
#
# Builds a Release tree in build/bench-release if needed, runs the ingest and reconcile
# benchmarks (1,000,000 items and scans; --quick: 100,000), shows their progress on
# stderr, and prints a Markdown table of the results and of the machine on stdout, ready
# to paste into the README. The raw output of each program is kept in
# build/bench-release/results/. Exits 0 when the benchmarks ran, even if a goal was
# missed (the table says MISSED); non-zero only when something failed.
#
# MUSTER_BENCH_DIR chooses where the temporary databases go (default $TMPDIR or /tmp).
# It must be a real disk: on tmpfs an fsync costs nothing and the figures flatter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() {
  echo "usage: bench/run.sh [--quick]"
  echo "  --quick   100,000 items and scans instead of 1,000,000 (a fast check)"
}

size_args=()
case "${1:-}" in
  "") ;;
  --quick) size_args=(--quick) ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

build_dir=build/bench-release
results_dir=$build_dir/results
tmp_parent=${MUSTER_BENCH_DIR:-${TMPDIR:-/tmp}}

log() {
  if [[ -t 2 ]]; then printf '\033[1m== %s\033[0m\n' "$*" >&2; else printf '== %s\n' "$*" >&2; fi
}

# The build's chatter goes to results/build.log, shown only when the build fails.
build() {
  local blog=$results_dir/build.log
  log "building the benchmarks (Release, $build_dir; log in $blog)"
  if ! { [[ -f $build_dir/CMakeCache.txt ]] ||
           cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release; } >"$blog" 2>&1 ||
     ! cmake --build "$build_dir" --target muster-bench-ingest muster-bench-reconcile \
         -j"$(nproc)" >>"$blog" 2>&1; then
    cat "$blog" >&2
    log "the build failed (see above)"
    exit 1
  fi
}

# run NAME: runs muster-bench-NAME, progress to stderr, output kept in results/NAME.txt.
run() {
  local name=$1 out=$results_dir/$1.txt
  log "running the $name benchmark (output in $out)"
  "$build_dir/bench/muster-bench-$name" "${size_args[@]}" --dir "$tmp_parent" |
    tee "$out" >&2
}

# get FILE KEY: the value of KEY=... in FILE.
get() { sed -n "s/^$2=//p" "$1" | head -n1; }

# Numbers with thousands separators, and with a fixed number of decimals.
n0() { LC_ALL=C printf '%.0f' "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'; }
n1() { LC_ALL=C printf '%.1f' "$1"; }
n2() { LC_ALL=C printf '%.2f' "$1"; }
n3() { LC_ALL=C printf '%.3f' "$1"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

machine_table() {
  local cpu cores ram fs dev kernel shell_v lib_v commit
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
  cores=$(nproc)
  ram=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  fs=$(df -PT "$tmp_parent" | awk 'NR == 2 { print $2 }')
  dev=$(df -PT "$tmp_parent" | awk 'NR == 2 { print $1 }')
  kernel=$(uname -sr)
  shell_v=$(/usr/bin/sqlite3 --version | cut -d' ' -f1)
  lib_v=$(get "$results_dir/ingest.txt" sqlite_version)
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git status --porcelain 2>/dev/null | head -n1) ]]; then commit="$commit (with uncommitted changes)"; fi
  echo "| Machine | |"
  echo "|---|---|"
  echo "| CPU | ${cpu:-unknown}, $cores cores |"
  echo "| RAM | $ram |"
  echo "| Disk | $fs on $dev ($tmp_parent) |"
  echo "| Kernel | $kernel |"
  echo "| SQLite | library $lib_v, shell $shell_v |"
  echo "| Load average before / after | $load_before / $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo "| Commit, date | $commit, $(date -u +%Y-%m-%dT%H:%MZ) |"
}

results_table() {
  local i=$results_dir/ingest.txt r=$results_dir/reconcile.txt
  local items scans rate raw ratio imp_s imp_rate eng shell eratio
  items=$(get "$r" items)
  scans=$(get "$i" scans)
  rate=$(get "$i" ingest_scans_per_s)
  raw=$(get "$i" raw_rows_per_s)
  ratio=$(get "$i" ingest_vs_raw)
  eng=$(get "$r" engine_seconds)
  shell=$(get "$r" shell_query_seconds)
  eratio=$(get "$r" engine_vs_shell)
  imp_s=$(get "$r" import_seconds)
  imp_rate=$(get "$r" import_items_per_s)
  local imp_verdict=ok
  ge "$imp_s" 60 && imp_verdict="over 60 s"
  echo "| Benchmark ($(n0 "$items") items) | Measured | Goal | |"
  echo "|---|---|---|---|"
  echo "| Ingest, $(n0 "$scans") scans through the engine | $(n0 "$rate") scans/s | ≥ 100,000 scans/s | $(get "$i" goal_rate) |"
  echo "| Ingest vs raw SQLite insert loop of the same rows | $(n2 "$ratio")× (raw $(n0 "$raw") rows/s) | ≥ 0.5× | $(get "$i" goal_ratio) |"
  echo "| Scan durable: add → committed | median $(n1 "$(get "$i" latency_median_ms)") ms, p99 $(n1 "$(get "$i" latency_p99_ms)") ms, max $(n1 "$(get "$i" latency_max_ms)") ms | ≤ 50 ms | $(get "$i" goal_latency) |"
  echo "| Reconcile: close + reconcile | $(n3 "$eng") s | < 1 s | $(get "$r" goal_time) |"
  echo "| Reconcile vs \`sqlite3\` shell anti-join | $(n2 "$eratio")× (shell $(n3 "$shell") s) | ≤ 1.5× | $(get "$r" goal_ratio) |"
  echo "| Reconcile vs the same question as an EXCEPT merge (the engine's form), for information | $(n2 "$(get "$r" engine_vs_merge)")× (shell $(n3 "$(get "$r" merge_query_seconds)") s) | | |"
  echo "| Peak memory, ingest | engine $(mib "$(get "$i" ingest_peak_rss_kib)"); raw loop $(mib "$(get "$i" raw_peak_rss_kib)") (holds its rows) | | |"
  echo "| Peak memory, reconcile | engine $(mib "$(get "$r" engine_peak_rss_kib)"); \`sqlite3\` shell $(mib "$(get "$r" shell_peak_rss_kib)") | | |"
  echo "| Set-up: import the register from CSV | $(n1 "$imp_s") s ($(n0 "$imp_rate") items/s) | about 60 s | $imp_verdict |"
}

main() {
  mkdir -p "$results_dir"
  build
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  if ge "${load_before%% *}" 0.5; then
    log "warning: load average $load_before; other work on the machine skews the figures"
  fi
  run ingest
  run reconcile
  echo
  results_table
  echo
  machine_table
}

main
