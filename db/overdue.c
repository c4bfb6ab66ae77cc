/*
 * overdue.c: racks and weapons not counted within the policy. See overdue.h.
 *
 * Both lists come from one query each. A rack's last count is the newest counted count
 * whose scope covers it (its own path, an ancestor, or the whole armoury); an item's is
 * the newest counted count that found it (index count_find_item).
 */
#include "db/overdue.h"
#include "db/store-private.h"

#include "db/rows-private.h"

void
muster_overdue_free(MusterOverdue *o)
{
  if (o == NULL)
    return;
  g_free(o->kind);
  g_free(o->uuid);
  g_free(o->label);
  g_free(o->location_path);
  g_free(o->last_counted_at);
  g_free(o);
}

#define COUNTED "c.state IN ('reconciled', 'signed_off')"

static const char sql_racks[] =
    "WITH cut(at) AS (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', :now, '-' || :days || ' days')),"
    " racks AS (SELECT l.uuid, l.path, l.created_at, (SELECT max(c.closed_at)"
    "   FROM count_session c JOIN count_scope cs ON cs.count_id = c.id"
    "   JOIN location sl ON sl.id = cs.location_id"
    "   WHERE " COUNTED " AND (sl.path = '' OR l.path = sl.path"
    "    OR substr(l.path, 1, length(sl.path) + 1) = sl.path || '/')) AS last_at"
    "  FROM location l WHERE l.kind = 'rack')"
    " SELECT 'location', uuid, path, path, last_at FROM racks, cut"
    " WHERE last_at IS NULL OR last_at < cut.at ORDER BY path";

static const char sql_items[] =
    "WITH cut(at) AS (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', :now, '-' || :days || ' days')),"
    " items AS (SELECT i.uuid, i.manufacturer || ' ' || i.model"
    "   || coalesce(' (' || i.calibre || ')', '') || ' SN ' || i.serial AS label,"
    "   l.path, i.serial, (SELECT max(c.closed_at) FROM count_find f"
    "   JOIN count_session c ON c.id = f.count_id WHERE f.item_id = i.id AND " COUNTED
    "  ) AS last_at FROM item i LEFT JOIN location l ON l.id = i.location_id"
    "  WHERE i.status = 'in_store')"
    " SELECT 'item', uuid, label, path, last_at FROM items, cut"
    " WHERE last_at IS NULL OR last_at < cut.at ORDER BY path, serial";

/* A MusterOverdue (a MusterRowNew). */
static gpointer
overdue_from_row(sqlite3_stmt *stmt)
{
  MusterOverdue *o = g_new0(MusterOverdue, 1);
  o->kind = muster_column_dup(stmt, 0);
  o->uuid = muster_column_dup(stmt, 1);
  o->label = muster_column_dup(stmt, 2);
  o->location_path = muster_column_dup(stmt, 3);
  o->last_counted_at = muster_column_dup(stmt, 4);
  return o;
}

static gboolean
collect(MusterStore *store, const char *sql, const char *now, gint64 days, GPtrArray *out,
        GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, sqlite3_bind_parameter_index(stmt, ":now"), now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, sqlite3_bind_parameter_index(stmt, ":days"), days);
  return muster_rows_collect(store, stmt, overdue_from_row, out, "Listing what is overdue", error);
}

GPtrArray *
muster_overdue_list(MusterStore *store, const char *now_iso, gint64 days, GError **error)
{
  g_autofree char *now = now_iso != NULL ? g_strdup(now_iso) : muster_now_iso();
  if (days <= 0)
    days = muster_store_setting_int(store, "overdue_days", 90);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)muster_overdue_free);
  if (!collect(store, sql_racks, now, days, out, error) ||
      !collect(store, sql_items, now, days, out, error))
    return NULL;
  return g_steal_pointer(&out);
}
