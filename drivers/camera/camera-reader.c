/*
 * camera-reader.c: frames → decoder → debounce → scans (see camera-reader.h).
 *
 * One thread per camera runs open → read frames → close, with a backoff between
 * attempts, because zbar's video calls block and decoding a frame takes tens of
 * milliseconds: neither may hold up the main loop. stop() sets a flag, interrupts the
 * frame source's wait and the backoff's, and joins the thread, so once it returns no
 * frame is being decoded and MusterReader drops anything still queued.
 *
 * Each decoded symbol becomes a scan with its exact bytes (GS/RS/EOT kept), its text,
 * and the marking muster_payload_parse_barcode() finds in it, the same parser a USB
 * scanner's reads go through.
 *
 * The newest frame is kept (moved, not copied) for muster_camera_reader_snapshot(), under
 * a mutex of its own so that a snapshot never waits for a decode; it is dropped when the
 * camera is closed, so a still is always of what the camera sees now.
 */
#include "drivers/camera/camera-reader.h"

#include <string.h>

#include "core/muster-error.h"
#include "drivers/debounce.h"
#include "decode/decoder.h"
#include "marking/payload.h"

/* How long one wait for a frame lasts before the stall clock is checked. */
#define FRAME_WAIT_MS 250

struct _MusterCameraReader {
  MusterReader parent;
  MusterFrameSource *source;
  MusterCameraReaderSettings settings;
  MusterCameraReaderSettings active; /* the running thread's copy, set at start */
  GThread *thread;
  GMutex lock; /* guards stopping */
  GCond wake;
  gboolean stopping;
  gint n_frames;           /* atomic */
  GMutex latest_lock;      /* guards the three below: snapshots come from any thread */
  MusterGreyImage *latest; /* the newest frame, kept for snapshots */
  gint64 latest_at;        /* monotonic µs it arrived */
  gint64 snapshot_max_us;  /* the running thread's snapshot_max_ms */
};

G_DEFINE_FINAL_TYPE(MusterCameraReader, muster_camera_reader, MUSTER_TYPE_READER)

static const MusterCameraReaderSettings default_settings = {
    .absent_frames = 5,
    .absent_ms = 800,
    .dmtx_budget_ms = 120,
    .stall_ms = 3000,
    .retry_initial_ms = 500,
    .retry_max_ms = 30000,
    .snapshot_max_ms = 2000,
};

static gboolean
is_stopping(MusterCameraReader *self)
{
  g_mutex_lock(&self->lock);
  gboolean stopping = self->stopping;
  g_mutex_unlock(&self->lock);
  return stopping;
}

/* Sleeps ms unless stopped first; FALSE when stopping. */
static gboolean
wait_or_stop(MusterCameraReader *self, guint ms)
{
  gint64 until = g_get_monotonic_time() + (gint64)ms * 1000;
  g_mutex_lock(&self->lock);
  while (!self->stopping && g_cond_wait_until(&self->wake, &self->lock, until))
    ;
  gboolean go_on = !self->stopping;
  g_mutex_unlock(&self->lock);
  return go_on;
}

static MusterScan *
scan_from_symbol(const MusterSymbol *symbol)
{
  MusterScan *scan = muster_scan_new();
  scan->symbology = g_strdup(symbol->symbology);
  scan->raw = g_bytes_ref(symbol->raw);
  scan->text = g_strdup(symbol->text);
  scan->read_at_us = g_get_real_time();
  scan->read_mono_us = g_get_monotonic_time();
  /* The text, not raw: a QR code's Latin-1 bytes are text too (decoder.h). */
  g_autoptr(MusterPayload) payload = muster_payload_parse_barcode(
      (const guint8 *)symbol->text, strlen(symbol->text), symbol->symbology);
  muster_scan_take_payload(scan, payload, TRUE);
  return scan;
}

static char *
symbol_key(const MusterSymbol *symbol)
{
  g_autofree char *b64 = NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(symbol->raw, &len);
  b64 = g_base64_encode(data, len);
  return g_strconcat(symbol->symbology, ":", b64, NULL);
}

static void
process_frame(MusterCameraReader *self, MusterDecoder *decoder, MusterDebounce *debounce,
              const MusterGreyImage *frame)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) symbols = muster_decoder_decode(decoder, frame, &error);
  gint64 now = g_get_monotonic_time();
  if (symbols == NULL) {
    /* A frame too large to decode: the camera is misconfigured, say so. */
    g_autofree char *msg = g_strdup_printf(
        "camera frame not decoded: %s; choose a smaller resolution", error->message);
    muster_reader_set_state(MUSTER_READER(self), MUSTER_READER_STATE_READY, msg);
  }
  for (guint i = 0; symbols != NULL && i < symbols->len; i++) {
    const MusterSymbol *symbol = symbols->pdata[i];
    g_autofree char *key = symbol_key(symbol);
    if (muster_debounce_seen(debounce, key, now))
      muster_reader_emit_scan(MUSTER_READER(self), scan_from_symbol(symbol));
  }
  muster_debounce_end_frame(debounce, now);
}

/* Keeps frame (taken) as the newest, or forgets the newest when frame is NULL. The
 * frame is moved, not copied: only a snapshot pays for a copy. */
static void
keep_latest(MusterCameraReader *self, MusterGreyImage *frame)
{
  g_mutex_lock(&self->latest_lock);
  MusterGreyImage *old = self->latest;
  self->latest = frame;
  self->latest_at = g_get_monotonic_time();
  g_mutex_unlock(&self->latest_lock);
  muster_grey_image_free(old);
}

/* Reads until stopped (TRUE) or the camera fails (FALSE, error set). */
static gboolean
read_frames(MusterCameraReader *self, MusterDecoder *decoder, MusterDebounce *debounce,
            GError **error)
{
  gint64 last_frame = g_get_monotonic_time();
  while (!is_stopping(self)) {
    g_autoptr(MusterGreyImage) frame =
        self->source->funcs->next_frame(self->source, FRAME_WAIT_MS, error);
    if (frame != NULL) {
      last_frame = g_get_monotonic_time();
      process_frame(self, decoder, debounce, frame);
      keep_latest(self, g_steal_pointer(&frame));
      g_atomic_int_inc(&self->n_frames); /* after keep_latest: a counted frame is a still */
    } else if (error != NULL && *error != NULL) {
      return FALSE;
    } else if (g_get_monotonic_time() - last_frame > (gint64)self->active.stall_ms * 1000) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO,
                  "no frame for %u ms; check the camera's cable and power", self->active.stall_ms);
      return FALSE;
    }
  }
  return TRUE;
}

static char *
retry_message(const GError *error, guint backoff_ms)
{
  if (backoff_ms < 1000)
    return g_strdup_printf("%s; retrying in %u ms", error->message, backoff_ms);
  return g_strdup_printf("%s; retrying in %u s", error->message, backoff_ms / 1000);
}

static gpointer
run(gpointer data)
{
  MusterCameraReader *self = data;
  MusterReader *reader = MUSTER_READER(self);
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(self->active.dmtx_budget_ms);
  g_autoptr(MusterDebounce) debounce =
      muster_debounce_new(self->active.absent_frames, self->active.absent_ms);
  guint backoff = self->active.retry_initial_ms;
  while (!is_stopping(self)) {
    muster_reader_set_state(reader, MUSTER_READER_STATE_OPENING, NULL);
    g_autoptr(GError) error = NULL;
    MusterReaderState bad = MUSTER_READER_STATE_FAILED;
    if (self->source->funcs->open(self->source, &error)) {
      muster_reader_set_state(reader, MUSTER_READER_STATE_READY, NULL);
      backoff = self->active.retry_initial_ms;
      /* What is in view after a reopen is read again: it may be another weapon. */
      muster_debounce_reset(debounce);
      gboolean stopped = read_frames(self, decoder, debounce, &error);
      self->source->funcs->close(self->source);
      keep_latest(self, NULL); /* what a closed camera saw is no still of now */
      if (stopped)
        break;
      bad = MUSTER_READER_STATE_DISCONNECTED;
    }
    g_autofree char *msg = retry_message(error, backoff);
    muster_reader_set_state(reader, bad, msg);
    if (!wait_or_stop(self, backoff))
      break;
    backoff = MIN(backoff * 2, self->active.retry_max_ms);
  }
  return NULL;
}

static gboolean
camera_start(MusterReader *reader, GError **error)
{
  MusterCameraReader *self = MUSTER_CAMERA_READER(reader);
  if (self->thread != NULL)
    return TRUE;
  self->stopping = FALSE;
  self->active = self->settings;
  g_mutex_lock(&self->latest_lock);
  self->snapshot_max_us = (gint64)self->active.snapshot_max_ms * 1000;
  g_mutex_unlock(&self->latest_lock);
  self->thread = g_thread_new("muster-camera", run, self);
  return TRUE;
}

static void
camera_stop(MusterReader *reader)
{
  MusterCameraReader *self = MUSTER_CAMERA_READER(reader);
  if (self->thread == NULL)
    return;
  g_mutex_lock(&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast(&self->wake);
  g_mutex_unlock(&self->lock);
  self->source->funcs->interrupt(self->source);
  g_thread_join(self->thread);
  self->thread = NULL;
}

static void
muster_camera_reader_finalize(GObject *object)
{
  MusterCameraReader *self = MUSTER_CAMERA_READER(object);
  muster_frame_source_free(self->source);
  muster_grey_image_free(self->latest);
  g_mutex_clear(&self->latest_lock);
  g_mutex_clear(&self->lock);
  g_cond_clear(&self->wake);
  G_OBJECT_CLASS(muster_camera_reader_parent_class)->finalize(object);
}

static void
muster_camera_reader_class_init(MusterCameraReaderClass *klass)
{
  G_OBJECT_CLASS(klass)->finalize = muster_camera_reader_finalize;
  MUSTER_READER_CLASS(klass)->start = camera_start;
  MUSTER_READER_CLASS(klass)->stop = camera_stop;
}

static void
muster_camera_reader_init(MusterCameraReader *self)
{
  g_mutex_init(&self->lock);
  g_mutex_init(&self->latest_lock);
  g_cond_init(&self->wake);
  self->settings = default_settings;
}

MusterCameraReader *
muster_camera_reader_new_with_source(const char *id, MusterFrameSource *source)
{
  g_return_val_if_fail(id != NULL && source != NULL, NULL);
  MusterCameraReader *self =
      g_object_new(MUSTER_TYPE_CAMERA_READER, "id", id, "kind", MUSTER_CAMERA_READER_KIND, NULL);
  self->source = source;
  return self;
}

MusterCameraReader *
muster_camera_reader_new(const char *device)
{
  g_autofree char *id = g_strconcat("camera:", device, NULL);
  return muster_camera_reader_new_with_source(id, muster_zbar_video_source_new(device, 640, 480));
}

void
muster_camera_reader_get_settings(MusterCameraReader *self, MusterCameraReaderSettings *settings)
{
  *settings = self->settings;
}

void
muster_camera_reader_set_settings(MusterCameraReader *self,
                                  const MusterCameraReaderSettings *settings)
{
  self->settings = *settings;
}

guint
muster_camera_reader_get_n_frames(MusterCameraReader *self)
{
  return (guint)g_atomic_int_get(&self->n_frames);
}

MusterGreyImage *
muster_camera_reader_snapshot(MusterCameraReader *self)
{
  g_return_val_if_fail(MUSTER_IS_CAMERA_READER(self), NULL);
  g_mutex_lock(&self->latest_lock);
  gboolean fresh =
      self->latest != NULL && g_get_monotonic_time() - self->latest_at <= self->snapshot_max_us;
  MusterGreyImage *copy = fresh ? muster_grey_image_copy(self->latest) : NULL;
  g_mutex_unlock(&self->latest_lock);
  return copy;
}
