/*
 * state-seal.h: the state tables sealed like history.
 *
 * Items, markings, users, badges, settings, locations, counts, the armoury's identity and
 * the sync settings are rows Muster updates in place. Each time Muster writes one, the
 * row's digest is appended to row_state in the same transaction, and row_state is sealed
 * into the audit chain with the other history tables (db/audit.c). So every state row
 * must equal the newest digest sealed for it; a row edited, added or deleted straight in
 * the file does not, and verification names it.
 *
 * The digest covers the table, the rowid and each non-NULL column as (name, type,
 * value): a migration that adds a nullable column leaves every digest valid.
 */
#pragma once
#include "db/store.h"

G_BEGIN_DECLS

#define MUSTER_STATE_N_TABLES 9

/* For the store, on every read-write connection: the digest function, and temporary
 * triggers that note each existing state row this connection updates or deletes.
 * Another program's writes (the sqlite3 shell, say) are not noted, which is the point. */
gboolean muster_state_seal_attach(MusterStore *store, GError **error);

/* For the audit seal. At a transaction's start: the newest rowid of each state table
 * (rows above it are the transaction's new rows; rowids are never reused, since state
 * rows are not deleted). At commit: one row_state row for each state row this
 * transaction added, changed or deleted (a NULL digest for a deleted row). */
void muster_state_seal_tx_snapshot(MusterStore *store, gint64 base[MUSTER_STATE_N_TABLES]);
gboolean muster_state_seal_tx(MusterStore *store, const gint64 base[MUSTER_STATE_N_TABLES],
                              GError **error);

/* For the baseline, taken once per database (at creation, or when an older database is
 * first opened) by db/store-open.c in one audited transaction ("state.baseline"):
 * whether it is wanted (a writable database whose row_state is empty), and, inside that
 * transaction, queueing every state row to be sealed as it is at commit (*rows counts
 * them). */
gboolean muster_state_seal_baseline_wanted(MusterStore *store, gboolean *wanted,
                                           GError **error);
gboolean muster_state_seal_queue_all(MusterStore *store, gint64 *rows, GError **error);

/* Every state row against its newest sealed digest. Each row that disagrees adds one
 * line to problems (at most max_problems; *n_problems counts them all), naming the row
 * in words. rows_checked may be NULL. FALSE only when the store cannot be read. */
gboolean muster_state_seal_verify(MusterStore *store, GPtrArray *problems, guint max_problems,
                                  gint64 *n_problems, gint64 *rows_checked, GError **error);

G_END_DECLS
