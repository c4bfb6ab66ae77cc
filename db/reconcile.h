/*
 * reconcile.h: what a closed count found against what was expected.
 *
 * Reconciliation reads only the count's frozen expected list, its scans and its
 * unmarked-item records, so it is deterministic; each finding has a stable key (kind +
 * subject), so reconciling twice stores each discrepancy once and gives the same
 * result. Kinds:
 *   missing            expected in scope, not found
 *   wrong_location     found here, recorded elsewhere
 *   unknown_marking    a scan that matches no record (kept, never rejected)
 *   unmarked_item      recorded by staff, with description and place
 *   status_conflict    recorded issued, lost, stolen, destroyed or in transit, yet found
 *   duplicate_marking  one marking on two items, or two items with the same serial
 *   component_mismatch a component marking of one weapon found on another
 *   marking_mismatch   two frame markings of one item check resolve to different items
 *   not_genuine        a tag that failed its originality check
 *   overdue            a location in the armoury not counted within overdue_days
 *
 * Resolutions are appended, never edited: the newest one of a discrepancy is in force.
 * Staff cannot resolve. Resolving missing or status_conflict needs a supervisor and a
 * second person (any other active user) to confirm; other kinds need a supervisor or
 * admin.
 */
#pragma once
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef struct {
  gint64 total;
  gint64 by_kind[10];     /* indexed like muster_discrepancy_kinds[] */
  gint64 new_this_run;    /* 0 when reconciling again */
} MusterReconcileSummary;

extern const char *const muster_discrepancy_kinds[10];

/* Supervisor, admin, or the counter. The count must be closed or reconciled. */
gboolean muster_reconcile(MusterStore *store, const MusterUser *actor, gint64 count_id,
                          MusterReconcileSummary *summary, GError **error);
/* Reconciliation takes the marking values on more than one item from marking_repeat,
 * which a trigger keeps (migration 009) and nothing seals. This checks that it lacks none
 * of them now, and that count_id's newest reconciliation read the list the sealed
 * markings gave then (two passes over the marking values; TAMPERED if not): sign-off
 * calls it. */
gboolean muster_reconcile_check_register(MusterStore *store, gint64 count_id, GError **error);

typedef struct {
  gint64 id;
  char *uuid;
  gint64 count_id;
  char *kind;
  char *subject;          /* the stable key: item uuid, marking value, location path */
  char *item_uuid;        /* NULL when none */
  char *item_summary;     /* "Glock 17 9x19 SN GL-123456" */
  char *other_item_uuid;
  char *location_path;    /* where found / where expected */
  char *detail;           /* one line a person reads */
  char *created_at;
  /* the resolution in force, all NULL when unresolved */
  char *resolution_action;
  char *resolution_reason;
  char *resolved_by;
  char *confirmed_by;
  char *resolved_at;
} MusterDiscrepancy;

void muster_discrepancy_free(MusterDiscrepancy *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterDiscrepancy, muster_discrepancy_free)

typedef struct {
  const char *kind;            /* NULL = any */
  const char *location_path;   /* NULL = any; matches the subtree */
  int resolved;                /* -1 any, 0 unresolved only, 1 resolved only */
} MusterDiscrepancyFilter;

/* Ordered by kind then subject. Element type MusterDiscrepancy*. */
GPtrArray *muster_discrepancies_list(MusterStore *store, gint64 count_id,
                                     const MusterDiscrepancyFilter *filter, GError **error);
/* The same rows one at a time, without holding them all (a screen keeping only what it
 * shows of 100,000): func takes ownership of each. */
typedef void (*MusterDiscrepancyFunc)(MusterDiscrepancy *d, gpointer user_data);
gboolean muster_discrepancies_foreach(MusterStore *store, gint64 count_id,
                                      const MusterDiscrepancyFilter *filter,
                                      MusterDiscrepancyFunc func, gpointer user_data,
                                      GError **error);
/* By id or uuid. */
MusterDiscrepancy *muster_discrepancies_get(MusterStore *store, const char *id_or_uuid,
                                            GError **error);

/* action: found, recorded, corrected, written_off, reported, accepted, reopened.
 * confirmer: required (another person) for missing and status_conflict. Fails with
 * STATE once the count is signed off. */
gboolean muster_discrepancies_resolve(MusterStore *store, const MusterUser *actor,
                                      const MusterUser *confirmer, gint64 discrepancy_id,
                                      const char *action, const char *reason, GError **error);

G_END_DECLS
