/*
 * correct.c: correcting a field of an item's record that was entered wrongly.
 *
 * Nothing recorded is ever deleted: a correction updates the item row (the current
 * state) and appends an item_event of kind 'correction' that keeps the old and the new
 * value ("FIELD: VALUE") and points (corrects_id) at the event that last set the field:
 * the item's 'created' event, or the previous correction of the same field. Following
 * corrects_id back from the newest correction gives the whole story of one field.
 *
 * The new value is read as the CSV import reads a cell and judged by the same code
 * (check.c), so a correction cannot record what an import would refuse. Only the
 * description fields are corrected here; status, location, custodian and markings have
 * their own commands, which record those changes with their own events.
 *
 * The serial is also the item's engraved_serial frame marking, which ingest matches
 * scans against. Marking rows are never edited, so correcting the serial retires the
 * old marking and adds a new one: a trace of the old serial still finds the item.
 */
#include "db/items/items-private.h"
#include "db/store-private.h"

/* The commands that change the fields not corrected here. */
static const char *const own_command[] = {
    [ITEM_FIELD_STATUS] = "'muster item set-status'",
    [ITEM_FIELD_LOCATION] = "'muster item move'",
    [ITEM_FIELD_CUSTODIAN] = "'muster item set-status --custodian'",
    [ITEM_FIELD_MARKINGS] = "'muster item add-marking' or 'muster item retire-marking'",
};

static gboolean
correctable_field(const char *name, ItemField *out, GError **error)
{
  ItemField f = 0;
  while (f < ITEM_N_FIELDS && g_strcmp0(name, item_field_names[f]) != 0)
    f++;
  if (f == ITEM_N_FIELDS) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "Unknown field '%s': the fields that can be corrected are manufacturer, "
                "country_of_manufacture, serial, model, category, calibre, year, "
                "import_country, import_year, state_marking and frame_material.",
                name != NULL ? name : "");
    return FALSE;
  }
  if (f >= ITEM_FIELD_STATUS) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The %s of an item is not corrected but changed, with a history of its own: "
                "use %s.",
                name, own_command[f]);
    return FALSE;
  }
  *out = f;
  return TRUE;
}

/* The text member of the field; NULL for the years. */
static char **
text_member(MusterItem *item, ItemField f)
{
  switch (f) {
  case ITEM_FIELD_MANUFACTURER: return &item->manufacturer;
  case ITEM_FIELD_COUNTRY: return &item->country;
  case ITEM_FIELD_SERIAL: return &item->serial;
  case ITEM_FIELD_MODEL: return &item->model;
  case ITEM_FIELD_CATEGORY: return &item->category;
  case ITEM_FIELD_CALIBRE: return &item->calibre;
  case ITEM_FIELD_IMPORT_COUNTRY: return &item->import_country;
  case ITEM_FIELD_STATE_MARKING: return &item->state_marking;
  case ITEM_FIELD_FRAME_MATERIAL: return &item->frame_material;
  default: return NULL;
  }
}

static int *
year_member(MusterItem *item, ItemField f)
{
  return f == ITEM_FIELD_YEAR ? &item->year : &item->import_year;
}

/* The field as the CSV writes it; NULL when it has no value. */
static char *
field_text(MusterItem *item, ItemField f)
{
  char **text = text_member(item, f);
  if (text != NULL)
    return g_strdup(*text);
  int year = *year_member(item, f);
  return year != 0 ? g_strdup_printf("%d", year) : NULL;
}

/* The item with the field set to value, read and judged as the import reads a cell. */
static MusterItem *
corrected_copy(MusterItem *item, ItemField f, const char *value, GError **error)
{
  g_autoptr(MusterItem) copy = item_copy_fields(item);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  char **text = text_member(copy, f);
  if (text != NULL) {
    g_free(*text);
    *text = g_strdup(value);
  } else {
    *year_member(copy, f) = item_parse_year(problems, item_field_names[f], value);
  }
  item_check_field(problems, copy, f);
  if (f == ITEM_FIELD_YEAR || f == ITEM_FIELD_IMPORT_YEAR)
    item_check_year_order(problems, copy);
  if (problems->len > 0) {
    g_autofree char *all = item_problems_joined(problems);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "Item %s (%s %s) was not corrected: %s.",
                item->uuid, item->manufacturer, item->serial, all);
    return NULL;
  }
  return g_steal_pointer(&copy);
}

/* The frame's engraved_serial marking of a serial (matched by its key). */
static const MusterMarking *
frame_serial_marking(const MusterItem *item, const char *serial)
{
  g_autofree char *key = item_serial_key(serial);
  for (guint i = 0; i < item->markings->len; i++) {
    const MusterMarking *m = g_ptr_array_index(item->markings, i);
    if (g_str_equal(m->kind, "engraved_serial") && g_str_equal(m->component, "frame") &&
        g_str_equal(m->value, key))
      return m;
  }
  return NULL;
}

/* A marking row is never reinstated, so a serial the frame once carried cannot come
 * back: ingest would find no marking in use for it. */
static gboolean
check_serial_marking_free(const MusterItem *item, const char *serial, GError **error)
{
  const MusterMarking *m = frame_serial_marking(item, serial);
  if (m == NULL || m->retired_at == NULL)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
              "Item %s (%s %s) carried engraved_serial:frame:%s until %s; a retired marking "
              "is not put back, so the serial cannot be corrected to it.",
              item->uuid, item->manufacturer, item->serial, serial, m->retired_at);
  return FALSE;
}

static gboolean
check_serial_unique(MusterStore *store, const MusterItem *copy, GError **error)
{
  gint64 other = 0;
  g_autofree char *other_uuid = NULL;
  if (!item_find_same_serial(store, copy->manufacturer, copy->serial, &other, &other_uuid, error))
    return FALSE;
  if (other == 0 || other == copy->id)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
              "Item %s was not corrected: %s serial %s is already recorded as item %s, and "
              "an item is recorded once; check which of the two records is wrong.",
              copy->uuid, copy->manufacturer, copy->serial, other_uuid);
  return FALSE;
}

/* The event that last set the field: the latest correction of it, else 'created'. */
static gboolean
last_setter(MusterStore *store, gint64 item_id, ItemField f, gint64 *id, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "SELECT id FROM item_event WHERE item_id = ?1 AND (kind = 'created' OR "
                        "(kind = 'correction' AND substr(new_value, 1, length(?2)) = ?2)) "
                        "ORDER BY id DESC LIMIT 1",
                        error);
  if (stmt == NULL)
    return FALSE;
  g_autofree char *prefix = g_strdup_printf("%s: ", item_field_names[f]);
  sqlite3_bind_int64(stmt, 1, item_id);
  sqlite3_bind_text(stmt, 2, prefix, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading the item's history", error);
  return TRUE;
}

static void
bind_year(sqlite3_stmt *stmt, int idx, int year)
{
  if (year != 0)
    sqlite3_bind_int(stmt, idx, year);
}

/* Writes the whole description from the corrected copy: one statement for every field,
 * and only the corrected one differs from the row. */
static gboolean
update_item(MusterStore *store, const MusterItem *copy, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "UPDATE item SET manufacturer = ?, country_of_manufacture = ?, serial = ?, "
                        "model = ?, category = ?, calibre = ?, year = ?, import_country = ?, "
                        "import_year = ?, state_marking = ?, frame_material = ?, serial_key = ? "
                        "WHERE id = ?",
                        error);
  if (stmt == NULL)
    return FALSE;
  muster_bind_text_or_null(stmt, 1, copy->manufacturer);
  muster_bind_text_or_null(stmt, 2, copy->country);
  muster_bind_text_or_null(stmt, 3, copy->serial);
  muster_bind_text_or_null(stmt, 4, copy->model);
  muster_bind_text_or_null(stmt, 5, copy->category);
  muster_bind_text_or_null(stmt, 6, copy->calibre);
  bind_year(stmt, 7, copy->year);
  muster_bind_text_or_null(stmt, 8, copy->import_country);
  bind_year(stmt, 9, copy->import_year);
  muster_bind_text_or_null(stmt, 10, copy->state_marking);
  muster_bind_text_or_null(stmt, 11, copy->frame_material);
  g_autofree char *serial_key = item_serial_key(copy->serial);
  sqlite3_bind_text(stmt, 12, serial_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 13, copy->id);
  return muster_store_step_done(store, stmt, "Correcting the item", error);
}

/* Retires the frame marking of the old serial (when in use) and adds the new one. */
static gboolean
correct_serial_marking(MusterStore *store, const MusterUser *actor, const MusterItem *item,
                       const MusterItem *copy, const char *at, const char *reason, GError **error)
{
  g_autofree char *why = g_strdup_printf("serial corrected: %s", reason);
  g_autofree char *old_key = item_serial_key(item->serial);
  g_autofree char *new_key = item_serial_key(copy->serial);
  if (g_str_equal(old_key, new_key))
    return TRUE; /* only how it is written changed: the same marking */
  const MusterMarking *old = frame_serial_marking(item, item->serial);
  if (old != NULL && old->retired_at == NULL &&
      (!item_retire_marking_row(store, item->id, old, at, error) ||
       !item_marking_event(store, actor, item, old, FALSE, at, why, error)))
    return FALSE;
  if (frame_serial_marking(item, copy->serial) != NULL)
    return TRUE; /* already carried and in use (check_serial_marking_free) */
  g_autoptr(MusterMarking) added = item_marking_new("engraved_serial", "frame", copy->serial);
  return item_insert_marking(store, item->id, added, at, error) &&
         item_marking_event(store, actor, item, added, TRUE, at, why, error);
}

static void
json_field_value(JsonBuilder *b, const char *member, MusterItem *item, ItemField f)
{
  if (text_member(item, f) != NULL) {
    muster_json_add_str(b, member, *text_member(item, f));
    return;
  }
  json_builder_set_member_name(b, member);
  if (*year_member(item, f) != 0)
    json_builder_add_int_value(b, *year_member(item, f));
  else
    json_builder_add_null_value(b);
}

static gboolean
record_correction(MusterStore *store, const MusterUser *actor, MusterItem *item, MusterItem *copy,
                  ItemField f, const char *at, const char *reason, gint64 corrects_id,
                  GError **error)
{
  const char *name = item_field_names[f];
  g_autofree char *old_text = field_text(item, f);
  g_autofree char *new_text = field_text(copy, f);
  g_autofree char *old_value = g_strdup_printf("%s: %s", name, old_text ? old_text : "");
  g_autofree char *new_value = g_strdup_printf("%s: %s", name, new_text ? new_text : "");
  if (!item_insert_event(store, item->id, at, "correction", old_value, new_value, actor, reason,
                         corrects_id, error))
    return FALSE;
  g_autoptr(JsonBuilder) b = item_change_payload(copy, actor, at);
  muster_json_add_str(b, "field", name);
  json_field_value(b, "old_value", item, f);
  json_field_value(b, "value", copy, f);
  muster_json_add_str(b, "reason", reason);
  return item_record_change(store, actor, copy, "item.correct", "item.corrected", b, error);
}

static gboolean
check_changes_something(MusterItem *item, MusterItem *copy, ItemField f, GError **error)
{
  g_autofree char *old_text = field_text(item, f);
  g_autofree char *new_text = field_text(copy, f);
  if (g_strcmp0(old_text, new_text) != 0)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
              "Item %s (%s %s) already has %s '%s'; there is nothing to correct.", item->uuid,
              item->manufacturer, item->serial, item_field_names[f],
              old_text != NULL ? old_text : "");
  return FALSE;
}

/* The corrected item, or NULL when the correction breaks a rule. */
static MusterItem *
checked_correction(MusterStore *store, MusterItem *item, ItemField f, const char *value,
                   GError **error)
{
  g_autoptr(MusterItem) copy = corrected_copy(item, f, value, error);
  if (copy == NULL || !check_changes_something(item, copy, f, error))
    return NULL;
  if (f == ITEM_FIELD_SERIAL && !check_serial_marking_free(item, copy->serial, error))
    return NULL;
  if ((f == ITEM_FIELD_MANUFACTURER || f == ITEM_FIELD_SERIAL) &&
      !check_serial_unique(store, copy, error))
    return NULL;
  return g_steal_pointer(&copy);
}

/* The item is read inside the transaction, so the old value recorded is the one the
 * correction replaces even when another program changed the item a moment before. */
static gboolean
correct_in_transaction(MusterStore *store, const MusterUser *actor, gint64 item_id, ItemField f,
                       const char *value, const char *reason, GError **error)
{
  g_autofree char *now = muster_now_iso();
  gint64 corrects_id = 0;
  g_autoptr(MusterItem) item = muster_items_get(store, item_id, error);
  if (item == NULL)
    return FALSE;
  g_autoptr(MusterItem) copy = checked_correction(store, item, f, value, error);
  if (copy == NULL || !last_setter(store, item->id, f, &corrects_id, error) ||
      !update_item(store, copy, error) ||
      !record_correction(store, actor, item, copy, f, now, reason, corrects_id, error))
    return FALSE;
  return f != ITEM_FIELD_SERIAL ||
         correct_serial_marking(store, actor, item, copy, now, reason, error);
}

gboolean
muster_items_correct(MusterStore *store, const MusterUser *actor, gint64 item_id, const char *field,
                     const char *new_value, const char *reason, GError **error)
{
  ItemField f;
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN),
                             "Correcting an item's record", error))
    return FALSE;
  g_autofree char *why = item_required_reason(reason, "A correction", error);
  if (why == NULL || !correctable_field(field, &f, error))
    return FALSE;
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!correct_in_transaction(store, actor, item_id, f, new_value, why, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}
