/*
 * test-ui-badge.c: signing in at the kiosk by tapping a badge, and what the sign-in
 * screen does with any other scan.
 *
 * The card is tapped on a simulated reader (a pushed JSON line of kind hf_uid, as the
 * NFC driver reports a tag; the driver itself is tested on the PN532 emulator). Checks:
 * - by default a tap names its holder and the PIN pad asks that person's PIN; the right
 *   PIN signs in, audited as a sign-in by PIN at the kiosk;
 * - with badge_needs_pin = 0 the tap alone signs in (audited "by badge");
 * - an unknown card, a copied card (authenticity failed) and a locked-out holder are
 *   refused on screen with the engine's words, nobody signed in;
 * - the hint to tap a badge shows only where someone has a badge;
 * - the witness of a count taps their badge on the start screen (then types their PIN,
 *   or not, by the same setting); the counter's own badge cannot witness;
 * - the second person confirming a resolution taps their badge on the review screen (the
 *   resolver's own cannot confirm);
 * - an admin gives a badge at the kiosk (settings: choose the person, "Give a badge", tap
 *   the card; a barcode meanwhile is refused with a word) and takes it back;
 * - a weapon scanned while the kiosk is locked mid-count is not counted, stored or
 *   lost silently: the screen says so; the count resumed afterwards has exactly the
 *   scans taken while someone was signed in; the idle lock is audited;
 * - someone deactivated or locked out elsewhere while signed in here is sent back to
 *   sign-in at their next action (the engine's refusal) or touch, audited, and the
 *   sign-in screen says why.
 */
#include "ui-test.h"

#include "db/badges.h"
#include "db/counts.h"
#include "db/items.h"
#include "db/settings.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "drivers/sim/sim-reader.h"
#include "ui/review-model.h"
#include "ui/screen-review.h"
#include "ui/widgets.h"
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#define BOB_CARD "04A1B2C3D4E5F6"

typedef struct {
  UiTest t;
  MusterSimReader *reader;
} BadgeTest;

/* The kiosk on a database where each name in holders (name, card, ..., NULL) has that
 * badge, built after they were given (as a kiosk started that morning), with a simulated
 * NFC reader. */
static void
badge_setup(BadgeTest *b, const char *const *holders)
{
  ui_test_setup(&b->t, 200, 1024, 600);
  for (guint i = 0; holders != NULL && holders[i] != NULL; i += 2) {
    g_autoptr(GError) error = NULL;
    g_assert_true(muster_badges_assign(b->t.store, b->t.admin, holders[i], holders[i + 1],
                                       MUSTER_AUTH_UNKNOWN, &error));
    g_assert_no_error(error);
  }
  ui_test_restart(&b->t, 1024, 600);
  b->reader = muster_sim_reader_new("nfc-sim", NULL, 0);
  muster_kiosk_session_add_reader(b->t.session, MUSTER_READER(b->reader));
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(MUSTER_READER(b->reader), &error));
  g_assert_no_error(error);
}

static void
badge_teardown(BadgeTest *b)
{
  muster_reader_stop(MUSTER_READER(b->reader));
  g_clear_object(&b->reader);
  ui_test_teardown(&b->t);
}

/* Taps a card: what the NFC driver emits for a tag (its UID, kind hf_uid). */
static void
tap_card(BadgeTest *b, const char *uid, const char *authenticity)
{
  g_autofree char *line =
      g_strdup_printf("{\"value\": \"%s\", \"kind\": \"hf_uid\", \"reader_kind\": \"nfc\"%s%s%s}",
                      uid, authenticity ? ", \"authenticity\": \"" : "",
                      authenticity ? authenticity : "", authenticity ? "\"" : "");
  muster_sim_reader_push(b->reader, line);
}

static gboolean
reader_done(gpointer data)
{
  return muster_sim_reader_is_done(data);
}

/* Waits until every pushed line was read and handled on the main loop. */
static void
wait_read(BadgeTest *b)
{
  g_assert_true(ui_test_wait(reader_done, b->reader, 5000));
  while (g_main_context_iteration(NULL, FALSE))
    ;
  ui_test_wait_frame(&b->t);
}

static const char *
label_text(BadgeTest *b, const char *name)
{
  GtkWidget *w = ui_test_get(&b->t, name);
  return gtk_widget_get_mapped(w) ? gtk_label_get_text(GTK_LABEL(w)) : "";
}

static gint64
sql_int(BadgeTest *b, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint(sqlite3_prepare_v2(muster_store_db(b->t.store), sql, -1, &stmt, NULL), ==,
                  SQLITE_OK);
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
  gint64 v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return v;
}

/* The sign-in screen as the test left it, rendered and checked like every screen. */
static void
render(BadgeTest *b, const char *what)
{
  const char *dir = g_getenv("MUSTER_UI_OUT");
  g_autofree char *tmp = NULL;
  if (dir == NULL)
    dir = tmp = g_dir_make_tmp("muster-badge-XXXXXX", NULL);
  g_mkdir_with_parents(dir, 0755);
  g_autofree char *file = g_strdup_printf("sign-in-%s-%dx%d.png", what, b->t.width, b->t.height);
  g_autofree char *path = g_build_filename(dir, file, NULL);
  ui_test_render_and_check(&b->t, path);
  if (tmp != NULL) {
    g_unlink(path);
    g_rmdir(tmp);
  }
}

static void
test_tap_then_pin(void)
{
  BadgeTest b;
  badge_setup(&b, NULL);
  /* Nobody has a badge: no word of badges. */
  g_assert_false(gtk_widget_get_mapped(ui_test_get(&b.t, "badge-hint")));
  badge_teardown(&b);
  badge_setup(&b, (const char *const[]){"bob", BOB_CARD, NULL});
  g_assert_true(gtk_widget_get_mapped(ui_test_get(&b.t, "badge-hint")));

  tap_card(&b, "04:a1:b2:c3:d4:e5:f6", NULL);
  wait_read(&b);
  g_assert_cmpstr(ui_test_page(&b.t), ==, "sign-in");
  g_assert_null(muster_kiosk_session_get_user(b.t.session));
  g_assert_nonnull(strstr(label_text(&b, "sign-in-chosen"), "bob"));
  render(&b, "badge-pin");
  ui_test_type_pin(&b.t, "sign-in-pin", "1234");
  g_assert_cmpstr(ui_test_page(&b.t), ==, "home");
  g_assert_cmpstr(muster_kiosk_session_get_user(b.t.session)->name, ==, "bob");
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM audit_log WHERE action = 'user.sign_in' "
                              "AND user_name = 'bob' AND detail = "
                              "'{\"by\":\"pin\",\"where\":\"kiosk\"}'"),
                  ==, 1);
  badge_teardown(&b);
}

static void
test_tap_alone(void)
{
  BadgeTest b;
  badge_setup(&b, (const char *const[]){"carol", BOB_CARD, NULL});
  g_assert_true(muster_settings_set(b.t.store, b.t.admin, "badge_needs_pin", 0, NULL));
  tap_card(&b, BOB_CARD, "genuine");
  wait_read(&b);
  g_assert_cmpstr(ui_test_page(&b.t), ==, "home");
  g_assert_cmpstr(muster_kiosk_session_get_user(b.t.session)->name, ==, "carol");
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM audit_log WHERE action = 'user.sign_in' "
                              "AND detail = '{\"by\":\"badge\",\"where\":\"kiosk\"}'"),
                  ==, 1);
  /* Signed in, the sign-in screen is gone and a tap is no longer a sign-in. */
  ui_test_click(&b.t, NULL, "sign-out-button");
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM audit_log WHERE action = 'user.sign_out' "
                              "AND detail = '{\"why\":\"user\"}'"),
                  ==, 1);
  badge_teardown(&b);
}

static void
test_refused(void)
{
  BadgeTest b;
  badge_setup(&b, (const char *const[]){"bob", BOB_CARD, NULL});
  g_assert_true(muster_settings_set(b.t.store, b.t.admin, "badge_needs_pin", 0, NULL));
  const struct {
    const char *uid, *authenticity, *words;
  } cases[] = {
      {"04FFFFFFFFFFFF", NULL, "belongs to nobody"},
      {BOB_CARD, "not_genuine", "authenticity"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    tap_card(&b, cases[i].uid, cases[i].authenticity);
    wait_read(&b);
    g_assert_cmpstr(ui_test_page(&b.t), ==, "sign-in");
    g_assert_null(muster_kiosk_session_get_user(b.t.session));
    g_assert_nonnull(strstr(label_text(&b, "sign-in-error"), cases[i].words));
  }
  /* Locked out by wrong PINs: the card does not get round the lock. */
  for (int i = 0; i < 5; i++)
    ui_test_sign_in(&b.t, "bob", "0000");
  tap_card(&b, BOB_CARD, NULL);
  wait_read(&b);
  g_assert_null(muster_kiosk_session_get_user(b.t.session));
  g_assert_nonnull(strstr(label_text(&b, "sign-in-error"), "locked"));
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM audit_log WHERE action = 'badge.refused'"), ==,
                  3);
  render(&b, "badge-refused");
  badge_teardown(&b);
}

static gboolean
signed_out(gpointer data)
{
  return muster_kiosk_session_get_user(data) == NULL;
}

static void
test_scan_while_locked(void)
{
  BadgeTest b;
  badge_setup(&b, NULL);
  MusterKioskCountModel *m = ui_test_start_count(&b.t);
  gint64 count_id = muster_kiosk_count_model_get_count_id(m);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) one = muster_items_get(b.t.store, 1, &error);
  g_autoptr(MusterItem) two = muster_items_get(b.t.store, 2, &error);
  g_assert_no_error(error);
  muster_sim_reader_push(b.reader, one->serial);
  wait_read(&b);

  /* Idle: the kiosk locks; the count stays open. */
  muster_kiosk_session_set_lock_seconds(b.t.session, 1);
  g_assert_true(ui_test_wait(signed_out, b.t.session, 3000));
  g_assert_cmpstr(ui_test_page(&b.t), ==, "sign-in");
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM audit_log WHERE action = 'user.sign_out' "
                              "AND detail = '{\"why\":\"idle\"}'"),
                  ==, 1);
  muster_sim_reader_push(b.reader, two->serial);
  wait_read(&b);
  g_assert_nonnull(strstr(label_text(&b, "sign-in-error"), "not counted"));
  /* A rack label read meanwhile says nothing. */
  muster_sim_reader_push(b.reader, "@R1/A");
  wait_read(&b);

  ui_test_sign_in(&b.t, "bob", "1234");
  g_assert_true(muster_kiosk_session_resume_count(b.t.session, &error));
  g_assert_no_error(error);
  g_autoptr(MusterCount) c = muster_counts_get_by_id(b.t.store, count_id, &error);
  g_assert_cmpint(c->scans, ==, 1);
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM scan"), ==, 1);
  badge_teardown(&b);
}

static void
test_given_at_kiosk(void)
{
  BadgeTest b;
  badge_setup(&b, NULL);
  ui_test_sign_in(&b.t, "admin", "123456");
  ui_test_click(&b.t, NULL, "settings");
  g_assert_cmpstr(ui_test_page(&b.t), ==, "settings");
  GtkDropDown *who = GTK_DROP_DOWN(ui_test_get(&b.t, "badge-user"));
  g_assert_true(muster_kiosk_dropdown_select(who, "bob"));
  /* Before "Give a badge" a tap is nobody's business here. */
  tap_card(&b, BOB_CARD, NULL);
  wait_read(&b);
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM user_badge"), ==, 0);
  ui_test_click(&b.t, NULL, "badge-give");
  g_assert_nonnull(strstr(label_text(&b, "badge-status"), "bob"));
  muster_sim_reader_push(b.reader, "GLK-1001");
  wait_read(&b);
  g_assert_nonnull(strstr(label_text(&b, "badge-status"), "not an NFC card"));
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM user_badge"), ==, 0);
  tap_card(&b, BOB_CARD, "genuine");
  wait_read(&b);
  g_assert_nonnull(strstr(label_text(&b, "badge-status"), "bob's now"));
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM user_badge WHERE revoked_at IS NULL AND "
                              "user_id = (SELECT id FROM app_user WHERE name = 'bob')"),
                  ==, 1);
  render(&b, "settings-badge");
  /* A second tap after the badge was given changes nothing. */
  tap_card(&b, "04000000000009", NULL);
  wait_read(&b);
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM user_badge"), ==, 1);

  /* bob signs in with it. */
  ui_test_click(&b.t, NULL, "sign-out-button");
  tap_card(&b, BOB_CARD, NULL);
  wait_read(&b);
  ui_test_type_pin(&b.t, "sign-in-pin", "1234");
  g_assert_cmpstr(muster_kiosk_session_get_user(b.t.session)->name, ==, "bob");

  /* The admin takes it back: the card names nobody any more. */
  ui_test_click(&b.t, NULL, "sign-out-button");
  ui_test_sign_in(&b.t, "admin", "123456");
  ui_test_click(&b.t, NULL, "settings");
  g_assert_true(muster_kiosk_dropdown_select(who, "bob"));
  ui_test_click(&b.t, NULL, "badge-revoke");
  g_assert_nonnull(strstr(label_text(&b, "badge-status"), "no longer"));
  ui_test_click(&b.t, NULL, "sign-out-button");
  tap_card(&b, BOB_CARD, NULL);
  wait_read(&b);
  g_assert_nonnull(strstr(label_text(&b, "sign-in-error"), "belongs to nobody"));
  badge_teardown(&b);
}

/* The witness of a count by badge: by default the tap chooses the witness and their PIN
 * starts the count; where a tap alone may stand for the PIN it starts the count. The
 * counter's own badge cannot witness, and a weapon scanned before the start is said not
 * to be counted. */
static void
test_witness_by_badge(void)
{
  BadgeTest b;
  badge_setup(&b, (const char *const[]){"carol", BOB_CARD, "bob", "04000000000002", NULL});
  ui_test_sign_in(&b.t, "bob", "1234");
  ui_test_click(&b.t, NULL, "start");
  g_assert_cmpstr(ui_test_page(&b.t), ==, "start");
  muster_sim_reader_push(b.reader, "GLK-1001");
  wait_read(&b);
  g_assert_nonnull(strstr(label_text(&b, "start-error"), "not counted"));
  tap_card(&b, "04000000000002", NULL); /* bob's own */
  wait_read(&b);
  g_assert_nonnull(strstr(label_text(&b, "start-error"), "cannot witness"));
  tap_card(&b, BOB_CARD, NULL);
  wait_read(&b);
  g_assert_nonnull(strstr(label_text(&b, "witness-hint"), "carol"));
  g_assert_cmpstr(muster_kiosk_dropdown_get_string(GTK_DROP_DOWN(ui_test_get(&b.t, "witness"))), ==,
                  "carol");
  ui_test_type_pin(&b.t, "witness-pin", "1234");
  g_assert_cmpstr(ui_test_page(&b.t), ==, "live");
  MusterKioskCountModel *m = muster_kiosk_session_get_count(b.t.session);
  g_autoptr(MusterCount) first =
      muster_counts_get_by_id(b.t.store, muster_kiosk_count_model_get_count_id(m), NULL);
  g_assert_cmpstr(first->witness, ==, "carol");
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_kiosk_session_close_count(b.t.session, &error));
  g_assert_no_error(error);

  /* The tap alone: the count starts at the tap. */
  g_assert_true(muster_settings_set(b.t.store, b.t.admin, "badge_needs_pin", 0, NULL));
  muster_kiosk_session_navigate(b.t.session, "start");
  tap_card(&b, BOB_CARD, "genuine");
  wait_read(&b);
  g_assert_cmpstr(ui_test_page(&b.t), ==, "live");
  m = muster_kiosk_session_get_count(b.t.session);
  g_autoptr(MusterCount) second =
      muster_counts_get_by_id(b.t.store, muster_kiosk_count_model_get_count_id(m), NULL);
  g_assert_cmpint(second->id, !=, first->id);
  g_assert_cmpstr(second->witness, ==, "carol");
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM audit_log WHERE action = 'user.badge_vouch' "
                              "AND user_name = 'carol' AND detail = '{\"for\":\"witness\"}'"),
                  ==, 1);
  badge_teardown(&b);
}

/* The second person confirming a resolution taps their badge on the review screen: it
 * chooses them and their PIN confirms, or the tap alone confirms where the setting
 * allows; the resolver's own badge cannot confirm. */
static void
test_confirm_by_badge(void)
{
  BadgeTest b;
  badge_setup(&b, (const char *const[]){"vic", BOB_CARD, "sue", "04000000000003", NULL});
  UiTest *t = &b.t;
  ui_test_start_count(t);
  ui_test_click(t, NULL, "close");
  ui_test_click(t, NULL, "confirm-close");
  ui_test_click(t, NULL, "sign-out-button");
  ui_test_sign_in(t, "sue", "1234");
  ui_test_click(t, NULL, "review");
  MusterKioskScreenReview *review =
      MUSTER_KIOSK_SCREEN_REVIEW(muster_kiosk_window_get_screen(t->window, "review"));
  GListModel *model = muster_kiosk_screen_review_get_model(review);
  gtk_check_button_set_active(GTK_CHECK_BUTTON(ui_test_get(t, "unresolved-only")), TRUE);
  guint total = g_list_model_get_n_items(model);
  g_assert_cmpuint(total, >, 2);
  muster_kiosk_screen_review_select(review, 0);
  g_autoptr(MusterKioskDiscrepancyRow) row = g_list_model_get_item(model, 0);
  g_assert_cmpstr(muster_kiosk_discrepancy_row_get_kind(row), ==, "missing");
  gtk_drop_down_set_selected(GTK_DROP_DOWN(ui_test_get(t, "action")), 0); /* found */

  tap_card(&b, "04000000000003", NULL); /* sue's own */
  wait_read(&b);
  g_assert_nonnull(strstr(label_text(&b, "review-error"), "own resolution"));
  g_assert_cmpuint(g_list_model_get_n_items(model), ==, total);
  tap_card(&b, BOB_CARD, NULL); /* vic's */
  wait_read(&b);
  g_assert_nonnull(strstr(label_text(&b, "confirm-hint"), "vic"));
  g_assert_cmpstr(muster_kiosk_dropdown_get_string(GTK_DROP_DOWN(ui_test_get(t, "confirmer"))), ==,
                  "vic");
  ui_test_type_pin(t, "confirm-pin", "1234");
  g_assert_cmpuint(g_list_model_get_n_items(model), ==, total - 1);
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM resolution r JOIN app_user u ON "
                              "u.id = r.confirmed_by WHERE u.name = 'vic'"),
                  ==, 1);

  /* The tap alone confirms. */
  g_assert_true(muster_settings_set(t->store, t->admin, "badge_needs_pin", 0, NULL));
  muster_kiosk_screen_review_select(review, 0);
  gtk_drop_down_set_selected(GTK_DROP_DOWN(ui_test_get(t, "action")), 0);
  tap_card(&b, BOB_CARD, "genuine");
  wait_read(&b);
  g_assert_cmpuint(g_list_model_get_n_items(model), ==, total - 2);
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM resolution r JOIN app_user u ON "
                              "u.id = r.confirmed_by WHERE u.name = 'vic'"),
                  ==, 2);
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM audit_log WHERE action = 'user.badge_vouch' "
                              "AND user_name = 'vic' AND detail = '{\"for\":\"confirm\"}'"),
                  ==, 1);
  badge_teardown(&b);
}

static gboolean
on_sign_in_page(gpointer data)
{
  return g_strcmp0(ui_test_page(data), "sign-in") == 0;
}

static void
test_revoked_sent_back(void)
{
  BadgeTest b;
  badge_setup(&b, NULL);
  UiTest *t = &b.t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) shell = muster_store_open(t->path, &error);
  g_assert_no_error(error);
  /* bob is about to start a count when an admin deactivates him elsewhere. */
  ui_test_sign_in(t, "bob", "1234");
  ui_test_click(t, NULL, "start");
  g_assert_true(muster_users_set_active(shell, t->admin, "bob", FALSE, &error));
  g_assert_no_error(error);
  g_assert_true(muster_kiosk_dropdown_select(GTK_DROP_DOWN(ui_test_get(t, "witness")), "carol"));
  ui_test_type_pin(t, "witness-pin", "1234");
  g_assert_true(ui_test_wait(on_sign_in_page, t, 5000));
  g_assert_null(muster_kiosk_session_get_user(t->session));
  g_assert_nonnull(strstr(label_text(&b, "sign-in-error"), "bob was deactivated at"));
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM count_session"), ==, 0);
  g_assert_cmpint(sql_int(&b, "SELECT count(*) FROM audit_log WHERE action = 'user.sign_out' "
                              "AND user_name = 'bob' AND detail = '{\"why\":\"revoked\"}'"),
                  ==, 1);

  /* sue is locked out by wrong PINs typed elsewhere: her next touch sends her back. */
  ui_test_sign_in(t, "sue", "1234");
  g_assert_cmpstr(ui_test_page(t), ==, "home");
  for (int i = 0; i < 5; i++) {
    g_autoptr(MusterUser) none = muster_users_authenticate(shell, "sue", "0000", NULL);
  }
  muster_kiosk_session_poke(t->session); /* what the window does on any touch or key */
  g_assert_true(ui_test_wait(on_sign_in_page, t, 5000));
  g_assert_null(muster_kiosk_session_get_user(t->session));
  g_assert_nonnull(strstr(label_text(&b, "sign-in-error"), "sue was locked at"));
  badge_teardown(&b);
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  gtk_test_init(&argc, &argv, NULL);
  g_test_add_func("/ui/badge/tap-then-pin", test_tap_then_pin);
  g_test_add_func("/ui/badge/tap-alone", test_tap_alone);
  g_test_add_func("/ui/badge/refused", test_refused);
  g_test_add_func("/ui/badge/given-at-kiosk", test_given_at_kiosk);
  g_test_add_func("/ui/badge/witness", test_witness_by_badge);
  g_test_add_func("/ui/badge/confirm", test_confirm_by_badge);
  g_test_add_func("/ui/sign-in/scan-while-locked", test_scan_while_locked);
  g_test_add_func("/ui/sign-in/revoked-sent-back", test_revoked_sent_back);
  return g_test_run();
}
