/*
 * outbox.c: appending registry events. See outbox.h.
 */
#include "db/outbox.h"
#include "db/store-private.h"

gboolean
muster_outbox_append(MusterStore *store, const char *kind, const char *entity_uuid,
                     JsonNode *payload, GError **error)
{
  g_return_val_if_fail(muster_store_in_transaction(store), FALSE);
  g_return_val_if_fail(JSON_NODE_HOLDS_OBJECT(payload), FALSE);
  g_autofree char *json = json_to_string(payload, FALSE);
  g_autofree char *now = muster_now_iso();
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "INSERT INTO outbox (at, kind, entity_uuid, payload) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 3, entity_uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, json, -1, SQLITE_TRANSIENT);
  return muster_store_step_done(store, stmt, "Queueing a change for the registry", error);
}

gint64
muster_outbox_count_after(MusterStore *store, gint64 after, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, "SELECT count(*) FROM outbox WHERE seq > ?",
                                         error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64(stmt, 1, after);
  gint64 n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_reset(stmt);
  return n;
}
