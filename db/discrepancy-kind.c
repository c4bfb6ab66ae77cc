/*
 * discrepancy-kind.c: the table of discrepancy kinds (see discrepancy-kind.h).
 *
 * One row a kind, in listing order. Missing weapons and weapons recorded as gone yet
 * found are what an armoury answers for to the registry, so resolving them takes a
 * supervisor and a second person; any other kind a supervisor or an admin resolves.
 */
#include "db/discrepancy-kind.h"
#include "core/closed-list.h"
#include "core/i18n.h"

/* in_a_sentence is put into a translated sentence as it is (it always was English). */
const MusterDiscrepancyKindInfo muster_discrepancy_kind_table[MUSTER_N_DISCREPANCY_KINDS] = {
    /* expected in scope, not found */
    [MUSTER_DISCREPANCY_MISSING] = {"missing", N_("Missing"), "a missing item", TRUE},
    /* found here, recorded elsewhere */
    [MUSTER_DISCREPANCY_WRONG_LOCATION] = {"wrong_location", N_("Wrong location"),
                                           "an item in the wrong location", FALSE},
    /* a scan that matches no record (kept, never rejected) */
    [MUSTER_DISCREPANCY_UNKNOWN_MARKING] = {"unknown_marking", N_("Unknown marking"),
                                            "an unknown marking", FALSE},
    /* recorded by staff, with description and place */
    [MUSTER_DISCREPANCY_UNMARKED_ITEM] = {"unmarked_item", N_("Unmarked item"), "an unmarked item",
                                          FALSE},
    /* recorded issued, lost, stolen, destroyed or in transit, yet found */
    [MUSTER_DISCREPANCY_STATUS_CONFLICT] = {"status_conflict", N_("Status conflict"),
                                            "a status conflict", TRUE},
    /* one marking on two items, or two items with the same serial */
    [MUSTER_DISCREPANCY_DUPLICATE_MARKING] = {"duplicate_marking", N_("Duplicate marking"),
                                              "a duplicate marking", FALSE},
    /* a component marking of one weapon found on another */
    [MUSTER_DISCREPANCY_COMPONENT_MISMATCH] = {"component_mismatch",
                                               N_("Component on another weapon"),
                                               "a component on another weapon", FALSE},
    /* two frame markings of one item check resolve to different items */
    [MUSTER_DISCREPANCY_MARKING_MISMATCH] = {"marking_mismatch", N_("Markings disagree"),
                                             "markings that disagree", FALSE},
    /* a location in the armoury not counted within overdue_days */
    [MUSTER_DISCREPANCY_OVERDUE] = {"overdue", N_("Overdue"), "an overdue location", FALSE},
    /* a tag that failed its originality check */
    [MUSTER_DISCREPANCY_NOT_GENUINE] = {"not_genuine", N_("Not genuine"),
                                        "a tag that is not genuine", FALSE},
};

static const MusterClosedList kinds = MUSTER_CLOSED_LIST(muster_discrepancy_kind_table);

gboolean
muster_discrepancy_kind_from_name(const char *name, MusterDiscrepancyKind *kind)
{
  int i = muster_closed_list_find(&kinds, name);
  if (i >= 0)
    *kind = (MusterDiscrepancyKind)i;
  return i >= 0;
}

const char *
muster_discrepancy_kind_name(MusterDiscrepancyKind kind)
{
  return muster_closed_list_name(&kinds, kind);
}

const char *
muster_discrepancy_kind_label(MusterDiscrepancyKind kind)
{
  return (guint)kind < MUSTER_N_DISCREPANCY_KINDS ? _(muster_discrepancy_kind_table[kind].label)
                                                  : muster_discrepancy_kind_name(kind);
}

gboolean
muster_discrepancy_kind_needs_second_person(const char *name)
{
  MusterDiscrepancyKind kind;
  return muster_discrepancy_kind_from_name(name, &kind) &&
         muster_discrepancy_kind_table[kind].second_person;
}

gboolean
muster_discrepancy_kind_check(const char *name, GError **error)
{
  return muster_closed_list_check(&kinds, name, _("Unknown discrepancy kind '%s': use one of %s."),
                                  error);
}
