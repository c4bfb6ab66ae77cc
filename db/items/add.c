/*
 * add.c: adding one item by hand.
 *
 * It is judged by the same rules (check.c) and written by the same bulk writer
 * (write.c) as every row of an import, so one item added and one imported are recorded
 * with exactly the same rows; only the audit entry differs (one "item.add" each).
 */
#include "db/items/items-private.h"

#include "db/audit.h"
#include "db/locations.h"

static gboolean
ensure_location(MusterStore *store, const MusterUser *actor, const char *path, gint64 *id,
                GError **error)
{
  *id = 0;
  if (path == NULL)
    return TRUE;
  return muster_locations_ensure(store, actor, path, id, error);
}

static gboolean
add_in_transaction(MusterStore *store, const MusterUser *actor, MusterItem **item, gint64 *id,
                   GError **error)
{
  gint64 existing = 0, location_id = 0;
  g_autofree char *existing_uuid = NULL;
  MusterItem *it = *item;
  if (!item_find_same_serial(store, it->manufacturer, it->serial, &existing, &existing_uuid, error))
    return FALSE;
  if (existing != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
                "%s serial %s is already recorded (item %s); an item is recorded once.",
                it->manufacturer, it->serial, existing_uuid);
    return FALSE;
  }
  g_autofree char *now = muster_now_iso();
  if (!ensure_location(store, actor, it->location_path, &location_id, error) ||
      !item_next_id(store, id, error))
    return FALSE;
  g_autoptr(GArray) items = item_new_array();
  g_array_set_size(items, 1);
  item_new_init(&g_array_index(items, ItemNew, 0), g_steal_pointer(item), *id, location_id, now,
                g_strdup("added"));
  if (!item_write_new(store, actor, items, now, error))
    return FALSE;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  muster_json_add_str(b, "manufacturer", it->manufacturer);
  muster_json_add_str(b, "serial", it->serial);
  g_autofree char *detail = item_json_finish_string(b);
  return muster_audit_append(store, actor->name, "item.add", it->uuid, detail, error);
}

MusterItem *
muster_items_add(MusterStore *store, const MusterUser *actor, const MusterItem *fields,
                 GError **error)
{
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Adding an item", error))
    return NULL;
  g_autoptr(MusterItem) item = item_copy_fields(fields);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  item_check(problems, item);
  if (problems->len > 0) {
    g_autofree char *all = item_problems_joined(problems);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The item was not added: %s.", all);
    return NULL;
  }
  if (!muster_store_begin(store, error))
    return NULL;
  gint64 id = 0;
  if (!add_in_transaction(store, actor, &item, &id, error) || !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return NULL;
  }
  return muster_items_get(store, id, error);
}
