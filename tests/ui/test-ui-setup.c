/*
 * test-ui-setup.c: the first-boot screen, through its real widgets, on the test's X server.
 *
 * - With no database the window shows the setup screen, and only it (a page asked for
 *   goes back to it); the readers the session found are listed by name.
 * - The admin's PIN typed twice: a weak one refused at once; two that differ refused
 *   with a clear message, both cleared; nothing created.
 * - A field the engine refuses (an armoury code with a space) shows the engine's words,
 *   keeps what was typed and clears the PINs; nothing created.
 * - Filled in right: the database exists (0600, in the folder made for it), the screen
 *   is the sign-in screen on it with no restart, the audit chain verifies on the test's
 *   own connection, with the armoury's creation and the admin's addition in it, and the
 *   admin signs in with the PIN typed; the language chosen is kept beside the database.
 * - Choosing German or Arabic re-labels the screen at once (Arabic right to left), keeps
 *   what was typed, and brings the language's keyboard; another keyboard can be chosen.
 *   The choice, kept in kiosk.ini (0600), is what the next start speaks and types on,
 *   unless LANGUAGE is set.
 * - A folder the kiosk cannot write: the screen says so before anything is typed, and
 *   the engine's refusal on OK; nothing crashes.
 * - At 1024×600 and 1920×1080, in English, German and Arabic, filled in, with a refusal
 *   shown and with the keyboard up, the screen passes the screens' checks (nothing cut off or
 * outside the window, targets ≥ 48 px, not blank); PNGs in $MUSTER_UI_OUT.
 *
 * Each case runs in a subprocess: the language is the process's.
 */
#include "missing.h"
#include "ui-test.h"

#include "db/audit.h"
#include "drivers/sim/sim-reader.h"
#include "ui/i18n.h"
#include "ui/keyboard.h"
#include "ui/kiosk.h"
#include "ui/language-choice.h"
#include "ui/pin-pad.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/stat.h>

static void
set_field(UiTest *t, const char *name, const char *text)
{
  gtk_editable_set_text(GTK_EDITABLE(ui_test_get(t, name)), text);
}

static const char *
field(UiTest *t, const char *name)
{
  return gtk_editable_get_text(GTK_EDITABLE(ui_test_get(t, name)));
}

static void
fill(UiTest *t, const char *code)
{
  set_field(t, "setup-code", code);
  set_field(t, "setup-name", "Nordwache");
  set_field(t, "setup-admin", "j.smith");
  set_field(t, "setup-admin-full", "Jo Smith");
}

static const char *
text_of_label(UiTest *t, const char *name)
{
  return gtk_label_get_text(GTK_LABEL(ui_test_get(t, name)));
}

/* The error label shown, with text containing needle. */
static void
assert_error(UiTest *t, const char *needle)
{
  GtkWidget *error = ui_test_get(t, "setup-error");
  g_assert_true(gtk_widget_get_visible(error));
  const char *text = gtk_label_get_text(GTK_LABEL(error));
  if (strstr(text, needle) == NULL)
    g_error("The error shown is \"%s\", not about \"%s\"", text, needle);
}

static guint
pin_length(UiTest *t)
{
  return muster_kiosk_pin_pad_get_length(MUSTER_KIOSK_PIN_PAD(ui_test_get(t, "setup-pin")));
}

/* A simulated reader, as the kiosk's reader set-up adds one; its id. */
static const char *
add_reader(UiTest *t)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new();
  g_autoptr(MusterSimReader) sim = muster_sim_reader_new("desk0", lines, 1.0);
  muster_kiosk_session_add_reader(t->session, MUSTER_READER(sim));
  return muster_reader_get_id(MUSTER_READER(sim)); /* the session holds it */
}

static void
test_shown_without_database(void)
{
  UiTest t;
  ui_test_setup_first_boot(&t, NULL, 1024, 600);
  g_assert_cmpstr(ui_test_page(&t), ==, "setup");
  /* Nothing else can be reached without a database. */
  muster_kiosk_session_navigate(t.session, "home");
  g_assert_cmpstr(ui_test_page(&t), ==, "setup");
  const char *const shown[] = {"setup-code",  "setup-name",    "setup-admin", "setup-admin-full",
                               "language:en", "language:de",   "language:ar", "keyboard:en",
                               "setup-pin",   "setup-readers", NULL};
  ui_test_assert_visible(&t, shown);
  g_assert_nonnull(strstr(text_of_label(&t, "setup-intro"), t.path));
  /* The readers the kiosk's set-up found: none configured, then one plugged in. */
  g_assert_nonnull(ui_test_get(&t, "readers-none"));
  g_autofree char *name = g_strconcat("reader:", add_reader(&t), NULL);
  ui_test_wait_frame(&t);
  ui_test_assert_visible(&t, (const char *const[]){name, NULL});
  g_assert_false(g_file_test(t.path, G_FILE_TEST_EXISTS));
  ui_test_teardown(&t);
}

static void
test_pin_mismatch(void)
{
  UiTest t;
  ui_test_setup_first_boot(&t, NULL, 1024, 600);
  fill(&t, "ARM-01");
  g_autofree char *first_prompt = g_strdup(text_of_label(&t, "setup-pin-prompt"));
  ui_test_type_pin(&t, "setup-pin", "12");
  assert_error(&t, "4 to 12 digits");
  g_assert_cmpstr(text_of_label(&t, "setup-pin-prompt"), ==, first_prompt);
  ui_test_type_pin(&t, "setup-pin", "123456");
  g_assert_false(gtk_widget_get_visible(ui_test_get(&t, "setup-error")));
  g_assert_cmpstr(text_of_label(&t, "setup-pin-prompt"), !=, first_prompt);
  ui_test_type_pin(&t, "setup-pin", "654321");
  assert_error(&t, "differ");
  /* Both cleared: the next PIN is a first one again. */
  g_assert_cmpstr(text_of_label(&t, "setup-pin-prompt"), ==, first_prompt);
  g_assert_cmpuint(pin_length(&t), ==, 0);
  g_assert_cmpstr(field(&t, "setup-code"), ==, "ARM-01");
  g_assert_cmpstr(ui_test_page(&t), ==, "setup");
  g_assert_false(g_file_test(t.path, G_FILE_TEST_EXISTS));
  ui_test_teardown(&t);
}

static void
test_refused_keeps_fields(void)
{
  UiTest t;
  ui_test_setup_first_boot(&t, NULL, 1024, 600);
  fill(&t, "ARM 01");
  g_autofree char *first_prompt = g_strdup(text_of_label(&t, "setup-pin-prompt"));
  ui_test_type_pin(&t, "setup-pin", "123456");
  ui_test_type_pin(&t, "setup-pin", "123456");
  assert_error(&t, "Armoury code 'ARM 01' is not valid");
  g_assert_cmpstr(ui_test_page(&t), ==, "setup");
  g_assert_cmpstr(field(&t, "setup-code"), ==, "ARM 01");
  g_assert_cmpstr(field(&t, "setup-name"), ==, "Nordwache");
  g_assert_cmpstr(field(&t, "setup-admin"), ==, "j.smith");
  g_assert_cmpstr(field(&t, "setup-admin-full"), ==, "Jo Smith");
  g_assert_cmpstr(text_of_label(&t, "setup-pin-prompt"), ==, first_prompt);
  g_assert_false(g_file_test(t.path, G_FILE_TEST_EXISTS));
  /* A file that appeared meanwhile is never overwritten. */
  set_field(&t, "setup-code", "ARM-01");
  g_autofree char *folder = g_path_get_dirname(t.path);
  g_assert_cmpint(g_mkdir_with_parents(folder, 0700), ==, 0);
  g_assert_true(g_file_set_contents(t.path, "someone else's", -1, NULL));
  ui_test_type_pin(&t, "setup-pin", "123456");
  ui_test_type_pin(&t, "setup-pin", "123456");
  assert_error(&t, "already exists");
  g_autofree char *kept = NULL;
  g_assert_true(g_file_get_contents(t.path, &kept, NULL, NULL));
  g_assert_cmpstr(kept, ==, "someone else's");
  g_assert_cmpstr(field(&t, "setup-admin"), ==, "j.smith");
  ui_test_teardown(&t);
}

static void
test_creates(void)
{
  UiTest t;
  ui_test_setup_first_boot(&t, NULL, 1024, 600);
  fill(&t, "ARM-01");
  ui_test_click(&t, NULL, "language:de");
  ui_test_click(&t, NULL, "keyboard:en");
  ui_test_type_pin(&t, "setup-pin", "246810");
  ui_test_type_pin(&t, "setup-pin", "246810");
  g_assert_cmpstr(ui_test_page(&t), ==, "sign-in");
  struct stat st;
  g_assert_cmpint(g_stat(t.path, &st), ==, 0);
  g_assert_cmpint(st.st_mode & 0777, ==, 0600);
  /* The session's store is the new database: the top bar names it. */
  MusterStore *store = muster_kiosk_session_get_store(t.session);
  g_assert_nonnull(store);
  g_assert_cmpstr(muster_store_armoury_code(store), ==, "ARM-01");
  g_assert_cmpstr(muster_store_armoury_name(store), ==, "Nordwache");
  /* As `muster audit verify` checks it, on the test's own connection. */
  g_autoptr(GError) error = NULL;
  t.store = muster_store_open(t.path, &error);
  g_assert_no_error(error);
  MusterAuditReport report = {0};
  g_assert_true(muster_audit_verify(t.store, &report, &error));
  g_assert_no_error(error);
  g_assert_cmpint(report.entries, >=, 2);
  muster_audit_report_clear(&report);
  g_autoptr(MusterUser) admin = muster_users_get(t.store, "j.smith", &error);
  g_assert_no_error(error);
  g_assert_cmpint(admin->role, ==, MUSTER_ROLE_ADMIN);
  g_assert_cmpstr(admin->full_name, ==, "Jo Smith");
  /* The admin signs in with the PIN typed, on the screen the kiosk went on to. */
  ui_test_sign_in(&t, "j.smith", "246810");
  g_assert_cmpstr(ui_test_page(&t), ==, "home");
  /* The choice is kept beside the database for the next start. */
  g_autofree char *choice = muster_kiosk_language_choice_path(t.path);
  g_autoptr(GKeyFile) kept = g_key_file_new();
  g_assert_true(g_key_file_load_from_file(kept, choice, G_KEY_FILE_NONE, &error));
  g_autofree char *language = g_key_file_get_string(kept, "kiosk", "language", NULL);
  g_autofree char *layout = g_key_file_get_string(kept, "kiosk", "keyboard", NULL);
  g_assert_cmpstr(language, ==, "de");
  g_assert_cmpstr(layout, ==, "en");
  ui_test_teardown(&t);
}

static GtkDirectionType
direction(void)
{
  return (GtkDirectionType)gtk_widget_get_default_direction();
}

static void
test_language_relabels(void)
{
  UiTest t;
  ui_test_setup_first_boot(&t, NULL, 1024, 600);
  fill(&t, "ARM-01");
  ui_test_type_pin(&t, "setup-pin", "123456");
  g_assert_cmpstr(text_of_label(&t, "setup-pin-prompt"), ==,
                  "The same PIN again: OK creates the armoury");
  ui_test_click(&t, NULL, "language:de");
  /* The catalogue's words, on the screen now; the PIN typed once still counts. */
  g_assert_cmpstr(text_of_label(&t, "setup-pin-prompt"), ==,
                  "Dieselbe PIN noch einmal: OK legt die Waffenkammer an");
  /* The top bar too: the window is the same, its words are new. */
  GtkWidget *top = ui_test_find(GTK_WIDGET(t.window), "armoury-label");
  g_assert_nonnull(top);
  g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(top)), ==, "Neue Waffenkammer");
  g_assert_true(gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(ui_test_get(&t, "language:de"))));
  g_assert_cmpstr(field(&t, "setup-admin"), ==, "j.smith");
  MusterKioskKeyboard *keyboard = MUSTER_KIOSK_KEYBOARD(ui_test_get(&t, "keyboard"));
  g_assert_cmpstr(muster_kiosk_keyboard_get_layout(keyboard), ==, "de");
  g_assert_cmpint(direction(), ==, GTK_TEXT_DIR_LTR);
  ui_test_click(&t, NULL, "language:ar");
  g_assert_cmpstr(text_of_label(&t, "setup-pin-prompt"), ==,
                  "الرقم السري نفسه مرة أخرى: موافق ينشئ مستودع الأسلحة");
  g_assert_cmpint(direction(), ==, GTK_TEXT_DIR_RTL);
  keyboard = MUSTER_KIOSK_KEYBOARD(ui_test_get(&t, "keyboard"));
  g_assert_cmpstr(muster_kiosk_keyboard_get_layout(keyboard), ==, "ar");
  /* Another keyboard than the language's. */
  ui_test_click(&t, NULL, "keyboard:de");
  keyboard = MUSTER_KIOSK_KEYBOARD(ui_test_get(&t, "keyboard"));
  g_assert_cmpstr(muster_kiosk_keyboard_get_layout(keyboard), ==, "de");
  g_assert_cmpint(direction(), ==, GTK_TEXT_DIR_RTL);
  ui_test_click(&t, NULL, "language:en");
  g_assert_cmpstr(text_of_label(&t, "setup-pin-prompt"), ==,
                  "The same PIN again: OK creates the armoury");
  g_assert_cmpint(direction(), ==, GTK_TEXT_DIR_LTR);
  /* The second PIN, after all that, creates the armoury. */
  ui_test_type_pin(&t, "setup-pin", "123456");
  g_assert_cmpstr(ui_test_page(&t), ==, "sign-in");
  ui_test_teardown(&t);
}

static void
test_folder_unwritable(void)
{
  UiTest t;
  /* Nobody, not even root, makes a file in /proc. */
  ui_test_setup_first_boot(&t, "/proc/muster-first-boot/armoury.db", 1024, 600);
  g_assert_cmpstr(ui_test_page(&t), ==, "setup");
  assert_error(&t, "The database cannot be created in /proc");
  assert_error(&t, "--db");
  fill(&t, "ARM-01");
  ui_test_type_pin(&t, "setup-pin", "123456");
  ui_test_type_pin(&t, "setup-pin", "123456");
  assert_error(&t, "/proc/muster-first-boot");
  g_assert_cmpstr(ui_test_page(&t), ==, "setup");
  g_assert_cmpstr(field(&t, "setup-admin"), ==, "j.smith");
  ui_test_teardown(&t);
}

/* The next start on that database speaks the language chosen and types on the layout
 * chosen, from kiosk.ini beside it; LANGUAGE in the environment still wins. */
static void
test_choice_applied_at_start(void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp("muster-choice-XXXXXX", &error);
  g_assert_no_error(error);
  g_autofree char *db = g_build_filename(dir, "armoury.db", NULL);
  g_assert_true(muster_kiosk_language_choice_save(db, "ar", "de", &error));
  g_autofree char *file = muster_kiosk_language_choice_path(db);
  struct stat st;
  g_assert_cmpint(g_stat(file, &st), ==, 0);
  g_assert_cmpint(st.st_mode & 0777, ==, 0600);
  muster_kiosk_language_choice_apply(db);
  g_assert_cmpstr(g_dgettext("muster-kiosk", "Sign out"), ==, "خروج");
  g_assert_cmpint(gtk_widget_get_default_direction(), ==, GTK_TEXT_DIR_RTL);
  g_autoptr(GtkWidget) keyboard = g_object_ref_sink(muster_kiosk_keyboard_new());
  g_assert_cmpstr(muster_kiosk_keyboard_get_layout(MUSTER_KIOSK_KEYBOARD(keyboard)), ==, "de");
  /* A technician's LANGUAGE wins over the file. */
  muster_kiosk_i18n_set_language("en");
  g_setenv("LANGUAGE", "de", TRUE);
  muster_kiosk_language_choice_apply(db);
  g_assert_cmpstr(g_getenv("LANGUAGE"), ==, "de");
  g_unlink(file);
  g_rmdir(dir);
}

static void
shot(UiTest *t, const char *lang, const char *what)
{
  const char *out = g_getenv("MUSTER_UI_OUT");
  g_autofree char *dir = g_strdup(out != NULL ? out : t->dir);
  g_mkdir_with_parents(dir, 0755);
  g_autofree char *file =
      g_strdup_printf("%s/%s-%dx%d-%s.png", dir, what, t->width, t->height, lang);
  guint colours = ui_test_render_and_check(t, file);
  g_test_message("%s: %u colours", file, colours);
}

static gboolean
keyboard_mapped(gpointer data)
{
  return gtk_widget_get_mapped(ui_test_get(data, "keyboard"));
}

static void
render_in(const char *lang, int width, int height)
{
  UiTest t;
  ui_test_setup_first_boot(&t, NULL, width, height);
  g_autofree char *button = g_strconcat("language:", lang, NULL);
  ui_test_click(&t, NULL, button);
  fill(&t, "ARM-01");
  add_reader(&t);
  shot(&t, lang, "setup");
  ui_test_type_pin(&t, "setup-pin", "12"); /* an error shown: the longest the screen gets */
  shot(&t, lang, "setup-refused");
  MusterKioskKeyboard *keyboard = MUSTER_KIOSK_KEYBOARD(ui_test_get(&t, "keyboard"));
  GtkWidget *entry = ui_test_get(&t, "setup-admin-full");
  muster_kiosk_keyboard_show_for(keyboard, GTK_EDITABLE(entry));
  g_assert_true(ui_test_wait(keyboard_mapped, &t, 5000));
  ui_test_wait_frame(&t);
  shot(&t, lang, "setup-keyboard");
  ui_test_teardown(&t);
}

static void
test_render(gconstpointer data)
{
  const char *const *args = data;
  render_in(args[0], atoi(args[1]), atoi(args[2]));
}

/* --- one subprocess per case: the language is the process's --- */

typedef struct {
  const char *name;
  GTestDataFunc func;
  gconstpointer data;
} Case;

static void
call_void(gconstpointer data)
{
  ((void (*)(void))data)();
}

static void
in_subprocess(gconstpointer data)
{
  const Case *c = data;
  if (g_test_subprocess()) {
    muster_kiosk_init();
    c->func(c->data);
    return;
  }
  g_test_trap_subprocess(NULL, 120 * G_USEC_PER_SEC,
                         G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed();
}

#define VOID_CASE(path, fn)            \
  {                                    \
    path, call_void, (gconstpointer)fn \
  }
#define RENDER_CASE(lang, w, h)                                                \
  {                                                                            \
    "/ui/setup/render/" lang "/" #w "x" #h, test_render, (const char *const[]) \
    {                                                                          \
      lang, #w, #h                                                             \
    }                                                                          \
  }

static const Case cases[] = {
    VOID_CASE("/ui/setup/shown-without-database", test_shown_without_database),
    VOID_CASE("/ui/setup/pin-mismatch", test_pin_mismatch),
    VOID_CASE("/ui/setup/refused-keeps-fields", test_refused_keeps_fields),
    VOID_CASE("/ui/setup/creates", test_creates),
    VOID_CASE("/ui/setup/language-relabels", test_language_relabels),
    VOID_CASE("/ui/setup/folder-unwritable", test_folder_unwritable),
    VOID_CASE("/ui/setup/choice-applied-at-start", test_choice_applied_at_start),
    RENDER_CASE("en", 1024, 600),
    RENDER_CASE("de", 1024, 600),
    RENDER_CASE("ar", 1024, 600),
    RENDER_CASE("en", 1920, 1080),
    RENDER_CASE("de", 1920, 1080),
    RENDER_CASE("ar", 1920, 1080),
};

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  g_test_init(&argc, &argv, NULL);
  if (g_test_subprocess()) {
    gtk_disable_setlocale();
    gtk_init();
  }
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
    g_test_add_data_func(cases[i].name, &cases[i], in_subprocess);
  return g_test_run();
}
