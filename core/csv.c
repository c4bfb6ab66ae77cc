/*
 * csv.c: RFC 4180, read one record at a time.
 *
 * The reader is a byte scanner over the caller's buffer with an explicit position and
 * line counter, so it never reads past len and can say on which physical line each
 * problem is, even inside a quoted field that spans several lines. Problems that leave
 * the record boundaries intact are recorded on the record and reading continues, which
 * is what lets an import list every bad line in one go; the only fatal problem is a
 * quote that is never closed, because from there on nothing can be told apart.
 *
 * The writer quotes a field only when it must (comma, quote, CR, LF, a leading byte-order
 * mark) or when surrounding blanks would be lost by a spreadsheet, and ends rows with
 * CRLF as RFC 4180 says.
 *
 * Spreadsheets run a cell that starts with = + - @ tab or CR as a formula (CSV
 * injection: =HYPERLINK(...) in a model name, say). As OWASP advises, the writer puts
 * an apostrophe before such a field, which makes it text, and quotes it. So that this
 * can be undone exactly, a field that already starts with apostrophes followed by one of
 * those characters gets one more; the reader takes one apostrophe off every field of
 * that shape. Reading what was written thus gives back every string as it was.
 */
#include "core/csv.h"
#include "core/muster-error.h"

#include <string.h>

MusterCsvRecord *
muster_csv_record_new(void)
{
  MusterCsvRecord *rec = g_new0(MusterCsvRecord, 1);
  rec->fields = g_ptr_array_new_with_free_func(g_free);
  return rec;
}

void
muster_csv_record_free(MusterCsvRecord *rec)
{
  if (rec == NULL)
    return;
  g_ptr_array_unref(rec->fields);
  g_free(rec->problem);
  g_free(rec);
}

static void
record_reset(MusterCsvRecord *rec)
{
  g_ptr_array_set_size(rec->fields, 0);
  g_clear_pointer(&rec->problem, g_free);
  rec->line = 0;
}

/* Keeps the first problem of a record: later ones are usually its consequences. */
static void
note_problem(MusterCsvRecord *rec, guint line, guint field, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static void
note_problem(MusterCsvRecord *rec, guint line, guint field, const char *fmt, ...)
{
  if (rec->problem != NULL)
    return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  rec->problem = g_strdup_printf("line %u, field %u: %s", line, field, msg);
}

void
muster_csv_reader_init(MusterCsvReader *reader, const char *data, gsize len)
{
  reader->data = data;
  reader->len = data != NULL ? len : 0;
  reader->pos = 0;
  reader->line = 1;
  reader->scratch = g_string_new(NULL);
  /* Spreadsheets often start a UTF-8 file with a byte-order mark. */
  if (reader->len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
    reader->pos = 3;
}

void
muster_csv_reader_clear(MusterCsvReader *reader)
{
  if (reader->scratch != NULL)
    g_string_free(reader->scratch, TRUE);
  reader->scratch = NULL;
}

/* Length of the line break at pos: 2 for CRLF, 1 for LF or a lone CR, else 0. */
static gsize
newline_len(const MusterCsvReader *r, gsize pos)
{
  char c = r->data[pos];
  if (c == '\n')
    return 1;
  if (c != '\r')
    return 0;
  return pos + 1 < r->len && r->data[pos + 1] == '\n' ? 2 : 1;
}

static gboolean
is_field_end(char c)
{
  return c == ',' || c == '\n' || c == '\r';
}

/* Line breaks in text[0..offset), for the line of a problem inside a quoted field. */
static guint
lines_before(const char *text, gsize offset)
{
  guint n = 0;
  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= offset || text[i + 1] != '\n')))
      n++;
  return n;
}

/* Apostrophes (any number, none too), then a character that starts a formula. */
static gboolean
looks_like_formula(const char *v, gsize n)
{
  gsize i = 0;
  while (i < n && v[i] == '\'')
    i++;
  if (i >= n)
    return FALSE;
  char c = v[i];
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* The writer's apostrophe (see the top of this file), taken off again. */
static gboolean
is_neutralised(const char *v, gsize n)
{
  return n > 1 && v[0] == '\'' && looks_like_formula(v + 1, n - 1);
}

static void
add_field(MusterCsvRecord *rec, const char *text, gsize len, guint line, guint field)
{
  const char *nul = memchr(text, '\0', len);
  const char *bad = NULL;
  if (nul != NULL)
    note_problem(rec, line + lines_before(text, nul - text), field,
                 "a NUL byte; the file may be UTF-16 or binary. Save it as UTF-8 CSV.");
  else if (!g_utf8_validate_len(text, len, &bad))
    note_problem(rec, line + lines_before(text, bad - text), field,
                 "text that is not valid UTF-8 (byte 0x%02X). Save the file as UTF-8 CSV.",
                 (guint)(guchar)*bad);
  if (is_neutralised(text, len))
    g_ptr_array_add(rec->fields, g_strndup(text + 1, len - 1));
  else
    g_ptr_array_add(rec->fields, g_strndup(text, len));
}

static void
read_unquoted(MusterCsvReader *r, MusterCsvRecord *rec, guint field)
{
  gsize start = r->pos;
  while (r->pos < r->len && !is_field_end(r->data[r->pos])) {
    if (r->data[r->pos] == '"')
      note_problem(rec, r->line, field,
                   "a quote inside an unquoted field. Put the whole field in quotes and "
                   "double the quote (\"\").");
    r->pos++;
  }
  add_field(rec, r->data + start, r->pos - start, r->line, field);
}

static gboolean
read_quoted(MusterCsvReader *r, MusterCsvRecord *rec, guint field, GError **error)
{
  guint start_line = r->line;
  GString *buf = r->scratch;
  g_string_truncate(buf, 0);
  r->pos++;
  for (;;) {
    if (r->pos >= r->len) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  "line %u, field %u: a quoted field starts here and is never closed "
                  "(unbalanced quote). Add the closing quote, or double a quote that is "
                  "part of the text (\"\").", start_line, field);
      return FALSE;
    }
    char c = r->data[r->pos];
    if (c == '"') {
      if (r->pos + 1 < r->len && r->data[r->pos + 1] == '"') {
        g_string_append_c(buf, '"');
        r->pos += 2;
        continue;
      }
      r->pos++;
      break;
    }
    gsize nl = newline_len(r, r->pos);
    if (nl > 0) {
      g_string_append_len(buf, r->data + r->pos, nl);
      r->pos += nl;
      r->line++;
      continue;
    }
    g_string_append_c(buf, c);
    r->pos++;
  }
  if (r->pos < r->len && !is_field_end(r->data[r->pos])) {
    note_problem(rec, r->line, field,
                 "text after the closing quote. Put the whole field in quotes and double "
                 "any quote inside it (\"\").");
    while (r->pos < r->len && !is_field_end(r->data[r->pos]))
      g_string_append_c(buf, r->data[r->pos++]);
  }
  add_field(rec, buf->str, buf->len, start_line, field);
  return TRUE;
}

gboolean
muster_csv_reader_next(MusterCsvReader *reader, MusterCsvRecord *rec, GError **error)
{
  MusterCsvReader *r = reader;
  gsize nl;
  record_reset(rec);
  while (r->pos < r->len && (nl = newline_len(r, r->pos)) > 0) {
    r->pos += nl;
    r->line++;
  }
  if (r->pos >= r->len)
    return FALSE;
  rec->line = r->line;
  for (guint field = 1;; field++) {
    if (r->data[r->pos] == '"') {
      if (!read_quoted(r, rec, field, error))
        return FALSE;
    } else {
      read_unquoted(r, rec, field);
    }
    if (r->pos >= r->len)
      return TRUE;
    if (r->data[r->pos] != ',') {
      r->pos += newline_len(r, r->pos);
      r->line++;
      return TRUE;
    }
    r->pos++;
    if (r->pos >= r->len) {
      add_field(rec, "", 0, r->line, field + 1);
      return TRUE;
    }
  }
}

GPtrArray *
muster_csv_parse(const char *data, gsize len, GError **error)
{
  g_autoptr(GPtrArray) records =
      g_ptr_array_new_with_free_func((GDestroyNotify)muster_csv_record_free);
  MusterCsvReader reader;
  muster_csv_reader_init(&reader, data, len);
  for (;;) {
    g_autoptr(MusterCsvRecord) rec = muster_csv_record_new();
    GError *local = NULL;
    if (!muster_csv_reader_next(&reader, rec, &local)) {
      muster_csv_reader_clear(&reader);
      if (local != NULL) {
        g_propagate_error(error, local);
        return NULL;
      }
      return g_steal_pointer(&records);
    }
    if (rec->problem != NULL) {
      g_set_error_literal(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, rec->problem);
      muster_csv_reader_clear(&reader);
      return NULL;
    }
    g_ptr_array_add(records, g_steal_pointer(&rec));
  }
}

static gboolean
needs_quotes(const char *v, gsize n)
{
  if (n == 0)
    return FALSE;
  if (v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t')
    return TRUE;
  /* at the start of a file it would be taken for a byte-order mark */
  if (g_str_has_prefix(v, "\xEF\xBB\xBF"))
    return TRUE;
  return strpbrk(v, ",\"\r\n") != NULL;
}

void
muster_csv_append_field(GString *out, const char *value, gboolean last)
{
  const char *v = value != NULL ? value : "";
  gsize n = strlen(v);
  /* A row of one empty field would be a blank line, which the reader skips. */
  gboolean row_start = out->len == 0 || out->str[out->len - 1] == '\n';
  if (n == 0 && last && row_start) {
    g_string_append(out, "\"\"\r\n");
    return;
  }
  gboolean formula = looks_like_formula(v, n);
  if (!formula && !needs_quotes(v, n)) {
    g_string_append_len(out, v, n);
  } else {
    g_string_append(out, formula ? "\"'" : "\"");
    for (const char *p = v; *p != '\0'; p++) {
      if (*p == '"')
        g_string_append_c(out, '"');
      g_string_append_c(out, *p);
    }
    g_string_append_c(out, '"');
  }
  g_string_append(out, last ? "\r\n" : ",");
}
