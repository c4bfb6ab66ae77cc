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
#include "sync/keys.h"
#include <gio/gio.h>

G_BEGIN_DECLS

#define MUSTER_MEDIA_TO_REGISTRY "to-registry"
#define MUSTER_MEDIA_TO_APPLIANCE "to-appliance"

typedef struct {
  GBytes *body;
  char *signature; /* base64 */
} MusterSigned;

MusterSigned *muster_signed_new(GBytes *body, const char *signature); /* takes body */
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

/* Writes atomically (a temporary file renamed into place, synced). */
gboolean muster_media_write(const char *path, const char *direction, const char *armoury,
                            GPtrArray *items, GError **error);
/* Reads and checks the structure and direction (signatures are checked by the reader
 * of each body). */
MusterMediaFile *muster_media_read(const char *path, const char *direction, GError **error);

/* Appliance side. export: every unacknowledged event in signed batches, then a pull
 * request; *events says how many. import: applies an answer file (acks and changes),
 * verified with the configured registry key; *acked and *changes say what it did. */
gboolean muster_media_export(MusterStore *store, const MusterSyncKey *key, const char *path,
                             gint64 *events, GError **error);
gboolean muster_media_import(MusterStore *store, const char *path, gint64 *acked, gint64 *changes,
                             GError **error);

G_END_DECLS
