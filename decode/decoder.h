/*
 * decoder.h: finds and decodes every barcode and Data Matrix in a greyscale image.
 *
 * zbar reads Code 128, Code 39, EAN-13/8, UPC-A/E and QR; it has no Data Matrix at all,
 * so libdmtx reads Data Matrix ECC200 (MIL-STD-130 IUID marks, GS1). One call runs both,
 * so an image file and a camera frame are decoded the same way.
 *
 * Every decode is bounded: images above MUSTER_DECODER_MAX_PIXELS are refused (zbar's
 * time grows with the pixel count), and libdmtx, which can search an image without a
 * symbol for seconds, stops at a deadline. Light-on-dark marks (laser-etched metal often
 * reads that way) are decoded by retrying inverted. A symbol found twice (both polarities,
 * or two passes) is reported once.
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
  GBytes *raw;       /* the symbol's data bytes as encoded; GS1 FNC1 separators as GS
                        (0x1D); ISO/IEC 15434 RS, GS, EOT kept */
  char *text;        /* raw as UTF-8 (Latin-1 when raw is not UTF-8), control characters
                        kept */
  gboolean gs1;      /* FNC1 in first position: a GS1 element string */
  gboolean inverted; /* found by the inverted pass: a light-on-dark mark (libdmtx reads
                        some of those directly, and then says FALSE) */
  int x, y;          /* about the symbol's centre, in image pixels */
} MusterSymbol;

void muster_symbol_free(MusterSymbol *symbol);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterSymbol, muster_symbol_free)

typedef struct _MusterDecoder MusterDecoder;

/* dmtx_budget_ms bounds libdmtx's searches for one image (zbar's time is bounded by the
 * image size; together about budget + 10 ms on a 640×480 frame). 0 means
 * MUSTER_DECODER_DEFAULT_DMTX_BUDGET_MS. */
#define MUSTER_DECODER_DEFAULT_DMTX_BUDGET_MS 400
MusterDecoder *muster_decoder_new(guint dmtx_budget_ms);
void muster_decoder_free(MusterDecoder *decoder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterDecoder, muster_decoder_free)

/* Every symbol in the image (MusterSymbol*, owned by the array), in the order found:
 * zbar's first, then Data Matrix. An image without a symbol gives an empty array.
 * NULL with MUSTER_ERROR_INVALID when the image is too large. */
GPtrArray *muster_decoder_decode(MusterDecoder *decoder, const MusterGreyImage *image,
                                 GError **error);

G_END_DECLS
