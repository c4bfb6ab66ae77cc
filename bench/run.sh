#!/usr/bin/env bash
# bench/run.sh [--quick] [BENCHMARK...]: the one benchmark command (see bench/README.md).
#
# Builds a Release tree in build/bench-release if needed, runs the benchmarks (ingest and
# reconcile: 1,000,000 items and scans, --quick: 100,000; reader latencies and idle CPU
# against the emulated NFC reader and USB scanner; a sync push to the registry, and
# pushes beside 1,000 idle connections; the kiosk's screens, on the display or
# on a virtual one (Xvfb) when there is none), shows their progress on
# stderr, and prints a Markdown table of the results and of the machine on stdout, ready
# to paste into the README. The raw output of each program is kept in
# build/bench-release/results/. Exits 0 when the benchmarks ran, even if a goal was
# missed (the table says MISSED); non-zero only when something failed.
#
# MUSTER_BENCH_DIR chooses where the temporary databases go (default $TMPDIR or /tmp).
# It must be a real disk: on tmpfs an fsync costs nothing and the figures flatter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

all_benchmarks=(ingest reconcile nfc-latency usb-latency decode sync kiosk)

usage() {
  echo "usage: bench/run.sh [--quick] [BENCHMARK...]"
  echo "  --quick     smaller runs (100,000 items and scans instead of 1,000,000; fewer taps)"
  echo "  BENCHMARK   any of: ${all_benchmarks[*]} (default: all)"
}

size_args=()
selected=()
for arg in "$@"; do
  case "$arg" in
    --quick) size_args=(--quick) ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; exit 2 ;;
    *)
      [[ " ${all_benchmarks[*]} " == *" $arg "* ]] || { usage >&2; exit 2; }
      selected+=("$arg") ;;
  esac
done
[[ ${#selected[@]} -gt 0 ]] || selected=("${all_benchmarks[@]}")

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
  if ! cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >"$blog" 2>&1 ||
     ! cmake --build "$build_dir" --target "${selected[@]/#/muster-bench-}" \
         -j"$(nproc)" >>"$blog" 2>&1; then
    cat "$blog" >&2
    log "the build failed (see above)"
    exit 1
  fi
}

# run NAME [PREFIX...]: runs muster-bench-NAME (under PREFIX, e.g. umockdev-wrapper),
# progress to stderr, output kept in results/NAME.txt.
run() {
  local name=$1 out=$results_dir/$1.txt
  shift
  log "running the $name benchmark (output in $out)"
  local bin=$build_dir/bench/muster-bench-$name dir_args=()
  # benchmarks with databases take --dir; the reader ones have nothing to put on disk
  if "$bin" --help 2>&1 | grep -q -- '--dir'; then dir_args=(--dir "$tmp_parent"); fi
  "$@" "$bin" "${size_args[@]}" "${dir_args[@]}" | tee "$out" >&2
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
  lib_v=$(get "$results_dir/ingest.txt" sqlite_version 2>/dev/null || echo "?")
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

rows_ingest() {
  local i=$results_dir/ingest.txt
  echo "| Ingest, $(n0 "$(get "$i" scans)") scans through the engine ($(n0 "$(get "$i" items)") items) | $(n0 "$(get "$i" ingest_scans_per_s)") scans/s | ≥ 100,000 scans/s | $(get "$i" goal_rate) |"
  echo "| Ingest vs raw SQLite insert loop of the same rows | $(n2 "$(get "$i" ingest_vs_raw)")× (raw $(n0 "$(get "$i" raw_rows_per_s)") rows/s) | ≥ 0.5× | $(get "$i" goal_ratio) |"
  echo "| Scan durable: add → committed | median $(n1 "$(get "$i" latency_median_ms)") ms, p99 $(n1 "$(get "$i" latency_p99_ms)") ms, max $(n1 "$(get "$i" latency_max_ms)") ms | ≤ 50 ms | $(get "$i" goal_latency) |"
  echo "| Peak memory, ingest | engine $(mib "$(get "$i" ingest_peak_rss_kib)"); raw loop $(mib "$(get "$i" raw_peak_rss_kib)") (holds its rows) | | |"
}

rows_reconcile() {
  local r=$results_dir/reconcile.txt imp_s imp_verdict=ok
  imp_s=$(get "$r" import_seconds)
  ge "$imp_s" 60 && imp_verdict="over 60 s"
  echo "| Reconcile: close + reconcile, $(n0 "$(get "$r" items)") items | $(n3 "$(get "$r" engine_seconds)") s | < 1 s | $(get "$r" goal_time) |"
  echo "| Reconcile vs \`sqlite3\` shell anti-join | $(n2 "$(get "$r" engine_vs_shell)")× (shell $(n3 "$(get "$r" shell_query_seconds)") s) | ≤ 1.5× | $(get "$r" goal_ratio) |"
  echo "| Reconcile vs the same question as an EXCEPT merge (the engine's form), for information | $(n2 "$(get "$r" engine_vs_merge)")× (shell $(n3 "$(get "$r" merge_query_seconds)") s) | | |"
  echo "| Peak memory, reconcile | engine $(mib "$(get "$r" engine_peak_rss_kib)"); \`sqlite3\` shell $(mib "$(get "$r" shell_peak_rss_kib)") | | |"
  echo "| Set-up: import the register from CSV | $(n1 "$imp_s") s ($(n0 "$(get "$r" import_items_per_s)") items/s) | about 60 s | $imp_verdict |"
}

rows_nfc-latency() {
  local n=$results_dir/nfc-latency.txt
  echo "| NFC tap → scan (NTAG215, NDEF + signature; PN532 emulator on a pty) | median $(n1 "$(get "$n" ntag215_latency_median_ms)") ms, p99 $(n1 "$(get "$n" ntag215_latency_p99_ms)") ms (UID only: median $(n1 "$(get "$n" uid_only_latency_median_ms)") ms) | p99 < 500 ms | $(get "$n" goal_latency) |"
  echo "| NFC idle CPU, reader thread, no tag for 5 s | $(n2 "$(get "$n" idle_reader_thread_cpu_percent)") % of a core (process $(n2 "$(get "$n" idle_process_cpu_percent)") %) | ≤ 1 % | $(get "$n" goal_idle) |"
}

rows_usb-latency() {
  local u=$results_dir/usb-latency.txt
  echo "| USB scanner: report → scan event ($(get "$u" scans) scans, umockdev) | median $(n3 "$(get "$u" latency_median_ms)") ms, p99 $(n3 "$(get "$u" latency_p99_ms)") ms | p99 ≤ 50 ms | $(get "$u" goal_latency) |"
  echo "| USB scanner: idle CPU, attached / none | $(n2 "$(get "$u" idle_attached_cpu_percent)") % / $(n2 "$(get "$u" idle_detached_cpu_percent)") % | ≤ 1 % | $(get "$u" goal_idle) |"
}

rows_decode() {
  local d=$results_dir/decode.txt
  echo "| Decode a 640×480 frame (zbar + libdmtx, ours) | median $(n1 "$(get "$d" engine_median_ms)") ms, p99 $(n1 "$(get "$d" engine_p99_ms)") ms; read $(get "$d" engine_read) (Data Matrix median $(n1 "$(get "$d" engine_datamatrix_median_ms)") ms, empty frame $(n1 "$(get "$d" engine_empty_median_ms)") ms) | | |"
  echo "| \`zbarimg --nodbus\` on the same frames | median $(n1 "$(get "$d" zbarimg_process_median_ms)") ms a process, p99 $(n1 "$(get "$d" zbarimg_process_p99_ms)") ms; $(n1 "$(get "$d" zbarimg_batch_per_frame_ms)") ms a frame in one batch; read $(get "$d" zbarimg_read) | | |"
  local set
  for set in datamatrix-1 qrcode-1 code39-1 code128-2 ean13-1 falsepositives; do
    local v
    v=$(get "$d" "rate_$set")
    [[ -n $v ]] && echo "| ZXing blackbox \`$set\` | ${v% *} | ZXing's threshold | ${v##* } |"
  done
  return 0
}

rows_sync() {
  local y=$results_dir/sync.txt
  echo "| Sync: push $(n0 "$(get "$y" events)") outbox events to muster-registry on loopback (TLS, PostgreSQL) | $(n1 "$(get "$y" push_seconds)") s, $(n0 "$(get "$y" push_events_per_s)") events/s, $(n0 "$(get "$y" wire_bytes_per_event)") bytes on the wire an event | < 60 s for 1,000,000 | $(get "$y" goal_push_under_60s_per_million) |"
  echo "| Sync: registry apply rate | $(n0 "$(get "$y" registry_apply_events_per_s)") events/s | | |"
  echo "| Sync: 1 / 4 / 16 appliances at once | $(n0 "$(get "$y" appliances_1_events_per_s)") / $(n0 "$(get "$y" appliances_4_events_per_s)") / $(n0 "$(get "$y" appliances_16_events_per_s)") events/s in all | | |"
  rows_sync_idle "$y"
}

# The pushes beside idle connections (issue 10): the idle registry, then beside idle TCP
# and idle TLS connections, each with how many the registry held.
rows_sync_idle() {
  local y=$1 kind
  [[ -n $(get "$y" push_idle_registry_p50_ms) ]] || return 0
  echo "| Sync: push of $(get "$y" idle_push_events) events, fresh TLS connection, idle registry ($(get "$y" idle_pushes) pushes) | p50 $(n1 "$(get "$y" push_idle_registry_p50_ms)") ms, p99 $(n1 "$(get "$y" push_idle_registry_p99_ms)") ms (CPU $(n1 "$(get "$y" push_idle_registry_cpu_seconds)") s of $(n1 "$(get "$y" push_idle_registry_seconds)") s) | | |"
  for kind in tcp tls; do
    echo "| Sync: the same beside $(n0 "$(get "$y" ${kind}_idle_connections)") idle ${kind^^} connections (registry held $(get "$y" ${kind}_idle_held_before) / $(get "$y" ${kind}_idle_held_after) before / after) | p50 $(n1 "$(get "$y" push_${kind}_idle_p50_ms)") ms, p99 $(n1 "$(get "$y" push_${kind}_idle_p99_ms)") ms (CPU $(n1 "$(get "$y" push_${kind}_idle_cpu_seconds)") s of $(n1 "$(get "$y" push_${kind}_idle_seconds)") s); p99 $(n2 "$(get "$y" ${kind}_idle_p99_vs_baseline)")× the idle registry's | | |"
  done
}

rows_kiosk() {
  local k=$results_dir/kiosk.txt
  echo "| Kiosk: start → first painted frame (1920×1080) | $(n1 "$(get "$k" first_frame_ms)") ms | < 300 ms | $(get "$k" goal_first_frame) |"
  echo "| Kiosk: read → committed → on screen ($(n0 "$(get "$k" latency_scans)") scans at $(get "$k" rate)/s, $(n0 "$(get "$k" items)") items) | p50 $(n1 "$(get "$k" latency_p50_ms)") ms, p99 $(n1 "$(get "$k" latency_p99_ms)") ms, max $(n1 "$(get "$k" latency_max_ms)") ms | p99 < 30 ms | $(get "$k" goal_latency) |"
  echo "| Kiosk: peak memory of the kiosk process | $(mib "$(get "$k" kiosk_peak_rss_kib)") | < 150 MB | $(get "$k" goal_rss) |"
  echo "| Kiosk: scroll $(n0 "$(get "$k" review_rows)") discrepancies top to bottom | $(get "$k" scroll_dropped_frames) of $(n0 "$(get "$k" scroll_frames)") frames dropped (p99 frame $(n1 "$(get "$k" scroll_frame_p99_ms)") ms) | none dropped | $(get "$k" goal_scroll) |"
}

# The kiosk benchmark draws the real screens: on the display when there is one, else on
# a virtual one with software rendering (as the kiosk tests do), so it runs headless too.
run_kiosk() {
  if [[ -n ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]]; then
    run kiosk env MUSTER_KIOSK_SILENT=1
  else
    command -v xvfb-run >/dev/null || { log "the kiosk benchmark needs a display or xvfb-run (package xvfb)"; exit 1; }
    run kiosk xvfb-run -a -s "-screen 0 1920x1080x24" \
      env GSK_RENDERER=cairo GDK_DEBUG=gl-disable MUSTER_KIOSK_SILENT=1
  fi
}

results_table() {
  echo "| Benchmark | Measured | Goal | |"
  echo "|---|---|---|---|"
  for b in "${selected[@]}"; do "rows_$b"; done
}

main() {
  mkdir -p "$results_dir"
  build
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  if ge "${load_before%% *}" 0.5; then
    log "warning: load average $load_before; other work on the machine skews the figures"
  fi
  for b in "${selected[@]}"; do
    case $b in
      usb-latency) run "$b" umockdev-wrapper env ASAN_OPTIONS=verify_asan_link_order=0 ;;
      kiosk) run_kiosk ;;
      *) run "$b" env ;;
    esac
  done
  echo
  results_table
  echo
  machine_table
}

main
