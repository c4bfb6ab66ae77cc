/*
 * zbar-video-source.c: V4L2 frames through zbar's video API (see frame-source.h).
 *
 * zbar's video layer already negotiates a pixel format, maps the driver's buffers and
 * converts any format it knows to grey (zbar_image_convert to Y800), which is what both
 * decoders read. Its zbar_video_next_image() blocks until a frame arrives, possibly for
 * ever on a wedged device, so the wait is a poll() on the video fd together with a
 * GCancellable's fd: stop() interrupts it at once, and a camera that stops sending
 * frames is noticed by the caller's timeout.
 */
#include "drivers/camera/frame-source.h"

#include <errno.h>
#include <gio/gio.h>
#include <poll.h>
#include <zbar.h>

#include "core/muster-error.h"

typedef struct {
  MusterFrameSource parent;
  char *device;
  guint width, height;
  zbar_video_t *video; /* NULL while closed */
  GCancellable *interrupt;
} ZbarVideoSource;

static char *
zbar_error(zbar_video_t *video)
{
  /* zbar's message ("zbar video in v4l2_probe_iomode(): ...: No such device") names the
   * step that failed; keep its last line. */
  g_autofree char *text = g_strdup(zbar_video_error_string(video, 0));
  g_strstrip(text);
  const char *last = strrchr(text, '\n');
  char *line = g_strdup(last != NULL ? last + 1 : text);
  return g_strstrip(line);
}

static void
source_close(MusterFrameSource *base)
{
  ZbarVideoSource *self = (ZbarVideoSource *)base;
  if (self->video == NULL)
    return;
  zbar_video_enable(self->video, 0);
  zbar_video_destroy(self->video);
  self->video = NULL;
}

static gboolean
source_open(MusterFrameSource *base, GError **error)
{
  ZbarVideoSource *self = (ZbarVideoSource *)base;
  source_close(base);
  g_cancellable_reset(self->interrupt);
  self->video = zbar_video_create();
  if (self->width > 0 && self->height > 0)
    zbar_video_request_size(self->video, self->width, self->height);
  const char *step = NULL;
  if (zbar_video_open(self->video, self->device) != 0)
    step = "cannot be opened";
  else if (zbar_negotiate_format(self->video, NULL) != 0)
    step = "offers no picture format zbar can read";
  else if (zbar_video_enable(self->video, 1) != 0)
    step = "does not start streaming";
  if (step == NULL)
    return TRUE;
  g_autofree char *why = zbar_error(self->video);
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO,
              "camera %s %s (%s); check that it is plugged in and that no other program uses it",
              self->device, step, why);
  source_close(base);
  return FALSE;
}

static MusterGreyImage *
grey_copy(const zbar_image_t *frame)
{
  zbar_image_t *grey = zbar_image_convert(frame, zbar_fourcc('Y', '8', '0', '0'));
  if (grey == NULL)
    return NULL;
  guint width = zbar_image_get_width(grey), height = zbar_image_get_height(grey);
  MusterGreyImage *image = NULL;
  if (zbar_image_get_data_length(grey) >= (unsigned long)width * height)
    image = muster_grey_image_new_from_data(zbar_image_get_data(grey), width, height, width);
  zbar_image_destroy(grey);
  return image;
}

static MusterGreyImage *
source_next_frame(MusterFrameSource *base, guint timeout_ms, GError **error)
{
  ZbarVideoSource *self = (ZbarVideoSource *)base;
  GPollFD wake;
  if (self->video == NULL || !g_cancellable_make_pollfd(self->interrupt, &wake))
    return NULL;
  struct pollfd fds[2] = {{.fd = zbar_video_get_fd(self->video), .events = POLLIN},
                          {.fd = wake.fd, .events = POLLIN}};
  int n = poll(fds, 2, (int)timeout_ms);
  int saved = errno;
  g_cancellable_release_fd(self->interrupt);
  if (n < 0 && saved != EINTR) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "camera %s: %s", self->device,
                g_strerror(saved));
    return NULL;
  }
  if (n <= 0 || g_cancellable_is_cancelled(self->interrupt))
    return NULL;
  if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "camera %s went away (unplugged?)",
                self->device);
    return NULL;
  }
  zbar_image_t *frame = zbar_video_next_image(self->video);
  if (frame == NULL) {
    g_autofree char *why = zbar_error(self->video);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "camera %s stopped delivering frames (%s)",
                self->device, why);
    return NULL;
  }
  MusterGreyImage *image = grey_copy(frame);
  zbar_image_destroy(frame);
  if (image == NULL)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO,
                "camera %s sends frames zbar cannot convert to grey", self->device);
  return image;
}

static void
source_interrupt(MusterFrameSource *base)
{
  g_cancellable_cancel(((ZbarVideoSource *)base)->interrupt);
}

static void
source_free(MusterFrameSource *base)
{
  ZbarVideoSource *self = (ZbarVideoSource *)base;
  source_close(base);
  g_object_unref(self->interrupt);
  g_free(self->device);
  g_free(self);
}

static const MusterFrameSourceFuncs zbar_video_funcs = {
    .open = source_open,
    .next_frame = source_next_frame,
    .close = source_close,
    .interrupt = source_interrupt,
    .free = source_free,
};

MusterFrameSource *
muster_zbar_video_source_new(const char *device, guint width, guint height)
{
  ZbarVideoSource *self = g_new0(ZbarVideoSource, 1);
  self->parent.funcs = &zbar_video_funcs;
  self->device = g_strdup(device);
  self->width = width;
  self->height = height;
  self->interrupt = g_cancellable_new();
  return &self->parent;
}
