/*
 * test-overdue.c: which racks and weapons have not been counted within the policy.
 */
#include <string.h>

#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/overdue.h"
#include "db/reconcile.h"
#include "test-util.h"

static const char csv[] =
    "manufacturer,country_of_manufacture,serial,model,category,status,location\n"
    "Glock,AT,A-1,Glock 17,pistol,in_store,R1/A/01\n"
    "Glock,AT,A-2,Glock 17,pistol,in_store,R1/A/02\n"
    "Glock,AT,B-1,Glock 17,pistol,in_store,R1/B/01\n"
    "Glock,AT,B-2,Glock 17,pistol,issued,R1/B/02\n";

/* Counts R1/A finding only A-1, then closes and reconciles it. Returns closed_at. */
static char *
count_rack_a(TestDb *t, MusterUser *counter, MusterUser *witness)
{
  g_autoptr(GError) error = NULL;
  const char *scope[] = {"R1/A", NULL};
  g_autoptr(MusterCount) count = muster_counts_start(t->store, counter, witness, scope, FALSE,
                                                     &error);
  g_assert_no_error(error);
  g_autoptr(MusterIngest) ingest = muster_ingest_new(t->store, counter, count->id, &error);
  g_assert_no_error(error);
  g_autofree char *location = NULL;
  g_autoptr(MusterScan) scan = muster_scan_parse_line("A-1", 3, "test", &location, &error);
  muster_ingest_add(ingest, scan);
  g_assert_true(muster_ingest_flush(ingest, NULL, &error));
  g_assert_true(muster_counts_close(t->store, counter, count->id, &error));
  g_assert_true(muster_reconcile(t->store, counter, count->id, NULL, &error));
  g_assert_no_error(error);
  g_autoptr(MusterCount) done = muster_counts_get_by_id(t->store, count->id, &error);
  return g_strdup(done->closed_at);
}

/* "kind:label-or-path:last" lines, for exact comparison. */
static char *
describe(GPtrArray *list)
{
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < list->len; i++) {
    const MusterOverdue *o = list->pdata[i];
    g_string_append_printf(s, "%s:%s:%s\n", o->kind,
                           g_str_equal(o->kind, "item") ? strstr(o->label, "SN ") + 3
                                                        : o->location_path,
                           o->last_counted_at ? "counted" : "never");
  }
  return g_string_free(g_steal_pointer(&s), FALSE);
}

static char *
days_after(const char *iso, int days)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(iso, NULL);
  g_autoptr(GDateTime) later = g_date_time_add_days(dt, days);
  return muster_time_iso(g_date_time_to_unix(later) * G_USEC_PER_SEC +
                         g_date_time_get_microsecond(later));
}

static void
test_overdue(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  MusterImportResult r;
  g_assert_true(muster_items_import_csv(t->store, t->admin, csv, strlen(csv), &r, NULL, &error));
  g_assert_no_error(error);
  g_autoptr(MusterUser) sam = test_db_add_user(t, "sam", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) wes = test_db_add_user(t, "wes", MUSTER_ROLE_STAFF);

  /* Nothing counted yet: every rack and in-store weapon is never counted. */
  g_autoptr(GPtrArray) before = muster_overdue_list(t->store, NULL, 90, &error);
  g_assert_no_error(error);
  g_autofree char *b = describe(before);
  g_assert_cmpstr(b, ==, "location:R1/A:never\nlocation:R1/B:never\n"
                         "item:A-1:never\nitem:A-2:never\nitem:B-1:never\n");

  g_autofree char *closed = count_rack_a(t, sam, wes);
  /* A day later: rack A is counted; A-2 was missed there, so it is still never counted;
   * the issued B-2 is not expected in the armoury at all. */
  g_autofree char *day1 = days_after(closed, 1);
  g_autoptr(GPtrArray) soon = muster_overdue_list(t->store, day1, 90, &error);
  g_autofree char *s = describe(soon);
  g_assert_cmpstr(s, ==, "location:R1/B:never\nitem:A-2:never\nitem:B-1:never\n");

  /* 91 days later everything is overdue again, A and A-1 with their last count. */
  g_autofree char *day91 = days_after(closed, 91);
  g_autoptr(GPtrArray) late = muster_overdue_list(t->store, day91, 90, &error);
  g_autofree char *l = describe(late);
  g_assert_cmpstr(l, ==, "location:R1/A:counted\nlocation:R1/B:never\n"
                         "item:A-1:counted\nitem:A-2:never\nitem:B-1:never\n");
  const MusterOverdue *a1 = late->pdata[2];
  g_assert_cmpstr(a1->last_counted_at, ==, closed);
  g_assert_cmpstr(a1->location_path, ==, "R1/A/01");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/overdue/racks-and-items", TestDb, NULL, test_db_setup, test_overdue,
             test_db_teardown);
  return g_test_run();
}
