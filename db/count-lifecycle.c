/*
 * count-lifecycle.c: starting a count and closing it.
 *
 * Starting a count freezes what it expects with one set-based INSERT ... SELECT (the
 * scope's locations first, then their in-store items through the item_location
 * index), so a million-item register starts in about three seconds and reconciliation
 * later reads a snapshot that cannot move under it. Two open counts may not cover the
 * same shelf: each would see the other's finds as its own problem.
 *
 * Every transition is one transaction with its audit entry, and moves the count only
 * where the table of states allows (count-state.c); reconciliation is db/reconcile.c,
 * sign-off count-sign-off.c.
 */
#include "core/i18n.h"
#include "db/audit.h"
#include "db/count-private.h"
#include "db/count-row.h"
#include "db/counts.h"
#include "db/locations.h"

/* ---- starting ---------------------------------------------------------------------- */

static gboolean
check_person(MusterStore *store, const MusterUser *who, const char *as, GError **error)
{
  g_autofree char *what = g_strdup_printf("Taking part in a count as %s", as);
  /* the caller's copy may be stale: the check reads the database */
  return muster_require_role(store, who, MUSTER_ROLE_STAFF, what, error);
}

static gboolean
check_people(MusterStore *store, const MusterUser *counter, const MusterUser *witness,
             GError **error)
{
  if (!check_person(store, counter, "counter", error) ||
      !check_person(store, witness, "witness", error))
    return FALSE;
  if (counter->id == witness->id) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("%s cannot be both counter and witness: a count needs two different "
                  "people. Choose another witness."),
                counter->name);
    return FALSE;
  }
  return TRUE;
}

/* Looks each scope path up; duplicates are dropped. */
static gboolean
resolve_scope(MusterStore *store, const char *const *scope, GArray *ids, GPtrArray *paths,
              GError **error)
{
  if (scope == NULL || scope[0] == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("A count needs at least one location (\"\" for the whole armoury)."));
    return FALSE;
  }
  for (guint i = 0; scope[i] != NULL; i++) {
    g_autoptr(MusterLocation) loc = muster_locations_get(store, scope[i], error);
    if (loc == NULL)
      return FALSE;
    gboolean seen = FALSE;
    for (guint j = 0; j < ids->len; j++)
      seen |= g_array_index(ids, gint64, j) == loc->id;
    if (seen)
      continue;
    g_array_append_val(ids, loc->id);
    g_ptr_array_add(paths, g_strdup(loc->path));
  }
  return TRUE;
}

static gboolean
check_no_overlap(MusterStore *store, GPtrArray *paths, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "SELECT c.id, l.path FROM count_session c JOIN count_scope cs "
                        "ON cs.count_id = c.id JOIN location l ON l.id = cs.location_id "
                        "WHERE c.state = 'open' ORDER BY c.id",
                        error);
  if (stmt == NULL)
    return FALSE;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *other = (const char *)sqlite3_column_text(stmt, 1);
    for (guint i = 0; i < paths->len; i++) {
      const char *mine = g_ptr_array_index(paths, i);
      if (!muster_location_path_within(mine, other) && !muster_location_path_within(other, mine))
        continue;
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                  "Count %" G_GINT64_FORMAT " is still open over %s, which overlaps %s. "
                  "Close that count first, or count other locations.",
                  (gint64)sqlite3_column_int64(stmt, 0), count_place_words(other),
                  count_place_words(mine));
      sqlite3_reset(stmt);
      return FALSE;
    }
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Checking the open counts", error);
  return TRUE;
}

static gboolean
insert_session(MusterStore *store, const char *uuid, const MusterUser *counter,
               const MusterUser *witness, gboolean blind, const char *now, gint64 *id,
               GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "INSERT INTO count_session (uuid, counter_id, witness_id, blind, state, "
                        "started_at) VALUES (?, ?, ?, ?, 'open', ?)",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, counter->id);
  sqlite3_bind_int64(stmt, 3, witness->id);
  sqlite3_bind_int(stmt, 4, blind ? 1 : 0);
  sqlite3_bind_text(stmt, 5, now, -1, SQLITE_TRANSIENT);
  if (!muster_store_step_done(store, stmt, "Recording the count", error))
    return FALSE;
  *id = sqlite3_last_insert_rowid(muster_store_db(store));
  return TRUE;
}

static gboolean
insert_scope(MusterStore *store, gint64 count_id, GArray *ids, GError **error)
{
  for (guint i = 0; i < ids->len; i++) {
    sqlite3_stmt *stmt = muster_store_stmt(
        store, "INSERT INTO count_scope (count_id, location_id) VALUES (?, ?)", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64(stmt, 1, count_id);
    sqlite3_bind_int64(stmt, 2, g_array_index(ids, gint64, i));
    if (!muster_store_step_done(store, stmt, "Recording the count's scope", error))
      return FALSE;
  }
  return TRUE;
}

/* The frozen expected list: the scope's locations (few) first, then their in-store
 * items through the item_location index. MATERIALIZED and CROSS JOIN pin that order:
 * left to itself the planner walks the whole index and tests each item's location,
 * which costs a small count as much as a full one. Sorting by item id makes the inserts
 * into count_expected's primary key appends (a 1M-item register: 2.8 s instead of 11 s).
 * An in-store item without a location is expected only by a count of the whole
 * armoury. */
static gboolean
freeze_expected(MusterStore *store, gint64 count_id, gint64 *n, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "WITH covers(sp) AS MATERIALIZED (SELECT l.path FROM count_scope cs JOIN location l"
      "  ON l.id = cs.location_id WHERE cs.count_id = ?1),"
      " inside(id) AS MATERIALIZED (SELECT l.id FROM location l WHERE EXISTS (SELECT 1"
      "  FROM covers WHERE sp = '' OR l.path = sp"
      "  OR substr(l.path, 1, length(sp) + 1) = sp || '/')) "
      "INSERT INTO count_expected (count_id, item_id, location_id)"
      " SELECT ?1, i.id, i.location_id FROM inside CROSS JOIN item i"
      "  ON i.location_id = inside.id AND i.status = 'in_store'"
      " UNION ALL SELECT ?1, i.id, NULL FROM item i WHERE i.location_id IS NULL"
      "  AND i.status = 'in_store' AND EXISTS (SELECT 1 FROM covers WHERE sp = '')"
      " ORDER BY 2",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, count_id);
  if (!muster_store_step_done(store, stmt, "Freezing the count's expected list", error))
    return FALSE;
  *n = sqlite3_changes64(muster_store_db(store));
  return TRUE;
}

static char *
start_detail(gint64 id, GPtrArray *paths, const MusterUser *counter, const MusterUser *witness,
             gboolean blind, gint64 expected, const char *scope_sha256, const char *expected_sha256)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  count_json_int(b, "count", id);
  json_builder_set_member_name(b, "scope");
  json_builder_begin_array(b);
  for (guint i = 0; i < paths->len; i++)
    json_builder_add_string_value(b, g_ptr_array_index(paths, i));
  json_builder_end_array(b);
  muster_json_add_str(b, "counter", counter->name);
  muster_json_add_str(b, "witness", witness->name);
  json_builder_set_member_name(b, "blind");
  json_builder_add_boolean_value(b, blind);
  count_json_int(b, "expected", expected);
  muster_json_add_str(b, "scope_sha256", scope_sha256);
  muster_json_add_str(b, "expected_sha256", expected_sha256);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  return json_to_string(root, FALSE);
}

static gboolean
start_in_tx(MusterStore *store, const MusterUser *counter, const MusterUser *witness, GArray *ids,
            GPtrArray *paths, gboolean blind, gint64 *id, GError **error)
{
  g_autofree char *uuid = muster_uuid_new();
  g_autofree char *now = muster_now_iso();
  gint64 expected = 0;
  char scope_sha[65], expected_sha[65];
  /* The expected list is frozen from verified records only: an item whose row was
   * edited outside Muster would otherwise be expected (or not) on the editor's word. */
  if (!check_no_overlap(store, paths, error) || !muster_audit_verify_state(store, error) ||
      !insert_session(store, uuid, counter, witness, blind, now, id, error) ||
      !insert_scope(store, *id, ids, error) || !freeze_expected(store, *id, &expected, error) ||
      !muster_audit_count_digests(store, *id, scope_sha, expected_sha, error))
    return FALSE;
  g_autofree char *detail =
      start_detail(*id, paths, counter, witness, blind, expected, scope_sha, expected_sha);
  if (!muster_audit_append(store, counter->name, "count.start", uuid, detail, error) ||
      !muster_store_commit(store, error))
    return FALSE;
  const MusterCountRow row = {.id = *id, .uuid = uuid};
  g_autofree char *what = g_strdup_printf("%" G_GINT64_FORMAT " items expected, witness %s",
                                          expected, witness->name);
  muster_count_log_event(MUSTER_EVENT_COUNT_STARTED, &row, counter->name, what);
  return TRUE;
}

MusterCount *
muster_counts_start(MusterStore *store, const MusterUser *counter, const MusterUser *witness,
                    const char *const *scope, gboolean blind, GError **error)
{
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
  gint64 id = 0;
  if (!check_people(store, counter, witness, error) ||
      !resolve_scope(store, scope, ids, paths, error)) {
    g_prefix_error(error, _("Starting a count: "));
    return NULL;
  }
  if (!muster_store_begin(store, error)) {
    g_prefix_error(error, _("Starting a count: "));
    return NULL;
  }
  if (!start_in_tx(store, counter, witness, ids, paths, blind, &id, error)) {
    muster_store_rollback(store);
    g_prefix_error(error, _("Starting a count: "));
    return NULL;
  }
  return muster_counts_get_by_id(store, id, error);
}

/* ---- closing ----------------------------------------------------------------------- */

static gboolean
set_state(MusterStore *store, const char *sql, gint64 id, const char *now, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, id);
  return muster_store_step_done(store, stmt, "Changing the count's state", error);
}

static gboolean
close_in_tx(MusterStore *store, const MusterUser *actor, gint64 count_id, GError **error)
{
  g_auto(MusterCountRow) c = {0};
  if (!muster_count_load(store, count_id, &c, error) ||
      !muster_count_require_participant(store, &c, actor, FALSE, "Closing", NULL, error) ||
      !muster_count_require_move(&c, MUSTER_COUNT_CLOSED, "Closing", error))
    return FALSE;
  g_autofree char *now = muster_now_iso();
  if (!set_state(store,
                 "UPDATE count_session SET state = 'closed', closed_at = ? "
                 "WHERE id = ? AND state = 'open'",
                 count_id, now, error))
    return FALSE;
  g_autofree char *detail = g_strdup_printf("{\"count\":%" G_GINT64_FORMAT "}", count_id);
  if (!muster_audit_append(store, actor->name, "count.close", c.uuid, detail, error) ||
      !muster_store_commit(store, error))
    return FALSE;
  muster_count_log_event(MUSTER_EVENT_COUNT_CLOSED, &c, actor->name, NULL);
  return TRUE;
}

gboolean
muster_counts_close(MusterStore *store, const MusterUser *actor, gint64 count_id, GError **error)
{
  if (!muster_store_begin(store, error) || !close_in_tx(store, actor, count_id, error)) {
    muster_store_rollback(store);
    g_prefix_error(error, "Closing count %" G_GINT64_FORMAT ": ", count_id);
    return FALSE;
  }
  return TRUE;
}
