/*
 * store.h: one armoury's record store, a single SQLite file.
 *
 * Only muster_store_create() makes a new file; muster_store_open() refuses a missing
 * path, so a mistyped --db never yields an empty database. Both apply the pragmas every
 * connection needs (WAL, foreign keys, synchronous=FULL, a busy timeout) and bring the
 * schema up to date with the migrations compiled into the binary.
 *
 * This is what programs see of it: no SQL, and no SQLite type. The engine modules in
 * db/ reach the connection and the statement cache through db/store-private.h, which
 * nothing outside db/ includes (tests/boundary/ checks that).
 */
#pragma once
#include <glib.h>
#include "core/muster-error.h"

G_BEGIN_DECLS

typedef struct _MusterStore MusterStore;

/* The default database of an installed appliance. */
#define MUSTER_DEFAULT_DB "/var/lib/muster/armoury.db"
/* Where an installed appliance keeps its backups (`muster backup`, db/backup.h). */
#define MUSTER_DEFAULT_BACKUP_DIR "/var/lib/muster/backups"

/* An armoury code: 1 to 32 letters, digits, '-' or '_' (INVALID otherwise). */
gboolean muster_store_code_valid(const char *code, GError **error);
/* Creates PATH (which must not exist) with the current schema and the armoury's
 * identity. code is short ("ARM-01"); name is free text. */
MusterStore *muster_store_create(const char *path, const char *armoury_code,
                                 const char *armoury_name, GError **error);
/* Closes a database this process has just created and removes its files: for a set-up
 * that could not be finished (its first admin could not be added), so that a failed
 * `muster init` leaves nothing behind. */
void muster_store_discard_new(MusterStore *store);
/* Opens an existing database and migrates it forward. */
MusterStore *muster_store_open(const char *path, GError **error);
void muster_store_free(MusterStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterStore, muster_store_free)

const char *muster_store_path(MusterStore *store);
const char *muster_store_armoury_code(MusterStore *store);
const char *muster_store_armoury_uuid(MusterStore *store);
const char *muster_store_armoury_name(MusterStore *store);
int muster_store_schema_version(MusterStore *store);
/* The number of the last migration compiled into this program: a database whose
 * schema version is lower is migrated when opened. -1 with error set on failure. */
int muster_store_schema_latest(GError **error);

/* How long a write waits for another program's write lock before failing with
 * MUSTER_ERROR_DB_BUSY (default 5000 ms). */
void muster_store_set_busy_timeout(MusterStore *store, int ms);
/* The connection's page cache, in KiB (default 65536): a program that reads a few rows
 * at a time can keep less in memory. */
gboolean muster_store_set_cache_size(MusterStore *store, int kib, GError **error);

/* BEGIN IMMEDIATE: takes the write lock at once, so a busy database fails here with a
 * clear message rather than half-way through a change. Transactions do not nest. */
gboolean muster_store_begin(MusterStore *store, GError **error);
gboolean muster_store_commit(MusterStore *store, GError **error);
void muster_store_rollback(MusterStore *store);
gboolean muster_store_in_transaction(MusterStore *store);

/* One snapshot for several reads that must agree (WAL: other programs go on writing,
 * unseen until muster_store_read_end()). Inside a change it does nothing: the change's
 * own view already agrees. *begun says which, for muster_store_read_end(). Nothing may
 * be written between the two. */
gboolean muster_store_read_begin(MusterStore *store, gboolean *begun, GError **error);
void muster_store_read_end(MusterStore *store, gboolean begun);

/* Settings with defaults (overdue_days=90, lockout_attempts=5). */
gint64 muster_store_setting_int(MusterStore *store, const char *key, gint64 fallback);
char *muster_store_setting(MusterStore *store, const char *key);
gboolean muster_store_set_setting(MusterStore *store, const char *key, const char *value,
                                  GError **error);

/* Time and identity helpers. */
char *muster_now_iso(void);                 /* "2026-11-25T20:14:57.123Z" */
char *muster_time_iso(gint64 unix_usec);
char *muster_uuid_new(void);                /* random UUID v4 */

G_END_DECLS
