/*
 * marking.h: one normalised form for every kind of weapon marking.
 *
 * Whatever reads a marking (an engraved serial typed in, a barcode, a Data Matrix UII,
 * an HF tag UID, a UHF EPC, an NDEF record), the record store matches it by
 * (normalised value). Normalising here, in one place, is what lets "04:a1:b2" typed by
 * a person match 04A1B2 read by a reader.
 *
 * Rules: serials, barcodes and NDEF text are upper-cased (NFC, per character, so not
 * locale-dependent) with surrounding space removed and inner runs of space, '-' kept as
 * they are (they are part of an engraved serial); HF UIDs and EPCs are upper-case hex
 * without separators (':', ' ' or '-' between groups of whole bytes); UIIs are
 * upper-case without spaces. HF UIDs are 1 to 16 bytes; EPCs are whole 16-bit words,
 * 96 to 496 bits (24 to 124 hex digits). Control characters and bad UTF-8 are refused
 * in every kind; values are at most 256 characters.
 */
#pragma once
#include "core/closed-list.h"
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

/* The kinds, named as stored (marking.kind): "engraved_serial", ... (marking.c, with
 * their rules); the components a marking may sit on: "frame", "barrel", ... */
extern const MusterClosedList muster_marking_kind_list;
extern const MusterClosedList muster_marking_component_list;
const char *muster_marking_kind_to_string(MusterMarkingKind kind);
gboolean muster_marking_kind_from_string(const char *s, MusterMarkingKind *out);
gboolean muster_marking_component_valid(const char *component);

/* TRUE for kinds whose value identifies one physical tag or item by design (HF UID,
 * UHF EPC, Data Matrix UII): the same value on two items is a finding, not a
 * coincidence. */
gboolean muster_marking_kind_is_unique(MusterMarkingKind kind);

/* Normalised value, or NULL with MUSTER_ERROR_INVALID when the text cannot be such a
 * marking (empty, control characters, odd-length hex for a UID, ...). */
char *muster_marking_normalise(MusterMarkingKind kind, const char *text, GError **error);

/* For text of unknown kind (a plain scan line or a typed query): the normalised form
 * used for lookup. Hex-looking UIDs lose their separators: pairs of hex digits joined
 * by ':' (two pairs or more) or by single spaces (four pairs or more, so that a serial
 * such as "AB 12" keeps its space). Everything else is normalised as a serial. NULL
 * when the text cannot be any marking (empty, control characters, bad UTF-8). */
char *muster_marking_normalise_any(const char *text);

/* TRUE when code is an officially assigned ISO 3166-1 alpha-2 code, in upper case. */
gboolean muster_country_code_valid(const char *code);

G_END_DECLS
