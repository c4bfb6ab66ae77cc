/*
 * items.c: the item model: status names, reading items, finding them by what is on
 * them, adding one, and changing its status or location.
 *
 * The item row holds the current state; every change to it appends an item_event row
 * (the tracing history), an audit entry naming who did it, and an outbox event for the
 * registry, in one transaction. item_insert_event(), item_change_payload() and
 * item_record_change() are that recipe, shared with markings.c and item-correct.c so
 * every kind of change is recorded the same way.
 *
 * The rest of the item engine lives beside this file, one concept each (listed in
 * items-private.h): validation, the bulk writer, markings, CSV, corrections.
 */
#include "db/audit.h"
#include "db/items-private.h"
#include "db/locations.h"
#include "db/outbox.h"
#include "db/store-private.h"
#include "marking/marking.h"

#include <string.h>

#define ITEM_SELECT                                                                    \
  "SELECT i.id, i.uuid, i.manufacturer, i.country_of_manufacture, i.serial, i.model, " \
  "i.category, i.calibre, coalesce(i.year, 0), i.import_country, "                     \
  "coalesce(i.import_year, 0), i.state_marking, i.frame_material, i.status, l.path, "  \
  "i.custodian, i.created_at FROM item i LEFT JOIN location l ON l.id = i.location_id "

/* The statuses, and whether an item found in a count should not have it (out of the
 * armoury by its record, yet here). */
static const struct {
  const char *name;
  gboolean conflicts_with_found;
} statuses[] = {
    [MUSTER_STATUS_IN_STORE] = {"in_store", FALSE},
    [MUSTER_STATUS_ISSUED] = {"issued", TRUE},
    [MUSTER_STATUS_IN_REPAIR] = {"in_repair", FALSE},
    [MUSTER_STATUS_IN_TRANSIT] = {"in_transit", TRUE},
    [MUSTER_STATUS_LOST] = {"lost", TRUE},
    [MUSTER_STATUS_STOLEN] = {"stolen", TRUE},
    [MUSTER_STATUS_DESTROYED] = {"destroyed", TRUE},
    [MUSTER_STATUS_SEIZED] = {"seized", FALSE},
};

const MusterClosedList muster_status_list = MUSTER_CLOSED_LIST(statuses);

const char *
muster_status_to_string(MusterStatus s)
{
  return muster_closed_list_name(&muster_status_list, s);
}

gboolean
muster_status_from_string(const char *s, MusterStatus *out, GError **error)
{
  int i = muster_closed_list_find(&muster_status_list, s);
  if (i >= 0) {
    *out = (MusterStatus)i;
    return TRUE;
  }
  g_autofree char *all = muster_closed_list_join(&muster_status_list, " or ");
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "Unknown status '%s': use %s.",
              s != NULL ? s : "", all);
  return FALSE;
}

gboolean
muster_status_conflicts_with_found(const char *status)
{
  int i = muster_closed_list_find(&muster_status_list, status);
  return i >= 0 && statuses[i].conflicts_with_found;
}

gboolean
item_status_known(MusterStatus status)
{
  return (guint)status < G_N_ELEMENTS(statuses);
}

void
muster_item_free(MusterItem *item)
{
  if (item == NULL)
    return;
  g_free(item->uuid);
  g_free(item->manufacturer);
  g_free(item->country);
  g_free(item->serial);
  g_free(item->model);
  g_free(item->category);
  g_free(item->calibre);
  g_free(item->import_country);
  g_free(item->state_marking);
  g_free(item->frame_material);
  g_free(item->location_path);
  g_free(item->custodian);
  g_free(item->created_at);
  if (item->markings != NULL)
    g_ptr_array_unref(item->markings);
  g_free(item);
}

MusterItem *
item_copy_fields(const MusterItem *f)
{
  MusterItem *item = g_new0(MusterItem, 1);
  item->id = f->id;
  item->uuid = g_strdup(f->uuid);
  item->manufacturer = g_strdup(f->manufacturer);
  item->country = g_strdup(f->country);
  item->serial = g_strdup(f->serial);
  item->model = g_strdup(f->model);
  item->category = g_strdup(f->category);
  item->calibre = g_strdup(f->calibre);
  item->year = f->year;
  item->import_country = g_strdup(f->import_country);
  item->import_year = f->import_year;
  item->state_marking = g_strdup(f->state_marking);
  item->frame_material = g_strdup(f->frame_material);
  item->status = f->status;
  item->location_path = g_strdup(f->location_path);
  item->custodian = g_strdup(f->custodian);
  item->created_at = g_strdup(f->created_at);
  item->markings = item_markings_new();
  for (guint i = 0; f->markings != NULL && i < f->markings->len; i++) {
    const MusterMarking *m = g_ptr_array_index(f->markings, i);
    g_ptr_array_add(item->markings, item_marking_new(m->kind, m->component, m->value));
  }
  return item;
}

/* ---- reading items ------------------------------------------------------------------ */

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

gboolean
muster_items_foreach(MusterStore *store, MusterItemFunc func, gpointer user_data, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, ITEM_SELECT "ORDER BY i.id", error);
  if (stmt == NULL)
    return FALSE;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    g_autoptr(MusterItem) item = item_from_row(stmt);
    if (!item_load_markings(store, item, error)) {
      sqlite3_reset(stmt);
      return FALSE;
    }
    func(item, user_data);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading the items", error);
  return TRUE;
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
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64(stmt, 0);
    g_array_append_val(ids, id);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) {
    muster_store_fail(store, rc, "Looking up the marking", error);
    return NULL;
  }
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

char *
item_serial_key(const char *serial)
{
  char *key = muster_marking_normalise(MUSTER_MARKING_ENGRAVED_SERIAL, serial, NULL);
  return key != NULL ? key : g_strdup(serial);
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

/* ---- adding one item ---------------------------------------------------------------- */

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
  item_json_str(b, "manufacturer", it->manufacturer);
  item_json_str(b, "serial", it->serial);
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

/* ---- recording a change ------------------------------------------------------------- */

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
  item_json_str(b, "uuid", item->uuid);
  item_json_str(b, "manufacturer", item->manufacturer);
  item_json_str(b, "serial", item->serial);
  item_json_str(b, "by", actor->name);
  item_json_str(b, "at", at);
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

/* ---- status and location ------------------------------------------------------------ */

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
  item_json_str(b, "old_status", old_status);
  item_json_str(b, "status", new_status);
  item_json_str(b, "old_custodian", item->custodian);
  item_json_str(b, "custodian", custodian);
  item_json_str(b, "reason", reason);
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
  item_json_str(b, "old_location", item->location_path);
  item_json_str(b, "location", loc->path);
  item_json_str(b, "reason", reason);
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
