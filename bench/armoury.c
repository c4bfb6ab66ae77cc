/*
 * bench/armoury.c: setting up the armoury a benchmark counts, through the engine.
 *
 * Shape, and why:
 *  - Set-up goes through the same calls as the CLI (create, bootstrap the admin, add a
 *    witness, import the register, start a count of the whole armoury), so the database a
 *    benchmark measures is one a real appliance would hold. Import and count start are
 *    timed and reported beside the benchmark's own figures (not part of them).
 *  - Only set-up creates users, with real PIN hashing; the measured phases, in other
 *    processes, look them up with muster_users_get() instead of authenticating, because
 *    argon2id's 64 MiB would otherwise dominate every phase's peak memory.
 *  - A benchmark needs a second copy of the set-up database (the ingest baseline's file,
 *    the reconcile warm-up run's), taken after the store is closed: closing the last
 *    connection checkpoints the WAL, so the file alone is complete, and copying it also
 *    leaves it in the page cache.
 */
#include "armoury.h"

#include "db/counts.h"
#include "db/ingest.h"
#include "harness.h"
#include "scan/scan.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

gboolean
bench_armoury_create(BenchArmoury *a, const char *path, GError **error)
{
  a->path = path;
  a->store = muster_store_create(path, "BENCH", "Benchmark armoury", error);
  if (a->store == NULL)
    return FALSE;
  a->admin = muster_users_bootstrap_admin(a->store, "admin", "Ada Admin", "123456", error);
  if (a->admin == NULL)
    return FALSE;
  a->witness = muster_users_add(a->store, a->admin, "witness", "Will Witness", MUSTER_ROLE_STAFF,
                                "1234", error);
  return a->witness != NULL;
}

void
bench_armoury_clear(BenchArmoury *a)
{
  g_clear_pointer(&a->witness, muster_user_free);
  g_clear_pointer(&a->admin, muster_user_free);
  g_clear_pointer(&a->store, muster_store_free);
}

gboolean
bench_armoury_import(BenchArmoury *a, const char *csv_path, GString *out, MusterImportResult *res,
                     GError **error)
{
  g_autoptr(GMappedFile) csv = g_mapped_file_new(csv_path, FALSE, error);
  if (csv == NULL)
    return FALSE;
  MusterImportResult r = {0};
  g_autoptr(GPtrArray) errors = NULL;
  gint64 t0 = g_get_monotonic_time();
  if (!muster_items_import_csv(a->store, a->admin, g_mapped_file_get_contents(csv),
                               g_mapped_file_get_length(csv), &r, &errors, error))
    return FALSE;
  double secs = bench_seconds_since(t0);
  bench_report(out, "import_items", "%" G_GINT64_FORMAT, r.imported);
  bench_report(out, "import_seconds", "%.3f", secs);
  bench_report(out, "import_items_per_s", "%.0f", (double)r.imported / secs);
  if (res != NULL)
    *res = r;
  return TRUE;
}

gboolean
bench_armoury_start_count(BenchArmoury *a, GString *out, gint64 *count_id, GError **error)
{
  const char *const scope[] = {"", NULL};
  gint64 t0 = g_get_monotonic_time();
  g_autoptr(MusterCount) count =
      muster_counts_start(a->store, a->admin, a->witness, scope, FALSE, error);
  if (count == NULL)
    return FALSE;
  if (count_id != NULL)
    *count_id = count->id;
  bench_report(out, "count_start_seconds", "%.3f", bench_seconds_since(t0));
  bench_report(out, "count_id", "%" G_GINT64_FORMAT, count->id);
  bench_report(out, "count_expected", "%" G_GINT64_FORMAT, count->expected);
  return TRUE;
}

gboolean
bench_armoury_close_and_copy(BenchArmoury *a, const char *to, const char *size_key, GString *out,
                             GError **error)
{
  g_clear_pointer(&a->store, muster_store_free);
  GStatBuf st;
  if (g_stat(a->path, &st) == 0)
    bench_report(out, size_key, "%.1f", (double)st.st_size / (1024 * 1024));
  g_autoptr(GFile) src = g_file_new_for_path(a->path);
  g_autoptr(GFile) dst = g_file_new_for_path(to);
  return g_file_copy(src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, error);
}

static gboolean
feed_line(MusterIngest *ingest, const char *line, gsize len, gint64 max_wait_us, GError **error)
{
  g_autoptr(MusterScan) scan = muster_scan_parse_line(line, len, "bench", NULL, NULL);
  if (scan == NULL)
    return TRUE;
  muster_ingest_add(ingest, scan);
  return !muster_ingest_due(ingest, max_wait_us) || muster_ingest_flush(ingest, NULL, error);
}

gboolean
bench_armoury_ingest_feed(BenchArmoury *a, const char *feed_path, gint64 count_id,
                          gint64 max_wait_us, GString *out, GError **error)
{
  g_autoptr(MusterIngest) ingest = muster_ingest_new(a->store, a->admin, count_id, error);
  FILE *in = ingest != NULL ? fopen(feed_path, "r") : NULL;
  if (in == NULL)
    return ingest == NULL ? FALSE : bench_errno_fail(error, feed_path);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  gboolean ok = TRUE;
  gint64 t0 = g_get_monotonic_time();
  while (ok && (len = getline(&line, &cap, in)) >= 0)
    ok = feed_line(ingest, line, (gsize)len, max_wait_us, error);
  ok = ok && muster_ingest_flush(ingest, NULL, error);
  double secs = bench_seconds_since(t0);
  free(line);
  fclose(in);
  if (!ok)
    return FALSE;
  bench_report(out, "setup_ingest_scans", "%" G_GINT64_FORMAT, muster_ingest_scans(ingest));
  bench_report(out, "setup_ingest_seconds", "%.3f", secs);
  bench_report(out, "setup_ingest_scans_per_s", "%.0f", muster_ingest_scans(ingest) / secs);
  bench_report(out, "setup_found", "%" G_GINT64_FORMAT, muster_ingest_found(ingest));
  return TRUE;
}

gboolean
bench_armoury_set_up_count(BenchArmoury *a, const char *path, const char *csv_path,
                           const char *feed_path, gint64 max_wait_us, GString *out,
                           gint64 *count_id, GError **error)
{
  return bench_armoury_create(a, path, error) &&
         bench_armoury_import(a, csv_path, out, NULL, error) &&
         bench_armoury_start_count(a, out, count_id, error) &&
         bench_armoury_ingest_feed(a, feed_path, *count_id, max_wait_us, out, error);
}
