/*
 * csv.h: an RFC 4180 reader and writer.
 *
 * The reader takes the whole text (UTF-8, LF or CRLF), handles quoted fields with
 * embedded commas, quotes and newlines, and reports the first problem with its line
 * number. It never reads past len and treats NUL bytes as an error.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GPtrArray *fields;   /* char*, one per column */
  guint line;          /* line where the record starts (1-based) */
} MusterCsvRecord;

/* Parses all records. Returns NULL and sets error (MUSTER_ERROR_INVALID, "line N: ...")
 * on malformed input (bad UTF-8, stray quote, unterminated quote, NUL). Element type
 * MusterCsvRecord*. */
GPtrArray *muster_csv_parse(const char *data, gsize len, GError **error);
void muster_csv_record_free(MusterCsvRecord *rec);

/* Appends one field, quoted when needed, and a row terminator. */
void muster_csv_append_field(GString *out, const char *value, gboolean last);

G_END_DECLS
