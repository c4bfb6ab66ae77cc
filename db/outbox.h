/*
 * outbox.h: every change the national registry must receive, in order.
 *
 * Engine modules append to the outbox in the same transaction as the change itself, so
 * the registry can never miss a change nor receive one that did not happen. The outbox
 * is append-only; the sync (issue: registry sync) records how far the registry has
 * acknowledged, elsewhere.
 *
 * Kinds: item.created, item.status, item.location, item.marking, item.corrected,
 * count.signed_off,
 * discrepancy.resolved, unmarked.recorded, audit.anchor.
 */
#pragma once
#include <json-glib/json-glib.h>
#include "db/store.h"

G_BEGIN_DECLS

/* payload must be a JSON object; it is serialised compactly. */
gboolean muster_outbox_append(MusterStore *store, const char *kind, const char *entity_uuid,
                              JsonNode *payload, GError **error);

/* Number of outbox events with seq > after. */
gint64 muster_outbox_count_after(MusterStore *store, gint64 after, GError **error);

G_END_DECLS
