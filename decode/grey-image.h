/*
 * grey-image.h: an 8-bit greyscale image, the one pixel format the decoders read.
 *
 * zxing-cpp (ImageFormat::Lum) and zbar (Y800) both read 8-bit grey natively, so image
 * files and camera frames are converted to this once, and nothing downstream deals with
 * colour, alpha or pixel packing. Rows are tightly packed (stride == width) so a buffer
 * can be handed to either library without copying.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint width;
  guint height;
  guint8 *pixels; /* width * height bytes, row by row, 0 = black */
} MusterGreyImage;

/* A white image. NULL when either side is 0 or the size overflows. */
MusterGreyImage *muster_grey_image_new(guint width, guint height);
/* A copy of rows of another buffer (stride >= width). */
MusterGreyImage *muster_grey_image_new_from_data(const guint8 *pixels, guint width, guint height,
                                                 gsize stride);
MusterGreyImage *muster_grey_image_copy(const MusterGreyImage *image);
void muster_grey_image_free(MusterGreyImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterGreyImage, muster_grey_image_free)

/* Light for dark, in place: a light-on-dark mark becomes dark-on-light. */
void muster_grey_image_invert(MusterGreyImage *image);
/* A copy with a white border of margin pixels on every side (a Data Matrix that touches
 * the edge of the picture is found only with a quiet zone around it). */
MusterGreyImage *muster_grey_image_pad(const MusterGreyImage *image, guint margin);
/* A copy resized by factor (bilinear); NULL when the result would be empty. */
/* The grey level at (fx, fy), interpolated between the four nearest pixels (bilinear);
 * coordinates outside the image are clamped to its edge. */
guint8 muster_grey_image_sample(const MusterGreyImage *image, double fx, double fy);
MusterGreyImage *muster_grey_image_scale(const MusterGreyImage *image, double factor);
/* A copy where each pixel is the darkest within radius (a square window): dark dots
 * with gaps between them (a dot-peened Data Matrix) grow into the solid modules that
 * the finders look for. */
MusterGreyImage *muster_grey_image_darkest(const MusterGreyImage *image, guint radius);

G_END_DECLS
