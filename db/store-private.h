/*
 * store-private.h: the record store as the engine modules of db/ see it, SQLite and all.
 *
 * store.h is what programs and screens get: opening, identity, settings, transactions.
 * The connection, the statement cache and the helpers that bind and read columns are
 * here, so that SQLite stays inside db/ (the rule "no SQL outside db/" holds by
 * construction: nothing else can name a statement). Only db/ includes this header, and
 * tests/ and bench/ where they check the file behind the engine's back on purpose;
 * tests/boundary/ fails the build's tests otherwise.
 */
#pragma once
#include "db/store.h"
#include <sqlite3.h>

G_BEGIN_DECLS

sqlite3 *muster_store_db(MusterStore *store);

/* A prepared statement from the store's cache, reset and with bindings cleared. The
 * store owns it; do not finalize it. */
sqlite3_stmt *muster_store_stmt(MusterStore *store, const char *sql, GError **error);

/* Runs SQL without results (no parameters: for fixed statements only). */
gboolean muster_store_exec(MusterStore *store, const char *sql, GError **error);

/* Sets error from the SQLite result rc of the last call, saying what was being done
 * ("storing the scan") and what the user can do about it. Always returns FALSE. */
gboolean muster_store_fail(MusterStore *store, int rc, const char *doing, GError **error);

/* The integer a one-row query (cached statement, no parameters) returns; -1 with error
 * set via muster_store_fail (saying doing) when it fails or returns no row. */
gint64 muster_store_query_int(MusterStore *store, const char *sql, const char *doing,
                              GError **error);

/* Steps a statement that returns no rows; on failure sets error via muster_store_fail. */
gboolean muster_store_step_done(MusterStore *store, sqlite3_stmt *stmt, const char *doing,
                                GError **error);

/* Binds text or NULL when s is NULL or empty. */
void muster_bind_text_or_null(sqlite3_stmt *stmt, int idx, const char *s);
/* A column as a newly allocated string (NULL stays NULL). */
char *muster_column_dup(sqlite3_stmt *stmt, int col);

/* ---- transaction hooks -------------------------------------------------------------- */

/* What runs inside every transaction muster_store_begin() opens: begin right after
 * BEGIN (to note where the transaction starts), before_commit just before COMMIT, still
 * inside it (FALSE, with error set, rolls the whole transaction back). Hooks run in the
 * order they were added. The audit seal is one (db/audit.c): the store itself knows
 * nothing of what its hooks write. */
typedef void (*MusterStoreTxBegin)(MusterStore *store, gpointer data);
typedef gboolean (*MusterStoreTxCommit)(MusterStore *store, gpointer data, GError **error);
/* data is the hook's own, freed with destroy (may be NULL) when the store is. */
void muster_store_add_tx_hook(MusterStore *store, MusterStoreTxBegin begin,
                              MusterStoreTxCommit before_commit, gpointer data,
                              GDestroyNotify destroy);

/* ---- the steps of opening, for store-open.c ----------------------------------------- */

/* An existing Muster database at path, connected, its pragmas applied and, unless it
 * can only be read, migrated forward. No hooks yet, and no identity loaded. */
MusterStore *muster_store_connect_existing(const char *path, GError **error);
/* An existing Muster database at path as it is: its application_id checked, its
 * identity loaded, and nothing applied, migrated or sealed. For copying it (a backup
 * copies what is there) and for checking a copy; read_only opens it without write
 * access (a file that is not in WAL mode: a backup copy). */
MusterStore *muster_store_connect_as_is(const char *path, gboolean read_only, GError **error);
/* A new database at path (which must not exist): made readable by its owner alone,
 * connected, with the current schema. On failure nothing is left at path. */
MusterStore *muster_store_connect_new(const char *path, GError **error);
/* The armoury's code, UUID and name, read from the meta table. */
gboolean muster_store_load_identity(MusterStore *store, GError **error);

G_END_DECLS
