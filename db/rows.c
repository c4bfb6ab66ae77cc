/*
 * rows.c: reading every row of a query (see rows-private.h).
 */
#include "db/rows-private.h"

gboolean
muster_rows_foreach(MusterStore *store, sqlite3_stmt *stmt, MusterRowFunc func, gpointer data,
                    const char *doing, GError **error)
{
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (!func(stmt, data, error)) {
      sqlite3_reset(stmt);
      return FALSE;
    }
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, doing, error);
  return TRUE;
}

typedef struct {
  MusterRowNew row_new;
  GPtrArray *out;
} Collect;

static gboolean
collect_row(sqlite3_stmt *stmt, gpointer data, GError **error)
{
  Collect *c = data;
  g_ptr_array_add(c->out, c->row_new(stmt));
  return TRUE;
}

gboolean
muster_rows_collect(MusterStore *store, sqlite3_stmt *stmt, MusterRowNew row_new, GPtrArray *out,
                    const char *doing, GError **error)
{
  Collect c = {row_new, out};
  return muster_rows_foreach(store, stmt, collect_row, &c, doing, error);
}
