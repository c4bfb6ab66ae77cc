/*
 * zxing-shim.h: zxing-cpp (Debian's libzxing 1.4) behind a plain C API, so that the rest
 * of Muster stays C. The one C++ file is zxing-shim.cpp; no C++ type and no exception
 * crosses this API.
 *
 * Only the paths of libzxing 1.4 that cannot reach its assertion are used (see
 * decode/README.md, "Why two calls"): ReadBarcodes() asserts in Result::operator== when
 * an earlier *linear* result spanning several scan lines is compared with a later one of
 * the same format and bytes (two identical 1D codes in one image, or one code found
 * again on a smaller pyramid layer), and Debian builds keep asserts on. So:
 *  - MUSTER_ZXING_MATRIX (Data Matrix, QR) reads any number of symbols in one call:
 *    matrix results are compared by position before the assertion;
 *  - MUSTER_ZXING_LINEAR (Code 128, Code 39, EAN/UPC) reads at most one symbol a call
 *    (maxNumberOfSymbols = 1): the first result ends the search, nothing is compared.
 * The two cannot be asked for in one call (MUSTER_ZXING_QUICK may be added to either).
 *
 * Thread-safe: each call is independent.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Images above this are refused (the caller's bound is smaller; this one keeps every
 * pixel offset inside an int, as libzxing computes them). */
#define MUSTER_ZXING_MAX_PIXELS (64u * 1000u * 1000u)

typedef enum {
  MUSTER_ZXING_MATRIX = 1, /* Data Matrix (ECC200, DMRE), QR Code */
  MUSTER_ZXING_LINEAR = 2, /* Code 128, Code 39, EAN-13, EAN-8, UPC-A, UPC-E */
  /* Or'ed with either: libzxing's tryHarder off. A linear search then scans about 32
   * rows instead of every other one (0.1 ms instead of 6 ms on a 640×480 frame), and
   * reads fewer symbols: for retries that must stay cheap. */
  MUSTER_ZXING_QUICK = 4,
} MusterZxingFormats;

typedef struct {
  char symbology[12];  /* "datamatrix", "qrcode", "code128", "code39", "ean13", "ean8",
                          "upca", "upce" */
  char aim[4];         /* AIM symbology identifier, "]d2"; "" if libzxing gave none */
  unsigned char *data; /* the symbol's bytes: no leading FNC1, later FNC1 as GS; malloc'd,
                          one NUL after them for convenience */
  size_t len;
  int x, y; /* about the symbol's centre, in image pixels */
} MusterZxingSymbol;

/* Reads the symbols of the kind asked for in an 8-bit grey image (rows stride bytes
 * apart, stride >= width). Returns how many (0 or more; *symbols NULL when 0), or -1 when
 * the image is not one (NULL pixels, zero or negative size, stride < width, more than
 * MUSTER_ZXING_MAX_PIXELS) or libzxing failed, with why in error (error_size bytes,
 * NUL-terminated; error may be NULL). Free the symbols with muster_zxing_symbols_free(). */
int muster_zxing_read(const uint8_t *pixels, int width, int height, int stride,
                      MusterZxingFormats formats, MusterZxingSymbol **symbols, char *error,
                      size_t error_size);

void muster_zxing_symbols_free(MusterZxingSymbol *symbols, int n);

#ifdef __cplusplus
}
#endif
