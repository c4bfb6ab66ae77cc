/*
 * reader.h: what every reader driver is — a GObject that turns hardware reads into scan
 * events and says how it is doing.
 *
 * A driver (drivers/nfc, drivers/usb-hid, drivers/image, ...) subclasses MusterReader and
 * implements start() and stop(). Whatever thread it reads on, it hands each read to
 * muster_reader_emit_scan() and each change of health to muster_reader_set_state(); both
 * are thread-safe and deliver on the main context the reader was created on, so the
 * "scan" signal and property notifications always arrive there, in read order.
 *
 * Drivers know nothing of counts, SQL or screens: the listener (ingest, `muster readers
 * watch`, the kiosk) decides what a scan means.
 */
#pragma once
#include "scan/scan.h"
#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  MUSTER_READER_STATE_STOPPED,      /* not started, or stopped */
  MUSTER_READER_STATE_OPENING,      /* looking for / opening the device */
  MUSTER_READER_STATE_READY,        /* open, waiting for a tag, a scan or a frame */
  MUSTER_READER_STATE_DISCONNECTED, /* device gone; reattached by itself on replug */
  MUSTER_READER_STATE_FAILED,       /* stopped answering; retried with backoff */
} MusterReaderState;

const char *muster_reader_state_to_string(MusterReaderState state);

#define MUSTER_TYPE_READER (muster_reader_get_type())
G_DECLARE_DERIVABLE_TYPE(MusterReader, muster_reader, MUSTER, READER, GObject)

struct _MusterReaderClass {
  GObjectClass parent_class;
  /* Begins reading; called on the reader's main context. Returns FALSE only for a
   * configuration that can never work (bad connstring, say): a missing or failing
   * device is a state, not an error. */
  gboolean (*start)(MusterReader *self, GError **error);
  /* Stops reading and releases the device; after it returns no more scans are emitted.
   * Called on the reader's main context; must be safe to call when not started. */
  void (*stop)(MusterReader *self);
  gpointer padding[6];
};

/* Properties (read-only for listeners): "id" (stable, e.g. "nfc:pn532_uart:/dev/ttyUSB0"),
 * "kind" ("nfc", "usb-hid", "camera", "image", "sim"), "state" (MusterReaderState as int),
 * "last-error" (string or NULL), "last-read-us" (wall clock of the last scan, 0 = none),
 * "n-scans".
 *
 * Signal "scan" (MusterReader *reader, const MusterScan *scan): one read. The scan is
 * valid during the emission only; copy what you keep (muster_scan_copy()). */

gboolean muster_reader_start(MusterReader *self, GError **error);
void muster_reader_stop(MusterReader *self);

const char *muster_reader_get_id(MusterReader *self);
const char *muster_reader_get_kind(MusterReader *self);
MusterReaderState muster_reader_get_state(MusterReader *self);
/* The last error message (what went wrong and what to do), or NULL. Caller frees. */
char *muster_reader_dup_last_error(MusterReader *self);
gint64 muster_reader_get_last_read_us(MusterReader *self);
guint64 muster_reader_get_n_scans(MusterReader *self);

/* For drivers, from any thread. The reader takes the scan; reader and reader_kind are
 * filled in from the reader when NULL. */
void muster_reader_emit_scan(MusterReader *self, MusterScan *scan);
/* error NULL keeps the last error: it stays visible until a new one replaces it. A
 * FAILED or DISCONNECTED state with a message is also logged (g_message) once per
 * change, so no failure is silent. */
void muster_reader_set_state(MusterReader *self, MusterReaderState state, const char *error);

/* The main context scans are delivered on (for drivers that add their own sources). */
GMainContext *muster_reader_get_context(MusterReader *self);

G_END_DECLS
