/*
 * counts.c: count sessions from start to sign-off.
 *
 * Starting a count freezes what it expects with one set-based INSERT ... SELECT (the
 * scope's locations first, then their in-store items through the item_location
 * index), so a million-item register starts in about three seconds and reconciliation
 * later reads a snapshot that cannot move under it. Two open counts may not cover the same shelf:
 * each would see the other's finds as its own problem.
 *
 * Every transition is one transaction with its audit entry. Sign-off also queues the
 * whole count for the registry (outbox "count.signed_off"): the registry must be able
 * to keep the record of the count without asking for anything else. A signed-off count
 * refuses every change here with MUSTER_ERROR_STATE, and the count_session trigger
 * refuses it again in the database.
 *
 * Progress figures are counts over indexed tables (count_expected and count_find by
 * their primary keys, scans through the scan_count index), so showing a count stays
 * cheap while it runs; a kiosk feeding scans reads its own figures from the ingest.
 */
#include "db/counts.h"
#include "db/audit.h"
#include "core/i18n.h"
#include "db/locations.h"
#include "db/outbox.h"
#include "db/reconcile.h"
#include "db/store-private.h"
#include "db/unmarked-photos.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define UNMARKED_DESCRIPTION_MAX 500

static const char *const state_names[] = {"open", "closed", "reconciled", "signed_off"};

const char *
muster_count_state_to_string(MusterCountState s)
{
  return (guint)s < G_N_ELEMENTS(state_names) ? state_names[s] : "unknown";
}

static MusterCountState
state_from_string(const char *s)
{
  for (guint i = 0; i < G_N_ELEMENTS(state_names); i++)
    if (g_strcmp0(s, state_names[i]) == 0)
      return (MusterCountState)i;
  return MUSTER_COUNT_OPEN;
}

/* How a person reads a state in a sentence. */
static const char *
state_words(MusterCountState s)
{
  return s == MUSTER_COUNT_SIGNED_OFF ? "signed off" : muster_count_state_to_string(s);
}

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

static char *
json_string(JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  return json_to_string(root, FALSE);
}

static void
add_str(JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name(b, name);
  if (value != NULL)
    json_builder_add_string_value(b, value);
  else
    json_builder_add_null_value(b);
}

static void
add_int(JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name(b, name);
  json_builder_add_int_value(b, value);
}

/* ---- reading ----------------------------------------------------------------------- */

#define SQL_COUNT_SELECT                                                                \
  "SELECT c.id, c.uuid, cu.name, wu.name, c.blind, c.state, c.started_at, c.closed_at," \
  " c.reconciled_at, c.signed_off_at, su.name, c.signoff_note FROM count_session c"     \
  " JOIN app_user cu ON cu.id = c.counter_id JOIN app_user wu ON wu.id = c.witness_id"  \
  " LEFT JOIN app_user su ON su.id = c.signed_off_by "

static MusterCount *
count_from_row(sqlite3_stmt *stmt)
{
  MusterCount *c = g_new0(MusterCount, 1);
  c->id = sqlite3_column_int64(stmt, 0);
  c->uuid = muster_column_dup(stmt, 1);
  c->counter = muster_column_dup(stmt, 2);
  c->witness = muster_column_dup(stmt, 3);
  c->blind = sqlite3_column_int(stmt, 4) != 0;
  c->state = state_from_string((const char *)sqlite3_column_text(stmt, 5));
  c->started_at = muster_column_dup(stmt, 6);
  c->closed_at = muster_column_dup(stmt, 7);
  c->reconciled_at = muster_column_dup(stmt, 8);
  c->signed_off_at = muster_column_dup(stmt, 9);
  c->signed_off_by = muster_column_dup(stmt, 10);
  c->signoff_note = muster_column_dup(stmt, 11);
  c->scope = g_ptr_array_new_with_free_func(g_free);
  return c;
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
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    g_ptr_array_add(c->scope, muster_column_dup(stmt, 0));
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading the count's scope", error);
  return TRUE;
}

/* A discrepancy is unresolved when its newest resolution is missing or "reopened". */
#define SQL_UNRESOLVED                                                                      \
  "(SELECT count(*) FROM discrepancy d WHERE d.count_id = ?1 AND coalesce((SELECT r.action" \
  " FROM resolution r WHERE r.discrepancy_id = d.id ORDER BY r.id DESC LIMIT 1),"           \
  " 'reopened') = 'reopened')"

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
      " (SELECT count(*) FROM discrepancy WHERE count_id = ?1), " SQL_UNRESOLVED,
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
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "There is no count %" G_GINT64_FORMAT "; list the counts with "
                "'muster count list'.",
                id);
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
  if (state_filter >= 0 && state_filter < (int)G_N_ELEMENTS(state_names))
    sqlite3_bind_text(stmt, 1, state_names[state_filter], -1, SQLITE_STATIC);
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func((GDestroyNotify)muster_count_free);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    g_ptr_array_add(counts, count_from_row(stmt));
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) {
    muster_store_fail(store, rc, "Listing counts", error);
    return NULL;
  }
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

/* ---- the count row inside a change ------------------------------------------------- */

typedef struct {
  gint64 id;
  char *uuid;
  MusterCountState state;
  gint64 counter_id;
  gint64 witness_id;
} CountRow;

static void
count_row_clear(CountRow *c)
{
  g_clear_pointer(&c->uuid, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CountRow, count_row_clear)

static gboolean
load_row(MusterStore *store, gint64 id, CountRow *c, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT uuid, state, counter_id, witness_id FROM count_session WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    c->id = id;
    c->uuid = muster_column_dup(stmt, 0);
    c->state = state_from_string((const char *)sqlite3_column_text(stmt, 1));
    c->counter_id = sqlite3_column_int64(stmt, 2);
    c->witness_id = sqlite3_column_int64(stmt, 3);
  }
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "There is no count %" G_GINT64_FORMAT "; list the counts with "
                "'muster count list'.",
                id);
    return FALSE;
  }
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Reading a count", error);
  return TRUE;
}

static gboolean
require_state(const CountRow *c, MusterCountState want, const char *doing, GError **error)
{
  if (c->state == want)
    return TRUE;
  if (c->state == MUSTER_COUNT_SIGNED_OFF) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                _("Count %lld is signed off and can no longer be changed; record a "
                  "correction in a new count."),
                (long long)c->id);
    return FALSE;
  }
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
              "%s needs count %" G_GINT64_FORMAT " to be %s, but it is %s.", doing, c->id,
              state_words(want), state_words(c->state));
  return FALSE;
}

/* The counter or witness of the count, or a supervisor or admin. */
static gboolean
require_participant(MusterStore *store, const CountRow *c, const MusterUser *actor,
                    gboolean witness_may, const char *what, GError **error)
{
  if (!muster_require_role(store, actor, MUSTER_ROLE_STAFF, what, error))
    return FALSE;
  if (actor->id == c->counter_id || (witness_may && actor->id == c->witness_id))
    return TRUE;
  g_autofree char *why =
      g_strdup_printf("%s count %" G_GINT64_FORMAT " as someone other than its %s", what, c->id,
                      witness_may ? "counter or witness" : "counter");
  return muster_require_role(store, actor, MUSTER_ROLE_SUPERVISOR, why, error);
}

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

static const char *
path_words(const char *path)
{
  return *path != '\0' ? path : "the whole armoury";
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
                  (gint64)sqlite3_column_int64(stmt, 0), path_words(other), path_words(mine));
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
             gboolean blind, gint64 expected, const char *scope_sha256,
             const char *expected_sha256)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  add_int(b, "count", id);
  json_builder_set_member_name(b, "scope");
  json_builder_begin_array(b);
  for (guint i = 0; i < paths->len; i++)
    json_builder_add_string_value(b, g_ptr_array_index(paths, i));
  json_builder_end_array(b);
  add_str(b, "counter", counter->name);
  add_str(b, "witness", witness->name);
  json_builder_set_member_name(b, "blind");
  json_builder_add_boolean_value(b, blind);
  add_int(b, "expected", expected);
  add_str(b, "scope_sha256", scope_sha256);
  add_str(b, "expected_sha256", expected_sha256);
  json_builder_end_object(b);
  return json_string(b);
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
  if (!muster_audit_append(store, counter->name, "count.start", uuid, detail, error))
    return FALSE;
  return muster_store_commit(store, error);
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
  g_auto(CountRow) c = {0};
  if (!load_row(store, count_id, &c, error) ||
      !require_participant(store, &c, actor, FALSE, "Closing", error) ||
      !require_state(&c, MUSTER_COUNT_OPEN, "Closing", error))
    return FALSE;
  g_autofree char *now = muster_now_iso();
  if (!set_state(store,
                 "UPDATE count_session SET state = 'closed', closed_at = ? "
                 "WHERE id = ? AND state = 'open'",
                 count_id, now, error))
    return FALSE;
  g_autofree char *detail = g_strdup_printf("{\"count\":%" G_GINT64_FORMAT "}", count_id);
  return muster_audit_append(store, actor->name, "count.close", c.uuid, detail, error) &&
         muster_store_commit(store, error);
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

/* ---- unmarked items ---------------------------------------------------------------- */

static char *
check_description(const char *description, GError **error)
{
  if (description == NULL || !g_utf8_validate(description, -1, NULL)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("Describe the unmarked item (make, model, calibre, what it looks like) in "
                  "valid UTF-8 text."));
    return NULL;
  }
  g_autofree char *text = g_strstrip(g_strdup(description));
  if (*text == '\0') {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("Describe the unmarked item (make, model, calibre, what it looks like): the "
                  "description is empty."));
    return NULL;
  }
  glong chars = g_utf8_strlen(text, -1);
  if (chars > UNMARKED_DESCRIPTION_MAX) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("The description has %ld characters; shorten it to at most %d."), chars,
                UNMARKED_DESCRIPTION_MAX);
    return NULL;
  }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
    if (g_unichar_iscntrl(g_utf8_get_char(p))) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  _("The description contains a control character; write it on one line."));
      return NULL;
    }
  }
  return g_steal_pointer(&text);
}

/* The place must exist and lie inside the count's scope. */
static MusterLocation *
unmarked_location(MusterStore *store, gint64 count_id, const char *path, GError **error)
{
  if (path == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("Say where the unmarked item was found (a location path such as R1/A/03)."));
    return NULL;
  }
  g_autoptr(MusterLocation) loc = muster_locations_get(store, path, error);
  if (loc == NULL)
    return NULL;
  g_autoptr(MusterCount) c = muster_counts_get_by_id(store, count_id, error);
  if (c == NULL)
    return NULL;
  for (guint i = 0; i < c->scope->len; i++)
    if (muster_location_path_within(loc->path, g_ptr_array_index(c->scope, i)))
      return g_steal_pointer(&loc);
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "%s is outside count %" G_GINT64_FORMAT "; record the item in a count of the "
              "place where it was found.",
              path_words(loc->path), count_id);
  return NULL;
}

typedef struct {
  const char *uuid;
  const char *count_uuid;
  const char *description;
  const MusterLocation *loc;
  const MusterUser *actor;
  const char *photo_path;
  const char *now;
  /* the photo's bytes, NULL when none; facts and when it was taken then set */
  GBytes *photo;
  const MusterPhotoFacts *photo_facts;
  const char *photo_taken_at;
  const char *photo_uuid; /* set once stored */
} Unmarked;

static gboolean
insert_unmarked(MusterStore *store, gint64 count_id, const Unmarked *u, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "INSERT INTO unmarked_item (uuid, count_id, description, location_id, "
                        "recorded_by, recorded_at, photo_path) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, u->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, count_id);
  sqlite3_bind_text(stmt, 3, u->description, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 4, u->loc->id);
  sqlite3_bind_int64(stmt, 5, u->actor->id);
  sqlite3_bind_text(stmt, 6, u->now, -1, SQLITE_TRANSIENT);
  muster_bind_text_or_null(stmt, 7, u->photo_path);
  return muster_store_step_done(store, stmt, "Recording the unmarked item", error);
}

/* What the registry and the audit chain keep of a photo: its digest, never its bytes. */
static void
add_photo(JsonBuilder *b, const Unmarked *u)
{
  json_builder_set_member_name(b, "photo");
  if (u->photo == NULL) {
    json_builder_add_null_value(b);
    return;
  }
  const MusterPhotoFacts *f = u->photo_facts;
  json_builder_begin_object(b);
  add_str(b, "uuid", u->photo_uuid);
  add_str(b, "media_type", f->media_type);
  add_str(b, "sha256", f->sha256);
  add_int(b, "size", (gint64)f->size);
  json_builder_set_member_name(b, "width");
  f->width > 0 ? json_builder_add_int_value(b, f->width) : json_builder_add_null_value(b);
  json_builder_set_member_name(b, "height");
  f->height > 0 ? json_builder_add_int_value(b, f->height) : json_builder_add_null_value(b);
  add_str(b, "taken_at", u->photo_taken_at);
  json_builder_end_object(b);
}

static JsonNode *
unmarked_json(const Unmarked *u)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  add_str(b, "uuid", u->uuid);
  add_str(b, "count_uuid", u->count_uuid);
  add_str(b, "description", u->description);
  add_str(b, "location", u->loc->path);
  add_str(b, "location_uuid", u->loc->uuid);
  add_str(b, "recorded_by", u->actor->name);
  add_str(b, "recorded_by_uuid", u->actor->uuid);
  add_str(b, "recorded_at", u->now);
  add_str(b, "photo_path", u->photo_path);
  add_photo(b, u);
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

/* Right after insert_unmarked(): the photo belongs to the row just inserted. */
static gboolean
store_photo(MusterStore *store, const Unmarked *u, char **photo_uuid, GError **error)
{
  if (u->photo == NULL)
    return TRUE;
  gint64 unmarked_id = sqlite3_last_insert_rowid(muster_store_db(store));
  return muster_unmarked_photos_insert(store, unmarked_id, u->actor, u->photo, u->photo_facts,
                                       u->photo_taken_at, photo_uuid, error);
}

static gboolean
unmarked_in_tx(MusterStore *store, const MusterUser *actor, gint64 count_id,
               const char *description, const char *location_path, const char *photo_path,
               const MusterPhotoInput *photo, const MusterPhotoFacts *facts, char **uuid_out,
               GError **error)
{
  g_auto(CountRow) c = {0};
  if (!load_row(store, count_id, &c, error) ||
      !require_participant(store, &c, actor, TRUE, "Recording an unmarked item in", error) ||
      !require_state(&c, MUSTER_COUNT_OPEN, "Recording an unmarked item", error))
    return FALSE;
  g_autofree char *text = check_description(description, error);
  if (text == NULL)
    return FALSE;
  g_autoptr(MusterLocation) loc = unmarked_location(store, count_id, location_path, error);
  if (loc == NULL)
    return FALSE;
  g_autofree char *uuid = muster_uuid_new();
  g_autofree char *now = muster_now_iso();
  g_autofree char *taken_at =
      photo != NULL && photo->taken_at_us > 0 ? muster_time_iso(photo->taken_at_us) : g_strdup(now);
  Unmarked u = {
      .uuid = uuid,
      .count_uuid = c.uuid,
      .description = text,
      .loc = loc,
      .actor = actor,
      .photo_path = photo_path != NULL && *photo_path != '\0' ? photo_path : NULL,
      .now = now,
      .photo = photo != NULL ? photo->bytes : NULL,
      .photo_facts = facts,
      .photo_taken_at = taken_at,
  };
  g_autofree char *photo_uuid = NULL;
  if (!insert_unmarked(store, count_id, &u, error) || !store_photo(store, &u, &photo_uuid, error))
    return FALSE;
  u.photo_uuid = photo_uuid;
  g_autoptr(JsonNode) payload = unmarked_json(&u);
  g_autofree char *detail = json_to_string(payload, FALSE);
  if (!muster_audit_append(store, actor->name, "unmarked.record", uuid, detail, error) ||
      !muster_outbox_append(store, "unmarked.recorded", uuid, payload, error) ||
      !muster_store_commit(store, error))
    return FALSE;
  if (uuid_out != NULL)
    *uuid_out = g_steal_pointer(&uuid);
  return TRUE;
}

static gboolean
record_unmarked(MusterStore *store, const MusterUser *actor, gint64 count_id,
                const char *description, const char *location_path, const char *photo_path,
                const MusterPhotoInput *photo, char **uuid_out, GError **error)
{
  MusterPhotoFacts facts = {0};
  /* Checked and hashed before the write lock is taken: up to 8 MiB of SHA-256. */
  if (photo != NULL && !muster_photo_inspect(photo->bytes, photo->media_type, &facts, error))
    return FALSE;
  if (photo != NULL && photo->taken_at_us > g_get_real_time() + 60 * G_USEC_PER_SEC) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("The photo is dated in the future; check the appliance's clock."));
    return FALSE;
  }
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!unmarked_in_tx(store, actor, count_id, description, location_path, photo_path, photo, &facts,
                      uuid_out, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

gboolean
muster_counts_record_unmarked(MusterStore *store, const MusterUser *actor, gint64 count_id,
                              const char *description, const char *location_path,
                              const char *photo_path, char **uuid_out, GError **error)
{
  if (!record_unmarked(store, actor, count_id, description, location_path, photo_path, NULL,
                       uuid_out, error)) {
    g_prefix_error(error, "Recording an unmarked item in count %" G_GINT64_FORMAT ": ", count_id);
    return FALSE;
  }
  return TRUE;
}

gboolean
muster_counts_record_unmarked_photo(MusterStore *store, const MusterUser *actor, gint64 count_id,
                                    const char *description, const char *location_path,
                                    const MusterPhotoInput *photo, char **uuid_out, GError **error)
{
  if (!record_unmarked(store, actor, count_id, description, location_path, NULL, photo, uuid_out,
                       error)) {
    g_prefix_error(error, "Recording an unmarked item in count %" G_GINT64_FORMAT ": ", count_id);
    return FALSE;
  }
  return TRUE;
}

/* ---- sign-off ---------------------------------------------------------------------- */

static gboolean
count_unresolved(MusterStore *store, gint64 count_id, gint64 *n, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, "SELECT " SQL_UNRESOLVED, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, count_id);
  int rc = sqlite3_step(stmt);
  *n = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Checking the discrepancies", error);
  return TRUE;
}

static gboolean
require_signer(MusterStore *store, const CountRow *c, const MusterUser *actor, GError **error)
{
  g_autofree char *what = g_strdup_printf(_("Signing off count %lld"), (long long)c->id);
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_SUPERVISOR), what, error))
    return FALSE;
  if (actor->id != c->counter_id)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
              _("%s counted count %lld and cannot sign it off; another supervisor must."),
              actor->name, (long long)c->id);
  return FALSE;
}

static gboolean
require_resolved(MusterStore *store, const CountRow *c, GError **error)
{
  gint64 unresolved = 0;
  if (!count_unresolved(store, c->id, &unresolved, error))
    return FALSE;
  if (unresolved == 0)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
              g_dngettext(MUSTER_ENGINE_GETTEXT_DOMAIN,
                          "%lld discrepancy of count %lld has no resolution; resolve every one "
                          "before signing off (see 'muster count discrepancies --unresolved "
                          "%lld').",
                          "%lld discrepancies of count %lld have no resolution; resolve every "
                          "one before signing off (see 'muster count discrepancies "
                          "--unresolved %lld').",
                          (gulong)unresolved),
              (long long)unresolved, (long long)c->id, (long long)c->id);
  return FALSE;
}

static void
add_person(JsonBuilder *b, MusterStore *store, const char *role, gint64 user_id)
{
  g_autoptr(MusterUser) u = muster_users_get_by_id(store, user_id, NULL);
  json_builder_set_member_name(b, role);
  json_builder_begin_object(b);
  add_str(b, "uuid", u != NULL ? u->uuid : NULL);
  add_str(b, "name", u != NULL ? u->name : NULL);
  add_str(b, "full_name", u != NULL ? u->full_name : NULL);
  json_builder_end_object(b);
}

static void
add_figures(JsonBuilder *b, const MusterCount *c)
{
  json_builder_set_member_name(b, "figures");
  json_builder_begin_object(b);
  add_int(b, "expected", c->expected);
  add_int(b, "found", c->found);
  add_int(b, "found_expected", c->found_expected);
  add_int(b, "scans", c->scans);
  add_int(b, "unknown", c->unknown);
  add_int(b, "unreadable", c->unreadable);
  add_int(b, "unmarked", c->unmarked);
  add_int(b, "discrepancies", c->discrepancies);
  json_builder_end_object(b);
}

/* Each discrepancy with the resolution in force (the newest one). */
static gboolean
add_discrepancies(JsonBuilder *b, MusterStore *store, gint64 count_id, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT d.uuid, d.kind, d.subject, i.uuid, o.uuid, l.path, d.detail, d.created_at,"
      " r.uuid, r.action, r.reason, ru.name, ru.uuid, cu.name, cu.uuid, r.resolved_at"
      " FROM discrepancy d LEFT JOIN item i ON i.id = d.item_id"
      " LEFT JOIN item o ON o.id = d.other_item_id LEFT JOIN location l ON l.id = d.location_id"
      " LEFT JOIN resolution r ON r.id = (SELECT max(id) FROM resolution"
      "  WHERE discrepancy_id = d.id)"
      " LEFT JOIN app_user ru ON ru.id = r.resolved_by"
      " LEFT JOIN app_user cu ON cu.id = r.confirmed_by"
      " WHERE d.count_id = ? ORDER BY d.kind, d.subject",
      error);
  if (stmt == NULL)
    return FALSE;
  static const char *const fields[] = {
      "uuid",     "kind",   "subject",   "item_uuid", "other_item_uuid",
      "location", "detail", "created_at"};
  static const char *const res_fields[] = {"uuid",
                                           "action",
                                           "reason",
                                           "resolved_by",
                                           "resolved_by_uuid",
                                           "confirmed_by",
                                           "confirmed_by_uuid",
                                           "resolved_at"};
  sqlite3_bind_int64(stmt, 1, count_id);
  json_builder_set_member_name(b, "discrepancies");
  json_builder_begin_array(b);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    json_builder_begin_object(b);
    for (guint f = 0; f < G_N_ELEMENTS(fields); f++)
      add_str(b, fields[f], (const char *)sqlite3_column_text(stmt, (int)f));
    json_builder_set_member_name(b, "resolution");
    json_builder_begin_object(b);
    for (guint f = 0; f < G_N_ELEMENTS(res_fields); f++)
      add_str(b, res_fields[f], (const char *)sqlite3_column_text(stmt, (int)(8 + f)));
    json_builder_end_object(b);
    json_builder_end_object(b);
  }
  sqlite3_reset(stmt);
  json_builder_end_array(b);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading the discrepancies", error);
  return TRUE;
}

/* The registry's whole record of the count, read after the state changed. */
static JsonNode *
signed_off_payload(MusterStore *store, const CountRow *row, const MusterUser *actor, GError **error)
{
  g_autoptr(MusterCount) c = muster_counts_get_by_id(store, row->id, error);
  if (c == NULL)
    return NULL;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  add_str(b, "uuid", c->uuid);
  add_str(b, "armoury_uuid", muster_store_armoury_uuid(store));
  add_int(b, "number", c->id);
  json_builder_set_member_name(b, "scope");
  json_builder_begin_array(b);
  for (guint i = 0; i < c->scope->len; i++)
    json_builder_add_string_value(b, g_ptr_array_index(c->scope, i));
  json_builder_end_array(b);
  add_person(b, store, "counter", row->counter_id);
  add_person(b, store, "witness", row->witness_id);
  add_person(b, store, "signed_off_by", actor->id);
  json_builder_set_member_name(b, "blind");
  json_builder_add_boolean_value(b, c->blind);
  add_str(b, "started_at", c->started_at);
  add_str(b, "closed_at", c->closed_at);
  add_str(b, "reconciled_at", c->reconciled_at);
  add_str(b, "signed_off_at", c->signed_off_at);
  add_str(b, "note", c->signoff_note);
  add_figures(b, c);
  if (!add_discrepancies(b, store, c->id, error))
    return NULL;
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

static gboolean
mark_signed_off(MusterStore *store, const MusterUser *actor, gint64 id, const char *note,
                GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "UPDATE count_session SET state = 'signed_off', signed_off_at = ?, "
                        "signed_off_by = ?, signoff_note = ? WHERE id = ? AND state = 'reconciled'",
                        error);
  if (stmt == NULL)
    return FALSE;
  g_autofree char *now = muster_now_iso();
  sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, actor->id);
  muster_bind_text_or_null(stmt, 3, note);
  sqlite3_bind_int64(stmt, 4, id);
  return muster_store_step_done(store, stmt, "Signing off the count", error);
}

static gboolean
sign_off_in_tx(MusterStore *store, const MusterUser *actor, gint64 count_id, const char *note,
               GError **error)
{
  g_auto(CountRow) c = {0};
  if (!load_row(store, count_id, &c, error) || !require_signer(store, &c, actor, error) ||
      !require_state(&c, MUSTER_COUNT_RECONCILED, "Signing off", error) ||
      /* a supervisor answers for these numbers: nothing they rest on may have been
       * changed outside Muster since the count started, the register's list of repeated
       * markings included (said first: resolving the discrepancies of forged figures
       * would be wasted work) */
      !muster_audit_verify_count(store, count_id, TRUE, error) ||
      !muster_reconcile_check_register(store, count_id, error) ||
      !require_resolved(store, &c, error) ||
      !mark_signed_off(store, actor, count_id, note, error))
    return FALSE;
  g_autoptr(JsonNode) payload = signed_off_payload(store, &c, actor, error);
  if (payload == NULL)
    return FALSE;
  g_autofree char *detail = g_strdup_printf("{\"count\":%" G_GINT64_FORMAT "}", count_id);
  return muster_audit_append(store, actor->name, "count.sign_off", c.uuid, detail, error) &&
         muster_outbox_append(store, "count.signed_off", c.uuid, payload, error) &&
         muster_store_commit(store, error);
}

gboolean
muster_counts_sign_off(MusterStore *store, const MusterUser *actor, gint64 count_id,
                       const char *note, GError **error)
{
  if (!muster_store_begin(store, error) || !sign_off_in_tx(store, actor, count_id, note, error)) {
    muster_store_rollback(store);
    g_prefix_error(error, "Signing off count %" G_GINT64_FORMAT ": ", count_id);
    return FALSE;
  }
  return TRUE;
}
