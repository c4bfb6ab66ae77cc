/*
 * apply.c: the registry's answers, applied. See apply.h.
 */
#include "sync/apply.h"
#include "db/json-member.h"

#include "db/registry-changes.h"
#include "db/sync-state.h"
#include "sync/batch.h"
#include <json-glib/json-glib.h>

gboolean
muster_sync_check_answer(MusterStore *store, const MusterSigned *answer, gboolean required_key,
                         GError **error)
{
  g_autoptr(MusterSyncState) state = muster_sync_state_get(store, error);
  if (state == NULL)
    return FALSE;
  if (state->registry_key == NULL) {
    if (!required_key)
      return TRUE; /* online: TLS verification vouches for the registry */
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                "No registry key is configured, so the answer file cannot be trusted; set it "
                "with 'muster sync configure --registry-key'.");
    return FALSE;
  }
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  gsize len = 0;
  const void *body = g_bytes_get_data(answer->body, &len);
  if (!muster_sync_public_key_parse(state->registry_key, pk, error))
    return FALSE;
  if (!muster_sync_verify_b64(pk, body, len, answer->signature)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
                "The registry's answer is not signed by the configured registry key: it was "
                "altered or comes from elsewhere. Nothing in it was applied.");
    return FALSE;
  }
  return TRUE;
}

static JsonObject *
parse_object(JsonParser *parser, const char *text, GError **error)
{
  if (!json_parser_load_from_data(parser, text, -1, NULL) || json_parser_get_root(parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The registry's answer is not a JSON object: %.80s", text);
    return NULL;
  }
  return json_node_get_object(json_parser_get_root(parser));
}

/* The registry's error codes, as the engine's: what the caller can act on. */
static int
error_code(const char *name)
{
  if (g_strcmp0(name, "storage_full") == 0)
    return MUSTER_ERROR_DISK_FULL;
  if (g_strcmp0(name, "unavailable") == 0)
    return MUSTER_ERROR_IO;
  if (g_strcmp0(name, "bad_signature") == 0 || g_strcmp0(name, "unknown_armoury") == 0)
    return MUSTER_ERROR_PERMISSION;
  if (g_strcmp0(name, "conflict") == 0)
    return MUSTER_ERROR_STATE;
  return MUSTER_ERROR_INVALID;
}

gboolean
muster_sync_apply_ack(MusterStore *store, const char *answer, gint64 *acked, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = parse_object(parser, answer, error);
  *acked = -1;
  if (o == NULL)
    return FALSE;
  const char *err = muster_json_str(o, "error", NULL);
  *acked = muster_json_int_or(o, "acked", -1);
  if (err != NULL && g_strcmp0(err, "out_of_order") != 0) {
    g_set_error(error, MUSTER_ERROR, error_code(err), "The registry refused: %s",
                muster_json_str(o, "message", err));
    return FALSE;
  }
  if (*acked < 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The registry's answer acknowledges nothing: %.80s", answer);
    return FALSE;
  }
  return muster_sync_record_ack(store, *acked, error);
}

static gboolean
apply_one(MusterStore *store, JsonNode *node, gint64 *applied, GError **error)
{
  JsonObject *c = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
  JsonNode *payload = c != NULL ? json_object_get_member(c, "payload") : NULL;
  gint64 version = 0;
  if (c == NULL || !muster_json_int(c, "version", &version) || payload == NULL ||
      !JSON_NODE_HOLDS_OBJECT(payload)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "A registry change lacks its version or payload; nothing after it was applied.");
    return FALSE;
  }
  MusterChangeOutcome outcome;
  g_autofree char *detail = NULL;
  if (!muster_registry_change_apply(store, version,
                                    muster_json_str(c, "kind", ""),
                                    json_node_get_object(payload), &outcome, &detail, error))
    return FALSE;
  if (outcome != MUSTER_CHANGE_ALREADY_APPLIED)
    (*applied)++;
  return TRUE;
}

gboolean
muster_sync_apply_changes(MusterStore *store, const char *answer, gint64 *applied, gboolean *more,
                          GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = parse_object(parser, answer, error);
  *applied = 0;
  *more = FALSE;
  if (o == NULL)
    return FALSE;
  if (json_object_has_member(o, "error")) {
    g_set_error(error, MUSTER_ERROR,
                error_code(muster_json_str(o, "error", "")),
                "The registry refused the pull: %s",
                muster_json_str(o, "message", ""));
    return FALSE;
  }
  JsonNode *changes = json_object_get_member(o, "changes");
  if (g_strcmp0(muster_json_str(o, "format", ""), "muster-changes/1") !=
          0 ||
      g_strcmp0(muster_json_str(o, "armoury", ""),
                muster_store_armoury_uuid(store)) != 0 ||
      changes == NULL || !JSON_NODE_HOLDS_ARRAY(changes)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The registry's changes are not a muster-changes/1 document for armoury %s.",
                muster_store_armoury_uuid(store));
    return FALSE;
  }
  JsonArray *a = json_node_get_array(changes);
  for (guint i = 0; i < json_array_get_length(a); i++)
    if (!apply_one(store, json_array_get_element(a, i), applied, error))
      return FALSE;
  *more = muster_json_bool_or(o, "more", FALSE);
  return TRUE;
}

MusterSigned *
muster_sync_pull_request(MusterStore *store, const MusterSyncKey *key, GError **error)
{
  g_autoptr(MusterSyncState) state = muster_sync_state_get(store, error);
  if (state == NULL)
    return NULL;
  g_autofree char *now = muster_now_iso();
  g_autofree char *nonce = muster_uuid_new();
  GString *out = g_string_new("{\"format\":\"muster-pull/1\",\"armoury\":");
  muster_json_append_string(out, muster_store_armoury_uuid(store));
  g_string_append_printf(out,
                         ",\"since\":%" G_GINT64_FORMAT ",\"sent_at\":", state->pulled_version);
  muster_json_append_string(out, now);
  g_string_append(out, ",\"nonce\":");
  muster_json_append_string(out, nonce);
  g_string_append_c(out, '}');
  g_autofree char *sig = muster_sync_sign_b64(key, out->str, out->len);
  return muster_signed_new(g_string_free_to_bytes(out), sig);
}
