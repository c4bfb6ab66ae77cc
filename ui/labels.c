/*
 * labels.c: states and roles as a person reads them (see labels.h).
 */
#include "ui/labels.h"

#include "ui/i18n.h"

const char *
muster_kiosk_reader_state_label(MusterReaderState state)
{
  switch (state) {
  case MUSTER_READER_STATE_STOPPED: return _("stopped");
  case MUSTER_READER_STATE_OPENING: return _("opening");
  case MUSTER_READER_STATE_READY: return _("ready");
  case MUSTER_READER_STATE_DISCONNECTED: return _("disconnected: plug it back in");
  case MUSTER_READER_STATE_FAILED: return _("failed: retrying");
  }
  return "?";
}

const char *
muster_kiosk_role_label(MusterRole role)
{
  switch (role) {
  case MUSTER_ROLE_STAFF: return _("staff");
  case MUSTER_ROLE_SUPERVISOR: return _("supervisor");
  case MUSTER_ROLE_ADMIN: return _("admin");
  }
  return "?";
}

/* The engine's table has the words, translated in its own domain (db/po/). */
const char *
muster_kiosk_count_state_label(MusterCountState state)
{
  return muster_count_state_get(state) != NULL ? muster_count_state_translated(state) : "?";
}
