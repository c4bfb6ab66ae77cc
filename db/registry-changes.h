/*
 * registry-changes.h: applying the national registry's changes to this armoury.
 *
 * The registry sends numbered changes (its "version"): items newly assigned or
 * transferred here, status changes made centrally (reported stolen, destroyed), and
 * marking assignments. Each is applied once, in its own transaction with everything it
 * records: the item rows, an item_event of kind 'registry' (or 'created'/'marking'), an
 * audit entry by the system, the registry_change row that makes a second delivery a
 * no-op, and a "registry.applied" outbox event telling the registry the outcome.
 *
 * Conflict rule (docs/sync-protocol.md): the registry is the authority on an item's
 * status, so a central status change is always applied; when the item has an
 * unresolved discrepancy here, the discrepancy stays open (the physical finding is
 * evidence the registry must see) and the outcome is "conflict", which the registry
 * receives. A change that cannot be applied (unknown item, an item the same
 * manufacturer and serial already names under another identity, an invalid record) is
 * recorded as "skipped" with the reason, and reported the same way: never dropped
 * silently, never retried forever.
 */
#pragma once
#include "core/closed-list.h"
#include "db/store.h"
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  MUSTER_CHANGE_APPLIED,
  MUSTER_CHANGE_CONFLICT,
  MUSTER_CHANGE_SKIPPED,
  MUSTER_CHANGE_ALREADY_APPLIED,
} MusterChangeOutcome;

/* "applied", "conflict", "skipped", "already_applied". */
extern const MusterClosedList muster_change_outcome_list;
const char *muster_change_outcome_to_string(MusterChangeOutcome outcome);

/* Applies registry change number version (kind "item.assigned", "item.status" or
 * "marking.assigned"; payload as in docs/sync-protocol.md) and raises pulled_version
 * to it. FALSE only when the database failed: a change that does not fit is SKIPPED,
 * with *detail saying why (may be NULL). */
gboolean muster_registry_change_apply(MusterStore *store, gint64 version, const char *kind,
                                      JsonObject *payload, MusterChangeOutcome *outcome,
                                      char **detail, GError **error);

G_END_DECLS
