/*
 * nfc-reader.c: the NFC reader's device handling and polling (see nfc-reader.h).
 *
 * Shape, and why:
 *  - libnfc blocks, so the device lives on a thread of its own, with its own libnfc
 *    context; scans and states go through MusterReader, which delivers them on the main
 *    context.
 *  - Polling: NP_INFINITE_SELECT off makes each select a single try that answers at once
 *    (a PN53x otherwise waits for a tag forever). Between tries, and between presence
 *    checks while a tag is held, the thread waits on a condition variable, so stop() is
 *    prompt and an idle reader costs a few frames per second. stop() also aborts a
 *    libnfc command in flight (nfc_abort_command).
 *  - A held tag: after its scan the thread only asks libnfc whether it is still there
 *    (nfc_initiator_target_is_present); when it is not, the next select that finds a tag
 *    is a new tap, even the same tag put back.
 *  - Failures: a device that cannot be opened is DISCONNECTED (its port is missing) or
 *    FAILED (it is there but does not answer); one that stops answering is FAILED. Both
 *    are retried after a delay that doubles from BACKOFF_FIRST_MS to BACKOFF_MAX_MS and
 *    starts over once the device has worked for BACKOFF_RESET_S.
 */
#include "drivers/nfc/nfc-reader.h"
#include "core/muster-error.h"
#include "drivers/nfc/nfc-tag.h"
#include "drivers/nfc/originality.h"

#include <nfc/nfc.h>
#include <string.h>

#define POLL_INTERVAL_MS 100 /* between selects, and between presence checks */
#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 30000
#define BACKOFF_RESET_S 10    /* a device that worked this long starts over at the first delay */
#define SELECT_FAILURES_MAX 2 /* consecutive failed selects before the device counts as gone */

struct _MusterNfcReader {
  MusterReader parent_instance;
  char *connstring; /* NULL: libnfc's default device */
  MusterOriginalityKeys *keys;
  GThread *thread;
  GMutex lock; /* guards stopping and device */
  GCond wake;
  gboolean stopping;
  nfc_device *device; /* the open device, for nfc_abort_command from stop() */
};

G_DEFINE_FINAL_TYPE(MusterNfcReader, muster_nfc_reader, MUSTER_TYPE_READER)

enum { PROP_0, PROP_CONNSTRING, N_PROPS };
static GParamSpec *props[N_PROPS];

static const nfc_modulation modulation_a = {.nmt = NMT_ISO14443A, .nbr = NBR_106};

/* ---- Waiting, interruptibly ---- */

static gboolean
is_stopping(MusterNfcReader *self)
{
  g_mutex_lock(&self->lock);
  gboolean stopping = self->stopping;
  g_mutex_unlock(&self->lock);
  return stopping;
}

/* Sleeps ms unless stop() comes first; TRUE when the reader should carry on. */
static gboolean
wait_ms(MusterNfcReader *self, guint ms)
{
  g_mutex_lock(&self->lock);
  gint64 deadline = g_get_monotonic_time() + (gint64)ms * G_TIME_SPAN_MILLISECOND;
  while (!self->stopping && g_cond_wait_until(&self->wake, &self->lock, deadline))
    ;
  gboolean carry_on = !self->stopping;
  g_mutex_unlock(&self->lock);
  return carry_on;
}

/* ---- Opening and closing ---- */

static const char *
display_name(MusterNfcReader *self)
{
  return self->connstring != NULL ? self->connstring : "(libnfc's default device)";
}

/* The port a connstring names ("pn532_uart:/dev/ttyUSB0:115200" → "/dev/ttyUSB0"), or
 * NULL when it names none (a USB bus address, the default device). */
static char *
connstring_port(const char *connstring)
{
  if (connstring == NULL)
    return NULL;
  g_auto(GStrv) parts = g_strsplit(connstring, ":", 3);
  return parts[0] != NULL && parts[1] != NULL && parts[1][0] == '/' ? g_strdup(parts[1]) : NULL;
}

static nfc_device *
open_device(MusterNfcReader *self, nfc_context *context)
{
  nfc_device *device = nfc_open(context, self->connstring);
  if (device == NULL)
    return NULL;
  if (nfc_initiator_init(device) < 0 ||
      nfc_device_set_property_bool(device, NP_INFINITE_SELECT, false) < 0) {
    nfc_close(device);
    return NULL;
  }
  g_mutex_lock(&self->lock);
  self->device = device;
  g_mutex_unlock(&self->lock);
  return device;
}

static void
close_device(MusterNfcReader *self, nfc_device *device)
{
  g_mutex_lock(&self->lock);
  self->device = NULL;
  g_mutex_unlock(&self->lock);
  nfc_close(device);
}

static void
report_open_failure(MusterNfcReader *self, guint retry_ms)
{
  g_autofree char *port = connstring_port(self->connstring);
  MusterReader *reader = MUSTER_READER(self);
  g_autofree char *message = NULL;
  if (self->connstring == NULL) {
    message = g_strdup_printf("No NFC reader found by libnfc: plug one in, or name it in "
                              "/etc/nfc/libnfc.conf; retrying in %.1f s",
                              retry_ms / 1000.0);
  } else if (port != NULL && !g_file_test(port, G_FILE_TEST_EXISTS)) {
    message = g_strdup_printf("NFC reader %s is not plugged in (%s does not exist): plug it "
                              "in; retrying in %.1f s",
                              self->connstring, port, retry_ms / 1000.0);
  } else {
    message = g_strdup_printf("NFC reader %s does not answer (libnfc could not open it): "
                              "check its cable, power and the connstring; retrying in %.1f s",
                              self->connstring, retry_ms / 1000.0);
    muster_reader_set_state(reader, MUSTER_READER_STATE_FAILED, message);
    return;
  }
  muster_reader_set_state(reader, MUSTER_READER_STATE_DISCONNECTED, message);
}

/* ---- Polling ---- */

/* Waits until the tag leaves the field (or stop()). */
static void
wait_for_removal(MusterNfcReader *self, nfc_device *device, const nfc_target *target)
{
  while (wait_ms(self, POLL_INTERVAL_MS)) {
    /* Any error counts as removed: a dead device shows at the next select. */
    if (nfc_initiator_target_is_present(device, target) != NFC_SUCCESS)
      return;
  }
}

/* Polls an open device until stop() (TRUE) or until it stops answering (FALSE, with
 * *why saying how). */
static gboolean
poll_device(MusterNfcReader *self, nfc_device *device, char **why)
{
  guint failures = 0;
  while (!is_stopping(self)) {
    nfc_target target = {0};
    int found = nfc_initiator_select_passive_target(device, modulation_a, NULL, 0, &target);
    if (found < 0) {
      if (is_stopping(self))
        return TRUE; /* our own abort */
      if (++failures >= SELECT_FAILURES_MAX) {
        *why = g_strdup(nfc_strerror(device));
        return FALSE;
      }
      continue;
    }
    failures = 0;
    if (found == 0) {
      wait_ms(self, POLL_INTERVAL_MS);
      continue;
    }
    muster_reader_emit_scan(MUSTER_READER(self), muster_nfc_tag_read(device, &target, self->keys));
    wait_for_removal(self, device, &target);
    nfc_initiator_deselect_target(device);
  }
  return TRUE;
}

static gpointer
reader_thread(gpointer data)
{
  MusterNfcReader *self = data;
  MusterReader *reader = MUSTER_READER(self);
  nfc_context *context = NULL;
  guint backoff_ms = BACKOFF_FIRST_MS;
  nfc_init(&context);
  if (context == NULL) {
    muster_reader_set_state(reader, MUSTER_READER_STATE_FAILED,
                            "libnfc could not start (out of memory or a broken "
                            "/etc/nfc/libnfc.conf): fix it and restart the reader");
    return NULL;
  }
  while (!is_stopping(self)) {
    muster_reader_set_state(reader, MUSTER_READER_STATE_OPENING, NULL);
    nfc_device *device = open_device(self, context);
    if (device == NULL) {
      report_open_failure(self, backoff_ms);
    } else {
      muster_reader_set_state(reader, MUSTER_READER_STATE_READY, NULL);
      gint64 opened = g_get_monotonic_time();
      g_autofree char *why = NULL;
      gboolean stopped = poll_device(self, device, &why);
      close_device(self, device);
      if (stopped)
        break;
      if (g_get_monotonic_time() - opened > BACKOFF_RESET_S * G_TIME_SPAN_SECOND)
        backoff_ms = BACKOFF_FIRST_MS;
      g_autofree char *message =
          g_strdup_printf("NFC reader %s stopped answering (libnfc: %s): check its cable and "
                          "power; reopening in %.1f s",
                          display_name(self), why, backoff_ms / 1000.0);
      muster_reader_set_state(reader, MUSTER_READER_STATE_FAILED, message);
    }
    if (!wait_ms(self, backoff_ms))
      break;
    backoff_ms = MIN(backoff_ms * 2, BACKOFF_MAX_MS);
  }
  nfc_exit(context);
  return NULL;
}

/* ---- MusterReader ---- */

static gboolean
muster_nfc_reader_start(MusterReader *reader, GError **error)
{
  MusterNfcReader *self = MUSTER_NFC_READER(reader);
  if (self->connstring != NULL && (strchr(self->connstring, ':') == NULL ||
                                   strlen(self->connstring) >= NFC_BUFSIZE_CONNSTRING)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "“%s” is not a libnfc connstring (DRIVER:PORT, e.g. pn532_uart:/dev/ttyUSB0)",
                self->connstring);
    return FALSE;
  }
  if (self->thread != NULL)
    return TRUE;
  self->stopping = FALSE;
  /* No reference for the thread: the last unref disposes the reader, which stops it
   * (MusterReader's dispose), joining the thread before anything is freed. */
  self->thread = g_thread_new("muster-nfc", reader_thread, self);
  return TRUE;
}

static void
muster_nfc_reader_stop(MusterReader *reader)
{
  MusterNfcReader *self = MUSTER_NFC_READER(reader);
  if (self->thread == NULL)
    return;
  g_mutex_lock(&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast(&self->wake);
  if (self->device != NULL)
    nfc_abort_command(self->device);
  g_mutex_unlock(&self->lock);
  g_thread_join(self->thread);
  self->thread = NULL;
}

/* ---- GObject ---- */

const char *
muster_nfc_reader_get_connstring(MusterNfcReader *self)
{
  return self->connstring;
}

gboolean
muster_nfc_reader_add_trusted_key(MusterNfcReader *self, const char *name, const char *public_hex,
                                  GError **error)
{
  if (!muster_originality_keys_add(self->keys, name, public_hex, error)) {
    g_prefix_error(error, "NFC reader %s: ", display_name(self));
    return FALSE;
  }
  return TRUE;
}

MusterNfcReader *
muster_nfc_reader_new(const char *connstring)
{
  g_autofree char *id = g_strdup_printf("nfc:%s", connstring != NULL ? connstring : "default");
  return g_object_new(MUSTER_TYPE_NFC_READER, "id", id, "kind", MUSTER_NFC_READER_KIND,
                      "connstring", connstring, NULL);
}

static void
muster_nfc_reader_finalize(GObject *object)
{
  MusterNfcReader *self = MUSTER_NFC_READER(object);
  g_free(self->connstring);
  muster_originality_keys_free(self->keys);
  g_mutex_clear(&self->lock);
  g_cond_clear(&self->wake);
  G_OBJECT_CLASS(muster_nfc_reader_parent_class)->finalize(object);
}

static void
muster_nfc_reader_set_property(GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  MusterNfcReader *self = MUSTER_NFC_READER(object);
  switch (prop_id) {
  case PROP_CONNSTRING: self->connstring = g_value_dup_string(value); break;
  default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void
muster_nfc_reader_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MusterNfcReader *self = MUSTER_NFC_READER(object);
  switch (prop_id) {
  case PROP_CONNSTRING: g_value_set_string(value, self->connstring); break;
  default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void
muster_nfc_reader_class_init(MusterNfcReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS(klass);
  MusterReaderClass *reader_class = MUSTER_READER_CLASS(klass);
  object_class->finalize = muster_nfc_reader_finalize;
  object_class->set_property = muster_nfc_reader_set_property;
  object_class->get_property = muster_nfc_reader_get_property;
  reader_class->start = muster_nfc_reader_start;
  reader_class->stop = muster_nfc_reader_stop;
  props[PROP_CONNSTRING] =
      g_param_spec_string("connstring", NULL, NULL, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
muster_nfc_reader_init(MusterNfcReader *self)
{
  g_mutex_init(&self->lock);
  g_cond_init(&self->wake);
  self->keys = muster_originality_keys_new();
}
