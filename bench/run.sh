#!/usr/bin/env bash
# bench/run.sh [--quick] [--no-readme] [--only LIST | BENCHMARK...]: the one benchmark
# command (see bench/README.md). With --beside REV it runs this tree beside commit REV
# instead, one table of both (bench/beside.sh).
#
# Builds a Release tree in build/bench-release if needed, runs the benchmarks (ingest and
# reconcile: 1,000,000 items and scans, --quick: 100,000; reader latencies and idle CPU
# against the emulated NFC reader and USB scanner; a sync push to the registry, and
# pushes beside 1,000 idle connections; the kiosk's screens, on the display or on a
# virtual one (Xvfb) when there is none; the appliance's: `muster backup` beside the
# sqlite3 shell's .backup, the packages' sizes, the kiosk session's start under cage),
# shows their progress on stderr, and prints a
# Markdown table for each benchmark and one of the machine on stdout. The raw output of
# each program is kept in build/bench-release/results/.
#
# The same tables go into the top-level README.md, each between its markers
# (<!-- bench:NAME begin --> ... <!-- bench:NAME end -->, one block per benchmark and
# one for the machine), with a line saying what ran: the command, the commit (and
# "+ uncommitted changes"), the date, the machine and the load average. Only the blocks
# of the benchmarks that ran are replaced; --no-readme only prints. So the README's
# figures are always a run's own, never pasted by hand.
#
# A figure a benchmark did not deliver (absent, or nan) is NOT MEASURED in its table,
# never a number: not 0, not an older run's. Exits 0 when every benchmark ran and
# measured everything, even if a goal was missed (the table says MISSED). Otherwise it
# still runs the others and writes what it has, then says which benchmark failed and
# which figures were not measured, and exits 1.
#
# MUSTER_BENCH_DIR chooses where the temporary databases go (default $TMPDIR or /tmp).
# It must be a real disk: on tmpfs an fsync costs nothing and the figures flatter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

all_benchmarks=(ingest reconcile nfc-latency usb-latency decode sync kiosk backup packages kiosk-boot)
# The benchmarks that are scripts (bench/bench-NAME.sh), not programs (muster-bench-NAME),
# and what each needs built.
declare -A script_needs=([packages]="" [kiosk-boot]="muster muster-kiosk")
# The benchmarks made of several programs (muster-bench-PART each, its own results file):
# decode is the frame time and the black-box sets, the direct-part-mark set, the GS1
# verdicts, and the camera's frame rate through the decoder's helper process.
declare -A parts=([decode]="decode dpm gs1-verdicts decode-sandbox")

usage() {
  echo "usage: bench/run.sh [--quick] [--no-readme] [--only LIST | BENCHMARK...]"
  echo "       bench/run.sh --beside REV [--rounds N] [--noise PCT] [--readme] ... (see --beside --help)"
  echo "  --quick      smaller runs (100,000 items and scans instead of 1,000,000; fewer taps"
  echo "               and kiosk starts)"
  echo "  --no-readme  only print the tables; leave README.md as it is"
  echo "  --only LIST  the benchmarks named, comma-separated, as BENCHMARK..."
  echo "  --beside REV each benchmark beside the same of commit REV, in turn, in one table"
  echo "  BENCHMARK    any of: ${all_benchmarks[*]} (default: all)"
}

# --beside REV: this tree beside another commit, by bench/beside.sh (same options and more).
for arg in "$@"; do [[ $arg != --beside ]] || exec bench/beside.sh "$@"; done

size_args=()
selected=()
write_readme=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) size_args=(--quick) ;;
    --no-readme) write_readme=0 ;;
    --only)
      [[ $# -ge 2 ]] || { usage >&2; exit 2; }
      IFS=, read -ra listed <<<"$2"; selected+=("${listed[@]}"); shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; exit 2 ;;
    *) selected+=("$1") ;;
  esac
  shift
done
for arg in "${selected[@]}"; do
  [[ " ${all_benchmarks[*]} " == *" $arg "* ]] || { usage >&2; exit 2; }
done
[[ ${#selected[@]} -gt 0 ]] || selected=("${all_benchmarks[@]}")

build_dir=build/bench-release
results_dir=$build_dir/results
tmp_parent=${MUSTER_BENCH_DIR:-${TMPDIR:-/tmp}}
NM="NOT MEASURED"

failed=()       # "NAME (exit N)": a benchmark that did not complete
not_measured=() # "NAME: row": a table row with a figure or a goal not measured
declare -A started load_before load_after

log() {
  if [[ -t 2 ]]; then printf '\033[1m== %s\033[0m\n' "$*" >&2; else printf '== %s\n' "$*" >&2; fi
}

# The targets the selected benchmarks need: muster-bench-NAME, or a script's needs.
build_targets() {
  local b
  for b in "${selected[@]}"; do
    # shellcheck disable=SC2086 # one target a word
    if [[ -v script_needs[$b] ]]; then echo ${script_needs[$b]};
    elif [[ -v parts[$b] ]]; then printf 'muster-bench-%s\n' ${parts[$b]};
    else echo "muster-bench-$b"; fi
  done | tr ' ' '\n' | sort -u
}

# The build's chatter goes to results/build.log, shown only when the build fails.
build() {
  local blog=$results_dir/build.log targets
  mapfile -t targets < <(build_targets | grep .)
  log "building the benchmarks (Release, $build_dir; log in $blog)"
  if ! cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >"$blog" 2>&1 ||
     { [[ ${#targets[@]} -gt 0 ]] &&
       ! cmake --build "$build_dir" --target "${targets[@]}" -j"$(nproc)" >>"$blog" 2>&1; }; then
    cat "$blog" >&2
    log "the build failed (see above)"
    exit 1
  fi
}

# run NAME [PREFIX...]: runs muster-bench-NAME (under PREFIX, e.g. umockdev-wrapper),
# progress to stderr, output kept in results/NAME.txt (emptied first, so nothing of an
# older run survives). A failure is remembered for the end; the others still run.
run() {
  local name=$1 out=$results_dir/$1.txt rc=0
  shift
  log "running the $name benchmark (output in $out)"
  local bin=$build_dir/bench/muster-bench-$name dir_args=()
  [[ ! -v script_needs[$name] ]] || bin=bench/bench-$name.sh
  # benchmarks with databases take --dir; the reader ones have nothing to put on disk
  if "$bin" --help 2>&1 | grep -q -- '--dir'; then dir_args=(--dir "$tmp_parent"); fi
  "$@" "$bin" "${size_args[@]}" "${dir_args[@]}" | tee "$out" >&2 || rc=${PIPESTATUS[0]}
  case $rc in
    0) ;;
    3) failed+=("$name (exit 3: a goal NOT MEASURED)") ;;
    *) failed+=("$name (exit $rc)") ;;
  esac
}

# The kiosk benchmark draws the real screens: on the display when there is one, else on
# a virtual one with software rendering (as the kiosk tests do), so it runs headless too.
run_kiosk() {
  if [[ -n ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]]; then
    run kiosk env MUSTER_KIOSK_SILENT=1
  elif command -v xvfb-run >/dev/null; then
    run kiosk xvfb-run -a -s "-screen 0 1920x1080x24" \
      env GSK_RENDERER=cairo GDK_DEBUG=gl-disable MUSTER_KIOSK_SILENT=1
  else
    log "the kiosk benchmark needs a display or xvfb-run (package xvfb)"
    : >"$results_dir/kiosk.txt"
    failed+=("kiosk (no display, no xvfb-run)")
  fi
}

# The kiosk's session as the appliance starts it (cage -- muster-kiosk) needs an X server
# to nest in: always an Xvfb of its own, so that the figures do not depend on the desktop.
run_kiosk_boot() {
  if command -v Xvfb >/dev/null; then
    run kiosk-boot bash tests/ui/xvfb.sh env
  else
    log "the kiosk-boot benchmark needs Xvfb (package xvfb)"
    : >"$results_dir/kiosk-boot.txt"
    failed+=("kiosk-boot (no Xvfb)")
  fi
}

# ---- figures ---------------------------------------------------------------------------

# get FILE KEY: the value of the first KEY=... in FILE; nothing if none, or no FILE.
get() { awk -v k="$2" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }' "$1" 2>/dev/null || true; }

# A value the program did not print, or printed as nan or inf (computed from a figure it
# did not measure).
unmeasured() { [[ -z $1 || $1 == *nan* || $1 == *inf* ]]; }

# Numbers with thousands separators, and with a fixed number of decimals; NOT MEASURED
# for a figure not measured. txt: a value as it is.
# shellcheck disable=SC2059 # the format is one of ours, below
num() { if unmeasured "$2"; then echo "$NM"; else LC_ALL=C printf "$1" "$2"; fi; }
n0() { num '%.0f' "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'; }
n1() { num '%.1f' "$1"; }
n2() { num '%.2f' "$1"; }
n3() { num '%.3f' "$1"; }
txt() { if unmeasured "$1"; then echo "$NM"; else echo "$1"; fi; }
mib() { if unmeasured "$1"; then echo "$NM"; else awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; fi; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

# goal FILE NAME: the program's verdict on goal NAME (goal_NAME=...).
goal() { local v; v=$(get "$1" "goal_$2"); echo "${v:-$NM}"; }

# row LABEL MEASURED [GOAL VERDICT]: one table row of the benchmark $current. A measured
# cell with a figure not measured is NOT MEASURED as a whole (no half sentence around a
# hole), and so is its goal's verdict; either is remembered for the end.
row() {
  local label=$1 measured=$2 goal=${3:-} verdict=${4:-}
  if [[ $measured == *"$NM"* ]]; then
    measured=$NM
    [[ -z $goal ]] || verdict=$NM
  fi
  if [[ $measured == "$NM" || $verdict == "$NM" ]]; then not_measured+=("$current: $label"); fi
  echo "| $label | $measured | $goal | $verdict |"
}

# ---- the tables: one function a benchmark ---------------------------------------------

rows_ingest() {
  local i=$results_dir/ingest.txt
  row "Ingest, $(n0 "$(get "$i" scans)") scans through the engine ($(n0 "$(get "$i" items)") items)" \
    "$(n0 "$(get "$i" ingest_scans_per_s)") scans/s" "≥ 100,000 scans/s" "$(goal "$i" rate)"
  row "Ingest vs raw SQLite insert loop of the same rows, same checkpoint policy" \
    "$(n2 "$(get "$i" ingest_vs_raw)")× (raw $(n0 "$(get "$i" raw_rows_per_s)") rows/s)" \
    "≥ 0.5×" "$(goal "$i" ratio)"
  row "Scan durable: add → committed" \
    "median $(n1 "$(get "$i" latency_median_ms)") ms, p99 $(n1 "$(get "$i" latency_p99_ms)") ms, max $(n1 "$(get "$i" latency_max_ms)") ms" \
    "≤ 50 ms" "$(goal "$i" latency)"
  row "Peak memory, ingest" \
    "engine $(mib "$(get "$i" ingest_peak_rss_kib)"); raw loop $(mib "$(get "$i" raw_peak_rss_kib)") (holds its rows)"
}

rows_reconcile() {
  local r=$results_dir/reconcile.txt imp_s imp_verdict
  imp_s=$(get "$r" import_seconds)
  if unmeasured "$imp_s"; then imp_verdict=$NM; elif ge "$imp_s" 60; then imp_verdict="over 60 s"; else imp_verdict=ok; fi
  row "Reconcile: close + reconcile, $(n0 "$(get "$r" items)") items" \
    "$(n3 "$(get "$r" engine_seconds)") s" "< 1 s" "$(goal "$r" time)"
  row "Reconcile vs the fastest \`sqlite3\` shell form of the same question ($(txt "$(get "$r" baseline_form)"), best of $(txt "$(get "$r" rounds)") rounds)" \
    "$(n2 "$(get "$r" engine_vs_baseline)")× (shell $(n3 "$(get "$r" baseline_query_seconds)") s)" \
    "≤ 1.5×" "$(goal "$r" ratio)"
  row "Reconcile vs the shell's \`NOT EXISTS\` anti-join, for information" \
    "$(n2 "$(get "$r" engine_vs_not_exists)")× (shell $(n3 "$(get "$r" not_exists_query_seconds)") s)"
  row "Peak memory, reconcile" \
    "engine $(mib "$(get "$r" engine_peak_rss_kib)"); \`sqlite3\` shell $(mib "$(get "$r" baseline_peak_rss_kib)")"
  row "Set-up: import the register from CSV" \
    "$(n1 "$imp_s") s ($(n0 "$(get "$r" import_items_per_s)") items/s)" "about 60 s" "$imp_verdict"
}

rows_nfc-latency() {
  local n=$results_dir/nfc-latency.txt
  row "NFC tap → scan (NTAG215, NDEF + signature; PN532 emulator on a pty)" \
    "median $(n1 "$(get "$n" ntag215_latency_median_ms)") ms, p99 $(n1 "$(get "$n" ntag215_latency_p99_ms)") ms (UID only: median $(n1 "$(get "$n" uid_only_latency_median_ms)") ms)" \
    "p99 < 500 ms" "$(goal "$n" latency)"
  row "NFC idle CPU, reader thread, no tag for 5 s" \
    "$(n2 "$(get "$n" idle_reader_thread_cpu_percent)") % of a core (process $(n2 "$(get "$n" idle_process_cpu_percent)") %)" \
    "≤ 1 %" "$(goal "$n" idle)"
}

rows_usb-latency() {
  local u=$results_dir/usb-latency.txt
  row "USB scanner: report → scan event ($(txt "$(get "$u" scans)") scans, umockdev)" \
    "median $(n3 "$(get "$u" latency_median_ms)") ms, p99 $(n3 "$(get "$u" latency_p99_ms)") ms" \
    "p99 ≤ 50 ms" "$(goal "$u" latency)"
  row "USB scanner: idle CPU, attached / none" \
    "$(n2 "$(get "$u" idle_attached_cpu_percent)") % / $(n2 "$(get "$u" idle_detached_cpu_percent)") %" \
    "≤ 1 %" "$(goal "$u" idle)"
}

rows_decode() {
  local d=$results_dir/decode.txt set who
  row "Decode a 640×480 frame (ours: zxing-cpp through its shim, as the camera runs it)" \
    "median $(n1 "$(get "$d" engine_median_ms)") ms, p99 $(n1 "$(get "$d" engine_p99_ms)") ms; read $(txt "$(get "$d" engine_read)") (Data Matrix median $(n1 "$(get "$d" engine_datamatrix_median_ms)") ms, empty frame $(n1 "$(get "$d" engine_empty_median_ms)") ms)" \
    "no wrong reads" "$(goal "$d" no_wrong_reads)"
  row "Decode a 640×480 frame, median / p99 (ours)" \
    "$(n1 "$(get "$d" engine_median_ms)") / $(n1 "$(get "$d" engine_p99_ms)") ms" \
    "≤ 10 / ≤ 30 ms" "$(goal "$d" frame_median_10ms) / $(goal "$d" frame_p99_30ms)"
  for who in zxing zbar; do
    row "The same frames, $who alone (one call, none of our passes)" \
      "median $(n1 "$(get "$d" "${who}_median_ms")") ms, p99 $(n1 "$(get "$d" "${who}_p99_ms")") ms; read $(txt "$(get "$d" "${who}_read")"), $(txt "$(get "$d" "${who}_wrong")") wrong"
  done
  row "\`zbarimg --nodbus\` on the same frames" \
    "median $(n1 "$(get "$d" zbarimg_process_median_ms)") ms a process, p99 $(n1 "$(get "$d" zbarimg_process_p99_ms)") ms; $(n1 "$(get "$d" zbarimg_batch_per_frame_ms)") ms a frame in one batch; read $(txt "$(get "$d" zbarimg_read)")"
  # every set of tests/decode/zxing-blackbox.c, so that one without figures shows
  for set in datamatrix-1 qrcode-1 code39-1 code128-2 ean13-1 falsepositives; do
    row "ZXing blackbox \`$set\` (ours as \`muster decode\` reads photos)" \
      "$(txt "$(get "$d" "rate_$set")"); as the camera reads frames $(txt "$(get "$d" "rate_engine_$set")"); zxing-cpp alone $(txt "$(get "$d" "rate_zxing_$set")"); zbar alone $(txt "$(get "$d" "rate_zbar_$set")")" \
      "ZXing's threshold" "$(goal "$d" "blackbox_$set")"
  done
  rows_decode_dpm
  rows_decode_camera
  local g=$results_dir/gs1-verdicts.txt
  row "GS1 scan data with AIM identifiers: verdicts that agree with GS1's engine ($(txt "$(get "$g" cases_file)"))" \
    "$(txt "$(get "$g" agree)") of $(txt "$(get "$g" cases)") ($(txt "$(get "$g" agree_percent)") %), median $(n1 "$(get "$g" verdict_median_us)") µs a verdict" \
    "all" "$(goal "$g" all_verdicts_agree)"
}

# The direct-part-mark set (tests/decode/dpm), as photographs: ours with and without our
# passes (the inverted search, the dot-peen view, libdmtx's fallback...).
rows_decode_dpm() {
  local p=$results_dir/dpm.txt kind
  for kind in low-contrast dot-peen glare perspective light-on-dark dot-peen-low-contrast \
              perspective-glare cylinder; do
    row "Direct part marks \`$kind\` ($(txt "$(get "$p" dpm_images_per_kind)") frames, libdmtx budget $(txt "$(get "$p" dpm_dmtx_budget_ms)") ms)" \
      "$(txt "$(get "$p" "dpm_${kind}_read")"); without our passes $(txt "$(get "$p" "dpm_${kind}_read_without_preprocessing")"); median $(n1 "$(get "$p" "dpm_${kind}_median_ms")") ms; misreads $(txt "$(get "$p" "dpm_${kind}_misreads")")" \
      "the test's threshold" "$(goal "$p" "dpm_$kind")"
  done
  row "Direct part marks: no misreads" "$(txt "$(get "$p" goal_dpm_no_misreads)")" "0 misreads" \
    "$(goal "$p" dpm_no_misreads)"
}

# The camera at frame rate (drivers/camera: a worker thread, frames skipped while one is
# decoded), and what the decoder's helper process costs (decode/README.md, "Isolation").
rows_decode_camera() {
  local s=$results_dir/decode-sandbox.txt
  row "Camera frames decoded per second, 30 fps source, 2 cores: in-process / through the helper" \
    "$(n1 "$(get "$s" camera_inprocess_decoded_per_s)") / $(n1 "$(get "$s" camera_sandbox_decoded_per_s)") (skipped $(n1 "$(get "$s" camera_inprocess_skipped_per_s)") / $(n1 "$(get "$s" camera_sandbox_skipped_per_s)") a second)" \
    "≥ 25" "$(goal "$s" camera_frames_per_s)"
  row "The helper process: a frame in-process / by memfd / by socket, median (p99)" \
    "$(n1 "$(get "$s" frame_inprocess_median_ms)") ($(n1 "$(get "$s" frame_inprocess_p99_ms)")) / $(n1 "$(get "$s" frame_memfd_median_ms)") ($(n1 "$(get "$s" frame_memfd_p99_ms)")) / $(n1 "$(get "$s" frame_socket_median_ms)") ($(n1 "$(get "$s" frame_socket_p99_ms)")) ms; round trip alone $(n2 "$(get "$s" round_trip_memfd_ms)") ms; a restart $(n1 "$(get "$s" helper_start_ms)") ms"
  row "The decoder's fuzz corpora through the helper ($(txt "$(get "$s" fuzz_corpus_files)") frames)" \
    "$(txt "$(get "$s" fuzz_corpus_crashed)") crashed, $(txt "$(get "$s" fuzz_corpus_hung)") hung; slowest $(n1 "$(get "$s" fuzz_corpus_slowest_ms)") ms" \
    "no crash or hang" "$(goal "$s" fuzz_corpus_no_crash_or_hang)"
}

rows_sync() {
  local y=$results_dir/sync.txt
  row "Sync: push $(n0 "$(get "$y" events)") outbox events to muster-registry on loopback (TLS, PostgreSQL fsync=$(txt "$(get "$y" push_pg_fsync)"))" \
    "$(n1 "$(get "$y" push_seconds)") s, $(n0 "$(get "$y" push_events_per_s)") events/s, $(n0 "$(get "$y" wire_bytes_per_event)") bytes on the wire an event" \
    "< 60 s for 1,000,000" "$(goal "$y" push_under_60s_per_million)"
  row "Sync: registry apply rate" "$(n0 "$(get "$y" registry_apply_events_per_s)") events/s"
  row "Sync: the same push with PostgreSQL fsync=$(txt "$(get "$y" fsync_off_push_pg_fsync)"), beside it for comparison (no registry runs so)" \
    "$(n1 "$(get "$y" fsync_off_push_seconds)") s, $(n0 "$(get "$y" fsync_off_push_events_per_s)") events/s; apply rate $(n0 "$(get "$y" fsync_off_registry_apply_events_per_s)") events/s"
  row "Sync: 1 / 4 / 16 appliances at once" \
    "$(n0 "$(get "$y" appliances_1_events_per_s)") / $(n0 "$(get "$y" appliances_4_events_per_s)") / $(n0 "$(get "$y" appliances_16_events_per_s)") events/s in all"
  rows_sync_idle "$y"
}

# The pushes beside idle connections (issue 10): the idle registry, then beside idle TCP
# and idle TLS connections, each with how many the registry held.
rows_sync_idle() {
  local y=$1 kind
  row "Sync: push of $(txt "$(get "$y" idle_push_events)") events, fresh TLS connection, idle registry ($(txt "$(get "$y" idle_pushes)") pushes)" \
    "p50 $(n1 "$(get "$y" push_idle_registry_p50_ms)") ms, p99 $(n1 "$(get "$y" push_idle_registry_p99_ms)") ms (CPU $(n1 "$(get "$y" push_idle_registry_cpu_seconds)") s of $(n1 "$(get "$y" push_idle_registry_seconds)") s)"
  for kind in tcp tls; do
    row "Sync: the same beside $(n0 "$(get "$y" ${kind}_idle_connections)") idle ${kind^^} connections (registry held $(txt "$(get "$y" ${kind}_idle_held_before)") / $(txt "$(get "$y" ${kind}_idle_held_after)") before / after)" \
      "p50 $(n1 "$(get "$y" push_${kind}_idle_p50_ms)") ms, p99 $(n1 "$(get "$y" push_${kind}_idle_p99_ms)") ms (CPU $(n1 "$(get "$y" push_${kind}_idle_cpu_seconds)") s of $(n1 "$(get "$y" push_${kind}_idle_seconds)") s); p99 $(n2 "$(get "$y" ${kind}_idle_p99_vs_baseline)")× the idle registry's"
  done
}

rows_kiosk() {
  local k=$results_dir/kiosk.txt scroll
  row "Kiosk: start → first painted frame (1920×1080)" \
    "$(n1 "$(get "$k" first_frame_ms)") ms" "< 300 ms" "$(goal "$k" first_frame)"
  row "Kiosk: read → committed → on screen ($(n0 "$(get "$k" latency_scans)") scans at $(txt "$(get "$k" rate)")/s, $(n0 "$(get "$k" items)") items)" \
    "p50 $(n1 "$(get "$k" latency_p50_ms)") ms, p99 $(n1 "$(get "$k" latency_p99_ms)") ms, max $(n1 "$(get "$k" latency_max_ms)") ms" \
    "p99 < 30 ms" "$(goal "$k" latency)"
  row "Kiosk: peak memory of the kiosk process" \
    "$(mib "$(get "$k" kiosk_peak_rss_kib)")" "< 150 MB" "$(goal "$k" rss)"
  # a scroll that did not get to the bottom says why, with the frames it saw
  scroll="$(n0 "$(get "$k" scroll_dropped_frames)") of $(n0 "$(get "$k" scroll_frames)") frames dropped (p99 frame $(n1 "$(get "$k" scroll_frame_p99_ms)") ms)"
  if [[ $(get "$k" scroll_complete) != 1 ]]; then
    scroll="$scroll, but the scroll did not finish: $(txt "$(get "$k" scroll_stopped)")"
  fi
  row "Kiosk: scroll $(n0 "$(get "$k" review_rows)") discrepancies top to bottom" "$scroll" \
    "none dropped" "$(goal "$k" scroll)"
}

rows_backup() {
  local b=$results_dir/backup.txt
  row "Backup of $(n0 "$(get "$b" items)") items ($(n0 "$(get "$b" db_mib)") MiB, $(n0 "$(get "$b" muster1_audit_entries)") audit entries): \`muster backup\` (engine, best of $(txt "$(get "$b" rounds)") rounds)" \
    "$(n2 "$(get "$b" muster_seconds)") s, $(n0 "$(get "$b" muster_mib_per_s)") MiB/s, peak $(mib "$(get "$b" muster_peak_rss_kib)")"
  row "… of which (its steps run again on the copy): copy + fsync + manifest / integrity_check / audit verify / SHA-256" \
    "$(n2 "$(get "$b" muster_copy_seconds)") / $(n2 "$(get "$b" muster_integrity_seconds)") / $(n2 "$(get "$b" muster_verify_seconds)") / $(n2 "$(get "$b" muster_digest_seconds)") s"
  row "\`sqlite3 DB \".backup OUT\"\` of the same file, same rounds" \
    "$(n2 "$(get "$b" sqlite3_seconds)") s, $(n0 "$(get "$b" sqlite3_mib_per_s)") MiB/s, peak $(mib "$(get "$b" sqlite3_peak_rss_kib)"); muster $(n2 "$(get "$b" muster_vs_sqlite3)")×"
  row "The same, then \`PRAGMA integrity_check\` on the copy" \
    "$(n2 "$(get "$b" sqlite3_check_seconds)") s, $(n0 "$(get "$b" sqlite3_check_mib_per_s)") MiB/s; muster $(n2 "$(get "$b" muster_vs_sqlite3_check)")×"
}

rows_packages() {
  local p=$results_dir/packages.txt pkg key
  for pkg in muster muster-kiosk muster-registry; do
    key=${pkg//-/_}
    row "Package \`$pkg\` $(txt "$(get "$p" "${key}_version")")" \
      "$(n0 "$(get "$p" "${key}_deb_kib")") KiB .deb, $(n0 "$(get "$p" "${key}_installed_kib")") KiB installed"
  done
  row "All three" \
    "$(n0 "$(get "$p" total_deb_kib)") KiB .deb, $(n0 "$(get "$p" total_installed_kib)") KiB installed (debug symbols apart: $(n0 "$(get "$p" dbgsym_deb_kib)") KiB)"
}

rows_kiosk-boot() {
  local k=$results_dir/kiosk-boot.txt mode what
  for mode in setup sign_in; do
    what="the first-boot setup screen (no database)"
    [[ $mode == setup ]] || what="the sign-in screen (a database)"
    row "Kiosk session: spawn of \`cage -- muster-kiosk\` → first painted frame, $what, $(txt "$(get "$k" starts)") starts" \
      "median $(n0 "$(get "$k" ${mode}_first_frame_ms)") ms, p90 $(n0 "$(get "$k" ${mode}_first_frame_p90_ms)") ms"
  done
}

# ---- what ran, where: the blocks -------------------------------------------------------

loadavg() { cut -d' ' -f1 /proc/loadavg; }

# The commit measured. README.md is left out of "uncommitted changes": this script
# writes it, and no figure depends on it.
describe_commit() {
  local c
  c=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git status --porcelain -- . ':(exclude)README.md' 2>/dev/null | head -n1) ]]; then
    c="$c + uncommitted changes"
  fi
  echo "$c"
}

describe_machine() {
  local cpu
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
  echo "${cpu:-unknown CPU}, $(nproc) cores"
}

# block NAME: what ran, and the table of benchmark NAME (run in this shell, not in a
# subshell, so that row() can remember what was not measured).
block() {
  current=$1
  echo "\`bench/run.sh${size_args[*]:+ ${size_args[*]}} $1\` at $commit, ${started[$1]}, $machine, load average ${load_before[$1]} → ${load_after[$1]}:"
  echo
  echo "| Benchmark | Measured | Goal | |"
  echo "|---|---|---|---|"
  "rows_$1"
}

machine_block() {
  local ram fs dev shell_v lib_v b
  ram=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  fs=$(df -PT "$tmp_parent" | awk 'NR == 2 { print $2 }')
  dev=$(df -PT "$tmp_parent" | awk 'NR == 2 { print $1 }')
  shell_v=$(/usr/bin/sqlite3 --version 2>/dev/null | cut -d' ' -f1)
  for b in "${selected[@]}"; do
    lib_v=$(get "$results_dir/$b.txt" sqlite_version)
    [[ -z $lib_v ]] || break
  done
  lib_v=${lib_v:-$(pkg-config --modversion sqlite3 2>/dev/null || echo "?")}
  echo "The machine of the last run ($(date -u +%Y-%m-%dT%H:%MZ), at $commit):"
  echo
  echo "| Machine | |"
  echo "|---|---|"
  echo "| CPU | $machine |"
  echo "| RAM | $ram |"
  echo "| Disk | $fs on $dev ($tmp_parent) |"
  echo "| Kernel | $(uname -sr) |"
  echo "| SQLite | library $lib_v, shell ${shell_v:-?} |"
}

# readme_replace NAME FILE: README.md's block NAME becomes FILE's text, between its
# markers, which stay.
readme_replace() {
  local begin="<!-- bench:$1 begin -->" end="<!-- bench:$1 end -->"
  if ! grep -qxF "$begin" README.md || ! grep -qxF "$end" README.md; then
    failed+=("README.md: no $begin … $end, its table is not written there")
    return
  fi
  awk -v begin="$begin" -v end="$end" -v file="$2" '
    $0 == begin { print; print ""; while ((getline line < file) > 0) print line; print ""; skip = 1; next }
    $0 == end { skip = 0 }
    !skip' README.md >README.md.new
  mv README.md.new README.md
}

# Says what failed and what was not measured, and exits 1 if anything did.
finish() {
  local f
  for f in "${failed[@]}"; do log "FAILED: $f"; done
  for f in "${not_measured[@]}"; do log "NOT MEASURED: $f"; done
  if [[ ${#failed[@]} -gt 0 || ${#not_measured[@]} -gt 0 ]]; then exit 1; fi
}

main() {
  mkdir -p "$results_dir"
  build
  commit=$(describe_commit)
  machine=$(describe_machine)
  if ge "$(loadavg)" 0.5; then
    log "warning: load average $(loadavg); other work on the machine skews the figures"
  fi
  local b
  for b in "${selected[@]}"; do
    started[$b]=$(date -u +%Y-%m-%dT%H:%MZ)
    load_before[$b]=$(loadavg)
    case $b in
      usb-latency) run "$b" umockdev-wrapper env ASAN_OPTIONS=verify_asan_link_order=0 ;;
      kiosk) run_kiosk ;;
      kiosk-boot) run_kiosk_boot ;;
      decode) for part in ${parts[decode]}; do run "$part" env; done ;;
      *) run "$b" env ;;
    esac
    load_after[$b]=$(loadavg)
  done
  for b in "${selected[@]}"; do
    block "$b" >"$results_dir/$b.md"
    echo
    cat "$results_dir/$b.md"
  done
  machine_block >"$results_dir/machine.md"
  echo
  cat "$results_dir/machine.md"
  if [[ $write_readme == 1 ]]; then
    for b in "${selected[@]}" machine; do readme_replace "$b" "$results_dir/$b.md"; done
    log "README.md: replaced the blocks of ${selected[*]} and of the machine"
  fi
  finish
}

main
