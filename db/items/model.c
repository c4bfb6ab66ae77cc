/*
 * model.c: the item and its markings as values: status names, copies, freeing, and the
 * key a serial is matched by.
 *
 * Nothing here reads or writes the store, so every other file of the item engine may
 * use it, and it uses none of them.
 */
#include "db/items/items-private.h"

#include "marking/marking.h"

#include <string.h>

/* The statuses, and whether an item found in a count should not have it (out of the
 * armoury by its record, yet here). */
static const struct {
  const char *name;
  gboolean conflicts_with_found;
} statuses[] = {
    [MUSTER_STATUS_IN_STORE] = {"in_store", FALSE},
    [MUSTER_STATUS_ISSUED] = {"issued", TRUE},
    [MUSTER_STATUS_IN_REPAIR] = {"in_repair", FALSE},
    [MUSTER_STATUS_IN_TRANSIT] = {"in_transit", TRUE},
    [MUSTER_STATUS_LOST] = {"lost", TRUE},
    [MUSTER_STATUS_STOLEN] = {"stolen", TRUE},
    [MUSTER_STATUS_DESTROYED] = {"destroyed", TRUE},
    [MUSTER_STATUS_SEIZED] = {"seized", FALSE},
};

const MusterClosedList muster_status_list = MUSTER_CLOSED_LIST(statuses);

const char *
muster_status_to_string(MusterStatus s)
{
  return muster_closed_list_name(&muster_status_list, s);
}

gboolean
muster_status_from_string(const char *s, MusterStatus *out, GError **error)
{
  int i = muster_closed_list_find(&muster_status_list, s);
  if (i >= 0) {
    *out = (MusterStatus)i;
    return TRUE;
  }
  g_autofree char *all = muster_closed_list_join(&muster_status_list, " or ");
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "Unknown status '%s': use %s.",
              s != NULL ? s : "", all);
  return FALSE;
}

gboolean
muster_status_conflicts_with_found(const char *status)
{
  int i = muster_closed_list_find(&muster_status_list, status);
  return i >= 0 && statuses[i].conflicts_with_found;
}

gboolean
item_status_known(MusterStatus status)
{
  return (guint)status < G_N_ELEMENTS(statuses);
}

void
muster_marking_free(MusterMarking *m)
{
  if (m == NULL)
    return;
  g_free(m->kind);
  g_free(m->component);
  g_free(m->value);
  g_free(m->created_at);
  g_free(m->retired_at);
  g_free(m);
}

MusterMarking *
item_marking_new(const char *kind, const char *component, const char *value)
{
  MusterMarking *m = g_new0(MusterMarking, 1);
  m->kind = g_strdup(kind);
  m->component = g_strdup(component);
  m->value = g_strdup(value);
  return m;
}

GPtrArray *
item_markings_new(void)
{
  return g_ptr_array_new_with_free_func((GDestroyNotify)muster_marking_free);
}

void
muster_item_free(MusterItem *item)
{
  if (item == NULL)
    return;
  g_free(item->uuid);
  g_free(item->manufacturer);
  g_free(item->country);
  g_free(item->serial);
  g_free(item->model);
  g_free(item->category);
  g_free(item->calibre);
  g_free(item->import_country);
  g_free(item->state_marking);
  g_free(item->frame_material);
  g_free(item->location_path);
  g_free(item->custodian);
  g_free(item->created_at);
  if (item->markings != NULL)
    g_ptr_array_unref(item->markings);
  g_free(item);
}

MusterItem *
item_copy_fields(const MusterItem *f)
{
  MusterItem *item = g_new0(MusterItem, 1);
  item->id = f->id;
  item->uuid = g_strdup(f->uuid);
  item->manufacturer = g_strdup(f->manufacturer);
  item->country = g_strdup(f->country);
  item->serial = g_strdup(f->serial);
  item->model = g_strdup(f->model);
  item->category = g_strdup(f->category);
  item->calibre = g_strdup(f->calibre);
  item->year = f->year;
  item->import_country = g_strdup(f->import_country);
  item->import_year = f->import_year;
  item->state_marking = g_strdup(f->state_marking);
  item->frame_material = g_strdup(f->frame_material);
  item->status = f->status;
  item->location_path = g_strdup(f->location_path);
  item->custodian = g_strdup(f->custodian);
  item->created_at = g_strdup(f->created_at);
  item->markings = item_markings_new();
  for (guint i = 0; f->markings != NULL && i < f->markings->len; i++) {
    const MusterMarking *m = g_ptr_array_index(f->markings, i);
    g_ptr_array_add(item->markings, item_marking_new(m->kind, m->component, m->value));
  }
  return item;
}

char *
item_serial_key(const char *serial)
{
  char *key = muster_marking_normalise(MUSTER_MARKING_ENGRAVED_SERIAL, serial, NULL);
  return key != NULL ? key : g_strdup(serial);
}
