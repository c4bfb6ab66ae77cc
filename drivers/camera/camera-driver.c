/*
 * camera-driver.c: cameras in the readers file (see drivers/manager.h).
 *
 *   [reader bench-camera]
 *   kind=camera
 *   device=/dev/video0      # default /dev/video0
 *   width=640               # requested frame size; default 640×480
 *   height=480
 *   absent-frames=5         # a mark is a new scan after this many frames out of view...
 *   absent-ms=800           # ...and this long
 *   decode-sandbox=true     # decode in the sandboxed helper (default); false: in-process
 *
 * Without a readers file the camera at /dev/video0, if there is one, is used.
 */
#include "core/muster-error.h"
#include "drivers/camera/camera-reader.h"
#include "drivers/manager.h"

#define DEFAULT_DEVICE "/dev/video0"

typedef gint (*KeyGetter)(GKeyFile *file, const char *group, const char *key, GError **error);

/* An optional key, read by get (a whole number ≥ 0 or a boolean); FALSE with an error
 * saying what it must be when it is not one. */
static gboolean
get_key(GKeyFile *file, const char *group, const char *key, KeyGetter get, const char *must_be,
        gint *value, GError **error)
{
  if (!g_key_file_has_key(file, group, key, NULL))
    return TRUE;
  g_autoptr(GError) local = NULL;
  gint v = get(file, group, key, &local);
  if (local != NULL || v < 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "%s must be %s", key, must_be);
    return FALSE;
  }
  *value = v;
  return TRUE;
}

static gboolean
get_uint(GKeyFile *file, const char *group, const char *key, guint *value, GError **error)
{
  gint v = (gint)*value;
  if (!get_key(file, group, key, g_key_file_get_integer, "a whole number ≥ 0", &v, error))
    return FALSE;
  *value = (guint)v;
  return TRUE;
}

static gboolean
get_bool(GKeyFile *file, const char *group, const char *key, gboolean *value, GError **error)
{
  return get_key(file, group, key, g_key_file_get_boolean, "true or false", value, error);
}

static gboolean
camera_create(const char *name, GKeyFile *file, const char *group, GPtrArray *readers,
              GError **error)
{
  g_autofree char *device = g_key_file_get_string(file, group, "device", NULL);
  if (device == NULL)
    device = g_strdup(DEFAULT_DEVICE);
  guint width = 640, height = 480;
  MusterCameraReaderSettings settings;
  g_autofree char *id = g_strdup_printf("camera:%s", name);
  if (!get_uint(file, group, "width", &width, error) ||
      !get_uint(file, group, "height", &height, error))
    return FALSE;
  MusterCameraReader *reader =
      muster_camera_reader_new_with_source(id, muster_zbar_video_source_new(device, width, height));
  muster_camera_reader_get_settings(reader, &settings);
  if (!get_uint(file, group, "absent-frames", &settings.absent_frames, error) ||
      !get_uint(file, group, "absent-ms", &settings.absent_ms, error) ||
      !get_bool(file, group, "decode-sandbox", &settings.decode_sandbox, error)) {
    g_object_unref(reader);
    return FALSE;
  }
  muster_camera_reader_set_settings(reader, &settings);
  g_ptr_array_add(readers, reader);
  return TRUE;
}

static gboolean
camera_create_default(GPtrArray *readers, GError **error)
{
  if (g_file_test(DEFAULT_DEVICE, G_FILE_TEST_EXISTS))
    g_ptr_array_add(readers, muster_camera_reader_new(DEFAULT_DEVICE));
  return TRUE;
}

const MusterReaderDriver muster_camera_driver = {
    .kind = MUSTER_CAMERA_READER_KIND,
    .summary = "V4L2 cameras (zbar's video API): barcodes, QR codes and Data Matrix marks",
    .create = camera_create,
    .create_default = camera_create_default,
};
