/*
 * test-ingest.c: scans into a count, through the real SQLite file.
 *
 * The register used by every case (scope of the count: R1):
 *   GL-1001  in store at R1/A/01, also HF tag 04A1B2C3D4E5F6
 *   GL-1002  in store at R1/A/02
 *   GL-1003  in store at R1/B/01 (inside the scope, another rack)
 *   GL-1004  issued, no location
 *   HK-2001  in store at R2/A/01 (outside the scope)
 *   SAME-1   twice: Walther at R1/A/04 and Beretta at R1/A/05 (one serial, two makers)
 */
#include "db/audit.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "scan/scan.h"
#include "test-util.h"

#include <string.h>

static const char register_csv[] =
    "manufacturer,country_of_manufacture,serial,model,category,calibre,status,location,"
    "markings\n"
    "Glock,AT,GL-1001,G17,pistol,9x19,in_store,R1/A/01,hf_uid:frame:04A1B2C3D4E5F6\n"
    "Glock,AT,GL-1002,G17,pistol,9x19,in_store,R1/A/02,\n"
    "Glock,AT,GL-1003,G17,pistol,9x19,in_store,R1/B/01,\n"
    "Glock,AT,GL-1004,G17,pistol,9x19,issued,,\n"
    "Heckler & Koch,DE,HK-2001,G36,rifle,5.56x45,in_store,R2/A/01,\n"
    "Walther,DE,SAME-1,P99,pistol,9x19,in_store,R1/A/04,\n"
    "Beretta,IT,SAME-1,92FS,pistol,9x19,in_store,R1/A/05,\n";

typedef struct {
  TestDb db;
  MusterUser *counter; /* staff "carol"; the admin witnesses */
  gint64 count_id;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  test_db_setup(&f->db, data);
  g_assert_cmpint(test_db_import_csv(&f->db, register_csv, -1).imported, ==, 7);
  f->counter = test_db_add_user(&f->db, "carol", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  const char *scope[] = {"R1", NULL};
  g_autoptr(MusterCount) c =
      muster_counts_start(f->db.store, f->counter, f->db.admin, scope, FALSE, &error);
  g_assert_no_error(error);
  f->count_id = c->id;
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  muster_user_free(f->counter);
  test_db_teardown(&f->db, data);
}

static MusterScan *
scan_line(const char *line)
{
  char *loc = NULL;
  MusterScan *scan = muster_scan_parse_line(line, strlen(line), "test", &loc, NULL);
  g_assert_null(loc);
  g_assert_nonnull(scan);
  return scan;
}

static void
add_line(MusterIngest *ingest, const char *line)
{
  g_autoptr(MusterScan) scan = scan_line(line);
  muster_ingest_add(ingest, scan);
}

static void
add_bytes(MusterIngest *ingest, const char *data, gsize len)
{
  char *loc = NULL;
  g_autoptr(MusterScan) scan = muster_scan_parse_line(data, len, "test", &loc, NULL);
  g_assert_nonnull(scan);
  muster_ingest_add(ingest, scan);
}

static GArray *
results_new(void)
{
  GArray *a = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(a, (GDestroyNotify)muster_ingest_result_clear);
  return a;
}

static MusterIngestResult *
result_at(GArray *results, guint i)
{
  g_assert_cmpuint(i, <, results->len);
  return &g_array_index(results, MusterIngestResult, i);
}

static void
assert_audit_ok(MusterStore *store)
{
  g_autoptr(GError) error = NULL;
  MusterAuditReport report = {0};
  g_assert_true(muster_audit_verify(store, &report, &error));
  g_assert_no_error(error);
  g_assert_cmpint(report.rows_covered, >, 0);
  muster_audit_report_clear(&report);
}

static MusterIngest *
ingest_at(Fixture *f, const char *location)
{
  g_autoptr(GError) error = NULL;
  MusterIngest *ingest = muster_ingest_new(f->db.store, f->counter, f->count_id, &error);
  g_assert_no_error(error);
  if (location != NULL) {
    muster_ingest_set_location(ingest, location, &error);
    g_assert_no_error(error);
  }
  return ingest;
}

static void
flush_ok(MusterIngest *ingest, GArray *results)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_ingest_flush(ingest, results, &error));
  g_assert_no_error(error);
}

static void
test_every_outcome(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) ingest = ingest_at(f, "R1/A");
  add_line(ingest, "{\"value\": \"GL-1002\", \"authenticity\": \"not_genuine\","
                   " \"read_at\": \"2026-11-25T20:14:57.123Z\", \"reader\": \"pn532\","
                   " \"reader_kind\": \"nfc\"}");
  add_line(ingest, "gl-1001");
  add_line(ingest, "04:a1:b2:c3:d4:e5:f6"); /* GL-1001 again, through its tag */
  add_line(ingest, "GL-1003");              /* recorded at R1/B, scanned at R1/A */
  add_line(ingest, "GL-1004");              /* issued */
  add_line(ingest, "NOPE-9");
  add_line(ingest, "same-1"); /* on two items */
  add_bytes(ingest, "\xff\xfe", 2);
  add_line(ingest, "GL-1002"); /* the not-genuine read did not count it */
  g_assert_cmpuint(muster_ingest_pending(ingest), ==, 9);
  g_autoptr(GArray) results = results_new();
  flush_ok(ingest, results);
  g_assert_cmpuint(muster_ingest_pending(ingest), ==, 0);
  g_assert_cmpuint(results->len, ==, 9);

  const MusterOutcome want[] = {
      MUSTER_OUTCOME_NOT_GENUINE,    MUSTER_OUTCOME_ACCEPTED,        MUSTER_OUTCOME_DUPLICATE,
      MUSTER_OUTCOME_WRONG_LOCATION, MUSTER_OUTCOME_STATUS_CONFLICT, MUSTER_OUTCOME_UNKNOWN,
      MUSTER_OUTCOME_AMBIGUOUS,      MUSTER_OUTCOME_UNREADABLE,      MUSTER_OUTCOME_ACCEPTED,
  };
  for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
    MusterIngestResult *r = result_at(results, i);
    g_assert_cmpstr(muster_outcome_to_string(r->outcome), ==, muster_outcome_to_string(want[i]));
    /* the stored row says the same */
    g_autofree char *stored =
        test_sql_text_arg(&f->db, "SELECT outcome FROM scan WHERE id = ?", r->scan_id);
    g_assert_cmpstr(stored, ==, muster_outcome_to_string(want[i]));
    g_assert_cmpstr(r->location_path, ==, "R1/A");
  }
  MusterIngestResult *accepted = result_at(results, 1);
  g_assert_cmpstr(accepted->summary, ==, "Glock G17 9x19 SN GL-1001");
  g_assert_cmpstr(accepted->recorded_location, ==, "R1/A/01");
  g_assert_cmpstr(accepted->item_status, ==, "in_store");
  g_assert_cmpint(accepted->item_id, >, 0);
  g_assert_nonnull(accepted->item_uuid);
  g_assert_cmpint(result_at(results, 2)->item_id, ==, accepted->item_id);
  g_assert_cmpstr(result_at(results, 3)->recorded_location, ==, "R1/B/01");
  g_assert_cmpstr(result_at(results, 4)->item_status, ==, "issued");
  g_assert_cmpint(result_at(results, 6)->item_id, ==, 0); /* ambiguous: no item */
  g_assert_cmpint(result_at(results, 5)->item_id, ==, 0); /* unknown */
  g_assert_cmpint(result_at(results, 0)->item_id, >, 0);  /* not genuine: who it claims */
  g_assert_cmpstr(result_at(results, 6)->marking_value, ==, "SAME-1");
  g_assert_null(result_at(results, 7)->marking_value);

  /* finds: accepted, wrong location, status conflict, and GL-1002; nothing else */
  g_assert_cmpint(
      test_sql_int_arg(&f->db, "SELECT count(*) FROM count_find WHERE count_id = ?", f->count_id),
      ==, 4);
  g_assert_cmpint(muster_ingest_found(ingest), ==, 4);
  g_assert_cmpint(muster_ingest_scans(ingest), ==, 9);
  g_autofree char *conflict_status = test_sql_text_arg(
      &f->db, "SELECT item_status FROM scan WHERE id = ?", result_at(results, 4)->scan_id);
  g_assert_cmpstr(conflict_status, ==, "issued");
  /* the find records where it was found */
  g_autofree char *found_at =
      test_sql_text_arg(&f->db,
                        "SELECT l.path FROM count_find f JOIN location l ON l.id = f.location_id"
                        " WHERE f.scan_id = ?",
                        result_at(results, 3)->scan_id);
  g_assert_cmpstr(found_at, ==, "R1/A");
  /* the not-genuine scan names the item it claims to be, but is not a find */
  g_assert_cmpint(test_sql_int_arg(&f->db, "SELECT count(*) FROM count_find WHERE scan_id = ?",
                                   result_at(results, 0)->scan_id),
                  ==, 0);
  g_assert_cmpint(test_sql_int_arg(&f->db, "SELECT item_id FROM scan WHERE id = ?",
                                   result_at(results, 0)->scan_id),
                  >, 0);
  /* what the reader said is kept: when, which reader, the verdict */
  g_autofree char *read_at =
      test_sql_text_arg(&f->db,
                        "SELECT read_at || ' ' || reader || ' ' || reader_kind || ' ' || "
                        "authenticity FROM scan WHERE id = ?",
                        result_at(results, 0)->scan_id);
  g_assert_cmpstr(read_at, ==, "2026-11-25T20:14:57.123Z pn532 nfc not_genuine");
  /* one audit entry for the batch */
  g_assert_cmpint(test_sql_int_arg(&f->db,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'scan.batch' AND user_name = 'carol'",
                                   1),
                  ==, 1);
  g_autofree char *detail =
      test_sql_text_arg(&f->db, "SELECT detail FROM audit_log WHERE action = 'scan.batch'", 1);
  g_autofree char *want_detail = g_strdup_printf(
      "\"first_scan\":%" G_GINT64_FORMAT ",\"last_scan\":%" G_GINT64_FORMAT ",\"scans\":9",
      result_at(results, 0)->scan_id, result_at(results, 8)->scan_id);
  g_assert_nonnull(strstr(detail, want_detail));
  assert_audit_ok(f->db.store);
}

/* A record whose status says the weapon is not in the armoury (issued, in transit,
 * lost, stolen, destroyed) makes finding it a status conflict; in store, in repair and
 * seized are plain finds. */
static void
test_status_conflict_for_every_absent_status(Fixture *f, gconstpointer data)
{
  static const struct {
    const char *status;
    MusterOutcome want;
  } cases[] = {
      {"in_store", MUSTER_OUTCOME_ACCEPTED},         {"issued", MUSTER_OUTCOME_STATUS_CONFLICT},
      {"in_repair", MUSTER_OUTCOME_ACCEPTED},        {"in_transit", MUSTER_OUTCOME_STATUS_CONFLICT},
      {"lost", MUSTER_OUTCOME_STATUS_CONFLICT},      {"stolen", MUSTER_OUTCOME_STATUS_CONFLICT},
      {"destroyed", MUSTER_OUTCOME_STATUS_CONFLICT}, {"seized", MUSTER_OUTCOME_ACCEPTED},
  };
  g_autoptr(GString) csv =
      g_string_new("manufacturer,country_of_manufacture,serial,model,category,status,location\n");
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    g_string_append_printf(csv, "Glock,AT,ST-%u,G17,pistol,%s,R1/C/01\n", i, cases[i].status);
  g_assert_cmpint(test_db_import_csv(&f->db, csv->str, -1).imported, ==, G_N_ELEMENTS(cases));
  g_autoptr(MusterIngest) ingest = ingest_at(f, "R1/C");
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *line = g_strdup_printf("ST-%u", i);
    add_line(ingest, line);
  }
  g_autoptr(GArray) results = results_new();
  flush_ok(ingest, results);
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_test_message("%s", cases[i].status);
    g_assert_cmpstr(muster_outcome_to_string(result_at(results, i)->outcome), ==,
                    muster_outcome_to_string(cases[i].want));
    g_assert_cmpstr(result_at(results, i)->item_status, ==, cases[i].status);
  }
}

/* Without a location set, the scan location is the count's scope. */
static void
test_scope_location(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) ingest = ingest_at(f, NULL);
  add_line(ingest, "GL-1003"); /* R1/B/01: inside R1 */
  add_line(ingest, "HK-2001"); /* R2: outside */
  g_autoptr(GArray) results = results_new();
  flush_ok(ingest, results);
  g_assert_cmpint(result_at(results, 0)->outcome, ==, MUSTER_OUTCOME_ACCEPTED);
  g_assert_cmpint(result_at(results, 1)->outcome, ==, MUSTER_OUTCOME_WRONG_LOCATION);
  g_assert_null(result_at(results, 0)->location_path);
  /* a one-location scope is where the scan was taken */
  g_autofree char *where =
      test_sql_text_arg(&f->db,
                        "SELECT l.path FROM scan s JOIN location l ON l.id = s.location_id"
                        " WHERE s.id = ?",
                        result_at(results, 0)->scan_id);
  g_assert_cmpstr(where, ==, "R1");

  /* "@R1/B" then a JSON scan moving to R1/A: each applies from there on */
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_ingest_set_location(ingest, "R1/B", &error));
  g_assert_no_error(error);
  add_line(ingest, "GL-1001");                                          /* R1/A/01 at R1/B */
  add_line(ingest, "{\"value\": \"GL-1002\", \"location\": \"R1/A\"}"); /* at R1/A */
  add_line(ingest, "{\"value\": \"NOPE-5\", \"location\": \"R9\"}");    /* unknown place */
  g_array_set_size(results, 0);
  flush_ok(ingest, results);
  g_assert_cmpint(result_at(results, 0)->outcome, ==, MUSTER_OUTCOME_WRONG_LOCATION);
  g_assert_cmpstr(result_at(results, 0)->location_path, ==, "R1/B");
  g_assert_cmpint(result_at(results, 1)->outcome, ==, MUSTER_OUTCOME_ACCEPTED);
  g_assert_cmpstr(result_at(results, 1)->location_path, ==, "R1/A");
  /* a place that does not exist is not applied: the scan is taken where the counter was */
  g_assert_cmpint(result_at(results, 2)->outcome, ==, MUSTER_OUTCOME_UNKNOWN);
  g_assert_cmpstr(result_at(results, 2)->location_path, ==, "R1/A");
}

static void
test_set_location_refusals(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) ingest = ingest_at(f, NULL);
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_ingest_set_location(ingest, "R7/Z", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(error->message, "R7/Z"));
  g_clear_error(&error);
  g_assert_false(muster_ingest_set_location(ingest, "R2/A", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "R2/A is outside count"));
  g_clear_error(&error);
  /* "" goes back to the scope */
  g_assert_true(muster_ingest_set_location(ingest, "R1/A", &error));
  g_assert_true(muster_ingest_set_location(ingest, "", &error));
  g_assert_no_error(error);
  add_line(ingest, "GL-1003");
  g_autoptr(GArray) results = results_new();
  flush_ok(ingest, results);
  g_assert_cmpint(result_at(results, 0)->outcome, ==, MUSTER_OUTCOME_ACCEPTED);
}

/* Many reads of one item, across batches: one find. */
static void
test_duplicates_counted_once(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) ingest = ingest_at(f, "R1/A");
  g_autoptr(GArray) results = results_new();
  for (int batch = 0; batch < 3; batch++) {
    for (int i = 0; i < 20; i++)
      add_line(ingest, i % 2 ? "04A1B2C3D4E5F6" : "GL-1001");
    add_line(ingest, "GL-1004"); /* first read a status conflict, later duplicates */
    flush_ok(ingest, results);
  }
  g_assert_cmpuint(results->len, ==, 63);
  guint accepted = 0, duplicate = 0, conflict = 0;
  for (guint i = 0; i < results->len; i++) {
    MusterOutcome o = result_at(results, i)->outcome;
    accepted += o == MUSTER_OUTCOME_ACCEPTED;
    duplicate += o == MUSTER_OUTCOME_DUPLICATE;
    conflict += o == MUSTER_OUTCOME_STATUS_CONFLICT;
  }
  g_assert_cmpuint(accepted, ==, 1);
  g_assert_cmpuint(conflict, ==, 1);
  g_assert_cmpuint(duplicate, ==, 61);
  g_assert_cmpint(muster_ingest_found(ingest), ==, 2);
  g_assert_cmpint(
      test_sql_int_arg(&f->db, "SELECT count(*) FROM count_find WHERE count_id = ?", f->count_id),
      ==, 2);
  g_assert_cmpint(
      test_sql_int_arg(&f->db, "SELECT count(*) FROM scan WHERE count_id = ?", f->count_id), ==,
      63);
  g_assert_cmpint(test_sql_int_arg(&f->db,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'scan.batch'",
                                   1),
                  ==, 3);
}

/* A feed restarted (new process, new ingest) goes on deduping from the database. */
static void
test_restart_continues(Fixture *f, gconstpointer data)
{
  {
    g_autoptr(MusterIngest) first = ingest_at(f, "R1/A");
    add_line(first, "GL-1001");
    add_line(first, "GL-1002");
    add_line(first, "NOPE-1");
    flush_ok(first, NULL);
  }
  /* reopen the database as a restarted program would */
  muster_store_free(f->db.store);
  g_autoptr(GError) error = NULL;
  f->db.store = muster_store_open(f->db.path, &error);
  g_assert_no_error(error);

  g_autoptr(MusterIngest) again = ingest_at(f, "R1/A");
  g_assert_cmpint(muster_ingest_found(again), ==, 2);
  g_assert_cmpint(muster_ingest_scans(again), ==, 3);
  add_line(again, "gl-1002");
  add_line(again, "04:A1:B2:C3:D4:E5:F6");
  add_line(again, "GL-1003");
  g_autoptr(GArray) results = results_new();
  flush_ok(again, results);
  g_assert_cmpint(result_at(results, 0)->outcome, ==, MUSTER_OUTCOME_DUPLICATE);
  g_assert_cmpint(result_at(results, 1)->outcome, ==, MUSTER_OUTCOME_DUPLICATE);
  g_assert_cmpint(result_at(results, 2)->outcome, ==, MUSTER_OUTCOME_WRONG_LOCATION);
  g_assert_cmpint(muster_ingest_found(again), ==, 3);
  g_assert_cmpint(muster_ingest_scans(again), ==, 6);
  g_assert_cmpint(
      test_sql_int_arg(&f->db, "SELECT count(*) FROM count_find WHERE count_id = ?", f->count_id),
      ==, 3);
  assert_audit_ok(f->db.store);
}

/* Garbage is stored as it came, unreadable, and never stops the feed. */
static void
test_garbage_kept(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) ingest = ingest_at(f, NULL);
  const char nul[] = "GL\0-1001";
  const char bad[] = "\xc3\x28GL";
  /* an ISO/IEC 15434 envelope with no data element in it: nothing to match */
  const char uii[] = "[)>\x1e"
                     "06\x1d"
                     "\x1e\x04";
  gsize huge_len = 9000;
  g_autofree char *huge = g_malloc(huge_len);
  memset(huge, 'Z', huge_len);
  add_bytes(ingest, nul, sizeof nul - 1);
  add_bytes(ingest, bad, sizeof bad - 1);
  add_bytes(ingest, uii, sizeof uii - 1);
  add_bytes(ingest, huge, huge_len);
  add_line(ingest, "{\"value\": ");
  add_line(ingest, "GL-1001"); /* and the feed goes on */
  g_autoptr(GArray) results = results_new();
  flush_ok(ingest, results);
  g_assert_cmpuint(results->len, ==, 6);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint(result_at(results, i)->outcome, ==, MUSTER_OUTCOME_UNREADABLE);
  g_assert_cmpint(result_at(results, 5)->outcome, ==, MUSTER_OUTCOME_ACCEPTED);

  struct {
    const char *data;
    gsize len;
  } want[] = {{nul, sizeof nul - 1}, {bad, sizeof bad - 1}, {uii, sizeof uii - 1}, {huge, 4096}};
  sqlite3_stmt *stmt = NULL;
  sqlite3_prepare_v2(muster_store_db(f->db.store),
                     "SELECT raw, text, marking_value FROM scan WHERE id = ?", -1, &stmt, NULL);
  for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
    sqlite3_bind_int64(stmt, 1, result_at(results, i)->scan_id);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    g_assert_cmpmem(sqlite3_column_blob(stmt, 0), sqlite3_column_bytes(stmt, 0), want[i].data,
                    want[i].len);
    g_assert_cmpint(sqlite3_column_type(stmt, 2), ==, SQLITE_NULL);
    if (i == 2) /* 15434 data keeps its GS/RS/EOT in text */
      g_assert_cmpstr((const char *)sqlite3_column_text(stmt, 1), ==, uii);
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) c = muster_counts_get_by_id(f->db.store, f->count_id, &error);
  g_assert_no_error(error);
  g_assert_cmpint(c->unreadable, ==, 5);
  g_assert_cmpint(c->scans, ==, 6);
  assert_audit_ok(f->db.store);
}

/* Another program holds the write lock: the flush fails, keeps its queue, and later
 * stores every scan exactly once. */
static void
test_flush_busy(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) ingest = ingest_at(f, "R1/A");
  add_line(ingest, "GL-1001");
  flush_ok(ingest, NULL);

  sqlite3 *other = NULL;
  g_assert_cmpint(sqlite3_open(f->db.path, &other), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  muster_store_set_busy_timeout(f->db.store, 50);

  add_line(ingest, "GL-1001");
  add_line(ingest, "GL-1002");
  add_line(ingest, "GL-1003");
  add_line(ingest, "NOPE-2");
  g_autoptr(GArray) results = results_new();
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_ingest_flush(ingest, results, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_BUSY);
  g_assert_nonnull(strstr(error->message, "kept for a retry"));
  g_clear_error(&error);
  g_assert_cmpuint(results->len, ==, 0);
  g_assert_cmpuint(muster_ingest_pending(ingest), ==, 4);
  g_assert_cmpint(muster_ingest_scans(ingest), ==, 1);
  g_assert_cmpint(muster_ingest_found(ingest), ==, 1);

  /* a second attempt while still locked fails the same way */
  g_assert_false(muster_ingest_flush(ingest, results, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_BUSY);
  g_clear_error(&error);

  g_assert_cmpint(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close(other);
  flush_ok(ingest, results);
  g_assert_cmpuint(results->len, ==, 4);
  g_assert_cmpint(result_at(results, 0)->outcome, ==, MUSTER_OUTCOME_DUPLICATE);
  g_assert_cmpint(result_at(results, 1)->outcome, ==, MUSTER_OUTCOME_ACCEPTED);
  g_assert_cmpint(result_at(results, 2)->outcome, ==, MUSTER_OUTCOME_WRONG_LOCATION);
  g_assert_cmpint(result_at(results, 3)->outcome, ==, MUSTER_OUTCOME_UNKNOWN);
  g_assert_cmpint(
      test_sql_int_arg(&f->db, "SELECT count(*) FROM scan WHERE count_id = ?", f->count_id), ==, 5);
  g_assert_cmpint(
      test_sql_int_arg(&f->db, "SELECT count(*) FROM count_find WHERE count_id = ?", f->count_id),
      ==, 3);
  g_assert_cmpint(muster_ingest_scans(ingest), ==, 5);
  g_assert_cmpint(muster_ingest_found(ingest), ==, 3);
  assert_audit_ok(f->db.store);
}

/* A failure half-way through a batch (here a trigger standing in for a full disk) rolls
 * back the finds already made in memory too: the retry does not call them duplicates. */
static void
test_flush_fails_midway(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) ingest = ingest_at(f, "R1/A");
  sqlite3 *db = muster_store_db(f->db.store);
  g_assert_cmpint(sqlite3_exec(db,
                               "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.scan "
                               "WHEN NEW.marking_value = 'NOPE-3' BEGIN "
                               "SELECT RAISE(ABORT, 'simulated failure'); END",
                               NULL, NULL, NULL),
                  ==, SQLITE_OK);
  add_line(ingest, "GL-1001");
  add_line(ingest, "GL-1002");
  add_line(ingest, "NOPE-3");
  g_autoptr(GArray) results = results_new();
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_ingest_flush(ingest, results, &error));
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "simulated failure"));
  g_assert_cmpuint(results->len, ==, 0);
  g_assert_cmpuint(muster_ingest_pending(ingest), ==, 3);
  g_assert_cmpint(muster_ingest_found(ingest), ==, 0);
  g_assert_cmpint(
      test_sql_int_arg(&f->db, "SELECT count(*) FROM scan WHERE count_id = ?", f->count_id), ==, 0);
  g_assert_cmpint(test_sql_int_arg(&f->db,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'scan.batch'",
                                   1),
                  ==, 0);

  g_assert_cmpint(sqlite3_exec(db, "DROP TRIGGER temp.boom", NULL, NULL, NULL), ==, SQLITE_OK);
  flush_ok(ingest, results);
  g_assert_cmpint(result_at(results, 0)->outcome, ==, MUSTER_OUTCOME_ACCEPTED);
  g_assert_cmpint(result_at(results, 1)->outcome, ==, MUSTER_OUTCOME_ACCEPTED);
  g_assert_cmpint(result_at(results, 2)->outcome, ==, MUSTER_OUTCOME_UNKNOWN);
  g_assert_cmpint(muster_ingest_found(ingest), ==, 2);
  assert_audit_ok(f->db.store);
}

static void
test_closed_count_refuses(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterIngest) ingest = ingest_at(f, NULL);
  add_line(ingest, "GL-1001");
  /* closed by someone else while scans wait */
  g_assert_true(muster_counts_close(f->db.store, f->counter, f->count_id, &error));
  g_assert_no_error(error);
  g_assert_false(muster_ingest_flush(ingest, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE);
  g_assert_nonnull(strstr(error->message, "closed"));
  g_clear_error(&error);
  g_assert_cmpuint(muster_ingest_pending(ingest), ==, 1);
  g_assert_cmpint(
      test_sql_int_arg(&f->db, "SELECT count(*) FROM scan WHERE count_id = ?", f->count_id), ==, 0);

  g_autoptr(MusterIngest) late = muster_ingest_new(f->db.store, f->counter, f->count_id, &error);
  g_assert_null(late);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE);
  g_assert_nonnull(strstr(error->message, "is closed"));
  g_clear_error(&error);

  g_autoptr(MusterIngest) none = muster_ingest_new(f->db.store, f->counter, 999, &error);
  g_assert_null(none);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
}

static void
test_roles(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) eve = test_db_add_user(&f->db, "eve", MUSTER_ROLE_STAFF);
  g_autoptr(MusterIngest) refused = muster_ingest_new(f->db.store, eve, f->count_id, &error);
  g_assert_null(refused);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_assert_nonnull(strstr(error->message, "eve"));
  g_clear_error(&error);
  /* the witness (the admin here) may feed scans */
  g_autoptr(MusterIngest) witness =
      muster_ingest_new(f->db.store, f->db.admin, f->count_id, &error);
  g_assert_no_error(error);
  g_assert_nonnull(witness);
  /* and so may a witness who is staff: for taking part, not for a supervisor's role */
  gint64 r2 = test_db_start_count(&f->db, "R2");
  g_autoptr(MusterUser) will = muster_users_authenticate(f->db.store, "will", "1234", &error);
  g_assert_no_error(error);
  g_autoptr(MusterIngest) staff_witness = muster_ingest_new(f->db.store, will, r2, &error);
  g_assert_no_error(error);
  g_assert_nonnull(staff_witness);
}

static void
test_due(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) ingest = ingest_at(f, NULL);
  g_assert_false(muster_ingest_due(ingest, 0));
  add_line(ingest, "GL-1001");
  g_assert_false(muster_ingest_due(ingest, G_USEC_PER_SEC * 60));
  g_assert_true(muster_ingest_due(ingest, 0));
  flush_ok(ingest, NULL);
  g_assert_false(muster_ingest_due(ingest, 0));
  /* an empty flush is fine and stores nothing */
  flush_ok(ingest, NULL);
  g_assert_cmpint(test_sql_int_arg(&f->db,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'scan.batch'",
                                   1),
                  ==, 1);
}

static void
test_outcome_strings(void)
{
  const char *names[] = {"accepted",        "duplicate",   "unknown",    "wrong_location",
                         "status_conflict", "not_genuine", "unreadable", "ambiguous"};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++)
    g_assert_cmpstr(muster_outcome_to_string((MusterOutcome)i), ==, names[i]);
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  ADD("/ingest/every-outcome", test_every_outcome);
  ADD("/ingest/scope-location", test_scope_location);
  ADD("/ingest/status-conflict-for-every-absent-status",
      test_status_conflict_for_every_absent_status);
  ADD("/ingest/set-location-refusals", test_set_location_refusals);
  ADD("/ingest/duplicates-counted-once", test_duplicates_counted_once);
  ADD("/ingest/restart-continues", test_restart_continues);
  ADD("/ingest/garbage-kept", test_garbage_kept);
  ADD("/ingest/flush-busy", test_flush_busy);
  ADD("/ingest/flush-fails-midway", test_flush_fails_midway);
  ADD("/ingest/closed-count-refuses", test_closed_count_refuses);
  ADD("/ingest/roles", test_roles);
  ADD("/ingest/due", test_due);
  g_test_add_func("/ingest/outcome-strings", test_outcome_strings);
  return g_test_run();
}
