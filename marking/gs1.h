/*
 * gs1.h: GS1 element strings (Application Identifiers), as in GS1 Data Matrix, GS1-128,
 * GS1 QR Code and ISO/IEC 15434 format 05, split into AI → data.
 *
 * An element string is AI, data, AI, data ...; FNC1 separators arrive as GS (0x1D).
 * Splitting and checking are GS1's Barcode Syntax Engine's (gs1-syntax.h): its AI table,
 * lengths, character sets, check digits, dates and AI associations. Muster keeps no AI
 * table of its own.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_GS1_GS 0x1D

/* Parses len bytes of an element string (no symbology identifier, no leading FNC1) into
 * fields (AI → data, both newly allocated strings). TRUE when GS1's engine accepts it;
 * FALSE with MUSTER_ERROR_INVALID carrying the engine's reason ("GS1 data failed GS1's
 * checks: ..."), and nothing added to fields. */
gboolean muster_gs1_parse(const char *data, gsize len, GHashTable *fields, GError **error);

/* As muster_gs1_parse(), for scan data with its AIM identifier in front ("]d2...",
 * "]E0..."): EAN/UPC data passes with no fields. fields may be NULL for the verdict alone. */
gboolean muster_gs1_parse_scan(const char *scan_data, gsize len, GHashTable *fields,
                               GError **error);

G_END_DECLS
