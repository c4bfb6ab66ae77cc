/*
 * nfc-reader.c: the NFC reader's steps and polling (see nfc-reader.h); MusterReader runs
 * them (drivers/lifecycle.c).
 *
 * Shape, and why:
 *  - libnfc blocks, so the steps run on the reader's thread; the libnfc context is made
 *    at setup and freed at teardown.
 *  - Polling: NP_INFINITE_SELECT off makes each select a single try that answers at once
 *    (a PN53x otherwise waits for a tag forever). Between tries, and between presence
 *    checks while a tag is held, the read step waits interruptibly
 *    (muster_reader_wait_ms), so stop() is prompt and an idle reader costs a few frames
 *    per second. interrupt() also aborts a libnfc command in flight (nfc_abort_command).
 *  - A held tag: after its scan the step only asks libnfc whether it is still there
 *    (nfc_initiator_target_is_present); when it is not, the next select that finds a tag
 *    is a new tap, even the same tag put back.
 *  - Failures: a device that cannot be opened is GONE (its port is missing) or FAILED (it
 *    is there but does not answer); one that stops answering is FAILED. The lifecycle
 *    retries both after a delay that doubles from BACKOFF_FIRST_MS to BACKOFF_MAX_MS and
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
  nfc_context *context; /* from setup to teardown */
  GMutex lock;          /* guards device: interrupt() aborts a command in flight */
  nfc_device *device;   /* the open device */
  guint select_failures;
};

G_DEFINE_FINAL_TYPE(MusterNfcReader, muster_nfc_reader, MUSTER_TYPE_READER)

enum { PROP_0, PROP_CONNSTRING, N_PROPS };
static GParamSpec *props[N_PROPS];

static const nfc_modulation modulation_a = {.nmt = NMT_ISO14443A, .nbr = NBR_106};

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

/* ---- Setup and teardown ---- */

static gboolean
nfc_reader_setup(MusterReader *reader, GError **error)
{
  MusterNfcReader *self = MUSTER_NFC_READER(reader);
  if (self->connstring != NULL && (strchr(self->connstring, ':') == NULL ||
                                   strlen(self->connstring) >= NFC_BUFSIZE_CONNSTRING)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "“%s” is not a libnfc connstring (DRIVER:PORT, e.g. pn532_uart:/dev/ttyUSB0)",
                self->connstring);
    return FALSE;
  }
  nfc_init(&self->context);
  if (self->context == NULL) {
    g_set_error_literal(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_UNAVAILABLE,
                        "libnfc could not start (out of memory or a broken "
                        "/etc/nfc/libnfc.conf): fix it and restart the reader");
    return FALSE;
  }
  return TRUE;
}

static void
nfc_reader_teardown(MusterReader *reader)
{
  MusterNfcReader *self = MUSTER_NFC_READER(reader);
  g_clear_pointer(&self->context, nfc_exit);
}

/* ---- Opening and closing ---- */

/* Why the device did not open: GONE when its port is missing, FAILED when it is there
 * but does not answer. */
static void
set_open_error(MusterNfcReader *self, GError **error)
{
  g_autofree char *port = connstring_port(self->connstring);
  if (self->connstring == NULL)
    g_set_error_literal(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_GONE,
                        "No NFC reader found by libnfc: plug one in, or name it in "
                        "/etc/nfc/libnfc.conf");
  else if (port != NULL && !g_file_test(port, G_FILE_TEST_EXISTS))
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_GONE,
                "NFC reader %s is not plugged in (%s does not exist): plug it in", self->connstring,
                port);
  else
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_FAILED,
                "NFC reader %s does not answer (libnfc could not open it): check its cable, "
                "power and the connstring",
                self->connstring);
}

static gboolean
nfc_reader_open(MusterReader *reader, GError **error)
{
  MusterNfcReader *self = MUSTER_NFC_READER(reader);
  nfc_device *device = nfc_open(self->context, self->connstring);
  if (device != NULL && (nfc_initiator_init(device) < 0 ||
                         nfc_device_set_property_bool(device, NP_INFINITE_SELECT, false) < 0))
    g_clear_pointer(&device, nfc_close);
  if (device == NULL) {
    set_open_error(self, error);
    return FALSE;
  }
  g_mutex_lock(&self->lock);
  self->device = device;
  g_mutex_unlock(&self->lock);
  self->select_failures = 0;
  return TRUE;
}

static void
nfc_reader_close(MusterReader *reader)
{
  MusterNfcReader *self = MUSTER_NFC_READER(reader);
  g_mutex_lock(&self->lock);
  nfc_device *device = g_steal_pointer(&self->device);
  g_mutex_unlock(&self->lock);
  nfc_close(device);
}

static void
nfc_reader_interrupt(MusterReader *reader)
{
  MusterNfcReader *self = MUSTER_NFC_READER(reader);
  g_mutex_lock(&self->lock);
  if (self->device != NULL)
    nfc_abort_command(self->device);
  g_mutex_unlock(&self->lock);
}

/* ---- Polling ---- */

/* Waits until the tag leaves the field (or stop()). */
static void
wait_for_removal(MusterNfcReader *self, const nfc_target *target)
{
  while (muster_reader_wait_ms(MUSTER_READER(self), POLL_INTERVAL_MS)) {
    /* Any error counts as removed: a dead device shows at the next select. */
    if (nfc_initiator_target_is_present(self->device, target) != NFC_SUCCESS)
      return;
  }
}

/* One select: a tag found is one scan, then held until it leaves. FALSE when the
 * device stopped answering. */
static gboolean
nfc_reader_read(MusterReader *reader, GError **error)
{
  MusterNfcReader *self = MUSTER_NFC_READER(reader);
  nfc_target target = {0};
  int found = nfc_initiator_select_passive_target(self->device, modulation_a, NULL, 0, &target);
  if (found < 0) {
    if (muster_reader_is_stopping(reader))
      return TRUE; /* our own abort */
    if (++self->select_failures < SELECT_FAILURES_MAX)
      return TRUE;
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_FAILED,
                "NFC reader %s stopped answering (libnfc: %s): check its cable and power",
                display_name(self), nfc_strerror(self->device));
    return FALSE;
  }
  self->select_failures = 0;
  if (found == 0) {
    muster_reader_wait_ms(reader, POLL_INTERVAL_MS);
    return TRUE;
  }
  muster_reader_emit_scan(reader, muster_nfc_tag_read(self->device, &target, self->keys));
  wait_for_removal(self, &target);
  nfc_initiator_deselect_target(self->device);
  return TRUE;
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
  reader_class->setup = nfc_reader_setup;
  reader_class->open = nfc_reader_open;
  reader_class->read = nfc_reader_read;
  reader_class->close = nfc_reader_close;
  reader_class->teardown = nfc_reader_teardown;
  reader_class->interrupt = nfc_reader_interrupt;
  props[PROP_CONNSTRING] =
      g_param_spec_string("connstring", NULL, NULL, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
muster_nfc_reader_init(MusterNfcReader *self)
{
  static const MusterReaderBackoff backoff = {
      .first_ms = BACKOFF_FIRST_MS,
      .max_ms = BACKOFF_MAX_MS,
      .reset_after_ms = BACKOFF_RESET_S * 1000,
  };
  g_mutex_init(&self->lock);
  self->keys = muster_originality_keys_new();
  muster_reader_set_backoff(MUSTER_READER(self), &backoff);
}
