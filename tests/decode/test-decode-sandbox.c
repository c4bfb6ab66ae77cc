/*
 * test-decode-sandbox.c: the decoder in its sandboxed helper process (decode/
 * decode-sandbox.c, decode/helper/), through the real helper, zxing-cpp and libdmtx.
 *
 * Frames decoded through the helper give exactly what the decoder gives in-process, by
 * either transport. The helper's failures are provoked with a test build of it
 * ($MUSTER_DECODE_HELPER_TEST, built with MUSTER_DECODE_HELPER_TEST_HOOKS), which obeys
 * frame flags: after lockdown it tries open("/etc/passwd") and socket() (the filter must
 * kill it), crashes, spins for ever, or replies garbage; each must cost that frame only.
 * The installed helper ($MUSTER_DECODE_HELPER) refuses such frames. The reply parser is
 * fed every truncation and a set of broken fields of a real reply.
 */
#include <errno.h>
#include <string.h>

#include "core/muster-error.h"
#include "decode/decode-sandbox.h"
#include "decode/decode-wire.h"
#include "image-fixture.h"

typedef struct {
  char *dir;
  GPtrArray *frames; /* MusterGreyImage*: marks of each kind, and none */
  MusterGreyImage *qr_frame;
} Fixture;

#define DM_DATA "[)>\\R06\\G17V1A2B3\\G1PAK47\\GSGL-123456\\R\\E"

static void
add_frame(Fixture *f, MusterGreyImage *mark, guint32 seed)
{
  g_ptr_array_add(f->frames, image_fixture_frame(640, 480, mark, 40, 60, seed));
  muster_grey_image_free(mark);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  f->dir = image_fixture_tmpdir_new();
  f->frames = g_ptr_array_new_with_free_func((GDestroyNotify)muster_grey_image_free);
  add_frame(f,
            image_fixture_zint(f->dir, "dm", "--barcode=DATAMATRIX", "--esc", "--data=" DM_DATA,
                               "--quietzones", "--scale=4", NULL),
            1);
  add_frame(f,
            image_fixture_zint(f->dir, "gs1", "--barcode=DATAMATRIX", "--gs1",
                               "--data=[01]09506000134352[21]ABC123", "--quietzones", "--scale=4",
                               NULL),
            2);
  add_frame(f,
            image_fixture_zint(f->dir, "qr", "--barcode=QRCODE", "--data=SN:GL-é123",
                               /* Latin-1 in the symbol */ "--quietzones", "--scale=4", NULL),
            3);
  add_frame(f,
            image_fixture_zint(f->dir, "c128", "--barcode=CODE128", "--data=HA112-X/9",
                               "--quietzones", "--scale=2", NULL),
            4);
  g_autoptr(MusterGreyImage) inv = image_fixture_zint(
      f->dir, "inv", "--barcode=DATAMATRIX", "--data=GL-INV-7", "--quietzones", "--scale=4", NULL);
  muster_grey_image_invert(inv);
  add_frame(f, g_steal_pointer(&inv), 5);
  add_frame(f, NULL, 6); /* nothing in view */
  f->qr_frame = f->frames->pdata[2];
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  g_ptr_array_unref(f->frames);
  image_fixture_tmpdir_free(f->dir);
}

static void
assert_same_symbols(const GPtrArray *got, const GPtrArray *want)
{
  g_assert_nonnull(got);
  g_assert_cmpuint(got->len, ==, want->len);
  for (guint i = 0; i < got->len; i++) {
    const MusterSymbol *a = got->pdata[i], *b = want->pdata[i];
    g_assert_cmpstr(a->symbology, ==, b->symbology);
    g_assert_true(g_bytes_equal(a->raw, b->raw));
    g_assert_cmpstr(a->text, ==, b->text);
    g_assert_cmpint(a->gs1, ==, b->gs1);
    g_assert_cmpint(a->inverted, ==, b->inverted);
    g_assert_cmpint(a->x, ==, b->x);
    g_assert_cmpint(a->y, ==, b->y);
    g_assert_cmpmem(a->aim, sizeof a->aim, b->aim, sizeof b->aim);
  }
}

static MusterDecodeSandbox *
sandbox_new(const char *helper_env, MusterDecodeSandboxTransport transport, guint timeout_ms)
{
  MusterDecodeSandboxOptions options;
  muster_decode_sandbox_options_init(&options);
  options.helper = g_getenv(helper_env);
  g_assert_nonnull(options.helper);
  options.transport = transport;
  options.timeout_ms = timeout_ms;
  /* A short libdmtx search where only the sandbox is under test: the frames are QR. */
  options.dmtx_budget_ms = timeout_ms < 5000 ? 50 : 400;
  return muster_decode_sandbox_new(&options);
}

static void
assert_decodes(MusterDecodeSandbox *sandbox, const MusterGreyImage *frame)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) symbols = muster_decode_sandbox_decode(sandbox, frame, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(symbols->len, ==, 1);
  g_assert_cmpstr(((MusterSymbol *)symbols->pdata[0])->symbology, ==, "qrcode");
}

/* Every frame gives the in-process decoder's symbols, field for field, both ways. */
static void
test_same_as_in_process(Fixture *f, gconstpointer data)
{
  MusterDecodeSandboxTransport transport = GPOINTER_TO_INT(data);
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(400);
  g_autoptr(MusterDecodeSandbox) sandbox = sandbox_new("MUSTER_DECODE_HELPER", transport, 5000);
  guint found = 0;
  for (guint i = 0; i < f->frames->len; i++) {
    const MusterGreyImage *frame = f->frames->pdata[i];
    g_autoptr(GPtrArray) want = muster_decoder_decode(decoder, frame, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) got = muster_decode_sandbox_decode(sandbox, frame, &error);
    g_assert_no_error(error);
    assert_same_symbols(got, want);
    found += got->len;
  }
  g_assert_cmpuint(found, ==, f->frames->len - 1); /* one mark in each but the last */
  g_assert_cmpuint(muster_decode_sandbox_get_n_starts(sandbox), ==, 1);
  /* A frame too large is refused as the decoder refuses it, without a helper's help. */
  MusterGreyImage huge = {MUSTER_DECODER_MAX_PIXELS / 1000 + 1, 1000, NULL};
  g_autoptr(GError) error = NULL;
  g_assert_null(muster_decode_sandbox_decode(sandbox, &huge, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
}

/* Once locked down the helper cannot open a file or a socket: both are refused (EPERM),
 * and the helper, still alive and in step, decodes the next frame (either transport). */
static void
test_no_files_no_sockets(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterDecodeSandbox) sandbox =
      sandbox_new("MUSTER_DECODE_HELPER_TEST", GPOINTER_TO_INT(data), 5000);
  assert_decodes(sandbox, f->qr_frame);
  g_autoptr(GError) error = NULL;
  g_assert_null(
      muster_decode_sandbox_decode_flags(sandbox, f->qr_frame, MUSTER_WIRE_TEST_OPEN, &error));
  g_test_message("%s", error->message);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_autofree char *want = g_strdup_printf("open() gave -1 (%s), socket() gave -1 (%s)",
                                          g_strerror(EPERM), g_strerror(EPERM));
  g_assert_cmpstr(error->message, ==, want);
  assert_decodes(sandbox, f->qr_frame);
  g_assert_cmpuint(muster_decode_sandbox_get_n_starts(sandbox), ==, 1);
}

/* The helper fails on a frame as flags ask: that frame's error has code and says
 * expected; the next frame decodes, in a new helper. */
static void
assert_costs_one_frame(Fixture *f, MusterDecodeSandbox *sandbox, guint32 flags, int code,
                       const char *expected)
{
  g_autoptr(GError) error = NULL;
  guint starts = muster_decode_sandbox_get_n_starts(sandbox);
  gint64 t0 = g_get_monotonic_time();
  g_assert_null(muster_decode_sandbox_decode_flags(sandbox, f->qr_frame, flags, &error));
  gint64 ms = (g_get_monotonic_time() - t0) / 1000;
  g_test_message("%s (after %" G_GINT64_FORMAT " ms)", error->message, ms);
  g_assert_error(error, MUSTER_DECODE_SANDBOX_ERROR, code);
  g_assert_nonnull(strstr(error->message, expected));
  g_assert_nonnull(strstr(error->message, "the frame is not decoded"));
  if (code == MUSTER_DECODE_SANDBOX_ERROR_TIMEOUT) {
    g_assert_cmpint(ms, >=, 1000); /* the timeout, and not much later */
    g_assert_cmpint(ms, <, 3000);
  }
  assert_decodes(sandbox, f->qr_frame);
  g_assert_cmpuint(muster_decode_sandbox_get_n_starts(sandbox), ==, MAX(starts, 1) + 1);
}

/* A crash costs its frame; the error says so. */
static void
test_crash_costs_one_frame(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterDecodeSandbox) sandbox =
      sandbox_new("MUSTER_DECODE_HELPER_TEST", MUSTER_DECODE_SANDBOX_SOCKET, 5000);
  assert_costs_one_frame(f, sandbox, MUSTER_WIRE_TEST_CRASH, MUSTER_DECODE_SANDBOX_ERROR_CRASHED,
                         "signal 11");
}

/* A helper that never answers is killed at the timeout, not later. */
static void
test_hang_killed_at_timeout(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterDecodeSandbox) sandbox =
      sandbox_new("MUSTER_DECODE_HELPER_TEST", MUSTER_DECODE_SANDBOX_MEMFD, 1000);
  assert_decodes(sandbox, f->qr_frame);
  assert_costs_one_frame(f, sandbox, MUSTER_WIRE_TEST_HANG, MUSTER_DECODE_SANDBOX_ERROR_TIMEOUT,
                         "took more than 1000 ms");
}

/* A malformed reply is refused without harm; the helper that sent it is replaced. */
static void
test_garbage_refused(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterDecodeSandbox) sandbox =
      sandbox_new("MUSTER_DECODE_HELPER_TEST", MUSTER_DECODE_SANDBOX_SOCKET, 5000);
  assert_costs_one_frame(f, sandbox, MUSTER_WIRE_TEST_GARBAGE, MUSTER_DECODE_SANDBOX_ERROR_GARBAGE,
                         "bad count");
}

/* Failing max_failures frames in a row is a fault: no more helpers until a reset. */
static void
test_restart_limit(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterDecodeSandbox) sandbox =
      sandbox_new("MUSTER_DECODE_HELPER_TEST", MUSTER_DECODE_SANDBOX_MEMFD, 5000);
  for (int i = 0; i < 3; i++) {
    g_autoptr(GError) error = NULL;
    g_assert_null(
        muster_decode_sandbox_decode_flags(sandbox, f->qr_frame, MUSTER_WIRE_TEST_CRASH, &error));
    int code = i < 2 ? MUSTER_DECODE_SANDBOX_ERROR_CRASHED : MUSTER_DECODE_SANDBOX_ERROR_FAULT;
    g_assert_error(error, MUSTER_DECODE_SANDBOX_ERROR, code);
  }
  g_autoptr(GError) error = NULL;
  g_assert_null(muster_decode_sandbox_decode(sandbox, f->qr_frame, &error));
  g_test_message("%s", error->message);
  g_assert_error(error, MUSTER_DECODE_SANDBOX_ERROR, MUSTER_DECODE_SANDBOX_ERROR_FAULT);
  g_assert_nonnull(strstr(error->message, "3 frames in a row"));
  g_assert_cmpuint(muster_decode_sandbox_get_n_starts(sandbox), ==, 3);
  muster_decode_sandbox_reset(sandbox);
  assert_decodes(sandbox, f->qr_frame);
}

/* A helper that is not there: a fault naming it, not a crash or an endless retry. */
static void
test_helper_missing(Fixture *f, gconstpointer data)
{
  MusterDecodeSandboxOptions options;
  muster_decode_sandbox_options_init(&options);
  options.helper = "/nonexistent/muster-decode-helper";
  g_autoptr(MusterDecodeSandbox) sandbox = muster_decode_sandbox_new(&options);
  g_autoptr(GError) error = NULL;
  for (int i = 0; i < 3; i++) {
    g_clear_error(&error);
    g_assert_null(muster_decode_sandbox_decode(sandbox, f->qr_frame, &error));
  }
  g_test_message("%s", error->message);
  g_assert_error(error, MUSTER_DECODE_SANDBOX_ERROR, MUSTER_DECODE_SANDBOX_ERROR_FAULT);
  g_assert_nonnull(strstr(error->message, "/nonexistent/muster-decode-helper"));
  g_assert_nonnull(strstr(error->message, "No such file"));
}

/* The installed helper has no test hooks: it refuses a test frame and carries on. */
static void
test_installed_helper_has_no_hooks(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterDecodeSandbox) sandbox =
      sandbox_new("MUSTER_DECODE_HELPER", MUSTER_DECODE_SANDBOX_MEMFD, 5000);
  guint32 hooks[] = {MUSTER_WIRE_TEST_OPEN, MUSTER_WIRE_TEST_CRASH, MUSTER_WIRE_TEST_HANG,
                     MUSTER_WIRE_TEST_GARBAGE};
  for (guint i = 0; i < G_N_ELEMENTS(hooks); i++) {
    g_autoptr(GError) error = NULL;
    g_assert_null(muster_decode_sandbox_decode_flags(sandbox, f->qr_frame, hooks[i], &error));
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
    g_assert_nonnull(strstr(error->message, "not a test build"));
  }
  assert_decodes(sandbox, f->qr_frame);
  g_assert_cmpuint(muster_decode_sandbox_get_n_starts(sandbox), ==, 1);
}

/* ---- The reply parser on broken input ---- */

static GByteArray *
real_reply(Fixture *f)
{
  g_autoptr(MusterDecoder) decoder = muster_decoder_new(400);
  g_autoptr(GPtrArray) symbols = muster_decoder_decode(decoder, f->frames->pdata[0], NULL);
  g_assert_cmpuint(symbols->len, ==, 1);
  return muster_wire_reply_symbols(symbols);
}

static void
assert_refused(const guint8 *body, gsize len, const char *what)
{
  g_autoptr(GError) error = NULL;
  char *refusal = NULL;
  g_autoptr(GPtrArray) symbols = muster_wire_parse_reply(body, len, 640, 480, &refusal, &error);
  g_assert_null(symbols);
  g_assert_null(refusal);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED);
  if (what != NULL && strstr(error->message, what) == NULL)
    g_error("expected a complaint about %s, got: %s", what, error->message);
}

/* Offsets in the body of the Data Matrix reply: status 0, count 4, symbology length 8. */
#define AT_SYMBOLOGY 12

static void
test_wire_bounds(Fixture *f, gconstpointer data)
{
  g_autoptr(GByteArray) reply = real_reply(f);
  const guint8 *body = reply->data + 8;
  gsize len = reply->len - 8;
  char *refusal = NULL;
  g_autoptr(GPtrArray) ok = muster_wire_parse_reply(body, len, 640, 480, &refusal, NULL);
  g_assert_nonnull(ok);
  for (gsize cut = 0; cut < len; cut++)
    assert_refused(body, cut, NULL);
  g_autoptr(GByteArray) longer = g_byte_array_new();
  g_byte_array_append(longer, body, (guint)len);
  g_byte_array_append(longer, (const guint8 *)"x", 1);
  assert_refused(longer->data, longer->len, "after the end");
  g_autofree guint8 *bad = g_memdup2(body, len);
  bad[AT_SYMBOLOGY] = 'D'; /* "Datamatrix": not a symbology name */
  assert_refused(bad, len, "symbology");
  memcpy(bad, body, len);
  guint32 huge = G_MAXUINT32;
  memcpy(bad + 8, &huge, sizeof huge); /* symbology length */
  assert_refused(bad, len, "symbology");
  memcpy(bad, body, len);
  gint32 x = 641;
  memcpy(bad + len - 12, &x, sizeof x); /* x, beyond the frame */
  assert_refused(bad, len, "position");
  memcpy(bad, body, len);
  bad[len - 14] = 2; /* gs1 neither 0 nor 1 */
  assert_refused(bad, len, "flags");
  memcpy(bad, body, len);
  bad[len - 4] = 'x'; /* an AIM identifier must start with ] */
  assert_refused(bad, len, "aim");
  /* Text that is not UTF-8: the last byte of the text is the one before the flags. */
  memcpy(bad, body, len);
  bad[len - 17] = 0xff;
  assert_refused(bad, len, "text");
  guint32 status = 7;
  assert_refused((const guint8 *)&status, sizeof status, "status");
}

/* A refusal from the helper reaches the caller as text safe to show. */
static void
test_wire_refusal(void)
{
  g_autoptr(GByteArray) reply = muster_wire_reply_error("too big\x1b[31m\xff");
  char *refusal = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_null(muster_wire_parse_reply(reply->data + 8, reply->len - 8, 1, 1, &refusal, &error));
  g_assert_no_error(error);
  g_assert_true(g_utf8_validate(refusal, -1, NULL));
  g_assert_null(strchr(refusal, '\x1b'));
  g_assert_true(g_str_has_prefix(refusal, "too big"));
  g_free(refusal);
}

static void
add(const char *path, gconstpointer data, void (*test)(Fixture *, gconstpointer))
{
  g_test_add(path, Fixture, data, fixture_setup, test, fixture_teardown);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  if (g_getenv("MUSTER_DECODE_HELPER") == NULL || g_getenv("MUSTER_DECODE_HELPER_TEST") == NULL)
    g_error("set MUSTER_DECODE_HELPER and MUSTER_DECODE_HELPER_TEST (ctest does)");
  add("/decode-sandbox/same-as-in-process/memfd", GINT_TO_POINTER(MUSTER_DECODE_SANDBOX_MEMFD),
      test_same_as_in_process);
  add("/decode-sandbox/same-as-in-process/socket", GINT_TO_POINTER(MUSTER_DECODE_SANDBOX_SOCKET),
      test_same_as_in_process);
  add("/decode-sandbox/no-files-no-sockets/memfd", GINT_TO_POINTER(MUSTER_DECODE_SANDBOX_MEMFD),
      test_no_files_no_sockets);
  add("/decode-sandbox/no-files-no-sockets/socket", GINT_TO_POINTER(MUSTER_DECODE_SANDBOX_SOCKET),
      test_no_files_no_sockets);
  add("/decode-sandbox/crash-costs-one-frame", NULL, test_crash_costs_one_frame);
  add("/decode-sandbox/hang-killed-at-timeout", NULL, test_hang_killed_at_timeout);
  add("/decode-sandbox/garbage-refused", NULL, test_garbage_refused);
  add("/decode-sandbox/restart-limit", NULL, test_restart_limit);
  add("/decode-sandbox/helper-missing", NULL, test_helper_missing);
  add("/decode-sandbox/installed-helper-has-no-hooks", NULL, test_installed_helper_has_no_hooks);
  add("/decode-sandbox/wire/bounds", NULL, test_wire_bounds);
  g_test_add_func("/decode-sandbox/wire/refusal", test_wire_refusal);
  return g_test_run();
}
