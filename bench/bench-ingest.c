/*
 * bench-ingest.c: scans per second through the real ingest path, against a raw SQLite
 * insert loop of the same rows (issue 2, benchmark 1). See bench/README.md.
 *
 * Shape, and why:
 *  - Every phase (generate the data, set up the register, ingest, raw loop) runs in a
 *    forked child (bench/harness.c), so each phase's peak memory is its own. The register
 *    is the varied one (bench/register.c): issued and imported items, every reader kind.
 *  - The ingest loop is what `muster count scan` does: parse each line with
 *    muster_scan_parse_line(), muster_ingest_add(), and flush whenever
 *    muster_ingest_due(ingest, 50 ms) says so (that includes a full batch), asking for
 *    the per-scan results the CLI prints. Reading and parsing the feed are inside the
 *    timing; generating it is not.
 *  - Latency of a scan is from muster_ingest_add() to the return of the flush that
 *    committed it: after that the scan is on disk (WAL, synchronous=FULL).
 *  - The baseline is a copy of the same database taken before the ingest (same
 *    register, users and count, so the foreign keys of a scan row hold), opened through
 *    muster_store_open() for the same pragmas. Into it go the very scan rows the engine
 *    stored, read back beforehand, with one prepared INSERT, in transactions of exactly
 *    the engine's batch sizes, and with the engine's checkpoint policy: the engine's own
 *    checkpointer (db/checkpointer.c) is attached to the raw connection as an ingest
 *    attaches it to the store's, so neither pays for WAL checkpoints inside its timed
 *    commits. That is the floor SQLite itself sets for storing those rows durably;
 *    everything else the engine does (marking lookup, dedupe, finds, results, audit
 *    seal) is what the ratio measures.
 *  - The measured phases use muster_users_get() rather than authenticating (see
 *    bench/armoury.c).
 *
 * Only this file touches SQL outside db/, and only for the baseline (which is SQL by
 * definition) and to read back the rows it replays.
 */
#include "armoury.h"
#include "db/checkpointer.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "db/store.h"
#include "db/users.h"
#include "harness.h"
#include "register.h"
#include "scan/scan.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

#define GOAL_RATE 100000.0   /* scans per second */
#define GOAL_RATIO 0.5       /* of the raw loop */
#define GOAL_LATENCY_MS 50.0 /* add -> committed, every scan */
#define MAX_WAIT_US 50000    /* what muster_ingest_due() is asked */

typedef struct {
  BenchHarness h; /* the temp folder and the figures */
  gint64 n_items;
  gint64 n_scans;
  guint32 seed;
  guint max_batch;      /* 0: the engine's own limit */
  const char *raw_path; /* more files in the temp folder, owned by h */
  const char *batches_path;
  gint64 count_id;
} Bench;

/* ---- the feed ---------------------------------------------------------------------- */

static const char *const garbage_lines[] = {
    "GL-00\0011234",                                      /* a control character */
    "\xff\xfeGL-0000001",                                 /* not UTF-8 */
    "{\"value\":\"GL-0000001\",\"kind\":\"laser_etch\"}", /* a misconfigured reader */
    "{\"value\":\"GL-0000001\"",                          /* broken JSON */
    "\035\036[)>06\03518SGL0000001\004",                  /* ISO/IEC 15434, undecoded */
};

/* A marking no item carries: an XX- serial, or a tag UID starting 05 (never issued). */
static void
write_unknown(FILE *f, GRand *rand)
{
  guint32 x = g_rand_int(rand);
  if (x % 2 == 0)
    fprintf(f, "XX-%07u\n", x % 10000000u);
  else
    fprintf(f, "05:%02X:%02X:%02X:%02X:11:22\n", x >> 24, (x >> 16) & 0xff, (x >> 8) & 0xff,
            x & 0xff);
}

/* Mix per line: 0.5% garbage, 1% unknown, 4% a repeat of a recent item, the rest the
 * next item of the walk. */
static gboolean
write_feed(const char *path, gint64 n_items, gint64 n_scans, guint32 seed, GError **error)
{
  FILE *f = fopen(path, "w");
  if (f == NULL)
    return bench_errno_fail(error, path);
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  g_autofree gint64 *order = bench_register_walk_order(rand, n_items);
  gint64 recent[64] = {0}, next = 0;
  for (gint64 s = 0; s < n_scans; s++) {
    guint r = (guint)g_rand_int_range(rand, 0, 1000);
    gint64 repeat = recent[g_rand_int_range(rand, 0, 64)];
    if (r < 5)
      fprintf(f, "%s\n", garbage_lines[s % G_N_ELEMENTS(garbage_lines)]);
    else if (r < 15)
      write_unknown(f, rand);
    else if ((r < 55 || next >= n_items) && repeat != 0)
      bench_register_write_scan(f, rand, repeat, BENCH_MIX_VARIED);
    else {
      gint64 i = order[next++ % n_items];
      recent[s % 64] = i;
      bench_register_write_scan(f, rand, i, BENCH_MIX_VARIED);
    }
  }
  if (fclose(f) != 0)
    return bench_errno_fail(error, path);
  return TRUE;
}

static gboolean
phase_generate(gpointer data, GString *out, GError **error)
{
  Bench *b = data;
  gint64 t0 = g_get_monotonic_time();
  if (!bench_register_write_csv(b->h.csv_path, b->n_items, BENCH_MIX_VARIED, error) ||
      !write_feed(b->h.feed_path, b->n_items, b->n_scans, b->seed, error))
    return FALSE;
  bench_report(out, "generate_seconds", "%.3f", bench_seconds_since(t0));
  return TRUE;
}

/* ---- setup: the register, the users, the count ------------------------------------- */

static gboolean
phase_setup(gpointer data, GString *out, GError **error)
{
  Bench *b = data;
  g_auto(BenchArmoury) a = {0};
  MusterImportResult res = {0};
  if (!bench_armoury_create(&a, b->h.db_path, error) ||
      !bench_armoury_import(&a, b->h.csv_path, out, &res, error))
    return FALSE;
  bench_report(out, "import_locations", "%" G_GINT64_FORMAT, res.locations_created);
  /* The copy for the baseline holds exactly what ingest starts from. */
  return bench_armoury_start_count(&a, out, NULL, error) &&
         bench_armoury_close_and_copy(&a, b->raw_path, "db_mib_before_ingest", out, error);
}

/* ---- ingest through the engine ----------------------------------------------------- */

typedef struct {
  MusterIngest *ingest;
  GArray *results;     /* MusterIngestResult */
  GArray *pending_t;   /* gint64: when each queued scan was added */
  guint32 *latency_us; /* one per scan */
  gint64 n_latency;
  GArray *batches; /* guint32 sizes, for the baseline */
  guint max_batch; /* flush at this many too; 0: only when the engine says */
  gint64 outcomes[MUSTER_OUTCOME_AMBIGUOUS + 1];
  gint64 flush_us_total;
  gint64 flush_us_max;
} Feed;

static gboolean
feed_flush(Feed *f, GError **error)
{
  guint n = muster_ingest_pending(f->ingest);
  if (n == 0)
    return TRUE;
  gint64 t0 = g_get_monotonic_time();
  if (!muster_ingest_flush(f->ingest, f->results, error))
    return FALSE;
  gint64 done = g_get_monotonic_time();
  for (guint i = 0; i < f->pending_t->len; i++)
    f->latency_us[f->n_latency++] = (guint32)(done - g_array_index(f->pending_t, gint64, i));
  g_array_set_size(f->pending_t, 0);
  for (guint i = 0; i < f->results->len; i++)
    f->outcomes[g_array_index(f->results, MusterIngestResult, i).outcome]++;
  g_array_set_size(f->results, 0);
  guint32 size = n;
  g_array_append_val(f->batches, size);
  f->flush_us_total += done - t0;
  f->flush_us_max = MAX(f->flush_us_max, done - t0);
  return TRUE;
}

/* One feed line, as `muster count scan` handles it. */
static gboolean
feed_line(Feed *f, const char *line, gsize len, GError **error)
{
  g_autofree char *location = NULL;
  g_autoptr(MusterScan) scan = muster_scan_parse_line(line, len, "bench", &location, NULL);
  if (scan == NULL) {
    /* A location line: scans queued so far were taken at the previous place. */
    return location == NULL ||
           (feed_flush(f, error) && muster_ingest_set_location(f->ingest, location, error));
  }
  gint64 t = g_get_monotonic_time();
  muster_ingest_add(f->ingest, scan);
  g_array_append_val(f->pending_t, t);
  gboolean due = muster_ingest_due(f->ingest, MAX_WAIT_US) ||
                 (f->max_batch > 0 && muster_ingest_pending(f->ingest) >= f->max_batch);
  return !due || feed_flush(f, error);
}

static gboolean
feed_file(Feed *f, const char *path, GError **error)
{
  FILE *in = fopen(path, "r");
  if (in == NULL)
    return bench_errno_fail(error, path);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  gboolean ok = TRUE;
  while (ok && (len = getline(&line, &cap, in)) >= 0)
    ok = feed_line(f, line, (gsize)len, error);
  free(line);
  fclose(in);
  return ok && feed_flush(f, error);
}

static int
cmp_u32(const void *a, const void *b)
{
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  return x < y ? -1 : x > y;
}

static void
report_latency(Feed *f, GString *out)
{
  if (f->n_latency == 0)
    return;
  qsort(f->latency_us, (size_t)f->n_latency, sizeof(guint32), cmp_u32);
  gint64 n = f->n_latency;
  bench_report(out, "latency_median_ms", "%.2f", f->latency_us[(n - 1) / 2] / 1000.0);
  bench_report(out, "latency_p99_ms", "%.2f", f->latency_us[(n - 1) * 99 / 100] / 1000.0);
  bench_report(out, "latency_max_ms", "%.2f", f->latency_us[n - 1] / 1000.0);
}

static void
report_feed(Feed *f, GString *out, gint64 scans, double secs)
{
  bench_report(out, "ingest_scans", "%" G_GINT64_FORMAT, scans);
  bench_report(out, "ingest_seconds", "%.3f", secs);
  bench_report(out, "ingest_scans_per_s", "%.0f", (double)scans / secs);
  bench_report(out, "ingest_batches", "%u", f->batches->len);
  bench_report(out, "ingest_mean_batch", "%.0f", (double)scans / MAX(f->batches->len, 1));
  bench_report(out, "flush_mean_ms", "%.2f", f->flush_us_total / 1000.0 / MAX(f->batches->len, 1));
  bench_report(out, "flush_max_ms", "%.2f", f->flush_us_max / 1000.0);
  report_latency(f, out);
  for (int o = 0; o <= MUSTER_OUTCOME_AMBIGUOUS; o++) {
    g_autofree char *key = g_strdup_printf("outcome_%s", muster_outcome_to_string(o));
    bench_report(out, key, "%" G_GINT64_FORMAT, f->outcomes[o]);
  }
}

/* What the count itself says now, read through the engine: the figures must add up. */
static gboolean
check_count(Bench *b, MusterStore *store, gint64 scans, GString *out, GError **error)
{
  g_autoptr(MusterCount) c = muster_counts_get_by_id(store, b->count_id, error);
  if (c == NULL)
    return FALSE;
  bench_report(out, "count_scans", "%" G_GINT64_FORMAT, c->scans);
  bench_report(out, "count_found", "%" G_GINT64_FORMAT, c->found);
  if (c->scans != scans) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                "the count holds %" G_GINT64_FORMAT " scans, but %" G_GINT64_FORMAT
                " were acknowledged",
                c->scans, scans);
    return FALSE;
  }
  return TRUE;
}

static gboolean
write_batches(Bench *b, GArray *batches, GError **error)
{
  return g_file_set_contents(b->batches_path, batches->data,
                             (gssize)(batches->len * sizeof(guint32)), error);
}

static gboolean
phase_ingest(gpointer data, GString *out, GError **error)
{
  Bench *b = data;
  g_autoptr(MusterStore) store = muster_store_open(b->h.db_path, error);
  if (store == NULL)
    return FALSE;
  g_autoptr(MusterUser) admin = muster_users_get(store, "admin", error);
  if (admin == NULL)
    return FALSE;
  g_autoptr(MusterIngest) ingest = muster_ingest_new(store, admin, b->count_id, error);
  if (ingest == NULL)
    return FALSE;
  g_autoptr(GArray) results = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(results, (GDestroyNotify)muster_ingest_result_clear);
  g_autoptr(GArray) pending_t = g_array_new(FALSE, FALSE, sizeof(gint64));
  g_autoptr(GArray) batches = g_array_new(FALSE, FALSE, sizeof(guint32));
  g_autofree guint32 *latency = g_new0(guint32, b->n_scans + 1);
  Feed f = {.ingest = ingest,
            .results = results,
            .pending_t = pending_t,
            .latency_us = latency,
            .batches = batches,
            .max_batch = b->max_batch};
  double cpu0 = bench_cpu_seconds();
  gint64 t0 = g_get_monotonic_time();
  if (!feed_file(&f, b->h.feed_path, error))
    return FALSE;
  double secs = bench_seconds_since(t0);
  report_feed(&f, out, f.n_latency, secs);
  bench_report(out, "ingest_cpu_seconds", "%.3f", bench_cpu_seconds() - cpu0);
  return check_count(b, store, f.n_latency, out, error) && write_batches(b, batches, error);
}

/* ---- the baseline: the same rows, one prepared INSERT ------------------------------- */

#define RAW_COLS 17
static const char sql_raw_insert[] =
    "INSERT INTO scan (count_id, reader, reader_kind, symbology, raw, text, marking_kind, "
    "marking_value, check_group, component, location_id, read_at, stored_at, authenticity, "
    "outcome, item_id, item_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* One stored scan row, column by column as SQLite returned it. */
typedef struct {
  int type[RAW_COLS];
  gint64 i[RAW_COLS];
  const char *s[RAW_COLS]; /* text or blob, in the rows' string chunk */
  int len[RAW_COLS];
} RawRow;

static gboolean
sqlite_failed(sqlite3 *db, const char *doing, GError **error)
{
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", doing, sqlite3_errmsg(db));
  return FALSE;
}

static void
take_row(sqlite3_stmt *st, RawRow *row, GStringChunk *chunk)
{
  for (int c = 0; c < RAW_COLS; c++) {
    row->type[c] = sqlite3_column_type(st, c);
    if (row->type[c] == SQLITE_INTEGER) {
      row->i[c] = sqlite3_column_int64(st, c);
    } else if (row->type[c] == SQLITE_TEXT || row->type[c] == SQLITE_BLOB) {
      const void *p = row->type[c] == SQLITE_TEXT ? (const void *)sqlite3_column_text(st, c)
                                                  : sqlite3_column_blob(st, c);
      row->len[c] = sqlite3_column_bytes(st, c);
      row->s[c] = g_string_chunk_insert_len(chunk, p != NULL ? p : "", row->len[c]);
    }
  }
}

/* The rows the engine stored, in order, read before the timing starts. */
static gboolean
load_rows(Bench *b, GArray *rows, GStringChunk *chunk, GError **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  gboolean ok = FALSE;
  if (sqlite3_open_v2(b->h.db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "SELECT count_id, reader, reader_kind, symbology, raw, text, "
                         "marking_kind, marking_value, check_group, component, location_id, "
                         "read_at, stored_at, authenticity, outcome, item_id, item_status "
                         "FROM scan WHERE count_id = ? ORDER BY id",
                         -1, &st, NULL) != SQLITE_OK) {
    sqlite_failed(db, "Reading the stored scans", error);
    goto out;
  }
  sqlite3_bind_int64(st, 1, b->count_id);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    g_array_set_size(rows, rows->len + 1);
    take_row(st, &g_array_index(rows, RawRow, rows->len - 1), chunk);
  }
  ok = rc == SQLITE_DONE || sqlite_failed(db, "Reading the stored scans", error);
out:
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ok;
}

static void
bind_row(sqlite3_stmt *st, const RawRow *row)
{
  for (int c = 0; c < RAW_COLS; c++) {
    switch (row->type[c]) {
    case SQLITE_INTEGER: sqlite3_bind_int64(st, c + 1, row->i[c]); break;
    case SQLITE_TEXT: sqlite3_bind_text(st, c + 1, row->s[c], row->len[c], SQLITE_STATIC); break;
    case SQLITE_BLOB: sqlite3_bind_blob(st, c + 1, row->s[c], row->len[c], SQLITE_STATIC); break;
    default: sqlite3_bind_null(st, c + 1); break;
    }
  }
}

static gboolean
insert_batch(sqlite3 *db, sqlite3_stmt *st, const RawRow *rows, guint n, GError **error)
{
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return sqlite_failed(db, "BEGIN", error);
  for (guint k = 0; k < n; k++) {
    bind_row(st, &rows[k]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
      sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
      return sqlite_failed(db, "INSERT", error);
    }
  }
  if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return sqlite_failed(db, "COMMIT", error);
  return TRUE;
}

static gboolean
insert_rows(sqlite3 *db, GArray *rows, const guint32 *batches, gsize n_batches, GError **error)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v3(db, sql_raw_insert, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
    return sqlite_failed(db, "Preparing the INSERT", error);
  gsize at = 0;
  gboolean ok = TRUE;
  for (gsize k = 0; ok && k < n_batches && at < rows->len; k++) {
    guint n = MIN(batches[k], rows->len - at);
    ok = insert_batch(db, st, &g_array_index(rows, RawRow, at), n, error);
    at += n;
  }
  sqlite3_finalize(st);
  return ok;
}

static gboolean
phase_raw(gpointer data, GString *out, GError **error)
{
  Bench *b = data;
  g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(RawRow));
  GStringChunk *chunk = g_string_chunk_new(1 << 20);
  g_autofree char *batch_data = NULL;
  gsize batch_len = 0;
  gboolean ok = load_rows(b, rows, chunk, error) &&
                g_file_get_contents(b->batches_path, &batch_data, &batch_len, error);
  g_autoptr(MusterStore) store = ok ? muster_store_open(b->raw_path, error) : NULL;
  /* The engine's checkpoint policy: its own checkpointer, which an ingest attaches. */
  g_autoptr(MusterCheckpointer) cp = store != NULL ? muster_checkpointer_new(store, error) : NULL;
  if (cp != NULL) {
    double cpu0 = bench_cpu_seconds();
    gint64 t0 = g_get_monotonic_time();
    ok = insert_rows(muster_store_db(store), rows, (const guint32 *)batch_data,
                     batch_len / sizeof(guint32), error);
    double secs = bench_seconds_since(t0);
    bench_report(out, "raw_rows", "%u", rows->len);
    bench_report(out, "raw_seconds", "%.3f", secs);
    bench_report(out, "raw_cpu_seconds", "%.3f", bench_cpu_seconds() - cpu0);
    bench_report(out, "raw_rows_per_s", "%.0f", rows->len / secs);
    bench_report(out, "raw_checkpoints", "%u", muster_checkpointer_runs(cp));
  }
  g_string_chunk_free(chunk);
  return cp != NULL && ok;
}

/* ---- the run ----------------------------------------------------------------------- */

static void
print_summary(Bench *b)
{
  BenchHarness *h = &b->h;
  double rate = bench_result(h, "ingest_scans_per_s"), raw = bench_result(h, "raw_rows_per_s");
  /* A baseline that stored nothing is no baseline: the ratio is not measured. */
  double ratio = raw > 0 ? rate / raw : NAN, lat_max = bench_result(h, "latency_max_ms");
  printf("ingest_vs_raw=%.3f\n", ratio);
  BenchVerdict v_rate = bench_goal("rate", rate, rate >= GOAL_RATE);
  BenchVerdict v_ratio = bench_goal("ratio", ratio, ratio >= GOAL_RATIO);
  BenchVerdict v_lat = bench_goal("latency", lat_max, lat_max <= GOAL_LATENCY_MS);
  printf("\n== Ingest: %" G_GINT64_FORMAT " scans over a %" G_GINT64_FORMAT
         "-item register (temp dir on %s) ==\n",
         b->n_scans, b->n_items, bench_fs_name(h->dir));
  printf("setup   import %.0f items in %.1f s (%.0f items/s), count start %.2f s\n",
         bench_result(h, "import_items"), bench_result(h, "import_seconds"),
         bench_result(h, "import_items_per_s"), bench_result(h, "count_start_seconds"));
  printf("engine  %.0f scans in %.2f s (cpu %.2f s) = %.0f scans/s in %.0f batches "
         "(mean %.0f)   goal >= %.0f: %s\n",
         bench_result(h, "ingest_scans"), bench_result(h, "ingest_seconds"),
         bench_result(h, "ingest_cpu_seconds"), rate, bench_result(h, "ingest_batches"),
         bench_result(h, "ingest_mean_batch"), GOAL_RATE, bench_verdict_text(v_rate));
  printf("raw     %.0f rows in %.2f s (cpu %.2f s, %.0f checkpoints on its own thread) = "
         "%.0f rows/s; engine/raw = %.2f   goal >= %.1f: %s\n",
         bench_result(h, "raw_rows"), bench_result(h, "raw_seconds"),
         bench_result(h, "raw_cpu_seconds"), bench_result(h, "raw_checkpoints"), raw, ratio,
         GOAL_RATIO, bench_verdict_text(v_ratio));
  printf("latency add -> committed: median %.1f ms, p99 %.1f ms, max %.1f ms   "
         "goal max <= %.0f ms: %s\n",
         bench_result(h, "latency_median_ms"), bench_result(h, "latency_p99_ms"), lat_max,
         GOAL_LATENCY_MS, bench_verdict_text(v_lat));
  printf("outcomes accepted %.0f, duplicate %.0f, unknown %.0f, status_conflict %.0f, "
         "unreadable %.0f\n",
         bench_result(h, "outcome_accepted"), bench_result(h, "outcome_duplicate"),
         bench_result(h, "outcome_unknown"), bench_result(h, "outcome_status_conflict"),
         bench_result(h, "outcome_unreadable"));
  printf("peak RSS setup %.0f MiB, ingest %.0f MiB, raw loop %.0f MiB (holds its rows)\n",
         bench_result(h, "setup_peak_rss_kib") / 1024,
         bench_result(h, "ingest_peak_rss_kib") / 1024, bench_result(h, "raw_peak_rss_kib") / 1024);
  bench_print_result(TRUE, "ingest");
}

/* The phases, then the summary. */
static gboolean
run(gpointer data, GError **error)
{
  Bench *b = data;
  b->raw_path = bench_harness_path(&b->h, "raw.db");
  b->batches_path = bench_harness_path(&b->h, "batches.bin");
  printf("bench=ingest\nitems=%" G_GINT64_FORMAT "\nscans=%" G_GINT64_FORMAT "\nseed=%u\n"
         "max_batch=%u\ndir=%s\nfilesystem=%s\nsqlite_version=%s\n",
         b->n_items, b->n_scans, b->seed, b->max_batch, b->h.dir, bench_fs_name(b->h.dir),
         sqlite3_libversion());
  if (!bench_run_phase(&b->h, "generate", phase_generate, b, error) ||
      !bench_run_phase(&b->h, "setup", phase_setup, b, error))
    return FALSE;
  b->count_id = (gint64)bench_result(&b->h, "count_id");
  if (!bench_run_phase(&b->h, "ingest", phase_ingest, b, error) ||
      !bench_run_phase(&b->h, "raw", phase_raw, b, error))
    return FALSE;
  print_summary(b);
  return TRUE;
}

int
main(int argc, char **argv)
{
  gint64 items = 1000000, scans = 0;
  gboolean quick = FALSE, keep = FALSE;
  gint seed = 2, max_batch = 0;
  g_autofree char *parent = NULL;
  const GOptionEntry entries[] = {
      {"items", 0, 0, G_OPTION_ARG_INT64, &items, "Items in the register (1000000)", "N"},
      {"scans", 0, 0, G_OPTION_ARG_INT64, &scans, "Scans fed (as many as items)", "N"},
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "100000 items and scans", NULL},
      {"dir", 0, 0, G_OPTION_ARG_FILENAME, &parent,
       "Where the temp folder goes (a real disk; default $TMPDIR or /tmp)", "DIR"},
      {"max-batch", 0, 0, G_OPTION_ARG_INT, &max_batch,
       "Also flush at N queued scans (default: when the engine says)", "N"},
      {"seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed of the feed", "N"},
      {"keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temp folder", NULL},
      {NULL}};
  if (!bench_parse_options("ingest", "- benchmark scan ingest", entries, &argc, &argv))
    return 2;
  if (quick)
    items = 100000;
  Bench b = {
      .n_items = MAX(items, 1000),
      .seed = (guint32)seed,
      .max_batch = (guint)MAX(max_batch, 0),
  };
  b.n_scans = scans > 0 ? scans : b.n_items;
  return bench_harness_main(&b.h, "ingest", parent, keep, run, &b);
}
