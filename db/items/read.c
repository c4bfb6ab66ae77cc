/*
 * read.c: reading recorded items, and finding them by what is on them.
 *
 * An item is always read with its markings, retired ones too: a trace of an old tag or
 * serial must still find the item, and say that the marking was retired. A text typed
 * or scanned is looked up in every form it may be stored under (muster_items_lookup_forms).
 */
#include "db/items/items-private.h"

#include "db/rows-private.h"
#include "marking/marking.h"

#define ITEM_SELECT                                                                    \
  "SELECT i.id, i.uuid, i.manufacturer, i.country_of_manufacture, i.serial, i.model, " \
  "i.category, i.calibre, coalesce(i.year, 0), i.import_country, "                     \
  "coalesce(i.import_year, 0), i.state_marking, i.frame_material, i.status, l.path, "  \
  "i.custodian, i.created_at FROM item i LEFT JOIN location l ON l.id = i.location_id "

static MusterItem *
item_from_row(sqlite3_stmt *stmt)
{
  MusterItem *item = g_new0(MusterItem, 1);
  item->id = sqlite3_column_int64(stmt, 0);
  item->uuid = muster_column_dup(stmt, 1);
  item->manufacturer = muster_column_dup(stmt, 2);
  item->country = muster_column_dup(stmt, 3);
  item->serial = muster_column_dup(stmt, 4);
  item->model = muster_column_dup(stmt, 5);
  item->category = muster_column_dup(stmt, 6);
  item->calibre = muster_column_dup(stmt, 7);
  item->year = sqlite3_column_int(stmt, 8);
  item->import_country = muster_column_dup(stmt, 9);
  item->import_year = sqlite3_column_int(stmt, 10);
  item->state_marking = muster_column_dup(stmt, 11);
  item->frame_material = muster_column_dup(stmt, 12);
  muster_status_from_string((const char *)sqlite3_column_text(stmt, 13), &item->status, NULL);
  item->location_path = muster_column_dup(stmt, 14);
  item->custodian = muster_column_dup(stmt, 15);
  item->created_at = muster_column_dup(stmt, 16);
  return item;
}

static gpointer
marking_from_row(sqlite3_stmt *stmt)
{
  MusterMarking *m = item_marking_new((const char *)sqlite3_column_text(stmt, 0),
                                      (const char *)sqlite3_column_text(stmt, 1),
                                      (const char *)sqlite3_column_text(stmt, 2));
  m->created_at = muster_column_dup(stmt, 3);
  m->retired_at = muster_column_dup(stmt, 4);
  return m;
}

gboolean
item_load_markings(MusterStore *store, MusterItem *item, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "SELECT kind, component, value, created_at, retired_at FROM marking "
                        "WHERE item_id = ? ORDER BY id",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, item->id);
  g_autoptr(GPtrArray) markings = item_markings_new();
  if (!muster_rows_collect(store, stmt, marking_from_row, markings, "Reading markings", error))
    return FALSE;
  if (item->markings != NULL)
    g_ptr_array_unref(item->markings);
  item->markings = g_steal_pointer(&markings);
  return TRUE;
}

static MusterItem *
get_where(MusterStore *store, const char *sql, gint64 id, const char *text, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  g_autoptr(MusterItem) item = rc == SQLITE_ROW ? item_from_row(stmt) : NULL;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    muster_store_fail(store, rc, "Reading the item", error);
    return NULL;
  }
  if (item == NULL) {
    if (text != NULL)
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND, "No item with uuid %s.", text);
    else
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                  "No item with id %" G_GINT64_FORMAT ".", id);
    return NULL;
  }
  if (!item_load_markings(store, item, error))
    return NULL;
  return g_steal_pointer(&item);
}

MusterItem *
muster_items_get(MusterStore *store, gint64 id, GError **error)
{
  return get_where(store, ITEM_SELECT "WHERE i.id = ?", id, NULL, error);
}

typedef struct {
  MusterStore *store;
  MusterItemFunc func;
  gpointer user_data;
} ForeachItem;

static gboolean
foreach_row(sqlite3_stmt *stmt, gpointer data, GError **error)
{
  ForeachItem *f = data;
  g_autoptr(MusterItem) item = item_from_row(stmt);
  if (!item_load_markings(f->store, item, error))
    return FALSE;
  f->func(item, f->user_data);
  return TRUE;
}

gboolean
muster_items_foreach(MusterStore *store, MusterItemFunc func, gpointer user_data, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, ITEM_SELECT "ORDER BY i.id", error);
  if (stmt == NULL)
    return FALSE;
  ForeachItem f = {store, func, user_data};
  return muster_rows_foreach(store, stmt, foreach_row, &f, "Reading the items", error);
}

MusterItem *
muster_items_get_by_uuid(MusterStore *store, const char *uuid, GError **error)
{
  g_autofree char *lower = g_ascii_strdown(uuid != NULL ? uuid : "", -1);
  return get_where(store, ITEM_SELECT "WHERE i.uuid = ?", 0, lower, error);
}

gint64
muster_items_count(MusterStore *store, GError **error)
{
  return muster_store_query_int(store, "SELECT count(*) FROM item", "Counting items", error);
}

GPtrArray *
muster_items_lookup_forms(const char *text)
{
  GPtrArray *forms = g_ptr_array_new_with_free_func(g_free);
  char *candidates[] = {
      muster_marking_normalise_any(text),
      muster_marking_normalise(MUSTER_MARKING_ENGRAVED_SERIAL, text, NULL),
      muster_marking_normalise(MUSTER_MARKING_DATAMATRIX_UII, text, NULL),
      muster_marking_normalise(MUSTER_MARKING_HF_UID, text, NULL),
  };
  for (guint i = 0; i < G_N_ELEMENTS(candidates); i++) {
    gboolean seen = candidates[i] == NULL;
    for (guint j = 0; j < forms->len && !seen; j++)
      seen = g_str_equal(candidates[i], g_ptr_array_index(forms, j));
    if (seen)
      g_free(candidates[i]);
    else
      g_ptr_array_add(forms, candidates[i]);
  }
  return forms;
}

static gboolean
add_id(sqlite3_stmt *stmt, gpointer ids, GError **error)
{
  gint64 id = sqlite3_column_int64(stmt, 0);
  g_array_append_val((GArray *)ids, id);
  return TRUE;
}

GPtrArray *
muster_items_find_by_marking(MusterStore *store, const char *text, GError **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify)muster_item_free);
  g_autoptr(GPtrArray) forms = muster_items_lookup_forms(text);
  if (forms->len == 0)
    return g_steal_pointer(&found);
  /* Items written before serials were kept as written (migration 008) have no
   * serial_key: their serial is its own key. */
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "SELECT item_id FROM marking WHERE value IN (?1, ?2, ?3, ?4) "
                        "UNION SELECT id FROM item WHERE coalesce(serial_key, serial) "
                        "IN (?1, ?2, ?3, ?4) ORDER BY 1",
                        error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < forms->len; i++)
    sqlite3_bind_text(stmt, (int)i + 1, g_ptr_array_index(forms, i), -1, SQLITE_TRANSIENT);
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
  if (!muster_rows_foreach(store, stmt, add_id, ids, "Looking up the marking", error))
    return NULL;
  for (guint i = 0; i < ids->len; i++) {
    MusterItem *item = muster_items_get(store, g_array_index(ids, gint64, i), error);
    if (item == NULL)
      return NULL;
    g_ptr_array_add(found, item);
  }
  return g_steal_pointer(&found);
}

static char *
describe_item(const MusterItem *item)
{
  return g_strdup_printf("%s (%s %s %s)", item->uuid, item->manufacturer, item->model,
                         item->serial);
}

MusterItem *
muster_items_resolve(MusterStore *store, const char *text, GError **error)
{
  g_autofree char *trimmed = g_strstrip(g_strdup(text != NULL ? text : ""));
  if (g_uuid_string_is_valid(trimmed)) {
    g_autoptr(GError) local = NULL;
    MusterItem *item = muster_items_get_by_uuid(store, trimmed, &local);
    if (item != NULL || !g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND)) {
      if (item == NULL)
        g_propagate_error(error, g_steal_pointer(&local));
      return item;
    }
  }
  g_autoptr(GPtrArray) found = muster_items_find_by_marking(store, trimmed, error);
  if (found == NULL)
    return NULL;
  if (found->len == 1)
    return g_ptr_array_steal_index(found, 0);
  if (found->len == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "No item carries the marking or serial '%s'. Check what was typed, or trace "
                "it with 'muster history'.",
                trimmed);
    return NULL;
  }
  g_autoptr(GString) list = g_string_new(NULL);
  for (guint i = 0; i < found->len; i++) {
    g_autofree char *d = describe_item(g_ptr_array_index(found, i));
    g_string_append_printf(list, "%s%s", i > 0 ? ", " : "", d);
  }
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "'%s' matches %u items: %s; use the uuid of the one you mean.", trimmed, found->len,
              list->str);
  return NULL;
}

gboolean
item_find_same_serial(MusterStore *store, const char *manufacturer, const char *serial, gint64 *id,
                      char **uuid, GError **error)
{
  /* The expression of the unique index item_serial_key (migration 008). */
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT id, uuid FROM item WHERE coalesce(serial_key, serial) = ? AND manufacturer = ?",
      error);
  if (stmt == NULL)
    return FALSE;
  g_autofree char *key = item_serial_key(serial);
  sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, manufacturer, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  if (uuid != NULL)
    *uuid = rc == SQLITE_ROW ? muster_column_dup(stmt, 1) : NULL;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Looking up the serial", error);
  return TRUE;
}
