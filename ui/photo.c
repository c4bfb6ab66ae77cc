/*
 * photo.c: the camera reader to photograph with, and its still as a texture (see photo.h).
 */
#include "ui/photo.h"

MusterCameraReader *
muster_kiosk_photo_find_camera(GListModel *readers)
{
  guint n = readers != NULL ? g_list_model_get_n_items(readers) : 0;
  for (guint i = 0; i < n; i++) {
    g_autoptr(GObject) item = g_list_model_get_item(readers, i);
    if (MUSTER_IS_CAMERA_READER(item) &&
        muster_reader_get_state(MUSTER_READER(item)) == MUSTER_READER_STATE_READY)
      return MUSTER_CAMERA_READER(item); /* the list model keeps it alive */
  }
  return NULL;
}

GdkTexture *
muster_kiosk_photo_texture_from_grey(const MusterGreyImage *frame)
{
  g_return_val_if_fail(frame != NULL && frame->width > 0 && frame->height > 0, NULL);
  gsize stride = (gsize)frame->width * 3;
  gsize n = (gsize)frame->width * frame->height;
  guint8 *rgb = g_malloc(n * 3);
  for (gsize i = 0; i < n; i++)
    rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = frame->pixels[i];
  g_autoptr(GBytes) bytes = g_bytes_new_take(rgb, n * 3);
  return gdk_memory_texture_new((int)frame->width, (int)frame->height, GDK_MEMORY_R8G8B8, bytes,
                                stride);
}
