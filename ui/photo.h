/*
 * photo.h: the kiosk's photo of an unmarked item: a still from a camera reader, shown
 * on screen and kept as PNG.
 *
 * The camera is the reader the session already runs for scanning (drivers/camera): a
 * still is a copy of its newest frame, so the kiosk never opens the device a second
 * time. Frames are 8-bit grey (what the decoders read), so the photo is grey too. The
 * screen encodes its texture to PNG (gdk_texture_save_to_png_bytes()) and the engine
 * stores those bytes (db/unmarked-photos.h).
 */
#pragma once
#include "drivers/camera/camera-reader.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The first camera reader among readers (MusterReader items) that is reading now
 * (state ready), or NULL: then the kiosk offers no photo. Not a new reference. */
MusterCameraReader *muster_kiosk_photo_find_camera(GListModel *readers);

/* A texture of a grey frame. GTK 4.8 has no grey memory format (GDK_MEMORY_G8 came in
 * 4.12), so each grey value is spread to red, green and blue. */
GdkTexture *muster_kiosk_photo_texture_from_grey(const MusterGreyImage *frame);

G_END_DECLS
