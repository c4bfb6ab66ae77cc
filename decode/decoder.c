/*
 * decoder.c: zxing-cpp through its shim for every symbology (see decoder.h).
 *
 * Passes, cheapest first: zxing-cpp's matrix call (Data Matrix and QR, any number) and
 * its linear call (one 1D symbol: the only assertion-free way in libzxing 1.4, see
 * zxing-shim.h), each given the image as suits it (views_init); then, only for a kind
 * that found nothing, the same on the inverted image (light-on-dark marks: laser-etched
 * metal). Inverting ourselves tells us which polarity a symbol was found in; libzxing
 * 1.4 has no inverted search of its own. Data Matrix is searched again in the image's
 * corner windows when a frame gave nothing (libzxing 1.4 finds one near the centre). A
 * thorough search (a photograph, not a camera frame) adds libzxing's full 1D search and
 * searches the windows always.
 *
 * zbar runs only when a decoder is given it (the benchmark's comparison): on every set
 * measured it read nothing that zxing-cpp with these passes did not (decode/README.md).
 * Beside zxing-cpp it reads only where zxing-cpp found no 1D symbol. Its symbols get the
 * AIM identifier derived from the symbology and its GS1 flag, and lose their leading GS.
 * zbar runs with ZBAR_CFG_BINARY so that QR bytes are not guessed into Shift-JIS or
 * UTF-8 by zbar; the bytes are turned into text here (UTF-8 if valid, else Latin-1, the
 * QR and Data Matrix default). ISBN and add-on symbologies stay off: they turn one EAN
 * into two readings. EAN/UPC carry one mod-10 check digit, too weak to trust a zbar
 * reading from a couple of scan lines: zbar's quality must reach
 * ZBAR_MIN_QUALITY_WEAK_CHECK for them.
 *
 * Every symbol leaves here in the form of docs/scan-data.md: the AIM identifier, and the
 * data without a leading FNC1.
 */
#include "decode/decoder.h"

#include <string.h>
#include <zbar.h>

#include "core/muster-error.h"
#include "decode/dmtx-search.h"
#include "decode/zxing-shim.h"

#define GS 0x1d
/* Scan lines that must agree on an EAN/UPC reading. */
#define ZBAR_MIN_QUALITY_WEAK_CHECK 8
/* Sizes the 1D searches try, in order, until they find something. */
static const double retry_scales[] = {1.0, 0.75, 0.5};
/* White margin around the image given to the libraries, in pixels. */
#define QUIET_ZONE 16
/* libdmtx readings of symbols with this few Reed-Solomon words need a second look. */
#define DMTX_WEAK_ERROR_WORDS 7
/* The corner windows' share of each side (zxing_windows()): they overlap. */
#define TILE_SHARE 0.6

struct _MusterDecoder {
  zbar_image_scanner_t *scanner;
  zbar_image_scanner_t *ean_scanner; /* EAN/UPC only: beside zxing-cpp */
  guint dmtx_budget_ms;
  guint fallback_turn; /* a camera frame's stage of the fallback (dmtx_fallback()) */
  gboolean preprocess, thorough;
  MusterDecoderLibraries libraries;
};

/* zbar's symbologies, the names scans carry, and the identifier (GS1: aim_gs1). UPC-A
 * is 12 digits and ]E0, as zxing-cpp reports it. */
typedef struct {
  zbar_symbol_type_t type;
  const char *name;
  const char *aim, *aim_gs1;
} ZbarSymbology;

static const ZbarSymbology zbar_symbologies[] = {
    {ZBAR_CODE128, "code128", "]C0", "]C1"}, {ZBAR_CODE39, "code39", "]A0", NULL},
    {ZBAR_EAN13, "ean13", "]E0", NULL},      {ZBAR_EAN8, "ean8", "]E4", NULL},
    {ZBAR_UPCA, "upca", "]E0", NULL},        {ZBAR_UPCE, "upce", "]E0", NULL},
    {ZBAR_QRCODE, "qrcode", "]Q1", "]Q3"},
};

void
muster_symbol_free(MusterSymbol *symbol)
{
  if (symbol == NULL)
    return;
  g_free(symbol->symbology);
  g_bytes_unref(symbol->raw);
  g_free(symbol->text);
  g_free(symbol);
}

GBytes *
muster_symbol_scan_data(const MusterSymbol *symbol)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(symbol->raw, &len);
  gsize aim_len = strlen(symbol->aim);
  guint8 *out = g_malloc(aim_len + len + 1);
  memcpy(out, symbol->aim, aim_len);
  if (len > 0)
    memcpy(out + aim_len, data, len);
  return g_bytes_new_take(out, aim_len + len);
}

/* ean_only: the EAN/UPC family alone, the symbologies zbar earns its place on beside
 * zxing-cpp (decode/README.md). */
static void
zbar_configure(zbar_image_scanner_t *scanner, gboolean ean_only)
{
  zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 0);
  for (guint i = 0; i < G_N_ELEMENTS(zbar_symbologies); i++)
    if (!ean_only || g_str_equal(zbar_symbologies[i].aim, "]E0") ||
        g_str_equal(zbar_symbologies[i].aim, "]E4"))
      zbar_image_scanner_set_config(scanner, zbar_symbologies[i].type, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_POSITION, 1);
  /* Each call is one picture: no inter-frame cache, the camera reader debounces. */
  zbar_image_scanner_enable_cache(scanner, 0);
}

MusterDecoder *
muster_decoder_new(guint dmtx_budget_ms)
{
  MusterDecoder *decoder = g_new0(MusterDecoder, 1);
  decoder->dmtx_budget_ms =
      dmtx_budget_ms != 0 ? dmtx_budget_ms : MUSTER_DECODER_DEFAULT_DMTX_BUDGET_MS;
  decoder->preprocess = TRUE;
  decoder->libraries = MUSTER_DECODER_DEFAULT_LIBRARIES;
  decoder->scanner = zbar_image_scanner_create();
  zbar_configure(decoder->scanner, FALSE);
  decoder->ean_scanner = zbar_image_scanner_create();
  zbar_configure(decoder->ean_scanner, TRUE);
  return decoder;
}

void
muster_decoder_free(MusterDecoder *decoder)
{
  if (decoder == NULL)
    return;
  zbar_image_scanner_destroy(decoder->scanner);
  zbar_image_scanner_destroy(decoder->ean_scanner);
  g_free(decoder);
}

void
muster_decoder_reset(MusterDecoder *decoder)
{
  g_return_if_fail(decoder != NULL);
  decoder->fallback_turn = 0;
}

void
muster_decoder_set_preprocess(MusterDecoder *decoder, gboolean on)
{
  g_return_if_fail(decoder != NULL);
  decoder->preprocess = on;
}

void
muster_decoder_set_thorough(MusterDecoder *decoder, gboolean on)
{
  g_return_if_fail(decoder != NULL);
  decoder->thorough = on;
}

void
muster_decoder_set_libraries(MusterDecoder *decoder, MusterDecoderLibraries libraries)
{
  g_return_if_fail(decoder != NULL);
  decoder->libraries = libraries;
}

static gboolean
weak_check(zbar_symbol_type_t type)
{
  return type == ZBAR_EAN13 || type == ZBAR_EAN8 || type == ZBAR_UPCA || type == ZBAR_UPCE;
}

static const ZbarSymbology *
zbar_symbology(zbar_symbol_type_t type)
{
  for (guint i = 0; i < G_N_ELEMENTS(zbar_symbologies); i++)
    if (zbar_symbologies[i].type == type)
      return &zbar_symbologies[i];
  return NULL;
}

static char *
bytes_to_text(const guint8 *data, gsize len)
{
  if (len == 0)
    return g_strdup("");
  if (g_utf8_validate((const char *)data, (gssize)len, NULL) && memchr(data, 0, len) == NULL)
    return g_strndup((const char *)data, len);
  g_autofree char *latin1 = g_strndup((const char *)data, len);
  /* Latin-1 to UTF-8 cannot fail; an embedded NUL ends the text, raw keeps all bytes. */
  return g_convert(latin1, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

/* The identifiers that say "GS1 element string" (FNC1 in first position); ]d8 is a GS1
 * rectangular DMRE symbol (ISO/IEC 21471 adds 6 to Data Matrix's modifier). */
static gboolean
aim_is_gs1(const char *aim)
{
  return g_str_equal(aim, "]C1") || g_str_equal(aim, "]d2") || g_str_equal(aim, "]d8") ||
         g_str_equal(aim, "]Q3");
}

/* A symbol in the form of docs/scan-data.md. zbar says "FNC1 first" with a leading GS
 * (libdmtx did too): the identifier says it instead, so the GS goes. */
static MusterSymbol *
symbol_new(const char *symbology, const char *aim, const guint8 *data, gsize len,
           gboolean inverted)
{
  MusterSymbol *symbol = g_new0(MusterSymbol, 1);
  symbol->symbology = g_strdup(symbology);
  g_strlcpy(symbol->aim, aim, sizeof symbol->aim);
  symbol->gs1 = aim_is_gs1(symbol->aim);
  if (symbol->gs1 && len > 0 && data[0] == GS)
    data++, len--;
  symbol->raw = g_bytes_new(data, len);
  symbol->text = bytes_to_text(data, len);
  symbol->inverted = inverted;
  return symbol;
}

static gboolean
already_found(GPtrArray *found, const MusterSymbol *symbol)
{
  for (guint i = 0; i < found->len; i++) {
    const MusterSymbol *other = found->pdata[i];
    if (g_str_equal(other->symbology, symbol->symbology) && g_bytes_equal(other->raw, symbol->raw))
      return TRUE;
  }
  return FALSE;
}

/* Keeps symbol unless it was found already or holds no data (a Data Matrix of padding
 * only, say, or noise that zbar took for a symbol): an empty reading reads nothing. */
static void
add_unique(GPtrArray *found, MusterSymbol *symbol)
{
  if (g_bytes_get_size(symbol->raw) == 0 || already_found(found, symbol))
    muster_symbol_free(symbol);
  else
    g_ptr_array_add(found, symbol);
}

/* ---- views of the image ----------------------------------------------------------- */

/* What a library is given: the image, or a copy of it scaled, with a white quiet zone
 * (margin pixels), inverted. Positions are mapped back to the caller's image. */
typedef struct {
  const MusterGreyImage *image;
  double scale;
  guint margin;
  gboolean inverted;
  guint x0, y0, width, height; /* the window searched; width 0: all of image */
} View;

static void
view_position(const View *view, int x, int y, MusterSymbol *symbol)
{
  symbol->x = (int)((x + (int)view->x0 - (int)view->margin) / view->scale);
  symbol->y = (int)((y + (int)view->y0 - (int)view->margin) / view->scale);
}

/* ---- zxing-cpp ------------------------------------------------------------------- */

/* One call of the shim; returns how many new symbols. A failure of libzxing costs this
 * pass, not the decode: it is logged, and the other passes still run. */
static guint
zxing_scan(const View *view, MusterZxingFormats formats, GPtrArray *found)
{
  const MusterGreyImage *image = view->image;
  guint width = view->width != 0 ? view->width : image->width;
  guint height = view->width != 0 ? view->height : image->height;
  const guint8 *pixels = image->pixels + (gsize)view->y0 * image->width + view->x0;
  MusterZxingSymbol *zs = NULL;
  char why[160] = "";
  int n = muster_zxing_read(pixels, (int)width, (int)height, (int)image->width, formats, &zs,
                            why, sizeof why);
  if (n < 0) {
    g_debug("zxing-cpp on a %u×%u image: %s", width, height, why);
    return 0;
  }
  guint before = found->len;
  for (int i = 0; i < n; i++) {
    MusterSymbol *symbol =
        symbol_new(zs[i].symbology, zs[i].aim, zs[i].data, zs[i].len, view->inverted);
    view_position(view, zs[i].x, zs[i].y, symbol);
    add_unique(found, symbol);
  }
  muster_zxing_symbols_free(zs, n);
  return found->len - before;
}

/* A search of a view; returns how many new symbols it found. */
typedef guint (*ViewScan)(MusterDecoder *decoder, const View *view, GPtrArray *found);

/* With preprocessing, while scan finds nothing: scan at smaller sizes. Noise and blur
 * that hide a 1D code at full size shrink below a module (3/4 size reads the noisy
 * frames of test-decoder.c). Returns how many new symbols. */
static guint
retry_smaller(MusterDecoder *decoder, const View *view, ViewScan scan, GPtrArray *found)
{
  guint n = 0;
  for (guint i = 1; decoder->preprocess && i < G_N_ELEMENTS(retry_scales) && n == 0; i++) {
    g_autoptr(MusterGreyImage) scaled = muster_grey_image_scale(view->image, retry_scales[i]);
    if (scaled == NULL)
      continue;
    View smaller = {scaled, view->scale * retry_scales[i], view->margin * retry_scales[i],
                    view->inverted, 0, 0, 0, 0};
    n = scan(decoder, &smaller, found);
  }
  return n;
}

/* scan at half size: one step, not retry_smaller()'s ladder (libdmtx's budget). */
static guint
retry_smaller_half(MusterDecoder *decoder, const View *view, ViewScan scan, GPtrArray *found)
{
  g_autoptr(MusterGreyImage) half = muster_grey_image_scale(view->image, 0.5);
  if (half == NULL)
    return 0;
  View smaller = {half, view->scale * 0.5, 0, view->inverted, 0, 0, 0, 0};
  return scan(decoder, &smaller, found);
}

static guint
zxing_linear_quick(MusterDecoder *decoder, const View *view, GPtrArray *found)
{
  return zxing_scan(view, MUSTER_ZXING_LINEAR | MUSTER_ZXING_QUICK, found);
}

/* One linear symbol (zxing-shim.h). Without preprocessing: libzxing's full search, as
 * it is. With: its quick search first (32 rows and columns, 0.1 ms instead of 6 on a
 * 640×480 frame: a camera sees the same code in the next frames anyway), then, only for
 * a thorough search, the full one, then the quick search at smaller sizes. The inverted
 * image gets the quick search only: light-on-dark 1D codes are rare (etched marks are
 * Data Matrix). */
static guint
zxing_linear(MusterDecoder *decoder, const View *view, GPtrArray *found)
{
  if (!decoder->preprocess)
    return zxing_scan(view, MUSTER_ZXING_LINEAR, found);
  guint n = zxing_linear_quick(decoder, view, found);
  if (n == 0 && decoder->thorough && !view->inverted)
    n = zxing_scan(view, MUSTER_ZXING_LINEAR, found);
  if (n == 0 && !view->inverted)
    n = retry_smaller(decoder, view, zxing_linear_quick, found);
  return n;
}

/* ---- zbar ------------------------------------------------------------------------ */

static MusterSymbol *
zbar_symbol(const zbar_symbol_t *zs, const View *view)
{
  zbar_symbol_type_t type = zbar_symbol_get_type(zs);
  const ZbarSymbology *sym = zbar_symbology(type);
  if (sym == NULL ||
      (weak_check(type) && zbar_symbol_get_quality(zs) < ZBAR_MIN_QUALITY_WEAK_CHECK))
    return NULL;
  gboolean gs1 = (zbar_symbol_get_modifiers(zs) & (1u << ZBAR_MOD_GS1)) != 0;
  const char *aim = gs1 && sym->aim_gs1 != NULL ? sym->aim_gs1 : sym->aim;
  MusterSymbol *symbol = symbol_new(sym->name, aim, (const guint8 *)zbar_symbol_get_data(zs),
                                    zbar_symbol_get_data_length(zs), view->inverted);
  unsigned n = zbar_symbol_get_loc_size(zs);
  long sx = 0, sy = 0;
  for (unsigned i = 0; i < n; i++) {
    sx += zbar_symbol_get_loc_x(zs, i);
    sy += zbar_symbol_get_loc_y(zs, i);
  }
  view_position(view, n > 0 ? (int)(sx / n) : 0, n > 0 ? (int)(sy / n) : 0, symbol);
  return symbol;
}

static guint
zbar_scan(MusterDecoder *decoder, const View *view, GPtrArray *found)
{
  const MusterGreyImage *image = view->image;
  zbar_image_t *zimage = zbar_image_create();
  zbar_image_set_format(zimage, zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(zimage, image->width, image->height);
  zbar_image_set_data(zimage, image->pixels, (unsigned long)image->width * image->height, NULL);
  guint before = found->len;
  zbar_image_scanner_t *scanner =
      decoder->libraries & MUSTER_DECODER_ZXING ? decoder->ean_scanner : decoder->scanner;
  if (zbar_scan_image(scanner, zimage) > 0) {
    for (const zbar_symbol_t *zs = zbar_image_first_symbol(zimage); zs != NULL;
         zs = zbar_symbol_next(zs)) {
      MusterSymbol *symbol = zbar_symbol(zs, view);
      if (symbol != NULL)
        add_unique(found, symbol);
    }
  }
  zbar_image_destroy(zimage);
  return found->len - before;
}

/* Returns how many new symbols zbar found, trying smaller sizes while it finds none. */
static guint
zbar_pass(MusterDecoder *decoder, const View *view, GPtrArray *found)
{
  guint n = zbar_scan(decoder, view, found);
  return n > 0 ? n : retry_smaller(decoder, view, zbar_scan, found);
}

/* ---- the passes ------------------------------------------------------------------- */

/* Symbols found so far, by kind: a kind that found nothing is retried inverted. */
typedef struct {
  guint matrix, linear;
} Found;

/* The matrix symbols of the image's four corner windows (each TILE_SHARE of a side):
 * libzxing 1.4 as Debian builds it (without C++20 coroutines) finds one Data Matrix a
 * search, one that its centre lines cross or the one nearest the centre; each window
 * has centre lines of its own (and the image's cross the windows' borders). */
static guint
zxing_windows(const View *view, GPtrArray *found)
{
  guint n = 0;
  guint w = view->image->width * TILE_SHARE, h = view->image->height * TILE_SHARE;
  for (guint i = 0; i < 4 && w > 0 && h > 0; i++) {
    View tile = *view;
    tile.x0 = i % 2 == 0 ? 0 : view->image->width - w;
    tile.y0 = i / 2 == 0 ? 0 : view->image->height - h;
    tile.width = w, tile.height = h;
    n += zxing_scan(&tile, MUSTER_ZXING_MATRIX, found);
  }
  return n;
}

/* The image as the libraries get it, in one polarity: matrix is the image inside a white
 * quiet zone (a Data Matrix cropped to its edge is not found without one); linear is
 * the image itself, without that white, which would shift libzxing's 1D threshold (a
 * row's histogram) on a grey photograph: ZXing's EAN-13 set reads 27 of 34 padded, 32
 * not. Without preprocessing both are the image as it is. */
typedef struct {
  View matrix, linear;
  MusterGreyImage *padded, *inverted; /* owned copies, or NULL */
} Views;

static void
views_init(MusterDecoder *decoder, const MusterGreyImage *image, gboolean inverted, Views *v)
{
  *v = (Views){{image, 1.0, 0, inverted, 0, 0, 0, 0}, {image, 1.0, 0, inverted, 0, 0, 0, 0},
               NULL, NULL};
  if (!decoder->preprocess)
    return;
  if (inverted) {
    v->inverted = muster_grey_image_copy(image);
    muster_grey_image_invert(v->inverted);
    v->linear.image = v->matrix.image = v->inverted;
  }
  v->padded = muster_grey_image_pad(v->linear.image, QUIET_ZONE);
  if (v->padded != NULL) {
    v->matrix.image = v->padded;
    v->matrix.margin = QUIET_ZONE;
  }
}

static void
views_clear(Views *v)
{
  muster_grey_image_free(v->padded);
  muster_grey_image_free(v->inverted);
}

static Found
decode_views(MusterDecoder *decoder, const Views *v, Found want, GPtrArray *found)
{
  Found n = {0, 0};
  gboolean zxing = (decoder->libraries & MUSTER_DECODER_ZXING) != 0;
  if (zxing && want.matrix)
    n.matrix += zxing_scan(&v->matrix, MUSTER_ZXING_MATRIX, found);
  if (zxing && want.linear)
    n.linear += zxing_linear(decoder, &v->linear, found);
  /* The windows: always for a thorough search (several Data Matrix in a photo); for a
   * camera frame only when its normal polarity gave nothing at all (a mark held
   * off-centre; about 4 ms on 640×480). */
  gboolean windows =
      decoder->thorough || (n.matrix == 0 && n.linear == 0 && !v->matrix.inverted);
  if (zxing && want.matrix && decoder->preprocess && windows)
    n.matrix += zxing_windows(&v->matrix, found);
  /* Beside zxing-cpp, zbar reads EAN/UPC only, where zxing-cpp read no 1D symbol (one
   * reading of a symbol, never two that disagree): in a thorough search always (on
   * blurred EAN-13 zbar reads some that zxing-cpp misses), in a camera frame only when
   * asked (MUSTER_DECODER_ZBAR; the next frame reads again). Alone it reads every
   * symbology it has, QR too: counted as linear, its retry is the same. */
  gboolean zbar = (decoder->libraries & MUSTER_DECODER_ZBAR) ||
                  (zxing && decoder->preprocess && decoder->thorough && !v->linear.inverted);
  if (zbar && want.linear && n.linear == 0)
    n.linear += zbar_pass(decoder, &v->linear, found);
  return n;
}

/* ---- libdmtx, for marks on metal ----------------------------------------------- */

/* One libdmtx search's share of the budget: a fifth in a thorough search (five
 * searches), half in a camera frame's (two a stage, dmtx_fallback()). */
static guint
dmtx_search_ms(const MusterDecoder *decoder)
{
  return MAX(decoder->dmtx_budget_ms / (decoder->thorough ? 5 : 2), 1);
}

/* TRUE when a search of view's image at another size (3/4, or 3/2 of a reduced one)
 * reads data too: a second sampling of every module. */
static gboolean
dmtx_confirmed(MusterDecoder *decoder, const View *view, GBytes *data)
{
  g_autoptr(MusterGreyImage) other =
      muster_grey_image_scale(view->image, view->scale < 1.0 ? 1.5 : 0.75);
  if (other == NULL)
    return FALSE;
  g_autoptr(GArray) hits = muster_dmtx_search(other, dmtx_search_ms(decoder));
  for (guint i = 0; i < hits->len; i++)
    if (g_bytes_equal(g_array_index(hits, MusterDmtxHit, i).data, data))
      return TRUE;
  return FALSE;
}

/* One libdmtx search of view (scaled and maybe inverted), its share of the budget.
 * A small symbol (DMTX_WEAK_ERROR_WORDS or fewer Reed-Solomon words: 10×10, 12×12,
 * 8×18) read from a noisy picture can be corrected into a wrong message that checks:
 * on the direct-part-mark set two 10×10 serials in 40 frames read as other text. Such
 * a reading counts only when a second sampling at another size agrees (dmtx_confirmed);
 * a camera reads the next frame anyway. */
static guint
dmtx_scan(MusterDecoder *decoder, const View *view, GPtrArray *found)
{
  g_autoptr(GArray) hits = muster_dmtx_search(view->image, dmtx_search_ms(decoder));
  guint before = found->len;
  for (guint i = 0; i < hits->len; i++) {
    const MusterDmtxHit *hit = &g_array_index(hits, MusterDmtxHit, i);
    if (hit->error_words <= DMTX_WEAK_ERROR_WORDS && !dmtx_confirmed(decoder, view, hit->data))
      continue;
    gsize len = 0;
    const guint8 *data = g_bytes_get_data(hit->data, &len);
    /* libdmtx says "FNC1 first" (GS1) with a leading GS; symbol_new() drops it. */
    const char *aim = len > 0 && data[0] == GS ? "]d2" : "]d1";
    MusterSymbol *symbol = symbol_new("datamatrix", aim, data, len, view->inverted);
    view_position(view, hit->x, hit->y, symbol);
    add_unique(found, symbol);
  }
  return found->len - before;
}

/* Dot-peen: the image with its dots grown into each other (muster_grey_image_darkest,
 * 3 px: a third of a 9 px module), searched by zxing-cpp and then libdmtx. Dots with gaps
 * break the solid finder pattern both look for. */
static guint
dot_peen_scan(MusterDecoder *decoder, const MusterGreyImage *image, GPtrArray *found)
{
  g_autoptr(MusterGreyImage) joined = muster_grey_image_darkest(image, 3);
  if (joined == NULL)
    return 0;
  g_autoptr(MusterGreyImage) padded = muster_grey_image_pad(joined, QUIET_ZONE);
  View view = {padded != NULL ? padded : joined, 1.0, padded != NULL ? QUIET_ZONE : 0, FALSE,
               0, 0, 0, 0};
  guint n = zxing_scan(&view, MUSTER_ZXING_MATRIX, found);
  if (n == 0) {
    View plain = {joined, 1.0, 0, FALSE, 0, 0, 0, 0};
    n = dmtx_scan(decoder, &plain, found);
  }
  return n;
}

/* One stage of the fallback: libdmtx on the image in one polarity, full size then half
 * (averaging 2×2 pixels smooths the noise its edge finder trips on). */
static guint
dmtx_polarity(MusterDecoder *decoder, const MusterGreyImage *image, gboolean inverted,
              GPtrArray *found)
{
  g_autoptr(MusterGreyImage) copy = inverted ? muster_grey_image_copy(image) : NULL;
  if (copy != NULL)
    muster_grey_image_invert(copy);
  View view = {copy != NULL ? copy : image, 1.0, 0, inverted, 0, 0, 0, 0};
  guint n = dmtx_scan(decoder, &view, found);
  return n > 0 ? n : retry_smaller_half(decoder, &view, dmtx_scan, found);
}

/* Where zxing-cpp found nothing, three stages: libdmtx on the image, on it inverted, and
 * the dot-peen view. A thorough search runs them in turn until one reads, each search a
 * fifth of the budget. A camera frame runs one stage, the next frame the next (a mark
 * held still meets all three within three frames, about 0.1 s), so that no frame costs
 * more than zxing-cpp's passes and the budget (decoder.h). */
static void
dmtx_fallback(MusterDecoder *decoder, const MusterGreyImage *image, GPtrArray *found)
{
  for (guint stage = 0; stage < 3; stage++) {
    guint turn = decoder->thorough ? stage : decoder->fallback_turn++ % 3;
    guint n = turn == 2 ? dot_peen_scan(decoder, image, found)
                        : dmtx_polarity(decoder, image, turn == 1, found);
    if (n > 0 || !decoder->thorough)
      return;
  }
}

GPtrArray *
muster_decoder_decode(MusterDecoder *decoder, const MusterGreyImage *image, GError **error)
{
  g_return_val_if_fail(decoder != NULL && image != NULL, NULL);
  if ((guint64)image->width * image->height > MUSTER_DECODER_MAX_PIXELS) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "the image is %u×%u pixels, more than the %u megapixels decoded; scale it "
                "down or crop it to the mark",
                image->width, image->height, MUSTER_DECODER_MAX_PIXELS / 1000000u);
    return NULL;
  }
  GPtrArray *found = g_ptr_array_new_with_free_func((GDestroyNotify)muster_symbol_free);
  Views v;
  views_init(decoder, image, FALSE, &v);
  Found n = decode_views(decoder, &v, (Found){1, 1}, found);
  views_clear(&v);
  if (!decoder->preprocess || (n.matrix > 0 && n.linear > 0))
    return found;
  views_init(decoder, image, TRUE, &v);
  decode_views(decoder, &v, (Found){n.matrix == 0, n.linear == 0}, found);
  views_clear(&v);
  /* Only where nothing was found: a picture that showed a code is that code's picture,
   * and libdmtx's budget would be spent on every photograph of a QR code. */
  if ((decoder->libraries & MUSTER_DECODER_ZXING) && found->len == 0)
    dmtx_fallback(decoder, image, found);
  return found;
}
