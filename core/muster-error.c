/*
 * muster-error.c: the MUSTER_ERROR domain and its mapping to exit statuses.
 */
#include "core/muster-error.h"

G_DEFINE_QUARK(muster-error-quark, muster_error)

int
muster_error_exit_status(const GError *error)
{
  if (error == NULL)
    return 0;
  if (error->domain != MUSTER_ERROR)
    return 1;
  switch ((MusterError)error->code) {
  case MUSTER_ERROR_INVALID: return 3;
  case MUSTER_ERROR_NOT_FOUND: return 4;
  case MUSTER_ERROR_EXISTS: return 5;
  case MUSTER_ERROR_PERMISSION: return 6;
  case MUSTER_ERROR_AUTH: return 7;
  case MUSTER_ERROR_LOCKED_OUT: return 8;
  case MUSTER_ERROR_STATE: return 9;
  case MUSTER_ERROR_DB_BUSY: return 10;
  case MUSTER_ERROR_DB_READONLY: return 11;
  case MUSTER_ERROR_DISK_FULL: return 12;
  case MUSTER_ERROR_DB_CORRUPT: return 13;
  case MUSTER_ERROR_IO: return 14;
  case MUSTER_ERROR_TAMPERED: return 15;
  case MUSTER_ERROR_FOREIGN: return 16;
  case MUSTER_ERROR_OTHER_ARMOURY: return 17;
  case MUSTER_ERROR_BEHIND_ANCHOR: return 18;
  case MUSTER_ERROR_FAILED: break;
  }
  return 1;
}
