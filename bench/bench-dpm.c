/*
 * bench-dpm.c: read rates and decode times on the direct-part-mark set (issue 13):
 * Data Matrix marks as they look on metal (tests/decode/dpm/README.md), per kind, with
 * and without the decoder's own preprocessing.
 *
 * Shape, and why:
 *  - The frames are those of the test (tests/decode/test-dpm.c), the same seeds, more of
 *    them (--images, 40 a kind by default): a rate over 40 says more than one over 10.
 *  - Each frame is decoded once per decoder, in memory, timed around
 *    muster_decoder_decode() alone; the median per kind is what a camera pays per frame
 *    holding such a mark.
 *  - "With preprocessing" is the decoder as the appliance runs it (scaled retries,
 *    inversion, quiet zone); "without" turns that off, to show what the preprocessing
 *    earns. A decoder that cannot turn it off measures "without" not at all: those
 *    figures say NOT MEASURED (no goal hangs on them).
 *  - Goals: each kind's rate at or above the set's threshold (dpm-set.c), and no misread
 *    anywhere. --save DIR writes every frame as PNG, to look at.
 */
#include "decode/decoder.h"
#include "dpm-set.h"
#include "harness.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

typedef struct {
  BenchHarness h;
  guint images;   /* per kind */
  guint budget;   /* the decoder's libdmtx budget, ms (0: its default) */
  char *save_dir; /* NULL: frames are not saved */
} Bench;

/* Prints and keeps key=value; with a kind, the key is dpm_<kind>_<key>. */
static void record(Bench *b, const DpmKind *kind, const char *key, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static void
record(Bench *b, const DpmKind *kind, const char *key, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *value = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_autofree char *full =
      kind != NULL ? g_strdup_printf("dpm_%s_%s", kind->name, key) : g_strdup_printf("dpm_%s", key);
  bench_record(&b->h, full, value);
}

static void
free_pixels(guchar *pixels, gpointer data)
{
  g_free(pixels);
}

/* Grey to RGB for gdk-pixbuf, which has no grey format. */
static gboolean
save_frame(const Bench *b, const MusterGreyImage *image, const char *kind, guint index,
           const DpmPayload *payload, GError **error)
{
  gsize n = (gsize)image->width * image->height;
  guint8 *rgb = g_malloc(3 * n);
  for (gsize i = 0; i < n; i++)
    rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = image->pixels[i];
  g_autoptr(GdkPixbuf) pixbuf =
      gdk_pixbuf_new_from_data(rgb, GDK_COLORSPACE_RGB, FALSE, 8, (int)image->width,
                               (int)image->height, (int)image->width * 3, free_pixels, NULL);
  g_autofree char *name = g_strdup_printf("%s-%02u-%s.png", kind, index, payload->name);
  g_autofree char *path = g_build_filename(b->save_dir, name, NULL);
  if (!gdk_pixbuf_save(pixbuf, path, "png", error, NULL)) {
    g_prefix_error(error, "saving a frame to %s (--save): ", path);
    return FALSE;
  }
  return TRUE;
}

static void
report_kind(Bench *b, const DpmKind *kind, const DpmTally *with, const DpmTally *without)
{
  double rate = 100.0 * with->read / MAX(with->images, 1);
  record(b, kind, "read", "%u/%u (%.0f%%) threshold=%u%%", with->read, with->images, rate,
         kind->min_percent);
  if (without != NULL)
    record(b, kind, "read_without_preprocessing", "%u/%u (%.0f%%)", without->read, without->images,
           100.0 * without->read / MAX(without->images, 1));
  else
    record(b, kind, "read_without_preprocessing",
           "NOT MEASURED (no muster_decoder_set_preprocess)");
  record(b, kind, "median_ms", "%.1f", bench_percentile(with->ms, 0.5));
  record(b, kind, "misreads", "%u", with->misread + (without != NULL ? without->misread : 0));
  for (guint i = 0; i < with->bad->len; i++)
    g_printerr("muster-bench-dpm: %s: misread %s\n", kind->name, (char *)with->bad->pdata[i]);
  g_autofree char *goal = g_strdup_printf("dpm_%s", kind->name);
  bench_goal(goal, with->images > 0 ? rate : NAN, rate >= kind->min_percent);
}

static gboolean
bench_kind(Bench *b, const DpmSet *set, const DpmKind *kind, MusterDecoder *decoder,
           MusterDecoder *raw, guint *misreads, GError **error)
{
  DpmTally with, without;
  dpm_tally_init(&with);
  dpm_tally_init(&without);
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < b->images; i++) {
    const DpmPayload *payload = NULL;
    g_autoptr(MusterGreyImage) image = dpm_set_image(set, kind, i, &payload);
    ok = (b->save_dir == NULL || save_frame(b, image, kind->name, i, payload, error)) &&
         dpm_tally_decode(&with, decoder, image, i, payload, error) &&
         (raw == NULL || dpm_tally_decode(&without, raw, image, i, payload, error));
  }
  if (ok) {
    report_kind(b, kind, &with, raw != NULL ? &without : NULL);
    *misreads += with.misread + without.misread;
  }
  dpm_tally_clear(&with);
  dpm_tally_clear(&without);
  return ok;
}

static gboolean
run(gpointer data, GError **error)
{
  Bench *b = data;
  g_autoptr(DpmSet) set = dpm_set_new(error);
  if (set == NULL)
    return FALSE;
  if (b->save_dir != NULL && g_mkdir_with_parents(b->save_dir, 0755) != 0)
    return bench_errno_fail(error, b->save_dir);
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(b->budget);
  /* As `muster decode` reads a photograph: every stage of libdmtx's fallback a frame (a
   * camera runs one a frame, so one frame says little of what a camera reads). */
  muster_decoder_set_thorough(decoder, TRUE);
  g_autoptr(MusterDecoder) raw = dpm_decoder_without_preprocessing(b->budget);
  record(b, NULL, "images_per_kind", "%u", b->images);
  record(b, NULL, "dmtx_budget_ms", "%u",
         b->budget != 0 ? b->budget : MUSTER_DECODER_DEFAULT_DMTX_BUDGET_MS);
  guint misreads = 0;
  for (guint k = 0; k < dpm_n_kinds; k++) {
    g_printerr("== dpm: %s, %u frames\n", dpm_kinds[k].name, b->images);
    if (!bench_kind(b, set, &dpm_kinds[k], decoder, raw, &misreads, error))
      return FALSE;
  }
  bench_goal("dpm_no_misreads", misreads, misreads == 0);
  bench_print_result(TRUE, "dpm");
  return TRUE;
}

int
main(int argc, char **argv)
{
  char *dir = NULL, *save = NULL;
  int images = 40, budget = 0;
  gboolean keep = FALSE, quick = FALSE;
  const GOptionEntry entries[] = {
      {"images", 0, 0, G_OPTION_ARG_INT, &images, "Frames per kind of mark (default 40)", "N"},
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "10 frames a kind (bench/run.sh --quick)", NULL},
      {"budget", 0, 0, G_OPTION_ARG_INT, &budget,
       "The decoder's Data Matrix search budget per frame, ms (default: the decoder's)", "MS"},
      {"save", 0, 0, G_OPTION_ARG_FILENAME, &save, "Write every frame as PNG into DIR", "DIR"},
      {"dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Parent of the temp folder (default $TMPDIR)",
       "DIR"},
      {"keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temp folder", NULL},
      {NULL}};
  if (!bench_parse_options("dpm", "- read rates on direct part marks (Data Matrix on metal)",
                           entries, &argc, &argv))
    return 2;
  if (images < 1 || budget < 0) {
    g_printerr("muster-bench-dpm: --images must be at least 1 and --budget not negative\n");
    return 2;
  }
  if (quick)
    images = MIN(images, 10);
  Bench b = {.images = (guint)images, .budget = (guint)budget, .save_dir = save};
  int status = bench_harness_main(&b.h, "dpm", dir, keep, run, &b);
  g_free(save);
  g_free(dir);
  return status;
}
