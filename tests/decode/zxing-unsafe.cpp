/*
 * zxing-unsafe.cpp: the libzxing 1.4 call that decode/zxing-shim.cpp must never make,
 * for test-zxing-shim.c only: ReadBarcodes() for linear symbols with libzxing's default
 * maxNumberOfSymbols (255). On an image where a 1D code is found on two layers of its
 * image pyramid, Result::operator== asserts (lineCount() == 1, Result.cpp:140; fixed
 * upstream in 2.2.0) and the process aborts. The test runs it in a child process, to
 * show that its images do reach that assertion, and then that the shim reads them.
 */
#include "zxing-unsafe.h"

#include <ReadBarcode.h>

extern "C" int
zxing_unsafe_read_linear(const uint8_t *pixels, int width, int height)
{
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::LinearCodes);
  ZXing::ImageView view(pixels, width, height, ZXing::ImageFormat::Lum);
  return static_cast<int>(ZXing::ReadBarcodes(view, hints).size());
}
