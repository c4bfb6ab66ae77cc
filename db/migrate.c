/*
 * migrate.c: backup, then migrate (see migrate.h).
 */
#include "db/migrate.h"
#include "db/audit.h"
#include "db/store-private.h"

#include <string.h>

void
muster_migrate_result_clear(MusterMigrateResult *r)
{
  muster_backup_result_clear(&r->backup);
  memset(r, 0, sizeof *r);
}

/* The schema version of the file as it is, without migrating it. */
static int
file_schema(const char *db_path, GError **error)
{
  g_autoptr(MusterStore) store = muster_store_connect_as_is(db_path, FALSE, error);
  return store != NULL ? muster_store_schema_version(store) : -1;
}

static gboolean
record(MusterStore *store, const MusterMigrateResult *r, GError **error)
{
  g_autofree char *detail = g_strdup_printf("{\"from\":%d,\"to\":%d}", r->from, r->to);
  if (!muster_backup_record(store, NULL, &r->backup, error) || !muster_store_begin(store, error))
    return FALSE;
  if (!muster_audit_append(store, NULL, "store.migrate", "", detail, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

gboolean
muster_migrate_file(const char *db_path, const MusterBackupOptions *backup, MusterMigrateResult *r,
                    GError **error)
{
  memset(r, 0, sizeof *r);
  r->from = file_schema(db_path, error);
  r->to = muster_store_schema_latest(error);
  if (r->from < 0 || r->to < 0)
    return FALSE;
  if (r->from >= r->to) {
    r->to = r->from;
    return TRUE;
  }
  MusterBackupOptions o = *backup;
  o.reason = "upgrade";
  if (!muster_backup_take(db_path, &o, &r->backup, error)) {
    g_prefix_error(error, "Nothing was migrated, since the backup failed: ");
    return FALSE;
  }
  g_autoptr(MusterStore) store = muster_store_open(db_path, error);
  if (store == NULL) {
    g_prefix_error(error, "The backup %s was taken first: ", r->backup.path);
    return FALSE;
  }
  return record(store, r, error);
}
