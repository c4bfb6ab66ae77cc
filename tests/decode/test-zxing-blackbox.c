/*
 * test-zxing-blackbox.c: the decoder on ZXing's black-box photographs and scans, real
 * images nobody here made, against the thresholds ZXing's own reader must meet.
 *
 * The images live outside the repository (about 48 MB): $MUSTER_ZXING_BLACKBOX, else
 * ../shared/data/zxing-blackbox beside the source tree. Without them (or a set of them)
 * the test is skipped, exit 77, and fails under CI, where that copy is always there
 * (tests/support/missing.h). Each set reports its decode rate. The test fails when a set
 * decodes fewer images than ZXing must, when any image is misread (a symbol of the
 * wrong text), or when the false-positive set yields more detections than allowed.
 *
 * The thresholds are those of the set's README (kept here as data; the README is the
 * source). The decoder reads them as `muster decode` reads a photograph (the thorough
 * search); a camera frame's quicker search reads code128-2 35 of 40 (bench/bench-decode.c
 * reports both). No time budget is involved any more (libdmtx's was), so the rates hold
 * under the sanitizers too.
 */
#include "missing.h"
#include "zxing-blackbox.h"

#define HOW_TO_GET                                                                         \
  "copy the sets of ZXing's core/src/test/resources/blackbox (github.com/zxing/zxing) to " \
  "../shared/data/zxing-blackbox beside the source tree, or point MUSTER_ZXING_BLACKBOX "  \
  "at them"

static void
report_problem(const ZxingBlackboxSet *set, const char *image, const MusterSymbol *symbol,
               gpointer data)
{
  if (symbol == NULL) {
    g_test_message("%s/%s: not decoded", set->set, image);
    return;
  }
  g_autofree char *shown = g_strescape(symbol->text, NULL);
  g_test_message("%s/%s: MISREAD as %s \"%s\"", set->set, image, symbol->symbology, shown);
}

static void
test_set(gconstpointer data)
{
  const ZxingBlackboxSet *set = data;
  g_autofree char *root = zxing_blackbox_dir();
  g_autofree char *dir = g_build_filename(root, set->set, NULL);
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    g_autofree char *why = g_strdup_printf("ZXing's black-box set %s is missing", dir);
    test_missing_case(why, HOW_TO_GET);
    return;
  }
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(0);
  muster_decoder_set_thorough(decoder, TRUE);
  ZxingBlackboxTally tally = {0};
  g_autoptr(GError) error = NULL;
  g_assert_true(zxing_blackbox_run_set(decoder, root, set, &tally, report_problem, NULL, &error));
  g_assert_no_error(error);
  if (set->symbology != NULL) {
    g_test_message("%s: decoded %u of %u (%.0f%%), ZXing must decode %u; %u misread", set->set,
                   tally.decoded, tally.images, 100.0 * tally.decoded / tally.images,
                   set->must_decode, tally.misread);
    g_assert_cmpuint(tally.misread, ==, 0);
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
  g_autofree char *root = zxing_blackbox_dir();
  if (!g_file_test(root, G_FILE_TEST_IS_DIR)) {
    g_autofree char *why = g_strdup_printf("ZXing's black-box images are missing (no %s)", root);
    test_missing_exit(why, HOW_TO_GET);
  }
  for (guint i = 0; i < zxing_blackbox_n_sets; i++) {
    const ZxingBlackboxSet *set = &zxing_blackbox_sets[i];
    g_autofree char *path = g_strdup_printf("/image/zxing-blackbox/%s", set->set);
    g_test_add_data_func(path, set, test_set);
  }
  return test_missing_run();
}
