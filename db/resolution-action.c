/*
 * resolution-action.c: the table of resolution actions (see resolution-action.h).
 */
#include "db/resolution-action.h"
#include "core/closed-list.h"
#include "core/i18n.h"

const MusterResolutionActionInfo muster_resolution_action_table[MUSTER_N_RESOLUTION_ACTIONS] = {
    [MUSTER_RESOLUTION_FOUND] = {"found", N_("Found after all")},
    [MUSTER_RESOLUTION_RECORDED] = {"recorded", N_("Recorded")},
    [MUSTER_RESOLUTION_CORRECTED] = {"corrected", N_("Record corrected")},
    [MUSTER_RESOLUTION_WRITTEN_OFF] = {"written_off", N_("Written off")},
    [MUSTER_RESOLUTION_REPORTED] = {"reported", N_("Reported to the registry")},
    [MUSTER_RESOLUTION_ACCEPTED] = {"accepted", N_("Accepted as is")},
    [MUSTER_RESOLUTION_REOPENED] = {"reopened", N_("Reopened")},
};

static const MusterClosedList actions = MUSTER_CLOSED_LIST(muster_resolution_action_table);

const char *
muster_resolution_action_name(MusterResolutionAction action)
{
  return muster_closed_list_name(&actions, action);
}

const char *
muster_resolution_action_label(MusterResolutionAction action)
{
  return (guint)action < MUSTER_N_RESOLUTION_ACTIONS
             ? _(muster_resolution_action_table[action].label)
             : muster_resolution_action_name(action);
}

gboolean
muster_resolution_action_check(const char *name, GError **error)
{
  return muster_closed_list_check(&actions, name, _("Unknown resolution '%s': use one of %s."),
                                  error);
}
