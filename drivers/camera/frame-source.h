/*
 * frame-source.h: where the camera reader's frames come from.
 *
 * In production a V4L2 camera read through zbar's video API (zbar-video-source.c); in
 * tests a source that hands over generated frames, so that the frame → decode → debounce
 * → scan path runs through the real decoders without a camera (CI has none, and no
 * v4l2loopback). The reader only sees this interface: open, wait for a frame, close.
 *
 * All calls but interrupt() come from the reader's thread.
 */
#pragma once
#include "decode/grey-image.h"
#include <glib.h>

G_BEGIN_DECLS

typedef struct _MusterFrameSource MusterFrameSource;

typedef struct {
  /* Opens the device. FALSE with an error that names the device when it cannot be
   * opened (absent, busy, not a camera). Clears an earlier interrupt. */
  gboolean (*open)(MusterFrameSource *self, GError **error);
  /* Waits at most timeout_ms for the next frame. NULL without error: none came in time,
   * or interrupt() was called. NULL with error: the device failed (unplugged). */
  MusterGreyImage *(*next_frame)(MusterFrameSource *self, guint timeout_ms, GError **error);
  /* Releases the device; safe when not open. */
  void (*close)(MusterFrameSource *self);
  /* From any thread: a waiting or later next_frame returns NULL at once, until open(). */
  void (*interrupt)(MusterFrameSource *self);
  void (*free)(MusterFrameSource *self);
} MusterFrameSourceFuncs;

struct _MusterFrameSource {
  const MusterFrameSourceFuncs *funcs;
};

static inline void
muster_frame_source_free(MusterFrameSource *source)
{
  if (source != NULL)
    source->funcs->free(source);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterFrameSource, muster_frame_source_free)

/* A V4L2 camera through zbar's video API, e.g. "/dev/video0"; width and height are a
 * request (0 = the driver's default), the camera may choose another size. */
MusterFrameSource *muster_zbar_video_source_new(const char *device, guint width, guint height);

G_END_DECLS
