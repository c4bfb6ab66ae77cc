/*
 * test-demo-count.c: the demo armoury counted through the real engine.
 *
 * The register is imported into a fresh database, a count of the whole armoury is
 * started, the feed is played by the simulated reader into ingest on a GMainLoop (as
 * `muster demo` and the kiosk do), the unmarked items are recorded and the count is
 * closed. Every figure of the count, and every scan's outcome, must then be what the
 * manifest says was planted: nothing lost, nothing invented.
 */
#include <string.h>

#include "db/audit.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "demo/demo.h"
#include "drivers/sim/sim-feed.h"
#include "test-util.h"

#define DEMO_SEED 2026

typedef struct {
  TestDb db;
  MusterDemo *demo;
  MusterUser *counter;
  MusterUser *witness;
  MusterCount *count;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  test_db_setup(&f->db, data);
  f->demo = muster_demo_generate(MUSTER_DEMO_DEFAULT_ITEMS, DEMO_SEED);
  f->counter = test_db_add_user(&f->db, "counter", MUSTER_ROLE_STAFF);
  f->witness = test_db_add_user(&f->db, "witness", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  MusterImportResult result =
      test_db_import_csv(&f->db, f->demo->csv->str, (gssize)f->demo->csv->len);
  g_assert_cmpint(result.imported, ==, f->demo->n_items);
  g_assert_cmpint(result.locations_created, >, 0);
  const char *const whole[] = {"", NULL};
  f->count = muster_counts_start(f->db.store, f->counter, f->witness, whole, FALSE, &error);
  g_assert_no_error(error);
  g_assert_cmpint(f->count->expected, ==, f->demo->expected);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  muster_count_free(f->count);
  muster_user_free(f->counter);
  muster_user_free(f->witness);
  muster_demo_free(f->demo);
  test_db_teardown(&f->db, data);
}

/* ---- playing the feed ----------------------------------------------------------------- */

typedef struct {
  MusterIngest *ingest;
  GMainLoop *loop;
  GArray *results; /* MusterIngestResult */
  GError *error;
} Feed;

static void
feed_flush(Feed *feed)
{
  if (feed->error == NULL && !muster_ingest_flush(feed->ingest, feed->results, &feed->error))
    g_main_loop_quit(feed->loop);
}

static void
on_scan(MusterSimFeed *reader, const MusterScan *scan, const char *location, gpointer data)
{
  Feed *feed = data;
  if (feed->error != NULL)
    return;
  if (location != NULL) {
    if (!muster_ingest_set_location(feed->ingest, location, &feed->error))
      g_main_loop_quit(feed->loop);
    return;
  }
  muster_ingest_add(feed->ingest, scan);
  if (muster_ingest_due(feed->ingest, 50000))
    feed_flush(feed);
}

static void
on_done(MusterSimFeed *reader, gpointer data)
{
  Feed *feed = data;
  feed_flush(feed);
  g_main_loop_quit(feed->loop);
}

/* Plays the whole feed into the count; returns the outcome of every scan, in order. */
static GArray *
play_feed(Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterIngest) ingest = muster_ingest_new(f->db.store, f->counter, f->count->id, &error);
  g_assert_no_error(error);
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  GArray *results = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(results, (GDestroyNotify)muster_ingest_result_clear);
  Feed feed = {ingest, loop, results, NULL};
  g_autoptr(MusterSimFeed) reader = muster_sim_feed_new(NULL, f->demo->feed, 0);
  muster_sim_feed_start(reader, on_scan, on_done, &feed);
  g_main_loop_run(loop);
  g_assert_no_error(feed.error);
  g_assert_cmpuint(muster_ingest_pending(ingest), ==, 0);
  return results;
}

static void
record_unmarked_and_close(Fixture *f)
{
  g_autoptr(GError) error = NULL;
  for (guint i = 0; i < f->demo->unmarked->len; i++) {
    const MusterDemoUnmarked *u = g_ptr_array_index(f->demo->unmarked, i);
    g_autofree char *uuid = NULL;
    g_assert_true(muster_counts_record_unmarked(f->db.store, f->counter, f->count->id,
                                                u->description, u->location, NULL, &uuid, &error));
    g_assert_no_error(error);
    g_assert_nonnull(uuid);
  }
  g_assert_true(muster_counts_close(f->db.store, f->counter, f->count->id, &error));
  g_assert_no_error(error);
  g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, f->count->id);
  muster_count_free(f->count);
  f->count = muster_counts_get(f->db.store, id, &error);
  g_assert_no_error(error);
}

/* ---- what the manifest predicts -------------------------------------------------------- */

typedef struct {
  gint64 scans;
  gint64 outcomes[MUSTER_OUTCOME_AMBIGUOUS + 1];
} Expected;

/* Reads of a marking in the feed (every line carrying it as a value). */
static guint
reads_of(const MusterDemo *demo, const char *value)
{
  g_autofree char *needle = g_strdup_printf("\"value\":\"%s\"", value);
  guint n = 0;
  for (guint i = 0; i < demo->feed->len; i++)
    n += strstr(g_ptr_array_index(demo->feed, i), needle) != NULL;
  return n;
}

static Expected
predict(const MusterDemo *demo)
{
  Expected e = {0};
  for (guint i = 0; i < demo->feed->len; i++)
    e.scans += ((const char *)g_ptr_array_index(demo->feed, i))[0] != '@';
  guint missing = muster_demo_count_kind(demo, "missing");
  guint wrong = muster_demo_count_kind(demo, "wrong_location");
  gint64 *o = e.outcomes;
  o[MUSTER_OUTCOME_WRONG_LOCATION] = wrong;
  o[MUSTER_OUTCOME_ACCEPTED] = demo->expected - missing - wrong;
  o[MUSTER_OUTCOME_STATUS_CONFLICT] = muster_demo_count_kind(demo, "status_conflict");
  o[MUSTER_OUTCOME_UNKNOWN] = muster_demo_count_kind(demo, "unknown_marking");
  o[MUSTER_OUTCOME_UNREADABLE] = muster_demo_count_kind(demo, "unreadable");
  o[MUSTER_OUTCOME_NOT_GENUINE] = muster_demo_count_kind(demo, "not_genuine");
  /* Seen again: a tag read repeatedly, and a partner's marking in another weapon's item
   * check after the partner itself was found. */
  o[MUSTER_OUTCOME_DUPLICATE] = muster_demo_count_kind(demo, "component_mismatch") +
                                muster_demo_count_kind(demo, "marking_mismatch");
  for (guint i = 0; i < demo->anomalies->len; i++) {
    const MusterDemoAnomaly *a = g_ptr_array_index(demo->anomalies, i);
    if (g_str_equal(a->kind, "repeated_scan")) {
      guint reads = reads_of(demo, a->subject);
      g_assert_cmpuint(reads, >=, 2);
      o[MUSTER_OUTCOME_DUPLICATE] += reads - 1;
    }
  }
  return e;
}

/* A figure of the fixture's count, read from the file (its id binds the '?'). */
static gint64
count_int(Fixture *f, const char *sql)
{
  return test_sql_int_arg(&f->db, sql, f->count->id);
}

static gint64
stored_outcomes(Fixture *f, MusterOutcome o)
{
  g_autofree char *sql =
      g_strdup_printf("SELECT count(*) FROM scan WHERE count_id = ? AND outcome = '%s'",
                      muster_outcome_to_string(o));
  return count_int(f, sql);
}

static gboolean
planted(const MusterDemo *demo, const char *kind, const char *subject)
{
  for (guint i = 0; i < demo->anomalies->len; i++) {
    const MusterDemoAnomaly *a = g_ptr_array_index(demo->anomalies, i);
    if (g_str_equal(a->kind, kind) && g_strcmp0(a->subject, subject) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Where the planted items turned up, as ingest decided it. */
static void
check_planted_items(Fixture *f, GArray *results)
{
  for (guint i = 0; i < f->demo->anomalies->len; i++) {
    const MusterDemoAnomaly *a = g_ptr_array_index(f->demo->anomalies, i);
    MusterOutcome want;
    if (g_str_equal(a->kind, "wrong_location"))
      want = MUSTER_OUTCOME_WRONG_LOCATION;
    else if (g_str_equal(a->kind, "status_conflict"))
      want = MUSTER_OUTCOME_STATUS_CONFLICT;
    else
      continue;
    g_autofree char *tail = g_strconcat(" SN ", a->serial, NULL);
    guint hits = 0;
    for (guint k = 0; k < results->len; k++) {
      const MusterIngestResult *r = &g_array_index(results, MusterIngestResult, k);
      if (r->outcome != want || r->summary == NULL || !g_str_has_suffix(r->summary, tail))
        continue;
      hits++;
      g_assert_cmpstr(r->location_path, ==, a->location);
      if (want == MUSTER_OUTCOME_STATUS_CONFLICT)
        g_assert_cmpstr(r->item_status, !=, "in_store");
    }
    g_assert_cmpuint(hits, ==, 1);
  }
  /* Unknown and not-genuine scans are exactly the planted markings. */
  for (guint k = 0; k < results->len; k++) {
    const MusterIngestResult *r = &g_array_index(results, MusterIngestResult, k);
    if (r->outcome == MUSTER_OUTCOME_UNKNOWN)
      g_assert_true(planted(f->demo, "unknown_marking", r->marking_value));
    if (r->outcome == MUSTER_OUTCOME_NOT_GENUINE)
      g_assert_true(planted(f->demo, "not_genuine", r->marking_value));
  }
}

/* ---- tests ------------------------------------------------------------------------------ */

static void
test_figures_match_manifest(Fixture *f, gconstpointer data)
{
  Expected e = predict(f->demo);
  g_autoptr(GArray) results = play_feed(f);
  check_planted_items(f, results);
  record_unmarked_and_close(f);

  /* The outcomes handed back, the stored scans and the prediction agree, kind by kind. */
  g_assert_cmpint(results->len, ==, e.scans);
  gint64 handed[MUSTER_OUTCOME_AMBIGUOUS + 1] = {0};
  for (guint i = 0; i < results->len; i++)
    handed[g_array_index(results, MusterIngestResult, i).outcome]++;
  for (int o = 0; o <= MUSTER_OUTCOME_AMBIGUOUS; o++) {
    g_test_message("%s: predicted %" G_GINT64_FORMAT, muster_outcome_to_string(o), e.outcomes[o]);
    g_assert_cmpint(handed[o], ==, e.outcomes[o]);
    g_assert_cmpint(stored_outcomes(f, o), ==, e.outcomes[o]);
  }

  /* The count's own figures. */
  const MusterCount *c = f->count;
  guint missing = muster_demo_count_kind(f->demo, "missing");
  guint conflicts = muster_demo_count_kind(f->demo, "status_conflict");
  g_assert_cmpint(c->state, ==, MUSTER_COUNT_CLOSED);
  g_assert_cmpint(c->expected, ==, f->demo->expected);
  g_assert_cmpint(c->found_expected, ==, f->demo->expected - missing);
  g_assert_cmpint(c->found, ==, f->demo->expected - missing + conflicts);
  g_assert_cmpint(c->scans, ==, e.scans);
  g_assert_cmpint(c->unknown, ==, muster_demo_count_kind(f->demo, "unknown_marking"));
  g_assert_cmpint(c->unreadable, ==, muster_demo_count_kind(f->demo, "unreadable"));
  g_assert_cmpint(c->unmarked, ==, muster_demo_count_kind(f->demo, "unmarked_item"));
  g_assert_cmpint(count_int(f, "SELECT count(*) FROM count_find WHERE count_id = ?"), ==, c->found);

  /* Every scan is the sim reader's, with its raw bytes. */
  g_assert_cmpint(test_sql_int(&f->db,
                               "SELECT count(*) FROM scan WHERE count_id = ? AND "
                               "(reader <> 'sim0' OR reader_kind <> 'sim' OR length(raw) = 0)"),
                  ==, 0);
  g_autoptr(GError) error = NULL;
  MusterAuditReport report = {0};
  g_assert_true(muster_audit_verify(f->db.store, &report, &error));
  g_assert_no_error(error);
  g_assert_cmpint(report.rows_covered, >=, e.scans);
  muster_audit_report_clear(&report);
}

/* A restarted feed (a kiosk coming back after a crash) finds nothing twice. */
static void
test_replay_finds_nothing_new(Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) first = play_feed(f);
  gint64 found = count_int(f, "SELECT count(*) FROM count_find WHERE count_id = ?");
  g_autoptr(GArray) again = play_feed(f);
  g_assert_cmpuint(again->len, ==, first->len);
  g_assert_cmpint(count_int(f, "SELECT count(*) FROM count_find WHERE count_id = ?"), ==, found);
  for (guint k = 0; k < again->len; k++) {
    MusterOutcome o = g_array_index(again, MusterIngestResult, k).outcome;
    MusterOutcome was = g_array_index(first, MusterIngestResult, k).outcome;
    /* Finds become duplicates; what was never a find stays what it was. */
    if (was == MUSTER_OUTCOME_ACCEPTED || was == MUSTER_OUTCOME_WRONG_LOCATION ||
        was == MUSTER_OUTCOME_STATUS_CONFLICT)
      g_assert_cmpint(o, ==, MUSTER_OUTCOME_DUPLICATE);
    else
      g_assert_cmpint(o, ==, was);
  }
  g_assert_cmpint(count_int(f, "SELECT count(*) FROM scan WHERE count_id = ?"), ==,
                  2 * (gint64)first->len);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/demo-count/figures-match-manifest", Fixture, NULL, fixture_setup,
             test_figures_match_manifest, fixture_teardown);
  g_test_add("/demo-count/replay-finds-nothing-new", Fixture, NULL, fixture_setup,
             test_replay_finds_nothing_new, fixture_teardown);
  return g_test_run();
}
