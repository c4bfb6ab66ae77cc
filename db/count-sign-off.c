/*
 * count-sign-off.c: a supervisor signs a reconciled count off, and the registry gets
 * the whole record of it.
 *
 * Sign-off is a supervisor's answer for the figures, so it is refused to the count's
 * counter, refused while any discrepancy has no resolution in force, and refused when
 * anything the figures rest on was changed outside Muster since the count started
 * (db/audit.c, muster_reconcile_check_register()). The state change, its audit entry and
 * the outbox event "count.signed_off" are one transaction; the event carries the whole
 * count (people, figures, every discrepancy with the resolution in force), so the
 * registry keeps the record without asking for anything else. A signed-off count
 * refuses every change (count-row.c), and the count_session trigger refuses it again in
 * the database.
 */
#include "core/i18n.h"
#include "db/audit.h"
#include "db/count-private.h"
#include "db/count-row.h"
#include "db/counts.h"
#include "db/outbox.h"
#include "db/reconcile.h"

static gboolean
count_unresolved(MusterStore *store, gint64 count_id, gint64 *n, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, "SELECT " MUSTER_COUNT_SQL_UNRESOLVED, error);
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
require_signer(MusterStore *store, const MusterCountRow *c, const MusterUser *actor, GError **error)
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
require_resolved(MusterStore *store, const MusterCountRow *c, GError **error)
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
  muster_json_add_str(b, "uuid", u != NULL ? u->uuid : NULL);
  muster_json_add_str(b, "name", u != NULL ? u->name : NULL);
  muster_json_add_str(b, "full_name", u != NULL ? u->full_name : NULL);
  json_builder_end_object(b);
}

static void
add_figures(JsonBuilder *b, const MusterCount *c)
{
  json_builder_set_member_name(b, "figures");
  json_builder_begin_object(b);
  count_json_int(b, "expected", c->expected);
  count_json_int(b, "found", c->found);
  count_json_int(b, "found_expected", c->found_expected);
  count_json_int(b, "scans", c->scans);
  count_json_int(b, "unknown", c->unknown);
  count_json_int(b, "unreadable", c->unreadable);
  count_json_int(b, "unmarked", c->unmarked);
  count_json_int(b, "discrepancies", c->discrepancies);
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
      muster_json_add_str(b, fields[f], (const char *)sqlite3_column_text(stmt, (int)f));
    json_builder_set_member_name(b, "resolution");
    json_builder_begin_object(b);
    for (guint f = 0; f < G_N_ELEMENTS(res_fields); f++)
      muster_json_add_str(b, res_fields[f], (const char *)sqlite3_column_text(stmt, (int)(8 + f)));
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
signed_off_payload(MusterStore *store, const MusterCountRow *row, const MusterUser *actor,
                   GError **error)
{
  g_autoptr(MusterCount) c = muster_counts_get_by_id(store, row->id, error);
  if (c == NULL)
    return NULL;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  muster_json_add_str(b, "uuid", c->uuid);
  muster_json_add_str(b, "armoury_uuid", muster_store_armoury_uuid(store));
  count_json_int(b, "number", c->id);
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
  muster_json_add_str(b, "started_at", c->started_at);
  muster_json_add_str(b, "closed_at", c->closed_at);
  muster_json_add_str(b, "reconciled_at", c->reconciled_at);
  muster_json_add_str(b, "signed_off_at", c->signed_off_at);
  muster_json_add_str(b, "note", c->signoff_note);
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
  g_auto(MusterCountRow) c = {0};
  if (!muster_count_load(store, count_id, &c, error) || !require_signer(store, &c, actor, error) ||
      !muster_count_require_move(&c, MUSTER_COUNT_SIGNED_OFF, "Signing off", error) ||
      /* a supervisor answers for these numbers: nothing they rest on may have been
       * changed outside Muster since the count started, the register's list of repeated
       * markings included (said first: resolving the discrepancies of forged figures
       * would be wasted work) */
      !muster_audit_verify_count(store, count_id, TRUE, error) ||
      !muster_reconcile_check_register(store, count_id, error) ||
      !require_resolved(store, &c, error) || !mark_signed_off(store, actor, count_id, note, error))
    return FALSE;
  g_autoptr(JsonNode) payload = signed_off_payload(store, &c, actor, error);
  if (payload == NULL)
    return FALSE;
  g_autofree char *detail = g_strdup_printf("{\"count\":%" G_GINT64_FORMAT "}", count_id);
  if (!muster_audit_append(store, actor->name, "count.sign_off", c.uuid, detail, error) ||
      !muster_outbox_append(store, "count.signed_off", c.uuid, payload, error) ||
      !muster_store_commit(store, error))
    return FALSE;
  muster_count_log_event(MUSTER_EVENT_COUNT_SIGNED_OFF, &c, actor->name, NULL);
  return TRUE;
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
