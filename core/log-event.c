/*
 * log-event.c: the journal events and their IDs (see log-event.h).
 */
#include <stdio.h>
#include <unistd.h>

#include "core/log-event.h"

/* IDs made once with `systemd-id128 new`; never change one: a saved journal query and
 * the catalog name it. */
const MusterEventInfo muster_events[] = {
    [MUSTER_EVENT_COUNT_STARTED] = {"count-started", "abbfd370c410490babf7e36899010036",
                                    G_LOG_LEVEL_INFO},
    [MUSTER_EVENT_COUNT_CLOSED] = {"count-closed", "583b0c66fee146569c32e841ee38e692",
                                   G_LOG_LEVEL_INFO},
    [MUSTER_EVENT_COUNT_RECONCILED] = {"count-reconciled", "73aab48c393e47bcb206c9b6c7186c0b",
                                       G_LOG_LEVEL_INFO},
    [MUSTER_EVENT_COUNT_SIGNED_OFF] = {"count-signed-off", "2792e111c2a342c8b28c0ab0d3cb9684",
                                       G_LOG_LEVEL_INFO},
    [MUSTER_EVENT_SYNC_DONE] = {"sync-done", "69e84e17d3aa46b7a0010e19a332c5fb", G_LOG_LEVEL_INFO},
    [MUSTER_EVENT_SYNC_FAILED] = {"sync-failed", "6593c1651db84a918d07ec43dd0fdd60",
                                  G_LOG_LEVEL_WARNING},
    [MUSTER_EVENT_BACKUP_DONE] = {"backup-done", "3205f9d7c50e46b1a11b3846c81a25fc",
                                  G_LOG_LEVEL_INFO},
    [MUSTER_EVENT_BACKUP_FAILED] = {"backup-failed", "a4cfa4106c744d21aa6a17de2517f418",
                                    G_LOG_LEVEL_WARNING},
    [MUSTER_EVENT_READER_LOST] = {"reader-lost", "b3d11b204a32452b992ff5522d4b8ab7",
                                  G_LOG_LEVEL_WARNING},
};

const MusterClosedList muster_event_list = {muster_events, MUSTER_EVENT_READER_LOST + 1,
                                            sizeof(muster_events[0])};

enum { MAX_FIELDS = 16 };

void
muster_log_event(MusterEvent event, const char *const *fields, const char *format, ...)
{
  g_return_if_fail((guint)event < muster_event_list.n);
  const MusterEventInfo *e = &muster_events[event];
  va_list ap;
  va_start(ap, format);
  g_autofree char *message = g_strdup_vprintf(format, ap);
  va_end(ap);
  gboolean failure = e->level == G_LOG_LEVEL_WARNING;
  GLogField f[MAX_FIELDS] = {
      {"MESSAGE", message, -1},
      {"MESSAGE_ID", e->message_id, -1},
      {"PRIORITY", failure ? "4" : "6", -1}, /* syslog's warning, info */
      {"GLIB_DOMAIN", "Muster", -1},
      {"MUSTER_EVENT", e->name, -1},
  };
  gsize n = 5;
  for (gsize i = 0; fields != NULL && fields[i] != NULL && fields[i + 1] != NULL &&
                    n < MAX_FIELDS;
       i += 2)
    f[n++] = (GLogField){fields[i], fields[i + 1], -1};
  /* GLib's default writer drops INFO before it looks for the journal, so an event is
   * written to the journal directly: there it is wanted at every level. The descriptor,
   * not fileno(stderr): the CLI's stderr is a filter stream with none (app/output.c),
   * and an event sent from a unit never reached the journal (packaging/boot saw it). */
  if (g_log_writer_is_journald(STDERR_FILENO) &&
      g_log_writer_journald(e->level, f, n, NULL) == G_LOG_WRITER_HANDLED)
    return;
  g_log_structured_array(G_LOG_LEVEL_INFO, f, n);
}
