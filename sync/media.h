/*
 * media.h: sync files for armouries without a network.
 *
 * An administrator exports a file to removable media; the registry imports it and
 * writes an answer file, which comes back the same way and is imported here. A file
 * is one JSON object holding signed documents, each exactly as it would cross HTTPS:
 *   {"format":"muster-sync-file/1","direction":"to-registry"|"to-appliance",
 *    "armoury":UUID,"items":[{"body":TEXT,"signature":B64},...]}
 * To the registry: the pending batches, then a pull request. To the appliance: the
 * registry's answer to each, in the same order. Because each body keeps its own
 * signature, a file copied, delayed, imported twice or altered is handled exactly as a
 * replayed, delayed or tampered request would be online.
 */
#pragma once
#include "db/store.h"
#include "db/users.h"
#include "sync/keys.h"
#include <gio/gio.h>

G_BEGIN_DECLS

#define MUSTER_MEDIA_TO_REGISTRY "to-registry"
#define MUSTER_MEDIA_TO_APPLIANCE "to-appliance"

typedef struct {
  GBytes *body;
  char *signature; /* base64 */
  /* Requests only, NULL otherwise: the armoury sending it, named outside the body
   * (Muster-Armoury) so the registry verifies before it parses, and the nonce in the
   * body, which the answer must name. */
  char *armoury;
  char *nonce;
} MusterSigned;

MusterSigned *muster_signed_new(GBytes *body, const char *signature); /* takes body */
MusterSigned *muster_signed_request(GBytes *body, const char *signature, const char *armoury,
                                    const char *nonce); /* takes body */
void muster_signed_free(MusterSigned *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterSigned, muster_signed_free)
/* Whether the body is a pull request (else a batch). */
gboolean muster_media_is_pull(const MusterSigned *s);

typedef struct {
  char *direction;
  char *armoury;
  GPtrArray *items; /* MusterSigned* */
} MusterMediaFile;

void muster_media_file_free(MusterMediaFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterMediaFile, muster_media_file_free)

/* The largest sync file read, checked before a byte of it is: an export writes at most
 * a third of it in batches (escaping at most doubles them), and says what is left. */
#define MUSTER_MEDIA_MAX_BYTES (32 * 1024 * 1024)

/* Writes atomically (a temporary file renamed into place, synced), mode 0600 whatever
 * the umask: a sync file carries the armoury's history. */
gboolean muster_media_write(const char *path, const char *direction, const char *armoury,
                            GPtrArray *items, GError **error);
/* Reads and checks the structure and direction (signatures are checked by the reader
 * of each body). Only a regular file is read (no symlink, device or FIFO: it is opened
 * with O_NOFOLLOW | O_NONBLOCK and checked with fstat), and only up to
 * MUSTER_MEDIA_MAX_BYTES, refused before reading when larger. */
MusterMediaFile *muster_media_read(const char *path, const char *direction, GError **error);

/* Appliance side. export (an admin, audited as "sync.export" naming the file and what
 * it holds): anchors the audit log, then writes the unacknowledged events in signed
 * batches (as many as fit, from the oldest) and a pull request, whose nonces are kept
 * to recognise their answers; *events says how many were written. import: applies an
 * answer file (acks and changes), verified with the configured registry key; every
 * answer must be for this armoury and for a request written here, or nothing is
 * applied; a refusal in the file (out of order included) fails the import after the
 * answers before it. *acked and *changes say what it did. */
gboolean muster_media_export(MusterStore *store, const MusterUser *actor, const MusterSyncKey *key,
                             const char *path, gint64 *events, GError **error);
gboolean muster_media_import(MusterStore *store, const char *path, gint64 *acked, gint64 *changes,
                             GError **error);

G_END_DECLS
