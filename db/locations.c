/*
 * locations.c: the armoury -> room -> rack -> slot tree.
 *
 * A location is addressed by its normalised path, which is unique in the table, so a
 * lookup is one index probe and the tree needs no recursive queries: "within scope" is
 * a prefix test on paths. The kind follows from the depth alone, which keeps a CSV
 * import from having to say what "R1/A" is. Creating a location is audited (one entry
 * per location, naming who created it); locations are never renamed or deleted, since
 * counts and item history point at them.
 */
#include "db/locations.h"
#include "db/audit.h"
#include "db/rows-private.h"
#include "db/store-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define LOCATION_COLUMNS "id, uuid, kind, path, name, coalesce(parent_id, 0)"
#define SEGMENT_MAX_BYTES 64
#define MAX_DEPTH 3

static const char *const kind_by_depth[MAX_DEPTH + 1] = {"armoury", "room", "rack", "slot"};

void
muster_location_free(MusterLocation *loc)
{
  if (loc == NULL)
    return;
  g_free(loc->uuid);
  g_free(loc->kind);
  g_free(loc->path);
  g_free(loc->name);
  g_free(loc);
}

static gboolean
path_error(GError **error, const char *path, const char *problem)
{
  g_autofree char *shown = g_strescape(path, NULL);
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "Location '%s' %s. Write a path like R1, R1/A or R1/A/03 (room/rack/slot).",
              shown, problem);
  return FALSE;
}

static gboolean
check_path_text(const char *path, GError **error)
{
  if (!g_utf8_validate(path, -1, NULL))
    return path_error(error, path, "is not valid UTF-8 text");
  for (const char *p = path; *p != '\0'; p = g_utf8_next_char(p))
    if (g_unichar_iscntrl(g_utf8_get_char(p)))
      return path_error(error, path, "contains a control character");
  if (strstr(path, "//") != NULL)
    return path_error(error, path, "has a doubled '/'");
  return TRUE;
}

char *
muster_location_normalise_path(const char *path, GError **error)
{
  if (path == NULL)
    return g_strdup("");
  if (!check_path_text(path, error))
    return NULL;
  g_autofree char *trimmed = g_strstrip(g_strdup(path));
  const char *body = trimmed;
  gsize n = strlen(body);
  if (n > 0 && body[0] == '/') {
    body++;
    n--;
  }
  if (n > 0 && body[n - 1] == '/')
    n--;
  if (n == 0)
    return g_strdup("");
  g_autofree char *inner = g_strndup(body, n);
  g_auto(GStrv) parts = g_strsplit(inner, "/", -1);
  if (g_strv_length(parts) > MAX_DEPTH) {
    path_error(error, path, "has more than three levels");
    return NULL;
  }
  for (char **p = parts; *p != NULL; p++) {
    g_strstrip(*p);
    if (**p == '\0') {
      path_error(error, path, "has an empty level");
      return NULL;
    }
    if (strlen(*p) > SEGMENT_MAX_BYTES) {
      path_error(error, path, "has a level longer than 64 bytes");
      return NULL;
    }
  }
  return g_strjoinv("/", parts);
}

/* A MusterLocation (a MusterRowNew). */
static gpointer
location_from_row(sqlite3_stmt *stmt)
{
  MusterLocation *loc = g_new0(MusterLocation, 1);
  loc->id = sqlite3_column_int64(stmt, 0);
  loc->uuid = muster_column_dup(stmt, 1);
  loc->kind = muster_column_dup(stmt, 2);
  loc->path = muster_column_dup(stmt, 3);
  loc->name = muster_column_dup(stmt, 4);
  loc->parent_id = sqlite3_column_int64(stmt, 5);
  return loc;
}

/* One location by path (text != NULL) or id; *loc stays NULL when there is none. */
static gboolean
select_one(MusterStore *store, const char *sql, const char *text, gint64 id,
           MusterLocation **loc, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  *loc = rc == SQLITE_ROW ? location_from_row(stmt) : NULL;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading locations", error);
  return TRUE;
}

static gboolean
lookup_path(MusterStore *store, const char *path, MusterLocation **loc, GError **error)
{
  return select_one(store, "SELECT " LOCATION_COLUMNS " FROM location WHERE path = ?", path,
                    0, loc, error);
}

MusterLocation *
muster_locations_get(MusterStore *store, const char *path, GError **error)
{
  g_autofree char *norm = muster_location_normalise_path(path, error);
  MusterLocation *loc = NULL;
  if (norm == NULL || !lookup_path(store, norm, &loc, error))
    return NULL;
  if (loc == NULL)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "No location '%s'. Add it with 'muster location add %s'.", norm, norm);
  return loc;
}

MusterLocation *
muster_locations_get_by_id(MusterStore *store, gint64 id, GError **error)
{
  MusterLocation *loc = NULL;
  if (!select_one(store, "SELECT " LOCATION_COLUMNS " FROM location WHERE id = ?", NULL, id,
                  &loc, error))
    return NULL;
  if (loc == NULL)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "No location with id %" G_GINT64_FORMAT ".", id);
  return loc;
}

static char *
location_detail(const char *path, const char *kind, const char *name)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "path");
  json_builder_add_string_value(b, path);
  json_builder_set_member_name(b, "kind");
  json_builder_add_string_value(b, kind);
  if (name != NULL) {
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, name);
  }
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  return json_to_string(root, FALSE);
}

static gboolean
insert_location(MusterStore *store, const MusterUser *actor, gint64 parent_id, guint depth,
                const char *code, const char *path, const char *name, gint64 *id,
                GError **error)
{
  g_autofree char *uuid = muster_uuid_new();
  g_autofree char *now = muster_now_iso();
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "INSERT INTO location (uuid, parent_id, kind, code, path, name, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, parent_id);
  sqlite3_bind_text(stmt, 3, kind_by_depth[depth], -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 4, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 5, path, -1, SQLITE_TRANSIENT);
  muster_bind_text_or_null(stmt, 6, name);
  sqlite3_bind_text(stmt, 7, now, -1, SQLITE_TRANSIENT);
  if (!muster_store_step_done(store, stmt, "Adding a location", error))
    return FALSE;
  *id = sqlite3_last_insert_rowid(muster_store_db(store));
  g_autofree char *detail = location_detail(path, kind_by_depth[depth], name);
  return muster_audit_append(store, actor != NULL ? actor->name : NULL, "location.add", uuid,
                             detail, error);
}

/* Creates each missing level of norm (already normalised, not ""). */
static gboolean
create_path(MusterStore *store, const MusterUser *actor, const char *norm,
            const char *leaf_name, gint64 *id, GError **error)
{
  g_autoptr(MusterLocation) root = NULL;
  if (!lookup_path(store, "", &root, error))
    return FALSE;
  if (root == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_CORRUPT,
                "The armoury's own location is missing from %s; restore the database "
                "from a backup.", muster_store_path(store));
    return FALSE;
  }
  gint64 parent = root->id;
  g_auto(GStrv) parts = g_strsplit(norm, "/", -1);
  g_autoptr(GString) prefix = g_string_new(NULL);
  for (guint depth = 1; parts[depth - 1] != NULL; depth++) {
    if (depth > 1)
      g_string_append_c(prefix, '/');
    g_string_append(prefix, parts[depth - 1]);
    g_autoptr(MusterLocation) loc = NULL;
    if (!lookup_path(store, prefix->str, &loc, error))
      return FALSE;
    if (loc != NULL) {
      parent = loc->id;
      continue;
    }
    const char *name = parts[depth] == NULL ? leaf_name : NULL;
    if (!insert_location(store, actor, parent, depth, parts[depth - 1], prefix->str, name,
                         &parent, error))
      return FALSE;
  }
  *id = parent;
  return TRUE;
}

gboolean
muster_locations_ensure(MusterStore *store, const MusterUser *actor, const char *path,
                        gint64 *id, GError **error)
{
  g_return_val_if_fail(muster_store_in_transaction(store), FALSE);
  g_autofree char *norm = muster_location_normalise_path(path, error);
  if (norm == NULL)
    return FALSE;
  g_autoptr(MusterLocation) loc = NULL;
  if (!lookup_path(store, norm, &loc, error))
    return FALSE;
  if (loc != NULL) {
    *id = loc->id;
    return TRUE;
  }
  return create_path(store, actor, norm, NULL, id, error);
}

static gboolean
check_name(const char *name, GError **error)
{
  if (name == NULL)
    return TRUE;
  gboolean ok = g_utf8_validate(name, -1, NULL) && strlen(name) <= 256;
  for (const char *p = name; ok && *p != '\0'; p = g_utf8_next_char(p))
    ok = !g_unichar_iscntrl(g_utf8_get_char(p));
  if (!ok)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "A location name must be one line of UTF-8 text, at most 256 bytes.");
  return ok;
}

static gboolean
add_in_transaction(MusterStore *store, const MusterUser *actor, const char *norm,
                   const char *label, gint64 *id, GError **error)
{
  g_autoptr(MusterLocation) existing = NULL;
  if (!lookup_path(store, norm, &existing, error))
    return FALSE;
  if (existing != NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS, "Location '%s' already exists.", norm);
    return FALSE;
  }
  return create_path(store, actor, norm, label, id, error);
}

MusterLocation *
muster_locations_add(MusterStore *store, const MusterUser *actor, const char *path,
                     const char *name, GError **error)
{
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Adding a location",
                             error))
    return NULL;
  g_autofree char *norm = muster_location_normalise_path(path, error);
  if (norm == NULL || !check_name(name, error))
    return NULL;
  if (*norm == '\0') {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
                "The armoury itself always exists; give a room, rack or slot such as R1/A/03.");
    return NULL;
  }
  g_autofree char *label = name != NULL ? g_strstrip(g_strdup(name)) : NULL;
  if (label != NULL && *label == '\0')
    g_clear_pointer(&label, g_free);
  gint64 id = 0;
  if (!muster_store_begin(store, error))
    return NULL;
  if (!add_in_transaction(store, actor, norm, label, &id, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return NULL;
  }
  return muster_locations_get_by_id(store, id, error);
}

GPtrArray *
muster_locations_list(MusterStore *store, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT " LOCATION_COLUMNS " FROM location ORDER BY path", error);
  if (stmt == NULL)
    return NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)muster_location_free);
  if (!muster_rows_collect(store, stmt, location_from_row, out, "Listing locations", error))
    return NULL;
  return g_steal_pointer(&out);
}

gboolean
muster_location_path_within(const char *path, const char *scope)
{
  if (scope == NULL || *scope == '\0')
    return TRUE;
  if (path == NULL)
    return FALSE;
  gsize n = strlen(scope);
  return strncmp(path, scope, n) == 0 && (path[n] == '\0' || path[n] == '/');
}
