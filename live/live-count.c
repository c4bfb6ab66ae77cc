/*
 * live-count.c: readers into an open count (see live-count.h).
 *
 * One timer drives the commits: it is set for when muster_ingest_due_in() says the
 * oldest queued scan must be flushed, and moved earlier only. A failed flush leaves the
 * scans queued in the ingest and retries after RETRY_MS, never in a tight loop.
 */
#include "live/live-count.h"
#include "core/muster-error.h"

/* Every scan is committed within this of being read (as for `muster count scan`). */
#define MAX_WAIT_US 50000
#define RETRY_MS 250

struct _MusterLiveCount {
  GObject parent_instance;
  MusterIngest *ingest;
  MusterReaderManager *manager; /* a reference */
  gulong scan_handler;
  guint timer;          /* the next flush, 0 when none is set */
  gint64 timer_at_us;   /* when it fires (monotonic) */
  gboolean failing;     /* the last flush failed: retrying */
  GError *commit_error; /* why, without the prefix (for screens that word it themselves) */
  gint64 max_wait_us;
};

G_DEFINE_TYPE(MusterLiveCount, muster_live_count, G_TYPE_OBJECT)

enum { SIGNAL_RESULT, SIGNAL_LOCATION, SIGNAL_ERROR, SIGNAL_FLUSHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
muster_live_count_dispose(GObject *object)
{
  MusterLiveCount *self = MUSTER_LIVE_COUNT(object);
  if (self->manager != NULL) {
    g_clear_signal_handler(&self->scan_handler, self->manager);
    g_clear_object(&self->manager);
  }
  g_clear_handle_id(&self->timer, g_source_remove);
  if (self->ingest != NULL && muster_ingest_pending(self->ingest) > 0) {
    g_autoptr(GError) error = NULL;
    if (!muster_live_count_flush(self, &error))
      g_warning("%u scans read at the end of the count were not stored: %s",
                muster_ingest_pending(self->ingest), error->message);
  }
  g_clear_pointer(&self->ingest, muster_ingest_free);
  g_clear_error(&self->commit_error);
  G_OBJECT_CLASS(muster_live_count_parent_class)->dispose(object);
}

static void
muster_live_count_class_init(MusterLiveCountClass *klass)
{
  G_OBJECT_CLASS(klass)->dispose = muster_live_count_dispose;
  GType type = G_TYPE_FROM_CLASS(klass);
  signals[SIGNAL_RESULT] = g_signal_new("result", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_LOCATION] = g_signal_new("location", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ERROR] = g_signal_new("error", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_FLUSHED] = g_signal_new("flushed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
muster_live_count_init(MusterLiveCount *self)
{
  self->max_wait_us = MAX_WAIT_US;
}

gboolean
muster_live_count_flush(MusterLiveCount *self, GError **error)
{
  if (muster_ingest_pending(self->ingest) == 0)
    return TRUE;
  g_autoptr(GArray) results = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(results, (GDestroyNotify)muster_ingest_result_clear);
  g_autoptr(GError) local = NULL;
  if (!muster_ingest_flush(self->ingest, results, &local)) {
    g_clear_error(&self->commit_error);
    self->commit_error = g_error_copy(local);
    g_propagate_prefixed_error(
        error, g_steal_pointer(&local),
        "%u scans are waiting to be stored: ", muster_ingest_pending(self->ingest));
    return FALSE;
  }
  self->failing = FALSE;
  g_clear_error(&self->commit_error);
  for (guint i = 0; i < results->len; i++)
    g_signal_emit(self, signals[SIGNAL_RESULT], 0, &g_array_index(results, MusterIngestResult, i));
  g_signal_emit(self, signals[SIGNAL_FLUSHED], 0, results->len);
  return TRUE;
}

static void schedule(MusterLiveCount *self);

static gboolean
on_timer(gpointer data)
{
  MusterLiveCount *self = data;
  self->timer = 0;
  g_autoptr(GError) error = NULL;
  if (!muster_live_count_flush(self, &error)) {
    self->failing = TRUE;
    g_signal_emit(self, signals[SIGNAL_ERROR], 0, error);
  }
  schedule(self);
  return G_SOURCE_REMOVE;
}

/* Sets the timer for the next flush, earlier than the one set if need be. */
static void
schedule(MusterLiveCount *self)
{
  if (muster_ingest_pending(self->ingest) == 0)
    return;
  gint64 in_us =
      self->failing ? RETRY_MS * 1000 : muster_ingest_due_in(self->ingest, self->max_wait_us);
  gint64 at = g_get_monotonic_time() + MAX(in_us, 0);
  if (self->timer != 0 && self->timer_at_us <= at)
    return;
  g_clear_handle_id(&self->timer, g_source_remove);
  self->timer_at_us = at;
  guint ms = (guint)((MAX(in_us, 0) + 999) / 1000);
  self->timer = g_timeout_add_full(G_PRIORITY_HIGH, ms, on_timer, self, NULL);
}

static void
move_to(MusterLiveCount *self, const char *path)
{
  g_autoptr(GError) error = NULL;
  /* scans already queued were read at the previous place */
  if (!muster_live_count_flush(self, &error) ||
      !muster_ingest_set_location(self->ingest, path, &error)) {
    g_signal_emit(self, signals[SIGNAL_ERROR], 0, error);
    schedule(self);
    return;
  }
  g_signal_emit(self, signals[SIGNAL_LOCATION], 0, path);
}

static void
on_scan(MusterReaderManager *manager, MusterReader *reader, const MusterScan *scan,
        MusterLiveCount *self)
{
  (void)manager;
  (void)reader;
  const char *location = muster_scan_location_label(scan);
  if (location != NULL) {
    move_to(self, location);
    return;
  }
  muster_ingest_add(self->ingest, scan);
  schedule(self);
}

MusterLiveCount *
muster_live_count_new(MusterStore *store, const MusterUser *actor, gint64 count_id,
                      MusterReaderManager *manager, GError **error)
{
  MusterIngest *ingest = muster_ingest_new(store, actor, count_id, error);
  if (ingest == NULL)
    return NULL;
  MusterLiveCount *self = g_object_new(MUSTER_TYPE_LIVE_COUNT, NULL);
  self->ingest = ingest;
  self->manager = g_object_ref(manager);
  self->scan_handler = g_signal_connect(manager, "scan", G_CALLBACK(on_scan), self);
  return self;
}

MusterIngest *
muster_live_count_get_ingest(MusterLiveCount *self)
{
  return self->ingest;
}

guint
muster_live_count_pending(MusterLiveCount *self)
{
  return muster_ingest_pending(self->ingest);
}

void
muster_live_count_set_max_wait(MusterLiveCount *self, gint64 max_wait_us)
{
  self->max_wait_us = CLAMP(max_wait_us, 0, MAX_WAIT_US);
}

const GError *
muster_live_count_get_commit_error(MusterLiveCount *self)
{
  return self->commit_error;
}
