/*
 * image-file.c: image files to greyscale through gdk-pixbuf (see image-file.h).
 */
#include "decode/image-file.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "core/muster-error.h"
#include "decode/decoder.h"

static guint8
luma(const guint8 *p, gboolean alpha)
{
  guint y = (77u * p[0] + 150u * p[1] + 29u * p[2] + 128u) >> 8;
  if (alpha)
    y = (y * p[3] + 255u * (255u - p[3]) + 127u) / 255u;
  return (guint8)MIN(y, 255u);
}

MusterGreyImage *
muster_grey_image_new_from_pixbuf(GdkPixbuf *pixbuf)
{
  g_return_val_if_fail(gdk_pixbuf_get_bits_per_sample(pixbuf) == 8, NULL);
  guint width = (guint)gdk_pixbuf_get_width(pixbuf);
  guint height = (guint)gdk_pixbuf_get_height(pixbuf);
  int channels = gdk_pixbuf_get_n_channels(pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha(pixbuf);
  gsize stride = (gsize)gdk_pixbuf_get_rowstride(pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels(pixbuf);
  MusterGreyImage *image = muster_grey_image_new(width, height);
  if (image == NULL)
    return NULL;
  for (guint y = 0; y < height; y++) {
    const guint8 *row = pixels + y * stride;
    guint8 *out = image->pixels + (gsize)y * width;
    for (guint x = 0; x < width; x++)
      out[x] = luma(row + (gsize)x * channels, alpha);
  }
  return image;
}

static gboolean
check_size(const char *path, GError **error)
{
  int width = 0, height = 0;
  if (gdk_pixbuf_get_file_info(path, &width, &height) == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s is not an image in a format this system can read (PNG, JPEG, BMP, ...)", path);
    return FALSE;
  }
  if (width <= 0 || height <= 0 || (guint64)width * height > MUSTER_DECODER_MAX_PIXELS) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s is %d×%d pixels, more than the %u megapixels decoded; scale it down or "
                "crop it to the mark",
                path, width, height, MUSTER_DECODER_MAX_PIXELS / 1000000u);
    return FALSE;
  }
  return TRUE;
}

MusterGreyImage *
muster_image_file_load(const char *path, GError **error)
{
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND, "%s: no such file", path);
    return NULL;
  }
  if (g_access(path, R_OK) != 0) {
    int saved = errno;
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "%s cannot be read: %s", path,
                g_strerror(saved));
    return NULL;
  }
  if (!check_size(path, error))
    return NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file(path, &local);
  if (pixbuf == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s is damaged or not a complete image (%s)", path, local->message);
    return NULL;
  }
  MusterGreyImage *image = muster_grey_image_new_from_pixbuf(pixbuf);
  if (image == NULL)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s has a pixel format that is not supported", path);
  return image;
}
