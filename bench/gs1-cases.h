/*
 * bench/gs1-cases.h: files of GS1 scan cases (tests/data/gs1/scan-cases.tsv, and cases
 * kept aside in the same format) and Muster's verdict on each.
 *
 * A line is scan<TAB>verdict<TAB>why: scan data as docs/scan-data.md defines it, with
 * \xHH escapes (\x1d is GS) and \\ for a backslash; verdict "valid" or "invalid", GS1's
 * own; why a note for people. Blank lines and lines starting with '#' are skipped. Shared
 * by bench-gs1-verdicts.c and tests/unit/test-gs1.c, so that the figure and the test
 * read the cases alike.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GByteArray *scan;
  gboolean valid; /* GS1's verdict */
  char *why;
  guint line;
} Gs1Case;

/* The cases of path, in order (Gs1Case*, freed with the array); NULL with error when the
 * file cannot be read or a line is not scan<TAB>valid|invalid<TAB>why. */
GPtrArray *gs1_cases_load(const char *path, GError **error);

/* Muster's verdict on scan data, through muster_payload_parse_barcode() as every reader
 * calls it: valid when it gives a marking, or GS1 fields without a marking (GS1 data that
 * passed but names no single item); invalid when it gives a problem and neither. */
gboolean gs1_case_muster_valid(const GByteArray *scan);

G_END_DECLS
