/*
 * test-ui-parts.c: the kiosk's pieces and rules, each on its own.
 *
 * - the PIN pad: digits, erase, clear, OK hands over exactly the PIN typed, and keeps
 *   nothing afterwards;
 * - outcome cues: a distinct colour class and tone for every outcome, valid WAV data;
 * - signing in: a wrong PIN stays on the sign-in screen with the engine's message, and
 *   repeated wrong PINs lock the account;
 * - no way out for staff: closing the window is refused; an admin's exit closes it;
 * - the idle lock signs the user out and shows the sign-in screen;
 * - each reader's state and last error on the live screen, following the reader, and
 *   no expected figure in a blind count;
 * - a database that refuses the commit (another program holds the write lock): the
 *   scan is not shown, the screen says why, and once the lock goes the retry commits
 *   and shows it — nothing read is lost; progress by rack then shows found / expected;
 * - readers from a readers file, claimed: while another program holds them the status
 *   screen says so (with its pid) and the kiosk runs on; once free, the file's reader
 *   is the kiosk's, and `muster readers list` (the holder's status) shows it;
 * - progress by rack: a weapon the records put in another rack is shown as "+1 not
 *   expected here", not as one of the rack's expected items, live and after a restart;
 * - a reader plugged in during a count appears on the live and status screens, and
 *   its scans are counted;
 * - with no count attached, a scan from any reader (one plugged in while the lookup
 *   screen is shown too) looks the item up; a rack label does not.
 */
#include "ui-test.h"

#include "db/count-progress.h"
#include "db/counts.h"
#include "db/items.h"
#include "db/sync-state.h"
#include "drivers/sim/sim-reader.h"
#include "ui/count-model.h"
#include "ui/cue.h"
#include "ui/i18n.h"
#include "ui/kiosk.h"
#include "ui/pin-pad.h"
#include "ui/widgets.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>

static void
on_submitted(MusterKioskPinPad *pad, const char *pin, char **out)
{
  g_free(*out);
  *out = g_strdup(pin);
}

static void
test_pin_pad(void)
{
  muster_kiosk_init();
  GtkWidget *pad = g_object_ref_sink(muster_kiosk_pin_pad_new());
  g_autofree char *got = NULL;
  g_signal_connect(pad, "submitted", G_CALLBACK(on_submitted), &got);
  MusterKioskPinPad *p = MUSTER_KIOSK_PIN_PAD(pad);
  muster_kiosk_pin_pad_press(p, "ok"); /* nothing typed: nothing submitted */
  g_assert_null(got);
  for (const char *k = "12345"; *k; k++) {
    char key[2] = {*k, 0};
    g_signal_emit_by_name(ui_test_find(pad, key), "clicked");
  }
  g_assert_cmpuint(muster_kiosk_pin_pad_get_length(p), ==, 5);
  g_signal_emit_by_name(ui_test_find(pad, "back"), "clicked");
  g_assert_cmpuint(muster_kiosk_pin_pad_get_length(p), ==, 4);
  g_signal_emit_by_name(ui_test_find(pad, "ok"), "clicked");
  g_assert_cmpstr(got, ==, "1234");
  g_assert_cmpuint(muster_kiosk_pin_pad_get_length(p), ==, 0);
  /* At most 12 digits are kept. */
  for (int i = 0; i < 20; i++)
    muster_kiosk_pin_pad_press(p, "7");
  g_assert_cmpuint(muster_kiosk_pin_pad_get_length(p), ==, 12);
  muster_kiosk_pin_pad_press(p, "clear");
  g_assert_cmpuint(muster_kiosk_pin_pad_get_length(p), ==, 0);
  g_object_unref(pad);
}

static void
test_cues(void)
{
  const MusterOutcome outcomes[] = {MUSTER_OUTCOME_ACCEPTED,        MUSTER_OUTCOME_DUPLICATE,
                                    MUSTER_OUTCOME_UNKNOWN,         MUSTER_OUTCOME_WRONG_LOCATION,
                                    MUSTER_OUTCOME_STATUS_CONFLICT, MUSTER_OUTCOME_NOT_GENUINE,
                                    MUSTER_OUTCOME_UNREADABLE,      MUSTER_OUTCOME_AMBIGUOUS};
  g_autoptr(GHashTable) classes = g_hash_table_new(g_str_hash, g_str_equal);
  g_autoptr(GHashTable) tones = g_hash_table_new(g_bytes_hash, g_bytes_equal);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
  for (guint i = 0; i < G_N_ELEMENTS(outcomes); i++) {
    const MusterKioskCue *cue = muster_kiosk_cue_for(outcomes[i]);
    g_assert_cmpint(cue->outcome, ==, outcomes[i]);
    g_assert_true(g_hash_table_add(classes, (gpointer)cue->css_class));
    GBytes *wav = muster_kiosk_cue_wav(cue);
    g_ptr_array_add(keep, wav);
    gsize len;
    const guint8 *d = g_bytes_get_data(wav, &len);
    g_assert_cmpuint(len, >, 44);
    g_assert_cmpmem(d, 4, "RIFF", 4);
    g_assert_cmpmem(d + 8, 8, "WAVEfmt ", 8);
    guint32 riff = d[4] | d[5] << 8 | d[6] << 16 | (guint32)d[7] << 24;
    guint32 data = d[40] | d[41] << 8 | d[42] << 16 | (guint32)d[43] << 24;
    g_assert_cmpuint(riff, ==, len - 8);
    g_assert_cmpuint(data, ==, len - 44);
    /* The six outcomes a counter must tell apart sound different. */
    if (outcomes[i] <= MUSTER_OUTCOME_NOT_GENUINE)
      g_assert_true(g_hash_table_add(tones, wav));
  }
  /* Cue classes are all known to muster_kiosk_cue_classes (so the previous is removed). */
  guint n = 0;
  for (const char *const *c = muster_kiosk_cue_classes(); *c; c++, n++)
    g_assert_true(g_hash_table_contains(classes, *c));
  g_assert_cmpuint(n, ==, g_hash_table_size(classes));
}

static void
test_wrong_pin_and_lockout(void)
{
  UiTest t;
  ui_test_setup(&t, 200, 1024, 600);
  ui_test_sign_in(&t, "bob", "9999");
  g_assert_cmpstr(ui_test_page(&t), ==, "sign-in");
  g_assert_null(muster_kiosk_session_get_user(t.session));
  for (int i = 0; i < 5; i++)
    ui_test_sign_in(&t, "bob", "9999");
  ui_test_sign_in(&t, "bob", "1234"); /* right PIN, but locked now */
  g_assert_cmpstr(ui_test_page(&t), ==, "sign-in");
  g_autoptr(MusterUser) bob = muster_users_get(t.store, "bob", NULL);
  g_assert_true(bob->locked);
  ui_test_teardown(&t);
}

static void
on_destroy(GtkWidget *w, gboolean *destroyed)
{
  *destroyed = TRUE;
}

static void
test_no_way_out_for_staff(void)
{
  UiTest t;
  ui_test_setup(&t, 200, 1024, 600);
  gboolean destroyed = FALSE;
  g_signal_connect(t.window, "destroy", G_CALLBACK(on_destroy), &destroyed);
  ui_test_sign_in(&t, "bob", "1234");
  gtk_window_close(GTK_WINDOW(t.window)); /* what Alt-F4 asks for */
  while (g_main_context_iteration(NULL, FALSE))
    ;
  g_assert_false(destroyed);
  g_assert_true(gtk_widget_get_mapped(GTK_WIDGET(t.window)));
  /* The engine refuses staff even if the exit were reached. */
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_kiosk_session_request_exit(t.session, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  ui_test_click(&t, NULL, "sign-out-button");
  ui_test_sign_in(&t, "admin", "123456");
  ui_test_click(&t, NULL, "exit");
  g_assert_true(destroyed);
  t.window = NULL;
  ui_test_teardown(&t);
}

static gboolean
signed_out(gpointer data)
{
  return muster_kiosk_session_get_user(((UiTest *)data)->session) == NULL;
}

static void
test_idle_lock(void)
{
  UiTest t;
  ui_test_setup(&t, 200, 1024, 600);
  ui_test_sign_in(&t, "bob", "1234");
  g_assert_cmpstr(ui_test_page(&t), ==, "home");
  muster_kiosk_session_set_lock_seconds(t.session, 1);
  g_assert_true(ui_test_wait(signed_out, &t, 3000));
  g_assert_cmpstr(ui_test_page(&t), ==, "sign-in");
  /* The setting exists, with its bounds, for admins to change. */
  g_assert_cmpint(muster_kiosk_session_get_lock_seconds(t.session), ==, 1);
  muster_kiosk_session_reload_settings(t.session);
  g_assert_cmpint(muster_kiosk_session_get_lock_seconds(t.session), ==, 120);
  ui_test_teardown(&t);
}

static gboolean
has_error(gpointer data)
{
  MusterKioskCountModel *m = data;
  return muster_kiosk_count_model_get_last_error(m) != NULL;
}

static gboolean label_under_contains(GtkWidget *root, const char *text);

/* The live screen's progress by rack has "RACK: found / expected found" for the rack of
 * location, expected as the engine has it. */
static void
assert_rack_line(UiTest *t, MusterKioskCountModel *m, const char *location, gint64 found)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rack = muster_count_progress_rack_of(t->store, location, &error);
  g_assert_no_error(error);
  g_autoptr(GPtrArray) progress =
      muster_count_progress_by_rack(t->store, muster_kiosk_count_model_get_count_id(m), &error);
  g_assert_no_error(error);
  gint64 expected = -1;
  for (guint i = 0; i < progress->len; i++) {
    const MusterLocationProgress *p = g_ptr_array_index(progress, i);
    if (g_strcmp0(p->path, rack) == 0)
      expected = p->expected;
  }
  g_assert_cmpint(expected, >, 0);
  g_autofree char *line = g_strdup_printf("%s: %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " found",
                                          rack, found, expected);
  ui_test_wait_frame(t);
  g_assert_true(label_under_contains(ui_test_get(t, "racks"), line));
}

static gboolean
shown_one(gpointer data)
{
  MusterKioskCountModel *m = data;
  return g_list_model_get_n_items(muster_kiosk_count_model_get_recent(m)) == 1 &&
         muster_kiosk_count_model_get_last_error(m) == NULL;
}

static void
test_commit_refused_then_retried(void)
{
  UiTest t;
  ui_test_setup(&t, 200, 1024, 600);
  g_autoptr(MusterReader) reader = MUSTER_READER(muster_sim_reader_new("sim0", NULL, 0));
  muster_kiosk_session_add_reader(t.session, reader);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(reader, &error));
  MusterKioskCountModel *m = ui_test_start_count(&t);
  muster_store_set_busy_timeout(muster_kiosk_session_get_store(t.session), 50);

  /* Another program holds the write lock. */
  g_assert_true(muster_store_begin(t.store, &error));
  g_autoptr(MusterItem) item = muster_items_get(t.store, 1, &error);
  g_assert_no_error(error);
  g_autofree char *at = g_strdup_printf("@%s", item->location_path);
  muster_sim_reader_push(MUSTER_SIM_READER(reader), at);
  muster_sim_reader_push(MUSTER_SIM_READER(reader), item->serial);
  g_assert_true(ui_test_wait(has_error, m, 5000));
  ui_test_wait_frame(&t);
  g_assert_cmpuint(g_list_model_get_n_items(muster_kiosk_count_model_get_recent(m)), ==, 0);
  GtkWidget *error_label = ui_test_get(&t, "live-error");
  g_assert_true(gtk_widget_get_mapped(error_label));
  g_assert_nonnull(strstr(gtk_label_get_text(GTK_LABEL(error_label)), "1 waiting"));

  /* The lock goes: the retry commits and only then shows the scan. */
  muster_store_rollback(t.store);
  g_assert_true(ui_test_wait(shown_one, m, 5000));
  g_autoptr(MusterKioskScanRow) row =
      g_list_model_get_item(muster_kiosk_count_model_get_recent(m), 0);
  g_assert_cmpint(muster_kiosk_scan_row_get_outcome(row), ==, MUSTER_OUTCOME_ACCEPTED);
  g_autoptr(MusterCount) c =
      muster_counts_get_by_id(t.store, muster_kiosk_count_model_get_count_id(m), &error);
  g_assert_cmpint(c->scans, ==, 1);
  g_assert_cmpint(c->found, ==, 1);
  assert_rack_line(&t, m, item->location_path, 1);
  muster_reader_stop(reader);
  ui_test_teardown(&t);
}

static gboolean
label_under_contains(GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL(root) && gtk_widget_get_mapped(root) &&
      strstr(gtk_label_get_text(GTK_LABEL(root)), text) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child(root); c != NULL;
       c = gtk_widget_get_next_sibling(c))
    if (label_under_contains(c, text))
      return TRUE;
  return FALSE;
}

typedef struct {
  UiTest *t;
  const char *text;
} LabelWait;

static gboolean
racks_show(gpointer data)
{
  LabelWait *w = data;
  return label_under_contains(ui_test_get(w->t, "racks"), w->text);
}

static gboolean
reader_done(gpointer data)
{
  return muster_sim_reader_is_done(data);
}

/* A weapon the records put in another rack, read in this one, is not counted towards
 * this rack's expected items but shown beside them; after a restart the engine's figures
 * say the same as those followed live. */
static void
test_rack_progress_unexpected(void)
{
  UiTest t;
  ui_test_setup(&t, 200, 1024, 600);
  g_autoptr(MusterSimReader) reader = muster_sim_reader_new("sim0", NULL, 0);
  muster_kiosk_session_add_reader(t.session, MUSTER_READER(reader));
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(MUSTER_READER(reader), &error));
  MusterKioskCountModel *m = ui_test_start_count(&t);
  /* Two weapons in store, in different racks. */
  g_autoptr(MusterItem) here = muster_items_get(t.store, 1, &error);
  g_autofree char *rack = muster_count_progress_rack_of(t.store, here->location_path, &error);
  g_autoptr(MusterItem) other = NULL;
  for (gint64 id = 2; other == NULL; id++) {
    g_autoptr(MusterItem) i = muster_items_get(t.store, id, &error);
    g_assert_no_error(error);
    g_autofree char *r = muster_count_progress_rack_of(t.store, i->location_path, &error);
    if (i->status == MUSTER_STATUS_IN_STORE && g_strcmp0(r, rack) != 0)
      other = g_steal_pointer(&i);
  }
  g_autofree char *at = g_strdup_printf("@%s", here->location_path);
  muster_sim_reader_push(reader, at);
  muster_sim_reader_push(reader, here->serial);
  muster_sim_reader_push(reader, other->serial);
  g_assert_true(ui_test_wait(reader_done, reader, 5000));
  /* Live: the line follows the committed results. */
  g_autoptr(MusterCount) c =
      muster_counts_get_by_id(t.store, muster_kiosk_count_model_get_count_id(m), &error);
  g_autoptr(GPtrArray) before = muster_count_progress_by_rack(t.store, c->id, &error);
  gint64 expected = 0;
  for (guint i = 0; i < before->len; i++) {
    const MusterLocationProgress *p = g_ptr_array_index(before, i);
    if (g_str_equal(p->path, rack))
      expected = p->expected;
  }
  g_assert_cmpint(expected, >, 0);
  g_autofree char *line =
      g_strdup_printf("%s: 1 / %" G_GINT64_FORMAT " found, +1 not expected here", rack, expected);
  LabelWait w = {&t, line};
  g_assert_true(ui_test_wait(racks_show, &w, 5000));
  /* The engine agrees. */
  g_autoptr(GPtrArray) progress = muster_count_progress_by_rack(t.store, c->id, &error);
  for (guint i = 0; i < progress->len; i++) {
    const MusterLocationProgress *p = g_ptr_array_index(progress, i);
    if (g_str_equal(p->path, rack)) {
      g_assert_cmpint(p->found, ==, 2);
      g_assert_cmpint(p->unexpected, ==, 1);
    }
  }

  muster_reader_stop(MUSTER_READER(reader));
  ui_test_restart(&t, 1024, 600);
  ui_test_sign_in(&t, "bob", "1234");
  g_assert_true(muster_kiosk_session_resume_count(t.session, &error));
  g_assert_no_error(error);
  g_assert_true(ui_test_wait(racks_show, &w, 5000));
  ui_test_teardown(&t);
}

static gboolean
readers_show(gpointer data)
{
  LabelWait *w = data;
  return label_under_contains(ui_test_get(w->t, "readers"), w->text);
}

/* Each reader's state and last error are on the live screen, and follow the reader; in
 * a blind count the expected figure is not on it. */
static void
test_reader_state_shown(void)
{
  UiTest t;
  ui_test_setup(&t, 200, 1024, 600);
  g_autoptr(MusterReader) reader = MUSTER_READER(muster_sim_reader_new("usb0", NULL, 0));
  muster_kiosk_session_add_reader(t.session, reader);
  ui_test_sign_in(&t, "bob", "1234");
  ui_test_click(&t, NULL, "start");
  muster_kiosk_dropdown_select(GTK_DROP_DOWN(ui_test_get(&t, "witness")), "carol");
  /* A blind count: the counter never sees what is expected. */
  gtk_switch_set_active(GTK_SWITCH(ui_test_get(&t, "blind")), TRUE);
  ui_test_type_pin(&t, "witness-pin", "1234");
  g_assert_cmpstr(ui_test_page(&t), ==, "live");
  ui_test_wait_frame(&t);
  g_assert_true(muster_kiosk_session_get_count(t.session) != NULL);
  g_assert_true(
      muster_kiosk_count_model_get_count(muster_kiosk_session_get_count(t.session))->blind);
  g_assert_false(gtk_widget_get_mapped(ui_test_get(&t, "expected")));
  g_assert_true(gtk_widget_get_mapped(ui_test_get(&t, "found")));
  /* Nor which racks expect items: nothing found, no rack listed. */
  g_assert_null(gtk_widget_get_first_child(ui_test_get(&t, "racks")));
  LabelWait w = {&t, "usb0 (sim): stopped"};
  g_assert_true(ui_test_wait(readers_show, &w, 2000));
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(reader, &error));
  w.text = "usb0 (sim): ready";
  g_assert_true(ui_test_wait(readers_show, &w, 2000));
  muster_reader_set_state(reader, MUSTER_READER_STATE_DISCONNECTED,
                          "The reader on /dev/ttyUSB0 was unplugged: plug it back in");
  w.text = "was unplugged: plug it back in";
  g_assert_true(ui_test_wait(readers_show, &w, 2000));
  GtkWidget *readers = ui_test_get(&t, "readers");
  GtkWidget *line = gtk_widget_get_first_child(readers);
  g_assert_true(gtk_widget_has_css_class(line, "reader-problem"));
  muster_reader_stop(reader);
  ui_test_teardown(&t);
}

static gboolean
status_readers_show(gpointer data)
{
  LabelWait *w = data;
  GtkWidget *status = muster_kiosk_window_get_screen(w->t->window, "status");
  return label_under_contains(ui_test_find(status, "readers"), w->text);
}

static gboolean
recent_has(gpointer data)
{
  MusterKioskCountModel *m = data;
  return g_list_model_get_n_items(muster_kiosk_count_model_get_recent(m)) == 1;
}

/* The readers of a readers file, claimed: held elsewhere, the status screen says so and
 * the kiosk runs on without them; once free, they are the kiosk's. */
static void
test_readers_held_elsewhere(void)
{
  UiTest t;
  ui_test_setup(&t, 200, 1024, 600);
  g_setenv("MUSTER_RUNTIME_DIR", t.dir, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *feed = g_build_filename(t.dir, "feed.txt", NULL);
  g_autofree char *conf = g_build_filename(t.dir, "readers.conf", NULL);
  g_autoptr(MusterItem) item = muster_items_get(t.store, 1, &error);
  g_assert_true(g_file_set_contents(feed, item->serial, -1, &error));
  g_autofree char *text = g_strdup_printf("[reader desk0]\nkind=sim\nfeed=%s\nrate=0\n", feed);
  g_assert_true(g_file_set_contents(conf, text, -1, &error));

  /* Another program (here a second claim on the same lock) holds the readers. */
  g_autoptr(MusterReaderManager) other = muster_reader_manager_new_for_readers(NULL);
  g_assert_true(muster_reader_manager_claim(other, &error));
  muster_kiosk_session_claim_readers(t.session, conf);
  const char *problem = muster_kiosk_session_get_readers_problem(t.session);
  g_assert_nonnull(problem);
  g_autofree char *pid = g_strdup_printf("pid %ld", (long)getpid());
  g_assert_nonnull(strstr(problem, "in use by another program"));
  g_assert_nonnull(strstr(problem, pid));
  g_assert_cmpuint(g_list_model_get_n_items(muster_kiosk_session_get_readers(t.session)), ==, 0);
  ui_test_sign_in(&t, "bob", "1234");
  muster_kiosk_session_navigate(t.session, "status");
  ui_test_wait_frame(&t);
  GtkWidget *label = ui_test_get(&t, "readers-problem");
  g_assert_true(gtk_widget_get_mapped(label));
  g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(label)), ==, problem);

  /* Free again: the file's reader is the kiosk's, and other programs see it. */
  g_clear_object(&other);
  muster_kiosk_session_claim_readers(t.session, conf);
  g_assert_null(muster_kiosk_session_get_readers_problem(t.session));
  GListModel *readers = muster_kiosk_session_get_readers(t.session);
  g_assert_cmpuint(g_list_model_get_n_items(readers), ==, 1);
  g_autoptr(MusterReader) desk = g_list_model_get_item(readers, 0);
  g_assert_cmpstr(muster_reader_get_id(desk), ==, "sim:desk0");
  muster_kiosk_session_navigate(t.session, "home");
  muster_kiosk_session_navigate(t.session, "status");
  LabelWait w = {&t, "sim:desk0 (sim)"};
  g_assert_true(ui_test_wait(status_readers_show, &w, 2000));
  g_assert_null(ui_test_find(GTK_WIDGET(t.window), "readers-problem"));
  g_autoptr(JsonNode) held = muster_reader_manager_read_holder_status(&error);
  g_assert_no_error(error);
  g_assert_nonnull(held);
  JsonArray *a = json_node_get_array(held);
  g_assert_cmpuint(json_array_get_length(a), ==, 1);
  g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(a, 0), "id"), ==,
                  "sim:desk0");
  ui_test_teardown(&t);
  g_unsetenv("MUSTER_RUNTIME_DIR");
}

/* A reader plugged in during a count: on the live screen at once, its scans counted,
 * and on the status screen. */
static void
test_reader_plugged_in_while_counting(void)
{
  UiTest t;
  ui_test_setup(&t, 200, 1024, 600);
  ui_test_start_count(&t);
  MusterKioskCountModel *m = muster_kiosk_session_get_count(t.session);
  LabelWait w = {&t, "No reader"};
  g_assert_true(ui_test_wait(readers_show, &w, 2000));

  g_autoptr(MusterSimReader) plugged = muster_sim_reader_new("usb7", NULL, 0);
  muster_kiosk_session_add_reader(t.session, MUSTER_READER(plugged));
  w.text = "usb7 (sim)";
  g_assert_true(ui_test_wait(readers_show, &w, 2000));
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(MUSTER_READER(plugged), &error));
  g_autoptr(MusterItem) item = muster_items_get(t.store, 2, &error);
  g_assert_no_error(error);
  g_autofree char *at = g_strdup_printf("@%s", item->location_path);
  muster_sim_reader_push(plugged, at);
  muster_sim_reader_push(plugged, item->serial);
  g_assert_true(ui_test_wait(recent_has, m, 5000));
  g_autoptr(MusterKioskScanRow) row =
      g_list_model_get_item(muster_kiosk_count_model_get_recent(m), 0);
  g_assert_cmpint(muster_kiosk_scan_row_get_outcome(row), ==, MUSTER_OUTCOME_ACCEPTED);
  g_assert_cmpstr(muster_kiosk_count_model_get_location(m), ==, item->location_path);
  assert_rack_line(&t, m, item->location_path, 1);

  muster_kiosk_session_navigate(t.session, "status");
  w.text = "usb7 (sim): ready · 2 scans";
  g_assert_true(ui_test_wait(status_readers_show, &w, 2000));
  muster_reader_stop(MUSTER_READER(plugged));
  ui_test_teardown(&t);
}

static gboolean
marking_is(gpointer data)
{
  LabelWait *w = data;
  GtkWidget *entry = ui_test_get(w->t, "marking");
  return g_strcmp0(gtk_editable_get_text(GTK_EDITABLE(entry)), w->text) == 0;
}

static gboolean
played_all(gpointer data)
{
  return muster_sim_reader_is_done(data);
}

static void
test_scan_looks_up(void)
{
  UiTest t;
  ui_test_setup(&t, 200, 1024, 600);
  ui_test_sign_in(&t, "bob", "1234");
  ui_test_click(&t, NULL, "lookup");
  g_assert_cmpstr(ui_test_page(&t), ==, "lookup");
  g_autoptr(MusterSimReader) plugged = muster_sim_reader_new("usb8", NULL, 0);
  muster_kiosk_session_add_reader(t.session, MUSTER_READER(plugged));
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(MUSTER_READER(plugged), &error));
  g_autoptr(MusterItem) item = muster_items_get(t.store, 3, &error);
  g_assert_no_error(error);
  g_autofree char *at = g_strdup_printf("@%s", item->location_path);
  muster_sim_reader_push(plugged, item->serial);
  muster_sim_reader_push(plugged, at);
  LabelWait w = {&t, item->serial};
  g_assert_true(ui_test_wait(marking_is, &w, 5000));
  g_autofree char *sn = g_strdup_printf("SN %s", item->serial);
  GtkWidget *results = ui_test_get(&t, "results");
  ui_test_wait_frame(&t);
  g_assert_true(label_under_contains(results, sn));
  /* The rack label after it changed nothing. */
  g_assert_true(ui_test_wait(played_all, plugged, 5000));
  ui_test_wait_frame(&t);
  g_assert_cmpstr(gtk_editable_get_text(GTK_EDITABLE(ui_test_get(&t, "marking"))), ==,
                  item->serial);
  muster_reader_stop(MUSTER_READER(plugged));
  ui_test_teardown(&t);
}

/* The status screen says where sync stands, from the engine's sync state: not
 * configured, then the registry, the backlog and the last error. */
static void
test_sync_status(void)
{
  UiTest t;
  ui_test_setup(&t, 50, 1024, 600);
  ui_test_sign_in(&t, "bob", "1234");
  muster_kiosk_session_navigate(t.session, "status");
  ui_test_wait_frame(&t);
  GtkLabel *sync = GTK_LABEL(ui_test_get(&t, "sync"));
  g_assert_true(gtk_widget_get_mapped(GTK_WIDGET(sync)));
  g_assert_nonnull(strstr(gtk_label_get_text(sync), "Not configured"));

  g_autoptr(GError) error = NULL;
  g_assert_true(muster_sync_state_configure(t.store, t.admin, "https://registry.test:8443", NULL,
                                            NULL, &error));
  g_assert_no_error(error);
  g_assert_true(muster_sync_record_failure(t.store, "registry.test: connection refused", &error));
  g_autoptr(MusterSyncState) st = muster_sync_state_get(t.store, &error);
  g_assert_no_error(error);
  g_assert_cmpint(st->backlog, >, 0); /* the import of the test armoury is queued */
  muster_kiosk_session_navigate(t.session, "home");
  muster_kiosk_session_navigate(t.session, "status");
  ui_test_wait_frame(&t);
  const char *text = gtk_label_get_text(sync);
  g_test_message("%s", text);
  g_assert_nonnull(strstr(text, "https://registry.test:8443"));
  g_autofree char *waiting = g_strdup_printf("Waiting to be sent: %lld", (long long)st->backlog);
  g_assert_nonnull(strstr(text, waiting));
  g_assert_nonnull(strstr(text, "Last successful sync: never"));
  g_assert_nonnull(strstr(text, "connection refused"));
  g_assert_true(gtk_widget_has_css_class(GTK_WIDGET(sync), "error-text"));
  ui_test_teardown(&t);
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  gtk_test_init(&argc, &argv, NULL);
  g_test_add_func("/ui/pin-pad", test_pin_pad);
  g_test_add_func("/ui/cues", test_cues);
  g_test_add_func("/ui/sign-in/wrong-pin-and-lockout", test_wrong_pin_and_lockout);
  g_test_add_func("/ui/window/no-way-out-for-staff", test_no_way_out_for_staff);
  g_test_add_func("/ui/session/idle-lock", test_idle_lock);
  g_test_add_func("/ui/live/commit-refused-then-retried", test_commit_refused_then_retried);
  g_test_add_func("/ui/live/reader-state-shown", test_reader_state_shown);
  g_test_add_func("/ui/live/rack-progress-unexpected", test_rack_progress_unexpected);
  g_test_add_func("/ui/readers/held-elsewhere", test_readers_held_elsewhere);
  g_test_add_func("/ui/live/reader-plugged-in-while-counting",
                  test_reader_plugged_in_while_counting);
  g_test_add_func("/ui/lookup/scan-looks-up", test_scan_looks_up);
  g_test_add_func("/ui/status/sync", test_sync_status);
  return g_test_run();
}
