/*
 * test-audit-anchors.c: the registry's anchors find what the chain alone cannot.
 *
 * Cutting off the newest audit entries leaves a valid chain: `audit verify` passes. The
 * anchors a registry kept must catch it, and catch a rewritten entry; anchors of another
 * armoury or garbage are refused as input, not reported as tampering.
 */
#include "db/audit-anchors.h"
#include "db/audit.h"
#include "db/muster-error.h"
#include "test-util.h"

#include <string.h>

/* Anchors as the registry would print them, for entries seqs[0..n). */
static char *
anchors_for(TestDb *t, const gint64 *seqs, guint n)
{
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "{\"armoury\":\"%s\",\"code\":\"TEST\",\"anchors\":[",
                         muster_store_armoury_uuid(t->store));
  for (guint i = 0; i < n; i++) {
    g_autofree char *sql =
        g_strdup_printf("SELECT hash FROM audit_log WHERE seq = %" G_GINT64_FORMAT, seqs[i]);
    g_autofree char *hash = test_sql_text(t, sql);
    g_string_append_printf(s, "%s{\"seq\":%u,\"at\":\"t\",\"audit_seq\":%" G_GINT64_FORMAT
                              ",\"audit_hash\":\"%s\"}",
                           i > 0 ? "," : "", i + 1, seqs[i], hash);
  }
  g_string_append(s, "]}");
  return g_string_free(s, FALSE);
}

/* Some history: each user added is an audited action. */
static gint64
make_history(TestDb *t)
{
  g_autoptr(MusterUser) a = test_db_add_user(t, "anna", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) b = test_db_add_user(t, "ben", MUSTER_ROLE_SUPERVISOR);
  return test_sql_int(t, "SELECT max(seq) FROM audit_log");
}

static void
test_matching(TestDb *t, gconstpointer data)
{
  gint64 last = make_history(t);
  gint64 seqs[] = {1, last};
  g_autofree char *anchors = anchors_for(t, seqs, 2);
  gint64 checked = -1;
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_audit_check_anchors(t->store, anchors, &checked, &error));
  g_assert_no_error(error);
  g_assert_cmpint(checked, ==, 2);
}

/* The newest entries cut off: the chain still verifies, the anchor does not. */
static void
test_cut_off(TestDb *t, gconstpointer data)
{
  gint64 last = make_history(t);
  gint64 seqs[] = {last};
  g_autofree char *anchors = anchors_for(t, seqs, 1);
  /* The whole of the last change goes: ben's row, its sealed state, its audit entries. */
  test_sql_exec(t, "DROP TRIGGER audit_no_delete; DROP TRIGGER row_state_no_delete;"
                   " DROP TRIGGER app_user_no_delete;"
                   " DELETE FROM row_state WHERE tbl = 'app_user' AND row_id ="
                   "  (SELECT id FROM app_user WHERE name = 'ben');"
                   " DELETE FROM app_user WHERE name = 'ben';"
                   " DELETE FROM audit_log WHERE seq >="
                   "  (SELECT max(seq) FROM audit_log WHERE action = 'user.add');"
                   " DELETE FROM temp.state_changed;");
  MusterAuditReport report = {0};
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_audit_verify(t->store, &report, &error)); /* what the chain cannot see */
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
  gint64 checked = -1;
  g_assert_false(muster_audit_check_anchors(t->store, anchors, &checked, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  g_autofree char *want = g_strdup_printf("Audit entry %" G_GINT64_FORMAT " is gone", last);
  g_assert_nonnull(strstr(error->message, want));
  g_assert_cmpint(checked, ==, 0);
}

/* An anchored entry rewritten (and the chain re-hashed after it would not help). */
static void
test_rewritten(TestDb *t, gconstpointer data)
{
  make_history(t);
  gint64 seqs[] = {2};
  g_autofree char *anchors = anchors_for(t, seqs, 1);
  test_sql_exec(t, "DROP TRIGGER audit_no_update; UPDATE audit_log SET hash = 'ab' || "
                   "substr(hash, 3) WHERE seq = 2");
  gint64 checked = -1;
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_audit_check_anchors(t->store, anchors, &checked, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  g_assert_nonnull(strstr(error->message, "Audit entry 2 differs"));
}

static void
test_bad_input(TestDb *t, gconstpointer data)
{
  static const char *const bad[] = {
      "", "[]", "{\"anchors\":[]}", "{\"armoury\":\"x\"}",
      "{\"armoury\":\"someone-else\",\"anchors\":[]}",
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    gint64 checked = -1;
    g_autoptr(GError) error = NULL;
    g_assert_false(muster_audit_check_anchors(t->store, bad[i], &checked, &error));
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  }
  g_autofree char *missing = g_strdup_printf("{\"armoury\":\"%s\",\"anchors\":[{\"seq\":1}]}",
                                             muster_store_armoury_uuid(t->store));
  gint64 checked = -1;
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_audit_check_anchors(t->store, missing, &checked, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
}

#define ADD(path, fn) g_test_add(path, TestDb, NULL, test_db_setup, fn, test_db_teardown)

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  ADD("/audit-anchors/matching", test_matching);
  ADD("/audit-anchors/cut-off", test_cut_off);
  ADD("/audit-anchors/rewritten", test_rewritten);
  ADD("/audit-anchors/bad-input", test_bad_input);
  return g_test_run();
}
