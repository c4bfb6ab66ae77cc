/*
 * grey-image.c: the 8-bit greyscale image (see grey-image.h).
 */
#include "decode/grey-image.h"

#include <string.h>

MusterGreyImage *
muster_grey_image_new(guint width, guint height)
{
  gsize size = 0;
  if (width == 0 || height == 0 || !g_size_checked_mul(&size, width, height))
    return NULL;
  MusterGreyImage *image = g_new0(MusterGreyImage, 1);
  image->width = width;
  image->height = height;
  image->pixels = g_malloc(size);
  memset(image->pixels, 0xff, size);
  return image;
}

MusterGreyImage *
muster_grey_image_new_from_data(const guint8 *pixels, guint width, guint height, gsize stride)
{
  g_return_val_if_fail(stride >= width, NULL);
  MusterGreyImage *image = muster_grey_image_new(width, height);
  if (image == NULL)
    return NULL;
  for (guint y = 0; y < height; y++)
    memcpy(image->pixels + (gsize)y * width, pixels + (gsize)y * stride, width);
  return image;
}

MusterGreyImage *
muster_grey_image_copy(const MusterGreyImage *image)
{
  return muster_grey_image_new_from_data(image->pixels, image->width, image->height, image->width);
}

void
muster_grey_image_free(MusterGreyImage *image)
{
  if (image == NULL)
    return;
  g_free(image->pixels);
  g_free(image);
}

void
muster_grey_image_invert(MusterGreyImage *image)
{
  gsize size = (gsize)image->width * image->height;
  for (gsize i = 0; i < size; i++)
    image->pixels[i] = 255 - image->pixels[i];
}

MusterGreyImage *
muster_grey_image_pad(const MusterGreyImage *image, guint margin)
{
  if (image->width > G_MAXUINT - 2 * margin || image->height > G_MAXUINT - 2 * margin)
    return NULL;
  MusterGreyImage *padded =
      muster_grey_image_new(image->width + 2 * margin, image->height + 2 * margin);
  if (padded == NULL)
    return NULL;
  for (guint y = 0; y < image->height; y++)
    memcpy(padded->pixels + (gsize)(y + margin) * padded->width + margin,
           image->pixels + (gsize)y * image->width, image->width);
  return padded;
}

guint8
muster_grey_image_sample(const MusterGreyImage *image, double fx, double fy)
{
  fx = CLAMP(fx, 0.0, image->width - 1.0);
  fy = CLAMP(fy, 0.0, image->height - 1.0);
  guint x0 = (guint)fx, y0 = (guint)fy;
  guint x1 = MIN(x0 + 1, image->width - 1), y1 = MIN(y0 + 1, image->height - 1);
  double ax = fx - x0, ay = fy - y0;
  const guint8 *p = image->pixels;
  gsize w = image->width;
  double top = p[y0 * w + x0] * (1 - ax) + p[y0 * w + x1] * ax;
  double bottom = p[y1 * w + x0] * (1 - ax) + p[y1 * w + x1] * ax;
  return (guint8)(top * (1 - ay) + bottom * ay + 0.5);
}

MusterGreyImage *
muster_grey_image_scale(const MusterGreyImage *image, double factor)
{
  double w = image->width * factor, h = image->height * factor;
  if (!(factor > 0) || w < 1 || h < 1 || w > G_MAXINT || h > G_MAXINT)
    return NULL;
  MusterGreyImage *scaled = muster_grey_image_new((guint)w, (guint)h);
  if (scaled == NULL)
    return NULL;
  for (guint y = 0; y < scaled->height; y++)
    for (guint x = 0; x < scaled->width; x++)
      scaled->pixels[(gsize)y * scaled->width + x] =
          muster_grey_image_sample(image, (x + 0.5) / factor - 0.5, (y + 0.5) / factor - 0.5);
  return scaled;
}

/* The darkest of each run of 2 * radius + 1 values, step apart, from src into dst. */
static void
darkest_line(const guint8 *src, guint8 *dst, guint n, gsize step, guint radius)
{
  for (guint i = 0; i < n; i++) {
    guint lo = i > radius ? i - radius : 0, hi = MIN(i + radius, n - 1);
    guint8 m = 255;
    for (guint j = lo; j <= hi; j++)
      m = MIN(m, src[j * step]);
    dst[i * step] = m;
  }
}

MusterGreyImage *
muster_grey_image_darkest(const MusterGreyImage *image, guint radius)
{
  /* A square window is a row pass and then a column pass. */
  g_autoptr(MusterGreyImage) rows = muster_grey_image_copy(image);
  MusterGreyImage *out = muster_grey_image_copy(image);
  if (rows == NULL || out == NULL) {
    muster_grey_image_free(out);
    return NULL;
  }
  for (guint y = 0; y < image->height; y++)
    darkest_line(image->pixels + (gsize)y * image->width, rows->pixels + (gsize)y * image->width,
                 image->width, 1, radius);
  for (guint x = 0; x < image->width; x++)
    darkest_line(rows->pixels + x, out->pixels + x, image->height, image->width, radius);
  return out;
}
