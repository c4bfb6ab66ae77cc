/*
 * discrepancies.c: reading a count's discrepancies and resolving them (see
 * discrepancies.h).
 *
 * A discrepancy is read with its resolution in force: the newest one (an action
 * "reopened" puts it back to unresolved). They are listed in the kinds' table order, by a
 * CASE built from the table once. Once the count is signed off no resolution is appended;
 * the count_session trigger does not cover the resolution table, so the check lives here.
 */
#include "db/discrepancies.h"
#include "core/i18n.h"
#include "core/json-member.h"
#include "db/audit.h"
#include "db/locations.h"
#include "db/outbox.h"
#include "db/reconcile-private.h"

/* ---- reading discrepancies ---------------------------------------------------------- */

void
muster_discrepancy_free(MusterDiscrepancy *d)
{
  if (d == NULL)
    return;
  g_free(d->uuid);
  g_free(d->kind);
  g_free(d->subject);
  g_free(d->item_uuid);
  g_free(d->item_summary);
  g_free(d->other_item_uuid);
  g_free(d->location_path);
  g_free(d->detail);
  g_free(d->created_at);
  g_free(d->resolution_action);
  g_free(d->resolution_reason);
  g_free(d->resolved_by);
  g_free(d->confirmed_by);
  g_free(d->resolved_at);
  g_free(d);
}

/* clang-format off */
#define SQL_DISCREPANCY_SELECT                                                             \
  "SELECT d.id, d.uuid, d.count_id, d.kind, d.subject, i.uuid, " SQL_ITEM("i") ", o.uuid," \
  " l.path, d.detail, d.created_at, r.action, r.reason, ru.name, rc.name, r.resolved_at"   \
  " FROM discrepancy d LEFT JOIN item i ON i.id = d.item_id"                               \
  " LEFT JOIN item o ON o.id = d.other_item_id"                                            \
  " LEFT JOIN location l ON l.id = d.location_id"                                          \
  " LEFT JOIN resolution r ON r.id = (SELECT max(id) FROM resolution"                      \
  "  WHERE discrepancy_id = d.id)"                                                         \
  " LEFT JOIN app_user ru ON ru.id = r.resolved_by"                                        \
  " LEFT JOIN app_user rc ON rc.id = r.confirmed_by "
/* clang-format on */

static MusterDiscrepancy *
discrepancy_from_row(sqlite3_stmt *stmt)
{
  MusterDiscrepancy *d = g_new0(MusterDiscrepancy, 1);
  d->id = sqlite3_column_int64(stmt, 0);
  d->uuid = muster_column_dup(stmt, 1);
  d->count_id = sqlite3_column_int64(stmt, 2);
  d->kind = muster_column_dup(stmt, 3);
  d->subject = muster_column_dup(stmt, 4);
  d->item_uuid = muster_column_dup(stmt, 5);
  d->item_summary = muster_column_dup(stmt, 6);
  d->other_item_uuid = muster_column_dup(stmt, 7);
  d->location_path = muster_column_dup(stmt, 8);
  d->detail = muster_column_dup(stmt, 9);
  d->created_at = muster_column_dup(stmt, 10);
  d->resolution_action = muster_column_dup(stmt, 11);
  d->resolution_reason = muster_column_dup(stmt, 12);
  d->resolved_by = muster_column_dup(stmt, 13);
  d->confirmed_by = muster_column_dup(stmt, 14);
  d->resolved_at = muster_column_dup(stmt, 15);
  return d;
}

static gboolean
check_filter(const MusterDiscrepancyFilter *filter, char **path_out, GError **error)
{
  if (filter == NULL)
    return TRUE;
  if (filter->kind != NULL && !muster_discrepancy_kind_check(filter->kind, error))
    return FALSE;
  if (filter->location_path != NULL && *filter->location_path != '\0') {
    *path_out = muster_location_normalise_path(filter->location_path, error);
    if (*path_out == NULL)
      return FALSE;
    if (**path_out == '\0') /* the armoury: everything */
      g_clear_pointer(path_out, g_free);
  }
  return TRUE;
}

/* The list's query, ordered by the kinds' table: its CASE has a WHEN for every kind and
 * no ELSE (the schema allows no other kind: tests/unit/test-closed-lists.c). Built once;
 * the names are the table's constants, never user data. */
static const char *
sql_list(void)
{
  static gsize once = 0;
  static const char *sql;
  if (g_once_init_enter(&once)) {
    GString *s = g_string_new(
        SQL_DISCREPANCY_SELECT
        "WHERE d.count_id = :cid AND (:kind IS NULL OR d.kind = :kind)"
        " AND (:path IS NULL OR l.path = :path OR substr(l.path, 1, length(:path) + 1)"
        "  = :path || '/')"
        " AND (:resolved < 0 OR :resolved = (r.id IS NOT NULL AND r.action <> 'reopened'))"
        " ORDER BY CASE d.kind");
    for (guint k = 0; k < MUSTER_N_DISCREPANCY_KINDS; k++)
      g_string_append_printf(s, " WHEN '%s' THEN %u", muster_discrepancy_kind_name(k), k);
    g_string_append(s, " END, d.subject");
    sql = g_string_free(s, FALSE);
    g_once_init_leave(&once, 1);
  }
  return sql;
}

gboolean
muster_discrepancies_foreach(MusterStore *store, gint64 count_id,
                             const MusterDiscrepancyFilter *filter, MusterDiscrepancyFunc func,
                             gpointer user_data, GError **error)
{
  g_autofree char *path = NULL;
  if (!check_filter(filter, &path, error) || !reconcile_count_exists(store, count_id, error))
    return FALSE;
  sqlite3_stmt *stmt = muster_store_stmt(store, sql_list(), error);
  if (stmt == NULL)
    return FALSE;
  bind_named_int(stmt, ":cid", count_id);
  if (filter != NULL && filter->kind != NULL)
    bind_named_text(stmt, ":kind", filter->kind);
  if (path != NULL)
    bind_named_text(stmt, ":path", path);
  bind_named_int(stmt, ":resolved", filter != NULL ? filter->resolved : -1);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    func(discrepancy_from_row(stmt), user_data);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading the discrepancies", error);
  return TRUE;
}

static void
append_discrepancy(MusterDiscrepancy *d, gpointer out)
{
  g_ptr_array_add(out, d);
}

GPtrArray *
muster_discrepancies_list(MusterStore *store, gint64 count_id,
                          const MusterDiscrepancyFilter *filter, GError **error)
{
  g_autoptr(GPtrArray) out =
      g_ptr_array_new_with_free_func((GDestroyNotify)muster_discrepancy_free);
  if (!muster_discrepancies_foreach(store, count_id, filter, append_discrepancy, out, error))
    return NULL;
  return g_steal_pointer(&out);
}

static gboolean
all_digits(const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit(*s))
      return FALSE;
  return TRUE;
}

MusterDiscrepancy *
muster_discrepancies_get(MusterStore *store, const char *id_or_uuid, GError **error)
{
  const char *key = id_or_uuid != NULL ? id_or_uuid : "";
  sqlite3_stmt *stmt =
      muster_store_stmt(store, SQL_DISCREPANCY_SELECT "WHERE d.id = :id OR d.uuid = :uuid", error);
  if (stmt == NULL)
    return NULL;
  guint64 id = 0;
  if (all_digits(key) && g_ascii_string_to_unsigned(key, 10, 1, G_MAXINT64, &id, NULL))
    bind_named_int(stmt, ":id", (gint64)id);
  else
    bind_named_text(stmt, ":uuid", key);
  int rc = sqlite3_step(stmt);
  MusterDiscrepancy *d = rc == SQLITE_ROW ? discrepancy_from_row(stmt) : NULL;
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                _("There is no discrepancy '%s'. 'muster count discrepancies COUNT' lists them."),
                key);
  else if (rc != SQLITE_ROW)
    muster_store_fail(store, rc, "Reading the discrepancy", error);
  return d;
}

/* ---- resolving ---------------------------------------------------------------------- */

static gboolean
check_action_and_reason(const char *action, const char *reason, GError **error)
{
  if (!muster_resolution_action_check(action, error))
    return FALSE;
  g_autofree char *trimmed = g_strstrip(g_strdup(reason != NULL ? reason : ""));
  if (*trimmed == '\0') {
    g_set_error_literal(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                        _("A resolution needs a reason: say what was done and why."));
    return FALSE;
  }
  return TRUE;
}

/* The confirmer: another person, whose account is active now. */
static gboolean
check_confirmer(MusterStore *store, const MusterDiscrepancy *d, const MusterUser *actor,
                const MusterUser *confirmer, GError **error)
{
  if (confirmer == NULL && !muster_discrepancy_kind_needs_second_person(d->kind))
    return TRUE;
  if (confirmer == NULL) {
    MusterDiscrepancyKind kind = MUSTER_DISCREPANCY_MISSING;
    muster_discrepancy_kind_from_name(d->kind, &kind);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("Resolving %s (%s) needs a second person to confirm: another user must "
                  "sign in with their PIN."),
                muster_discrepancy_kind_table[kind].in_a_sentence, d->subject);
    return FALSE;
  }
  if (confirmer->id == actor->id) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("%s cannot confirm their own resolution: another user must confirm it."),
                actor->name);
    return FALSE;
  }
  g_autoptr(GError) local = NULL;
  g_autoptr(MusterUser) now = muster_users_get_by_id(store, confirmer->id, &local);
  if (now == NULL || !now->active || now->locked) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("%s cannot confirm: the account is %s. Ask another active user."),
                confirmer->name,
                now == NULL   ? "unknown"
                : now->locked ? "locked"
                              : "deactivated");
    return FALSE;
  }
  return TRUE;
}

static gboolean
require_resolver(MusterStore *store, const MusterDiscrepancy *d, const MusterUser *actor,
                 GError **error)
{
  g_autofree char *what = g_strdup_printf("Resolving discrepancy %" G_GINT64_FORMAT " (%s %s)",
                                          d->id, d->kind, d->subject);
  /* A missing weapon or one recorded stolen yet found is a finding a supervisor answers
   * for; an admin keeps the system, not the stock. */
  if (muster_discrepancy_kind_needs_second_person(d->kind))
    return muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_SUPERVISOR), what, error);
  return muster_require_role(store, actor, MUSTER_ROLE_SUPERVISOR, what, error);
}

typedef struct {
  gboolean signed_off;
  char *count_uuid;
  gint64 previous_id;
  char *previous_uuid;
} ResolveContext;

static void
resolve_context_clear(ResolveContext *r)
{
  g_free(r->count_uuid);
  g_free(r->previous_uuid);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ResolveContext, resolve_context_clear)

static gboolean
load_resolve_context(MusterStore *store, const MusterDiscrepancy *d, ResolveContext *ctx,
                     GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "SELECT c.state = 'signed_off', c.uuid, r.id, r.uuid FROM count_session c"
                        " LEFT JOIN resolution r ON r.id = (SELECT max(id) FROM resolution"
                        "  WHERE discrepancy_id = :did) WHERE c.id = :cid",
                        error);
  if (stmt == NULL)
    return FALSE;
  bind_named_int(stmt, ":did", d->id);
  bind_named_int(stmt, ":cid", d->count_id);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    ctx->signed_off = sqlite3_column_int(stmt, 0);
    ctx->count_uuid = muster_column_dup(stmt, 1);
    ctx->previous_id = sqlite3_column_int64(stmt, 2);
    ctx->previous_uuid = muster_column_dup(stmt, 3);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Reading the count of the discrepancy", error);
  if (ctx->signed_off) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                "Count %" G_GINT64_FORMAT " is signed off, so its discrepancies can no longer "
                "be resolved. Record what changed as a correction of the item instead.",
                d->count_id);
    return FALSE;
  }
  return TRUE;
}

static gboolean
insert_resolution(MusterStore *store, const MusterDiscrepancy *d, const ResolveContext *ctx,
                  const MusterUser *actor, const MusterUser *confirmer, const char *uuid,
                  const char *action, const char *reason, const char *now, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "INSERT INTO resolution (uuid, discrepancy_id, action, reason, resolved_by,"
      " confirmed_by, resolved_at, supersedes_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, d->id);
  sqlite3_bind_text(stmt, 3, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 5, actor->id);
  if (confirmer != NULL)
    sqlite3_bind_int64(stmt, 6, confirmer->id);
  sqlite3_bind_text(stmt, 7, now, -1, SQLITE_TRANSIENT);
  if (ctx->previous_id > 0)
    sqlite3_bind_int64(stmt, 8, ctx->previous_id);
  return muster_store_step_done(store, stmt, "Storing the resolution", error);
}

static JsonNode *
resolution_json(const MusterDiscrepancy *d, const ResolveContext *ctx, const MusterUser *actor,
                const MusterUser *confirmer, const char *uuid, const char *action,
                const char *reason, const char *now)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "discrepancy");
  json_builder_begin_object(b);
  muster_json_add_str(b, "uuid", d->uuid);
  muster_json_add_str(b, "count_uuid", ctx->count_uuid);
  muster_json_add_str(b, "kind", d->kind);
  muster_json_add_str(b, "subject", d->subject);
  muster_json_add_str(b, "item_uuid", d->item_uuid);
  muster_json_add_str(b, "other_item_uuid", d->other_item_uuid);
  muster_json_add_str(b, "location", d->location_path);
  muster_json_add_str(b, "detail", d->detail);
  json_builder_end_object(b);
  json_builder_set_member_name(b, "resolution");
  json_builder_begin_object(b);
  muster_json_add_str(b, "uuid", uuid);
  muster_json_add_str(b, "action", action);
  muster_json_add_str(b, "reason", reason);
  muster_json_add_str(b, "resolved_by", actor->name);
  muster_json_add_str(b, "confirmed_by", confirmer != NULL ? confirmer->name : NULL);
  muster_json_add_str(b, "resolved_at", now);
  muster_json_add_str(b, "supersedes", ctx->previous_uuid);
  json_builder_end_object(b);
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

static gboolean
resolve_in_tx(MusterStore *store, const MusterUser *actor, const MusterUser *confirmer,
              gint64 discrepancy_id, const char *action, const char *reason, GError **error)
{
  g_autofree char *key = g_strdup_printf("%" G_GINT64_FORMAT, discrepancy_id);
  g_autoptr(MusterDiscrepancy) d = muster_discrepancies_get(store, key, error);
  g_auto(ResolveContext) ctx = {0};
  if (d == NULL || !load_resolve_context(store, d, &ctx, error) ||
      !require_resolver(store, d, actor, error) || !check_confirmer(store, d, actor, confirmer, error) ||
      !check_action_and_reason(action, reason, error))
    return FALSE;
  g_autofree char *uuid = muster_uuid_new();
  g_autofree char *now = muster_now_iso();
  g_autofree char *why = g_strstrip(g_strdup(reason));
  if (!insert_resolution(store, d, &ctx, actor, confirmer, uuid, action, why, now, error))
    return FALSE;
  g_autoptr(JsonNode) payload = resolution_json(d, &ctx, actor, confirmer, uuid, action, why, now);
  g_autofree char *detail = json_to_string(payload, FALSE);
  return muster_audit_append(store, actor->name, "discrepancy.resolve", d->uuid, detail, error) &&
         muster_outbox_append(store, "discrepancy.resolved", d->uuid, payload, error);
}

gboolean
muster_discrepancies_resolve(MusterStore *store, const MusterUser *actor,
                             const MusterUser *confirmer, gint64 discrepancy_id, const char *action,
                             const char *reason, GError **error)
{
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!resolve_in_tx(store, actor, confirmer, discrepancy_id, action, reason, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return muster_store_commit(store, error);
}
