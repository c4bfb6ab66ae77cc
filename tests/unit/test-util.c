/*
 * test-util.c: see test-util.h.
 */
#include "test-util.h"

#include "db/counts.h"
#include "db/sync-state.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

const char *
test_log_field(const GLogField *fields, gsize n, const char *key)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal(fields[i].key, key))
      return fields[i].value;
  return "-";
}

void
test_rm_rf(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  if (d != NULL) {
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
      g_autofree char *p = g_build_filename(dir, name, NULL);
      if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
        test_rm_rf(p);
      else
        g_unlink(p);
    }
  }
  g_rmdir(dir);
}

void
test_db_setup(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  t->dir = g_dir_make_tmp("muster-test-XXXXXX", &error);
  g_assert_no_error(error);
  t->path = g_build_filename(t->dir, "armoury.db", NULL);
  t->store = muster_store_create(t->path, "TEST", "Test armoury", &error);
  g_assert_no_error(error);
  g_autoptr(MusterUser) boot =
      muster_users_bootstrap_admin(t->store, "admin", "Ada Admin", "123456", &error);
  g_assert_no_error(error);
  g_assert_cmpint(boot->role, ==, MUSTER_ROLE_ADMIN);
  t->admin = muster_users_authenticate(t->store, "admin", "123456", &error);
  g_assert_no_error(error);
}

void
test_db_teardown(TestDb *t, gconstpointer data)
{
  muster_user_free(t->admin);
  muster_store_free(t->store);
  test_rm_rf(t->dir);
  g_free(t->dir);
  g_free(t->path);
}

MusterUser *
test_db_add_user(TestDb *t, const char *name, MusterRole role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) u = muster_users_add(t->store, t->admin, name, name, role, "1234", &error);
  g_assert_no_error(error);
  g_assert_cmpint(u->role, ==, role);
  MusterUser *signed_in = muster_users_authenticate(t->store, name, "1234", &error);
  g_assert_no_error(error);
  return signed_in;
}

/* sql's first row; its one parameter, if it has one, bound to text (when not NULL) or
 * to number. */
MusterImportResult
test_db_import_csv(TestDb *t, const char *csv, gssize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  MusterImportResult result = {0};
  gboolean ok = muster_items_import_csv(t->store, t->admin, csv, len < 0 ? strlen(csv) : (gsize)len,
                                        &result, &problems, &error);
  for (guint i = 0; !ok && problems != NULL && i < problems->len && i < 5; i++)
    g_printerr("%s\n", (const char *)g_ptr_array_index(problems, i));
  g_assert_no_error(error);
  g_assert_true(ok);
  return result;
}

gint64
test_db_start_count(TestDb *t, const char *scope_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) known = muster_users_get(t->store, "will", NULL);
  g_autoptr(MusterUser) witness = known != NULL
                                      ? muster_users_authenticate(t->store, "will", "1234", &error)
                                      : test_db_add_user(t, "will", MUSTER_ROLE_STAFF);
  g_assert_no_error(error);
  const char *scope[] = {scope_path, NULL};
  g_autoptr(MusterCount) c = muster_counts_start(t->store, t->admin, witness, scope, FALSE, &error);
  g_assert_no_error(error);
  return c->id;
}

static sqlite3_stmt *
first_row(TestDb *t, const char *sql, const char *text, gint64 number)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(muster_store_db(t->store), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error("%s: %s", sql, sqlite3_errmsg(muster_store_db(t->store)));
  if (sqlite3_bind_parameter_count(stmt) > 0) {
    if (text != NULL)
      sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
    else
      sqlite3_bind_int64(stmt, 1, number);
  }
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
  return stmt;
}

static gint64
int_of(sqlite3_stmt *stmt)
{
  gint64 n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

static char *
text_of(sqlite3_stmt *stmt)
{
  char *s = muster_column_dup(stmt, 0);
  sqlite3_finalize(stmt);
  return s;
}

gint64
test_sql_int(TestDb *t, const char *sql)
{
  return int_of(first_row(t, sql, NULL, 0));
}

char *
test_sql_text(TestDb *t, const char *sql)
{
  return text_of(first_row(t, sql, NULL, 0));
}

gint64
test_sql_int_arg(TestDb *t, const char *sql, gint64 arg)
{
  return int_of(first_row(t, sql, NULL, arg));
}

char *
test_sql_text_arg(TestDb *t, const char *sql, gint64 arg)
{
  return text_of(first_row(t, sql, NULL, arg));
}

gint64
test_sql_int_str(TestDb *t, const char *sql, const char *arg)
{
  return int_of(first_row(t, sql, arg, 0));
}

char *
test_sql_text_str(TestDb *t, const char *sql, const char *arg)
{
  return text_of(first_row(t, sql, arg, 0));
}

void
test_sql_exec(TestDb *t, const char *sql)
{
  char *msg = NULL;
  if (sqlite3_exec(muster_store_db(t->store), sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error("%s: %s", sql, msg);
}

void
test_sql_exec_outside(TestDb *t, const char *sql)
{
  sqlite3 *db = NULL;
  char *msg = NULL;
  if (sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
      sqlite3_busy_timeout(db, 5000) != SQLITE_OK ||
      sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error("%s: %s", sql, msg != NULL ? msg : sqlite3_errmsg(db));
  sqlite3_close(db);
}

G_STATIC_ASSERT(sizeof(((TestRegistryKey *)0)->pk) == crypto_sign_PUBLICKEYBYTES);
G_STATIC_ASSERT(sizeof(((TestRegistryKey *)0)->sk) == crypto_sign_SECRETKEYBYTES);

char *
test_base64(const guint8 *data, gsize len)
{
  gsize size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
  char *out = g_malloc(size);
  return sodium_bin2base64(out, size, data, len, sodium_base64_VARIANT_ORIGINAL);
}

void
test_registry_key_new(TestRegistryKey *key)
{
  g_assert_cmpint(sodium_init(), >=, 0);
  crypto_sign_keypair(key->pk, key->sk);
}

void
test_registry_configure(TestDb *t, TestRegistryKey *key)
{
  test_registry_key_new(key);
  g_autofree char *pk = test_base64(key->pk, sizeof key->pk);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_sync_state_configure(t->store, t->admin, "https://registry.test", NULL, pk,
                                            &error));
  g_assert_no_error(error);
}

void
test_registry_keep_receipt(TestDb *t, const TestRegistryKey *key, gint64 seq)
{
  g_autofree char *hash = test_sql_text_arg(t, "SELECT hash FROM audit_log WHERE seq = ?", seq);
  g_autofree char *answer = g_strdup_printf(
      "{\"anchor\":{\"audit_seq\":%" G_GINT64_FORMAT ",\"audit_hash\":\"%s\"}}", seq, hash);
  guint8 sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, NULL, (const guint8 *)answer, strlen(answer), key->sk);
  g_autofree char *sig64 = test_base64(sig, sizeof sig);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_sync_record_receipt(t->store, seq, hash, "2026-01-01T00:00:00.000Z",
                                           answer, sig64, &error));
  g_assert_no_error(error);
}
