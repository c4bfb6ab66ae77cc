/*
 * decode-worker.h: the camera reader's decoding thread, so that frames are decoded at
 * the rate the decoder can manage while the camera keeps delivering at its own.
 *
 * A camera delivers 30 frames a second whether or not the last one is decoded, and
 * zbar's video layer holds only a few buffers: a reader that decodes on its capture
 * thread falls behind and reads stale frames. So the capture thread offers each frame
 * here; if no decode is in flight the worker takes a copy and decodes it, otherwise the
 * frame is skipped (the caller counts it). Nothing queues: at most one frame is in
 * flight. After each decode the worker calls done() on its own thread with the symbols
 * (or the error), which is where the reader debounces and emits scans.
 *
 * Frames are decoded in the sandboxed helper (decode/decode-sandbox.h) or in-process.
 * The sandbox, and the helper it spawns, belong to the worker's thread (the helper dies
 * with the thread that spawned it), which lives from new to free.
 */
#pragma once
#include "decode/decoder.h"
#include <glib.h>

G_BEGIN_DECLS

typedef struct _MusterDecodeWorker MusterDecodeWorker;

/* On the worker's thread after each frame: symbols (MusterSymbol*) or NULL and error. */
typedef void (*MusterDecodeWorkerDone)(GPtrArray *symbols, const GError *error, gpointer data);

typedef struct {
  gboolean sandboxed;   /* in muster-decode-helper, not in this process */
  guint dmtx_budget_ms; /* libdmtx's time per frame */
  guint timeout_ms;     /* the sandbox's per-frame timeout; 0: its default */
} MusterDecodeWorkerOptions;

MusterDecodeWorker *muster_decode_worker_new(const MusterDecodeWorkerOptions *options,
                                             MusterDecodeWorkerDone done, gpointer data);
/* Waits for a decode in flight to end (bounded by the budget or the sandbox's timeout;
 * its done() still runs), then stops the thread and the helper. */
void muster_decode_worker_free(MusterDecodeWorker *worker);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterDecodeWorker, muster_decode_worker_free)

/* Offers a frame (copied when taken). TRUE: it will be decoded. FALSE: a decode is in
 * flight and the frame is skipped, unless wait, which waits for the worker instead. */
gboolean muster_decode_worker_offer(MusterDecodeWorker *worker, const MusterGreyImage *frame,
                                    gboolean wait);
/* The sandbox gave up (too many failures in a row): its error, once, else NULL. The
 * sandbox tries again from the next frame offered after this. */
GError *muster_decode_worker_take_fault(MusterDecodeWorker *worker);

G_END_DECLS
