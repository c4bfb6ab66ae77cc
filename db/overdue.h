/*
 * overdue.h: what has not been counted for too long.
 *
 * The report inspectors ask for: racks and weapons not counted within the policy
 * (setting overdue_days, default 90), and those never counted at all. A count counts
 * once it is reconciled or signed off; an item counts as counted when such a count
 * found it. Reconciliation files overdue racks outside a count's scope as discrepancies;
 * this is the armoury-wide view at any moment.
 */
#pragma once
#include "db/store.h"

G_BEGIN_DECLS

typedef struct {
  char *kind;            /* "location" or "item" */
  char *uuid;
  char *label;           /* rack path, or "Glock 17 (9x19mm) SN GL-1" */
  char *location_path;   /* where it is (for an item: where it is recorded) */
  char *last_counted_at; /* NULL: never */
} MusterOverdue;

void muster_overdue_free(MusterOverdue *o);

/* Overdue as of now_iso (NULL: the clock), older than days (<= 0: the setting).
 * Racks first, by path; then in-store items, by location and serial. Element type
 * MusterOverdue*. */
GPtrArray *muster_overdue_list(MusterStore *store, const char *now_iso, gint64 days,
                               GError **error);

G_END_DECLS
