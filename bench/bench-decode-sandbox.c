/*
 * bench-decode-sandbox.c: what decoding in the sandboxed helper (decode/decode-sandbox.c)
 * costs beside decoding in-process, and the camera reader's decoded frames per second
 * with and without it (issue 13); a part of `bench/run.sh decode`.
 *
 * Shape, and why:
 *  - Frames: 640×480 grey scenes (tests/decode/image-fixture.c) with a zint-rendered
 *    MIL-STD-130 Data Matrix, a GS1 Data Matrix, a QR code, a Code 128, and none: what a
 *    kiosk camera sees, with the camera reader's libdmtx budget.
 *  - Per frame: in-process, then through the helper by memfd, then by socket, the same
 *    frame one after the other, repeated; median and p99 of each. The decoders' time
 *    varies by more than the isolation costs, so the cost is also measured alone: a
 *    blank 640×480 frame (the shortest decode) in-process and through the helper; the
 *    difference of the medians is the round trip (copy, wake-ups, reply).
 *  - Camera: a MusterCameraReader on a frame source delivering the Data Matrix frame at
 *    30 frames a second for 10 s (--quick 4 s), frames decoded (the rest skipped) per
 *    second, sandboxed and not. That figure is the "camera frames decoded per
 *    second" (goal ≥ 25 on 2 cores).
 *  - The fuzz corpora of the decoder (tests/fuzz/corpus/image-decode and zxing-shim,
 *    each file a frame as fuzz-image-decode.c reads it: first byte the width), through
 *    the helper: how many crashed it or hung (goal: none), and the slowest.
 * The helper is $MUSTER_DECODE_HELPER, else the build tree's (MUSTER_BENCH_DECODE_HELPER).
 */
#include "core/muster-error.h"
#include "decode/decode-sandbox.h"
#include "drivers/camera/camera-reader.h"
#include "harness.h"
#include "image-fixture.h"

#include <stdio.h>
#include <string.h>

#define CAMERA_PERIOD_MS 33

typedef struct {
  BenchHarness h;
  GPtrArray *frames; /* MusterGreyImage*, 640×480 */
  guint repeats;
  guint camera_seconds;
} Bench;

static void
record(Bench *b, const char *key, double value)
{
  g_autofree char *text = g_strdup_printf("%.2f", value);
  bench_record(&b->h, key, text);
}

/* ---- frames -------------------------------------------------------------------- */

/* zint's mode is "--esc" (escapes in data) or "--gs1" (data as [AI]value...). */
static void
add_frame(Bench *b, const char *dir, const char *name, const char *symbology, const char *mode,
          const char *data)
{
  g_autofree char *barcode = g_strconcat("--barcode=", symbology, NULL);
  g_autofree char *d = g_strconcat("--data=", data, NULL);
  g_autoptr(MusterGreyImage) mark =
      name != NULL ? image_fixture_zint(dir, name, barcode, mode, d, "--scale=4", NULL) : NULL;
  g_ptr_array_add(b->frames, image_fixture_frame(640, 480, mark, 200, 120, b->frames->len + 1));
}

static void
make_frames(Bench *b)
{
  g_autofree char *dir = image_fixture_tmpdir_new();
  add_frame(b, dir, "iuid", "DATAMATRIX", "--esc",
            "[)>\\R06\\G17V1A2B3\\G1PAK47\\GSGL-123456\\R\\E");
  add_frame(b, dir, "gs1dm", "DATAMATRIX", "--gs1", "[01]09506000134352[21]ABC123");
  add_frame(b, dir, "qr", "QRCODE", "--esc", "MFR:GL;SN:GL-123456");
  add_frame(b, dir, "c128", "CODE128", "--esc", "HA112-X/9");
  add_frame(b, dir, NULL, NULL, NULL, NULL);
  image_fixture_tmpdir_free(g_steal_pointer(&dir));
}

/* ---- per frame ------------------------------------------------------------------ */

typedef struct {
  const char *name;
  MusterDecoder *decoder;       /* in-process, or */
  MusterDecodeSandbox *sandbox; /* through the helper */
  GArray *ms;                   /* each decode's time */
  guint symbols;
} Way;

static gboolean
decode_once(Way *way, const MusterGreyImage *frame, GError **error)
{
  gint64 t0 = g_get_monotonic_time();
  g_autoptr(GPtrArray) symbols = way->sandbox != NULL
                                     ? muster_decode_sandbox_decode(way->sandbox, frame, error)
                                     : muster_decoder_decode(way->decoder, frame, error);
  double ms = (g_get_monotonic_time() - t0) / 1000.0;
  if (symbols == NULL)
    return FALSE;
  g_array_append_val(way->ms, ms);
  way->symbols += symbols->len;
  return TRUE;
}

static void
ways_init(Way ways[3], guint budget_ms)
{
  MusterDecodeSandboxOptions options;
  muster_decode_sandbox_options_init(&options);
  options.dmtx_budget_ms = budget_ms;
  ways[0] = (Way){"inprocess", muster_decoder_new(budget_ms), NULL, NULL, 0};
  options.transport = MUSTER_DECODE_SANDBOX_MEMFD;
  ways[1] = (Way){"memfd", NULL, muster_decode_sandbox_new(&options), NULL, 0};
  options.transport = MUSTER_DECODE_SANDBOX_SOCKET;
  ways[2] = (Way){"socket", NULL, muster_decode_sandbox_new(&options), NULL, 0};
  for (guint i = 0; i < 3; i++)
    ways[i].ms = g_array_new(FALSE, FALSE, sizeof(double));
}

static void
ways_clear(Way ways[3])
{
  for (guint i = 0; i < 3; i++) {
    muster_decoder_free(ways[i].decoder);
    muster_decode_sandbox_free(ways[i].sandbox);
    g_array_unref(ways[i].ms);
  }
}

/* Each frame each way, repeats times, after one untimed round (helpers started). */
static gboolean
time_ways(Bench *b, Way ways[3], GPtrArray *frames, GError **error)
{
  for (guint r = 0; r <= b->repeats; r++)
    for (guint f = 0; f < frames->len; f++)
      for (guint w = 0; w < 3; w++) {
        if (!decode_once(&ways[w], frames->pdata[f], error))
          return FALSE;
        if (r == 0) /* the warm-up round is not counted */
          g_array_set_size(ways[w].ms, ways[w].ms->len - 1);
      }
  return TRUE;
}

static gboolean
bench_frames(Bench *b, GError **error)
{
  Way ways[3];
  ways_init(ways, MUSTER_DECODER_CAMERA_DMTX_BUDGET_MS);
  gboolean ok = time_ways(b, ways, b->frames, error);
  for (guint w = 0; ok && w < 3; w++) {
    g_autofree char *median = g_strdup_printf("frame_%s_median_ms", ways[w].name);
    g_autofree char *p99 = g_strdup_printf("frame_%s_p99_ms", ways[w].name);
    record(b, median, bench_percentile(ways[w].ms, 0.5));
    record(b, p99, bench_percentile(ways[w].ms, 0.99));
    ok = ways[w].symbols == ways[0].symbols; /* the same symbols every way */
    if (!ok)
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED, "%s found %u symbols, in-process %u",
                  ways[w].name, ways[w].symbols, ways[0].symbols);
  }
  ways_clear(ways);
  return ok;
}

/* Starting a helper (a restart after a crash costs as much): the first frame through a
 * new sandbox, less the in-process decode, median of 5. */
static gboolean
bench_helper_start(Bench *b, const MusterGreyImage *blank, double decode_ms, GError **error)
{
  g_autoptr(GArray) ms = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < 5; i++) {
    MusterDecodeSandboxOptions options;
    muster_decode_sandbox_options_init(&options);
    options.dmtx_budget_ms = 1;
    g_autoptr(MusterDecodeSandbox) sandbox = muster_decode_sandbox_new(&options);
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(GPtrArray) symbols = muster_decode_sandbox_decode(sandbox, blank, error);
    if (symbols == NULL)
      return FALSE;
    double start_ms = (g_get_monotonic_time() - t0) / 1000.0 - decode_ms;
    g_array_append_val(ms, start_ms);
  }
  record(b, "helper_start_ms", bench_percentile(ms, 0.5));
  return TRUE;
}

/* The round trip alone: the shortest decode there is (a blank 640×480 frame, where zbar
 * and libdmtx find no edge at once), 200 times each way. */
static gboolean
bench_round_trip(Bench *b, GError **error)
{
  Way ways[3];
  ways_init(ways, 1);
  g_autoptr(MusterGreyImage) blank = muster_grey_image_new(640, 480);
  g_autoptr(GPtrArray) blanks = g_ptr_array_new();
  for (guint i = 0; i < 200; i++)
    g_ptr_array_add(blanks, blank);
  guint repeats = b->repeats;
  b->repeats = 1;
  gboolean ok = time_ways(b, ways, blanks, error);
  b->repeats = repeats;
  /* The medians, and the fastest percent: the cost without the scheduler's noise. */
  double base = bench_percentile(ways[0].ms, 0.5), base_p1 = bench_percentile(ways[0].ms, 0.01);
  record(b, "blank_frame_inprocess_median_ms", base);
  for (guint w = 1; ok && w < 3; w++) {
    g_autofree char *key = g_strdup_printf("round_trip_%s_ms", ways[w].name);
    g_autofree char *key_p1 = g_strdup_printf("round_trip_%s_p1_ms", ways[w].name);
    record(b, key, bench_percentile(ways[w].ms, 0.5) - base);
    record(b, key_p1, bench_percentile(ways[w].ms, 0.01) - base_p1);
  }
  ways_clear(ways);
  return ok && bench_helper_start(b, blank, base, error);
}

/* ---- the camera reader ---------------------------------------------------------- */

typedef struct {
  MusterFrameSource parent;
  const MusterGreyImage *frame;
  gint64 next_us;
  gint interrupted; /* atomic */
} PacedSource;

static gboolean
paced_open(MusterFrameSource *base, GError **error)
{
  g_atomic_int_set(&((PacedSource *)base)->interrupted, 0);
  return TRUE;
}

/* The frame every CAMERA_PERIOD_MS, as a camera delivers it whatever the reader does. */
static MusterGreyImage *
paced_next_frame(MusterFrameSource *base, guint timeout_ms, GError **error)
{
  PacedSource *self = (PacedSource *)base;
  gint64 now = g_get_monotonic_time();
  if (self->next_us == 0)
    self->next_us = now;
  if (self->next_us > now)
    g_usleep((gulong)(self->next_us - now));
  self->next_us += CAMERA_PERIOD_MS * 1000;
  if (g_atomic_int_get(&self->interrupted))
    return NULL;
  return muster_grey_image_copy(self->frame);
}

static void
paced_nothing(MusterFrameSource *base)
{
}

static void
paced_interrupt(MusterFrameSource *base)
{
  g_atomic_int_set(&((PacedSource *)base)->interrupted, 1);
}

static const MusterFrameSourceFuncs paced_funcs = {
    .open = paced_open,
    .next_frame = paced_next_frame,
    .close = paced_nothing,
    .interrupt = paced_interrupt,
    .free = (void (*)(MusterFrameSource *))g_free,
};

static gboolean
bench_camera(Bench *b, gboolean sandboxed, GError **error)
{
  PacedSource *source = g_new0(PacedSource, 1);
  source->parent.funcs = &paced_funcs;
  source->frame = b->frames->pdata[0]; /* the MIL-STD-130 Data Matrix */
  g_autoptr(MusterCameraReader) reader =
      muster_camera_reader_new_with_source("camera:bench", &source->parent);
  MusterCameraReaderSettings settings;
  muster_camera_reader_get_settings(reader, &settings);
  settings.decode_sandbox = sandboxed;
  muster_camera_reader_set_settings(reader, &settings);
  if (!muster_reader_start(MUSTER_READER(reader), error))
    return FALSE;
  g_usleep(G_USEC_PER_SEC); /* the helper up, the first frames by */
  guint frames0 = muster_camera_reader_get_n_frames(reader);
  guint skipped0 = muster_camera_reader_get_n_skipped(reader);
  gint64 t0 = g_get_monotonic_time();
  while (g_get_monotonic_time() - t0 < (gint64)b->camera_seconds * G_USEC_PER_SEC) {
    g_main_context_iteration(NULL, FALSE);
    g_usleep(10000);
  }
  double seconds = bench_seconds_since(t0);
  guint decoded = muster_camera_reader_get_n_frames(reader) - frames0;
  guint skipped = muster_camera_reader_get_n_skipped(reader) - skipped0;
  muster_reader_stop(MUSTER_READER(reader));
  const char *way = sandboxed ? "sandbox" : "inprocess";
  g_autofree char *fps = g_strdup_printf("camera_%s_decoded_per_s", way);
  g_autofree char *sps = g_strdup_printf("camera_%s_skipped_per_s", way);
  record(b, fps, decoded / seconds);
  record(b, sps, skipped / seconds);
  return TRUE;
}

/* ---- the fuzz corpora ------------------------------------------------------------ */

/* A corpus file as fuzz-image-decode.c reads it; NULL when it makes no image. */
static MusterGreyImage *
corpus_frame(const char *path)
{
  g_autofree guint8 *data = NULL;
  gsize size = 0;
  if (!g_file_get_contents(path, (char **)&data, &size, NULL) || size < 2)
    return NULL;
  guint width = (guint)data[0] + 1, height = (guint)((size - 1) / width);
  return height > 0 ? muster_grey_image_new_from_data(data + 1, width, height, width) : NULL;
}

/* Every file of the decoder's fuzz corpora through the helper, as the camera would
 * decode it: a crash or a hang is counted (and costs that frame only). */
static gboolean
bench_fuzz_corpus(Bench *b, GError **error)
{
  MusterDecodeSandboxOptions options;
  muster_decode_sandbox_options_init(&options);
  options.dmtx_budget_ms = MUSTER_DECODER_CAMERA_DMTX_BUDGET_MS;
  options.max_failures = G_MAXUINT; /* count them all, never give up */
  g_autoptr(MusterDecodeSandbox) sandbox = muster_decode_sandbox_new(&options);
  guint files = 0, crashed = 0, hung = 0;
  double slowest = 0;
  const char *const corpora[] = {"image-decode", "zxing-shim"};
  for (guint c = 0; c < G_N_ELEMENTS(corpora); c++) {
    g_autofree char *dir_path = g_build_filename(MUSTER_BENCH_FUZZ_CORPUS, corpora[c], NULL);
    g_autoptr(GDir) dir = g_dir_open(dir_path, 0, error);
    if (dir == NULL)
      return FALSE;
    for (const char *name; (name = g_dir_read_name(dir)) != NULL;) {
      g_autofree char *path = g_build_filename(dir_path, name, NULL);
      g_autoptr(MusterGreyImage) frame = corpus_frame(path);
      if (frame == NULL)
        continue;
      files++;
      g_autoptr(GError) failure = NULL;
      gint64 t0 = g_get_monotonic_time();
      g_autoptr(GPtrArray) symbols = muster_decode_sandbox_decode(sandbox, frame, &failure);
      slowest = MAX(slowest, (g_get_monotonic_time() - t0) / 1000.0);
      if (symbols == NULL && g_error_matches(failure, MUSTER_DECODE_SANDBOX_ERROR,
                                             MUSTER_DECODE_SANDBOX_ERROR_TIMEOUT))
        hung++;
      else if (symbols == NULL && failure->domain == MUSTER_DECODE_SANDBOX_ERROR)
        crashed++;
    }
  }
  const struct {
    const char *key;
    guint n;
  } counts[] = {{"fuzz_corpus_files", files},
                {"fuzz_corpus_crashed", crashed},
                {"fuzz_corpus_hung", hung}};
  for (guint i = 0; i < G_N_ELEMENTS(counts); i++) {
    g_autofree char *n = g_strdup_printf("%u", counts[i].n);
    bench_record(&b->h, counts[i].key, n);
  }
  record(b, "fuzz_corpus_slowest_ms", slowest);
  bench_goal("fuzz_corpus_no_crash_or_hang", files > 0 ? (double)(crashed + hung) : NAN,
             files > 0 && crashed + hung == 0);
  return TRUE;
}

static gboolean
run(gpointer data, GError **error)
{
  Bench *b = data;
  make_frames(b);
  bench_record(&b->h, "frames", "640x480 iuid-dm gs1-dm qr code128 none");
  if (!bench_frames(b, error) || !bench_round_trip(b, error) || !bench_camera(b, FALSE, error) ||
      !bench_camera(b, TRUE, error) || !bench_fuzz_corpus(b, error))
    return FALSE;
  double fps = bench_result(&b->h, "camera_sandbox_decoded_per_s");
  bench_goal("camera_frames_per_s", fps, fps >= 25);
  bench_print_result(TRUE, "decode-sandbox");
  return TRUE;
}

int
main(int argc, char **argv)
{
  char *dir = NULL;
  gboolean quick = FALSE, keep = FALSE;
  const GOptionEntry entries[] = {
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick,
       "Each frame 2 times instead of 5, the camera 4 s instead of 10", NULL},
      {"dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Parent of the temp folder (default $TMPDIR)",
       "DIR"},
      {"keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temp folder", NULL},
      {NULL}};
  if (!bench_parse_options("decode-sandbox", "- the decoder helper's cost, camera frame rate",
                           entries, &argc, &argv))
    return 2;
  if (g_getenv("MUSTER_DECODE_HELPER") == NULL)
    g_setenv("MUSTER_DECODE_HELPER", MUSTER_BENCH_DECODE_HELPER, TRUE);
  Bench b = {.repeats = quick ? 2 : 5, .camera_seconds = quick ? 4 : 10};
  b.frames = g_ptr_array_new_with_free_func((GDestroyNotify)muster_grey_image_free);
  int status = bench_harness_main(&b.h, "decode-sandbox", dir, keep, run, &b);
  g_ptr_array_unref(b.frames);
  g_free(dir);
  return status;
}
