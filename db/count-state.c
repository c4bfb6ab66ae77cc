/*
 * count-state.c: the table of a count's states (see count-state.h).
 *
 * Everything that names a state reads it here: the count row (count-row.c), the CLI's
 * --state filter and its help, the messages that say what state a count is in, the
 * kiosk's words for it. The database keeps its own copy in the CHECK on
 * count_session.state, where a table cannot be read; the tests hold the two together.
 */
#include "db/count-state.h"
#include "core/i18n.h"

#define BIT MUSTER_COUNT_STATE_BIT

const MusterCountStateInfo muster_count_state_table[MUSTER_COUNT_N_STATES] = {
    [MUSTER_COUNT_OPEN] = {"open", N_("open"), BIT(MUSTER_COUNT_CLOSED)},
    [MUSTER_COUNT_CLOSED] = {"closed", N_("closed"), BIT(MUSTER_COUNT_RECONCILED)},
    /* reconciling again refreshes the discrepancies until someone signs them off */
    [MUSTER_COUNT_RECONCILED] = {"reconciled", N_("reconciled"),
                                 BIT(MUSTER_COUNT_RECONCILED) | BIT(MUSTER_COUNT_SIGNED_OFF)},
    /* final: the count_session_signed_off trigger refuses any change in the database too */
    [MUSTER_COUNT_SIGNED_OFF] = {"signed_off", N_("signed off"), 0},
};

const MusterClosedList muster_count_state_list = MUSTER_CLOSED_LIST(muster_count_state_table);

const MusterCountStateInfo *
muster_count_state_get(MusterCountState state)
{
  return (guint)state < MUSTER_COUNT_N_STATES ? &muster_count_state_table[state] : NULL;
}

gboolean
muster_count_state_from_name(const char *name, MusterCountState *out)
{
  int i = muster_closed_list_find(&muster_count_state_list, name);
  if (i >= 0)
    *out = (MusterCountState)i;
  return i >= 0;
}

const char *
muster_count_state_to_string(MusterCountState state)
{
  return muster_closed_list_name(&muster_count_state_list, state);
}

const char *
muster_count_state_label(MusterCountState state)
{
  const MusterCountStateInfo *info = muster_count_state_get(state);
  return info != NULL ? info->label : "unknown";
}

const char *
muster_count_state_translated(MusterCountState state)
{
  const MusterCountStateInfo *info = muster_count_state_get(state);
  return info != NULL ? _(info->label) : muster_count_state_to_string(state);
}

gboolean
muster_count_state_may_become(MusterCountState from, MusterCountState to)
{
  const MusterCountStateInfo *info = muster_count_state_get(from);
  return info != NULL && muster_count_state_get(to) != NULL && (info->next & BIT(to)) != 0;
}
