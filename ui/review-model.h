/*
 * review-model.h: a count's discrepancies as a GListModel for the review screen.
 *
 * The engine filters (kind, location subtree, resolved or not) and orders; this keeps,
 * per row, only what the list shows (id, kind, where, what, resolved or not), read one
 * row at a time (muster_discrepancies_foreach), so 100,000 rows cost a few MB, and a
 * GtkListView creates widgets for the visible rows only. The whole discrepancy is read
 * again when one is selected.
 */
#pragma once
#include "db/reconcile.h"
#include <gio/gio.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_DISCREPANCY_ROW (muster_kiosk_discrepancy_row_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskDiscrepancyRow, muster_kiosk_discrepancy_row, MUSTER_KIOSK,
                     DISCREPANCY_ROW, GObject)

/* Keeps what the list shows of d (d is not kept). */
MusterKioskDiscrepancyRow *muster_kiosk_discrepancy_row_new(const MusterDiscrepancy *d);
gint64 muster_kiosk_discrepancy_row_get_id(MusterKioskDiscrepancyRow *self);
const char *muster_kiosk_discrepancy_row_get_kind(MusterKioskDiscrepancyRow *self);
const char *muster_kiosk_discrepancy_row_get_location(MusterKioskDiscrepancyRow *self);
/* The item, or the subject when there is no item. */
const char *muster_kiosk_discrepancy_row_get_summary(MusterKioskDiscrepancyRow *self);
gboolean muster_kiosk_discrepancy_row_get_resolved(MusterKioskDiscrepancyRow *self);

/* TRUE for kinds whose resolution needs a second person (db/discrepancy-kind.h). */
gboolean muster_kiosk_discrepancy_needs_confirmer(const char *kind);
/* The kind as a person reads it ("Missing"), translated. */
const char *muster_kiosk_discrepancy_kind_label(const char *kind);

/* A GListStore of MusterKioskDiscrepancyRow. */
GListModel *muster_kiosk_review_model_load(MusterStore *store, gint64 count_id,
                                           const MusterDiscrepancyFilter *filter, GError **error);

G_END_DECLS
