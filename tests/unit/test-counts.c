/*
 * test-counts.c: count sessions from start to sign-off, through the real SQLite file.
 *
 * The register (the same as test-ingest.c):
 *   GL-1001  in store at R1/A/01        GL-1002  in store at R1/A/02
 *   GL-1003  in store at R1/B/01        GL-1004  issued, no location
 *   HK-2001  in store at R2/A/01        SAME-1   Walther at R1/A/04, Beretta at R1/A/05
 * so a count of R1 expects five items.
 */
#include "db/audit.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/reconcile.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "scan/scan.h"
#include "test-util.h"

#include <json-glib/json-glib.h>
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
  MusterUser *carol; /* staff: counts */
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  test_db_setup(&f->db, data);
  test_db_import_csv(&f->db, register_csv, -1);
  f->carol = test_db_add_user(&f->db, "carol", MUSTER_ROLE_STAFF);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  muster_user_free(f->carol);
  test_db_teardown(&f->db, data);
}

static MusterCount *
start(Fixture *f, const MusterUser *counter, const MusterUser *witness, const char *path,
      gboolean blind)
{
  g_autoptr(GError) error = NULL;
  const char *scope[] = {path, NULL};
  MusterCount *c = muster_counts_start(f->db.store, counter, witness, scope, blind, &error);
  g_assert_no_error(error);
  g_assert_nonnull(c);
  return c;
}

static void
assert_audit_ok(MusterStore *store)
{
  g_autoptr(GError) error = NULL;
  MusterAuditReport report = {0};
  g_assert_true(muster_audit_verify(store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
}

static void
assert_error_mentions(const GError *error, int code, const char *fragment)
{
  g_assert_error(error, MUSTER_ERROR, code);
  if (strstr(error->message, fragment) == NULL)
    g_error("'%s' does not mention '%s'", error->message, fragment);
}

static void
feed(Fixture *f, const MusterUser *actor, gint64 count_id, const char *const *lines)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterIngest) ingest = muster_ingest_new(f->db.store, actor, count_id, &error);
  g_assert_no_error(error);
  for (guint i = 0; lines[i] != NULL; i++) {
    g_autofree char *loc = NULL;
    g_autoptr(MusterScan) scan =
        muster_scan_parse_line(lines[i], strlen(lines[i]), "test", &loc, NULL);
    g_assert_nonnull(scan);
    muster_ingest_add(ingest, scan);
  }
  g_assert_true(muster_ingest_flush(ingest, NULL, &error));
  g_assert_no_error(error);
}

static void
test_start(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  /* overlapping and repeated paths are one scope */
  const char *scope[] = {"R1", "R1/A", " R1 ", NULL};
  g_autoptr(MusterCount) c =
      muster_counts_start(f->db.store, f->carol, f->db.admin, scope, TRUE, &error);
  g_assert_no_error(error);
  g_assert_cmpint(c->state, ==, MUSTER_COUNT_OPEN);
  g_assert_cmpstr(c->counter, ==, "carol");
  g_assert_cmpstr(c->witness, ==, "admin");
  g_assert_true(c->blind);
  g_assert_nonnull(c->started_at);
  g_assert_null(c->closed_at);
  g_assert_cmpuint(c->scope->len, ==, 2);
  g_assert_cmpstr(g_ptr_array_index(c->scope, 0), ==, "R1");
  g_assert_cmpstr(g_ptr_array_index(c->scope, 1), ==, "R1/A");
  /* in store inside R1: not the issued GL-1004, not HK-2001 in R2, each item once */
  g_assert_cmpint(c->expected, ==, 5);
  g_autofree char *serials = test_sql_text_arg(
      &f->db,
      "SELECT group_concat(serial, ',') FROM (SELECT i.serial FROM count_expected e"
      " JOIN item i ON i.id = e.item_id WHERE e.count_id = ? ORDER BY i.id)",
      c->id);
  g_assert_cmpstr(serials, ==, "GL-1001,GL-1002,GL-1003,SAME-1,SAME-1");
  g_assert_cmpint(c->found, ==, 0);
  g_assert_cmpint(c->scans, ==, 0);

  /* the expected list is frozen: items added later do not join it */
  test_db_import_csv(&f->db,
                     "manufacturer,country_of_manufacture,serial,model,category,status,location\n"
                     "Glock,AT,GL-1009,G19,pistol,in_store,R1/A/09\n",
                     -1);
  g_autoptr(MusterCount) again = muster_counts_get(f->db.store, c->uuid, &error);
  g_assert_no_error(error);
  g_assert_cmpint(again->id, ==, c->id);
  g_assert_cmpint(again->expected, ==, 5);

  /* audited as the counter, with the figures */
  g_autofree char *detail = test_sql_text_arg(
      &f->db,
      "SELECT detail FROM audit_log WHERE action = 'count.start' AND "
      "user_name = 'carol' AND subject = (SELECT uuid FROM count_session WHERE id = ?)",
      c->id);
  g_assert_nonnull(detail);
  g_assert_nonnull(strstr(detail, "\"expected\":5"));
  g_assert_nonnull(strstr(detail, "\"blind\":true"));
  assert_audit_ok(f->db.store);
}

static void
test_start_whole_armoury(Fixture *f, gconstpointer data)
{
  test_db_import_csv(&f->db,
                     "manufacturer,country_of_manufacture,serial,model,category,status\n"
                     "Glock,AT,GL-1005,G17,pistol,in_store\n",
                     -1);
  g_autoptr(MusterCount) c = start(f, f->carol, f->db.admin, "", FALSE);
  /* every in-store item, even one with no recorded place */
  g_assert_cmpint(c->expected, ==, 7);
  g_assert_cmpstr(g_ptr_array_index(c->scope, 0), ==, "");
}

static void
test_start_refusals(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *missing[] = {"R1", "R1/Z", NULL};
  g_assert_null(muster_counts_start(f->db.store, f->carol, f->db.admin, missing, FALSE, &error));
  assert_error_mentions(error, MUSTER_ERROR_NOT_FOUND, "R1/Z");
  g_clear_error(&error);

  const char *none[] = {NULL};
  g_assert_null(muster_counts_start(f->db.store, f->carol, f->db.admin, none, FALSE, &error));
  assert_error_mentions(error, MUSTER_ERROR_INVALID, "at least one location");
  g_clear_error(&error);

  const char *r1[] = {"R1", NULL};
  g_assert_null(muster_counts_start(f->db.store, f->carol, f->carol, r1, FALSE, &error));
  assert_error_mentions(error, MUSTER_ERROR_INVALID, "two different people");
  g_clear_error(&error);

  /* deactivated since signing in: the database decides */
  g_autoptr(MusterUser) dave = test_db_add_user(&f->db, "dave", MUSTER_ROLE_STAFF);
  g_assert_true(muster_users_set_active(f->db.store, f->db.admin, "dave", FALSE, &error));
  g_assert_no_error(error);
  g_assert_null(muster_counts_start(f->db.store, f->carol, dave, r1, FALSE, &error));
  assert_error_mentions(error, MUSTER_ERROR_PERMISSION, "dave");
  g_clear_error(&error);
  g_assert_cmpint(test_sql_int_arg(&f->db, "SELECT count(*) FROM count_session", 1), ==, 0);

  /* overlap with an open count */
  g_autoptr(MusterCount) first = start(f, f->carol, f->db.admin, "R1", FALSE);
  const char *inner[] = {"R1/A", NULL};
  g_assert_null(muster_counts_start(f->db.store, f->db.admin, f->carol, inner, FALSE, &error));
  g_autofree char *named =
      g_strdup_printf("Count %" G_GINT64_FORMAT " is still open over R1", first->id);
  assert_error_mentions(error, MUSTER_ERROR_STATE, named);
  g_clear_error(&error);
  const char *all[] = {"", NULL};
  g_assert_null(muster_counts_start(f->db.store, f->db.admin, f->carol, all, FALSE, &error));
  assert_error_mentions(error, MUSTER_ERROR_STATE, "overlaps the whole armoury");
  g_clear_error(&error);
  /* elsewhere is fine, and so is the same place once the first count is closed */
  g_autoptr(MusterCount) other = start(f, f->db.admin, f->carol, "R2", FALSE);
  g_assert_cmpint(other->expected, ==, 1);
  g_assert_true(muster_counts_close(f->db.store, f->carol, first->id, &error));
  g_assert_no_error(error);
  g_autoptr(MusterCount) inner_count = start(f, f->db.admin, f->carol, "R1/A", FALSE);
  g_assert_cmpint(inner_count->expected, ==, 4);
  assert_audit_ok(f->db.store);
}

static void
test_get_and_list(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) a = start(f, f->carol, f->db.admin, "R1", FALSE);
  g_autoptr(MusterCount) b = start(f, f->carol, f->db.admin, "R2", FALSE);
  g_assert_true(muster_counts_close(f->db.store, f->carol, a->id, &error));
  g_autofree char *number = g_strdup_printf("%" G_GINT64_FORMAT, a->id);
  g_autoptr(MusterCount) by_number = muster_counts_get(f->db.store, number, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(by_number->uuid, ==, a->uuid);
  g_assert_cmpint(by_number->state, ==, MUSTER_COUNT_CLOSED);
  g_assert_nonnull(by_number->closed_at);

  g_assert_null(muster_counts_get(f->db.store, "999", &error));
  assert_error_mentions(error, MUSTER_ERROR_NOT_FOUND, "999");
  g_clear_error(&error);
  g_assert_null(muster_counts_get(f->db.store, "no-such-uuid", &error));
  assert_error_mentions(error, MUSTER_ERROR_NOT_FOUND, "no-such-uuid");
  g_clear_error(&error);

  g_autoptr(GPtrArray) all = muster_counts_list(f->db.store, -1, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(all->len, ==, 2);
  g_assert_cmpint(((MusterCount *)g_ptr_array_index(all, 0))->id, ==, b->id); /* newest first */
  g_assert_cmpint(((MusterCount *)g_ptr_array_index(all, 0))->expected, ==, 1);
  g_autoptr(GPtrArray) closed = muster_counts_list(f->db.store, MUSTER_COUNT_CLOSED, &error);
  g_assert_cmpuint(closed->len, ==, 1);
  g_autoptr(GPtrArray) open = muster_counts_open(f->db.store, &error);
  g_assert_cmpuint(open->len, ==, 1);
  g_assert_cmpint(((MusterCount *)g_ptr_array_index(open, 0))->id, ==, b->id);
  g_assert_cmpstr(muster_count_state_to_string(MUSTER_COUNT_SIGNED_OFF), ==, "signed_off");
}

static void
test_progress(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) c = start(f, f->carol, f->db.admin, "R1", FALSE);
  const char *lines[] = {"GL-1001", "GL-1001", "GL-1004",      "HK-2001",
                         "NOPE-1",  "NOPE-2",  "{\"value\": ", NULL};
  feed(f, f->carol, c->id, lines);
  g_assert_true(muster_counts_record_unmarked(f->db.store, f->carol, c->id, "Pistol, no markings",
                                              "R1/A", NULL, NULL, &error));
  g_autoptr(MusterCount) p = muster_counts_get_by_id(f->db.store, c->id, &error);
  g_assert_no_error(error);
  g_assert_cmpint(p->expected, ==, 5);
  g_assert_cmpint(p->scans, ==, 7);
  g_assert_cmpint(p->found, ==, 3);          /* GL-1001, GL-1004, HK-2001 */
  g_assert_cmpint(p->found_expected, ==, 1); /* only GL-1001 was expected */
  g_assert_cmpint(p->unknown, ==, 2);
  g_assert_cmpint(p->unreadable, ==, 1);
  g_assert_cmpint(p->unmarked, ==, 1);
  g_assert_cmpint(p->discrepancies, ==, 0);
  g_assert_cmpint(p->unresolved, ==, 0);
}

static void
test_close(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) dave = test_db_add_user(&f->db, "dave", MUSTER_ROLE_STAFF);
  g_autoptr(MusterCount) c = start(f, f->carol, dave, "R1", FALSE);
  /* the witness may not close it, nor may a stranger */
  g_assert_false(muster_counts_close(f->db.store, dave, c->id, &error));
  assert_error_mentions(error, MUSTER_ERROR_PERMISSION, "dave");
  g_clear_error(&error);
  g_autoptr(MusterUser) erin = test_db_add_user(&f->db, "erin", MUSTER_ROLE_STAFF);
  g_assert_false(muster_counts_close(f->db.store, erin, c->id, &error));
  assert_error_mentions(error, MUSTER_ERROR_PERMISSION, "erin is staff");
  g_clear_error(&error);
  g_assert_true(muster_counts_close(f->db.store, f->carol, c->id, &error));
  g_assert_no_error(error);
  g_assert_false(muster_counts_close(f->db.store, f->carol, c->id, &error));
  assert_error_mentions(error, MUSTER_ERROR_STATE, "it is closed");
  g_clear_error(&error);
  g_assert_false(muster_counts_close(f->db.store, f->carol, 999, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);
  /* an admin may close someone else's count */
  g_autoptr(MusterCount) d = start(f, f->carol, dave, "R2", FALSE);
  g_assert_true(muster_counts_close(f->db.store, f->db.admin, d->id, &error));
  g_assert_no_error(error);
  g_assert_cmpint(test_sql_int_arg(&f->db,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'count.close'",
                                   1),
                  ==, 2);
  assert_audit_ok(f->db.store);
}

static void
test_unmarked(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) c = start(f, f->carol, f->db.admin, "R1", FALSE);
  g_assert_false(muster_counts_record_unmarked(f->db.store, f->carol, c->id, "  \t ", "R1/A", NULL,
                                               NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_INVALID, "empty");
  g_clear_error(&error);
  g_autofree char *too_long = g_strnfill(501, 'x');
  g_assert_false(muster_counts_record_unmarked(f->db.store, f->carol, c->id, too_long, "R1/A", NULL,
                                               NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_INVALID, "501 characters");
  g_clear_error(&error);
  g_assert_false(muster_counts_record_unmarked(f->db.store, f->carol, c->id, "Rifle", "R1/Q", NULL,
                                               NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_NOT_FOUND, "R1/Q");
  g_clear_error(&error);
  g_assert_false(muster_counts_record_unmarked(f->db.store, f->carol, c->id, "Rifle", "R2/A", NULL,
                                               NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_INVALID, "R2/A is outside count");
  g_clear_error(&error);
  g_assert_false(muster_counts_record_unmarked(f->db.store, f->carol, c->id, "Rifle", NULL, NULL,
                                               NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_INVALID, "where");
  g_clear_error(&error);
  g_assert_cmpint(test_sql_int_arg(&f->db, "SELECT count(*) FROM unmarked_item", 1), ==, 0);

  g_autofree char *exactly = g_strnfill(500, 'y');
  g_assert_true(muster_counts_record_unmarked(f->db.store, f->carol, c->id, exactly, "R1/A/01",
                                              NULL, NULL, &error));
  g_assert_no_error(error);
  g_autofree char *uuid = NULL;
  g_assert_true(muster_counts_record_unmarked(f->db.store, f->carol, c->id,
                                              "  AK pattern rifle, ground-off serial ", "R1/B",
                                              "/var/lib/muster/photos/1.jpg", &uuid, &error));
  g_assert_no_error(error);
  g_assert_nonnull(uuid);
  g_autofree char *row = test_sql_text_arg(
      &f->db,
      "SELECT u.description || '|' || l.path || '|' || a.name || '|' || u.photo_path"
      " FROM unmarked_item u JOIN location l ON l.id = u.location_id"
      " JOIN app_user a ON a.id = u.recorded_by WHERE u.count_id = ? ORDER BY u.id"
      " DESC LIMIT 1",
      c->id);
  g_assert_cmpstr(row, ==,
                  "AK pattern rifle, ground-off serial|R1/B|carol|"
                  "/var/lib/muster/photos/1.jpg");
  /* the registry learns of it */
  g_autofree char *payload =
      test_sql_text_arg(&f->db,
                        "SELECT payload FROM outbox WHERE kind = 'unmarked.recorded' ORDER BY seq"
                        " DESC LIMIT ?",
                        1);
  g_assert_nonnull(strstr(payload, uuid));
  g_assert_nonnull(strstr(payload, c->uuid));
  g_assert_nonnull(strstr(payload, "\"location\":\"R1/B\""));
  g_assert_cmpint(test_sql_int_arg(&f->db,
                                   "SELECT count(*) FROM audit_log WHERE action = "
                                   "'unmarked.record'",
                                   1),
                  ==, 2);

  /* someone who is not part of the count may not */
  g_autoptr(MusterUser) eve = test_db_add_user(&f->db, "eve", MUSTER_ROLE_STAFF);
  g_assert_false(
      muster_counts_record_unmarked(f->db.store, eve, c->id, "Rifle", "R1/A", NULL, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  /* and not once the count is closed */
  g_assert_true(muster_counts_close(f->db.store, f->carol, c->id, &error));
  g_assert_false(muster_counts_record_unmarked(f->db.store, f->carol, c->id, "Rifle", "R1/A", NULL,
                                               NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_STATE, "open");
  g_clear_error(&error);
  assert_audit_ok(f->db.store);
}

static void
test_blind_visibility(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) dave = test_db_add_user(&f->db, "dave", MUSTER_ROLE_STAFF);
  g_autoptr(MusterCount) blind = start(f, f->carol, dave, "R1", TRUE);
  g_assert_false(muster_count_may_see_expected(blind, f->carol));
  g_assert_false(muster_count_may_see_expected(blind, dave));
  g_assert_true(muster_count_may_see_expected(blind, f->db.admin));
  g_assert_true(muster_counts_close(f->db.store, f->carol, blind->id, &error));
  g_autoptr(MusterCount) closed = muster_counts_get_by_id(f->db.store, blind->id, &error);
  g_assert_false(muster_count_may_see_expected(closed, f->carol));
  g_assert_false(muster_count_may_see_expected(closed, dave));
  g_assert_true(muster_reconcile(f->db.store, f->carol, blind->id, NULL, &error));
  g_assert_no_error(error);
  g_autoptr(MusterCount) reconciled = muster_counts_get_by_id(f->db.store, blind->id, &error);
  g_assert_cmpint(reconciled->state, ==, MUSTER_COUNT_RECONCILED);
  g_assert_true(muster_count_may_see_expected(reconciled, f->carol));
  g_assert_true(muster_count_may_see_expected(reconciled, dave));

  g_autoptr(MusterCount) open = start(f, f->carol, dave, "R2", FALSE);
  g_assert_true(muster_count_may_see_expected(open, f->carol));
  g_assert_true(muster_count_may_see_expected(open, dave));
}

/* Resolves every unresolved discrepancy of the count: missing and status conflicts with
 * a confirmer, as the rules want. */
static void
resolve_all(Fixture *f, const MusterUser *supervisor, gint64 count_id)
{
  g_autoptr(GError) error = NULL;
  MusterDiscrepancyFilter unresolved = {.resolved = 0};
  g_autoptr(GPtrArray) list = muster_discrepancies_list(f->db.store, count_id, &unresolved, &error);
  g_assert_no_error(error);
  for (guint i = 0; i < list->len; i++) {
    MusterDiscrepancy *d = g_ptr_array_index(list, i);
    gboolean two_people =
        g_str_equal(d->kind, "missing") || g_str_equal(d->kind, "status_conflict");
    g_assert_true(muster_discrepancies_resolve(f->db.store, supervisor,
                                               two_people ? f->db.admin : NULL, d->id, "reported",
                                               "Reported to the registry", &error));
    g_assert_no_error(error);
  }
}

static void
test_sign_off(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) sam = test_db_add_user(&f->db, "sam", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(MusterCount) c = start(f, f->carol, f->db.admin, "R1", FALSE);
  const char *lines[] = {"GL-1001", "GL-1004", "NOPE-1", NULL};
  feed(f, f->carol, c->id, lines);
  g_assert_true(muster_counts_close(f->db.store, f->carol, c->id, &error));

  /* not reconciled yet */
  g_assert_false(muster_counts_sign_off(f->db.store, sam, c->id, NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_STATE, "reconciled");
  g_clear_error(&error);
  g_assert_true(muster_reconcile(f->db.store, f->carol, c->id, NULL, &error));
  g_assert_no_error(error);

  /* staff, an admin, and the counter are refused */
  g_assert_false(muster_counts_sign_off(f->db.store, f->carol, c->id, NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_PERMISSION, "supervisor");
  g_clear_error(&error);
  g_assert_false(muster_counts_sign_off(f->db.store, f->db.admin, c->id, NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_PERMISSION, "admin is admin");
  g_clear_error(&error);

  /* unresolved discrepancies block it */
  g_autoptr(MusterCount) r = muster_counts_get_by_id(f->db.store, c->id, &error);
  g_assert_cmpint(r->discrepancies, >, 0);
  g_assert_cmpint(r->unresolved, ==, r->discrepancies);
  g_assert_false(muster_counts_sign_off(f->db.store, sam, c->id, NULL, &error));
  g_autofree char *how_many = g_strdup_printf("%" G_GINT64_FORMAT " discrepancies", r->unresolved);
  assert_error_mentions(error, MUSTER_ERROR_STATE, how_many);
  g_clear_error(&error);

  /* a resolution reopened is not in force */
  resolve_all(f, sam, c->id);
  gint64 some =
      test_sql_int_arg(&f->db, "SELECT min(id) FROM discrepancy WHERE count_id = ?", c->id);
  g_autofree char *kind =
      test_sql_text_arg(&f->db, "SELECT kind FROM discrepancy WHERE id = ?", some);
  gboolean two = g_str_equal(kind, "missing") || g_str_equal(kind, "status_conflict");
  g_assert_true(muster_discrepancies_resolve(f->db.store, sam, two ? f->db.admin : NULL, some,
                                             "reopened", "Found a mistake", &error));
  g_assert_no_error(error);
  g_assert_false(muster_counts_sign_off(f->db.store, sam, c->id, NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_STATE, "1 discrepancy of count");
  g_clear_error(&error);
  resolve_all(f, sam, c->id);

  gint64 outbox_before = test_sql_int_arg(&f->db, "SELECT count(*) FROM outbox", 1);
  g_assert_true(muster_counts_sign_off(f->db.store, sam, c->id, "All reported", &error));
  g_assert_no_error(error);
  g_autoptr(MusterCount) s = muster_counts_get_by_id(f->db.store, c->id, &error);
  g_assert_cmpint(s->state, ==, MUSTER_COUNT_SIGNED_OFF);
  g_assert_cmpstr(s->signed_off_by, ==, "sam");
  g_assert_cmpstr(s->signoff_note, ==, "All reported");
  g_assert_nonnull(s->signed_off_at);
  g_assert_cmpint(s->unresolved, ==, 0);

  /* the registry receives the whole count */
  g_assert_cmpint(test_sql_int_arg(&f->db, "SELECT count(*) FROM outbox", 1), ==,
                  outbox_before + 1);
  g_autofree char *payload =
      test_sql_text_arg(&f->db, "SELECT payload FROM outbox WHERE kind = 'count.signed_off'", 1);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_assert_true(json_parser_load_from_data(parser, payload, -1, NULL));
  JsonObject *o = json_node_get_object(json_parser_get_root(parser));
  g_assert_cmpstr(json_object_get_string_member(o, "uuid"), ==, c->uuid);
  JsonArray *scope = json_object_get_array_member(o, "scope");
  g_assert_cmpuint(json_array_get_length(scope), ==, 1);
  g_assert_cmpstr(json_array_get_string_element(scope, 0), ==, "R1");
  JsonObject *counter = json_object_get_object_member(o, "counter");
  g_assert_cmpstr(json_object_get_string_member(counter, "name"), ==, "carol");
  g_assert_cmpstr(json_object_get_string_member(counter, "uuid"), ==, f->carol->uuid);
  g_assert_cmpstr(
      json_object_get_string_member(json_object_get_object_member(o, "witness"), "name"), ==,
      "admin");
  g_assert_cmpstr(
      json_object_get_string_member(json_object_get_object_member(o, "signed_off_by"), "uuid"), ==,
      sam->uuid);
  g_assert_false(json_object_get_boolean_member(o, "blind"));
  g_assert_cmpstr(json_object_get_string_member(o, "signed_off_at"), ==, s->signed_off_at);
  g_assert_nonnull(json_object_get_string_member(o, "closed_at"));
  JsonObject *figures = json_object_get_object_member(o, "figures");
  g_assert_cmpint(json_object_get_int_member(figures, "expected"), ==, 5);
  g_assert_cmpint(json_object_get_int_member(figures, "found"), ==, 2);
  g_assert_cmpint(json_object_get_int_member(figures, "scans"), ==, 3);
  JsonArray *ds = json_object_get_array_member(o, "discrepancies");
  g_assert_cmpint(json_array_get_length(ds), ==, s->discrepancies);
  for (guint i = 0; i < json_array_get_length(ds); i++) {
    JsonObject *d = json_array_get_object_element(ds, i);
    JsonObject *res = json_object_get_object_member(d, "resolution");
    g_assert_cmpstr(json_object_get_string_member(res, "action"), ==, "reported");
    g_assert_cmpstr(json_object_get_string_member(res, "resolved_by"), ==, "sam");
    g_assert_nonnull(json_object_get_string_member(d, "kind"));
  }

  /* from now on every change is refused */
  g_assert_false(muster_counts_sign_off(f->db.store, sam, c->id, NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_STATE, "signed off");
  g_clear_error(&error);
  g_assert_false(muster_counts_close(f->db.store, sam, c->id, &error));
  assert_error_mentions(error, MUSTER_ERROR_STATE, "signed off");
  g_clear_error(&error);
  g_assert_false(
      muster_counts_record_unmarked(f->db.store, sam, c->id, "Rifle", "R1", NULL, NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_STATE, "signed off");
  g_clear_error(&error);
  g_autoptr(MusterIngest) ingest = muster_ingest_new(f->db.store, sam, c->id, &error);
  g_assert_null(ingest);
  assert_error_mentions(error, MUSTER_ERROR_STATE, "signed off");
  g_clear_error(&error);
  g_assert_false(muster_reconcile(f->db.store, sam, c->id, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE);
  g_clear_error(&error);
  /* and the database itself refuses, whatever program asks */
  char *msg = NULL;
  int rc = sqlite3_exec(muster_store_db(f->db.store),
                        "UPDATE count_session SET state = 'open' WHERE state = 'signed_off'", NULL,
                        NULL, &msg);
  g_assert_cmpint(rc, !=, SQLITE_OK);
  g_assert_nonnull(strstr(msg, "cannot be reopened"));
  sqlite3_free(msg);
  assert_audit_ok(f->db.store);
}

static void
test_sign_off_own_count(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) sam = test_db_add_user(&f->db, "sam", MUSTER_ROLE_SUPERVISOR);
  /* sam counts R2; its one item is found, so there is nothing to resolve */
  g_autoptr(MusterCount) c = start(f, sam, f->carol, "R2", FALSE);
  const char *lines[] = {"HK-2001", NULL};
  feed(f, sam, c->id, lines);
  g_assert_true(muster_counts_close(f->db.store, sam, c->id, &error));
  g_assert_true(muster_reconcile(f->db.store, sam, c->id, NULL, &error));
  g_assert_no_error(error);
  g_assert_false(muster_counts_sign_off(f->db.store, sam, c->id, NULL, &error));
  assert_error_mentions(error, MUSTER_ERROR_PERMISSION, "sam counted count");
  g_clear_error(&error);
  g_autoptr(MusterCount) after = muster_counts_get_by_id(f->db.store, c->id, &error);
  g_assert_cmpint(after->state, ==, MUSTER_COUNT_RECONCILED);
  g_assert_cmpint(test_sql_int_arg(&f->db,
                                   "SELECT count(*) FROM outbox WHERE kind = "
                                   "'count.signed_off'",
                                   1),
                  ==, 0);
}

/* Tries to move count c to `to` the way a person would (close, reconcile, sign off),
 * with everything else in order: it must work exactly when the table of states allows
 * the move from the state the count is in, and otherwise be refused for its state. */
static void
try_move(Fixture *f, const MusterUser *sam, gint64 id, MusterCountState to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) before = muster_counts_get_by_id(f->db.store, id, &error);
  g_assert_no_error(error);
  gboolean allowed = muster_count_state_may_become(before->state, to);
  gboolean moved =
      to == MUSTER_COUNT_CLOSED       ? muster_counts_close(f->db.store, f->carol, id, &error)
      : to == MUSTER_COUNT_RECONCILED ? muster_reconcile(f->db.store, f->carol, id, NULL, &error)
                                      : muster_counts_sign_off(f->db.store, sam, id, NULL, &error);
  if (moved != allowed)
    g_error("%s -> %s: the table says %s, the count %s (%s)",
            muster_count_state_to_string(before->state), muster_count_state_to_string(to),
            allowed ? "yes" : "no", moved ? "moved" : "stayed",
            error != NULL ? error->message : "no error");
  if (!moved)
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE);
  g_autoptr(MusterCount) after = muster_counts_get_by_id(f->db.store, id, NULL);
  g_assert_cmpint(after->state, ==, moved ? to : before->state);
}

static void
test_moves_follow_state_table(Fixture *f, gconstpointer data)
{
  g_autoptr(MusterUser) sam = test_db_add_user(&f->db, "sam", MUSTER_ROLE_SUPERVISOR);
  /* R2's one item is found: nothing to resolve before sign-off */
  g_autoptr(MusterCount) c = start(f, f->carol, f->db.admin, "R2", FALSE);
  const char *lines[] = {"HK-2001", NULL};
  feed(f, f->carol, c->id, lines);
  /* from each state every move is tried; the allowed one last, which leads on */
  const MusterCountState path[][3] = {
      {MUSTER_COUNT_RECONCILED, MUSTER_COUNT_SIGNED_OFF, MUSTER_COUNT_CLOSED},
      {MUSTER_COUNT_CLOSED, MUSTER_COUNT_SIGNED_OFF, MUSTER_COUNT_RECONCILED},
      {MUSTER_COUNT_CLOSED, MUSTER_COUNT_RECONCILED, MUSTER_COUNT_SIGNED_OFF},
      {MUSTER_COUNT_CLOSED, MUSTER_COUNT_RECONCILED, MUSTER_COUNT_SIGNED_OFF},
  };
  for (guint s = 0; s < G_N_ELEMENTS(path); s++)
    for (guint m = 0; m < G_N_ELEMENTS(path[s]); m++)
      try_move(f, sam, c->id, path[s][m]);
  g_autoptr(MusterCount) done = muster_counts_get_by_id(f->db.store, c->id, NULL);
  g_assert_cmpint(done->state, ==, MUSTER_COUNT_SIGNED_OFF);
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  ADD("/counts/start", test_start);
  ADD("/counts/start-whole-armoury", test_start_whole_armoury);
  ADD("/counts/start-refusals", test_start_refusals);
  ADD("/counts/get-and-list", test_get_and_list);
  ADD("/counts/progress", test_progress);
  ADD("/counts/close", test_close);
  ADD("/counts/unmarked", test_unmarked);
  ADD("/counts/blind-visibility", test_blind_visibility);
  ADD("/counts/sign-off", test_sign_off);
  ADD("/counts/sign-off-own-count", test_sign_off_own_count);
  ADD("/counts/moves-follow-state-table", test_moves_follow_state_table);
  return g_test_run();
}
