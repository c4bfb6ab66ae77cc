/*
 * resolution-action.h: what a resolution of a discrepancy says was done, as one table.
 *
 * The table (resolution-action.c) is the list: the schema's CHECK on resolution.action
 * is tested against it (tests/unit/test-closed-lists.c), the kiosk offers its labels in
 * its order, and the engine refuses any other action. "reopened" puts a discrepancy back
 * to unresolved: the queries that tell resolved from unresolved name it.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MUSTER_RESOLUTION_FOUND,
  MUSTER_RESOLUTION_RECORDED,
  MUSTER_RESOLUTION_CORRECTED,
  MUSTER_RESOLUTION_WRITTEN_OFF,
  MUSTER_RESOLUTION_REPORTED,
  MUSTER_RESOLUTION_ACCEPTED,
  MUSTER_RESOLUTION_REOPENED,
  MUSTER_N_RESOLUTION_ACTIONS
} MusterResolutionAction;

typedef struct {
  const char *name;  /* as stored (resolution.action) and typed: "written_off" */
  const char *label; /* as a person reads it, untranslated: see _label() */
} MusterResolutionActionInfo;

extern const MusterResolutionActionInfo muster_resolution_action_table[MUSTER_N_RESOLUTION_ACTIONS];

/* "found", ...; "unknown" past the end. */
const char *muster_resolution_action_name(MusterResolutionAction action);
/* The label in the reader's language (the engine's gettext domain, db/po/). */
const char *muster_resolution_action_label(MusterResolutionAction action);
/* TRUE when name is an action, else FALSE with INVALID naming them all. */
gboolean muster_resolution_action_check(const char *name, GError **error);

G_END_DECLS
