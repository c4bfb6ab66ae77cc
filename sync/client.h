/*
 * client.h: syncing with the registry over HTTPS (libcurl), on demand or in the
 * background.
 *
 * libcurl rather than libsoup for the appliance: a push is a plain blocking loop of
 * POSTs on a worker thread (or in the CLI), which libcurl does with one easy handle
 * that keeps its TLS connection alive between batches where the registry allows it (the
 * reference registry closes it after each answer under libsoup 3.2), verifies the peer
 * against a CA file (CURLOPT_CAINFO) and has per-request timeouts; no main loop is
 * needed in the CLI. Verification is never turned off: there is no option for it.
 *
 * A push sends every event after acked_seq in numbered, signed batches and resumes
 * from whatever the registry says it holds, so a dropped connection, a killed
 * registry or a batch sent twice costs a resend, never a loss or a double apply.
 */
#pragma once
#include "db/store.h"
#include "protocol/envelope.h"
#include "protocol/keys.h"

G_BEGIN_DECLS

typedef struct _MusterSyncClient MusterSyncClient;

/* url: https://host:port; ca_file: the CA bundle to verify the registry by (NULL: the
 * system's). */
MusterSyncClient *muster_sync_client_new(const char *url, const char *ca_file, GError **error);
void muster_sync_client_free(MusterSyncClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterSyncClient, muster_sync_client_free)
/* Whole-request timeout in seconds (default 60). */
void muster_sync_client_set_timeout(MusterSyncClient *client, guint seconds);

/* One signed POST (path "/v1/batches" or "/v1/changes"); returns the registry's signed
 * answer whatever its HTTP status (*status), or NULL with MUSTER_ERROR_IO when the
 * exchange failed (no connection, TLS failure, timeout, dropped mid-answer). */
MusterSigned *muster_sync_client_post(MusterSyncClient *client, const char *path,
                                      const MusterSigned *request, guint *status, GError **error);

typedef struct {
  gint64 events;         /* events newly acknowledged */
  gint64 batches;        /* requests sent */
  gint64 bytes_sent;     /* request bodies */
  gint64 bytes_received; /* answer bodies */
} MusterPushStats;

/* Pushes the outbox until the registry holds all of it. batch_events 0: the default. */
gboolean muster_sync_push(MusterStore *store, const MusterSyncKey *key, MusterSyncClient *client,
                          guint batch_events, MusterPushStats *stats, GError **error);
/* Pulls and applies the registry's changes until none are left. */
gboolean muster_sync_pull(MusterStore *store, const MusterSyncKey *key, MusterSyncClient *client,
                          gint64 *applied, GError **error);
/* Push then pull with the configured registry, recording success or failure in the
 * sync state (what `muster sync status` shows). */
gboolean muster_sync_now(MusterStore *store, const MusterSyncKey *key, GError **error);

/* Background sync on its own thread with its own database connection: every
 * interval_s seconds, after a failure with exponential backoff (30 s doubling up to
 * 1 h, with jitter), and at once when triggered. */
typedef struct _MusterSyncRunner MusterSyncRunner;
MusterSyncRunner *muster_sync_runner_start(const char *db_path, const char *key_path,
                                           guint interval_s);
void muster_sync_runner_trigger(MusterSyncRunner *runner);
void muster_sync_runner_stop(MusterSyncRunner *runner);
/* The delay before the next attempt after failures failures in a row (exposed for tests). */
guint muster_sync_backoff_s(guint interval_s, gint64 failures);

G_END_DECLS
