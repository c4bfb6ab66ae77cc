/*
 * items.c: weapons, their markings, status and location changes, CSV import and export.
 *
 * One validation path (check_item) serves both a single add and every CSV row, so a
 * field is judged the same way wherever it comes from; it normalises in place (serial
 * and marking values through marking/marking.c, location paths through locations.c) and
 * collects every problem instead of stopping at the first, because an administrator
 * fixing a spreadsheet wants the whole list at once.
 *
 * The import streams the CSV (MusterCsvReader) inside one transaction. Good rows are
 * written in batches (write_new_items: multi-row INSERTs with ids chosen up front) while
 * the rest of the file is still being checked. Writing before knowing whether the whole
 * file is good is deliberate: the database's indexes then find duplicates within the
 * file and against earlier records, with no second in-memory copy of a million rows
 * (only the rows of the current batch are kept in a small hash table). Any problem
 * rolls the whole transaction back, so a bad file leaves no trace, not even in the
 * audit log.
 *
 * Every change to an item appends an item_event row (the tracing history), an audit
 * entry naming who did it, and an outbox event for the registry, in one transaction.
 */
#include "db/items.h"
#include "db/audit.h"
#include "db/csv.h"
#include "db/locations.h"
#include "db/outbox.h"
#include "marking/marking.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#define FIELD_MAX_BYTES 1024
#define IMPORT_MAX_ERRORS 1000
#define YEAR_MIN 1800

#define ITEM_SELECT                                                                         \
  "SELECT i.id, i.uuid, i.manufacturer, i.country_of_manufacture, i.serial, i.model, "     \
  "i.category, i.calibre, coalesce(i.year, 0), i.import_country, "                         \
  "coalesce(i.import_year, 0), i.state_marking, i.frame_material, i.status, l.path, "      \
  "i.custodian, i.created_at FROM item i LEFT JOIN location l ON l.id = i.location_id "

static const char *const status_names[] = {
    "in_store", "issued", "in_repair", "in_transit", "lost", "stolen", "destroyed", "seized",
};

/* The CSV columns, in export order. */
typedef enum {
  COL_MANUFACTURER,
  COL_COUNTRY,
  COL_SERIAL,
  COL_MODEL,
  COL_CATEGORY,
  COL_CALIBRE,
  COL_YEAR,
  COL_IMPORT_COUNTRY,
  COL_IMPORT_YEAR,
  COL_STATE_MARKING,
  COL_FRAME_MATERIAL,
  COL_STATUS,
  COL_LOCATION,
  COL_CUSTODIAN,
  COL_MARKINGS,
  N_COLUMNS
} Column;

static const char *const column_names[N_COLUMNS] = {
    "manufacturer", "country_of_manufacture", "serial", "model", "category", "calibre",
    "year", "import_country", "import_year", "state_marking", "frame_material", "status",
    "location", "custodian", "markings",
};

static gboolean
column_required(Column c)
{
  return c == COL_MANUFACTURER || c == COL_COUNTRY || c == COL_SERIAL || c == COL_MODEL ||
         c == COL_CATEGORY || c == COL_STATUS;
}

const char *
muster_status_to_string(MusterStatus s)
{
  return (guint)s < G_N_ELEMENTS(status_names) ? status_names[s] : "unknown";
}

gboolean
muster_status_from_string(const char *s, MusterStatus *out, GError **error)
{
  for (guint i = 0; s != NULL && i < G_N_ELEMENTS(status_names); i++) {
    if (strcmp(s, status_names[i]) == 0) {
      *out = (MusterStatus)i;
      return TRUE;
    }
  }
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "Unknown status '%s': use in_store, issued, in_repair, in_transit, lost, "
              "stolen, destroyed or seized.", s != NULL ? s : "");
  return FALSE;
}

void
muster_marking_free(MusterMarking *m)
{
  if (m == NULL)
    return;
  g_free(m->kind);
  g_free(m->component);
  g_free(m->value);
  g_free(m->created_at);
  g_free(m->retired_at);
  g_free(m);
}

static MusterMarking *
marking_new(const char *kind, const char *component, const char *value)
{
  MusterMarking *m = g_new0(MusterMarking, 1);
  m->kind = g_strdup(kind);
  m->component = g_strdup(component);
  m->value = g_strdup(value);
  return m;
}

static GPtrArray *
markings_new(void)
{
  return g_ptr_array_new_with_free_func((GDestroyNotify)muster_marking_free);
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

/* The caller's fields, copied so that validation may normalise them in place. */
static MusterItem *
item_copy_fields(const MusterItem *f)
{
  MusterItem *item = g_new0(MusterItem, 1);
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
  item->markings = markings_new();
  for (guint i = 0; f->markings != NULL && i < f->markings->len; i++) {
    const MusterMarking *m = g_ptr_array_index(f->markings, i);
    g_ptr_array_add(item->markings, marking_new(m->kind, m->component, m->value));
  }
  return item;
}

/* ---- validation ------------------------------------------------------------------- */

static void
problem(GPtrArray *problems, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void
problem(GPtrArray *problems, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(problems, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

/* Trims the value (an empty one becomes NULL) and checks it is sane text. Line breaks
 * are allowed only in descriptive columns (multiline): a serial, a manufacturer or a
 * country split over two lines is a spreadsheet accident. */
static void
check_text(GPtrArray *problems, const char *column, char **value, gboolean required,
           gboolean multiline)
{
  if (*value != NULL && *g_strstrip(*value) == '\0')
    g_clear_pointer(value, g_free);
  if (*value == NULL) {
    if (required)
      problem(problems, "%s is required", column);
    return;
  }
  if (!g_utf8_validate(*value, -1, NULL)) {
    problem(problems, "%s is not valid UTF-8 text", column);
    return;
  }
  if (strlen(*value) > FIELD_MAX_BYTES) {
    problem(problems, "%s is longer than %d bytes", column, FIELD_MAX_BYTES);
    return;
  }
  for (const char *p = *value; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (!g_unichar_iscntrl(c) || (multiline && (c == '\n' || c == '\r' || c == '\t')))
      continue;
    if (c == '\n' || c == '\r')
      problem(problems, "%s spans more than one line (only model, category, calibre, "
              "state_marking, frame_material and custodian may)", column);
    else
      problem(problems, "%s contains a control character (U+%04X)", column, c);
    return;
  }
}

static void
check_country(GPtrArray *problems, const char *column, char **value, gboolean required)
{
  guint before = problems->len;
  check_text(problems, column, value, required, FALSE);
  if (*value == NULL || problems->len > before || muster_country_code_valid(*value))
    return;
  g_autofree char *upper = g_ascii_strup(*value, -1);
  if (muster_country_code_valid(upper))
    problem(problems, "%s '%s' must be written in upper case: %s", column, *value, upper);
  else
    problem(problems, "%s '%s' is not an ISO 3166 country code; use two upper-case "
            "letters such as DE or US", column, *value);
}

static int
year_max(void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  return g_date_time_get_year(now) + 1;
}

/* 0 is "unknown" in a MusterItem; the CSV says so with an empty cell instead. */
static gboolean
check_year(GPtrArray *problems, const char *column, gint64 year, gboolean zero_ok)
{
  if ((zero_ok && year == 0) || (year >= YEAR_MIN && year <= year_max()))
    return TRUE;
  problem(problems, "%s %" G_GINT64_FORMAT " is out of range (%d to %d)", column, year,
          YEAR_MIN, year_max());
  return FALSE;
}

/* Normalises one marking in place; explains what is wrong with it otherwise. */
static gboolean
check_marking(GPtrArray *problems, MusterMarking *m)
{
  g_autofree char *shown = g_strdup_printf("%s:%s:%s", m->kind ? m->kind : "",
                                           m->component ? m->component : "",
                                           m->value ? m->value : "");
  MusterMarkingKind kind;
  g_autoptr(GError) error = NULL;
  if (!muster_marking_kind_from_string(m->kind, &kind)) {
    problem(problems, "marking '%s': unknown kind '%s' (use engraved_serial, barcode, "
            "datamatrix_uii, hf_uid, uhf_epc or ndef)", shown, m->kind ? m->kind : "");
    return FALSE;
  }
  if (!muster_marking_component_valid(m->component)) {
    problem(problems, "marking '%s': unknown component '%s' (use frame, barrel, slide, "
            "bolt or cylinder)", shown, m->component ? m->component : "");
    return FALSE;
  }
  char *value = muster_marking_normalise(kind, m->value, &error);
  if (value == NULL) {
    problem(problems, "marking '%s': %s", shown, error->message);
    return FALSE;
  }
  g_free(m->value);
  m->value = value;
  if (strchr(value, ';') != NULL) {
    problem(problems, "marking '%s': a marking value cannot contain ';' (it separates "
            "markings in the CSV)", shown);
    return FALSE;
  }
  return TRUE;
}

static gboolean
marking_same_tag(const MusterMarking *a, const MusterMarking *b)
{
  MusterMarkingKind kind;
  if (g_strcmp0(a->kind, b->kind) != 0 || g_strcmp0(a->value, b->value) != 0)
    return FALSE;
  if (g_strcmp0(a->component, b->component) == 0)
    return TRUE;
  /* One tag cannot sit on two components; an engraved serial repeated on the barrel
   * (matching numbers) is normal. */
  return muster_marking_kind_from_string(a->kind, &kind) && muster_marking_kind_is_unique(kind);
}

static gboolean
is_serial_copy(const MusterItem *item, const MusterMarking *m)
{
  return g_strcmp0(m->kind, "engraved_serial") == 0 && g_strcmp0(m->component, "frame") == 0 &&
         g_strcmp0(m->value, item->serial) == 0;
}

/* Checks every marking, puts the engraved serial first as a frame marking, and drops an
 * explicit copy of it (an export lists it only implicitly, through the serial). */
static void
check_markings(GPtrArray *problems, MusterItem *item)
{
  g_autoptr(GPtrArray) out = markings_new();
  if (item->serial != NULL)
    g_ptr_array_add(out, marking_new("engraved_serial", "frame", item->serial));
  for (guint i = 0; item->markings != NULL && i < item->markings->len; i++) {
    MusterMarking *m = g_ptr_array_index(item->markings, i);
    if (!check_marking(problems, m))
      continue;
    gboolean dup = FALSE;
    for (guint j = 0; j < out->len && !dup; j++)
      dup = marking_same_tag(m, g_ptr_array_index(out, j));
    if (!dup)
      g_ptr_array_add(out, marking_new(m->kind, m->component, m->value));
    else if (!is_serial_copy(item, m))
      problem(problems, "marking '%s:%s:%s' is listed twice", m->kind, m->component, m->value);
  }
  if (item->markings != NULL)
    g_ptr_array_unref(item->markings);
  item->markings = g_steal_pointer(&out);
}

static void
check_serial(GPtrArray *problems, MusterItem *item)
{
  g_autoptr(GError) error = NULL;
  if (item->serial == NULL || *item->serial == '\0') {
    problem(problems, "serial is required");
    return;
  }
  char *serial = muster_marking_normalise(MUSTER_MARKING_ENGRAVED_SERIAL, item->serial, &error);
  g_clear_pointer(&item->serial, g_free);
  if (serial == NULL)
    problem(problems, "serial: %s", error->message);
  item->serial = serial;
}

static void
check_location(GPtrArray *problems, MusterItem *item)
{
  g_autoptr(GError) error = NULL;
  if (item->location_path == NULL)
    return;
  char *norm = muster_location_normalise_path(item->location_path, &error);
  if (norm == NULL)
    problem(problems, "location: %s", error->message);
  g_free(item->location_path);
  item->location_path = norm;
}

/* Every rule an item must meet, wherever it comes from. Normalises in place. */
static void
check_item(GPtrArray *problems, MusterItem *item)
{
  check_text(problems, "manufacturer", &item->manufacturer, TRUE, FALSE);
  check_country(problems, "country_of_manufacture", &item->country, TRUE);
  check_serial(problems, item);
  check_text(problems, "model", &item->model, TRUE, TRUE);
  check_text(problems, "category", &item->category, TRUE, TRUE);
  check_text(problems, "calibre", &item->calibre, FALSE, TRUE);
  gboolean years_ok = check_year(problems, "year", item->year, TRUE);
  check_country(problems, "import_country", &item->import_country, FALSE);
  years_ok = check_year(problems, "import_year", item->import_year, TRUE) && years_ok;
  if (years_ok && item->year != 0 && item->import_year != 0 && item->import_year < item->year)
    problem(problems, "import_year %d is before the year of manufacture %d", item->import_year,
            item->year);
  check_text(problems, "state_marking", &item->state_marking, FALSE, TRUE);
  check_text(problems, "frame_material", &item->frame_material, FALSE, TRUE);
  if ((guint)item->status >= G_N_ELEMENTS(status_names))
    problem(problems, "status %d is not a known status", (int)item->status);
  check_location(problems, item);
  check_text(problems, "custodian", &item->custodian, FALSE, TRUE);
  check_markings(problems, item);
}

/* ---- JSON for the audit log and the outbox ------------------------------------------ */

static void
json_str(JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name(b, name);
  if (value != NULL)
    json_builder_add_string_value(b, value);
  else
    json_builder_add_null_value(b);
}

static JsonNode *
json_finish(JsonBuilder *b)
{
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

static char *
json_finish_string(JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_finish(b);
  return json_to_string(root, FALSE);
}

/* The item.created payload. Written by hand rather than with JsonBuilder: an import
 * makes one per item, and json-glib's object tree cost more than all the item's SQL. The
 * text is UTF-8 already (checked), so only quotes, backslashes and control characters
 * need escaping. */
static void
json_append_string(GString *out, const char *s)
{
  if (s == NULL) {
    g_string_append(out, "null");
    return;
  }
  g_string_append_c(out, '"');
  for (const guchar *p = (const guchar *)s; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\') {
      g_string_append_c(out, '\\');
      g_string_append_c(out, (char)*p);
    } else if (*p == '\n') {
      g_string_append(out, "\\n");
    } else if (*p < 0x20) {
      g_string_append_printf(out, "\\u%04x", *p);
    } else {
      g_string_append_c(out, (char)*p);
    }
  }
  g_string_append_c(out, '"');
}

static void
json_append_member(GString *out, const char *name, const char *value)
{
  if (out->len > 1)
    g_string_append_c(out, ',');
  g_string_append_c(out, '"');
  g_string_append(out, name);
  g_string_append(out, "\":");
  json_append_string(out, value);
}

static void
json_append_year(GString *out, const char *name, int year)
{
  if (year != 0)
    g_string_append_printf(out, ",\"%s\":%d", name, year);
  else
    g_string_append_printf(out, ",\"%s\":null", name);
}

static char *
item_payload(const MusterItem *item)
{
  GString *out = g_string_sized_new(512);
  g_string_append_c(out, '{');
  json_append_member(out, "uuid", item->uuid);
  json_append_member(out, "manufacturer", item->manufacturer);
  json_append_member(out, "country_of_manufacture", item->country);
  json_append_member(out, "serial", item->serial);
  json_append_member(out, "model", item->model);
  json_append_member(out, "category", item->category);
  json_append_member(out, "calibre", item->calibre);
  json_append_year(out, "year", item->year);
  json_append_member(out, "import_country", item->import_country);
  json_append_year(out, "import_year", item->import_year);
  json_append_member(out, "state_marking", item->state_marking);
  json_append_member(out, "frame_material", item->frame_material);
  json_append_member(out, "status", muster_status_to_string(item->status));
  json_append_member(out, "location", item->location_path);
  json_append_member(out, "custodian", item->custodian);
  json_append_member(out, "created_at", item->created_at);
  g_string_append(out, ",\"markings\":[");
  for (guint i = 0; item->markings != NULL && i < item->markings->len; i++) {
    const MusterMarking *m = g_ptr_array_index(item->markings, i);
    g_string_append(out, i > 0 ? ",{\"kind\":" : "{\"kind\":");
    json_append_string(out, m->kind);
    g_string_append(out, ",\"component\":");
    json_append_string(out, m->component);
    g_string_append(out, ",\"value\":");
    json_append_string(out, m->value);
    g_string_append_c(out, '}');
  }
  g_string_append(out, "]}");
  return g_string_free(out, FALSE);
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

static gboolean
load_markings(MusterStore *store, MusterItem *item, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT kind, component, value, created_at, retired_at FROM marking "
             "WHERE item_id = ? ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, item->id);
  g_autoptr(GPtrArray) markings = markings_new();
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    MusterMarking *m = marking_new((const char *)sqlite3_column_text(stmt, 0),
                                   (const char *)sqlite3_column_text(stmt, 1),
                                   (const char *)sqlite3_column_text(stmt, 2));
    m->created_at = muster_column_dup(stmt, 3);
    m->retired_at = muster_column_dup(stmt, 4);
    g_ptr_array_add(markings, m);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading markings", error);
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
  if (!load_markings(store, item, error))
    return NULL;
  return g_steal_pointer(&item);
}

MusterItem *
muster_items_get(MusterStore *store, gint64 id, GError **error)
{
  return get_where(store, ITEM_SELECT "WHERE i.id = ?", id, NULL, error);
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
  sqlite3_stmt *stmt = muster_store_stmt(store, "SELECT count(*) FROM item", error);
  if (stmt == NULL)
    return -1;
  int rc = sqlite3_step(stmt);
  gint64 n = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    muster_store_fail(store, rc, "Counting items", error);
  return n;
}

/* The forms a typed or scanned text may be stored under: as any marking, as a serial,
 * without spaces (UII, spaced UID) and as a UID with '-' separators. */
static GPtrArray *
lookup_forms(const char *text)
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
  g_autoptr(GPtrArray) forms = lookup_forms(text);
  if (forms->len == 0)
    return g_steal_pointer(&found);
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT item_id FROM marking WHERE value IN (?1, ?2, ?3, ?4) "
             "UNION SELECT id FROM item WHERE serial IN (?1, ?2, ?3, ?4) ORDER BY 1", error);
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
                "it with 'muster trace'.", trimmed);
    return NULL;
  }
  g_autoptr(GString) list = g_string_new(NULL);
  for (guint i = 0; i < found->len; i++) {
    g_autofree char *d = describe_item(g_ptr_array_index(found, i));
    g_string_append_printf(list, "%s%s", i > 0 ? ", " : "", d);
  }
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "'%s' matches %u items: %s; use the uuid of the one you mean.", trimmed,
              found->len, list->str);
  return NULL;
}

/* ---- writing items ------------------------------------------------------------------ */

static gboolean
insert_event(MusterStore *store, gint64 item_id, const char *at, const char *kind,
             const char *old_value, const char *new_value, const MusterUser *actor,
             const char *reason, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "INSERT INTO item_event (item_id, at, kind, old_value, new_value, user_id, "
             "reason) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
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
  return muster_store_step_done(store, stmt, "Recording the item's history", error);
}

static gboolean
insert_marking(MusterStore *store, gint64 item_id, const MusterMarking *m, const char *at,
               GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "INSERT INTO marking (item_id, kind, component, value, created_at) "
             "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, item_id);
  sqlite3_bind_text(stmt, 2, m->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 3, m->component, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, m->value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 5, at, -1, SQLITE_TRANSIENT);
  return muster_store_step_done(store, stmt, "Recording a marking", error);
}

/* Rows per multi-row INSERT when items are written in bulk. The schema's CHECK (x IN
 * (...)) constraints make SQLite build small lookup tables each time a statement runs,
 * and each run has a fixed cost (cursors, a savepoint); one statement for many rows
 * pays those once, which is most of what makes an import of a million rows fast. */
#define WRITE_BATCH 128

/* A checked item about to be written, with its id already chosen (the caller holds the
 * write lock, so max(id) + 1 onwards are free): its markings and events can then be
 * written in bulk without waiting for each item's rowid. */
typedef struct {
  MusterItem *item;
  gint64 location_id; /* 0: none */
  char *reason;       /* of its 'created' event */
} NewItem;

typedef struct {
  gint64 item_id;
  const MusterMarking *marking;
} NewMarking;

typedef struct {
  const MusterUser *actor;
  const char *now;
} WriteContext;

static void
new_item_clear(gpointer p)
{
  NewItem *n = p;
  g_clear_pointer(&n->item, muster_item_free);
  g_clear_pointer(&n->reason, g_free);
}

static GArray *
new_items_array(void)
{
  GArray *a = g_array_new(FALSE, TRUE, sizeof(NewItem));
  g_array_set_clear_func(a, new_item_clear);
  return a;
}

static gboolean
next_item_id(MusterStore *store, gint64 *id, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "SELECT coalesce(max(id), 0) + 1 FROM item", error);
  if (stmt == NULL)
    return FALSE;
  int rc = sqlite3_step(stmt);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Reading the records", error);
  return TRUE;
}

typedef void (*BindRow)(sqlite3_stmt *stmt, int base, gconstpointer row,
                        const WriteContext *ctx);

/* "INSERT INTO t (a, b) VALUES (?,?),(?,?)..." for nrows rows of ncols columns. */
static char *
insert_sql(const char *head, guint ncols, guint nrows)
{
  GString *sql = g_string_new(head);
  g_string_append(sql, " VALUES ");
  for (guint r = 0; r < nrows; r++) {
    g_string_append(sql, r > 0 ? ",(" : "(");
    for (guint c = 0; c < ncols; c++)
      g_string_append(sql, c > 0 ? ",?" : "?");
    g_string_append_c(sql, ')');
  }
  return g_string_free(sql, FALSE);
}

/* Inserts the rows of an array, WRITE_BATCH at a time and the rest one by one (one
 * statement per size keeps the statement cache small). */
static gboolean
insert_rows(MusterStore *store, const char *head, guint ncols, GArray *rows, BindRow bind,
            const WriteContext *ctx, const char *doing, GError **error)
{
  g_autofree char *one = insert_sql(head, ncols, 1);
  g_autofree char *many = rows->len >= WRITE_BATCH ? insert_sql(head, ncols, WRITE_BATCH) : NULL;
  gsize size = g_array_get_element_size(rows);
  for (guint i = 0; i < rows->len;) {
    guint n = rows->len - i >= WRITE_BATCH ? WRITE_BATCH : 1;
    sqlite3_stmt *stmt = muster_store_stmt(store, n > 1 ? many : one, error);
    if (stmt == NULL)
      return FALSE;
    for (guint r = 0; r < n; r++)
      bind(stmt, (int)(r * ncols), rows->data + (i + r) * size, ctx);
    if (!muster_store_step_done(store, stmt, doing, error))
      return FALSE;
    i += n;
  }
  return TRUE;
}

/* Binds text that outlives the statement's step; NULL binds NULL. */
static void
bind_str(sqlite3_stmt *stmt, int idx, const char *s)
{
  if (s != NULL)
    sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC);
}

static void
bind_int_or_null(sqlite3_stmt *stmt, int idx, gint64 v)
{
  if (v != 0)
    sqlite3_bind_int64(stmt, idx, v);
}

#define ITEM_INSERT                                                                         \
  "INSERT INTO item (id, uuid, manufacturer, country_of_manufacture, serial, model, "       \
  "category, calibre, year, import_country, import_year, state_marking, frame_material, "  \
  "status, location_id, custodian, created_at)"

static void
bind_item(sqlite3_stmt *stmt, int base, gconstpointer row, const WriteContext *ctx)
{
  const NewItem *n = row;
  const MusterItem *item = n->item;
  sqlite3_bind_int64(stmt, base + 1, item->id);
  bind_str(stmt, base + 2, item->uuid);
  bind_str(stmt, base + 3, item->manufacturer);
  bind_str(stmt, base + 4, item->country);
  bind_str(stmt, base + 5, item->serial);
  bind_str(stmt, base + 6, item->model);
  bind_str(stmt, base + 7, item->category);
  bind_str(stmt, base + 8, item->calibre);
  bind_int_or_null(stmt, base + 9, item->year);
  bind_str(stmt, base + 10, item->import_country);
  bind_int_or_null(stmt, base + 11, item->import_year);
  bind_str(stmt, base + 12, item->state_marking);
  bind_str(stmt, base + 13, item->frame_material);
  bind_str(stmt, base + 14, muster_status_to_string(item->status));
  bind_int_or_null(stmt, base + 15, n->location_id);
  bind_str(stmt, base + 16, item->custodian);
  bind_str(stmt, base + 17, item->created_at);
}

#define MARKING_INSERT "INSERT INTO marking (item_id, kind, component, value, created_at)"

static void
bind_marking(sqlite3_stmt *stmt, int base, gconstpointer row, const WriteContext *ctx)
{
  const NewMarking *m = row;
  sqlite3_bind_int64(stmt, base + 1, m->item_id);
  bind_str(stmt, base + 2, m->marking->kind);
  bind_str(stmt, base + 3, m->marking->component);
  bind_str(stmt, base + 4, m->marking->value);
  bind_str(stmt, base + 5, ctx->now);
}

/* The same rows muster_outbox_append() writes, in bulk (see item_payload()). */
#define OUTBOX_INSERT "INSERT INTO outbox (at, kind, entity_uuid, payload)"

typedef struct {
  const char *uuid;
  char *payload;
} NewOutbox;

static void
new_outbox_clear(gpointer p)
{
  g_free(((NewOutbox *)p)->payload);
}

static void
bind_outbox(sqlite3_stmt *stmt, int base, gconstpointer row, const WriteContext *ctx)
{
  const NewOutbox *o = row;
  bind_str(stmt, base + 1, ctx->now);
  bind_str(stmt, base + 2, "item.created");
  bind_str(stmt, base + 3, o->uuid);
  bind_str(stmt, base + 4, o->payload);
}

#define CREATED_INSERT "INSERT INTO item_event (item_id, at, kind, new_value, user_id, reason)"

static void
bind_created(sqlite3_stmt *stmt, int base, gconstpointer row, const WriteContext *ctx)
{
  const NewItem *n = row;
  sqlite3_bind_int64(stmt, base + 1, n->item->id);
  bind_str(stmt, base + 2, ctx->now);
  bind_str(stmt, base + 3, "created");
  bind_str(stmt, base + 4, muster_status_to_string(n->item->status));
  if (ctx->actor != NULL)
    sqlite3_bind_int64(stmt, base + 5, ctx->actor->id);
  bind_str(stmt, base + 6, n->reason);
}

/* Writes checked items (ids, uuids and created_at set) with their markings, their
 * 'created' events and their outbox events. Items go first: markings and events refer
 * to them. The outbox rows are those muster_outbox_append() would write, inserted in
 * bulk with the rest. */
static gboolean
write_new_items(MusterStore *store, const MusterUser *actor, GArray *items, const char *now,
                GError **error)
{
  WriteContext ctx = {actor, now};
  g_autoptr(GArray) markings = g_array_new(FALSE, FALSE, sizeof(NewMarking));
  g_autoptr(GArray) outbox = g_array_sized_new(FALSE, FALSE, sizeof(NewOutbox), items->len);
  g_array_set_clear_func(outbox, new_outbox_clear);
  for (guint i = 0; i < items->len; i++) {
    const MusterItem *item = g_array_index(items, NewItem, i).item;
    for (guint j = 0; j < item->markings->len; j++) {
      NewMarking m = {item->id, g_ptr_array_index(item->markings, j)};
      g_array_append_val(markings, m);
    }
    NewOutbox o = {item->uuid, item_payload(item)};
    g_array_append_val(outbox, o);
  }
  if (!insert_rows(store, ITEM_INSERT, 17, items, bind_item, &ctx, "Recording the items",
                   error) ||
      !insert_rows(store, MARKING_INSERT, 5, markings, bind_marking, &ctx,
                   "Recording the markings", error) ||
      !insert_rows(store, CREATED_INSERT, 6, items, bind_created, &ctx,
                   "Recording the items' history", error))
    return FALSE;
  return insert_rows(store, OUTBOX_INSERT, 4, outbox, bind_outbox, &ctx,
                     "Queueing the items for the registry", error);
}

/* Gives a checked item its identity. */
static void
new_item_init(NewItem *n, MusterItem *item, gint64 id, gint64 location_id, const char *now,
              char *reason)
{
  item->id = id;
  g_free(item->uuid);
  item->uuid = muster_uuid_new();
  g_free(item->created_at);
  item->created_at = g_strdup(now);
  n->item = item;
  n->location_id = location_id;
  n->reason = reason;
}

/* The item already recorded with this manufacturer and serial: 0 when none. */
static gboolean
find_same_serial(MusterStore *store, const char *manufacturer, const char *serial,
                 gint64 *id, char **uuid, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT id, uuid FROM item WHERE manufacturer = ? AND serial = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, manufacturer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, serial, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  if (uuid != NULL)
    *uuid = rc == SQLITE_ROW ? muster_column_dup(stmt, 1) : NULL;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Looking up the serial", error);
  return TRUE;
}

static gboolean
ensure_location(MusterStore *store, const MusterUser *actor, const char *path, gint64 *id,
                GError **error)
{
  *id = 0;
  if (path == NULL)
    return TRUE;
  return muster_locations_ensure(store, actor, path, id, error);
}

static char *
joined(GPtrArray *problems)
{
  g_ptr_array_add(problems, NULL);
  char *s = g_strjoinv("; ", (char **)problems->pdata);
  g_ptr_array_remove_index(problems, problems->len - 1);
  return s;
}

static gboolean
add_in_transaction(MusterStore *store, const MusterUser *actor, MusterItem **item,
                   gint64 *id, GError **error)
{
  gint64 existing = 0, location_id = 0;
  g_autofree char *existing_uuid = NULL;
  MusterItem *it = *item;
  if (!find_same_serial(store, it->manufacturer, it->serial, &existing, &existing_uuid,
                        error))
    return FALSE;
  if (existing != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
                "%s serial %s is already recorded (item %s); an item is recorded once.",
                it->manufacturer, it->serial, existing_uuid);
    return FALSE;
  }
  g_autofree char *now = muster_now_iso();
  if (!ensure_location(store, actor, it->location_path, &location_id, error) ||
      !next_item_id(store, id, error))
    return FALSE;
  g_autoptr(GArray) items = new_items_array();
  g_array_set_size(items, 1);
  new_item_init(&g_array_index(items, NewItem, 0), g_steal_pointer(item), *id, location_id, now,
                g_strdup("added"));
  if (!write_new_items(store, actor, items, now, error))
    return FALSE;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_str(b, "manufacturer", it->manufacturer);
  json_str(b, "serial", it->serial);
  g_autofree char *detail = json_finish_string(b);
  return muster_audit_append(store, actor->name, "item.add", it->uuid, detail, error);
}

MusterItem *
muster_items_add(MusterStore *store, const MusterUser *actor, const MusterItem *fields,
                 GError **error)
{
  if (!muster_require_one_of(actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Adding an item",
                             error))
    return NULL;
  g_autoptr(MusterItem) item = item_copy_fields(fields);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  check_item(problems, item);
  if (problems->len > 0) {
    g_autofree char *all = joined(problems);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The item was not added: %s.", all);
    return NULL;
  }
  if (!muster_store_begin(store, error))
    return NULL;
  gint64 id = 0;
  if (!add_in_transaction(store, actor, &item, &id, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return NULL;
  }
  return muster_items_get(store, id, error);
}

/* ---- changes to one item ------------------------------------------------------------ */

static JsonBuilder *
change_payload(const MusterItem *item, const MusterUser *actor, const char *at)
{
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_str(b, "uuid", item->uuid);
  json_str(b, "manufacturer", item->manufacturer);
  json_str(b, "serial", item->serial);
  json_str(b, "by", actor->name);
  json_str(b, "at", at);
  return b;
}

/* Appends the same change to the audit log (action) and the outbox (kind). */
static gboolean
record_change(MusterStore *store, const MusterUser *actor, const MusterItem *item,
              const char *action, const char *kind, JsonBuilder *b, GError **error)
{
  g_autoptr(JsonNode) payload = json_finish(b);
  g_autofree char *detail = json_to_string(payload, FALSE);
  return muster_audit_append(store, actor->name, action, item->uuid, detail, error) &&
         muster_outbox_append(store, kind, item->uuid, payload, error);
}

static char *
required_reason(const char *reason, const char *what, GError **error)
{
  g_autofree char *r = g_strstrip(g_strdup(reason != NULL ? reason : ""));
  if (*r == '\0') {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s needs a reason (what happened, and the order or document behind it).",
                what);
    return NULL;
  }
  if (!g_utf8_validate(r, -1, NULL)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The reason is not valid UTF-8.");
    return NULL;
  }
  return g_steal_pointer(&r);
}

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
  if (status != item->status &&
      !insert_event(store, item->id, now, "status", old_status, new_status, actor, reason, error))
    return FALSE;
  if (g_strcmp0(custodian, item->custodian) != 0 &&
      !insert_event(store, item->id, now, "custody", item->custodian, custodian, actor, reason,
                    error))
    return FALSE;
  g_autoptr(JsonBuilder) b = change_payload(item, actor, now);
  json_str(b, "old_status", old_status);
  json_str(b, "status", new_status);
  json_str(b, "old_custodian", item->custodian);
  json_str(b, "custodian", custodian);
  json_str(b, "reason", reason);
  return record_change(store, actor, item, "item.status", "item.status", b, error);
}

gboolean
muster_items_set_status(MusterStore *store, const MusterUser *actor, gint64 item_id,
                        MusterStatus status, const char *custodian, const char *reason,
                        GError **error)
{
  if (!muster_require_role(actor, MUSTER_ROLE_SUPERVISOR, "Changing an item's status", error))
    return FALSE;
  g_autofree char *why = required_reason(reason, "A status change", error);
  if (why == NULL)
    return FALSE;
  if ((guint)status >= G_N_ELEMENTS(status_names)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "Status %d is not a known status.",
                (int)status);
    return FALSE;
  }
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *holder = g_strdup(custodian);
  check_text(problems, "custodian", &holder, status == MUSTER_STATUS_ISSUED, TRUE);
  if (problems->len > 0) {
    g_autofree char *all = joined(problems);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The status was not changed: %s%s.",
                all, status == MUSTER_STATUS_ISSUED ? " (the unit or person it is issued to)"
                                                    : "");
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
      !insert_event(store, item->id, now, "location", item->location_path, loc->path, actor,
                    reason, error))
    return FALSE;
  g_autoptr(JsonBuilder) b = change_payload(item, actor, now);
  json_str(b, "old_location", item->location_path);
  json_str(b, "location", loc->path);
  json_str(b, "reason", reason);
  return record_change(store, actor, item, "item.move", "item.location", b, error);
}

gboolean
muster_items_move(MusterStore *store, const MusterUser *actor, gint64 item_id,
                  const char *location_path, const char *reason, GError **error)
{
  if (!muster_require_role(actor, MUSTER_ROLE_SUPERVISOR, "Moving an item", error))
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
  if (!update_location(store, actor, item, loc, why, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

static gboolean
marking_change(MusterStore *store, const MusterUser *actor, const MusterItem *item,
               const MusterMarking *m, gboolean added, const char *reason, GError **error)
{
  g_autofree char *now = muster_now_iso();
  g_autofree char *text = g_strdup_printf("%s:%s:%s", m->kind, m->component, m->value);
  if (!insert_event(store, item->id, now, "marking", added ? NULL : text,
                    added ? text : "retired", actor, reason, error))
    return FALSE;
  g_autoptr(JsonBuilder) b = change_payload(item, actor, now);
  json_str(b, "action", added ? "added" : "retired");
  json_str(b, "kind", m->kind);
  json_str(b, "component", m->component);
  json_str(b, "value", m->value);
  json_str(b, "reason", reason);
  return record_change(store, actor, item, added ? "marking.add" : "marking.retire",
                       "item.marking", b, error);
}

gboolean
muster_items_add_marking(MusterStore *store, const MusterUser *actor, gint64 item_id,
                         const char *kind, const char *component, const char *value,
                         GError **error)
{
  if (!muster_require_one_of(actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Adding a marking",
                             error))
    return FALSE;
  g_autoptr(MusterMarking) m = marking_new(kind, component, value);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  if (!check_marking(problems, m)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The %s was not added.",
                (char *)g_ptr_array_index(problems, 0));
    return FALSE;
  }
  g_autoptr(MusterItem) item = muster_items_get(store, item_id, error);
  if (item == NULL)
    return FALSE;
  for (guint i = 0; i < item->markings->len; i++) {
    MusterMarking *have = g_ptr_array_index(item->markings, i);
    if (!marking_same_tag(m, have))
      continue;
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
                "Item %s already %s %s:%s:%s; a retired marking is not added again.",
                item->uuid, have->retired_at != NULL ? "carried" : "carries", have->kind,
                have->component, have->value);
    return FALSE;
  }
  g_autofree char *now = muster_now_iso();
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!insert_marking(store, item->id, m, now, error) ||
      !marking_change(store, actor, item, m, TRUE, NULL, error) ||
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
    if (m->retired_at != NULL || !g_ptr_array_find_with_equal_func(forms, m->value,
                                                                   g_str_equal, NULL))
      continue;
    sqlite3_stmt *stmt = muster_store_stmt(
        store, "UPDATE marking SET retired_at = ? WHERE item_id = ? AND kind = ? AND "
               "component = ? AND value = ? AND retired_at IS NULL", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, item->id);
    sqlite3_bind_text(stmt, 3, m->kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, m->component, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 5, m->value, -1, SQLITE_TRANSIENT);
    if (!muster_store_step_done(store, stmt, "Retiring the marking", error) ||
        !marking_change(store, actor, item, m, FALSE, reason, error))
      return FALSE;
    (*retired)++;
  }
  return TRUE;
}

gboolean
muster_items_retire_marking(MusterStore *store, const MusterUser *actor, gint64 item_id,
                            const char *value, const char *reason, GError **error)
{
  if (!muster_require_one_of(actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Retiring a marking",
                             error))
    return FALSE;
  g_autofree char *why = required_reason(reason, "Retiring a marking", error);
  if (why == NULL)
    return FALSE;
  g_autoptr(MusterItem) item = muster_items_get(store, item_id, error);
  if (item == NULL)
    return FALSE;
  g_autoptr(GPtrArray) forms = lookup_forms(value);
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
                "its markings.", item->uuid, item->manufacturer, item->serial,
                value != NULL ? value : "");
    return FALSE;
  }
  if (!muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

/* ---- CSV import --------------------------------------------------------------------- */

/* Good rows wait here until there are enough for the bulk writer. */
#define IMPORT_PENDING (WRITE_BATCH * 4)

typedef struct {
  MusterStore *store;
  const MusterUser *actor;
  int column_of[N_COLUMNS]; /* field index of each column, -1 when absent */
  guint n_fields;
  GPtrArray *errors;        /* "line N: ..." */
  gboolean truncated;
  GHashTable *locations;    /* normalised path -> gint64* id */
  gint64 first_id;          /* the id of the first item of this import */
  GArray *lines;            /* guint: the CSV line of item first_id + i */
  GArray *pending;          /* NewItem: checked, not yet written */
  GHashTable *pending_keys; /* serial and tag keys of pending rows -> line */
  char *now;
} Import;

static void
import_clear(Import *imp)
{
  g_clear_pointer(&imp->errors, g_ptr_array_unref);
  g_clear_pointer(&imp->locations, g_hash_table_unref);
  g_clear_pointer(&imp->lines, g_array_unref);
  g_clear_pointer(&imp->pending, g_array_unref);
  g_clear_pointer(&imp->pending_keys, g_hash_table_unref);
  g_clear_pointer(&imp->now, g_free);
}

static gint64
import_count(Import *imp)
{
  return imp->lines->len;
}

static gboolean
import_full(Import *imp)
{
  return imp->errors->len >= IMPORT_MAX_ERRORS;
}

static void
import_error(Import *imp, guint line, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void
import_error(Import *imp, guint line, const char *fmt, ...)
{
  if (import_full(imp)) {
    imp->truncated = TRUE;
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (line > 0)
    g_ptr_array_add(imp->errors, g_strdup_printf("line %u: %s", line, msg));
  else
    g_ptr_array_add(imp->errors, g_steal_pointer(&msg));
}

/* The CSV line an item of this import came from; 0 for an item recorded before. */
static guint
line_of(Import *imp, gint64 id)
{
  if (id < imp->first_id || id - imp->first_id >= imp->lines->len)
    return 0;
  return g_array_index(imp->lines, guint, id - imp->first_id);
}

static gboolean
map_header(Import *imp, MusterCsvRecord *header)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    imp->column_of[c] = -1;
  imp->n_fields = header->fields->len;
  for (guint i = 0; i < header->fields->len; i++) {
    const char *name = g_ptr_array_index(header->fields, i);
    guint c = 0;
    while (c < N_COLUMNS && g_strcmp0(name, column_names[c]) != 0)
      c++;
    if (c == N_COLUMNS) {
      g_autofree char *shown = g_strescape(name, NULL);
      import_error(imp, header->line, "unknown column '%s' (the columns are manufacturer, "
                   "country_of_manufacture, serial, model, category, calibre, year, "
                   "import_country, import_year, state_marking, frame_material, status, "
                   "location, custodian, markings)", shown);
    } else if (imp->column_of[c] >= 0) {
      import_error(imp, header->line, "column '%s' appears twice", name);
    } else {
      imp->column_of[c] = (int)i;
    }
  }
  for (guint c = 0; c < N_COLUMNS; c++)
    if (column_required(c) && imp->column_of[c] < 0)
      import_error(imp, header->line, "the required column '%s' is missing", column_names[c]);
  return imp->errors->len == 0;
}

static char *
field_dup(Import *imp, MusterCsvRecord *rec, Column c)
{
  int i = imp->column_of[c];
  return i >= 0 ? g_strdup(g_ptr_array_index(rec->fields, i)) : NULL;
}

static int
parse_year(GPtrArray *problems, const char *column, const char *text)
{
  g_autofree char *t = g_strstrip(g_strdup(text != NULL ? text : ""));
  gint64 year = 0;
  if (*t == '\0')
    return 0;
  if (!g_ascii_string_to_signed(t, 10, G_MININT32, G_MAXINT32, &year, NULL)) {
    g_autofree char *shown = g_strescape(t, NULL);
    problem(problems, "%s '%s' is not a year; write it as four digits, or leave it empty",
            column, shown);
    return 0;
  }
  return check_year(problems, column, year, FALSE) ? (int)year : 0;
}

/* "kind:component:value;..." into unchecked markings; check_item() judges them. */
static void
parse_markings(GPtrArray *problems, const char *text, GPtrArray *markings)
{
  if (text == NULL)
    return;
  g_auto(GStrv) entries = g_strsplit(text, ";", -1);
  for (char **e = entries; *e != NULL; e++) {
    g_strstrip(*e);
    if (**e == '\0')
      continue;
    g_auto(GStrv) parts = g_strsplit(*e, ":", 3);
    if (g_strv_length(parts) < 3) {
      problem(problems, "marking '%s' must be kind:component:value, such as "
              "hf_uid:frame:04A1B2C3D4E5F6", *e);
      continue;
    }
    g_ptr_array_add(markings,
                    marking_new(g_strstrip(parts[0]), g_strstrip(parts[1]), parts[2]));
  }
}

static MusterItem *
item_from_record(Import *imp, MusterCsvRecord *rec, GPtrArray *problems)
{
  MusterItem *item = g_new0(MusterItem, 1);
  item->manufacturer = field_dup(imp, rec, COL_MANUFACTURER);
  item->country = field_dup(imp, rec, COL_COUNTRY);
  item->serial = field_dup(imp, rec, COL_SERIAL);
  item->model = field_dup(imp, rec, COL_MODEL);
  item->category = field_dup(imp, rec, COL_CATEGORY);
  item->calibre = field_dup(imp, rec, COL_CALIBRE);
  item->import_country = field_dup(imp, rec, COL_IMPORT_COUNTRY);
  item->state_marking = field_dup(imp, rec, COL_STATE_MARKING);
  item->frame_material = field_dup(imp, rec, COL_FRAME_MATERIAL);
  item->custodian = field_dup(imp, rec, COL_CUSTODIAN);
  g_autofree char *year = field_dup(imp, rec, COL_YEAR);
  g_autofree char *import_year = field_dup(imp, rec, COL_IMPORT_YEAR);
  g_autofree char *status = field_dup(imp, rec, COL_STATUS);
  g_autofree char *location = field_dup(imp, rec, COL_LOCATION);
  g_autofree char *markings = field_dup(imp, rec, COL_MARKINGS);
  item->year = parse_year(problems, "year", year);
  item->import_year = parse_year(problems, "import_year", import_year);
  g_autoptr(GError) error = NULL;
  if (status == NULL || *g_strstrip(status) == '\0')
    problem(problems, "status is required");
  else if (!muster_status_from_string(status, &item->status, &error))
    problem(problems, "%s", error->message);
  /* An empty cell is "no location"; "/" is the armoury itself. */
  if (location != NULL && *g_strstrip(location) != '\0')
    item->location_path = g_steal_pointer(&location);
  item->markings = markings_new();
  parse_markings(problems, markings, item->markings);
  return item;
}

static gboolean
record_is_blank(MusterCsvRecord *rec)
{
  for (guint i = 0; i < rec->fields->len; i++) {
    const char *f = g_ptr_array_index(rec->fields, i);
    for (const char *p = f; *p != '\0'; p++)
      if (!g_ascii_isspace(*p))
        return FALSE;
  }
  return TRUE;
}

/* Keys of the pending rows, which the database cannot see yet. */
static char *
serial_key(const MusterItem *item)
{
  return g_strconcat("s\x1f", item->manufacturer, "\x1f", item->serial, NULL);
}

static char *
tag_key(const MusterMarking *m)
{
  return g_strconcat("t\x1f", m->kind, "\x1f", m->value, NULL);
}

static gboolean
is_unique_tag(const MusterMarking *m)
{
  MusterMarkingKind kind;
  return muster_marking_kind_from_string(m->kind, &kind) && muster_marking_kind_is_unique(kind);
}

static gboolean
serial_conflict(Import *imp, const MusterItem *item, GPtrArray *problems, GError **error)
{
  g_autofree char *key = serial_key(item);
  guint line = GPOINTER_TO_UINT(g_hash_table_lookup(imp->pending_keys, key));
  gint64 other = 0;
  g_autofree char *other_uuid = NULL;
  if (line == 0) {
    if (!find_same_serial(imp->store, item->manufacturer, item->serial, &other, &other_uuid,
                          error))
      return FALSE;
    line = line_of(imp, other);
  }
  if (line > 0)
    problem(problems, "%s serial %s is already on line %u", item->manufacturer, item->serial,
            line);
  else if (other != 0)
    problem(problems, "%s serial %s is already recorded (item %s); remove the line or "
            "correct the serial", item->manufacturer, item->serial, other_uuid);
  return TRUE;
}

/* The line of an earlier row of this file that carries the same tag; 0 when none. */
static gboolean
tag_owner_line(Import *imp, const MusterMarking *m, guint *line, GError **error)
{
  g_autofree char *key = tag_key(m);
  *line = GPOINTER_TO_UINT(g_hash_table_lookup(imp->pending_keys, key));
  if (*line > 0)
    return TRUE;
  sqlite3_stmt *stmt = muster_store_stmt(
      imp->store, "SELECT item_id FROM marking WHERE value = ? AND kind = ? AND "
                  "item_id >= ? LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, m->value, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, m->kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 3, imp->first_id);
  int rc = sqlite3_step(stmt);
  gint64 owner = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return muster_store_fail(imp->store, rc, "Looking up a marking", error);
  *line = line_of(imp, owner);
  return TRUE;
}

/* Finds duplicates: the same manufacturer and serial recorded before or earlier in this
 * file, and a tag (UID, EPC, UII) already on another item of this file. */
static gboolean
check_conflicts(Import *imp, const MusterItem *item, GPtrArray *problems, GError **error)
{
  if (!serial_conflict(imp, item, problems, error))
    return FALSE;
  for (guint i = 0; i < item->markings->len; i++) {
    const MusterMarking *m = g_ptr_array_index(item->markings, i);
    guint line = 0;
    if (!is_unique_tag(m))
      continue;
    if (!tag_owner_line(imp, m, &line, error))
      return FALSE;
    if (line > 0)
      problem(problems, "%s %s is already on line %u; one tag can be on one item only",
              m->kind, m->value, line);
  }
  return TRUE;
}

static void
remember_keys(Import *imp, const MusterItem *item, guint line)
{
  g_hash_table_insert(imp->pending_keys, serial_key(item), GUINT_TO_POINTER(line));
  for (guint i = 0; i < item->markings->len; i++) {
    const MusterMarking *m = g_ptr_array_index(item->markings, i);
    if (is_unique_tag(m))
      g_hash_table_insert(imp->pending_keys, tag_key(m), GUINT_TO_POINTER(line));
  }
}

/* Writes the pending rows; from then on the database finds their duplicates. */
static gboolean
import_flush(Import *imp, GError **error)
{
  if (imp->pending->len == 0)
    return TRUE;
  if (!write_new_items(imp->store, imp->actor, imp->pending, imp->now, error))
    return FALSE;
  g_array_set_size(imp->pending, 0);
  g_hash_table_remove_all(imp->pending_keys);
  return TRUE;
}

static gboolean
import_location(Import *imp, const char *path, gint64 *id, GError **error)
{
  *id = 0;
  if (path == NULL)
    return TRUE;
  gint64 *cached = g_hash_table_lookup(imp->locations, path);
  if (cached != NULL) {
    *id = *cached;
    return TRUE;
  }
  if (!muster_locations_ensure(imp->store, imp->actor, path, id, error))
    return FALSE;
  g_hash_table_insert(imp->locations, g_strdup(path), g_memdup2(id, sizeof *id));
  return TRUE;
}

/* Checks one record and inserts it when it is good. FALSE only when the database
 * fails; problems with the data go to imp->errors. */
static gboolean
import_record(Import *imp, MusterCsvRecord *rec, GError **error)
{
  if (rec->problem != NULL) {
    import_error(imp, 0, "%s", rec->problem);
    return TRUE;
  }
  if (record_is_blank(rec))
    return TRUE;
  if (rec->fields->len != imp->n_fields) {
    import_error(imp, rec->line, "%u fields, but the header has %u columns; quote fields "
                 "that contain commas", rec->fields->len, imp->n_fields);
    return TRUE;
  }
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(MusterItem) item = item_from_record(imp, rec, problems);
  check_item(problems, item);
  if (problems->len == 0 && !check_conflicts(imp, item, problems, error))
    return FALSE;
  for (guint i = 0; i < problems->len; i++)
    import_error(imp, rec->line, "%s", (char *)g_ptr_array_index(problems, i));
  if (problems->len > 0)
    return TRUE;
  gint64 location_id = 0;
  if (!import_location(imp, item->location_path, &location_id, error))
    return FALSE;
  remember_keys(imp, item, rec->line);
  g_array_set_size(imp->pending, imp->pending->len + 1);
  new_item_init(&g_array_index(imp->pending, NewItem, imp->pending->len - 1),
                g_steal_pointer(&item), imp->first_id + import_count(imp), location_id, imp->now,
                g_strdup_printf("imported from CSV line %u", rec->line));
  g_array_append_val(imp->lines, rec->line);
  return imp->pending->len < IMPORT_PENDING || import_flush(imp, error);
}

static gint64
scalar(MusterStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return -1;
  int rc = sqlite3_step(stmt);
  gint64 v = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    muster_store_fail(store, rc, "Reading the records", error);
  return v;
}

/* Reads every record after the header; FALSE only when the database fails. An
 * unterminated quote ends the reading with a line error. */
static gboolean
import_records(Import *imp, MusterCsvReader *reader, GError **error)
{
  g_autoptr(MusterCsvRecord) rec = muster_csv_record_new();
  while (!import_full(imp)) {
    g_autoptr(GError) fatal = NULL;
    if (!muster_csv_reader_next(reader, rec, &fatal)) {
      if (fatal != NULL)
        import_error(imp, 0, "%s", fatal->message);
      break;
    }
    if (!import_record(imp, rec, error))
      return FALSE;
  }
  if (import_full(imp) && reader->pos < reader->len)
    imp->truncated = TRUE;
  return TRUE;
}

static char *
sha256_hex(const char *data, gsize len)
{
  guint8 digest[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  crypto_hash_sha256(digest, (const guint8 *)(data != NULL ? data : ""), len);
  return g_strdup(sodium_bin2hex(hex, sizeof hex, digest, sizeof digest));
}

static gboolean
audit_import(Import *imp, const char *sha256, gsize len, gint64 locations_created,
             GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "count");
  json_builder_add_int_value(b, import_count(imp));
  json_str(b, "sha256", sha256);
  json_builder_set_member_name(b, "bytes");
  json_builder_add_int_value(b, (gint64)len);
  json_builder_set_member_name(b, "locations_created");
  json_builder_add_int_value(b, locations_created);
  g_autofree char *detail = json_finish_string(b);
  return muster_audit_append(imp->store, imp->actor->name, "items.import", sha256, detail,
                             error);
}

/* The body of the import transaction. FALSE with error when the database fails, FALSE
 * without error when the data has problems (they are in imp->errors). */
static gboolean
import_in_transaction(Import *imp, MusterCsvReader *reader, const char *data, gsize len,
                      MusterImportResult *result, GError **error)
{
  gint64 locations_before = scalar(imp->store, "SELECT count(*) FROM location", error);
  if (locations_before < 0 || !next_item_id(imp->store, &imp->first_id, error))
    return FALSE;
  if (!import_records(imp, reader, error) || imp->errors->len > 0 || !import_flush(imp, error))
    return FALSE;
  gint64 locations_after = scalar(imp->store, "SELECT count(*) FROM location", error);
  if (locations_after < 0)
    return FALSE;
  g_autofree char *sha256 = sha256_hex(data, len);
  if (!audit_import(imp, sha256, len, locations_after - locations_before, error))
    return FALSE;
  if (result != NULL) {
    result->imported = import_count(imp);
    result->locations_created = locations_after - locations_before;
  }
  return TRUE;
}

static gboolean
import_failed(Import *imp, GError **error)
{
  guint n = imp->errors->len;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "Nothing was imported: the CSV has %s%u problem%s (the first: %s). Fix them "
              "and import the whole file again.", imp->truncated ? "more than " : "", n,
              n == 1 && !imp->truncated ? "" : "s", (char *)g_ptr_array_index(imp->errors, 0));
  return FALSE;
}

/* One transaction for the whole file: committed only when every line is good. */
static gboolean
import_run(Import *imp, MusterCsvReader *reader, const char *data, gsize len,
           MusterImportResult *result, GError **error)
{
  if (!muster_store_begin(imp->store, error))
    return FALSE;
  if (!import_in_transaction(imp, reader, data, len, result, error) ||
      !muster_store_commit(imp->store, error)) {
    muster_store_rollback(imp->store);
    return FALSE;
  }
  return TRUE;
}

/* Reads and maps the header; FALSE (with imp->errors) when the file cannot be read. */
static gboolean
import_header(Import *imp, MusterCsvReader *reader)
{
  g_autoptr(MusterCsvRecord) header = muster_csv_record_new();
  g_autoptr(GError) fatal = NULL;
  if (!muster_csv_reader_next(reader, header, &fatal)) {
    if (fatal != NULL)
      import_error(imp, 0, "%s", fatal->message);
    else
      import_error(imp, 1, "the file is empty; the first line must be the header "
                   "(manufacturer,country_of_manufacture,serial,model,category,status,...)");
    return FALSE;
  }
  if (header->problem != NULL) {
    import_error(imp, 0, "%s", header->problem);
    return FALSE;
  }
  return map_header(imp, header);
}

gboolean
muster_items_import_csv(MusterStore *store, const MusterUser *actor, const char *data,
                        gsize len, MusterImportResult *result, GPtrArray **errors,
                        GError **error)
{
  if (result != NULL)
    memset(result, 0, sizeof *result);
  if (errors != NULL)
    *errors = NULL;
  if (!muster_require_one_of(actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN),
                             "Importing weapon records", error))
    return FALSE;
  Import imp = {
      .store = store,
      .actor = actor,
      .errors = g_ptr_array_new_with_free_func(g_free),
      .locations = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
      .lines = g_array_new(FALSE, FALSE, sizeof(guint)),
      .pending = new_items_array(),
      .pending_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
      .now = muster_now_iso(),
  };
  MusterCsvReader reader;
  muster_csv_reader_init(&reader, data, len);
  GError *local = NULL;
  gboolean ok = import_header(&imp, &reader) &&
                import_run(&imp, &reader, data, len, result, &local);
  muster_csv_reader_clear(&reader);
  if (local != NULL)
    g_propagate_error(error, local);
  else if (!ok)
    import_failed(&imp, error);
  if (!ok && result != NULL)
    memset(result, 0, sizeof *result);
  if (errors != NULL)
    *errors = g_ptr_array_ref(imp.errors);
  import_clear(&imp);
  return ok;
}

/* ---- CSV export --------------------------------------------------------------------- */

/* The markings column of one item: every marking in use except the engraved serial on
 * the frame, which the import adds from the serial column by itself. */
static void
append_markings(GString *cell, sqlite3_stmt *markings, int *rc, gint64 item_id,
                const char *serial)
{
  gboolean serial_skipped = FALSE;
  while (*rc == SQLITE_ROW && sqlite3_column_int64(markings, 0) < item_id)
    *rc = sqlite3_step(markings);
  for (; *rc == SQLITE_ROW && sqlite3_column_int64(markings, 0) == item_id;
       *rc = sqlite3_step(markings)) {
    const char *kind = (const char *)sqlite3_column_text(markings, 1);
    const char *component = (const char *)sqlite3_column_text(markings, 2);
    const char *value = (const char *)sqlite3_column_text(markings, 3);
    if (!serial_skipped && g_str_equal(kind, "engraved_serial") &&
        g_str_equal(component, "frame") && g_strcmp0(value, serial) == 0) {
      serial_skipped = TRUE;
      continue;
    }
    g_string_append_printf(cell, "%s%s:%s:%s", cell->len > 0 ? ";" : "", kind, component,
                           value);
  }
}

static void
append_year(GString *out, sqlite3_stmt *stmt, int col)
{
  g_autofree char *year = sqlite3_column_type(stmt, col) == SQLITE_NULL
                              ? NULL
                              : g_strdup_printf("%d", sqlite3_column_int(stmt, col));
  muster_csv_append_field(out, year, FALSE);
}

static void
append_item_row(GString *out, sqlite3_stmt *items, GString *markings_cell)
{
  /* items: id, then the columns in export order (location as its path). */
  for (int c = 0; c < COL_MARKINGS; c++) {
    int col = c + 1;
    if (c == COL_YEAR || c == COL_IMPORT_YEAR) {
      append_year(out, items, col);
    } else if (c == COL_LOCATION && sqlite3_column_type(items, col) != SQLITE_NULL &&
               sqlite3_column_bytes(items, col) == 0) {
      muster_csv_append_field(out, "/", FALSE);
    } else {
      muster_csv_append_field(out, (const char *)sqlite3_column_text(items, col), FALSE);
    }
  }
  muster_csv_append_field(out, markings_cell->str, TRUE);
}

gboolean
muster_items_export_csv(MusterStore *store, GString *out, GError **error)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    muster_csv_append_field(out, column_names[c], c + 1 == N_COLUMNS);
  sqlite3_stmt *items = muster_store_stmt(
      store,
      "SELECT i.id, i.manufacturer, i.country_of_manufacture, i.serial, i.model, i.category, "
      "i.calibre, i.year, i.import_country, i.import_year, i.state_marking, "
      "i.frame_material, i.status, l.path, i.custodian FROM item i "
      "LEFT JOIN location l ON l.id = i.location_id ORDER BY i.id", error);
  if (items == NULL)
    return FALSE;
  sqlite3_stmt *markings = muster_store_stmt(
      store, "SELECT item_id, kind, component, value FROM marking WHERE retired_at IS NULL "
             "ORDER BY item_id, id", error);
  if (markings == NULL)
    return FALSE;
  g_autoptr(GString) cell = g_string_new(NULL);
  int mrc = sqlite3_step(markings);
  int rc;
  while ((rc = sqlite3_step(items)) == SQLITE_ROW) {
    g_string_truncate(cell, 0);
    append_markings(cell, markings, &mrc, sqlite3_column_int64(items, 0),
                    (const char *)sqlite3_column_text(items, 3));
    append_item_row(out, items, cell);
  }
  sqlite3_reset(items);
  sqlite3_reset(markings);
  if (rc != SQLITE_DONE || (mrc != SQLITE_DONE && mrc != SQLITE_ROW))
    return muster_store_fail(store, rc != SQLITE_DONE ? rc : mrc, "Exporting the items", error);
  return TRUE;
}
