/*
 * test-ui-e2e.c: a whole count through the kiosk's screens, then the database.
 *
 * bob (staff) signs in, starts a count of the whole armoury with carol as witness,
 * the simulated reader plays the demo armoury's feed (planted anomalies included),
 * bob records the unmarked items found, the kiosk is torn down and rebuilt (as after
 * a crash) and comes back to the same open count, bob closes it; sue (supervisor)
 * reviews, filters, resolves every discrepancy (vic confirms missing items and status
 * conflicts with his PIN; a wrong PIN resolves nothing) and signs off. Then the test
 * reads the count back through the engine on its own connection.
 *
 * Throughout, each outcome the screen receives is checked against the database
 * through that other connection: a scan is shown only once it is committed.
 */
#include "ui-test.h"

#include "db/counts.h"
#include "db/reconcile.h"
#include "drivers/sim/sim-reader.h"
#include "ui/count-model.h"
#include "ui/review-model.h"
#include "ui/screen-live.h"
#include "ui/screen-review.h"
#include "ui/widgets.h"

#include <locale.h>

typedef struct {
  UiTest t;
  guint outcomes;
  gint64 count_id;
  MusterReader *reader;
} E2e;

static void
on_outcome(MusterKioskCountModel *m, MusterKioskScanRow *row, E2e *e)
{
  e->outcomes++;
  /* The test's own connection must already see this scan. */
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) c = muster_counts_get_by_id(e->t.store, e->count_id, &error);
  g_assert_no_error(error);
  g_assert_cmpint(c->scans, >=, e->outcomes);
  g_assert_cmpint(muster_kiosk_scan_row_get_scan_id(row), >, 0);
}

static gboolean
feed_done(gpointer data)
{
  E2e *e = data;
  MusterKioskCountModel *m = muster_kiosk_session_get_count(e->t.session);
  return muster_sim_reader_is_done(MUSTER_SIM_READER(e->reader)) &&
         muster_kiosk_count_model_get_scans(m) == (gint64)e->outcomes && e->outcomes > 0 &&
         g_main_context_pending(NULL) == FALSE;
}

static void
start_count(E2e *e)
{
  UiTest *t = &e->t;
  ui_test_sign_in(t, "bob", "1234");
  ui_test_click(t, NULL, "start");
  /* The witness cannot be the counter: bob is not offered. */
  GtkDropDown *witness = GTK_DROP_DOWN(ui_test_get(t, "witness"));
  g_assert_false(muster_kiosk_dropdown_select(witness, "bob"));
  g_assert_true(muster_kiosk_dropdown_select(witness, "carol"));
  ui_test_type_pin(t, "witness-pin", "9999"); /* wrong: no count */
  g_assert_cmpstr(ui_test_page(t), ==, "start");
  g_autoptr(GPtrArray) open = muster_counts_open(t->store, NULL);
  g_assert_cmpuint(open->len, ==, 0);
  ui_test_type_pin(t, "witness-pin", "1234");
  g_assert_cmpstr(ui_test_page(t), ==, "live");
  MusterKioskCountModel *m = muster_kiosk_session_get_count(t->session);
  e->count_id = muster_kiosk_count_model_get_count_id(m);
  g_signal_connect(m, "outcome", G_CALLBACK(on_outcome), e);
}

static void
scan_everything(E2e *e)
{
  UiTest *t = &e->t;
  e->reader = MUSTER_READER(muster_sim_reader_new("sim0", t->demo->feed, 0));
  muster_kiosk_session_add_reader(t->session, e->reader);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(e->reader, &error));
  g_assert_true(ui_test_wait(feed_done, e, 30000));
  MusterKioskCountModel *m = muster_kiosk_session_get_count(t->session);
  g_autoptr(MusterCount) c = muster_counts_get_by_id(t->store, e->count_id, &error);
  g_assert_cmpint(c->scans, ==, e->outcomes);
  g_assert_cmpint(c->found, ==, muster_kiosk_count_model_get_found(m));
  /* The screen shows the last committed scan, and the counters agree with the engine. */
  g_autofree char *found = g_strdup_printf("%" G_GINT64_FORMAT, c->found);
  g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(ui_test_get(t, "found"))), ==, found);
  GListModel *recent = muster_kiosk_count_model_get_recent(m);
  g_assert_cmpuint(g_list_model_get_n_items(recent), ==,
                   MIN(e->outcomes, MUSTER_KIOSK_RECENT_SCANS));
  MusterKioskScreenLive *live =
      MUSTER_KIOSK_SCREEN_LIVE(muster_kiosk_window_get_screen(t->window, "live"));
  g_assert_cmpstr(muster_kiosk_screen_live_get_banner_title(live), !=,
                  "Ready: scan the first item");
}

static void
record_unmarked(E2e *e)
{
  UiTest *t = &e->t;
  for (guint i = 0; i < t->demo->unmarked->len; i++) {
    const MusterDemoUnmarked *u = g_ptr_array_index(t->demo->unmarked, i);
    ui_test_click(t, NULL, "unmarked");
    g_assert_cmpstr(ui_test_page(t), ==, "unmarked");
    gtk_editable_set_text(GTK_EDITABLE(ui_test_get(t, "description")), u->description);
    g_assert_true(
        muster_kiosk_dropdown_select(GTK_DROP_DOWN(ui_test_get(t, "location")), u->location));
    ui_test_click(t, NULL, "save");
    g_assert_cmpstr(ui_test_page(t), ==, "live");
  }
  g_autoptr(MusterCount) c = muster_counts_get_by_id(t->store, e->count_id, NULL);
  g_assert_cmpint(c->unmarked, ==, t->demo->unmarked->len);
}

/* The kiosk goes away and comes back: the open count is still there to resume. */
static void
restart_and_resume(E2e *e)
{
  UiTest *t = &e->t;
  g_autoptr(MusterCount) before = muster_counts_get_by_id(t->store, e->count_id, NULL);
  muster_reader_stop(e->reader);
  g_clear_object(&e->reader);
  ui_test_restart(t, 1024, 600);
  g_assert_cmpstr(ui_test_page(t), ==, "sign-in");
  ui_test_sign_in(t, "bob", "1234");
  ui_test_click(t, NULL, "resume");
  g_assert_cmpstr(ui_test_page(t), ==, "live");
  MusterKioskCountModel *m = muster_kiosk_session_get_count(t->session);
  g_assert_cmpint(muster_kiosk_count_model_get_count_id(m), ==, e->count_id);
  g_assert_cmpint(muster_kiosk_count_model_get_found(m), ==, before->found);
  g_assert_cmpint(muster_kiosk_count_model_get_scans(m), ==, before->scans);
}

static void
close_count(E2e *e)
{
  UiTest *t = &e->t;
  ui_test_click(t, NULL, "close");
  ui_test_click(t, NULL, "confirm-close");
  g_assert_cmpstr(ui_test_page(t), ==, "home");
  g_autoptr(MusterCount) c = muster_counts_get_by_id(t->store, e->count_id, NULL);
  g_assert_cmpint(c->state, ==, MUSTER_COUNT_CLOSED);
  ui_test_click(t, NULL, "sign-out-button");
}

static MusterKioskScreenReview *
review_screen(UiTest *t)
{
  return MUSTER_KIOSK_SCREEN_REVIEW(muster_kiosk_window_get_screen(t->window, "review"));
}

static void
check_kind_filter(UiTest *t)
{
  GListModel *model = muster_kiosk_screen_review_get_model(review_screen(t));
  /* "missing" is the first kind; index 0 is "all kinds". */
  g_assert_cmpstr(muster_discrepancy_kind_name(0), ==, "missing");
  gtk_drop_down_set_selected(GTK_DROP_DOWN(ui_test_get(t, "kind-filter")), 1);
  guint n = g_list_model_get_n_items(model);
  g_assert_cmpuint(n, ==, muster_demo_count_kind(t->demo, "missing"));
  for (guint i = 0; i < n; i++) {
    g_autoptr(MusterKioskDiscrepancyRow) row = g_list_model_get_item(model, i);
    g_assert_cmpstr(muster_kiosk_discrepancy_row_get_kind(row), ==, "missing");
  }
  gtk_drop_down_set_selected(GTK_DROP_DOWN(ui_test_get(t, "kind-filter")), 0);
}

static void
resolve_all(E2e *e)
{
  UiTest *t = &e->t;
  MusterKioskScreenReview *review = review_screen(t);
  GListModel *model = muster_kiosk_screen_review_get_model(review);
  gtk_check_button_set_active(GTK_CHECK_BUTTON(ui_test_get(t, "unresolved-only")), TRUE);
  guint total = g_list_model_get_n_items(model);
  g_assert_cmpuint(total, >, 0);
  gboolean tried_wrong_pin = FALSE;
  for (guint done = 0; done < total; done++) {
    g_assert_cmpuint(g_list_model_get_n_items(model), ==, total - done);
    muster_kiosk_screen_review_select(review, 0);
    g_autoptr(MusterKioskDiscrepancyRow) row = g_list_model_get_item(model, 0);
    const char *kind = muster_kiosk_discrepancy_row_get_kind(row);
    gtk_drop_down_set_selected(GTK_DROP_DOWN(ui_test_get(t, "action")), 0); /* found */
    if (muster_kiosk_discrepancy_needs_confirmer(kind)) {
      GtkDropDown *confirmer = GTK_DROP_DOWN(ui_test_get(t, "confirmer"));
      g_assert_false(muster_kiosk_dropdown_select(confirmer, "sue")); /* not oneself */
      g_assert_true(muster_kiosk_dropdown_select(confirmer, "vic"));
      if (!tried_wrong_pin) {
        ui_test_type_pin(t, "confirm-pin", "0000");
        g_assert_cmpuint(g_list_model_get_n_items(model), ==, total - done);
        g_assert_true(gtk_widget_get_visible(ui_test_get(t, "review-error")));
        tried_wrong_pin = TRUE;
      }
      ui_test_type_pin(t, "confirm-pin", "1234");
    } else {
      gtk_editable_set_text(GTK_EDITABLE(ui_test_get(t, "reason")), "checked by the e2e test");
      ui_test_click(t, NULL, "resolve");
    }
  }
  g_assert_true(tried_wrong_pin);
  g_assert_cmpuint(g_list_model_get_n_items(model), ==, 0);
}

static void
review_and_sign_off(E2e *e)
{
  UiTest *t = &e->t;
  ui_test_sign_in(t, "sue", "1234");
  ui_test_click(t, NULL, "review");
  g_assert_cmpstr(ui_test_page(t), ==, "review");
  g_autoptr(MusterCount) c = muster_counts_get_by_id(t->store, e->count_id, NULL);
  g_assert_cmpint(c->state, ==, MUSTER_COUNT_RECONCILED);
  GListModel *model = muster_kiosk_screen_review_get_model(review_screen(t));
  g_assert_cmpuint(g_list_model_get_n_items(model), ==, c->discrepancies);
  /* Sign-off is refused while anything is unresolved (the engine says why). */
  ui_test_click(t, NULL, "sign-off");
  g_assert_true(gtk_widget_get_visible(ui_test_get(t, "review-error")));
  check_kind_filter(t);
  resolve_all(e);
  gtk_editable_set_text(GTK_EDITABLE(ui_test_get(t, "note")), "all resolved, e2e");
  ui_test_click(t, NULL, "sign-off");
  g_assert_false(gtk_widget_get_visible(ui_test_get(t, "review-error")));
}

static void
check_database(E2e *e)
{
  UiTest *t = &e->t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) c = muster_counts_get_by_id(t->store, e->count_id, &error);
  g_assert_no_error(error);
  g_assert_cmpint(c->state, ==, MUSTER_COUNT_SIGNED_OFF);
  g_assert_cmpstr(c->counter, ==, "bob");
  g_assert_cmpstr(c->witness, ==, "carol");
  g_assert_cmpstr(c->signed_off_by, ==, "sue");
  g_assert_cmpstr(c->signoff_note, ==, "all resolved, e2e");
  g_assert_cmpint(c->unresolved, ==, 0);
  g_assert_cmpint(c->unmarked, ==, t->demo->unmarked->len);
  MusterDiscrepancyFilter all = {.resolved = -1};
  g_autoptr(GPtrArray) list = muster_discrepancies_list(t->store, e->count_id, &all, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(list->len, ==, c->discrepancies);
  guint confirmed = 0;
  for (guint i = 0; i < list->len; i++) {
    const MusterDiscrepancy *d = g_ptr_array_index(list, i);
    g_assert_cmpstr(d->resolution_action, ==, "found");
    g_assert_cmpstr(d->resolved_by, ==, "sue");
    if (muster_kiosk_discrepancy_needs_confirmer(d->kind)) {
      g_assert_cmpstr(d->confirmed_by, ==, "vic");
      confirmed++;
    } else {
      g_assert_cmpstr(d->resolution_reason, ==, "checked by the e2e test");
    }
  }
  /* Every planted anomaly kind that is a discrepancy was found and handled. */
  g_assert_cmpuint(confirmed, ==,
                   muster_demo_count_kind(t->demo, "missing") +
                       muster_demo_count_kind(t->demo, "status_conflict"));
  g_assert_cmpuint(confirmed, >, 0);
}

static void
test_whole_count(void)
{
  E2e e = {0};
  ui_test_setup(&e.t, 300, 1024, 600);
  start_count(&e);
  scan_everything(&e);
  record_unmarked(&e);
  restart_and_resume(&e);
  close_count(&e);
  review_and_sign_off(&e);
  check_database(&e);
  ui_test_teardown(&e.t);
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  gtk_test_init(&argc, &argv, NULL);
  g_test_add_func("/ui/e2e/whole-count", test_whole_count);
  return g_test_run();
}
