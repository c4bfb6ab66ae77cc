/*
 * test-store-files.c: the record store's files and its concurrent writers (issue 10,
 * rows 13 and 14).
 *
 *  /store/wal-and-keys-private: the database and the -wal and -shm files SQLite makes
 *    beside it, and the sync key, are private to their owner whatever the umask; a
 *    database left readable by everyone by an older version is closed to others when
 *    opened.
 *  /ingest/concurrent-scanners-on-one-count: two scanners, each with its own connection
 *    and ingest, on one count: both store everything they acknowledge, and an item
 *    found by both is found once (the second scan is a duplicate).
 */
#include "db/counts.h"
#include "db/ingest.h"
#include "protocol/keys.h"
#include "scan/scan.h"
#include "test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

/* ---- files -------------------------------------------------------------------------- */

static unsigned
mode_of(const char *path)
{
  GStatBuf st;
  if (g_stat(path, &st) != 0)
    g_error("%s: %s", path, g_strerror(errno));
  return st.st_mode & 0777;
}

static void
assert_private(const char *path)
{
  unsigned mode = mode_of(path);
  if ((mode & 077) != 0)
    g_error("%s has mode %03o: others can read it", path, mode);
}

static void
test_wal_and_keys_private(void)
{
  mode_t old = umask(0);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp("muster-files-XXXXXX", &error);
  g_assert_no_error(error);
  g_autofree char *path = g_build_filename(dir, "armoury.db", NULL);
  g_autofree char *wal = g_strconcat(path, "-wal", NULL);
  g_autofree char *shm = g_strconcat(path, "-shm", NULL);
  {
    g_autoptr(MusterStore) store = muster_store_create(path, "TEST", "Test", &error);
    g_assert_no_error(error);
    g_autoptr(MusterUser) admin =
        muster_users_bootstrap_admin(store, "admin", "Ada", "123456", &error);
    g_assert_no_error(error);
    /* open: the WAL and its index are there beside the database */
    g_assert_true(g_file_test(wal, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(shm, G_FILE_TEST_EXISTS));
    assert_private(path);
    assert_private(wal);
    assert_private(shm);
  }
  g_autofree char *key_path = muster_sync_key_path_for_db(path);
  g_autoptr(MusterSyncKey) key = muster_sync_key_load_or_create(key_path, &error);
  g_assert_no_error(error);
  assert_private(key_path);

  /* a file an older version left readable by everyone */
  g_chmod(path, 0644);
  {
    g_autoptr(MusterStore) store = muster_store_open(path, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(mode_of(path) & 007, ==, 0);
    g_assert_cmpuint(mode_of(wal) & 007, ==, 0);
  }
  umask(old);
  test_rm_rf(dir);
}

/* ---- concurrent scanners ------------------------------------------------------------ */

#define N_ITEMS 1500

typedef struct {
  TestDb db;
  gint64 count_id;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  test_db_setup(&f->db, data);
  g_autoptr(GString) csv = g_string_new(
      "manufacturer,country_of_manufacture,serial,model,category,calibre,status,location,"
      "markings\n");
  for (int i = 0; i < N_ITEMS; i++)
    g_string_append_printf(csv, "Glock,AT,GL-%05d,G17,pistol,9x19,in_store,R1/A/01,\n", i);
  g_assert_cmpint(test_db_import_csv(&f->db, csv->str, (gssize)csv->len).imported, ==, N_ITEMS);
  f->count_id = test_db_start_count(&f->db, "");
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  test_db_teardown(&f->db, data);
}

/* One scanner: its own connection and ingest, as a second `muster count scan` has. */
typedef struct {
  Fixture *f;
  MusterStore *store;
  MusterIngest *ingest;
  int stride;         /* the order it scans the items in */
  gint64 acknowledged;
  GError *error;
} Scanner;

static void
scanner_open(Scanner *s, Fixture *f)
{
  s->f = f;
  s->store = muster_store_open(f->db.path, &s->error);
  g_assert_no_error(s->error);
  s->ingest = muster_ingest_new(s->store, f->db.admin, f->count_id, &s->error);
  g_assert_no_error(s->error);
}

static void
scanner_close(Scanner *s)
{
  g_clear_pointer(&s->ingest, muster_ingest_free);
  g_clear_pointer(&s->store, muster_store_free);
  g_clear_error(&s->error);
}

static void
scanner_add(Scanner *s, int item)
{
  g_autofree char *serial = g_strdup_printf("GL-%05d", item);
  g_autoptr(MusterScan) scan = muster_scan_parse_line(serial, strlen(serial), "test", NULL, NULL);
  g_assert_nonnull(scan);
  muster_ingest_add(s->ingest, scan);
}

/* Flushes; on success counts what was acknowledged. */
static gboolean
scanner_flush(Scanner *s)
{
  g_autoptr(GArray) results = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(results, (GDestroyNotify)muster_ingest_result_clear);
  if (!muster_ingest_flush(s->ingest, results, &s->error))
    return FALSE;
  s->acknowledged += results->len;
  return TRUE;
}

/* Scans every item in its own order, flushing every 50 scans. */
static gpointer
scanner_run(gpointer data)
{
  Scanner *s = data;
  for (int k = 0; k < N_ITEMS; k++) {
    scanner_add(s, k * s->stride % N_ITEMS);
    if ((k + 1) % 50 == 0 && !scanner_flush(s))
      return NULL;
  }
  scanner_flush(s);
  return NULL;
}

/* Two scanners, each on its own thread, connection and ingest, scanning at once. */
static void
run_at_once(Fixture *f, Scanner *c, Scanner *d)
{
  scanner_open(c, f);
  scanner_open(d, f);
  GThread *tc = g_thread_new("scanner-c", scanner_run, c);
  GThread *td = g_thread_new("scanner-d", scanner_run, d);
  g_thread_join(tc);
  g_thread_join(td);
  g_assert_no_error(c->error);
  g_assert_no_error(d->error);
}

static gint64
sql_count(Fixture *f, const char *sql)
{
  return test_sql_int_arg(&f->db, sql, f->count_id);
}

/* Every item found exactly once, and each acknowledged scan stored. */
static void
assert_found_once(Fixture *f, gint64 scans)
{
  g_assert_cmpint(sql_count(f, "SELECT count(*) FROM scan WHERE count_id = ?"), ==, scans);
  g_assert_cmpint(sql_count(f, "SELECT count(*) FROM count_find WHERE count_id = ?"), ==,
                  N_ITEMS);
  g_assert_cmpint(sql_count(f, "SELECT count(*) FROM scan WHERE count_id = ? AND "
                               "outcome = 'accepted'"), ==, N_ITEMS);
  g_assert_cmpint(sql_count(f, "SELECT count(*) FROM scan WHERE count_id = ? AND "
                               "outcome = 'duplicate'"), ==, scans - N_ITEMS);
}

static void
test_concurrent_scanners(Fixture *f, gconstpointer data)
{
  /* Both start before either stores anything; the second then scans items the first
   * has found meanwhile. */
  Scanner a = {0}, b = {0};
  scanner_open(&a, f);
  scanner_open(&b, f);
  for (int i = 0; i < N_ITEMS / 2; i++)
    scanner_add(&b, i);
  g_assert_true(scanner_flush(&b));
  for (int i = 0; i < N_ITEMS; i++)
    scanner_add(&a, i);
  gboolean a_ok = scanner_flush(&a);
  g_assert_no_error(a.error);
  g_assert_true(a_ok);
  g_assert_cmpint(a.acknowledged, ==, N_ITEMS);
  g_assert_cmpint(muster_ingest_found(a.ingest), ==, N_ITEMS);
  scanner_close(&a);
  scanner_close(&b);
  assert_found_once(f, N_ITEMS + N_ITEMS / 2);

  /* Then two at full speed at once, each over the whole register again: every scan is
   * now a duplicate, and none is lost. */
  Scanner c = {.stride = 7}, d = {.stride = 11}; /* both prime to N_ITEMS */
  run_at_once(f, &c, &d);
  g_assert_cmpint(c.acknowledged, ==, N_ITEMS);
  g_assert_cmpint(d.acknowledged, ==, N_ITEMS);
  scanner_close(&c);
  scanner_close(&d);
  assert_found_once(f, 3 * N_ITEMS + N_ITEMS / 2);
}

/* Two scanners racing over a fresh count, in different orders: each item is found by
 * exactly one of them. */
static void
test_concurrent_scanners_race(Fixture *f, gconstpointer data)
{
  Scanner c = {.stride = 7}, d = {.stride = 11}; /* both prime to N_ITEMS */
  run_at_once(f, &c, &d);
  g_assert_cmpint(c.acknowledged + d.acknowledged, ==, 2 * N_ITEMS);
  scanner_close(&c);
  scanner_close(&d);
  assert_found_once(f, 2 * N_ITEMS);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/store/wal-and-keys-private", test_wal_and_keys_private);
  g_test_add("/ingest/concurrent-scanners-on-one-count", Fixture, NULL, fixture_setup,
             test_concurrent_scanners, fixture_teardown);
  g_test_add("/ingest/concurrent-scanners-race", Fixture, NULL, fixture_setup,
             test_concurrent_scanners_race, fixture_teardown);
  return g_test_run();
}
