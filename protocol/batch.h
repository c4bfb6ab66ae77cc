/*
 * batch.h: outbox events as numbered, signed batches, the unit of sync.
 *
 * A batch is one JSON object (docs/sync-protocol.md, "Batches"):
 *   {"format":"muster-batch/1","armoury":UUID,"code":CODE,"first_seq":F,"last_seq":L,
 *    "sent_at":TIME,"nonce":N,"events":[{"seq":F,"at":TIME,"kind":K,"entity":UUID,"payload":{..}},..]}
 * holding every outbox event from F to L, without gaps. The nonce, fresh for every
 * encoding, comes back in the registry's answer, which binds the answer to this request.
 * The signature is a detached
 * Ed25519 signature over exactly the bytes sent; nothing is canonicalised, because
 * the receiver verifies the bytes as they arrived and stores that digest. The same
 * bytes and signature travel over HTTPS (signature in the Muster-Signature header) and
 * in removable-media files, so both are verified by the same code.
 *
 * Events are written into the batch by hand (GString): the payload is copied
 * verbatim from the outbox, where json-glib wrote it, rather than parsed and written
 * again, which is most of the cost of a million-event push.
 *
 * The protocol speaks in its own types: the appliance turns its outbox rows into
 * MusterBatchEvent (sync/outbox-batch.h), and the registry never sees the engine's.
 */
#pragma once
#include "core/json-member.h"
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MUSTER_BATCH_FORMAT "muster-batch/1"
/* Events per batch when nothing else is said: about 0.8 MB per request. */
#define MUSTER_BATCH_DEFAULT_EVENTS 2000

/* One event as a batch carries it. The strings are borrowed, not owned. */
typedef struct {
  gint64 seq;
  const char *at;
  const char *kind;
  const char *entity;
  const char *payload; /* a JSON object's text, copied into the batch verbatim */
} MusterBatchEvent;

/* Encodes n_events events (contiguous seqs, at least one). */
GBytes *muster_batch_encode(const char *armoury_uuid, const char *armoury_code,
                            const MusterBatchEvent *events, guint n_events, const char *sent_at,
                            const char *nonce);

/* A batch as received, after its structure was checked. */
typedef struct {
  char *armoury;
  char *code;
  gint64 first_seq;
  gint64 last_seq;
  char *sent_at;
  char *nonce;
  JsonNode *root; /* the whole document; events are root.events */
} MusterBatch;

void muster_batch_free(MusterBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterBatch, muster_batch_free)

/* Parses and checks a batch: format, armoury, nonce, seqs from first_seq to last_seq each once
 * and in order, every event with at, kind, entity and an object payload.
 * MUSTER_ERROR_INVALID says what is wrong. */
MusterBatch *muster_batch_parse(const void *data, gsize len, GError **error);

/* Whether JSON text nests arrays and objects at most max_depth deep, read without
 * parsing (strings skipped). json-glib's parser recurses once per level, so a body of
 * a few MiB of "[" overflows the stack: everything read from the network or from media
 * is checked with this before it is parsed. */
#define MUSTER_JSON_MAX_DEPTH 64
gboolean muster_json_nesting_ok(const char *data, gsize len, guint max_depth);

/* muster_json_append_string() is in core/json-member.h. */

G_END_DECLS
