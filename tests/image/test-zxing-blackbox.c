/*
 * test-zxing-blackbox.c: the decoder on ZXing's black-box photographs and scans, real
 * images nobody here made, against the thresholds ZXing's own reader must meet.
 *
 * The images live outside the repository (about 48 MB): $MUSTER_ZXING_BLACKBOX, else
 * ../shared/data/zxing-blackbox beside the source tree; without them the test is
 * skipped, and says so. Each set reports its decode rate. The test fails when a set
 * decodes fewer images than ZXing must, when any image is misread (a symbol of the
 * wrong text), or when the false-positive set yields more detections than allowed.
 *
 * The thresholds are those of the set's README (kept here as data; the README is the
 * source). libdmtx gets 200 ms per image here (50 ms per search), which still finds every
 * Data Matrix of the set and keeps the run near 30 s. Under the sanitizers the
 * decoders run several times slower against the same wall-clock deadline, so there the
 * rates are reported but only misreads and false positives fail.
 */
#include <stdio.h>
#include <string.h>

#include "drivers/image/decoder.h"
#include "drivers/image/image-file.h"

#define DMTX_BUDGET_MS 200

typedef struct {
  const char *set;
  const char *symbology;
  guint must_decode;    /* ZXing's threshold; for falsepositives, unused */
  guint max_detections; /* falsepositives only */
} BlackboxSet;

static const BlackboxSet sets[] = {
    {"datamatrix-1", "datamatrix", 23, 0}, {"qrcode-1", "qrcode", 17, 0},
    {"code39-1", "code39", 4, 0},          {"code128-2", "code128", 36, 0},
    {"ean13-1", "ean13", 30, 0},           {"falsepositives", NULL, 0, 2},
};

static gboolean
sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
  return TRUE;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return TRUE;
#endif
#endif
  return FALSE;
}

static char *
blackbox_dir(void)
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

/* Image names of a set, sorted for a stable report. */
static GPtrArray *
list_images(const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
  g_assert_no_error(error);
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

typedef struct {
  guint images, decoded, misread, detections;
} Tally;

/* One image: decoded when a symbol of the set's symbology carries the expected text;
 * misread when a symbol carries anything else. */
static void
check_image(MusterDecoder *decoder, const BlackboxSet *set, const char *dir, const char *name,
            Tally *tally)
{
  g_autofree char *path = g_build_filename(dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterGreyImage) image = muster_image_file_load(path, &error);
  g_assert_no_error(error);
  g_autoptr(GPtrArray) symbols = muster_decoder_decode(decoder, image, &error);
  g_assert_no_error(error);
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
      g_autofree char *shown = g_strescape(s->text, NULL);
      g_test_message("%s/%s: MISREAD as %s \"%s\"", set->set, name, s->symbology, shown);
    }
  }
  tally->decoded += ok;
  if (!ok && set->symbology != NULL && symbols->len == 0)
    g_test_message("%s/%s: not decoded", set->set, name);
}

static void
test_set(gconstpointer data)
{
  const BlackboxSet *set = data;
  g_autofree char *root = blackbox_dir();
  g_autofree char *dir = g_build_filename(root, set->set, NULL);
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    g_autofree char *why = g_strdup_printf("%s absent: set MUSTER_ZXING_BLACKBOX to ZXing's "
                                           "black-box images to measure the decode rate",
                                           dir);
    g_test_skip(why);
    return;
  }
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(DMTX_BUDGET_MS);
  g_autoptr(GPtrArray) names = list_images(dir);
  Tally tally = {0};
  for (guint i = 0; i < names->len; i++)
    check_image(decoder, set, dir, names->pdata[i], &tally);
  if (set->symbology != NULL) {
    g_test_message("%s: decoded %u of %u (%.0f%%), ZXing must decode %u; %u misread", set->set,
                   tally.decoded, tally.images, 100.0 * tally.decoded / tally.images,
                   set->must_decode, tally.misread);
    g_assert_cmpuint(tally.misread, ==, 0);
    if (!sanitized())
      g_assert_cmpuint(tally.decoded, >=, set->must_decode);
  } else {
    g_test_message("%s: %u of %u images gave a detection, at most %u allowed", set->set,
                   tally.detections, tally.images, set->max_detections);
    g_assert_cmpuint(tally.detections, <=, set->max_detections);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS(sets); i++) {
    g_autofree char *path = g_strdup_printf("/image/zxing-blackbox/%s", sets[i].set);
    g_test_add_data_func(path, &sets[i], test_set);
  }
  return g_test_run();
}
