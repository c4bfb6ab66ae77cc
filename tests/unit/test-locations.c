/*
 * test-locations.c: paths, the room/rack/slot tree, and who may add to it.
 *
 * Rows and audit entries are checked in the SQLite file itself, and the audit chain is
 * verified after every change.
 */
#include "db/audit.h"
#include "db/locations.h"
#include "test-util.h"

#include <string.h>

static void
assert_audit_ok(TestDb *t)
{
  g_autoptr(GError) error = NULL;
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
}

static void
test_normalise(void)
{
  struct {
    const char *in;
    const char *out;
  } ok[] = {
      {"", ""},
      {"/", ""},
      {NULL, ""},
      {"R1", "R1"},
      {" R1 / A ", "R1/A"},
      {"R1/A/03", "R1/A/03"},
      {"/R1/A/", "R1/A"},
      {"Raum 1/Ständer", "Raum 1/Ständer"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(ok); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *got = muster_location_normalise_path(ok[i].in, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(got, ==, ok[i].out);
  }
  struct {
    const char *in;
    const char *words;
  } bad[] = {
      {"R1//A", "doubled"},
      {"//", "doubled"},
      {"R1/ /A", "empty level"},
      {"R1/A/03/x", "three levels"},
      {"R1\n/A", "control"},
      {"R1\t", "control"},
      {"R\xff", "UTF-8"},
      {"R1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "64 bytes"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *got = muster_location_normalise_path(bad[i].in, &error);
    g_assert_null(got);
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
    if (strstr(error->message, bad[i].words) == NULL)
      g_error("'%s': expected '%s' in: %s", bad[i].in, bad[i].words, error->message);
  }
}

static void
test_within(void)
{
  g_assert_true(muster_location_path_within("R1/A/03", ""));
  g_assert_true(muster_location_path_within("", ""));
  g_assert_true(muster_location_path_within("R1/A/03", NULL));
  g_assert_true(muster_location_path_within("R1/A/03", "R1"));
  g_assert_true(muster_location_path_within("R1/A/03", "R1/A"));
  g_assert_true(muster_location_path_within("R1/A", "R1/A"));
  g_assert_false(muster_location_path_within("R10/A", "R1"));
  g_assert_false(muster_location_path_within("R1", "R1/A"));
  g_assert_false(muster_location_path_within("", "R1"));
  g_assert_false(muster_location_path_within(NULL, "R1"));
}

static void
test_add_creates_parents(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 audit_before = test_sql_int_str(t, "SELECT count(*) FROM audit_log", NULL);
  g_autoptr(MusterLocation) slot =
      muster_locations_add(t->store, t->admin, " R1 / A / 03 ", "Top shelf", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(slot->path, ==, "R1/A/03");
  g_assert_cmpstr(slot->kind, ==, "slot");
  g_assert_cmpstr(slot->name, ==, "Top shelf");
  g_assert_true(g_uuid_string_is_valid(slot->uuid));

  g_autoptr(MusterLocation) rack = muster_locations_get(t->store, "R1/A", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(rack->kind, ==, "rack");
  g_assert_null(rack->name);
  g_assert_cmpint(slot->parent_id, ==, rack->id);
  g_autoptr(MusterLocation) room = muster_locations_get_by_id(t->store, rack->parent_id, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(room->path, ==, "R1");
  g_assert_cmpstr(room->kind, ==, "room");
  g_autoptr(MusterLocation) armoury = muster_locations_get(t->store, "/", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(armoury->kind, ==, "armoury");
  g_assert_cmpint(room->parent_id, ==, armoury->id);
  g_assert_cmpint(armoury->parent_id, ==, 0);

  /* one audit entry per location created, naming the admin */
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM audit_log WHERE action = 'location.add' "
                                   "AND user_name = 'admin'",
                                   NULL),
                  ==, 3);
  /* and one rows.sealed of their state rows (db/state-seal.c) */
  g_assert_cmpint(test_sql_int_str(t, "SELECT count(*) FROM audit_log", NULL), ==,
                  audit_before + 4);
  g_assert_cmpint(
      test_sql_int_str(t, "SELECT count(*) FROM audit_log WHERE subject = ?", slot->uuid), ==, 1);
  g_assert_cmpint(test_sql_int_str(t,
                                   "SELECT count(*) FROM audit_log WHERE json_extract(detail, "
                                   "'$.path') = ?",
                                   "R1/A/03"),
                  ==, 1);
  assert_audit_ok(t);

  /* a sibling reuses the parents */
  g_autoptr(MusterLocation) sibling =
      muster_locations_add(t->store, t->admin, "R1/A/04", NULL, &error);
  g_assert_no_error(error);
  g_assert_cmpint(sibling->parent_id, ==, rack->id);
  g_assert_cmpint(test_sql_int_str(t, "SELECT count(*) FROM location", NULL), ==, 5);
  assert_audit_ok(t);
}

static void
test_add_refusals(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterLocation) first = muster_locations_add(t->store, t->admin, "R1", NULL, NULL);
  g_assert_nonnull(first);
  gint64 audit_before = test_sql_int_str(t, "SELECT count(*) FROM audit_log", NULL);

  g_autoptr(GError) exists = NULL;
  g_assert_null(muster_locations_add(t->store, t->admin, "/R1/", NULL, &exists));
  g_assert_error(exists, MUSTER_ERROR, MUSTER_ERROR_EXISTS);
  g_assert_nonnull(strstr(exists->message, "'R1'"));

  g_autoptr(GError) root = NULL;
  g_assert_null(muster_locations_add(t->store, t->admin, "", NULL, &root));
  g_assert_error(root, MUSTER_ERROR, MUSTER_ERROR_EXISTS);

  g_autoptr(GError) bad = NULL;
  g_assert_null(muster_locations_add(t->store, t->admin, "R1//B", NULL, &bad));
  g_assert_error(bad, MUSTER_ERROR, MUSTER_ERROR_INVALID);

  g_autoptr(GError) bad_name = NULL;
  g_assert_null(muster_locations_add(t->store, t->admin, "R2", "two\nlines", &bad_name));
  g_assert_error(bad_name, MUSTER_ERROR, MUSTER_ERROR_INVALID);

  g_autoptr(GError) nobody = NULL;
  g_assert_null(muster_locations_add(t->store, NULL, "R3", NULL, &nobody));
  g_assert_error(nobody, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);

  g_autoptr(MusterUser) sup = test_db_add_user(t, "sam", MUSTER_ROLE_SUPERVISOR);
  audit_before = test_sql_int_str(t, "SELECT count(*) FROM audit_log", NULL);
  g_autoptr(GError) refused = NULL;
  g_assert_null(muster_locations_add(t->store, sup, "R4", NULL, &refused));
  g_assert_error(refused, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_assert_nonnull(strstr(refused->message, "admin"));
  g_assert_nonnull(strstr(refused->message, "sam"));

  /* nothing of the refused attempts is stored */
  g_assert_cmpint(test_sql_int_str(t, "SELECT count(*) FROM location", NULL), ==, 2);
  g_assert_cmpint(test_sql_int_str(t, "SELECT count(*) FROM audit_log", NULL), ==, audit_before);
  assert_audit_ok(t);
}

static void
test_get_not_found(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_assert_null(muster_locations_get(t->store, "R9/Z", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(error->message, "'R9/Z'"));
  g_assert_nonnull(strstr(error->message, "muster location add"));
  g_autoptr(GError) by_id = NULL;
  g_assert_null(muster_locations_get_by_id(t->store, 9999, &by_id));
  g_assert_error(by_id, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_autoptr(GError) bad = NULL;
  g_assert_null(muster_locations_get(t->store, "a//b", &bad));
  g_assert_error(bad, MUSTER_ERROR, MUSTER_ERROR_INVALID);
}

static void
test_ensure_in_transaction(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0, again = 0, root = 0;
  g_assert_true(muster_store_begin(t->store, &error));
  g_assert_true(muster_locations_ensure(t->store, t->admin, "R2/B/1", &id, &error));
  g_assert_no_error(error);
  g_assert_true(muster_locations_ensure(t->store, t->admin, "R2 / B / 1", &again, &error));
  g_assert_cmpint(again, ==, id);
  g_assert_true(muster_locations_ensure(t->store, t->admin, "", &root, &error));
  g_assert_cmpint(root, ==, test_sql_int_str(t, "SELECT id FROM location WHERE path = ''", NULL));
  gint64 bad = -1;
  g_assert_false(muster_locations_ensure(t->store, t->admin, "R2/B/1/x", &bad, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);
  g_assert_true(muster_store_commit(t->store, &error));
  g_assert_cmpint(test_sql_int_str(t, "SELECT count(*) FROM location", NULL), ==, 4);
  g_assert_cmpint(
      test_sql_int_str(t, "SELECT count(*) FROM audit_log WHERE action = 'location.add'", NULL), ==,
      3);
  assert_audit_ok(t);

  /* a rolled-back transaction leaves neither locations nor audit entries */
  g_assert_true(muster_store_begin(t->store, &error));
  g_assert_true(muster_locations_ensure(t->store, t->admin, "R3/C", &id, &error));
  muster_store_rollback(t->store);
  g_assert_cmpint(test_sql_int_str(t, "SELECT count(*) FROM location", NULL), ==, 4);
  g_assert_cmpint(
      test_sql_int_str(t, "SELECT count(*) FROM audit_log WHERE action = 'location.add'", NULL), ==,
      3);
  assert_audit_ok(t);
}

static void
test_list(TestDb *t, gconstpointer data)
{
  const char *paths[] = {"R2/A", "R1/B/2", "R10", "R1/A"};
  for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
    g_autoptr(MusterLocation) loc = muster_locations_add(t->store, t->admin, paths[i], NULL, NULL);
    g_assert_nonnull(loc);
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = muster_locations_list(t->store, &error);
  g_assert_no_error(error);
  g_autoptr(GString) seen = g_string_new(NULL);
  for (guint i = 0; i < all->len; i++) {
    MusterLocation *loc = g_ptr_array_index(all, i);
    g_string_append_printf(seen, "%s=%s ", loc->path, loc->kind);
  }
  g_assert_cmpstr(seen->str, ==,
                  "=armoury R1=room R1/A=rack R1/B=rack R1/B/2=slot R10=room R2=room R2/A=rack ");
  assert_audit_ok(t);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/locations/normalise", test_normalise);
  g_test_add_func("/locations/within", test_within);
  g_test_add("/locations/add-creates-parents", TestDb, NULL, test_db_setup,
             test_add_creates_parents, test_db_teardown);
  g_test_add("/locations/add-refusals", TestDb, NULL, test_db_setup, test_add_refusals,
             test_db_teardown);
  g_test_add("/locations/get-not-found", TestDb, NULL, test_db_setup, test_get_not_found,
             test_db_teardown);
  g_test_add("/locations/ensure-in-transaction", TestDb, NULL, test_db_setup,
             test_ensure_in_transaction, test_db_teardown);
  g_test_add("/locations/list", TestDb, NULL, test_db_setup, test_list, test_db_teardown);
  return g_test_run();
}
