/*
 * media-file.h: sync files for armouries without a network.
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
#include "protocol/envelope.h"

G_BEGIN_DECLS

#define MUSTER_MEDIA_TO_REGISTRY "to-registry"
#define MUSTER_MEDIA_TO_APPLIANCE "to-appliance"

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

G_END_DECLS
