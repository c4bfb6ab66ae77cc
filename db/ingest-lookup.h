/*
 * ingest-lookup.h: the marking lookups of an ingest flush, on a thread of their own.
 *
 * Internal to db/ingest.c. A flush starts the lookups of its batch once it holds the
 * write lock and takes the answers chunk by chunk as it stores the scans, so that
 * looking markings up runs beside storing them. See ingest-lookup.c.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* What a marking value resolved to. */
typedef struct {
  int n_items;        /* 0, 1, or 2 meaning "more than one" */
  gint64 item_id;     /* the rest only when n_items is 1 */
  const char *status; /* a static string */
  gint64 location_id; /* recorded location; 0 when none */
  const char *text;   /* "<uuid>\0<summary>" when asked; valid until the next start */
} MusterLookupHit;

typedef struct _MusterLookup MusterLookup;

/* Opens a read-only connection to the database at path, and the thread. */
MusterLookup *muster_lookup_new(const char *path, GError **error);
void muster_lookup_free(MusterLookup *lookup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterLookup, muster_lookup_free)

/* Starts resolving values[0..n) (NULL: nothing to look up) into hits[0..n), in order.
 * The caller holds the write lock, so the lookups see exactly what its transaction
 * builds on. Both arrays must stay as they are until muster_lookup_finish(). */
void muster_lookup_start(MusterLookup *lookup, const char *const *values, guint n,
                         gboolean want_text, MusterLookupHit *hits);
/* Waits until hits[0..upto) are in; FALSE with error when the lookups failed. */
gboolean muster_lookup_wait(MusterLookup *lookup, guint upto, GError **error);
/* Waits until the lookups started last have ended, their read transaction with them.
 * Call it after every start, before committing or rolling back. */
void muster_lookup_finish(MusterLookup *lookup);

G_END_DECLS
