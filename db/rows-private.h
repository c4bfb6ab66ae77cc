/*
 * rows-private.h: reading every row of a query, for the engine modules of db/ only.
 *
 * Stepping a statement to its end, stopping at an error, resetting it for the cache and
 * saying what failed is the same for every list the engine reads; written once here, a
 * module says only what one row becomes.
 */
#pragma once
#include "db/store-private.h"

G_BEGIN_DECLS

/* One row of stmt (the current one) as a new element. */
typedef gpointer (*MusterRowNew)(sqlite3_stmt *stmt);
/* Takes one row of stmt; FALSE, with error set, stops the reading. */
typedef gboolean (*MusterRowFunc)(sqlite3_stmt *stmt, gpointer data, GError **error);

/* Steps stmt (prepared and bound by the caller) through every row, calling func with
 * each, and resets it. FALSE with error when func fails, or when SQLite does (error set
 * by muster_store_fail(), saying doing). */
gboolean muster_rows_foreach(MusterStore *store, sqlite3_stmt *stmt, MusterRowFunc func,
                             gpointer data, const char *doing, GError **error);

/* muster_rows_foreach() that appends row_new(stmt) of every row to out. On failure out
 * keeps the rows read before it. */
gboolean muster_rows_collect(MusterStore *store, sqlite3_stmt *stmt, MusterRowNew row_new,
                             GPtrArray *out, const char *doing, GError **error);

G_END_DECLS
