/*
 * zxing-shim.cpp: see zxing-shim.h. The only C++ in Muster: it turns a grey image into
 * ZXing's ImageView, calls ZXing::ReadBarcodes() on one of the two safe paths, and copies
 * each result into malloc'd C structs. Every exception stops here.
 *
 * Hints: tryHarder, tryRotate and tryDownscale stay on (libzxing's defaults: rotated and
 * small symbols, the image pyramid; MUSTER_ZXING_QUICK turns tryHarder off, which scans
 * a few rows instead of every one); only our symbologies are enabled, and EAN/UPC
 * add-ons are ignored (they turn one EAN into two readings). The binarizer is the
 * default LocalAverage, which copes with uneven light on metal.
 */
#include "decode/zxing-shim.h"

/* The UTF-8 text API of libzxing 1.4 (we use bytes() only; this quiets its notice). */
#define ZX_USE_UTF8 1

#include <ReadBarcode.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>

namespace {

struct Name {
  ZXing::BarcodeFormat format;
  const char *name;
};

const Name names[] = {
    {ZXing::BarcodeFormat::DataMatrix, "datamatrix"}, {ZXing::BarcodeFormat::QRCode, "qrcode"},
    {ZXing::BarcodeFormat::Code128, "code128"},       {ZXing::BarcodeFormat::Code39, "code39"},
    {ZXing::BarcodeFormat::EAN13, "ean13"},           {ZXing::BarcodeFormat::EAN8, "ean8"},
    {ZXing::BarcodeFormat::UPCA, "upca"},             {ZXing::BarcodeFormat::UPCE, "upce"},
};

const char *
name_of(ZXing::BarcodeFormat format)
{
  for (const Name &n : names)
    if (n.format == format)
      return n.name;
  return nullptr;
}

/* Says why in error; returns -1, the API's failure. */
int
fail(char *error, size_t size, const char *what)
{
  if (error != nullptr && size > 0)
    std::snprintf(error, size, "%s", what);
  return -1;
}

ZXing::DecodeHints
hints_for(MusterZxingFormats formats, bool quick)
{
  ZXing::DecodeHints hints;
  hints.setEanAddOnSymbol(ZXing::EanAddOnSymbol::Ignore);
  if (formats == MUSTER_ZXING_MATRIX) {
    hints.setFormats(ZXing::BarcodeFormat::DataMatrix | ZXing::BarcodeFormat::QRCode);
  } else {
    hints.setFormats(ZXing::BarcodeFormat::Code128 | ZXing::BarcodeFormat::Code39 |
                     ZXing::BarcodeFormat::EAN13 | ZXing::BarcodeFormat::EAN8 |
                     ZXing::BarcodeFormat::UPCA | ZXing::BarcodeFormat::UPCE);
    /* The safe path for linear symbols: the first result ends ReadBarcodes() before
     * Result::operator== (and its assertion) is ever called. */
    hints.setMaxNumberOfSymbols(1);
  }
  if (quick)
    hints.setTryHarder(false);
  return hints;
}

/* Copies r into s; false (s untouched) for a format we do not report. */
bool
copy_result(const ZXing::Result &r, MusterZxingSymbol *s)
{
  const char *name = name_of(r.format());
  if (name == nullptr || !r.isValid())
    return false;
  const ZXing::ByteArray &bytes = r.bytes();
  auto *data = static_cast<unsigned char *>(std::malloc(bytes.size() + 1));
  if (data == nullptr)
    throw std::bad_alloc();
  if (!bytes.empty())
    std::memcpy(data, bytes.data(), bytes.size());
  data[bytes.size()] = 0;
  std::memset(s, 0, sizeof *s);
  std::snprintf(s->symbology, sizeof s->symbology, "%s", name);
  std::string aim = r.symbologyIdentifier();
  if (aim.size() == 3)
    std::memcpy(s->aim, aim.c_str(), 4);
  s->data = data;
  s->len = bytes.size();
  const ZXing::Position &p = r.position();
  long sx = 0, sy = 0;
  for (const auto &point : p) {
    sx += point.x;
    sy += point.y;
  }
  s->x = static_cast<int>(sx / 4);
  s->y = static_cast<int>(sy / 4);
  return true;
}

int
read(const uint8_t *pixels, int width, int height, int stride, MusterZxingFormats formats,
     bool quick, MusterZxingSymbol **symbols)
{
  ZXing::ImageView view(pixels, width, height, ZXing::ImageFormat::Lum, stride);
  ZXing::Results results = ZXing::ReadBarcodes(view, hints_for(formats, quick));
  if (results.empty())
    return 0;
  auto *out =
      static_cast<MusterZxingSymbol *>(std::calloc(results.size(), sizeof(MusterZxingSymbol)));
  if (out == nullptr)
    throw std::bad_alloc();
  int n = 0;
  try {
    for (const ZXing::Result &r : results)
      n += copy_result(r, &out[n]);
  } catch (...) {
    muster_zxing_symbols_free(out, n);
    throw;
  }
  if (n == 0) {
    std::free(out);
    return 0;
  }
  *symbols = out;
  return n;
}

} // namespace

extern "C" int
muster_zxing_read(const uint8_t *pixels, int width, int height, int stride,
                  MusterZxingFormats formats, MusterZxingSymbol **symbols, char *error,
                  size_t error_size)
{
  if (symbols == nullptr)
    return fail(error, error_size, "no place for the symbols");
  *symbols = nullptr;
  if (pixels == nullptr || width <= 0 || height <= 0 || stride < width)
    return fail(error, error_size, "not an image (no pixels, no size, or rows shorter than wide)");
  if (static_cast<uint64_t>(stride) * static_cast<uint64_t>(height) > MUSTER_ZXING_MAX_PIXELS)
    return fail(error, error_size, "the image is too large for zxing-cpp");
  bool quick = (formats & MUSTER_ZXING_QUICK) != 0;
  auto kind = static_cast<MusterZxingFormats>(formats & ~MUSTER_ZXING_QUICK);
  if (kind != MUSTER_ZXING_MATRIX && kind != MUSTER_ZXING_LINEAR)
    return fail(error, error_size, "matrix and linear symbols are read in separate calls");
  try {
    return read(pixels, width, height, stride, kind, quick, symbols);
  } catch (const std::exception &e) {
    return fail(error, error_size, e.what());
  } catch (...) {
    return fail(error, error_size, "zxing-cpp failed");
  }
}

extern "C" void
muster_zxing_symbols_free(MusterZxingSymbol *symbols, int n)
{
  if (symbols == nullptr)
    return;
  for (int i = 0; i < n; i++)
    std::free(symbols[i].data);
  std::free(symbols);
}
