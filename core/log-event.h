/*
 * log-event.h: the events an operator of the appliance looks for in the journal.
 *
 * A count started, closed, reconciled or signed off; a sync or a backup done or failed;
 * a reader lost. Each has a fixed MESSAGE_ID (systemd's catalog,
 * packaging/systemd/muster.catalog, explains it), so `journalctl MESSAGE_ID=...` finds
 * every count signed off on an appliance, whatever language the kiosk speaks, and a
 * monitoring system can alert on "backup failed" without parsing prose. The table is the
 * one place the IDs are written; a test checks the catalog against it.
 */
#pragma once
#include <glib.h>

#include "core/closed-list.h"

G_BEGIN_DECLS

typedef enum {
  MUSTER_EVENT_COUNT_STARTED,
  MUSTER_EVENT_COUNT_CLOSED,
  MUSTER_EVENT_COUNT_RECONCILED,
  MUSTER_EVENT_COUNT_SIGNED_OFF,
  MUSTER_EVENT_SYNC_DONE,
  MUSTER_EVENT_SYNC_FAILED,
  MUSTER_EVENT_BACKUP_DONE,
  MUSTER_EVENT_BACKUP_FAILED,
  MUSTER_EVENT_READER_LOST,
} MusterEvent;

typedef struct {
  const char *name;       /* the MUSTER_EVENT field: "count-started", ... */
  const char *message_id; /* 32 hex digits, as journald's MESSAGE_ID */
  GLogLevelFlags level;   /* G_LOG_LEVEL_INFO, or G_LOG_LEVEL_WARNING for a failure */
} MusterEventInfo;

extern const MusterEventInfo muster_events[];
extern const MusterClosedList muster_event_list;

/* Logs event with the message from format and the extra journal fields given as a
 * NULL-terminated list of name, value pairs (names as journald wants them: upper case,
 * e.g. {"MUSTER_COUNT", "3", NULL}). When stderr is the journal (a systemd unit), the
 * entry goes straight to it with its MESSAGE_ID and priority; elsewhere (a terminal, a
 * test) it is an INFO message of the "Muster" domain, which is shown only with
 * G_MESSAGES_DEBUG, so the CLI's own output is unchanged. */
void muster_log_event(MusterEvent event, const char *const *fields, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

G_END_DECLS
