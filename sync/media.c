/*
 * media.c: removable-media sync files, the appliance's side. See media.h.
 */
#include "sync/media.h"

#include "core/muster-error.h"
#include "db/audit.h"
#include "db/sync-state.h"
#include "protocol/batch.h"
#include "sync/apply.h"
#include "sync/outbox-batch.h"
#include <json-glib/json-glib.h>

/* Signed batches of the events after after, oldest first, while they fit in a file. */
static gboolean
export_batches(MusterStore *store, const MusterSyncKey *key, gint64 after, GPtrArray *items,
               gint64 *events, gint64 *last, GError **error)
{
  g_autofree char *now = muster_now_iso();
  gsize bytes = 0;
  *last = after;
  while (bytes < MUSTER_MEDIA_MAX_BYTES / 3) {
    g_autoptr(GPtrArray) batch =
        muster_sync_outbox_after(store, *last, MUSTER_BATCH_DEFAULT_EVENTS, error);
    if (batch == NULL)
      return FALSE;
    if (batch->len == 0)
      break;
    MusterSigned *signed_batch = muster_sync_sign_batch(store, key, batch, now);
    g_ptr_array_add(items, signed_batch);
    bytes += g_bytes_get_size(signed_batch->body);
    *last = ((MusterOutboxEvent *)g_ptr_array_index(batch, batch->len - 1))->seq;
    *events += batch->len;
  }
  return TRUE;
}

static char *
export_detail(const char *path, gint64 first, gint64 last, gint64 events, gint64 since)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "file");
  json_builder_add_string_value(b, path);
  json_builder_set_member_name(b, "events");
  json_builder_add_int_value(b, events);
  json_builder_set_member_name(b, "first_seq");
  json_builder_add_int_value(b, events > 0 ? first : 0);
  json_builder_set_member_name(b, "last_seq");
  json_builder_add_int_value(b, events > 0 ? last : 0);
  json_builder_set_member_name(b, "pull_since");
  json_builder_add_int_value(b, since);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  return json_to_string(root, FALSE);
}

/* Records the requests and the audit entry, and writes the file, in one transaction:
 * no file without its audit entry, no audit entry for a file that was not written. */
static gboolean
write_audited(MusterStore *store, const MusterUser *actor, const char *path, GPtrArray *items,
              const char *detail, GError **error)
{
  for (guint i = 0; i < items->len; i++) {
    const MusterSigned *s = g_ptr_array_index(items, i);
    if (!muster_sync_request_record(store, s->nonce, muster_signed_is_pull(s) ? "pull" : "batch",
                                    path, error))
      return FALSE;
  }
  return muster_audit_append(store, actor->name, "sync.export", "sync-file", detail, error) &&
         muster_media_write(path, MUSTER_MEDIA_TO_REGISTRY, muster_store_armoury_uuid(store),
                            items, error);
}

gboolean
muster_media_export(MusterStore *store, const MusterUser *actor, const MusterSyncKey *key,
                    const char *path, gint64 *events, GError **error)
{
  *events = 0;
  if (!muster_require_role(store, actor, MUSTER_ROLE_ADMIN, "Exporting a sync file", error))
    return FALSE;
  g_autoptr(MusterSyncState) state = NULL;
  if (!muster_sync_anchor_audit(store, error) ||
      (state = muster_sync_state_get(store, error)) == NULL)
    return FALSE;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func((GDestroyNotify)muster_signed_free);
  gint64 last = 0;
  if (!export_batches(store, key, state->acked_seq, items, events, &last, error))
    return FALSE;
  MusterSigned *pull = muster_sync_pull_request(store, key, error);
  if (pull == NULL)
    return FALSE;
  g_ptr_array_add(items, pull);
  g_autofree char *detail =
      export_detail(path, state->acked_seq + 1, last, *events, state->pulled_version);
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!write_audited(store, actor, path, items, detail, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    g_prefix_error(error, "Exporting the sync file %s (nothing was exported): ", path);
    return FALSE;
  }
  return TRUE;
}

/* Applies one verified answer; FALSE with the registry's word when it is a refusal. */
static gboolean
import_answer(MusterStore *store, const MusterSigned *s, gint64 *acked, gint64 *changes,
              GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data(s->body, &len);
  if (len > 0 && g_str_has_prefix(data, "{\"format\":\"muster-changes/1\"")) {
    gint64 n = 0;
    gboolean more = FALSE;
    if (!muster_sync_apply_changes(store, s, NULL, &n, &more, error))
      return FALSE;
    *changes += n;
    return TRUE;
  }
  gint64 a = -1;
  gboolean out_of_order = FALSE;
  if (!muster_sync_apply_ack(store, s, NULL, &a, &out_of_order, error))
    return FALSE;
  *acked = MAX(*acked, a);
  if (out_of_order) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                "the registry did not store this batch: events after %" G_GINT64_FORMAT
                " are missing there (a sync file was lost, or imported at the registry out of "
                "order). Export a new sync file and take it to the registry.",
                a);
    return FALSE;
  }
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
  /* Every answer verified and bound to a request of ours before any is applied. */
  for (guint i = 0; i < f->items->len; i++)
    if (!muster_sync_check_answer(store, g_ptr_array_index(f->items, i), TRUE, error) ||
        !muster_sync_check_media_answer(store, g_ptr_array_index(f->items, i), error)) {
      g_prefix_error(error, "%s, answer %u: ", path, i + 1);
      return FALSE;
    }
  for (guint i = 0; i < f->items->len; i++)
    if (!import_answer(store, g_ptr_array_index(f->items, i), acked, changes, error)) {
      g_prefix_error(error, "%s, answer %u: ", path, i + 1);
      return FALSE;
    }
  return TRUE;
}
