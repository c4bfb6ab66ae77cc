/*
 * test-reconcile.c: reconciliation of a count and the resolution of its discrepancies.
 *
 * The main scenario is a small armoury (three racks, 31 weapons) counted over two racks
 * so that every kind of discrepancy appears, each asserted exactly (kind, subject,
 * detail, items). Everything goes through the real engine: CSV import, a count, scans
 * fed through ingest, close, reconcile, resolve, sign-off; the rows are then checked in
 * the SQLite file and the audit chain is verified.
 */
#include <string.h>

#include "db/audit.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/locations.h"
#include "db/reconcile.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "scan/scan.h"
#include "test-util.h"

/* ---- helpers ------------------------------------------------------------------------- */

static void
import(TestDb *t, const char *csv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  MusterImportResult res = {0};
  gboolean ok =
      muster_items_import_csv(t->store, t->admin, csv, strlen(csv), &res, &errors, &error);
  if (!ok && errors != NULL)
    for (guint i = 0; i < errors->len; i++)
      g_printerr("%s\n", (char *)g_ptr_array_index(errors, i));
  g_assert_no_error(error);
  g_assert_true(ok);
}

static char *
item_uuid(TestDb *t, const char *manufacturer, const char *serial)
{
  g_autofree char *sql = g_strdup_printf(
      "SELECT uuid FROM item WHERE manufacturer = '%s' AND serial = '%s'", manufacturer, serial);
  return test_sql_text(t, sql);
}

static gint64
start_count(TestDb *t, MusterUser *counter, MusterUser *witness, const char *const *scope)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) count =
      muster_counts_start(t->store, counter, witness, scope, FALSE, &error);
  g_assert_no_error(error);
  return count->id;
}

/* Feeds scan lines ("@PATH" moves the counter) through ingest and commits them. */
static void
feed(TestDb *t, MusterUser *actor, gint64 count_id, const char *const *lines)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterIngest) ingest = muster_ingest_new(t->store, actor, count_id, &error);
  g_assert_no_error(error);
  for (const char *const *l = lines; *l != NULL; l++) {
    g_autofree char *location = NULL;
    g_autoptr(MusterScan) scan = muster_scan_parse_line(*l, strlen(*l), "test", &location, &error);
    g_assert_no_error(error);
    if (scan != NULL) {
      muster_ingest_add(ingest, scan);
      continue;
    }
    g_assert_nonnull(location);
    gboolean ok = muster_ingest_flush(ingest, NULL, &error) &&
                  muster_ingest_set_location(ingest, location, &error);
    g_assert_no_error(error);
    g_assert_true(ok);
  }
  gboolean ok = muster_ingest_flush(ingest, NULL, &error);
  g_assert_no_error(error);
  g_assert_true(ok);
}

static void
close_count(TestDb *t, MusterUser *actor, gint64 count_id)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_counts_close(t->store, actor, count_id, &error));
  g_assert_no_error(error);
}

static void
reconcile_ok(TestDb *t, MusterUser *actor, gint64 count_id, MusterReconcileSummary *sum)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reconcile(t->store, actor, count_id, sum, &error));
  g_assert_no_error(error);
}

static GPtrArray *
list_all(TestDb *t, gint64 count_id)
{
  g_autoptr(GError) error = NULL;
  MusterDiscrepancyFilter any = {.resolved = -1};
  GPtrArray *list = muster_discrepancies_list(t->store, count_id, &any, &error);
  g_assert_no_error(error);
  return list;
}

static MusterDiscrepancy *
find_disc(GPtrArray *list, const char *kind, const char *subject)
{
  for (guint i = 0; i < list->len; i++) {
    MusterDiscrepancy *d = g_ptr_array_index(list, i);
    if (g_str_equal(d->kind, kind) && g_str_equal(d->subject, subject))
      return d;
  }
  g_error("no %s discrepancy with subject %s", kind, subject);
  return NULL;
}

static void
assert_chain(TestDb *t)
{
  g_autoptr(GError) error = NULL;
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  g_assert_cmpint(report.rows_covered, >, 0);
  muster_audit_report_clear(&report);
}

/* ---- the armoury where every kind appears ------------------------------------------ */

/* Rack A: GA-01..10, a Walther also engraved GA-05, tags and shared barcodes.
 * Rack B: GB-01..09, GB-10 issued. Rack C: GC-01..10, outside the count. */
static void
import_armoury(TestDb *t)
{
  GString *csv = g_string_new("manufacturer,country_of_manufacture,serial,model,category,"
                              "calibre,status,location,custodian,markings\n");
  const char *extra_a[11] = {[5] = "hf_uid:frame:04AA0000000005",
                             [6] = "hf_uid:frame:04AA0000000006",
                             [7] = "barcode:frame:ASSET-7",
                             [8] = "barcode:frame:ASSET-8"};
  const char *extra_b[11] = {[2] = "hf_uid:frame:04BB0000000002",
                             [3] = "barcode:barrel:BRL-GB03",
                             [7] = "barcode:frame:ASSET-7",
                             [8] = "barcode:frame:ASSET-8"};
  for (int i = 1; i <= 10; i++) {
    g_string_append_printf(csv, "Glock,AT,GA-%02d,17,pistol,9x19,in_store,R1/A/%02d,,%s\n", i, i,
                           extra_a[i] ? extra_a[i] : "");
    if (i < 10)
      g_string_append_printf(csv, "Glock,AT,GB-%02d,17,pistol,9x19,in_store,R1/B/%02d,,%s\n", i, i,
                             extra_b[i] ? extra_b[i] : "");
    g_string_append_printf(csv, "Glock,AT,GC-%02d,17,pistol,9x19,in_store,R1/C/%02d,,\n", i, i);
  }
  g_string_append(csv, "Glock,AT,GB-10,17,pistol,9x19,issued,,2nd Platoon,\n"
                       "Walther,DE,GA-05,P99,pistol,9x19,in_store,R1/A/05,,"
                       "hf_uid:frame:04AA00000000F5\n");
  import(t, csv->str);
  g_string_free(csv, TRUE);
  /* GB-10's slot, empty while it is issued. */
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterLocation) slot =
      muster_locations_add(t->store, t->admin, "R1/B/10", NULL, &error);
  g_assert_no_error(error);
  /* Rack C has stood there, uncounted, for years. */
  test_sql_exec(t, "UPDATE location SET created_at = '2020-01-01T00:00:00.000Z' "
              "WHERE path = 'R1/C' OR path LIKE 'R1/C/%'");
}

/* clang-format off */
static const char *const armoury_scans[] = {
    /* Rack A: GA-01 is not there; the two GA-05s are read by their tags. */
    "@R1/A", "GA-02", "GA-03", "GA-04", "04AA0000000005", "04AA00000000F5", "GA-06", "GA-07",
    "GA-08", "GA-09", "GA-10",
    /* Rack B, a marking no record carries (twice), a cloned tag, a shared barcode. */
    "@R1/B", "GB-01", "GB-02", "GB-03", "GB-04", "GB-05", "GB-06", "GB-07", "GB-08", "GB-09",
    "{\"value\": \"ZZ-404\", \"kind\": \"barcode\"}",
    "{\"value\": \"ZZ-404\", \"kind\": \"barcode\"}",
    "{\"value\": \"04BB0000000002\", \"kind\": \"hf_uid\", \"authenticity\": \"not_genuine\"}",
    "ASSET-7",
    /* The issued GB-10 in its slot; GC-01 from rack C in rack A. */
    "@R1/B/10", "GB-10",
    "@R1/A/02", "GC-01",
    /* Item checks: GA-03 carries GB-03's barrel; GA-04's check reads GA-06's tag. */
    "@R1/A/03",
    "{\"value\": \"GA-03\", \"group\": \"chk1\"}",
    "{\"value\": \"BRL-GB03\", \"kind\": \"barcode\", \"group\": \"chk1\"}",
    "@R1/A/04",
    "{\"value\": \"GA-04\", \"group\": \"chk2\"}",
    "{\"value\": \"04AA0000000006\", \"kind\": \"hf_uid\", \"group\": \"chk2\"}",
    NULL,
};
/* clang-format on */

typedef struct {
  MusterUser *counter; /* sam, staff */
  MusterUser *witness; /* wes, staff */
  gint64 count_id;
  char *unmarked_uuid;
} Armoury;

static void
armoury_clear(Armoury *a)
{
  muster_user_free(a->counter);
  muster_user_free(a->witness);
  g_free(a->unmarked_uuid);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Armoury, armoury_clear)

/* Builds the armoury, counts racks A and B, and closes the count (not reconciled). */
static void
armoury_counted(TestDb *t, Armoury *a)
{
  g_autoptr(GError) error = NULL;
  import_armoury(t);
  a->counter = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  a->witness = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);
  const char *scope[] = {"R1/A", "R1/B", NULL};
  a->count_id = start_count(t, a->counter, a->witness, scope);
  feed(t, a->counter, a->count_id, armoury_scans);
  g_assert_true(muster_counts_record_unmarked(t->store, a->counter, a->count_id,
                                              "Revolver, no markings", "R1/B/05", NULL,
                                              &a->unmarked_uuid, &error));
  g_assert_no_error(error);
  close_count(t, a->counter, a->count_id);
}

static void
assert_item_disc(TestDb *t, GPtrArray *list, const char *kind, const char *manufacturer,
                 const char *serial, const char *detail)
{
  g_autofree char *uuid = item_uuid(t, manufacturer, serial);
  MusterDiscrepancy *d = find_disc(list, kind, uuid);
  g_assert_cmpstr(d->item_uuid, ==, uuid);
  g_assert_cmpstr(d->detail, ==, detail);
}

static void
assert_pair_disc(TestDb *t, GPtrArray *list, const char *subject, const char *detail,
                 const char *serial_a, const char *serial_b)
{
  MusterDiscrepancy *d = find_disc(list, "duplicate_marking", subject);
  g_assert_cmpstr(d->detail, ==, detail);
  g_autofree char *a = item_uuid(t, "Glock", serial_a);
  g_autofree char *b = g_str_has_prefix(subject, "serial:") ? item_uuid(t, "Walther", serial_b)
                                                            : item_uuid(t, "Glock", serial_b);
  g_assert_cmpstr(d->item_uuid, ==, a);
  g_assert_cmpstr(d->other_item_uuid, ==, b);
}

/* Listed by the kinds' table order (db/discrepancy-kind.h), then by subject. */
static void
assert_listed_in_table_order(GPtrArray *list)
{
  for (guint i = 1; i < list->len; i++) {
    const MusterDiscrepancy *a = g_ptr_array_index(list, i - 1);
    const MusterDiscrepancy *b = g_ptr_array_index(list, i);
    MusterDiscrepancyKind ka, kb;
    g_assert_true(muster_discrepancy_kind_from_name(a->kind, &ka));
    g_assert_true(muster_discrepancy_kind_from_name(b->kind, &kb));
    g_assert_cmpint(ka, <=, kb);
    if (ka == kb)
      g_assert_cmpint(strcmp(a->subject, b->subject), <, 0);
  }
}

static void
test_every_kind(TestDb *t, gconstpointer data)
{
  g_auto(Armoury) a = {0};
  armoury_counted(t, &a);
  MusterReconcileSummary sum;
  reconcile_ok(t, a.counter, a.count_id, &sum);

  g_assert_cmpint(sum.total, ==, 12);
  g_assert_cmpint(sum.new_this_run, ==, 12);
  /* One of every kind in the table (three duplicates): a kind added to the table without
   * its statement in db/reconcile.c, or without a case here, fails. */
  for (guint k = 0; k < MUSTER_N_DISCREPANCY_KINDS; k++) {
    gint64 want = k == MUSTER_DISCREPANCY_DUPLICATE_MARKING ? 3 : 1;
    if (sum.by_kind[k] != want)
      g_error("%s: %" G_GINT64_FORMAT " found, %" G_GINT64_FORMAT " expected",
              muster_discrepancy_kind_name(k), sum.by_kind[k], want);
  }
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM discrepancy"), ==, 12);

  g_autoptr(GPtrArray) list = list_all(t, a.count_id);
  g_assert_cmpuint(list->len, ==, 12);
  assert_item_disc(t, list, "missing", "Glock", "GA-01",
                   "Glock 17 9x19 SN GA-01 expected at R1/A/01, not found");
  assert_item_disc(t, list, "wrong_location", "Glock", "GC-01",
                   "Glock 17 9x19 SN GC-01 found at R1/A/02, recorded at R1/C/01");
  assert_item_disc(t, list, "status_conflict", "Glock", "GB-10",
                   "Glock 17 9x19 SN GB-10 is recorded as issued, yet was found at R1/B/10");
  assert_listed_in_table_order(list);
  /* Ordered by kind: the missing item comes first, placed where it was expected. */
  MusterDiscrepancy *first = g_ptr_array_index(list, 0);
  g_assert_cmpstr(first->kind, ==, "missing");
  g_assert_cmpstr(first->location_path, ==, "R1/A/01");
  g_assert_cmpstr(find_disc(list, "unknown_marking", "ZZ-404")->detail, ==,
                  "Marking ZZ-404 (barcode) read 2 times, first at R1/B; no record carries it");
  MusterDiscrepancy *unmarked = find_disc(list, "unmarked_item", a.unmarked_uuid);
  g_assert_cmpstr(unmarked->detail, ==,
                  "Unmarked item: Revolver, no markings, found at R1/B/05, recorded by sam");
  g_assert_cmpstr(unmarked->location_path, ==, "R1/B/05");
  assert_pair_disc(t, list, "marking:ASSET-7",
                   "Marking ASSET-7, read at R1/B, matches more than one record: "
                   "Glock 17 9x19 SN GA-07; Glock 17 9x19 SN GB-07",
                   "GA-07", "GB-07");
  assert_pair_disc(t, list, "marking:ASSET-8",
                   "Marking ASSET-8 is on more than one record: "
                   "Glock 17 9x19 SN GA-08; Glock 17 9x19 SN GB-08",
                   "GA-08", "GB-08");
  assert_pair_disc(t, list, "serial:GA-05",
                   "Serial GA-05 is claimed by more than one record: "
                   "Glock 17 9x19 SN GA-05; Walther P99 9x19 SN GA-05",
                   "GA-05", "GA-05");
  MusterDiscrepancy *comp = find_disc(list, "component_mismatch", "BRL-GB03");
  g_assert_cmpstr(comp->detail, ==,
                  "Barrel marking BRL-GB03 of Glock 17 9x19 SN GB-03 found on "
                  "Glock 17 9x19 SN GA-03 (item check chk1)");
  g_autofree char *ga03 = item_uuid(t, "Glock", "GA-03");
  g_autofree char *gb03 = item_uuid(t, "Glock", "GB-03");
  g_assert_cmpstr(comp->item_uuid, ==, ga03);
  g_assert_cmpstr(comp->other_item_uuid, ==, gb03);
  g_assert_cmpstr(find_disc(list, "marking_mismatch", "group:chk2")->detail, ==,
                  "Item check chk2 at R1/A/04: its frame markings belong to different "
                  "records: 04AA0000000006 is Glock 17 9x19 SN GA-06; "
                  "GA-04 is Glock 17 9x19 SN GA-04");
  MusterDiscrepancy *fake = find_disc(list, "not_genuine", "04BB0000000002");
  g_assert_cmpstr(fake->detail, ==,
                  "Tag 04BB0000000002 failed its originality check (read 1 time, first at "
                  "R1/B); it claims to be Glock 17 9x19 SN GB-02");
  g_autofree char *gb02 = item_uuid(t, "Glock", "GB-02");
  g_assert_cmpstr(fake->item_uuid, ==, gb02);
  g_assert_cmpstr(find_disc(list, "overdue", "R1/C")->detail, ==,
                  "Rack R1/C has never been counted (created 2020-01-01), more than 90 days "
                  "before this count closed");

  g_autoptr(MusterCount) count = muster_counts_get_by_id(t->store, a.count_id, NULL);
  g_assert_cmpint(count->state, ==, MUSTER_COUNT_RECONCILED);
  g_assert_nonnull(count->reconciled_at);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action = 'count.reconcile' "
                             "AND user_name = 'sam' AND detail LIKE '%\"total\":12%'"),
                  ==, 1);
  assert_chain(t);
}

/* Every column of every discrepancy, in order; created_at only when asked. */
static char *
snapshot(MusterStore *store, gboolean with_times)
{
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint(sqlite3_prepare_v2(muster_store_db(store),
                                     "SELECT id, uuid, count_id, kind, subject, item_id,"
                                     " other_item_id, scan_id, location_id, detail, created_at"
                                     " FROM discrepancy ORDER BY id",
                                     -1, &stmt, NULL),
                  ==, SQLITE_OK);
  GString *out = g_string_new(NULL);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    int n = with_times ? 11 : 10;
    for (int c = 0; c < n; c++) {
      const char *v = (const char *)sqlite3_column_text(stmt, c);
      g_string_append_printf(out, "%s|", v ? v : "NULL");
    }
    g_string_append_c(out, '\n');
  }
  sqlite3_finalize(stmt);
  return g_string_free(out, FALSE);
}

static void
test_idempotent(TestDb *t, gconstpointer data)
{
  g_auto(Armoury) a = {0};
  armoury_counted(t, &a);
  MusterReconcileSummary first, second;
  reconcile_ok(t, a.counter, a.count_id, &first);
  g_autofree char *rows = snapshot(t->store, TRUE);
  g_autofree char *at = test_sql_text(t, "SELECT reconciled_at FROM count_session");
  g_usleep(2000); /* a second run must not restamp anything */
  reconcile_ok(t, t->admin, a.count_id, &second);
  g_autofree char *rows_again = snapshot(t->store, TRUE);
  g_autofree char *at_again = test_sql_text(t, "SELECT reconciled_at FROM count_session");

  g_assert_cmpstr(rows_again, ==, rows);
  g_assert_cmpstr(at_again, ==, at);
  g_assert_cmpint(first.new_this_run, ==, 12);
  g_assert_cmpint(second.new_this_run, ==, 0);
  g_assert_cmpint(second.total, ==, first.total);
  g_assert_cmpmem(second.by_kind, sizeof second.by_kind, first.by_kind, sizeof first.by_kind);
  /* Both runs are audited, each saying who ran it and what it found. */
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action = 'count.reconcile'"), ==,
                  2);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action = 'count.reconcile' "
                             "AND user_name = 'admin' AND detail LIKE '%\"new\":0%' "
                             "AND detail LIKE '%\"total\":12%'"),
                  ==, 1);
  assert_chain(t);
}

static void
test_deterministic(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Armoury) a = {0};
  armoury_counted(t, &a);
  /* A byte-for-byte twin of the closed count, reconciled independently. */
  g_autofree char *twin_path = g_build_filename(t->dir, "twin.db", NULL);
  g_autofree char *vacuum = g_strdup_printf("VACUUM INTO '%s'", twin_path);
  test_sql_exec(t, vacuum);
  reconcile_ok(t, a.counter, a.count_id, NULL);
  g_autoptr(MusterStore) twin = muster_store_open(twin_path, &error);
  g_assert_no_error(error);
  g_autoptr(MusterUser) admin = muster_users_get(twin, "admin", &error);
  g_assert_no_error(error);
  g_assert_true(muster_reconcile(twin, admin, a.count_id, NULL, &error));
  g_assert_no_error(error);

  g_autofree char *mine = snapshot(t->store, FALSE);
  g_autofree char *theirs = snapshot(twin, FALSE);
  g_assert_cmpstr(mine, ==, theirs);
  /* The ids are derived, shaped as RFC 9562 version-8 UUIDs, and all distinct. */
  g_autoptr(GPtrArray) list = list_all(t, a.count_id);
  for (guint i = 0; i < list->len; i++) {
    const char *uuid = ((MusterDiscrepancy *)g_ptr_array_index(list, i))->uuid;
    g_assert_true(g_uuid_string_is_valid(uuid));
    g_assert_cmpint(uuid[14], ==, '8');
    g_assert_nonnull(strchr("89ab", uuid[19]));
  }
  g_assert_cmpint(test_sql_int(t, "SELECT count(DISTINCT uuid) FROM discrepancy"), ==, 12);
  assert_chain(t);
}

/* ---- a small count: one item missing, one unknown marking --------------------------- */

static void
small_counted(TestDb *t, Armoury *a, gboolean reconcile)
{
  import(t, "manufacturer,country_of_manufacture,serial,model,category,calibre,status,location\n"
            "Glock,AT,GA-01,17,pistol,9x19,in_store,R1/A/01\n"
            "Glock,AT,GA-02,17,pistol,9x19,in_store,R1/A/02\n"
            "Glock,AT,GA-03,17,pistol,9x19,in_store,R1/A/03\n");
  a->counter = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  a->witness = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);
  const char *scope[] = {"R1/A", NULL};
  a->count_id = start_count(t, a->counter, a->witness, scope);
  const char *scans[] = {"@R1/A", "GA-01", "GA-02", "ZZ-1", NULL};
  feed(t, a->counter, a->count_id, scans);
  close_count(t, a->counter, a->count_id);
  if (reconcile)
    reconcile_ok(t, a->counter, a->count_id, NULL);
}

static MusterDiscrepancy *
get_one(TestDb *t, gint64 count_id, const char *kind)
{
  g_autoptr(GError) error = NULL;
  MusterDiscrepancyFilter f = {.kind = kind, .resolved = -1};
  g_autoptr(GPtrArray) list = muster_discrepancies_list(t->store, count_id, &f, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(list->len, ==, 1);
  return g_ptr_array_steal_index(list, 0);
}

static void
test_reconcile_refusals(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Armoury) a = {0};
  import(t, "manufacturer,country_of_manufacture,serial,model,category,status,location\n"
            "Glock,AT,GA-01,17,pistol,in_store,R1/A/01\n");
  a.counter = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  a.witness = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);
  const char *scope[] = {"R1/A", NULL};
  a.count_id = start_count(t, a.counter, a.witness, scope);

  g_assert_false(muster_reconcile(t->store, t->admin, a.count_id, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE);
  g_autofree char *hint = g_strdup_printf("muster count close %" G_GINT64_FORMAT, a.count_id);
  g_assert_nonnull(strstr(error->message, hint));
  g_clear_error(&error);

  close_count(t, a.counter, a.count_id);
  /* The witness is staff and not the counter. */
  g_assert_false(muster_reconcile(t->store, a.witness, a.count_id, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_assert_nonnull(strstr(error->message, "its counter (sam)"));
  g_assert_nonnull(strstr(error->message, "wes is staff"));
  g_clear_error(&error);
  g_assert_false(muster_reconcile(t->store, t->admin, 999, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(error->message, "999"));
  g_clear_error(&error);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM discrepancy"), ==, 0);
  g_autofree char *state = test_sql_text(t, "SELECT state FROM count_session");
  g_assert_cmpstr(state, ==, "closed");

  /* The counter, although staff, may reconcile their own count. */
  MusterReconcileSummary sum;
  reconcile_ok(t, a.counter, a.count_id, &sum);
  g_assert_cmpint(sum.total, ==, 1);
  g_assert_cmpint(sum.by_kind[MUSTER_DISCREPANCY_MISSING], ==, 1);
  assert_chain(t);
}

static void
resolve_fails(TestDb *t, MusterUser *actor, MusterUser *confirmer, gint64 id, const char *action,
              const char *reason, int code, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_assert_false(
      muster_discrepancies_resolve(t->store, actor, confirmer, id, action, reason, &error));
  g_assert_error(error, MUSTER_ERROR, code);
  if (strstr(error->message, needle) == NULL)
    g_error("'%s' does not mention '%s'", error->message, needle);
}

static void
resolve_ok(TestDb *t, MusterUser *actor, MusterUser *confirmer, gint64 id, const char *action,
           const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(
      muster_discrepancies_resolve(t->store, actor, confirmer, id, action, reason, &error));
  g_assert_no_error(error);
}

/* A weapon recorded as gone yet found is answered for like a missing one: a supervisor
 * and a second person; a weapon merely in the wrong place, by a supervisor or an admin
 * alone. */
static void
test_status_conflict_needs_second_person(TestDb *t, gconstpointer data)
{
  g_auto(Armoury) a = {0};
  armoury_counted(t, &a);
  reconcile_ok(t, a.counter, a.count_id, NULL);
  g_autoptr(MusterDiscrepancy) conflict = get_one(t, a.count_id, "status_conflict");
  g_autoptr(MusterDiscrepancy) wrong = get_one(t, a.count_id, "wrong_location");
  g_autoptr(MusterUser) sue = test_db_add_user(t, "sue", MUSTER_ROLE_SUPERVISOR);
  g_autofree char *alone = g_strdup_printf("Resolving a status conflict (%s) needs a second "
                                           "person to confirm",
                                           conflict->subject);
  resolve_fails(t, sue, NULL, conflict->id, "corrected", "issue was returned",
                MUSTER_ERROR_PERMISSION, alone);
  resolve_fails(t, t->admin, a.counter, conflict->id, "corrected", "issue was returned",
                MUSTER_ERROR_PERMISSION, "needs a supervisor; admin is admin");
  resolve_ok(t, sue, a.counter, conflict->id, "corrected", "issue was returned");
  resolve_ok(t, t->admin, NULL, wrong->id, "accepted", "moved back to its rack");
}

static void
test_resolve_roles(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Armoury) a = {0};
  small_counted(t, &a, TRUE);
  g_autoptr(MusterDiscrepancy) missing = get_one(t, a.count_id, "missing");
  g_autoptr(MusterDiscrepancy) unknown = get_one(t, a.count_id, "unknown_marking");

  g_autoptr(MusterUser) sue = test_db_add_user(t, "sue", MUSTER_ROLE_SUPERVISOR);
  resolve_fails(t, a.witness, a.counter, missing->id, "found", "in the workshop",
                MUSTER_ERROR_PERMISSION, "wes is staff");
  resolve_fails(t, a.witness, NULL, unknown->id, "recorded", "new tag", MUSTER_ERROR_PERMISSION,
                "wes is staff");
  /* A missing weapon is a supervisor's to answer for, not the system admin's. */
  resolve_fails(t, t->admin, a.counter, missing->id, "found", "in the workshop",
                MUSTER_ERROR_PERMISSION, "needs a supervisor; admin is admin");
  resolve_fails(t, sue, NULL, missing->id, "found", "in the workshop", MUSTER_ERROR_PERMISSION,
                "second person");
  resolve_fails(t, sue, sue, missing->id, "found", "in the workshop",
                MUSTER_ERROR_PERMISSION, "own resolution");
  resolve_fails(t, sue, a.counter, missing->id, "found", "  \t ", MUSTER_ERROR_INVALID,
                "reason");
  resolve_fails(t, sue, a.counter, missing->id, "lost", "in the workshop",
                MUSTER_ERROR_INVALID, "written_off");
  resolve_fails(t, sue, a.counter, 999, "found", "x", MUSTER_ERROR_NOT_FOUND, "999");
  /* A confirmer deactivated since they signed in no longer counts. */
  g_assert_true(muster_users_set_active(t->store, t->admin, "wes", FALSE, &error));
  g_assert_no_error(error);
  resolve_fails(t, sue, a.witness, missing->id, "found", "in the workshop",
                MUSTER_ERROR_PERMISSION, "deactivated");
  /* Nor does one locked out by wrong PINs since: the lock is on the person, not the
   * sign-in screen. */
  g_autoptr(MusterUser) lee = test_db_add_user(t, "lee", MUSTER_ROLE_STAFF);
  for (int i = 0; i < 5; i++) {
    g_autoptr(MusterUser) no = muster_users_authenticate(t->store, "lee", "0000", NULL);
  }
  resolve_fails(t, sue, lee, missing->id, "found", "in the workshop", MUSTER_ERROR_PERMISSION,
                "locked");
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM resolution"), ==, 0);

  resolve_ok(t, sue, a.counter, missing->id, "found", "  in the armourer's workshop ");
  resolve_ok(t, t->admin, NULL, unknown->id, "recorded", "tag of a new weapon, to register");
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM resolution"), ==, 2);
  g_autofree char *row =
      test_sql_text(t, "SELECT r.action || '|' || r.reason || '|' || u.name || '|' || c.name || '|' || "
                  "coalesce(r.supersedes_id, 'none') FROM resolution r JOIN app_user u ON u.id = "
                  "r.resolved_by JOIN app_user c ON c.id = r.confirmed_by");
  g_assert_cmpstr(row, ==, "found|in the armourer's workshop|sue|sam|none");

  g_autoptr(MusterDiscrepancy) got = muster_discrepancies_get(t->store, missing->uuid, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(got->resolution_action, ==, "found");
  g_assert_cmpstr(got->resolved_by, ==, "sue");
  g_assert_cmpstr(got->confirmed_by, ==, "sam");
  g_assert_nonnull(got->resolved_at);
  g_autofree char *audit_sql = g_strdup_printf(
      "SELECT count(*) FROM audit_log WHERE action = 'discrepancy.resolve' AND subject = '%s' "
      "AND user_name = 'sue'",
      missing->uuid);
  g_assert_cmpint(test_sql_int(t, audit_sql), ==, 1);
  g_autofree char *outbox_sql = g_strdup_printf(
      "SELECT count(*) FROM outbox WHERE kind = 'discrepancy.resolved' AND entity_uuid = '%s' "
      "AND json_extract(payload, '$.resolution.action') = 'found' "
      "AND json_extract(payload, '$.resolution.confirmed_by') = 'sam' "
      "AND json_extract(payload, '$.discrepancy.kind') = 'missing' "
      "AND json_extract(payload, '$.discrepancy.count_uuid') = "
      "(SELECT uuid FROM count_session)",
      missing->uuid);
  g_assert_cmpint(test_sql_int(t, outbox_sql), ==, 1);
  assert_chain(t);
}

static void
test_resolution_supersedes(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Armoury) a = {0};
  small_counted(t, &a, TRUE);
  g_autoptr(MusterUser) sue = test_db_add_user(t, "sue", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(MusterDiscrepancy) missing = get_one(t, a.count_id, "missing");
  resolve_ok(t, sue, a.witness, missing->id, "written_off", "not found after search");
  resolve_ok(t, sue, a.counter, missing->id, "found", "turned up in the vault");

  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM resolution"), ==, 2);
  g_assert_cmpint(test_sql_int(t, "SELECT supersedes_id FROM resolution WHERE action = 'found'"), ==,
                  test_sql_int(t, "SELECT id FROM resolution WHERE action = 'written_off'"));
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM outbox WHERE kind = 'discrepancy.resolved' "
                             "AND json_extract(payload, '$.resolution.supersedes') = "
                             "(SELECT uuid FROM resolution WHERE action = 'written_off')"),
                  ==, 1);
  g_autoptr(MusterDiscrepancy) now = muster_discrepancies_get(t->store, missing->uuid, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(now->resolution_action, ==, "found");
  g_assert_cmpstr(now->resolution_reason, ==, "turned up in the vault");
  g_assert_cmpstr(now->confirmed_by, ==, "sam");

  MusterDiscrepancyFilter resolved = {.kind = "missing", .resolved = 1};
  MusterDiscrepancyFilter open = {.kind = "missing", .resolved = 0};
  g_autoptr(GPtrArray) r1 = muster_discrepancies_list(t->store, a.count_id, &resolved, &error);
  g_autoptr(GPtrArray) o1 = muster_discrepancies_list(t->store, a.count_id, &open, &error);
  g_assert_cmpuint(r1->len, ==, 1);
  g_assert_cmpuint(o1->len, ==, 0);
  /* Reopening is a resolution too: it is in force, and the discrepancy is open again. */
  resolve_ok(t, sue, a.counter, missing->id, "reopened", "the vault item is GA-02");
  g_autoptr(GPtrArray) r2 = muster_discrepancies_list(t->store, a.count_id, &resolved, &error);
  g_autoptr(GPtrArray) o2 = muster_discrepancies_list(t->store, a.count_id, &open, &error);
  g_assert_cmpuint(r2->len, ==, 0);
  g_assert_cmpuint(o2->len, ==, 1);
  g_assert_cmpstr(((MusterDiscrepancy *)g_ptr_array_index(o2, 0))->resolution_action, ==,
                  "reopened");
  assert_chain(t);
}

static void
test_signed_off_is_final(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Armoury) a = {0};
  small_counted(t, &a, TRUE);
  g_autoptr(MusterUser) sue = test_db_add_user(t, "sue", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(MusterDiscrepancy) missing = get_one(t, a.count_id, "missing");
  g_autoptr(MusterDiscrepancy) unknown = get_one(t, a.count_id, "unknown_marking");
  resolve_ok(t, sue, a.counter, missing->id, "written_off", "reported stolen");
  resolve_ok(t, sue, NULL, unknown->id, "reported", "sent to the registry");
  g_assert_true(muster_counts_sign_off(t->store, sue, a.count_id, "ok", &error));
  g_assert_no_error(error);

  resolve_fails(t, sue, a.counter, missing->id, "found", "it came back", MUSTER_ERROR_STATE,
                "signed off");
  resolve_fails(t, t->admin, NULL, unknown->id, "accepted", "late", MUSTER_ERROR_STATE,
                "signed off");
  g_assert_false(muster_reconcile(t->store, sue, a.count_id, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE);
  g_assert_nonnull(strstr(error->message, "signed off"));
  g_clear_error(&error);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM resolution"), ==, 2);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM discrepancy"), ==, 2);
  assert_chain(t);
}

static guint
list_len(TestDb *t, gint64 count_id, const char *kind, const char *path)
{
  g_autoptr(GError) error = NULL;
  MusterDiscrepancyFilter f = {.kind = kind, .location_path = path, .resolved = -1};
  g_autoptr(GPtrArray) list = muster_discrepancies_list(t->store, count_id, &f, &error);
  g_assert_no_error(error);
  return list->len;
}

static void
test_list_and_get(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Armoury) a = {0};
  armoury_counted(t, &a);
  reconcile_ok(t, a.counter, a.count_id, NULL);

  MusterDiscrepancyFilter dups = {.kind = "duplicate_marking", .resolved = -1};
  g_autoptr(GPtrArray) list = muster_discrepancies_list(t->store, a.count_id, &dups, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(list->len, ==, 3);
  g_assert_cmpstr(((MusterDiscrepancy *)list->pdata[0])->subject, ==, "marking:ASSET-7");
  g_assert_cmpstr(((MusterDiscrepancy *)list->pdata[1])->subject, ==, "marking:ASSET-8");
  g_assert_cmpstr(((MusterDiscrepancy *)list->pdata[2])->subject, ==, "serial:GA-05");
  /* A subtree: missing, wrong location and both item checks were in rack A. */
  g_assert_cmpuint(list_len(t, a.count_id, NULL, "R1/A"), ==, 4);
  g_assert_cmpuint(list_len(t, a.count_id, NULL, " R1/B/ "), ==, 5);
  g_assert_cmpuint(list_len(t, a.count_id, "overdue", "R1/C"), ==, 1);
  /* A path prefix is not a subtree: R1/B/1 does not hold R1/B/10. */
  g_assert_cmpuint(list_len(t, a.count_id, NULL, "R1/B/10"), ==, 1);
  g_assert_cmpuint(list_len(t, a.count_id, NULL, "R1/B/1"), ==, 0);
  g_assert_cmpuint(list_len(t, a.count_id, "overdue", "R1"), ==, 1);
  g_assert_cmpuint(list_len(t, a.count_id, NULL, "/"), ==, 12);

  MusterDiscrepancyFilter bad_kind = {.kind = "lost", .resolved = -1};
  g_assert_null(muster_discrepancies_list(t->store, a.count_id, &bad_kind, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "component_mismatch"));
  g_clear_error(&error);
  MusterDiscrepancyFilter bad_path = {.location_path = "R1//A", .resolved = -1};
  g_assert_null(muster_discrepancies_list(t->store, a.count_id, &bad_path, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);
  g_assert_null(muster_discrepancies_list(t->store, 42, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);

  MusterDiscrepancy *first = list->pdata[0];
  g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, first->id);
  g_autoptr(MusterDiscrepancy) by_id = muster_discrepancies_get(t->store, id, &error);
  g_assert_no_error(error);
  g_autoptr(MusterDiscrepancy) by_uuid = muster_discrepancies_get(t->store, first->uuid, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(by_id->uuid, ==, first->uuid);
  g_assert_cmpstr(by_uuid->detail, ==, first->detail);
  g_assert_null(by_uuid->resolution_action);
  g_assert_null(muster_discrepancies_get(t->store, "no-such-thing", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(error->message, "no-such-thing"));
}

/* ---- one count's finds are its own --------------------------------------------------- */

/* The register of the tests of counts one after another over rack R1/A. */
static const char two_pistols_on_rack_a[] =
    "manufacturer,country_of_manufacture,serial,model,category,status,location\n"
    "Glock,AT,GA-01,17,pistol,in_store,R1/A/01\n"
    "Glock,AT,GA-02,17,pistol,in_store,R1/A/02\n";

/* Counts rack R1/A (sam counting, wes witnessing) with these scans, records an unmarked
 * item there when one is named, closes and reconciles it: its findings. */
static GPtrArray *
count_rack_a(TestDb *t, MusterUser *sam, MusterUser *wes, const char *const *scans,
             const char *unmarked)
{
  g_autoptr(GError) error = NULL;
  const char *scope[] = {"R1/A", NULL};
  gint64 id = start_count(t, sam, wes, scope);
  feed(t, sam, id, scans);
  if (unmarked != NULL) {
    g_autofree char *uuid = NULL;
    g_assert_true(muster_counts_record_unmarked(t->store, sam, id, unmarked, "R1/A/01", NULL,
                                                &uuid, &error));
    g_assert_no_error(error);
  }
  close_count(t, sam, id);
  reconcile_ok(t, sam, id, NULL);
  return list_all(t, id);
}

/* A weapon found by an earlier count over the same rack and not by this one is missing
 * now: a find counts for the count that made it, never for a later one. */
static void
test_finds_belong_to_their_count(TestDb *t, gconstpointer data)
{
  import(t, two_pistols_on_rack_a);
  g_autoptr(MusterUser) sam = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) wes = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);
  const char *const both[] = {"@R1/A/01", "GA-01", "@R1/A/02", "GA-02", NULL};
  const char *const first_only[] = {"@R1/A/01", "GA-01", NULL};

  g_autoptr(GPtrArray) clean = count_rack_a(t, sam, wes, both, NULL);
  g_assert_cmpuint(clean->len, ==, 0);
  g_autoptr(GPtrArray) list = count_rack_a(t, sam, wes, first_only, NULL);
  g_assert_cmpuint(list->len, ==, 1);
  g_autofree char *uuid = item_uuid(t, "Glock", "GA-02");
  MusterDiscrepancy *d = find_disc(list, "missing", uuid);
  g_assert_cmpstr(d->item_uuid, ==, uuid);
}

/* A weapon that stays missing is reported by every count that does not find it, not
 * only by the first: each count's findings stand on their own. */
static void
test_missing_in_each_count_that_misses_it(TestDb *t, gconstpointer data)
{
  import(t, two_pistols_on_rack_a);
  g_autoptr(MusterUser) sam = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) wes = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);
  const char *const first_only[] = {"@R1/A/01", "GA-01", NULL};
  g_autofree char *gone = item_uuid(t, "Glock", "GA-02");
  for (int round = 1; round <= 2; round++) {
    g_autoptr(GPtrArray) list = count_rack_a(t, sam, wes, first_only, NULL);
    g_assert_cmpuint(list->len, ==, 1);
    g_assert_cmpstr(find_disc(list, "missing", gone)->item_uuid, ==, gone);
  }
  g_assert_cmpint(test_sql_int(t, "SELECT count(DISTINCT count_id) FROM discrepancy"
                                  " WHERE kind = 'missing'"),
                  ==, 2);
}

/* An unmarked item is a finding of the count that recorded it, not of later ones. */
static void
test_unmarked_items_belong_to_their_count(TestDb *t, gconstpointer data)
{
  import(t, "manufacturer,country_of_manufacture,serial,model,category,status,location\n"
            "Glock,AT,GA-01,17,pistol,in_store,R1/A/01\n");
  g_autoptr(MusterUser) sam = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) wes = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);
  const char *const all[] = {"@R1/A/01", "GA-01", NULL};
  g_autoptr(GPtrArray) first = count_rack_a(t, sam, wes, all, "Revolver, no markings");
  g_assert_cmpuint(first->len, ==, 1);
  g_assert_cmpstr(((MusterDiscrepancy *)first->pdata[0])->kind, ==, "unmarked_item");
  g_autoptr(GPtrArray) later = count_rack_a(t, sam, wes, all, NULL);
  g_assert_cmpuint(later->len, ==, 0);
}

/* A tag moved from one weapon to another (retired on the first, added to the second) is
 * on one weapon only: no duplicate, and reading it finds the second. */
static void
test_retired_tag_moved_is_no_duplicate(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  import(t, "manufacturer,country_of_manufacture,serial,model,category,status,location,"
            "markings\n"
            "Glock,AT,GA-01,17,pistol,in_store,R1/A/01,hf_uid:frame:04AA0000000001\n"
            "Glock,AT,GA-02,17,pistol,in_store,R1/A/02,\n");
  gint64 ga01 = test_sql_int(t, "SELECT id FROM item WHERE serial = 'GA-01'");
  gint64 ga02 = test_sql_int(t, "SELECT id FROM item WHERE serial = 'GA-02'");
  g_assert_true(muster_items_retire_marking(t->store, t->admin, ga01, "04AA0000000001",
                                            "tag moved to GA-02", &error));
  g_assert_no_error(error);
  g_assert_true(muster_items_add_marking(t->store, t->admin, ga02, "hf_uid", "frame",
                                         "04AA0000000001", &error));
  g_assert_no_error(error);
  g_autoptr(MusterUser) sam = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) wes = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);
  const char *const scans[] = {"@R1/A/01", "GA-01", "@R1/A/02", "04AA0000000001", NULL};
  g_autoptr(GPtrArray) list = count_rack_a(t, sam, wes, scans, NULL);
  for (guint i = 0; i < list->len; i++)
    g_test_message("%s", ((MusterDiscrepancy *)list->pdata[i])->detail);
  g_assert_cmpuint(list->len, ==, 0);
  assert_chain(t);
}

/* ---- overdue ------------------------------------------------------------------------ */

static gint64
counted_and_reconciled(TestDb *t, Armoury *a, const char *path)
{
  const char *scope[] = {path, NULL};
  gint64 id = start_count(t, a->counter, a->witness, scope);
  close_count(t, a->counter, id);
  reconcile_ok(t, a->counter, id, NULL);
  return id;
}

static void
test_overdue_racks(TestDb *t, gconstpointer data)
{
  g_auto(Armoury) a = {0};
  import(t, "manufacturer,country_of_manufacture,serial,model,category,status,location\n"
            "Glock,AT,GA-01,17,pistol,in_store,R1/A/01\n"
            "Glock,AT,GB-01,17,pistol,in_store,R1/B/01\n"
            "Glock,AT,GC-01,17,pistol,in_store,R1/C/01\n");
  test_sql_exec(t, "UPDATE location SET created_at = '2020-01-01T00:00:00.000Z'");
  a.counter = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  a.witness = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);
  /* Rack C was counted long ago; rack B just now; a count of C that was only closed,
   * never reconciled, does not count. */
  gint64 old = counted_and_reconciled(t, &a, "R1/C");
  g_autofree char *backdate =
      g_strdup_printf("UPDATE count_session SET closed_at = '2020-06-01T00:00:00.000Z' WHERE id = "
                      "%" G_GINT64_FORMAT,
                      old);
  test_sql_exec(t, backdate);
  const char *scope_c[] = {"R1/C", NULL};
  close_count(t, a.counter, start_count(t, a.counter, a.witness, scope_c));
  counted_and_reconciled(t, &a, "R1/B");
  gint64 now = counted_and_reconciled(t, &a, "R1/A");

  MusterDiscrepancyFilter f = {.kind = "overdue", .resolved = -1};
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = muster_discrepancies_list(t->store, now, &f, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(list->len, ==, 1);
  MusterDiscrepancy *d = list->pdata[0];
  g_assert_cmpstr(d->subject, ==, "R1/C");
  g_assert_cmpstr(d->location_path, ==, "R1/C");
  g_assert_cmpstr(d->detail, ==,
                  "Rack R1/C was last counted 2020-06-01, more than 90 days "
                  "before this count closed");
  /* The first count found the other two racks never counted. */
  g_autoptr(GPtrArray) first = muster_discrepancies_list(t->store, old, &f, &error);
  g_assert_cmpuint(first->len, ==, 2);
  g_assert_cmpstr(((MusterDiscrepancy *)first->pdata[0])->subject, ==, "R1/A");
  g_assert_cmpstr(((MusterDiscrepancy *)first->pdata[1])->subject, ==, "R1/B");
  assert_chain(t);
}

static void
test_overdue_without_racks(TestDb *t, gconstpointer data)
{
  g_auto(Armoury) a = {0};
  import(t, "manufacturer,country_of_manufacture,serial,model,category,status,location\n"
            "Glock,AT,G-1,17,pistol,in_store,Store\n"
            "Glock,AT,G-2,17,pistol,in_store,Vault\n");
  test_sql_exec(t, "INSERT INTO location (uuid, parent_id, kind, code, path, created_at) "
              "VALUES ('empty-room', 1, 'room', 'Empty', 'Empty', '2020-01-01T00:00:00.000Z')");
  test_sql_exec(t, "UPDATE location SET created_at = '2020-01-01T00:00:00.000Z'");
  a.counter = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  a.witness = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);
  gint64 id = counted_and_reconciled(t, &a, "Store");
  /* No racks: any place holding items is watched; the empty room is not. */
  g_autoptr(GError) error = NULL;
  MusterDiscrepancyFilter f = {.kind = "overdue", .resolved = -1};
  g_autoptr(GPtrArray) list = muster_discrepancies_list(t->store, id, &f, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(list->len, ==, 1);
  g_assert_cmpstr(((MusterDiscrepancy *)list->pdata[0])->detail, ==,
                  "Room Vault has never been counted (created 2020-01-01), more than 90 days "
                  "before this count closed");
  assert_chain(t);
}

/* ---- the register's repeated markings ------------------------------------------------ */

static char *
repeat_list(TestDb *t)
{
  return test_sql_text(t, "SELECT group_concat(value, ' ') FROM"
                          " (SELECT value FROM marking_repeat ORDER BY value)");
}

static gint64
duplicates_of(TestDb *t, gint64 count_id)
{
  MusterReconcileSummary sum = {0};
  reconcile_ok(t, t->admin, count_id, &sum);
  return sum.by_kind[MUSTER_DISCREPANCY_DUPLICATE_MARKING];
}

/* Reconciliation takes the values on two items from marking_repeat, which the trigger
 * of migration 009 keeps as markings are written, from an import or one at a time. The
 * list is not sealed: one that lost a value is refused at sign-off (before the unresolved
 * discrepancies are counted), and migration 009 run again fills it in. */
static void
test_repeat_list(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Armoury) a = {0};
  armoury_counted(t, &a);
  g_autofree char *imported = repeat_list(t);
  g_assert_cmpstr(imported, ==, "ASSET-7 ASSET-8 GA-05");
  gint64 ga09 = test_sql_int(t, "SELECT id FROM item WHERE serial = 'GA-09'");
  gint64 gb09 = test_sql_int(t, "SELECT id FROM item WHERE serial = 'GB-09'");
  gboolean ok =
      muster_items_add_marking(t->store, t->admin, ga09, "barcode", "frame", "ASSET-9", &error) &&
      muster_items_add_marking(t->store, t->admin, gb09, "barcode", "frame", "ASSET-9", &error);
  g_assert_no_error(error);
  g_assert_true(ok);
  g_autofree char *added = repeat_list(t);
  g_assert_cmpstr(added, ==, "ASSET-7 ASSET-8 ASSET-9 GA-05");
  g_assert_cmpint(duplicates_of(t, a.count_id), ==, 4);
  g_assert_true(muster_reconcile_check_register(t->store, a.count_id, &error));
  g_assert_no_error(error);

  /* Altered outside Muster: the list loses ASSET-8, so a count misses it. */
  sqlite3 *db = muster_store_db(t->store);
  g_assert_cmpint(sqlite3_exec(db, "DELETE FROM marking_repeat", NULL, NULL, NULL), ==,
                  SQLITE_CONSTRAINT_TRIGGER);
  test_sql_exec(t, "DROP TRIGGER marking_repeat_no_delete;"
                   "DELETE FROM marking_repeat WHERE value = 'ASSET-8'");
  const char *scope[] = {"R1/A", "R1/B", NULL};
  gint64 again = start_count(t, a.counter, a.witness, scope);
  close_count(t, a.counter, again);
  g_assert_cmpint(duplicates_of(t, again), ==, 3);
  g_autoptr(MusterUser) sue = test_db_add_user(t, "sue", MUSTER_ROLE_SUPERVISOR);
  g_assert_false(muster_counts_sign_off(t->store, sue, again, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  g_assert_nonnull(strstr(error->message, "ASSET-8"));
  g_clear_error(&error);

  /* ... and put back before sign-off: the list is whole again, but the reconciliation
   * read it without ASSET-8, as its count.reconcile entry records. */
  test_sql_exec(t, "INSERT INTO marking_repeat (value) VALUES ('ASSET-8')");
  g_assert_false(muster_counts_sign_off(t->store, sue, again, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  g_assert_nonnull(strstr(error->message, "reconciled against a list of repeated markings"));
  g_clear_error(&error);

  /* Migration 009 again (a database from before it): the list is whole, and so is the
   * next reconciliation. */
  test_sql_exec(t, "PRAGMA user_version=8");
  g_clear_pointer(&t->store, muster_store_free);
  t->store = muster_store_open(t->path, &error);
  g_assert_no_error(error);
  g_autofree char *refilled = repeat_list(t);
  g_assert_cmpstr(refilled, ==, "ASSET-7 ASSET-8 ASSET-9 GA-05");
  g_assert_cmpint(duplicates_of(t, again), ==, 4);
  g_assert_true(muster_reconcile_check_register(t->store, again, &error));
  g_assert_no_error(error);
  g_assert_cmpint(
      sqlite3_exec(muster_store_db(t->store), "DELETE FROM marking_repeat", NULL, NULL, NULL), ==,
      SQLITE_CONSTRAINT_TRIGGER);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/reconcile/every-kind", TestDb, NULL, test_db_setup, test_every_kind,
             test_db_teardown);
  g_test_add("/reconcile/idempotent", TestDb, NULL, test_db_setup, test_idempotent,
             test_db_teardown);
  g_test_add("/reconcile/deterministic", TestDb, NULL, test_db_setup, test_deterministic,
             test_db_teardown);
  g_test_add("/reconcile/refusals", TestDb, NULL, test_db_setup, test_reconcile_refusals,
             test_db_teardown);
  g_test_add("/reconcile/resolve-roles", TestDb, NULL, test_db_setup, test_resolve_roles,
             test_db_teardown);
  g_test_add("/reconcile/status-conflict-needs-second-person", TestDb, NULL, test_db_setup,
             test_status_conflict_needs_second_person, test_db_teardown);
  g_test_add("/reconcile/resolution-supersedes", TestDb, NULL, test_db_setup,
             test_resolution_supersedes, test_db_teardown);
  g_test_add("/reconcile/signed-off-is-final", TestDb, NULL, test_db_setup,
             test_signed_off_is_final, test_db_teardown);
  g_test_add("/reconcile/list-and-get", TestDb, NULL, test_db_setup, test_list_and_get,
             test_db_teardown);
  g_test_add("/reconcile/finds-belong-to-their-count", TestDb, NULL, test_db_setup,
             test_finds_belong_to_their_count, test_db_teardown);
  g_test_add("/reconcile/missing-in-each-count-that-misses-it", TestDb, NULL, test_db_setup,
             test_missing_in_each_count_that_misses_it, test_db_teardown);
  g_test_add("/reconcile/unmarked-items-belong-to-their-count", TestDb, NULL, test_db_setup,
             test_unmarked_items_belong_to_their_count, test_db_teardown);
  g_test_add("/reconcile/retired-tag-moved-is-no-duplicate", TestDb, NULL, test_db_setup,
             test_retired_tag_moved_is_no_duplicate, test_db_teardown);
  g_test_add("/reconcile/overdue-racks", TestDb, NULL, test_db_setup, test_overdue_racks,
             test_db_teardown);
  g_test_add("/reconcile/overdue-without-racks", TestDb, NULL, test_db_setup,
             test_overdue_without_racks, test_db_teardown);
  g_test_add("/reconcile/repeat-list", TestDb, NULL, test_db_setup, test_repeat_list,
             test_db_teardown);
  return g_test_run();
}
