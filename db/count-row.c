/*
 * count-row.c: loading a count's row, and who may act on it in which state (see
 * count-row.h).
 *
 * One statement reads the row, the counter's name joined in (reconciliation's refusal
 * names the counter): it runs once per change and once per ingest flush, by primary key,
 * so the join costs nothing worth keeping a second query for. The refusals say what the
 * person can do next; a signed-off count has its own, since nothing can be done to it.
 */
#include "db/count-row.h"
#include "db/store-private.h"
#include "core/i18n.h"

void
muster_count_row_clear(MusterCountRow *row)
{
  g_clear_pointer(&row->uuid, g_free);
  g_clear_pointer(&row->counter, g_free);
  g_clear_pointer(&row->closed_at, g_free);
}

static gboolean
row_from_stmt(sqlite3_stmt *stmt, gint64 id, MusterCountRow *row, GError **error)
{
  const char *state = (const char *)sqlite3_column_text(stmt, 1);
  if (!muster_count_state_from_name(state, &row->state)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED,
                "Count %" G_GINT64_FORMAT " is in a state Muster does not know ('%s').", id,
                state != NULL ? state : "");
    return FALSE;
  }
  row->id = id;
  row->uuid = muster_column_dup(stmt, 0);
  row->counter_id = sqlite3_column_int64(stmt, 2);
  row->witness_id = sqlite3_column_int64(stmt, 3);
  row->counter = muster_column_dup(stmt, 4);
  row->closed_at = muster_column_dup(stmt, 5);
  return TRUE;
}

gboolean
muster_count_load(MusterStore *store, gint64 id, MusterCountRow *row, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT c.uuid, c.state, c.counter_id, c.witness_id, u.name, c.closed_at"
      " FROM count_session c JOIN app_user u ON u.id = c.counter_id WHERE c.id = ?",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  gboolean ok = rc == SQLITE_ROW && row_from_stmt(stmt, id, row, error);
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE)
    return muster_count_not_found(id, error);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Reading the count", error);
  return ok;
}

gboolean
muster_count_not_found(gint64 id, GError **error)
{
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
              "There is no count %" G_GINT64_FORMAT "; list the counts with 'muster count list'.",
              id);
  return FALSE;
}

gboolean
muster_count_require_participant(MusterStore *store, const MusterCountRow *c,
                                 const MusterUser *actor, gboolean witness_may, const char *what,
                                 const char *as_other, GError **error)
{
  if (!muster_require_role(store, actor, MUSTER_ROLE_STAFF, what, error))
    return FALSE;
  if (actor->id == c->counter_id || (witness_may && actor->id == c->witness_id))
    return TRUE;
  g_autofree char *why =
      as_other != NULL
          ? g_strdup(as_other)
          : g_strdup_printf("%s count %" G_GINT64_FORMAT " as someone other than its %s", what,
                            c->id, witness_may ? "counter or witness" : "counter");
  return muster_require_role(store, actor, MUSTER_ROLE_SUPERVISOR, why, error);
}

static gboolean
refuse_signed_off(const MusterCountRow *c, GError **error)
{
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
              _("Count %lld is signed off and can no longer be changed; record a "
                "correction in a new count."),
              (long long)c->id);
  return FALSE;
}

static gboolean
refuse_state(const MusterCountRow *c, const char *doing, const char *want, GError **error)
{
  if (c->state == MUSTER_COUNT_SIGNED_OFF)
    return refuse_signed_off(c, error);
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
              "%s needs count %" G_GINT64_FORMAT " to be %s, but it is %s.", doing, c->id, want,
              muster_count_state_label(c->state));
  return FALSE;
}

gboolean
muster_count_require_state(const MusterCountRow *c, MusterCountState want, const char *doing,
                           GError **error)
{
  if (c->state == want)
    return TRUE;
  return refuse_state(c, doing, muster_count_state_label(want), error);
}

gboolean
muster_count_require_move(const MusterCountRow *c, MusterCountState to, const char *doing,
                          GError **error)
{
  if (muster_count_state_may_become(c->state, to))
    return TRUE;
  /* the states it could have been in: "open", or "closed or reconciled" */
  g_autoptr(GString) from = g_string_new(NULL);
  for (guint s = 0; s < MUSTER_COUNT_N_STATES; s++) {
    if (!muster_count_state_may_become((MusterCountState)s, to))
      continue;
    g_string_append_printf(from, "%s%s", from->len > 0 ? " or " : "",
                           muster_count_state_label((MusterCountState)s));
  }
  return refuse_state(c, doing, from->str, error);
}

void
muster_count_log_event(MusterEvent event, const MusterCountRow *c, const char *actor,
                       const char *detail)
{
  static const char *const done[] = {
      [MUSTER_EVENT_COUNT_STARTED] = "started",
      [MUSTER_EVENT_COUNT_CLOSED] = "closed",
      [MUSTER_EVENT_COUNT_RECONCILED] = "reconciled",
      [MUSTER_EVENT_COUNT_SIGNED_OFF] = "signed off",
  };
  g_return_if_fail(event < G_N_ELEMENTS(done) && done[event] != NULL);
  g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, c->id);
  const char *const fields[] = {"MUSTER_COUNT", id, "MUSTER_COUNT_UUID", c->uuid,
                                "MUSTER_USER", actor, NULL};
  muster_log_event(event, fields, "Count %s (%s) %s by %s%s%s", id, c->uuid, done[event], actor,
                   detail != NULL ? ": " : "", detail != NULL ? detail : "");
}
