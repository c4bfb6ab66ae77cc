/*
 * status.c: an item's status (in store, issued, lost, ...) and location changing.
 *
 * Both are changes, not corrections: the old value stays in the item's history with who
 * changed it, when and why (change.c). A status change needs a reason; an item issued
 * needs a custodian, the unit or person holding it.
 */
#include "db/items/items-private.h"

#include "db/locations.h"

static gboolean
update_status(MusterStore *store, const MusterUser *actor, const MusterItem *item,
              MusterStatus status, const char *custodian, const char *reason, GError **error)
{
  g_autofree char *now = muster_now_iso();
  const char *old_status = muster_status_to_string(item->status);
  const char *new_status = muster_status_to_string(status);
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "UPDATE item SET status = ?, custodian = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, new_status, -1, SQLITE_STATIC);
  muster_bind_text_or_null(stmt, 2, custodian);
  sqlite3_bind_int64(stmt, 3, item->id);
  if (!muster_store_step_done(store, stmt, "Changing the item's status", error))
    return FALSE;
  if (status != item->status && !item_insert_event(store, item->id, now, "status", old_status,
                                                   new_status, actor, reason, 0, error))
    return FALSE;
  if (g_strcmp0(custodian, item->custodian) != 0 &&
      !item_insert_event(store, item->id, now, "custody", item->custodian, custodian, actor, reason,
                         0, error))
    return FALSE;
  g_autoptr(JsonBuilder) b = item_change_payload(item, actor, now);
  muster_json_add_str(b, "old_status", old_status);
  muster_json_add_str(b, "status", new_status);
  muster_json_add_str(b, "old_custodian", item->custodian);
  muster_json_add_str(b, "custodian", custodian);
  muster_json_add_str(b, "reason", reason);
  return item_record_change(store, actor, item, "item.status", "item.status", b, error);
}

gboolean
muster_items_set_status(MusterStore *store, const MusterUser *actor, gint64 item_id,
                        MusterStatus status, const char *custodian, const char *reason,
                        GError **error)
{
  if (!muster_require_role(store, actor, MUSTER_ROLE_SUPERVISOR, "Changing an item's status", error))
    return FALSE;
  g_autofree char *why = item_required_reason(reason, "A status change", error);
  if (why == NULL)
    return FALSE;
  if (!item_status_known(status)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "Status %d is not a known status.",
                (int)status);
    return FALSE;
  }
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *holder = g_strdup(custodian);
  item_check_text(problems, "custodian", &holder, status == MUSTER_STATUS_ISSUED, TRUE);
  if (problems->len > 0) {
    g_autofree char *all = item_problems_joined(problems);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The status was not changed: %s%s.", all,
                status == MUSTER_STATUS_ISSUED ? " (the unit or person it is issued to)" : "");
    return FALSE;
  }
  g_autoptr(MusterItem) item = muster_items_get(store, item_id, error);
  if (item == NULL)
    return FALSE;
  if (item->status == status && g_strcmp0(item->custodian, holder) == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE, "Item %s (%s %s) is already %s.",
                item->uuid, item->manufacturer, item->serial, muster_status_to_string(status));
    return FALSE;
  }
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!update_status(store, actor, item, status, holder, why, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

static gboolean
update_location(MusterStore *store, const MusterUser *actor, const MusterItem *item,
                const MusterLocation *loc, const char *reason, GError **error)
{
  g_autofree char *now = muster_now_iso();
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "UPDATE item SET location_id = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, loc->id);
  sqlite3_bind_int64(stmt, 2, item->id);
  if (!muster_store_step_done(store, stmt, "Moving the item", error) ||
      !item_insert_event(store, item->id, now, "location", item->location_path, loc->path, actor,
                         reason, 0, error))
    return FALSE;
  g_autoptr(JsonBuilder) b = item_change_payload(item, actor, now);
  muster_json_add_str(b, "old_location", item->location_path);
  muster_json_add_str(b, "location", loc->path);
  muster_json_add_str(b, "reason", reason);
  return item_record_change(store, actor, item, "item.move", "item.location", b, error);
}

gboolean
muster_items_move(MusterStore *store, const MusterUser *actor, gint64 item_id,
                  const char *location_path, const char *reason, GError **error)
{
  if (!muster_require_role(store, actor, MUSTER_ROLE_SUPERVISOR, "Moving an item", error))
    return FALSE;
  g_autoptr(MusterLocation) loc = muster_locations_get(store, location_path, error);
  if (loc == NULL)
    return FALSE;
  g_autoptr(MusterItem) item = muster_items_get(store, item_id, error);
  if (item == NULL)
    return FALSE;
  if (g_strcmp0(item->location_path, loc->path) == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE, "Item %s (%s %s) is already at '%s'.",
                item->uuid, item->manufacturer, item->serial, loc->path);
    return FALSE;
  }
  g_autofree char *why = reason != NULL ? g_strstrip(g_strdup(reason)) : NULL;
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!update_location(store, actor, item, loc, why, error) || !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}
