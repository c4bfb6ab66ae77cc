/*
 * iso15434.h: ISO/IEC 15434 messages, the envelope of MIL-STD-130 IUID and other
 * high-capacity marks: "[)>" RS, then formats ("05" GS ... RS, "06" GS ... RS, "12" or
 * "DD" GS ... RS), then EOT.
 *
 * The parser only splits: format 05 goes to the GS1 parser (gs1.h), formats 06 (ASC MH10
 * data identifiers: 25S, 17V, 1P, S ...) and 12/DD (text element identifiers: MFR, SER,
 * PNO, UID ...) become qualifier → data pairs. Turning those into a UII is uii.h's job, so
 * the same rules serve a 15434 message and anything else carrying the same elements.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_ISO15434_RS 0x1E
#define MUSTER_ISO15434_GS 0x1D
#define MUSTER_ISO15434_EOT 0x04

/* TRUE when the bytes start with the message header "[)>" RS. */
gboolean muster_iso15434_is_message(const char *data, gsize len);

/* Parses a message into fields (qualifier → data, newly allocated strings: GS1 AIs for
 * format 05, data identifiers for 06, text element identifiers for 12 and DD). Whatever
 * was wrong but did not stop the parse (a missing trailing RS or EOT, an unknown format,
 * a bad element, a repeated qualifier) is added to problems as one sentence each. FALSE
 * with MUSTER_ERROR_INVALID only when the header "[)>" RS is missing. */
gboolean muster_iso15434_parse(const char *data, gsize len, GHashTable *fields, GPtrArray *problems,
                               GError **error);

G_END_DECLS
