/*
 * badge-tap.c: an NFC card tapped where a screen expects a badge (see badge-tap.h).
 */
#include "ui/badge-tap.h"

#include "ui/widgets.h"

gboolean
muster_kiosk_scan_is_card(const MusterScan *scan)
{
  return g_strcmp0(scan->marking_kind, "hf_uid") == 0 && scan->marking_value != NULL;
}

MusterUser *
muster_kiosk_badge_choose(MusterKioskSession *session, const MusterScan *scan,
                          MusterBadgePurpose purpose, GtkDropDown *people, const char *not_listed,
                          char **holder, GError **error)
{
  *holder = NULL;
  g_autofree char *name = NULL;
  g_autoptr(MusterUser) user =
      muster_badges_tap(muster_kiosk_session_get_store(session), scan->marking_value,
                        scan->authenticity, purpose, &name, error);
  const char *who = user != NULL ? user->name : name;
  if (who == NULL)
    return NULL;
  if (!muster_kiosk_dropdown_select(people, who)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION, not_listed, who);
    return NULL;
  }
  *holder = g_steal_pointer(&name);
  return g_steal_pointer(&user);
}
