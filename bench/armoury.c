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
#include "harness.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

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
