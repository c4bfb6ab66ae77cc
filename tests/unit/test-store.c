/*
 * test-store.c: opening, creating and failing cleanly.
 *
 * Only init creates a database; a missing, mistyped, foreign or damaged file is refused
 * with a message that says what to do, and a locked, read-only or full database fails a
 * change without losing what was already committed.
 */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/outbox.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "test-util.h"

/* The number of the newest migration in db/migrations/. */
#define LATEST_SCHEMA 9

static void
assert_message_has(const GError *error, const char *needle)
{
  if (strstr(error->message, needle) == NULL)
    g_error("expected '%s' in: %s", needle, error->message);
}

static void
test_open_missing_creates_nothing(TestDb *t, gconstpointer data)
{
  g_autofree char *path = g_build_filename(t->dir, "typo.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) s = muster_store_open(path, &error);
  g_assert_null(s);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  assert_message_has(error, "muster init");
  g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

static void
test_create_refuses_existing(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) s = muster_store_create(t->path, "X", "X", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS);
  g_clear_error(&error);
  g_autofree char *nodir = g_build_filename(t->dir, "no", "such", "a.db", NULL);
  g_autoptr(MusterStore) s2 = muster_store_create(nodir, "X", "X", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);
  g_autofree char *other = g_build_filename(t->dir, "b.db", NULL);
  g_autoptr(MusterStore) s3 = muster_store_create(other, "bad code!", "X", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_false(g_file_test(other, G_FILE_TEST_EXISTS));
}

static void
test_reopen_keeps_identity(TestDb *t, gconstpointer data)
{
  g_autofree char *uuid = g_strdup(muster_store_armoury_uuid(t->store));
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) again = muster_store_open(t->path, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(muster_store_armoury_uuid(again), ==, uuid);
  g_assert_cmpstr(muster_store_armoury_code(again), ==, "TEST");
  g_assert_cmpint(muster_store_schema_version(again), ==, LATEST_SCHEMA);
}

/* A database left at an older schema is brought forward when opened, keeping its data. */
static void
test_migrates_forward(TestDb *t, gconstpointer data)
{
  g_clear_pointer(&t->store, muster_store_free);
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(t->path, &db), ==, SQLITE_OK);
  /* 008 adds a column, which cannot be added twice: the file loses it as well. */
  g_assert_cmpint(sqlite3_exec(db, "DROP INDEX count_find_item; DROP INDEX count_expected_item;"
                                   "DROP INDEX scan_notable; DROP INDEX item_serial_key;"
                                   "ALTER TABLE item DROP COLUMN serial_key;"
                                   "PRAGMA user_version=1;",
                               NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close(db);
  g_autoptr(GError) error = NULL;
  t->store = muster_store_open(t->path, &error);
  g_assert_no_error(error);
  g_assert_cmpint(muster_store_schema_version(t->store), ==, LATEST_SCHEMA);
  sqlite3_stmt *stmt = NULL;
  sqlite3_prepare_v2(muster_store_db(t->store),
                     "SELECT count(*) FROM sqlite_master WHERE type='index' AND name IN "
                     "('count_find_item','count_expected_item','scan_notable')", -1, &stmt, NULL);
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
  g_assert_cmpint(sqlite3_column_int(stmt, 0), ==, 3);
  sqlite3_finalize(stmt);
  g_autoptr(MusterUser) admin = muster_users_authenticate(t->store, "admin", "123456", &error);
  g_assert_no_error(error);
}

static void
test_foreign_file_untouched(TestDb *t, gconstpointer data)
{
  g_autofree char *path = g_build_filename(t->dir, "other.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_open(path, &db);
  sqlite3_exec(db, "CREATE TABLE x(a); INSERT INTO x VALUES (1);", NULL, NULL, NULL);
  sqlite3_close(db);
  g_autofree char *before = NULL;
  gsize len_before = 0;
  g_file_get_contents(path, &before, &len_before, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) s = muster_store_open(path, &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_CORRUPT);
  assert_message_has(error, "not a Muster database");
  g_autofree char *after = NULL;
  gsize len_after = 0;
  g_file_get_contents(path, &after, &len_after, NULL);
  g_assert_cmpmem(before, len_before, after, len_after);

  g_autofree char *junk = g_build_filename(t->dir, "junk.db", NULL);
  g_file_set_contents(junk, "this is not sqlite at all, just text padded out to a page....", -1,
                      NULL);
  g_clear_error(&error);
  g_autoptr(MusterStore) s2 = muster_store_open(junk, &error);
  g_assert_nonnull(error);
  g_assert_true(error->code == MUSTER_ERROR_DB_CORRUPT);
}

static gboolean
write_event(MusterStore *store, GError **error)
{
  g_autoptr(JsonNode) payload = json_from_string("{\"k\":\"v\"}", NULL);
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!muster_audit_append(store, "admin", "test.event", "x", NULL, error) ||
      !muster_outbox_append(store, "test.event", "x", payload, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

static void
test_locked_database(TestDb *t, gconstpointer data)
{
  sqlite3 *other = NULL;
  g_assert_cmpint(sqlite3_open(t->path, &other), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  muster_store_set_busy_timeout(t->store, 50);
  g_autoptr(GError) error = NULL;
  g_assert_false(write_event(t->store, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_BUSY);
  assert_message_has(error, "try again");
  assert_message_has(error, t->path);
  g_clear_error(&error);
  sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(other);
  g_assert_true(write_event(t->store, &error));
  g_assert_no_error(error);
  g_assert_cmpint(muster_outbox_count_after(t->store, 0, NULL), ==, 1);
}

/* Opens the read-only file and tries a change; run as a user the file mode binds. */
static void
read_only_attempt(const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = muster_store_open(path, &error);
  g_assert_no_error(error);
  g_assert_false(write_event(store, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_READONLY);
  assert_message_has(error, "read-only");
}

static void
test_read_only_file(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(write_event(t->store, &error));
  g_clear_pointer(&t->store, muster_store_free);
  g_chmod(t->path, 0444);
  if (getuid() == 0) {
    /* root ignores file modes: make the attempt as 'nobody' in a child. */
    g_chmod(t->dir, 0777);
    pid_t pid = fork();
    if (pid == 0) {
      if (setgid(65534) != 0 || setuid(65534) != 0)
        _exit(77);
      read_only_attempt(t->path);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
  } else {
    read_only_attempt(t->path);
  }
  g_chmod(t->path, 0644);
  t->store = muster_store_open(t->path, &error);
  g_assert_no_error(error);
  g_assert_cmpint(muster_outbox_count_after(t->store, 0, NULL), ==, 1);
}

static void
test_disk_full(TestDb *t, gconstpointer data)
{
  /* SQLite's page limit makes the real engine return SQLITE_FULL, as a full disk does. */
  g_autoptr(GError) error = NULL;
  g_assert_true(write_event(t->store, &error));
  sqlite3 *db = muster_store_db(t->store);
  sqlite3_stmt *stmt = NULL;
  sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &stmt, NULL);
  sqlite3_step(stmt);
  gint64 pages = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  g_autofree char *limit = g_strdup_printf("PRAGMA max_page_count=%" G_GINT64_FORMAT, pages);
  sqlite3_exec(db, limit, NULL, NULL, NULL);
  gboolean failed = FALSE;
  for (int i = 0; i < 200 && !failed; i++) {
    g_autoptr(JsonNode) big = json_from_string("{}", NULL);
    json_object_set_string_member(json_node_get_object(big), "pad",
                                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    if (!muster_store_begin(t->store, &error))
      break;
    if (!muster_outbox_append(t->store, "pad", "x", big, &error) ||
        !muster_store_commit(t->store, &error)) {
      muster_store_rollback(t->store);
      failed = TRUE;
    }
  }
  g_assert_true(failed);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_DISK_FULL);
  assert_message_has(error, "free some space");
  /* What was committed before is intact and the chain still verifies. */
  MusterAuditReport report;
  g_clear_error(&error);
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/store/open-missing", TestDb, NULL, test_db_setup,
             test_open_missing_creates_nothing, test_db_teardown);
  g_test_add("/store/create-existing", TestDb, NULL, test_db_setup, test_create_refuses_existing,
             test_db_teardown);
  g_test_add("/store/reopen", TestDb, NULL, test_db_setup, test_reopen_keeps_identity,
             test_db_teardown);
  g_test_add("/store/migrates-forward", TestDb, NULL, test_db_setup, test_migrates_forward,
             test_db_teardown);
  g_test_add("/store/foreign-file", TestDb, NULL, test_db_setup, test_foreign_file_untouched,
             test_db_teardown);
  g_test_add("/store/locked", TestDb, NULL, test_db_setup, test_locked_database,
             test_db_teardown);
  g_test_add("/store/read-only", TestDb, NULL, test_db_setup, test_read_only_file,
             test_db_teardown);
  g_test_add("/store/disk-full", TestDb, NULL, test_db_setup, test_disk_full, test_db_teardown);
  return g_test_run();
}
