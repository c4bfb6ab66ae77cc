/*
 * media.h: sync files, the appliance's side: exporting its requests and importing the
 * registry's answers. The file format itself is the protocol's (protocol/media-file.h),
 * which the registry reads and writes too.
 */
#pragma once
#include "db/store.h"
#include "db/users.h"
#include "protocol/keys.h"
#include "protocol/media-file.h"

G_BEGIN_DECLS

/* export (an admin, audited as "sync.export" naming the file and what
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
