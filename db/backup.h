/*
 * backup.h: taking a backup of an armoury's database while it is in use.
 *
 * The copy is SQLite's online backup of one read snapshot, so it is consistent while a
 * count commits scans. It is written under a temporary name, synced, and checked as a
 * restore would check it (db/backup-file.h: integrity_check, audit verify) before it
 * takes its final name, ARMOURY-YYYYMMDDTHHMMSSZ-seqN.muster-backup, beside its
 * manifest. Only then are the oldest generations of this armoury in the folder removed;
 * files that are not this armoury's backups are never touched.
 *
 * Taking a backup only reads the database, and never migrates it: a backup copies what
 * is there (the upgrade takes one of the old schema before migrating). Recording it in
 * the audit log is a separate step (muster_backup_record()), which a timer's backup does
 * as the system itself, with nobody signed in.
 */
#pragma once
#include "db/backup-file.h"
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

/* How many generations are kept when nothing else is said. */
#define MUSTER_BACKUP_KEEP_DEFAULT 7

typedef struct {
  const char *dir;            /* where to write; NULL: MUSTER_DEFAULT_BACKUP_DIR */
  guint keep;                 /* generations of this armoury kept; 0: the default */
  const char *reason;         /* "manual", "timer" or "upgrade"; NULL: manual */
  const char *muster_version; /* the program's version, for the manifest */
} MusterBackupOptions;

typedef struct {
  char *path; /* the backup file */
  char *manifest_path;
  MusterBackupManifest manifest;
  GPtrArray *pruned; /* file names of the older generations removed */
} MusterBackupResult;
void muster_backup_result_clear(MusterBackupResult *r);

/* The result as members of the JSON object b is building: file, manifest, armoury_code,
 * size, sha256, schema_version, audit_head_seq, audit_head_hash, items, reason, pruned. */
void muster_backup_result_to_json(JsonBuilder *b, const MusterBackupResult *r);

/* The reasons a manifest may give. */
gboolean muster_backup_reason_valid(const char *reason, GError **error);

/* Backs up the database at db_path (opened on a connection of its own, as it is, never
 * migrated) into options->dir. On failure nothing is left under a backup's name and no
 * generation was removed; the message says what, where and what to do (a missing or
 * read-only folder, a full disk, a copy that does not check), and result is empty. Both
 * outcomes go to the journal (core/log-event.h: backup-done, backup-failed). */
gboolean muster_backup_take(const char *db_path, const MusterBackupOptions *options,
                            MusterBackupResult *result, GError **error);

/* Records a backup taken (action "backup.taken") in the audit log of store; actor NULL
 * for the system itself (a timer, the package upgrade). */
gboolean muster_backup_record(MusterStore *store, const MusterUser *actor,
                              const MusterBackupResult *result, GError **error);

G_END_DECLS
