/*
 * audit.c: the hash chain.
 *
 * hash(n) = SHA-256 over the length-prefixed fields
 *           prev_hash | seq | at | user_name | action | subject | detail
 * with prev_hash of the first entry = 64 zeros. Length prefixes keep two different
 * entries from ever serialising to the same bytes.
 *
 * Sealing is a transaction hook of the store (muster_audit_attach): max(rowid) of each
 * sealed table is noted when a transaction begins; at commit, each table that grew gets
 * an entry with action "rows.sealed" and detail {"table","first","last","sha256"} over
 * the new rows (every column, type-tagged).
 * Verification recomputes both the chain and those digests, and checks that the sealed
 * ranges of each table are contiguous from its first row to its last: a row inserted,
 * altered or removed behind the engine's back is found.
 */
#include "db/audit.h"
#include "core/json-member.h"
#include "core/sha256.h"
#include "db/state-seal.h"
#include "db/store-private.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#define MUSTER_AUDIT_N_SEALED 9
/* What the seal keeps of each transaction's start: the newest rowid of every sealed
 * history table, then of every state table (db/state-seal.h). */
#define MUSTER_AUDIT_N_BASE (MUSTER_AUDIT_N_SEALED + MUSTER_STATE_N_TABLES)

static const char *const sealed_tables[MUSTER_AUDIT_N_SEALED] = {
    "scan",          "item_event", "discrepancy",    "resolution",
    "unmarked_item", "outbox",     "unmarked_photo", /* the bytes too */
    "row_state",     /* the digests of the state rows (db/state-seal.c) */
    "sync_request",
    /* Not here: anchor_receipt (each receipt carries the registry's signature), and
     * registry_change, whose rowid is the registry's version number, not dense, so no
     * rowid range can seal it; each change applied is mirrored by a sealed audit entry
     * and outbox event (db/items/registry-changes.c). */
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

/* The hook's begin: base is the hook's data, gint64[MUSTER_AUDIT_N_BASE]. */
static void
tx_snapshot(MusterStore *store, gpointer data)
{
  gint64 *base = data;
  for (int i = 0; i < MUSTER_AUDIT_N_SEALED; i++)
    base[i] = max_rowid(store, sealed_tables[i]);
  muster_state_seal_tx_snapshot(store, base + MUSTER_AUDIT_N_SEALED);
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

/* SHA-256 over every row a prepared statement returns (every column, type-tagged). */
static gboolean
stmt_digest(MusterStore *store, sqlite3_stmt *stmt, char out[65], gint64 *nrows,
            GError **error)
{
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
  return stmt_digest(store, stmt, out, nrows, error);
}

gboolean
muster_audit_query_digest(MusterStore *store, const char *sql, gint64 param, char out[65],
                          GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count(stmt) > 0)
    sqlite3_bind_int64(stmt, 1, param);
  gint64 n;
  return stmt_digest(store, stmt, out, &n, error);
}

gboolean
muster_audit_count_digests(MusterStore *store, gint64 count_id, char scope[65],
                           char expected[65], GError **error)
{
  return muster_audit_query_digest(store,
                                   "SELECT location_id FROM count_scope WHERE count_id = ?1"
                                   " ORDER BY location_id", count_id, scope, error) &&
         muster_audit_query_digest(store,
                                   "SELECT item_id, location_id FROM count_expected"
                                   " WHERE count_id = ?1 ORDER BY item_id", count_id, expected,
                                   error);
}

/* Appends the "rows.sealed" entry for rows first..last of sealed table i. */
static gboolean
seal_range(MusterStore *store, int i, gint64 first, gint64 last, const char *user,
           GError **error)
{
  char digest[65];
  gint64 n;
  if (!rows_digest(store, sealed_tables[i], first, last, digest, &n, error))
    return FALSE;
  g_autofree char *detail = g_strdup_printf(
      "{\"table\":\"%s\",\"first\":%" G_GINT64_FORMAT ",\"last\":%" G_GINT64_FORMAT
      ",\"rows\":%" G_GINT64_FORMAT ",\"sha256\":\"%s\"}",
      sealed_tables[i], first, last, n, digest);
  return muster_audit_append(store, user, "rows.sealed", sealed_tables[i], detail, error);
}

/* The hook's before_commit, with the base tx_snapshot noted. */
static gboolean
tx_seal(MusterStore *store, gpointer data, GError **error)
{
  const gint64 *base = data;
  /* First: the state rows written become row_state rows, sealed below with the rest. */
  if (!muster_state_seal_tx(store, base + MUSTER_AUDIT_N_SEALED, error))
    return FALSE;
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
    if (!seal_range(store, i, base[i] + 1, last, user, error))
      return FALSE;
  }
  return TRUE;
}

void
muster_audit_attach(MusterStore *store)
{
  muster_store_add_tx_hook(store, tx_snapshot, tx_seal, g_new0(gint64, MUSTER_AUDIT_N_BASE),
                           g_free);
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

typedef struct {
  MusterStore *store;
  gboolean full;  /* re-read every sealed history row, not only row_state's */
  gint64 sealed_to[MUSTER_AUDIT_N_SEALED];
  MusterAuditReport *report;
} Verify;

static JsonObject *
detail_object(JsonParser *parser, const char *detail)
{
  if (!json_parser_load_from_data(parser, detail, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
    return NULL;
  return json_node_get_object(json_parser_get_root(parser));
}

/* Checks one "rows.sealed" entry against the rows it names. */
static gboolean
verify_sealed(Verify *v, gint64 seq, const char *detail, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = detail_object(parser, detail);
  if (o == NULL)
    return tampered(error, "Audit entry %" G_GINT64_FORMAT " has a damaged seal", seq);
  const char *table = muster_json_str(o, "table", "");
  int idx = sealed_index(table);
  gint64 first = muster_json_int_or(o, "first", -1);
  gint64 last = muster_json_int_or(o, "last", -1);
  const char *want = muster_json_str(o, "sha256", "");
  if (idx < 0 || first != v->sealed_to[idx] + 1 || last < first)
    return tampered(error, "Audit entry %" G_GINT64_FORMAT " seals rows %" G_GINT64_FORMAT
                    "..%" G_GINT64_FORMAT " of '%s' out of order", seq, first, last, table);
  v->sealed_to[idx] = last;
  if (!v->full && !g_str_equal(table, "row_state"))
    return TRUE;
  char got[65];
  gint64 n;
  if (!rows_digest(v->store, table, first, last, got, &n, error))
    return FALSE;
  if (n != last - first + 1 || strcmp(got, want) != 0)
    return tampered(error, "Rows %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " of '%s' (sealed by "
                    "audit entry %" G_GINT64_FORMAT ") were altered or removed",
                    first, last, table, seq);
  v->report->rows_covered += n;
  return TRUE;
}

/* A count's scope and expected list, frozen when it started, against the digests its
 * count.start entry recorded (counts started before schema 6 recorded none). */
static gboolean
verify_count_start(Verify *v, gint64 seq, const char *detail, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = detail_object(parser, detail);
  if (o == NULL || !json_object_has_member(o, "expected_sha256"))
    return TRUE;
  gint64 count_id = muster_json_int_or(o, "count", -1);
  char scope[65], expected[65];
  if (!muster_audit_count_digests(v->store, count_id, scope, expected, error))
    return FALSE;
  if (strcmp(scope, muster_json_str(o, "scope_sha256", "")) != 0)
    return tampered(error, "The scope of count %" G_GINT64_FORMAT " is not the one it started "
                    "with (audit entry %" G_GINT64_FORMAT ")", count_id, seq);
  if (strcmp(expected, muster_json_str(o, "expected_sha256", "")) != 0)
    return tampered(error, "The expected list of count %" G_GINT64_FORMAT " is not the one "
                    "frozen when it started (audit entry %" G_GINT64_FORMAT "): items were "
                    "added to it or taken off it", count_id, seq);
  v->report->counts_frozen++;
  return TRUE;
}

static gboolean
verify_entry(Verify *v, sqlite3_stmt *stmt, const char *prev, char hash[65], GError **error)
{
  gint64 seq = sqlite3_column_int64(stmt, 0);
  const char *at = (const char *)sqlite3_column_text(stmt, 1);
  const char *user = (const char *)sqlite3_column_text(stmt, 2);
  const char *action = (const char *)sqlite3_column_text(stmt, 3);
  const char *subject = (const char *)sqlite3_column_text(stmt, 4);
  g_autofree char *detail = muster_column_dup(stmt, 5);
  const char *stored_prev = (const char *)sqlite3_column_text(stmt, 6);
  const char *stored = (const char *)sqlite3_column_text(stmt, 7);
  entry_hash(prev, seq, at, user, action, subject, detail, hash);
  if (seq != v->report->head_seq + 1)
    return tampered(error, "Audit entries %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                    " are missing", v->report->head_seq + 1, seq - 1);
  if (g_strcmp0(stored_prev, prev) != 0 || g_strcmp0(stored, hash) != 0)
    return tampered(error, "Audit entry %" G_GINT64_FORMAT " (%s, %s) does not match its hash",
                    seq, at ? at : "?", action ? action : "?");
  if (g_strcmp0(action, "rows.sealed") == 0)
    return verify_sealed(v, seq, detail, error);
  if (v->full && g_strcmp0(action, "count.start") == 0)
    return verify_count_start(v, seq, detail, error);
  return TRUE;
}

static gboolean
verify_chain(Verify *v, GError **error)
{
  g_autofree char *prev = g_strdup(GENESIS);
  sqlite3_stmt *stmt = muster_store_stmt(
      v->store, "SELECT seq, at, user_name, action, subject, detail, prev_hash, hash "
                "FROM audit_log ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    char hash[65];
    if (!verify_entry(v, stmt, prev, hash, error)) {
      sqlite3_reset(stmt);
      return FALSE;
    }
    g_free(prev);
    prev = g_strdup(hash);
    v->report->head_seq++;
    v->report->entries++;
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(v->store, rc, "Reading the audit log", error);
  for (int i = 0; i < MUSTER_AUDIT_N_SEALED; i++) {
    gint64 last = max_rowid(v->store, sealed_tables[i]);
    if (last != v->sealed_to[i])
      return tampered(error, "Rows after %" G_GINT64_FORMAT " of '%s' (up to %" G_GINT64_FORMAT
                      ") are not sealed by any audit entry", v->sealed_to[i], sealed_tables[i],
                      last);
  }
  v->report->head_hash = g_steal_pointer(&prev);
  return TRUE;
}

#define MAX_STATE_PROBLEMS 20

/* Every state row against its newest sealed digest; all that disagree are named. */
static gboolean
verify_state_rows(Verify *v, GError **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  gint64 n = 0;
  if (!muster_state_seal_verify(v->store, problems, MAX_STATE_PROBLEMS, &n,
                                &v->report->state_rows, error))
    return FALSE;
  if (n == 0)
    return TRUE;
  g_ptr_array_add(problems, NULL);
  g_autofree char *list = g_strjoinv(";\n  ", (char **)problems->pdata);
  g_autofree char *more =
      n > (gint64)MAX_STATE_PROBLEMS
          ? g_strdup_printf("\n  ... and %" G_GINT64_FORMAT " more", n - MAX_STATE_PROBLEMS)
          : g_strdup("");
  return tampered(error, "%" G_GINT64_FORMAT " record%s no longer match%s what Muster "
                  "wrote and sealed:\n  %s%s", n, n == 1 ? "" : "s", n == 1 ? "es" : "",
                  list, more);
}

static gboolean verify_finds(MusterStore *store, gint64 count_id, GError **error);

/* Every check reads one snapshot: a program committing meanwhile (the kiosk counting)
 * would otherwise add rows after the chain was read, and they would look unsealed. */
static gboolean
verify(MusterStore *store, MusterAuditReport *report, gboolean full, GError **error)
{
  memset(report, 0, sizeof *report);
  Verify v = {.store = store, .full = full, .report = report};
  gboolean begun;
  if (!muster_store_read_begin(store, &begun, error))
    return FALSE;
  gboolean ok = verify_chain(&v, error) && verify_state_rows(&v, error) &&
                (!full || verify_finds(store, 0, error));
  muster_store_read_end(store, begun);
  return ok;
}

gboolean
muster_audit_verify(MusterStore *store, MusterAuditReport *report, GError **error)
{
  return verify(store, report, TRUE, error);
}

/* Finds of one count (or of every count: 0) against the scans they stand for: a find
 * makes an item found, so one slipped in behind Muster's back hides a missing weapon. */
static gboolean
verify_finds(MusterStore *store, gint64 count_id, GError **error)
{
#define FOUND_OUTCOME "(s.outcome = 'accepted' OR s.outcome = 'wrong_location' OR " \
                      "s.outcome = 'status_conflict')"
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT f.count_id, i.serial, 'holds a find of item %s that no scan of it backs'"
      " FROM count_find f LEFT JOIN item i ON i.id = f.item_id"
      " WHERE (?1 = 0 OR f.count_id = ?1) AND NOT EXISTS (SELECT 1 FROM scan s"
      "  WHERE s.id = f.scan_id AND s.count_id = f.count_id AND s.item_id = f.item_id"
      "  AND s.location_id IS f.location_id AND " FOUND_OUTCOME ") "
      "UNION ALL SELECT s.count_id, i.serial, 'lost the find of item %s that scan ' || s.id ||"
      " ' made' FROM scan s LEFT JOIN item i ON i.id = s.item_id"
      " WHERE (?1 = 0 OR s.count_id = ?1) AND " FOUND_OUTCOME
      " AND NOT EXISTS (SELECT 1 FROM count_find f WHERE f.count_id = s.count_id"
      "  AND f.item_id = s.item_id AND f.scan_id = s.id) LIMIT 1",
      error);
#undef FOUND_OUTCOME
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, count_id);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64(stmt, 0);
    const char *serial = (const char *)sqlite3_column_text(stmt, 1);
    g_autofree char *what = g_strdup_printf((const char *)sqlite3_column_text(stmt, 2),
                                            serial != NULL ? serial : "(unknown)");
    sqlite3_reset(stmt);
    return tampered(error, "Count %" G_GINT64_FORMAT " %s", id, what);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Checking the count's finds", error);
  return TRUE;
}

/* The count.start entry of one count, checked against its frozen scope and list. */
static gboolean
verify_one_count_start(Verify *v, gint64 count_id, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      v->store, "SELECT a.seq, a.detail FROM audit_log a JOIN count_session c"
                " ON a.subject = c.uuid WHERE c.id = ? AND a.action = 'count.start'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, count_id);
  int rc = sqlite3_step(stmt);
  gint64 seq = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  g_autofree char *detail = rc == SQLITE_ROW ? muster_column_dup(stmt, 1) : NULL;
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE)
    return tampered(error, "Count %" G_GINT64_FORMAT " has no audit entry of its start",
                    count_id);
  if (rc != SQLITE_ROW)
    return muster_store_fail(v->store, rc, "Reading the audit log", error);
  return verify_count_start(v, seq, detail, error);
}

gboolean
muster_audit_verify_count(MusterStore *store, gint64 count_id, gboolean with_state,
                          GError **error)
{
  MusterAuditReport report;
  memset(&report, 0, sizeof report);
  Verify v = {.store = store, .full = FALSE, .report = &report};
  gboolean begun;
  if (!muster_store_read_begin(store, &begun, error))
    return FALSE;
  gboolean ok = (!with_state || (verify_chain(&v, error) && verify_state_rows(&v, error))) &&
                verify_one_count_start(&v, count_id, error) &&
                verify_finds(store, count_id, error);
  muster_store_read_end(store, begun);
  muster_audit_report_clear(&report);
  return ok;
}

gboolean
muster_audit_verify_state(MusterStore *store, GError **error)
{
  MusterAuditReport report;
  gboolean ok = verify(store, &report, FALSE, error);
  muster_audit_report_clear(&report);
  return ok;
}
