/*
 * test-badges.c: NFC badges — giving and taking back, a tap with and without the PIN,
 * the refusals (unknown, copied, locked, deactivated), and that a badge is history that
 * keeps no UID in clear.
 */
#include <string.h>

#include "db/audit.h"
#include "db/badges.h"
#include "db/settings.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "test-util.h"

#define UID "04A1B2C3D4E5F6"

static MusterUser *
tap(TestDb *t, const char *uid, MusterAuthenticity auth, char **holder, GError **error)
{
  return muster_badges_tap(t->store, uid, auth, MUSTER_BADGE_FOR_SIGN_IN, holder, error);
}

static void
test_tap_names_holder_then_pin(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) bob = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  /* Given with separators and lower case, read back as the driver reports it. */
  g_assert_true(muster_badges_assign(t->store, t->admin, "bob", "04:a1:b2:c3:d4:e5:f6",
                                     MUSTER_AUTH_UNKNOWN, &error));
  g_assert_no_error(error);
  g_autofree char *holder = NULL;
  g_autoptr(MusterUser) none = tap(t, UID, MUSTER_AUTH_UNKNOWN, &holder, &error);
  /* Default policy: the tap names bob, nobody is signed in yet. */
  g_assert_no_error(error);
  g_assert_null(none);
  g_assert_cmpstr(holder, ==, "bob");
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action='user.sign_in'"), ==,
                  0);
  g_autoptr(MusterUser) in = muster_users_sign_in(t->store, holder, "1234", "kiosk", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(in->name, ==, "bob");
  g_assert_true(in->has_badge);
  g_autofree char *detail =
      test_sql_text(t, "SELECT detail FROM audit_log WHERE action='user.sign_in'");
  g_assert_cmpstr(detail, ==, "{\"by\":\"pin\",\"where\":\"kiosk\"}");
}

static void
test_tap_alone_when_policy_allows(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) bob = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_badges_assign(t->store, t->admin, "bob", UID, MUSTER_AUTH_UNKNOWN, &error));
  /* Only an admin changes the policy. */
  g_assert_false(muster_settings_set(t->store, bob, "badge_needs_pin", 0, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  g_assert_true(muster_settings_set(t->store, t->admin, "badge_needs_pin", 0, &error));
  g_assert_false(muster_badges_need_pin(t->store));
  g_autofree char *holder = NULL;
  g_autoptr(MusterUser) in = tap(t, "04 a1 b2 c3 d4 e5 f6", MUSTER_AUTH_GENUINE, &holder, &error);
  g_assert_no_error(error);
  g_assert_nonnull(in);
  g_assert_cmpstr(in->name, ==, "bob");
  g_assert_null(holder);
  g_autofree char *detail =
      test_sql_text(t, "SELECT detail FROM audit_log WHERE action='user.sign_in'");
  g_assert_cmpstr(detail, ==, "{\"by\":\"badge\",\"where\":\"kiosk\"}");
}

static void
test_refusals(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) bob = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) carol = test_db_add_user(t, "carol", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_settings_set(t->store, t->admin, "badge_needs_pin", 0, &error));
  g_assert_true(muster_badges_assign(t->store, t->admin, "bob", UID, MUSTER_AUTH_UNKNOWN, &error));
  g_assert_true(muster_badges_assign(t->store, t->admin, "carol", "04112233445566",
                                     MUSTER_AUTH_UNKNOWN, &error));
  g_autofree char *holder = NULL;

  /* A card nobody holds. */
  g_assert_null(tap(t, "04FFFFFFFFFFFF", MUSTER_AUTH_UNKNOWN, &holder, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(error->message, "PIN"));
  g_clear_error(&error);
  /* bob's UID on a tag whose signature failed: a copy. */
  g_assert_null(tap(t, UID, MUSTER_AUTH_NOT_GENUINE, &holder, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_assert_nonnull(strstr(error->message, "authenticity"));
  g_clear_error(&error);
  /* Not a UID at all. */
  g_assert_null(tap(t, "GL-123", MUSTER_AUTH_UNKNOWN, &holder, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);
  /* Locked out by wrong PINs: the badge does not get round the lock. */
  for (int i = 0; i < 5; i++) {
    g_autoptr(MusterUser) no = muster_users_authenticate(t->store, "carol", "0000", NULL);
  }
  g_assert_null(tap(t, "04112233445566", MUSTER_AUTH_GENUINE, &holder, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_LOCKED_OUT);
  g_clear_error(&error);
  /* Deactivated. */
  g_assert_true(muster_users_set_active(t->store, t->admin, "bob", FALSE, &error));
  g_assert_null(tap(t, UID, MUSTER_AUTH_GENUINE, &holder, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  g_assert_null(holder);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action='badge.refused'"),
                  ==, 4);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action='user.sign_in'"), ==,
                  0);
  g_autofree char *reasons =
      test_sql_text(t, "SELECT group_concat(json_extract(detail, '$.reason'), ',') FROM "
                       "(SELECT detail FROM audit_log WHERE action='badge.refused' ORDER BY seq)");
  g_assert_cmpstr(reasons, ==, "unknown,not_genuine,locked,inactive");
}

static void
test_assign_revoke_history(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) bob = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) carol = test_db_add_user(t, "carol", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(GError) error = NULL;
  /* Only admins give badges, even to themselves. */
  g_assert_false(muster_badges_assign(t->store, carol, "carol", UID, MUSTER_AUTH_UNKNOWN, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  /* A card the reader caught as a copy is no badge. */
  g_assert_false(
      muster_badges_assign(t->store, t->admin, "bob", UID, MUSTER_AUTH_NOT_GENUINE, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  g_assert_true(muster_badges_assign(t->store, t->admin, "bob", UID, MUSTER_AUTH_UNKNOWN, &error));
  /* One card, one holder: carol cannot get bob's, and the message names him. */
  g_assert_false(
      muster_badges_assign(t->store, t->admin, "carol", UID, MUSTER_AUTH_UNKNOWN, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS);
  g_assert_nonnull(strstr(error->message, "bob"));
  g_clear_error(&error);
  /* bob gets a new card: the old one stops working, and both stay on record. */
  g_assert_true(muster_badges_assign(t->store, t->admin, "bob", "04000000000001",
                                     MUSTER_AUTH_UNKNOWN, &error));
  g_autofree char *holder = NULL;
  g_assert_null(tap(t, UID, MUSTER_AUTH_UNKNOWN, &holder, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);
  g_assert_null(tap(t, "04000000000001", MUSTER_AUTH_UNKNOWN, &holder, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(holder, ==, "bob");
  /* Now the old card is free for carol. */
  g_assert_true(
      muster_badges_assign(t->store, t->admin, "carol", UID, MUSTER_AUTH_UNKNOWN, &error));
  /* Only admins take badges back, as only they give them. */
  g_assert_false(muster_badges_revoke(t->store, carol, "bob", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  g_assert_true(muster_badges_revoke(t->store, t->admin, "bob", &error));
  g_assert_false(muster_badges_revoke(t->store, t->admin, "bob", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM user_badge"), ==, 3);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM user_badge WHERE revoked_at IS NULL"), ==,
                  1);
  g_autoptr(MusterUser) b = muster_users_get(t->store, "bob", NULL);
  g_autoptr(MusterUser) c = muster_users_get(t->store, "carol", NULL);
  g_assert_false(b->has_badge);
  g_assert_true(c->has_badge);
  /* No UID in clear anywhere in the badge table or the audit. */
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM user_badge WHERE badge_hash LIKE "
                                  "'%04A1B2%' OR badge_hash LIKE '%04a1b2%'"),
                  ==, 0);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE detail LIKE "
                                  "'%04A1B2%' OR subject LIKE '%04A1B2%'"),
                  ==, 0);
  /* History cannot be rewritten. */
  sqlite3 *db = muster_store_db(t->store);
  g_assert_cmpint(sqlite3_exec(db, "DELETE FROM user_badge", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(db, "UPDATE user_badge SET revoked_at = NULL", NULL, NULL, NULL), !=,
                  SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(db,
                               "UPDATE user_badge SET badge_hash = 'x' WHERE revoked_at "
                               "IS NULL",
                               NULL, NULL, NULL),
                  !=, SQLITE_OK);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action LIKE "
                                  "'user.badge_%'"),
                  ==, 4);
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
}

static void
test_same_uid_other_database_other_hash(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) bob = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_assert_true(muster_badges_assign(t->store, t->admin, "bob", UID, MUSTER_AUTH_UNKNOWN, NULL));
  g_autofree char *first = test_sql_text(t, "SELECT badge_hash FROM user_badge");
  TestDb other;
  test_db_setup(&other, NULL);
  g_autoptr(MusterUser) bob2 = test_db_add_user(&other, "bob", MUSTER_ROLE_STAFF);
  g_assert_true(
      muster_badges_assign(other.store, other.admin, "bob", UID, MUSTER_AUTH_UNKNOWN, NULL));
  g_autofree char *second = test_sql_text(&other, "SELECT badge_hash FROM user_badge");
  test_db_teardown(&other, NULL);
  g_assert_cmpuint(strlen(first), ==, 64);
  g_assert_cmpstr(first, !=, second);
}

/* A second person vouching by badge: the witness of a count. With the PIN still asked
 * the tap only names them; with the tap alone it stands for their PIN, audited as such
 * and not as a sign-in. */
static void
test_vouch(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) carol = test_db_add_user(t, "carol", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  g_assert_true(
      muster_badges_assign(t->store, t->admin, "carol", UID, MUSTER_AUTH_UNKNOWN, &error));
  g_autofree char *holder = NULL;
  g_assert_null(muster_badges_tap(t->store, UID, MUSTER_AUTH_UNKNOWN, MUSTER_BADGE_FOR_WITNESS,
                                  &holder, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(holder, ==, "carol");
  g_clear_pointer(&holder, g_free);
  g_assert_true(muster_settings_set(t->store, t->admin, "badge_needs_pin", 0, &error));
  g_autoptr(MusterUser) witness = muster_badges_tap(t->store, UID, MUSTER_AUTH_GENUINE,
                                                    MUSTER_BADGE_FOR_CONFIRM, &holder, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(witness->name, ==, "carol");
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action='user.sign_in'"),
                  ==, 0);
  g_autofree char *detail =
      test_sql_text(t, "SELECT detail FROM audit_log WHERE action='user.badge_vouch'");
  g_assert_cmpstr(detail, ==, "{\"for\":\"confirm\"}");
}

static void
test_sign_out_audited(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) bob = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_users_sign_out(t->store, bob, "idle", &error));
  g_autofree char *detail =
      test_sql_text(t, "SELECT detail FROM audit_log WHERE action='user.sign_out'");
  g_assert_cmpstr(detail, ==, "{\"why\":\"idle\"}");
  /* A wrong PIN at the kiosk is a failure like any other, and no sign-in. */
  g_assert_null(muster_users_sign_in(t->store, "bob", "9999", "kiosk", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_AUTH);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action='user.sign_in'"), ==,
                  0);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/badges/tap-then-pin", TestDb, NULL, test_db_setup, test_tap_names_holder_then_pin,
             test_db_teardown);
  g_test_add("/badges/tap-alone", TestDb, NULL, test_db_setup, test_tap_alone_when_policy_allows,
             test_db_teardown);
  g_test_add("/badges/refusals", TestDb, NULL, test_db_setup, test_refusals, test_db_teardown);
  g_test_add("/badges/history", TestDb, NULL, test_db_setup, test_assign_revoke_history,
             test_db_teardown);
  g_test_add("/badges/keyed-hash", TestDb, NULL, test_db_setup,
             test_same_uid_other_database_other_hash, test_db_teardown);
  g_test_add("/badges/vouch", TestDb, NULL, test_db_setup, test_vouch, test_db_teardown);
  g_test_add("/badges/sign-out", TestDb, NULL, test_db_setup, test_sign_out_audited,
             test_db_teardown);
  return g_test_run();
}
