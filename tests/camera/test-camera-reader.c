/*
 * test-camera-reader.c: the camera reader's frame → decode → debounce → scan path, the
 * real zxing-cpp and libdmtx decoding zint-rendered marks in generated frames.
 *
 * There is no camera here (nor in CI) and no v4l2loopback module, so frames come from a
 * test MusterFrameSource: a queue the test fills with frames, failures ("unplugged") and
 * nothing at all (a stalled camera). What this does not exercise is zbar's V4L2 capture
 * itself (format negotiation, buffer mapping, conversion of YUYV/MJPEG to grey): the
 * production source is only run against paths that are not cameras, where it must fail
 * cleanly with a message naming the device.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "core/muster-error.h"
#include "drivers/camera/camera-reader.h"
#include "drivers/manager.h"
#include "image-fixture.h"
#include "marking/payload.h"

/* ---- A frame source fed by the test ---------------------------------------------- */

typedef enum { ITEM_FRAME, ITEM_UNPLUG, ITEM_WAKE } ItemKind;

typedef struct {
  ItemKind kind;
  MusterGreyImage *frame;
} Item;

typedef struct {
  MusterFrameSource parent;
  GAsyncQueue *items;    /* Item* */
  GMutex lock;           /* guards held and period_ms */
  MusterGreyImage *held; /* a frame delivered every period_ms while no item is queued */
  guint period_ms;
  gint delivered;     /* held frames delivered, atomic */
  gint open_failures; /* opens that fail before one succeeds */
  gint opens;         /* attempts, atomic */
  gint interrupted;   /* atomic */
  gint open;          /* atomic */
} TestSource;

static void
item_free(gpointer data)
{
  Item *item = data;
  muster_grey_image_free(item->frame);
  g_free(item);
}

static gboolean
test_open(MusterFrameSource *base, GError **error)
{
  TestSource *self = (TestSource *)base;
  g_atomic_int_inc(&self->opens);
  g_atomic_int_set(&self->interrupted, 0);
  if (g_atomic_int_add(&self->open_failures, -1) > 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "test camera cannot be opened");
    return FALSE;
  }
  g_atomic_int_set(&self->open, 1);
  return TRUE;
}

/* A copy of the held frame, and how long a camera takes to deliver it. */
static MusterGreyImage *
copy_held(TestSource *self, guint *period_ms)
{
  g_mutex_lock(&self->lock);
  MusterGreyImage *held = self->held != NULL ? muster_grey_image_copy(self->held) : NULL;
  *period_ms = self->period_ms;
  g_mutex_unlock(&self->lock);
  return held;
}

static MusterGreyImage *
test_next_frame(MusterFrameSource *base, guint timeout_ms, GError **error)
{
  TestSource *self = (TestSource *)base;
  if (g_atomic_int_get(&self->interrupted))
    return NULL;
  guint period_ms = 0;
  g_autoptr(MusterGreyImage) held = copy_held(self, &period_ms);
  guint wait_ms = held != NULL ? MIN(period_ms, timeout_ms) : timeout_ms;
  Item *item = g_async_queue_timeout_pop(self->items, (guint64)wait_ms * 1000);
  if (item == NULL && held != NULL)
    g_atomic_int_inc(&self->delivered);
  if (item == NULL)
    return g_steal_pointer(&held);
  MusterGreyImage *frame = NULL;
  if (item->kind == ITEM_UNPLUG)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "test camera went away");
  else if (item->kind == ITEM_FRAME)
    frame = g_steal_pointer(&item->frame);
  item_free(item);
  return frame;
}

static void
test_close(MusterFrameSource *base)
{
  g_atomic_int_set(&((TestSource *)base)->open, 0);
}

static void
test_interrupt(MusterFrameSource *base)
{
  TestSource *self = (TestSource *)base;
  g_atomic_int_set(&self->interrupted, 1);
  Item *wake = g_new0(Item, 1);
  wake->kind = ITEM_WAKE;
  g_async_queue_push_front(self->items, wake);
}

static void
test_free(MusterFrameSource *base)
{
  TestSource *self = (TestSource *)base;
  g_async_queue_unref(self->items);
  muster_grey_image_free(self->held);
  g_mutex_clear(&self->lock);
  g_free(self);
}

static const MusterFrameSourceFuncs test_funcs = {
    .open = test_open,
    .next_frame = test_next_frame,
    .close = test_close,
    .interrupt = test_interrupt,
    .free = test_free,
};

static TestSource *
test_source_new(gint open_failures)
{
  TestSource *self = g_new0(TestSource, 1);
  self->parent.funcs = &test_funcs;
  self->items = g_async_queue_new_full(item_free);
  g_mutex_init(&self->lock);
  self->open_failures = open_failures;
  return self;
}

static void
push_frame(TestSource *source, const MusterGreyImage *frame)
{
  Item *item = g_new0(Item, 1);
  item->kind = ITEM_FRAME;
  item->frame = muster_grey_image_copy(frame);
  g_async_queue_push(source->items, item);
}

/* A camera at a frame rate: frame (NULL: none) delivered every period_ms. */
static void
hold_frame(TestSource *source, const MusterGreyImage *frame, guint period_ms)
{
  MusterGreyImage *copy = frame != NULL ? muster_grey_image_copy(frame) : NULL;
  g_mutex_lock(&source->lock);
  MusterGreyImage *old = source->held;
  source->held = copy;
  source->period_ms = period_ms;
  g_mutex_unlock(&source->lock);
  muster_grey_image_free(old);
}

static void
push_unplug(TestSource *source)
{
  Item *item = g_new0(Item, 1);
  item->kind = ITEM_UNPLUG;
  g_async_queue_push(source->items, item);
}

/* ---- The fixture: a reader, its scans and its states ----------------------------- */

typedef struct {
  char *dir;
  TestSource *source; /* owned by the reader */
  MusterCameraReader *reader;
  GPtrArray *scans;  /* MusterScan* copies */
  GPtrArray *states; /* "ready", "failed: <error>", ... */
  MusterGreyImage *empty, *dm, *qr, *dm_qr;
  const char *dm_bytes;
} Fixture;

/* A fixture's data: the opens that fail, or'ed with this to decode in-process. */
#define IN_PROCESS 0x100

#define DM_DATA "[)>\\R06\\G17V1A2B3\\G1PAK47\\GSGL-123456\\R\\E"
#define DM_BYTES \
  "[)>\x1e"      \
  "06\x1d"       \
  "17V1A2B3\x1d" \
  "1PAK47\x1dSGL-123456\x1e\x04"

static void
on_scan(MusterReader *reader, const MusterScan *scan, gpointer data)
{
  Fixture *f = data;
  g_ptr_array_add(f->scans, muster_scan_copy(scan));
}

static void
on_state(GObject *object, GParamSpec *pspec, gpointer data)
{
  Fixture *f = data;
  MusterReader *reader = MUSTER_READER(object);
  g_autofree char *error = muster_reader_dup_last_error(reader);
  MusterReaderState state = muster_reader_get_state(reader);
  const char *name = muster_reader_state_to_string(state);
  gboolean bad = state == MUSTER_READER_STATE_FAILED || state == MUSTER_READER_STATE_DISCONNECTED;
  g_ptr_array_add(f->states, bad ? g_strdup_printf("%s: %s", name, error) : g_strdup(name));
}

static MusterGreyImage *
frame_with(const MusterGreyImage *a, const MusterGreyImage *b, guint32 seed)
{
  g_autoptr(MusterGreyImage) frame = image_fixture_frame(320, 240, NULL, 0, 0, seed);
  if (a != NULL)
    image_fixture_paste(frame, a, 10, 40);
  if (b != NULL)
    image_fixture_paste(frame, b, 180, 40);
  return g_steal_pointer(&frame);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  f->dir = image_fixture_tmpdir_new();
  g_autoptr(MusterGreyImage) dm =
      image_fixture_zint(f->dir, "dm", "--barcode=DATAMATRIX", "--esc", "--data=" DM_DATA,
                         "--quietzones", "--scale=3", NULL);
  g_autoptr(MusterGreyImage) qr = image_fixture_zint(
      f->dir, "qr", "--barcode=QRCODE", "--data=GL-2", "--quietzones", "--scale=2", NULL);
  f->empty = frame_with(NULL, NULL, 1);
  f->dm = frame_with(dm, NULL, 2);
  f->qr = frame_with(NULL, qr, 3);
  f->dm_qr = frame_with(dm, qr, 4);
  f->scans = g_ptr_array_new_with_free_func((GDestroyNotify)muster_scan_free);
  f->states = g_ptr_array_new_with_free_func(g_free);
  f->source = test_source_new(GPOINTER_TO_INT(data) & ~IN_PROCESS);
  f->reader = muster_camera_reader_new_with_source("camera:test", &f->source->parent);
  MusterCameraReaderSettings settings;
  muster_camera_reader_get_settings(f->reader, &settings);
  settings.absent_frames = 3;
  settings.absent_ms = 0;
  settings.stall_ms = 2000;
  settings.retry_initial_ms = 20;
  settings.retry_max_ms = 100;
  /* More than a kiosk's 6 ms, so a loaded CI machine still finds every Data Matrix. */
  settings.dmtx_budget_ms = 400;
  /* Every frame pushed is decoded: what these tests assert is the path of each frame.
   * The frame-rate tests below turn skipping back on. */
  settings.keep_every_frame = TRUE;
  g_assert_true(settings.decode_sandbox); /* the default */
  settings.decode_sandbox = (GPOINTER_TO_INT(data) & IN_PROCESS) == 0;
  muster_camera_reader_set_settings(f->reader, &settings);
  g_signal_connect(f->reader, "scan", G_CALLBACK(on_scan), f);
  g_signal_connect(f->reader, "notify::state", G_CALLBACK(on_state), f);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  g_object_unref(f->reader);
  g_ptr_array_unref(f->scans);
  g_ptr_array_unref(f->states);
  muster_grey_image_free(f->empty);
  muster_grey_image_free(f->dm);
  muster_grey_image_free(f->qr);
  muster_grey_image_free(f->dm_qr);
  image_fixture_tmpdir_free(f->dir);
}

typedef gboolean (*Predicate)(Fixture *f, gconstpointer arg);

/* Runs the main loop until pred holds; fails the test after 20 s. */
static void
wait_for(Fixture *f, Predicate pred, gconstpointer arg, const char *what)
{
  gint64 until = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
  while (!pred(f, arg)) {
    if (g_get_monotonic_time() > until)
      g_error("timed out waiting for %s", what);
    g_main_context_iteration(NULL, FALSE);
    g_usleep(1000);
  }
}

static gboolean
frames_done(Fixture *f, gconstpointer arg)
{
  /* Every frame decoded, and everything it queued delivered. */
  return muster_camera_reader_get_n_frames(f->reader) >= GPOINTER_TO_UINT(arg) &&
         !g_main_context_pending(NULL);
}

static gboolean
state_is(Fixture *f, gconstpointer arg)
{
  return !g_main_context_pending(NULL) &&
         (int)muster_reader_get_state(MUSTER_READER(f->reader)) == GPOINTER_TO_INT(arg);
}

static void
push_n(Fixture *f, const MusterGreyImage *frame, guint n, guint *pushed)
{
  for (guint i = 0; i < n; i++)
    push_frame(f->source, frame);
  *pushed += n;
}

static void
assert_scans(Fixture *f, const char *const *expected)
{
  GString *got = g_string_new(NULL);
  for (guint i = 0; i < f->scans->len; i++) {
    const MusterScan *s = f->scans->pdata[i];
    g_string_append_printf(got, "%s%s", i ? " " : "", s->symbology);
  }
  g_autofree char *want = g_strjoinv(" ", (char **)expected);
  g_autofree char *have = g_string_free(got, FALSE);
  g_assert_cmpstr(have, ==, want);
}

static void
start(Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(MUSTER_READER(f->reader), &error));
  g_assert_no_error(error);
  wait_for(f, state_is, GINT_TO_POINTER(MUSTER_READER_STATE_READY), "ready");
}

/* A mark held in view across frames is one scan; it is a new scan only after it was out
 * of view for absent_frames frames; a glimpse away shorter than that is not. */
static void
test_one_scan_per_mark_in_view(Fixture *f, gconstpointer data)
{
  start(f);
  guint n = 0;
  push_n(f, f->dm, 6, &n);    /* held: one scan */
  push_n(f, f->empty, 3, &n); /* away 3 frames: gone */
  push_n(f, f->dm_qr, 3, &n); /* back, with a QR: two scans */
  push_n(f, f->qr, 2, &n);    /* the Data Matrix away 2 frames only... */
  push_n(f, f->dm_qr, 2, &n); /* ...so not new */
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  /* In a frame, symbols come in the decoder's order (zxing-cpp's: by position). */
  const char *expected[] = {"datamatrix", "datamatrix", "qrcode", NULL};
  assert_scans(f, expected);

  const MusterScan *s = f->scans->pdata[0];
  g_assert_cmpstr(s->reader, ==, "camera:test");
  g_assert_cmpstr(s->reader_kind, ==, "camera");
  gsize len = 0;
  const guint8 *raw = g_bytes_get_data(s->raw, &len);
  /* docs/scan-data.md: raw is the AIM identifier and the data, text the data. */
  g_assert_cmpmem(raw, len, "]d1" DM_BYTES, strlen("]d1" DM_BYTES));
  g_assert_cmpstr(s->text, ==, DM_BYTES);
  g_assert_cmpint(s->read_at_us, >, 0);
  g_assert_cmpint(s->read_mono_us, >, 0);
  /* The marking is the payload parser's, as for any other reader. */
  g_autoptr(MusterPayload) payload = muster_payload_parse_barcode(raw, len, "datamatrix");
  g_assert_nonnull(payload->value);
  g_assert_cmpstr(s->marking_value, ==, payload->value);
  g_assert_cmpstr(s->marking_kind, ==, muster_marking_kind_to_string(payload->kind));
  g_assert_cmpstr(s->payload_format, ==, "iso15434");
  g_assert_nonnull(s->fields);
  g_assert_cmpuint(g_hash_table_size(s->fields), ==, g_hash_table_size(payload->fields));
  const MusterScan *q = f->scans->pdata[2];
  g_assert_cmpstr(q->text, ==, "GL-2");
  g_assert_cmpstr(q->marking_value, ==, "GL-2");
  g_assert_cmpuint(muster_reader_get_n_scans(MUSTER_READER(f->reader)), ==, 3);
}

/* Out of view for enough frames but not long enough: still the same scan. */
static void
test_debounce_by_time(Fixture *f, gconstpointer data)
{
  MusterCameraReaderSettings settings;
  muster_camera_reader_get_settings(f->reader, &settings);
  settings.absent_frames = 1;
  settings.absent_ms = 1500;
  muster_camera_reader_set_settings(f->reader, &settings);
  start(f);
  guint n = 0;
  push_n(f, f->qr, 1, &n);
  push_n(f, f->empty, 2, &n);
  push_n(f, f->qr, 1, &n);
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  const char *one[] = {"qrcode", NULL};
  assert_scans(f, one);
  g_usleep(1600 * 1000);
  push_n(f, f->empty, 1, &n);
  push_n(f, f->qr, 1, &n);
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  const char *two[] = {"qrcode", "qrcode", NULL};
  assert_scans(f, two);
}

static gboolean
opened_twice_and_ready(Fixture *f, gconstpointer arg)
{
  return g_atomic_int_get(&f->source->opens) >= 2 &&
         state_is(f, GINT_TO_POINTER(MUSTER_READER_STATE_READY));
}

static gboolean
has_state(Fixture *f, gconstpointer prefix)
{
  for (guint i = 0; i < f->states->len; i++)
    if (g_str_has_prefix(f->states->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

/* Unplugged in mid-stream: disconnected with the reason, reopened by itself, and a mark
 * still in view after the reopen is read again (it may be another weapon by now). */
static void
test_unplug_and_reopen(Fixture *f, gconstpointer data)
{
  start(f);
  guint n = 0;
  push_n(f, f->dm, 2, &n);
  push_unplug(f->source);
  push_n(f, f->dm, 2, &n);
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  wait_for(f, opened_twice_and_ready, NULL, "the reopen");
  g_assert_true(has_state(f, "disconnected: test camera went away; retrying in"));
  const char *expected[] = {"datamatrix", "datamatrix", NULL};
  assert_scans(f, expected);
  g_autofree char *error = muster_reader_dup_last_error(MUSTER_READER(f->reader));
  g_assert_nonnull(strstr(error, "test camera went away"));
}

/* A camera that cannot be opened is retried with backoff, then works. */
static void
test_open_fails_then_recovers(Fixture *f, gconstpointer data)
{
  start(f);
  g_assert_cmpint(g_atomic_int_get(&f->source->opens), ==, 3);
  g_assert_true(has_state(f, "failed: test camera cannot be opened; retrying in 20 ms"));
  g_assert_true(has_state(f, "failed: test camera cannot be opened; retrying in 40 ms"));
  guint n = 0;
  push_n(f, f->qr, 1, &n);
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  const char *expected[] = {"qrcode", NULL};
  assert_scans(f, expected);
}

static gboolean
has_stalled(Fixture *f, gconstpointer arg)
{
  return has_state(f, arg);
}

/* A camera that stops sending frames is noticed and reopened. */
static void
test_stall(Fixture *f, gconstpointer data)
{
  MusterCameraReaderSettings settings;
  muster_camera_reader_get_settings(f->reader, &settings);
  settings.stall_ms = 300;
  muster_camera_reader_set_settings(f->reader, &settings);
  start(f);
  wait_for(f, has_stalled, "disconnected: no frame for 300 ms", "the stall");
  wait_for(f, opened_twice_and_ready, NULL, "the reopen");
}

/* After stop() returns nothing more is delivered; a restart reads again. */
static void
test_stop_and_restart(Fixture *f, gconstpointer data)
{
  start(f);
  muster_reader_stop(MUSTER_READER(f->reader));
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(f->reader)), ==,
                  MUSTER_READER_STATE_STOPPED);
  g_assert_cmpint(g_atomic_int_get(&f->source->open), ==, 0);
  guint n = 0;
  push_n(f, f->qr, 1, &n);
  for (int i = 0; i < 50; i++) {
    g_main_context_iteration(NULL, FALSE);
    g_usleep(2000);
  }
  g_assert_cmpuint(f->scans->len, ==, 0);
  g_assert_cmpuint(muster_camera_reader_get_n_frames(f->reader), ==, 0);
  start(f);
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  const char *expected[] = {"qrcode", NULL};
  assert_scans(f, expected);
}

/* ---- At frame rate: decoding on a worker, frames skipped while it is busy ------- */

static void
set_frame_rate_mode(Fixture *f, guint dmtx_budget_ms)
{
  MusterCameraReaderSettings settings;
  muster_camera_reader_get_settings(f->reader, &settings);
  settings.keep_every_frame = FALSE; /* the default: a camera does not wait */
  settings.dmtx_budget_ms = dmtx_budget_ms;
  muster_camera_reader_set_settings(f->reader, &settings);
}

/* Runs the main loop for ms. */
static void
run_for(guint ms)
{
  gint64 until = g_get_monotonic_time() + (gint64)ms * 1000;
  while (g_get_monotonic_time() < until) {
    g_main_context_iteration(NULL, FALSE);
    g_usleep(1000);
  }
}

static gboolean
all_handled(Fixture *f, gconstpointer arg)
{
  guint handled =
      muster_camera_reader_get_n_frames(f->reader) + muster_camera_reader_get_n_skipped(f->reader);
  return handled >= (guint)g_atomic_int_get(&f->source->delivered) && !g_main_context_pending(NULL);
}

/* A camera faster than the decoder: frames that arrive while one is being decoded are
 * skipped, every frame is either decoded or skipped (none waits in a queue), and a mark
 * held steady is one scan. */
static void
test_frame_rate_skips(Fixture *f, gconstpointer data)
{
  set_frame_rate_mode(f, 120);
  /* 1000 frames a second: faster than a decode through the helper (its round trip alone
   * is about 1 ms), however fast the decoder gets */
  hold_frame(f->source, f->dm, 1);
  start(f);
  run_for(2000);
  hold_frame(f->source, NULL, 0);
  wait_for(f, all_handled, NULL, "every frame decoded or skipped");
  guint delivered = (guint)g_atomic_int_get(&f->source->delivered);
  guint decoded = muster_camera_reader_get_n_frames(f->reader);
  guint skipped = muster_camera_reader_get_n_skipped(f->reader);
  g_test_message("%u frames: %u decoded, %u skipped", delivered, decoded, skipped);
  g_assert_cmpuint(decoded + skipped, ==, delivered);
  g_assert_cmpuint(decoded, >=, 2);
  g_assert_cmpuint(skipped, >, 0);
  g_assert_cmpint(g_async_queue_length(f->source->items), <=, 0); /* < 0: a reader waits */
  const char *one[] = {"datamatrix", NULL};
  assert_scans(f, one);
}

/* A mark held in view for 10 s at 30 frames a second, the debounce at its defaults, is
 * one scan; out of view long enough and back, it is a second one. */
static void
test_frame_rate_held_mark_once(Fixture *f, gconstpointer data)
{
  set_frame_rate_mode(f, 120);
  MusterCameraReaderSettings settings;
  muster_camera_reader_get_settings(f->reader, &settings);
  settings.absent_frames = 5;
  settings.absent_ms = 800;
  muster_camera_reader_set_settings(f->reader, &settings);
  hold_frame(f->source, f->dm, 33);
  start(f);
  run_for(10000);
  const char *one[] = {"datamatrix", NULL};
  assert_scans(f, one);
  guint decoded = muster_camera_reader_get_n_frames(f->reader);
  g_test_message("10 s held: %u frames decoded, %u skipped", decoded,
                 muster_camera_reader_get_n_skipped(f->reader));
  g_assert_cmpuint(decoded, >=, 20);
  hold_frame(f->source, f->empty, 33);
  run_for(2000);
  hold_frame(f->source, f->dm, 33);
  run_for(1000);
  hold_frame(f->source, NULL, 0);
  wait_for(f, all_handled, NULL, "every frame decoded or skipped");
  const char *two[] = {"datamatrix", "datamatrix", NULL};
  assert_scans(f, two);
}

/* stop() while a frame is being decoded: it waits for that decode, returns, and nothing
 * is delivered after it. */
static void
test_frame_rate_stop_in_flight(Fixture *f, gconstpointer data)
{
  set_frame_rate_mode(f, 600); /* a frame without a Data Matrix takes the whole budget */
  hold_frame(f->source, f->dm_qr, 2);
  start(f);
  wait_for(f, all_handled, NULL, "a frame"); /* the helper is up... */
  while (g_atomic_int_get(&f->source->delivered) < 3)
    g_usleep(1000);
  hold_frame(f->source, f->empty, 2); /* ...and a long decode in flight */
  run_for(100);
  gint64 t0 = g_get_monotonic_time();
  muster_reader_stop(MUSTER_READER(f->reader));
  gint64 ms = (g_get_monotonic_time() - t0) / 1000;
  g_test_message("stopped in %" G_GINT64_FORMAT " ms", ms);
  g_assert_cmpint(ms, <, 3000);
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(f->reader)), ==,
                  MUSTER_READER_STATE_STOPPED);
  guint scans = f->scans->len;
  run_for(200);
  g_assert_cmpuint(f->scans->len, ==, scans);
}

/* A decoder helper that cannot run: each frame says why, and after three in a row the
 * reader is failed with the reason, and retried. */
static void
test_sandbox_fault(Fixture *f, gconstpointer data)
{
  g_autofree char *helper = g_strdup(g_getenv("MUSTER_DECODE_HELPER"));
  g_setenv("MUSTER_DECODE_HELPER", "/nonexistent/muster-decode-helper", TRUE);
  start(f);
  guint n = 0;
  push_n(f, f->qr, 3, &n);
  wait_for(f, has_stalled,
           "failed: camera frames cannot be decoded: the decoder helper "
           "/nonexistent/muster-decode-helper failed on 3 frames in a row",
           "the fault");
  g_autofree char *error = muster_reader_dup_last_error(MUSTER_READER(f->reader));
  g_test_message("%s", error);
  g_assert_nonnull(strstr(error, "retrying in"));
  g_assert_nonnull(strstr(error, "decode-sandbox=false"));
  g_assert_cmpuint(f->scans->len, ==, 0);
  wait_for(f, opened_twice_and_ready, NULL, "the reopen");
  muster_reader_stop(MUSTER_READER(f->reader));
  g_setenv("MUSTER_DECODE_HELPER", helper, TRUE);
}

/* ---- Snapshots: the still a kiosk photographs an unmarked item with ------------ */

static void
assert_same_image(const MusterGreyImage *got, const MusterGreyImage *want)
{
  g_assert_nonnull(got);
  g_assert_cmpuint(got->width, ==, want->width);
  g_assert_cmpuint(got->height, ==, want->height);
  g_assert_cmpmem(got->pixels, (gsize)got->width * got->height, want->pixels,
                  (gsize)want->width * want->height);
}

/* The newest frame, as a copy of its own; none before the first frame or once stopped. */
static void
test_snapshot_latest_frame(Fixture *f, gconstpointer data)
{
  g_assert_null(muster_camera_reader_snapshot(f->reader)); /* never started */
  start(f);
  g_assert_null(muster_camera_reader_snapshot(f->reader)); /* no frame yet */
  guint n = 0;
  push_n(f, f->dm, 1, &n);
  push_n(f, f->qr, 1, &n);
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  g_autoptr(MusterGreyImage) still = muster_camera_reader_snapshot(f->reader);
  assert_same_image(still, f->qr);
  memset(still->pixels, 0, (gsize)still->width * still->height); /* the caller's to change */
  g_autoptr(MusterGreyImage) again = muster_camera_reader_snapshot(f->reader);
  assert_same_image(again, f->qr);
  g_assert_true(again->pixels != still->pixels);
  /* Taking stills does not disturb reading: the Data Matrix and QR were both scanned. */
  const char *expected[] = {"datamatrix", "qrcode", NULL};
  assert_scans(f, expected);
  muster_reader_stop(MUSTER_READER(f->reader));
  g_assert_null(muster_camera_reader_snapshot(f->reader));
}

/* A frame older than snapshot_max_ms is no still of now; the next frame is. A frame's
 * age counts from its arrival, not from the end of its decode: a short libdmtx search,
 * in-process (add() below), so that the decode takes little of the 150 ms. */
static void
test_snapshot_stale(Fixture *f, gconstpointer data)
{
  MusterCameraReaderSettings settings;
  muster_camera_reader_get_settings(f->reader, &settings);
  g_assert_cmpuint(settings.snapshot_max_ms, ==, 2000); /* the default */
  settings.snapshot_max_ms = 150;
  settings.dmtx_budget_ms = 10;
  muster_camera_reader_set_settings(f->reader, &settings);
  start(f);
  guint n = 0;
  push_n(f, f->empty, 1, &n);
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  g_autoptr(MusterGreyImage) fresh = muster_camera_reader_snapshot(f->reader);
  assert_same_image(fresh, f->empty);
  g_usleep(300 * 1000);
  g_assert_null(muster_camera_reader_snapshot(f->reader));
  push_n(f, f->dm, 1, &n);
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  g_autoptr(MusterGreyImage) next = muster_camera_reader_snapshot(f->reader);
  assert_same_image(next, f->dm);
}

/* Unplugged: what the camera saw before is dropped at once, not kept for 2 s. */
static void
test_snapshot_after_unplug(Fixture *f, gconstpointer data)
{
  start(f);
  guint n = 0;
  push_n(f, f->dm, 1, &n);
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  g_autoptr(MusterGreyImage) before = muster_camera_reader_snapshot(f->reader);
  assert_same_image(before, f->dm);
  push_unplug(f->source);
  wait_for(f, has_stalled, "disconnected: test camera went away", "the unplug");
  g_assert_null(muster_camera_reader_snapshot(f->reader));
}

typedef struct {
  MusterCameraReader *reader;
  const MusterGreyImage *frames[2]; /* what the camera is shown */
  gint stop;                        /* atomic */
  guint stills;                     /* snapshots that returned a frame */
  guint torn;                       /* stills that are neither frame */
} Snapper;

static gboolean
same_image(const MusterGreyImage *a, const MusterGreyImage *b)
{
  return a->width == b->width && a->height == b->height &&
         memcmp(a->pixels, b->pixels, (gsize)a->width * a->height) == 0;
}

static gpointer
snap_loop(gpointer data)
{
  Snapper *s = data;
  while (!g_atomic_int_get(&s->stop)) {
    g_autoptr(MusterGreyImage) still = muster_camera_reader_snapshot(s->reader);
    g_usleep(200); /* two cores: leave the reader's thread room to decode */
    if (still == NULL)
      continue;
    s->stills++;
    if (!same_image(still, s->frames[0]) && !same_image(still, s->frames[1]))
      s->torn++;
  }
  return NULL;
}

/* Stills taken on two other threads while frames stream in: each is one whole frame. */
static void
test_snapshot_threads(Fixture *f, gconstpointer data)
{
  MusterCameraReaderSettings settings;
  muster_camera_reader_get_settings(f->reader, &settings);
  settings.dmtx_budget_ms = 10; /* many frames; what they hold does not matter here */
  muster_camera_reader_set_settings(f->reader, &settings);
  start(f);
  Snapper s[2] = {{f->reader, {f->empty, f->qr}, 0, 0, 0}, {f->reader, {f->empty, f->qr}, 0, 0, 0}};
  GThread *threads[2];
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new("snapper", snap_loop, &s[i]);
  guint n = 0;
  for (guint i = 0; i < 40; i++)
    push_n(f, i % 2 ? f->qr : f->empty, 1, &n);
  wait_for(f, frames_done, GUINT_TO_POINTER(n), "frames decoded");
  for (guint i = 0; i < 2; i++) {
    g_atomic_int_set(&s[i].stop, 1);
    g_thread_join(threads[i]);
    g_test_message("snapper %u: %u stills", i, s[i].stills);
    g_assert_cmpuint(s[i].stills, >, 0);
    g_assert_cmpuint(s[i].torn, ==, 0);
  }
  g_autoptr(MusterGreyImage) last = muster_camera_reader_snapshot(f->reader);
  assert_same_image(last, f->qr); /* the last frame pushed (index 39) */
}

/* The real zbar V4L2 source on things that are not cameras: a clean failure naming the
 * device, retried, never a crash or a hang. */
static void
test_zbar_video_not_a_camera(gconstpointer data)
{
  g_autofree char *dir = image_fixture_tmpdir_new();
  g_autofree char *file = g_build_filename(dir, "video0", NULL);
  g_assert_true(g_file_set_contents(file, "not a camera", -1, NULL));
  const char *devices[] = {"/nonexistent/video9", "/dev/null", file};
  for (guint i = 0; i < G_N_ELEMENTS(devices); i++) {
    g_autoptr(MusterCameraReader) reader = muster_camera_reader_new(devices[i]);
    g_assert_cmpstr(muster_reader_get_kind(MUSTER_READER(reader)), ==, "camera");
    g_autoptr(GError) error = NULL;
    g_assert_true(muster_reader_start(MUSTER_READER(reader), &error));
    gint64 until = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    while (muster_reader_get_state(MUSTER_READER(reader)) != MUSTER_READER_STATE_FAILED) {
      g_assert_cmpint(g_get_monotonic_time(), <, until);
      g_main_context_iteration(NULL, FALSE);
      g_usleep(1000);
    }
    g_autofree char *message = muster_reader_dup_last_error(MUSTER_READER(reader));
    g_test_message("%s: %s", devices[i], message);
    g_assert_nonnull(strstr(message, devices[i]));
    g_assert_nonnull(strstr(message, "cannot be opened"));
    g_assert_nonnull(strstr(message, "retrying in"));
    muster_reader_stop(MUSTER_READER(reader));
  }
  g_unlink(file);
  image_fixture_tmpdir_free(g_steal_pointer(&dir));
}

extern const MusterReaderDriver muster_camera_driver;

/* The readers file's [reader NAME] group for a camera: its keys, and bad values refused
 * with the key named. */
static void
test_driver(void)
{
  g_autoptr(GKeyFile) file = g_key_file_new();
  const char *text = "[reader bench]\nkind=camera\ndevice=/nonexistent/video3\nwidth=320\n"
                     "height=240\nabsent-frames=2\nabsent-ms=100\ndecode-sandbox=false\n"
                     "[reader bad]\nkind=camera\nabsent-ms=soon\n"
                     "[reader bad2]\nkind=camera\ndecode-sandbox=maybe\n";
  g_assert_true(g_key_file_load_from_data(file, text, -1, G_KEY_FILE_NONE, NULL));
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func(g_object_unref);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_camera_driver.create("bench", file, "reader bench", readers, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(readers->len, ==, 1);
  MusterCameraReader *reader = readers->pdata[0];
  g_assert_cmpstr(muster_reader_get_id(MUSTER_READER(reader)), ==, "camera:bench");
  g_assert_cmpstr(muster_reader_get_kind(MUSTER_READER(reader)), ==, "camera");
  MusterCameraReaderSettings settings;
  muster_camera_reader_get_settings(reader, &settings);
  g_assert_cmpuint(settings.absent_frames, ==, 2);
  g_assert_cmpuint(settings.absent_ms, ==, 100);
  g_assert_false(settings.decode_sandbox);
  g_assert_false(muster_camera_driver.create("bad", file, "reader bad", readers, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "absent-ms"));
  g_clear_error(&error);
  g_assert_false(muster_camera_driver.create("bad2", file, "reader bad2", readers, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "decode-sandbox"));
  g_assert_cmpuint(readers->len, ==, 1);
}

static void
add(const char *path, gint open_failures, void (*test)(Fixture *, gconstpointer))
{
  g_test_add(path, Fixture, GINT_TO_POINTER(open_failures), fixture_setup, test, fixture_teardown);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/camera/driver", test_driver);
  add("/camera/one-scan-per-mark-in-view", 0, test_one_scan_per_mark_in_view);
  add("/camera/in-process/one-scan-per-mark-in-view", IN_PROCESS, test_one_scan_per_mark_in_view);
  add("/camera/frame-rate/skips-while-decoding", 0, test_frame_rate_skips);
  add("/camera/frame-rate/skips-while-decoding-in-process", IN_PROCESS, test_frame_rate_skips);
  add("/camera/frame-rate/held-mark-counts-once", 0, test_frame_rate_held_mark_once);
  add("/camera/frame-rate/stop-while-decoding", 0, test_frame_rate_stop_in_flight);
  add("/camera/sandbox-fault", 0, test_sandbox_fault);
  add("/camera/debounce-by-time", 0, test_debounce_by_time);
  add("/camera/unplug-and-reopen", 0, test_unplug_and_reopen);
  add("/camera/open-fails-then-recovers", 2, test_open_fails_then_recovers);
  add("/camera/stall", 0, test_stall);
  add("/camera/stop-and-restart", 0, test_stop_and_restart);
  add("/camera/snapshot/latest-frame", 0, test_snapshot_latest_frame);
  add("/camera/snapshot/stale", IN_PROCESS, test_snapshot_stale);
  add("/camera/snapshot/after-unplug", 0, test_snapshot_after_unplug);
  add("/camera/snapshot/threads", 0, test_snapshot_threads);
  g_test_add_data_func("/camera/zbar-video/not-a-camera", NULL, test_zbar_video_not_a_camera);
  return g_test_run();
}
