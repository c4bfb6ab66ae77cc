/*
 * change.c: how any change to a recorded item is recorded.
 *
 * The item row holds the current state; every change to it appends an item_event row
 * (the tracing history), an audit entry naming who did it, and an outbox event for the
 * registry, in the caller's transaction. Status and location changes, markings and
 * corrections all go through these, so every kind of change is recorded the same way.
 */
#include "db/items/items-private.h"

#include "db/audit.h"
#include "db/outbox.h"

gboolean
item_insert_event(MusterStore *store, gint64 item_id, const char *at, const char *kind,
                  const char *old_value, const char *new_value, const MusterUser *actor,
                  const char *reason, gint64 corrects_id, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "INSERT INTO item_event (item_id, at, kind, old_value, new_value, user_id, "
                        "reason, corrects_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, item_id);
  sqlite3_bind_text(stmt, 2, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
  /* "" is a real value here (the armoury's own path), so bind it as text. */
  if (old_value != NULL)
    sqlite3_bind_text(stmt, 4, old_value, -1, SQLITE_TRANSIENT);
  if (new_value != NULL)
    sqlite3_bind_text(stmt, 5, new_value, -1, SQLITE_TRANSIENT);
  if (actor != NULL)
    sqlite3_bind_int64(stmt, 6, actor->id);
  muster_bind_text_or_null(stmt, 7, reason);
  if (corrects_id != 0)
    sqlite3_bind_int64(stmt, 8, corrects_id);
  return muster_store_step_done(store, stmt, "Recording the item's history", error);
}

JsonBuilder *
item_change_payload(const MusterItem *item, const MusterUser *actor, const char *at)
{
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  muster_json_add_str(b, "uuid", item->uuid);
  muster_json_add_str(b, "manufacturer", item->manufacturer);
  muster_json_add_str(b, "serial", item->serial);
  muster_json_add_str(b, "by", actor->name);
  muster_json_add_str(b, "at", at);
  return b;
}

gboolean
item_record_change(MusterStore *store, const MusterUser *actor, const MusterItem *item,
                   const char *action, const char *kind, JsonBuilder *b, GError **error)
{
  g_autoptr(JsonNode) payload = item_json_finish(b);
  g_autofree char *detail = json_to_string(payload, FALSE);
  return muster_audit_append(store, actor->name, action, item->uuid, detail, error) &&
         muster_outbox_append(store, kind, item->uuid, payload, error);
}

char *
item_required_reason(const char *reason, const char *what, GError **error)
{
  g_autofree char *r = g_strstrip(g_strdup(reason != NULL ? reason : ""));
  if (*r == '\0') {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s needs a reason (what happened, and the order or document behind it).", what);
    return NULL;
  }
  if (!g_utf8_validate(r, -1, NULL)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The reason is not valid UTF-8.");
    return NULL;
  }
  return g_steal_pointer(&r);
}
