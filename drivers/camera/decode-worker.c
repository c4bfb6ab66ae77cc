/*
 * decode-worker.c: one frame in flight at most, decoded on a thread of its own (see
 * decode-worker.h).
 *
 * The worker owns one frame buffer, reused while the camera's size stays the same: a
 * taken frame costs one copy (about 0.1 ms for 640×480), so the caller keeps its own
 * frame for snapshots. The lock guards the buffer and the flags; the decoder or sandbox
 * is touched by the worker's thread only.
 */
#include "drivers/camera/decode-worker.h"

#include <string.h>

#include "decode/decode-sandbox.h"

struct _MusterDecodeWorker {
  MusterDecodeWorkerOptions options;
  MusterDecodeWorkerDone done;
  gpointer data;
  GThread *thread;
  GMutex lock;
  GCond wake;             /* a frame was offered, or stop */
  GCond idle;             /* a decode ended */
  MusterGreyImage *frame; /* the buffer; its contents are the frame when pending */
  gboolean busy;          /* a frame is pending or being decoded */
  gboolean pending;       /* the frame awaits the thread */
  gboolean stopping;
  gboolean clear_fault; /* the fault was taken: the sandbox starts over */
  GError *fault;
};

/* Either decoder, created on the worker's thread. */
typedef struct {
  MusterDecoder *decoder;
  MusterDecodeSandbox *sandbox;
} Decoders;

static Decoders
decoders_new(const MusterDecodeWorkerOptions *options)
{
  Decoders d = {NULL, NULL};
  if (!options->sandboxed) {
    d.decoder = muster_decoder_new(options->dmtx_budget_ms);
    return d;
  }
  MusterDecodeSandboxOptions sandbox;
  muster_decode_sandbox_options_init(&sandbox);
  sandbox.dmtx_budget_ms = options->dmtx_budget_ms;
  if (options->timeout_ms != 0)
    sandbox.timeout_ms = options->timeout_ms;
  d.sandbox = muster_decode_sandbox_new(&sandbox);
  return d;
}

static GPtrArray *
decode(Decoders *d, const MusterGreyImage *frame, GError **error)
{
  if (d->sandbox != NULL)
    return muster_decode_sandbox_decode(d->sandbox, frame, error);
  return muster_decoder_decode(d->decoder, frame, error);
}

/* Waits for a frame; FALSE on stop. Called and returns with the lock held. */
static gboolean
wait_for_frame(MusterDecodeWorker *worker, Decoders *d)
{
  while (!worker->pending && !worker->stopping)
    g_cond_wait(&worker->wake, &worker->lock);
  if (worker->clear_fault && d->sandbox != NULL)
    muster_decode_sandbox_reset(d->sandbox);
  worker->clear_fault = FALSE;
  worker->pending = FALSE;
  return !worker->stopping;
}

static void
decoded(MusterDecodeWorker *worker, GPtrArray *symbols, const GError *error)
{
  worker->done(symbols, error, worker->data);
  g_mutex_lock(&worker->lock);
  if (g_error_matches(error, MUSTER_DECODE_SANDBOX_ERROR, MUSTER_DECODE_SANDBOX_ERROR_FAULT) &&
      worker->fault == NULL)
    worker->fault = g_error_copy(error);
  worker->busy = FALSE;
  g_cond_broadcast(&worker->idle);
}

static gpointer
run(gpointer data)
{
  MusterDecodeWorker *worker = data;
  Decoders d = decoders_new(&worker->options);
  g_mutex_lock(&worker->lock);
  while (wait_for_frame(worker, &d)) {
    const MusterGreyImage *frame = worker->frame; /* ours until busy is cleared */
    g_mutex_unlock(&worker->lock);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) symbols = decode(&d, frame, &error);
    decoded(worker, symbols, error); /* takes the lock */
  }
  worker->busy = FALSE;
  g_cond_broadcast(&worker->idle);
  g_mutex_unlock(&worker->lock);
  muster_decode_sandbox_free(d.sandbox); /* on this thread, which its helper is tied to */
  muster_decoder_free(d.decoder);
  return NULL;
}

MusterDecodeWorker *
muster_decode_worker_new(const MusterDecodeWorkerOptions *options, MusterDecodeWorkerDone done,
                         gpointer data)
{
  MusterDecodeWorker *worker = g_new0(MusterDecodeWorker, 1);
  worker->options = *options;
  worker->done = done;
  worker->data = data;
  g_mutex_init(&worker->lock);
  g_cond_init(&worker->wake);
  g_cond_init(&worker->idle);
  worker->thread = g_thread_new("muster-decode", run, worker);
  return worker;
}

void
muster_decode_worker_free(MusterDecodeWorker *worker)
{
  if (worker == NULL)
    return;
  g_mutex_lock(&worker->lock);
  worker->stopping = TRUE;
  g_cond_broadcast(&worker->wake);
  g_cond_broadcast(&worker->idle);
  g_mutex_unlock(&worker->lock);
  g_thread_join(worker->thread);
  muster_grey_image_free(worker->frame);
  g_clear_error(&worker->fault);
  g_cond_clear(&worker->idle);
  g_cond_clear(&worker->wake);
  g_mutex_clear(&worker->lock);
  g_free(worker);
}

/* The frame into the worker's buffer (a new one only when the size changed). */
static void
copy_in(MusterDecodeWorker *worker, const MusterGreyImage *frame)
{
  MusterGreyImage *buf = worker->frame;
  if (buf == NULL || buf->width != frame->width || buf->height != frame->height) {
    muster_grey_image_free(buf);
    worker->frame = muster_grey_image_copy(frame);
    return;
  }
  memcpy(buf->pixels, frame->pixels, (gsize)frame->width * frame->height);
}

gboolean
muster_decode_worker_offer(MusterDecodeWorker *worker, const MusterGreyImage *frame, gboolean wait)
{
  g_mutex_lock(&worker->lock);
  while (wait && worker->busy && !worker->stopping)
    g_cond_wait(&worker->idle, &worker->lock);
  gboolean take = !worker->busy && !worker->stopping;
  if (take) {
    copy_in(worker, frame);
    worker->busy = worker->pending = TRUE;
    g_cond_signal(&worker->wake);
  }
  g_mutex_unlock(&worker->lock);
  return take;
}

GError *
muster_decode_worker_take_fault(MusterDecodeWorker *worker)
{
  g_mutex_lock(&worker->lock);
  GError *fault = g_steal_pointer(&worker->fault);
  if (fault != NULL)
    worker->clear_fault = TRUE;
  g_mutex_unlock(&worker->lock);
  return fault;
}
