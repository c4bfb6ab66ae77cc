/*
 * migrate.h: the package upgrade's step: a verified backup, then the migrations.
 *
 * Opening a database migrates it anyway (db/store.h); this is what the package's
 * postinst runs so that the old file is kept first. All pending migrations run in one
 * transaction, so one that fails leaves the database exactly as it was, beside its
 * backup, and the error names the migration.
 */
#pragma once
#include "db/backup.h"

G_BEGIN_DECLS

typedef struct {
  int from, to;              /* schema versions; equal when nothing was pending */
  MusterBackupResult backup; /* taken only when something was pending */
} MusterMigrateResult;
void muster_migrate_result_clear(MusterMigrateResult *r);

/* Backs up db_path (reason "upgrade") into backup->dir, then migrates it, and records
 * both in the audit log as the system. Nothing pending: nothing done. */
gboolean muster_migrate_file(const char *db_path, const MusterBackupOptions *backup,
                             MusterMigrateResult *result, GError **error);

G_END_DECLS
