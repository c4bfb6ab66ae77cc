# bench/compare.awk: the table of `bench/run.sh --beside REV` for one benchmark: each
# figure of the base's runs beside the current tree's, its change, its noise band and a
# verdict (see bench/README.md, "Beside another commit").
#
# Input: the output of every run of one benchmark, one file a run, named
# <name>.base.<round>.txt or <name>.current.<round>.txt. Only the programs' `key=value`
# lines are read: every benchmark has printed one for each figure (harness.c,
# bench_record()/bench_report()) since before the base of any refactor, so the base needs
# neither our code nor a parser of its human summary, whatever its layout.
#
# Which keys are figures, and which way is better, comes from the name's unit, as the
# programs name them (*_per_s more is better; *_seconds, *_ms, *_percent, *_kib, ... less
# is better). Any other key (a count, a setting, a goal's verdict) is not judged: it is
# listed only when it differs between the two builds, since the same code on the same
# data should give the same.
#
# Variables (-v): noise, a fixed band in % for every figure (empty: derived, below);
# factor, how many spreads make the band; floor, the least band in %; floor_ms, the least
# band of a time, in milliseconds; default_band, the band in % where a figure has no
# repeats; worse_file, a file that gets one line for each figure worse beyond noise.
#
# The band of a figure, in its unit: factor times the wider spread (max - min) of its
# values over either side's runs; with one run a side, over the rounds a program repeats
# itself within a run (reconcile's engine1_seconds, engine2_seconds, ... of
# engine_seconds); never under floor % of the base, nor under floor_ms for a time (a
# figure of a few ms, such as closing a count, is one fsync of the WAL, and one fsync on a
# VM's disk varies by milliseconds: 4 ms → 6 ms is the disk, not the code). Without any
# repeat it is default_band %. Change and verdict compare the medians of the runs. Why a factor: two
# medians of three runs each differ by more than one spread in about 3 % of the
# comparisons of a build with itself, by more than two in under 0.5 % (a simulation with
# normal and with heavy-tailed noise), and a full run judges some 150 figures.

# A key of the programs' output; the first of a run counts, as run.sh's get() takes it.
match($0, /^[a-z][a-z0-9_.-]*=/) {
  side = FILENAME ~ /\.base\.[0-9]+\.txt$/ ? "base" : "current"
  if (!(FILENAME in run_side)) {
    run_side[FILENAME] = side
    nruns[side]++
    run_of[side, nruns[side]] = FILENAME
  }
  k = substr($0, 1, RLENGTH - 1)
  if ((FILENAME, k) in val) next
  val[FILENAME, k] = substr($0, RLENGTH + 1)
  has[side, k] = 1
  if (!(k in known)) { known[k] = 1; order[++nkeys] = k }
}

# 1: more is better (a rate); -1: less is better (time, CPU, memory, size); 0: not a
# figure. ingest_vs_raw is the engine's rate over the raw loop's; every other ratio
# (_vs_) is of times. idle_seconds is how long an idle window lasted, not a result.
function direction(k) {
  if (k == "idle_seconds") return 0
  if (k ~ /_per_s$/ || k == "ingest_vs_raw") return 1
  if (k ~ /(_seconds|_ms|_percent|_kib|_mib|_bytes_per_event|_dropped_frames)$/) return -1
  if (k ~ /_vs_/) return -1
  return 0
}

# The least band of k in its unit: floor_ms for a time (in seconds or ms), else 0.
function abs_floor(k) {
  if (k ~ /_seconds$/) return floor_ms / 1000
  if (k ~ /_ms$/) return floor_ms + 0
  return 0
}

# Sizes grow or shrink; everything else is slower or faster.
function is_size(k) { return k ~ /(_kib|_mib|_bytes_per_event|_dropped_frames)$/ }

# The figure a round of a program's own repeats belongs to (engine2_seconds ->
# engine_seconds), or k itself.
function repeat_of(k,    s) {
  if (!match(k, /[a-z][0-9]+_/)) return k
  s = substr(k, 1, RSTART) substr(k, RSTART + RLENGTH - 1)
  return (s in known) ? s : k
}

function is_num(v) { return v ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }

function decimals(v) { return match(v, /\.[0-9]+/) ? RLENGTH - 1 : 0 }

function abs(x) { return x < 0 ? -x : x }

# x with the given decimals and thousands separators, as run.sh's tables show figures.
function fmt(x, dec,    s, i, head, tail) {
  s = sprintf("%.*f", dec, x)
  i = index(s, ".")
  head = i ? substr(s, 1, i - 1) : s
  tail = ""
  while (length(head) > 3 && substr(head, length(head) - 3, 1) ~ /[0-9]/) {
    tail = "," substr(head, length(head) - 2) tail
    head = substr(head, 1, length(head) - 3)
  }
  return head tail (i ? substr(s, i) : "")
}

# The numbers k has on side (in xs[1..n]), their most decimals in dec_of[side]; returns n.
function numbers(side, k, xs,    i, f, n, v) {
  n = 0
  dec_of[side] = 0
  for (i = 1; i <= nruns[side]; i++) {
    f = run_of[side, i]
    if (!((f, k) in val) || !is_num(v = val[f, k])) continue
    xs[++n] = v + 0
    if (decimals(v) > dec_of[side]) dec_of[side] = decimals(v)
  }
  return n
}

function sort(xs, n,    i, j, t) {
  for (i = 2; i <= n; i++)
    for (j = i; j > 1 && xs[j - 1] > xs[j]; j--) { t = xs[j]; xs[j] = xs[j - 1]; xs[j - 1] = t }
}

function median(xs, n) {
  sort(xs, n)
  return n % 2 ? xs[(n + 1) / 2] : (xs[n / 2] + xs[n / 2 + 1]) / 2
}

function spread(xs, n) { sort(xs, n); return xs[n] - xs[1] }

# The widest spread of k's repeats within any one run (0 with none), in repeats_seen.
function repeat_spread(k,    side, i, f, r, n, xs, w) {
  w = 0
  for (side in nruns)
    for (i = 1; i <= nruns[side]; i++) {
      f = run_of[side, i]
      n = 0
      delete xs
      for (r in rep_for) if (rep_for[r] == k && (f, r) in val && is_num(val[f, r])) xs[++n] = val[f, r] + 0
      if (n >= 2) { repeats_seen = 1; if (spread(xs, n) > w) w = spread(xs, n) }
    }
  return w
}

# Sets band (in the figure's unit) and band_why for figure k with base median mb: the
# spread over the runs when a side has two or more, else over the program's own rounds.
function noise_band(k, mb, nb, bs, nc, cs,    w) {
  if (noise != "") { band = noise / 100 * abs(mb); band_why = "--noise"; return }
  repeats_seen = 0
  w = 0
  band_why = "runs"
  if (nb >= 2) { repeats_seen = 1; w = spread(bs, nb) }
  if (nc >= 2) { repeats_seen = 1; if (spread(cs, nc) > w) w = spread(cs, nc) }
  if (!repeats_seen) { w = repeat_spread(k); band_why = "its rounds" }
  if (!repeats_seen) { band = default_band / 100 * abs(mb); band_why = "default"; return }
  band = factor * w
  if (floor / 100 * abs(mb) > band) { band = floor / 100 * abs(mb); band_why = "floor" }
  if (abs_floor(k) > band) { band = abs_floor(k); band_why = "floor of " floor_ms " ms" }
}

# The median of side's runs, saying how many runs had it when not all did; NOT MEASURED
# when none had a number (absent, nan: a figure not measured).
function cell(side, k, xs,    n) {
  n = numbers(side, k, xs)
  if (n == 0) return "NOT MEASURED"
  med[side] = median(xs, n)
  n_of[side] = n
  return fmt(med[side], dec_of[side]) (n < nruns[side] ? sprintf(" (%d of %d runs)", n, nruns[side]) : "")
}

function figure_row(k, d,    bs, cs, b, c, mb, diff, change, shown, verdict) {
  b = has["base", k] ? cell("base", k, bs) : "—"
  c = has["current", k] ? cell("current", k, cs) : "—"
  if (b == "—" || c == "—") {
    printf "| %s | %s | %s | | | only in %s |\n", k, b, c, b == "—" ? "current" : "base"
    return
  }
  if (b == "NOT MEASURED" || c == "NOT MEASURED") {
    printf "| %s | %s | %s | | | not compared |\n", k, b, c
    return
  }
  mb = med["base"]
  noise_band(k, mb, n_of["base"], bs, n_of["current"], cs)
  diff = med["current"] - mb
  if (mb != 0) change = sprintf("%+.1f%%", diff / abs(mb) * 100)
  else change = diff == 0 ? "0%" : "n/a"
  shown = mb != 0 ? sprintf("±%.1f%%", band / abs(mb) * 100) : "±" fmt(band, dec_of["base"])
  verdict = "within noise"
  if (d * diff < -band) verdict = is_size(k) ? "larger" : "slower"
  else if (d * diff > band) verdict = is_size(k) ? "smaller" : "faster"
  printf "| %s | %s | %s | %s | %s (%s) | %s |\n", k, b, c, change, shown, band_why, verdict
  if (verdict == "slower" || verdict == "larger")
    printf "%s: %s %s, %s → %s (%s, beyond the band of %s)\n", bench, k, verdict, b, c, change,
      shown >>worse_file
}

# The one value k has in every run of side, or "" (absent from a run, or varying).
function steady(side, k,    i, f, v) {
  for (i = 1; i <= nruns[side]; i++) {
    f = run_of[side, i]
    if (!((f, k) in val)) return ""
    if (i == 1) v = val[f, k]
    else if (val[f, k] != v) return ""
  }
  return v
}

# A key that is not a figure: noted when only one build prints it, or when each build
# gives it one value in all its runs and the two differ. dir is each run's temp folder.
function other_key(k,    b, c) {
  if (k == "dir") return
  if (!has["base", k] || !has["current", k]) {
    notes[++nnotes] = sprintf("`%s` only in %s", k, has["base", k] ? "base" : "current")
    return
  }
  b = steady("base", k)
  c = steady("current", k)
  if (b != "" && c != "" && b != c) notes[++nnotes] = sprintf("`%s` %s → %s", k, b, c)
}

END {
  for (i = 1; i <= nkeys; i++)
    if (repeat_of(order[i]) != order[i]) rep_for[order[i]] = repeat_of(order[i])
  print "| Figure | Base | Current | Change | Noise band | Verdict |"
  print "|---|---|---|---|---|---|"
  for (i = 1; i <= nkeys; i++) {
    k = order[i]
    if (k in rep_for) continue
    d = direction(k)
    if (d != 0) figure_row(k, d)
    else other_key(k)
  }
  if (nnotes == 0) exit
  print ""
  printf "Not figures, not judged, but not the same in both builds%s: ",
    nruns["base"] < 2 || nruns["current"] < 2 ? " (with one run a side, also what varies from run to run)" : ""
  for (i = 1; i <= nnotes; i++) printf "%s%s", notes[i], i < nnotes ? "; " : ".\n"
}
