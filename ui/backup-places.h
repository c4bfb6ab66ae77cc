/*
 * backup-places.h: where the kiosk can write a backup, and the backups it can restore.
 *
 * An admin at the kiosk has no shell to type a path: the places are the default backup
 * folder and each removable medium mounted under /media/NAME or /run/media/USER/NAME
 * that the kiosk can write (found by making a file there: access() says yes to root and
 * no on a read-only mount only after the fact). The backups are the .muster-backup files
 * in those places, described by their manifests (db/backup-file.h), newest first. A
 * file whose manifest cannot be read is still listed, so that the engine's restore can
 * say what is wrong with it.
 */
#pragma once
#include "db/backup-file.h"
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *path;     /* the folder */
  gboolean media; /* a removable medium, not the default folder */
} MusterKioskBackupPlace;

typedef struct {
  char *path;            /* the backup file */
  gboolean has_manifest; /* manifest read; else problem says why */
  MusterBackupManifest manifest;
  char *problem;
} MusterKioskBackupFound;

/* The places to write to: default_dir first (whether it exists or not: the engine says
 * what is wrong with it), then the writable media under media_prefix (NULL: "/"; tests
 * give a folder holding media/ and run/media/). */
GPtrArray *muster_kiosk_backup_places(const char *default_dir, const char *media_prefix);

/* Every backup in places (MusterKioskBackupPlace), newest first. */
GPtrArray *muster_kiosk_backups_found(GPtrArray *places);

G_END_DECLS
