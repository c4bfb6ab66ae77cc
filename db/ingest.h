/*
 * ingest.h: scans into an open count, durably, fast.
 *
 * For each scan: resolve its marking to items, decide the outcome, dedupe (one item
 * found many times is one find), store the scan with its raw payload, and update the
 * progress. Scans are queued and committed in batches, one transaction each (WAL,
 * synchronous=FULL), and only after the commit are their outcomes handed back: a scan
 * whose outcome anyone has seen is on disk. A caller flushes when muster_ingest_due()
 * says, which starts each flush early enough for every scan to be committed within the
 * bound it is given (50 ms for a count).
 */
#pragma once
#include "core/closed-list.h"
#include "db/store.h"
#include "db/users.h"
#include "scan/scan.h"

G_BEGIN_DECLS

typedef enum {
  MUSTER_OUTCOME_ACCEPTED,        /* expected here, first time */
  MUSTER_OUTCOME_DUPLICATE,       /* already counted in this count */
  MUSTER_OUTCOME_UNKNOWN,         /* no record carries this marking */
  MUSTER_OUTCOME_WRONG_LOCATION,  /* a record, but recorded elsewhere */
  MUSTER_OUTCOME_STATUS_CONFLICT, /* recorded issued, lost, stolen, destroyed, in transit */
  MUSTER_OUTCOME_NOT_GENUINE,     /* the tag failed its originality check */
  MUSTER_OUTCOME_UNREADABLE,      /* garbage: kept, reported */
  MUSTER_OUTCOME_AMBIGUOUS,       /* the marking is on more than one item */
} MusterOutcome;

/* The outcomes, named as stored (scan.outcome): "accepted", ... */
extern const MusterClosedList muster_outcome_list;
const char *muster_outcome_to_string(MusterOutcome o);

/* The strings live in one allocation (strings), freed by muster_ingest_result_clear():
 * read them, never free or replace one alone. */
typedef struct {
  gint64 scan_id;
  MusterOutcome outcome;
  gint64 item_id;          /* 0 when none */
  char *item_uuid;
  char *summary;           /* "Glock 17 9x19 GL-123456" for the screen, or the text */
  char *recorded_location; /* where the records say it is */
  char *item_status;
  char *marking_value;
  char *location_path;     /* where it was scanned */
  gpointer strings;        /* private: the block the strings above live in */
} MusterIngestResult;

void muster_ingest_result_clear(MusterIngestResult *r);

typedef struct _MusterIngest MusterIngest;

/* actor must be the count's counter or witness, or a supervisor/admin. The count must be
 * open. */
MusterIngest *muster_ingest_new(MusterStore *store, const MusterUser *actor, gint64 count_id,
                                GError **error);
void muster_ingest_free(MusterIngest *ingest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterIngest, muster_ingest_free)

/* The location scans are taken at, until changed ("" or NULL = the count's scope). */
gboolean muster_ingest_set_location(MusterIngest *ingest, const char *path, GError **error);

/* Queues a scan (ownership is not taken). A scan's location_path, when set, applies from
 * that scan on, as muster_ingest_set_location() would; a path that does not exist or lies
 * outside the count is ignored, and the result's location_path says where the scan was
 * counted. */
void muster_ingest_add(MusterIngest *ingest, const MusterScan *scan);
guint muster_ingest_pending(MusterIngest *ingest);
/* TRUE when a flush must start now for the oldest queued scan to be committed within
 * max_wait_us of its muster_ingest_add(), judging by what flushes have cost so far (it
 * plans for half of max_wait_us and keeps the rest in reserve), or when the queue is
 * full. A feed calls it after each scan it adds. */
gboolean muster_ingest_due(MusterIngest *ingest, gint64 max_wait_us);
/* Microseconds until muster_ingest_due() becomes TRUE if no scan is added (0: it is
 * due), for a feed that waits for input; -1 when nothing is queued. */
gint64 muster_ingest_due_in(MusterIngest *ingest, gint64 max_wait_us);

/* Commits every queued scan in one transaction and appends one MusterIngestResult per
 * scan to results (GArray of MusterIngestResult, may be NULL). On failure nothing of
 * the batch is stored, the queue is kept for a retry, and error says why. */
gboolean muster_ingest_flush(MusterIngest *ingest, GArray *results, GError **error);

/* Progress of the count as ingest sees it (cheap: kept in memory). */
gint64 muster_ingest_found(MusterIngest *ingest);
gint64 muster_ingest_scans(MusterIngest *ingest);

G_END_DECLS
