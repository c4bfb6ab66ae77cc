/*
 * outbox-batch.c: outbox events into signed batches. See outbox-batch.h.
 */
#include "sync/outbox-batch.h"
#include "db/sync-state.h"
#include "protocol/batch.h"

GBytes *
muster_sync_batch_encode(const char *armoury_uuid, const char *armoury_code, GPtrArray *events,
                         const char *sent_at, const char *nonce)
{
  g_return_val_if_fail(events != NULL && events->len > 0, NULL);
  g_autofree MusterBatchEvent *batch = g_new(MusterBatchEvent, events->len);
  for (guint i = 0; i < events->len; i++) {
    const MusterOutboxEvent *e = g_ptr_array_index(events, i);
    batch[i] = (MusterBatchEvent){e->seq, e->at, e->kind, e->entity_uuid, e->payload};
  }
  return muster_batch_encode(armoury_uuid, armoury_code, batch, events->len, sent_at, nonce);
}

MusterSigned *
muster_sync_sign_batch(MusterStore *store, const MusterSyncKey *key, GPtrArray *events,
                       const char *sent_at)
{
  g_autofree char *now = sent_at == NULL ? muster_now_iso() : NULL;
  g_autofree char *nonce = muster_uuid_new();
  GBytes *body =
      muster_sync_batch_encode(muster_store_armoury_uuid(store), muster_store_armoury_code(store),
                               events, sent_at != NULL ? sent_at : now, nonce);
  gsize len = 0;
  const void *data = g_bytes_get_data(body, &len);
  g_autofree char *sig = muster_sync_sign_b64(key, data, len);
  return muster_signed_request(body, sig, muster_store_armoury_uuid(store), nonce);
}
