/*
 * zxing-blackbox.c: see zxing-blackbox.h.
 */
#include "zxing-blackbox.h"

#include "decode/image-file.h"

#include <string.h>

const ZxingBlackboxSet zxing_blackbox_sets[] = {
    {"datamatrix-1", "datamatrix", 23, 0}, {"qrcode-1", "qrcode", 17, 0},
    {"code39-1", "code39", 4, 0},          {"code128-2", "code128", 36, 0},
    {"ean13-1", "ean13", 30, 0},           {"falsepositives", NULL, 0, 2},
};
const guint zxing_blackbox_n_sets = G_N_ELEMENTS(zxing_blackbox_sets);

char *
zxing_blackbox_dir(void)
{
  const char *env = g_getenv("MUSTER_ZXING_BLACKBOX");
  if (env != NULL)
    return g_strdup(env);
  const char *src = g_getenv("MUSTER_SOURCE_DIR");
  return g_build_filename(src != NULL ? src : ".", "..", "shared", "data", "zxing-blackbox", NULL);
}

static gboolean
is_image(const char *name)
{
  return g_str_has_suffix(name, ".png") || g_str_has_suffix(name, ".jpg") ||
         g_str_has_suffix(name, ".gif");
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* Image names of a folder, sorted for a stable report. */
static GPtrArray *
list_images(const char *dir, GError **error)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, error);
  if (d == NULL)
    return NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL)
    if (is_image(name))
      g_ptr_array_add(names, g_strdup(name));
  g_ptr_array_sort(names, compare_names);
  return names;
}

static char *
expected_text(const char *dir, const char *image_name)
{
  g_autofree char *stem = g_strndup(image_name, strrchr(image_name, '.') - image_name);
  g_autofree char *txt = g_strconcat(stem, ".txt", NULL);
  g_autofree char *path = g_build_filename(dir, txt, NULL);
  char *text = NULL;
  return g_file_get_contents(path, &text, NULL, NULL) ? text : NULL;
}

static gboolean
run_image(MusterDecoder *decoder, const ZxingBlackboxSet *set, const char *dir, const char *name,
          ZxingBlackboxTally *tally, ZxingBlackboxProblem problem, gpointer data, GError **error)
{
  g_autofree char *path = g_build_filename(dir, name, NULL);
  g_autoptr(MusterGreyImage) image = muster_image_file_load(path, error);
  if (image == NULL)
    return FALSE;
  gint64 t0 = g_get_monotonic_time();
  g_autoptr(GPtrArray) symbols = muster_decoder_decode(decoder, image, error);
  tally->decode_ms += (g_get_monotonic_time() - t0) / 1000.0;
  if (symbols == NULL)
    return FALSE;
  g_autofree char *expected = set->symbology != NULL ? expected_text(dir, name) : NULL;
  tally->images++;
  tally->detections += symbols->len > 0;
  gboolean ok = FALSE;
  for (guint i = 0; i < symbols->len; i++) {
    const MusterSymbol *s = symbols->pdata[i];
    gboolean right = expected != NULL && g_str_equal(s->symbology, set->symbology) &&
                     g_str_equal(s->text, expected);
    ok = ok || right;
    if (!right && set->symbology != NULL) {
      tally->misread++;
      if (problem != NULL)
        problem(set, name, s, data);
    }
  }
  tally->decoded += ok;
  if (!ok && set->symbology != NULL && symbols->len == 0 && problem != NULL)
    problem(set, name, NULL, data);
  return TRUE;
}

gboolean
zxing_blackbox_run_set(MusterDecoder *decoder, const char *root, const ZxingBlackboxSet *set,
                       ZxingBlackboxTally *tally, ZxingBlackboxProblem problem, gpointer data,
                       GError **error)
{
  g_autofree char *dir = g_build_filename(root, set->set, NULL);
  g_autoptr(GPtrArray) names = list_images(dir, error);
  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    if (!run_image(decoder, set, dir, names->pdata[i], tally, problem, data, error))
      return FALSE;
  return TRUE;
}
