/*
 * apply.h: what the appliance does with the registry's signed answers.
 *
 * The same answers arrive over HTTPS and in answer files, so both paths come here:
 * an acknowledgement moves acked_seq forward (never back, never past what was sent) and
 * leaves a receipt for the newest audit anchor the registry holds; each answer must name
 * this armoury and the nonce of the request it answers;
 * a changes document is applied change by change through the engine
 * (db/registry-changes.h), each exactly once. An answer that is not signed by the
 * registry's configured key is refused before anything is read from it.
 */
#pragma once
#include "db/store.h"
#include "protocol/envelope.h"
#include "protocol/keys.h"

G_BEGIN_DECLS

/* Checks the registry's signature on an answer, when a registry key is configured
 * (required_key: refuse when none is, as for media where no TLS vouches for it). */
gboolean muster_sync_check_answer(MusterStore *store, const MusterSigned *answer,
                                  gboolean required_key, GError **error);

/* Handles an answer to a batch: {"armoury":U,"nonce":N,"acked":A,...,"anchor":..} or an
 * error answer. nonce is the batch's (online); NULL for an answer read from a sync file,
 * whose nonce must then name a batch this appliance wrote to one. An answer for another
 * armoury or another request is refused (MUSTER_ERROR_TAMPERED) and changes nothing.
 * Sets *acked to the registry's acknowledged sequence (-1 when it gives none) and keeps
 * the anchor receipt the answer carries. *out_of_order: the registry refused the batch
 * because events before it are missing, and *acked says where to resume (TRUE is
 * returned: online that is a normal answer; a sync file reader must not take it as
 * success). Any other error answer: FALSE with the registry's message. */
gboolean muster_sync_apply_ack(MusterStore *store, const MusterSigned *answer, const char *nonce,
                               gint64 *acked, gboolean *out_of_order, GError **error);

/* Applies a changes document bound, as acks are, to this armoury and the pull request's
 * nonce (NULL: one written to a sync file); *applied counts the changes newly applied,
 * *more says the registry has more waiting. */
gboolean muster_sync_apply_changes(MusterStore *store, const MusterSigned *answer,
                                   const char *nonce, gint64 *applied, gboolean *more,
                                   GError **error);

/* For an answer read from a sync file (signature already checked): FALSE unless it is
 * for this armoury and answers a request this appliance wrote to a sync file (a refusal
 * naming no request passes: it can change nothing). Changes nothing itself. */
gboolean muster_sync_check_media_answer(MusterStore *store, const MusterSigned *answer,
                                        GError **error);

/* A signed pull request for changes after the appliance's pulled_version. */
MusterSigned *muster_sync_pull_request(MusterStore *store, const MusterSyncKey *key,
                                       GError **error);

G_END_DECLS
