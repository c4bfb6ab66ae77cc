/*
 * count-model.c: readers → ingest → committed rows (see count-model.h).
 *
 * Flushing on idle rather than on a timer gives the lowest read-to-screen latency at
 * human scan rates (one scan, one small transaction), while a burst from a bulk reader
 * is still committed as one batch: scans arriving in the same main-loop iteration share
 * the flush. muster_ingest_due() forces an earlier flush when the queue fills.
 */
#include "ui/count-model.h"

#include "db/ingest.h"
#include "ui/i18n.h"

#define FLUSH_BOUND_US (50 * G_TIME_SPAN_MILLISECOND)
#define RETRY_MS 1000

struct _MusterKioskCountModel {
  GObject parent_instance;
  MusterStore *store;
  MusterUser *actor; /* a copy: the session's user may sign out */
  gint64 count_id;
  MusterCount *count;
  MusterIngest *ingest;
  GListStore *recent;
  GHashTable *racks;         /* path -> found (GINT_TO_POINTER is too small: gint64*) */
  GArray *pending_read_mono; /* read_mono_us of each queued scan, in order */
  GPtrArray *readers;        /* MusterReader*, with a "scan" handler each */
  char *location;
  char *last_error;
  guint flush_source;
};

enum { SIGNAL_OUTCOME, SIGNAL_PROGRESS, N_SIGNALS };
enum { PROP_0, PROP_LAST_ERROR, N_PROPS };
static guint signals[N_SIGNALS];
static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE(MusterKioskCountModel, muster_kiosk_count_model, G_TYPE_OBJECT)

static MusterUser *
user_copy(const MusterUser *u)
{
  MusterUser *c = g_new0(MusterUser, 1);
  *c = *u;
  c->uuid = g_strdup(u->uuid);
  c->name = g_strdup(u->name);
  c->full_name = g_strdup(u->full_name);
  c->created_at = g_strdup(u->created_at);
  return c;
}

static void on_scan(MusterReader *reader, const MusterScan *scan, gpointer user_data);

void
muster_kiosk_count_model_detach_readers(MusterKioskCountModel *self)
{
  for (guint i = 0; i < self->readers->len; i++)
    g_signal_handlers_disconnect_by_func(g_ptr_array_index(self->readers, i), on_scan, self);
  g_ptr_array_set_size(self->readers, 0);
}

static void
muster_kiosk_count_model_dispose(GObject *object)
{
  MusterKioskCountModel *self = MUSTER_KIOSK_COUNT_MODEL(object);
  if (self->readers != NULL)
    muster_kiosk_count_model_detach_readers(self);
  g_clear_handle_id(&self->flush_source, g_source_remove);
  /* Whatever is still queued is committed now: it was read, so it is kept. */
  if (self->ingest != NULL && muster_ingest_pending(self->ingest) > 0) {
    g_autoptr(GError) error = NULL;
    if (!muster_kiosk_count_model_flush(self, &error))
      g_warning("Scans of count %" G_GINT64_FORMAT " could not be committed on exit: %s",
                self->count_id, error->message);
  }
  g_clear_object(&self->recent);
  G_OBJECT_CLASS(muster_kiosk_count_model_parent_class)->dispose(object);
}

static void
muster_kiosk_count_model_finalize(GObject *object)
{
  MusterKioskCountModel *self = MUSTER_KIOSK_COUNT_MODEL(object);
  g_clear_pointer(&self->ingest, muster_ingest_free);
  g_clear_pointer(&self->count, muster_count_free);
  g_clear_pointer(&self->actor, muster_user_free);
  g_clear_pointer(&self->racks, g_hash_table_unref);
  g_clear_pointer(&self->pending_read_mono, g_array_unref);
  g_clear_pointer(&self->readers, g_ptr_array_unref);
  g_free(self->location);
  g_free(self->last_error);
  G_OBJECT_CLASS(muster_kiosk_count_model_parent_class)->finalize(object);
}

static void
muster_kiosk_count_model_get_property(GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
  MusterKioskCountModel *self = MUSTER_KIOSK_COUNT_MODEL(object);
  switch (prop_id) {
  case PROP_LAST_ERROR: g_value_set_string(value, self->last_error); break;
  default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void
muster_kiosk_count_model_class_init(MusterKioskCountModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS(klass);
  object_class->dispose = muster_kiosk_count_model_dispose;
  object_class->finalize = muster_kiosk_count_model_finalize;
  object_class->get_property = muster_kiosk_count_model_get_property;
  props[PROP_LAST_ERROR] = g_param_spec_string("last-error", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties(object_class, N_PROPS, props);
  signals[SIGNAL_OUTCOME] =
      g_signal_new("outcome", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                   G_TYPE_NONE, 1, MUSTER_KIOSK_TYPE_SCAN_ROW);
  signals[SIGNAL_PROGRESS] = g_signal_new("progress", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
muster_kiosk_count_model_init(MusterKioskCountModel *self)
{
  self->recent = g_list_store_new(MUSTER_KIOSK_TYPE_SCAN_ROW);
  self->racks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  self->pending_read_mono = g_array_new(FALSE, FALSE, sizeof(gint64));
  self->readers = g_ptr_array_new_with_free_func(g_object_unref);
  self->location = g_strdup("");
}

MusterKioskCountModel *
muster_kiosk_count_model_new(MusterStore *store, const MusterUser *actor, gint64 count_id,
                             GError **error)
{
  g_autoptr(MusterCount) count = muster_counts_get_by_id(store, count_id, error);
  if (count == NULL)
    return NULL;
  g_autoptr(MusterIngest) ingest = muster_ingest_new(store, actor, count_id, error);
  if (ingest == NULL) {
    g_prefix_error(error, "Counting in count %" G_GINT64_FORMAT ": ", count_id);
    return NULL;
  }
  MusterKioskCountModel *self = g_object_new(MUSTER_KIOSK_TYPE_COUNT_MODEL, NULL);
  self->store = store;
  self->actor = user_copy(actor);
  self->count_id = count_id;
  self->count = g_steal_pointer(&count);
  self->ingest = g_steal_pointer(&ingest);
  return self;
}

static void
set_last_error(MusterKioskCountModel *self, const char *message)
{
  if (g_strcmp0(self->last_error, message) == 0)
    return;
  g_free(self->last_error);
  self->last_error = g_strdup(message);
  g_object_notify_by_pspec(G_OBJECT(self), props[PROP_LAST_ERROR]);
}

static void
tally_rack(MusterKioskCountModel *self, const MusterIngestResult *r)
{
  if (r->outcome != MUSTER_OUTCOME_ACCEPTED && r->outcome != MUSTER_OUTCOME_WRONG_LOCATION &&
      r->outcome != MUSTER_OUTCOME_STATUS_CONFLICT)
    return;
  const char *path = r->location_path != NULL ? r->location_path : "";
  gint64 *n = g_hash_table_lookup(self->racks, path);
  if (n == NULL) {
    n = g_new0(gint64, 1);
    g_hash_table_insert(self->racks, g_strdup(path), n);
  }
  (*n)++;
}

static void
refresh_count(MusterKioskCountModel *self)
{
  g_autoptr(GError) error = NULL;
  MusterCount *count = muster_counts_get_by_id(self->store, self->count_id, &error);
  if (count == NULL) {
    g_warning("Reading the progress of count %" G_GINT64_FORMAT ": %s", self->count_id,
              error->message);
    return;
  }
  muster_count_free(self->count);
  self->count = count;
}

/* Hands each committed result to the screen, newest first. */
static void
publish(MusterKioskCountModel *self, GArray *results, gint64 committed_us)
{
  for (guint i = 0; i < results->len; i++) {
    const MusterIngestResult *r = &g_array_index(results, MusterIngestResult, i);
    gint64 read_us = i < self->pending_read_mono->len
                         ? g_array_index(self->pending_read_mono, gint64, i)
                         : committed_us;
    g_autoptr(MusterKioskScanRow) row = muster_kiosk_scan_row_new(r, read_us, committed_us);
    tally_rack(self, r);
    if (r->location_path != NULL && g_strcmp0(self->location, r->location_path) != 0) {
      g_free(self->location);
      self->location = g_strdup(r->location_path);
    }
    g_list_store_insert(self->recent, 0, row);
    g_signal_emit(self, signals[SIGNAL_OUTCOME], 0, row);
  }
  guint n = g_list_model_get_n_items(G_LIST_MODEL(self->recent));
  if (n > MUSTER_KIOSK_RECENT_SCANS)
    g_list_store_splice(self->recent, MUSTER_KIOSK_RECENT_SCANS, n - MUSTER_KIOSK_RECENT_SCANS,
                        NULL, 0);
}

gboolean
muster_kiosk_count_model_flush(MusterKioskCountModel *self, GError **error)
{
  if (muster_ingest_pending(self->ingest) == 0)
    return TRUE;
  g_autoptr(GArray) results = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(results, (GDestroyNotify)muster_ingest_result_clear);
  g_autoptr(GError) local = NULL;
  if (!muster_ingest_flush(self->ingest, results, &local)) {
    g_autofree char *message =
        g_strdup_printf(_("Scans are not saved yet (%u waiting): %s. They are kept and retried."),
                        muster_ingest_pending(self->ingest), local->message);
    set_last_error(self, message);
    g_propagate_prefixed_error(error, g_steal_pointer(&local), "Committing scans: ");
    return FALSE;
  }
  set_last_error(self, NULL);
  publish(self, results, g_get_monotonic_time());
  g_array_set_size(self->pending_read_mono, 0);
  /* Found and scans come from ingest (in memory); the count's other figures do not
   * change while scanning, so it is not re-read here: that query costs milliseconds on
   * a large register, on every scan. */
  g_signal_emit(self, signals[SIGNAL_PROGRESS], 0);
  return TRUE;
}

static gboolean
flush_cb(gpointer user_data)
{
  MusterKioskCountModel *self = user_data;
  self->flush_source = 0;
  if (!muster_kiosk_count_model_flush(self, NULL))
    self->flush_source = g_timeout_add(RETRY_MS, flush_cb, self);
  return G_SOURCE_REMOVE;
}

static void
on_scan(MusterReader *reader, const MusterScan *scan, gpointer user_data)
{
  MusterKioskCountModel *self = user_data;
  muster_ingest_add(self->ingest, scan);
  gint64 read_us = scan->read_mono_us > 0 ? scan->read_mono_us : g_get_monotonic_time();
  g_array_append_val(self->pending_read_mono, read_us);
  if (self->last_error == NULL && muster_ingest_due(self->ingest, FLUSH_BOUND_US)) {
    g_clear_handle_id(&self->flush_source, g_source_remove);
    flush_cb(self);
    return;
  }
  if (self->flush_source == 0)
    self->flush_source = g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, flush_cb, self, NULL);
}

void
muster_kiosk_count_model_add_reader(MusterKioskCountModel *self, MusterReader *reader)
{
  g_ptr_array_add(self->readers, g_object_ref(reader));
  g_signal_connect(reader, "scan", G_CALLBACK(on_scan), self);
}

gint64
muster_kiosk_count_model_get_count_id(MusterKioskCountModel *self)
{
  return self->count_id;
}

const MusterCount *
muster_kiosk_count_model_get_count(MusterKioskCountModel *self)
{
  return self->count;
}

gboolean
muster_kiosk_count_model_may_see_expected(MusterKioskCountModel *self)
{
  return muster_count_may_see_expected(self->count, self->actor);
}

gint64
muster_kiosk_count_model_get_found(MusterKioskCountModel *self)
{
  return muster_ingest_found(self->ingest);
}

gint64
muster_kiosk_count_model_get_scans(MusterKioskCountModel *self)
{
  return muster_ingest_scans(self->ingest);
}

const char *
muster_kiosk_count_model_get_location(MusterKioskCountModel *self)
{
  return self->location;
}

GListModel *
muster_kiosk_count_model_get_recent(MusterKioskCountModel *self)
{
  return G_LIST_MODEL(self->recent);
}

static void
rack_progress_free(MusterKioskRackProgress *p)
{
  g_free(p->path);
  g_free(p);
}

static int
rack_progress_cmp(gconstpointer a, gconstpointer b)
{
  const MusterKioskRackProgress *pa = *(MusterKioskRackProgress *const *)a;
  const MusterKioskRackProgress *pb = *(MusterKioskRackProgress *const *)b;
  return g_strcmp0(pa->path, pb->path);
}

GPtrArray *
muster_kiosk_count_model_dup_rack_progress(MusterKioskCountModel *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)rack_progress_free);
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, self->racks);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    MusterKioskRackProgress *p = g_new0(MusterKioskRackProgress, 1);
    p->path = g_strdup(key);
    p->found = *(gint64 *)value;
    g_ptr_array_add(out, p);
  }
  g_ptr_array_sort(out, rack_progress_cmp);
  return out;
}

const char *
muster_kiosk_count_model_get_last_error(MusterKioskCountModel *self)
{
  return self->last_error;
}

gboolean
muster_kiosk_count_model_record_unmarked(MusterKioskCountModel *self, const char *description,
                                         const char *location_path, GError **error)
{
  if (!muster_counts_record_unmarked(self->store, self->actor, self->count_id, description,
                                     location_path, NULL, NULL, error)) {
    g_prefix_error(error, "Recording an unmarked item in count %" G_GINT64_FORMAT ": ",
                   self->count_id);
    return FALSE;
  }
  refresh_count(self);
  g_signal_emit(self, signals[SIGNAL_PROGRESS], 0);
  return TRUE;
}

gboolean
muster_kiosk_count_model_close(MusterKioskCountModel *self, GError **error)
{
  if (!muster_kiosk_count_model_flush(self, error))
    return FALSE;
  if (!muster_counts_close(self->store, self->actor, self->count_id, error)) {
    g_prefix_error(error, "Closing count %" G_GINT64_FORMAT ": ", self->count_id);
    return FALSE;
  }
  muster_kiosk_count_model_detach_readers(self);
  g_clear_handle_id(&self->flush_source, g_source_remove);
  refresh_count(self);
  return TRUE;
}
