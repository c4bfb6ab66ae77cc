/*
 * test-dpm.c: the decoder on direct part marks: Data Matrix marks drawn as they look on
 * metal (low contrast, dot-peen, glare, perspective, light on dark, mixes, a shaft; see
 * dpm/README.md), from zint's modules and fixed seeds.
 *
 * For each kind, IMAGES frames are decoded; the case fails on any misread (a symbol that
 * is not the marked data) and when fewer are read than the kind's threshold (dpm-set.c,
 * shared with bench/bench-dpm.c). The rates are printed with and without the decoder's
 * own preprocessing (the latter only once the decoder can turn it off). Under the
 * sanitizers the decoder is several times slower against the same wall-clock budget, so
 * there the rates are reported and only misreads fail, as in test-zxing-blackbox.c.
 *
 * The generator is tested too: zint's modules as read, frames the same for the same
 * seed, and a scorer that counts a wrong text as a misread (a scorer that cannot see a
 * misread would let every rate pass).
 */
#include <string.h>

#include "dpm-set.h"
#include "image-fixture.h"

#define IMAGES 10          /* per kind: about 14 s of CPU for the set with the decoder's fallback */
#define DMTX_BUDGET_MS 100 /* libdmtx, a frame: a quarter of a photograph's 400 ms, for time */

/* Under the sanitizers (MUSTER_SANITIZE) the rates are reported, not asserted. */
#ifdef MUSTER_TEST_SANITIZED
#define RATES_ASSERTED FALSE
#else
#define RATES_ASSERTED TRUE
#endif

static DpmSet *
the_set(void)
{
  g_autoptr(GError) error = NULL;
  DpmSet *set = dpm_set_new(&error);
  g_assert_no_error(error);
  return set;
}

static int
compare_doubles(gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void
report(const DpmKind *kind, const char *how, const DpmTally *t)
{
  g_autoptr(GArray) ms = g_array_copy(t->ms);
  g_array_sort(ms, compare_doubles);
  g_test_message("%s %s: read %u of %u (%.0f%%), %u misread; threshold %u%%; median decode %.0f ms",
                 kind->name, how, t->read, t->images, 100.0 * t->read / MAX(t->images, 1),
                 t->misread, kind->min_percent,
                 ms->len > 0 ? g_array_index(ms, double, ms->len / 2) : 0);
  for (guint i = 0; i < t->bad->len; i++)
    g_test_message("  misread %s", (char *)t->bad->pdata[i]);
}

static void
test_kind(gconstpointer data)
{
  const DpmKind *kind = data;
  g_autoptr(DpmSet) set = the_set();
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(DMTX_BUDGET_MS);
  /* A photograph's search: every stage of the fallback on each frame (a camera frame
   * runs one stage a frame, decoder.c) */
  muster_decoder_set_thorough(decoder, TRUE);
  g_autoptr(MusterDecoder) raw = dpm_decoder_without_preprocessing(DMTX_BUDGET_MS);
  DpmTally with, without;
  dpm_tally_init(&with);
  dpm_tally_init(&without);
  g_autoptr(GError) error = NULL;
  for (guint i = 0; i < IMAGES; i++) {
    const DpmPayload *payload = NULL;
    g_autoptr(MusterGreyImage) image = dpm_set_image(set, kind, i, &payload);
    gboolean ok = dpm_tally_decode(&with, decoder, image, i, payload, &error) &&
                  (raw == NULL || dpm_tally_decode(&without, raw, image, i, payload, &error));
    g_assert_no_error(error);
    g_assert_true(ok);
  }
  report(kind, "with preprocessing", &with);
  if (raw != NULL)
    report(kind, "without preprocessing", &without);
  else
    g_test_message("%s without preprocessing: not measured (the decoder cannot turn it off)",
                   kind->name);
  g_assert_cmpuint(with.misread + without.misread, ==, 0);
  if (RATES_ASSERTED)
    g_assert_cmpuint(with.read * 100, >=, kind->min_percent * with.images);
  dpm_tally_clear(&with);
  dpm_tally_clear(&without);
}

/* Frames where libdmtx corrected a noisy 10×10 serial into other text that checks
 * ("\0254150", "20*26"), before small symbols needed a second sampling (decoder.c,
 * dmtx_scan()): read right or not at all, with a photograph's budget. */
static void
test_small_symbols_confirmed(void)
{
  static const struct {
    guint kind, index;
  } frames[] = {{0, 36}, {1, 24}}; /* low-contrast, dot-peen */
  g_autoptr(DpmSet) set = the_set();
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(0);
  muster_decoder_set_thorough(decoder, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS(frames); i++) {
    const DpmKind *kind = &dpm_kinds[frames[i].kind];
    const DpmPayload *payload = NULL;
    g_autoptr(MusterGreyImage) image = dpm_set_image(set, kind, frames[i].index, &payload);
    DpmTally t;
    dpm_tally_init(&t);
    g_autoptr(GError) error = NULL;
    g_assert_true(dpm_tally_decode(&t, decoder, image, frames[i].index, payload, &error));
    report(kind, "frame that misread", &t);
    g_assert_cmpuint(t.misread, ==, 0);
    dpm_tally_clear(&t);
  }
}

/* A camera frame runs one stage of libdmtx's fallback, the next frame the next: a
 * light-on-dark mark (read by the inverted stage) that a photograph's search reads is
 * read by the camera within three frames of it held still. */
static void
test_camera_stages(void)
{
  g_autoptr(DpmSet) set = the_set();
  const DpmKind *kind = &dpm_kinds[4]; /* light-on-dark */
  g_assert_cmpstr(kind->name, ==, "light-on-dark");
  g_autoptr(MusterDecoder) photo = muster_decoder_new(DMTX_BUDGET_MS);
  muster_decoder_set_thorough(photo, TRUE);
  for (guint i = 0; i < IMAGES; i++) {
    const DpmPayload *payload = NULL;
    g_autoptr(MusterGreyImage) image = dpm_set_image(set, kind, i, &payload);
    DpmTally t;
    dpm_tally_init(&t);
    g_assert_true(dpm_tally_decode(&t, photo, image, i, payload, NULL));
    gboolean photo_read = t.read > 0;
    g_autoptr(MusterDecoder) camera = muster_decoder_new(DMTX_BUDGET_MS);
    for (guint frame = 0; photo_read && frame < 3; frame++)
      g_assert_true(dpm_tally_decode(&t, camera, image, i, payload, NULL));
    guint camera_reads = t.read - (photo_read ? 1 : 0);
    dpm_tally_clear(&t);
    if (photo_read) {
      g_test_message("light-on-dark frame %u: read by the camera in %u of 3 frames", i,
                     camera_reads);
      g_assert_cmpuint(camera_reads, >=, 1);
      return;
    }
  }
  g_test_skip("no light-on-dark frame read as a photograph");
}

/* zint's modules as they are: the finder L solid, the timing pattern alternating, and a
 * rectangular symbol as wide as it is. */
static void
test_matrix(void)
{
  g_autoptr(GError) error = NULL;
  const char *square[] = {"--barcode=DATAMATRIX", "--vers=1", "--data=204118", NULL};
  const char *rect[] = {"--barcode=DATAMATRIX", "--vers=28", "--data=A", NULL};
  g_autoptr(DpmMatrix) s = dpm_matrix_from_zint(square, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(s->width, ==, 10);
  g_assert_cmpuint(s->height, ==, 10);
  g_autoptr(DpmMatrix) r = dpm_matrix_from_zint(rect, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(r->width, ==, 36);
  g_assert_cmpuint(r->height, ==, 12);
  for (int i = 0; i < 36; i++) {
    g_assert_true(dpm_matrix_dark(r, i, 11));                  /* bottom of the L */
    g_assert_cmpint(dpm_matrix_dark(r, i, 0), ==, i % 2 == 0); /* timing along the top */
  }
  for (int j = 0; j < 12; j++)
    g_assert_true(dpm_matrix_dark(r, 0, j)); /* left of the L */
  g_assert_false(dpm_matrix_dark(r, -1, 0));
  g_assert_false(dpm_matrix_dark(r, 36, 0));
  /* Not a Data Matrix: refused, naming what was asked. */
  const char *qr[] = {"--barcode=QRCODE", "--data=A", NULL};
  g_autoptr(DpmMatrix) q = dpm_matrix_from_zint(qr, &error);
  g_assert_null(q);
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "QRCODE"));
}

/* The same seed gives the same frame; another image number gives another. */
static void
test_deterministic(void)
{
  g_autoptr(DpmSet) set = the_set();
  const DpmPayload *p1 = NULL, *p2 = NULL, *p3 = NULL;
  g_autoptr(MusterGreyImage) a = dpm_set_image(set, &dpm_kinds[1], 3, &p1);
  g_autoptr(MusterGreyImage) b = dpm_set_image(set, &dpm_kinds[1], 3, &p2);
  g_autoptr(MusterGreyImage) c = dpm_set_image(set, &dpm_kinds[1], 4, &p3);
  g_assert_cmpuint(a->width, ==, DPM_FRAME_WIDTH);
  g_assert_cmpuint(a->height, ==, DPM_FRAME_HEIGHT);
  g_assert_true(p1 == p2);
  g_assert_cmpmem(a->pixels, (gsize)a->width * a->height, b->pixels, (gsize)b->width * b->height);
  g_assert_true(memcmp(a->pixels, c->pixels, (gsize)a->width * a->height) != 0);
}

/* The scorer: a clean mark of a payload is read (GS1 too, in either form of
 * docs/scan-data.md); the same mark scored against another payload is a misread, not a
 * miss. */
typedef struct {
  const DpmPayload *payload;
  const char *shown; /* part of its data as a misread of it is reported */
} ScoringCase;

static void
test_scoring(gconstpointer data)
{
  const ScoringCase *c = data;
  const DpmPayload *payload = c->payload, *other = &dpm_payloads[3];
  g_autofree char *dir = image_fixture_tmpdir_new();
  const char *const *z = payload->zint;
  g_autoptr(MusterGreyImage) mark =
      image_fixture_zint(dir, payload->name, z[0], z[1], z[2], z[3] != NULL ? z[3] : "--scale=5",
                         "--scale=5", "--quietzones", NULL);
  g_autoptr(MusterGreyImage) frame = image_fixture_frame(640, 480, mark, 200, 120, 1);
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(1000);
  g_autoptr(GError) error = NULL;
  DpmTally right, wrong;
  dpm_tally_init(&right);
  dpm_tally_init(&wrong);
  gboolean ok = dpm_tally_decode(&right, decoder, frame, 0, payload, &error) &&
                dpm_tally_decode(&wrong, decoder, frame, 0, other, &error);
  g_assert_no_error(error);
  g_assert_true(ok);
  g_assert_cmpuint(right.read, ==, 1);
  g_assert_cmpuint(right.misread, ==, 0);
  g_assert_cmpuint(wrong.read, ==, 0);
  g_assert_cmpuint(wrong.misread, ==, 1);
  g_assert_nonnull(strstr(wrong.bad->pdata[0], c->shown));
  g_assert_nonnull(strstr(wrong.bad->pdata[0], other->name));
  dpm_tally_clear(&right);
  dpm_tally_clear(&wrong);
  image_fixture_tmpdir_free(g_steal_pointer(&dir));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/image/dpm/matrix", test_matrix);
  g_test_add_func("/image/dpm/deterministic", test_deterministic);
  g_test_add_func("/image/dpm/small-symbols-confirmed", test_small_symbols_confirmed);
  g_test_add_func("/image/dpm/camera-stages", test_camera_stages);
  static const ScoringCase uii = {&dpm_payloads[2], "06\\03525S0CVA5GL123456"};
  static const ScoringCase gs1 = {&dpm_payloads[4], "0109506000134352"};
  g_test_add_data_func("/image/dpm/scoring/uii", &uii, test_scoring);
  g_test_add_data_func("/image/dpm/scoring/gs1", &gs1, test_scoring);
  for (guint k = 0; k < dpm_n_kinds; k++) {
    g_autofree char *path = g_strdup_printf("/image/dpm/%s", dpm_kinds[k].name);
    g_test_add_data_func(path, &dpm_kinds[k], test_kind);
  }
  return g_test_run();
}
