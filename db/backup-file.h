/*
 * backup-file.h: a backup file of an armoury's database, and the manifest beside it.
 *
 * Taking a backup (db/backup.h) and restoring one (db/restore.h) trust a copy only
 * after the same checks: SQLite's integrity_check says ok and the audit chain verifies
 * as `muster audit verify` checks it. The manifest carries what the copy holds (the
 * armoury, the schema, the audit chain's head) and its SHA-256, so a copy damaged on a
 * removable medium is found before it is opened, and so that `muster backup` knows
 * which files in a shared folder are its own generations.
 */
#pragma once
#include "db/store.h"
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The format of the manifest: a reader refuses a newer one. */
#define MUSTER_BACKUP_MANIFEST_VERSION 1
/* A backup's file name ends so; its manifest is the name without it + ".manifest.json". */
#define MUSTER_BACKUP_SUFFIX ".muster-backup"

typedef struct {
  int format_version;
  char *armoury_code;
  char *armoury_uuid;
  char *created_at;
  char *muster_version;
  int schema_version;
  gint64 head_seq; /* the audit chain's head in the copy */
  char *head_hash;
  char *file; /* the backup's file name, without its folder */
  gint64 size;
  char *sha256; /* of the whole file, hex */
  gint64 items;
  char *reason; /* manual, timer, upgrade */
} MusterBackupManifest;

void muster_backup_manifest_clear(MusterBackupManifest *m);

/* The manifest's path for a backup file. */
char *muster_backup_manifest_path(const char *backup_path);
/* The manifest as the file holds it: pretty-printed JSON and a newline. */
char *muster_backup_manifest_to_json(const MusterBackupManifest *m);
/* Writes the manifest atomically (a temporary file, synced, renamed), mode 0600. */
gboolean muster_backup_manifest_write(const char *path, const MusterBackupManifest *m,
                                      GError **error);
/* Reads one; MUSTER_ERROR_INVALID when it cannot be read or is not a manifest Muster
 * wrote (a removable medium's file is outside data: tests/fuzz/fuzz-backup-manifest.c). */
gboolean muster_backup_manifest_read(const char *path, MusterBackupManifest *m, GError **error);
/* The same from the file's text (length bytes); shown names it in the message. On
 * failure, m is left empty. */
gboolean muster_backup_manifest_parse(const char *text, gsize length, const char *shown,
                                      MusterBackupManifest *m, GError **error);

/* The SHA-256 (hex) and size of a file. */
gboolean muster_backup_file_digest(const char *path, char sha256[65], gint64 *size, GError **error);

/* Checks a copy of a database, which nothing else has open: PRAGMA integrity_check is
 * ok and the audit chain verifies (a copy of an older schema is checked on a migrated
 * scratch copy beside it, removed afterwards). Fills what the copy holds into m
 * (identity, schema, head, items; not the file fields). MUSTER_ERROR_DB_CORRUPT saying
 * what is wrong with shown (the file the copy was made of) when it is damaged; the code
 * of the failure when the disk failed. */
gboolean muster_backup_check_copy(const char *path, const char *shown, MusterBackupManifest *m,
                                  GError **error);

/* Removes a copy made for a backup or a restore, with SQLite's files beside it. */
void muster_backup_remove_file(const char *path);
/* A JSON member with an integer value (manifests and audit details). */
void muster_backup_json_int(JsonBuilder *b, const char *name, gint64 value);

/* fsync of a file, or of a folder after a rename in it. */
gboolean muster_backup_sync_path(const char *path, GError **error);

G_END_DECLS
