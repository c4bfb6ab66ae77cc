/*
 * fuzz-csv.c: libFuzzer target over the CSV reader and the item import.
 *
 * A CSV file comes from a spreadsheet or another system, so any bytes must be taken
 * without crashing, leaking or reading past the length given. Beyond not crashing, the
 * target checks the promises of csv.h and items.h:
 *  - muster_csv_parse() either returns records or an INVALID error saying "line N";
 *  - records it returns are valid UTF-8, and writing them with muster_csv_append_field()
 *    and reading them back gives the same fields;
 *  - muster_items_import_csv() succeeds with no line errors, or fails with between 1
 *    and 1000 of them, each naming its line, and then changes nothing.
 * The import runs against one temporary database created on the first input (with
 * synchronous=OFF: durability is not under test here, and fsync would slow the fuzzer
 * down a hundredfold); items imported by one input stay, so later inputs also meet
 * duplicates against the database.
 */
#include "db/csv.h"
#include "db/items.h"
#include "db/store.h"
#include "db/users.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *dir;
static char *path;
static MusterStore *store;
static MusterUser *admin;

static void
check(gboolean ok)
{
  if (!ok)
    abort();
}

static void
remove_database(void)
{
  g_clear_pointer(&admin, muster_user_free);
  g_clear_pointer(&store, muster_store_free);
  const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
  for (guint i = 0; path != NULL && i < G_N_ELEMENTS(suffixes); i++) {
    g_autofree char *file = g_strconcat(path, suffixes[i], NULL);
    g_unlink(file);
  }
  if (dir != NULL)
    g_rmdir(dir);
  g_clear_pointer(&path, g_free);
  g_clear_pointer(&dir, g_free);
}

static void
create_database(void)
{
  GError *error = NULL;
  dir = g_dir_make_tmp("muster-fuzz-csv-XXXXXX", &error);
  check(dir != NULL);
  path = g_build_filename(dir, "armoury.db", NULL);
  store = muster_store_create(path, "FUZZ", "Fuzz armoury", &error);
  check(store != NULL);
  check(muster_store_exec(store, "PRAGMA synchronous=OFF", &error));
  MusterUser *boot = muster_users_bootstrap_admin(store, "admin", "Fuzz", "123456", &error);
  check(boot != NULL);
  admin = boot;
  atexit(remove_database);
}

static gboolean
starts_with_line(const char *message)
{
  return g_str_has_prefix(message, "line ") && g_ascii_isdigit(message[5]);
}

/* Whatever the reader accepted, the writer writes back so that it reads the same. */
static void
check_round_trip(GPtrArray *records)
{
  GString *out = g_string_new(NULL);
  for (guint r = 0; r < records->len; r++) {
    MusterCsvRecord *rec = g_ptr_array_index(records, r);
    for (guint f = 0; f < rec->fields->len; f++)
      muster_csv_append_field(out, g_ptr_array_index(rec->fields, f), f + 1 == rec->fields->len);
  }
  GError *error = NULL;
  GPtrArray *again = muster_csv_parse(out->str, out->len, &error);
  check(again != NULL && error == NULL);
  check(again->len == records->len);
  for (guint r = 0; r < records->len; r++) {
    MusterCsvRecord *a = g_ptr_array_index(records, r);
    MusterCsvRecord *b = g_ptr_array_index(again, r);
    check(a->fields->len == b->fields->len);
    for (guint f = 0; f < a->fields->len; f++)
      check(strcmp(g_ptr_array_index(a->fields, f), g_ptr_array_index(b->fields, f)) == 0);
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
    check(error != NULL && g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_INVALID));
    check(starts_with_line(error->message));
    g_error_free(error);
    return;
  }
  check(error == NULL);
  guint last_line = 0;
  for (guint r = 0; r < records->len; r++) {
    MusterCsvRecord *rec = g_ptr_array_index(records, r);
    check(rec->problem == NULL && rec->line > last_line && rec->fields->len > 0);
    last_line = rec->line;
    for (guint f = 0; f < rec->fields->len; f++)
      check(g_utf8_validate(g_ptr_array_index(rec->fields, f), -1, NULL));
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
  check(errors != NULL);
  if (ok) {
    check(error == NULL && errors->len == 0);
    check(muster_items_count(store, NULL) == before + result.imported);
  } else {
    check(error != NULL && error->domain == MUSTER_ERROR);
    check(errors->len >= 1 && errors->len <= 1000);
    for (guint i = 0; i < errors->len; i++)
      check(starts_with_line(g_ptr_array_index(errors, i)));
    check(result.imported == 0);
    check(muster_items_count(store, NULL) == before);
    g_error_free(error);
  }
  g_ptr_array_unref(errors);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (store == NULL)
    create_database();
  /* a copy of exactly size bytes, so that reading one past the end is caught */
  char *copy = g_malloc(size > 0 ? size : 1);
  if (size > 0)
    memcpy(copy, data, size);
  check_parse(copy, size);
  check_import(copy, size);
  g_free(copy);
  return 0;
}
