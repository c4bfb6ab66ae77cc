/*
 * fuzz-image-decode.c: libFuzzer target over the image decoder (zxing-cpp through its
 * shim, and zbar) with raw greyscale buffers, as a camera frame would arrive.
 *
 * Input: the first byte gives the width (1..256), the rest are pixels row by row (the
 * last partial row is dropped). Any picture must decode without crashing, leaking or
 * reading outside the buffer; every symbol found must have a known symbology, text that
 * is valid UTF-8, and raw bytes. The corpus holds frames with real symbols (Code 128,
 * QR, Data Matrix, GS1, light-on-dark) so that the fuzzer starts inside the decoders'
 * deep paths, not only in their finders. The decoder runs zxing-cpp and zbar (zbar reads
 * what zxing-cpp left), and the thorough search, so that every pass of decoder.c is
 * fuzzed.
 */
#include "decode/decoder.h"

#include "support/fuzz-symbology.h"
#include "support/fuzz-temp-db.h"

#include <stdint.h>

static void
check_symbol(const MusterSymbol *s)
{
  fuzz_check(fuzz_known_symbology(s->symbology));
  fuzz_check(s->raw != NULL && s->text != NULL && g_utf8_validate(s->text, -1, NULL));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static MusterDecoder *decoder;
  if (decoder == NULL) {
    /* libdmtx's fallback is fuzzed too, with a camera's budget: a photograph's 400 ms
     * would leave the fuzzer a couple of inputs a second. */
    decoder = muster_decoder_new(MUSTER_DECODER_CAMERA_DMTX_BUDGET_MS);
    muster_decoder_set_libraries(decoder, MUSTER_DECODER_ZXING | MUSTER_DECODER_ZBAR);
    muster_decoder_set_thorough(decoder, TRUE);
  }
  if (size < 2)
    return 0;
  guint width = (guint)data[0] + 1;
  guint height = (guint)((size - 1) / width);
  if (height == 0)
    return 0;
  g_autoptr(MusterGreyImage) image =
      muster_grey_image_new_from_data(data + 1, width, height, width);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) symbols = muster_decoder_decode(decoder, image, &error);
  fuzz_check(symbols != NULL && error == NULL);
  for (guint i = 0; i < symbols->len; i++)
    check_symbol(symbols->pdata[i]);
  return 0;
}
