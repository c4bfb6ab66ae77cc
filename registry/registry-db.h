/*
 * registry-db.h: the reference registry's store, PostgreSQL through libpq.
 *
 * One RegistryDb is one connection; the server gives each worker thread its own. Every
 * operation is one transaction. Batches are verified here, inside the transaction that
 * stores them, against the key read under a row lock on the armoury: two deliveries of
 * the same batch racing on two connections are serialised, and the second is seen as a
 * duplicate.
 */
#pragma once
#include "protocol/keys.h"
#include <glib.h>

G_BEGIN_DECLS

#define REGISTRY_ERROR (registry_error_quark())
GQuark registry_error_quark(void);

/* Each code maps to one HTTP status (registry/server.c). */
typedef enum {
  REGISTRY_ERROR_BAD_REQUEST,     /* malformed batch or request: 400 */
  REGISTRY_ERROR_BAD_SIGNATURE,   /* unsigned, tampered or wrong key: 401 */
  REGISTRY_ERROR_UNKNOWN_ARMOURY, /* not enrolled: 403 */
  REGISTRY_ERROR_OUT_OF_ORDER,    /* a gap before this batch: 409, resend from acked + 1 */
  REGISTRY_ERROR_CONFLICT,        /* same seqs, other content (a restored appliance): 409 */
  REGISTRY_ERROR_STORAGE_FULL,    /* the database is out of space: 503, retry later */
  REGISTRY_ERROR_UNAVAILABLE,     /* the database is down or failed: 503 */
  REGISTRY_ERROR_NOT_FOUND,
} RegistryError;

typedef struct _RegistryDb RegistryDb;

RegistryDb *registry_db_connect(const char *conninfo, GError **error);
void registry_db_free(RegistryDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegistryDb, registry_db_free)

/* Brings the schema (registry/schema.sql) up to date; safe to run concurrently. */
gboolean registry_db_migrate(RegistryDb *db, GError **error);

/* Enrols (or re-keys, when replace) an armoury. */
gboolean registry_db_enroll(RegistryDb *db, const char *uuid, const char *code,
                            const char *public_key_b64, gboolean replace, GError **error);

typedef struct {
  gint64 acked;  /* every event up to here is stored */
  gint64 stored; /* events this delivery added (0 for a duplicate) */
  gboolean duplicate;
  gboolean clock_suspect;
  /* Set once the batch's signature is verified, even when it is then refused: the
   * answer names the armoury and the batch's nonce, so that it fits no other request. */
  char *armoury;
  char *nonce;
  /* The newest audit anchor stored for the armoury (anchor_audit_seq 0: none yet). */
  gint64 anchor_audit_seq;
  char *anchor_audit_hash;
  char *anchor_stored_at; /* the registry's clock, ISO 8601 UTC */
} RegistryAck;

void registry_ack_clear(RegistryAck *ack);

/* Verifies and stores one signed batch (see the error codes). armoury is the sender the
 * request names outside its body (the Muster-Armoury header, or the media file): its key
 * is looked up and the signature checked before a byte of the body is parsed, and the
 * body must then name the same armoury. An armoury that is not enrolled is refused
 * exactly as a wrong signature is. On OUT_OF_ORDER, ack->acked still says where the
 * armoury stands. */
gboolean registry_db_store_batch(RegistryDb *db, const char *armoury, const void *body, gsize len,
                                 const char *signature_b64, RegistryAck *ack, GError **error);

/* Verifies a signed pull request ({"format":"muster-pull/1","armoury":..,"since":V,
 * "sent_at":T,"nonce":N}) as batches are, refuses it when its nonce was seen before or it
 * is older than the newest pull answered (a replay), records that the appliance has
 * applied changes up to V, and returns the changes document (see docs/sync-protocol.md)
 * with up to limit changes after V, naming the request's nonce. */
char *registry_db_pull(RegistryDb *db, const char *armoury, const void *body, gsize len,
                       const char *signature_b64, guint limit, GError **error);

/* A change made centrally for an armoury; returns its version, or 0 with error. */
gint64 registry_db_add_change(RegistryDb *db, const char *armoury_uuid, const char *kind,
                              const char *payload_json, const char *by, GError **error);

/* The tracing answer for a marking, across every armoury, as JSON. */
char *registry_db_trace(RegistryDb *db, const char *marking, GError **error);
/* The audit-chain anchors an armoury (uuid or code) has sent, as JSON
 * {"armoury","code","anchors":[{"seq","at","audit_seq","audit_hash"}...]}: what
 * `muster audit verify --anchors` checks an appliance's history against. */
char *registry_db_anchors(RegistryDb *db, const char *armoury, GError **error);

G_END_DECLS
