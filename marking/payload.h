/*
 * payload.h: turns what a reader read (a barcode's text, a Data Matrix's bytes, an NDEF
 * message) into the normalised marking the record store matches.
 *
 * One entry point for every reader, so a Data Matrix photographed by a camera and the same
 * mark read by a USB scanner give the same marking. Scan data is as docs/scan-data.md
 * defines it (AIM symbology identifier, data, no leading FNC1, GS separators); the format
 * is recognised from it (ISO/IEC 15434 envelope "[)>" RS; GS1, known by the identifier
 * "]C1" "]d2" "]Q3" "]e0" "]J1" or a leading GS, and checked by GS1's own engine; EAN/UPC
 * "]E0" "]E4"; else plain text); each format has its own parser (iso15434.h, gs1.h,
 * uii.h, ndef.h) and fuzz target. Garbage never fails loudly: it gives a result with
 * value NULL and problem saying what was wrong; GS1 data GS1's engine refuses never gives
 * a value. marking/README.md says more.
 *
 * Kinds (the store matches by value only, so kinds never stop a match):
 *  - a MIL-STD-130 UII from a 15434 envelope, or a GS1 GIAI, serialised GRAI or
 *    GTIN + serial: MUSTER_MARKING_DATAMATRIX_UII, upper case without spaces;
 *  - a GS1 serial (AI 21) without anything that makes a UII: MUSTER_MARKING_BARCODE;
 *  - plain text: MUSTER_MARKING_BARCODE when a symbology was named, else
 *    MUSTER_MARKING_ENGRAVED_SERIAL; both normalise alike, so an engraved serial and the
 *    same serial in a Code 128 match the same item;
 *  - NDEF: MUSTER_MARKING_NDEF, the first Text record's text, else the first URI.
 */
#pragma once
#include "marking/marking.h"
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MUSTER_PAYLOAD_PLAIN,    /* plain text: an engraved serial or a 1D barcode's text */
  MUSTER_PAYLOAD_ISO15434, /* "[)>" RS fmt GS ... RS EOT */
  MUSTER_PAYLOAD_GS1,      /* GS1 element string (AI)... */
  MUSTER_PAYLOAD_UII,      /* MIL-STD-130 UII outside an envelope (not produced yet) */
  MUSTER_PAYLOAD_NDEF,     /* an NDEF message (Text or URI record) */
  MUSTER_PAYLOAD_HF_UID,   /* a tag UID (bytes; drivers fill it themselves) */
} MusterPayloadFormat;

/* "plain", "iso15434", "gs1", "uii", "ndef", "hf_uid". */
extern const MusterClosedList muster_payload_format_list;
const char *muster_payload_format_to_string(MusterPayloadFormat format);

typedef struct _MusterPayload {
  MusterPayloadFormat format;
  MusterMarkingKind kind; /* meaningful when value != NULL */
  char *value;            /* normalised marking, NULL when nothing usable was found */
  /* printable rendering: GS, RS, EOT as <GS>, <RS>, <EOT>, other control or non-UTF-8
   * bytes as <0xNN>, at most 1 KiB of input; for NDEF the marking record's text, else
   * the message in hex */
  char *text;
  char *problem;      /* why value is NULL, or what was ignored; NULL when fine */
  GHashTable *fields; /* char* → char*: e.g. GS1 AI "21" → serial, 15434 data
                         identifiers "25S", "MFR", "SER"; NULL when none */
} MusterPayload;

void muster_payload_free(MusterPayload *payload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterPayload, muster_payload_free)

/* From a barcode / Data Matrix / keyboard-wedge scan: scan data with its AIM identifier
 * when the reader has one. symbology is a hint ("datamatrix", "code128", "qrcode",
 * "ean13", NULL) for data without an identifier; one containing "gs1" says the data is
 * GS1. At most 4 KiB is parsed. Never NULL. */
MusterPayload *muster_payload_parse_barcode(const guint8 *data, gsize len, const char *symbology);

/* From an NDEF message (the bytes inside the NDEF TLV of a tag). fields: "text" and
 * "language" of the first Text record, "uri" of the first URI record. Never NULL. */
MusterPayload *muster_payload_parse_ndef(const guint8 *data, gsize len);

G_END_DECLS
