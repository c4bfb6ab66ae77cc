/*
 * sync-state.c: the appliance's record of sync progress. See sync-state.h.
 */
#include "db/sync-state.h"

#include "db/audit.h"
#include "db/outbox.h"
#include "db/rows-private.h"
#include "db/store-private.h"
#include <json-glib/json-glib.h>

void
muster_sync_state_free(MusterSyncState *state)
{
  if (state == NULL)
    return;
  g_free(state->registry_url);
  g_free(state->registry_ca);
  g_free(state->registry_key);
  g_free(state->last_success_at);
  g_free(state->last_attempt_at);
  g_free(state->last_error);
  g_free(state);
}

void
muster_outbox_event_free(MusterOutboxEvent *event)
{
  if (event == NULL)
    return;
  g_free(event->at);
  g_free(event->kind);
  g_free(event->entity_uuid);
  g_free(event->payload);
  g_free(event);
}

static gint64
query_int(MusterStore *store, const char *sql, GError **error)
{
  return muster_store_query_int(store, sql, "Reading the sync state", error);
}

MusterSyncState *
muster_sync_state_get(MusterStore *store, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT registry_url, registry_ca, registry_key, acked_seq, pulled_version, failures, "
      "last_success_at, last_attempt_at, last_error FROM sync_state WHERE id = 1",
      error);
  if (stmt == NULL)
    return NULL;
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(stmt);
    muster_store_fail(store, rc, "Reading the sync state", error);
    return NULL;
  }
  g_autoptr(MusterSyncState) s = g_new0(MusterSyncState, 1);
  s->registry_url = muster_column_dup(stmt, 0);
  s->registry_ca = muster_column_dup(stmt, 1);
  s->registry_key = muster_column_dup(stmt, 2);
  s->acked_seq = sqlite3_column_int64(stmt, 3);
  s->pulled_version = sqlite3_column_int64(stmt, 4);
  s->failures = sqlite3_column_int64(stmt, 5);
  s->last_success_at = muster_column_dup(stmt, 6);
  s->last_attempt_at = muster_column_dup(stmt, 7);
  s->last_error = muster_column_dup(stmt, 8);
  sqlite3_reset(stmt);
  s->last_seq = query_int(store, "SELECT coalesce(max(seq), 0) FROM outbox", error);
  if (s->last_seq < 0)
    return NULL;
  /* Outbox seqs run from 1 without gaps (rows are never deleted), so the backlog is a
   * difference, not a count(*) over the unsent rows: the push reads the state after
   * every batch, and counting made a million-event push quadratic. */
  s->backlog = MAX(s->last_seq - s->acked_seq, 0);
  return g_steal_pointer(&s);
}

static gboolean
configure_in_transaction(MusterStore *store, const MusterUser *actor, const char *url,
                         const char *ca, const char *key, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "UPDATE sync_state SET registry_url = ?, registry_ca = ?, registry_key = ? WHERE id = 1",
      error);
  if (stmt == NULL)
    return FALSE;
  muster_bind_text_or_null(stmt, 1, url);
  muster_bind_text_or_null(stmt, 2, ca);
  muster_bind_text_or_null(stmt, 3, key);
  if (!muster_store_step_done(store, stmt, "Configuring the registry sync", error))
    return FALSE;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "url");
  json_builder_add_string_value(b, url);
  json_builder_set_member_name(b, "ca");
  json_builder_add_string_value(b, ca);
  json_builder_set_member_name(b, "key");
  json_builder_add_string_value(b, key);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autofree char *detail = json_to_string(root, FALSE);
  return muster_audit_append(store, actor->name, "sync.configure", "registry", detail, error);
}

gboolean
muster_sync_state_configure(MusterStore *store, const MusterUser *actor, const char *url,
                            const char *ca, const char *key, GError **error)
{
  if (!muster_require_role(store, actor, MUSTER_ROLE_ADMIN, "Configuring the registry sync", error))
    return FALSE;
  if (url == NULL || !g_str_has_prefix(url, "https://")) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The registry address \"%s\" must start with https:// (sync never runs "
                "unencrypted).",
                url != NULL ? url : "");
    return FALSE;
  }
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!configure_in_transaction(store, actor, url, ca, key, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

/* A MusterOutboxEvent (a MusterRowNew). */
static gpointer
outbox_event_from_row(sqlite3_stmt *stmt)
{
  MusterOutboxEvent *e = g_new0(MusterOutboxEvent, 1);
  e->seq = sqlite3_column_int64(stmt, 0);
  e->at = muster_column_dup(stmt, 1);
  e->kind = muster_column_dup(stmt, 2);
  e->entity_uuid = muster_column_dup(stmt, 3);
  e->payload = muster_column_dup(stmt, 4);
  return e;
}

GPtrArray *
muster_sync_outbox_after(MusterStore *store, gint64 after, guint limit, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT seq, at, kind, entity_uuid, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64(stmt, 1, after);
  sqlite3_bind_int64(stmt, 2, limit);
  g_autoptr(GPtrArray) events =
      g_ptr_array_new_with_free_func((GDestroyNotify)muster_outbox_event_free);
  if (!muster_rows_collect(store, stmt, outbox_event_from_row, events, "Reading the outbox", error))
    return NULL;
  return g_steal_pointer(&events);
}

/* Runs one fixed-shape UPDATE of the sync state in its own transaction. */
static gboolean
update_state(MusterStore *store, const char *sql, gint64 number, const char *text, GError **error)
{
  g_autofree char *now = muster_now_iso();
  if (!muster_store_begin(store, error))
    return FALSE;
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL) {
    muster_store_rollback(store);
    return FALSE;
  }
  sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, number);
  muster_bind_text_or_null(stmt, 3, text);
  if (!muster_store_step_done(store, stmt, "Recording the sync progress", error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

gboolean
muster_sync_record_ack(MusterStore *store, gint64 seq, GError **error)
{
  gint64 last = query_int(store, "SELECT coalesce(max(seq), 0) FROM outbox", error);
  if (last < 0)
    return FALSE;
  if (seq > last) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The registry acknowledged event %" G_GINT64_FORMAT
                " but the newest event here is %" G_GINT64_FORMAT
                "; nothing was marked as sent. Check that the registry's record of this "
                "armoury belongs to this appliance (was it restored from an older backup?).",
                seq, last);
    return FALSE;
  }
  return update_state(store,
                      "UPDATE sync_state SET last_success_at = ?1, last_attempt_at = ?1, "
                      "acked_seq = max(acked_seq, ?2), last_error = ?3, failures = 0 WHERE id = 1",
                      seq, NULL, error);
}

gboolean
muster_sync_record_success(MusterStore *store, GError **error)
{
  return update_state(store,
                      "UPDATE sync_state SET last_success_at = ?1, last_attempt_at = ?1, "
                      "last_error = ?3, failures = 0 WHERE id = 1",
                      0, NULL, error);
}

gboolean
muster_sync_record_failure(MusterStore *store, const char *message, GError **error)
{
  return update_state(store,
                      "UPDATE sync_state SET last_attempt_at = ?1, last_error = ?3, "
                      "failures = failures + ?2 WHERE id = 1",
                      1, message, error);
}

static gboolean
anchor_in_transaction(MusterStore *store, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? TRUE : muster_store_fail(store, rc, "Reading the audit log", error);
  }
  gint64 seq = sqlite3_column_int64(stmt, 0);
  g_autofree char *hash = muster_column_dup(stmt, 1);
  sqlite3_reset(stmt);
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "audit_seq");
  json_builder_add_int_value(b, seq);
  json_builder_set_member_name(b, "audit_hash");
  json_builder_add_string_value(b, hash);
  json_builder_end_object(b);
  g_autoptr(JsonNode) payload = json_builder_get_root(b);
  return muster_outbox_append(store, "audit.anchor", muster_store_armoury_uuid(store), payload,
                              error);
}

/* Audit entries after seq, not counting the one sealing the anchor of seq itself (the
 * outbox row holding an anchor is sealed by the next entry, which no anchor can hold). */
#define UNANCHORED_AFTER                                                                   \
  "FROM audit_log WHERE seq > ?1 AND NOT (seq = ?1 + 1 AND ?1 > 0 AND action = "           \
  "'rows.sealed' AND subject = 'outbox')"

/* The audit seq the newest anchor in the outbox names; 0 when none, -1 on error. */
static gint64
last_anchored(MusterStore *store, GError **error)
{
  return query_int(store,
                   "SELECT coalesce((SELECT json_extract(payload, '$.audit_seq') FROM outbox "
                   "WHERE kind = 'audit.anchor' ORDER BY seq DESC LIMIT 1), 0)",
                   error);
}

/* Runs a one-row query with ?1 = after; returns the statement on its row (reset by the
 * caller), or NULL. */
static sqlite3_stmt *
row_after(MusterStore *store, const char *sql, gint64 after, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64(stmt, 1, after);
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(stmt);
    muster_store_fail(store, rc, "Reading the audit log", error);
    return NULL;
  }
  return stmt;
}

gboolean
muster_sync_anchor_audit(MusterStore *store, GError **error)
{
  gint64 anchored = last_anchored(store, error);
  if (anchored < 0)
    return FALSE;
  sqlite3_stmt *stmt = row_after(store, "SELECT count(*) " UNANCHORED_AFTER, anchored, error);
  if (stmt == NULL)
    return FALSE;
  gint64 waiting = sqlite3_column_int64(stmt, 0);
  sqlite3_reset(stmt);
  if (waiting == 0)
    return TRUE; /* the newest anchor covers the whole log */
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!anchor_in_transaction(store, error) || !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    g_prefix_error(error, "Anchoring the audit log for the registry: ");
    return FALSE;
  }
  return TRUE;
}

gboolean
muster_sync_record_receipt(MusterStore *store, gint64 audit_seq, const char *audit_hash,
                           const char *registry_at, const char *answer, const char *signature,
                           GError **error)
{
  g_autofree char *now = muster_now_iso();
  if (!muster_store_begin(store, error))
    return FALSE;
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "INSERT OR IGNORE INTO anchor_receipt (audit_seq, audit_hash, registry_at, received_at, "
      "answer, signature) VALUES (?, ?, ?, ?, ?, ?)",
      error);
  if (stmt == NULL) {
    muster_store_rollback(store);
    return FALSE;
  }
  sqlite3_bind_int64(stmt, 1, audit_seq);
  sqlite3_bind_text(stmt, 2, audit_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 3, registry_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 5, answer, -1, SQLITE_TRANSIENT);
  muster_bind_text_or_null(stmt, 6, signature != NULL ? signature : "");
  if (!muster_store_step_done(store, stmt, "Keeping the registry's anchor receipt", error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

void
muster_anchor_receipt_free(MusterAnchorReceipt *receipt)
{
  if (receipt == NULL)
    return;
  g_free(receipt->audit_at);
  g_free(receipt->registry_at);
  g_free(receipt->unanchored_since);
  g_free(receipt);
}

MusterAnchorReceipt *
muster_sync_anchor_receipt(MusterStore *store, GError **error)
{
  g_autoptr(MusterAnchorReceipt) r = g_new0(MusterAnchorReceipt, 1);
  sqlite3_stmt *stmt = row_after(
      store,
      "SELECT coalesce(r.audit_seq, 0), r.registry_at, l.at FROM (SELECT 1) LEFT JOIN "
      "(SELECT audit_seq, registry_at FROM anchor_receipt ORDER BY audit_seq DESC, id DESC "
      "LIMIT 1) r LEFT JOIN audit_log l ON l.seq = r.audit_seq",
      0, error); /* no parameter: binding ?1 is a no-op */
  if (stmt == NULL)
    return NULL;
  r->audit_seq = sqlite3_column_int64(stmt, 0);
  r->registry_at = muster_column_dup(stmt, 1);
  r->audit_at = muster_column_dup(stmt, 2);
  sqlite3_reset(stmt);
  stmt = row_after(store, "SELECT count(*), min(at) " UNANCHORED_AFTER, r->audit_seq, error);
  if (stmt == NULL)
    return NULL;
  r->unanchored = sqlite3_column_int64(stmt, 0);
  r->unanchored_since = muster_column_dup(stmt, 1);
  sqlite3_reset(stmt);
  return g_steal_pointer(&r);
}

gboolean
muster_sync_request_record(MusterStore *store, const char *nonce, const char *kind,
                           const char *file, GError **error)
{
  g_autofree char *now = muster_now_iso();
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "INSERT INTO sync_request (nonce, kind, file, made_at) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, nonce, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 3, file, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, now, -1, SQLITE_TRANSIENT);
  return muster_store_step_done(store, stmt, "Recording the sync file's requests", error);
}

int
muster_sync_request_known(MusterStore *store, const char *nonce, const char *kind, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT count(*) FROM sync_request WHERE nonce = ? AND kind = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text(stmt, 1, nonce, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  int known = rc == SQLITE_ROW && sqlite3_column_int64(stmt, 0) > 0;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW) {
    muster_store_fail(store, rc, "Reading the sync file's requests", error);
    return -1;
  }
  return known;
}
