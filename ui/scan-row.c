/*
 * scan-row.c: a committed scan for the screen (see scan-row.h).
 */
#include "ui/scan-row.h"

#include "ui/i18n.h"

struct _MusterKioskScanRow {
  GObject parent_instance;
  MusterOutcome outcome;
  gint64 scan_id;
  char *summary;
  char *marking;
  char *location;
  char *recorded_location;
  char *item_status;
  gint64 read_mono_us;
  gint64 committed_mono_us;
};

G_DEFINE_FINAL_TYPE(MusterKioskScanRow, muster_kiosk_scan_row, G_TYPE_OBJECT)

static void
muster_kiosk_scan_row_finalize(GObject *object)
{
  MusterKioskScanRow *self = MUSTER_KIOSK_SCAN_ROW(object);
  g_free(self->summary);
  g_free(self->marking);
  g_free(self->location);
  g_free(self->recorded_location);
  g_free(self->item_status);
  G_OBJECT_CLASS(muster_kiosk_scan_row_parent_class)->finalize(object);
}

static void
muster_kiosk_scan_row_class_init(MusterKioskScanRowClass *klass)
{
  G_OBJECT_CLASS(klass)->finalize = muster_kiosk_scan_row_finalize;
}

static void
muster_kiosk_scan_row_init(MusterKioskScanRow *self)
{
}

MusterKioskScanRow *
muster_kiosk_scan_row_new(const MusterIngestResult *result, gint64 read_mono_us,
                          gint64 committed_mono_us)
{
  MusterKioskScanRow *self = g_object_new(MUSTER_KIOSK_TYPE_SCAN_ROW, NULL);
  self->outcome = result->outcome;
  self->scan_id = result->scan_id;
  self->summary = g_strdup(result->summary);
  self->marking = g_strdup(result->marking_value);
  self->location = g_strdup(result->location_path);
  self->recorded_location = g_strdup(result->recorded_location);
  self->item_status = g_strdup(result->item_status);
  self->read_mono_us = read_mono_us;
  self->committed_mono_us = committed_mono_us;
  return self;
}

MusterOutcome
muster_kiosk_scan_row_get_outcome(MusterKioskScanRow *self)
{
  return self->outcome;
}

gint64
muster_kiosk_scan_row_get_scan_id(MusterKioskScanRow *self)
{
  return self->scan_id;
}

const char *
muster_kiosk_scan_row_get_summary(MusterKioskScanRow *self)
{
  return self->summary != NULL ? self->summary : "";
}

const char *
muster_kiosk_scan_row_get_marking(MusterKioskScanRow *self)
{
  return self->marking;
}

const char *
muster_kiosk_scan_row_get_location(MusterKioskScanRow *self)
{
  return self->location;
}

const char *
muster_kiosk_scan_row_get_recorded_location(MusterKioskScanRow *self)
{
  return self->recorded_location;
}

const char *
muster_kiosk_scan_row_get_item_status(MusterKioskScanRow *self)
{
  return self->item_status;
}

gint64
muster_kiosk_scan_row_get_read_mono_us(MusterKioskScanRow *self)
{
  return self->read_mono_us;
}

gint64
muster_kiosk_scan_row_get_committed_mono_us(MusterKioskScanRow *self)
{
  return self->committed_mono_us;
}

static const char *
or_unknown(const char *s)
{
  return s != NULL && *s != '\0' ? s : _("unknown");
}

char *
muster_kiosk_scan_row_describe(MusterKioskScanRow *self)
{
  switch (self->outcome) {
  case MUSTER_OUTCOME_ACCEPTED:
    return g_strdup_printf(_("Counted at %s"), or_unknown(self->location));
  case MUSTER_OUTCOME_DUPLICATE: return g_strdup(_("Already counted in this count: nothing to do"));
  case MUSTER_OUTCOME_UNKNOWN:
    return g_strdup_printf(_("No record carries %s: put the item aside for the supervisor"),
                           or_unknown(self->marking));
  case MUSTER_OUTCOME_WRONG_LOCATION:
    return g_strdup_printf(_("Recorded at %s, found at %s"), or_unknown(self->recorded_location),
                           or_unknown(self->location));
  case MUSTER_OUTCOME_STATUS_CONFLICT:
    return g_strdup_printf(_("Recorded as %s, yet found here: tell the supervisor"),
                           or_unknown(self->item_status));
  case MUSTER_OUTCOME_NOT_GENUINE:
    return g_strdup(_("The tag failed its originality check: put the item aside"));
  case MUSTER_OUTCOME_UNREADABLE: return g_strdup(_("Could not be read: scan it again"));
  case MUSTER_OUTCOME_AMBIGUOUS:
    return g_strdup(_("This marking is on more than one item: tell the supervisor"));
  }
  return g_strdup("");
}
