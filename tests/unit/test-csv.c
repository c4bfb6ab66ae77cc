/*
 * test-csv.c: the RFC 4180 reader and writer.
 *
 * Every malformed case asserts the line number in the message, since that is what the
 * person fixing the file needs; the record reader is also checked to carry on past a
 * damaged record, which is what lets an import list every bad line.
 */
#include "core/csv.h"
#include "core/muster-error.h"

#include <string.h>

static GPtrArray *
parse_ok(const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = muster_csv_parse(text, strlen(text), &error);
  g_assert_no_error(error);
  g_assert_nonnull(records);
  return records;
}

static const char *
field(GPtrArray *records, guint rec, guint col)
{
  MusterCsvRecord *r = g_ptr_array_index(records, rec);
  g_assert_cmpuint(col, <, r->fields->len);
  return g_ptr_array_index(r->fields, col);
}

static guint
nfields(GPtrArray *records, guint rec)
{
  return ((MusterCsvRecord *)g_ptr_array_index(records, rec))->fields->len;
}

static guint
line_of(GPtrArray *records, guint rec)
{
  return ((MusterCsvRecord *)g_ptr_array_index(records, rec))->line;
}

/* Parsing must fail with a message that starts with "line N". */
static void
assert_fails_at(const char *text, gsize len, guint line, const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = muster_csv_parse(text, len, &error);
  g_assert_null(records);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_autofree char *prefix = g_strdup_printf("line %u,", line);
  if (!g_str_has_prefix(error->message, prefix))
    g_error("expected '%s...', got: %s", prefix, error->message);
  g_assert_nonnull(strstr(error->message, words));
}

static void
test_simple(void)
{
  g_autoptr(GPtrArray) r = parse_ok("a,b,c\n1,2,3\n");
  g_assert_cmpuint(r->len, ==, 2);
  g_assert_cmpuint(nfields(r, 0), ==, 3);
  g_assert_cmpstr(field(r, 1, 2), ==, "3");
  g_assert_cmpuint(line_of(r, 0), ==, 1);
  g_assert_cmpuint(line_of(r, 1), ==, 2);
}

static void
test_no_final_newline_and_empty_fields(void)
{
  g_autoptr(GPtrArray) r = parse_ok("a,,c\n,,\nx,y,");
  g_assert_cmpuint(r->len, ==, 3);
  g_assert_cmpstr(field(r, 0, 1), ==, "");
  g_assert_cmpuint(nfields(r, 1), ==, 3);
  g_assert_cmpuint(nfields(r, 2), ==, 3);
  g_assert_cmpstr(field(r, 2, 2), ==, "");
}

static void
test_quoted(void)
{
  g_autoptr(GPtrArray) r = parse_ok("\"a,b\",\"say \"\"hi\"\"\",\"\"\n");
  g_assert_cmpuint(r->len, ==, 1);
  g_assert_cmpstr(field(r, 0, 0), ==, "a,b");
  g_assert_cmpstr(field(r, 0, 1), ==, "say \"hi\"");
  g_assert_cmpstr(field(r, 0, 2), ==, "");
}

static void
test_embedded_newlines(void)
{
  g_autoptr(GPtrArray) r = parse_ok("h1,h2\n\"line one\nline two\r\nline three\",x\nnext,y\n");
  g_assert_cmpuint(r->len, ==, 3);
  g_assert_cmpstr(field(r, 1, 0), ==, "line one\nline two\r\nline three");
  g_assert_cmpuint(line_of(r, 1), ==, 2);
  /* the record after a three-line field starts on physical line 5 */
  g_assert_cmpuint(line_of(r, 2), ==, 5);
}

static void
test_crlf_cr_and_blank_lines(void)
{
  g_autoptr(GPtrArray) r = parse_ok("a,b\r\n\r\n1,2\r\n\n3,4\r5,6\r\n");
  g_assert_cmpuint(r->len, ==, 4);
  g_assert_cmpstr(field(r, 1, 1), ==, "2");
  g_assert_cmpuint(line_of(r, 1), ==, 3);
  g_assert_cmpuint(line_of(r, 2), ==, 5);
  g_assert_cmpuint(line_of(r, 3), ==, 6);
  g_assert_cmpstr(field(r, 3, 0), ==, "5");
}

static void
test_bom_and_unicode(void)
{
  g_autoptr(GPtrArray) r = parse_ok("\xEF\xBB\xBFname,city\nJürgen,Zürich\n\"日本\",Кыїв\n");
  g_assert_cmpuint(r->len, ==, 3);
  g_assert_cmpstr(field(r, 0, 0), ==, "name");
  g_assert_cmpstr(field(r, 1, 0), ==, "Jürgen");
  g_assert_cmpstr(field(r, 2, 1), ==, "Кыїв");
}

static void
test_empty_and_header_only(void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = muster_csv_parse("", 0, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(none->len, ==, 0);
  g_autoptr(GPtrArray) null_data = muster_csv_parse(NULL, 0, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(null_data->len, ==, 0);
  g_autoptr(GPtrArray) blank = parse_ok("\n\r\n\n");
  g_assert_cmpuint(blank->len, ==, 0);
  g_autoptr(GPtrArray) header = parse_ok("a,b,c");
  g_assert_cmpuint(header->len, ==, 1);
  g_assert_cmpuint(nfields(header, 0), ==, 3);
}

static void
test_sql_text_is_data(void)
{
  g_autoptr(GPtrArray) r = parse_ok("x\n\"'); DROP TABLE item;--\"\n");
  g_assert_cmpstr(field(r, 1, 0), ==, "'); DROP TABLE item;--");
}

static void
test_unterminated_quote(void)
{
  const char *text = "a,b\n1,2\n3,\"open\nstill open\n4,5\n";
  assert_fails_at(text, strlen(text), 3, "never closed");
  assert_fails_at("\"", 1, 1, "never closed");
  /* a doubled quote at the very end is not a closing quote */
  assert_fails_at("a\n\"x\"\"", 6, 2, "never closed");
}

static void
test_stray_quotes(void)
{
  const char *inner = "a,b\nok,fine\nbad\"quote,x\n";
  assert_fails_at(inner, strlen(inner), 3, "quote inside an unquoted field");
  const char *after = "a,b\n\"closed\"junk,x\n";
  assert_fails_at(after, strlen(after), 2, "after the closing quote");
  const char *spaced = "a,b\n \"x\",y\n";
  assert_fails_at(spaced, strlen(spaced), 2, "quote inside");
}

static void
test_bad_utf8(void)
{
  const char *text = "a,b\nok,ok\nx,caf\xe9\n";
  assert_fails_at(text, strlen(text), 3, "UTF-8");
  /* inside a multi-line field, the line of the bad byte itself */
  const char *multi = "a\n\"one\ntwo\xff\"\n";
  assert_fails_at(multi, strlen(multi), 3, "0xFF");
  /* a truncated sequence at the very end */
  const char *cut = "a\n\xe2\x82";
  assert_fails_at(cut, strlen(cut), 2, "UTF-8");
}

static void
test_nul(void)
{
  const char text[] = "a,b\nx,y\0z\n";
  assert_fails_at(text, sizeof text - 1, 2, "NUL");
  const char quoted[] = "a\n\n\"x\0\"\n";
  assert_fails_at(quoted, sizeof quoted - 1, 3, "NUL");
}

/* The reader never looks past len, even when the buffer goes on. */
static void
test_respects_len(void)
{
  const char *text = "a,b\n1,2\n\"unterminated";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) r = muster_csv_parse(text, 8, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(r->len, ==, 2);
  g_autoptr(GPtrArray) cut = muster_csv_parse("\"ab\"", 3, &error);
  g_assert_null(cut);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
}

/* A damaged record is reported on the record and the reader goes on. */
static void
test_reader_continues(void)
{
  const char *text = "a,b\nbad\"q,1\nok,2\nx\xff,3\n\"x\"y,4\nlast,5\n";
  MusterCsvReader reader;
  muster_csv_reader_init(&reader, text, strlen(text));
  g_autoptr(MusterCsvRecord) rec = muster_csv_record_new();
  g_autoptr(GString) seen = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  while (muster_csv_reader_next(&reader, rec, &error)) {
    g_string_append_printf(seen, "%u:%s:%s|", rec->line, rec->problem != NULL ? "bad" : "ok",
                           (char *)g_ptr_array_index(rec->fields, 1));
    if (rec->problem != NULL) {
      g_autofree char *prefix = g_strdup_printf("line %u, field 1:", rec->line);
      g_assert_true(g_str_has_prefix(rec->problem, prefix));
    }
  }
  g_assert_no_error(error);
  muster_csv_reader_clear(&reader);
  g_assert_cmpstr(seen->str, ==, "1:ok:b|2:bad:1|3:ok:2|4:bad:3|5:bad:4|6:ok:5|");
}

static void
test_writer_quoting(void)
{
  g_autoptr(GString) out = g_string_new(NULL);
  muster_csv_append_field(out, "plain", FALSE);
  muster_csv_append_field(out, "a,b", FALSE);
  muster_csv_append_field(out, "say \"hi\"", FALSE);
  muster_csv_append_field(out, NULL, FALSE);
  muster_csv_append_field(out, " padded ", FALSE);
  muster_csv_append_field(out, "two\nlines", TRUE);
  g_assert_cmpstr(out->str, ==,
                  "plain,\"a,b\",\"say \"\"hi\"\"\",,\" padded \",\"two\nlines\"\r\n");
  /* a row of one empty field must not become a blank line */
  muster_csv_append_field(out, "", TRUE);
  muster_csv_append_field(out, NULL, FALSE);
  muster_csv_append_field(out, "", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) r = muster_csv_parse(out->str, out->len, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(r->len, ==, 3);
  g_assert_cmpuint(nfields(r, 1), ==, 1);
  g_assert_cmpstr(field(r, 1, 0), ==, "");
  g_assert_cmpuint(nfields(r, 2), ==, 2);
}

/* Whatever the writer writes, the reader reads back exactly. */
static void
test_writer_reader_round_trip(void)
{
  const char *values[] = {
      "",          "plain",     "a,b",     "\"",     "\"\"",        "x\"y",
      "line\nbreak", "cr\rlf\r\n", " lead",  "trail ", "'); DROP TABLE item;--",
      "Ünïcødé ✓", "日本語",    ",",       "\t",     "=1+2",
      "\xEF\xBB\xBF" "bom", /* first in the output: it must not pass for a byte-order mark */
  };
  const guint n = G_N_ELEMENTS(values);
  g_autoptr(GString) out = g_string_new(NULL);
  for (guint row = 0; row < 3; row++)
    for (guint i = 0; i < n; i++)
      muster_csv_append_field(out, values[(i + row + n - 1) % n], i + 1 == n);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) r = muster_csv_parse(out->str, out->len, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(r->len, ==, 3);
  for (guint row = 0; row < 3; row++) {
    g_assert_cmpuint(nfields(r, row), ==, n);
    for (guint i = 0; i < n; i++)
      g_assert_cmpstr(field(r, row, i), ==, values[(i + row + n - 1) % n]);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/csv/simple", test_simple);
  g_test_add_func("/csv/no-final-newline", test_no_final_newline_and_empty_fields);
  g_test_add_func("/csv/quoted", test_quoted);
  g_test_add_func("/csv/embedded-newlines", test_embedded_newlines);
  g_test_add_func("/csv/crlf-cr-blank-lines", test_crlf_cr_and_blank_lines);
  g_test_add_func("/csv/bom-unicode", test_bom_and_unicode);
  g_test_add_func("/csv/empty-header-only", test_empty_and_header_only);
  g_test_add_func("/csv/sql-text-is-data", test_sql_text_is_data);
  g_test_add_func("/csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func("/csv/stray-quotes", test_stray_quotes);
  g_test_add_func("/csv/bad-utf8", test_bad_utf8);
  g_test_add_func("/csv/nul", test_nul);
  g_test_add_func("/csv/respects-len", test_respects_len);
  g_test_add_func("/csv/reader-continues", test_reader_continues);
  g_test_add_func("/csv/writer-quoting", test_writer_quoting);
  g_test_add_func("/csv/writer-reader-round-trip", test_writer_reader_round_trip);
  return g_test_run();
}
