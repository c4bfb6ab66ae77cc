/*
 * review-model.c: discrepancies as list rows (see review-model.h).
 */
#include "ui/review-model.h"


#include <string.h>

struct _MusterKioskDiscrepancyRow {
  GObject parent_instance;
  gint64 id;
  const char *kind; /* interned */
  gboolean resolved;
  char *location; /* location and summary in one allocation */
  const char *summary;
};

G_DEFINE_FINAL_TYPE(MusterKioskDiscrepancyRow, muster_kiosk_discrepancy_row, G_TYPE_OBJECT)

static void
muster_kiosk_discrepancy_row_finalize(GObject *object)
{
  g_free(MUSTER_KIOSK_DISCREPANCY_ROW(object)->location);
  G_OBJECT_CLASS(muster_kiosk_discrepancy_row_parent_class)->finalize(object);
}

static void
muster_kiosk_discrepancy_row_class_init(MusterKioskDiscrepancyRowClass *klass)
{
  G_OBJECT_CLASS(klass)->finalize = muster_kiosk_discrepancy_row_finalize;
}

static void
muster_kiosk_discrepancy_row_init(MusterKioskDiscrepancyRow *self)
{
}

MusterKioskDiscrepancyRow *
muster_kiosk_discrepancy_row_new(const MusterDiscrepancy *d)
{
  MusterKioskDiscrepancyRow *self = g_object_new(MUSTER_KIOSK_TYPE_DISCREPANCY_ROW, NULL);
  self->id = d->id;
  self->kind = g_intern_string(d->kind);
  self->resolved = d->resolution_action != NULL;
  const char *where = d->location_path != NULL ? d->location_path : "";
  const char *what = d->item_summary != NULL ? d->item_summary : d->subject;
  gsize where_len = strlen(where);
  self->location = g_malloc(where_len + strlen(what != NULL ? what : "") + 2);
  memcpy(self->location, where, where_len + 1);
  self->summary = self->location + where_len + 1;
  strcpy((char *)self->summary, what != NULL ? what : "");
  return self;
}

gint64
muster_kiosk_discrepancy_row_get_id(MusterKioskDiscrepancyRow *self)
{
  return self->id;
}

const char *
muster_kiosk_discrepancy_row_get_kind(MusterKioskDiscrepancyRow *self)
{
  return self->kind;
}

const char *
muster_kiosk_discrepancy_row_get_location(MusterKioskDiscrepancyRow *self)
{
  return self->location;
}

const char *
muster_kiosk_discrepancy_row_get_summary(MusterKioskDiscrepancyRow *self)
{
  return self->summary;
}

gboolean
muster_kiosk_discrepancy_row_get_resolved(MusterKioskDiscrepancyRow *self)
{
  return self->resolved;
}

/* Both read the kinds' table (db/discrepancy-kind.h); its labels are translated in the
 * engine's domain. */
gboolean
muster_kiosk_discrepancy_needs_confirmer(const char *kind)
{
  return muster_discrepancy_kind_needs_second_person(kind);
}

const char *
muster_kiosk_discrepancy_kind_label(const char *kind)
{
  MusterDiscrepancyKind k;
  return muster_discrepancy_kind_from_name(kind, &k) ? muster_discrepancy_kind_label(k) : kind;
}

static void
add_row(MusterDiscrepancy *d, gpointer rows)
{
  g_ptr_array_add(rows, muster_kiosk_discrepancy_row_new(d));
  muster_discrepancy_free(d);
}

GListModel *
muster_kiosk_review_model_load(MusterStore *store, gint64 count_id,
                               const MusterDiscrepancyFilter *filter, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(g_object_unref);
  if (!muster_discrepancies_foreach(store, count_id, filter, add_row, rows, error)) {
    g_prefix_error(error, "Listing the discrepancies of count %" G_GINT64_FORMAT ": ", count_id);
    return NULL;
  }
  /* Spliced in at once: one items-changed for the whole list. */
  GListStore *model = g_list_store_new(MUSTER_KIOSK_TYPE_DISCREPANCY_ROW);
  g_list_store_splice(model, 0, 0, rows->pdata, rows->len);
  return G_LIST_MODEL(model);
}
