/*
 * gs1.h: GS1 element strings (Application Identifiers), as in GS1 Data Matrix, GS1-128,
 * GS1 QR Code and ISO/IEC 15434 format 05.
 *
 * An element string is AI, data, AI, data ...; an AI of predefined length is followed
 * directly by the next AI, any other ends at FNC1, which decoders hand over as GS (0x1D),
 * or at the end. Which AI has which length, character set and check digit comes from one
 * table in gs1.c (the AIs used on assets and their labels); an AI not in the table stops
 * the parse, since without its length the rest cannot be split safely.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_GS1_GS 0x1D

/* Parses len bytes of an element string (no symbology identifier, no leading FNC1) into
 * fields (AI → data, both newly allocated strings). TRUE when every byte was read; FALSE
 * with MUSTER_ERROR_INVALID saying which AI or offset was wrong (the elements before it
 * are in fields). A repeated AI with the same data is accepted; with different data it is
 * an error. */
gboolean muster_gs1_parse(const char *data, gsize len, GHashTable *fields, GError **error);

/* TRUE when the last of n digits is the GS1 mod-10 check digit of the others (GTIN, GLN,
 * SSCC, GRAI). FALSE for anything but 2 or more ASCII digits. */
gboolean muster_gs1_check_digit_valid(const char *digits, gsize n);

/* The AI's short title ("GTIN", "SERIAL", ...), or NULL when the AI is not in the table. */
const char *muster_gs1_ai_title(const char *ai);

G_END_DECLS
