/*
 * count-model.h: the live count between the readers and the live-count screen.
 *
 * Readers → commit is live/live-count.h's (the same path as `muster count scan
 * --readers`): scans from the session's MusterReaderManager are committed on the next
 * main-loop iteration, and only then does this model turn each result into a
 * MusterKioskScanRow, prepend it to the recent list and emit "outcome". So a scan the
 * screen shows is on disk, and a kiosk that dies loses only scans nobody saw. What is
 * left here is the view-model: recent rows, live figures, progress by rack, where the
 * counter is, and the words for a commit that is blocked.
 *
 * A commit that fails (disk full, database busy) keeps the scans queued (live-count
 * retries them); "last-error" says so for the screen until a commit succeeds.
 */
#pragma once
#include "db/counts.h"
#include "db/store.h"
#include "db/users.h"
#include "drivers/manager.h"
#include "ui/scan-row.h"
#include <gio/gio.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_COUNT_MODEL (muster_kiosk_count_model_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskCountModel, muster_kiosk_count_model, MUSTER_KIOSK, COUNT_MODEL,
                     GObject)

/* Most recent scans kept for the screen. */
#define MUSTER_KIOSK_RECENT_SCANS 50

/* store and manager must outlive the model. actor: counter, witness, supervisor or admin.
 * Every scan of every reader of manager (those added later too) is counted. */
MusterKioskCountModel *muster_kiosk_count_model_new(MusterStore *store, const MusterUser *actor,
                                                    gint64 count_id, MusterReaderManager *manager,
                                                    GError **error);

/* Commits what is queued now; the outcomes are emitted before it returns. */
gboolean muster_kiosk_count_model_flush(MusterKioskCountModel *self, GError **error);

gint64 muster_kiosk_count_model_get_count_id(MusterKioskCountModel *self);
/* The count as it was last read from the engine (at start, after an unmarked item, at
 * close); live figures are muster_kiosk_count_model_get_found()/_get_scans(). */
const MusterCount *muster_kiosk_count_model_get_count(MusterKioskCountModel *self);
/* FALSE for the counter and witness of an open blind count. */
gboolean muster_kiosk_count_model_may_see_expected(MusterKioskCountModel *self);
gint64 muster_kiosk_count_model_get_found(MusterKioskCountModel *self);
gint64 muster_kiosk_count_model_get_scans(MusterKioskCountModel *self);
/* Where scans are being counted now ("" = the count's scope). */
const char *muster_kiosk_count_model_get_location(MusterKioskCountModel *self);

/* MusterKioskScanRow, newest first, at most MUSTER_KIOSK_RECENT_SCANS. */
GListModel *muster_kiosk_count_model_get_recent(MusterKioskCountModel *self);
/* Progress by rack: per location, the items the count expects there (frozen at its
 * start) and the distinct items found there (read from the engine when the model is
 * made, then followed from each committed result). Show expected only when
 * muster_kiosk_count_model_may_see_expected(). */
typedef struct {
  char *path;
  gint64 found;      /* distinct items found here */
  gint64 expected;
  gint64 unexpected; /* of found, those not expected in this rack (db/count-progress.h) */
} MusterKioskRackProgress;
/* Sorted by path; element type MusterKioskRackProgress*, freed with the array. */
GPtrArray *muster_kiosk_count_model_dup_rack_progress(MusterKioskCountModel *self);
/* Set while committing fails; NULL once a flush succeeds again. */
const char *muster_kiosk_count_model_get_last_error(MusterKioskCountModel *self);

/* Records an item found without a marking, where it was found, with its photo (NULL
 * when none: no camera, or none taken) in the same transaction. */
gboolean muster_kiosk_count_model_record_unmarked(MusterKioskCountModel *self,
                                                  const char *description,
                                                  const char *location_path,
                                                  const MusterPhotoInput *photo, GError **error);
/* Flushes, stops counting the readers' scans and closes the count. */
gboolean muster_kiosk_count_model_close(MusterKioskCountModel *self, GError **error);

/* Signals: "outcome" (MusterKioskScanRow *row) after each committed scan; "progress"
 * after each flush; "notify::last-error". */

G_END_DECLS
