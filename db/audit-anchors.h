/*
 * audit-anchors.h: the appliance's audit chain checked against the anchors the national
 * registry holds.
 *
 * The chain alone shows an edit or a deletion in the middle of the history, but not
 * the newest entries cut off together (what is left is still a valid chain). Each sync
 * sends an anchor — the sequence and hash of the newest entry — that the registry keeps
 * out of the appliance's reach. If an anchored entry is gone or its hash differs, the
 * history was rewritten after it was sent.
 */
#pragma once
#include "db/store.h"

G_BEGIN_DECLS

/* anchors_json: as `muster-registry anchors ARMOURY` prints it:
 * {"armoury": UUID, "anchors": [{"audit_seq": N, "audit_hash": HEX}, ...]}.
 * TRUE when every anchor matches (*checked says how many). MUSTER_ERROR_TAMPERED naming
 * the first anchor that does not; MUSTER_ERROR_INVALID when the text is not anchors or
 * they belong to another armoury. */
gboolean muster_audit_check_anchors(MusterStore *store, const char *anchors_json,
                                    gint64 *checked, GError **error);

/* The registry-signed receipts kept by sync (db/sync-state.h, muster_sync_record_receipt)
 * against the chain: each names an entry the registry holds an anchor of, so a chain
 * rewritten before it no longer has that hash there. A receipt whose signature does not
 * verify by the configured registry key was forged here. *checked says how many. */
gboolean muster_audit_check_receipts(MusterStore *store, gint64 *checked, GError **error);

/* The anchor a receipt states, as the registry signed it: TRUE, with the audit entry's
 * sequence and hash (*hash to free), when signature_b64 verifies answer by the registry
 * key key_b64 (base64) and the answer names an anchor; else FALSE. The receipt's own
 * audit_seq and audit_hash columns are a copy the signature does not cover: trust these. */
gboolean muster_audit_receipt_anchor(const char *key_b64, const char *answer,
                                     const char *signature_b64, gint64 *seq, char **hash);

/* The hash of audit entry seq: NULL with error unset when there is no such entry, NULL
 * with error set when the log cannot be read. */
char *muster_audit_entry_hash(MusterStore *store, gint64 seq, GError **error);

G_END_DECLS
