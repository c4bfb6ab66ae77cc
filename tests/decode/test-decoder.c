/*
 * test-decoder.c: the image decoder (zxing-cpp, and zbar where asked for) on images
 * rendered by zint at test time, as they are and as a camera spoils them, and the
 * image-file loader on good, damaged and hostile files.
 *
 * Each case asserts the exact bytes decoded (GS, RS, EOT included; no leading FNC1), the
 * AIM symbology identifier, the symbology, and that nothing else was reported: a decoder
 * that invents a second symbol fails as surely as one that finds nothing.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "core/muster-error.h"
#include "decode/decoder.h"
#include "decode/image-file.h"
#include "image-fixture.h"

typedef struct {
  char *dir;
  MusterDecoder *decoder;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  f->dir = image_fixture_tmpdir_new();
  f->decoder = muster_decoder_new(0);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  muster_decoder_free(f->decoder);
  image_fixture_tmpdir_free(f->dir);
}

static GPtrArray *
decode(Fixture *f, const MusterGreyImage *image)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *symbols = muster_decoder_decode(f->decoder, image, &error);
  g_assert_no_error(error);
  g_assert_nonnull(symbols);
  return symbols;
}

/* Asserts that image holds exactly one symbol, of this symbology and this text; for ASCII
 * text the raw bytes must be the same (non-ASCII text may come from Latin-1 bytes). */
static const MusterSymbol *
assert_one(GPtrArray *symbols, const char *symbology, const char *bytes, gsize len)
{
  for (guint i = 0; i < symbols->len; i++) {
    const MusterSymbol *s = symbols->pdata[i];
    g_test_message("found %s \"%s\" inverted=%d at %d,%d", s->symbology, s->text, s->inverted, s->x,
                   s->y);
  }
  g_assert_cmpuint(symbols->len, ==, 1);
  const MusterSymbol *symbol = symbols->pdata[0];
  g_assert_cmpstr(symbol->symbology, ==, symbology);
  g_assert_cmpmem(symbol->text, strlen(symbol->text), bytes, len);
  if (g_str_is_ascii(bytes)) {
    gsize n = 0;
    const guint8 *raw = g_bytes_get_data(symbol->raw, &n);
    g_assert_cmpmem(raw, n, bytes, len);
  }
  return symbol;
}

#define ASSERT_ONE(symbols, symbology, text) assert_one(symbols, symbology, text, strlen(text))

typedef struct {
  const char *name;
  const char *barcode; /* zint -b */
  const char *data;    /* zint -d, with --esc */
  const char *symbology;
  const char *aim;
  const char *expected;
} Case;

static const Case plain_cases[] = {
    {"code128", "CODE128", "HA112-X/9", "code128", "]C0", "HA112-X/9"},
    {"code39", "CODE39", "SN12345", "code39", "]A0", "SN12345"},
    {"ean13", "EANX", "590123412345", "ean13", "]E0", "5901234123457"},
    /* UPC-A as zxing-cpp (and zbar) give it: 12 digits, EAN's identifier. */
    {"upca", "UPCA", "03600029145", "upca", "]E0", "036000291452"},
    {"qrcode", "QRCODE", "MFR GL SN GL-123456", "qrcode", "]Q1", "MFR GL SN GL-123456"},
    /* zint writes these as Latin-1 bytes, QR's default; the text is UTF-8. */
    {"qrcode-latin1", "QRCODE", "Grüße Nº 7", "qrcode", "]Q1", "Grüße Nº 7"},
    /* Not Latin-1: zint writes UTF-8 with an ECI (libzxing 1.4 still says ]Q1). */
    {"qrcode-utf8", "QRCODE", "Oružje № 7", "qrcode", "]Q1", "Oružje № 7"},
    {"datamatrix", "DATAMATRIX", "GL-123456", "datamatrix", "]d1", "GL-123456"},
    /* MIL-STD-130 IUID: ISO/IEC 15434 format 06 with RS, GS and EOT. */
    {"iso15434", "DATAMATRIX", "[)>\\R06\\G17V1A2B3\\G1PAK47\\GSGL-123456\\R\\E", "datamatrix", "]d1",
     "[)>\x1e"
     "06\x1d"
     "17V1A2B3\x1d"
     "1PAK47\x1dSGL-123456\x1e\x04"},
};

static void
test_plain(Fixture *f, gconstpointer data)
{
  const Case *c = data;
  g_autofree char *b = g_strconcat("--barcode=", c->barcode, NULL);
  g_autofree char *d = g_strconcat("--data=", c->data, NULL);
  g_autoptr(MusterGreyImage) image = image_fixture_zint(f->dir, c->name, b, "--esc", d, NULL);
  g_autoptr(GPtrArray) symbols = decode(f, image);
  const MusterSymbol *s = ASSERT_ONE(symbols, c->symbology, c->expected);
  g_assert_cmpstr(s->aim, ==, c->aim);
  g_assert_false(s->inverted);
  g_assert_false(s->gs1);
  /* The centre lies inside the image. */
  g_assert_cmpint(s->x, >=, 0);
  g_assert_cmpint(s->x, <, (int)image->width);
  g_assert_cmpint(s->y, >=, 0);
  g_assert_cmpint(s->y, <, (int)image->height);
}

/* GS1 (docs/scan-data.md): the identifier says GS1 (]d2, ]C1), the data has no leading
 * FNC1, and FNC1 separators are GS. */
static void
test_gs1_datamatrix(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterGreyImage) image =
      image_fixture_zint(f->dir, "gs1dm", "--barcode=DATAMATRIX", "--gs1",
                         "--data=[01]09506000134352[21]ABC123[8004]12345", NULL);
  g_autoptr(GPtrArray) symbols = decode(f, image);
  const MusterSymbol *s = ASSERT_ONE(symbols, "datamatrix",
                                     "0109506000134352"
                                     "21ABC123\x1d"
                                     "800412345");
  g_assert_cmpstr(s->aim, ==, "]d2");
  g_assert_true(s->gs1);
}

static void
test_gs1_128(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterGreyImage) image = image_fixture_zint(
      f->dir, "gs1128", "--barcode=GS1_128", "--data=[01]09506000134352[21]ABC123[10]X1", NULL);
  g_autoptr(GPtrArray) symbols = decode(f, image);
  const MusterSymbol *s = ASSERT_ONE(symbols, "code128",
                                     "0109506000134352"
                                     "21ABC123\x1d"
                                     "10X1");
  g_assert_cmpstr(s->aim, ==, "]C1");
  g_assert_true(s->gs1);
}

/* Light-on-dark marks (etched metal): found by the inverted pass, and said to be. */
static void
test_inverted(Fixture *f, gconstpointer data)
{
  const Case *c = data;
  g_autofree char *b = g_strconcat("--barcode=", c->barcode, NULL);
  g_autofree char *d = g_strconcat("--data=", c->data, NULL);
  g_autoptr(MusterGreyImage) image =
      image_fixture_zint(f->dir, c->name, b, "--esc", d, "--quietzones", "--scale=3", NULL);
  muster_grey_image_invert(image);
  g_autoptr(GPtrArray) symbols = decode(f, image);
  const MusterSymbol *s = ASSERT_ONE(symbols, c->symbology, c->expected);
  g_assert_cmpstr(s->aim, ==, c->aim);
  g_assert_true(s->inverted);
}

static const Case inverted_cases[] = {
    {"inv-code128", "CODE128", "INV-128", "code128", "]C0", "INV-128"},
    {"inv-qr", "QRCODE", "INV QR", "qrcode", "]Q1", "INV QR"},
    {"inv-dm", "DATAMATRIX", "[)>\\R06\\GSINV-1\\R\\E", "datamatrix", "]d1",
     "[)>\x1e"
     "06\x1dSINV-1\x1e\x04"},
};

typedef struct {
  const Case *c;
  double degrees;
} RotateCase;

static void
test_rotated(Fixture *f, gconstpointer data)
{
  const RotateCase *r = data;
  g_autofree char *b = g_strconcat("--barcode=", r->c->barcode, NULL);
  g_autofree char *d = g_strconcat("--data=", r->c->data, NULL);
  g_autoptr(MusterGreyImage) image =
      image_fixture_zint(f->dir, r->c->name, b, "--esc", d, "--quietzones", "--scale=4", NULL);
  g_autoptr(MusterGreyImage) rotated = image_fixture_rotate(image, r->degrees);
  g_autoptr(GPtrArray) symbols = decode(f, rotated);
  ASSERT_ONE(symbols, r->c->symbology, r->c->expected);
}

static const RotateCase rotate_cases[] = {
    {&plain_cases[0], 90},  /* Code 128 upright: zbar scans columns too */
    {&plain_cases[0], 8},   /* a little askew */
    {&plain_cases[4], 30},  /* QR at any angle */
    {&plain_cases[8], 37},  /* Data Matrix at any angle */
    {&plain_cases[8], 180}, /* upside down */
};

/* Far away (small) and close up (large). */
static void
test_scaled(Fixture *f, gconstpointer data)
{
  const Case *dm = &plain_cases[8], *qr = &plain_cases[4];
  g_autofree char *dmd = g_strconcat("--data=", dm->data, NULL);
  g_autofree char *qrd = g_strconcat("--data=", qr->data, NULL);
  g_autoptr(MusterGreyImage) dm_big = image_fixture_zint(
      f->dir, "dm-big", "--barcode=DATAMATRIX", "--esc", dmd, "--quietzones", "--scale=8", NULL);
  g_autoptr(MusterGreyImage) qr_big = image_fixture_zint(f->dir, "qr-big", "--barcode=QRCODE", qrd,
                                                         "--quietzones", "--scale=8", NULL);
  /* 8 px modules down to 3 px, and 1 px up to 5 px. */
  g_autoptr(MusterGreyImage) dm_small = muster_grey_image_scale(dm_big, 3.0 / 8.0);
  g_autoptr(MusterGreyImage) qr_small = muster_grey_image_scale(qr_big, 3.0 / 8.0);
  g_autoptr(GPtrArray) a = decode(f, dm_small);
  ASSERT_ONE(a, "datamatrix", dm->expected);
  g_autoptr(GPtrArray) b = decode(f, qr_small);
  ASSERT_ONE(b, "qrcode", qr->expected);
  g_autoptr(MusterGreyImage) c128 = image_fixture_zint(f->dir, "c128", "--barcode=CODE128",
                                                       "--data=HA112-X/9", "--quietzones", NULL);
  g_autoptr(MusterGreyImage) c128_big = muster_grey_image_scale(c128, 5.0);
  g_autoptr(GPtrArray) c = decode(f, c128_big);
  ASSERT_ONE(c, "code128", "HA112-X/9");
}

typedef struct {
  const Case *c;
  const char *scale; /* zint --scale: fits the mark in the frame */
} NoisyCase;

/* A mark in a noisy (sigma 30 grey levels), unevenly lit camera-sized frame. */
static void
test_noisy(Fixture *f, gconstpointer data)
{
  const NoisyCase *n = data;
  const Case *c = n->c;
  g_autofree char *scale = g_strconcat("--scale=", n->scale, NULL);
  g_autofree char *b = g_strconcat("--barcode=", c->barcode, NULL);
  g_autofree char *d = g_strconcat("--data=", c->data, NULL);
  g_autoptr(MusterGreyImage) mark =
      image_fixture_zint(f->dir, c->name, b, "--esc", d, "--quietzones", scale, NULL);
  g_autoptr(MusterGreyImage) frame = image_fixture_frame(640, 480, mark, 150, 120, 7);
  image_fixture_add_noise(frame, 30, 11);
  g_autoptr(GPtrArray) symbols = decode(f, frame);
  ASSERT_ONE(symbols, c->symbology, c->expected);
}

/* No code, no reading: an empty frame, pure noise, and text that is not a code. */
static void
test_no_false_positive(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterGreyImage) plain = image_fixture_frame(640, 480, NULL, 0, 0, 3);
  g_autoptr(GPtrArray) a = decode(f, plain);
  g_assert_cmpuint(a->len, ==, 0);
  g_autoptr(MusterGreyImage) noise = muster_grey_image_new(320, 240);
  memset(noise->pixels, 128, 320 * 240);
  image_fixture_add_noise(noise, 80, 5);
  g_autoptr(GPtrArray) b = decode(f, noise);
  g_assert_cmpuint(b->len, ==, 0);
  g_autoptr(MusterGreyImage) black = muster_grey_image_new(64, 64);
  memset(black->pixels, 0, 64 * 64);
  g_autoptr(GPtrArray) c = decode(f, black);
  g_assert_cmpuint(c->len, ==, 0);
  g_autoptr(MusterGreyImage) tiny = muster_grey_image_new(1, 1);
  g_autoptr(GPtrArray) d = decode(f, tiny);
  g_assert_cmpuint(d->len, ==, 0);
}

/* Several symbols in one picture are each reported once; the same mark twice once. The
 * Data Matrix lies far from the centre: a thorough search (`muster decode`) finds it. */
static void
test_several_and_dedup(Fixture *f, gconstpointer data)
{
  muster_decoder_set_thorough(f->decoder, TRUE);
  g_autoptr(MusterGreyImage) dm = image_fixture_zint(
      f->dir, "dm", "--barcode=DATAMATRIX", "--data=GL-1", "--quietzones", "--scale=4", NULL);
  g_autoptr(MusterGreyImage) qr = image_fixture_zint(
      f->dir, "qr", "--barcode=QRCODE", "--data=GL-2", "--quietzones", "--scale=3", NULL);
  g_autoptr(MusterGreyImage) c39 = image_fixture_zint(
      f->dir, "c39", "--barcode=CODE39", "--data=GL-3", "--quietzones", "--scale=2", NULL);
  g_autoptr(MusterGreyImage) frame = muster_grey_image_new(640, 480);
  image_fixture_paste(frame, dm, 20, 20);
  image_fixture_paste(frame, dm, 20, 300);
  image_fixture_paste(frame, qr, 300, 20);
  image_fixture_paste(frame, c39, 250, 300);
  g_autoptr(GPtrArray) symbols = decode(f, frame);
  for (guint i = 0; i < symbols->len; i++) {
    const MusterSymbol *s = symbols->pdata[i];
    g_test_message("found %s \"%s\" at %d,%d", s->symbology, s->text, s->x, s->y);
  }
  g_assert_cmpuint(symbols->len, ==, 3);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < symbols->len; i++) {
    const MusterSymbol *s = symbols->pdata[i];
    g_hash_table_add(seen, g_strdup_printf("%s:%s", s->symbology, s->text));
  }
  g_assert_true(g_hash_table_contains(seen, "datamatrix:GL-1"));
  g_assert_true(g_hash_table_contains(seen, "qrcode:GL-2"));
  g_assert_true(g_hash_table_contains(seen, "code39:GL-3"));
  GList *keys = g_hash_table_get_keys(seen);
  g_list_free_full(keys, g_free);
}

/* Refused before any library sees it: the decode time stays bounded. */
static void
test_too_large(Fixture *f, gconstpointer data)
{
  MusterGreyImage huge = {.width = 8000, .height = 6000, .pixels = NULL};
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) symbols = muster_decoder_decode(f->decoder, &huge, &error);
  g_assert_null(symbols);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "8000×6000"));
}

/* Transparency is flattened onto white, so a black-on-transparent mark reads. */
static void
test_alpha_flattened(Fixture *f, gconstpointer data)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new(GDK_COLORSPACE_RGB, TRUE, 8, 2, 1);
  guint8 *p = gdk_pixbuf_get_pixels(pixbuf);
  const guint8 px[8] = {0, 0, 0, 0, 0, 0, 0, 255}; /* transparent black, opaque black */
  memcpy(p, px, 8);
  g_autoptr(MusterGreyImage) grey = muster_grey_image_new_from_pixbuf(pixbuf);
  g_assert_cmpuint(grey->pixels[0], ==, 255);
  g_assert_cmpuint(grey->pixels[1], ==, 0);
}

static void
assert_load_error(const char *path, int code, const char *says)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterGreyImage) image = muster_image_file_load(path, &error);
  g_assert_null(image);
  g_assert_error(error, MUSTER_ERROR, code);
  g_test_message("%s", error->message);
  g_assert_nonnull(strstr(error->message, path));
  g_assert_nonnull(strstr(error->message, says));
}

static guint32
crc32(const guint8 *data, gsize len)
{
  guint32 crc = 0xffffffffu;
  for (gsize i = 0; i < len; i++) {
    crc ^= data[i];
    for (int k = 0; k < 8; k++)
      crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
  }
  return ~crc;
}

static void
put_be32(guint8 *p, guint32 v)
{
  p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

/* Missing, truncated, not an image, and a small PNG claiming 100000×100000 pixels. */
static void
test_bad_files(Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename(f->dir, "missing.png", NULL);
  assert_load_error(missing, MUSTER_ERROR_NOT_FOUND, "no such file");

  g_autofree char *png = image_fixture_zint_png(f->dir, "good", "--barcode=QRCODE",
                                                "--data=GL-123456", "--scale=4", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_assert_true(g_file_get_contents(png, &contents, &len, NULL));

  g_autofree char *truncated = g_build_filename(f->dir, "truncated.png", NULL);
  g_assert_true(g_file_set_contents(truncated, contents, (gssize)len / 2, NULL));
  assert_load_error(truncated, MUSTER_ERROR_INVALID, "damaged");

  g_autofree char *text = g_build_filename(f->dir, "notes.png", NULL);
  g_assert_true(g_file_set_contents(text, "GL-123456\n", -1, NULL));
  assert_load_error(text, MUSTER_ERROR_INVALID, "not an image");

  /* The IHDR chunk (after the 8-byte signature and its length and type) rewritten, CRC
   * and all, so only the size check stands between the loader and a 40 GB image. */
  guint8 *ihdr = (guint8 *)contents + 8;
  g_assert_cmpmem(ihdr + 4, 4, "IHDR", 4);
  put_be32(ihdr + 8, 100000);
  put_be32(ihdr + 12, 100000);
  put_be32(ihdr + 8 + 13, crc32(ihdr + 4, 17));
  g_autofree char *bomb = g_build_filename(f->dir, "bomb.png", NULL);
  g_assert_true(g_file_set_contents(bomb, contents, (gssize)len, NULL));
  assert_load_error(bomb, MUSTER_ERROR_INVALID, "100000×100000");

  if (getuid() != 0) { /* root reads anything */
    g_autofree char *locked = g_build_filename(f->dir, "locked.png", NULL);
    g_assert_true(g_file_set_contents(locked, contents, (gssize)len, NULL));
    g_chmod(locked, 0);
    assert_load_error(locked, MUSTER_ERROR_IO, "cannot be read");
  }
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
  for (guint i = 0; i < G_N_ELEMENTS(plain_cases); i++) {
    g_autofree char *path = g_strdup_printf("/image/decoder/%s", plain_cases[i].name);
    add(path, &plain_cases[i], test_plain);
  }
  add("/image/decoder/gs1-datamatrix", NULL, test_gs1_datamatrix);
  add("/image/decoder/gs1-128", NULL, test_gs1_128);
  for (guint i = 0; i < G_N_ELEMENTS(inverted_cases); i++) {
    g_autofree char *path = g_strdup_printf("/image/decoder/%s", inverted_cases[i].name);
    add(path, &inverted_cases[i], test_inverted);
  }
  for (guint i = 0; i < G_N_ELEMENTS(rotate_cases); i++) {
    g_autofree char *path = g_strdup_printf("/image/decoder/rotated/%s-%g", rotate_cases[i].c->name,
                                            rotate_cases[i].degrees);
    add(path, &rotate_cases[i], test_rotated);
  }
  add("/image/decoder/scaled", NULL, test_scaled);
  static const NoisyCase noisy[] = {{&plain_cases[0], "1.5"},
                                    {&plain_cases[2], "2"},
                                    {&plain_cases[4], "4"},
                                    {&plain_cases[8], "5"}};
  for (guint i = 0; i < G_N_ELEMENTS(noisy); i++) {
    g_autofree char *path = g_strdup_printf("/image/decoder/noisy/%s", noisy[i].c->name);
    add(path, &noisy[i], test_noisy);
  }
  add("/image/decoder/no-false-positive", NULL, test_no_false_positive);
  add("/image/decoder/several-and-dedup", NULL, test_several_and_dedup);
  add("/image/decoder/too-large", NULL, test_too_large);
  add("/image/file/alpha-flattened", NULL, test_alpha_flattened);
  add("/image/file/bad-files", NULL, test_bad_files);
  return g_test_run();
}
