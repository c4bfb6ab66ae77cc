/*
 * payload.h: turns what a reader read (a barcode's text, a Data Matrix's bytes, an NDEF
 * record) into the normalised marking the record store matches.
 *
 * One entry point for every reader, so a Data Matrix photographed by a camera and the same
 * mark read by a USB scanner give the same marking. The format is recognised from the
 * bytes (ISO/IEC 15434 envelope "[)>" RS, GS1 element string with FNC1/GS, MIL-STD-130 UII
 * constructs, else a plain engraved serial); each format has its own parser
 * (iso15434.c, gs1.c, uii.c, ndef.c) and fuzz target. Garbage never fails loudly: it gives
 * a result with value NULL and problem saying what was wrong.
 */
#pragma once
#include "marking/marking.h"
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MUSTER_PAYLOAD_PLAIN,      /* plain text: an engraved serial or a 1D barcode's text */
  MUSTER_PAYLOAD_ISO15434,   /* "[)>" RS fmt GS ... RS EOT */
  MUSTER_PAYLOAD_GS1,        /* GS1 element string (AI)... */
  MUSTER_PAYLOAD_UII,        /* MIL-STD-130 UII (construct 1 or 2) */
  MUSTER_PAYLOAD_NDEF,       /* an NDEF message (Text or URI record) */
  MUSTER_PAYLOAD_HF_UID,     /* a tag UID (bytes) */
} MusterPayloadFormat;

const char *muster_payload_format_to_string(MusterPayloadFormat format);

typedef struct {
  MusterPayloadFormat format;
  MusterMarkingKind kind; /* meaningful when value != NULL */
  char *value;            /* normalised marking, NULL when nothing usable was found */
  char *text;             /* printable rendering of the payload (GS/RS/EOT shown as such) */
  char *problem;          /* why value is NULL, or what was ignored; NULL when fine */
  GHashTable *fields;     /* char* → char*: e.g. GS1 AI "21" → serial, 15434 data
                             identifiers "25S", "MFR", "SER"; NULL when none */
} MusterPayload;

void muster_payload_free(MusterPayload *payload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterPayload, muster_payload_free)

/* From a barcode / Data Matrix / keyboard-wedge scan. symbology is a hint ("datamatrix",
 * "code128", "qrcode", "ean13", NULL); a GS1 symbol's FNC1 arrives as GS (0x1D).
 * Never NULL. */
MusterPayload *muster_payload_parse_barcode(const guint8 *data, gsize len, const char *symbology);

/* From an NDEF message (the bytes inside the NDEF TLV of a tag). Never NULL. */
MusterPayload *muster_payload_parse_ndef(const guint8 *data, gsize len);


G_END_DECLS
