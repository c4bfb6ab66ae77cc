/*
 * count-state.h: the states of a count, one table.
 *
 *   open --close--> closed --reconcile--> reconciled --sign off--> signed_off
 *                                         (reconcile again)
 *
 * A closed list (core/closed-list.h): each state is a row of one table (count-state.c)
 * with its stored name, its label and the states a change may move it to. The enum's
 * order is the lifecycle's, so "reconciled or later" is `state >= MUSTER_COUNT_RECONCILED`.
 * The schema's CHECK on count_session.state is tested against the table with the other
 * closed lists (tests/unit/test-closed-lists.c); the trigger that freezes a final state
 * and every state the engine's SQL names, in tests/unit/test-count-state.c.
 */
#pragma once
#include <glib.h>

#include "core/closed-list.h"

G_BEGIN_DECLS

typedef enum {
  MUSTER_COUNT_OPEN,
  MUSTER_COUNT_CLOSED,
  MUSTER_COUNT_RECONCILED,
  MUSTER_COUNT_SIGNED_OFF,
} MusterCountState;

#define MUSTER_COUNT_N_STATES 4
#define MUSTER_COUNT_STATE_BIT(s) (1u << (s))

typedef struct {
  const char *name;  /* as stored (count_session.state), and as the CLI and JSON say it */
  const char *label; /* as a person reads it, untranslated: "signed off" */
  guint next;        /* the states a change may move it to (MUSTER_COUNT_STATE_BIT) */
} MusterCountStateInfo;

extern const MusterCountStateInfo muster_count_state_table[MUSTER_COUNT_N_STATES];
extern const MusterClosedList muster_count_state_list;

/* The row of a state; NULL for a value outside the enum. */
const MusterCountStateInfo *muster_count_state_get(MusterCountState state);

/* TRUE with *out set when name is a state's stored name. */
gboolean muster_count_state_from_name(const char *name, MusterCountState *out);

/* The stored name; "unknown" for a value outside the enum. */
const char *muster_count_state_to_string(MusterCountState state);

/* The label untranslated, for the engine's English sentences ("Count 12 is signed off");
 * "unknown" for a value outside the enum. */
const char *muster_count_state_label(MusterCountState state);

/* The label in the reader's language (the engine's gettext domain, db/po/), as the kiosk
 * shows it; the stored name for a value outside the enum. */
const char *muster_count_state_translated(MusterCountState state);

/* TRUE when a change may move a count in state from to state to. */
gboolean muster_count_state_may_become(MusterCountState from, MusterCountState to);

G_END_DECLS
