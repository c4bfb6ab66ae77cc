/*
 * camera-reader.c: frames → decoder → debounce → scans (see camera-reader.h).
 *
 * The camera's steps for MusterReader's lifecycle (drivers/lifecycle.c), which runs them
 * on a thread of the reader's own with a backoff between attempts: zbar's video calls
 * block, and must not hold up the main loop. A camera that cannot be opened is FAILED;
 * one that fails or stalls once open is GONE (DISCONNECTED). stop() interrupts the frame
 * source's wait and joins the thread, then teardown joins the decode worker, so once it
 * returns no frame is being decoded and MusterReader drops anything still queued.
 *
 * Frames are decoded on a worker thread (decode-worker.h), by default in the sandboxed
 * helper (decode/decode-sandbox.h): the capture thread hands a frame over when no decode
 * is in flight and skips it otherwise (counted), so the camera is read at its own rate
 * and nothing queues. The worker debounces and emits the scans; the debounce has a lock
 * of its own because a reopen (the capture thread) resets it. A frame the helper failed
 * on is reported (READY with the reason in last-error) and costs that frame only; a
 * helper that keeps failing is a fault: the read step fails (FAILED, retried with
 * backoff), and the sandbox tries again at the next open.
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
#include "decode/decode-sandbox.h"
#include "decode/decoder.h"
#include "drivers/camera/decode-worker.h"
#include "drivers/debounce.h"
#include "marking/payload.h"

/* How long one wait for a frame lasts before the stall clock is checked. */
#define FRAME_WAIT_MS 250

struct _MusterCameraReader {
  MusterReader parent;
  MusterFrameSource *source;
  MusterCameraReaderSettings settings;
  MusterCameraReaderSettings active; /* the running reader's copy, set at setup */
  MusterDecodeWorker *worker;        /* from setup to teardown */
  GMutex debounce_lock;              /* the worker feeds the debounce, a reopen resets it */
  MusterDebounce *debounce;          /* from setup to teardown */
  gint64 last_frame_us;              /* the stall clock */
  gint n_frames;                     /* decoded, atomic */
  gint n_skipped;                    /* arrived while a decode was in flight, atomic */
  GMutex latest_lock;                /* guards the three below: snapshots come from any thread */
  MusterGreyImage *latest;           /* the newest frame, kept for snapshots */
  gint64 latest_at;                  /* monotonic µs it arrived */
  gint64 snapshot_max_us;            /* the running thread's snapshot_max_ms */
};

G_DEFINE_FINAL_TYPE(MusterCameraReader, muster_camera_reader, MUSTER_TYPE_READER)

static const MusterCameraReaderSettings default_settings = {
    .absent_frames = 5,
    .absent_ms = 800,
    .dmtx_budget_ms = MUSTER_DECODER_CAMERA_DMTX_BUDGET_MS,
    .stall_ms = 3000,
    .retry_initial_ms = 500,
    .retry_max_ms = 30000,
    .snapshot_max_ms = 2000,
    .decode_sandbox = TRUE,
    .keep_every_frame = FALSE,
};

/* A scan as docs/scan-data.md defines it: raw is the AIM identifier and the data, text
 * the data alone, and the marking is parsed from raw (the identifier says GS1). */
static MusterScan *
scan_from_symbol(const MusterSymbol *symbol)
{
  MusterScan *scan = muster_scan_new();
  scan->symbology = g_strdup(symbol->symbology);
  scan->raw = muster_symbol_scan_data(symbol);
  scan->text = g_strdup(symbol->text);
  scan->read_at_us = g_get_real_time();
  scan->read_mono_us = g_get_monotonic_time();
  gsize len = 0;
  const guint8 *raw = g_bytes_get_data(scan->raw, &len);
  g_autoptr(MusterPayload) payload = muster_payload_parse_barcode(raw, len, symbol->symbology);
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

/* A frame not decoded: said in last-error. A sandbox fault is the read step's to report
 * (camera_read()). */
static void
report_not_decoded(MusterCameraReader *self, const GError *error)
{
  g_autofree char *msg = NULL;
  if (g_error_matches(error, MUSTER_DECODE_SANDBOX_ERROR, MUSTER_DECODE_SANDBOX_ERROR_FAULT))
    return;
  if (error->domain == MUSTER_DECODE_SANDBOX_ERROR)
    msg = g_strdup_printf("camera frame not decoded: %s", error->message);
  else /* too large to decode: the camera is misconfigured, say so */
    msg = g_strdup_printf("camera frame not decoded: %s; choose a smaller resolution",
                          error->message);
  muster_reader_set_state(MUSTER_READER(self), MUSTER_READER_STATE_READY, msg);
}

/* The worker's done(), on its thread: new marks become scans. A frame not decoded is no
 * frame for the debounce (the marks were not out of view, only unread). */
static void
frame_decoded(GPtrArray *symbols, const GError *error, gpointer data)
{
  MusterCameraReader *self = data;
  gint64 now = g_get_monotonic_time();
  if (symbols == NULL)
    report_not_decoded(self, error);
  g_mutex_lock(&self->debounce_lock);
  for (guint i = 0; symbols != NULL && i < symbols->len; i++) {
    const MusterSymbol *symbol = symbols->pdata[i];
    g_autofree char *key = symbol_key(symbol);
    if (muster_debounce_seen(self->debounce, key, now))
      muster_reader_emit_scan(MUSTER_READER(self), scan_from_symbol(symbol));
  }
  if (symbols != NULL)
    muster_debounce_end_frame(self->debounce, now);
  g_mutex_unlock(&self->debounce_lock);
  g_atomic_int_inc(&self->n_frames); /* decoded or failed: done with */
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

/* ---- The steps ---- */

static gboolean
camera_setup(MusterReader *reader, GError **error)
{
  MusterCameraReader *self = MUSTER_CAMERA_READER(reader);
  self->active = self->settings;
  g_mutex_lock(&self->latest_lock);
  self->snapshot_max_us = (gint64)self->active.snapshot_max_ms * 1000;
  g_mutex_unlock(&self->latest_lock);
  self->debounce = muster_debounce_new(self->active.absent_frames, self->active.absent_ms);
  MusterDecodeWorkerOptions options = {self->active.decode_sandbox, self->active.dmtx_budget_ms, 0};
  self->worker = muster_decode_worker_new(&options, frame_decoded, self);
  MusterReaderBackoff backoff = {self->active.retry_initial_ms, self->active.retry_max_ms, 0};
  muster_reader_set_backoff(reader, &backoff);
  return TRUE;
}

static gboolean
camera_open(MusterReader *reader, GError **error)
{
  MusterCameraReader *self = MUSTER_CAMERA_READER(reader);
  if (!self->source->funcs->open(self->source, error))
    return FALSE; /* FAILED, the source saying why: absent, busy, not a camera */
  /* What is in view after a reopen is read again: it may be another weapon. */
  g_mutex_lock(&self->debounce_lock);
  muster_debounce_reset(self->debounce);
  g_mutex_unlock(&self->debounce_lock);
  self->last_frame_us = g_get_monotonic_time();
  return TRUE;
}

/* The frame to the decode worker, or skipped while it is busy; and kept as the newest
 * (before the worker counts it: a counted frame is a still). */
static void
hand_over(MusterCameraReader *self, MusterGreyImage *frame)
{
  keep_latest(self, frame); /* still ours to read: only this thread replaces it */
  if (!muster_decode_worker_offer(self->worker, frame, self->active.keep_every_frame))
    g_atomic_int_inc(&self->n_skipped);
}

/* One frame, or a wait of FRAME_WAIT_MS for one; FALSE (GONE) when the camera failed or
 * sent nothing for stall_ms, FALSE (FAILED) when its frames cannot be decoded at all. */
static gboolean
camera_read(MusterReader *reader, GError **error)
{
  MusterCameraReader *self = MUSTER_CAMERA_READER(reader);
  g_autoptr(GError) local = NULL;
  g_autoptr(GError) fault = muster_decode_worker_take_fault(self->worker);
  if (fault != NULL) {
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_FAILED,
                "camera frames cannot be decoded: %s", fault->message);
    return FALSE;
  }
  MusterGreyImage *frame = self->source->funcs->next_frame(self->source, FRAME_WAIT_MS, &local);
  if (frame != NULL) {
    self->last_frame_us = g_get_monotonic_time();
    hand_over(self, frame);
  } else if (local != NULL) {
    g_set_error_literal(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_GONE, local->message);
    return FALSE;
  } else if (g_get_monotonic_time() - self->last_frame_us > (gint64)self->active.stall_ms * 1000) {
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_GONE,
                "no frame for %u ms; check the camera's cable and power", self->active.stall_ms);
    return FALSE;
  }
  return TRUE;
}

static void
camera_close(MusterReader *reader)
{
  MusterCameraReader *self = MUSTER_CAMERA_READER(reader);
  self->source->funcs->close(self->source);
  keep_latest(self, NULL); /* what a closed camera saw is no still of now */
}

static void
camera_teardown(MusterReader *reader)
{
  MusterCameraReader *self = MUSTER_CAMERA_READER(reader);
  g_clear_pointer(&self->worker, muster_decode_worker_free); /* first: it feeds the debounce */
  g_clear_pointer(&self->debounce, muster_debounce_free);
}

static void
camera_interrupt(MusterReader *reader)
{
  MusterCameraReader *self = MUSTER_CAMERA_READER(reader);
  self->source->funcs->interrupt(self->source);
}

static char *
camera_retry_message(MusterReader *reader, const GError *error, gboolean was_open, guint retry_ms)
{
  if (retry_ms < 1000)
    return g_strdup_printf("%s; retrying in %u ms", error->message, retry_ms);
  return g_strdup_printf("%s; retrying in %u s", error->message, retry_ms / 1000);
}

static void
muster_camera_reader_finalize(GObject *object)
{
  MusterCameraReader *self = MUSTER_CAMERA_READER(object);
  muster_frame_source_free(self->source);
  muster_grey_image_free(self->latest);
  g_mutex_clear(&self->latest_lock);
  g_mutex_clear(&self->debounce_lock);
  G_OBJECT_CLASS(muster_camera_reader_parent_class)->finalize(object);
}

static void
muster_camera_reader_class_init(MusterCameraReaderClass *klass)
{
  MusterReaderClass *reader_class = MUSTER_READER_CLASS(klass);
  G_OBJECT_CLASS(klass)->finalize = muster_camera_reader_finalize;
  reader_class->setup = camera_setup;
  reader_class->open = camera_open;
  reader_class->read = camera_read;
  reader_class->close = camera_close;
  reader_class->teardown = camera_teardown;
  reader_class->interrupt = camera_interrupt;
  reader_class->retry_message = camera_retry_message;
}

static void
muster_camera_reader_init(MusterCameraReader *self)
{
  g_mutex_init(&self->latest_lock);
  g_mutex_init(&self->debounce_lock);
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

guint
muster_camera_reader_get_n_skipped(MusterCameraReader *self)
{
  return (guint)g_atomic_int_get(&self->n_skipped);
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
