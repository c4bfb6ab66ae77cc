/*
 * counts.c: reading counts as people see them: one, a list, and their progress.
 *
 * The count model is split by concept: the table of states (count-state.c), the row a
 * change loads and who may act on it (count-row.c), starting and closing
 * (count-lifecycle.c), unmarked items (count-unmarked.c), sign-off (count-sign-off.c)
 * and, here, the MusterCount everyone reads.
 *
 * Progress figures are counts over indexed tables (count_expected and count_find by
 * their primary keys, scans through the scan_count index), so showing a count stays
 * cheap while it runs; a kiosk feeding scans reads its own figures from the ingest.
 */
#include "db/counts.h"
#include "core/i18n.h"
#include "db/count-private.h"
#include "db/count-row.h"
#include "db/rows-private.h"

void
muster_count_free(MusterCount *count)
{
  if (count == NULL)
    return;
  g_free(count->uuid);
  g_free(count->counter);
  g_free(count->witness);
  g_free(count->started_at);
  g_free(count->closed_at);
  g_free(count->reconciled_at);
  g_free(count->signed_off_at);
  g_free(count->signed_off_by);
  g_free(count->signoff_note);
  if (count->scope != NULL)
    g_ptr_array_unref(count->scope);
  g_free(count);
}

/* ---- reading ----------------------------------------------------------------------- */

#define SQL_COUNT_SELECT                                                                \
  "SELECT c.id, c.uuid, cu.name, wu.name, c.blind, c.state, c.started_at, c.closed_at," \
  " c.reconciled_at, c.signed_off_at, su.name, c.signoff_note FROM count_session c"     \
  " JOIN app_user cu ON cu.id = c.counter_id JOIN app_user wu ON wu.id = c.witness_id"  \
  " LEFT JOIN app_user su ON su.id = c.signed_off_by "

/* A MusterCount (a MusterRowNew). */
static gpointer
count_from_row(sqlite3_stmt *stmt)
{
  MusterCount *c = g_new0(MusterCount, 1);
  c->id = sqlite3_column_int64(stmt, 0);
  c->uuid = muster_column_dup(stmt, 1);
  c->counter = muster_column_dup(stmt, 2);
  c->witness = muster_column_dup(stmt, 3);
  c->blind = sqlite3_column_int(stmt, 4) != 0;
  /* the schema's CHECK allows only the table's names */
  c->state = MUSTER_COUNT_OPEN;
  muster_count_state_from_name((const char *)sqlite3_column_text(stmt, 5), &c->state);
  c->started_at = muster_column_dup(stmt, 6);
  c->closed_at = muster_column_dup(stmt, 7);
  c->reconciled_at = muster_column_dup(stmt, 8);
  c->signed_off_at = muster_column_dup(stmt, 9);
  c->signed_off_by = muster_column_dup(stmt, 10);
  c->signoff_note = muster_column_dup(stmt, 11);
  c->scope = g_ptr_array_new_with_free_func(g_free);
  return c;
}

/* The first column as a new string (a MusterRowNew). */
static gpointer
first_column_dup(sqlite3_stmt *stmt)
{
  return muster_column_dup(stmt, 0);
}

static gboolean
load_scope(MusterStore *store, MusterCount *c, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT l.path FROM count_scope cs JOIN location l ON l.id = cs.location_id "
      "WHERE cs.count_id = ? ORDER BY l.path",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, c->id);
  return muster_rows_collect(store, stmt, first_column_dup, c->scope, "Reading the count's scope",
                             error);
}

/* Scans by outcome: one pass over the count's scan rows (the scan_count index finds
 * them; an index on (count_id, outcome) would make this a covering count). */
static gboolean
load_scan_figures(MusterStore *store, MusterCount *c, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "SELECT count(*), coalesce(sum(outcome = 'unknown'), 0),"
                        " coalesce(sum(outcome = 'unreadable'), 0) FROM scan WHERE count_id = ?",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, c->id);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    c->scans = sqlite3_column_int64(stmt, 0);
    c->unknown = sqlite3_column_int64(stmt, 1);
    c->unreadable = sqlite3_column_int64(stmt, 2);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Counting the count's scans", error);
  return TRUE;
}

static gboolean
load_progress(MusterStore *store, MusterCount *c, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT (SELECT count(*) FROM count_expected WHERE count_id = ?1),"
      " (SELECT count(*) FROM count_find WHERE count_id = ?1),"
      " (SELECT count(*) FROM count_find f JOIN count_expected e ON e.count_id = f.count_id"
      "  AND e.item_id = f.item_id WHERE f.count_id = ?1),"
      " (SELECT count(*) FROM unmarked_item WHERE count_id = ?1),"
      " (SELECT count(*) FROM discrepancy WHERE count_id = ?1), " MUSTER_COUNT_SQL_UNRESOLVED,
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, c->id);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    c->expected = sqlite3_column_int64(stmt, 0);
    c->found = sqlite3_column_int64(stmt, 1);
    c->found_expected = sqlite3_column_int64(stmt, 2);
    c->unmarked = sqlite3_column_int64(stmt, 3);
    c->discrepancies = sqlite3_column_int64(stmt, 4);
    c->unresolved = sqlite3_column_int64(stmt, 5);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Reading the count's progress", error);
  return load_scan_figures(store, c, error);
}

static gboolean
complete_count(MusterStore *store, MusterCount *c, GError **error)
{
  return load_scope(store, c, error) && load_progress(store, c, error);
}

MusterCount *
muster_counts_get_by_id(MusterStore *store, gint64 id, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, SQL_COUNT_SELECT "WHERE c.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  g_autoptr(MusterCount) c = rc == SQLITE_ROW ? count_from_row(stmt) : NULL;
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE) {
    muster_count_not_found(id, error);
    return NULL;
  }
  if (rc != SQLITE_ROW) {
    muster_store_fail(store, rc, "Reading a count", error);
    return NULL;
  }
  if (!complete_count(store, c, error))
    return NULL;
  return g_steal_pointer(&c);
}

MusterCount *
muster_counts_get(MusterStore *store, const char *id_or_uuid, GError **error)
{
  guint64 id = 0;
  if (id_or_uuid != NULL && g_ascii_string_to_unsigned(id_or_uuid, 10, 1, G_MAXINT64, &id, NULL))
    return muster_counts_get_by_id(store, (gint64)id, error);
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "SELECT id FROM count_session WHERE uuid = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text(stmt, 1, id_or_uuid != NULL ? id_or_uuid : "", -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  gint64 found = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_reset(stmt);
  if (rc == SQLITE_ROW)
    return muster_counts_get_by_id(store, found, error);
  if (rc != SQLITE_DONE) {
    muster_store_fail(store, rc, "Reading a count", error);
    return NULL;
  }
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
              _("There is no count '%s': give its number or uuid (see 'muster count list')."),
              id_or_uuid != NULL ? id_or_uuid : "");
  return NULL;
}

static GPtrArray *
list_where(MusterStore *store, int state_filter, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, SQL_COUNT_SELECT "WHERE ?1 IS NULL OR c.state = ?1 ORDER BY c.id DESC", error);
  if (stmt == NULL)
    return NULL;
  const MusterCountStateInfo *state = muster_count_state_get((MusterCountState)state_filter);
  if (state != NULL)
    sqlite3_bind_text(stmt, 1, state->name, -1, SQLITE_STATIC);
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func((GDestroyNotify)muster_count_free);
  if (!muster_rows_collect(store, stmt, count_from_row, counts, "Listing counts", error))
    return NULL;
  for (guint i = 0; i < counts->len; i++)
    if (!complete_count(store, g_ptr_array_index(counts, i), error))
      return NULL;
  return g_steal_pointer(&counts);
}

GPtrArray *
muster_counts_list(MusterStore *store, int state_filter, GError **error)
{
  return list_where(store, state_filter, error);
}

GPtrArray *
muster_counts_open(MusterStore *store, GError **error)
{
  return list_where(store, MUSTER_COUNT_OPEN, error);
}

gboolean
muster_count_may_see_expected(const MusterCount *count, const MusterUser *actor)
{
  if (!count->blind || actor == NULL)
    return !count->blind;
  gboolean counting =
      g_strcmp0(actor->name, count->counter) == 0 || g_strcmp0(actor->name, count->witness) == 0;
  gboolean before_reconcile =
      count->state == MUSTER_COUNT_OPEN || count->state == MUSTER_COUNT_CLOSED;
  return !(counting && before_reconcile);
}
