/*
 * locations.h: armoury -> room -> rack -> slot.
 *
 * A location is named by its path relative to the armoury: "R1", "R1/A", "R1/A/03".
 * The armoury itself is the empty path "" (also written "/", which is how the CSV export
 * tells "in the armoury itself" from "no location"). Locations are never deleted.
 */
#pragma once
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef struct {
  gint64 id;
  char *uuid;
  char *kind;    /* armoury, room, rack, slot */
  char *path;
  char *name;
  gint64 parent_id;
} MusterLocation;

void muster_location_free(MusterLocation *loc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterLocation, muster_location_free)

/* Checks and normalises a path: trims spaces around segments, drops one leading and one
 * trailing '/', refuses empty segments, more than three levels, '/' doubling, segments
 * longer than 64 bytes, bad UTF-8 and control characters. "" and "/" are the armoury. */
char *muster_location_normalise_path(const char *path, GError **error);

/* Looks a path up; NOT_FOUND names the path and suggests 'muster location add'. */
MusterLocation *muster_locations_get(MusterStore *store, const char *path, GError **error);
MusterLocation *muster_locations_get_by_id(MusterStore *store, gint64 id, GError **error);

/* Returns the id of path, creating it and any missing parents (inside the caller's
 * transaction, audited as actor: one "location.add" entry per location created). Kinds
 * follow depth: 1 room, 2 rack, 3 slot. The caller checks the actor's role. */
gboolean muster_locations_ensure(MusterStore *store, const MusterUser *actor, const char *path,
                                 gint64 *id, GError **error);

/* Admin: creates path (and parents) in its own transaction; name (may be NULL) names the
 * last level. EXISTS when the path is already there. */
MusterLocation *muster_locations_add(MusterStore *store, const MusterUser *actor,
                                     const char *path, const char *name, GError **error);

/* All locations by path. Element type MusterLocation*. */
GPtrArray *muster_locations_list(MusterStore *store, GError **error);

/* TRUE when path is inside scope (equal, or a descendant). "" contains everything. */
gboolean muster_location_path_within(const char *path, const char *scope);

G_END_DECLS
