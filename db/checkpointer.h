/*
 * checkpointer.h: WAL checkpoints on a thread of their own while a count is scanning.
 *
 * SQLite normally checkpoints inside the commit that crosses 1,000 WAL pages, so that one
 * commit pays for copying the WAL into the database and an fsync of it: the longest
 * flushes of an ingest were those. While a MusterCheckpointer is attached, the store's
 * connection commits only, and this thread checkpoints (PASSIVE: it never blocks the
 * writer) on its own connection whenever the WAL has grown past the threshold.
 */
#pragma once
#include "db/store.h"

G_BEGIN_DECLS

typedef struct _MusterCheckpointer MusterCheckpointer;

/* Attaches to the store's connection (for its WAL hook) and opens a connection of its
 * own to the store's file. Detach by freeing, before the store is freed; the default
 * autocheckpoint is then restored. */
MusterCheckpointer *muster_checkpointer_new(MusterStore *store, GError **error);
void muster_checkpointer_free(MusterCheckpointer *cp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterCheckpointer, muster_checkpointer_free)

/* Checkpoints run so far (for tests). */
guint muster_checkpointer_runs(MusterCheckpointer *cp);

G_END_DECLS
