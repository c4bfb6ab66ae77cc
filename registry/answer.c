/*
 * answer.c: answers to appliances. See answer.h.
 */
#include "registry/answer.h"

#include "core/json-member.h"

static const char *
error_code_name(const GError *error)
{
  static const char *const names[] = {"bad_request",  "bad_signature", "unknown_armoury",
                                      "out_of_order", "conflict",      "storage_full",
                                      "unavailable",  "not_found"};
  if (error->domain == REGISTRY_ERROR && error->code >= 0 && error->code < (int)G_N_ELEMENTS(names))
    return names[error->code];
  return "unavailable";
}

static guint
error_status(const GError *error)
{
  static const guint statuses[] = {400, 401, 403, 409, 409, 503, 503, 404};
  if (error->domain == REGISTRY_ERROR && error->code >= 0 &&
      error->code < (int)G_N_ELEMENTS(statuses))
    return statuses[error->code];
  return 503;
}

/* What failed inside the registry (a PostgreSQL message, a connection string) is for
 * its log, never for the caller, who may be anyone: a 503 only says to come back. */
static const char *
public_message(const GError *error, guint http_status)
{
  if (http_status != 503)
    return error->message; /* about the request itself: the caller needs it */
  const GLogField fields[] = {{"GLIB_DOMAIN", "muster-registry", -1},
                              {"MESSAGE", error->message, -1}};
  g_log_structured_array(G_LOG_LEVEL_WARNING, fields, G_N_ELEMENTS(fields));
  return g_error_matches(error, REGISTRY_ERROR, REGISTRY_ERROR_STORAGE_FULL)
             ? "The registry is out of disk space; nothing was stored. Send it again later."
             : "The registry cannot serve this request now. Send it again later.";
}

char *
registry_answer_error(const GError *error, gint64 acked, guint *http_status)
{
  *http_status = error_status(error);
  GString *out = g_string_new("{\"error\":");
  muster_json_append_string(out, error_code_name(error));
  g_string_append(out, ",\"message\":");
  muster_json_append_string(out, public_message(error, *http_status));
  if (acked >= 0)
    g_string_append_printf(out, ",\"acked\":%" G_GINT64_FORMAT, acked);
  g_string_append_c(out, '}');
  return g_string_free(out, FALSE);
}

/* Binds an answer to the request it answers: the armoury and the request's nonce, once
 * the request's signature was verified. An unbound answer (to a request that never
 * verified) can only ever be read as a refusal. */
static char *
bind_answer(char *answer, const char *armoury, const char *nonce)
{
  if (armoury == NULL || nonce == NULL)
    return answer;
  GString *out = g_string_new("{\"armoury\":");
  muster_json_append_string(out, armoury);
  g_string_append(out, ",\"nonce\":");
  muster_json_append_string(out, nonce);
  if (answer[1] != '}')
    g_string_append_c(out, ',');
  g_string_append(out, answer + 1);
  g_free(answer);
  return g_string_free(out, FALSE);
}

static void
append_anchor(GString *out, const RegistryAck *ack)
{
  if (ack->anchor_audit_seq <= 0) {
    g_string_append(out, "null");
    return;
  }
  g_string_append_printf(out, "{\"audit_seq\":%" G_GINT64_FORMAT ",\"audit_hash\":",
                         ack->anchor_audit_seq);
  muster_json_append_string(out, ack->anchor_audit_hash);
  g_string_append(out, ",\"stored_at\":");
  muster_json_append_string(out, ack->anchor_stored_at);
  g_string_append_c(out, '}');
}

char *
registry_answer_batch(RegistryDb *db, const char *armoury, const void *body, gsize len,
                      const char *signature, guint *http_status)
{
  RegistryAck ack;
  g_autoptr(GError) error = NULL;
  if (!registry_db_store_batch(db, armoury, body, len, signature, &ack, &error)) {
    char *answer = registry_answer_error(
        error, g_error_matches(error, REGISTRY_ERROR, REGISTRY_ERROR_OUT_OF_ORDER) ? ack.acked : -1,
        http_status);
    answer = bind_answer(answer, ack.armoury, ack.nonce);
    registry_ack_clear(&ack);
    return answer;
  }
  *http_status = 200;
  GString *out = g_string_new(NULL);
  g_string_append_printf(out,
                         "{\"acked\":%" G_GINT64_FORMAT ",\"stored\":%" G_GINT64_FORMAT
                         ",\"duplicate\":%s,\"clock_suspect\":%s,\"anchor\":",
                         ack.acked, ack.stored, ack.duplicate ? "true" : "false",
                         ack.clock_suspect ? "true" : "false");
  append_anchor(out, &ack);
  g_string_append_c(out, '}');
  char *answer = bind_answer(g_string_free(out, FALSE), ack.armoury, ack.nonce);
  registry_ack_clear(&ack);
  return answer;
}

char *
registry_answer_pull(RegistryDb *db, const char *armoury, const void *body, gsize len,
                     const char *signature, guint *http_status)
{
  g_autoptr(GError) error = NULL;
  char *doc = registry_db_pull(db, armoury, body, len, signature, REGISTRY_PULL_LIMIT, &error);
  if (doc == NULL)
    return registry_answer_error(error, -1, http_status);
  *http_status = 200;
  return doc;
}
