/*
 * scan-row.h: one committed scan as the live-count screen shows it.
 *
 * A GObject so that a GListStore of them can feed a GtkListView. It is made only from a
 * MusterIngestResult, i.e. after the scan is on disk: nothing uncommitted can be shown.
 */
#pragma once
#include "db/ingest.h"
#include <glib-object.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCAN_ROW (muster_kiosk_scan_row_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScanRow, muster_kiosk_scan_row, MUSTER_KIOSK, SCAN_ROW, GObject)

/* read_mono_us: when the reader read it (for latency); committed_mono_us: when the
 * engine reported it committed. */
MusterKioskScanRow *muster_kiosk_scan_row_new(const MusterIngestResult *result, gint64 read_mono_us,
                                              gint64 committed_mono_us);

MusterOutcome muster_kiosk_scan_row_get_outcome(MusterKioskScanRow *self);
gint64 muster_kiosk_scan_row_get_scan_id(MusterKioskScanRow *self);
/* What the item is ("Glock 17 9x19 SN ..."), or the marking for an unknown one. */
const char *muster_kiosk_scan_row_get_summary(MusterKioskScanRow *self);
const char *muster_kiosk_scan_row_get_marking(MusterKioskScanRow *self);
/* Where it was scanned, and where the record says it belongs (may be NULL). */
const char *muster_kiosk_scan_row_get_location(MusterKioskScanRow *self);
const char *muster_kiosk_scan_row_get_recorded_location(MusterKioskScanRow *self);
const char *muster_kiosk_scan_row_get_item_status(MusterKioskScanRow *self);
gint64 muster_kiosk_scan_row_get_read_mono_us(MusterKioskScanRow *self);
gint64 muster_kiosk_scan_row_get_committed_mono_us(MusterKioskScanRow *self);
/* One line for a person: the outcome's explanation with its details filled in. */
char *muster_kiosk_scan_row_describe(MusterKioskScanRow *self);

G_END_DECLS
