/*
 * session.h: the kiosk's state between screens — the view-model root.
 *
 * One session per kiosk: the record store, who is signed in, the readers, the count
 * being counted, and the idle lock. Screens read and change it only through these
 * functions and the engine's API; they never hold state of their own that outlives
 * being shown, so a screen can be rebuilt (or the kiosk restarted) and show the same.
 *
 * Role checks stay in the engine: the session passes the signed-in user as the actor
 * and shows the engine's refusal. Screens only hide what a role can never use.
 */
#pragma once
#include "db/armoury-setup.h"
#include "db/restore.h"
#include "db/store.h"
#include "db/users.h"
#include "drivers/manager.h"
#include "ui/count-model.h"
#include <gio/gio.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SESSION (muster_kiosk_session_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskSession, muster_kiosk_session, MUSTER_KIOSK, SESSION, GObject)

/* Idle seconds before the kiosk locks when the setting is missing. */
#define MUSTER_KIOSK_DEFAULT_LOCK_SECONDS 120

/* Takes ownership of store. */
MusterKioskSession *muster_kiosk_session_new(MusterStore *store);
/* First boot: no database at db_path yet. The session has no store (get_store() is
 * NULL) and the window shows only the setup screen until set_up_armoury() succeeds. */
MusterKioskSession *muster_kiosk_session_new_for_setup(const char *db_path);
/* NULL before the first-boot setup has created the database. */
MusterStore *muster_kiosk_session_get_store(MusterKioskSession *self);
/* The database's path, whether it exists yet or not. */
const char *muster_kiosk_session_get_db_path(MusterKioskSession *self);
/* Creates the armoury at the session's database path, exactly as `muster init` does
 * (db/armoury-setup.h; setup->path is ignored), makes it the session's store and shows
 * the sign-in screen. The engine's refusal otherwise, with nothing left behind. */
gboolean muster_kiosk_session_set_up_armoury(MusterKioskSession *self,
                                             const MusterArmourySetup *setup, GError **error);

/* Signing in: on success the user is the actor of everything after, "user-changed" is
 * emitted and the idle lock runs. Errors are the engine's (wrong PIN, locked out). */
gboolean muster_kiosk_session_sign_in(MusterKioskSession *self, const char *name, const char *pin,
                                      GError **error);
/* A card tapped on a reader while nobody is signed in (scan->marking_kind "hf_uid").
 * TRUE when the tap alone signed its holder in. Otherwise FALSE: with *needs_pin_for
 * set to the holder's name when the PIN is still asked (setting badge_needs_pin), else
 * with the engine's refusal (unknown badge, a copy, locked out). */
gboolean muster_kiosk_session_tap_badge(MusterKioskSession *self, const MusterScan *scan,
                                        char **needs_pin_for, GError **error);
/* Signs out (the open count stays open in the database) and shows the sign-in screen. */
void muster_kiosk_session_sign_out(MusterKioskSession *self);
/* The kiosk is being stopped (SIGTERM, SIGINT, SIGHUP): signs out whoever is signed in,
 * audited with why "terminated", so that no session ends unrecorded. */
void muster_kiosk_session_terminate(MusterKioskSession *self);
/* NULL when nobody is signed in. */
const MusterUser *muster_kiosk_session_get_user(MusterKioskSession *self);
/* Asks the engine whether the person signed in may still act. When they were
 * deactivated or locked out since signing in, returns FALSE and, once the caller's
 * handler has returned (an idle callback), signs them out (audited, why "revoked") and
 * shows the sign-in screen, which then says why. Called on every touch and key
 * (muster_kiosk_session_poke()) and on every refusal a screen shows. */
gboolean muster_kiosk_session_check_user(MusterKioskSession *self);
/* Why the last person signed in was sent back to sign-in, once (the caller frees it);
 * NULL when they signed out themselves or nobody was. */
char *muster_kiosk_session_take_sign_out_reason(MusterKioskSession *self);

/* Readers: the session's MusterReaderManager (at first an empty one) holds every reader;
 * the count model counts all of their scans. Set the manager before a count starts. */
void muster_kiosk_session_set_reader_manager(MusterKioskSession *self,
                                             MusterReaderManager *manager);
MusterReaderManager *muster_kiosk_session_get_reader_manager(MusterKioskSession *self);
/* The manager's readers (MusterReader), growing as readers are added (hotplug);
 * "items-changed" says when. */
GListModel *muster_kiosk_session_get_readers(MusterKioskSession *self);
/* "readers-changed" (detailed) tells the screens that show readers when to redraw:
 * "readers-changed::state" when a reader is added or its state or last error changes
 * (or the manager is replaced), "readers-changed::scans" when one has read a scan. */
/* Adds a reader to the manager (started if the manager runs). */
void muster_kiosk_session_add_reader(MusterKioskSession *self, MusterReader *reader);
/* The readers of readers_file (NULL: $MUSTER_READERS, the default file or every driver's
 * defaults, as muster_reader_manager_new()), claimed for this process so that `muster
 * readers list` shows them. When the file is wrong or another program holds the readers,
 * the kiosk still runs, with no readers of its own and the reason as the readers
 * problem. Not started: add any simulated reader, then muster_reader_manager_start(). */
void muster_kiosk_session_claim_readers(MusterKioskSession *self, const char *readers_file);
/* Why the kiosk has no readers of its own (another program holds them, the readers file
 * is wrong), for the status and live screens; NULL when nothing is wrong. */
void muster_kiosk_session_set_readers_problem(MusterKioskSession *self, const char *problem);
const char *muster_kiosk_session_get_readers_problem(MusterKioskSession *self);

/* The count being counted, or NULL. Starting or resuming sets it and navigates to the
 * live screen; closing it clears it. */
MusterKioskCountModel *muster_kiosk_session_get_count(MusterKioskSession *self);
gboolean muster_kiosk_session_start_count(MusterKioskSession *self, const MusterUser *witness,
                                          const char *const *scope, gboolean blind, GError **error);
/* Resumes the newest open count this user may count in; FALSE with NOT_FOUND when
 * there is none. */
gboolean muster_kiosk_session_resume_count(MusterKioskSession *self, GError **error);
gboolean muster_kiosk_session_close_count(MusterKioskSession *self, GError **error);

/* The count under review (0 = the newest closed, reconciled or signed-off one). */
gint64 muster_kiosk_session_get_review_count(MusterKioskSession *self);
void muster_kiosk_session_set_review_count(MusterKioskSession *self, gint64 count_id);

/* Switches the window to a page: "setup" (while there is no store), "sign-in", "home",
 * "start", "live", "unmarked", "review", "lookup", "status", "settings". Emits
 * "navigate". */
void muster_kiosk_session_navigate(MusterKioskSession *self, const char *page);

/* Any touch or key: restarts the idle timer, and checks that the person signed in may
 * still act (muster_kiosk_session_check_user()). */
void muster_kiosk_session_poke(MusterKioskSession *self);
/* Seconds of idleness before the lock (setting kiosk_lock_seconds). */
guint muster_kiosk_session_get_lock_seconds(MusterKioskSession *self);
/* Overrides the idle time until settings are next read (tests, demos). */
void muster_kiosk_session_set_lock_seconds(MusterKioskSession *self, guint seconds);
/* Re-reads settings (after an admin changed them). */
void muster_kiosk_session_reload_settings(MusterKioskSession *self);

/* Backups: the default folder (at first MUSTER_DEFAULT_BACKUP_DIR) and where removable
 * media are mounted (NULL: "/"; see ui/backup-places.h). */
void muster_kiosk_session_set_backup_folders(MusterKioskSession *self, const char *default_dir,
                                             const char *media_prefix);
const char *muster_kiosk_session_get_backup_dir(MusterKioskSession *self);
/* Generations of this armoury kept in a backup's folder (0: the engine's default), as
 * the backup timer keeps them (MUSTER_BACKUP_KEEP). */
void muster_kiosk_session_set_backup_keep(MusterKioskSession *self, guint keep);
guint muster_kiosk_session_get_backup_keep(MusterKioskSession *self);
const char *muster_kiosk_session_get_media_prefix(MusterKioskSession *self);
/* Puts a prepared restore (db/restore.h) in place of the session's database. The engine
 * refuses while anything has the file open, so the kiosk lets go of it first: whoever is
 * signed in is signed out (audited, why "restore"), the count being counted commits what
 * is queued and closes its connections, and the store is closed (the readers hold no
 * connection and keep running). Then admin (a user of the restored records, signed in on
 * muster_restore_store()) commits it, the database is opened again (the restored one, or
 * on failure the one that was there) and the sign-in screen says what happened: a notice
 * on success (naming the backup as given: its time, armoury, chain head), the engine's
 * words as the reason on failure. FALSE with the engine's error
 * when the restore did not happen. */
gboolean muster_kiosk_session_restore(MusterKioskSession *self, MusterRestore *restore,
                                      const MusterUser *admin, const char *backup,
                                      GError **error);
/* What the sign-in screen says once that is no error (a restore done); NULL if nothing. */
char *muster_kiosk_session_take_notice(MusterKioskSession *self);

/* Leaving the kiosk is for admins only: emits "exit" when allowed. */
gboolean muster_kiosk_session_request_exit(MusterKioskSession *self, GError **error);

G_END_DECLS
