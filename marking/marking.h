/*
 * marking.h: one normalised form for every kind of weapon marking.
 *
 * Whatever reads a marking (an engraved serial typed in, a barcode, a Data Matrix UII,
 * an HF tag UID, a UHF EPC, an NDEF record), the record store matches it by
 * (normalised value). Normalising here, in one place, is what lets "04:a1:b2" typed by
 * a person match 04A1B2 read by a reader.
 *
 * Rules: serials and barcodes are upper-cased with surrounding space removed and inner
 * runs of space, '-' kept as they are (they are part of an engraved serial); HF UIDs and
 * EPCs are upper-case hex without separators; UIIs are upper-case without spaces.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MUSTER_MARKING_ENGRAVED_SERIAL,
  MUSTER_MARKING_BARCODE,
  MUSTER_MARKING_DATAMATRIX_UII,
  MUSTER_MARKING_HF_UID,
  MUSTER_MARKING_UHF_EPC,
  MUSTER_MARKING_NDEF,
} MusterMarkingKind;

const char *muster_marking_kind_to_string(MusterMarkingKind kind);
gboolean muster_marking_kind_from_string(const char *s, MusterMarkingKind *out);
gboolean muster_marking_component_valid(const char *component);

/* Normalised value, or NULL with MUSTER_ERROR_INVALID when the text cannot be such a
 * marking (empty, control characters, odd-length hex for a UID, ...). */
char *muster_marking_normalise(MusterMarkingKind kind, const char *text, GError **error);

/* For text of unknown kind (a plain scan line or a typed query): the normalised form
 * used for lookup. Hex-looking UIDs with ':' or ' ' separators lose them. */
char *muster_marking_normalise_any(const char *text);

G_END_DECLS
