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
 * source). libdmtx gets 200 ms per image here (50 ms per search), which still finds every
 * Data Matrix of the set and keeps the run near 30 s. Under the sanitizers the
 * decoders run several times slower against the same wall-clock deadline, so there the
 * rates are reported but only misreads and false positives fail.
 */
#include "missing.h"
#include "zxing-blackbox.h"

#define DMTX_BUDGET_MS 200

#define HOW_TO_GET                                                                         \
  "copy the sets of ZXing's core/src/test/resources/blackbox (github.com/zxing/zxing) to " \
  "../shared/data/zxing-blackbox beside the source tree, or point MUSTER_ZXING_BLACKBOX "  \
  "at them"

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
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(DMTX_BUDGET_MS);
  ZxingBlackboxTally tally = {0};
  g_autoptr(GError) error = NULL;
  g_assert_true(zxing_blackbox_run_set(decoder, root, set, &tally, report_problem, NULL, &error));
  g_assert_no_error(error);
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
