/*
 * outbox-batch.h: the appliance's outbox events as signed protocol batches.
 *
 * The batch format is the protocol's (protocol/batch.h) and speaks in its own event
 * type; this is where the engine's outbox rows (db/sync-state.h) become batch events,
 * borrowed rather than copied, and where a batch is signed with the appliance's key.
 * The HTTPS push and the sync-file export send batches made here.
 */
#pragma once
#include "db/store.h"
#include "protocol/envelope.h"
#include "protocol/keys.h"

G_BEGIN_DECLS

/* Encodes events (MusterOutboxEvent*, contiguous seqs, at least one) as a batch. */
GBytes *muster_sync_batch_encode(const char *armoury_uuid, const char *armoury_code,
                                 GPtrArray *events, const char *sent_at, const char *nonce);

/* This armoury's batch of events, signed with key and with a fresh nonce, as a request
 * (sent_at NULL: now). */
MusterSigned *muster_sync_sign_batch(MusterStore *store, const MusterSyncKey *key,
                                     GPtrArray *events, const char *sent_at);

G_END_DECLS
