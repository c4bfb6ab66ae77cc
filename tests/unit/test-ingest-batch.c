/*
 * test-ingest-batch.c: large flushes, the lookup thread, and when a flush is due.
 *
 * A flush looks its markings up on a second thread and connection, chunk by chunk,
 * stores its scans several to a statement with ids it gives them, and muster_ingest_due()
 * plans each flush to end within the bound. These cases check that a batch spanning many
 * chunks is decided and stored exactly as scan-by-scan rules say (duplicates within the
 * batch, ambiguous values, status conflicts, wrong locations, unknown markings at chunk
 * edges), that the lookups see what other programs committed before the flush, and
 * that the due time follows the queue.
 *
 * Register (count scope R1): GL-0001..GL-0600 in store at R1/A/01 (GL-0300 at R2/A/01,
 * outside the scope; GL-0400 issued), and SAME-1 on two items.
 */
#include "db/audit.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "scan/scan.h"
#include "test-util.h"

#include <string.h>

#define N_ITEMS 600

typedef struct {
  TestDb db;
  gint64 count_id;
} Fixture;

static void
import_csv(MusterStore *store, const MusterUser *admin, const char *csv, gint64 expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  MusterImportResult result = {0};
  gboolean ok = muster_items_import_csv(store, admin, csv, strlen(csv), &result, &errors, &error);
  g_assert_no_error(error);
  g_assert_true(ok);
  g_assert_cmpint(result.imported, ==, expect);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  test_db_setup(&f->db, data);
  g_autoptr(GString) csv = g_string_new("manufacturer,country_of_manufacture,serial,model,"
                                        "category,calibre,status,location,markings\n");
  for (int i = 1; i <= N_ITEMS; i++)
    g_string_append_printf(csv, "Glock,AT,GL-%04d,G17,pistol,9x19,%s,%s,\n", i,
                           i == 400 ? "issued" : "in_store",
                           i == 400   ? ""
                           : i == 300 ? "R2/A/01"
                                      : "R1/A/01");
  g_string_append(csv, "Walther,DE,SAME-1,P99,pistol,9x19,in_store,R1/A/04,\n"
                       "Beretta,IT,SAME-1,92FS,pistol,9x19,in_store,R1/A/05,\n");
  import_csv(f->db.store, f->db.admin, csv->str, N_ITEMS + 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) witness = test_db_add_user(&f->db, "will", MUSTER_ROLE_STAFF);
  const char *scope[] = {"R1", NULL};
  g_autoptr(MusterCount) c =
      muster_counts_start(f->db.store, f->db.admin, witness, scope, FALSE, &error);
  g_assert_no_error(error);
  f->count_id = c->id;
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  test_db_teardown(&f->db, data);
}

static MusterIngest *
ingest_new(Fixture *f)
{
  g_autoptr(GError) error = NULL;
  MusterIngest *ingest = muster_ingest_new(f->db.store, f->db.admin, f->count_id, &error);
  g_assert_no_error(error);
  g_assert_nonnull(ingest);
  return ingest;
}

static void
add_line(MusterIngest *ingest, const char *line)
{
  char *loc = NULL;
  g_autoptr(MusterScan) scan = muster_scan_parse_line(line, strlen(line), "test", &loc, NULL);
  g_assert_null(loc);
  g_assert_nonnull(scan);
  muster_ingest_add(ingest, scan);
}

static GArray *
flush_ok(MusterIngest *ingest)
{
  g_autoptr(GError) error = NULL;
  GArray *results = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(results, (GDestroyNotify)muster_ingest_result_clear);
  g_assert_true(muster_ingest_flush(ingest, results, &error));
  g_assert_no_error(error);
  return results;
}

/* Scan number k (from 0) of the big batch, and what it must come out as given the
 * items found before it (found[], updated). */
static MusterOutcome
big_batch_line(guint k, char *line, gsize size, gboolean found[N_ITEMS + 1])
{
  if (k % 50 == 49) { /* unknown markings, some right at chunk edges */
    g_snprintf(line, size, "XX-%04u", k);
    return MUSTER_OUTCOME_UNKNOWN;
  }
  if (k == 255 || k == 256 || k == 511) { /* the ambiguous value across chunk edges */
    g_snprintf(line, size, "SAME-1");
    return MUSTER_OUTCOME_AMBIGUOUS;
  }
  if (k == 600) {
    g_snprintf(line, size, "{\"value\":\"\\u0001\"}");
    return MUSTER_OUTCOME_UNREADABLE;
  }
  /* mostly the walk, item after item; now and then a repeat of a recent one; from 600
   * on the walk starts again */
  guint item = k % 97 == 96 ? k - 90 + 1 : k % N_ITEMS + 1;
  g_snprintf(line, size, "GL-%04u", item);
  if (found[item])
    return MUSTER_OUTCOME_DUPLICATE;
  found[item] = TRUE;
  return item == 300   ? MUSTER_OUTCOME_WRONG_LOCATION
         : item == 400 ? MUSTER_OUTCOME_STATUS_CONFLICT
                       : MUSTER_OUTCOME_ACCEPTED;
}

/* 700 scans in one flush: several lookup and store chunks, many INSERT statements. */
static void
test_big_batch(Fixture *f, gconstpointer data)
{
  const guint n = 700;
  g_autoptr(MusterIngest) ingest = ingest_new(f);
  g_autofree MusterOutcome *expect = g_new(MusterOutcome, n);
  g_autofree gboolean *found = g_new0(gboolean, N_ITEMS + 1);
  gint64 expect_finds = 0, expect_duplicates = 0;
  for (guint k = 0; k < n; k++) {
    char line[64];
    expect[k] = big_batch_line(k, line, sizeof line, found);
    expect_finds += expect[k] == MUSTER_OUTCOME_ACCEPTED ||
                    expect[k] == MUSTER_OUTCOME_WRONG_LOCATION ||
                    expect[k] == MUSTER_OUTCOME_STATUS_CONFLICT;
    expect_duplicates += expect[k] == MUSTER_OUTCOME_DUPLICATE;
    add_line(ingest, line);
  }
  /* the batch has every kind of outcome, and many of each where it matters */
  g_assert_cmpint(expect_duplicates, >, 100);
  g_assert_cmpint(expect_finds, >, 500);
  g_assert_cmpuint(muster_ingest_pending(ingest), ==, n);
  g_autoptr(GArray) results = flush_ok(ingest);
  g_assert_cmpuint(results->len, ==, n);
  gint64 first = g_array_index(results, MusterIngestResult, 0).scan_id;
  gint64 finds = 0;
  for (guint k = 0; k < n; k++) {
    MusterIngestResult *r = &g_array_index(results, MusterIngestResult, k);
    g_test_message("scan %u: %s", k, muster_outcome_to_string(r->outcome));
    g_assert_cmpint(r->outcome, ==, expect[k]);
    g_assert_cmpint(r->scan_id, ==, first + k);
    finds += r->outcome == MUSTER_OUTCOME_ACCEPTED || r->outcome == MUSTER_OUTCOME_WRONG_LOCATION ||
             r->outcome == MUSTER_OUTCOME_STATUS_CONFLICT;
    /* what the file says about the same scan */
    g_autofree char *sql =
        g_strdup_printf("SELECT outcome FROM scan WHERE id = %" G_GINT64_FORMAT, r->scan_id);
    g_autofree char *stored = test_sql_text(&f->db, sql);
    g_assert_cmpstr(stored, ==, muster_outcome_to_string(expect[k]));
  }
  g_assert_cmpint(finds, ==, expect_finds);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM count_find"), ==, finds);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM scan"), ==, n);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT max(id) - min(id) + 1 FROM scan"), ==, n);
  /* the find of each item is its first scan */
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM count_find cf JOIN scan s ON "
                                       "s.id = cf.scan_id WHERE s.item_id <> cf.item_id OR "
                                       "s.outcome = 'duplicate'"),
                  ==, 0);
  g_assert_cmpint(muster_ingest_found(ingest), ==, finds);
  g_assert_cmpint(muster_ingest_scans(ingest), ==, n);
  /* results carry the item as the file has it */
  MusterIngestResult *gl5 = &g_array_index(results, MusterIngestResult, 4);
  g_assert_cmpstr(gl5->summary, ==, "Glock G17 9x19 SN GL-0005");
  g_assert_cmpstr(gl5->recorded_location, ==, "R1/A/01");
  g_assert_cmpstr(gl5->item_status, ==, "in_store");
  g_assert_cmpstr(gl5->marking_value, ==, "GL-0005");
  g_autofree char *uuid = test_sql_text(&f->db, "SELECT uuid FROM item WHERE serial = 'GL-0005'");
  g_assert_cmpstr(gl5->item_uuid, ==, uuid);
  MusterIngestResult *unknown = &g_array_index(results, MusterIngestResult, 49);
  g_assert_null(unknown->item_uuid);
  g_assert_cmpstr(unknown->summary, ==, "XX-0049");
  MusterIngestResult *same = &g_array_index(results, MusterIngestResult, 256);
  g_assert_cmpint(same->item_id, ==, 0);
  g_assert_null(same->item_status);
  /* everything stored is sealed */
  MusterAuditReport report = {0};
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_audit_verify(f->db.store, &report, &error));
  g_assert_no_error(error);
  g_assert_cmpint(report.rows_covered, >=, n);
  muster_audit_report_clear(&report);
}

/* The lookups run on their own connection: they must still see what another program
 * committed after the scan was queued and before the flush. */
static void
test_sees_other_programs(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) ingest = ingest_new(f);
  add_line(ingest, "NEW-1");
  add_line(ingest, "GL-0001");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MusterStore) other = muster_store_open(f->db.path, &error);
    g_assert_no_error(error);
    g_autoptr(MusterUser) admin = muster_users_get(other, "admin", &error);
    g_assert_no_error(error);
    import_csv(other, admin,
               "manufacturer,country_of_manufacture,serial,model,category,calibre,status,"
               "location,markings\nSIG Sauer,CH,NEW-1,P226,pistol,9x19,in_store,R1/A/02,\n",
               1);
  }
  g_autoptr(GArray) results = flush_ok(ingest);
  g_assert_cmpuint(results->len, ==, 2);
  MusterIngestResult *r = &g_array_index(results, MusterIngestResult, 0);
  g_assert_cmpint(r->outcome, ==, MUSTER_OUTCOME_ACCEPTED);
  g_assert_cmpstr(r->summary, ==, "SIG Sauer P226 9x19 SN NEW-1");
  g_assert_cmpstr(r->recorded_location, ==, "R1/A/02");
  /* and the next flush of the same ingest sees the same item as already found */
  add_line(ingest, "NEW-1");
  g_autoptr(GArray) again = flush_ok(ingest);
  g_assert_cmpint(g_array_index(again, MusterIngestResult, 0).outcome, ==,
                  MUSTER_OUTCOME_DUPLICATE);
}

/* Two feeds into one count, each its own program (the kiosk and a `count scan`): a
 * weapon one of them found, in its place or in the wrong one, is a duplicate when the
 * other reads it, although the other started before that find. */
static void
test_finds_of_another_feed_are_duplicates(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) mine = ingest_new(f);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) other_store = muster_store_open(f->db.path, &error);
  g_assert_no_error(error);
  g_autoptr(MusterUser) admin = muster_users_get(other_store, "admin", &error);
  g_assert_no_error(error);
  g_autoptr(MusterIngest) other = muster_ingest_new(other_store, admin, f->count_id, &error);
  g_assert_no_error(error);
  add_line(other, "GL-0001"); /* in its place */
  add_line(other, "GL-0300"); /* recorded at R2/A/01, outside the count: the wrong place */
  g_autoptr(GArray) theirs = flush_ok(other);
  g_assert_cmpint(g_array_index(theirs, MusterIngestResult, 0).outcome, ==,
                  MUSTER_OUTCOME_ACCEPTED);
  g_assert_cmpint(g_array_index(theirs, MusterIngestResult, 1).outcome, ==,
                  MUSTER_OUTCOME_WRONG_LOCATION);

  add_line(mine, "GL-0001");
  add_line(mine, "GL-0300");
  add_line(mine, "GL-0002");
  g_autoptr(GArray) ours = flush_ok(mine);
  g_assert_cmpint(g_array_index(ours, MusterIngestResult, 0).outcome, ==,
                  MUSTER_OUTCOME_DUPLICATE);
  g_assert_cmpint(g_array_index(ours, MusterIngestResult, 1).outcome, ==,
                  MUSTER_OUTCOME_DUPLICATE);
  g_assert_cmpint(g_array_index(ours, MusterIngestResult, 2).outcome, ==,
                  MUSTER_OUTCOME_ACCEPTED);
  g_assert_cmpint(muster_ingest_found(mine), ==, 3);
  g_assert_cmpint(muster_ingest_scans(mine), ==, 5);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM count_find"), ==, 3);
}

/* A failed flush keeps its queue and stores nothing; the retry decides the same. */
static void
test_failed_flush_retried(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterIngest) ingest = ingest_new(f);
  for (guint k = 0; k < 300; k++) {
    char line[32];
    g_snprintf(line, sizeof line, "GL-%04u", k % 280 + 1);
    add_line(ingest, line);
  }
  /* another program holds the write lock: the flush fails as busy */
  sqlite3 *other = NULL;
  g_assert_cmpint(sqlite3_open(f->db.path, &other), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  muster_store_set_busy_timeout(f->db.store, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) none = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_assert_false(muster_ingest_flush(ingest, none, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_BUSY);
  g_assert_cmpuint(none->len, ==, 0);
  g_assert_cmpuint(muster_ingest_pending(ingest), ==, 300);
  sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(other);
  g_autoptr(GArray) results = flush_ok(ingest);
  g_assert_cmpuint(results->len, ==, 300);
  g_assert_cmpint(g_array_index(results, MusterIngestResult, 0).outcome, ==,
                  MUSTER_OUTCOME_ACCEPTED);
  g_assert_cmpint(g_array_index(results, MusterIngestResult, 280).outcome, ==,
                  MUSTER_OUTCOME_DUPLICATE);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM count_find"), ==, 280);
}

/* muster_ingest_due() starts a flush early enough for it to end within the bound. */
static void
test_due_plans_for_the_flush(Fixture *f, gconstpointer data)
{
  const gint64 bound = (gint64)10 * G_USEC_PER_SEC;
  g_autoptr(MusterIngest) ingest = ingest_new(f);
  g_assert_cmpint(muster_ingest_due_in(ingest, bound), ==, -1);
  g_assert_false(muster_ingest_due(ingest, 0));
  add_line(ingest, "GL-0001");
  /* half the bound is planned, less what the flush is expected to take */
  gint64 in = muster_ingest_due_in(ingest, bound);
  g_assert_cmpint(in, >, 0);
  g_assert_cmpint(in, <, bound / 2);
  g_assert_false(muster_ingest_due(ingest, bound));
  g_assert_true(muster_ingest_due(ingest, 0));
  g_autoptr(GArray) first = flush_ok(ingest);
  g_assert_cmpuint(first->len, ==, 1);
  /* the more is queued, the longer the flush, the sooner it must start */
  add_line(ingest, "GL-0002");
  gint64 one = muster_ingest_due_in(ingest, bound);
  for (int i = 3; i < 1000; i++) {
    char line[32];
    g_snprintf(line, sizeof line, "GL-%04d", i % N_ITEMS + 1);
    add_line(ingest, line);
  }
  gint64 many = muster_ingest_due_in(ingest, bound);
  g_assert_cmpint(many, <, one);
  g_autoptr(GArray) second = flush_ok(ingest);
  g_assert_cmpuint(second->len, ==, 998);
  /* a full queue is due whatever the bound */
  for (int i = 0; i < 4096; i++)
    add_line(ingest, "GL-0001");
  g_assert_true(muster_ingest_due(ingest, (gint64)G_USEC_PER_SEC * 3600));
  g_assert_cmpint(muster_ingest_due_in(ingest, (gint64)G_USEC_PER_SEC * 3600), ==, 0);
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  ADD("/ingest-batch/big-batch", test_big_batch);
  ADD("/ingest-batch/sees-other-programs", test_sees_other_programs);
  ADD("/ingest-batch/finds-of-another-feed-are-duplicates",
      test_finds_of_another_feed_are_duplicates);
  ADD("/ingest-batch/failed-flush-retried", test_failed_flush_retried);
  ADD("/ingest-batch/due-plans-for-the-flush", test_due_plans_for_the_flush);
  return g_test_run();
}
