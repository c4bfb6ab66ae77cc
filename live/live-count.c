/*
 * live-count.c: scans into an open count, committed on the main loop (see live-count.h).
 *
 * The one batching loop of a count: whatever feeds it (the readers, or lines a caller
 * reads itself), one timer drives the commits. It is a source of its own whose ready
 * time is set for when muster_ingest_due_in() says the oldest queued scan must be
 * flushed, and moved earlier only: a burst of thousands of scans moves a time, it does
 * not make and destroy a timer per scan. A failed flush leaves the scans queued in the
 * ingest and retries after RETRY_MS, never in a tight loop.
 */
#include "live/live-count.h"
#include "core/muster-error.h"

/* Every scan is committed within this of being read (as for `muster count scan`). */
#define MAX_WAIT_US 50000
#define RETRY_MS 250
/* How much earlier a flush must come due to move the timer (a timeout's own grain). */
#define TIMER_SLACK_US 1000

struct _MusterLiveCount {
  GObject parent_instance;
  MusterIngest *ingest;
  MusterReaderManager *manager; /* a reference; NULL when the caller hands scans in */
  gulong scan_handler;
  GSource *timer;       /* the next flush: its ready time, -1 when none is due */
  gboolean failing;     /* the last flush failed: retrying */
  gboolean abandoned;   /* the queue was given up: nothing more is committed */
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
  if (self->ingest != NULL && !self->abandoned && muster_ingest_pending(self->ingest) > 0) {
    g_autoptr(GError) error = NULL;
    if (!muster_live_count_flush(self, &error))
      g_warning("%u scans read at the end of the count were not stored: %s",
                muster_ingest_pending(self->ingest), error->message);
  }
  if (self->timer != NULL) {
    g_source_destroy(self->timer);
    g_clear_pointer(&self->timer, g_source_unref);
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
  signals[SIGNAL_LOCATION] = g_signal_new("location", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
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
  /* nothing is queued now: no flush is due until the next scan */
  g_source_set_ready_time(self->timer, -1);
  for (guint i = 0; i < results->len; i++)
    g_signal_emit(self, signals[SIGNAL_RESULT], 0, &g_array_index(results, MusterIngestResult, i));
  g_signal_emit(self, signals[SIGNAL_FLUSHED], 0, results->len);
  return TRUE;
}

/* Sets the timer for in_us from now, earlier than the time set if need be. Moving it
 * wakes the main loop (a write to its eventfd), so it moves by a millisecond or more,
 * not by the microseconds each scan of a burst takes off its due time. */
static void
schedule_in(MusterLiveCount *self, gint64 in_us)
{
  gint64 at = g_get_monotonic_time() + MAX(in_us, 0);
  gint64 set = g_source_get_ready_time(self->timer);
  if (set < 0 || at <= set - TIMER_SLACK_US)
    g_source_set_ready_time(self->timer, at);
}

/* Sets the timer for the next flush of what is queued. */
static void
schedule(MusterLiveCount *self)
{
  if (self->abandoned || muster_ingest_pending(self->ingest) == 0)
    return;
  schedule_in(self, self->failing ? RETRY_MS * 1000
                                  : muster_ingest_due_in(self->ingest, self->max_wait_us));
}

static gboolean
on_timer(gpointer data)
{
  MusterLiveCount *self = data;
  g_autoptr(GError) error = NULL;
  if (!muster_live_count_flush(self, &error)) {
    self->failing = TRUE;
    g_signal_emit(self, signals[SIGNAL_ERROR], 0, error);
  }
  schedule(self);
  return G_SOURCE_CONTINUE;
}

/* A source with a ready time only: dispatched once that time comes, then unset until
 * schedule() sets it again. */
static gboolean
timer_dispatch(GSource *source, GSourceFunc callback, gpointer data)
{
  g_source_set_ready_time(source, -1);
  return callback(data);
}

static GSourceFuncs timer_funcs = {.dispatch = timer_dispatch};

gboolean
muster_live_count_set_location(MusterLiveCount *self, const char *path, GError **error)
{
  /* scans already queued were read at the previous place */
  if (!muster_live_count_flush(self, error) ||
      !muster_ingest_set_location(self->ingest, path, error))
    return FALSE;
  g_signal_emit(self, signals[SIGNAL_LOCATION], 0, path);
  return TRUE;
}

static void
on_scan(MusterReaderManager *manager, MusterReader *reader, const MusterScan *scan,
        MusterLiveCount *self)
{
  (void)manager;
  (void)reader;
  g_autoptr(GError) error = NULL;
  const char *location = muster_scan_location_label(scan);
  if (location == NULL) {
    muster_ingest_add(self->ingest, scan);
    schedule(self);
  } else if (!muster_live_count_set_location(self, location, &error)) {
    g_signal_emit(self, signals[SIGNAL_ERROR], 0, error);
    schedule(self);
  }
}

gboolean
muster_live_count_add(MusterLiveCount *self, const MusterScan *scan)
{
  muster_ingest_add(self->ingest, scan);
  if (self->failing || self->abandoned)
    return FALSE; /* the retry already set stays, or nothing is committed any more */
  gint64 in_us = muster_ingest_due_in(self->ingest, self->max_wait_us);
  if (in_us == 0)
    return TRUE;
  schedule_in(self, in_us);
  return FALSE;
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
  self->timer = g_source_new(&timer_funcs, sizeof(GSource));
  g_source_set_priority(self->timer, G_PRIORITY_HIGH);
  g_source_set_callback(self->timer, on_timer, self, NULL);
  g_source_set_ready_time(self->timer, -1);
  g_source_attach(self->timer, NULL);
  if (manager != NULL) {
    self->manager = g_object_ref(manager);
    self->scan_handler = g_signal_connect(manager, "scan", G_CALLBACK(on_scan), self);
  }
  return self;
}

void
muster_live_count_abandon(MusterLiveCount *self)
{
  self->abandoned = TRUE;
  g_source_set_ready_time(self->timer, -1);
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
