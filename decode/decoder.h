/*
 * decoder.h: finds and decodes every barcode and Data Matrix in a greyscale image.
 *
 * zxing-cpp (through decode/zxing-shim.h) reads Data Matrix (ECC200 and rectangular
 * DMRE: MIL-STD-130 IUID marks, GS1), QR, Code 128, Code 39 and EAN/UPC. zbar is there
 * for comparison only (decode/README.md has the measurements). One call decodes an
 * image file or a camera frame.
 *
 * Each symbol is reported as docs/scan-data.md says: its AIM symbology identifier
 * (aim) and its data without a leading FNC1, later FNC1 as GS, whichever library read it.
 *
 * Every decode is bounded: images above MUSTER_DECODER_MAX_PIXELS are refused (the
 * libraries' time grows with the pixel count). Light-on-dark marks (laser-etched metal
 * often reads that way) are decoded by retrying inverted. A symbol found twice (both
 * polarities, or two passes) is reported once.
 *
 * A decoder keeps its zbar scanner between calls and is not thread-safe: give each
 * thread its own.
 */
#pragma once
#include "decode/grey-image.h"
#include <glib.h>

G_BEGIN_DECLS

/* 40 megapixels: any camera frame, any sensible photograph or scan. */
#define MUSTER_DECODER_MAX_PIXELS (40u * 1000u * 1000u)

typedef struct {
  char *symbology;   /* "code128", "code39", "ean13", "ean8", "upca", "upce", "qrcode",
                        "datamatrix" */
  char aim[4];       /* AIM symbology identifier: "]C0"/"]C1" Code 128 (GS1-128),
                        "]A0" Code 39, "]E0" EAN-13/UPC-A/UPC-E, "]E4" EAN-8,
                        "]Q1"/"]Q3" QR (GS1), "]d1"/"]d2" Data Matrix (GS1),
                        "]d7"/"]d8" rectangular DMRE (GS1) */
  GBytes *raw;       /* the symbol's data (without the identifier): no leading FNC1,
                        later FNC1 separators as GS (0x1D); ISO/IEC 15434 RS, GS, EOT
                        kept */
  char *text;        /* raw as UTF-8 (Latin-1 when raw is not UTF-8), control characters
                        kept */
  gboolean gs1;      /* a GS1 element string (FNC1 in first position): the identifier
                        is ]C1, ]d2, ]d8 or ]Q3 */
  gboolean inverted; /* found by the inverted pass: a light-on-dark mark */
  int x, y;          /* about the symbol's centre, in image pixels */
} MusterSymbol;

void muster_symbol_free(MusterSymbol *symbol);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterSymbol, muster_symbol_free)

/* The symbol's scan data as docs/scan-data.md defines it (a scan's raw): the identifier,
 * then the data. */
GBytes *muster_symbol_scan_data(const MusterSymbol *symbol);

typedef struct _MusterDecoder MusterDecoder;

/* dmtx_budget_ms bounds libdmtx, the fallback for Data Matrix marks on metal, which runs
 * only where zxing-cpp found nothing at all (so an empty frame costs about this much
 * more; a frame with a code costs zxing-cpp's few ms). 0 means
 * MUSTER_DECODER_DEFAULT_DMTX_BUDGET_MS, a photograph's; the camera gives less. */
#define MUSTER_DECODER_DEFAULT_DMTX_BUDGET_MS 400
/* A camera frame's, for one stage of the fallback (decoder.c); the next frame runs the
 * next stage (about 30 frames a second). */
#define MUSTER_DECODER_CAMERA_DMTX_BUDGET_MS 6
MusterDecoder *muster_decoder_new(guint dmtx_budget_ms);
void muster_decoder_free(MusterDecoder *decoder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterDecoder, muster_decoder_free)

/* On (the default): our own passes around the libraries: a quiet zone, smaller sizes
 * for 1D, the inverted retry, the corner windows (decoder.c). Off: each library once on
 * the image as it is, so that a benchmark can tell what the passes buy. */
void muster_decoder_set_preprocess(MusterDecoder *decoder, gboolean on);

/* Forgets what earlier frames left: a camera frame runs one stage of libdmtx's fallback
 * and the next frame the next (decoder.c); after this the next frame starts at the
 * first, as in a new decoder. */
void muster_decoder_reset(MusterDecoder *decoder);

/* Off (the default): a camera frame's search, a few ms (a code missed in one frame is
 * read in the next); Data Matrix is searched in the image's four corner windows only
 * when the frame gave nothing else. On: a photograph's, for `muster decode`: libzxing's
 * full 1D search (every row, 6 ms more on 640×480), and the corner windows always, which
 * finds several Data Matrix symbols and ones far from the centre (libzxing 1.4 as
 * Debian builds it finds one a search, near the centre). */
void muster_decoder_set_thorough(MusterDecoder *decoder, gboolean on);

/* The libraries a decoder runs: zxing-cpp (the default; a thorough search adds zbar for
 * EAN/UPC where zxing-cpp found no 1D symbol), or zbar alone for a benchmark's comparison
 * (every symbology zbar has), or both (zbar, EAN/UPC only, in every search too). */
typedef enum {
  MUSTER_DECODER_ZXING = 1 << 0,
  MUSTER_DECODER_ZBAR = 1 << 1,
} MusterDecoderLibraries;
#define MUSTER_DECODER_DEFAULT_LIBRARIES MUSTER_DECODER_ZXING
void muster_decoder_set_libraries(MusterDecoder *decoder, MusterDecoderLibraries libraries);

/* Every symbol in the image (MusterSymbol*, owned by the array), in the order found:
 * matrix symbols first, then linear ones. An image without a symbol gives an empty array.
 * NULL with MUSTER_ERROR_INVALID when the image is too large. */
GPtrArray *muster_decoder_decode(MusterDecoder *decoder, const MusterGreyImage *image,
                                 GError **error);

G_END_DECLS
