/*
 * reconcile.h: what a closed count found against what was expected.
 *
 * Reconciliation reads only the count's frozen expected list, its scans and its
 * unmarked-item records, so it is deterministic; each finding has a stable key (kind +
 * subject), so reconciling twice stores each discrepancy once and gives the same
 * result. The kinds are the table of db/discrepancy-kind.h; the findings are read and
 * resolved through db/discrepancies.h.
 */
#pragma once
#include "db/discrepancies.h"
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef struct {
  gint64 total;
  gint64 by_kind[MUSTER_N_DISCREPANCY_KINDS]; /* indexed by MusterDiscrepancyKind */
  gint64 new_this_run;                        /* 0 when reconciling again */
} MusterReconcileSummary;

/* Supervisor, admin, or the counter. The count must be closed or reconciled. */
gboolean muster_reconcile(MusterStore *store, const MusterUser *actor, gint64 count_id,
                          MusterReconcileSummary *summary, GError **error);
/* Reconciliation takes the marking values on more than one item from marking_repeat,
 * which a trigger keeps (migration 009) and nothing seals. This checks that it lacks none
 * of them now, and that count_id's newest reconciliation read the list the sealed
 * markings gave then (two passes over the marking values; TAMPERED if not): sign-off
 * calls it. */
gboolean muster_reconcile_check_register(MusterStore *store, gint64 count_id, GError **error);

G_END_DECLS
