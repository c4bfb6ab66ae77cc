/*
 * muster-kiosk.c: the appliance's face — the GTK 4 touch kiosk.
 *
 *   muster-kiosk [--db PATH] [--readers FILE] [--sim-feed FILE | --sim-demo
 *                [--demo-items N] [--demo-seed S]] [--sim-rate N] [--windowed]
 *                [--resume-as NAME]
 *
 * Opens the same database as `muster` (--db, else MUSTER_DB, else the appliance's
 * default), fullscreen with no way out for staff. When there is no file there yet (first
 * boot), the setup screen creates it as `muster init` does and goes on to sign-in.
 * Readers come from a readers file as for `muster count scan --readers` (--readers, else
 * $MUSTER_READERS, else /etc/muster/readers.conf, else every driver's defaults), claimed
 * for this process so that `muster readers list` shows them; readers plugged in later
 * appear on screen. If another program holds the readers, or the file is wrong, the kiosk
 * still starts and its status screen says why. --sim-feed plays a scan feed (scan/scan.h
 * line format) through a simulated reader added to the others at N scans per second;
 * --sim-demo plays the feed of the armoury `muster demo` made with the same
 * --items/--seed, so a new count on the demo database can be counted on screen.
 * --windowed is for development and screenshots only; --resume-as NAME (PIN from
 * $MUSTER_PIN) signs NAME in and resumes the open count, for tests and demos that have
 * no finger to tap (tests/kiosk/test-kiosk-power-cut.sh).
 *
 * Everything else lives in ui/ (the muster-ui library), so the tests and the benchmark
 * run the very same screens.
 */
#include "db/store.h"
#include "demo/demo.h"
#include "drivers/sim/sim-reader.h"
#include "ui/i18n.h"
#include "ui/kiosk.h"
#include "ui/language-choice.h"
#include "ui/session.h"
#include "ui/window.h"

#include <glib-unix.h>
#include <errno.h>
#include <locale.h>
#include <string.h>
#include <sys/prctl.h>

typedef struct {
  char *db;
  char *readers;
  char *sim_feed;
  gboolean sim_demo;
  gint demo_items;
  gint demo_seed;
  double sim_rate;
  gboolean windowed;
  char *resume_as;
  char *pin; /* for --resume-as, taken out of the environment at start */
  MusterKioskSession *session;
} Options;

/* A problem before any screen can work (no database, say): shown, with what to do. */
static void
show_fatal(GtkApplication *app, const char *message)
{
  GtkWidget *window = gtk_application_window_new(app);
  GtkWidget *label = gtk_label_new(message);
  gtk_label_set_wrap(GTK_LABEL(label), TRUE);
  gtk_widget_add_css_class(label, "error-text");
  gtk_window_set_child(GTK_WINDOW(window), label);
  muster_kiosk_block_inspector_keys(window);
  gtk_window_fullscreen(GTK_WINDOW(window));
  gtk_window_present(GTK_WINDOW(window));
}

static gboolean
add_sim_reader(Options *o, MusterReaderManager *manager, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  if (o->sim_demo) {
    g_autoptr(MusterDemo) demo = muster_demo_generate((guint)o->demo_items, (guint32)o->demo_seed);
    text = muster_demo_feed_text(demo);
  } else if (!g_file_get_contents(o->sim_feed, &text, &len, error)) {
    g_prefix_error(error, "Reading the scan feed for the simulated reader: ");
    return FALSE;
  }
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  g_autoptr(GPtrArray) list = g_ptr_array_new();
  for (char **l = lines; *l != NULL; l++)
    if (**l != '\0')
      g_ptr_array_add(list, *l);
  g_autoptr(MusterSimReader) reader = muster_sim_reader_new("sim0", list, o->sim_rate);
  muster_reader_manager_add(manager, MUSTER_READER(reader));
  return TRUE;
}

static void
set_up_readers(Options *o)
{
  muster_kiosk_session_claim_readers(o->session, o->readers);
  MusterReaderManager *manager = muster_kiosk_session_get_reader_manager(o->session);
  g_autoptr(GError) error = NULL;
  if ((o->sim_feed != NULL || o->sim_demo) && !add_sim_reader(o, manager, &error)) {
    g_printerr("muster-kiosk: %s\n", error->message);
    g_clear_error(&error);
  }
  /* Readers that cannot start say why in their state, which the screens show. */
  if (!muster_reader_manager_start(manager, &error))
    g_message("muster-kiosk: %s", error->message);
}

/* --resume-as NAME: what a counter does after the kiosk restarted (sign in, Resume), for
 * tests and demos that have no finger: the PIN is $MUSTER_PIN, as for `muster`, and the
 * sign-in is the engine's, audited as any other. */
static void
resume_as(Options *o)
{
  if (o->resume_as == NULL || muster_kiosk_session_get_store(o->session) == NULL)
    return;
  g_autoptr(GError) error = NULL;
  if (!muster_kiosk_session_sign_in(o->session, o->resume_as, o->pin != NULL ? o->pin : "",
                                    &error) ||
      !muster_kiosk_session_resume_count(o->session, &error))
    g_printerr("muster-kiosk: --resume-as %s: %s\n", o->resume_as, error->message);
  if (o->pin != NULL)
    memset(o->pin, 0, strlen(o->pin));
  g_clear_pointer(&o->pin, g_free);
}

/* The readers, then the window on the session (its first screen: sign-in, or setup
 * when there is no database yet). */
static void
start_session(GtkApplication *app, Options *o, MusterKioskSession *session)
{
  o->session = session;
  /* Where the admin's backups go, and how many are kept: as the backup timer does
   * (muster.conf). */
  muster_kiosk_session_set_backup_folders(session, g_getenv("MUSTER_BACKUP_DIR"), NULL);
  const char *keep = g_getenv("MUSTER_BACKUP_KEEP");
  guint64 n = 0;
  if (keep != NULL && g_ascii_string_to_unsigned(keep, 10, 1, 1000, &n, NULL))
    muster_kiosk_session_set_backup_keep(session, (guint)n);
  set_up_readers(o);
  MusterKioskWindow *window = muster_kiosk_window_new(o->session, !o->windowed);
  gtk_window_set_application(GTK_WINDOW(window), app);
  if (o->windowed)
    muster_kiosk_window_set_layout_size(window, 1280, 800);
  gtk_window_present(GTK_WINDOW(window));
  resume_as(o);
}

static void
on_activate(GtkApplication *app, Options *o)
{
  if (o->session != NULL) {
    GList *windows = gtk_application_get_windows(app);
    if (windows != NULL)
      gtk_window_present(windows->data);
    return;
  }
  muster_kiosk_init();
  const char *path = o->db != NULL ? o->db : g_getenv("MUSTER_DB");
  if (path == NULL || *path == '\0')
    path = MUSTER_DEFAULT_DB;
  muster_kiosk_language_choice_apply(path);
  /* First boot: no database yet. The setup screen creates it as `muster init` would. */
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_message("No database at %s: showing the first-boot setup screen", path);
    start_session(app, o, muster_kiosk_session_new_for_setup(path));
    return;
  }
  g_autoptr(GError) error = NULL;
  MusterStore *store = muster_store_open(path, &error);
  if (store == NULL) {
    g_autofree char *message = g_strdup_printf(
        _("The kiosk cannot open its database %s: %s\nThe kiosk never replaces a file that "
          "is there: fix the problem or move the file away (the kiosk then sets up a new "
          "armoury), or give the right one with --db; then restart the kiosk."),
        path, error->message);
    g_printerr("%s\n", message);
    show_fatal(app, message);
    return;
  }
  g_message("Database %s opened: showing the sign-in screen", path);
  start_session(app, o, muster_kiosk_session_new(store));
}

/* systemd stopping the kiosk (SIGTERM), Ctrl-C or a closed terminal (SIGHUP): sign out
 * whoever is signed in (audited, why "terminated"; queued scans are committed first),
 * then leave the main loop so that the session is released. */
static gboolean
on_stop_signal(gpointer data)
{
  Options *o = data;
  g_message("muster-kiosk: stopping on a signal; queued scans are committed first");
  if (o->session != NULL)
    muster_kiosk_session_terminate(o->session);
  g_application_quit(g_application_get_default());
  return G_SOURCE_REMOVE;
}

/* GTK opens its Inspector at start for GTK_DEBUG=interactive, or on another display
 * named by GTK_INSPECTOR_DISPLAY; the kiosk offers no debugging, whoever started it.
 * Runs before GTK reads its environment (the keys are blocked on each window). */
static void
refuse_inspector_env(void)
{
  static const char *const names[] = {"GTK_DEBUG", "GTK_INSPECTOR_DISPLAY",
                                      "GTK_INSPECTOR_RENDERER"};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    if (g_getenv(names[i]) == NULL)
      continue;
    g_printerr("muster-kiosk: %s ignored: the kiosk has no debugging.\n", names[i]);
    g_unsetenv(names[i]);
  }
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  /* libnfc logs its internals to stderr (every poll of a missing reader); the readers
   * report trouble themselves, in `readers list` and on the kiosk. LIBNFC_LOG_LEVEL set
   * by the user still wins. Set before any thread starts. */
  g_setenv("LIBNFC_LOG_LEVEL", "0", FALSE);
  refuse_inspector_env();
  /* The kiosk holds typed PINs and a signed-in session: no core dumps, no ptrace by other
   * processes of the same user. */
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_warning("could not make the kiosk undumpable: %s", g_strerror(errno));
  Options o = {.sim_rate = 2.0, .demo_items = MUSTER_DEMO_DEFAULT_ITEMS, .demo_seed = 2026};
  /* A PIN never stays in the environment, where other processes of the user read it. */
  o.pin = g_strdup(g_getenv("MUSTER_PIN"));
  g_unsetenv("MUSTER_PIN");
  GOptionEntry entries[] = {
      {"db", 0, 0, G_OPTION_ARG_FILENAME, &o.db, "The armoury database (default: $MUSTER_DB)",
       "PATH"},
      {"readers", 0, 0, G_OPTION_ARG_FILENAME, &o.readers,
       "The readers file (default: $MUSTER_READERS, else " MUSTER_DEFAULT_READERS_FILE
       ", else every driver's defaults)",
       "FILE"},
      {"sim-feed", 0, 0, G_OPTION_ARG_FILENAME, &o.sim_feed,
       "Play this scan feed through the simulated reader", "FILE"},
      {"sim-demo", 0, 0, G_OPTION_ARG_NONE, &o.sim_demo,
       "Play the feed of the demo armoury (see muster demo) through the simulated reader", NULL},
      {"demo-items", 0, 0, G_OPTION_ARG_INT, &o.demo_items, "Items of the demo armoury (2400)",
       "N"},
      {"demo-seed", 0, 0, G_OPTION_ARG_INT, &o.demo_seed, "Seed of the demo armoury (2026)", "S"},
      {"sim-rate", 0, 0, G_OPTION_ARG_DOUBLE, &o.sim_rate,
       "Scans per second of the simulated reader (default 2)", "N"},
      {"windowed", 0, 0, G_OPTION_ARG_NONE, &o.windowed,
       "A window instead of fullscreen (development, screenshots)", NULL},
      {"resume-as", 0, 0, G_OPTION_ARG_STRING, &o.resume_as,
       "Tests and demos: sign NAME in with $MUSTER_PIN and resume the open count", "NAME"},
      {NULL}};
  g_autoptr(GtkApplication) app = gtk_application_new("org.muster.Kiosk", G_APPLICATION_NON_UNIQUE);
  g_application_add_main_option_entries(G_APPLICATION(app), entries);
  g_application_set_option_context_summary(
      G_APPLICATION(app), "The Muster stock-count kiosk (version " MUSTER_VERSION ")");
  g_signal_connect(app, "activate", G_CALLBACK(on_activate), &o);
  g_unix_signal_add(SIGTERM, on_stop_signal, &o);
  g_unix_signal_add(SIGINT, on_stop_signal, &o);
  g_unix_signal_add(SIGHUP, on_stop_signal, &o);
  int status = g_application_run(G_APPLICATION(app), argc, argv);
  g_clear_object(&o.session);
  g_free(o.db);
  g_free(o.readers);
  g_free(o.sim_feed);
  g_free(o.resume_as);
  if (o.pin != NULL)
    memset(o.pin, 0, strlen(o.pin));
  g_free(o.pin);
  return status;
}
