/*
 * count-model.c: committed results → the live screen's view-model (see count-model.h).
 *
 * live/live-count.c commits; this file only turns what it reports into rows, figures and
 * words. The kiosk asks live-count to commit on the next main-loop iteration rather than
 * within 50 ms: at human scan rates that is one small transaction per scan and the
 * lowest read-to-screen latency, while a burst from a bulk reader still shares one.
 *
 * The read time of each queued scan is kept here (from the manager's "scan", in order)
 * so a row can say how long it took from the read to the screen.
 */
#include "ui/count-model.h"

#include "db/count-progress.h"
#include "live/live-count.h"
#include "ui/i18n.h"

struct _MusterKioskCountModel {
  GObject parent_instance;
  MusterStore *store;
  MusterUser *actor; /* a copy: the session's user may sign out */
  gint64 count_id;
  MusterCount *count;
  MusterReaderManager *manager; /* a reference */
  MusterLiveCount *live;        /* NULL once the count is closed */
  GListStore *recent;
  GHashTable *racks;         /* rack path -> MusterKioskRackProgress* */
  GHashTable *rack_of;       /* location path scanned at -> its rack path */
  GArray *pending_read_mono; /* read_mono_us of each queued scan, in order */
  gint64 closed_found, closed_scans;
  char *location;
  char *last_error;
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

/* Stops counting: no more scans reach this count. Whatever is queued is committed by
 * live-count as it goes (it was read, so it is kept). */
static void
stop_counting(MusterKioskCountModel *self)
{
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data(self->manager, self);
  if (self->live != NULL) {
    self->closed_found = muster_kiosk_count_model_get_found(self);
    self->closed_scans = muster_kiosk_count_model_get_scans(self);
    g_signal_handlers_disconnect_by_data(self->live, self);
    g_clear_object(&self->live);
  }
}

static void
muster_kiosk_count_model_dispose(GObject *object)
{
  MusterKioskCountModel *self = MUSTER_KIOSK_COUNT_MODEL(object);
  stop_counting(self);
  g_clear_object(&self->manager);
  g_clear_object(&self->recent);
  G_OBJECT_CLASS(muster_kiosk_count_model_parent_class)->dispose(object);
}

static void
muster_kiosk_count_model_finalize(GObject *object)
{
  MusterKioskCountModel *self = MUSTER_KIOSK_COUNT_MODEL(object);
  g_clear_pointer(&self->count, muster_count_free);
  g_clear_pointer(&self->actor, muster_user_free);
  g_clear_pointer(&self->racks, g_hash_table_unref);
  g_clear_pointer(&self->rack_of, g_hash_table_unref);
  g_clear_pointer(&self->pending_read_mono, g_array_unref);
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
rack_progress_free(MusterKioskRackProgress *p)
{
  g_free(p->path);
  g_free(p);
}

static void
muster_kiosk_count_model_init(MusterKioskCountModel *self)
{
  self->recent = g_list_store_new(MUSTER_KIOSK_TYPE_SCAN_ROW);
  self->racks =
      g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)rack_progress_free);
  self->rack_of = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  self->pending_read_mono = g_array_new(FALSE, FALSE, sizeof(gint64));
  self->location = g_strdup("");
}

static MusterKioskRackProgress *
rack(MusterKioskCountModel *self, const char *path)
{
  MusterKioskRackProgress *p = g_hash_table_lookup(self->racks, path);
  if (p == NULL) {
    p = g_new0(MusterKioskRackProgress, 1);
    p->path = g_strdup(path);
    g_hash_table_insert(self->racks, p->path, p);
  }
  return p;
}

/* Expected per rack is frozen at the start; found is read once (a resumed count) and
 * then followed from the results. */
static gboolean
load_racks(MusterKioskCountModel *self, GError **error)
{
  g_autoptr(GPtrArray) progress = muster_count_progress_by_rack(self->store, self->count_id, error);
  if (progress == NULL)
    return FALSE;
  for (guint i = 0; i < progress->len; i++) {
    const MusterLocationProgress *lp = g_ptr_array_index(progress, i);
    MusterKioskRackProgress *p = rack(self, lp->path);
    p->expected = lp->expected;
    p->found = lp->found;
    p->unexpected = lp->unexpected;
  }
  return TRUE;
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

/* The rack a location counts under, asked of the engine once per location. */
static const char *
rack_path(MusterKioskCountModel *self, const char *path)
{
  const char *known = g_hash_table_lookup(self->rack_of, path);
  if (known != NULL)
    return known;
  g_autoptr(GError) error = NULL;
  char *rack = muster_count_progress_rack_of(self->store, path, &error);
  if (rack == NULL) {
    g_warning("Progress by rack: %s", error->message);
    rack = g_strdup(path);
  }
  g_hash_table_insert(self->rack_of, g_strdup(path), rack);
  return rack;
}

/* The finds the engine records (count_find): first finds, expected here or not, by the
 * rule of db/count-progress.c: unexpected when the records put the item in another rack,
 * or when it is not on the expected list at all (a status conflict). */
static void
tally_rack(MusterKioskCountModel *self, const MusterIngestResult *r)
{
  if (r->outcome != MUSTER_OUTCOME_ACCEPTED && r->outcome != MUSTER_OUTCOME_WRONG_LOCATION &&
      r->outcome != MUSTER_OUTCOME_STATUS_CONFLICT)
    return;
  const char *here = rack_path(self, r->location_path != NULL ? r->location_path : "");
  MusterKioskRackProgress *p = rack(self, here);
  p->found++;
  if (r->outcome == MUSTER_OUTCOME_STATUS_CONFLICT ||
      (r->outcome == MUSTER_OUTCOME_WRONG_LOCATION &&
       g_strcmp0(rack_path(self, r->recorded_location != NULL ? r->recorded_location : ""), here) !=
           0))
    p->unexpected++;
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

static void
on_scan(MusterReaderManager *manager, MusterReader *reader, const MusterScan *scan,
        MusterKioskCountModel *self)
{
  if (muster_scan_location_label(scan) != NULL)
    return; /* a move, not a scan to commit */
  gint64 read_us = scan->read_mono_us > 0 ? scan->read_mono_us : g_get_monotonic_time();
  g_array_append_val(self->pending_read_mono, read_us);
}

/* A committed scan: a row for the screen, newest first. */
static void
on_result(MusterLiveCount *live, const MusterIngestResult *r, MusterKioskCountModel *self)
{
  gint64 now = g_get_monotonic_time();
  gint64 read_us = now;
  if (self->pending_read_mono->len > 0) {
    read_us = g_array_index(self->pending_read_mono, gint64, 0);
    g_array_remove_index(self->pending_read_mono, 0);
  }
  g_autoptr(MusterKioskScanRow) row = muster_kiosk_scan_row_new(r, read_us, now);
  tally_rack(self, r);
  if (r->location_path != NULL && g_strcmp0(self->location, r->location_path) != 0) {
    g_free(self->location);
    self->location = g_strdup(r->location_path);
  }
  g_list_store_insert(self->recent, 0, row);
  /* What the kiosk acknowledged, for its log (G_MESSAGES_DEBUG=Muster): the power-cut
   * test checks each of these is in the database after a SIGKILL. */
  g_debug("Scan %lld committed in count %lld: %s", (long long)r->scan_id,
          (long long)self->count_id, r->marking_value != NULL ? r->marking_value : "-");
  g_signal_emit(self, signals[SIGNAL_OUTCOME], 0, row);
}

/* After each commit: trim the list, clear a blocked-commit message, refresh figures.
 * Found and scans come from ingest (in memory); the count's other figures do not change
 * while scanning, so it is not re-read here: that query costs milliseconds on a large
 * register, on every scan. */
static void
on_flushed(MusterLiveCount *live, guint n, MusterKioskCountModel *self)
{
  guint len = g_list_model_get_n_items(G_LIST_MODEL(self->recent));
  if (len > MUSTER_KIOSK_RECENT_SCANS)
    g_list_store_splice(self->recent, MUSTER_KIOSK_RECENT_SCANS, len - MUSTER_KIOSK_RECENT_SCANS,
                        NULL, 0);
  set_last_error(self, NULL);
  g_signal_emit(self, signals[SIGNAL_PROGRESS], 0);
}

static void
on_location(MusterLiveCount *live, const char *path, MusterKioskCountModel *self)
{
  g_free(self->location);
  self->location = g_strdup(path);
  set_last_error(self, NULL);
  g_signal_emit(self, signals[SIGNAL_PROGRESS], 0);
}

/* A blocked commit (scans kept and retried), or a rack label outside the count. */
static void
on_error(MusterLiveCount *live, const GError *error, MusterKioskCountModel *self)
{
  const GError *cause = muster_live_count_get_commit_error(live);
  if (cause == NULL) {
    set_last_error(self, error->message);
    return;
  }
  g_autofree char *message =
      g_strdup_printf(_("Scans are not saved yet (%u waiting): %s. They are kept and retried."),
                      muster_live_count_pending(live), cause->message);
  set_last_error(self, message);
}

MusterKioskCountModel *
muster_kiosk_count_model_new(MusterStore *store, const MusterUser *actor, gint64 count_id,
                             MusterReaderManager *manager, GError **error)
{
  g_autoptr(MusterCount) count = muster_counts_get_by_id(store, count_id, error);
  if (count == NULL)
    return NULL;
  g_autoptr(MusterKioskCountModel) self = g_object_new(MUSTER_KIOSK_TYPE_COUNT_MODEL, NULL);
  self->store = store;
  self->actor = user_copy(actor);
  self->count_id = count_id;
  self->count = g_steal_pointer(&count);
  self->manager = g_object_ref(manager);
  if (!load_racks(self, error))
    return NULL;
  self->live = muster_live_count_new(store, actor, count_id, manager, error);
  if (self->live == NULL) {
    g_prefix_error(error, "Counting in count %" G_GINT64_FORMAT ": ", count_id);
    return NULL;
  }
  muster_live_count_set_max_wait(self->live, 0);
  g_signal_connect(manager, "scan", G_CALLBACK(on_scan), self);
  g_signal_connect(self->live, "result", G_CALLBACK(on_result), self);
  g_signal_connect(self->live, "flushed", G_CALLBACK(on_flushed), self);
  g_signal_connect(self->live, "location", G_CALLBACK(on_location), self);
  g_signal_connect(self->live, "error", G_CALLBACK(on_error), self);
  return g_steal_pointer(&self);
}

gboolean
muster_kiosk_count_model_flush(MusterKioskCountModel *self, GError **error)
{
  if (self->live == NULL)
    return TRUE;
  g_autoptr(GError) local = NULL;
  if (!muster_live_count_flush(self->live, &local)) {
    on_error(self->live, local, self);
    g_propagate_prefixed_error(error, g_steal_pointer(&local), "Committing scans: ");
    return FALSE;
  }
  return TRUE;
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
  return self->live != NULL ? muster_ingest_found(muster_live_count_get_ingest(self->live))
                            : self->closed_found;
}

gint64
muster_kiosk_count_model_get_scans(MusterKioskCountModel *self)
{
  return self->live != NULL ? muster_ingest_scans(muster_live_count_get_ingest(self->live))
                            : self->closed_scans;
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
  gpointer value;
  g_hash_table_iter_init(&it, self->racks);
  while (g_hash_table_iter_next(&it, NULL, &value)) {
    const MusterKioskRackProgress *src = value;
    MusterKioskRackProgress *p = g_new0(MusterKioskRackProgress, 1);
    *p = *src;
    p->path = g_strdup(src->path);
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
                                         const char *location_path, const MusterPhotoInput *photo,
                                         GError **error)
{
  if (!muster_counts_record_unmarked_photo(self->store, self->actor, self->count_id, description,
                                           location_path, photo, NULL, error)) {
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
  stop_counting(self);
  refresh_count(self);
  return TRUE;
}
