/*
 * count-state.h: the states of a count, one table.
 *
 *   open --close--> closed --reconcile--> reconciled --sign off--> signed_off
 *                                         (reconcile again)
 *
 * A closed list: each state is a row of one table (count-state.c) with its stored name,
 * the words a sentence uses for it and the states a change may move it to. The enum's
 * order is the lifecycle's, so "reconciled or later" is `state >= MUSTER_COUNT_RECONCILED`.
 * The schema's CHECK on count_session.state and every state the engine's SQL names must
 * agree with the table: tests/unit/test-count-state.c fails when they do not.
 */
#pragma once
#include <glib.h>

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
  MusterCountState state; /* the row's place in the table is its value */
  const char *name;       /* as stored (count_session.state), and as the CLI and JSON say it */
  const char *label;      /* in a sentence: "Count 12 is signed off" */
  guint next;             /* the states a change may move it to (MUSTER_COUNT_STATE_BIT) */
} MusterCountStateInfo;

/* The row of a state; NULL for a value outside the enum. */
const MusterCountStateInfo *muster_count_state_get(MusterCountState state);

/* TRUE with *out set when name is a state's stored name. */
gboolean muster_count_state_from_name(const char *name, MusterCountState *out);

/* The stored name; "unknown" for a value outside the enum. */
const char *muster_count_state_to_string(MusterCountState state);

/* How a sentence says it ("signed off"); "unknown" for a value outside the enum. */
const char *muster_count_state_label(MusterCountState state);

/* TRUE when a change may move a count in state from to state to. */
gboolean muster_count_state_may_become(MusterCountState from, MusterCountState to);

G_END_DECLS
