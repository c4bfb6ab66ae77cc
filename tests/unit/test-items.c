/*
 * test-items.c: items, markings, status and location changes, CSV import and export.
 *
 * Everything is checked in the SQLite file itself: the rows an operation must write
 * (item, marking, item_event, outbox, audit_log), the rows a refused or failed one must
 * not write, and the audit chain after each step. Bad CSV input is checked line by line:
 * each problem must be reported with the line it is on, and a file with any problem
 * must leave the database exactly as it was, however many rows came before it.
 */
#include "db/audit.h"
#include "core/csv.h"
#include "db/items.h"
#include "db/locations.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "test-util.h"

#include <sodium.h>
#include <string.h>

#define HEADER                                                                             \
  "manufacturer,country_of_manufacture,serial,model,category,calibre,year,import_country," \
  "import_year,state_marking,frame_material,status,location,custodian,markings\n"

/* A shorter header (columns may come in any order, optional ones may be absent) and a
 * row for it: country, serial, year, import_country, import_year, status, location,
 * markings. */
#define SHORT_HEADER                                                               \
  "manufacturer,country_of_manufacture,serial,model,category,year,import_country," \
  "import_year,status,location,markings\n"
#define ROW "Glock,%s,%s,G17,pistol,%s,%s,%s,%s,%s,%s\n"

static const char *const good_csv =
    HEADER "Glock,AT,gl-100001,G17,pistol,9x19,2015,,,,polymer,in_store,R1/A/01,,"
           "hf_uid:frame:04:A1:B2:C3:D4:E5:F6\n"
           "Heckler & Koch,DE,HK-200002,G36,rifle,5.56x45,2010,,,BW,steel,in_store,R1/B/02,,"
           "uhf_epc:frame:3034257BF7194E4000000001;engraved_serial:barrel:hk-200002\n"
           "FN Herstal,BE,FN-300003,FAL,rifle,7.62x51,1975,DE,1980,,steel,issued,,1st Company,\n";

/* ---- helpers -------------------------------------------------------------------------- */

static gint64
count(TestDb *t, const char *table)
{
  g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM %s", table);
  return test_sql_int_str(t, sql, NULL);
}

static void
assert_audit_ok(MusterStore *store)
{
  g_autoptr(GError) error = NULL;
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
}

/* Everything a failed or refused operation must leave untouched. */
typedef struct {
  gint64 items, markings, events, outbox, locations, audit;
  char *audit_head;
} Snapshot;

static void
snapshot_take(TestDb *t, Snapshot *s)
{
  s->items = count(t, "item");
  s->markings = count(t, "marking");
  s->events = count(t, "item_event");
  s->outbox = count(t, "outbox");
  s->locations = count(t, "location");
  s->audit = count(t, "audit_log");
  s->audit_head =
      test_sql_text_str(t, "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1", NULL);
}

static void
snapshot_assert_same(TestDb *t, Snapshot *before)
{
  Snapshot now;
  snapshot_take(t, &now);
  g_assert_cmpint(now.items, ==, before->items);
  g_assert_cmpint(now.markings, ==, before->markings);
  g_assert_cmpint(now.events, ==, before->events);
  g_assert_cmpint(now.outbox, ==, before->outbox);
  g_assert_cmpint(now.locations, ==, before->locations);
  g_assert_cmpint(now.audit, ==, before->audit);
  g_assert_cmpstr(now.audit_head, ==, before->audit_head);
  g_free(now.audit_head);
  g_clear_pointer(&before->audit_head, g_free);
  assert_audit_ok(t->store);
}

static gboolean
import_text(MusterStore *store, const MusterUser *actor, const char *text, gsize len,
            MusterImportResult *result, GPtrArray **errors, GError **error)
{
  return muster_items_import_csv(store, actor, text, len, result, errors, error);
}

static void
import_ok(TestDb *t, const char *text, gint64 expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  MusterImportResult result;
  gboolean ok = import_text(t->store, t->admin, text, strlen(text), &result, &errors, &error);
  for (guint i = 0; errors != NULL && i < errors->len; i++)
    g_printerr("unexpected: %s\n", (char *)g_ptr_array_index(errors, i));
  g_assert_no_error(error);
  g_assert_true(ok);
  g_assert_cmpuint(errors->len, ==, 0);
  g_assert_cmpint(result.imported, ==, expect);
}

/* The import must fail as a whole; returns its line errors. */
static GPtrArray *
import_fails(TestDb *t, const char *text, gsize len)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *errors = NULL;
  MusterImportResult result = {.imported = 42};
  Snapshot before;
  snapshot_take(t, &before);
  g_assert_false(import_text(t->store, t->admin, text, len, &result, &errors, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_true(g_str_has_prefix(error->message, "Nothing was imported"));
  g_assert_nonnull(errors);
  g_assert_cmpuint(errors->len, >, 0);
  g_assert_nonnull(strstr(error->message, g_ptr_array_index(errors, 0)));
  g_assert_cmpint(result.imported, ==, 0);
  snapshot_assert_same(t, &before);
  return errors;
}

/* Exactly one error names this line, and it says words. */
static void
assert_line_error(GPtrArray *errors, guint line, const char *words)
{
  g_autofree char *colon = g_strdup_printf("line %u:", line);
  g_autofree char *comma = g_strdup_printf("line %u,", line);
  const char *found = NULL;
  for (guint i = 0; i < errors->len; i++) {
    const char *e = g_ptr_array_index(errors, i);
    if (!g_str_has_prefix(e, colon) && !g_str_has_prefix(e, comma))
      continue;
    if (found != NULL)
      g_error("two errors for line %u: '%s' and '%s'", line, found, e);
    found = e;
  }
  if (found == NULL || strstr(found, words) == NULL)
    g_error("expected an error for line %u saying '%s', got '%s'", line, words,
            found != NULL ? found : "(none)");
}

static void
assert_no_line_error(GPtrArray *errors, guint line)
{
  g_autofree char *colon = g_strdup_printf("line %u:", line);
  for (guint i = 0; i < errors->len; i++)
    g_assert_false(g_str_has_prefix(g_ptr_array_index(errors, i), colon));
}

static MusterItem *
find_one(TestDb *t, const char *text)
{
  g_autoptr(GError) error = NULL;
  MusterItem *item = muster_items_resolve(t->store, text, &error);
  g_assert_no_error(error);
  return item;
}

static const MusterMarking *
marking_with(const MusterItem *item, const char *kind, const char *value)
{
  for (guint i = 0; i < item->markings->len; i++) {
    const MusterMarking *m = g_ptr_array_index(item->markings, i);
    if (g_str_equal(m->kind, kind) && g_str_equal(m->value, value))
      return m;
  }
  return NULL;
}

/* ---- import: the happy path -------------------------------------------------------- */

static void
test_import_good(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  MusterImportResult result;
  gint64 audit_before = count(t, "audit_log");
  g_assert_true(muster_items_import_csv(t->store, t->admin, good_csv, strlen(good_csv), &result,
                                        &errors, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(errors->len, ==, 0);
  g_assert_cmpint(result.imported, ==, 3);
  g_assert_cmpint(result.locations_created, ==, 5);
  g_assert_cmpint(muster_items_count(t->store, NULL), ==, 3);

  /* the rows: serial as written, its key and the engraved serial on the frame
   * normalised */
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM item WHERE serial = 'gl-100001' AND "
                                   "serial_key = ?",
                                   "GL-100001"),
                  ==, 1);
  g_assert_cmpint(count(t, "marking"), ==, 6);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM marking WHERE kind = "
                                   "'engraved_serial' AND component = 'frame'",
                                   NULL),
                  ==, 3);
  g_assert_cmpint(
      test_sql_int_str(t, "SELECT count(*) FROM marking WHERE value = ?", "04A1B2C3D4E5F6"), ==, 1);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM marking WHERE kind = "
                                   "'engraved_serial' AND component = 'barrel' AND value = ?",
                                   "HK-200002"),
                  ==, 1);
  g_autofree char *fn_loc =
      test_sql_text_str(t, "SELECT location_id FROM item WHERE serial = ?", "FN-300003");
  g_assert_null(fn_loc);
  g_autofree char *custodian =
      test_sql_text_str(t, "SELECT custodian FROM item WHERE serial = ?", "FN-300003");
  g_assert_cmpstr(custodian, ==, "1st Company");
  g_assert_cmpint(test_sql_int_str(t, "SELECT import_year FROM item WHERE serial = ?", "FN-300003"),
                  ==, 1980);

  /* a 'created' event per item, by the admin, naming its line */
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM item_event WHERE kind = 'created' "
                                   "AND user_id = (SELECT id FROM app_user WHERE name = 'admin')",
                                   NULL),
                  ==, 3);
  g_autofree char *reason = test_sql_text_str(t,
                                              "SELECT e.reason FROM item_event e JOIN item i "
                                              "ON i.id = e.item_id WHERE i.serial = ?",
                                              "HK-200002");
  g_assert_cmpstr(reason, ==, "imported from CSV line 3");

  /* an outbox event per item with its fields */
  g_assert_cmpint(
      test_sql_int_str(t, "SELECT count(*) FROM outbox WHERE kind = 'item.created'", NULL), ==, 3);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT json_array_length(payload, '$.markings') FROM "
                                   "outbox WHERE json_extract(payload, '$.serial') = ?",
                                   "HK-200002"),
                  ==, 3);
  g_autofree char *outbox_loc =
      test_sql_text_str(t,
                        "SELECT json_extract(payload, '$.location') "
                        "FROM outbox WHERE json_extract(payload, '$.serial') = ?",
                        "gl-100001");
  g_assert_cmpstr(outbox_loc, ==, "R1/A/01");
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM outbox o JOIN item i ON "
                                   "i.uuid = o.entity_uuid",
                                   NULL),
                  ==, 3);

  /* one items.import audit entry with the count and the file's SHA-256; the five
   * locations created on the way are audited one by one */
  guint8 digest[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  crypto_hash_sha256(digest, (const guint8 *)good_csv, strlen(good_csv));
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'items.import'",
                                   NULL),
                  ==, 1);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT json_extract(detail, '$.count') FROM audit_log "
                                   "WHERE action = 'items.import' AND user_name = 'admin'",
                                   NULL),
                  ==, 3);
  g_autofree char *sha = test_sql_text_str(t,
                                           "SELECT json_extract(detail, '$.sha256') FROM "
                                           "audit_log WHERE action = 'items.import'",
                                           NULL);
  g_assert_cmpstr(sha, ==, hex);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'location.add'",
                                   NULL),
                  ==, 5);
  /* 1 import + 5 locations + the seals of item_event, outbox and the state rows */
  g_assert_cmpint(count(t, "audit_log"), ==, audit_before + 9);
  assert_audit_ok(t->store);

  g_autoptr(MusterLocation) slot = muster_locations_get(t->store, "R1/B/02", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(slot->kind, ==, "slot");

  g_autoptr(MusterItem) glock = find_one(t, "gl-100001");
  g_assert_cmpstr(glock->manufacturer, ==, "Glock");
  g_assert_cmpstr(glock->country, ==, "AT");
  g_assert_cmpint(glock->year, ==, 2015);
  g_assert_cmpint(glock->import_year, ==, 0);
  g_assert_null(glock->import_country);
  g_assert_cmpstr(glock->frame_material, ==, "polymer");
  g_assert_cmpstr(glock->location_path, ==, "R1/A/01");
  g_assert_cmpint(glock->status, ==, MUSTER_STATUS_IN_STORE);
  g_assert_cmpuint(glock->markings->len, ==, 2);
}

/* Quoted commas and quotes, a multi-line field, Unicode and SQL-looking text are data. */
static void
test_import_awkward_values(TestDb *t, gconstpointer data)
{
  const char *csv = HEADER "\"Smith, Wesson & \"\"Co\"\"\",US,sw-1,\"'); DROP TABLE "
                           "item;--\",pistol,\".38 \"\"Spl\"\"\","
                           ",,,\"Ⓡ BUNDESWEHR\r\n2. Zeile\",steel,in_store,\"Raum 1/Ständer A\",,\n"
                           "Ижмаш,RU,АК-74 №12,АК-74,автомат,5.45x39,1985,,,,,in_store,/,,\n";
  import_ok(t, csv, 2);
  g_autofree char *model = test_sql_text_str(t, "SELECT model FROM item WHERE serial = ?", "sw-1");
  g_assert_cmpstr(model, ==, "'); DROP TABLE item;--");
  g_autofree char *maker =
      test_sql_text_str(t, "SELECT manufacturer FROM item WHERE serial = ?", "sw-1");
  g_assert_cmpstr(maker, ==, "Smith, Wesson & \"Co\"");
  g_autofree char *state =
      test_sql_text_str(t, "SELECT state_marking FROM item WHERE serial = ?", "sw-1");
  g_assert_cmpstr(state, ==, "Ⓡ BUNDESWEHR\r\n2. Zeile");
  g_autofree char *calibre =
      test_sql_text_str(t, "SELECT calibre FROM item WHERE serial = ?", "sw-1");
  g_assert_cmpstr(calibre, ==, ".38 \"Spl\"");
  /* Cyrillic serial found in lower case; "/" puts the item in the armoury itself */
  g_autoptr(MusterItem) ak = find_one(t, "ак-74 №12");
  g_assert_cmpstr(ak->serial, ==, "АК-74 №12");
  g_assert_cmpstr(ak->location_path, ==, "");
  g_assert_cmpint(count(t, "item"), ==, 2);
  assert_audit_ok(t->store);
}

static void
test_import_header_only_and_blank_rows(TestDb *t, gconstpointer data)
{
  import_ok(t, HEADER, 0);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT json_extract(detail, '$.count') FROM audit_log "
                                   "WHERE action = 'items.import'",
                                   NULL),
                  ==, 0);
  /* spreadsheets leave rows of empty cells and blank lines at the end */
  g_autofree char *csv = g_strconcat(HEADER, "Glock,AT,X1,G17,pistol,,,,,,,in_store,,,\r\n",
                                     ",,,,,,,,,,,,,,\r\n\r\n", NULL);
  import_ok(t, csv, 1);
  assert_audit_ok(t->store);
}

/* ---- import: bad input ------------------------------------------------------------- */

static void
test_import_bad_header(TestDb *t, gconstpointer data)
{
  const char *csv = "manufacturer,serial,colour,serial,model,category\nGlock,1,red,1,G17,p\n";
  g_autoptr(GPtrArray) errors = import_fails(t, csv, strlen(csv));
  /* every header problem, all on line 1, and nothing about the rows */
  g_assert_cmpuint(errors->len, ==, 4);
  const char *want[] = {"unknown column 'colour'", "'serial' appears twice",
                        "'country_of_manufacture' is missing", "'status' is missing"};
  for (guint i = 0; i < errors->len; i++) {
    g_assert_true(g_str_has_prefix(g_ptr_array_index(errors, i), "line 1: "));
    g_assert_nonnull(strstr(g_ptr_array_index(errors, i), want[i]));
  }
  g_autoptr(GPtrArray) empty = import_fails(t, "", 0);
  assert_line_error(empty, 1, "empty");
  g_autoptr(GPtrArray) blank = import_fails(t, "\n\n", 2);
  assert_line_error(blank, 1, "header");
  /* the header of a shifted file: names are exact */
  const char *shifted = "manufacturer ,country_of_manufacture,serial,model,category,status\n";
  g_autoptr(GPtrArray) spaced = import_fails(t, shifted, strlen(shifted));
  g_assert_cmpuint(spaced->len, ==, 2);
  g_assert_nonnull(strstr(g_ptr_array_index(spaced, 0), "line 1: unknown column 'manufacturer '"));
  g_assert_nonnull(strstr(g_ptr_array_index(spaced, 1), "'manufacturer' is missing"));
}

static void
test_import_bad_rows(TestDb *t, gconstpointer data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *too_late = g_strdup_printf("%d", g_date_time_get_year(now) + 2);
  g_autofree char *next_year = g_strdup_printf("%d", g_date_time_get_year(now) + 1);
  g_autoptr(GString) csv = g_string_new(SHORT_HEADER);                                  /* 1 */
  g_string_append_printf(csv, ROW, "AT", "OK-1", "2015", "", "", "in_store", "R1", ""); /* 2 */
  g_string_append_printf(csv, ROW, "XX", "B-3", "", "", "", "in_store", "", "");
  g_string_append_printf(csv, ROW, "at", "B-4", "", "", "", "in_store", "", "");
  g_string_append_printf(csv, ROW, "AT", "B-5", "1700", "", "", "in_store", "", "");
  g_string_append_printf(csv, ROW, "AT", "B-6", too_late, "", "", "in_store", "", "");
  g_string_append_printf(csv, ROW, "AT", "B-7", "20x5", "", "", "in_store", "", "");
  g_string_append_printf(csv, ROW, "AT", "B-8", "2015", "DE", "2010", "in_store", "", "");
  g_string_append_printf(csv, ROW, "AT", "B-9", "", "ZZ", "", "in_store", "", "");
  g_string_append_printf(csv, ROW, "AT", "B-10", "", "", "", "lent_out", "", ""); /* 10 */
  g_string_append_printf(csv, ROW, "AT", "", "", "", "", "in_store", "", "");
  g_string_append(csv, "Glock,AT,B-12,G17,pistol,,,,in_store,\n"); /* 12 */
  g_string_append_printf(csv, ROW, "AT", "B-13", "", "", "", "in_store", "", "rfid:frame:04A1B2C3");
  g_string_append_printf(csv, ROW, "AT", "B-14", "", "", "", "in_store", "",
                         "hf_uid:stock:04A1B2C3");
  g_string_append_printf(csv, ROW, "AT", "B-15", "", "", "", "in_store", "", "hf_uid:frame:04A1B");
  g_string_append_printf(csv, ROW, "AT", "B-16", "", "", "", "in_store", "", "hf_uid-04A1B2C3");
  g_string_append_printf(csv, ROW, "AT", "B-17", next_year, "", "", "in_store", "",
                         "hf_uid:frame:04:11:22:33"); /* 17 */
  g_string_append_printf(csv, ROW, "AT", "B-18", "", "", "", "in_store", "",
                         "hf_uid:barrel:04112233");                                 /* 18 */
  g_string_append_printf(csv, ROW, "AT", " ok-1 ", "", "", "", "in_store", "", ""); /* 19 */
  g_string_append(csv, "Glock,AT,\"B-20\nX\",G17,pistol,,,,in_store,,\n");          /* 20-21 */
  g_string_append(csv, "Glo\x01"
                       "ck,AT,B-22,G17,pistol,,,,in_store,,\n"); /* 22 */
  g_string_append_printf(csv, ROW, "AT", "B-23", "", "", "", "in_store", "R1//A", "");
  g_string_append(csv, "Glock,AT,B-24,,pistol,,,,in_store,,\n"); /* 24 */
  g_string_append_printf(csv, ROW, "AT", "B-25", "", "", "", "", "", "");
  g_string_append_printf(csv, ROW, "AT", "B-26", "", "", "", "in_store", "",
                         "uhf_epc:frame:3034257BF7194E40000001"); /* 26 */
  g_string_append_printf(csv, ROW, "AT", "B-27", "", "", "", "in_store", "",
                         "hf_uid:frame:04AA;hf_uid:frame:04:aa"); /* 27 */
  g_string_append_printf(csv, ROW, "AT", "B-28", "", "", "", "in_store", "",
                         "hf_uid:frame:04112233"); /* 28 */
  g_string_append_printf(csv, ROW, "AT", "'); DROP TABLE item;--", "", "", "", "in_store", "",
                         ""); /* 29 */

  g_autoptr(GPtrArray) errors = import_fails(t, csv->str, csv->len);
  for (guint i = 0; i < errors->len; i++)
    g_test_message("%s", (char *)g_ptr_array_index(errors, i));
  assert_no_line_error(errors, 2);
  assert_line_error(errors, 3, "country_of_manufacture 'XX' is not an ISO 3166");
  assert_line_error(errors, 4, "must be written in upper case: AT");
  assert_line_error(errors, 5, "year 1700 is out of range");
  assert_line_error(errors, 6, "out of range");
  assert_line_error(errors, 7, "year '20x5' is not a year");
  assert_line_error(errors, 8, "import_year 2010 is before the year of manufacture 2015");
  assert_line_error(errors, 9, "import_country 'ZZ'");
  assert_line_error(errors, 10, "Unknown status 'lent_out'");
  assert_line_error(errors, 11, "serial is required");
  assert_line_error(errors, 12, "10 fields, but the header has 11 columns");
  assert_line_error(errors, 13, "unknown kind 'rfid'");
  assert_line_error(errors, 14, "unknown component 'stock'");
  assert_line_error(errors, 15, "odd number of hex digits");
  assert_line_error(errors, 16, "must be kind:component:value");
  assert_no_line_error(errors, 17);
  assert_line_error(errors, 18, "hf_uid 04112233 is already on line 17");
  assert_line_error(errors, 19, "Glock serial ok-1 is already on line 2");
  assert_line_error(errors, 20, "serial: ");
  assert_line_error(errors, 22, "manufacturer contains a control character (U+0001)");
  assert_line_error(errors, 23, "doubled '/'");
  assert_line_error(errors, 24, "model is required");
  assert_line_error(errors, 25, "status is required");
  assert_line_error(errors, 26, "22 hex digits");
  assert_line_error(errors, 27, "listed twice");
  assert_line_error(errors, 28, "hf_uid 04112233 is already on line 17");
  /* SQL-looking text is a valid serial */
  assert_no_line_error(errors, 29);
  g_assert_cmpuint(errors->len, ==, 24);
  g_assert_cmpint(count(t, "item"), ==, 0);
}

/* A line with one field more than the header (a comma left unquoted in a value) is
 * refused with its line number, never imported with its fields cut or shifted. */
static void
test_import_extra_field_refused(TestDb *t, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new(SHORT_HEADER);
  g_string_append_printf(csv, ROW, "AT", "X-2", "", "", "", "in_store", "R1", "");
  g_string_append(csv, "Glock,AT,X-3,G17,pistol,,,,in_store,R1,,spare\n");
  g_autoptr(GPtrArray) errors = import_fails(t, csv->str, csv->len);
  assert_no_line_error(errors, 2);
  assert_line_error(errors, 3, "12 fields, but the header has 11 columns");
  g_assert_cmpuint(errors->len, ==, 1);
  g_assert_cmpint(count(t, "item"), ==, 0);
}

static void
test_import_bad_csv_syntax(TestDb *t, gconstpointer data)
{
  /* bad UTF-8 and stray quotes do not hide each other: every line is reported */
  g_autoptr(GString) csv = g_string_new(SHORT_HEADER);
  g_string_append_printf(csv, ROW, "AT", "S-2", "", "", "", "in_store", "", "");
  g_string_append_printf(csv, ROW, "AT", "S-\xff", "", "", "", "in_store", "", ""); /* 3 */
  g_string_append_printf(csv, ROW, "AT", "S-4", "", "", "", "in_store", "", "");
  g_string_append_printf(csv, ROW, "AT", "S-\"5", "", "", "", "in_store", "", "");  /* 5 */
  g_string_append(csv, "Glock,AT,\"S-6\"x,G17,pistol,,,,in_store,,\n");             /* 6 */
  g_string_append_printf(csv, ROW, "AT", "S-\xc3", "", "", "", "in_store", "", ""); /* 7 */
  static const char nul_row[] = "Glock,AT,S-\0"
                                "8,G17,pistol,,,,in_store,,\n";
  g_string_append_len(csv, nul_row, sizeof nul_row - 1); /* 8 */
  g_autoptr(GPtrArray) errors = import_fails(t, csv->str, csv->len);
  assert_line_error(errors, 3, "not valid UTF-8 (byte 0xFF)");
  assert_line_error(errors, 5, "quote inside an unquoted field");
  assert_line_error(errors, 6, "after the closing quote");
  assert_line_error(errors, 7, "UTF-8");
  assert_line_error(errors, 8, "NUL");
  g_assert_cmpuint(errors->len, ==, 5);

  /* an unbalanced quote: reported where it opens; lines before it are still checked */
  g_autoptr(GString) open = g_string_new(SHORT_HEADER);
  g_string_append_printf(open, ROW, "XX", "Q-2", "", "", "", "in_store", "", "");
  g_string_append(open, "Glock,AT,\"Q-3,G17,pistol,,,,in_store,,\n");
  g_string_append_printf(open, ROW, "AT", "Q-4", "", "", "", "in_store", "", "");
  g_autoptr(GPtrArray) unbalanced = import_fails(t, open->str, open->len);
  assert_line_error(unbalanced, 2, "XX");
  assert_line_error(unbalanced, 3, "never closed");
  g_assert_cmpuint(unbalanced->len, ==, 2);

  /* a header that is itself damaged */
  const char *damaged = "manufacturer,\"serial\n";
  g_autoptr(GPtrArray) header = import_fails(t, damaged, strlen(damaged));
  assert_line_error(header, 1, "never closed");
}

/* A multi-line record is fine, and the errors after it still name the right line. */
static void
test_import_embedded_newline_lines(TestDb *t, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new(HEADER);
  g_string_append(csv, "Glock,AT,N-2,\"G17\nGen 5\n(MOS)\",pistol,,,,,\"line\r\nbreak\",,"
                       "in_store,,,\n");                              /* 2-5 */
  g_string_append(csv, "Glock,AT,N-6,G17,pistol,,,,,,,stolen?,,,\n"); /* 6 */
  g_autoptr(GPtrArray) errors = import_fails(t, csv->str, csv->len);
  assert_line_error(errors, 6, "stolen?");
  g_assert_cmpuint(errors->len, ==, 1);
}

static void
test_import_duplicate_against_database(TestDb *t, gconstpointer data)
{
  import_ok(t, good_csv, 3);
  g_autoptr(MusterItem) glock = find_one(t, "GL-100001");
  g_autofree char *again = g_strconcat(HEADER, "Glock,AT,X-2,G17,pistol,,,,,,,in_store,,,\n",
                                       "Glock,AT, gl-100001 ,G17,pistol,,,,,,,in_store,,,\n", NULL);
  g_autoptr(GPtrArray) errors = import_fails(t, again, strlen(again));
  assert_line_error(errors, 3, "Glock serial gl-100001 is already recorded");
  g_assert_nonnull(strstr(g_ptr_array_index(errors, 0), glock->uuid));
  g_assert_cmpuint(errors->len, ==, 1);
  g_assert_cmpint(count(t, "item"), ==, 3);

  /* the same serial from another manufacturer is a separate weapon (reconciliation
   * reports the shared serial, the import does not refuse it) */
  g_autofree char *other =
      g_strconcat(HEADER, "Steyr,AT,GL-100001,AUG,rifle,,,,,,,in_store,,,\n", NULL);
  import_ok(t, other, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) both = muster_items_find_by_marking(t->store, "gl-100001", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(both->len, ==, 2);
  assert_audit_ok(t->store);
}

static void
test_import_error_limit(TestDb *t, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new(SHORT_HEADER);
  for (guint i = 0; i < 1500; i++)
    g_string_append_printf(csv, "Glock,XX,E-%u,G17,pistol,,,,in_store,,\n", i);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_assert_false(
      muster_items_import_csv(t->store, t->admin, csv->str, csv->len, NULL, &errors, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "more than 1000 problems"));
  g_assert_cmpuint(errors->len, ==, 1000);
  g_assert_true(g_str_has_prefix(g_ptr_array_index(errors, 999), "line 1001: "));
  g_assert_cmpint(count(t, "item"), ==, 0);
}

static void
test_import_roles(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) staff = test_db_add_user(t, "sue", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) sup = test_db_add_user(t, "sam", MUSTER_ROLE_SUPERVISOR);
  Snapshot before;
  snapshot_take(t, &before);
  const MusterUser *refused[] = {staff, sup, NULL};
  for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) errors = NULL;
    g_assert_false(muster_items_import_csv(t->store, refused[i], good_csv, strlen(good_csv), NULL,
                                           &errors, &error));
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
    g_assert_nonnull(strstr(error->message, "Importing"));
    if (refused[i] != NULL)
      g_assert_nonnull(strstr(error->message, refused[i]->name));
    g_assert_null(errors);
  }
  snapshot_assert_same(t, &before);
}

/* ---- export and the round trip ------------------------------------------------------- */

static GString *export(MusterStore *store)
{
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new(NULL);
  g_assert_true(muster_items_export_csv(store, out, &error));
  g_assert_no_error(error);
  return out;
}

static void
test_export_round_trip(TestDb *t, gconstpointer data)
{
  /* columns in another order than the export's, awkward values everywhere */
  const char *csv =
      "status,serial,manufacturer,model,category,country_of_manufacture,calibre,year,"
      "import_country,import_year,state_marking,frame_material,location,custodian,markings\n"
      "in_store,sw-1,\"Smith, Wesson & \"\"Co\"\"\",\"'); DROP TABLE item;--\",pistol,US,"
      "\".38 \"\"Spl\"\"\",1999,DE,2001,\"Ⓡ BW\n2. Zeile\",\"steel, blued\",\"R1/A/01\",,"
      "\"hf_uid:frame:04 a1 b2 c3;ndef:slide:urn:muster:7;barcode:barrel: 40063813\"\n"
      "issued,АК-74 №12,Ижмаш,АК-74,автомат,RU,5.45x39,1985,,,,,,\"Kp. 3, Zug \"\"Nord\"\"\","
      "uhf_epc:frame:3034257BF7194E4000000001\n"
      "in_store,G-3,Glock,G17,pistol,AT,9x19,,,,,polymer,/,,engraved_serial:frame:g-3\n"
      "lost,G-4,Glock,G19,pistol,AT,9x19,2020,,,,polymer,,,\n";
  import_ok(t, csv, 4);

  /* later changes show in the export: status, location, a retired marking */
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) g4 = find_one(t, "G-4");
  g_assert_true(muster_items_set_status(t->store, t->admin, g4->id, MUSTER_STATUS_IN_REPAIR, NULL,
                                        "found, sent for repair", &error));
  g_assert_no_error(error);
  g_autoptr(MusterLocation) loc = muster_locations_add(t->store, t->admin, "R2", NULL, &error);
  g_assert_no_error(error);
  g_assert_true(muster_items_move(t->store, t->admin, g4->id, "R2", NULL, &error));
  g_assert_no_error(error);
  g_autoptr(MusterItem) sw = find_one(t, "SW-1");
  g_assert_true(muster_items_retire_marking(t->store, t->admin, sw->id, "40063813",
                                            "label torn off", &error));
  g_assert_no_error(error);

  g_autoptr(GString) first = export(t->store);
  const char *expected =
      "manufacturer,country_of_manufacture,serial,model,category,calibre,year,import_country,"
      "import_year,state_marking,frame_material,status,location,custodian,markings\r\n"
      "\"Smith, Wesson & \"\"Co\"\"\",US,sw-1,'); DROP TABLE item;--,pistol,\".38 \"\"Spl\"\"\","
      "1999,DE,2001,\"Ⓡ BW\n2. Zeile\",\"steel, blued\",in_store,R1/A/01,,"
      "hf_uid:frame:04A1B2C3;ndef:slide:URN:MUSTER:7\r\n"
      "Ижмаш,RU,АК-74 №12,АК-74,автомат,5.45x39,1985,,,,,issued,,\"Kp. 3, Zug \"\"Nord\"\"\","
      "uhf_epc:frame:3034257BF7194E4000000001\r\n"
      "Glock,AT,G-3,G17,pistol,9x19,,,,,polymer,in_store,/,,\r\n"
      "Glock,AT,G-4,G19,pistol,9x19,2020,,,,polymer,in_repair,R2,,\r\n";
  g_assert_cmpstr(first->str, ==, expected);

  /* into a fresh database and out again: byte for byte the same */
  g_autofree char *path2 = g_build_filename(t->dir, "second.db", NULL);
  g_autoptr(MusterStore) store2 = muster_store_create(path2, "TEST2", "Second", &error);
  g_assert_no_error(error);
  g_autoptr(MusterUser) boot = muster_users_bootstrap_admin(store2, "admin", "A", "123456", &error);
  g_assert_no_error(error);
  g_autoptr(GPtrArray) errors = NULL;
  MusterImportResult result;
  g_assert_true(
      muster_items_import_csv(store2, boot, first->str, first->len, &result, &errors, &error));
  g_assert_no_error(error);
  g_assert_cmpint(result.imported, ==, 4);
  g_autoptr(GString) second = export(store2);
  g_assert_cmpstr(second->str, ==, first->str);
  assert_audit_ok(store2);
  assert_audit_ok(t->store);
}

static void
test_export_empty(TestDb *t, gconstpointer data)
{
  g_autoptr(GString) out = export(t->store);
  g_assert_cmpstr(out->str, ==,
                  "manufacturer,country_of_manufacture,serial,model,category,calibre,year,"
                  "import_country,import_year,state_marking,frame_material,status,location,"
                  "custodian,markings\r\n");
}

/* ---- single items and changes ------------------------------------------------------- */

static MusterItem *
fields_new(const char *serial)
{
  MusterItem *f = g_new0(MusterItem, 1);
  f->manufacturer = g_strdup("Glock");
  f->country = g_strdup("AT");
  f->serial = g_strdup(serial);
  f->model = g_strdup("G17");
  f->category = g_strdup("pistol");
  f->status = MUSTER_STATUS_IN_STORE;
  f->location_path = g_strdup("R1/A/01");
  f->markings = g_ptr_array_new_with_free_func((GDestroyNotify)muster_marking_free);
  MusterMarking *m = g_new0(MusterMarking, 1);
  m->kind = g_strdup("hf_uid");
  m->component = g_strdup("frame");
  m->value = g_strdup("04-aa-bb-cc");
  g_ptr_array_add(f->markings, m);
  return f;
}

static void
test_add_item(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) fields = fields_new(" abc-1 ");
  g_autoptr(MusterItem) item = muster_items_add(t->store, t->admin, fields, &error);
  g_assert_no_error(error);
  /* Kept as written (trimmed); the marking it is matched by is normalised. */
  g_assert_cmpstr(item->serial, ==, "abc-1");
  g_assert_true(g_uuid_string_is_valid(item->uuid));
  g_assert_cmpstr(item->location_path, ==, "R1/A/01");
  g_assert_cmpuint(item->markings->len, ==, 2);
  g_assert_nonnull(marking_with(item, "engraved_serial", "ABC-1"));
  g_assert_nonnull(marking_with(item, "hf_uid", "04AABBCC"));
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM audit_log WHERE action = 'item.add' "
                                   "AND subject = ?",
                                   item->uuid),
                  ==, 1);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM outbox WHERE kind = 'item.created' "
                                   "AND entity_uuid = ?",
                                   item->uuid),
                  ==, 1);
  g_assert_cmpint(
      test_sql_int_str(t, "SELECT count(*) FROM item_event WHERE kind = 'created'", NULL), ==, 1);
  assert_audit_ok(t->store);

  /* the same manufacturer and serial again */
  g_autoptr(GError) dup = NULL;
  g_autoptr(MusterItem) again = fields_new("ABC-1");
  g_assert_null(muster_items_add(t->store, t->admin, again, &dup));
  g_assert_error(dup, MUSTER_ERROR, MUSTER_ERROR_EXISTS);
  g_assert_nonnull(strstr(dup->message, item->uuid));

  /* every problem at once */
  g_autoptr(GError) bad = NULL;
  g_autoptr(MusterItem) wrong = fields_new("");
  g_free(wrong->country);
  wrong->country = g_strdup("GER");
  wrong->year = 1492;
  g_assert_null(muster_items_add(t->store, t->admin, wrong, &bad));
  g_assert_error(bad, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(bad->message, "serial is required"));
  g_assert_nonnull(strstr(bad->message, "'GER'"));
  g_assert_nonnull(strstr(bad->message, "year 1492"));

  g_autoptr(MusterUser) sup = test_db_add_user(t, "sam", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(GError) refused = NULL;
  g_autoptr(MusterItem) other = fields_new("XYZ-9");
  g_assert_null(muster_items_add(t->store, sup, other, &refused));
  g_assert_error(refused, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_assert_cmpint(count(t, "item"), ==, 1);
  assert_audit_ok(t->store);
}

static void
test_set_status(TestDb *t, gconstpointer data)
{
  import_ok(t, good_csv, 3);
  g_autoptr(MusterUser) sup = test_db_add_user(t, "sam", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(MusterUser) staff = test_db_add_user(t, "sue", MUSTER_ROLE_STAFF);
  g_autoptr(MusterItem) glock = find_one(t, "GL-100001");
  g_autoptr(GError) error = NULL;

  /* staff may not; nothing is written */
  Snapshot before;
  snapshot_take(t, &before);
  g_assert_false(muster_items_set_status(t->store, staff, glock->id, MUSTER_STATUS_LOST, NULL,
                                         "gone", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_assert_nonnull(strstr(error->message, "sue is staff"));
  g_clear_error(&error);
  /* a reason is required; issuing needs a custodian; unknown status; unknown item */
  g_assert_false(
      muster_items_set_status(t->store, sup, glock->id, MUSTER_STATUS_LOST, NULL, "  ", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "reason"));
  g_clear_error(&error);
  g_assert_false(muster_items_set_status(t->store, sup, glock->id, MUSTER_STATUS_ISSUED, NULL,
                                         "guard duty", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "custodian"));
  g_clear_error(&error);
  g_assert_false(
      muster_items_set_status(t->store, sup, glock->id, (MusterStatus)42, NULL, "x", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);
  g_assert_false(
      muster_items_set_status(t->store, sup, 9999, MUSTER_STATUS_LOST, NULL, "x", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);
  g_assert_false(muster_items_set_status(t->store, sup, glock->id, MUSTER_STATUS_IN_STORE, NULL,
                                         "no change", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE);
  g_clear_error(&error);
  snapshot_assert_same(t, &before);

  /* a supervisor issues it: status, custodian, two events, audit and outbox */
  g_assert_true(muster_items_set_status(t->store, sup, glock->id, MUSTER_STATUS_ISSUED,
                                        " 2nd Platoon ", "guard duty, order 17/26", &error));
  g_assert_no_error(error);
  g_autoptr(MusterItem) issued = muster_items_get(t->store, glock->id, &error);
  g_assert_cmpint(issued->status, ==, MUSTER_STATUS_ISSUED);
  g_assert_cmpstr(issued->custodian, ==, "2nd Platoon");
  /* the location stays as recorded */
  g_assert_cmpstr(issued->location_path, ==, "R1/A/01");
  g_autofree char *id_text = g_strdup_printf("%" G_GINT64_FORMAT, glock->id);
  g_autofree char *status_ev = test_sql_text_str(
      t,
      "SELECT old_value || '>' || new_value || '|' || reason || '|' || u.name FROM "
      "item_event e JOIN app_user u ON u.id = e.user_id WHERE e.kind = 'status' AND "
      "e.item_id = CAST(? AS INTEGER)",
      id_text);
  g_assert_cmpstr(status_ev, ==, "in_store>issued|guard duty, order 17/26|sam");
  g_autofree char *custody_ev =
      test_sql_text_str(t,
                        "SELECT coalesce(old_value, '-') || '>' || new_value FROM item_event WHERE "
                        "kind = 'custody' AND item_id = CAST(? AS INTEGER)",
                        id_text);
  g_assert_cmpstr(custody_ev, ==, "->2nd Platoon");
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'item.status' AND user_name = 'sam' AND subject = ?",
                                   glock->uuid),
                  ==, 1);
  g_autofree char *payload_status = test_sql_text_str(
      t,
      "SELECT json_extract(payload, '$.old_status') || '>' || json_extract(payload, "
      "'$.status') || '|' || json_extract(payload, '$.custodian') FROM outbox WHERE "
      "kind = 'item.status' AND entity_uuid = ?",
      glock->uuid);
  g_assert_cmpstr(payload_status, ==, "in_store>issued|2nd Platoon");
  assert_audit_ok(t->store);

  /* back in store: the custodian is cleared, the admin may do it too */
  g_assert_true(muster_items_set_status(t->store, t->admin, glock->id, MUSTER_STATUS_IN_STORE, NULL,
                                        "returned", &error));
  g_assert_no_error(error);
  g_autoptr(MusterItem) back = muster_items_get(t->store, glock->id, &error);
  g_assert_null(back->custodian);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM item_event WHERE kind IN "
                                   "('status', 'custody')",
                                   NULL),
                  ==, 4);
  assert_audit_ok(t->store);
}

static void
test_move(TestDb *t, gconstpointer data)
{
  import_ok(t, good_csv, 3);
  g_autoptr(MusterUser) sup = test_db_add_user(t, "sam", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(MusterUser) staff = test_db_add_user(t, "sue", MUSTER_ROLE_STAFF);
  g_autoptr(MusterItem) glock = find_one(t, "GL-100001");
  g_autoptr(GError) error = NULL;
  Snapshot before;
  snapshot_take(t, &before);
  g_assert_false(muster_items_move(t->store, staff, glock->id, "R1/B/02", "x", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  g_assert_false(muster_items_move(t->store, sup, glock->id, "R7/Z", "x", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(error->message, "R7/Z"));
  g_clear_error(&error);
  g_assert_false(muster_items_move(t->store, sup, glock->id, "R1/A/01", NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE);
  g_clear_error(&error);
  snapshot_assert_same(t, &before);

  g_assert_true(
      muster_items_move(t->store, sup, glock->id, " R1 / B / 02 ", "rack repair", &error));
  g_assert_no_error(error);
  g_autoptr(MusterItem) moved = muster_items_get(t->store, glock->id, &error);
  g_assert_cmpstr(moved->location_path, ==, "R1/B/02");
  g_autofree char *ev = test_sql_text_str(t,
                                          "SELECT old_value || '>' || new_value || '|' || "
                                          "reason FROM item_event WHERE kind = 'location'",
                                          NULL);
  g_assert_cmpstr(ev, ==, "R1/A/01>R1/B/02|rack repair");
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'item.move' AND user_name = 'sam'",
                                   NULL),
                  ==, 1);
  g_autofree char *payload = test_sql_text_str(t,
                                               "SELECT json_extract(payload, '$.location') "
                                               "FROM outbox WHERE kind = 'item.location' AND "
                                               "entity_uuid = ?",
                                               glock->uuid);
  g_assert_cmpstr(payload, ==, "R1/B/02");
  /* into the armoury itself, from no location at all */
  g_autoptr(MusterItem) fn = find_one(t, "FN-300003");
  g_assert_true(muster_items_move(t->store, sup, fn->id, "/", NULL, &error));
  g_assert_no_error(error);
  g_autoptr(MusterItem) fn_moved = muster_items_get(t->store, fn->id, &error);
  g_assert_cmpstr(fn_moved->location_path, ==, "");
  assert_audit_ok(t->store);
}

static void
test_markings(TestDb *t, gconstpointer data)
{
  import_ok(t, good_csv, 3);
  g_autoptr(MusterUser) sup = test_db_add_user(t, "sam", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(MusterItem) glock = find_one(t, "GL-100001");
  g_autoptr(GError) error = NULL;
  Snapshot before;
  snapshot_take(t, &before);
  /* supervisors may not add or retire markings */
  g_assert_false(
      muster_items_add_marking(t->store, sup, glock->id, "barcode", "slide", "123", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_assert_nonnull(strstr(error->message, "admin"));
  g_clear_error(&error);
  g_assert_false(muster_items_retire_marking(t->store, sup, glock->id, "GL-100001", "x", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  /* bad kind, component, value; a marking it already carries */
  g_assert_false(
      muster_items_add_marking(t->store, t->admin, glock->id, "rfid", "frame", "1", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "unknown kind 'rfid'"));
  g_clear_error(&error);
  g_assert_false(
      muster_items_add_marking(t->store, t->admin, glock->id, "barcode", "grip", "1", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);
  g_assert_false(
      muster_items_add_marking(t->store, t->admin, glock->id, "uhf_epc", "frame", "1234", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);
  g_assert_false(muster_items_add_marking(t->store, t->admin, glock->id, "hf_uid", "frame",
                                          "04 a1 b2 c3 d4 e5 f6", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS);
  g_clear_error(&error);
  g_assert_false(
      muster_items_retire_marking(t->store, t->admin, glock->id, "GL-100001", "", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);
  g_assert_false(
      muster_items_retire_marking(t->store, t->admin, glock->id, "NOPE", "lost", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);
  snapshot_assert_same(t, &before);

  /* add: normalised, with event, audit and outbox */
  g_assert_true(muster_items_add_marking(t->store, t->admin, glock->id, "hf_uid", "slide",
                                         "04:bb:cc:dd", &error));
  g_assert_no_error(error);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM marking WHERE value = '04BBCCDD' "
                                   "AND component = 'slide' AND retired_at IS NULL",
                                   NULL),
                  ==, 1);
  g_autofree char *ev = test_sql_text_str(t,
                                          "SELECT new_value FROM item_event WHERE kind = "
                                          "'marking'",
                                          NULL);
  g_assert_cmpstr(ev, ==, "hf_uid:slide:04BBCCDD");
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'marking.add' AND subject = ?",
                                   glock->uuid),
                  ==, 1);
  g_autofree char *added =
      test_sql_text_str(t,
                        "SELECT json_extract(payload, '$.action') || ':' "
                        "|| json_extract(payload, '$.value') FROM outbox WHERE "
                        "kind = 'item.marking'",
                        NULL);
  g_assert_cmpstr(added, ==, "added:04BBCCDD");
  assert_audit_ok(t->store);

  /* retire: the row stays, retired; the marking still traces to the item */
  g_assert_true(muster_items_retire_marking(t->store, t->admin, glock->id, "04 BB CC DD",
                                            "tag replaced", &error));
  g_assert_no_error(error);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM marking WHERE value = '04BBCCDD' "
                                   "AND retired_at IS NOT NULL",
                                   NULL),
                  ==, 1);
  g_autofree char *retired_ev =
      test_sql_text_str(t,
                        "SELECT old_value || '>' || new_value || "
                        "'|' || reason FROM item_event WHERE kind = 'marking' "
                        "AND new_value = 'retired'",
                        NULL);
  g_assert_cmpstr(retired_ev, ==, "hf_uid:slide:04BBCCDD>retired|tag replaced");
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'marking.retire'",
                                   NULL),
                  ==, 1);
  g_autoptr(GPtrArray) traced = muster_items_find_by_marking(t->store, "04:bb:cc:dd", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(traced->len, ==, 1);
  const MusterMarking *m = marking_with(g_ptr_array_index(traced, 0), "hf_uid", "04BBCCDD");
  g_assert_nonnull(m);
  g_assert_nonnull(m->retired_at);
  /* retired already; and a retired marking is not added back */
  g_assert_false(
      muster_items_retire_marking(t->store, t->admin, glock->id, "04BBCCDD", "again", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);
  g_assert_false(muster_items_add_marking(t->store, t->admin, glock->id, "hf_uid", "slide",
                                          "04BBCCDD", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS);
  g_assert_nonnull(strstr(error->message, "carried"));
  assert_audit_ok(t->store);
}

static void
test_find_and_resolve(TestDb *t, gconstpointer data)
{
  import_ok(t, good_csv, 3);
  g_autofree char *more = g_strconcat(HEADER,
                                      "Steyr,AT,GL-100001,AUG,rifle,,,,,,,in_store,,,"
                                      "datamatrix_uii:frame:D12345 ABC678\n",
                                      NULL);
  import_ok(t, more, 1);
  g_autoptr(GError) error = NULL;
  struct {
    const char *text;
    const char *serial;
  } cases[] = {
      {"04:a1:b2:c3:d4:e5:f6", "gl-100001"}, /* typed UID with colons */
      {"04 A1 B2 C3 D4 E5 F6", "gl-100001"}, /* with spaces */
      {"04-a1-b2-c3-d4-e5-f6", "gl-100001"}, /* with dashes */
      {"04a1b2c3d4e5f6", "gl-100001"},
      {"3034257bf7194e4000000001", "HK-200002"},
      {" hk-200002 ", "HK-200002"}, /* serial, and on the barrel too */
      {"fn-300003", "FN-300003"},
      {"d12345abc678", "GL-100001"}, /* the Steyr's UII, spaces dropped */
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GPtrArray) found = muster_items_find_by_marking(t->store, cases[i].text, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(found->len, ==, 1);
    MusterItem *item = g_ptr_array_index(found, 0);
    g_assert_cmpstr(item->serial, ==, cases[i].serial);
    g_assert_nonnull(item->markings);
  }
  g_autoptr(GPtrArray) none = muster_items_find_by_marking(t->store, "NOTHING-1", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(none->len, ==, 0);
  g_autoptr(GPtrArray) garbage = muster_items_find_by_marking(t->store, "\x1b[A", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(garbage->len, ==, 0);

  /* resolve: one item, or a clear refusal */
  g_autoptr(MusterItem) hk = muster_items_resolve(t->store, "3034257BF7194E4000000001", &error);
  g_assert_no_error(error);
  g_autoptr(MusterItem) by_uuid = muster_items_resolve(t->store, hk->uuid, &error);
  g_assert_no_error(error);
  g_assert_cmpint(by_uuid->id, ==, hk->id);
  g_autofree char *upper_uuid = g_ascii_strup(hk->uuid, -1);
  g_autoptr(MusterItem) by_upper = muster_items_resolve(t->store, upper_uuid, &error);
  g_assert_no_error(error);
  g_assert_cmpint(by_upper->id, ==, hk->id);
  g_assert_null(muster_items_resolve(t->store, "gl-100001", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "matches 2 items"));
  g_assert_nonnull(strstr(error->message, "Steyr"));
  g_clear_error(&error);
  g_assert_null(muster_items_resolve(t->store, "NOTHING-1", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(error->message, "NOTHING-1"));
  g_clear_error(&error);
  g_assert_null(muster_items_get(t->store, 12345, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);
  g_assert_null(muster_items_get_by_uuid(t->store, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
}

static void
test_lookups_use_indexes(TestDb *t, gconstpointer data)
{
  /* the lookup paths must be index probes, not scans of the whole register */
  const char *plans[] = {
      "EXPLAIN QUERY PLAN SELECT item_id FROM marking WHERE value IN (?1, ?2, ?3, ?4) "
      "UNION SELECT id FROM item WHERE coalesce(serial_key, serial) IN (?1, ?2, ?3, ?4) ORDER BY 1",
      "EXPLAIN QUERY PLAN SELECT id, uuid FROM item WHERE coalesce(serial_key, serial) = ? AND "
      "manufacturer = ?",
      "EXPLAIN QUERY PLAN SELECT item_id FROM marking WHERE value = ? AND kind = ? AND "
      "item_id >= ? LIMIT 1",
  };
  for (guint i = 0; i < G_N_ELEMENTS(plans); i++) {
    sqlite3_stmt *stmt = NULL;
    g_assert_cmpint(sqlite3_prepare_v2(muster_store_db(t->store), plans[i], -1, &stmt, NULL), ==,
                    SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const char *detail = (const char *)sqlite3_column_text(stmt, 3);
      if (g_str_has_prefix(detail, "SCAN ") && strstr(detail, "INDEX") == NULL &&
          strstr(detail, "SUBQUERY") == NULL && strstr(detail, "TEMP") == NULL)
        g_error("full scan in '%s': %s", plans[i], detail);
    }
    sqlite3_finalize(stmt);
  }
}

/* ---- a large import -------------------------------------------------------------- */

/* A register of n rows, each with its own serial, HF UID (04 + the row number + 11223344)
 * and UHF EPC, over 1,000 locations. */
static GString *
large_register(guint n)
{
  GString *csv = g_string_new(HEADER);
  for (guint i = 0; i < n; i++)
    g_string_append_printf(csv,
                           "Glock,AT,GL-%07u,G17,pistol,9x19,2015,,,,polymer,in_store,"
                           "R%u/%c/%02u,,hf_uid:frame:04%06X11223344;uhf_epc:frame:"
                           "30340000000000%010X\n",
                           i, 1 + i % 5, 'A' + (i / 5) % 10, 1 + (i / 50) % 20, i, i);
  return csv;
}

/* 2,000 rows, written in several batches before the file ends: a last row whose tag
 * line 2 already carries (found by the database, where line 2 has long been written)
 * undoes every one of them; without it, every row is there, found by its own tag. How
 * long an import takes is bench-ingest's to measure (bench/run.sh), not a test's. */
static void
test_import_large_all_or_nothing(TestDb *t, gconstpointer data)
{
  const guint n = 2000;
  g_autoptr(GString) csv = large_register(n);
  g_autoptr(GString) bad = g_string_new_len(csv->str, (gssize)csv->len);
  g_string_append(bad, "Glock,AT,GL-X,G17,pistol,9x19,2015,,,,polymer,in_store,R1/A/01,,"
                       "hf_uid:frame:0400000011223344\n");
  g_autoptr(GPtrArray) errors = import_fails(t, bad->str, bad->len);
  g_assert_cmpuint(errors->len, ==, 1);
  assert_line_error(errors, n + 2, "is already on line 2");

  gint64 locations = count(t, "location");
  import_ok(t, csv->str, n);
  g_assert_cmpint(count(t, "item"), ==, n);
  g_assert_cmpint(count(t, "location"), ==, locations + 5 + 5 * 10 + 1000); /* R1/A/01 */
  g_autoptr(GError) error = NULL;
  for (guint i = 0; i < n; i++) {
    g_autofree char *uid = g_strdup_printf("04%06X11223344", i);
    g_autoptr(GPtrArray) found = muster_items_find_by_marking(t->store, uid, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(found->len, ==, 1);
    g_autofree char *serial = g_strdup_printf("GL-%07u", i);
    g_assert_cmpstr(((MusterItem *)g_ptr_array_index(found, 0))->serial, ==, serial);
  }
  g_autoptr(GString) out = export(t->store);
  guint lines = 0;
  for (const char *p = out->str; (p = strchr(p, '\n')) != NULL; p++)
    lines++;
  g_assert_cmpuint(lines, ==, n + 1);
  assert_audit_ok(t->store);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, TestDb, NULL, test_db_setup, fn, test_db_teardown)
  ADD("/items/import/good", test_import_good);
  ADD("/items/import/awkward-values", test_import_awkward_values);
  ADD("/items/import/header-only-and-blank-rows", test_import_header_only_and_blank_rows);
  ADD("/items/import/bad-header", test_import_bad_header);
  ADD("/items/import/bad-rows", test_import_bad_rows);
  ADD("/items/import/extra-field-refused", test_import_extra_field_refused);
  ADD("/items/import/bad-csv-syntax", test_import_bad_csv_syntax);
  ADD("/items/import/embedded-newline-lines", test_import_embedded_newline_lines);
  ADD("/items/import/duplicate-against-database", test_import_duplicate_against_database);
  ADD("/items/import/error-limit", test_import_error_limit);
  ADD("/items/import/roles", test_import_roles);
  ADD("/items/export/round-trip", test_export_round_trip);
  ADD("/items/export/empty", test_export_empty);
  ADD("/items/add", test_add_item);
  ADD("/items/set-status", test_set_status);
  ADD("/items/move", test_move);
  ADD("/items/markings", test_markings);
  ADD("/items/find-and-resolve", test_find_and_resolve);
  ADD("/items/lookups-use-indexes", test_lookups_use_indexes);
  ADD("/items/import/large-all-or-nothing", test_import_large_all_or_nothing);
#undef ADD
  return g_test_run();
}
