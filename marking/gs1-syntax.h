/*
 * gs1-syntax.h: GS1 scan data checked by GS1's own Barcode Syntax Engine
 * (third_party/gs1-syntax-engine), so that Muster's verdict on GS1 data is GS1's.
 *
 * The input is scan data as docs/scan-data.md defines it: an AIM symbology identifier
 * ("]d2", "]d8", "]C1", "]Q3", "]e0", "]J1"; "]E0", "]E4" for EAN/UPC) and the data, no
 * leading FNC1, each later FNC1 as GS. The engine checks what GS1 checks: its AI table
 * (from GS1's syntax dictionary), formats and lengths, character sets, check digits,
 * dates, and which AIs need or exclude which.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gboolean valid;
  char *message;   /* the engine's reason when !valid, else NULL (valid UTF-8) */
  char *markup;    /* the AI with its bad part between '|' ("(17)25|13|32"), or NULL */
  GHashTable *ais; /* AI → value (char* → char*), in order of no importance; empty for
                      EAN/UPC, which carry a GTIN but no AIs, and when !valid */
} MusterGs1Verdict;

void muster_gs1_verdict_free(MusterGs1Verdict *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterGs1Verdict, muster_gs1_verdict_free)

/* The engine's verdict on len bytes of scan data (identifier first). Never NULL; safe
 * from any thread (each thread has its own engine context). */
MusterGs1Verdict *muster_gs1_syntax_check(const char *scan_data, gsize len);

G_END_DECLS
