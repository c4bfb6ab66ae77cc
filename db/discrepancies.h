/*
 * discrepancies.h: a count's discrepancies as records: reading them, and resolving them.
 *
 * A reconciliation (reconcile.h) stores them; each has a stable key (kind + subject), its
 * kind one of db/discrepancy-kind.h. Resolutions are appended, never edited: the newest
 * one of a discrepancy is in force. Staff cannot resolve. Resolving a kind that needs a
 * second person (missing, status_conflict) takes a supervisor and another active user to
 * confirm; other kinds take a supervisor or an admin. The actions are those of
 * db/resolution-action.h.
 */
#pragma once
#include "db/discrepancy-kind.h"
#include "db/resolution-action.h"
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

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

/* Ordered by kind (the kinds' table order) then subject. Element type MusterDiscrepancy*. */
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

/* action: a name of db/resolution-action.h. confirmer: required (another person) for the
 * kinds that need a second person. Fails with STATE once the count is signed off. */
gboolean muster_discrepancies_resolve(MusterStore *store, const MusterUser *actor,
                                      const MusterUser *confirmer, gint64 discrepancy_id,
                                      const char *action, const char *reason, GError **error);

G_END_DECLS
