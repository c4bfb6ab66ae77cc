/*
 * history.h: the answer to a tracing request.
 *
 * Given any marking (serial, tag UID, UII, barcode), every item that carries it, each
 * with its record, its markings, and its whole history in time order: creation, every
 * status, location and custody change, every count that found it (when, where, by
 * whom), every count that expected it and did not find it, and every discrepancy
 * raised on it with its resolutions.
 */
#pragma once
#include "db/store.h"
#include "db/items.h"

G_BEGIN_DECLS

typedef struct {
  char *at;
  char *kind;     /* created, status, location, custody, marking, correction, registry,
                     counted, missed, discrepancy, resolution */
  char *summary;  /* one line a person reads */
  char *user;     /* who, when known */
  char *count_uuid;   /* for counted / missed / discrepancy */
  char *location_path;
} MusterHistoryEvent;

typedef struct {
  MusterItem *item;        /* with markings */
  GPtrArray *events;       /* MusterHistoryEvent*, oldest first */
  char *last_counted_at;   /* NULL when never found by a count */
} MusterItemHistory;

void muster_item_history_free(MusterItemHistory *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterItemHistory, muster_item_history_free)

/* Element type MusterItemHistory*; empty when nothing matches. Scans of the marking
 * that matched no record are not lost: see unknown_scans. */
GPtrArray *muster_history_trace(MusterStore *store, const char *marking_text,
                                GError **error);

/* Scans of this marking that matched no record: count uuid, time, location. Element
 * type MusterHistoryEvent*. */
GPtrArray *muster_history_unknown_scans(MusterStore *store, const char *marking_text,
                                        GError **error);

G_END_DECLS
