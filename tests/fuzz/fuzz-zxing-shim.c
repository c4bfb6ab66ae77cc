/*
 * fuzz-zxing-shim.c: libFuzzer target over decode/zxing-shim.h, zxing-cpp's C face,
 * with raw greyscale buffers straight into libzxing 1.4 (no decoder passes around it).
 *
 * Input: byte 0 gives the width (1..256); byte 1 the call: bit 0 linear (else matrix),
 * bit 1 MUSTER_ZXING_QUICK, bits 2-3 extra bytes at the end of each row (stride - width,
 * 0..3, as a camera's padded lines); the rest are the rows (a last partial row is
 * dropped). Any picture must come back without a crash, a leak, a read outside the
 * buffer or libzxing's assertion (an abort is a crash to libFuzzer): the safe paths of
 * zxing-shim.h must hold for every image. Every symbol must have one of our names, an
 * identifier of three characters or none, and its data NUL-terminated. The corpus holds
 * fuzz-image-decode's frames with real symbols, so the fuzzer starts inside libzxing's
 * decoders, not only in its detectors.
 */
#include "decode/zxing-shim.h"
#include "support/fuzz-symbology.h"
#include "support/fuzz-temp-db.h"

#include <string.h>

static void
check_symbol(const MusterZxingSymbol *s)
{
  fuzz_check(fuzz_known_symbology(s->symbology));
  fuzz_check(strlen(s->aim) == 0 || (strlen(s->aim) == 3 && s->aim[0] == ']'));
  fuzz_check(s->data != NULL && s->data[s->len] == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 3)
    return 0;
  int width = data[0] + 1;
  unsigned call = data[1];
  int stride = width + (int)((call >> 2) & 3);
  int height = (int)((size - 2) / (size_t)stride);
  if (height == 0)
    return 0;
  MusterZxingFormats formats = (call & 1) ? MUSTER_ZXING_LINEAR : MUSTER_ZXING_MATRIX;
  if (call & 2)
    formats |= MUSTER_ZXING_QUICK;
  MusterZxingSymbol *symbols = NULL;
  char why[160];
  int n = muster_zxing_read(data + 2, width, height, stride, formats, &symbols, why, sizeof why);
  fuzz_check(n >= 0 || symbols == NULL);
  fuzz_check(!(formats & MUSTER_ZXING_LINEAR) || n <= 1);
  for (int i = 0; i < n; i++)
    check_symbol(&symbols[i]);
  muster_zxing_symbols_free(symbols, n);
  return 0;
}
