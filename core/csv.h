/*
 * csv.h: an RFC 4180 reader and writer.
 *
 * The reader takes the whole text (UTF-8, LF, CRLF or CR line ends, an optional UTF-8
 * byte-order mark), handles quoted fields with embedded commas, quotes and newlines, and
 * reports problems with their line number. It never reads past len. Blank lines are
 * skipped (their line numbers still count).
 *
 * Two ways to read:
 *  - muster_csv_parse(): everything at once, failing on the first problem;
 *  - MusterCsvReader: one record at a time, for large files (an import of a million rows
 *    must not hold them all in memory) and for callers that collect every problem. A
 *    problem that does not break the record structure (bad UTF-8, a NUL byte, a quote
 *    inside an unquoted field, text after a closing quote) is reported in the record's
 *    problem and reading goes on; only an unterminated quote ends the reading, since
 *    nothing after it can be told apart.
 *
 * Both take one apostrophe off a field that starts with apostrophes followed by = + - @
 * tab or CR: the writer's neutralisation of spreadsheet formulas (see
 * muster_csv_append_field()), and a spreadsheet's own way of saying "text".
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GPtrArray *fields;   /* char*, one per column */
  guint line;          /* line where the record starts (1-based) */
  char *problem;       /* "line N: ..." when the record is damaged (see above); else NULL */
} MusterCsvRecord;

MusterCsvRecord *muster_csv_record_new(void);
void muster_csv_record_free(MusterCsvRecord *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterCsvRecord, muster_csv_record_free)

/* Parses all records. Returns NULL and sets error (MUSTER_ERROR_INVALID, "line N: ...")
 * on malformed input (bad UTF-8, stray quote, unterminated quote, NUL). Element type
 * MusterCsvRecord*. Empty input gives an empty array. */
GPtrArray *muster_csv_parse(const char *data, gsize len, GError **error);

typedef struct {
  const char *data;
  gsize len;
  gsize pos;
  guint line;        /* physical line at pos, 1-based */
  GString *scratch;  /* unescaping buffer for quoted fields */
} MusterCsvReader;

/* data must stay valid while the reader is used; it is not copied. */
void muster_csv_reader_init(MusterCsvReader *reader, const char *data, gsize len);
void muster_csv_reader_clear(MusterCsvReader *reader);

/* Reads the next record into rec (its previous fields and problem are dropped). Returns
 * FALSE with error unset at the end of the data, FALSE with error set on an
 * unterminated quote. */
gboolean muster_csv_reader_next(MusterCsvReader *reader, MusterCsvRecord *rec,
                                GError **error);

/* Appends one field, quoted when needed (NULL is written as an empty field), then a
 * comma, or the CRLF row terminator when last. A row that is one empty field is written
 * as "" so that it is not read back as a blank line. A field a spreadsheet would run as
 * a formula (it starts with = + - @ tab or CR, after any apostrophes) is written quoted
 * with an apostrophe before it, which both readers take off again: a spreadsheet shows
 * it as text, and muster_csv_reader_next() gives back the field exactly. */
void muster_csv_append_field(GString *out, const char *value, gboolean last);

G_END_DECLS
