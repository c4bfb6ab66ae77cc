/*
 * test-item-correct.c: corrections of an item's recorded fields (db/items/correct.c).
 *
 * Each correction is checked in the SQLite file: the item row holds the new value, a
 * 'correction' item_event keeps the old one with the reason, the user and corrects_id,
 * and an audit entry and an outbox event were written with it. Each refusal must leave
 * the file exactly as it was. The serial is special: it is also a frame marking, which
 * must be retired (not edited) so the old serial still traces to the item.
 */
#include "db/audit.h"
#include "db/history.h"
#include "db/items.h"
#include "test-util.h"

#include <string.h>

/* Glock GL-100001 and Heckler & Koch GL-100001 share a serial legitimately (different
 * manufacturers); Glock GL-100002 is the one a serial correction may collide with. */
static const char *const items_csv =
    "manufacturer,country_of_manufacture,serial,model,category,calibre,year,import_country,"
    "import_year,state_marking,frame_material,status,location,custodian,markings\n"
    "Glock,AT,GL-100001,G17,pistol,9x19,2015,,,,polymer,in_store,R1/A/01,,"
    "hf_uid:frame:04A1B2C3D4E5F6\n"
    "Glock,AT,GL-100002,G19,pistol,9x19,2016,,,,polymer,in_store,R1/A/02,,\n"
    "Heckler & Koch,DE,GL-100001,G36,rifle,5.56x45,2010,,,BW,steel,in_store,R1/B/01,,\n";

/* ---- helpers ------------------------------------------------------------------------ */

static void
import_items(TestDb *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  MusterImportResult result;
  g_assert_true(muster_items_import_csv(t->store, t->admin, items_csv, strlen(items_csv), &result,
                                        &errors, &error));
  g_assert_no_error(error);
  g_assert_cmpint(result.imported, ==, 3);
}

static gint64
item_id(TestDb *t, const char *manufacturer, const char *serial)
{
  g_autofree char *sql = g_strdup_printf(
      "SELECT id FROM item WHERE manufacturer = '%s' AND serial = '%s'", manufacturer, serial);
  return test_sql_int(t, sql);
}

/* One column of the item row, as text (NULL stays NULL). */
static char *
item_column(TestDb *t, gint64 id, const char *column)
{
  g_autofree char *sql =
      g_strdup_printf("SELECT CAST(%s AS TEXT) FROM item WHERE id = %" G_GINT64_FORMAT, column, id);
  return test_sql_text(t, sql);
}

static gint64
created_event(TestDb *t, gint64 id)
{
  g_autofree char *sql = g_strdup_printf(
      "SELECT id FROM item_event WHERE item_id = %" G_GINT64_FORMAT " AND kind = 'created'", id);
  return test_sql_int(t, sql);
}

static gint64
last_event_id(TestDb *t)
{
  return test_sql_int(t, "SELECT max(id) FROM item_event WHERE kind = 'correction'");
}

/* The newest correction event: its values, reason, user and what it corrects. */
static void
assert_last_correction(TestDb *t, gint64 id, const char *old_value, const char *new_value,
                       const char *reason, gint64 corrects_id)
{
  g_autofree char *sql =
      g_strdup_printf("SELECT json_array(item_id, old_value, new_value, reason, corrects_id, "
                      "(SELECT name FROM app_user u WHERE u.id = e.user_id)) FROM item_event e "
                      "WHERE id = %" G_GINT64_FORMAT,
                      last_event_id(t));
  g_autofree char *row = test_sql_text(t, sql);
  g_autofree char *expect =
      g_strdup_printf("[%" G_GINT64_FORMAT ",\"%s\",\"%s\",\"%s\",%" G_GINT64_FORMAT ",\"admin\"]",
                      id, old_value, new_value, reason, corrects_id);
  g_assert_cmpstr(row, ==, expect);
}

static void
correct_ok(TestDb *t, gint64 id, const char *field, const char *value, const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_items_correct(t->store, t->admin, id, field, value, reason, &error));
  g_assert_no_error(error);
}

static void
assert_audit_ok(TestDb *t)
{
  g_autoptr(GError) error = NULL;
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
}

/* Everything a refused correction must leave as it was, as one string. */
static char *
snapshot(TestDb *t)
{
  return test_sql_text(
      t, "SELECT (SELECT group_concat(json_array(id, manufacturer, country_of_manufacture, "
         "serial, model, category, calibre, year, import_country, import_year, state_marking,"
         " frame_material), ';') FROM item) || '|' || (SELECT count(*) FROM item_event) || '|'"
         " || (SELECT count(*) FROM marking WHERE retired_at IS NULL) || '|' || "
         "(SELECT count(*) FROM marking) || '|' || (SELECT count(*) FROM outbox) || '|' || "
         "(SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)");
}

/* The correction is refused with code and a message containing words; nothing changes. */
static void
correct_refused(TestDb *t, const MusterUser *actor, gint64 id, const char *field, const char *value,
                const char *reason, int code, const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot(t);
  g_assert_false(muster_items_correct(t->store, actor, id, field, value, reason, &error));
  g_assert_error(error, MUSTER_ERROR, code);
  if (strstr(error->message, words) == NULL)
    g_error("expected '%s' in: %s", words, error->message);
  g_autofree char *after = snapshot(t);
  g_assert_cmpstr(after, ==, before);
}

/* ---- corrections -------------------------------------------------------------------- */

typedef struct {
  const char *field;
  const char *value;  /* as given */
  const char *column; /* item column */
  const char *stored; /* the column afterwards; NULL when cleared */
  const char *old_value, *new_value;
} FieldCase;

static void
test_each_field(TestDb *t, gconstpointer data)
{
  /* In this order the year of manufacture is corrected before the import year that
   * must not precede it. */
  static const FieldCase cases[] = {
      {"manufacturer", "Glock Ges.m.b.H.", "manufacturer", "Glock Ges.m.b.H.",
       "manufacturer: Glock", "manufacturer: Glock Ges.m.b.H."},
      {"country_of_manufacture", "US", "country_of_manufacture", "US", "country_of_manufacture: AT",
       "country_of_manufacture: US"},
      /* kept as written (trimmed); matched by its key */
      {"serial", " gl-100009 ", "serial", "gl-100009", "serial: GL-100001", "serial: gl-100009"},
      {"model", "  G17 Gen4 ", "model", "G17 Gen4", "model: G17", "model: G17 Gen4"},
      {"category", "handgun", "category", "handgun", "category: pistol", "category: handgun"},
      {"calibre", "", "calibre", NULL, "calibre: 9x19", "calibre: "},
      {"year", "2012", "year", "2012", "year: 2015", "year: 2012"},
      {"import_country", "US", "import_country", "US", "import_country: ", "import_country: US"},
      {"import_year", "2013", "import_year", "2013", "import_year: ", "import_year: 2013"},
      {"state_marking", "BW\nEagle", "state_marking", "BW\nEagle",
       "state_marking: ", "state_marking: BW\\nEagle"},
      {"frame_material", "steel", "frame_material", "steel", "frame_material: polymer",
       "frame_material: steel"},
  };
  import_items(t);
  gint64 id = item_id(t, "Glock", "GL-100001");
  gint64 created = created_event(t, id);
  g_autofree char *uuid = item_column(t, id, "uuid");
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    const FieldCase *c = &cases[i];
    g_autofree char *reason = g_strdup_printf("order 12/%u: typed wrongly", i);
    gint64 audit_before = test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action = "
                                          "'item.correct'");
    correct_ok(t, id, c->field, c->value, reason);
    g_autofree char *stored = item_column(t, id, c->column);
    g_assert_cmpstr(stored, ==, c->stored);
    /* JSON escapes the line break of the multi-line case. */
    assert_last_correction(t, id, c->old_value, c->new_value, reason, created);
    g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action = "
                                    "'item.correct'"),
                    ==, audit_before + 1);
    g_autofree char *audit = test_sql_text(
        t, "SELECT json_array(subject, user_name, json_extract(detail, '$.field'), "
           "json_extract(detail, '$.reason')) FROM audit_log WHERE action = 'item.correct' "
           "ORDER BY seq DESC LIMIT 1");
    g_autofree char *outbox = test_sql_text(
        t, "SELECT json_array(entity_uuid, json_extract(payload, '$.by'), "
           "json_extract(payload, '$.field'), json_extract(payload, '$.reason')) FROM outbox "
           "WHERE kind = 'item.corrected' ORDER BY seq DESC LIMIT 1");
    g_autofree char *expect =
        g_strdup_printf("[\"%s\",\"admin\",\"%s\",\"%s\"]", uuid, c->field, reason);
    g_assert_cmpstr(audit, ==, expect);
    g_assert_cmpstr(outbox, ==, expect);
  }
  /* every field took, and nothing else was touched */
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) item = muster_items_get(t->store, id, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(item->manufacturer, ==, "Glock Ges.m.b.H.");
  g_assert_cmpstr(item->serial, ==, "gl-100009");
  g_assert_null(item->calibre);
  g_assert_cmpint(item->year, ==, 2012);
  g_assert_cmpint(item->import_year, ==, 2013);
  g_assert_cmpint(item->status, ==, MUSTER_STATUS_IN_STORE);
  g_assert_cmpstr(item->location_path, ==, "R1/A/01");
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM item_event WHERE kind = 'correction'"), ==,
                  G_N_ELEMENTS(cases));
  assert_audit_ok(t);
}

static void
test_audit_and_outbox(TestDb *t, gconstpointer data)
{
  import_items(t);
  gint64 id = item_id(t, "Glock", "GL-100002");
  correct_ok(t, id, "year", "2014", "the delivery note says 2014");
  g_autofree char *audit = test_sql_text(
      t, "SELECT json_array(action, subject, user_name, json_extract(detail, '$.field'), "
         "json_extract(detail, '$.old_value'), json_extract(detail, '$.value')) "
         "FROM audit_log WHERE action = 'item.correct'");
  g_autofree char *uuid = item_column(t, id, "uuid");
  g_autofree char *expect =
      g_strdup_printf("[\"item.correct\",\"%s\",\"admin\",\"year\",2016,2014]", uuid);
  g_assert_cmpstr(audit, ==, expect);
  g_autofree char *payload = test_sql_text(
      t, "SELECT json_array(json_extract(payload, '$.serial'), json_extract(payload, '$.by'), "
         "json_extract(payload, '$.reason')) FROM outbox WHERE kind = 'item.corrected'");
  g_assert_cmpstr(payload, ==, "[\"GL-100002\",\"admin\",\"the delivery note says 2014\"]");
  assert_audit_ok(t);

  /* the correction event is sealed into the chain: editing it behind the engine shows */
  test_sql_exec(t, "DROP TRIGGER item_event_no_update; UPDATE item_event SET new_value = "
                   "'year: 2015' WHERE kind = 'correction'");
  g_autoptr(GError) error = NULL;
  MusterAuditReport report;
  g_assert_false(muster_audit_verify(t->store, &report, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  muster_audit_report_clear(&report);
}

static void
test_chain(TestDb *t, gconstpointer data)
{
  import_items(t);
  gint64 id = item_id(t, "Glock", "GL-100002");
  gint64 created = created_event(t, id);
  correct_ok(t, id, "model", "G19X", "first fix");
  gint64 first = last_event_id(t);
  assert_last_correction(t, id, "model: G19", "model: G19X", "first fix", created);
  /* a correction of another field in between corrects 'created', not the model fix */
  correct_ok(t, id, "calibre", "9x19mm", "calibre as engraved");
  assert_last_correction(t, id, "calibre: 9x19", "calibre: 9x19mm", "calibre as engraved", created);
  correct_ok(t, id, "model", "G19 Gen5", "second fix: the first was wrong too");
  assert_last_correction(t, id, "model: G19X", "model: G19 Gen5",
                         "second fix: the first was wrong too", first);
  /* another item's corrections are not part of this chain */
  gint64 other = item_id(t, "Glock", "GL-100001");
  correct_ok(t, other, "model", "G17 Gen3", "fix");
  assert_last_correction(t, other, "model: G17", "model: G17 Gen3", "fix", created_event(t, other));
  /* the history keeps every step */
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM item_event WHERE kind = 'correction' "
                                  "AND old_value LIKE 'model: %'"),
                  ==, 3);
  assert_audit_ok(t);
}

static void
test_serial_marking(TestDb *t, gconstpointer data)
{
  import_items(t);
  gint64 id = item_id(t, "Glock", "GL-100002");
  gint64 markings_before = test_sql_int(t, "SELECT count(*) FROM marking");
  correct_ok(t, id, "serial", "GL-100012", "serial misread at delivery");
  g_autofree char *sql = g_strdup_printf(
      "SELECT group_concat(value || ':' || (retired_at IS NOT NULL), ',') FROM (SELECT * FROM "
      "marking WHERE item_id = %" G_GINT64_FORMAT " AND kind = 'engraved_serial' AND "
      "component = 'frame' ORDER BY id)",
      id);
  g_autofree char *frame = test_sql_text(t, sql);
  /* the old row is kept, retired, with its value; the new one is in use */
  g_assert_cmpstr(frame, ==, "GL-100002:1,GL-100012:0");
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM marking"), ==, markings_before + 1);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM item_event WHERE kind = 'marking' AND "
                                  "reason = 'serial corrected: serial misread at delivery'"),
                  ==, 2);

  /* the old serial still finds the item, through the retired marking */
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = muster_items_find_by_marking(t->store, "gl-100002", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(found->len, ==, 1);
  MusterItem *item = g_ptr_array_index(found, 0);
  g_assert_cmpint(item->id, ==, id);
  g_assert_cmpstr(item->serial, ==, "GL-100012");

  /* and its trace tells the story, with the reason */
  g_autoptr(GPtrArray) trace = muster_history_trace(t->store, "GL-100002", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(trace->len, ==, 1);
  MusterItemHistory *h = g_ptr_array_index(trace, 0);
  const MusterHistoryEvent *correction = NULL;
  for (guint i = 0; i < h->events->len; i++) {
    const MusterHistoryEvent *e = g_ptr_array_index(h->events, i);
    if (g_str_equal(e->kind, "correction"))
      correction = e;
  }
  g_assert_nonnull(correction);
  g_assert_cmpstr(correction->user, ==, "admin");
  g_assert_cmpstr(correction->summary, ==,
                  "Corrected serial from GL-100002 to GL-100012: serial misread at delivery");

  /* the retired serial cannot come back: its marking row is not reinstated */
  correct_refused(t, t->admin, id, "serial", "GL-100002", "it was right after all",
                  MUSTER_ERROR_EXISTS, "retired marking");
  assert_audit_ok(t);
}

/* ---- refusals ----------------------------------------------------------------------- */

static void
test_refused_roles(TestDb *t, gconstpointer data)
{
  import_items(t);
  gint64 id = item_id(t, "Glock", "GL-100002");
  g_autoptr(MusterUser) staff = test_db_add_user(t, "sue", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) sup = test_db_add_user(t, "sam", MUSTER_ROLE_SUPERVISOR);
  correct_refused(t, staff, id, "model", "G19X", "fix", MUSTER_ERROR_PERMISSION, "sue");
  correct_refused(t, sup, id, "model", "G19X", "fix", MUSTER_ERROR_PERMISSION, "sam");
  correct_refused(t, sup, id, "model", "G19X", "fix", MUSTER_ERROR_PERMISSION,
                  "Correcting an item's record");
  assert_audit_ok(t);
}

static void
test_refused_requests(TestDb *t, gconstpointer data)
{
  import_items(t);
  gint64 id = item_id(t, "Glock", "GL-100002");
  correct_refused(t, t->admin, id, "model", "G19X", NULL, MUSTER_ERROR_INVALID, "reason");
  correct_refused(t, t->admin, id, "model", "G19X", " \t ", MUSTER_ERROR_INVALID, "reason");
  correct_refused(t, t->admin, id, "status", "lost", "fix", MUSTER_ERROR_INVALID,
                  "'muster item set-status'");
  correct_refused(t, t->admin, id, "location", "R1/A/03", "fix", MUSTER_ERROR_INVALID,
                  "'muster item move'");
  correct_refused(t, t->admin, id, "custodian", "2nd Company", "fix", MUSTER_ERROR_INVALID,
                  "--custodian");
  correct_refused(t, t->admin, id, "markings", "hf_uid:frame:04A1", "fix", MUSTER_ERROR_INVALID,
                  "add-marking");
  correct_refused(t, t->admin, id, "colour", "black", "fix", MUSTER_ERROR_INVALID,
                  "Unknown field 'colour'");
  correct_refused(t, t->admin, id, NULL, "black", "fix", MUSTER_ERROR_INVALID, "Unknown field");
  correct_refused(t, t->admin, id, "model", "G19", "fix", MUSTER_ERROR_STATE,
                  "already has model 'G19'");
  /* the same as written (trimmed); " gl-100002 " would correct how it is written */
  correct_refused(t, t->admin, id, "serial", " GL-100002 ", "fix", MUSTER_ERROR_STATE,
                  "nothing to correct");
  correct_refused(t, t->admin, 9999, "model", "G19X", "fix", MUSTER_ERROR_NOT_FOUND, "9999");
  assert_audit_ok(t);
}

/* The same rules, and the same words, as the CSV import. */
static void
test_refused_values(TestDb *t, gconstpointer data)
{
  import_items(t);
  gint64 id = item_id(t, "Glock", "GL-100002");
  g_autofree char *uuid = item_column(t, id, "uuid");
  correct_refused(t, t->admin, id, "country_of_manufacture", "Austria", "fix", MUSTER_ERROR_INVALID,
                  "'Austria' is not an ISO 3166 country code");
  correct_refused(t, t->admin, id, "country_of_manufacture", "at", "fix", MUSTER_ERROR_INVALID,
                  "must be written in upper case: AT");
  correct_refused(t, t->admin, id, "import_country", "XX", "fix", MUSTER_ERROR_INVALID,
                  "import_country 'XX'");
  correct_refused(t, t->admin, id, "country_of_manufacture", "", "fix", MUSTER_ERROR_INVALID,
                  "country_of_manufacture is required");
  correct_refused(t, t->admin, id, "manufacturer", "  ", "fix", MUSTER_ERROR_INVALID,
                  "manufacturer is required");
  correct_refused(t, t->admin, id, "manufacturer", "Glock\nGmbH", "fix", MUSTER_ERROR_INVALID,
                  "spans more than one line");
  correct_refused(t, t->admin, id, "year", "20x6", "fix", MUSTER_ERROR_INVALID,
                  "year '20x6' is not a year");
  correct_refused(t, t->admin, id, "year", "1700", "fix", MUSTER_ERROR_INVALID,
                  "year 1700 is out of range");
  correct_refused(t, t->admin, id, "import_year", "2015", "fix", MUSTER_ERROR_INVALID,
                  "import_year 2015 is before the year of manufacture 2016");
  correct_refused(t, t->admin, id, "serial", "", "fix", MUSTER_ERROR_INVALID, "serial is required");
  /* the message names the item */
  correct_refused(t, t->admin, id, "year", "1700", "fix", MUSTER_ERROR_INVALID, uuid);
  assert_audit_ok(t);
}

static void
test_refused_duplicates(TestDb *t, gconstpointer data)
{
  import_items(t);
  gint64 first = item_id(t, "Glock", "GL-100001");
  gint64 second = item_id(t, "Glock", "GL-100002");
  gint64 hk = item_id(t, "Heckler & Koch", "GL-100001");
  g_autofree char *second_uuid = item_column(t, second, "uuid");
  g_autofree char *first_uuid = item_column(t, first, "uuid");
  /* the serial, normalised first, is another Glock's */
  correct_refused(t, t->admin, first, "serial", " gl-100002 ", "fix", MUSTER_ERROR_EXISTS,
                  second_uuid);
  /* the manufacturer would make the H&K a second Glock GL-100001 */
  correct_refused(t, t->admin, hk, "manufacturer", "Glock", "fix", MUSTER_ERROR_EXISTS, first_uuid);
  /* a serial shared with another manufacturer's item is not a duplicate */
  correct_ok(t, hk, "serial", "GL-100002", "the rifle is engraved GL-100002");
  g_autofree char *serial = item_column(t, hk, "serial");
  g_assert_cmpstr(serial, ==, "GL-100002");
  assert_audit_ok(t);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, TestDb, NULL, test_db_setup, fn, test_db_teardown)
  ADD("/item-correct/each-field", test_each_field);
  ADD("/item-correct/audit-and-outbox", test_audit_and_outbox);
  ADD("/item-correct/chain", test_chain);
  ADD("/item-correct/serial-marking", test_serial_marking);
  ADD("/item-correct/refused/roles", test_refused_roles);
  ADD("/item-correct/refused/requests", test_refused_requests);
  ADD("/item-correct/refused/values", test_refused_values);
  ADD("/item-correct/refused/duplicates", test_refused_duplicates);
#undef ADD
  return g_test_run();
}
