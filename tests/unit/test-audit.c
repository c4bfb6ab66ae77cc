/*
 * test-audit.c: the hash chain and the sealing of history rows.
 *
 * Each test changes the file behind the engine's back, the way someone with access to
 * the disk would (dropping the append-only triggers first), and expects
 * muster_audit_verify() to name what was changed.
 */
#include <sodium.h>
#include <string.h>

#include "db/audit.h"
#include "db/outbox.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "test-util.h"

/* Appends n outbox events through store, each in its own audited transaction. */
static void
add_events_to(MusterStore *store, const char *user, int n)
{
  for (int i = 0; i < n; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) payload = json_from_string("{\"n\":1}", NULL);
    g_assert_true(muster_store_begin(store, &error));
    g_assert_true(muster_audit_append(store, user, "test.event", "x", NULL, &error));
    g_assert_true(muster_outbox_append(store, "test.event", "x", payload, &error));
    g_assert_true(muster_store_commit(store, &error));
    g_assert_no_error(error);
  }
}

static void
add_events(TestDb *t, int n)
{
  add_events_to(t->store, t->admin->name, n);
}

static void
assert_tampered(TestDb *t, const char *expect_in_message)
{
  g_autoptr(GError) error = NULL;
  MusterAuditReport report;
  g_assert_false(muster_audit_verify(t->store, &report, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  if (strstr(error->message, expect_in_message) == NULL)
    g_error("expected '%s' in: %s", expect_in_message, error->message);
  muster_audit_report_clear(&report);
}

static void
test_intact_chain_verifies(TestDb *t, gconstpointer data)
{
  add_events(t, 5);
  g_autoptr(GError) error = NULL;
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  /* state.baseline, armoury.create, user.add, each with the rows.sealed of its state
   * rows; 5 x (test.event + rows.sealed) */
  g_assert_cmpint(report.entries, ==, 16);
  /* 5 outbox rows; the state digests of the baseline (badge key, sync settings), the
   * armoury (4 identity records, its location) and the admin */
  g_assert_cmpint(report.rows_covered, ==, 5 + 2 + 5 + 1);
  g_assert_cmpint(report.state_rows, ==, 2 + 5 + 1);
  g_assert_cmpint(strlen(report.head_hash), ==, 64);
  muster_audit_report_clear(&report);
}

static void
test_append_only_triggers(TestDb *t, gconstpointer data)
{
  add_events(t, 1);
  sqlite3 *db = muster_store_db(t->store);
  g_assert_cmpint(sqlite3_exec(db, "UPDATE audit_log SET detail='{}'", NULL, NULL, NULL), ==,
                  SQLITE_CONSTRAINT_TRIGGER);
  g_assert_cmpint(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL), ==,
                  SQLITE_CONSTRAINT_TRIGGER);
  g_assert_cmpint(sqlite3_exec(db, "DELETE FROM outbox", NULL, NULL, NULL), ==,
                  SQLITE_CONSTRAINT_TRIGGER);
}

static void
test_edited_entry_detected(TestDb *t, gconstpointer data)
{
  add_events(t, 3);
  test_sql_exec(t, "DROP TRIGGER audit_no_update;"
              "UPDATE audit_log SET user_name = 'mallory' WHERE seq = 4");
  assert_tampered(t, "Audit entry 4 ");
}

/* Only the stored link to the entry before it changed: the entry's own fields still
 * hash as stored, so the link itself must be compared. */
static void
test_edited_link_detected(TestDb *t, gconstpointer data)
{
  add_events(t, 3);
  test_sql_exec(t, "DROP TRIGGER audit_no_update; UPDATE audit_log SET prev_hash ="
                   " (SELECT hash FROM audit_log WHERE seq = 2) WHERE seq = 4");
  assert_tampered(t, "Audit entry 4 ");
}

/* The chain's own hash of an entry (db/audit.c): SHA-256 over the length-prefixed
 * prev_hash, seq, at, user, action, subject and detail, as someone who read the source
 * would recompute it. */
static char *
rehash_entry(TestDb *t, gint64 seq)
{
  static const char *const columns[] = {"prev_hash", "seq", "at", "user_name", "action",
                                        "subject", "detail"};
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (guint i = 0; i < G_N_ELEMENTS(columns); i++) {
    g_autofree char *sql =
        g_strdup_printf("SELECT coalesce(%s, '') FROM audit_log WHERE seq = ?", columns[i]);
    g_autofree char *value = test_sql_text_arg(t, sql, seq);
    guint64 len = GUINT64_TO_BE((guint64)strlen(value));
    crypto_hash_sha256_update(&st, (const guint8 *)&len, 8);
    crypto_hash_sha256_update(&st, (const guint8 *)value, strlen(value));
  }
  guint8 digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  return g_strdup(sodium_bin2hex(hex, sizeof hex, digest, sizeof digest));
}

static void
test_rehashed_entry_detected(TestDb *t, gconstpointer data)
{
  /* Entry 4 edited and its own hash recomputed, so it checks on its own: what gives it
   * away is entry 5, whose prev_hash still holds the old hash. */
  add_events(t, 3);
  test_sql_exec(t, "DROP TRIGGER audit_no_update;"
                   "UPDATE audit_log SET user_name = 'mallory' WHERE seq = 4");
  g_autofree char *hash = rehash_entry(t, 4);
  g_autofree char *sql = g_strdup_printf("UPDATE audit_log SET hash = '%s' WHERE seq = 4", hash);
  test_sql_exec(t, sql);
  assert_tampered(t, "Audit entry 5 ");
}

static void
test_deleted_entry_detected(TestDb *t, gconstpointer data)
{
  add_events(t, 3);
  test_sql_exec(t, "DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE seq = 3");
  assert_tampered(t, "Audit entries 3 to 3 are missing");
}

static void
test_edited_history_row_detected(TestDb *t, gconstpointer data)
{
  add_events(t, 3);
  test_sql_exec(t, "DROP TRIGGER outbox_no_update;"
              "UPDATE outbox SET payload = '{\"n\":2}' WHERE seq = 2");
  assert_tampered(t, "Rows 2..2 of 'outbox'");
}

static void
test_deleted_history_row_detected(TestDb *t, gconstpointer data)
{
  add_events(t, 3);
  test_sql_exec(t, "DROP TRIGGER outbox_no_delete; DELETE FROM outbox WHERE seq = 3");
  assert_tampered(t, "'outbox'");
}

static void
test_unsealed_row_detected(TestDb *t, gconstpointer data)
{
  add_events(t, 2);
  test_sql_exec(t, "INSERT INTO outbox (at, kind, entity_uuid, payload) "
              "VALUES ('2026-01-01T00:00:00.000Z', 'forged', 'x', '{}')");
  assert_tampered(t, "not sealed");
}

/* A record deleted with the sqlite3 shell (here a user) is named, though nothing that
 * was sealed changed. */
static void
test_deleted_record_detected(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) zed = test_db_add_user(t, "zed", MUSTER_ROLE_STAFF);
  g_autofree char *sql = g_strdup_printf("DROP TRIGGER app_user_no_delete;"
                                         " DELETE FROM app_user WHERE id = %" G_GINT64_FORMAT,
                                         zed->id);
  test_sql_exec_outside(t, sql);
  g_autofree char *want =
      g_strdup_printf("user (app_user row %" G_GINT64_FORMAT ") was deleted outside Muster", zed->id);
  assert_tampered(t, want);
}

static void
test_rolled_back_change_leaves_no_trace(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) payload = json_from_string("{}", NULL);
  g_assert_true(muster_store_begin(t->store, &error));
  g_assert_true(muster_audit_append(t->store, "admin", "test.event", "x", NULL, &error));
  g_assert_true(muster_outbox_append(t->store, "test.event", "x", payload, &error));
  muster_store_rollback(t->store);
  add_events(t, 1);
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  /* the 6 entries of the set-up (see intact), then test.event + rows.sealed once */
  g_assert_cmpint(report.entries, ==, 8);
  muster_audit_report_clear(&report);
}

/* Another program (the kiosk counting) commits while verify reads. */
typedef struct {
  MusterStore *other;
  const char *user;
  int commits;
} Interleave;

/* sqlite3_trace_v2 on the verifying connection: as it starts counting the outbox's rows,
 * after the chain was read, the other connection commits an event with its seal. */
static int
commit_mid_verify(unsigned type, void *ctx, void *stmt, void *sql)
{
  Interleave *in = ctx;
  const char *text = sqlite3_sql(stmt);
  if (in->commits == 0 && text != NULL && strstr(text, "max(rowid)") != NULL &&
      strstr(text, "outbox") != NULL) {
    in->commits++;
    add_events_to(in->other, in->user, 1);
  }
  return 0;
}

static void
test_commit_during_verify_is_not_tampering(TestDb *t, gconstpointer data)
{
  add_events(t, 2);
  g_autoptr(GError) error = NULL;
  Interleave in = {.other = muster_store_open(t->path, &error), .user = t->admin->name};
  g_assert_no_error(error);
  sqlite3_trace_v2(muster_store_db(t->store), SQLITE_TRACE_STMT, commit_mid_verify, &in);
  MusterAuditReport report;
  gboolean ok = muster_audit_verify(t->store, &report, &error);
  sqlite3_trace_v2(muster_store_db(t->store), 0, NULL, NULL);
  g_assert_cmpint(in.commits, ==, 1);
  g_assert_no_error(error);
  g_assert_true(ok);
  /* What it verified is the snapshot before the commit (see intact: 6 + 2 x 2)... */
  g_assert_cmpint(report.entries, ==, 10);
  muster_audit_report_clear(&report);
  /* ...and the next verify sees the commit, sealed. */
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  g_assert_cmpint(report.entries, ==, 12);
  muster_audit_report_clear(&report);
  muster_store_free(in.other);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/audit/intact", TestDb, NULL, test_db_setup, test_intact_chain_verifies,
             test_db_teardown);
  g_test_add("/audit/triggers", TestDb, NULL, test_db_setup, test_append_only_triggers,
             test_db_teardown);
  g_test_add("/audit/edited-entry", TestDb, NULL, test_db_setup, test_edited_entry_detected,
             test_db_teardown);
  g_test_add("/audit/edited-link", TestDb, NULL, test_db_setup, test_edited_link_detected,
             test_db_teardown);
  g_test_add("/audit/rehashed-entry", TestDb, NULL, test_db_setup, test_rehashed_entry_detected,
             test_db_teardown);
  g_test_add("/audit/deleted-entry", TestDb, NULL, test_db_setup, test_deleted_entry_detected,
             test_db_teardown);
  g_test_add("/audit/edited-row", TestDb, NULL, test_db_setup, test_edited_history_row_detected,
             test_db_teardown);
  g_test_add("/audit/deleted-row", TestDb, NULL, test_db_setup,
             test_deleted_history_row_detected, test_db_teardown);
  g_test_add("/audit/unsealed-row", TestDb, NULL, test_db_setup, test_unsealed_row_detected,
             test_db_teardown);
  g_test_add("/audit/deleted-record", TestDb, NULL, test_db_setup, test_deleted_record_detected,
             test_db_teardown);
  g_test_add("/audit/rollback", TestDb, NULL, test_db_setup,
             test_rolled_back_change_leaves_no_trace, test_db_teardown);
  g_test_add("/audit/commit-during-verify", TestDb, NULL, test_db_setup,
             test_commit_during_verify_is_not_tampering, test_db_teardown);
  return g_test_run();
}
