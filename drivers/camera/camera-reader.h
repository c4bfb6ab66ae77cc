/*
 * camera-reader.h: a V4L2 camera as a reader: every barcode, QR code or Data Matrix held
 * in front of it becomes one scan.
 *
 * Frames come from a MusterFrameSource (zbar's video API for a real camera), are decoded
 * by the image decoder (zxing-cpp and libdmtx, decode/) on a worker thread, by default in its
 * sandboxed helper process, skipping frames that arrive while one is being decoded; a
 * mark that stays in view across frames is one scan (drivers/debounce.h). The reader
 * reads on its own thread; scans and state changes reach listeners on the reader's main context
 * through MusterReader. A camera that cannot be opened, or that goes away or stops sending frames,
 * is reopened with backoff; it never stops other readers.
 */
#pragma once
#include "drivers/camera/frame-source.h"
#include "drivers/reader.h"

G_BEGIN_DECLS

#define MUSTER_CAMERA_READER_KIND "camera"

#define MUSTER_TYPE_CAMERA_READER (muster_camera_reader_get_type())
G_DECLARE_FINAL_TYPE(MusterCameraReader, muster_camera_reader, MUSTER, CAMERA_READER, MusterReader)

/* A camera by device path ("/dev/video0"); id "camera:/dev/video0". */
MusterCameraReader *muster_camera_reader_new(const char *device);
/* Any frame source (the reader takes it); for tests and other kinds of camera. */
MusterCameraReader *muster_camera_reader_new_with_source(const char *id, MusterFrameSource *source);

typedef struct {
  guint absent_frames;       /* a mark is new again after this many frames out of view... */
  guint absent_ms;           /* ...and this long */
  guint dmtx_budget_ms;      /* libdmtx's time per frame (see decoder.h) */
  guint stall_ms;            /* no frame for this long: the camera has stopped */
  guint retry_initial_ms;    /* first wait before reopening; doubles each failure... */
  guint retry_max_ms;        /* ...up to this */
  guint snapshot_max_ms;     /* a frame older than this is no snapshot (see below) */
  gboolean decode_sandbox;   /* decode in muster-decode-helper (decode/decode-sandbox.h) */
  gboolean keep_every_frame; /* wait for each decode instead of skipping frames (tests) */
} MusterCameraReaderSettings;

/* The defaults: 5 frames and 800 ms, 6 ms (MUSTER_DECODER_CAMERA_DMTX_BUDGET_MS), 3 s,
 * 500 ms doubling to 30 s, 2 s, the sandbox on, frames skipped while a decode is in
 * flight. */
void muster_camera_reader_get_settings(MusterCameraReader *self,
                                       MusterCameraReaderSettings *settings);
/* Takes effect at the next start. */
void muster_camera_reader_set_settings(MusterCameraReader *self,
                                       const MusterCameraReaderSettings *settings);

/* Frames decoded (or that the decoder failed on) since the reader was created (for
 * tests and `readers list`). */
guint muster_camera_reader_get_n_frames(MusterCameraReader *self);
/* Frames skipped because they arrived while a decode was in flight. */
guint muster_camera_reader_get_n_skipped(MusterCameraReader *self);

/* A still: a copy of the newest frame, as the frame source gave it (8-bit grey: what the
 * decoders read, so the camera is never asked for a second, colour stream). NULL when
 * the reader has no frame from the last snapshot_max_ms (not started, stopped, the
 * camera gone or stalled). From any thread; the caller frees the copy. */
MusterGreyImage *muster_camera_reader_snapshot(MusterCameraReader *self);

G_END_DECLS
