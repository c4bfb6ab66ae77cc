/*
 * test-history.c: the tracing answer.
 *
 * One weapon lives a full life through the real engine: imported, moved, issued,
 * returned, found by one count, moved again, missed by the next count, and the miss
 * resolved. Its trace
 * must tell all of it in time order, with who did what and where; a second weapon
 * sharing its serial must come back too, and a scanned marking that matches no record
 * must still be found among the unknown scans.
 */
#include <string.h>

#include "db/audit.h"
#include "db/counts.h"
#include "db/history.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/reconcile.h"
#include "scan/scan.h"
#include "test-util.h"

/* Each step of the story lands in a later millisecond than the one before. */
static void
tick(void)
{
  g_usleep(3000);
}

static MusterCount *
count_once(TestDb *t, MusterUser *counter, MusterUser *witness, const char *const *scans)
{
  g_autoptr(GError) error = NULL;
  const char *scope[] = {"R1/A", NULL};
  g_autoptr(MusterCount) count =
      muster_counts_start(t->store, counter, witness, scope, FALSE, &error);
  g_assert_no_error(error);
  g_autoptr(MusterIngest) ingest = muster_ingest_new(t->store, counter, count->id, &error);
  g_assert_no_error(error);
  g_assert_true(muster_ingest_set_location(ingest, "R1/A", &error));
  for (const char *const *l = scans; *l != NULL; l++) {
    g_autofree char *location = NULL;
    g_autoptr(MusterScan) scan = muster_scan_parse_line(*l, strlen(*l), "test", &location, &error);
    g_assert_nonnull(scan);
    muster_ingest_add(ingest, scan);
  }
  gboolean ok = muster_ingest_flush(ingest, NULL, &error);
  g_assert_no_error(error);
  g_assert_true(ok);
  tick();
  g_assert_true(muster_counts_close(t->store, counter, count->id, &error));
  g_assert_no_error(error);
  tick();
  g_assert_true(muster_reconcile(t->store, counter, count->id, NULL, &error));
  g_assert_no_error(error);
  return muster_counts_get_by_id(t->store, count->id, &error);
}

typedef struct {
  MusterUser *sam; /* staff, counts */
  MusterUser *wes; /* staff, witnesses and confirms */
  MusterCount *found_by;
  MusterCount *missed_by;
} Story;

static void
story_clear(Story *s)
{
  muster_user_free(s->sam);
  muster_user_free(s->wes);
  muster_count_free(s->found_by);
  muster_count_free(s->missed_by);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Story, story_clear)

/* The life of Glock GA-01 (tag 04AA0000000001); a Walther shares its serial. */
static void
live(TestDb *t, Story *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  const char *csv =
      "manufacturer,country_of_manufacture,serial,model,category,calibre,status,location,"
      "markings\n"
      "Glock,AT,GA-01,17,pistol,9x19,in_store,R1/A/01,hf_uid:frame:04AA0000000001\n"
      "Glock,AT,GA-02,17,pistol,9x19,in_store,R1/A/02,\n"
      "Walther,DE,GA-01,P99,pistol,9x19,in_store,R1/B/01,\n";
  MusterImportResult imported = {0};
  g_assert_true(
      muster_items_import_csv(t->store, t->admin, csv, strlen(csv), &imported, &errors, &error));
  g_assert_no_error(error);
  s->sam = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  s->wes = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);
  g_autoptr(MusterItem) item = muster_items_resolve(t->store, "04AA0000000001", &error);
  g_assert_no_error(error);
  tick();
  g_assert_true(
      muster_items_move(t->store, t->admin, item->id, "R1/A/02", "rack rearranged", &error));
  tick();
  g_assert_true(muster_items_set_status(t->store, t->admin, item->id, MUSTER_STATUS_ISSUED,
                                        "2nd Platoon", "exercise", &error));
  tick();
  g_assert_true(muster_items_set_status(t->store, t->admin, item->id, MUSTER_STATUS_IN_STORE, NULL,
                                        "returned", &error));
  g_assert_no_error(error);
  tick();
  const char *first[] = {"04:aa:00:00:00:00:01", "GA-02", "ZZ-404", NULL};
  s->found_by = count_once(t, s->sam, s->wes, first);
  tick();
  g_assert_true(
      muster_items_move(t->store, t->admin, item->id, "R1/A/01", "own slot again", &error));
  g_assert_no_error(error);
  tick();
  const char *second[] = {"GA-02", NULL};
  s->missed_by = count_once(t, s->sam, s->wes, second);
  tick();
  MusterDiscrepancyFilter f = {.kind = "missing", .resolved = -1};
  g_autoptr(GPtrArray) missing = muster_discrepancies_list(t->store, s->missed_by->id, &f, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(missing->len, ==, 1);
  g_autoptr(MusterUser) sue = test_db_add_user(t, "sue", MUSTER_ROLE_SUPERVISOR);
  g_assert_true(muster_discrepancies_resolve(t->store, sue, s->wes,
                                             ((MusterDiscrepancy *)missing->pdata[0])->id, "found",
                                             "in the armourer's workshop", &error));
  g_assert_no_error(error);
}

typedef struct {
  const char *kind;
  const char *summary;
  const char *user;
  const char *location;
} Want;

static void
assert_events(GPtrArray *events, const Want *want, guint n)
{
  for (guint i = 0; i < events->len && i < n; i++) {
    MusterHistoryEvent *e = events->pdata[i];
    g_assert_cmpstr(e->kind, ==, want[i].kind);
    g_assert_cmpstr(e->summary, ==, want[i].summary);
    g_assert_cmpstr(e->user, ==, want[i].user);
    g_assert_cmpstr(e->location_path, ==, want[i].location);
    if (i > 0)
      g_assert_cmpstr(((MusterHistoryEvent *)events->pdata[i - 1])->at, <=, e->at);
  }
  g_assert_cmpuint(events->len, ==, n);
}

static void
test_full_life(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Story) s = {0};
  live(t, &s);
  gint64 audit_before = test_sql_int(t, "SELECT count(*) FROM audit_log");

  /* Any of its markings, in any typing, leads to it. */
  g_autoptr(GPtrArray) traces = muster_history_trace(t->store, "04 aa 00 00 00 00 01", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(traces->len, ==, 1);
  MusterItemHistory *h = traces->pdata[0];
  g_assert_cmpstr(h->item->manufacturer, ==, "Glock");
  g_assert_cmpuint(h->item->markings->len, ==, 2);
  const Want want[] = {
      {"created", "Recorded, in store at R1/A/01: imported from CSV line 2", "admin", "R1/A/01"},
      {"location", "Moved from R1/A/01 to R1/A/02: rack rearranged", "admin", "R1/A/02"},
      {"status", "Status changed from in store to issued: exercise", "admin", NULL},
      {"custody", "Given into the custody of 2nd Platoon: exercise", "admin", NULL},
      {"status", "Status changed from issued to in store: returned", "admin", NULL},
      {"custody", "Returned from the custody of 2nd Platoon: returned", "admin", NULL},
      {"counted", "Found by count 1 at R1/A (accepted)", "sam", "R1/A"},
      {"location", "Moved from R1/A/02 to R1/A/01: own slot again", "admin", "R1/A/01"},
      {"missed", "Expected at R1/A/01 by count 2, not found", "sam", "R1/A/01"},
      {"discrepancy",
       "Discrepancy (missing) in count 2: Glock 17 9x19 SN GA-01 expected at "
       "R1/A/01, not found",
       NULL, "R1/A/01"},
      {"resolution",
       "Discrepancy (missing) of count 2 resolved as found (confirmed by wes): "
       "in the armourer's workshop",
       "sue", "R1/A/01"},
  };
  assert_events(h->events, want, G_N_ELEMENTS(want));
  MusterHistoryEvent *counted = h->events->pdata[6];
  MusterHistoryEvent *missed = h->events->pdata[8];
  g_assert_cmpstr(counted->count_uuid, ==, s.found_by->uuid);
  g_assert_cmpstr(missed->count_uuid, ==, s.missed_by->uuid);
  g_assert_cmpstr(missed->at, ==, s.missed_by->closed_at);
  g_autofree char *read_at = test_sql_text(t, "SELECT read_at FROM scan WHERE marking_value = "
                                         "'04AA0000000001'");
  g_assert_cmpstr(h->last_counted_at, ==, read_at);
  g_assert_cmpstr(counted->at, ==, read_at);
  /* Tracing reads; it never writes. */
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log"), ==, audit_before);

  MusterAuditReport report;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
}

static void
test_shared_serial_and_open_counts(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Story) s = {0};
  live(t, &s);
  /* A count still open has not missed anything yet. */
  const char *scope[] = {"R1/A", NULL};
  g_autoptr(MusterCount) open = muster_counts_start(t->store, s.sam, s.wes, scope, FALSE, &error);
  g_assert_no_error(error);

  g_autoptr(GPtrArray) traces = muster_history_trace(t->store, " ga-01 ", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(traces->len, ==, 2);
  MusterItemHistory *glock = traces->pdata[0];
  MusterItemHistory *walther = traces->pdata[1];
  g_assert_cmpstr(glock->item->manufacturer, ==, "Glock");
  g_assert_cmpuint(glock->events->len, ==, 11);
  g_assert_cmpstr(walther->item->manufacturer, ==, "Walther");
  g_assert_null(walther->last_counted_at);
  const Want only_created[] = {
      {"created", "Recorded, in store at R1/B/01: imported from CSV line 4", "admin", "R1/B/01"},
  };
  assert_events(walther->events, only_created, 1);

  g_autoptr(GPtrArray) none = muster_history_trace(t->store, "NO-SUCH-1", &error);
  g_assert_no_error(error);
  g_assert_nonnull(none);
  g_assert_cmpuint(none->len, ==, 0);
}

static void
test_unknown_scans(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Story) s = {0};
  live(t, &s);

  /* No record carries ZZ-404, yet where and when it was seen is kept. */
  g_autoptr(GPtrArray) traces = muster_history_trace(t->store, "ZZ-404", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(traces->len, ==, 0);
  g_autoptr(GPtrArray) seen = muster_history_unknown_scans(t->store, "zz-404", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(seen->len, ==, 1);
  MusterHistoryEvent *e = seen->pdata[0];
  g_assert_cmpstr(e->kind, ==, "unknown_scan");
  g_assert_cmpstr(e->summary, ==,
                  "ZZ-404 read by count 1 at R1/A (unknown, reader test); no record carries it");
  g_assert_cmpstr(e->count_uuid, ==, s.found_by->uuid);
  g_assert_cmpstr(e->location_path, ==, "R1/A");
  g_assert_cmpstr(e->user, ==, "sam");
  g_autofree char *read_at = test_sql_text(t, "SELECT read_at FROM scan WHERE marking_value = 'ZZ-404'");
  g_assert_cmpstr(e->at, ==, read_at);

  /* Scans that matched a record are not unknown; garbage finds nothing. */
  g_autoptr(GPtrArray) known = muster_history_unknown_scans(t->store, "GA-02", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(known->len, ==, 0);
  g_autoptr(GPtrArray) empty = muster_history_unknown_scans(t->store, "", &error);
  g_assert_no_error(error);
  g_assert_cmpuint(empty->len, ==, 0);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/history/full-life", TestDb, NULL, test_db_setup, test_full_life, test_db_teardown);
  g_test_add("/history/shared-serial-and-open-counts", TestDb, NULL, test_db_setup,
             test_shared_serial_and_open_counts, test_db_teardown);
  g_test_add("/history/unknown-scans", TestDb, NULL, test_db_setup, test_unknown_scans,
             test_db_teardown);
  return g_test_run();
}
