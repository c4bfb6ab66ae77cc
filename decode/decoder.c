/*
 * decoder.c: zbar for 1D and QR, libdmtx for Data Matrix (see decoder.h).
 *
 * Passes, cheapest first: zbar on the image; libdmtx on the image with a white quiet
 * zone added, at full then half size; then, only for a library that found nothing, the
 * same on the inverted image. libdmtx's four searches get a quarter of the budget each,
 * so an image without a Data Matrix (where libdmtx would search for seconds) costs at
 * most the budget. Inverting ourselves rather than with zbar's ZBAR_CFG_TEST_INVERTED tells us
 * which polarity a symbol was found in, and lets libdmtx (which has no such option)
 * share the inverted copy.
 *
 * zbar runs with ZBAR_CFG_BINARY so that QR bytes are not guessed into Shift-JIS or
 * UTF-8 by zbar; the bytes are turned into text here (UTF-8 if valid, else Latin-1, the
 * QR and Data Matrix default). ISBN and add-on symbologies stay off: they turn one EAN
 * into two readings. libdmtx gets DmtxPropFnc1 = GS so that a GS1 symbol's FNC1
 * separators survive as GS instead of vanishing.
 *
 * zbar misses blurred or noisy 1D codes at full size that it reads once the image is
 * smaller (the blur shrinks below a module), so when it finds nothing it tries again at
 * 3/4 and 1/2 size. EAN/UPC carry one mod-10 check digit, too weak to trust a reading
 * from a couple of scan lines: zbar's quality (the number of scan lines that agreed) must
 * reach ZBAR_MIN_QUALITY_WEAK_CHECK for them. Both were set on ZXing's black-box images
 * (see tests/decode/test-zxing-blackbox.c), where they turn misreads into reads.
 */
#include "decode/decoder.h"

#include <dmtx.h>
#include <string.h>
#include <zbar.h>

#include "core/muster-error.h"

#define GS 0x1d
/* Quiet zone added around the image for libdmtx, in pixels. */
#define DMTX_MARGIN 16
/* Scan lines that must agree on an EAN/UPC reading. */
#define ZBAR_MIN_QUALITY_WEAK_CHECK 8
/* Sizes zbar tries, in order, until it finds something. */
static const double zbar_scales[] = {1.0, 0.75, 0.5};

struct _MusterDecoder {
  zbar_image_scanner_t *scanner;
  guint dmtx_budget_ms;
};

/* zbar's symbologies we enable, and the names scans carry. */
static const struct {
  zbar_symbol_type_t type;
  const char *name;
} zbar_symbologies[] = {
    {ZBAR_CODE128, "code128"}, {ZBAR_CODE39, "code39"}, {ZBAR_EAN13, "ean13"},
    {ZBAR_EAN8, "ean8"},       {ZBAR_UPCA, "upca"},     {ZBAR_UPCE, "upce"},
    {ZBAR_QRCODE, "qrcode"},
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

MusterDecoder *
muster_decoder_new(guint dmtx_budget_ms)
{
  MusterDecoder *decoder = g_new0(MusterDecoder, 1);
  decoder->dmtx_budget_ms =
      dmtx_budget_ms != 0 ? dmtx_budget_ms : MUSTER_DECODER_DEFAULT_DMTX_BUDGET_MS;
  decoder->scanner = zbar_image_scanner_create();
  zbar_image_scanner_set_config(decoder->scanner, 0, ZBAR_CFG_ENABLE, 0);
  for (guint i = 0; i < G_N_ELEMENTS(zbar_symbologies); i++)
    zbar_image_scanner_set_config(decoder->scanner, zbar_symbologies[i].type, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config(decoder->scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  zbar_image_scanner_set_config(decoder->scanner, 0, ZBAR_CFG_POSITION, 1);
  /* Each call is one picture: no inter-frame cache, the camera reader debounces. */
  zbar_image_scanner_enable_cache(decoder->scanner, 0);
  return decoder;
}

void
muster_decoder_free(MusterDecoder *decoder)
{
  if (decoder == NULL)
    return;
  zbar_image_scanner_destroy(decoder->scanner);
  g_free(decoder);
}

static gboolean
weak_check(zbar_symbol_type_t type)
{
  return type == ZBAR_EAN13 || type == ZBAR_EAN8 || type == ZBAR_UPCA || type == ZBAR_UPCE;
}

static const char *
zbar_symbology_name(zbar_symbol_type_t type)
{
  for (guint i = 0; i < G_N_ELEMENTS(zbar_symbologies); i++)
    if (zbar_symbologies[i].type == type)
      return zbar_symbologies[i].name;
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

static MusterSymbol *
symbol_new(const char *symbology, const guint8 *data, gsize len, gboolean gs1, gboolean inverted)
{
  MusterSymbol *symbol = g_new0(MusterSymbol, 1);
  symbol->symbology = g_strdup(symbology);
  /* A GS1 symbol's data always starts with GS (its FNC1 in first position), whichever
   * library read it: the payload parser recognises GS1 from the bytes. */
  if (gs1 && (len == 0 || data[0] != GS)) {
    g_autofree guint8 *with_gs = g_malloc(len + 1);
    with_gs[0] = GS;
    memcpy(with_gs + 1, data, len);
    symbol->raw = g_bytes_new(with_gs, len + 1);
  } else {
    symbol->raw = g_bytes_new(data, len);
  }
  gsize n = 0;
  const guint8 *bytes = g_bytes_get_data(symbol->raw, &n);
  symbol->text = bytes_to_text(bytes, n);
  symbol->gs1 = gs1;
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

static void
zbar_symbol_centre(const zbar_symbol_t *zs, double scale, int *x, int *y)
{
  unsigned n = zbar_symbol_get_loc_size(zs);
  long sx = 0, sy = 0;
  for (unsigned i = 0; i < n; i++) {
    sx += zbar_symbol_get_loc_x(zs, i);
    sy += zbar_symbol_get_loc_y(zs, i);
  }
  *x = n > 0 ? (int)(sx / n / scale) : 0;
  *y = n > 0 ? (int)(sy / n / scale) : 0;
}

/* One zbar scan of image, which is the original scaled by scale. */
static guint
zbar_scan(MusterDecoder *decoder, const MusterGreyImage *image, double scale, gboolean inverted,
          GPtrArray *found)
{
  zbar_image_t *zimage = zbar_image_create();
  zbar_image_set_format(zimage, zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(zimage, image->width, image->height);
  zbar_image_set_data(zimage, image->pixels, (unsigned long)image->width * image->height, NULL);
  guint before = found->len;
  if (zbar_scan_image(decoder->scanner, zimage) > 0) {
    for (const zbar_symbol_t *zs = zbar_image_first_symbol(zimage); zs != NULL;
         zs = zbar_symbol_next(zs)) {
      zbar_symbol_type_t type = zbar_symbol_get_type(zs);
      const char *name = zbar_symbology_name(type);
      if (name == NULL ||
          (weak_check(type) && zbar_symbol_get_quality(zs) < ZBAR_MIN_QUALITY_WEAK_CHECK))
        continue;
      gboolean gs1 = (zbar_symbol_get_modifiers(zs) & (1u << ZBAR_MOD_GS1)) != 0;
      MusterSymbol *symbol = symbol_new(name, (const guint8 *)zbar_symbol_get_data(zs),
                                        zbar_symbol_get_data_length(zs), gs1, inverted);
      zbar_symbol_centre(zs, scale, &symbol->x, &symbol->y);
      add_unique(found, symbol);
    }
  }
  zbar_image_destroy(zimage);
  return found->len - before;
}

/* Returns how many new symbols zbar found, trying smaller sizes while it finds none. */
static guint
zbar_pass(MusterDecoder *decoder, const MusterGreyImage *image, gboolean inverted, GPtrArray *found)
{
  guint n = zbar_scan(decoder, image, 1.0, inverted, found);
  for (guint i = 1; i < G_N_ELEMENTS(zbar_scales) && n == 0; i++) {
    g_autoptr(MusterGreyImage) scaled = muster_grey_image_scale(image, zbar_scales[i]);
    if (scaled != NULL)
      n = zbar_scan(decoder, scaled, zbar_scales[i], inverted, found);
  }
  return n;
}

static MusterSymbol *
dmtx_symbol(DmtxDecode *dec, DmtxRegion *reg, const DmtxMessage *msg, double scale,
            gboolean inverted)
{
  /* Data Matrix GS1 starts with FNC1, which libdmtx (DmtxPropFnc1) emits as GS. */
  gboolean gs1 = msg->outputIdx > 0 && msg->output[0] == GS;
  MusterSymbol *symbol = symbol_new("datamatrix", msg->output, msg->outputIdx, gs1, inverted);
  DmtxVector2 centre = {0.5, 0.5};
  dmtxMatrix3VMultiplyBy(&centre, reg->fit2raw);
  /* libdmtx's origin is the bottom left; the padded image is DMTX_MARGIN bigger. */
  int height = dmtxDecodeGetProp(dec, DmtxPropHeight);
  symbol->x = (int)((centre.X - DMTX_MARGIN) / scale);
  symbol->y = (int)((height - 1 - centre.Y - DMTX_MARGIN) / scale);
  return symbol;
}

/* One libdmtx search of image (the original scaled by scale), until its deadline. */
static guint
dmtx_scan(MusterDecoder *decoder, const MusterGreyImage *image, double scale, gboolean inverted,
          GPtrArray *found)
{
  g_autoptr(MusterGreyImage) padded = muster_grey_image_pad(image, DMTX_MARGIN);
  if (padded == NULL)
    return 0;
  DmtxImage *dimage =
      dmtxImageCreate(padded->pixels, (int)padded->width, (int)padded->height, DmtxPack8bppK);
  if (dimage == NULL)
    return 0;
  dmtxImageSetProp(dimage, DmtxPropImageFlip, DmtxFlipNone);
  DmtxDecode *dec = dmtxDecodeCreate(dimage, 1);
  guint before = found->len;
  if (dec != NULL) {
    dmtxDecodeSetProp(dec, DmtxPropFnc1, GS);
    DmtxTime deadline = dmtxTimeAdd(dmtxTimeNow(), (long)MAX(decoder->dmtx_budget_ms / 4, 1));
    DmtxRegion *reg;
    while ((reg = dmtxRegionFindNext(dec, &deadline)) != NULL) {
      DmtxMessage *msg = dmtxDecodeMatrixRegion(dec, reg, DmtxUndefined);
      if (msg != NULL) {
        add_unique(found, dmtx_symbol(dec, reg, msg, scale, inverted));
        dmtxMessageDestroy(&msg);
      }
      dmtxRegionDestroy(&reg);
    }
    dmtxDecodeDestroy(&dec);
  }
  dmtxImageDestroy(&dimage);
  return found->len - before;
}

/* Full size, then (when that found nothing) half size: averaging 2×2 pixels smooths the
 * noise libdmtx's edge finder trips on. */
static guint
dmtx_pass(MusterDecoder *decoder, const MusterGreyImage *image, gboolean inverted, GPtrArray *found)
{
  guint n = dmtx_scan(decoder, image, 1.0, inverted, found);
  if (n == 0) {
    g_autoptr(MusterGreyImage) half = muster_grey_image_scale(image, 0.5);
    if (half != NULL)
      n = dmtx_scan(decoder, half, 0.5, inverted, found);
  }
  return n;
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
  guint n_zbar = zbar_pass(decoder, image, FALSE, found);
  guint n_dmtx = dmtx_pass(decoder, image, FALSE, found);
  if (n_zbar > 0 && n_dmtx > 0)
    return found;
  g_autoptr(MusterGreyImage) inverted = muster_grey_image_copy(image);
  muster_grey_image_invert(inverted);
  if (n_zbar == 0)
    zbar_pass(decoder, inverted, TRUE, found);
  if (n_dmtx == 0)
    dmtx_pass(decoder, inverted, TRUE, found);
  return found;
}
