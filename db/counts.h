/*
 * counts.h: count sessions from start to sign-off.
 *
 *   open --close--> closed --reconcile--> reconciled --sign off--> signed_off
 *
 * A count covers one or more locations, has a counter and a witness (two different
 * people) and may be blind: then the counter is never shown what is expected. Starting
 * a count freezes the expected list (in-store items inside the scope), so that
 * reconciliation has one fixed answer. A signed-off count cannot be reopened.
 *
 * Roles: any active user may count and witness. Closing: the counter, or a supervisor
 * or admin. Sign-off: a supervisor who is not the counter, once every discrepancy has a
 * resolution in force.
 *
 * The states are a table (count-state.h); the rules every change reads are in
 * count-row.h; reading is counts.c, starting and closing count-lifecycle.c, unmarked
 * items count-unmarked.c, sign-off count-sign-off.c.
 */
#pragma once
#include "db/count-state.h"
#include "db/store.h"
#include "db/unmarked-photos.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef struct {
  gint64 id;            /* local number, shown to people ("count 12") */
  char *uuid;           /* what leaves the appliance */
  char *counter;        /* user names */
  char *witness;
  gboolean blind;
  MusterCountState state;
  char *started_at;
  char *closed_at;
  char *reconciled_at;
  char *signed_off_at;
  char *signed_off_by;
  char *signoff_note;
  GPtrArray *scope;     /* char* location paths */
  /* progress */
  gint64 expected;      /* items in the frozen expected list */
  gint64 found;         /* distinct items found */
  gint64 found_expected;/* of those, how many were expected */
  gint64 scans;         /* every scan, duplicates and unreadable ones included */
  gint64 unknown;       /* scans matching no record */
  gint64 unreadable;
  gint64 unmarked;      /* unmarked items recorded */
  gint64 discrepancies;
  gint64 unresolved;    /* discrepancies without a resolution in force */
} MusterCount;

void muster_count_free(MusterCount *count);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterCount, muster_count_free)

/* Both users must have been authenticated by the caller. scope holds location paths
 * ("" = the whole armoury); NULL-terminated. */
MusterCount *muster_counts_start(MusterStore *store, const MusterUser *counter,
                                 const MusterUser *witness, const char *const *scope,
                                 gboolean blind, GError **error);

/* "12" (local number) or a uuid. Progress fields are filled in. */
MusterCount *muster_counts_get(MusterStore *store, const char *id_or_uuid, GError **error);
MusterCount *muster_counts_get_by_id(MusterStore *store, gint64 id, GError **error);

/* Newest first. state_filter < 0 means all states. Element type MusterCount*. */
GPtrArray *muster_counts_list(MusterStore *store, int state_filter, GError **error);

/* The open counts (a kiosk restarting returns to them). */
GPtrArray *muster_counts_open(MusterStore *store, GError **error);

gboolean muster_counts_close(MusterStore *store, const MusterUser *actor, gint64 count_id,
                             GError **error);

/* Records an item found without any marking, where it was found. photo_path is only
 * noted as text (older callers; NULL for none): a photo is kept with
 * muster_counts_record_unmarked_photo(). */
gboolean muster_counts_record_unmarked(MusterStore *store, const MusterUser *actor,
                                       gint64 count_id, const char *description,
                                       const char *location_path, const char *photo_path,
                                       char **uuid_out, GError **error);
/* The same with a photo (NULL for none) stored with it in one transaction: its bytes
 * are checked (db/unmarked-photos.h) before anything is written, and the audit entry
 * and outbox event "unmarked.recorded" carry its SHA-256, media type and size. */
gboolean muster_counts_record_unmarked_photo(MusterStore *store, const MusterUser *actor,
                                             gint64 count_id, const char *description,
                                             const char *location_path,
                                             const MusterPhotoInput *photo, char **uuid_out,
                                             GError **error);

gboolean muster_counts_sign_off(MusterStore *store, const MusterUser *actor, gint64 count_id,
                                const char *note, GError **error);

/* TRUE when actor may see expected figures of this count now: never the counter or
 * witness of an open blind count. */
gboolean muster_count_may_see_expected(const MusterCount *count, const MusterUser *actor);

G_END_DECLS
