/*
 * muster-error.h: the engine's one error domain.
 *
 * Codes are what a caller can act on (retry, ask for a PIN again, tell the user to free
 * disk space); the message is what a person reads: what failed, where, and what to do.
 * The command line maps each code to its own exit status.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_ERROR (muster_error_quark())
GQuark muster_error_quark(void);

typedef enum {
  MUSTER_ERROR_FAILED = 1,      /* anything without a better code */
  MUSTER_ERROR_INVALID,         /* bad input: malformed CSV, unknown status, ... */
  MUSTER_ERROR_NOT_FOUND,       /* no such item, count, user, location, database */
  MUSTER_ERROR_EXISTS,          /* it is already there (database, user, serial) */
  MUSTER_ERROR_PERMISSION,      /* the role or person may not do this */
  MUSTER_ERROR_AUTH,            /* wrong PIN */
  MUSTER_ERROR_LOCKED_OUT,      /* too many wrong PINs; an admin must unlock */
  MUSTER_ERROR_STATE,           /* not in this state: count already closed, ... */
  MUSTER_ERROR_DB_BUSY,         /* another program holds the database */
  MUSTER_ERROR_DB_READONLY,     /* file or disk is read-only */
  MUSTER_ERROR_DISK_FULL,       /* no space left */
  MUSTER_ERROR_DB_CORRUPT,      /* not a Muster database, or damaged */
  MUSTER_ERROR_IO,              /* any other disk or device error */
  MUSTER_ERROR_TAMPERED,        /* the audit chain or a history table was altered */
  MUSTER_ERROR_FOREIGN,         /* a file offered as a backup is no Muster database */
  MUSTER_ERROR_OTHER_ARMOURY,   /* a backup or file of another armoury */
  MUSTER_ERROR_BEHIND_ANCHOR,   /* restoring it would drop history the registry holds */
} MusterError;

/* The process exit status the command line uses for an error of this code. */
int muster_error_exit_status(const GError *error);

G_END_DECLS
