/*
 * count-progress.h: a count's progress per rack — expected and found.
 *
 * For the kiosk's "progress by rack": how many items the frozen expected list puts in
 * each rack (a slot counts for its rack; a room or the armoury itself for itself), and
 * how many distinct items were found there. A count's figures as a whole are in
 * MusterCount (counts.h); this splits them by place. Expected figures are for those who
 * may see them (muster_count_may_see_expected()); the caller hides them.
 */
#pragma once
#include "db/store.h"

G_BEGIN_DECLS

typedef struct {
  char *path;        /* the rack's path, or the location's above racks ("" = none recorded) */
  gint64 expected;   /* items of the expected list recorded here */
  gint64 found;      /* distinct items found here (count_find) */
  gint64 unexpected; /* of those, items the expected list has in another rack or not at
                        all (wrong location, status conflict): never shown in a blind count */
} MusterLocationProgress;

void muster_location_progress_free(MusterLocationProgress *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterLocationProgress, muster_location_progress_free)

/* Every rack with an expected or found item in the count, sorted by path; element
 * type MusterLocationProgress*, freed with the array. An unknown count gives an empty
 * array. */
GPtrArray *muster_count_progress_by_rack(MusterStore *store, gint64 count_id, GError **error);

/* The rack path a location's progress counts under, by the same rule (a slot's rack, or
 * the path itself): for following finds between two reads. "" stays "". */
char *muster_count_progress_rack_of(MusterStore *store, const char *path, GError **error);

G_END_DECLS
