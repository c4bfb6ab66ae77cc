/*
 * live-count.h: scans feeding an open count, on the main loop.
 *
 * The one place where the data flow's two halves meet: scans go into a MusterIngest,
 * are committed in batches within 50 ms of being read, and only then reported
 * ("result"), so anything that shows or prints a scan shows a committed one. They come
 * from a MusterReaderManager (the kiosk, `muster count scan --from-readers`) or are
 * handed in by a caller that reads them itself (`muster count scan` from stdin); either
 * way this is the one loop that decides when to commit. A rack label ("@R1/A/03") or a
 * scripted location line moves the counter: scans already queued are committed at the
 * old place first.
 *
 * A failed commit (database busy, disk full) keeps the scans queued and retries; the
 * "error" signal says what is wrong, so a screen can tell the counter at once, and a
 * caller that must give up instead (a headless feed) can.
 */
#pragma once
#include "db/ingest.h"
#include "drivers/manager.h"
#include <glib-object.h>

G_BEGIN_DECLS

#define MUSTER_TYPE_LIVE_COUNT (muster_live_count_get_type())
G_DECLARE_FINAL_TYPE(MusterLiveCount, muster_live_count, MUSTER, LIVE_COUNT, GObject)

/* Signals:
 *  "result" (const MusterIngestResult *r): a scan, committed;
 *  "location" (const char *path): the counter moved ("" = the count's scope);
 *  "error" (const GError *error): a commit the timer started failed (retried), or a
 *    reader's rack label was refused;
 *  "flushed" (guint n): a commit succeeded, after the "result" of each of its n scans. */

/* The store and manager must outlive the live count. actor: as for muster_ingest_new().
 * manager NULL: scans come only from muster_live_count_add(). */
MusterLiveCount *muster_live_count_new(MusterStore *store, const MusterUser *actor, gint64 count_id,
                                       MusterReaderManager *manager, GError **error);

/* Queues a scan the caller read itself, and sets the timer as for a reader's. TRUE when a
 * flush is due already: a caller handing in a burst without returning to the main loop
 * (a chunk of thousands of lines) commits then, with muster_live_count_flush(), so the
 * oldest scan does not wait for the rest of the burst. A rack label in it is a scan
 * here; the caller moves the counter with muster_live_count_set_location(). */
gboolean muster_live_count_add(MusterLiveCount *self, const MusterScan *scan);

/* Moves the counter to path ("" = the count's scope), committing what is queued at the
 * old place first; "location" once it moved. FALSE with error when that commit failed
 * (the scans stay queued) or the place is refused (the counter stays). */
gboolean muster_live_count_set_location(MusterLiveCount *self, const char *path, GError **error);

/* Commits whatever is queued now (e.g. before closing the count, or when a feed's
 * input pauses). */
gboolean muster_live_count_flush(MusterLiveCount *self, GError **error);

/* Gives up the scans waiting to be committed, for a feed that stops after its commits
 * failed: none of them was reported, and none is stored, not even at the end. */
void muster_live_count_abandon(MusterLiveCount *self);

MusterIngest *muster_live_count_get_ingest(MusterLiveCount *self);

/* Scans waiting to be committed. */
guint muster_live_count_pending(MusterLiveCount *self);

/* Commits within max_wait_us of a read (at most, and by default, 50 ms). 0 commits on the
 * next main-loop iteration: the lowest latency for a screen at human scan rates, while
 * scans delivered together still share one transaction. */
void muster_live_count_set_max_wait(MusterLiveCount *self, gint64 max_wait_us);

/* Why the last commit failed, without the "N scans are waiting" context the "error"
 * signal adds; NULL once a commit succeeds. */
const GError *muster_live_count_get_commit_error(MusterLiveCount *self);

G_END_DECLS
