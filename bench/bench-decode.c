/*
 * bench-decode.c: decoding barcodes and Data Matrix marks in 640×480 frames: ours, and
 * beside it on the same frames in the same run zxing-cpp alone, zbar alone and
 * `zbarimg --nodbus`; and the decode rate on ZXing's black-box images (issues 3 and 13).
 * See bench/README.md.
 *
 * Shape, and why:
 *  - Frames are made here, as a camera at a kiosk would see marks: zint renders each
 *    mark (Code 128, Code 39, EAN-13, QR, a MIL-STD-130 Data Matrix, a GS1 Data Matrix,
 *    one light-on-dark), pasted into a 640×480 grey scene with uneven light and noise,
 *    plus frames with nothing in them. They are saved as PNG so zbarimg reads exactly
 *    the pixels the engine decodes.
 *  - The engine's figure ("ours") is muster_decoder_decode() on the frame in memory, as
 *    the camera reader decodes each frame (default settings), each frame several times;
 *    median and p99 over all. zxing-cpp alone is the same decoder with only zxing-cpp
 *    and none of our passes: the shim's two calls (matrix, linear) on the frame as it
 *    is. zbar alone likewise: one zbar scan, every symbology zbar has. libdmtx is no
 *    longer built (decode/README.md), so "zbar + libdmtx as before" is not measured.
 *  - zbarimg runs once per frame (process start and PNG decoding included: that is what
 *    the tool costs a user) and once over all frames (divided by their number: close to
 *    its pure decode time). zbarimg reads no Data Matrix; its rate is reported for the
 *    frames it can read.
 *  - Decode rate: every image of each set of $MUSTER_ZXING_BLACKBOX (default
 *    ../shared/data/zxing-blackbox beside the source tree), default decoder settings,
 *    against ZXing's thresholds (tests/decode/zxing-blackbox.c, shared with the test); misreads and
 *    false positives counted separately. Absent images (or a set without any) are no
 *    rate at all: each set's goal is then NOT MEASURED, a failure, never "ok". The goal
 *    is ours as `muster decode` reads a photograph (the thorough search); beside it,
 *    reported only: ours as the camera reads a frame, zxing-cpp alone, zbar alone.
 */
#include "decode/decoder.h"
#include "decode/image-file.h"
#include "harness.h"
#include "zxing-blackbox.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define FRAME_W 640
#define FRAME_H 480

typedef struct {
  const char *name;
  const char *zint_args; /* space-separated, no quoting needed */
  const char *expected;  /* decoded text */
  gboolean light_on_dark;
  gboolean zbar_reads; /* zbarimg can read it (not Data Matrix) */
} Mark;

static const Mark marks[] = {
    {"code128", "--barcode=CODE128 --data=HA112-X/9 --scale=1.5", "HA112-X/9", FALSE, TRUE},
    {"code39", "--barcode=CODE39 --data=SN12345 --scale=1.5", "SN12345", FALSE, TRUE},
    {"ean13", "--barcode=EANX --data=590123412345 --scale=2", "5901234123457", FALSE, TRUE},
    {"qrcode", "--barcode=QRCODE --data=MFR:GL;SN:GL-123456 --scale=4", "MFR:GL;SN:GL-123456",
     FALSE, TRUE},
    {"iuid",
     "--barcode=DATAMATRIX --esc --data=[)>\\R06\\G17V1A2B3\\G1PAK47\\GSGL-123456\\R\\E --scale=5",
     "[)>\x1e"
     "06\x1d"
     "17V1A2B3\x1d"
     "1PAK47\x1dSGL-123456\x1e\x04",
     FALSE, FALSE},
    {"gs1dm", "--barcode=DATAMATRIX --gs1 --data=[01]09506000134352[21]ABC123 --scale=5",
     "0109506000134352"
     "21ABC123",
     FALSE, FALSE},
    {"qr-light", "--barcode=QRCODE --data=GL-77 --scale=5", "GL-77", TRUE, TRUE},
    {"empty", NULL, NULL, FALSE, FALSE},
};

typedef struct {
  BenchHarness h;
  GPtrArray *frames;   /* path of each frame's PNG */
  GPtrArray *expected; /* its mark (const Mark*) */
  char *blackbox;
  guint repeats; /* decodes of each frame: 5, --quick 2 */
} Bench;

static void record(Bench *b, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void
record(Bench *b, const char *key, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *value = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  bench_record(&b->h, key, value);
}

/* ---- frames -------------------------------------------------------------------- */

static gboolean
run_zint(const char *out, const Mark *mark, GError **error)
{
  g_auto(GStrv) args = g_strsplit(mark->zint_args, " ", -1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, "zint");
  g_autofree char *o = g_strconcat("--output=", out, NULL);
  g_ptr_array_add(argv, o);
  g_ptr_array_add(argv, "--quietzones");
  for (char **a = args; *a != NULL; a++)
    g_ptr_array_add(argv, *a);
  g_ptr_array_add(argv, NULL);
  int status = 0;
  g_autofree char *err = NULL;
  if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                    &status, error) ||
      !g_spawn_check_wait_status(status, error)) {
    g_prefix_error(error, "zint (install the zint package) for %s: ", mark->name);
    return FALSE;
  }
  return TRUE;
}

static void
scene(MusterGreyImage *frame, GRand *rand)
{
  for (guint y = 0; y < frame->height; y++)
    for (guint x = 0; x < frame->width; x++) {
      double v = 90 + 70.0 * x / frame->width + 40.0 * y / frame->height;
      double u1 = g_rand_double_range(rand, 1e-12, 1.0), u2 = g_rand_double(rand);
      v += 8 * sqrt(-2 * log(u1)) * cos(2 * G_PI * u2);
      frame->pixels[(gsize)y * frame->width + x] = (guint8)CLAMP(v, 0, 255);
    }
}

static void
paste(MusterGreyImage *frame, const MusterGreyImage *mark, guint x0, guint y0, gboolean invert)
{
  for (guint y = 0; y < mark->height && y0 + y < frame->height; y++)
    for (guint x = 0; x < mark->width && x0 + x < frame->width; x++) {
      guint8 v = mark->pixels[(gsize)y * mark->width + x];
      frame->pixels[(gsize)(y0 + y) * frame->width + x0 + x] = invert ? 255 - v : v;
    }
}

static gboolean
save_png(const MusterGreyImage *grey, const char *path, GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf =
      gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, (int)grey->width, (int)grey->height);
  guint8 *p = gdk_pixbuf_get_pixels(pixbuf);
  int stride = gdk_pixbuf_get_rowstride(pixbuf);
  for (guint y = 0; y < grey->height; y++)
    for (guint x = 0; x < grey->width; x++)
      memset(p + (gsize)y * stride + 3 * x, grey->pixels[(gsize)y * grey->width + x], 3);
  return gdk_pixbuf_save(pixbuf, path, "png", error, NULL);
}

/* Four frames of each mark, at different places in different scenes. */
static gboolean
make_frames(Bench *b, GError **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed(42);
  for (guint m = 0; m < G_N_ELEMENTS(marks); m++) {
    g_autoptr(MusterGreyImage) mark = NULL;
    if (marks[m].zint_args != NULL) {
      g_autofree char *name = g_strconcat(marks[m].name, "-mark.png", NULL);
      const char *path = bench_harness_path(&b->h, name);
      if (!run_zint(path, &marks[m], error) || (mark = muster_image_file_load(path, error)) == NULL)
        return FALSE;
    }
    for (guint k = 0; k < 4; k++) {
      g_autoptr(MusterGreyImage) frame = muster_grey_image_new(FRAME_W, FRAME_H);
      scene(frame, rand);
      if (mark != NULL) {
        guint x = g_rand_int_range(rand, 0, (gint32)MAX(FRAME_W - (int)mark->width, 1));
        guint y = g_rand_int_range(rand, 0, (gint32)MAX(FRAME_H - (int)mark->height, 1));
        paste(frame, mark, x, y, marks[m].light_on_dark);
      }
      g_autofree char *name = g_strdup_printf("frame-%s-%u.png", marks[m].name, k);
      const char *path = bench_harness_path(&b->h, name);
      if (!save_png(frame, path, error))
        return FALSE;
      g_ptr_array_add(b->frames, (gpointer)path);
      g_ptr_array_add(b->expected, (gpointer)&marks[m]);
    }
  }
  return TRUE;
}

/* ---- timing -------------------------------------------------------------------- */

static gboolean
found(GPtrArray *symbols, const Mark *mark)
{
  for (guint i = 0; i < symbols->len; i++)
    if (mark->expected != NULL &&
        g_str_equal(((const MusterSymbol *)symbols->pdata[i])->text, mark->expected))
      return TRUE;
  return FALSE;
}

/* The decoders compared on the frames: ours as the camera runs it, and each library
 * alone (no passes of ours). */
typedef struct {
  const char *key; /* the figures' prefix */
  MusterDecoderLibraries libraries;
  gboolean preprocess;
} Decoder;

static const Decoder decoders[] = {
    {"engine", MUSTER_DECODER_DEFAULT_LIBRARIES, TRUE},
    {"zxing", MUSTER_DECODER_ZXING, FALSE},
    {"zbar", MUSTER_DECODER_ZBAR, FALSE},
};

static MusterDecoder *
decoder_new(const Decoder *d)
{
  MusterDecoder *decoder = muster_decoder_new(MUSTER_DECODER_CAMERA_DMTX_BUDGET_MS);
  muster_decoder_set_libraries(decoder, d->libraries);
  muster_decoder_set_preprocess(decoder, d->preprocess);
  return decoder;
}

/* Each frame decoded b->repeats times by d; the times, and what the first run read. */
typedef struct {
  GArray *all, *with_dm, *empty; /* ms */
  guint read, wrong;
} Timing;

static gboolean
time_frame(Bench *b, MusterDecoder *decoder, const MusterGreyImage *frame, const Mark *mark,
           Timing *t, GError **error)
{
  for (guint r = 0; r < b->repeats; r++) {
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(GPtrArray) symbols = muster_decoder_decode(decoder, frame, error);
    double ms = (g_get_monotonic_time() - t0) / 1000.0;
    if (symbols == NULL)
      return FALSE;
    g_array_append_val(t->all, ms);
    if (!mark->zbar_reads && mark->expected != NULL)
      g_array_append_val(t->with_dm, ms);
    if (mark->expected == NULL)
      g_array_append_val(t->empty, ms);
    if (r == 0) {
      t->read += mark->expected != NULL && found(symbols, mark);
      t->wrong += mark->expected == NULL ? symbols->len : symbols->len - found(symbols, mark);
    }
  }
  return TRUE;
}

static gboolean
bench_decoder(Bench *b, const Decoder *d, GError **error)
{
  g_autoptr(MusterDecoder) decoder = decoder_new(d);
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(double));
  g_autoptr(GArray) with_dm = g_array_new(FALSE, FALSE, sizeof(double));
  g_autoptr(GArray) empty = g_array_new(FALSE, FALSE, sizeof(double));
  Timing t = {all, with_dm, empty, 0, 0};
  for (guint i = 0; i < b->frames->len; i++) {
    g_autoptr(MusterGreyImage) frame = muster_image_file_load(b->frames->pdata[i], error);
    if (frame == NULL || !time_frame(b, decoder, frame, b->expected->pdata[i], &t, error))
      return FALSE;
  }
  g_autofree char *k_read = g_strconcat(d->key, "_read", NULL);
  g_autofree char *k_wrong = g_strconcat(d->key, "_wrong", NULL);
  g_autofree char *k_median = g_strconcat(d->key, "_median_ms", NULL);
  g_autofree char *k_p99 = g_strconcat(d->key, "_p99_ms", NULL);
  g_autofree char *k_dm = g_strconcat(d->key, "_datamatrix_median_ms", NULL);
  g_autofree char *k_empty = g_strconcat(d->key, "_empty_median_ms", NULL);
  record(b, k_read, "%u/%u", t.read, b->frames->len - 4);
  record(b, k_wrong, "%u", t.wrong);
  record(b, k_median, "%.2f", bench_percentile(all, 0.5));
  record(b, k_p99, "%.2f", bench_percentile(all, 0.99));
  record(b, k_dm, "%.2f", bench_percentile(with_dm, 0.5));
  record(b, k_empty, "%.2f", bench_percentile(empty, 0.5));
  if (d == &decoders[0]) {
    /* The goals are ours: a wrong reading, and the time a camera frame takes. */
    double median = bench_percentile(all, 0.5), p99 = bench_percentile(all, 0.99);
    bench_goal("no_wrong_reads", t.wrong, t.wrong == 0);
    bench_goal("frame_median_10ms", median, median <= 10);
    bench_goal("frame_p99_30ms", p99, p99 <= 30);
  }
  return TRUE;
}

static gboolean
bench_engine(Bench *b, GError **error)
{
  record(b, "frames", "%u", b->frames->len);
  for (guint i = 0; i < G_N_ELEMENTS(decoders); i++)
    if (!bench_decoder(b, &decoders[i], error))
      return FALSE;
  return TRUE;
}

/* zbarimg on one or more frames; its output (one "TYPE:text" per symbol) in out. */
static gboolean
zbarimg(char **paths, guint n, char **out, GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, "zbarimg");
  g_ptr_array_add(argv, "--nodbus");
  g_ptr_array_add(argv, "-q");
  for (guint i = 0; i < n; i++)
    g_ptr_array_add(argv, paths[i]);
  g_ptr_array_add(argv, NULL);
  int status = 0;
  if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, out, NULL,
                    &status, error)) {
    g_prefix_error(error, "zbarimg (install zbar-tools): ");
    return FALSE;
  }
  return TRUE; /* exit 4 = nothing found: not an error */
}

static gboolean
bench_zbarimg(Bench *b, GError **error)
{
  g_autoptr(GArray) each = g_array_new(FALSE, FALSE, sizeof(double));
  guint read = 0, readable = 0;
  for (guint i = 0; i < b->frames->len; i++) {
    const Mark *mark = b->expected->pdata[i];
    g_autofree char *out = NULL;
    gint64 t0 = g_get_monotonic_time();
    if (!zbarimg((char **)&b->frames->pdata[i], 1, &out, error))
      return FALSE;
    double ms = (g_get_monotonic_time() - t0) / 1000.0;
    g_array_append_val(each, ms);
    if (mark->zbar_reads) {
      readable++;
      read += strstr(out, mark->expected) != NULL;
    }
  }
  g_autofree char *out = NULL;
  gint64 t0 = g_get_monotonic_time();
  if (!zbarimg((char **)b->frames->pdata, b->frames->len, &out, error))
    return FALSE;
  double batch = (g_get_monotonic_time() - t0) / 1000.0 / b->frames->len;
  record(b, "zbarimg_read", "%u/%u", read, readable);
  record(b, "zbarimg_process_median_ms", "%.2f", bench_percentile(each, 0.5));
  record(b, "zbarimg_process_p99_ms", "%.2f", bench_percentile(each, 0.99));
  record(b, "zbarimg_batch_per_frame_ms", "%.2f", batch);
  return TRUE;
}

/* ---- decode rate on ZXing's black-box images ----------------------------------- */

static gboolean
bench_set(Bench *b, MusterDecoder *decoder, const ZxingBlackboxSet *set, GError **error)
{
  ZxingBlackboxTally t = {0};
  if (!zxing_blackbox_run_set(decoder, b->blackbox, set, &t, NULL, NULL, error))
    return FALSE;
  g_autofree char *key = g_strdup_printf("rate_%s", set->set);
  g_autofree char *goal = g_strdup_printf("blackbox_%s", set->set);
  double mean_ms = t.decode_ms / MAX(t.images, 1);
  double figure; /* what the goal is about; an empty set measured nothing */
  gboolean met;
  if (set->symbology != NULL) {
    figure = t.images > 0 ? t.decoded : NAN;
    met = t.decoded >= set->must_decode && t.misread == 0;
    record(b, key, "%u/%u zxing_threshold=%u misreads=%u mean_ms=%.1f", t.decoded, t.images,
           set->must_decode, t.misread, mean_ms);
  } else {
    figure = t.images > 0 ? t.detections : NAN;
    met = t.detections <= set->max_detections;
    record(b, key, "%u/%u_with_detection limit=%u mean_ms=%.1f", t.detections, t.images,
           set->max_detections, mean_ms);
  }
  bench_goal(goal, figure, met);
  return TRUE;
}

/* Without the images every set's goal is NOT MEASURED: a failure, not a skip. */
static void
no_rates(Bench *b)
{
  for (guint i = 0; i < zxing_blackbox_n_sets; i++) {
    g_autofree char *goal = g_strdup_printf("blackbox_%s", zxing_blackbox_sets[i].set);
    bench_goal(goal, NAN, FALSE);
  }
  g_printerr("muster-bench-decode: %s is absent (set MUSTER_ZXING_BLACKBOX or --blackbox): "
             "the decode rates are NOT MEASURED\n",
             b->blackbox);
}

/* The same sets read by another decoder (ours without preprocessing, a library alone),
 * reported beside ours with no goal: rate_KEY_SET=decoded/images misreads=N. */
static gboolean
bench_set_beside(Bench *b, const char *key, MusterDecoder *decoder, const ZxingBlackboxSet *set,
                 GError **error)
{
  ZxingBlackboxTally t = {0};
  if (!zxing_blackbox_run_set(decoder, b->blackbox, set, &t, NULL, NULL, error))
    return FALSE;
  g_autofree char *k = g_strdup_printf("rate_%s_%s", key, set->set);
  double mean_ms = t.decode_ms / MAX(t.images, 1);
  if (set->symbology != NULL)
    record(b, k, "%u/%u misreads=%u mean_ms=%.1f", t.decoded, t.images, t.misread, mean_ms);
  else
    record(b, k, "%u/%u_with_detection mean_ms=%.1f", t.detections, t.images, mean_ms);
  return TRUE;
}

static gboolean
bench_rates(Bench *b, GError **error)
{
  record(b, "blackbox", "%s", b->blackbox);
  if (!g_file_test(b->blackbox, G_FILE_TEST_IS_DIR)) {
    no_rates(b);
    return TRUE;
  }
  /* Photographs: read as `muster decode` reads them (the thorough search). */
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(0);
  muster_decoder_set_thorough(decoder, TRUE);
  for (guint i = 0; i < zxing_blackbox_n_sets; i++)
    if (!bench_set(b, decoder, &zxing_blackbox_sets[i], error))
      return FALSE;
  /* Ours as the camera runs it, and each library alone (decoders[0..]). */
  for (guint d = 0; d < G_N_ELEMENTS(decoders); d++) {
    g_autoptr(MusterDecoder) alone = decoder_new(&decoders[d]);
    for (guint i = 0; i < zxing_blackbox_n_sets; i++)
      if (!bench_set_beside(b, decoders[d].key, alone, &zxing_blackbox_sets[i], error))
        return FALSE;
  }
  return TRUE;
}

static gboolean
run(gpointer data, GError **error)
{
  Bench *b = data;
  g_printerr("== decode: making %u frames\n", (guint)(G_N_ELEMENTS(marks) * 4));
  if (!make_frames(b, error))
    return FALSE;
  g_printerr("== decode: ours, zxing-cpp alone, zbar alone, %u runs per frame\n", b->repeats);
  if (!bench_engine(b, error))
    return FALSE;
  g_printerr("== decode: zbarimg on the same frames\n");
  if (!bench_zbarimg(b, error))
    return FALSE;
  g_printerr("== decode: rate on %s\n", b->blackbox);
  if (!bench_rates(b, error))
    return FALSE;
  bench_print_result(TRUE, "decode");
  return TRUE;
}

int
main(int argc, char **argv)
{
  char *dir = NULL, *blackbox = NULL;
  gboolean keep = FALSE, quick = FALSE;
  const GOptionEntry entries[] = {
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Decode each frame twice instead of 5 times",
       NULL},
      {"dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Parent of the temp folder (default $TMPDIR)",
       "DIR"},
      {"blackbox", 0, 0, G_OPTION_ARG_FILENAME, &blackbox,
       "ZXing's black-box images (default $MUSTER_ZXING_BLACKBOX, else "
       "../shared/data/zxing-blackbox)",
       "DIR"},
      {"keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temp folder (frames)", NULL},
      {NULL}};
  if (!bench_parse_options("decode", "- decode time and rate of barcodes and Data Matrix", entries,
                           &argc, &argv))
    return 2;
  Bench b = {.repeats = quick ? 2 : 5};
  b.frames = g_ptr_array_new();
  b.expected = g_ptr_array_new();
  if (blackbox != NULL)
    b.blackbox = blackbox;
  else if (g_getenv("MUSTER_ZXING_BLACKBOX") != NULL)
    b.blackbox = g_strdup(g_getenv("MUSTER_ZXING_BLACKBOX"));
  else
    b.blackbox = g_build_filename("..", "shared", "data", "zxing-blackbox", NULL);
  int status = bench_harness_main(&b.h, "decode", dir, keep, run, &b);
  g_ptr_array_unref(b.frames);
  g_ptr_array_unref(b.expected);
  g_free(b.blackbox);
  g_free(dir);
  return status;
}
