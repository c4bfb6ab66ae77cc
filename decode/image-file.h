/*
 * image-file.h: loads an image file (PNG, JPEG, BMP, TIFF, ... whatever gdk-pixbuf's
 * loaders read) as the greyscale image the decoder reads.
 *
 * gdk-pixbuf rather than libpng and libjpeg by hand: one call for every format, and it
 * is already on the appliance with GTK. The size is checked from the file's header
 * before any pixel is decoded, so a small file claiming a huge image (a decompression
 * bomb) is refused without allocating it.
 */
#pragma once
#include "decode/grey-image.h"
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib.h>

G_BEGIN_DECLS

/* NULL with MUSTER_ERROR_NOT_FOUND (no such file), MUSTER_ERROR_IO (cannot read it) or
 * MUSTER_ERROR_INVALID (not an image, corrupt, or larger than
 * MUSTER_DECODER_MAX_PIXELS); messages name the file. */
MusterGreyImage *muster_image_file_load(const char *path, GError **error);

/* Luma (ITU-R BT.601) of any 8-bit RGB/RGBA pixbuf; transparency is flattened onto
 * white, as a mark printed on paper would be seen. */
MusterGreyImage *muster_grey_image_new_from_pixbuf(GdkPixbuf *pixbuf);

G_END_DECLS
