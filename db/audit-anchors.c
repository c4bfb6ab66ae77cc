/*
 * audit-anchors.c: the chain against the registry's anchors (see audit-anchors.h).
 */
#include "db/audit-anchors.h"
#include "db/json-member.h"
#include "db/muster-error.h"

#include <json-glib/json-glib.h>
#include <string.h>

static gboolean
invalid(GError **error, const char *why)
{
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "These are not audit anchors from the registry (%s): give the output of "
              "'muster-registry anchors ARMOURY'.", why);
  return FALSE;
}

/* The hash of entry seq, or NULL when there is no such entry. */
static char *
entry_hash(MusterStore *store, gint64 seq, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, "SELECT hash FROM audit_log WHERE seq = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64(stmt, 1, seq);
  int rc = sqlite3_step(stmt);
  char *hash = rc == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    muster_store_fail(store, rc, "Reading the audit log", error);
  return hash;
}

static gboolean
check_one(MusterStore *store, JsonObject *anchor, guint index, GError **error)
{
  gint64 seq = 0;
  const char *want = muster_json_str(anchor, "audit_hash", NULL);
  if (!muster_json_int(anchor, "audit_seq", &seq) || want == NULL)
    return invalid(error, "an anchor without audit_seq and audit_hash");
  g_autoptr(GError) local = NULL;
  g_autofree char *have = entry_hash(store, seq, &local);
  if (local != NULL) {
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
  }
  if (have == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
                "Audit entry %" G_GINT64_FORMAT " is gone, yet the registry holds it (anchor %u): "
                "history after it was cut off. Report this to the registry; do not sign "
                "anything off on this appliance.", seq, index + 1);
    return FALSE;
  }
  if (g_strcmp0(have, want) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
                "Audit entry %" G_GINT64_FORMAT " differs from what the registry holds (anchor "
                "%u): the history was rewritten after it was sent. Report this to the registry.",
                seq, index + 1);
    return FALSE;
  }
  return TRUE;
}

gboolean
muster_audit_check_anchors(MusterStore *store, const char *anchors_json, gint64 *checked,
                           GError **error)
{
  *checked = 0;
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!json_parser_load_from_data(parser, anchors_json, -1, NULL))
    return invalid(error, "not JSON");
  JsonNode *root = json_parser_get_root(parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
    return invalid(error, "not an object");
  JsonObject *o = json_node_get_object(root);
  const char *armoury = muster_json_str(o, "armoury", NULL);
  JsonNode *anchors = json_object_get_member(o, "anchors");
  if (armoury == NULL || anchors == NULL || !JSON_NODE_HOLDS_ARRAY(anchors))
    return invalid(error, "no armoury or no anchors");
  if (g_strcmp0(armoury, muster_store_armoury_uuid(store)) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "These anchors are for armoury %s, but this database is armoury %s.", armoury,
                muster_store_armoury_uuid(store));
    return FALSE;
  }
  JsonArray *a = json_node_get_array(anchors);
  for (guint i = 0; i < json_array_get_length(a); i++) {
    JsonNode *n = json_array_get_element(a, i);
    if (!JSON_NODE_HOLDS_OBJECT(n))
      return invalid(error, "an anchor that is not an object");
    if (!check_one(store, json_node_get_object(n), i, error))
      return FALSE;
    (*checked)++;
  }
  return TRUE;
}

void
muster_anchor_window_clear(MusterAnchorWindow *w)
{
  g_clear_pointer(&w->anchored_at, g_free);
  g_clear_pointer(&w->since, g_free);
}

/* The newest anchor at or below the registry's acknowledged seq is the newest it holds. */
#define SQL_ANCHORED_SEQ                                                                    \
  "coalesce((SELECT json_extract(payload, '$.audit_seq') FROM outbox"                      \
  " WHERE kind = 'audit.anchor' AND seq <= (SELECT acked_seq FROM sync_state WHERE id = 1)" \
  " ORDER BY seq DESC LIMIT 1), 0)"

gboolean
muster_audit_anchor_window(MusterStore *store, MusterAnchorWindow *w, GError **error)
{
  memset(w, 0, sizeof *w);
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "WITH a(seq) AS (SELECT " SQL_ANCHORED_SEQ ") SELECT a.seq,"
      " (SELECT at FROM audit_log WHERE seq = a.seq),"
      " (SELECT count(*) FROM audit_log WHERE seq > a.seq),"
      " (SELECT at FROM audit_log WHERE seq > a.seq ORDER BY seq LIMIT 1) FROM a",
      error);
  if (stmt == NULL)
    return FALSE;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    w->anchored_seq = sqlite3_column_int64(stmt, 0);
    w->anchored_at = muster_column_dup(stmt, 1);
    w->unanchored = sqlite3_column_int64(stmt, 2);
    w->since = muster_column_dup(stmt, 3);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Reading how far the audit log is anchored", error);
  return TRUE;
}
