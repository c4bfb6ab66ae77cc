/*
 * test-users-and-sign-in.c: people, sign-in and who may act (issue 10, rows 12 and 16,
 * and "a user deactivated while signed in keeps their rights").
 *
 * - /users/lockout-counted-under-concurrency: wrong PINs tried at once from several
 *   connections (one thread and MusterStore each, as several `muster` processes would)
 *   all count, and lock the account at the limit;
 * - /users/lockout-setting-honoured: the lockout_attempts setting, not the default 5,
 *   decides when an account locks;
 * - /badges/badge-only-needs-genuine-tag: with badge_needs_pin 0 a tap signs in only
 *   from a tag whose originality signature was checked; with the PIN still asked, a tag
 *   that could not be checked only names its holder;
 * - /users/deactivated-actor-refused-at-once: an actor deactivated, locked out or
 *   demoted after signing in is refused at their next action, whatever the copy of them
 *   the caller holds says.
 */
#include <string.h>

#include "db/badges.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/settings.h"
#include "db/users.h"
#include "scan/scan.h"
#include "test-util.h"

/* ---- wrong PINs at once ------------------------------------------------------------ */

typedef struct {
  const char *path;
  GMutex lock;
  GCond cond;
  guint ready; /* threads at the start line */
  guint n;
  gboolean go;
} Race;

/* One guesser: its own connection, then one wrong PIN when every guesser is ready. */
static gpointer
guess(gpointer data)
{
  Race *race = data;
  g_autoptr(GError) error = NULL;
  MusterStore *store = muster_store_open(race->path, &error);
  g_assert_no_error(error);
  g_mutex_lock(&race->lock);
  if (++race->ready == race->n) {
    race->go = TRUE;
    g_cond_broadcast(&race->cond);
  }
  while (!race->go)
    g_cond_wait(&race->cond, &race->lock);
  g_mutex_unlock(&race->lock);
  g_autoptr(MusterUser) none = muster_users_authenticate(store, "bob", "0000", &error);
  g_assert_null(none);
  /* Wrong PIN, or refused because another guess locked the account first. */
  g_assert_true(g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_AUTH) ||
                g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_LOCKED_OUT));
  muster_store_free(store);
  return NULL;
}

static void
test_lockout_concurrent(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) bob = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  Race race = {.path = t->path, .n = 20};
  g_mutex_init(&race.lock);
  g_cond_init(&race.cond);
  GThread *threads[20];
  for (guint i = 0; i < race.n; i++)
    threads[i] = g_thread_new("guess", guess, &race);
  for (guint i = 0; i < race.n; i++)
    g_thread_join(threads[i]);
  g_mutex_clear(&race.lock);
  g_cond_clear(&race.cond);
  /* Every guess that was checked counted: at least the limit, so locked. */
  gint64 attempts = test_sql_int(t, "SELECT failed_attempts FROM app_user WHERE name = 'bob'");
  g_assert_cmpint(attempts, >=, 5);
  g_assert_cmpint(test_sql_int(t, "SELECT locked FROM app_user WHERE name = 'bob'"), ==, 1);
  /* Each counted failure is audited once, and the account locked once. */
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action IN "
                                  "('user.pin_failed', 'user.locked')"),
                  ==, attempts);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action = 'user.locked'"),
                  ==, 1);
  /* The right PIN no longer opens it. */
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) none = muster_users_authenticate(t->store, "bob", "1234", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_LOCKED_OUT);
}

/* limit - 1 wrong PINs are refused as wrong; the limit-th locks. */
static void
assert_locks_after(TestDb *t, const char *name, gint64 limit)
{
  for (gint64 i = 1; i < limit; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(MusterUser) none = muster_users_authenticate(t->store, name, "0000", &error);
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_AUTH);
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) none = muster_users_authenticate(t->store, name, "0000", &error);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_LOCKED_OUT);
  g_assert_cmpint(test_sql_int_str(t, "SELECT locked FROM app_user WHERE name = ?", name), ==, 1);
  g_assert_cmpint(test_sql_int_str(t, "SELECT failed_attempts FROM app_user WHERE name = ?", name),
                  ==, limit);
}

static void
test_lockout_setting(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) bob = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(MusterUser) carol = test_db_add_user(t, "carol", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  gboolean set3 = muster_settings_set(t->store, t->admin, "lockout_attempts", 3, &error);
  g_assert_no_error(error);
  g_assert_true(set3);
  assert_locks_after(t, "bob", 3);
  gboolean set = muster_settings_set(t->store, t->admin, "lockout_attempts", 8, &error);
  g_assert_no_error(error);
  g_assert_true(set);
  assert_locks_after(t, "carol", 8);
}

/* ---- badge without a PIN ----------------------------------------------------------- */

#define BOB_CARD "04A1B2C3D4E5F6"

static void
test_badge_only_needs_genuine(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) bob = test_db_add_user(t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  g_assert_true(
      muster_badges_assign(t->store, t->admin, "bob", BOB_CARD, MUSTER_AUTH_UNKNOWN, &error));
  g_assert_true(muster_settings_set(t->store, t->admin, "badge_needs_pin", 0, &error));
  g_assert_no_error(error);
  /* A tag without an originality signature (any cheap card with bob's UID). */
  g_autofree char *holder = NULL;
  g_autoptr(MusterUser) in = muster_badges_tap(t->store, BOB_CARD, MUSTER_AUTH_UNKNOWN,
                                               MUSTER_BADGE_FOR_SIGN_IN, &holder, &error);
  g_assert_null(in);
  g_assert_null(holder);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_assert_nonnull(strstr(error->message, "PIN"));
  g_clear_error(&error);
  /* Nor may it vouch as a witness without the PIN. */
  g_autoptr(MusterUser) witness = muster_badges_tap(t->store, BOB_CARD, MUSTER_AUTH_UNKNOWN,
                                                    MUSTER_BADGE_FOR_WITNESS, &holder, &error);
  g_assert_null(witness);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action = 'user.sign_in' "
                                  "AND user_name = 'bob'"),
                  ==, 0);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM audit_log WHERE action = "
                                  "'badge.refused' AND json_extract(detail, '$.reason') = "
                                  "'not_verified'"),
                  ==, 2);
  /* A genuine tag still signs in alone. */
  g_autoptr(MusterUser) real = muster_badges_tap(t->store, BOB_CARD, MUSTER_AUTH_GENUINE,
                                                 MUSTER_BADGE_FOR_SIGN_IN, &holder, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(real->name, ==, "bob");
  /* With the PIN asked, an unchecked tag only names its holder: the PIN is the proof. */
  g_assert_true(muster_settings_set(t->store, t->admin, "badge_needs_pin", 1, &error));
  g_autoptr(MusterUser) named = muster_badges_tap(t->store, BOB_CARD, MUSTER_AUTH_UNKNOWN,
                                                  MUSTER_BADGE_FOR_SIGN_IN, &holder, &error);
  g_assert_no_error(error);
  g_assert_null(named);
  g_assert_cmpstr(holder, ==, "bob");
}

/* ---- who may act ------------------------------------------------------------------- */

static void
assert_refused_saying(GError *error, const char *name, const char *words)
{
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_assert_nonnull(strstr(error->message, name));
  if (strstr(error->message, words) == NULL)
    g_error("\"%s\" does not say \"%s\"", error->message, words);
}

static void
test_deactivated_actor_refused(TestDb *t, gconstpointer data)
{
  g_autoptr(MusterUser) ann = test_db_add_user(t, "ann", MUSTER_ROLE_ADMIN);
  g_autoptr(MusterUser) sue = test_db_add_user(t, "sue", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(MusterUser) vic = test_db_add_user(t, "vic", MUSTER_ROLE_SUPERVISOR);
  g_autoptr(GError) error = NULL;
  /* ann signed in (this copy); another admin deactivates her through another
   * connection, as `muster user deactivate` in a shell would. */
  g_autoptr(MusterStore) other = muster_store_open(t->path, &error);
  g_assert_no_error(error);
  g_assert_true(muster_users_set_active(other, t->admin, "ann", FALSE, &error));
  g_assert_no_error(error);
  g_autoptr(MusterUser) eve =
      muster_users_add(t->store, ann, "eve", "Eve", MUSTER_ROLE_ADMIN, "1111", &error);
  g_assert_null(eve);
  assert_refused_saying(error, "ann", "deactivated at ");
  g_clear_error(&error);
  g_assert_false(muster_settings_set(t->store, ann, "lockout_attempts", 20, &error));
  assert_refused_saying(error, "ann", "deactivated");
  g_clear_error(&error);
  g_assert_cmpint(test_sql_int(t, "SELECT count(*) FROM app_user WHERE name = 'eve'"), ==, 0);

  /* sue locked out by wrong PINs typed elsewhere, while her session runs here. */
  for (int i = 0; i < 5; i++) {
    g_autoptr(MusterUser) no = muster_users_authenticate(other, "sue", "0000", NULL);
  }
  g_assert_false(muster_users_set_pin(t->store, sue, "sue", "5678", &error));
  assert_refused_saying(error, "sue", "locked at ");
  g_clear_error(&error);

  /* vic's role taken down to staff behind the engine: his copy still says supervisor. */
  test_sql_exec(t, "UPDATE app_user SET role = 'staff' WHERE name = 'vic'");
  g_assert_false(muster_require_role(t->store, vic, MUSTER_ROLE_SUPERVISOR, "Moving an item",
                                     &error));
  assert_refused_saying(error, "vic", "vic is staff");
  g_clear_error(&error);

  /* Reactivated, ann acts again with the same copy. */
  g_assert_true(muster_users_set_active(other, t->admin, "ann", TRUE, &error));
  g_assert_no_error(error);
  g_autoptr(MusterUser) eve2 =
      muster_users_add(t->store, ann, "eve", "Eve", MUSTER_ROLE_STAFF, "1111", &error);
  g_assert_no_error(error);
}

/* A counter deactivated while their readers keep scanning: every batch is an action of
 * theirs, so the next one is refused, nothing of it stored, and what was stored before
 * stays. */
static void
test_deactivated_counter_scans_refused(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 count = test_db_start_count(t, "/");
  g_autoptr(MusterIngest) ingest = muster_ingest_new(t->store, t->admin, count, &error);
  g_assert_no_error(error);
  const char *lines[] = {"NO-SUCH-1", "NO-SUCH-2"};
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
    char *loc = NULL;
    g_autoptr(MusterScan) scan =
        muster_scan_parse_line(lines[i], strlen(lines[i]), "test", &loc, NULL);
    g_assert_nonnull(scan);
    muster_ingest_add(ingest, scan);
    if (i == 0) {
      g_assert_true(muster_ingest_flush(ingest, NULL, &error));
      g_assert_no_error(error);
      /* another admin deactivates the counter through another connection */
      g_autoptr(MusterUser) ann = test_db_add_user(t, "ann", MUSTER_ROLE_ADMIN);
      g_autoptr(MusterStore) other = muster_store_open(t->path, &error);
      g_assert_no_error(error);
      g_assert_true(muster_users_set_active(other, ann, "admin", FALSE, &error));
      g_assert_no_error(error);
    }
  }
  g_assert_false(muster_ingest_flush(ingest, NULL, &error));
  assert_refused_saying(error, "admin", "deactivated");
  g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM scan WHERE count_id = %" G_GINT64_FORMAT,
                                         count);
  g_assert_cmpint(test_sql_int(t, sql), ==, 1);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/users/lockout-counted-under-concurrency", TestDb, NULL, test_db_setup,
             test_lockout_concurrent, test_db_teardown);
  g_test_add("/users/lockout-setting-honoured", TestDb, NULL, test_db_setup, test_lockout_setting,
             test_db_teardown);
  g_test_add("/badges/badge-only-needs-genuine-tag", TestDb, NULL, test_db_setup,
             test_badge_only_needs_genuine, test_db_teardown);
  g_test_add("/users/deactivated-actor-refused-at-once", TestDb, NULL, test_db_setup,
             test_deactivated_actor_refused, test_db_teardown);
  g_test_add("/users/deactivated-counter-scans-refused", TestDb, NULL, test_db_setup,
             test_deactivated_counter_scans_refused, test_db_teardown);
  return g_test_run();
}
