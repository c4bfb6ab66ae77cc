/*
 * markings.c: the markings an item carries (engraved serials, barcodes, UIIs, tags).
 *
 * A marking row is never deleted nor edited: one that is no longer on the weapon is
 * retired (retired_at set), so a trace of an old tag or serial still finds the item. For
 * the same reason a marking the item once carried is not added again: the schema keeps
 * one row per (item, kind, component, value), and that row's history must stay what it
 * was. Each addition or retirement is an item_event ('marking', "kind:component:value"),
 * an audit entry and an item.marking outbox event, in one transaction.
 */
#include "db/items/items-private.h"
#include "db/store-private.h"

gboolean
item_insert_marking(MusterStore *store, gint64 item_id, const MusterMarking *m, const char *at,
                    GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "INSERT INTO marking (item_id, kind, component, value, created_at) "
                        "VALUES (?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, item_id);
  sqlite3_bind_text(stmt, 2, m->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 3, m->component, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, m->value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 5, at, -1, SQLITE_TRANSIENT);
  return muster_store_step_done(store, stmt, "Recording a marking", error);
}

gboolean
item_retire_marking_row(MusterStore *store, gint64 item_id, const MusterMarking *m, const char *at,
                        GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "UPDATE marking SET retired_at = ? WHERE item_id = ? AND kind = ? AND "
                        "component = ? AND value = ? AND retired_at IS NULL",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, item_id);
  sqlite3_bind_text(stmt, 3, m->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, m->component, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 5, m->value, -1, SQLITE_TRANSIENT);
  return muster_store_step_done(store, stmt, "Retiring the marking", error);
}

gboolean
item_marking_event(MusterStore *store, const MusterUser *actor, const MusterItem *item,
                   const MusterMarking *m, gboolean added, const char *at, const char *reason,
                   GError **error)
{
  g_autofree char *text = g_strdup_printf("%s:%s:%s", m->kind, m->component, m->value);
  return item_insert_event(store, item->id, at, "marking", added ? NULL : text,
                           added ? text : "retired", actor, reason, 0, error);
}

static gboolean
marking_change(MusterStore *store, const MusterUser *actor, const MusterItem *item,
               const MusterMarking *m, gboolean added, const char *at, const char *reason,
               GError **error)
{
  if (!item_marking_event(store, actor, item, m, added, at, reason, error))
    return FALSE;
  g_autoptr(JsonBuilder) b = item_change_payload(item, actor, at);
  muster_json_add_str(b, "action", added ? "added" : "retired");
  muster_json_add_str(b, "kind", m->kind);
  muster_json_add_str(b, "component", m->component);
  muster_json_add_str(b, "value", m->value);
  muster_json_add_str(b, "reason", reason);
  return item_record_change(store, actor, item, added ? "marking.add" : "marking.retire",
                            "item.marking", b, error);
}

gboolean
muster_items_add_marking(MusterStore *store, const MusterUser *actor, gint64 item_id,
                         const char *kind, const char *component, const char *value, GError **error)
{
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Adding a marking", error))
    return FALSE;
  g_autoptr(MusterMarking) m = item_marking_new(kind, component, value);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  if (!item_check_marking(problems, m)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The %s was not added.",
                (char *)g_ptr_array_index(problems, 0));
    return FALSE;
  }
  g_autoptr(MusterItem) item = muster_items_get(store, item_id, error);
  if (item == NULL)
    return FALSE;
  for (guint i = 0; i < item->markings->len; i++) {
    MusterMarking *have = g_ptr_array_index(item->markings, i);
    if (!item_marking_same_tag(m, have))
      continue;
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
                "Item %s already %s %s:%s:%s; a retired marking is not added again.", item->uuid,
                have->retired_at != NULL ? "carried" : "carries", have->kind, have->component,
                have->value);
    return FALSE;
  }
  g_autofree char *now = muster_now_iso();
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!item_insert_marking(store, item->id, m, now, error) ||
      !marking_change(store, actor, item, m, TRUE, now, NULL, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

static gboolean
retire_in_transaction(MusterStore *store, const MusterUser *actor, const MusterItem *item,
                      GPtrArray *forms, const char *reason, guint *retired, GError **error)
{
  g_autofree char *now = muster_now_iso();
  for (guint i = 0; i < item->markings->len; i++) {
    const MusterMarking *m = g_ptr_array_index(item->markings, i);
    if (m->retired_at != NULL ||
        !g_ptr_array_find_with_equal_func(forms, m->value, g_str_equal, NULL))
      continue;
    if (!item_retire_marking_row(store, item->id, m, now, error) ||
        !marking_change(store, actor, item, m, FALSE, now, reason, error))
      return FALSE;
    (*retired)++;
  }
  return TRUE;
}

gboolean
muster_items_retire_marking(MusterStore *store, const MusterUser *actor, gint64 item_id,
                            const char *value, const char *reason, GError **error)
{
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Retiring a marking",
                             error))
    return FALSE;
  g_autofree char *why = item_required_reason(reason, "Retiring a marking", error);
  if (why == NULL)
    return FALSE;
  g_autoptr(MusterItem) item = muster_items_get(store, item_id, error);
  if (item == NULL)
    return FALSE;
  g_autoptr(GPtrArray) forms = muster_items_lookup_forms(value);
  guint retired = 0;
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!retire_in_transaction(store, actor, item, forms, why, &retired, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  if (retired == 0) {
    muster_store_rollback(store);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "Item %s (%s %s) carries no marking '%s' in use; 'muster item show' lists "
                "its markings.",
                item->uuid, item->manufacturer, item->serial, value != NULL ? value : "");
    return FALSE;
  }
  if (!muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}
