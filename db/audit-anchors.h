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

/* How much of the history the registry does not hold an anchor of yet: the window in
 * which someone who can write the database could still rewrite it unseen (see
 * docs/threat-model.md). Anchors count once the registry has acknowledged them. */
typedef struct {
  gint64 anchored_seq; /* newest audit entry anchored at the registry; 0: none yet */
  char *anchored_at;   /* its time; NULL when none */
  gint64 unanchored;   /* audit entries after it */
  char *since;         /* time of the first of them; NULL when there are none */
} MusterAnchorWindow;
void muster_anchor_window_clear(MusterAnchorWindow *w);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MusterAnchorWindow, muster_anchor_window_clear)
gboolean muster_audit_anchor_window(MusterStore *store, MusterAnchorWindow *w, GError **error);

G_END_DECLS
