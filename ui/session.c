/*
 * session.c: the kiosk's state between screens (see session.h).
 */
#include "ui/session.h"

#include "db/armoury-setup.h"
#include "db/badges.h"
#include "db/counts.h"
#include "db/settings.h"
#include "ui/i18n.h"

struct _MusterKioskSession {
  GObject parent_instance;
  MusterStore *store; /* NULL until the first-boot screen has created it */
  char *db_path;
  MusterUser *user;
  MusterReaderManager *manager;
  GListStore *readers; /* the manager's readers, as a list model for the screens */
  char *readers_problem;
  MusterKioskCountModel *count;
  gint64 review_count;
  guint lock_seconds;
  guint lock_source;
  guint revoke_source;     /* the sign-out of someone who may act no more, pending */
  char *sign_out_reason;   /* why they were signed out, for the sign-in screen */
  char *notice;            /* what the sign-in screen says that is no error */
  char *backup_dir;
  guint backup_keep;
  char *media_prefix;
};

enum {
  SIGNAL_NAVIGATE,
  SIGNAL_USER_CHANGED,
  SIGNAL_COUNT_CHANGED,
  SIGNAL_READERS_CHANGED,
  SIGNAL_EXIT,
  N_SIGNALS
};
static guint signals[N_SIGNALS];
static GQuark quark_state, quark_scans;

G_DEFINE_FINAL_TYPE(MusterKioskSession, muster_kiosk_session, G_TYPE_OBJECT)

static void
muster_kiosk_session_dispose(GObject *object)
{
  MusterKioskSession *self = MUSTER_KIOSK_SESSION(object);
  g_clear_handle_id(&self->lock_source, g_source_remove);
  g_clear_handle_id(&self->revoke_source, g_source_remove);
  g_clear_object(&self->count);
  if (self->manager != NULL) {
    g_signal_handlers_disconnect_by_data(self->manager, self);
    muster_reader_manager_stop(self->manager);
    g_clear_object(&self->manager);
  }
  g_clear_object(&self->readers);
  G_OBJECT_CLASS(muster_kiosk_session_parent_class)->dispose(object);
}

static void
muster_kiosk_session_finalize(GObject *object)
{
  MusterKioskSession *self = MUSTER_KIOSK_SESSION(object);
  g_clear_pointer(&self->user, muster_user_free);
  g_clear_pointer(&self->store, muster_store_free);
  g_free(self->db_path);
  g_free(self->readers_problem);
  g_free(self->sign_out_reason);
  g_free(self->notice);
  g_free(self->backup_dir);
  g_free(self->media_prefix);
  G_OBJECT_CLASS(muster_kiosk_session_parent_class)->finalize(object);
}

static void
muster_kiosk_session_class_init(MusterKioskSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS(klass);
  object_class->dispose = muster_kiosk_session_dispose;
  object_class->finalize = muster_kiosk_session_finalize;
  signals[SIGNAL_NAVIGATE] = g_signal_new("navigate", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_USER_CHANGED] =
      g_signal_new("user-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                   G_TYPE_NONE, 0);
  signals[SIGNAL_COUNT_CHANGED] =
      g_signal_new("count-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                   NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_READERS_CHANGED] =
      g_signal_new("readers-changed", G_TYPE_FROM_CLASS(klass),
                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  quark_state = g_quark_from_static_string("state");
  quark_scans = g_quark_from_static_string("scans");
  signals[SIGNAL_EXIT] = g_signal_new("exit", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                      NULL, NULL, G_TYPE_NONE, 0);
}

static void
on_reader_added(MusterReaderManager *manager, MusterReader *reader, MusterKioskSession *self)
{
  g_list_store_append(self->readers, reader);
  g_signal_emit(self, signals[SIGNAL_READERS_CHANGED], quark_state);
}

static void
on_reader_changed(MusterReaderManager *manager, MusterReader *reader, MusterKioskSession *self)
{
  g_signal_emit(self, signals[SIGNAL_READERS_CHANGED], quark_state);
}

static void
on_reader_scan(MusterReaderManager *manager, MusterReader *reader, const MusterScan *scan,
               MusterKioskSession *self)
{
  g_signal_emit(self, signals[SIGNAL_READERS_CHANGED], quark_scans);
}

static void
muster_kiosk_session_init(MusterKioskSession *self)
{
  self->readers = g_list_store_new(MUSTER_TYPE_READER);
  self->backup_dir = g_strdup(MUSTER_DEFAULT_BACKUP_DIR);
  g_autoptr(MusterReaderManager) none = muster_reader_manager_new_for_readers(NULL);
  muster_kiosk_session_set_reader_manager(self, none);
}

/* The session's store from now on. */
static void
take_store(MusterKioskSession *self, MusterStore *store)
{
  self->store = store;
  g_free(self->db_path);
  self->db_path = g_strdup(muster_store_path(store));
  /* The screens read a few rows at a time, and the marking lookups of a count have a
   * connection and page cache of their own (db/ingest-lookup.c): a 16 MiB cache here
   * instead of the store's 64 keeps the kiosk within its memory budget on a register of
   * a million weapons. */
  g_autoptr(GError) error = NULL;
  if (!muster_store_set_cache_size(store, 16384, &error))
    g_message("Kiosk page cache left as it was: %s", error->message);
  muster_kiosk_session_reload_settings(self);
}

MusterKioskSession *
muster_kiosk_session_new(MusterStore *store)
{
  MusterKioskSession *self = g_object_new(MUSTER_KIOSK_TYPE_SESSION, NULL);
  take_store(self, store);
  return self;
}

MusterKioskSession *
muster_kiosk_session_new_for_setup(const char *db_path)
{
  MusterKioskSession *self = g_object_new(MUSTER_KIOSK_TYPE_SESSION, NULL);
  self->db_path = g_strdup(db_path);
  self->lock_seconds = MUSTER_KIOSK_DEFAULT_LOCK_SECONDS;
  return self;
}

const char *
muster_kiosk_session_get_db_path(MusterKioskSession *self)
{
  return self->db_path;
}

gboolean
muster_kiosk_session_set_up_armoury(MusterKioskSession *self, const MusterArmourySetup *setup,
                                    GError **error)
{
  g_return_val_if_fail(self->store == NULL, FALSE);
  MusterArmourySetup here = *setup;
  here.path = self->db_path;
  MusterStore *store = muster_armoury_set_up(&here, NULL, error);
  if (store == NULL)
    return FALSE;
  g_message("First boot: armoury %s created in %s, admin %s", muster_store_armoury_code(store),
            self->db_path, setup->admin);
  take_store(self, store);
  muster_kiosk_session_navigate(self, "sign-in");
  return TRUE;
}

MusterStore *
muster_kiosk_session_get_store(MusterKioskSession *self)
{
  return self->store;
}

void
muster_kiosk_session_reload_settings(MusterKioskSession *self)
{
  gint64 s = muster_settings_get(self->store, "kiosk_lock_seconds");
  self->lock_seconds = s > 0 ? (guint)s : MUSTER_KIOSK_DEFAULT_LOCK_SECONDS;
}

void
muster_kiosk_session_set_lock_seconds(MusterKioskSession *self, guint seconds)
{
  self->lock_seconds = MAX(seconds, 1);
  muster_kiosk_session_poke(self);
}

guint
muster_kiosk_session_get_lock_seconds(MusterKioskSession *self)
{
  return self->lock_seconds;
}

static void sign_out(MusterKioskSession *self, const char *why);

static gboolean
lock_cb(gpointer user_data)
{
  MusterKioskSession *self = user_data;
  self->lock_source = 0;
  g_message("The kiosk locked itself after %u s without a touch", self->lock_seconds);
  sign_out(self, "idle");
  return G_SOURCE_REMOVE;
}

void
muster_kiosk_session_poke(MusterKioskSession *self)
{
  if (self->user == NULL || !muster_kiosk_session_check_user(self))
    return;
  g_clear_handle_id(&self->lock_source, g_source_remove);
  self->lock_source = g_timeout_add_seconds(self->lock_seconds, lock_cb, self);
}

static void
set_user(MusterKioskSession *self, MusterUser *user)
{
  g_clear_pointer(&self->user, muster_user_free);
  self->user = user;
  g_clear_object(&self->count);
  muster_kiosk_session_poke(self);
  g_signal_emit(self, signals[SIGNAL_USER_CHANGED], 0);
}

gboolean
muster_kiosk_session_sign_in(MusterKioskSession *self, const char *name, const char *pin,
                             GError **error)
{
  MusterUser *user = muster_users_sign_in(self->store, name, pin, "kiosk", error);
  if (user == NULL)
    return FALSE;
  g_clear_pointer(&self->sign_out_reason, g_free);
  set_user(self, user);
  return TRUE;
}

gboolean
muster_kiosk_session_tap_badge(MusterKioskSession *self, const MusterScan *scan,
                               char **needs_pin_for, GError **error)
{
  *needs_pin_for = NULL;
  MusterUser *user = muster_badges_tap(self->store, scan->marking_value, scan->authenticity,
                                       MUSTER_BADGE_FOR_SIGN_IN, needs_pin_for, error);
  if (user == NULL)
    return FALSE;
  set_user(self, user);
  return TRUE;
}

/* The count let go of (what is queued committed; it stays open in the database) and the
 * person signed out, audited with why; the screens are told, nothing is shown yet. */
static void
leave(MusterKioskSession *self, const char *why)
{
  g_clear_handle_id(&self->lock_source, g_source_remove);
  if (self->count != NULL) {
    /* Commits what is queued; the count stays open in the database. */
    g_clear_object(&self->count);
    g_signal_emit(self, signals[SIGNAL_COUNT_CHANGED], 0);
  }
  if (self->user != NULL) {
    g_autoptr(GError) error = NULL;
    if (!muster_users_sign_out(self->store, self->user, why, &error))
      g_warning("The sign-out of %s could not be audited: %s", self->user->name, error->message);
  }
  g_clear_pointer(&self->user, muster_user_free);
}

static void
sign_out(MusterKioskSession *self, const char *why)
{
  leave(self, why);
  g_signal_emit(self, signals[SIGNAL_USER_CHANGED], 0);
  muster_kiosk_session_navigate(self, "sign-in");
}

void
muster_kiosk_session_sign_out(MusterKioskSession *self)
{
  sign_out(self, "user");
}

void
muster_kiosk_session_terminate(MusterKioskSession *self)
{
  if (self->user != NULL)
    sign_out(self, "terminated");
}

const MusterUser *
muster_kiosk_session_get_user(MusterKioskSession *self)
{
  return self->user;
}

static gboolean
revoked_cb(gpointer user_data)
{
  MusterKioskSession *self = user_data;
  self->revoke_source = 0;
  if (self->user != NULL) {
    g_message("%s may act no more: %s", self->user->name, self->sign_out_reason);
    sign_out(self, "revoked");
  }
  return G_SOURCE_REMOVE;
}

gboolean
muster_kiosk_session_check_user(MusterKioskSession *self)
{
  if (self->user == NULL)
    return FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) now = muster_users_current(self->store, self->user, &error);
  if (now != NULL)
    return TRUE;
  /* A busy or failing database says nothing about the person: they stay. */
  if (!g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION)) {
    g_warning("Checking %s's account: %s", self->user->name, error->message);
    return TRUE;
  }
  g_free(self->sign_out_reason);
  self->sign_out_reason = g_strdup(error->message);
  /* Not now: the screen that noticed may still be using the user it was given. */
  if (self->revoke_source == 0)
    self->revoke_source = g_idle_add(revoked_cb, self);
  return FALSE;
}

char *
muster_kiosk_session_take_sign_out_reason(MusterKioskSession *self)
{
  return g_steal_pointer(&self->sign_out_reason);
}

GListModel *
muster_kiosk_session_get_readers(MusterKioskSession *self)
{
  return G_LIST_MODEL(self->readers);
}

void
muster_kiosk_session_set_reader_manager(MusterKioskSession *self, MusterReaderManager *manager)
{
  g_return_if_fail(self->count == NULL);
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data(self->manager, self);
  g_set_object(&self->manager, manager);
  g_list_store_remove_all(self->readers);
  GPtrArray *readers = muster_reader_manager_get_readers(manager);
  for (guint i = 0; i < readers->len; i++)
    g_list_store_append(self->readers, g_ptr_array_index(readers, i));
  g_signal_connect(manager, "reader-added", G_CALLBACK(on_reader_added), self);
  g_signal_connect(manager, "reader-changed", G_CALLBACK(on_reader_changed), self);
  g_signal_connect(manager, "scan", G_CALLBACK(on_reader_scan), self);
  g_signal_emit(self, signals[SIGNAL_READERS_CHANGED], quark_state);
}

MusterReaderManager *
muster_kiosk_session_get_reader_manager(MusterKioskSession *self)
{
  return self->manager;
}

void
muster_kiosk_session_add_reader(MusterKioskSession *self, MusterReader *reader)
{
  muster_reader_manager_add(self->manager, reader);
}

void
muster_kiosk_session_claim_readers(MusterKioskSession *self, const char *readers_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterReaderManager) manager = muster_reader_manager_new(readers_file, &error);
  if (manager != NULL && muster_reader_manager_claim(manager, &error)) {
    muster_kiosk_session_set_readers_problem(self, NULL);
    muster_kiosk_session_set_reader_manager(self, manager);
    return;
  }
  g_autofree char *problem =
      g_strdup_printf(_("The kiosk has no readers of its own: %s"), error->message);
  g_message("%s", problem);
  muster_kiosk_session_set_readers_problem(self, problem);
  g_autoptr(MusterReaderManager) none = muster_reader_manager_new_for_readers(NULL);
  muster_kiosk_session_set_reader_manager(self, none);
}

void
muster_kiosk_session_set_readers_problem(MusterKioskSession *self, const char *problem)
{
  g_free(self->readers_problem);
  self->readers_problem = g_strdup(problem);
}

const char *
muster_kiosk_session_get_readers_problem(MusterKioskSession *self)
{
  return self->readers_problem;
}

MusterKioskCountModel *
muster_kiosk_session_get_count(MusterKioskSession *self)
{
  return self->count;
}

static gboolean
attach_count(MusterKioskSession *self, gint64 count_id, GError **error)
{
  MusterKioskCountModel *model =
      muster_kiosk_count_model_new(self->store, self->user, count_id, self->manager, error);
  if (model == NULL)
    return FALSE;
  g_clear_object(&self->count);
  self->count = model;
  g_message("Counting count %lld as %s", (long long)count_id, self->user->name);
  g_signal_emit(self, signals[SIGNAL_COUNT_CHANGED], 0);
  muster_kiosk_session_navigate(self, "live");
  return TRUE;
}

static gboolean
require_user(MusterKioskSession *self, GError **error)
{
  if (self->user != NULL)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
              _("Nobody is signed in: sign in with your PIN first"));
  return FALSE;
}

gboolean
muster_kiosk_session_start_count(MusterKioskSession *self, const MusterUser *witness,
                                 const char *const *scope, gboolean blind, GError **error)
{
  if (!require_user(self, error))
    return FALSE;
  g_autoptr(MusterCount) count =
      muster_counts_start(self->store, self->user, witness, scope, blind, error);
  if (count == NULL)
    return FALSE;
  return attach_count(self, count->id, error);
}

gboolean
muster_kiosk_session_resume_count(MusterKioskSession *self, GError **error)
{
  if (!require_user(self, error))
    return FALSE;
  g_autoptr(GPtrArray) open = muster_counts_open(self->store, error);
  if (open == NULL)
    return FALSE;
  g_autoptr(GError) last = NULL;
  for (guint i = 0; i < open->len; i++) {
    const MusterCount *c = g_ptr_array_index(open, i);
    g_clear_error(&last);
    if (attach_count(self, c->id, &last))
      return TRUE;
  }
  if (last != NULL) {
    g_propagate_error(error, g_steal_pointer(&last));
    return FALSE;
  }
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
              _("No count is open: start a new count"));
  return FALSE;
}

gboolean
muster_kiosk_session_close_count(MusterKioskSession *self, GError **error)
{
  if (self->count == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE, _("No count is being counted here"));
    return FALSE;
  }
  if (!muster_kiosk_count_model_close(self->count, error))
    return FALSE;
  self->review_count = muster_kiosk_count_model_get_count_id(self->count);
  g_clear_object(&self->count);
  g_signal_emit(self, signals[SIGNAL_COUNT_CHANGED], 0);
  return TRUE;
}

gint64
muster_kiosk_session_get_review_count(MusterKioskSession *self)
{
  return self->review_count;
}

void
muster_kiosk_session_set_review_count(MusterKioskSession *self, gint64 count_id)
{
  self->review_count = count_id;
}

void
muster_kiosk_session_navigate(MusterKioskSession *self, const char *page)
{
  g_signal_emit(self, signals[SIGNAL_NAVIGATE], 0, page);
}

gboolean
muster_kiosk_session_request_exit(MusterKioskSession *self, GError **error)
{
  if (!require_user(self, error) ||
      !muster_require_role(self->store, self->user, MUSTER_ROLE_ADMIN, "Leaving the kiosk", error))
    return FALSE;
  g_signal_emit(self, signals[SIGNAL_EXIT], 0);
  return TRUE;
}

void
muster_kiosk_session_set_backup_folders(MusterKioskSession *self, const char *default_dir,
                                        const char *media_prefix)
{
  g_free(self->backup_dir);
  self->backup_dir = g_strdup(default_dir != NULL && *default_dir != '\0' ? default_dir
                                                                   : MUSTER_DEFAULT_BACKUP_DIR);
  g_free(self->media_prefix);
  self->media_prefix = g_strdup(media_prefix);
}

const char *
muster_kiosk_session_get_backup_dir(MusterKioskSession *self)
{
  return self->backup_dir;
}

void
muster_kiosk_session_set_backup_keep(MusterKioskSession *self, guint keep)
{
  self->backup_keep = keep;
}

guint
muster_kiosk_session_get_backup_keep(MusterKioskSession *self)
{
  return self->backup_keep;
}

const char *
muster_kiosk_session_get_media_prefix(MusterKioskSession *self)
{
  return self->media_prefix;
}

/* The database opened again after a restore (or its failure); the sign-in screen then
 * says what happened. FALSE, with the reason set, when it does not open. */
static gboolean
reopen(MusterKioskSession *self)
{
  g_autoptr(GError) error = NULL;
  MusterStore *store = muster_store_open(self->db_path, &error);
  if (store == NULL) {
    g_free(self->sign_out_reason);
    self->sign_out_reason =
        g_strdup_printf(_("The kiosk cannot open its database again: %s"), error->message);
    g_warning("%s", self->sign_out_reason);
    return FALSE;
  }
  take_store(self, store);
  return TRUE;
}

static char *
restore_done_text(MusterRestore *restore, const char *backup)
{
  const char *replaced = muster_restore_replaced_path(restore);
  /* Translators: after a restore; %s: the backup (its time, armoury and audit entry). */
  g_autofree char *done = g_strdup_printf(
      _("The records were restored from the backup of %s. Everyone must sign in again."), backup);
  if (replaced == NULL)
    return g_steal_pointer(&done);
  return g_strdup_printf(_("%s The database it replaced is kept as %s."), done, replaced);
}

gboolean
muster_kiosk_session_restore(MusterKioskSession *self, MusterRestore *restore,
                             const MusterUser *admin, const char *backup, GError **error)
{
  g_return_val_if_fail(self->store != NULL, FALSE);
  g_autoptr(MusterUser) actor = muster_user_copy(admin);
  g_message("Restore: the kiosk closes %s for the backup of %s", self->db_path, backup);
  leave(self, "restore");
  g_clear_pointer(&self->store, muster_store_free); /* the engine refuses while it is open */
  g_autoptr(GError) local = NULL;
  gboolean ok = muster_restore_commit(restore, actor, &local);
  g_clear_pointer(&self->notice, g_free);
  g_clear_pointer(&self->sign_out_reason, g_free);
  if (ok) {
    self->notice = restore_done_text(restore, backup);
    g_message("Restore: %s", self->notice);
  } else {
    /* The kiosk had let go of the file: whoever still has it open is another program. */
    const char *who = g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_DB_BUSY)
                          ? _(" The kiosk had closed it; another program (the sync service, a "
                              "muster command) still has it open.")
                          : "";
    self->sign_out_reason =
        g_strdup_printf(_("The restore did not happen: %s%s The kiosk opened its database again."),
                        local->message, who);
    g_message("%s", self->sign_out_reason);
  }
  reopen(self);
  g_signal_emit(self, signals[SIGNAL_USER_CHANGED], 0);
  muster_kiosk_session_navigate(self, "sign-in");
  if (!ok)
    g_propagate_error(error, g_steal_pointer(&local));
  return ok;
}

char *
muster_kiosk_session_take_notice(MusterKioskSession *self)
{
  return g_steal_pointer(&self->notice);
}
