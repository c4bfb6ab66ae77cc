/*
 * sync-state.h: how far the registry sync has got, as the appliance records it.
 *
 * The sync (sync/) is the only caller. It reads outbox events after the acknowledged
 * sequence, and records acknowledgements, successes and failures here, so that
 * `muster sync status` and the kiosk show the last successful sync, the backlog and the
 * last error from the database rather than from a process that may have died. The
 * acknowledged sequence only grows: a stale or replayed answer cannot move it back.
 */
#pragma once
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef struct {
  char *registry_url;    /* NULL until configured */
  char *registry_ca;     /* CA file for TLS verification; NULL: the system's */
  char *registry_key;    /* the registry's Ed25519 public key, base64; NULL: unknown */
  gint64 acked_seq;      /* outbox events up to here are stored at the registry */
  gint64 last_seq;       /* the newest outbox event */
  gint64 backlog;        /* events not yet acknowledged */
  gint64 pulled_version; /* registry changes up to here are applied */
  gint64 failures;       /* failed attempts in a row */
  char *last_success_at;
  char *last_attempt_at;
  char *last_error; /* NULL after a success */
} MusterSyncState;

void muster_sync_state_free(MusterSyncState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterSyncState, muster_sync_state_free)

MusterSyncState *muster_sync_state_get(MusterStore *store, GError **error);

/* Admin: where the registry is and how to trust it (url https://..., ca may be NULL,
 * key the registry's base64 public key, may be NULL). Audited as "sync.configure". */
gboolean muster_sync_state_configure(MusterStore *store, const MusterUser *actor, const char *url,
                                     const char *ca, const char *key, GError **error);

/* One outbox row, as the registry receives it. */
typedef struct {
  gint64 seq;
  char *at;
  char *kind;
  char *entity_uuid;
  char *payload; /* JSON object text */
} MusterOutboxEvent;
void muster_outbox_event_free(MusterOutboxEvent *event);

/* Up to limit outbox events with seq > after, in order. Element type MusterOutboxEvent*. */
GPtrArray *muster_sync_outbox_after(MusterStore *store, gint64 after, guint limit, GError **error);

/* The registry holds every event up to seq. Refused (MUSTER_ERROR_INVALID) beyond the
 * newest outbox event: a registry acknowledging what was never sent is wrong, and
 * believing it would lose events. A lower seq than recorded changes nothing. Also
 * records a success. */
gboolean muster_sync_record_ack(MusterStore *store, gint64 seq, GError **error);
/* A successful exchange that acknowledged nothing new (a pull, an empty push). */
gboolean muster_sync_record_success(MusterStore *store, GError **error);
/* A failed attempt: message is shown by `muster sync status`; failures grows by one. */
gboolean muster_sync_record_failure(MusterStore *store, const char *message, GError **error);

/* Appends an audit.anchor outbox event (the audit chain's head sequence and hash) when
 * the audit log has entries the newest anchor does not cover, whatever else waits, so
 * that every push and every export carries the head for the registry to hold the
 * appliance's history against. (The entry sealing an anchor's own outbox row comes after
 * the head it anchors and cannot be in it: it alone does not call for a new anchor.) */
gboolean muster_sync_anchor_audit(MusterStore *store, GError **error);

/* Keeps a registry-signed statement of the newest anchor it stores for this armoury
 * (answer and signature as received, already verified), unless kept already. */
gboolean muster_sync_record_receipt(MusterStore *store, gint64 audit_seq, const char *audit_hash,
                                    const char *registry_at, const char *answer,
                                    const char *signature, GError **error);

/* How far the registry vouches for this appliance's audit history. */
typedef struct {
  gint64 audit_seq;       /* the newest anchored entry the registry confirmed; 0: none */
  char *audit_at;         /* when that entry was written here; NULL when none */
  char *registry_at;      /* when the registry stored the anchor (its clock) */
  gint64 unanchored;      /* audit entries after it: history the registry does not hold */
  char *unanchored_since; /* the time of the first of them; NULL when there are none */
} MusterAnchorReceipt;

void muster_anchor_receipt_free(MusterAnchorReceipt *receipt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterAnchorReceipt, muster_anchor_receipt_free)

/* The newest receipt and the unanchored window after it. */
MusterAnchorReceipt *muster_sync_anchor_receipt(MusterStore *store, GError **error);

/* Requests written to removable media, by nonce (kind "batch" or "pull"), inside the
 * caller's transaction; and whether an answer's nonce names one of them (1), not (0),
 * or the database failed (-1). */
gboolean muster_sync_request_record(MusterStore *store, const char *nonce, const char *kind,
                                    const char *file, GError **error);
int muster_sync_request_known(MusterStore *store, const char *nonce, const char *kind,
                              GError **error);

G_END_DECLS
