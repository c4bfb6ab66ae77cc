/*
 * apply.h: what the appliance does with the registry's signed answers.
 *
 * The same answers arrive over HTTPS and in answer files, so both paths come here:
 * an acknowledgement moves acked_seq forward (never back, never past what was sent);
 * a changes document is applied change by change through the engine
 * (db/registry-changes.h), each exactly once. An answer that is not signed by the
 * registry's configured key is refused before anything is read from it.
 */
#pragma once
#include "db/store.h"
#include "sync/media.h"

G_BEGIN_DECLS

/* Checks the registry's signature on an answer, when a registry key is configured
 * (required_key: refuse when none is, as for media where no TLS vouches for it). */
gboolean muster_sync_check_answer(MusterStore *store, const MusterSigned *answer,
                                  gboolean required_key, GError **error);

/* Handles an answer to a batch: {"acked":N,...} or an error answer. Sets *acked to the
 * registry's acknowledged sequence (-1 when the answer gives none). FALSE with the
 * registry's message for an error answer (other than out_of_order, which is a normal
 * answer telling where to resume). */
gboolean muster_sync_apply_ack(MusterStore *store, const char *answer, gint64 *acked,
                               GError **error);

/* Applies a changes document; *applied counts the changes newly applied, *more says the
 * registry has more waiting. */
gboolean muster_sync_apply_changes(MusterStore *store, const char *answer, gint64 *applied,
                                   gboolean *more, GError **error);

/* A signed pull request for changes after the appliance's pulled_version. */
MusterSigned *muster_sync_pull_request(MusterStore *store, const MusterSyncKey *key,
                                       GError **error);

G_END_DECLS
