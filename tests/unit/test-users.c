/*
 * test-users.c: roles, PIN hashing, lockout and the refusals that go with them.
 */
#include <string.h>

#include "db/audit.h"
#include "db/settings.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "db/users.h"
#include "test-util.h"

static void
test_pin_stored_as_argon2id(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) u = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  sqlite3_stmt *stmt = NULL;
  sqlite3_prepare_v2(muster_store_db(t->store), "SELECT pin_hash FROM app_user WHERE name='bob'",
                     -1, &stmt, NULL);
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
  const char *hash = (const char *)sqlite3_column_text(stmt, 0);
  g_assert_true(g_str_has_prefix(hash, "$argon2id$"));
  g_assert_null(strstr(hash, "1234"));
  sqlite3_finalize(stmt);
  /* Same PIN, different salt: two users never share a hash. */
  g_autoptr(MusterUser) c = test_db_add_user(t, "carol", MUSTER_ROLE_STAFF);
  g_assert_cmpint(test_sql_int(t, "SELECT count(DISTINCT pin_hash) FROM app_user "
                                "WHERE name IN ('bob','carol')"), ==, 2);
}

static void
test_wrong_pin_locks_after_limit(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) u = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  for (int i = 1; i <= 4; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(MusterUser) none = muster_users_authenticate(t->store, "bob", "0000", &error);
    g_assert_null(none);
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_AUTH);
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) none = muster_users_authenticate(t->store, "bob", "0000", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_LOCKED_OUT);
  g_clear_error(&error);
  /* Locked: even the right PIN is refused, and says what to do. */
  g_autoptr(MusterUser) still = muster_users_authenticate(t->store, "bob", "1234", &error);
  g_assert_null(still);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_LOCKED_OUT);
  g_assert_nonnull(strstr(error->message, "muster user unlock bob"));
  g_clear_error(&error);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action='user.pin_failed'"),
                  ==, 4);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action='user.locked'"), ==,
                  1);
  /* Staff cannot unlock; an admin can, and the counter restarts. */
  g_autoptr(MusterUser) staff = test_db_add_user(t, "dave", MUSTER_ROLE_STAFF);
  g_assert_false(muster_users_unlock(t->store, staff, "bob", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  g_assert_true(muster_users_unlock(t->store, t->admin, "bob", &error));
  g_assert_no_error(error);
  g_autoptr(MusterUser) back = muster_users_authenticate(t->store, "bob", "1234", &error);
  g_assert_no_error(error);
  g_assert_cmpint(back->failed_attempts, ==, 0);
}

static void
test_success_resets_failures(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) u = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < 4; i++) {
      g_autoptr(GError) error = NULL;
      g_autoptr(MusterUser) none = muster_users_authenticate(t->store, "bob", "9999", &error);
      g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_AUTH);
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(MusterUser) ok = muster_users_authenticate(t->store, "bob", "1234", &error);
    g_assert_no_error(error);
  }
}

static void
test_roles_enforced(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) staff = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) sup = test_db_add_user(t, "sue", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) x =
      muster_users_add(t->store, staff, "eve", "Eve", MUSTER_ROLE_ADMIN, "1111", &error);
  g_assert_null(x);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_assert_nonnull(strstr(error->message, "bob is staff"));
  g_clear_error(&error);
  g_autoptr(MusterUser) y =
      muster_users_add(t->store, sup, "eve", "Eve", MUSTER_ROLE_ADMIN, "1111", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  /* Staff may change their own PIN, not someone else's. */
  g_assert_false(muster_users_set_pin(t->store, staff, "sue", "5555", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  g_assert_true(muster_users_set_pin(t->store, staff, "bob", "5555", &error));
  g_assert_no_error(error);
  g_autoptr(MusterUser) again = muster_users_authenticate(t->store, "bob", "5555", &error);
  g_assert_no_error(error);
  g_assert_true(muster_require_role(t->store, sup, MUSTER_ROLE_SUPERVISOR, "x", NULL));
  g_assert_false(muster_require_role(t->store, staff, MUSTER_ROLE_SUPERVISOR, "Resolving", &error));
  g_assert_nonnull(strstr(error->message, "Resolving needs a supervisor or an admin"));
}

static void
test_bad_input(TestDb *t, gconstpointer data)
{
  const char *bad_pins[] = {"", "123", "12a4", "1234567890123", " 1234"};
  for (guint i = 0; i < G_N_ELEMENTS(bad_pins); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(MusterUser) u = muster_users_add(t->store, t->admin, "bob", "Bob",
                                               MUSTER_ROLE_STAFF, bad_pins[i], &error);
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  }
  const char *bad_names[] = {"", "a", "bob smith", "'; DROP TABLE app_user;--", "ünï"};
  for (guint i = 0; i < G_N_ELEMENTS(bad_names); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(MusterUser) u = muster_users_add(t->store, t->admin, bad_names[i], "x",
                                               MUSTER_ROLE_STAFF, "1234", &error);
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) dup = muster_users_add(t->store, t->admin, "admin", "x",
                                               MUSTER_ROLE_STAFF, "1234", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS);
  g_clear_error(&error);
  g_autoptr(MusterUser) boot = muster_users_bootstrap_admin(t->store, "root2", "x", "1234", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS);
  g_clear_error(&error);
  g_autoptr(MusterUser) nobody = muster_users_authenticate(t->store, "nobody", "1234", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM app_user"), ==, 1);
}

static void
test_deactivated_cannot_sign_in(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) u = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_users_set_active(t->store, t->admin, "bob", FALSE, &error));
  g_autoptr(MusterUser) none = muster_users_authenticate(t->store, "bob", "1234", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  g_assert_false(muster_users_set_active(t->store, t->admin, "admin", FALSE, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);
  /* Never deleted: the row stays, and the database refuses a delete. */
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM app_user WHERE name='bob'"), ==, 1);
  g_assert_cmpint(sqlite3_exec(muster_store_db(t->store), "DELETE FROM app_user", NULL, NULL,
                               NULL), !=, SQLITE_OK);
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
}

/* The limit is the lockout_attempts setting, not a constant: 3 locks on the third wrong
 * PIN and not before. */
static void
test_lockout_follows_setting(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) u = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_settings_set(t->store, t->admin, "lockout_attempts", 3, &error));
  g_assert_no_error(error);
  for (int i = 1; i <= 3; i++) {
    g_autoptr(MusterUser) none = muster_users_authenticate(t->store, "bob", "0000", &error);
    g_assert_null(none);
    int expected = i < 3 ? MUSTER_ERROR_AUTH : MUSTER_ERROR_LOCKED_OUT;
    g_assert_error(error, MUSTER_ERROR, expected);
    g_clear_error(&error);
  }
  g_assert_cmpint(test_sql_int(t, "SELECT locked FROM app_user WHERE name='bob'"), ==, 1);
}

/* An admin's unlock gives back the whole limit, not one more guess: the count of wrong
 * PINs restarts, so the next wrong PIN is refused as wrong and does not lock again. */
static void
test_unlock_restarts_the_count(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) u = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  for (int i = 1; i <= 5; i++) {
    g_autoptr(MusterUser) none = muster_users_authenticate(t->store, "bob", "0000", &error);
    g_clear_error(&error);
  }
  g_assert_cmpint(test_sql_int(t, "SELECT locked FROM app_user WHERE name='bob'"), ==, 1);
  g_assert_true(muster_users_unlock(t->store, t->admin, "bob", &error));
  g_assert_no_error(error);
  g_assert_cmpint(test_sql_int(t, "SELECT failed_attempts FROM app_user WHERE name='bob'"), ==, 0);
  g_autoptr(MusterUser) none = muster_users_authenticate(t->store, "bob", "0000", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_AUTH);
  g_assert_cmpint(test_sql_int(t, "SELECT locked FROM app_user WHERE name='bob'"), ==, 0);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/users/pin-argon2id", TestDb, NULL, test_db_setup, test_pin_stored_as_argon2id,
             test_db_teardown);
  g_test_add("/users/lockout-follows-setting", TestDb, NULL, test_db_setup,
             test_lockout_follows_setting, test_db_teardown);
  g_test_add("/users/lockout", TestDb, NULL, test_db_setup, test_wrong_pin_locks_after_limit,
             test_db_teardown);
  g_test_add("/users/unlock-restarts-the-count", TestDb, NULL, test_db_setup,
             test_unlock_restarts_the_count, test_db_teardown);
  g_test_add("/users/success-resets", TestDb, NULL, test_db_setup, test_success_resets_failures,
             test_db_teardown);
  g_test_add("/users/roles", TestDb, NULL, test_db_setup, test_roles_enforced, test_db_teardown);
  g_test_add("/users/bad-input", TestDb, NULL, test_db_setup, test_bad_input, test_db_teardown);
  g_test_add("/users/deactivate", TestDb, NULL, test_db_setup, test_deactivated_cannot_sign_in,
             test_db_teardown);
  return g_test_run();
}
