/*
 * manager.h: every reader of the appliance, from one configuration, running at once.
 *
 * The manager builds readers from a readers file (GKeyFile, see drivers/README.md) through
 * the table of compiled-in drivers (driver-table.c), starts them all, and forwards every
 * scan. A reader that cannot start or fails later is a state on that reader, never a stop
 * of the others. Drivers that discover devices themselves (USB hotplug) add readers as
 * devices appear; the manager announces each with "reader-added".
 *
 * Only one process at a time should hold the readers. The holder writes the readers'
 * states to a status file, so `muster readers list` in another process shows them.
 */
#pragma once
#include "drivers/reader.h"
#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A driver: how to build its readers from a [reader NAME] group of the readers file. */
typedef struct {
  const char *kind;    /* the group's kind= value: "nfc", "usb-hid", "camera", "sim" */
  const char *summary; /* one line for `muster readers drivers` */
  /* Builds the reader(s) for one group; appends them to readers. */
  gboolean (*create)(const char *name, GKeyFile *file, const char *group, GPtrArray *readers,
                     GError **error);
  /* Readers to use when there is no readers file (NULL: none by default). */
  gboolean (*create_default)(GPtrArray *readers, GError **error);
} MusterReaderDriver;

/* The compiled-in drivers, NULL-terminated (driver-table.c). */
extern const MusterReaderDriver *const muster_reader_drivers[];

#define MUSTER_TYPE_READER_MANAGER (muster_reader_manager_get_type())
G_DECLARE_FINAL_TYPE(MusterReaderManager, muster_reader_manager, MUSTER, READER_MANAGER, GObject)

/* Signals: "scan" (MusterReader *reader, const MusterScan *scan), as MusterReader's;
 * "reader-added" (MusterReader *reader); "reader-changed" (MusterReader *reader) on any
 * change of a reader's state or last error. */

/* From the readers file at path; NULL path: $MUSTER_READERS, else
 * MUSTER_DEFAULT_READERS_FILE if it exists, else every driver's defaults. A file that
 * cannot be read or names an unknown kind is an error naming the file and group. */
MusterReaderManager *muster_reader_manager_new(const char *path, GError **error);
/* From readers already built (tests, the kiosk's simulated reader). Takes references. */
MusterReaderManager *muster_reader_manager_new_for_readers(GPtrArray *readers);

/* Starts every reader. Readers that cannot start are reported in their state; FALSE only
 * when no reader at all could start, with the reasons. */
gboolean muster_reader_manager_start(MusterReaderManager *self, GError **error);
void muster_reader_manager_stop(MusterReaderManager *self);

/* The readers (MusterReader*), in the order they were added. */
GPtrArray *muster_reader_manager_get_readers(MusterReaderManager *self);

/* Adds a reader (from a driver's hotplug), starting it if the manager runs. */
void muster_reader_manager_add(MusterReaderManager *self, MusterReader *reader);

/* Writes the readers' states as JSON to path (atomically), e.g. for `readers list`. The
 * manager rewrites it on every change once set; NULL stops. */
void muster_reader_manager_set_status_file(MusterReaderManager *self, const char *path);

/* Claims the readers for this process: a lock in the runtime folder ($MUSTER_RUNTIME_DIR,
 * else $XDG_RUNTIME_DIR/muster), held until the manager is freed, and the status file
 * beside it. MUSTER_ERROR_STATE, naming the holder's pid, when another process holds
 * them (the kiosk, say). */
gboolean muster_reader_manager_claim(MusterReaderManager *self, GError **error);
/* When another process holds the readers, the states it last wrote (a JSON array node);
 * NULL without error when nobody holds them. */
JsonNode *muster_reader_manager_read_holder_status(GError **error);

/* The readers' states as a JSON array node: id, kind, state, last_error, last_read (ISO
 * time or null), scans. */
JsonNode *muster_reader_manager_status_json(MusterReaderManager *self);

#ifndef MUSTER_DEFAULT_READERS_FILE
#define MUSTER_DEFAULT_READERS_FILE "/etc/muster/readers.conf"
#endif

G_END_DECLS
