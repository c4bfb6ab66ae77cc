/*
 * batch.c: encoding and checking batches. See batch.h.
 */
#include "protocol/batch.h"
#include "core/json-member.h"

#include "core/muster-error.h"

static void
append_event(GString *out, const MusterBatchEvent *e)
{
  g_string_append_printf(out, "{\"seq\":%" G_GINT64_FORMAT ",\"at\":", e->seq);
  muster_json_append_string(out, e->at);
  g_string_append(out, ",\"kind\":");
  muster_json_append_string(out, e->kind);
  g_string_append(out, ",\"entity\":");
  muster_json_append_string(out, e->entity);
  g_string_append(out, ",\"payload\":");
  g_string_append(out, e->payload); /* a JSON object, as json-glib wrote it */
  g_string_append_c(out, '}');
}

GBytes *
muster_batch_encode(const char *armoury_uuid, const char *armoury_code,
                    const MusterBatchEvent *events, guint n_events, const char *sent_at,
                    const char *nonce)
{
  g_return_val_if_fail(events != NULL && n_events > 0, NULL);
  const MusterBatchEvent *first = &events[0];
  const MusterBatchEvent *last = &events[n_events - 1];
  GString *out = g_string_sized_new(256 + n_events * 256);
  g_string_append(out, "{\"format\":\"" MUSTER_BATCH_FORMAT "\",\"armoury\":");
  muster_json_append_string(out, armoury_uuid);
  g_string_append(out, ",\"code\":");
  muster_json_append_string(out, armoury_code);
  g_string_append_printf(
      out, ",\"first_seq\":%" G_GINT64_FORMAT ",\"last_seq\":%" G_GINT64_FORMAT ",\"sent_at\":",
      first->seq, last->seq);
  muster_json_append_string(out, sent_at);
  g_string_append(out, ",\"nonce\":");
  muster_json_append_string(out, nonce);
  g_string_append(out, ",\"events\":[");
  for (guint i = 0; i < n_events; i++) {
    if (i > 0)
      g_string_append_c(out, ',');
    append_event(out, &events[i]);
  }
  g_string_append(out, "]}");
  return g_string_free_to_bytes(out);
}

void
muster_batch_free(MusterBatch *batch)
{
  if (batch == NULL)
    return;
  g_free(batch->armoury);
  g_free(batch->code);
  g_free(batch->sent_at);
  g_free(batch->nonce);
  if (batch->root != NULL)
    json_node_unref(batch->root);
  g_free(batch);
}

static const char *
str_member(JsonObject *o, const char *name)
{
  return muster_json_str(o, name, NULL);
}

static gboolean
int_member(JsonObject *o, const char *name, gint64 *out)
{
  return muster_json_int(o, name, out);
}

static gboolean invalid(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean
invalid(GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "Malformed batch: %s", msg);
  return FALSE;
}

static gboolean
check_events(JsonArray *events, gint64 first, gint64 last, GError **error)
{
  guint n = json_array_get_length(events);
  if (n == 0 || last < first || (gint64)n != last - first + 1)
    return invalid(error, "%u events for sequence %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, n,
                   first, last);
  for (guint i = 0; i < n; i++) {
    JsonNode *en = json_array_get_element(events, i);
    JsonObject *e = JSON_NODE_HOLDS_OBJECT(en) ? json_node_get_object(en) : NULL;
    gint64 seq = 0;
    if (e == NULL || !int_member(e, "seq", &seq) || seq != first + (gint64)i)
      return invalid(error, "event %u is not sequence %" G_GINT64_FORMAT, i, first + (gint64)i);
    JsonNode *p = json_object_get_member(e, "payload");
    if (str_member(e, "at") == NULL || str_member(e, "kind") == NULL ||
        str_member(e, "entity") == NULL || p == NULL || !JSON_NODE_HOLDS_OBJECT(p))
      return invalid(error, "event %" G_GINT64_FORMAT " lacks at, kind, entity or payload", seq);
  }
  return TRUE;
}

gboolean
muster_json_nesting_ok(const char *data, gsize len, guint max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < len; i++) {
    char c = data[i];
    if (in_string) {
      if (c == '\\')
        i++; /* the escaped character cannot end the string */
      else if (c == '"')
        in_string = FALSE;
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        return FALSE;
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
  }
  return TRUE;
}

MusterBatch *
muster_batch_parse(const void *data, gsize len, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_autoptr(GError) local = NULL;
  if (!muster_json_nesting_ok(data, len, MUSTER_JSON_MAX_DEPTH)) {
    invalid(error, "nested deeper than %d levels", MUSTER_JSON_MAX_DEPTH);
    return NULL;
  }
  if (len == 0 || !json_parser_load_from_data(parser, data, (gssize)len, &local)) {
    invalid(error, "%s", local != NULL ? local->message : "empty");
    return NULL;
  }
  JsonNode *root = json_parser_get_root(parser);
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  if (o == NULL || g_strcmp0(str_member(o, "format"), MUSTER_BATCH_FORMAT) != 0) {
    invalid(error, "not a %s document", MUSTER_BATCH_FORMAT);
    return NULL;
  }
  g_autoptr(MusterBatch) b = g_new0(MusterBatch, 1);
  JsonNode *events = json_object_get_member(o, "events");
  if (str_member(o, "armoury") == NULL || str_member(o, "sent_at") == NULL ||
      str_member(o, "nonce") == NULL ||
      !int_member(o, "first_seq", &b->first_seq) || !int_member(o, "last_seq", &b->last_seq) ||
      b->first_seq < 1 || events == NULL || !JSON_NODE_HOLDS_ARRAY(events)) {
    invalid(error, "armoury, sent_at, nonce, first_seq, last_seq or events missing");
    return NULL;
  }
  if (!check_events(json_node_get_array(events), b->first_seq, b->last_seq, error))
    return NULL;
  b->armoury = g_strdup(str_member(o, "armoury"));
  b->code = g_strdup(str_member(o, "code"));
  b->sent_at = g_strdup(str_member(o, "sent_at"));
  b->nonce = g_strdup(str_member(o, "nonce"));
  b->root = json_node_ref(root);
  return g_steal_pointer(&b);
}
