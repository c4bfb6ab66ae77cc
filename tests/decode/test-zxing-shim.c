/*
 * test-zxing-shim.c: decode/zxing-shim.h, zxing-cpp's C face, through the real libzxing
 * 1.4 on images rendered by zint at test time.
 *
 * What the decoder relies on: the AIM identifier and the data as docs/scan-data.md
 * wants them (no leading FNC1, GS between elements), rectangular DMRE Data Matrix, and
 * above all that no image reaches libzxing 1.4's assertion through the shim. For that,
 * the images that abort the unsafe call (zxing-unsafe.cpp, in a child process: two
 * identical Code 128 in one large image) are read through the shim in this process;
 * and a large blurred 1D image, found again on each layer of libzxing's pyramid. And
 * what a fuzzer would send: no pixels, zero sizes, strides shorter and longer than a
 * row, noise, one-pixel images: an error or nothing, never a crash.
 */
#include <string.h>

#include "decode/zxing-shim.h"
#include "image-fixture.h"
#include "zxing-unsafe.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  f->dir = image_fixture_tmpdir_new();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  image_fixture_tmpdir_free(f->dir);
}

/* The symbols of image (the whole of it), kind being MUSTER_ZXING_MATRIX or _LINEAR. */
static int
read_image(const MusterGreyImage *image, MusterZxingFormats kind, MusterZxingSymbol **symbols)
{
  char why[160] = "";
  int n = muster_zxing_read(image->pixels, (int)image->width, (int)image->height,
                            (int)image->width, kind, symbols, why, sizeof why);
  g_assert_cmpstr(why, ==, "");
  g_assert_cmpint(n, >=, 0);
  for (int i = 0; i < n; i++)
    g_test_message("found %s %s \"%s\" at %d,%d", (*symbols)[i].symbology, (*symbols)[i].aim,
                   (*symbols)[i].data, (*symbols)[i].x, (*symbols)[i].y);
  return n;
}

static void
assert_symbol(const MusterZxingSymbol *s, const char *symbology, const char *aim,
              const char *data)
{
  g_assert_cmpstr(s->symbology, ==, symbology);
  g_assert_cmpstr(s->aim, ==, aim);
  g_assert_cmpmem(s->data, s->len, data, strlen(data));
  g_assert_cmpint(s->data[s->len], ==, 0);
}

/* ISO/IEC 21471 rectangular DMRE, plain (]d7) and GS1 (]d8, no leading FNC1): zbar and
 * libdmtx read none of these. */
static void
test_dmre(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterGreyImage) plain =
      image_fixture_zint(f->dir, "dmre", "--barcode=DATAMATRIX", "--dmre", "--vers=31",
                         "--data=DMRE-12345", "--quietzones", "--scale=3", NULL);
  g_assert_cmpuint(plain->width, >, 2 * plain->height); /* 8×48 modules: rectangular */
  MusterZxingSymbol *s = NULL;
  int n = read_image(plain, MUSTER_ZXING_MATRIX, &s);
  g_assert_cmpint(n, ==, 1);
  assert_symbol(&s[0], "datamatrix", "]d7", "DMRE-12345");
  muster_zxing_symbols_free(s, n);

  g_autoptr(MusterGreyImage) gs1 = image_fixture_zint(
      f->dir, "dmre-gs1", "--barcode=DATAMATRIX", "--dmre", "--vers=40", "--gs1",
      "--data=[01]09506000134352[21]AB1[10]L7", "--quietzones", "--scale=3", NULL);
  n = read_image(gs1, MUSTER_ZXING_MATRIX, &s);
  g_assert_cmpint(n, ==, 1);
  assert_symbol(&s[0], "datamatrix", "]d8", "0109506000134352" "21AB1\x1d" "10L7");
  muster_zxing_symbols_free(s, n);
}

/* The kinds are read apart: a linear call finds no Data Matrix, a matrix call no Code
 * 128, and both kinds at once are refused. GS1-128: ]C1, no leading FNC1. */
static void
test_kinds_apart(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterGreyImage) dm = image_fixture_zint(
      f->dir, "dm", "--barcode=DATAMATRIX", "--data=GL-1", "--quietzones", "--scale=4", NULL);
  g_autoptr(MusterGreyImage) c128 = image_fixture_zint(
      f->dir, "gs1128", "--barcode=GS1_128", "--data=[01]09506000134352[10]X1", "--quietzones",
      "--height=30", NULL);
  g_autoptr(MusterGreyImage) frame = muster_grey_image_new(640, 480);
  image_fixture_paste(frame, dm, 260, 180);
  image_fixture_paste(frame, c128, 20, 20);
  MusterZxingSymbol *s = NULL;
  int n = read_image(frame, MUSTER_ZXING_MATRIX, &s);
  g_assert_cmpint(n, ==, 1);
  assert_symbol(&s[0], "datamatrix", "]d1", "GL-1");
  g_assert_cmpint(ABS(s[0].x - (260 + (int)dm->width / 2)), <=, 4);
  g_assert_cmpint(ABS(s[0].y - (180 + (int)dm->height / 2)), <=, 4);
  muster_zxing_symbols_free(s, n);
  n = read_image(frame, MUSTER_ZXING_LINEAR, &s);
  g_assert_cmpint(n, ==, 1);
  assert_symbol(&s[0], "code128", "]C1", "0109506000134352" "10X1");
  muster_zxing_symbols_free(s, n);

  char why[160] = "";
  g_assert_cmpint(muster_zxing_read(frame->pixels, 640, 480, 640,
                                    MUSTER_ZXING_MATRIX | MUSTER_ZXING_LINEAR, &s, why,
                                    sizeof why),
                  ==, -1);
  g_assert_null(s);
  g_assert_nonnull(strstr(why, "separate calls"));
}

/* Matrix symbols: several in one call (libzxing compares them by position, before its
 * assertion). */
static void
test_several_matrix(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterGreyImage) a = image_fixture_zint(f->dir, "qa", "--barcode=QRCODE",
                                                    "--data=GL-A", "--quietzones", "--scale=4", NULL);
  g_autoptr(MusterGreyImage) b = image_fixture_zint(f->dir, "qb", "--barcode=QRCODE",
                                                    "--data=GL-B", "--quietzones", "--scale=4", NULL);
  g_autoptr(MusterGreyImage) frame = muster_grey_image_new(800, 600);
  image_fixture_paste(frame, a, 20, 20);
  image_fixture_paste(frame, a, 20, 340);
  image_fixture_paste(frame, b, 500, 180);
  MusterZxingSymbol *s = NULL;
  int n = read_image(frame, MUSTER_ZXING_MATRIX, &s);
  g_assert_cmpint(n, ==, 3); /* the same QR twice is two symbols here: decoder.c dedups */
  guint seen_a = 0, seen_b = 0;
  for (int i = 0; i < n; i++) {
    seen_a += g_str_equal((char *)s[i].data, "GL-A");
    seen_b += g_str_equal((char *)s[i].data, "GL-B");
  }
  g_assert_cmpuint(seen_a, ==, 2);
  g_assert_cmpuint(seen_b, ==, 1);
  muster_zxing_symbols_free(s, n);
}

/* image aborts libzxing's own multi-symbol read (run in a child: this test case again,
 * where g_test_subprocess() is TRUE), and the shim, in this process, reads the one
 * Code 128 it holds. */
static void
assert_shim_survives(const MusterGreyImage *image, const char *expected)
{
  if (g_test_subprocess()) {
    zxing_unsafe_read_linear(image->pixels, (int)image->width, (int)image->height);
    return;
  }
  g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  if (g_test_trap_has_passed())
    g_test_message("libzxing no longer asserts on this image (a build without asserts, or "
                   "2.2 or later)");
  else
    g_test_trap_assert_stderr("*lineCount() == 1*");
  MusterZxingSymbol *s = NULL;
  int n = read_image(image, MUSTER_ZXING_LINEAR, &s);
  g_assert_cmpint(n, ==, 1);
  assert_symbol(&s[0], "code128", "]C0", expected);
  muster_zxing_symbols_free(s, n);
}

/* A white width×height image with the Code 128 of text (zint --scale=scale) at x, at
 * each of the heights ys (0-terminated). */
static MusterGreyImage *
code128_image(Fixture *f, const char *text, const char *scale, guint width, guint height,
              guint x, const guint *ys)
{
  g_autofree char *d = g_strconcat("--data=", text, NULL);
  g_autofree char *sc = g_strconcat("--scale=", scale, NULL);
  g_autoptr(MusterGreyImage) c128 =
      image_fixture_zint(f->dir, text, "--barcode=CODE128", d, "--quietzones", sc, NULL);
  MusterGreyImage *image = muster_grey_image_new(width, height);
  for (const guint *y = ys; *y != 0; y++)
    image_fixture_paste(image, c128, x, *y);
  return image;
}

/* Two identical Code 128 in a 1600×1200 image: found on two pyramid layers. */
static void
test_twin_code128(Fixture *f, gconstpointer data)
{
  static const guint ys[] = {10, 610, 0};
  g_autoptr(MusterGreyImage) image = code128_image(f, "TWIN-128", "2", 1600, 1200, 10, ys);
  assert_shim_survives(image, "TWIN-128");
}

/* A large blurred Code 128 (4000×3000, smoothed by scaling down and up): libzxing's
 * pyramid has three layers and finds it on more than one. */
static void
test_big_blurred(Fixture *f, gconstpointer data)
{
  static const guint ys[] = {1300, 0};
  g_autoptr(MusterGreyImage) image = code128_image(f, "BLUR-128", "6", 4000, 3000, 1200, ys);
  g_autoptr(MusterGreyImage) small = muster_grey_image_scale(image, 0.25);
  g_autoptr(MusterGreyImage) blurred = muster_grey_image_scale(small, 4.0);
  image_fixture_add_noise(blurred, 6, 3);
  assert_shim_survives(blurred, "BLUR-128");
}

/* What a fuzzer or a broken camera sends: an error or nothing, never a crash. */
static void
test_not_images(Fixture *f, gconstpointer data)
{
  static const guint8 pixels[64 * 64] = {0};
  MusterZxingSymbol *s = (MusterZxingSymbol *)&s; /* set to NULL by every call */
  char why[160];
  struct {
    const guint8 *pixels;
    int width, height, stride;
  } bad[] = {{NULL, 8, 8, 8}, {pixels, 0, 8, 8}, {pixels, 8, 0, 8}, {pixels, -1, 8, 8},
             {pixels, 8, 8, 7}, {pixels, 100000, 100000, 100000}};
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    why[0] = 0;
    g_assert_cmpint(muster_zxing_read(bad[i].pixels, bad[i].width, bad[i].height, bad[i].stride,
                                      MUSTER_ZXING_MATRIX, &s, why, sizeof why),
                    ==, -1);
    g_assert_null(s);
    g_assert_cmpstr(why, !=, "");
  }
  g_assert_cmpint(muster_zxing_read(pixels, 8, 8, 8, MUSTER_ZXING_LINEAR, NULL, NULL, 0), ==, -1);
  g_assert_cmpint(muster_zxing_read(pixels, 8, 8, 8, 0, &s, NULL, 0), ==, -1);

  /* Tiny and thin images, black and noisy: nothing found. */
  const int sizes[][2] = {{1, 1}, {1, 64}, {64, 1}, {2, 2}, {64, 64}};
  for (guint i = 0; i < G_N_ELEMENTS(sizes); i++)
    for (MusterZxingFormats k = MUSTER_ZXING_MATRIX; k <= MUSTER_ZXING_LINEAR; k++) {
      g_assert_cmpint(
          muster_zxing_read(pixels, sizes[i][0], sizes[i][1], sizes[i][0], k, &s, NULL, 0), ==, 0);
      g_assert_null(s);
    }
  g_autoptr(MusterGreyImage) noise = muster_grey_image_new(320, 240);
  memset(noise->pixels, 128, 320 * 240);
  image_fixture_add_noise(noise, 90, 9);
  g_assert_cmpint(read_image(noise, MUSTER_ZXING_MATRIX, &s), ==, 0);
  g_assert_cmpint(read_image(noise, MUSTER_ZXING_LINEAR | MUSTER_ZXING_QUICK, &s), ==, 0);
}

/* Rows further apart than they are wide (a camera's padded lines): read in place, the
 * padding bytes (noise here) never seen. */
static void
test_stride(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterGreyImage) qr = image_fixture_zint(f->dir, "qr", "--barcode=QRCODE",
                                                     "--data=STRIDE", "--quietzones", "--scale=3", NULL);
  guint stride = qr->width + 37;
  g_autofree guint8 *buffer = g_malloc((gsize)stride * qr->height);
  for (guint y = 0; y < qr->height; y++) {
    memcpy(buffer + (gsize)y * stride, qr->pixels + (gsize)y * qr->width, qr->width);
    for (guint x = qr->width; x < stride; x++)
      buffer[(gsize)y * stride + x] = (guint8)(x * 7 + y * 13);
  }
  MusterZxingSymbol *s = NULL;
  int n = muster_zxing_read(buffer, (int)qr->width, (int)qr->height, (int)stride,
                            MUSTER_ZXING_MATRIX, &s, NULL, 0);
  g_assert_cmpint(n, ==, 1);
  assert_symbol(&s[0], "qrcode", "]Q1", "STRIDE");
  muster_zxing_symbols_free(s, n);
}

static const struct {
  const char *path;
  void (*test)(Fixture *, gconstpointer);
} cases[] = {
    {"/zxing-shim/dmre", test_dmre},
    {"/zxing-shim/kinds-apart", test_kinds_apart},
    {"/zxing-shim/several-matrix", test_several_matrix},
    {"/zxing-shim/assertion/twin-code128", test_twin_code128},
    {"/zxing-shim/assertion/big-blurred", test_big_blurred},
    {"/zxing-shim/not-images", test_not_images},
    {"/zxing-shim/stride", test_stride},
};

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    g_test_add(cases[i].path, Fixture, NULL, fixture_setup, cases[i].test, fixture_teardown);
  return g_test_run();
}
