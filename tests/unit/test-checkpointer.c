/*
 * test-checkpointer.c: WAL checkpoints move off the committing thread and come back.
 *
 * While a checkpointer is attached, a commit that leaves the WAL past 1,000 pages must
 * not checkpoint itself but wake the thread, which copies the WAL into the database; once
 * detached, the store's connection checkpoints by itself again.
 */
#include "db/checkpointer.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "db/store.h"
#include "test-util.h"

/* Commits about 2,000 pages (4 KiB each) in one transaction. */
static void
write_pages(TestDb *db)
{
  test_sql_exec(db, "CREATE TABLE IF NOT EXISTS bulk(x BLOB) STRICT");
  test_sql_exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                    "INSERT INTO bulk SELECT randomblob(3900) FROM n");
}

/* Commits one small row, then says how many pages the WAL holds. A commit after a
 * complete checkpoint restarts the WAL from its start, so a few pages mean the big
 * commit before was checkpointed, thousands that it was not. */
static int
wal_pages_after_small_commit(TestDb *db)
{
  test_sql_exec(db, "INSERT INTO bulk VALUES (x'00')");
  int log = -1, done = -1;
  g_assert_cmpint(sqlite3_wal_checkpoint_v2(muster_store_db(db->store), NULL,
                                            SQLITE_CHECKPOINT_PASSIVE, &log, &done),
                  ==, SQLITE_OK);
  return log;
}

static void
test_checkpoints_on_its_thread(TestDb *db, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCheckpointer) cp = muster_checkpointer_new(db->store, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(muster_checkpointer_runs(cp), ==, 0);
  write_pages(db);
  /* the commit itself did not checkpoint: that is the thread's work */
  gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
  while (muster_checkpointer_runs(cp) == 0 && g_get_monotonic_time() < deadline)
    g_usleep(10000);
  g_assert_cmpuint(muster_checkpointer_runs(cp), >=, 1);
  g_assert_cmpint(wal_pages_after_small_commit(db), <, 100);
  g_assert_cmpint(test_sql_int(db, "SELECT count(*) FROM bulk"), ==, 2001);
}

static void
test_detaching_restores_autocheckpoint(TestDb *db, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  MusterCheckpointer *cp = muster_checkpointer_new(db->store, &error);
  g_assert_no_error(error);
  muster_checkpointer_free(cp);
  /* the connection's own hook is back: a big commit checkpoints inside itself */
  write_pages(db);
  g_assert_cmpint(wal_pages_after_small_commit(db), <, 100);
  g_assert_cmpint(test_sql_int(db, "PRAGMA wal_autocheckpoint"), ==, 1000);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/checkpointer/checkpoints-on-its-thread", TestDb, NULL, test_db_setup,
             test_checkpoints_on_its_thread, test_db_teardown);
  g_test_add("/checkpointer/detaching-restores-autocheckpoint", TestDb, NULL, test_db_setup,
             test_detaching_restores_autocheckpoint, test_db_teardown);
  return g_test_run();
}
