/*
 * apply.c: the registry's answers, applied. See apply.h.
 */
#include "sync/apply.h"
#include "core/json-member.h"

#include "db/registry-changes.h"
#include "db/sync-state.h"
#include "protocol/batch.h"
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

/* The answer's body as text (*text, for messages and receipts) and as a JSON object
 * owned by parser; NULL when it is not one. */
static JsonObject *
parse_object(JsonParser *parser, const MusterSigned *answer, char **text, GError **error)
{
  *text = g_strndup(g_bytes_get_data(answer->body, NULL), g_bytes_get_size(answer->body));
  if (!muster_json_nesting_ok(*text, strlen(*text), MUSTER_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data(parser, *text, -1, NULL) ||
      json_parser_get_root(parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The registry's answer is not a JSON object: %.80s", *text);
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

/* An answer is for this armoury and for the request with nonce (NULL: for a request of
 * kind this appliance wrote to a sync file), or it is refused before it changes
 * anything: a signed answer is the registry's word, but only about the request it
 * answers. */
static gboolean
check_bound(MusterStore *store, JsonObject *o, const char *nonce, const char *kind,
            GError **error)
{
  const char *armoury = muster_json_str(o, "armoury", NULL);
  const char *answered = muster_json_str(o, "nonce", NULL);
  const char *own = muster_store_armoury_uuid(store);
  if (g_strcmp0(armoury, own) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
                "The registry's answer is for armoury %s, not this one (%s): refused, nothing "
                "in it was applied. Was an answer meant for another armoury brought here?",
                armoury != NULL ? armoury : "(none named)", own);
    return FALSE;
  }
  int known = answered == NULL ? 0
              : nonce != NULL  ? g_strcmp0(answered, nonce) == 0
                               : muster_sync_request_known(store, answered, kind, error);
  if (known < 0)
    return FALSE;
  if (known == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
                "The registry's answer (to request %s) answers no %s request this appliance "
                "%s: refused, nothing in it was applied.",
                answered != NULL ? answered : "(none named)", kind,
                nonce != NULL ? "has just sent" : "wrote to a sync file");
    return FALSE;
  }
  return TRUE;
}

/* A refusal by the registry, as an error; bound to this request when it names one. */
static gboolean
refused(MusterStore *store, JsonObject *o, const char *nonce, const char *kind, GError **error)
{
  if ((json_object_has_member(o, "armoury") || json_object_has_member(o, "nonce")) &&
      !check_bound(store, o, nonce, kind, error))
    return FALSE;
  const char *err = muster_json_str(o, "error", "");
  g_set_error(error, MUSTER_ERROR, error_code(err), "The registry refused the %s: %s",
              g_str_equal(kind, "pull") ? "pull" : "batch", muster_json_str(o, "message", err));
  return FALSE;
}

static gboolean
keep_receipt(MusterStore *store, JsonObject *o, const MusterSigned *answer, const char *text,
             GError **error)
{
  JsonNode *n = json_object_get_member(o, "anchor");
  JsonObject *a = n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
  gint64 seq = 0;
  if (a == NULL || !muster_json_int(a, "audit_seq", &seq) || seq <= 0 ||
      muster_json_str(a, "audit_hash", NULL) == NULL ||
      muster_json_str(a, "stored_at", NULL) == NULL)
    return TRUE; /* the registry holds no anchor of ours yet */
  return muster_sync_record_receipt(store, seq, muster_json_str(a, "audit_hash", NULL),
                                    muster_json_str(a, "stored_at", NULL), text,
                                    answer->signature, error);
}

gboolean
muster_sync_check_media_answer(MusterStore *store, const MusterSigned *answer, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = parse_object(parser, answer, &text, error);
  if (o == NULL)
    return FALSE;
  gboolean changes = g_strcmp0(muster_json_str(o, "format", ""), "muster-changes/1") == 0;
  gboolean unbound = json_object_has_member(o, "error") && !json_object_has_member(o, "armoury") &&
                     !json_object_has_member(o, "nonce");
  /* A refusal of a request that never verified names none: it changes nothing. */
  return unbound || check_bound(store, o, NULL, changes ? "pull" : "batch", error);
}

gboolean
muster_sync_apply_ack(MusterStore *store, const MusterSigned *answer, const char *nonce,
                      gint64 *acked, gboolean *out_of_order, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = parse_object(parser, answer, &text, error);
  *acked = -1;
  *out_of_order = FALSE;
  if (o == NULL)
    return FALSE;
  const char *err = muster_json_str(o, "error", NULL);
  *out_of_order = g_strcmp0(err, "out_of_order") == 0;
  if (err != NULL && !*out_of_order)
    return refused(store, o, nonce, "batch", error);
  gint64 stated = muster_json_int_or(o, "acked", -1);
  if (stated < 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The registry's answer acknowledges nothing: %.80s", text);
    return FALSE;
  }
  if (!check_bound(store, o, nonce, "batch", error) ||
      !muster_sync_record_ack(store, stated, error) || !keep_receipt(store, o, answer, text, error))
    return FALSE;
  *acked = stated;
  return TRUE;
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
muster_sync_apply_changes(MusterStore *store, const MusterSigned *answer, const char *nonce,
                          gint64 *applied, gboolean *more, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = parse_object(parser, answer, &text, error);
  *applied = 0;
  *more = FALSE;
  if (o == NULL)
    return FALSE;
  if (json_object_has_member(o, "error"))
    return refused(store, o, nonce, "pull", error);
  JsonNode *changes = json_object_get_member(o, "changes");
  if (g_strcmp0(muster_json_str(o, "format", ""), "muster-changes/1") != 0 || changes == NULL ||
      !JSON_NODE_HOLDS_ARRAY(changes)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The registry's answer is not a muster-changes/1 document: %.80s", text);
    return FALSE;
  }
  if (!check_bound(store, o, nonce, "pull", error))
    return FALSE;
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
  return muster_signed_request(g_string_free_to_bytes(out), sig, muster_store_armoury_uuid(store),
                               nonce);
}
