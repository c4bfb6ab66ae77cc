/*
 * image-fixture.c: zint-rendered images and their distortions (see image-fixture.h).
 */
#include "image-fixture.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdarg.h>

#include "decode/image-file.h"

char *
image_fixture_tmpdir_new(void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp("muster-image-XXXXXX", &error);
  g_assert_no_error(error);
  return dir;
}

void
image_fixture_tmpdir_free(char *dir)
{
  if (dir == NULL)
    return;
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_unlink(path);
  }
  g_rmdir(dir);
  g_free(dir);
}

static char *
zint_png_va(const char *dir, const char *name, va_list ap)
{
  const char *zint = g_getenv("MUSTER_ZINT") != NULL ? g_getenv("MUSTER_ZINT") : "zint";
  g_autofree char *png_name = g_strconcat(name, ".png", NULL);
  char *path = g_build_filename(dir, png_name, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer)zint);
  g_autofree char *out = g_strconcat("--output=", path, NULL);
  g_ptr_array_add(argv, out);
  for (const char *arg = va_arg(ap, const char *); arg != NULL; arg = va_arg(ap, const char *))
    g_ptr_array_add(argv, (gpointer)arg);
  g_ptr_array_add(argv, NULL);
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;
  if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &err,
                    &status, &error))
    g_error("cannot run zint (install the zint package, see packaging/debian-packages.txt): %s",
            error->message);
  if (!g_spawn_check_wait_status(status, &error))
    g_error("zint failed for %s: %s %s", name, error->message, err);
  return path;
}

char *
image_fixture_zint_png(const char *dir, const char *name, ...)
{
  va_list ap;
  va_start(ap, name);
  char *path = zint_png_va(dir, name, ap);
  va_end(ap);
  return path;
}

MusterGreyImage *
image_fixture_zint(const char *dir, const char *name, ...)
{
  va_list ap;
  va_start(ap, name);
  g_autofree char *path = zint_png_va(dir, name, ap);
  va_end(ap);
  g_autoptr(GError) error = NULL;
  MusterGreyImage *image = muster_image_file_load(path, &error);
  g_assert_no_error(error);
  return image;
}

MusterGreyImage *
image_fixture_rotate(const MusterGreyImage *image, double degrees)
{
  double a = degrees * G_PI / 180.0, c = cos(a), s = sin(a);
  guint size = (guint)ceil(hypot(image->width, image->height)) + 8;
  MusterGreyImage *out = muster_grey_image_new(size, size);
  double cx = image->width / 2.0, cy = image->height / 2.0, oc = size / 2.0;
  for (guint y = 0; y < size; y++) {
    for (guint x = 0; x < size; x++) {
      /* Inverse mapping, bilinear: edges blur over a pixel as in a photograph. */
      double dx = x - oc, dy = y - oc;
      double sx = c * dx + s * dy + cx - 0.5, sy = -s * dx + c * dy + cy - 0.5;
      if (sx >= 0 && sy >= 0 && sx <= image->width - 1 && sy <= image->height - 1)
        out->pixels[(gsize)y * size + x] = muster_grey_image_sample(image, sx, sy);
    }
  }
  return out;
}

void
image_fixture_add_noise(MusterGreyImage *image, double sigma, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  gsize n = (gsize)image->width * image->height;
  for (gsize i = 0; i < n; i++) {
    /* Box-Muller. */
    double u1 = g_rand_double_range(rand, 1e-12, 1.0), u2 = g_rand_double(rand);
    double v = image->pixels[i] + sigma * sqrt(-2 * log(u1)) * cos(2 * G_PI * u2);
    image->pixels[i] = (guint8)CLAMP(v + 0.5, 0, 255);
  }
}

void
image_fixture_paste(MusterGreyImage *canvas, const MusterGreyImage *image, guint x, guint y)
{
  for (guint row = 0; row < image->height && y + row < canvas->height; row++)
    for (guint col = 0; col < image->width && x + col < canvas->width; col++)
      canvas->pixels[(gsize)(y + row) * canvas->width + x + col] =
          image->pixels[(gsize)row * image->width + col];
}

MusterGreyImage *
image_fixture_frame(guint width, guint height, const MusterGreyImage *image, guint x, guint y,
                    guint32 seed)
{
  MusterGreyImage *frame = muster_grey_image_new(width, height);
  for (guint row = 0; row < height; row++)
    for (guint col = 0; col < width; col++)
      frame->pixels[(gsize)row * width + col] =
          (guint8)(100 + 60.0 * col / width + 30.0 * row / height);
  if (image != NULL)
    image_fixture_paste(frame, image, x, y);
  image_fixture_add_noise(frame, 6, seed);
  return frame;
}
