/*
 * test-audit-anchors.c: the registry's anchors find what the chain alone cannot.
 *
 * Cutting off the newest audit entries leaves a valid chain: `audit verify` passes. The
 * anchors a registry kept must catch it, and catch a rewritten entry; anchors of another
 * armoury or garbage are refused as input, not reported as tampering. The receipts kept
 * here (the registry's signed answers) must do the same on their own, and count only
 * when the configured registry key signed them; that key is itself sealed.
 */
#include "db/audit-anchors.h"
#include "db/audit.h"
#include "core/muster-error.h"
#include "db/sync-state.h"
#include "test-util.h"

#include <sodium.h>
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

/* The whole of the last change (adding ben) goes: his row, its sealed state, its audit
 * entries. What is left is a valid chain. */
static void
cut_off_last_change(TestDb *t)
{
  test_sql_exec(t, "DROP TRIGGER audit_no_delete; DROP TRIGGER row_state_no_delete;"
                   " DROP TRIGGER app_user_no_delete;"
                   " DELETE FROM row_state WHERE tbl = 'app_user' AND row_id ="
                   "  (SELECT id FROM app_user WHERE name = 'ben');"
                   " DELETE FROM app_user WHERE name = 'ben';"
                   " DELETE FROM audit_log WHERE seq >="
                   "  (SELECT max(seq) FROM audit_log WHERE action = 'user.add');"
                   " DELETE FROM temp.state_changed;");
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
  cut_off_last_change(t);
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

/* ---- receipts: the registry's signed word, kept here --------------------------------- */

static void
assert_receipts_refused(TestDb *t, const char *words)
{
  gint64 checked = -1;
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_audit_check_receipts(t->store, &checked, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  if (strstr(error->message, words) == NULL)
    g_error("expected '%s' in: %s", words, error->message);
}

/* A receipt counts only when the configured registry key signed it: one signed by any
 * other key (made here to dress up rewritten history) is refused. */
static void
test_receipts_verify_by_the_registry_key(TestDb *t, gconstpointer data)
{
  TestRegistryKey registry, forger;
  test_registry_configure(t, &registry);
  gint64 last = make_history(t);
  test_registry_keep_receipt(t, &registry, last);
  gint64 checked = -1;
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_audit_check_receipts(t->store, &checked, &error));
  g_assert_no_error(error);
  g_assert_cmpint(checked, ==, 1);

  test_registry_key_new(&forger);
  test_registry_keep_receipt(t, &forger, 2);
  assert_receipts_refused(t, "does not verify by the registry's key");
}

/* History cut off below an entry the registry signed a receipt of: the chain left is
 * valid, the receipt says what is gone. */
static void
test_receipt_finds_cut_off_history(TestDb *t, gconstpointer data)
{
  TestRegistryKey registry;
  test_registry_configure(t, &registry);
  gint64 last = make_history(t);
  test_registry_keep_receipt(t, &registry, last);
  cut_off_last_change(t);
  g_autofree char *want = g_strdup_printf("audit entry %" G_GINT64_FORMAT " (", last);
  assert_receipts_refused(t, want);
  assert_receipts_refused(t, "is gone");
}

/* The signature covers the registry's answer, not the receipt's audit_seq and audit_hash
 * columns beside it: a genuine answer kept again, with those columns pointing at an older
 * entry (so that history after it could be cut off unseen), is refused. */
static void
test_receipt_bound_to_its_signed_anchor(TestDb *t, gconstpointer data)
{
  TestRegistryKey registry;
  test_registry_configure(t, &registry);
  gint64 last = make_history(t);
  test_registry_keep_receipt(t, &registry, last);
  test_sql_exec_outside(t, "INSERT INTO anchor_receipt (audit_seq, audit_hash, registry_at,"
                           " received_at, answer, signature)"
                           " SELECT 2, (SELECT hash FROM audit_log WHERE seq = 2), registry_at,"
                           " received_at, answer, signature FROM anchor_receipt");
  assert_receipts_refused(t, "audit entry 2 (");
  g_autofree char *want = g_strdup_printf("signed it for entry %" G_GINT64_FORMAT ", not this one",
                                          last);
  assert_receipts_refused(t, want);

  gint64 seq = 0;
  g_autofree char *hash = NULL;
  g_autofree char *answer =
      test_sql_text(t, "SELECT answer FROM anchor_receipt WHERE audit_seq = 2");
  g_autofree char *sig = test_sql_text(t, "SELECT signature FROM anchor_receipt WHERE audit_seq = 2");
  g_autofree char *key = test_sql_text(t, "SELECT registry_key FROM sync_state WHERE id = 1");
  g_assert_true(muster_audit_receipt_anchor(key, answer, sig, &seq, &hash));
  g_assert_cmpint(seq, ==, last);
  g_autofree char *last_hash = test_sql_text_arg(t, "SELECT hash FROM audit_log WHERE seq = ?", last);
  g_assert_cmpstr(hash, ==, last_hash);
  g_autofree char *hash2 = NULL;
  g_assert_false(muster_audit_receipt_anchor(key, "{\"anchor\":{\"audit_seq\":2}}", sig, &seq, &hash2));
  g_assert_cmpint(seq, ==, 0);
  g_assert_null(hash2);
}

/* The registry key receipts are checked by is sealed: swapped with the sqlite3 shell (so
 * that receipts signed by another key verify), `audit verify` names it. */
static void
test_registry_key_swap_detected(TestDb *t, gconstpointer data)
{
  TestRegistryKey registry, forger;
  test_registry_configure(t, &registry);
  test_registry_key_new(&forger);
  g_autofree char *pk = test_base64(forger.pk, sizeof forger.pk);
  g_autofree char *sql = g_strdup_printf("UPDATE sync_state SET registry_key = '%s'", pk);
  test_sql_exec_outside(t, sql);
  MusterAuditReport report = {0};
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_audit_verify(t->store, &report, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  g_assert_nonnull(strstr(error->message, "the registry sync settings was changed outside Muster"));
  muster_audit_report_clear(&report);
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
  ADD("/audit-anchors/receipts-verify-by-the-registry-key", test_receipts_verify_by_the_registry_key);
  ADD("/audit-anchors/receipt-finds-cut-off-history", test_receipt_finds_cut_off_history);
  ADD("/audit-anchors/receipt-bound-to-its-signed-anchor", test_receipt_bound_to_its_signed_anchor);
  ADD("/audit-anchors/registry-key-swap-detected", test_registry_key_swap_detected);
  return g_test_run();
}
