/*
 * test-count-progress.c: a count's expected and found items per rack.
 *
 * Slots fold into their rack. Expected figures follow the frozen expected list; found
 * ones are distinct items in the rack they were scanned at, a repeat scan counting once,
 * an item from another rack counting where it was found (and as unexpected there), an
 * unknown marking not at all.
 */
#include "db/count-progress.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "test-util.h"

#include <string.h>

typedef struct {
  TestDb db;
  gint64 count_id;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  test_db_setup(&f->db, data);
  const char *csv = "manufacturer,country_of_manufacture,serial,model,category,calibre,status,"
                    "location,markings\n"
                    "Glock,AT,GL-1,G17,pistol,9x19,in_store,R1/A/01,\n"
                    "Glock,AT,GL-2,G17,pistol,9x19,in_store,R1/A/02,\n"
                    "Glock,AT,GL-3,G17,pistol,9x19,in_store,R1/B/01,\n"
                    "Glock,AT,GL-4,G17,pistol,9x19,in_store,R2/A/01,\n"
                    "Glock,AT,GL-5,G17,pistol,9x19,issued,R1/B/02,\n";
  test_db_import_csv(&f->db, csv, -1);
  f->count_id = test_db_start_count(&f->db, "R1");
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  test_db_teardown(&f->db, data);
}

/* Scans each marking at path and commits them. */
static void
scan_at(Fixture *f, const char *path, const char *const *markings)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterIngest) ingest = muster_ingest_new(f->db.store, f->db.admin, f->count_id, &error);
  g_assert_no_error(error);
  g_assert_true(muster_ingest_set_location(ingest, path, &error));
  for (guint i = 0; markings[i] != NULL; i++) {
    g_autoptr(MusterScan) scan =
        muster_scan_parse_line(markings[i], strlen(markings[i]), "test0", NULL, &error);
    g_assert_no_error(error);
    muster_ingest_add(ingest, scan);
  }
  g_autoptr(GArray) results = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(results, (GDestroyNotify)muster_ingest_result_clear);
  g_assert_true(muster_ingest_flush(ingest, results, &error));
  g_assert_no_error(error);
}

static const MusterLocationProgress *
at(GPtrArray *progress, const char *path)
{
  for (guint i = 0; i < progress->len; i++) {
    const MusterLocationProgress *p = g_ptr_array_index(progress, i);
    if (g_strcmp0(p->path, path) == 0)
      return p;
  }
  return NULL;
}

static void
test_expected_before_any_scan(Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) p = muster_count_progress_by_rack(f->db.store, f->count_id, &error);
  g_assert_no_error(error);
  /* R2 is outside the count: nothing expected there. */
  g_assert_cmpuint(p->len, ==, 2);
  const MusterLocationProgress *a = g_ptr_array_index(p, 0);
  const MusterLocationProgress *b = g_ptr_array_index(p, 1);
  g_assert_cmpstr(a->path, ==, "R1/A"); /* two slots of one rack */
  g_assert_cmpint(a->expected, ==, 2);
  g_assert_cmpint(a->found, ==, 0);
  g_assert_cmpstr(b->path, ==, "R1/B");
  g_assert_cmpint(b->expected, ==, 1);
  g_assert_cmpint(b->found, ==, 0);
}

static void
test_found_where_scanned(Fixture *f, gconstpointer data)
{
  (void)data;
  const char *rack_a[] = {"GL-1", "GL-1", NULL};  /* a repeat counts once */
  const char *rack_b[] = {"GL-2", "GL-3", NULL};  /* GL-2 belongs in rack R1/A */
  const char *nowhere[] = {"NOT-A-SERIAL", NULL}; /* unknown: found nothing */
  scan_at(f, "R1/A/01", rack_a);
  scan_at(f, "R1/B/01", rack_b);
  scan_at(f, "R1/B/01", nowhere);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) p = muster_count_progress_by_rack(f->db.store, f->count_id, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(p->len, ==, 2);
  g_assert_cmpint(at(p, "R1/A")->expected, ==, 2);
  g_assert_cmpint(at(p, "R1/A")->found, ==, 1);
  g_assert_cmpint(at(p, "R1/B")->expected, ==, 1);
  g_assert_cmpint(at(p, "R1/B")->found, ==, 2);
  /* GL-2 was found in R1/B but is expected in R1/A; a find in another slot of its own
   * rack is no surprise. */
  g_assert_cmpint(at(p, "R1/A")->unexpected, ==, 0);
  g_assert_cmpint(at(p, "R1/B")->unexpected, ==, 1);
  /* The figures agree with the count's own totals. */
  g_autoptr(MusterCount) c = muster_counts_get_by_id(f->db.store, f->count_id, &error);
  g_assert_cmpint(at(p, "R1/A")->found + at(p, "R1/B")->found, ==, c->found);
  g_assert_cmpint(at(p, "R1/A")->expected + at(p, "R1/B")->expected, ==, c->expected);
}

/* What is "not expected here": found in another slot of its own rack is expected; an
 * issued weapon (not on the expected list) or one from another room is not. */
static void
test_unexpected(Fixture *f, gconstpointer data)
{
  (void)data;
  const char *rack_a[] = {"GL-2", "GL-1", NULL}; /* GL-1 belongs in slot 01, read at 02 */
  const char *rack_b[] = {"GL-5", "GL-4", NULL}; /* issued; from R2 */
  scan_at(f, "R1/A/02", rack_a);
  scan_at(f, "R1/B", rack_b);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) p = muster_count_progress_by_rack(f->db.store, f->count_id, &error);
  g_assert_no_error(error);
  g_assert_cmpint(at(p, "R1/A")->found, ==, 2);
  g_assert_cmpint(at(p, "R1/A")->unexpected, ==, 0);
  g_assert_cmpint(at(p, "R1/B")->expected, ==, 1);
  g_assert_cmpint(at(p, "R1/B")->found, ==, 2);
  g_assert_cmpint(at(p, "R1/B")->unexpected, ==, 2);
}

static void
test_rack_of(Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr(GError) error = NULL;
  g_autofree char *slot = muster_count_progress_rack_of(f->db.store, "R1/A/02", &error);
  g_autofree char *rack = muster_count_progress_rack_of(f->db.store, "R1/B", &error);
  g_autofree char *room = muster_count_progress_rack_of(f->db.store, "R2", &error);
  g_autofree char *none = muster_count_progress_rack_of(f->db.store, "", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(slot, ==, "R1/A");
  g_assert_cmpstr(rack, ==, "R1/B");
  g_assert_cmpstr(room, ==, "R2");
  g_assert_cmpstr(none, ==, "");
  g_autofree char *missing = muster_count_progress_rack_of(f->db.store, "R9/Z/99", &error);
  g_assert_null(missing);
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "R9/Z/99"));
}

static void
test_unknown_count_is_empty(Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) p = muster_count_progress_by_rack(f->db.store, 9999, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(p->len, ==, 0);
}

/* A database that cannot be read says so, with the count. */
static void
test_broken_database_is_an_error(Fixture *f, gconstpointer data)
{
  (void)data;
  g_autoptr(GError) error = NULL;
  g_assert_true(
      muster_store_exec(f->db.store, "ALTER TABLE count_find RENAME TO count_find_x", &error));
  g_autoptr(GPtrArray) p = muster_count_progress_by_rack(f->db.store, f->count_id, &error);
  g_assert_null(p);
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "Count "));
  g_assert_nonnull(strstr(error->message, "progress by rack"));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/count-progress/expected-before-any-scan", Fixture, NULL, fixture_setup,
             test_expected_before_any_scan, fixture_teardown);
  g_test_add("/count-progress/found-where-scanned", Fixture, NULL, fixture_setup,
             test_found_where_scanned, fixture_teardown);
  g_test_add("/count-progress/unexpected", Fixture, NULL, fixture_setup, test_unexpected,
             fixture_teardown);
  g_test_add("/count-progress/rack-of", Fixture, NULL, fixture_setup, test_rack_of,
             fixture_teardown);
  g_test_add("/count-progress/unknown-count-is-empty", Fixture, NULL, fixture_setup,
             test_unknown_count_is_empty, fixture_teardown);
  g_test_add("/count-progress/broken-database-is-an-error", Fixture, NULL, fixture_setup,
             test_broken_database_is_an_error, fixture_teardown);
  return g_test_run();
}
