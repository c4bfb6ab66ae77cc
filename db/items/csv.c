/*
 * csv.c: weapon records as CSV: import (all or nothing) and export.
 *
 * The columns are the item's fields (ItemField, items-private.h), so export then import
 * round-trips, and each cell is judged by check.c exactly as a single add or a
 * correction would judge it. Problems are collected with their line numbers rather
 * than stopping at the first: an administrator fixing a spreadsheet wants the whole
 * list at once.
 *
 * The import streams the CSV (MusterCsvReader) inside one transaction. Good rows are
 * written in batches (write.c: multi-row INSERTs with ids chosen up front) while
 * the rest of the file is still being checked. Writing before knowing whether the whole
 * file is good is deliberate: the database's indexes then find duplicates within the
 * file and against earlier records, with no second in-memory copy of a million rows
 * (only the rows of the current batch are kept in a small hash table). Any problem
 * rolls the whole transaction back, so a bad file leaves no trace, not even in the
 * audit log.
 */
#include "db/audit.h"
#include "core/csv.h"
#include "db/items/items-private.h"
#include "db/locations.h"
#include "db/store-private.h"
#include "marking/marking.h"

#include <sodium.h>
#include <string.h>

#define IMPORT_MAX_ERRORS 1000

static gboolean
column_required(ItemField c)
{
  return c == ITEM_FIELD_MANUFACTURER || c == ITEM_FIELD_COUNTRY || c == ITEM_FIELD_SERIAL ||
         c == ITEM_FIELD_MODEL || c == ITEM_FIELD_CATEGORY || c == ITEM_FIELD_STATUS;
}

/* ---- CSV import --------------------------------------------------------------------- */

/* Good rows wait here until there are enough for the bulk writer. */
#define IMPORT_PENDING (ITEM_WRITE_BATCH * 4)

typedef struct {
  MusterStore *store;
  const MusterUser *actor;
  int column_of[ITEM_N_FIELDS]; /* field index of each column, -1 when absent */
  guint n_fields;
  GPtrArray *errors; /* "line N: ..." */
  gboolean truncated;
  GHashTable *locations;    /* normalised path -> gint64* id */
  gint64 first_id;          /* the id of the first item of this import */
  GArray *lines;            /* guint: the CSV line of item first_id + i */
  GArray *pending;          /* ItemNew: checked, not yet written */
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

static void import_error(Import *imp, guint line, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
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
  for (guint c = 0; c < ITEM_N_FIELDS; c++)
    imp->column_of[c] = -1;
  imp->n_fields = header->fields->len;
  for (guint i = 0; i < header->fields->len; i++) {
    const char *name = g_ptr_array_index(header->fields, i);
    guint c = 0;
    while (c < ITEM_N_FIELDS && g_strcmp0(name, item_field_names[c]) != 0)
      c++;
    if (c == ITEM_N_FIELDS) {
      g_autofree char *shown = g_strescape(name, NULL);
      import_error(imp, header->line,
                   "unknown column '%s' (the columns are manufacturer, "
                   "country_of_manufacture, serial, model, category, calibre, year, "
                   "import_country, import_year, state_marking, frame_material, status, "
                   "location, custodian, markings)",
                   shown);
    } else if (imp->column_of[c] >= 0) {
      import_error(imp, header->line, "column '%s' appears twice", name);
    } else {
      imp->column_of[c] = (int)i;
    }
  }
  for (guint c = 0; c < ITEM_N_FIELDS; c++)
    if (column_required(c) && imp->column_of[c] < 0)
      import_error(imp, header->line, "the required column '%s' is missing", item_field_names[c]);
  return imp->errors->len == 0;
}

static char *
field_dup(Import *imp, MusterCsvRecord *rec, ItemField c)
{
  int i = imp->column_of[c];
  return i >= 0 ? g_strdup(g_ptr_array_index(rec->fields, i)) : NULL;
}

/* "kind:component:value;..." into unchecked markings; item_check() judges them. */
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
      item_problem(problems,
                   "marking '%s' must be kind:component:value, such as "
                   "hf_uid:frame:04A1B2C3D4E5F6",
                   *e);
      continue;
    }
    g_ptr_array_add(markings,
                    item_marking_new(g_strstrip(parts[0]), g_strstrip(parts[1]), parts[2]));
  }
}

static MusterItem *
item_from_record(Import *imp, MusterCsvRecord *rec, GPtrArray *problems)
{
  MusterItem *item = g_new0(MusterItem, 1);
  item->manufacturer = field_dup(imp, rec, ITEM_FIELD_MANUFACTURER);
  item->country = field_dup(imp, rec, ITEM_FIELD_COUNTRY);
  item->serial = field_dup(imp, rec, ITEM_FIELD_SERIAL);
  item->model = field_dup(imp, rec, ITEM_FIELD_MODEL);
  item->category = field_dup(imp, rec, ITEM_FIELD_CATEGORY);
  item->calibre = field_dup(imp, rec, ITEM_FIELD_CALIBRE);
  item->import_country = field_dup(imp, rec, ITEM_FIELD_IMPORT_COUNTRY);
  item->state_marking = field_dup(imp, rec, ITEM_FIELD_STATE_MARKING);
  item->frame_material = field_dup(imp, rec, ITEM_FIELD_FRAME_MATERIAL);
  item->custodian = field_dup(imp, rec, ITEM_FIELD_CUSTODIAN);
  g_autofree char *year = field_dup(imp, rec, ITEM_FIELD_YEAR);
  g_autofree char *import_year = field_dup(imp, rec, ITEM_FIELD_IMPORT_YEAR);
  g_autofree char *status = field_dup(imp, rec, ITEM_FIELD_STATUS);
  g_autofree char *location = field_dup(imp, rec, ITEM_FIELD_LOCATION);
  g_autofree char *markings = field_dup(imp, rec, ITEM_FIELD_MARKINGS);
  item->year = item_parse_year(problems, "year", year);
  item->import_year = item_parse_year(problems, "import_year", import_year);
  g_autoptr(GError) error = NULL;
  if (status == NULL || *g_strstrip(status) == '\0')
    item_problem(problems, "status is required");
  else if (!muster_status_from_string(status, &item->status, &error))
    item_problem(problems, "%s", error->message);
  /* An empty cell is "no location"; "/" is the armoury itself. */
  if (location != NULL && *g_strstrip(location) != '\0')
    item->location_path = g_steal_pointer(&location);
  item->markings = item_markings_new();
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

/* Keys of the pending rows, which the database cannot see yet. The serial's key is the
 * checked item's engraved_serial frame marking, which item_check() put first. */
static char *
serial_key(const MusterItem *item)
{
  const MusterMarking *serial = g_ptr_array_index(item->markings, 0);
  return g_strconcat("s\x1f", item->manufacturer, "\x1f", serial->value, NULL);
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
    if (!item_find_same_serial(imp->store, item->manufacturer, item->serial, &other, &other_uuid,
                               error))
      return FALSE;
    line = line_of(imp, other);
  }
  if (line > 0)
    item_problem(problems, "%s serial %s is already on line %u", item->manufacturer, item->serial,
                 line);
  else if (other != 0)
    item_problem(problems,
                 "%s serial %s is already recorded (item %s); remove the line or "
                 "correct the serial",
                 item->manufacturer, item->serial, other_uuid);
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
  sqlite3_stmt *stmt =
      muster_store_stmt(imp->store,
                        "SELECT item_id FROM marking WHERE value = ? AND kind = ? AND "
                        "item_id >= ? LIMIT 1",
                        error);
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
      item_problem(problems, "%s %s is already on line %u; one tag can be on one item only",
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
  if (!item_write_new(imp->store, imp->actor, imp->pending, imp->now, error))
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
    import_error(imp, rec->line,
                 "%u fields, but the header has %u columns; quote fields "
                 "that contain commas",
                 rec->fields->len, imp->n_fields);
    return TRUE;
  }
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(MusterItem) item = item_from_record(imp, rec, problems);
  item_check(problems, item);
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
  item_new_init(&g_array_index(imp->pending, ItemNew, imp->pending->len - 1),
                g_steal_pointer(&item), imp->first_id + import_count(imp), location_id, imp->now,
                g_strdup_printf("imported from CSV line %u", rec->line));
  g_array_append_val(imp->lines, rec->line);
  return imp->pending->len < IMPORT_PENDING || import_flush(imp, error);
}

static gint64
scalar(MusterStore *store, const char *sql, GError **error)
{
  return muster_store_query_int(store, sql, "Reading the records", error);
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
audit_import(Import *imp, const char *sha256, gsize len, gint64 locations_created, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "count");
  json_builder_add_int_value(b, import_count(imp));
  muster_json_add_str(b, "sha256", sha256);
  json_builder_set_member_name(b, "bytes");
  json_builder_add_int_value(b, (gint64)len);
  json_builder_set_member_name(b, "locations_created");
  json_builder_add_int_value(b, locations_created);
  g_autofree char *detail = item_json_finish_string(b);
  return muster_audit_append(imp->store, imp->actor->name, "items.import", sha256, detail, error);
}

/* The body of the import transaction. FALSE with error when the database fails, FALSE
 * without error when the data has problems (they are in imp->errors). */
static gboolean
import_in_transaction(Import *imp, MusterCsvReader *reader, const char *data, gsize len,
                      MusterImportResult *result, GError **error)
{
  gint64 locations_before = scalar(imp->store, "SELECT count(*) FROM location", error);
  if (locations_before < 0 || !item_next_id(imp->store, &imp->first_id, error))
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
              "and import the whole file again.",
              imp->truncated ? "more than " : "", n, n == 1 && !imp->truncated ? "" : "s",
              (char *)g_ptr_array_index(imp->errors, 0));
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
      import_error(imp, 1,
                   "the file is empty; the first line must be the header "
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
muster_items_import_csv(MusterStore *store, const MusterUser *actor, const char *data, gsize len,
                        MusterImportResult *result, GPtrArray **errors, GError **error)
{
  if (result != NULL)
    memset(result, 0, sizeof *result);
  if (errors != NULL)
    *errors = NULL;
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Importing weapon records",
                             error))
    return FALSE;
  Import imp = {
      .store = store,
      .actor = actor,
      .errors = g_ptr_array_new_with_free_func(g_free),
      .locations = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
      .lines = g_array_new(FALSE, FALSE, sizeof(guint)),
      .pending = item_new_array(),
      .pending_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
      .now = muster_now_iso(),
  };
  MusterCsvReader reader;
  muster_csv_reader_init(&reader, data, len);
  GError *local = NULL;
  gboolean ok =
      import_header(&imp, &reader) && import_run(&imp, &reader, data, len, result, &local);
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
append_markings(GString *cell, sqlite3_stmt *markings, int *rc, gint64 item_id, const char *serial)
{
  g_autofree char *serial_key = item_serial_key(serial);
  gboolean serial_skipped = FALSE;
  while (*rc == SQLITE_ROW && sqlite3_column_int64(markings, 0) < item_id)
    *rc = sqlite3_step(markings);
  for (; *rc == SQLITE_ROW && sqlite3_column_int64(markings, 0) == item_id;
       *rc = sqlite3_step(markings)) {
    const char *kind = (const char *)sqlite3_column_text(markings, 1);
    const char *component = (const char *)sqlite3_column_text(markings, 2);
    const char *value = (const char *)sqlite3_column_text(markings, 3);
    if (!serial_skipped && g_str_equal(kind, "engraved_serial") &&
        g_str_equal(component, "frame") && g_strcmp0(value, serial_key) == 0) {
      serial_skipped = TRUE;
      continue;
    }
    g_string_append_printf(cell, "%s%s:%s:%s", cell->len > 0 ? ";" : "", kind, component, value);
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
  for (int c = 0; c < ITEM_FIELD_MARKINGS; c++) {
    int col = c + 1;
    if (c == ITEM_FIELD_YEAR || c == ITEM_FIELD_IMPORT_YEAR) {
      append_year(out, items, col);
    } else if (c == ITEM_FIELD_LOCATION && sqlite3_column_type(items, col) != SQLITE_NULL &&
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
  for (guint c = 0; c < ITEM_N_FIELDS; c++)
    muster_csv_append_field(out, item_field_names[c], c + 1 == ITEM_N_FIELDS);
  sqlite3_stmt *items = muster_store_stmt(
      store,
      "SELECT i.id, i.manufacturer, i.country_of_manufacture, i.serial, i.model, i.category, "
      "i.calibre, i.year, i.import_country, i.import_year, i.state_marking, "
      "i.frame_material, i.status, l.path, i.custodian FROM item i "
      "LEFT JOIN location l ON l.id = i.location_id ORDER BY i.id",
      error);
  if (items == NULL)
    return FALSE;
  sqlite3_stmt *markings = muster_store_stmt(
      store,
      "SELECT item_id, kind, component, value FROM marking WHERE retired_at IS NULL "
      "ORDER BY item_id, id",
      error);
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
