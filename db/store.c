/*
 * store.c: opening, creating and migrating an armoury's SQLite file.
 *
 * The file carries PRAGMA application_id 'MUST' so that a stray SQLite file is refused
 * instead of being written to, and PRAGMA user_version is the number of the last
 * migration applied. Migrations are numbered SQL files compiled in as a GResource
 * (db/migrations/NNN-name.sql); each runs in its own transaction.
 *
 * Durability: WAL with synchronous=FULL, so a committed transaction survives a crash or
 * power loss. Ingest batches scans into one transaction, which is what keeps that
 * affordable (see db/ingest.c).
 */
#include "db/store.h"
#include "db/audit.h"

#include <errno.h>
#include <gio/gio.h>
#include <sodium.h>
#include <string.h>

#define MUSTER_APPLICATION_ID 0x4D555354 /* "MUST" */

struct _MusterStore {
  sqlite3 *db;
  char *path;
  char *armoury_code;
  char *armoury_uuid;
  char *armoury_name;
  int schema_version;
  GHashTable *stmts; /* SQL text -> sqlite3_stmt* */
  gboolean in_tx;
  gint64 tx_base[MUSTER_AUDIT_N_SEALED]; /* history rows before this transaction */
};

static const char *
rc_advice(int rc)
{
  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return "Another program (the kiosk, or another muster command) is writing to it. "
           "Wait for it to finish and try again.";
  case SQLITE_READONLY:
    return "The file or its folder is read-only. Check the permissions and that the "
           "disk is not mounted read-only.";
  case SQLITE_FULL:
    return "The disk is full. Nothing of this change was stored; free some space and "
           "try again.";
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return "The file is damaged or is not a Muster database. Restore it from a backup.";
  case SQLITE_IOERR:
    return "The disk reported an error. Check the disk and the system log.";
  case SQLITE_CANTOPEN:
    return "Check that the path is right and that its folder exists and is writable.";
  case SQLITE_CONSTRAINT:
    return "The records refuse this change.";
  default:
    return "";
  }
}

static MusterError
rc_code(int rc)
{
  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return MUSTER_ERROR_DB_BUSY;
  case SQLITE_READONLY: return MUSTER_ERROR_DB_READONLY;
  case SQLITE_FULL: return MUSTER_ERROR_DISK_FULL;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB: return MUSTER_ERROR_DB_CORRUPT;
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN: return MUSTER_ERROR_IO;
  case SQLITE_CONSTRAINT: return MUSTER_ERROR_INVALID;
  default: return MUSTER_ERROR_FAILED;
  }
}

gboolean
muster_store_fail(MusterStore *store, int rc, const char *doing, GError **error)
{
  const char *path = store != NULL ? store->path : "(no database)";
  const char *msg = store != NULL && store->db != NULL ? sqlite3_errmsg(store->db)
                                                     : sqlite3_errstr(rc);
  /* ENOSPC can surface as an I/O error during a WAL write or checkpoint. */
  if ((rc & 0xff) == SQLITE_IOERR && store != NULL && store->db != NULL &&
      sqlite3_system_errno(store->db) == ENOSPC)
    rc = SQLITE_FULL;
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "%s in %s: %s", doing, path, msg);
    return FALSE;
  }
  g_set_error(error, MUSTER_ERROR, rc_code(rc), "%s in %s failed: %s. %s", doing, path, msg,
              rc_advice(rc));
  return FALSE;
}

static void
stmt_finalize(gpointer p)
{
  sqlite3_finalize(p);
}

sqlite3_stmt *
muster_store_stmt(MusterStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup(store->stmts, sql);
  if (stmt != NULL) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return stmt;
  }
  int rc = sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK) {
    muster_store_fail(store, rc, "Preparing a query", error);
    return NULL;
  }
  g_hash_table_insert(store->stmts, g_strdup(sql), stmt);
  return stmt;
}

gboolean
muster_store_exec(MusterStore *store, const char *sql, GError **error)
{
  int rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return muster_store_fail(store, rc, "Updating the records", error);
  return TRUE;
}

gboolean
muster_store_step_done(MusterStore *store, sqlite3_stmt *stmt, const char *doing,
                       GError **error)
{
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    sqlite3_reset(stmt);
    return muster_store_fail(store, rc, doing, error);
  }
  sqlite3_reset(stmt);
  return TRUE;
}

gboolean
muster_store_begin(MusterStore *store, GError **error)
{
  g_return_val_if_fail(!store->in_tx, FALSE);
  int rc = sqlite3_exec(store->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return muster_store_fail(store, rc, "Starting a change", error);
  store->in_tx = TRUE;
  muster_audit_tx_snapshot(store, store->tx_base);
  return TRUE;
}

gboolean
muster_store_commit(MusterStore *store, GError **error)
{
  g_return_val_if_fail(store->in_tx, FALSE);
  if (!muster_audit_tx_seal(store, store->tx_base, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  int rc = sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    muster_store_fail(store, rc, "Saving the change", error);
    muster_store_rollback(store);
    return FALSE;
  }
  store->in_tx = FALSE;
  return TRUE;
}

void
muster_store_rollback(MusterStore *store)
{
  if (!store->in_tx)
    return;
  /* Statements still stepping would keep the transaction open. */
  GHashTableIter it;
  gpointer stmt;
  g_hash_table_iter_init(&it, store->stmts);
  while (g_hash_table_iter_next(&it, NULL, &stmt))
    sqlite3_reset(stmt);
  sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
  store->in_tx = FALSE;
}

gboolean
muster_store_in_transaction(MusterStore *store)
{
  return store->in_tx;
}

sqlite3 *
muster_store_db(MusterStore *store)
{
  return store->db;
}
const char *
muster_store_path(MusterStore *store)
{
  return store->path;
}
const char *
muster_store_armoury_code(MusterStore *store)
{
  return store->armoury_code;
}
const char *
muster_store_armoury_uuid(MusterStore *store)
{
  return store->armoury_uuid;
}
const char *
muster_store_armoury_name(MusterStore *store)
{
  return store->armoury_name;
}
int
muster_store_schema_version(MusterStore *store)
{
  return store->schema_version;
}

void
muster_store_free(MusterStore *store)
{
  if (store == NULL)
    return;
  g_hash_table_destroy(store->stmts);
  if (store->db != NULL)
    sqlite3_close_v2(store->db);
  g_free(store->path);
  g_free(store->armoury_code);
  g_free(store->armoury_uuid);
  g_free(store->armoury_name);
  g_free(store);
}

static gint64
pragma_int(MusterStore *store, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;
  if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return v;
}

static gboolean
apply_pragmas(MusterStore *store, GError **error)
{
  sqlite3_busy_timeout(store->db, 5000);
  sqlite3_extended_result_codes(store->db, 1);
  /* journal_mode answers with a row, so it cannot go through exec's error check alone;
   * on a read-only file it stays as it is, which is fine for reading. */
  if (!muster_store_exec(store,
                         "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
                         "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;",
                         error))
    return FALSE;
  sqlite3_exec(store->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
  return TRUE;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static gboolean
migrate(MusterStore *store, GError **error)
{
  const char *dir = "/org/muster/db/migrations";
  g_auto(GStrv) names = g_resources_enumerate_children(dir, 0, error);
  if (names == NULL)
    return FALSE;
  qsort(names, g_strv_length(names), sizeof(char *), compare_names);
  int current = (int)pragma_int(store, "PRAGMA user_version");
  for (char **n = names; *n != NULL; n++) {
    int number = atoi(*n);
    if (number <= current)
      continue;
    g_autofree char *rpath = g_build_path("/", dir, *n, NULL);
    g_autoptr(GBytes) sql = g_resources_lookup_data(rpath, 0, error);
    if (sql == NULL)
      return FALSE;
    g_autofree char *text = g_strndup(g_bytes_get_data(sql, NULL), g_bytes_get_size(sql));
    g_autofree char *tail = g_strdup_printf("PRAGMA user_version=%d; PRAGMA application_id=%d;",
                                            number, MUSTER_APPLICATION_ID);
    /* Not muster_store_begin(): the audit tables may not exist yet. */
    if (!muster_store_exec(store, "BEGIN IMMEDIATE", error))
      return FALSE;
    if (!muster_store_exec(store, text, error) || !muster_store_exec(store, tail, error) ||
        !muster_store_exec(store, "COMMIT", error)) {
      sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
      g_prefix_error(error, "Migration %s: ", *n);
      return FALSE;
    }
    current = number;
  }
  store->schema_version = current;
  return TRUE;
}

static gboolean
load_identity(MusterStore *store, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, "SELECT key, value FROM meta", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const char *k = (const char *)sqlite3_column_text(stmt, 0);
    char **slot = g_str_equal(k, "armoury_code")   ? &store->armoury_code
                  : g_str_equal(k, "armoury_uuid") ? &store->armoury_uuid
                  : g_str_equal(k, "armoury_name") ? &store->armoury_name
                                                   : NULL;
    if (slot != NULL) {
      g_free(*slot);
      *slot = muster_column_dup(stmt, 1);
    }
  }
  sqlite3_reset(stmt);
  return TRUE;
}

static MusterStore *
store_connect(const char *path, int flags, GError **error)
{
  if (sodium_init() < 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED, "libsodium failed to initialise");
    return NULL;
  }
  g_autoptr(MusterStore) store = g_new0(MusterStore, 1);
  store->path = g_strdup(path);
  store->stmts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, stmt_finalize);
  int rc = sqlite3_open_v2(path, &store->db, flags, NULL);
  if (rc != SQLITE_OK) {
    muster_store_fail(store, rc, "Opening the database", error);
    return NULL;
  }
  if (!apply_pragmas(store, error))
    return NULL;
  return g_steal_pointer(&store);
}

MusterStore *
muster_store_open(const char *path, GError **error)
{
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "No Muster database at %s. Check --db or MUSTER_DB, or create one with "
                "'muster init'.", path);
    return NULL;
  }
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s is not a file. Give the path of the database file with --db.", path);
    return NULL;
  }
  g_autoptr(MusterStore) store = store_connect(path, SQLITE_OPEN_READWRITE, error);
  if (store == NULL)
    return NULL;
  gint64 app_id = pragma_int(store, "PRAGMA application_id");
  if (app_id != MUSTER_APPLICATION_ID) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_CORRUPT,
                "%s is not a Muster database (it may be damaged, or another program's "
                "file). Check --db or MUSTER_DB; it was left untouched.", path);
    return NULL;
  }
  gint64 version = pragma_int(store, "PRAGMA user_version");
  store->schema_version = (int)version;
  if (!sqlite3_db_readonly(store->db, "main") && !migrate(store, error)) {
    g_prefix_error(error, "Upgrading %s: ", path);
    return NULL;
  }
  if (!load_identity(store, error))
    return NULL;
  return g_steal_pointer(&store);
}

static gboolean
insert_meta(MusterStore *store, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, "INSERT INTO meta (key, value) VALUES (?, ?)",
                                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
  return muster_store_step_done(store, stmt, "Recording the armoury", error);
}

static gboolean
seed_armoury(MusterStore *store, const char *code, const char *name, GError **error)
{
  g_autofree char *uuid = muster_uuid_new();
  g_autofree char *loc_uuid = muster_uuid_new();
  g_autofree char *now = muster_now_iso();
  if (!insert_meta(store, "armoury_code", code, error) ||
      !insert_meta(store, "armoury_name", name, error) ||
      !insert_meta(store, "armoury_uuid", uuid, error) ||
      !insert_meta(store, "created_at", now, error))
    return FALSE;
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "INSERT INTO location (uuid, parent_id, kind, code, path, name, created_at) "
      "VALUES (?, NULL, 'armoury', ?, '', ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, loc_uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 3, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (!muster_store_step_done(store, stmt, "Recording the armoury", error))
    return FALSE;
  g_autofree char *detail = g_strdup_printf("{\"code\":\"%s\",\"uuid\":\"%s\"}", code, uuid);
  return muster_audit_append(store, NULL, "armoury.create", uuid, detail, error);
}

static gboolean
valid_code(const char *code)
{
  if (code == NULL || *code == '\0' || strlen(code) > 32)
    return FALSE;
  for (const char *p = code; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

MusterStore *
muster_store_create(const char *path, const char *armoury_code, const char *armoury_name,
                    GError **error)
{
  if (!valid_code(armoury_code)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "Armoury code '%s' is not valid: use 1 to 32 letters, digits, '-' or '_'.",
                armoury_code ? armoury_code : "");
    return NULL;
  }
  if (g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
                "%s already exists. Muster never overwrites a database; choose another "
                "path or move the old file away.", path);
    return NULL;
  }
  g_autofree char *dir = g_path_get_dirname(path);
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "Cannot create %s: the folder %s does not exist. Create it first.", path, dir);
    return NULL;
  }
  g_autoptr(MusterStore) store =
      store_connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
  if (store == NULL)
    return NULL;
  if (!migrate(store, error))
    return NULL;
  if (!muster_store_begin(store, error))
    return NULL;
  if (!seed_armoury(store, armoury_code, armoury_name ? armoury_name : armoury_code, error)) {
    muster_store_rollback(store);
    return NULL;
  }
  if (!muster_store_commit(store, error) || !load_identity(store, error))
    return NULL;
  return g_steal_pointer(&store);
}

char *
muster_store_setting(MusterStore *store, const char *key)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, "SELECT value FROM setting WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
  char *value = sqlite3_step(stmt) == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  return value;
}

gint64
muster_store_setting_int(MusterStore *store, const char *key, gint64 fallback)
{
  g_autofree char *v = muster_store_setting(store, key);
  gint64 n;
  if (v == NULL || !g_ascii_string_to_signed(v, 10, G_MININT64, G_MAXINT64, &n, NULL))
    return fallback;
  return n;
}

gboolean
muster_store_set_setting(MusterStore *store, const char *key, const char *value,
                         GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "INSERT INTO setting (key, value) VALUES (?, ?) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
  return muster_store_step_done(store, stmt, "Saving a setting", error);
}

void
muster_bind_text_or_null(sqlite3_stmt *stmt, int idx, const char *s)
{
  if (s == NULL || *s == '\0')
    sqlite3_bind_null(stmt, idx);
  else
    sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
}

char *
muster_column_dup(sqlite3_stmt *stmt, int col)
{
  const unsigned char *s = sqlite3_column_text(stmt, col);
  return s != NULL ? g_strdup((const char *)s) : NULL;
}

char *
muster_time_iso(gint64 unix_usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(unix_usec / G_USEC_PER_SEC);
  if (dt == NULL)
    return g_strdup("1970-01-01T00:00:00.000Z");
  g_autofree char *base = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf("%s.%03dZ", base, (int)((unix_usec % G_USEC_PER_SEC) / 1000));
}

char *
muster_now_iso(void)
{
  return muster_time_iso(g_get_real_time());
}

char *
muster_uuid_new(void)
{
  return g_uuid_string_random();
}
