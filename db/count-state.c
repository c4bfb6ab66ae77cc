/*
 * count-state.c: the table of a count's states (see count-state.h).
 *
 * Everything that names a state reads it here: the count row (count-row.c), the CLI's
 * --state filter and its help, the messages that say what state a count is in. The
 * database keeps its own copy in the CHECK on count_session.state, where a table cannot
 * be read; the test of this file holds the two together.
 */
#include "db/count-state.h"

#define BIT MUSTER_COUNT_STATE_BIT

static const MusterCountStateInfo states[MUSTER_COUNT_N_STATES] = {
    {MUSTER_COUNT_OPEN, "open", "open", BIT(MUSTER_COUNT_CLOSED)},
    {MUSTER_COUNT_CLOSED, "closed", "closed", BIT(MUSTER_COUNT_RECONCILED)},
    /* reconciling again refreshes the discrepancies until someone signs them off */
    {MUSTER_COUNT_RECONCILED, "reconciled", "reconciled",
     BIT(MUSTER_COUNT_RECONCILED) | BIT(MUSTER_COUNT_SIGNED_OFF)},
    /* final: the count_session_signed_off trigger refuses any change in the database too */
    {MUSTER_COUNT_SIGNED_OFF, "signed_off", "signed off", 0},
};

const MusterCountStateInfo *
muster_count_state_get(MusterCountState state)
{
  return (guint)state < G_N_ELEMENTS(states) ? &states[state] : NULL;
}

gboolean
muster_count_state_from_name(const char *name, MusterCountState *out)
{
  for (guint i = 0; i < G_N_ELEMENTS(states); i++) {
    if (g_strcmp0(name, states[i].name) == 0) {
      *out = states[i].state;
      return TRUE;
    }
  }
  return FALSE;
}

const char *
muster_count_state_to_string(MusterCountState state)
{
  const MusterCountStateInfo *info = muster_count_state_get(state);
  return info != NULL ? info->name : "unknown";
}

const char *
muster_count_state_label(MusterCountState state)
{
  const MusterCountStateInfo *info = muster_count_state_get(state);
  return info != NULL ? info->label : "unknown";
}

gboolean
muster_count_state_may_become(MusterCountState from, MusterCountState to)
{
  const MusterCountStateInfo *info = muster_count_state_get(from);
  return info != NULL && muster_count_state_get(to) != NULL && (info->next & BIT(to)) != 0;
}
