/*
 * screen-backup.c: backup and restore for admins (see screen-backup.h).
 *
 * Three pages in one stack: the backups (take one; the list to restore from), the red
 * warning (step one), the admin's PIN (step two). A restore prepared by the engine is
 * kept while the PIN pad is shown, so a mistyped PIN costs no second copy; leaving the
 * screen drops it (the engine removes its copy).
 */
#include "ui/screen-backup.h"

#include "db/backup.h"
#include "ui/backup-places.h"
#include "ui/error-label.h"
#include "ui/i18n.h"
#include "ui/pin-pad.h"
#include "ui/widgets.h"

#include <string.h>

struct _MusterKioskScreenBackup {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GtkStack *stack;
  GtkDropDown *place;
  GtkWidget *take;
  GtkSpinner *spinner;
  GtkLabel *status;
  GtkListBox *list;
  GtkLabel *restore_error;
  GtkWidget *restore_error_scroll; /* shown with restore_error */
  GtkWidget *no_anchor;
  GtkWidget *choose;
  GtkLabel *warning;
  GtkLabel *pin_prompt;
  GtkSpinner *pin_spinner;
  GtkLabel *pin_status;
  GtkWidget *pin_cancel;
  MusterKioskPinPad *pin_pad;
  GPtrArray *places; /* MusterKioskBackupPlace */
  GPtrArray *found;  /* MusterKioskBackupFound, as listed */
  MusterKioskBackupFound *chosen;
  gboolean no_registry_anchor; /* the admin said so, after the engine asked */
  MusterRestore *restore;      /* prepared, waiting for the PIN */
  guint busy;
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenBackup, muster_kiosk_screen_backup, GTK_TYPE_WIDGET)

static void
say(GtkLabel *label, const char *text, gboolean is_error)
{
  gtk_label_set_text(label, text != NULL ? text : "");
  gtk_widget_set_visible(GTK_WIDGET(label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class(GTK_WIDGET(label), "error-text");
  else
    gtk_widget_remove_css_class(GTK_WIDGET(label), "error-text");
}

static void
set_busy(MusterKioskScreenBackup *self, gboolean busy)
{
  self->busy += busy ? 1 : -1;
  gboolean on = self->busy > 0;
  gtk_widget_set_visible(GTK_WIDGET(self->spinner), on);
  gtk_spinner_set_spinning(self->spinner, on);
  gtk_widget_set_visible(GTK_WIDGET(self->pin_spinner), on);
  gtk_spinner_set_spinning(self->pin_spinner, on);
  gtk_widget_set_sensitive(self->take, !on);
  gtk_widget_set_sensitive(self->choose, !on);
  gtk_widget_set_sensitive(GTK_WIDGET(self->pin_pad), !on);
  gtk_widget_set_sensitive(self->pin_cancel, !on);
}

gboolean
muster_kiosk_screen_backup_is_busy(MusterKioskScreenBackup *self)
{
  return self->busy > 0;
}

/* The engine's answer to whether the person signed in may back up and restore here. */
static gboolean
may_act(MusterKioskScreenBackup *self, GError **error)
{
  const MusterUser *user = muster_kiosk_session_get_user(self->session);
  if (user == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("Nobody is signed in: sign in with your PIN first"));
    return FALSE;
  }
  g_autoptr(GError) local = NULL;
  if (muster_require_role(muster_kiosk_session_get_store(self->session), user, MUSTER_ROLE_ADMIN,
                          _("Backup and restore at the kiosk"), &local))
    return TRUE;
  /* A database that cannot answer (damaged: why people restore) says nothing about the
   * person: the role they signed in with stands, and the restore's commit asks the
   * restored records again. */
  if (!g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_PERMISSION) &&
      user->role == MUSTER_ROLE_ADMIN) {
    g_message("Backup and restore: the role check could not read the database (%s); %s "
              "signed in as an admin",
              local->message, user->name);
    return TRUE;
  }
  g_propagate_error(error, g_steal_pointer(&local));
  return FALSE;
}

static char *
place_label(const MusterKioskBackupPlace *place)
{
  if (place->media)
    return g_strdup_printf(_("Removable medium: %s"), place->path);
  return g_strdup_printf(_("Backup folder: %s"), place->path);
}

static void
fill_places(MusterKioskScreenBackup *self)
{
  g_clear_pointer(&self->places, g_ptr_array_unref);
  self->places = muster_kiosk_backup_places(muster_kiosk_session_get_backup_dir(self->session),
                                            muster_kiosk_session_get_media_prefix(self->session));
  g_autoptr(GtkStringList) labels = gtk_string_list_new(NULL);
  for (guint i = 0; i < self->places->len; i++) {
    g_autofree char *label = place_label(g_ptr_array_index(self->places, i));
    gtk_string_list_append(labels, label);
  }
  gtk_drop_down_set_model(self->place, G_LIST_MODEL(labels));
  /* A medium just plugged in is where the admin means to write. */
  gtk_drop_down_set_selected(self->place, self->places->len - 1);
}

/* "2026-12-07 15:04 UTC" from the manifest's ISO time. */
static char *
shown_time(const char *iso)
{
  g_autoptr(GDateTime) t = iso != NULL ? g_date_time_new_from_iso8601(iso, NULL) : NULL;
  return t != NULL ? g_date_time_format(t, "%Y-%m-%d %H:%M:%S UTC") : g_strdup(iso);
}

/* A backup as the warnings name it: its time, armoury and chain head, or its file
 * without a manifest. */
static char *
chosen_time(const MusterKioskBackupFound *f)
{
  if (!f->has_manifest)
    return g_path_get_basename(f->path);
  g_autofree char *when = shown_time(f->manifest.created_at);
  /* Translators: a backup named in the warnings: time, armoury code, audit entry. */
  return g_strdup_printf(_("%s (armoury %s, audit entry %lld)"), when, f->manifest.armoury_code,
                         (long long)f->manifest.head_seq);
}

static char *
found_text(const MusterKioskBackupFound *f)
{
  g_autofree char *base = g_path_get_basename(f->path);
  g_autofree char *dir = g_path_get_dirname(f->path);
  if (!f->has_manifest)
    /* Translators: a backup file whose manifest cannot be read; %s: file, folder, why. */
    return g_strdup_printf(_("%s in %s\nNo manifest: %s"), base, dir, f->problem);
  const MusterBackupManifest *m = &f->manifest;
  g_autofree char *when = shown_time(m->created_at);
  g_autofree char *size = g_format_size((guint64)m->size);
  /* Translators: one backup in the list: time, armoury, audit entry, its hash's start,
   * items, size, folder. */
  return g_strdup_printf(_("%s · armoury %s · audit entry %lld (%.12s…)\n%lld items, %s, in %s"),
                         when, m->armoury_code, (long long)m->head_seq, m->head_hash,
                         (long long)m->items, size, dir);
}

/* GTK 4.8 has no gtk_list_box_remove_all(). */
static void
clear_list(GtkListBox *list)
{
  for (GtkWidget *row; (row = gtk_widget_get_first_child(GTK_WIDGET(list))) != NULL;)
    gtk_list_box_remove(list, row);
}

static void
fill_backups(MusterKioskScreenBackup *self)
{
  self->chosen = NULL;
  clear_list(self->list);
  g_clear_pointer(&self->found, g_ptr_array_unref);
  self->found = muster_kiosk_backups_found(self->places);
  for (guint i = 0; i < self->found->len; i++) {
    g_autofree char *text = found_text(g_ptr_array_index(self->found, i));
    GtkWidget *label = gtk_label_new(text);
    gtk_label_set_xalign(GTK_LABEL(label), 0);
    gtk_label_set_wrap(GTK_LABEL(label), TRUE);
    gtk_label_set_wrap_mode(GTK_LABEL(label), PANGO_WRAP_WORD_CHAR);
    g_autofree char *name = g_strdup_printf("backup:%u", i);
    gtk_widget_set_name(label, name);
    gtk_list_box_append(self->list, label);
  }
  if (self->found->len == 0) {
    GtkWidget *none = gtk_label_new(_("No backups in these places yet."));
    gtk_label_set_xalign(GTK_LABEL(none), 0);
    gtk_list_box_append(self->list, none);
    gtk_list_box_row_set_selectable(GTK_LIST_BOX_ROW(gtk_widget_get_parent(none)), FALSE);
  }
}

static void
on_row_selected(GtkListBox *list, GtkListBoxRow *row, MusterKioskScreenBackup *self)
{
  if (self->no_anchor == NULL)
    return; /* the rows going with the screen */
  int i = row != NULL ? gtk_list_box_row_get_index(row) : -1;
  self->chosen = i >= 0 && self->found != NULL && (guint)i < self->found->len
                     ? g_ptr_array_index(self->found, (guint)i)
                     : NULL;
  self->no_registry_anchor = FALSE;
  gtk_widget_set_visible(self->no_anchor, FALSE);
}

static void
drop_restore(MusterKioskScreenBackup *self)
{
  g_clear_pointer(&self->restore, muster_restore_free);
}

static void
refresh(MusterKioskScreenBackup *self)
{
  drop_restore(self);
  gtk_stack_set_visible_child_name(self->stack, "main");
  say(self->restore_error, NULL, TRUE);
  gtk_widget_set_visible(self->no_anchor, FALSE);
  self->no_registry_anchor = FALSE;
  if (self->busy == 0)
    say(self->status, NULL, FALSE);
  g_autoptr(GError) error = NULL;
  gboolean may = may_act(self, &error);
  gtk_widget_set_sensitive(GTK_WIDGET(self->place), may);
  gtk_widget_set_sensitive(self->take, may && self->busy == 0);
  gtk_widget_set_sensitive(self->choose, may && self->busy == 0);
  if (!may) {
    clear_list(self->list);
    self->chosen = NULL;
    muster_kiosk_show_error(self->status, error);
    gtk_widget_add_css_class(GTK_WIDGET(self->status), "error-text");
    return;
  }
  fill_places(self);
  fill_backups(self);
}

/* A long step on a worker thread, the screen busy and saying what it does meanwhile. */
static void
run_job(MusterKioskScreenBackup *self, GtkLabel *label, const char *text, gpointer job,
        GDestroyNotify job_free, GTaskThreadFunc thread, GAsyncReadyCallback done)
{
  say(label, text, FALSE);
  set_busy(self, TRUE);
  g_autoptr(GTask) task = g_task_new(self, NULL, done, NULL);
  g_task_set_task_data(task, job, job_free);
  g_task_run_in_thread(task, thread);
}

/* ---- taking a backup ------------------------------------------------------------------ */

typedef struct {
  char *db_path;
  char *dir;
  guint keep;
  MusterUser *actor;
  MusterBackupResult result;
} BackupJob;

static void
backup_job_free(gpointer p)
{
  BackupJob *job = p;
  g_free(job->db_path);
  g_free(job->dir);
  g_clear_pointer(&job->actor, muster_user_free);
  muster_backup_result_clear(&job->result);
  g_free(job);
}

static void
backup_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  BackupJob *job = data;
  GError *error = NULL;
  MusterBackupOptions o = {
      .dir = job->dir, .keep = job->keep, .reason = "manual", .muster_version = MUSTER_VERSION};
  if (muster_backup_take(job->db_path, &o, &job->result, &error))
    g_task_return_boolean(task, TRUE);
  else
    g_task_return_error(task, error);
}

static char *
backup_done_text(const MusterBackupResult *r)
{
  const MusterBackupManifest *m = &r->manifest;
  g_autofree char *size = g_format_size((guint64)m->size);
  /* Translators: after a backup: file, size, audit entry and hash of the chain's head. */
  g_autofree char *text = g_strdup_printf(
      _("Backup taken and checked (integrity, audit chain): %s\n%s, audit chain head: entry "
        "%lld, %s"),
      r->path, size, (long long)m->head_seq, m->head_hash);
  if (r->pruned == NULL || r->pruned->len == 0)
    return g_steal_pointer(&text);
  return g_strdup_printf(_("%s\nOlder backups removed: %u"), text, r->pruned->len);
}

static void
backup_done(GObject *source, GAsyncResult *res, gpointer data)
{
  MusterKioskScreenBackup *self = MUSTER_KIOSK_SCREEN_BACKUP(source);
  BackupJob *job = g_task_get_task_data(G_TASK(res));
  g_autoptr(GError) error = NULL;
  set_busy(self, FALSE);
  MusterStore *store = muster_kiosk_session_get_store(self->session);
  if (!g_task_propagate_boolean(G_TASK(res), &error) ||
      (store != NULL && !muster_backup_record(store, job->actor, &job->result, &error))) {
    say(self->status, error->message, TRUE);
    return;
  }
  g_autofree char *text = backup_done_text(&job->result);
  say(self->status, text, FALSE);
  if (self->places != NULL)
    fill_backups(self);
}

static void
on_take_clicked(GtkButton *b, MusterKioskScreenBackup *self)
{
  g_autoptr(GError) error = NULL;
  guint i = gtk_drop_down_get_selected(self->place);
  if (!may_act(self, &error)) {
    muster_kiosk_show_error(self->status, error);
    return;
  }
  if (self->places == NULL || i >= self->places->len)
    return;
  const MusterKioskBackupPlace *place = g_ptr_array_index(self->places, i);
  BackupJob *job = g_new0(BackupJob, 1);
  job->db_path = g_strdup(muster_kiosk_session_get_db_path(self->session));
  job->dir = g_strdup(place->path);
  job->keep = muster_kiosk_session_get_backup_keep(self->session);
  job->actor = muster_user_copy(muster_kiosk_session_get_user(self->session));
  g_autofree char *text = g_strdup_printf(_("Taking a backup into %s…"), place->path);
  run_job(self, self->status, text, job, backup_job_free, backup_thread, backup_done);
}

/* ---- restoring one -------------------------------------------------------------------- */

static void
on_choose_clicked(GtkButton *b, MusterKioskScreenBackup *self)
{
  g_autoptr(GError) error = NULL;
  if (!may_act(self, &error)) {
    muster_kiosk_show_error(self->restore_error, error);
    return;
  }
  if (self->chosen == NULL) {
    say(self->restore_error, _("Choose a backup in the list first."), TRUE);
    return;
  }
  const char *db = muster_kiosk_session_get_db_path(self->session);
  g_autofree char *when = chosen_time(self->chosen);
  /* Translators: the red warning before a restore; %s: the backup's time, the database,
   * the database again (the name it is kept under). */
  g_autofree char *text = g_strdup_printf(
      _("This replaces the record database with the backup of %s. The current file %s is not "
        "deleted: it is kept as %s.replaced-DATE (the time of the restore), and anything "
        "recorded after the backup stays only in that file. Everyone is signed out and the "
        "kiosk starts again on the sign-in screen."),
      when, db, db);
  gtk_label_set_text(self->warning, text);
  gtk_stack_set_visible_child_name(self->stack, "confirm");
}

static void
on_cancel_clicked(GtkButton *b, MusterKioskScreenBackup *self)
{
  refresh(self);
}

static void
on_confirm_clicked(GtkButton *b, MusterKioskScreenBackup *self)
{
  const MusterUser *user = muster_kiosk_session_get_user(self->session);
  if (user == NULL || self->chosen == NULL)
    return;
  g_autofree char *when = chosen_time(self->chosen);
  /* Translators: %s: the admin's name, the backup's time. */
  g_autofree char *text = g_strdup_printf(
      _("%s, type your PIN to restore the backup of %s. It is checked against the restored "
        "records, where you must be an admin."),
      user->name, when);
  gtk_label_set_text(self->pin_prompt, text);
  say(self->pin_status, NULL, FALSE);
  muster_kiosk_pin_pad_clear(self->pin_pad);
  gtk_stack_set_visible_child_name(self->stack, "pin");
}

/* A refusal of the engine before anything was changed: back to the list, in its words. */
static void
refused(MusterKioskScreenBackup *self, const GError *error)
{
  drop_restore(self);
  gtk_stack_set_visible_child_name(self->stack, "main");
  muster_kiosk_show_error(self->restore_error, error);
  /* The live database cannot say how much history the registry holds (it is unreadable):
   * the engine goes on only when told so, which it records. */
  gboolean ask = g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_INVALID) &&
                 self->chosen != NULL && self->chosen->has_manifest && !self->no_registry_anchor;
  gtk_widget_set_visible(self->no_anchor, ask);
  if (!ask)
    return;
  /* The engine's words name the command's options: first what the kiosk offers. */
  g_autofree char *text = g_strdup_printf(
      _("Here: with no registry, press “Restore without the registry's anchor” (recorded in "
        "the audit log); with one, restore at a terminal with its anchors.\n%s"),
      error->message);
  gtk_label_set_text(self->restore_error, text);
}

static void
on_no_anchor_clicked(GtkButton *b, MusterKioskScreenBackup *self)
{
  self->no_registry_anchor = TRUE;
  gtk_widget_set_visible(self->no_anchor, FALSE);
  on_choose_clicked(NULL, self);
}

/* The admin of the restored records, then the swap; the session shows sign-in after. */
static void
finish_restore(MusterKioskScreenBackup *self, const char *pin)
{
  const MusterUser *user = muster_kiosk_session_get_user(self->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) admin =
      user != NULL
          ? muster_users_authenticate(muster_restore_store(self->restore), user->name, pin, &error)
          : NULL;
  if (admin == NULL) {
    if (error != NULL)
      g_prefix_error(&error, _("Signing in to the restored records: "));
    say(self->pin_status, error != NULL ? error->message : NULL, TRUE);
    muster_kiosk_pin_pad_clear(self->pin_pad);
    return;
  }
  g_autoptr(MusterRestore) restore = g_steal_pointer(&self->restore);
  g_autofree char *when = chosen_time(self->chosen);
  muster_kiosk_session_restore(self->session, restore, admin, when, NULL);
}

typedef struct {
  char *db_path;
  char *file;
  char *pin;
  gboolean no_registry_anchor;
} RestoreJob;

static void
restore_job_free(gpointer p)
{
  RestoreJob *job = p;
  g_free(job->db_path);
  g_free(job->file);
  if (job->pin != NULL)
    memset(job->pin, 0, strlen(job->pin));
  g_free(job->pin);
  g_free(job);
}

static void
restore_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  RestoreJob *job = data;
  GError *error = NULL;
  MusterRestoreOptions o = {.no_registry_anchor = job->no_registry_anchor};
  MusterRestore *r = muster_restore_prepare(job->db_path, job->file, &o, &error);
  if (r != NULL)
    g_task_return_pointer(task, r, (GDestroyNotify)muster_restore_free);
  else
    g_task_return_error(task, error);
}

static void
restore_prepared(GObject *source, GAsyncResult *res, gpointer data)
{
  MusterKioskScreenBackup *self = MUSTER_KIOSK_SCREEN_BACKUP(source);
  RestoreJob *job = g_task_get_task_data(G_TASK(res));
  g_autoptr(GError) error = NULL;
  set_busy(self, FALSE);
  MusterRestore *r = g_task_propagate_pointer(G_TASK(res), &error);
  say(self->pin_status, NULL, FALSE);
  if (r == NULL) {
    refused(self, error);
    return;
  }
  /* Left meanwhile (signed out, idle lock): nothing happens. */
  if (!gtk_widget_get_mapped(GTK_WIDGET(self)) ||
      muster_kiosk_session_get_user(self->session) == NULL) {
    muster_restore_free(r);
    return;
  }
  drop_restore(self);
  self->restore = r;
  finish_restore(self, job->pin);
}

static void
on_pin_submitted(MusterKioskPinPad *pad, const char *pin, MusterKioskScreenBackup *self)
{
  if (self->chosen == NULL)
    return;
  if (self->restore != NULL) {
    finish_restore(self, pin);
    return;
  }
  RestoreJob *job = g_new0(RestoreJob, 1);
  job->db_path = g_strdup(muster_kiosk_session_get_db_path(self->session));
  job->file = g_strdup(self->chosen->path);
  job->pin = g_strdup(pin);
  job->no_registry_anchor = self->no_registry_anchor;
  run_job(self, self->pin_status,
          _("Checking the backup (integrity, audit chain, registry anchors)…"), job,
          restore_job_free, restore_thread, restore_prepared);
}

static void
on_back_clicked(GtkButton *b, MusterKioskScreenBackup *self)
{
  muster_kiosk_session_navigate(self->session, "settings");
}

static void
muster_kiosk_screen_backup_map(GtkWidget *widget)
{
  refresh(MUSTER_KIOSK_SCREEN_BACKUP(widget));
  GTK_WIDGET_CLASS(muster_kiosk_screen_backup_parent_class)->map(widget);
}

static void
muster_kiosk_screen_backup_unmap(GtkWidget *widget)
{
  drop_restore(MUSTER_KIOSK_SCREEN_BACKUP(widget));
  GTK_WIDGET_CLASS(muster_kiosk_screen_backup_parent_class)->unmap(widget);
}

static void
muster_kiosk_screen_backup_dispose(GObject *object)
{
  MusterKioskScreenBackup *self = MUSTER_KIOSK_SCREEN_BACKUP(object);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_SCREEN_BACKUP);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  drop_restore(self);
  g_clear_pointer(&self->places, g_ptr_array_unref);
  g_clear_pointer(&self->found, g_ptr_array_unref);
  self->chosen = NULL;
  g_clear_object(&self->session);
  G_OBJECT_CLASS(muster_kiosk_screen_backup_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_backup_class_init(MusterKioskScreenBackupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_backup_dispose;
  widget_class->map = muster_kiosk_screen_backup_map;
  widget_class->unmap = muster_kiosk_screen_backup_unmap;
  g_type_ensure(MUSTER_KIOSK_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/screen-backup.ui");
#define CHILD(name) \
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenBackup, name)
  CHILD(stack);
  CHILD(place);
  CHILD(take);
  CHILD(spinner);
  CHILD(status);
  CHILD(list);
  CHILD(restore_error);
  CHILD(restore_error_scroll);
  CHILD(no_anchor);
  CHILD(choose);
  CHILD(warning);
  CHILD(pin_prompt);
  CHILD(pin_spinner);
  CHILD(pin_status);
  CHILD(pin_cancel);
  CHILD(pin_pad);
#undef CHILD
  gtk_widget_class_bind_template_callback(widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_take_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback(widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_no_anchor_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_confirm_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_pin_submitted);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_backup_init(MusterKioskScreenBackup *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
  g_object_bind_property(self->restore_error, "visible", self->restore_error_scroll, "visible",
                         G_BINDING_SYNC_CREATE);
}

GtkWidget *
muster_kiosk_screen_backup_new(MusterKioskSession *session)
{
  MusterKioskScreenBackup *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_BACKUP, NULL);
  self->session = g_object_ref(session);
  return GTK_WIDGET(self);
}
