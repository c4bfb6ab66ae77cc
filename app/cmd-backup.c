/*
 * cmd-backup.c: `muster backup`, `muster restore` and `muster migrate`: keeping an
 * armoury's records safe from a broken disk and from a failed upgrade.
 *
 * A backup only reads, so it needs nobody signed in: the backup timer runs it as the
 * `muster` user, and the audit log records it as done by the system. A restore replaces
 * the records and needs an admin of the restored database.
 */
#include <stdio.h>

#include "app/cli.h"
#include "db/backup.h"
#include "db/migrate.h"
#include "db/restore.h"

static int run_backup(int argc, char **argv);
static int run_restore(int argc, char **argv);
static int run_migrate(int argc, char **argv);

enum { CMD_BACKUP, CMD_RESTORE, CMD_MIGRATE, N_CMDS };

const MusterCliCommand muster_cmd_backup[] = {
    [CMD_BACKUP] = {"backup", "[--to DIR] [--keep N]",
                    "Take a checked backup of the database, keeping N generations", run_backup},
    [CMD_RESTORE] = {"restore", "--user ADMIN FILE",
                     "Replace the database by a backup, refusing damaged, foreign, other "
                     "armouries' and too old files",
                     run_restore},
    [CMD_MIGRATE] = {"migrate", "[--backup-to DIR]",
                     "Back up, then bring the database to this version's schema (the package "
                     "upgrade runs it)",
                     run_migrate},
    [N_CMDS] = {NULL}};

static void
print_backup(const MusterBackupResult *r)
{
  const MusterBackupManifest *m = &r->manifest;
  printf("Backup taken: %s\n  %" G_GINT64_FORMAT " bytes, sha256 %s, %" G_GINT64_FORMAT
         " items, audit head %" G_GINT64_FORMAT " %s\n  checked: integrity ok, audit chain "
         "verifies; manifest %s\n",
         r->path, m->size, m->sha256, m->items, m->head_seq, m->head_hash, r->manifest_path);
  for (guint i = 0; r->pruned != NULL && i < r->pruned->len; i++)
    printf("  removed the older backup %s\n", (const char *)g_ptr_array_index(r->pruned, i));
}

/* In the audit log as done by the system, unless the database awaits a migration (the
 * backup copied it as it is; `muster migrate` records its own). */
static gboolean
record_backup(const MusterBackupResult *r, gboolean *recorded, GError **error)
{
  int latest = muster_store_schema_latest(error);
  *recorded = latest >= 0 && r->manifest.schema_version >= latest;
  if (latest < 0 || !*recorded)
    return latest >= 0;
  g_autoptr(MusterStore) store = cli_open_store(error);
  return store != NULL && muster_backup_record(store, NULL, r, error);
}

static const char backup_help[] =
    "Copies the database while it is in use (SQLite's online backup of one snapshot) into\n"
    "DIR (default " MUSTER_DEFAULT_BACKUP_DIR "), checks the copy (integrity_check and the\n"
    "audit chain) and only then names it ARMOURY-TIME-seqN.muster-backup, beside a manifest\n"
    "(.manifest.json) with its SHA-256 and the audit chain's head. Then the oldest backups\n"
    "of this armoury in DIR beyond --keep are removed; other files are never touched.\n"
    "Needs nobody signed in; recorded in the audit log as done by the system.";

static int
run_backup(int argc, char **argv)
{
  g_autofree char *dir = NULL, *reason = NULL;
  gint keep = MUSTER_BACKUP_KEEP_DEFAULT;
  const GOptionEntry entries[] = {
      {"to", 0, 0, G_OPTION_ARG_FILENAME, &dir,
       "Folder to write to, e.g. a removable medium (default " MUSTER_DEFAULT_BACKUP_DIR ")",
       "DIR"},
      {"keep", 0, 0, G_OPTION_ARG_INT, &keep, "Backups of this armoury kept in DIR (default 7)",
       "N"},
      {"reason", 0, 0, G_OPTION_ARG_STRING, &reason,
       "manual (default), timer or upgrade: written in the manifest", "REASON"},
      {NULL}};
  const CliStart start = {.entries = entries, .help = backup_help, .usage = "", .args = 0};
  int status = cli_start(&muster_cmd_backup[CMD_BACKUP], &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  if (keep < 1)
    return cli_usage_error(&muster_cmd_backup[CMD_BACKUP], "--keep must be 1 or more");
  g_autoptr(GError) error = NULL;
  MusterBackupOptions o = {
      .dir = dir, .keep = (guint)keep, .reason = reason, .muster_version = MUSTER_VERSION};
  MusterBackupResult r;
  gboolean recorded = FALSE;
  if (!muster_backup_take(cli_db_path(), &o, &r, &error))
    return cli_fail(error);
  gboolean ok = record_backup(&r, &recorded, &error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    muster_backup_result_to_json(b, &r);
    cli_json_bool(b, "recorded", recorded);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    print_backup(&r);
    if (ok && !recorded)
      printf("  not recorded in the audit log: the database awaits an upgrade of its "
             "schema ('muster migrate' records its own backup)\n");
  }
  muster_backup_result_clear(&r);
  return ok ? 0 : cli_fail(error);
}

static const char migrate_help[] =
    "What the package upgrade runs: when this version has migrations the database lacks,\n"
    "takes a checked backup (reason upgrade) into DIR, then applies them all in one\n"
    "transaction. A migration that fails leaves the database exactly as it was, and the\n"
    "message names it. Both are recorded in the audit log as done by the system.";

static int
run_migrate(int argc, char **argv)
{
  g_autofree char *dir = NULL;
  gint keep = MUSTER_BACKUP_KEEP_DEFAULT;
  const GOptionEntry entries[] = {
      {"backup-to", 0, 0, G_OPTION_ARG_FILENAME, &dir,
       "Folder for the backup taken first (default " MUSTER_DEFAULT_BACKUP_DIR ")", "DIR"},
      {"keep", 0, 0, G_OPTION_ARG_INT, &keep, "Backups of this armoury kept in DIR (default 7)",
       "N"},
      {NULL}};
  const CliStart start = {.entries = entries, .help = migrate_help, .usage = "", .args = 0};
  int status = cli_start(&muster_cmd_backup[CMD_MIGRATE], &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  if (keep < 1)
    return cli_usage_error(&muster_cmd_backup[CMD_MIGRATE], "--keep must be 1 or more");
  g_autoptr(GError) error = NULL;
  MusterBackupOptions o = {.dir = dir, .keep = (guint)keep, .muster_version = MUSTER_VERSION};
  MusterMigrateResult r;
  if (!muster_migrate_file(cli_db_path(), &o, &r, &error))
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_int(b, "from", r.from);
    cli_json_int(b, "to", r.to);
    if (r.backup.path != NULL) {
      json_builder_set_member_name(b, "backup");
      json_builder_begin_object(b);
      muster_backup_result_to_json(b, &r.backup);
      json_builder_end_object(b);
    }
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else if (r.from == r.to) {
    printf("The database is at schema %d, this version's: nothing to migrate.\n", r.to);
  } else {
    print_backup(&r.backup);
    printf("Migrated from schema %d to %d.\n", r.from, r.to);
  }
  muster_migrate_result_clear(&r);
  return 0;
}

static const char restore_help[] =
    "Replaces the database by FILE, a backup 'muster backup' wrote. Refused, and nothing\n"
    "changed, when FILE is not a Muster database (exit 16), is damaged (13: not as its\n"
    "manifest says, integrity_check, or the audit chain), is another armoury's (17), is\n"
    "older than the history the registry holds an anchor of (18), or parts from the live\n"
    "history (15), or while another program has the database open (10: stop the kiosk\n"
    "and the sync first). The anchors come from the live database's registry receipts; when it\n"
    "cannot be read, give the registry's (--anchors) or say --no-registry-anchor.\n"
    "The admin signs in against the restored records. The live file is moved aside as\n"
    "DB.replaced-TIME, never deleted; the restore is recorded in the audit log.";

static void
print_restore(MusterRestore *r)
{
  const MusterBackupManifest *m = muster_restore_backup(r);
  const char *replaced = muster_restore_replaced_path(r);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_str(b, "database", cli_db_path());
    cli_json_str(b, "armoury_code", m->armoury_code);
    cli_json_int(b, "audit_head_seq", m->head_seq);
    cli_json_str(b, "audit_head_hash", m->head_hash);
    cli_json_int(b, "items", m->items);
    cli_json_str(b, "replaced", replaced);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
    return;
  }
  printf("Restored %s (armoury %s, %" G_GINT64_FORMAT " items, audit head %" G_GINT64_FORMAT
         " %s)\n",
         cli_db_path(), m->armoury_code, m->items, m->head_seq, m->head_hash);
  if (replaced != NULL)
    printf("  the database it replaced was kept as %s\n", replaced);
}

static int
run_restore(int argc, char **argv)
{
  g_autofree char *user = NULL, *anchors_file = NULL;
  gboolean no_anchor = FALSE;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &user,
       "Admin of the restored database (or $MUSTER_USER); PIN from $MUSTER_PIN", "NAME"},
      {"anchors", 0, 0, G_OPTION_ARG_FILENAME, &anchors_file,
       "The registry's anchors ('muster-registry anchors ARMOURY' > FILE)", "FILE"},
      {"no-registry-anchor", 0, 0, G_OPTION_ARG_NONE, &no_anchor,
       "Restore even though no anchor is known (the live database is unreadable and no "
       "--anchors): recorded in the audit log",
       NULL},
      {NULL}};
  const CliStart start = {
      .entries = entries, .help = restore_help, .usage = "FILE is required", .args = 1};
  int status = cli_start(&muster_cmd_backup[CMD_RESTORE], &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autofree char *anchors = NULL;
  gsize anchors_len = 0;
  if (anchors_file != NULL && !cli_read_input(anchors_file, &anchors, &anchors_len, &error))
    return cli_fail(error);
  MusterRestoreOptions o = {.anchors_json = anchors, .no_registry_anchor = no_anchor};
  g_autoptr(MusterRestore) r = muster_restore_prepare(cli_db_path(), argv[1], &o, &error);
  if (r == NULL)
    return cli_fail(error);
  g_autoptr(MusterUser) admin = cli_sign_in_actor(muster_restore_store(r), user, &error);
  if (admin == NULL) {
    g_prefix_error(&error,
                   "Signing in to the records of %s, which the admin must be in: ", argv[1]);
    return cli_fail(error);
  }
  if (!muster_restore_commit(r, admin, &error))
    return cli_fail(error);
  print_restore(r);
  return 0;
}
