/*
 * state-seal.c: every write of a state row leaves a sealed digest. See state-seal.h.
 *
 * A transaction's new rows are those above each table's newest rowid at its start (as
 * for the history tables). The existing rows it updated or deleted are noted by TEMP
 * triggers into temp.state_changed: they belong to this connection only, so Muster's own
 * writes are noted and an outside program's are not. At commit one INSERT ... SELECT per
 * table appends the digests (computed by the SQL function muster_row_digest) to
 * row_state; db/audit.c then seals row_state's new rows into the chain with the rest of
 * the history. An import of a million items thus costs one pass over the new rows, not
 * a trigger per row.
 *
 * The tables are listed once, below, each with the words that name one of its rows to a
 * person, so that `muster audit verify` can say "item Heckler & Koch MP5 SN 123 was
 * changed outside Muster" rather than "row 42 of item".
 */
#include "db/state-seal.h"
#include "core/sha256.h"
#include "db/store-private.h"

#include <string.h>

typedef struct {
  const char *table;
  const char *noun;    /* one row of it, in words */
  const char *label;   /* SQL naming the row t in words */
  const char *columns; /* the columns sealed, comma-separated; NULL: all of them */
} StateTable;

static const StateTable state_tables[MUSTER_STATE_N_TABLES] = {
    {"meta", "armoury record", "'the armoury record ' || t.key"},
    {"setting", "setting", "'setting ' || t.key"},
    {"location", "location", "'location ' || CASE t.path WHEN '' THEN '(the armoury)' ELSE t.path END"},
    {"app_user", "user", "'user ' || t.name"},
    {"user_badge", "badge",
     "'the badge of user ' || coalesce((SELECT u.name FROM app_user u WHERE u.id = t.user_id),"
     " t.user_id) || ' given ' || t.assigned_at"},
    {"item", "item",
     "'item ' || t.manufacturer || ' ' || t.model || ' SN ' || t.serial || ' (' || t.uuid || ')'"},
    {"marking", "marking",
     "'marking ' || t.value || ' (' || t.kind || ', ' || t.component || ') of item ' ||"
     " coalesce((SELECT i.serial FROM item i WHERE i.id = t.item_id), t.item_id)"},
    {"count_session", "count", "'count ' || t.id || ' (' || t.uuid || ')'"},
    /* where to sync and whom to trust; the progress beside it (acked seq, last error) is
     * checked against the registry at every sync instead, and changes at every one */
    {"sync_state", "sync settings", "'the registry sync settings'",
     "registry_url,registry_ca,registry_key"},
};

/* ---- the digest ----------------------------------------------------------------------- */

/* A row is serialised into one buffer and hashed in one call: a hash update per column
 * cost more than the hashing (as in db/audit.c's seal). The context is the function's
 * own, one per connection, and a connection is used by one thread at a time. */
typedef struct {
  MusterSha256 *sha;
  GByteArray *buf;
} RowDigest;

static void
row_digest_free(void *p)
{
  RowDigest *d = p;
  muster_sha256_free(d->sha);
  g_byte_array_unref(d->buf);
  g_free(d);
}

static void
put(GByteArray *buf, int tag, const void *data, guint64 len)
{
  guint8 head[9] = {(guint8)tag};
  guint64 n = GUINT64_TO_BE(len);
  memcpy(head + 1, &n, 8);
  g_byte_array_append(buf, head, sizeof head);
  if (len > 0)
    g_byte_array_append(buf, data, (guint)len);
}

static void
put_value(GByteArray *buf, sqlite3_value *v)
{
  int type = sqlite3_value_type(v);
  if (type == SQLITE_INTEGER) {
    guint64 be = GUINT64_TO_BE((guint64)sqlite3_value_int64(v));
    put(buf, type, &be, 8);
  } else if (type == SQLITE_FLOAT) {
    char num[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(num, sizeof num, "%.17g", sqlite3_value_double(v));
    put(buf, type, num, strlen(num));
  } else {
    const void *data = type == SQLITE_BLOB ? sqlite3_value_blob(v) : sqlite3_value_text(v);
    put(buf, type, data, (guint64)sqlite3_value_bytes(v));
  }
}

/* muster_row_digest(table, rowid, name1, value1, name2, value2, ...): SHA-256 over the
 * table, the rowid and every non-NULL (name, value). */
static void
row_digest_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  if (argc < 2 || argc % 2 != 0) {
    sqlite3_result_error(ctx, "muster_row_digest: table, rowid, then name/value pairs", -1);
    return;
  }
  RowDigest *d = sqlite3_user_data(ctx);
  g_byte_array_set_size(d->buf, 0);
  put_value(d->buf, argv[0]);
  put_value(d->buf, argv[1]);
  for (int i = 2; i < argc; i += 2) {
    if (sqlite3_value_type(argv[i + 1]) == SQLITE_NULL)
      continue;
    put_value(d->buf, argv[i]);
    put_value(d->buf, argv[i + 1]);
  }
  guint8 digest[MUSTER_SHA256_BYTES];
  muster_sha256_reset(d->sha);
  muster_sha256_update(d->sha, d->buf->data, d->buf->len);
  muster_sha256_final(d->sha, digest);
  sqlite3_result_blob(ctx, digest, sizeof digest, SQLITE_TRANSIENT);
}

/* "'item', t.rowid, 'id', t."id", 'uuid', t."uuid", ..." for every sealed column. */
static char *
digest_args(MusterStore *store, const StateTable *t, GError **error)
{
  const char *table = t->table;
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT name FROM pragma_table_info(?1, 'main') WHERE ?2 IS NULL OR"
             " instr(',' || ?2 || ',', ',' || name || ',') > 0 ORDER BY cid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, t->columns, -1, SQLITE_STATIC);
  g_autoptr(GString) s = g_string_new(NULL);
  g_string_append_printf(s, "'%s', t.rowid", table);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *col = (const char *)sqlite3_column_text(stmt, 0);
    char *lit = sqlite3_mprintf("%Q, t.\"%w\"", col, col);
    g_string_append_printf(s, ", %s", lit);
    sqlite3_free(lit);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) {
    muster_store_fail(store, rc, "Reading the layout of the state tables", error);
    return NULL;
  }
  return g_string_free(g_steal_pointer(&s), FALSE);
}

/* ---- noting and sealing what this connection writes ---------------------------------- */

gboolean
muster_state_seal_attach(MusterStore *store, GError **error)
{
  sqlite3 *db = muster_store_db(store);
  RowDigest *d = g_new0(RowDigest, 1);
  d->sha = muster_sha256_new();
  d->buf = g_byte_array_sized_new(1024);
  /* SQLite frees d with the connection, or at once if registering fails */
  if (sqlite3_create_function_v2(db, "muster_row_digest", -1,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, d,
                                 row_digest_fn, NULL, NULL, row_digest_free) != SQLITE_OK)
    return muster_store_fail(store, sqlite3_errcode(db), "Preparing the state seal", error);
  /* The table always (verification reads it); the triggers only where this connection
   * can write. */
  if (!muster_store_exec(store,
                         "CREATE TEMP TABLE IF NOT EXISTS state_changed (tbl TEXT NOT NULL,"
                         " row_id INTEGER NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID",
                         error))
    return FALSE;
  if (sqlite3_db_readonly(db, "main"))
    return TRUE;
  g_autoptr(GString) sql = g_string_new(NULL);
  /* Each noted once, without leaning on OR IGNORE: an outer UPSERT or OR REPLACE would
   * impose its own conflict policy on the trigger's statements. */
  static const struct {
    const char *event;
    const char *rows[2];
  } events[] = {
      {"UPDATE", {"OLD.rowid", "NEW.rowid"}},
      {"DELETE", {"OLD.rowid", NULL}},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(state_tables); i++) {
    const char *t = state_tables[i].table;
    for (gsize e = 0; e < G_N_ELEMENTS(events); e++) {
      g_string_append_printf(sql, "CREATE TEMP TRIGGER IF NOT EXISTS state_%s_%s AFTER %s ON "
                             "main.%s BEGIN", t, events[e].event, events[e].event, t);
      for (gsize r = 0; r < G_N_ELEMENTS(events[e].rows) && events[e].rows[r] != NULL; r++)
        g_string_append_printf(sql, " INSERT INTO state_changed SELECT '%s', %s WHERE NOT EXISTS"
                               " (SELECT 1 FROM state_changed WHERE tbl = '%s' AND row_id = %s);",
                               t, events[e].rows[r], t, events[e].rows[r]);
      g_string_append(sql, " END;");
    }
  }
  return muster_store_exec(store, sql->str, error);
}

void
muster_state_seal_tx_snapshot(MusterStore *store, gint64 base[MUSTER_STATE_N_TABLES])
{
  for (gsize i = 0; i < G_N_ELEMENTS(state_tables); i++) {
    g_autofree char *sql =
        g_strdup_printf("SELECT coalesce(max(rowid), 0) FROM main.%s", state_tables[i].table);
    sqlite3_stmt *stmt = muster_store_stmt(store, sql, NULL);
    base[i] = stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0)
                                                                 : G_MAXINT64;
    if (stmt != NULL)
      sqlite3_reset(stmt);
  }
}

static gboolean
run_seal(MusterStore *store, const char *sql, const char *table, gint64 base, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 2, base);
  return muster_store_step_done(store, stmt, "Sealing the state rows", error);
}

/* New rows (above base) in one pass; then the older rows noted as updated or deleted,
 * where a row written again as it was (an upsert of the same value, sync progress beside
 * the sealed columns) adds nothing. */
static gboolean
seal_table(MusterStore *store, const StateTable *st, gint64 base, GError **error)
{
  g_autofree char *args = digest_args(store, st, error);
  if (args == NULL)
    return FALSE;
  g_autofree char *added = g_strdup_printf(
      "INSERT INTO row_state (tbl, row_id, digest) SELECT ?1, t.rowid, muster_row_digest(%s)"
      " FROM main.%s t WHERE t.rowid > ?2 ORDER BY t.rowid",
      args, st->table);
  g_autofree char *changed = g_strdup_printf(
      "INSERT INTO row_state (tbl, row_id, digest) SELECT tbl, row_id, d FROM"
      " (SELECT c.tbl, c.row_id,"
      "  (SELECT muster_row_digest(%s) FROM main.%s t WHERE t.rowid = c.row_id) AS d"
      "  FROM temp.state_changed c WHERE c.tbl = ?1 AND c.row_id <= ?2) n"
      " WHERE d IS NOT (SELECT r.digest FROM row_state r WHERE r.tbl = n.tbl"
      "  AND r.row_id = n.row_id ORDER BY r.id DESC LIMIT 1)"
      " ORDER BY row_id",
      args, st->table);
  return run_seal(store, added, st->table, base, error) &&
         run_seal(store, changed, st->table, base, error);
}

/* Which tables have rows noted; NULL when the connection cannot write (no table). */
static GHashTable *
noted_tables(MusterStore *store, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, "SELECT DISTINCT tbl FROM temp.state_changed", NULL);
  if (stmt == NULL)
    return NULL;
  GHashTable *noted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    g_hash_table_add(noted, muster_column_dup(stmt, 0));
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) {
    g_hash_table_unref(noted);
    muster_store_fail(store, rc, "Sealing the state rows", error);
    return NULL;
  }
  return noted;
}

gboolean
muster_state_seal_tx(MusterStore *store, const gint64 base[MUSTER_STATE_N_TABLES],
                     GError **error)
{
  GError *local = NULL;
  g_autoptr(GHashTable) noted = noted_tables(store, &local);
  if (local != NULL) {
    g_propagate_error(error, local);
    return FALSE;
  }
  if (noted == NULL)
    return TRUE; /* not attached: a read-only connection */
  gint64 now[MUSTER_STATE_N_TABLES];
  muster_state_seal_tx_snapshot(store, now);
  for (gsize i = 0; i < G_N_ELEMENTS(state_tables); i++) {
    const StateTable *st = &state_tables[i];
    if ((now[i] > base[i] || g_hash_table_contains(noted, st->table)) &&
        !seal_table(store, st, base[i], error))
      return FALSE;
  }
  return g_hash_table_size(noted) == 0 ||
         muster_store_exec(store, "DELETE FROM temp.state_changed", error);
}

/* ---- the baseline --------------------------------------------------------------------- */

gboolean
muster_state_seal_baseline_wanted(MusterStore *store, gboolean *wanted, GError **error)
{
  *wanted = FALSE;
  if (sqlite3_db_readonly(muster_store_db(store), "main"))
    return TRUE;
  gint64 have = muster_store_query_int(store, "SELECT EXISTS (SELECT 1 FROM row_state)",
                                       "Reading the sealed state", error);
  *wanted = have == 0;
  return have >= 0;
}

gboolean
muster_state_seal_queue_all(MusterStore *store, gint64 *rows, GError **error)
{
  *rows = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(state_tables); i++) {
    g_autofree char *sql = g_strdup_printf(
        "INSERT OR IGNORE INTO state_changed SELECT '%s', rowid FROM main.%s",
        state_tables[i].table, state_tables[i].table);
    if (!muster_store_exec(store, sql, error))
      return FALSE;
    *rows += sqlite3_changes64(muster_store_db(store));
  }
  return TRUE;
}

/* ---- verification --------------------------------------------------------------------- */

typedef enum {
  ROW_CHANGED,   /* digest differs from the newest sealed one */
  ROW_UNSEALED,  /* no digest was ever sealed for it */
  ROW_DELETED,   /* sealed, now gone */
  ROW_RETURNED,  /* sealed as deleted, now back */
} RowProblem;

static char *
describe(const StateTable *t, RowProblem kind, gint64 rowid, const char *label)
{
  g_autofree char *who = label != NULL ? g_strdup(label)
                                       : g_strdup_printf("%s row %" G_GINT64_FORMAT, t->noun, rowid);
  switch (kind) {
  case ROW_CHANGED:
    return g_strdup_printf("%s was changed outside Muster: it is not the state Muster last "
                           "sealed for it", who);
  case ROW_UNSEALED:
    return g_strdup_printf("%s was added outside Muster: no state of it was ever sealed", who);
  case ROW_DELETED:
    return g_strdup_printf("%s (%s row %" G_GINT64_FORMAT ") was deleted outside Muster",
                           t->noun, t->table, rowid);
  case ROW_RETURNED:
  default:
    return g_strdup_printf("%s was put back outside Muster after Muster deleted it", who);
  }
}

#define SQL_SEALED(rowid)                                                                  \
  "(SELECT r.digest FROM row_state r WHERE r.tbl = ?1 AND r.row_id = " rowid               \
  " ORDER BY r.id DESC LIMIT 1)"
#define SQL_NOT_NOTED(rowid)                                                               \
  " NOT EXISTS (SELECT 1 FROM temp.state_changed c WHERE c.tbl = ?1 AND c.row_id = " rowid ")"

/* Every row of t against its newest sealed digest, one index probe a row; then every
 * sealed row that is gone. A row this connection wrote and has not sealed yet is
 * Muster's own: the next commit seals it. */
static gboolean
verify_table(MusterStore *store, const StateTable *t, GPtrArray *problems, guint max_problems,
             gint64 *n_problems, GError **error)
{
  g_autofree char *args = digest_args(store, t, error);
  if (args == NULL)
    return FALSE;
  g_autofree char *sql = g_strdup_printf(
      "SELECT t.rowid, %s, CASE WHEN " SQL_SEALED("t.rowid") " IS NOT NULL THEN %d"
      "  WHEN EXISTS (SELECT 1 FROM row_state r WHERE r.tbl = ?1 AND r.row_id = t.rowid)"
      "  THEN %d ELSE %d END FROM main.%s t"
      " WHERE " SQL_SEALED("t.rowid") " IS NOT muster_row_digest(%s) AND" SQL_NOT_NOTED("t.rowid")
      " UNION ALL SELECT g.row_id, NULL, %d FROM (SELECT DISTINCT row_id FROM row_state"
      "  WHERE tbl = ?1) g WHERE NOT EXISTS (SELECT 1 FROM main.%s t WHERE t.rowid = g.row_id)"
      "  AND " SQL_SEALED("g.row_id") " IS NOT NULL AND" SQL_NOT_NOTED("g.row_id"),
      t->label, ROW_CHANGED, ROW_RETURNED, ROW_UNSEALED, t->table, args, ROW_DELETED, t->table);
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, t->table, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    (*n_problems)++;
    if (problems->len < max_problems)
      g_ptr_array_add(problems,
                      describe(t, (RowProblem)sqlite3_column_int(stmt, 2),
                               sqlite3_column_int64(stmt, 0),
                               (const char *)sqlite3_column_text(stmt, 1)));
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Checking the state rows against their seals", error);
  return TRUE;
}

gboolean
muster_state_seal_verify(MusterStore *store, GPtrArray *problems, guint max_problems,
                         gint64 *n_problems, gint64 *rows_checked, GError **error)
{
  *n_problems = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(state_tables); i++) {
    if (!verify_table(store, &state_tables[i], problems, max_problems, n_problems, error))
      return FALSE;
    if (rows_checked != NULL) {
      g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM main.%s", state_tables[i].table);
      gint64 n = muster_store_query_int(store, sql, "Counting the state rows", error);
      if (n < 0)
        return FALSE;
      *rows_checked += n;
    }
  }
  return TRUE;
}
