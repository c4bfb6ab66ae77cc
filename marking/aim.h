/*
 * aim.h: AIM symbology identifiers (ISO/IEC 15424), the "]d2" in front of scan data.
 *
 * An identifier is ']', a code character naming the symbology (C Code 128, d Data
 * Matrix, Q QR Code, E EAN/UPC ...) and a modifier saying how the data is to be read
 * ("]d2": GS1 Data Matrix, FNC1 first). docs/scan-data.md makes it part of every
 * reader's scan data; this is the one table of what each means, shared by the payload
 * parsers, the USB scanners and the scan feed.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_AIM_LEN 3

/* TRUE when data starts with the shape of an identifier: ']', a letter, a letter or
 * digit (known or not). */
gboolean muster_aim_is_identifier(const char *data, gsize len);
/* TRUE when the identifier's code character is one ISO/IEC 15424 assigns. */
gboolean muster_aim_code_known(const char *aim);
/* The symbology named by an identifier ("]C0" → "code128", "]C1" → "gs1-128", "]d2" →
 * "gs1-datamatrix", "]Q1" → "qrcode", "]E0" → "ean13"), or NULL when unknown. */
const char *muster_aim_symbology(const char *aim);
/* "]C1", "]d2", "]Q3", "]e0", "]J1": the data is a GS1 element string. */
gboolean muster_aim_is_gs1(const char *aim);
/* "]E0", "]E4": EAN/UPC, a GTIN (GS1 too, but digits rather than element strings). */
gboolean muster_aim_is_ean(const char *aim);

G_END_DECLS
