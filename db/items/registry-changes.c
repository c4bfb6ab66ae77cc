/*
 * registry-changes.c: applying the registry's changes, once each. See registry-changes.h.
 *
 * Items and markings are written through the item engine's own helpers
 * (db/items/items-private.h), so a registry-assigned item is recorded with exactly the
 * rows an imported one gets; only the actor differs (the system: user NULL).
 */
#include "db/registry-changes.h"
#include "core/json-member.h"

#include "db/audit.h"
#include "db/items/items-private.h"
#include "db/outbox.h"
#include "db/store-private.h"

typedef struct {
  MusterChangeOutcome outcome;
  char *detail;
  char *item_uuid;
} Applied;

static const char *const change_outcome_names[] = {"applied", "conflict", "skipped",
                                                    "already_applied"};

const MusterClosedList muster_change_outcome_list = MUSTER_CLOSED_LIST(change_outcome_names);

const char *
muster_change_outcome_to_string(MusterChangeOutcome outcome)
{
  return muster_closed_list_name(&muster_change_outcome_list, outcome);
}

static const char *
member_str(JsonObject *o, const char *name)
{
  return muster_json_str(o, name, NULL);
}

static int
member_int(JsonObject *o, const char *name)
{
  return (int)CLAMP(muster_json_int_or(o, name, 0), G_MININT, G_MAXINT);
}

static void skip(Applied *a, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
skip(Applied *a, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  a->outcome = MUSTER_CHANGE_SKIPPED;
  g_free(a->detail);
  a->detail = g_strdup_vprintf(fmt, ap);
  va_end(ap);
}

static gboolean
already_applied(MusterStore *store, gint64 version, gboolean *done, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "SELECT 1 FROM registry_change WHERE version = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, version);
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading the applied registry changes", error);
  *done = rc == SQLITE_ROW;
  return TRUE;
}

/* Unresolved: no resolution, or the newest one reopened it. */
static gboolean
unresolved_discrepancies(MusterStore *store, gint64 item_id, char **uuids, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT group_concat(d.uuid, ',') FROM discrepancy d WHERE (d.item_id = ?1 OR "
      "d.other_item_id = ?1) AND coalesce((SELECT r.action FROM resolution r WHERE "
      "r.discrepancy_id = d.id ORDER BY r.id DESC LIMIT 1), 'reopened') = 'reopened'",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, item_id);
  int rc = sqlite3_step(stmt);
  *uuids = rc == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Reading the item's discrepancies", error);
  return TRUE;
}

static MusterItem *
item_from_payload(JsonObject *o)
{
  MusterItem *item = g_new0(MusterItem, 1);
  item->manufacturer = g_strdup(member_str(o, "manufacturer"));
  item->country = g_strdup(member_str(o, "country_of_manufacture"));
  item->serial = g_strdup(member_str(o, "serial"));
  item->model = g_strdup(member_str(o, "model"));
  item->category = g_strdup(member_str(o, "category"));
  item->calibre = g_strdup(member_str(o, "calibre"));
  item->year = member_int(o, "year");
  item->import_country = g_strdup(member_str(o, "import_country"));
  item->import_year = member_int(o, "import_year");
  item->state_marking = g_strdup(member_str(o, "state_marking"));
  item->frame_material = g_strdup(member_str(o, "frame_material"));
  item->markings = item_markings_new();
  JsonNode *mn = json_object_get_member(o, "markings");
  JsonArray *ms = mn != NULL && JSON_NODE_HOLDS_ARRAY(mn) ? json_node_get_array(mn) : NULL;
  for (guint i = 0; ms != NULL && i < json_array_get_length(ms); i++) {
    JsonNode *m = json_array_get_element(ms, i);
    JsonObject *mo = JSON_NODE_HOLDS_OBJECT(m) ? json_node_get_object(m) : NULL;
    if (mo != NULL)
      g_ptr_array_add(item->markings,
                      item_marking_new(member_str(mo, "kind"), member_str(mo, "component"),
                                       member_str(mo, "value")));
  }
  return item;
}

/* Central status change on a known item: always applied (see the header). */
static gboolean
set_status(MusterStore *store, const MusterItem *item, MusterStatus status, const char *custodian,
           const char *reason, const char *now, Applied *a, GError **error)
{
  g_autofree char *open = NULL;
  if (!unresolved_discrepancies(store, item->id, &open, error))
    return FALSE;
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "UPDATE item SET status = ?, custodian = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, muster_status_to_string(status), -1, SQLITE_STATIC);
  muster_bind_text_or_null(stmt, 2, custodian);
  sqlite3_bind_int64(stmt, 3, item->id);
  if (!muster_store_step_done(store, stmt, "Applying the registry's status change", error) ||
      !item_insert_event(store, item->id, now, "registry", muster_status_to_string(item->status),
                         muster_status_to_string(status), NULL, reason, 0, error))
    return FALSE;
  if (open != NULL) {
    a->outcome = MUSTER_CHANGE_CONFLICT;
    a->detail = g_strdup_printf("status set to %s centrally while discrepancies %s are "
                                "unresolved here; they stay open for review",
                                muster_status_to_string(status), open);
  }
  return TRUE;
}

static gboolean
apply_status(MusterStore *store, JsonObject *p, const char *now, Applied *a, GError **error)
{
  MusterStatus status;
  const char *uuid = member_str(p, "item_uuid");
  g_autoptr(GError) local = NULL;
  if (!muster_status_from_string(member_str(p, "status"), &status, &local)) {
    skip(a, "%s", local->message);
    return TRUE;
  }
  g_autoptr(MusterItem) item = uuid != NULL ? muster_items_get_by_uuid(store, uuid, &local) : NULL;
  if (item == NULL) {
    if (local != NULL && !g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND)) {
      g_propagate_error(error, g_steal_pointer(&local));
      return FALSE;
    }
    skip(a, "item %s is not recorded in this armoury", uuid != NULL ? uuid : "(none)");
    return TRUE;
  }
  a->item_uuid = g_strdup(uuid);
  return set_status(store, item, status, member_str(p, "custodian"), member_str(p, "reason"), now,
                    a, error);
}

/* Takes item. */
static gboolean
insert_new_item(MusterStore *store, MusterItem *item, const char *uuid, gint64 version,
                const char *now, Applied *a, GError **error)
{
  gint64 id = 0, same = 0;
  g_autofree char *same_uuid = NULL;
  g_autoptr(MusterItem) owned = item;
  if (!item_find_same_serial(store, item->manufacturer, item->serial, &same, &same_uuid, error))
    return FALSE;
  if (same != 0) {
    a->outcome = MUSTER_CHANGE_CONFLICT;
    a->detail = g_strdup_printf("%s serial %s is already recorded here as item %s; the "
                                "registry must merge the two records",
                                item->manufacturer, item->serial, same_uuid);
    return TRUE;
  }
  if (!item_next_id(store, &id, error))
    return FALSE;
  g_autoptr(GArray) items = item_new_array();
  g_array_set_size(items, 1);
  ItemNew *n = &g_array_index(items, ItemNew, 0);
  item_new_init(n, g_steal_pointer(&owned), id, 0, now,
                g_strdup_printf("assigned by the registry (change %" G_GINT64_FORMAT ")", version));
  g_free(item->uuid);
  item->uuid = g_strdup(uuid);
  return item_write_new(store, NULL, items, now, error);
}

static gboolean
apply_assigned(MusterStore *store, gint64 version, JsonObject *p, const char *now, Applied *a,
               GError **error)
{
  JsonNode *in = json_object_get_member(p, "item");
  JsonObject *io = in != NULL && JSON_NODE_HOLDS_OBJECT(in) ? json_node_get_object(in) : NULL;
  const char *uuid = member_str(io, "uuid");
  MusterStatus status = MUSTER_STATUS_IN_TRANSIT;
  if (uuid == NULL || (member_str(io, "status") != NULL &&
                       !muster_status_from_string(member_str(io, "status"), &status, NULL))) {
    skip(a, "the assigned item has no uuid or an unknown status");
    return TRUE;
  }
  a->item_uuid = g_strdup(uuid);
  g_autoptr(GError) local = NULL;
  g_autoptr(MusterItem) known = muster_items_get_by_uuid(store, uuid, &local);
  if (known != NULL) /* transferred back here: its record is ours already */
    return set_status(store, known, status, NULL, member_str(p, "reason"), now, a, error);
  if (!g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND)) {
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
  }
  MusterItem *item = item_from_payload(io);
  item->status = status;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  item_check(problems, item);
  if (problems->len > 0) {
    g_autofree char *why = item_problems_joined(problems);
    skip(a, "the assigned item's record is invalid: %s", why);
    muster_item_free(item);
    return TRUE;
  }
  return insert_new_item(store, item, uuid, version, now, a, error);
}

static gboolean
apply_marking(MusterStore *store, JsonObject *p, const char *now, Applied *a, GError **error)
{
  const char *uuid = member_str(p, "item_uuid");
  g_autoptr(GError) local = NULL;
  g_autoptr(MusterItem) item = uuid != NULL ? muster_items_get_by_uuid(store, uuid, &local) : NULL;
  if (item == NULL) {
    if (local != NULL && !g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND)) {
      g_propagate_error(error, g_steal_pointer(&local));
      return FALSE;
    }
    skip(a, "item %s is not recorded in this armoury", uuid != NULL ? uuid : "(none)");
    return TRUE;
  }
  a->item_uuid = g_strdup(uuid);
  g_autoptr(MusterMarking) m =
      item_marking_new(member_str(p, "kind"), member_str(p, "component"), member_str(p, "value"));
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  if (!item_check_marking(problems, m)) {
    g_autofree char *why = item_problems_joined(problems);
    skip(a, "the assigned marking is invalid: %s", why);
    return TRUE;
  }
  if (!item_load_markings(store, item, error))
    return FALSE;
  for (guint i = 0; i < item->markings->len; i++) {
    if (item_marking_same_tag(g_ptr_array_index(item->markings, i), m)) {
      skip(a, "the item already carries or once carried marking %s", m->value);
      return TRUE;
    }
  }
  return item_insert_marking(store, item->id, m, now, error) &&
         item_marking_event(store, NULL, item, m, TRUE, now, member_str(p, "reason"), error);
}

/* The registry_change row, the progress, an audit entry and the outcome for the registry. */
static gboolean
record_change(MusterStore *store, gint64 version, const char *kind, JsonObject *payload,
              const Applied *a, const char *now, GError **error)
{
  g_autoptr(JsonNode) pn = json_node_init_object(json_node_alloc(), payload);
  g_autofree char *ptext = json_to_string(pn, FALSE);
  const char *outcome = muster_change_outcome_to_string(a->outcome);
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "INSERT INTO registry_change (version, kind, item_uuid, payload, applied_at, outcome) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, version);
  sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_TRANSIENT);
  muster_bind_text_or_null(stmt, 3, a->item_uuid);
  sqlite3_bind_text(stmt, 4, ptext, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 5, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 6, outcome, -1, SQLITE_STATIC);
  if (!muster_store_step_done(store, stmt, "Recording the registry change", error))
    return FALSE;
  stmt = muster_store_stmt(
      store, "UPDATE sync_state SET pulled_version = max(pulled_version, ?) WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, version);
  if (!muster_store_step_done(store, stmt, "Recording the registry change", error))
    return FALSE;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "version");
  json_builder_add_int_value(b, version);
  muster_json_add_str(b, "kind", kind);
  muster_json_add_str(b, "item_uuid", a->item_uuid);
  muster_json_add_str(b, "outcome", outcome);
  muster_json_add_str(b, "detail", a->detail);
  g_autoptr(JsonNode) out = item_json_finish(b);
  g_autofree char *detail = json_to_string(out, FALSE);
  g_autofree char *subject = g_strdup_printf("registry change %" G_GINT64_FORMAT, version);
  return muster_audit_append(store, NULL, "registry.apply", subject, detail, error) &&
         muster_outbox_append(store, "registry.applied", a->item_uuid != NULL ? a->item_uuid : "",
                              out, error);
}

static gboolean
apply_in_transaction(MusterStore *store, gint64 version, const char *kind, JsonObject *payload,
                     Applied *a, GError **error)
{
  g_autofree char *now = muster_now_iso();
  gboolean ok;
  if (g_strcmp0(kind, "item.assigned") == 0)
    ok = apply_assigned(store, version, payload, now, a, error);
  else if (g_strcmp0(kind, "item.status") == 0)
    ok = apply_status(store, payload, now, a, error);
  else if (g_strcmp0(kind, "marking.assigned") == 0)
    ok = apply_marking(store, payload, now, a, error);
  else {
    skip(a, "this appliance does not know changes of kind \"%s\"; update it", kind);
    ok = TRUE;
  }
  return ok && record_change(store, version, kind, payload, a, now, error);
}

gboolean
muster_registry_change_apply(MusterStore *store, gint64 version, const char *kind,
                             JsonObject *payload, MusterChangeOutcome *outcome, char **detail,
                             GError **error)
{
  Applied a = {MUSTER_CHANGE_APPLIED, NULL, NULL};
  gboolean done = FALSE;
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!already_applied(store, version, &done, error) ||
      (!done && !apply_in_transaction(store, version, kind, payload, &a, error)) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    g_prefix_error(error, "Applying registry change %" G_GINT64_FORMAT " (%s): ", version, kind);
    g_free(a.detail);
    g_free(a.item_uuid);
    return FALSE;
  }
  if (done)
    a.outcome = MUSTER_CHANGE_ALREADY_APPLIED;
  if (outcome != NULL)
    *outcome = a.outcome;
  if (detail != NULL)
    *detail = g_steal_pointer(&a.detail);
  g_free(a.detail);
  g_free(a.item_uuid);
  return TRUE;
}
