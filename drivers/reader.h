/*
 * reader.h: what every reader driver is — a GObject that turns hardware reads into scan
 * events and says how it is doing.
 *
 * The device lifecycle is the base class's, written once (drivers/lifecycle.c): on a
 * thread of the reader's own it opens the device, reads until it fails, closes it, and
 * reopens it after a backoff, setting the state at each change. A driver writes only its
 * steps: open, read one (or wait a bounded time), close, and what each failure means
 * (its GError code: the device is gone, has failed, is busy). See drivers/README.md.
 *
 * Whatever thread a step runs on, it hands each read to muster_reader_emit_scan(); scans
 * and state changes are delivered on the main context the reader was created on, so the
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

#define MUSTER_TYPE_READER_STATE (muster_reader_state_get_type())
GType muster_reader_state_get_type(void) G_GNUC_CONST;

/* The state's name ("stopped", "opening", ...): its nick in MUSTER_TYPE_READER_STATE. */
const char *muster_reader_state_to_string(MusterReaderState state);

/* What a failed step means, and so what the lifecycle does next. A step's error in any
 * other domain counts as MUSTER_READER_ERROR_FAILED. */
#define MUSTER_READER_ERROR (muster_reader_error_quark())
GQuark muster_reader_error_quark(void);

typedef enum {
  /* There, but not answering: FAILED, reopened after the backoff. */
  MUSTER_READER_ERROR_FAILED,
  /* Not there (unplugged, no such port): DISCONNECTED; reopened after the backoff, or,
   * for a driver with wait_for_device(), when it says a device may be back. */
  MUSTER_READER_ERROR_GONE,
  /* Held by another program: tried again after the backoff; the state is kept. */
  MUSTER_READER_ERROR_BUSY,
  /* No device to open (yet): waits for one (wait_for_device()); the state is kept. */
  MUSTER_READER_ERROR_NOT_FOUND,
  /* From setup(): the device library cannot start. FAILED, not retried: the reader
   * works again once restarted. */
  MUSTER_READER_ERROR_UNAVAILABLE,
} MusterReaderError;

/* The wait between attempts to open: first_ms, doubling at each failure up to max_ms;
 * back to first_ms once a device stayed open reset_after_ms (0: as soon as one opens). */
typedef struct {
  guint first_ms;
  guint max_ms;
  guint reset_after_ms;
} MusterReaderBackoff;

#define MUSTER_TYPE_READER (muster_reader_get_type())
G_DECLARE_DERIVABLE_TYPE(MusterReader, muster_reader, MUSTER, READER, GObject)

struct _MusterReaderClass {
  GObjectClass parent_class;

  /* Begins reading; called on the reader's main context. FALSE only for a configuration
   * that can never work (bad connstring, say): a missing or failing device is a state,
   * not an error. The default runs the device lifecycle with the steps below; a reader
   * without a device (the simulated one) overrides start and stop instead. */
  gboolean (*start)(MusterReader *self, GError **error);
  /* Stops reading; after it returns no more scans are emitted. Called on the reader's
   * main context; must be safe to call when not started. */
  void (*stop)(MusterReader *self);

  /* The lifecycle's steps. setup and teardown run on the main context in start and
   * stop; open, read, close and wait_for_device on the reader's thread, one at a time;
   * interrupt from stop, on the main context, while a step may be blocked. */

  /* Checks the configuration and starts the device library. FALSE with an error: a
   * configuration error (start fails), or MUSTER_READER_ERROR_UNAVAILABLE. Optional. */
  gboolean (*setup)(MusterReader *self, GError **error);
  /* Opens the device. FALSE with an error whose code says what failed. */
  gboolean (*open)(MusterReader *self, GError **error);
  /* Reads one thing and emits it, or waits a bounded time for one (so that a stop is
   * noticed); TRUE to go on. FALSE with an error when the device failed or went away.
   * After interrupt, returns soon, whatever it returns. */
  gboolean (*read)(MusterReader *self, GError **error);
  /* Releases the open device. */
  void (*close)(MusterReader *self);
  /* Undoes setup, even one that failed half-way. Optional. */
  void (*teardown)(MusterReader *self);
  /* Makes a blocked step return soon (nfc_abort_command, waking a poll). Optional. */
  void (*interrupt)(MusterReader *self);
  /* For drivers that notice devices arriving (USB hotplug): waits until a device may be
   * there to open, at most until until_us (monotonic; 0: no limit), or until interrupt.
   * A driver with it waits here after GONE and NOT_FOUND instead of retrying on the
   * backoff's clock, and its attempts do not show OPENING. Optional. */
  void (*wait_for_device)(MusterReader *self, gint64 until_us);
  /* The last error for a failure retried in retry_ms: by default the error's message
   * and "; retrying in 1.5 s" ("reopening" when the device had been open). Optional. */
  char *(*retry_message)(MusterReader *self, const GError *error, gboolean was_open,
                         guint retry_ms);
};

/* Properties (read-only for listeners): "id" (stable, e.g. "nfc:pn532_uart:/dev/ttyUSB0"),
 * "kind" ("nfc", "usb-hid", "camera", "sim"), "state" (MusterReaderState, an enum
 * property of MUSTER_TYPE_READER_STATE), "last-error" (string or NULL), "last-read-us"
 * (wall clock of the last scan, 0 = none), "n-scans".
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
 * change, so no failure is silent. The lifecycle sets the states; a driver sets one
 * only to say something while READY (a malformed report, say). */
void muster_reader_set_state(MusterReader *self, MusterReaderState state, const char *error);

/* For steps (drivers/lifecycle.c). The backoff, set before start (default 500 ms
 * doubling to 30 s, reset as soon as a device opens). */
void muster_reader_set_backoff(MusterReader *self, const MusterReaderBackoff *backoff);
/* TRUE once stop() has begun: a step's own loop ends. */
gboolean muster_reader_is_stopping(MusterReader *self);
/* Sleeps ms unless stop() comes first; TRUE when the reader should carry on. */
gboolean muster_reader_wait_ms(MusterReader *self, guint ms);

/* The main context scans are delivered on (for drivers that add their own sources). */
GMainContext *muster_reader_get_context(MusterReader *self);

G_END_DECLS
