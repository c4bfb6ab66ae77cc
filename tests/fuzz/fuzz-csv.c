/*
 * fuzz-csv.c: libFuzzer target over the CSV reader and the item import.
 *
 * A CSV file comes from a spreadsheet or another system, so any bytes must be taken
 * without crashing, leaking or reading past the length given. Beyond not crashing, the
 * target checks the promises of csv.h and items.h:
 *  - muster_csv_parse() either returns records or an INVALID error saying "line N";
 *  - records it returns are valid UTF-8, and writing them with muster_csv_append_field()
 *    and reading them back gives the same fields, none of them written as a cell a
 *    spreadsheet would run as a formula;
 *  - muster_items_import_csv() succeeds with no line errors, or fails with between 1
 *    and 1000 of them, each naming its line, and then changes nothing.
 * The import runs against one temporary database created on the first input (with
 * synchronous=OFF: durability is not under test here, and fsync would slow the fuzzer
 * down a hundredfold); items imported by one input stay, so later inputs also meet
 * duplicates against the database.
 */
#include "core/csv.h"
#include "db/items.h"
#include "support/fuzz-temp-db.h"

#include <stdint.h>
#include <string.h>

static MusterStore *store;
static MusterUser *admin;

static gboolean
starts_with_line(const char *message)
{
  return g_str_has_prefix(message, "line ") && g_ascii_isdigit(message[5]);
}

/* The writer's form of one field never starts with = + - @ tab or CR. */
static void
check_neutralised(const char *field)
{
  GString *one = g_string_new(NULL);
  muster_csv_append_field(one, field, FALSE);
  const char *p = one->str[0] == '"' ? one->str + 1 : one->str;
  fuzz_check(strchr("=+-@\t\r", *p) == NULL || *p == '\0');
  g_string_free(one, TRUE);
}

/* Whatever the reader accepted, the writer writes back so that it reads the same. */
static void
check_round_trip(GPtrArray *records)
{
  GString *out = g_string_new(NULL);
  for (guint r = 0; r < records->len; r++) {
    MusterCsvRecord *rec = g_ptr_array_index(records, r);
    for (guint f = 0; f < rec->fields->len; f++) {
      check_neutralised(g_ptr_array_index(rec->fields, f));
      muster_csv_append_field(out, g_ptr_array_index(rec->fields, f), f + 1 == rec->fields->len);
    }
  }
  GError *error = NULL;
  GPtrArray *again = muster_csv_parse(out->str, out->len, &error);
  fuzz_check(again != NULL && error == NULL);
  fuzz_check(again->len == records->len);
  for (guint r = 0; r < records->len; r++) {
    MusterCsvRecord *a = g_ptr_array_index(records, r);
    MusterCsvRecord *b = g_ptr_array_index(again, r);
    fuzz_check(a->fields->len == b->fields->len);
    for (guint f = 0; f < a->fields->len; f++)
      fuzz_check(strcmp(g_ptr_array_index(a->fields, f), g_ptr_array_index(b->fields, f)) == 0);
  }
  g_ptr_array_unref(again);
  g_string_free(out, TRUE);
}

static void
check_parse(const char *data, size_t size)
{
  GError *error = NULL;
  GPtrArray *records = muster_csv_parse(data, size, &error);
  if (records == NULL) {
    fuzz_check(error != NULL && g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_INVALID));
    fuzz_check(starts_with_line(error->message));
    g_error_free(error);
    return;
  }
  fuzz_check(error == NULL);
  guint last_line = 0;
  for (guint r = 0; r < records->len; r++) {
    MusterCsvRecord *rec = g_ptr_array_index(records, r);
    fuzz_check(rec->problem == NULL && rec->line > last_line && rec->fields->len > 0);
    last_line = rec->line;
    for (guint f = 0; f < rec->fields->len; f++)
      fuzz_check(g_utf8_validate(g_ptr_array_index(rec->fields, f), -1, NULL));
  }
  check_round_trip(records);
  g_ptr_array_unref(records);
}

static void
check_import(const char *data, size_t size)
{
  GError *error = NULL;
  GPtrArray *errors = NULL;
  MusterImportResult result;
  gint64 before = muster_items_count(store, NULL);
  gboolean ok = muster_items_import_csv(store, admin, data, size, &result, &errors, &error);
  fuzz_check(errors != NULL);
  if (ok) {
    fuzz_check(error == NULL && errors->len == 0);
    fuzz_check(muster_items_count(store, NULL) == before + result.imported);
  } else {
    fuzz_check(error != NULL && error->domain == MUSTER_ERROR);
    fuzz_check(errors->len >= 1 && errors->len <= 1000);
    for (guint i = 0; i < errors->len; i++)
      fuzz_check(starts_with_line(g_ptr_array_index(errors, i)));
    fuzz_check(result.imported == 0);
    fuzz_check(muster_items_count(store, NULL) == before);
    g_error_free(error);
  }
  g_ptr_array_unref(errors);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (store == NULL)
    store = fuzz_temp_db_create("csv", &admin);
  /* a copy of exactly size bytes, so that reading one past the end is caught */
  char *copy = g_malloc(size > 0 ? size : 1);
  if (size > 0)
    memcpy(copy, data, size);
  check_parse(copy, size);
  check_import(copy, size);
  g_free(copy);
  return 0;
}
