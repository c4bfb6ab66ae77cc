/*
 * audit.c: the hash chain.
 *
 * hash(n) = SHA-256 over the length-prefixed fields
 *           prev_hash | seq | at | user_name | action | subject | detail
 * with prev_hash of the first entry = 64 zeros. Length prefixes keep two different
 * entries from ever serialising to the same bytes.
 *
 * Sealing: the store snapshots max(rowid) of each sealed table when a transaction
 * begins; at commit, each table that grew gets an entry with action "rows.sealed" and
 * detail {"table","first","last","sha256"} over the new rows (every column, type-tagged).
 * Verification recomputes both the chain and those digests, and checks that the sealed
 * ranges of each table are contiguous from its first row to its last: a row inserted,
 * altered or removed behind the engine's back is found.
 */
#include "db/audit.h"
#include "db/json-member.h"
#include "db/sha256.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

static const char *const sealed_tables[MUSTER_AUDIT_N_SEALED] = {
    "scan",          "item_event", "discrepancy",    "resolution",
    "unmarked_item", "outbox",     "unmarked_photo", /* the bytes too */
};

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void
hash_field(crypto_hash_sha256_state *st, const void *data, size_t len)
{
  guint8 prefix[8];
  guint64 n = GUINT64_TO_BE((guint64)len);
  memcpy(prefix, &n, 8);
  crypto_hash_sha256_update(st, prefix, 8);
  if (len > 0)
    crypto_hash_sha256_update(st, data, len);
}

static void
hash_str(crypto_hash_sha256_state *st, const char *s)
{
  hash_field(st, s ? s : "", s ? strlen(s) : 0);
}

static void
to_hex(const guint8 *digest, char out[65])
{
  sodium_bin2hex(out, 65, digest, crypto_hash_sha256_BYTES);
}

static void
entry_hash(const char *prev, gint64 seq, const char *at, const char *user,
           const char *action, const char *subject, const char *detail, char out[65])
{
  crypto_hash_sha256_state st;
  guint8 digest[crypto_hash_sha256_BYTES];
  char seqbuf[24];
  g_snprintf(seqbuf, sizeof seqbuf, "%" G_GINT64_FORMAT, seq);
  crypto_hash_sha256_init(&st);
  hash_str(&st, prev);
  hash_str(&st, seqbuf);
  hash_str(&st, at);
  hash_str(&st, user);
  hash_str(&st, action);
  hash_str(&st, subject);
  hash_str(&st, detail);
  crypto_hash_sha256_final(&st, digest);
  to_hex(digest, out);
}

static gboolean
last_entry(MusterStore *store, gint64 *seq, char **hash, char **user, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT seq, hash, user_name FROM audit_log ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *seq = sqlite3_column_int64(stmt, 0);
    *hash = muster_column_dup(stmt, 1);
    if (user != NULL)
      *user = muster_column_dup(stmt, 2);
  } else if (rc == SQLITE_DONE) {
    *seq = 0;
    *hash = g_strdup(GENESIS);
    if (user != NULL)
      *user = NULL;
  } else {
    sqlite3_reset(stmt);
    return muster_store_fail(store, rc, "Reading the audit log", error);
  }
  sqlite3_reset(stmt);
  return TRUE;
}

gboolean
muster_audit_append(MusterStore *store, const char *user_name, const char *action,
                    const char *subject, const char *detail_json, GError **error)
{
  g_return_val_if_fail(muster_store_in_transaction(store), FALSE);
  gint64 seq;
  g_autofree char *prev = NULL;
  if (!last_entry(store, &seq, &prev, NULL, error))
    return FALSE;
  seq++;
  g_autofree char *at = muster_now_iso();
  const char *detail = detail_json != NULL ? detail_json : "{}";
  char hash[65];
  entry_hash(prev, seq, at, user_name, action, subject, detail, hash);
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "INSERT INTO audit_log (seq, at, user_name, action, subject, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, seq);
  sqlite3_bind_text(stmt, 2, at, -1, SQLITE_TRANSIENT);
  if (user_name != NULL)
    sqlite3_bind_text(stmt, 3, user_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 5, subject ? subject : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 6, detail, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 7, prev, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 8, hash, -1, SQLITE_TRANSIENT);
  return muster_store_step_done(store, stmt, "Writing the audit log", error);
}

static gint64
max_rowid(MusterStore *store, const char *table)
{
  g_autofree char *sql = g_strdup_printf("SELECT coalesce(max(rowid), 0) FROM %s", table);
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, NULL);
  gint64 v = 0;
  if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW)
    v = sqlite3_column_int64(stmt, 0);
  if (stmt != NULL)
    sqlite3_reset(stmt);
  return v;
}

void
muster_audit_tx_snapshot(MusterStore *store, gint64 base[MUSTER_AUDIT_N_SEALED])
{
  for (int i = 0; i < MUSTER_AUDIT_N_SEALED; i++)
    base[i] = max_rowid(store, sealed_tables[i]);
}

/* Serialised rows collect here and are hashed a block at a time: sealing runs at every
 * commit of a scan batch, and a hash update per column cost more than the hashing. */
#define ROW_HASH_BLOCK 65536

typedef struct {
  MusterSha256 *sha;
  gsize len;
  guint8 buf[ROW_HASH_BLOCK];
} RowHash;

/* Makes room for len more bytes, hashing what is buffered if need be; FALSE when len
 * is more than the whole buffer. */
static gboolean
row_hash_room(RowHash *h, gsize len)
{
  if (h->len + len <= sizeof h->buf)
    return TRUE;
  muster_sha256_update(h->sha, h->buf, h->len);
  h->len = 0;
  return len <= sizeof h->buf;
}

static void
row_hash_put(RowHash *h, const void *data, gsize len)
{
  if (!row_hash_room(h, len)) {
    muster_sha256_update(h->sha, data, len);
    return;
  }
  memcpy(h->buf + h->len, data, len);
  h->len += len;
}

/* One column: its type tag, then unless it is NULL its length-prefixed bytes (the
 * length as hash_field() writes it). */
static void
row_hash_column(RowHash *h, int type, const void *data, gsize len)
{
  guint8 head[9] = {(guint8)type};
  guint64 n = GUINT64_TO_BE((guint64)len);
  memcpy(head + 1, &n, 8);
  gsize head_len = type == SQLITE_NULL ? 1 : 9;
  if (type == SQLITE_NULL || !row_hash_room(h, head_len + len)) {
    row_hash_put(h, head, head_len);
    if (len > 0)
      row_hash_put(h, data, len);
    return;
  }
  memcpy(h->buf + h->len, head, head_len);
  if (len > 0)
    memcpy(h->buf + h->len + head_len, data, len);
  h->len += head_len + len;
}

/* An integer as the decimal text SQLite itself gives it (sqlite3_column_text() of an
 * integer, which the seal hashed at first): formatted here, because SQLite converts in
 * place with an allocation per column. Returns the length (at most 20). */
static gsize
int_decimal(gint64 value, char out[24])
{
  char tmp[24];
  gsize n = 0;
  guint64 u = value < 0 ? (guint64)0 - (guint64)value : (guint64)value;
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u > 0);
  gsize len = 0;
  if (value < 0)
    out[len++] = '-';
  while (n > 0)
    out[len++] = tmp[--n];
  return len;
}

/* One row, every column type-tagged. The columns are read as sqlite3_value: each
 * sqlite3_column_*() call locks the connection, and three calls a column were a quarter
 * of the seal. The caller holds the connection's mutex, which makes this use safe. */
static void
row_hash_row(RowHash *h, sqlite3_stmt *stmt, int ncol)
{
  for (int c = 0; c < ncol; c++) {
    sqlite3_value *v = sqlite3_column_value(stmt, c);
    int type = sqlite3_value_type(v);
    if (type == SQLITE_NULL) {
      row_hash_column(h, type, NULL, 0);
    } else if (type == SQLITE_INTEGER) {
      char num[24];
      gsize len = int_decimal(sqlite3_value_int64(v), num);
      row_hash_column(h, type, num, len);
    } else if (type == SQLITE_FLOAT) {
      char num[40];
      g_ascii_formatd(num, sizeof num, "%.17g", sqlite3_value_double(v));
      row_hash_column(h, type, num, strlen(num));
    } else {
      const void *data = type == SQLITE_BLOB ? sqlite3_value_blob(v)
                                             : (const void *)sqlite3_value_text(v);
      row_hash_column(h, type, data, (gsize)sqlite3_value_bytes(v));
    }
  }
}

/* SHA-256 over rows first..last of a sealed table. */
static gboolean
rows_digest(MusterStore *store, const char *table, gint64 first, gint64 last, char out[65],
            gint64 *nrows, GError **error)
{
  g_autofree char *sql =
      g_strdup_printf("SELECT rowid, * FROM %s WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                      table);
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, first);
  sqlite3_bind_int64(stmt, 2, last);
  g_autoptr(MusterSha256) sha = muster_sha256_new();
  g_autofree RowHash *h = g_new(RowHash, 1);
  h->sha = sha;
  h->len = 0;
  int ncol = sqlite3_column_count(stmt);
  sqlite3_mutex *mutex = sqlite3_db_mutex(muster_store_db(store));
  gint64 n = 0;
  int rc;
  sqlite3_mutex_enter(mutex);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    row_hash_row(h, stmt, ncol);
    n++;
  }
  sqlite3_mutex_leave(mutex);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading history rows", error);
  muster_sha256_update(h->sha, h->buf, h->len);
  guint8 digest[MUSTER_SHA256_BYTES];
  muster_sha256_final(sha, digest);
  to_hex(digest, out);
  *nrows = n;
  return TRUE;
}

gboolean
muster_audit_tx_seal(MusterStore *store, const gint64 base[MUSTER_AUDIT_N_SEALED],
                     GError **error)
{
  g_autofree char *user = NULL;
  for (int i = 0; i < MUSTER_AUDIT_N_SEALED; i++) {
    gint64 last = max_rowid(store, sealed_tables[i]);
    if (last <= base[i])
      continue;
    if (user == NULL) {
      gint64 seq;
      g_autofree char *hash = NULL;
      if (!last_entry(store, &seq, &hash, &user, error))
        return FALSE;
    }
    char digest[65];
    gint64 n;
    if (!rows_digest(store, sealed_tables[i], base[i] + 1, last, digest, &n, error))
      return FALSE;
    g_autofree char *detail = g_strdup_printf(
        "{\"table\":\"%s\",\"first\":%" G_GINT64_FORMAT ",\"last\":%" G_GINT64_FORMAT
        ",\"rows\":%" G_GINT64_FORMAT ",\"sha256\":\"%s\"}",
        sealed_tables[i], base[i] + 1, last, n, digest);
    if (!muster_audit_append(store, user, "rows.sealed", sealed_tables[i], detail, error))
      return FALSE;
  }
  return TRUE;
}

void
muster_audit_report_clear(MusterAuditReport *report)
{
  g_clear_pointer(&report->head_hash, g_free);
}

static int
sealed_index(const char *table)
{
  for (int i = 0; i < MUSTER_AUDIT_N_SEALED; i++)
    if (g_strcmp0(sealed_tables[i], table) == 0)
      return i;
  return -1;
}

static gboolean
tampered(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean
tampered(GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
              "%s. The history was changed outside Muster: keep this database file as "
              "evidence and report it to the registry.", msg);
  return FALSE;
}

/* Checks one "rows.sealed" entry against the rows it names. */
static gboolean
verify_sealed(MusterStore *store, gint64 seq, const char *detail, gint64 sealed_to[],
              MusterAuditReport *report, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!json_parser_load_from_data(parser, detail, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
    return tampered(error, "Audit entry %" G_GINT64_FORMAT " has a damaged seal", seq);
  JsonObject *o = json_node_get_object(json_parser_get_root(parser));
  const char *table = muster_json_str(o, "table", "");
  int idx = sealed_index(table);
  gint64 first = muster_json_int_or(o, "first", -1);
  gint64 last = muster_json_int_or(o, "last", -1);
  const char *want = muster_json_str(o, "sha256", "");
  if (idx < 0 || first != sealed_to[idx] + 1 || last < first)
    return tampered(error, "Audit entry %" G_GINT64_FORMAT " seals rows %" G_GINT64_FORMAT
                    "..%" G_GINT64_FORMAT " of '%s' out of order", seq, first, last, table);
  char got[65];
  gint64 n;
  if (!rows_digest(store, table, first, last, got, &n, error))
    return FALSE;
  if (n != last - first + 1 || strcmp(got, want) != 0)
    return tampered(error, "Rows %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " of '%s' (sealed by "
                    "audit entry %" G_GINT64_FORMAT ") were altered or removed",
                    first, last, table, seq);
  sealed_to[idx] = last;
  report->rows_covered += n;
  return TRUE;
}

gboolean
muster_audit_verify(MusterStore *store, MusterAuditReport *report, GError **error)
{
  memset(report, 0, sizeof *report);
  gint64 sealed_to[MUSTER_AUDIT_N_SEALED] = {0};
  g_autofree char *prev = g_strdup(GENESIS);
  gint64 expect_seq = 1;
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT seq, at, user_name, action, subject, detail, prev_hash, hash "
             "FROM audit_log ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  int rc;
  gboolean ok = TRUE;
  while (ok && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    gint64 seq = sqlite3_column_int64(stmt, 0);
    const char *at = (const char *)sqlite3_column_text(stmt, 1);
    const char *user = (const char *)sqlite3_column_text(stmt, 2);
    const char *action = (const char *)sqlite3_column_text(stmt, 3);
    const char *subject = (const char *)sqlite3_column_text(stmt, 4);
    g_autofree char *detail = muster_column_dup(stmt, 5);
    const char *stored_prev = (const char *)sqlite3_column_text(stmt, 6);
    const char *stored = (const char *)sqlite3_column_text(stmt, 7);
    char hash[65];
    entry_hash(prev, seq, at, user, action, subject, detail, hash);
    if (seq != expect_seq)
      ok = tampered(error, "Audit entries %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                    " are missing", expect_seq, seq - 1);
    else if (g_strcmp0(stored_prev, prev) != 0 || g_strcmp0(stored, hash) != 0)
      ok = tampered(error, "Audit entry %" G_GINT64_FORMAT " (%s, %s) does not match its hash",
                    seq, at ? at : "?", action ? action : "?");
    else if (g_strcmp0(action, "rows.sealed") == 0)
      ok = verify_sealed(store, seq, detail, sealed_to, report, error);
    if (!ok)
      break;
    g_free(prev);
    prev = g_strdup(hash);
    expect_seq++;
    report->entries++;
  }
  sqlite3_reset(stmt);
  if (!ok)
    return FALSE;
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading the audit log", error);
  for (int i = 0; i < MUSTER_AUDIT_N_SEALED; i++) {
    gint64 last = max_rowid(store, sealed_tables[i]);
    if (last != sealed_to[i])
      return tampered(error, "Rows after %" G_GINT64_FORMAT " of '%s' (up to %" G_GINT64_FORMAT
                      ") are not sealed by any audit entry", sealed_to[i], sealed_tables[i],
                      last);
  }
  report->head_seq = expect_seq - 1;
  report->head_hash = g_steal_pointer(&prev);
  return TRUE;
}
