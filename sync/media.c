/*
 * media.c: removable-media sync files. See media.h.
 */
#include "sync/media.h"
#include "db/json-member.h"

#include "db/sync-state.h"
#include "sync/apply.h"
#include "sync/batch.h"
#include <json-glib/json-glib.h>

#define MEDIA_FORMAT "muster-sync-file/1"

MusterSigned *
muster_signed_new(GBytes *body, const char *signature)
{
  MusterSigned *s = g_new0(MusterSigned, 1);
  s->body = body;
  s->signature = g_strdup(signature);
  return s;
}

void
muster_signed_free(MusterSigned *s)
{
  if (s == NULL)
    return;
  g_bytes_unref(s->body);
  g_free(s->signature);
  g_free(s);
}

gboolean
muster_media_is_pull(const MusterSigned *s)
{
  gsize len = 0;
  const char *body = g_bytes_get_data(s->body, &len);
  static const char head[] = "{\"format\":\"muster-pull/1\"";
  return len >= sizeof head - 1 && memcmp(body, head, sizeof head - 1) == 0;
}

void
muster_media_file_free(MusterMediaFile *file)
{
  if (file == NULL)
    return;
  g_free(file->direction);
  g_free(file->armoury);
  g_clear_pointer(&file->items, g_ptr_array_unref);
  g_free(file);
}

gboolean
muster_media_write(const char *path, const char *direction, const char *armoury, GPtrArray *items,
                   GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "format");
  json_builder_add_string_value(b, MEDIA_FORMAT);
  json_builder_set_member_name(b, "direction");
  json_builder_add_string_value(b, direction);
  json_builder_set_member_name(b, "armoury");
  json_builder_add_string_value(b, armoury);
  json_builder_set_member_name(b, "items");
  json_builder_begin_array(b);
  for (guint i = 0; i < items->len; i++) {
    const MusterSigned *s = g_ptr_array_index(items, i);
    gsize len = 0;
    const char *body = g_bytes_get_data(s->body, &len);
    g_autofree char *text = g_strndup(body, len);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "body");
    json_builder_add_string_value(b, text);
    json_builder_set_member_name(b, "signature");
    json_builder_add_string_value(b, s->signature);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autofree char *json = json_to_string(root, FALSE);
  if (!g_file_set_contents_full(path, json, -1,
                                G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644,
                                error)) {
    g_prefix_error(error, "Writing the sync file: ");
    return FALSE;
  }
  return TRUE;
}

static gboolean
bad_file(const char *path, const char *why, GError **error)
{
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "%s is not a usable Muster sync file: %s. Export it again.", path, why);
  return FALSE;
}

static gboolean
read_items(JsonArray *arr, GPtrArray *items, const char *path, GError **error)
{
  for (guint i = 0; i < json_array_get_length(arr); i++) {
    JsonNode *n = json_array_get_element(arr, i);
    JsonObject *o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
    const char *body = o ? muster_json_str(o, "body", NULL) : NULL;
    const char *sig = o ? muster_json_str(o, "signature", NULL) : NULL;
    if (body == NULL || sig == NULL)
      return bad_file(path, "an item lacks its body or signature", error);
    g_ptr_array_add(items, muster_signed_new(g_bytes_new(body, strlen(body)), sig));
  }
  return TRUE;
}

MusterMediaFile *
muster_media_read(const char *path, const char *direction, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!json_parser_load_from_file(parser, path, error)) {
    g_prefix_error(error, "Reading the sync file %s: ", path);
    return NULL;
  }
  JsonNode *root = json_parser_get_root(parser);
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  JsonNode *items = o ? json_object_get_member(o, "items") : NULL;
  if (o == NULL ||
      g_strcmp0(muster_json_str(o, "format", ""), MEDIA_FORMAT) != 0 ||
      items == NULL || !JSON_NODE_HOLDS_ARRAY(items)) {
    bad_file(path, "not a " MEDIA_FORMAT " document", error);
    return NULL;
  }
  if (g_strcmp0(muster_json_str(o, "direction", ""), direction) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s is a sync file going %s, not %s: import it at the other end.", path,
                muster_json_str(o, "direction", "?"), direction);
    return NULL;
  }
  g_autoptr(MusterMediaFile) f = g_new0(MusterMediaFile, 1);
  f->direction = g_strdup(direction);
  f->armoury = g_strdup(muster_json_str(o, "armoury", ""));
  f->items = g_ptr_array_new_with_free_func((GDestroyNotify)muster_signed_free);
  if (!read_items(json_node_get_array(items), f->items, path, error))
    return NULL;
  return g_steal_pointer(&f);
}

gboolean
muster_media_export(MusterStore *store, const MusterSyncKey *key, const char *path, gint64 *events,
                    GError **error)
{
  *events = 0;
  g_autoptr(MusterSyncState) state = NULL;
  if (!muster_sync_anchor_audit(store, error) ||
      (state = muster_sync_state_get(store, error)) == NULL)
    return FALSE;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func((GDestroyNotify)muster_signed_free);
  g_autofree char *now = muster_now_iso();
  for (gint64 after = state->acked_seq;;) {
    g_autoptr(GPtrArray) batch =
        muster_sync_outbox_after(store, after, MUSTER_BATCH_DEFAULT_EVENTS, error);
    if (batch == NULL)
      return FALSE;
    if (batch->len == 0)
      break;
    GBytes *body = muster_batch_encode(muster_store_armoury_uuid(store),
                                       muster_store_armoury_code(store), batch, now);
    gsize len = 0;
    const void *data = g_bytes_get_data(body, &len);
    g_autofree char *sig = muster_sync_sign_b64(key, data, len);
    g_ptr_array_add(items, muster_signed_new(body, sig));
    after = ((MusterOutboxEvent *)g_ptr_array_index(batch, batch->len - 1))->seq;
    *events += batch->len;
  }
  MusterSigned *pull = muster_sync_pull_request(store, key, error);
  if (pull == NULL)
    return FALSE;
  g_ptr_array_add(items, pull);
  return muster_media_write(path, MUSTER_MEDIA_TO_REGISTRY, muster_store_armoury_uuid(store), items,
                            error);
}

static gboolean
import_answer(MusterStore *store, const MusterSigned *s, gint64 *acked, gint64 *changes,
              GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data(s->body, &len);
  g_autofree char *text = g_strndup(data, len);
  if (!muster_sync_check_answer(store, s, TRUE, error))
    return FALSE;
  if (g_str_has_prefix(text, "{\"format\":\"muster-changes/1\"")) {
    gint64 n = 0;
    gboolean more = FALSE;
    if (!muster_sync_apply_changes(store, text, &n, &more, error))
      return FALSE;
    *changes += n;
    return TRUE;
  }
  gint64 a = -1;
  if (!muster_sync_apply_ack(store, text, &a, error))
    return FALSE;
  *acked = MAX(*acked, a);
  return TRUE;
}

gboolean
muster_media_import(MusterStore *store, const char *path, gint64 *acked, gint64 *changes,
                    GError **error)
{
  *acked = -1;
  *changes = 0;
  g_autoptr(MusterMediaFile) f = muster_media_read(path, MUSTER_MEDIA_TO_APPLIANCE, error);
  if (f == NULL)
    return FALSE;
  if (g_strcmp0(f->armoury, muster_store_armoury_uuid(store)) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s answers armoury %s, not this one (%s).", path, f->armoury,
                muster_store_armoury_uuid(store));
    return FALSE;
  }
  for (guint i = 0; i < f->items->len; i++)
    if (!import_answer(store, g_ptr_array_index(f->items, i), acked, changes, error)) {
      g_prefix_error(error, "%s, answer %u: ", path, i + 1);
      return FALSE;
    }
  return TRUE;
}
