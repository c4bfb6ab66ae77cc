/*
 * count-progress.c: a count's expected and found items per rack (see count-progress.h).
 *
 * One pass over each table's rows of the count (both are keyed by count_id first); a
 * slot is folded into its rack through its parent, so a rack of 40 slots is one line.
 */
#include "db/count-progress.h"
#include "db/locations.h"
#include "db/rows-private.h"
#include "db/store-private.h"

#include <sqlite3.h>

void
muster_location_progress_free(MusterLocationProgress *p)
{
  if (p == NULL)
    return;
  g_free(p->path);
  g_free(p);
}

/* rack: every location with the path its progress counts under. A find is unexpected
 * when the expected list has the item in another rack, or not at all. */
#define SQL_PROGRESS                                                                        \
  "WITH rack(id, path) AS ("                                                                \
  " SELECT l.id, coalesce(CASE WHEN l.kind = 'slot' THEN p.path END, l.path)"               \
  "  FROM location l LEFT JOIN location p ON p.id = l.parent_id)"                           \
  "SELECT coalesce(r.path, ''), sum(x.expected), sum(x.found), sum(x.unexpected) FROM ("    \
  " SELECT location_id AS loc, 1 AS expected, 0 AS found, 0 AS unexpected"                  \
  "  FROM count_expected WHERE count_id = ?1"                                               \
  " UNION ALL"                                                                              \
  " SELECT f.location_id, 0, 1,"                                                            \
  "  e.item_id IS NULL OR coalesce(fr.path, '') IS NOT coalesce(er.path, '')"               \
  "  FROM count_find f"                                                                     \
  "  LEFT JOIN count_expected e ON e.count_id = f.count_id AND e.item_id = f.item_id"       \
  "  LEFT JOIN rack fr ON fr.id = f.location_id LEFT JOIN rack er ON er.id = e.location_id" \
  "  WHERE f.count_id = ?1"                                                                 \
  ") x LEFT JOIN rack r ON r.id = x.loc GROUP BY 1 ORDER BY 1"

/* A MusterLocationProgress (a MusterRowNew). */
static gpointer
progress_from_row(sqlite3_stmt *stmt)
{
  MusterLocationProgress *p = g_new0(MusterLocationProgress, 1);
  p->path = muster_column_dup(stmt, 0);
  p->expected = sqlite3_column_int64(stmt, 1);
  p->found = sqlite3_column_int64(stmt, 2);
  p->unexpected = sqlite3_column_int64(stmt, 3);
  return p;
}

GPtrArray *
muster_count_progress_by_rack(MusterStore *store, gint64 count_id, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, SQL_PROGRESS, error);
  if (stmt == NULL) {
    g_prefix_error(error, "Count %" G_GINT64_FORMAT ", progress by rack: ", count_id);
    return NULL;
  }
  sqlite3_bind_int64(stmt, 1, count_id);
  g_autoptr(GPtrArray) out =
      g_ptr_array_new_with_free_func((GDestroyNotify)muster_location_progress_free);
  if (!muster_rows_collect(store, stmt, progress_from_row, out,
                           "Reading the count's progress by rack", error)) {
    g_prefix_error(error, "Count %" G_GINT64_FORMAT ", progress by rack: ", count_id);
    return NULL;
  }
  return g_steal_pointer(&out);
}

char *
muster_count_progress_rack_of(MusterStore *store, const char *path, GError **error)
{
  if (path == NULL || *path == '\0')
    return g_strdup("");
  g_autoptr(MusterLocation) loc = muster_locations_get(store, path, error);
  if (loc == NULL) {
    g_prefix_error(error, "Finding the rack of %s: ", path);
    return NULL;
  }
  if (g_strcmp0(loc->kind, "slot") != 0 || loc->parent_id == 0)
    return g_strdup(loc->path);
  g_autoptr(MusterLocation) rack = muster_locations_get_by_id(store, loc->parent_id, error);
  if (rack == NULL) {
    g_prefix_error(error, "Finding the rack of %s: ", path);
    return NULL;
  }
  return g_strdup(rack->path);
}
