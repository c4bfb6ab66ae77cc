/*
 * screen-backup.h: backup and restore from the kiosk, for admins.
 *
 * Reached from the settings screen. An admin takes a backup into the default backup
 * folder or onto a removable medium the kiosk has mounted, and sees its file, size and
 * audit chain head, or the engine's words when it failed. To restore, the admin chooses
 * one of the backups found there (newest first, from their manifests), confirms twice
 * (a red warning saying what is replaced and where the current file is kept, then the
 * admin's PIN, checked against the restored records), and the session lets go of the
 * database for the engine's restore (ui/session.h) and comes back on the sign-in screen
 * saying what happened. Every refusal of the engine (damaged, foreign, another
 * armoury's, older than the registry's anchor, a forked history, the file still open
 * elsewhere) is shown in its words, with nothing changed.
 *
 * The engine decides who may: the screen asks it whether the person signed in is an
 * admin before anything (a backup needs nobody signed in, so that check is the
 * kiosk's), and the restore's commit refuses anyone but an admin of the restored records.
 * The long steps (the backup's copy and checks, the restore's copy and checks) run on a
 * worker thread on connections of their own, with a busy spinner; the kiosk's own
 * connection stays on the main thread.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_BACKUP (muster_kiosk_screen_backup_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenBackup, muster_kiosk_screen_backup, MUSTER_KIOSK,
                     SCREEN_BACKUP, GtkWidget)

GtkWidget *muster_kiosk_screen_backup_new(MusterKioskSession *session);

/* TRUE while a backup or a restore's checks run (tests wait on it). */
gboolean muster_kiosk_screen_backup_is_busy(MusterKioskScreenBackup *self);

G_END_DECLS
