/*
 * test-ui-backup.c: backup and restore from the kiosk's admin settings, through the real
 * widgets on the test's X server and the real engine.
 *
 * - A non-admin cannot reach it: the home screen offers no settings, and the backup
 *   screen, asked for anyway, shows the engine's refusal with nothing to press.
 * - The admin goes settings → Backup and restore, chooses a removable medium (a folder
 *   under the session's media prefix, as /media/STICK) and takes a backup: the screen
 *   shows the file, its size and chain head; the file checks as a restore would
 *   (integrity_check, audit chain), and the audit log has "backup.taken" by the admin;
 *   with the timer's MUSTER_BACKUP_KEEP at 1, the next backup removes it.
 * - Another armoury's backup, and one of this armoury damaged on its medium, are refused
 *   in the engine's words, with the kiosk still on the screen, the admin signed in and
 *   the database's bytes unchanged.
 * - The database damaged under the running kiosk (its header overwritten): the engine
 *   cannot read its registry receipts and asks to be told; the admin says so (a second
 *   red button), confirms, types the PIN, and the kiosk lands on sign-in with the
 *   restored records and a notice; the damaged file is kept beside, the restored one
 *   verifies and records the restore by the admin; a user added after the backup is gone.
 * - While another program (the test's own connection) has the database open, the
 *   engine refuses at the swap: the kiosk comes back on sign-in saying why, nothing
 *   changed; once it is closed, the same restore of the healthy database goes through.
 * - The screen (list, red warning, PIN step) passes the screens' checks at 1024×600 and
 *   1920×1080, in English here and in German and Arabic as ctest runs /ui/backup/render;
 *   PNGs in $MUSTER_UI_OUT.
 */
#include "missing.h"
#include "ui-test.h"

#include "db/audit.h"
#include "db/backup.h"
#include "db/store-private.h" /* white-box: the WAL folded in before the damage; the log read */
#include "ui/screen-backup.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  UiTest t;
  char *backups; /* the default backup folder */
  char *media;   /* the media prefix; media/STICK is the removable medium */
  char *stick;
} Fixture;

static void
fixture_setup_at(Fixture *f, int width, int height)
{
  ui_test_setup(&f->t, 40, width, height);
  f->backups = g_build_filename(f->t.dir, "backups", NULL);
  f->media = g_build_filename(f->t.dir, "root", NULL);
  f->stick = g_build_filename(f->media, "media", "STICK", NULL);
  g_assert_cmpint(g_mkdir_with_parents(f->backups, 0700), ==, 0);
  g_assert_cmpint(g_mkdir_with_parents(f->stick, 0700), ==, 0);
  muster_kiosk_session_set_backup_folders(f->t.session, f->backups, f->media);
}

static void
fixture_setup(Fixture *f)
{
  fixture_setup_at(f, 1024, 600);
}

static void
fixture_teardown(Fixture *f)
{
  ui_test_teardown(&f->t);
  g_free(f->backups);
  g_free(f->media);
  g_free(f->stick);
}

static void
shot(UiTest *t, const char *what)
{
  const char *out = g_getenv("MUSTER_UI_OUT");
  g_autofree char *dir = g_strdup(out != NULL ? out : t->dir);
  g_mkdir_with_parents(dir, 0755);
  const char *lang = g_getenv("LANGUAGE");
  g_autofree char *file = g_strdup_printf("%s/%s-%dx%d-%s.png", dir, what, t->width, t->height,
                                          lang != NULL && *lang != '\0' ? lang : "en");
  guint colours = ui_test_render_and_check(t, file);
  g_test_message("%s: %u colours", file, colours);
}

static const char *
label_text(UiTest *t, const char *name)
{
  GtkWidget *w = ui_test_get(t, name);
  g_assert_true(gtk_widget_get_visible(w));
  return gtk_label_get_text(GTK_LABEL(w));
}

static void
assert_says(UiTest *t, const char *name, const char *needle)
{
  const char *text = label_text(t, name);
  if (strstr(text, needle) == NULL)
    g_error("%s says \"%s\", not about \"%s\"", name, text, needle);
}

static gboolean
not_busy(gpointer data)
{
  UiTest *t = data;
  GtkWidget *screen = muster_kiosk_window_get_screen(t->window, "backup");
  return !muster_kiosk_screen_backup_is_busy(MUSTER_KIOSK_SCREEN_BACKUP(screen));
}

static void
wait_done(UiTest *t)
{
  g_assert_true(ui_test_wait(not_busy, t, 60000));
  while (g_main_context_iteration(NULL, FALSE))
    ;
}

/* The admin on the backup screen, through home and settings. */
static void
open_backup_screen(UiTest *t)
{
  ui_test_sign_in(t, "admin", "123456");
  ui_test_click(t, NULL, "settings");
  ui_test_click(t, NULL, "settings-backup");
  g_assert_cmpstr(ui_test_page(t), ==, "backup");
}

/* Chooses where to write by the place's folder. */
static void
choose_place(UiTest *t, const char *dir)
{
  GtkDropDown *place = GTK_DROP_DOWN(ui_test_get(t, "backup-place"));
  GListModel *m = gtk_drop_down_get_model(place);
  for (guint i = 0; i < g_list_model_get_n_items(m); i++) {
    const char *s = gtk_string_list_get_string(GTK_STRING_LIST(m), i);
    if (g_str_has_suffix(s, dir)) {
      gtk_drop_down_set_selected(place, i);
      return;
    }
  }
  g_error("%s is not offered to write to", dir);
}

/* Selects the first backup whose line contains needle. */
static void
choose_backup(UiTest *t, const char *needle)
{
  GtkListBox *list = GTK_LIST_BOX(ui_test_get(t, "backup-list"));
  for (int i = 0;; i++) {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index(list, i);
    if (row == NULL)
      g_error("No backup of %s listed", needle);
    GtkWidget *label = gtk_list_box_row_get_child(row);
    if (strstr(gtk_label_get_text(GTK_LABEL(label)), needle) != NULL) {
      gtk_list_box_select_row(list, row);
      return;
    }
  }
}

/* Takes a backup into dir through the screen; returns the file it names. */
static char *
take_backup(UiTest *t, const char *dir)
{
  choose_place(t, dir);
  ui_test_click(t, NULL, "backup-take");
  wait_done(t);
  assert_says(t, "backup-status", "Backup taken and checked");
  const char *text = label_text(t, "backup-status");
  const char *start = strstr(text, dir);
  g_assert_nonnull(start);
  const char *end = strchr(start, '\n');
  return g_strndup(start, end != NULL ? (gsize)(end - start) : strlen(start));
}

/* From the settings screen: Backup and restore, the backup whose line has needle, both
 * steps of the confirmation with the admin's PIN, until the engine has answered. */
static void
restore_through_screen(UiTest *t, const char *needle)
{
  ui_test_click(t, NULL, "settings-backup");
  choose_backup(t, needle);
  ui_test_click(t, NULL, "restore-choose");
  ui_test_click(t, NULL, "restore-confirm");
  ui_test_type_pin(t, "restore-pin", "123456");
  wait_done(t);
}

static char *
file_sha(const char *path)
{
  char sha[65];
  gint64 size = 0;
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_backup_file_digest(path, sha, &size, &error));
  return g_strdup(sha);
}

static void
test_not_for_non_admins(void)
{
  Fixture f;
  fixture_setup(&f);
  UiTest *t = &f.t;
  ui_test_sign_in(t, "sue", "1234");
  g_assert_cmpstr(ui_test_page(t), ==, "home");
  g_assert_false(gtk_widget_get_visible(ui_test_get(t, "settings")));
  muster_kiosk_session_navigate(t->session, "backup");
  while (g_main_context_iteration(NULL, FALSE))
    ;
  g_assert_cmpstr(ui_test_page(t), ==, "backup");
  assert_says(t, "backup-status", "needs an admin");
  g_assert_false(gtk_widget_is_sensitive(ui_test_get(t, "backup-take")));
  g_assert_false(gtk_widget_is_sensitive(ui_test_get(t, "restore-choose")));
  g_assert_null(gtk_list_box_get_row_at_index(GTK_LIST_BOX(ui_test_get(t, "backup-list")), 0));
  fixture_teardown(&f);
}

static void
test_take_backup(void)
{
  Fixture f;
  fixture_setup(&f);
  UiTest *t = &f.t;
  open_backup_screen(t);
  /* the medium is offered, and chosen first */
  GtkDropDown *place = GTK_DROP_DOWN(ui_test_get(t, "backup-place"));
  g_assert_cmpuint(g_list_model_get_n_items(gtk_drop_down_get_model(place)), ==, 2);
  g_autofree char *file = take_backup(t, f.stick);
  g_assert_true(g_str_has_suffix(file, MUSTER_BACKUP_SUFFIX));
  g_assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
  assert_says(t, "backup-status", "audit chain head: entry");
  /* checked as a restore would check it */
  MusterBackupManifest m = {0};
  g_autoptr(GError) error = NULL;
  g_autofree char *manifest = muster_backup_manifest_path(file);
  g_assert_true(muster_backup_manifest_read(manifest, &m, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(m.armoury_code, ==, "TEST-01");
  g_assert_nonnull(strstr(label_text(t, "backup-status"), m.head_hash));
  gint64 items = m.items;
  g_assert_cmpint(items, >, 0);
  muster_backup_manifest_clear(&m);
  g_autofree char *scratch = g_build_filename(t->dir, "check.db", NULL);
  g_autoptr(GFile) from = g_file_new_for_path(file);
  g_autoptr(GFile) to = g_file_new_for_path(scratch);
  g_assert_true(g_file_copy(from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, NULL));
  MusterBackupManifest checked = {0};
  g_assert_true(muster_backup_check_copy(scratch, file, &checked, &error));
  g_assert_no_error(error);
  g_assert_cmpint(checked.items, ==, items);
  muster_backup_manifest_clear(&checked);
  /* audited as the admin's */
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  muster_audit_report_clear(&report);
  g_assert_cmpint(muster_store_query_int(t->store,
                                         "SELECT count(*) FROM audit_log WHERE action = "
                                         "'backup.taken' AND user_name = 'admin'",
                                         "Reading the audit log", &error),
                  ==, 1);
  g_assert_no_error(error);
  /* generations kept as the backup timer keeps them (MUSTER_BACKUP_KEEP) */
  muster_kiosk_session_set_backup_keep(t->session, 1);
  g_autofree char *second = take_backup(t, f.stick);
  g_assert_cmpstr(second, !=, file);
  assert_says(t, "backup-status", "Older backups removed: 1");
  g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
  g_assert_true(g_file_test(second, G_FILE_TEST_EXISTS));
  /* the new backup is listed to restore, with its armoury */
  choose_backup(t, "armoury TEST-01");
  shot(t, "kiosk-backup");
  fixture_teardown(&f);
}

/* Another armoury's backup in the default folder. */
static void
other_armoury_backup(Fixture *f)
{
  g_autofree char *path = g_build_filename(f->t.dir, "other.db", NULL);
  g_autoptr(GError) error = NULL;
  {
    g_autoptr(MusterStore) store = muster_store_create(path, "OTHER-02", "Elsewhere", &error);
    g_assert_no_error(error);
    g_autoptr(MusterUser) admin =
        muster_users_bootstrap_admin(store, "admin", "Ada Admin", "123456", &error);
    g_assert_no_error(error);
  }
  MusterBackupOptions o = {.dir = f->backups, .muster_version = "test"};
  MusterBackupResult r;
  g_assert_true(muster_backup_take(path, &o, &r, &error));
  g_assert_no_error(error);
  muster_backup_result_clear(&r);
}

static void
test_refused_other_armoury_or_damaged(void)
{
  Fixture f;
  fixture_setup(&f);
  UiTest *t = &f.t;
  other_armoury_backup(&f);
  open_backup_screen(t);
  /* the test's connection lets go, as a restore needs; the kiosk's stays */
  g_clear_pointer(&t->store, muster_store_free);
  g_autofree char *before = file_sha(t->path);
  choose_backup(t, "armoury OTHER-02");
  ui_test_click(t, NULL, "restore-choose");
  assert_says(t, "restore-warning", "This replaces the record database with the backup of");
  shot(t, "kiosk-restore-confirm");
  ui_test_click(t, NULL, "restore-confirm");
  assert_says(t, "restore-pin-prompt", "admin, type your PIN");
  ui_test_type_pin(t, "restore-pin", "123456");
  wait_done(t);
  g_assert_cmpstr(ui_test_page(t), ==, "backup");
  assert_says(t, "restore-error", "backup of another armoury");
  assert_says(t, "restore-error", "Nothing was changed");
  g_assert_false(gtk_widget_get_visible(ui_test_get(t, "restore-no-anchor")));
  g_assert_nonnull(muster_kiosk_session_get_user(t->session));
  shot(t, "kiosk-restore-refused");
  /* a backup of this armoury damaged on its medium: refused in the engine's words too */
  g_autoptr(GError) error = NULL;
  MusterBackupOptions o = {.dir = f.stick, .muster_version = "test"};
  MusterBackupResult r;
  g_assert_true(muster_backup_take(t->path, &o, &r, &error));
  g_assert_no_error(error);
  int fd = g_open(r.path, O_WRONLY, 0);
  g_assert_cmpint(pwrite(fd, "X", 1, r.manifest.size - 200), ==, 1);
  close(fd);
  muster_backup_result_clear(&r);
  ui_test_click(t, NULL, "backup-back");
  restore_through_screen(t, "armoury TEST-01");
  assert_says(t, "restore-error", "is damaged");
  g_assert_nonnull(muster_kiosk_session_get_user(t->session));
  g_autofree char *after = file_sha(t->path);
  g_assert_cmpstr(before, ==, after);
  fixture_teardown(&f);
}

/* Overwrites the start of the file, as a failing disk might. */
static void
damage_header(const char *path)
{
  int fd = g_open(path, O_WRONLY, 0);
  g_assert_cmpint(fd, >=, 0);
  static const char junk[] = "garbage garbage garbage";
  g_assert_cmpint(pwrite(fd, junk, sizeof junk - 1, 0), ==, (gssize)(sizeof junk - 1));
  fsync(fd);
  close(fd);
}

static void
test_restore_damaged(void)
{
  Fixture f;
  fixture_setup(&f);
  UiTest *t = &f.t;
  open_backup_screen(t);
  g_autofree char *file = take_backup(t, f.backups);
  g_autoptr(GError) error = NULL;
  /* recorded after the backup: the restore takes the records back to before it */
  g_autoptr(MusterUser) late =
      muster_users_add(t->store, t->admin, "late", "Late Comer", MUSTER_ROLE_STAFF, "1234", &error);
  g_assert_no_error(error);
  /* everything in the main file, so that what a new connection reads is the damage */
  g_assert_true(muster_store_exec(t->store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_assert_no_error(error);
  g_clear_pointer(&t->store, muster_store_free);
  damage_header(t->path);
  /* On the damaged file the kiosk warns that what it reads fails and that its own
   * sign-out cannot be recorded: expected until the restore, so not fatal meanwhile. */
  GLogLevelFlags fatal = g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  /* the screen, shown again, lists it; the engine asks about the registry's anchor */
  ui_test_click(t, NULL, "backup-back");
  restore_through_screen(t, "armoury TEST-01");
  assert_says(t, "restore-error", "cannot be read");
  assert_says(t, "restore-error", "Restore without the registry's anchor");
  shot(t, "kiosk-restore-no-anchor");
  /* the admin says so, and confirms again */
  ui_test_click(t, NULL, "restore-no-anchor");
  g_assert_cmpstr(gtk_stack_get_visible_child_name(GTK_STACK(ui_test_get(t, "backup-stack"))), ==,
                  "confirm");
  ui_test_click(t, NULL, "restore-confirm");
  shot(t, "kiosk-restore-pin");
  /* a wrong PIN first: refused against the restored records, nothing done */
  ui_test_type_pin(t, "restore-pin", "999999");
  wait_done(t);
  assert_says(t, "restore-pin-status", "Signing in to the restored records");
  g_assert_cmpstr(ui_test_page(t), ==, "backup");
  ui_test_type_pin(t, "restore-pin", "123456");
  wait_done(t);
  g_assert_cmpstr(ui_test_page(t), ==, "sign-in");
  assert_says(t, "sign-in-notice", "restored from the backup of");
  assert_says(t, "sign-in-notice", ".replaced-");
  g_assert_null(muster_kiosk_session_get_user(t->session));
  g_log_set_always_fatal(fatal);
  shot(t, "kiosk-restored-sign-in");
  /* the restored records, on a connection of the test's own */
  t->store = muster_store_open(t->path, &error);
  g_assert_no_error(error);
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
  g_autoptr(MusterUser) gone = muster_users_get(t->store, "late", NULL);
  g_assert_null(gone);
  g_autoptr(GPtrArray) users = muster_users_list(t->store, &error);
  g_assert_nonnull(users);
  /* the damaged file is kept beside */
  g_autoptr(GDir) d = g_dir_open(t->dir, 0, NULL);
  gboolean kept = FALSE;
  for (const char *n; (n = g_dir_read_name(d)) != NULL;)
    kept = kept || g_str_has_prefix(n, "armoury.db.replaced-");
  g_assert_true(kept);
  /* and the kiosk runs on the restored records: the admin signs in again */
  ui_test_sign_in(t, "admin", "123456");
  g_assert_cmpstr(ui_test_page(t), ==, "home");
  fixture_teardown(&f);
}

static void
test_refused_while_open_elsewhere(void)
{
  Fixture f;
  fixture_setup(&f);
  UiTest *t = &f.t;
  open_backup_screen(t);
  g_free(take_backup(t, f.backups));
  /* t->store stays open: another program holds the database */
  g_autofree char *before = file_sha(t->path);
  ui_test_click(t, NULL, "backup-back");
  restore_through_screen(t, "armoury TEST-01");
  g_assert_cmpstr(ui_test_page(t), ==, "sign-in");
  assert_says(t, "sign-in-error", "The restore did not happen");
  assert_says(t, "sign-in-error", "has ");
  g_assert_false(gtk_widget_get_visible(ui_test_get(t, "sign-in-notice")));
  ui_test_sign_in(t, "admin", "123456");
  g_assert_cmpstr(ui_test_page(t), ==, "home");
  MusterAuditReport report;
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_audit_verify(t->store, &report, &error));
  muster_audit_report_clear(&report);
  g_assert_cmpstr(muster_store_armoury_code(t->store), ==, "TEST-01");
  g_autofree char *after = file_sha(t->path);
  g_assert_cmpstr(before, ==, after);
  /* the other program gone, the same restore goes through: the kiosk let go of its own */
  g_clear_pointer(&t->store, muster_store_free);
  ui_test_click(t, NULL, "settings");
  restore_through_screen(t, "armoury TEST-01");
  g_assert_cmpstr(ui_test_page(t), ==, "sign-in");
  assert_says(t, "sign-in-notice", "restored from the backup of");
  fixture_teardown(&f);
}

/* The screen's three steps rendered and checked in the process's language (ctest runs
 * this alone in German and Arabic) at 1024×600 and 1920×1080, asserting nothing about the
 * words. */
static void
render_at(int width, int height)
{
  Fixture f;
  fixture_setup_at(&f, width, height);
  UiTest *t = &f.t;
  open_backup_screen(t);
  choose_place(t, f.stick);
  ui_test_click(t, NULL, "backup-take");
  wait_done(t);
  GtkListBox *list = GTK_LIST_BOX(ui_test_get(t, "backup-list"));
  gtk_list_box_select_row(list, gtk_list_box_get_row_at_index(list, 0));
  shot(t, "kiosk-backup");
  ui_test_click(t, NULL, "restore-choose");
  shot(t, "kiosk-restore-confirm");
  ui_test_click(t, NULL, "restore-confirm");
  shot(t, "kiosk-restore-pin");
  fixture_teardown(&f);
}

static void
test_render(void)
{
  render_at(1024, 600);
  render_at(1920, 1080);
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  gtk_test_init(&argc, &argv, NULL);
  g_test_add_func("/ui/backup/not-for-non-admins", test_not_for_non_admins);
  g_test_add_func("/ui/backup/take", test_take_backup);
  g_test_add_func("/ui/backup/refused-other-armoury-or-damaged",
                  test_refused_other_armoury_or_damaged);
  g_test_add_func("/ui/backup/restore-damaged", test_restore_damaged);
  g_test_add_func("/ui/backup/refused-while-open-elsewhere", test_refused_while_open_elsewhere);
  g_test_add_func("/ui/backup/render", test_render);
  return g_test_run();
}
