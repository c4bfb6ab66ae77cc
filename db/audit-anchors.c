/*
 * audit-anchors.c: the chain against the registry's anchors (see audit-anchors.h).
 */
#include "db/audit-anchors.h"
#include "core/json-member.h"
#include "core/muster-error.h"
#include "db/rows-private.h"
#include "db/store-private.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

static gboolean
invalid(GError **error, const char *why)
{
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "These are not audit anchors from the registry (%s): give the output of "
              "'muster-registry anchors ARMOURY'.", why);
  return FALSE;
}

char *
muster_audit_entry_hash(MusterStore *store, gint64 seq, GError **error)
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
  g_autofree char *have = muster_audit_entry_hash(store, seq, &local);
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

static gboolean
receipt_signed(const char *key_b64, const char *answer, const char *signature_b64)
{
  guint8 key[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
  size_t key_len = 0, sig_len = 0;
  if (key_b64 == NULL || signature_b64 == NULL ||
      sodium_base642bin(key, sizeof key, key_b64, strlen(key_b64), NULL, &key_len, NULL,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      key_len != sizeof key ||
      sodium_base642bin(sig, sizeof sig, signature_b64, strlen(signature_b64), NULL, &sig_len,
                        NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      sig_len != sizeof sig)
    return FALSE;
  return crypto_sign_verify_detached(sig, (const guint8 *)answer, strlen(answer), key) == 0;
}

gboolean
muster_audit_receipt_anchor(const char *key_b64, const char *answer, const char *signature_b64,
                            gint64 *seq, char **hash)
{
  *seq = 0;
  *hash = NULL;
  if (answer == NULL || !receipt_signed(key_b64, answer, signature_b64))
    return FALSE;
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonNode *root =
      json_parser_load_from_data(parser, answer, -1, NULL) ? json_parser_get_root(parser) : NULL;
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  JsonNode *n = o != NULL ? json_object_get_member(o, "anchor") : NULL;
  JsonObject *a = n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
  if (a == NULL || !muster_json_int(a, "audit_seq", seq) || *seq <= 0 ||
      muster_json_str(a, "audit_hash", NULL) == NULL) {
    *seq = 0;
    return FALSE;
  }
  *hash = g_strdup(muster_json_str(a, "audit_hash", NULL));
  return TRUE;
}

static gboolean
receipt_refused(GError **error, const char *what, gint64 seq, const char *at)
{
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
              "%s Keep this database file as evidence and report it to the registry.", what);
  g_prefix_error(error, "The registry's receipt for audit entry %" G_GINT64_FORMAT " (stored %s): ",
                 seq, at != NULL ? at : "?");
  return FALSE;
}

/* One receipt: signed by the registry's key, kept for the entry its signed answer names
 * (the columns are only a copy of it, which the signature does not cover), and for an
 * entry this file holds with that hash. */
static gboolean
check_receipt(sqlite3_stmt *stmt, gpointer checked, GError **error)
{
  gint64 seq = sqlite3_column_int64(stmt, 0), signed_seq = 0;
  const char *want = (const char *)sqlite3_column_text(stmt, 1);
  g_autofree char *at = muster_column_dup(stmt, 2), *signed_hash = NULL;
  const char *have = (const char *)sqlite3_column_text(stmt, 5);
  if (!muster_audit_receipt_anchor((const char *)sqlite3_column_text(stmt, 6),
                                   (const char *)sqlite3_column_text(stmt, 3),
                                   (const char *)sqlite3_column_text(stmt, 4), &signed_seq,
                                   &signed_hash))
    return receipt_refused(error,
                           "it does not verify by the registry's key: it was forged here, or the "
                           "registry's key was changed since. The history was changed outside "
                           "Muster.",
                           seq, at);
  if (signed_seq != seq || g_strcmp0(signed_hash, want) != 0) {
    g_autofree char *what = g_strdup_printf(
        "the registry signed it for entry %" G_GINT64_FORMAT ", not this one: the receipt was "
        "edited here to vouch for another entry. The history was changed outside Muster.",
        signed_seq);
    return receipt_refused(error, what, seq, at);
  }
  if (have == NULL)
    return receipt_refused(error,
                           "the registry holds an anchor of this entry, and it is gone: the "
                           "history was cut off.",
                           seq, at);
  if (g_strcmp0(have, want) != 0)
    return receipt_refused(error,
                           "this entry is not the one the registry holds an anchor of: the "
                           "history was rewritten.",
                           seq, at);
  (*(gint64 *)checked)++;
  return TRUE;
}

gboolean
muster_audit_check_receipts(MusterStore *store, gint64 *checked, GError **error)
{
  *checked = 0;
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT r.audit_seq, r.audit_hash, r.registry_at, r.answer, r.signature, l.hash,"
      " (SELECT registry_key FROM sync_state WHERE id = 1)"
      " FROM anchor_receipt r LEFT JOIN audit_log l ON l.seq = r.audit_seq ORDER BY r.id",
      error);
  if (stmt == NULL)
    return FALSE;
  return muster_rows_foreach(store, stmt, check_receipt, checked, "Reading the registry's receipts",
                             error);
}
