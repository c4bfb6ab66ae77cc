/*
 * restore.h: replacing an armoury's database by a backup, without losing history.
 *
 * A restore refuses, each with its own code: a file that is no Muster database
 * (MUSTER_ERROR_FOREIGN); a damaged one (MUSTER_ERROR_DB_CORRUPT: not as its manifest
 * says, integrity_check not ok, or an audit chain that does not verify); another
 * armoury's (MUSTER_ERROR_OTHER_ARMOURY); one older than what the registry holds an
 * anchor of (MUSTER_ERROR_BEHIND_ANCHOR: restoring it would silently drop history); and
 * one whose history is not an ancestor of the live database's (MUSTER_ERROR_TAMPERED:
 * one of the two was rewritten). The anchors come from the live database's signed
 * receipts when it can be read, and from the registry's list (`muster-registry anchors`)
 * when given; with neither, a restore must be told so explicitly, and records that. It
 * also waits until no other program has the live database open (MUSTER_ERROR_DB_BUSY),
 * since the kiosk would write on into the file moved aside.
 *
 * The live file is never written over: it is moved aside as FILE.replaced-TIME (with its
 * -wal, if it kept one: nothing recorded is ever deleted), and the checked copy, already
 * holding its "store.restore" audit entry naming the admin, takes its place by a rename.
 *
 * In two steps so that a program can sign the admin in between, against the restored
 * records (the admin must exist there): prepare, sign in on muster_restore_store(),
 * commit.
 */
#pragma once
#include "db/backup-file.h"
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef struct {
  const char *anchors_json;    /* the registry's anchors, as `muster-registry anchors` prints */
  gboolean no_registry_anchor; /* go on with no anchor at all (recorded in the entry) */
} MusterRestoreOptions;

typedef struct _MusterRestore MusterRestore;

/* Checks file for a restore over the database at live_path (which may be missing or
 * unreadable), copying it beside live_path first. */
MusterRestore *muster_restore_prepare(const char *live_path, const char *file,
                                      const MusterRestoreOptions *options, GError **error);
/* The copy to be restored, opened (and migrated, if it is of an older schema): where
 * the admin signs in. */
MusterStore *muster_restore_store(MusterRestore *restore);
/* What the backup holds. */
const MusterBackupManifest *muster_restore_backup(MusterRestore *restore);
/* Admin only. Records the restore, moves the live file aside, puts the copy in its
 * place. */
gboolean muster_restore_commit(MusterRestore *restore, const MusterUser *admin, GError **error);
/* Where the replaced database was moved (after commit; NULL when there was none). */
const char *muster_restore_replaced_path(MusterRestore *restore);
/* Removes the copy unless committed. */
void muster_restore_free(MusterRestore *restore);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterRestore, muster_restore_free)

G_END_DECLS
