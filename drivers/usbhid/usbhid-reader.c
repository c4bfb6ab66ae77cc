/*
 * usbhid-reader.c: the USB barcode scanner reader (see usbhid-reader.h).
 *
 * Threading: the steps run on the reader's thread (MusterReader's lifecycle,
 * drivers/lifecycle.c), and libusb's events are handled there, in
 * libusb_handle_events_timeout_completed() with a 500 ms bound, rather than merged into
 * the GLib main loop through libusb_get_pollfds(). Opening, detaching and claiming a
 * device are blocking ioctls: on their own thread they never hold up the kiosk's main
 * loop. Hotplug and transfer callbacks run on that same thread, which owns every device
 * field, so there are no locks; MusterReader already delivers scans to the main context
 * in order. The thread sleeps in poll() between reports (no busy loop); interrupt()
 * wakes it at once with libusb_interrupt_event_handler(), and the bound only limits how
 * late a missed wake-up could be noticed.
 *
 * Devices come from libusb hotplug (when libusb has it, as on Linux with udev) plus one
 * enumeration at start and one when a retry is due; without hotplug the bus is
 * enumerated again every second while no scanner is attached. A device that goes away is
 * never re-enumerated: its replug is a new device, announced by hotplug. So the reader
 * waits for devices itself (wait_for_device): an unplugged scanner is DISCONNECTED until
 * one arrives, not retried on a clock.
 *
 * One interrupt IN transfer is kept in flight and resubmitted from its callback; its
 * buffer is the endpoint's report size.
 */
#include "drivers/usbhid/usbhid-reader.h"
#include "core/muster-error.h"
#include "drivers/usbhid/hid-scan.h"
#include "drivers/usbhid/hidpos.h"
#include "drivers/usbhid/keymap.h"
#include "drivers/usbhid/scanner-table.h"

#include <libusb.h>

#define EVENT_WAIT_US 500000
#define CLOSE_WAIT_ROUNDS 10   /* × 100 ms for a cancelled transfer to come back */
#define MAX_TRANSFER_ERRORS 10 /* consecutive, before the scanner is reopened */
#define MAX_MALFORMED_LOGGED 20
#define RETRY_FIRST_S 1
#define RETRY_MAX_S 30
#define SET_PROTOCOL 0x0B /* HID class request; wValue 0 = boot protocol */

typedef struct {
  MusterUsbhidReader *reader;
  libusb_device *device;
  libusb_device_handle *handle;
  struct libusb_transfer *transfer;
  guint8 *buffer;
  int interface;
  gboolean detached; /* we detached a kernel driver, to give back on close */
  char *name;        /* "Zebra ... (05e0:1200, bus 1 device 2)" */
  MusterScannerProtocol protocol;
  MusterKeyboardDecoder *keyboard;
  MusterHidPosDecoder *hidpos;
  gboolean in_flight;
  gboolean gone;   /* unplugged */
  gboolean failed; /* too many transfer errors */
  guint errors;
  guint cancel_rounds; /* loop rounds spent waiting for a cancelled transfer */
} Scanner;

/* What matching a device found: which interface to claim and how to read it. */
typedef struct {
  int interface;
  guint8 endpoint;
  int report_size;
  gboolean boot_keyboard;
  MusterScannerProtocol protocol;
  MusterScanSuffix suffix;
  const char *name;
} Choice;

struct _MusterUsbhidReader {
  MusterReader parent_instance;
  char *match;
  char *scanners_file;
  gboolean match_any;
  guint16 match_vid, match_pid;
  gint n_malformed; /* atomic */
  gint n_discarded; /* atomic */
  /* From setup to teardown. */
  MusterScannerTable *table;
  libusb_context *ctx;
  int interrupted; /* atomic; also libusb's "completed" flag */
  gboolean has_hotplug;
  libusb_hotplug_callback_handle hotplug;
  /* The reader's thread only. */
  gboolean enumerated; /* the bus was listed once since setup */
  GQueue arrivals;     /* libusb_device*, referenced */
  Scanner *scanner;
};

G_DEFINE_FINAL_TYPE(MusterUsbhidReader, muster_usbhid_reader, MUSTER_TYPE_READER)

/* aim: a HID POS scan's identifier bytes; NULL for a keyboard wedge. Takes bytes. */
static void
emit_scan(Scanner *s, GBytes *bytes, const guint8 *aim)
{
  MusterScan *scan = muster_hid_scan_new(bytes, aim);
  g_bytes_unref(bytes);
  muster_reader_emit_scan(MUSTER_READER(s->reader), scan);
}

static void
report_malformed(Scanner *s, const GError *error)
{
  guint n = (guint)g_atomic_int_add(&s->reader->n_malformed, 1) + 1;
  g_autofree char *message = g_strdup_printf(
      "Scanner %s sent %s; it was ignored (%u malformed report%s so far). If this repeats, "
      "check the scanner's USB mode in its manual.",
      s->name, error->message, n, n == 1 ? "" : "s");
  /* Logged too, since the last error is soon replaced; a scanner spewing garbage is
   * logged only so far. */
  if (n <= MAX_MALFORMED_LOGGED)
    g_message("Reader %s: %s%s", muster_reader_get_id(MUSTER_READER(s->reader)), message,
              n == MAX_MALFORMED_LOGGED ? " Further malformed reports are counted, not logged."
                                        : "");
  muster_reader_set_state(MUSTER_READER(s->reader), MUSTER_READER_STATE_READY, message);
}

static void
handle_report(Scanner *s, const guint8 *report, gsize len)
{
  g_autoptr(GError) error = NULL;
  MusterHidFeed feed;
  if (s->protocol == MUSTER_SCANNER_PROTOCOL_KEYBOARD)
    feed = muster_keyboard_decoder_feed(s->keyboard, report, len, &error);
  else
    feed = muster_hidpos_decoder_feed(s->hidpos, report, len, &error);
  if (feed == MUSTER_HID_FEED_MALFORMED) {
    report_malformed(s, error);
  } else if (feed == MUSTER_HID_FEED_SCAN && s->protocol == MUSTER_SCANNER_PROTOCOL_KEYBOARD) {
    emit_scan(s, muster_keyboard_decoder_take_scan(s->keyboard), NULL);
  } else if (feed == MUSTER_HID_FEED_SCAN) {
    guint8 aim[3];
    GBytes *bytes = muster_hidpos_decoder_take_scan(s->hidpos, NULL, aim);
    emit_scan(s, bytes, aim);
  }
}

static void
submit(Scanner *s)
{
  int r = libusb_submit_transfer(s->transfer);
  if (r == LIBUSB_ERROR_NO_DEVICE)
    s->gone = TRUE;
  else if (r < 0)
    s->failed = TRUE;
  else
    s->in_flight = TRUE;
}

static void LIBUSB_CALL
on_transfer(struct libusb_transfer *transfer)
{
  Scanner *s = transfer->user_data;
  s->in_flight = FALSE;
  switch (transfer->status) {
  case LIBUSB_TRANSFER_COMPLETED:
    s->errors = 0;
    handle_report(s, transfer->buffer, (gsize)transfer->actual_length);
    break;
  case LIBUSB_TRANSFER_NO_DEVICE: s->gone = TRUE; return;
  case LIBUSB_TRANSFER_CANCELLED: return;
  case LIBUSB_TRANSFER_OVERFLOW: {
    g_autoptr(GError) error = g_error_new(MUSTER_ERROR, MUSTER_ERROR_INVALID,
                                          "a report longer than %d bytes", transfer->length);
    report_malformed(s, error);
    break;
  }
  case LIBUSB_TRANSFER_STALL: libusb_clear_halt(s->handle, transfer->endpoint); G_GNUC_FALLTHROUGH;
  default:
    if (++s->errors > MAX_TRANSFER_ERRORS) {
      s->failed = TRUE;
      return;
    }
  }
  if (!g_atomic_int_get(&s->reader->interrupted))
    submit(s);
}

/* The interface's interrupt IN endpoint, or NULL. */
static const struct libusb_endpoint_descriptor *
interrupt_in(const struct libusb_interface_descriptor *alt)
{
  for (int e = 0; e < alt->bNumEndpoints; e++) {
    const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];
    if ((ep->bmAttributes & 0x03) == LIBUSB_TRANSFER_TYPE_INTERRUPT &&
        (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) && ep->wMaxPacketSize > 0)
      return ep;
  }
  return NULL;
}

/* Finds the HID interface to read: the first one with an interrupt IN endpoint, or
 * better the first boot keyboard when want_boot (a keyboard scanner), the first other
 * one when not (a HID POS scanner that also offers a keyboard interface). */
static gboolean
choose_interface(const struct libusb_config_descriptor *config, gboolean want_boot, Choice *choice)
{
  gboolean found = FALSE;
  for (int i = 0; i < config->bNumInterfaces; i++) {
    if (config->interface[i].num_altsetting < 1)
      continue;
    const struct libusb_interface_descriptor *alt = &config->interface[i].altsetting[0];
    const struct libusb_endpoint_descriptor *ep = interrupt_in(alt);
    if (alt->bInterfaceClass != LIBUSB_CLASS_HID || ep == NULL)
      continue;
    gboolean boot = alt->bInterfaceSubClass == 1 && alt->bInterfaceProtocol == 1;
    if (found && !(boot == want_boot && choice->boot_keyboard != want_boot))
      continue;
    choice->interface = alt->bInterfaceNumber;
    choice->endpoint = ep->bEndpointAddress;
    choice->report_size = MIN(ep->wMaxPacketSize & 0x7FF, 1024);
    choice->boot_keyboard = boot;
    found = TRUE;
  }
  return found;
}

/* Whether this device is a scanner this reader takes, and how. */
static gboolean
match_device(MusterUsbhidReader *self, libusb_device *device, Choice *choice)
{
  struct libusb_device_descriptor desc;
  if (libusb_get_device_descriptor(device, &desc) != 0)
    return FALSE;
  if (!self->match_any && (desc.idVendor != self->match_vid || desc.idProduct != self->match_pid))
    return FALSE;
  const MusterScannerEntry *entry =
      muster_scanner_table_lookup(self->table, desc.idVendor, desc.idProduct);
  if (entry == NULL && !muster_scanner_table_generic_boot_keyboards(self->table))
    return FALSE;
  struct libusb_config_descriptor *config = NULL;
  if (libusb_get_active_config_descriptor(device, &config) != 0 &&
      libusb_get_config_descriptor(device, 0, &config) != 0)
    return FALSE;
  gboolean want_boot = entry == NULL || entry->protocol == MUSTER_SCANNER_PROTOCOL_KEYBOARD;
  gboolean found = choose_interface(config, want_boot, choice);
  libusb_free_config_descriptor(config);
  if (!found || (entry == NULL && !choice->boot_keyboard))
    return FALSE;
  choice->protocol = entry != NULL ? entry->protocol : MUSTER_SCANNER_PROTOCOL_KEYBOARD;
  choice->suffix = entry != NULL ? entry->suffix : muster_scanner_table_generic_suffix(self->table);
  choice->name = entry != NULL ? entry->name : "USB keyboard-mode scanner";
  return TRUE;
}

static char *
describe(libusb_device *device, const char *name)
{
  struct libusb_device_descriptor desc;
  libusb_get_device_descriptor(device, &desc);
  return g_strdup_printf("%s (%04x:%04x, bus %u device %u)", name, desc.idVendor, desc.idProduct,
                         libusb_get_bus_number(device), libusb_get_device_address(device));
}

static void
scanner_free(Scanner *s)
{
  if (s->transfer != NULL)
    libusb_free_transfer(s->transfer);
  g_free(s->buffer);
  libusb_unref_device(s->device);
  muster_keyboard_decoder_free(s->keyboard);
  muster_hidpos_decoder_free(s->hidpos);
  g_free(s->name);
  g_free(s);
}

/* Cancels the transfer and waits (bounded) for it, releases the interface, gives the
 * kernel driver back, closes. */
static void
scanner_close(Scanner *s)
{
  if (s->in_flight) {
    libusb_cancel_transfer(s->transfer);
    struct timeval tv = {0, 100000};
    for (int i = 0; i < CLOSE_WAIT_ROUNDS && s->in_flight; i++)
      libusb_handle_events_timeout_completed(s->reader->ctx, &tv, NULL);
  }
  if (!s->gone) {
    libusb_release_interface(s->handle, s->interface);
    if (s->detached)
      libusb_attach_kernel_driver(s->handle, s->interface);
  }
  /* libusb_close() drops a transfer that never came back, so freeing it is then safe. */
  libusb_close(s->handle);
  scanner_free(s);
}

/* Opens the device and claims its interface, the kernel driver detached. NULL when it
 * could not be taken, with an error unless it is gone again (a FAILED one saying why;
 * BUSY when another reader or program holds it). */
static libusb_device_handle *
open_and_claim(libusb_device *device, const Choice *c, const char *name, gboolean *detached,
               GError **error)
{
  libusb_device_handle *handle = NULL;
  int r = libusb_open(device, &handle);
  if (r == LIBUSB_ERROR_ACCESS) {
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_FAILED,
                "Cannot open %s: permission denied. Give Muster write access to USB "
                "scanners (a udev rule for /dev/bus/usb); it keeps trying.",
                name);
    return NULL;
  }
  if (r == LIBUSB_ERROR_NO_DEVICE || r == LIBUSB_ERROR_NOT_FOUND)
    return NULL; /* already gone again */
  if (r != 0) {
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_FAILED, "Cannot open %s: %s.", name,
                libusb_strerror(r));
    return NULL;
  }
  *detached = FALSE;
  if (libusb_kernel_driver_active(handle, c->interface) == 1) {
    r = libusb_detach_kernel_driver(handle, c->interface);
    if (r != 0) {
      g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_FAILED,
                  "Cannot detach the kernel's keyboard driver from %s (%s), so its scans "
                  "would type into the screen; not using it.",
                  name, libusb_strerror(r));
      libusb_close(handle);
      return NULL;
    }
    *detached = TRUE;
  }
  r = libusb_claim_interface(handle, c->interface);
  if (r != 0) {
    /* Busy: another reader or program has it; try again later, quietly, since no
     * hotplug event will say when it is free. */
    if (r == LIBUSB_ERROR_BUSY)
      g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_BUSY, "%s is busy", name);
    else
      g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_FAILED,
                  "Cannot claim interface %d of %s: %s.", c->interface, name, libusb_strerror(r));
    if (*detached)
      libusb_attach_kernel_driver(handle, c->interface);
    libusb_close(handle);
    return NULL;
  }
  return handle;
}

/* Takes this device as the reader's scanner when it matches: TRUE. FALSE with an error
 * when it matched but could not be taken; FALSE without one when it is not for us. */
static gboolean
try_attach(MusterUsbhidReader *self, libusb_device *device, GError **error)
{
  Choice c = {0};
  if (self->scanner != NULL || !match_device(self, device, &c))
    return FALSE;
  g_autofree char *name = describe(device, c.name);
  gboolean detached = FALSE;
  libusb_device_handle *handle = open_and_claim(device, &c, name, &detached, error);
  if (handle == NULL)
    return FALSE;
  /* A boot keyboard may start in report protocol; the boot layout is what keymap.c reads.
   * Scanners that refuse the request already send boot reports. */
  if (c.boot_keyboard && c.protocol == MUSTER_SCANNER_PROTOCOL_KEYBOARD)
    libusb_control_transfer(handle, LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE,
                            SET_PROTOCOL, 0, (guint16)c.interface, NULL, 0, 1000);
  Scanner *s = g_new0(Scanner, 1);
  s->reader = self;
  s->device = libusb_ref_device(device);
  s->handle = handle;
  s->interface = c.interface;
  s->detached = detached;
  s->name = g_steal_pointer(&name);
  s->protocol = c.protocol;
  s->keyboard = muster_keyboard_decoder_new(c.suffix);
  s->hidpos = muster_hidpos_decoder_new();
  s->buffer = g_malloc0((gsize)c.report_size);
  s->transfer = libusb_alloc_transfer(0);
  libusb_fill_interrupt_transfer(s->transfer, handle, c.endpoint, s->buffer, c.report_size,
                                 on_transfer, s, 0);
  submit(s);
  if (!s->in_flight) {
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_FAILED, "Cannot read from %s.",
                s->name);
    scanner_close(s);
    return FALSE;
  }
  self->scanner = s;
  return TRUE;
}

/* The scanner went away (GONE) or stopped answering (FAILED): why, for the lifecycle,
 * which then closes it. */
static void
set_lost_error(MusterUsbhidReader *self, GError **error)
{
  Scanner *s = self->scanner;
  gsize partial = s->protocol == MUSTER_SCANNER_PROTOCOL_KEYBOARD
                      ? muster_keyboard_decoder_pending(s->keyboard)
                      : muster_hidpos_decoder_pending(s->hidpos);
  if (s->gone && partial > 0) {
    g_atomic_int_inc(&self->n_discarded);
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_GONE,
                "Scanner %s was unplugged in mid-scan: a partial scan of %" G_GSIZE_FORMAT
                " bytes was discarded. Plug it back in and scan that item again.",
                s->name, partial);
  } else if (s->gone) {
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_GONE,
                "Scanner %s was unplugged; it is taken back when plugged in again.", s->name);
  } else {
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_FAILED,
                "Scanner %s stopped answering (%u transfer errors in a row).", s->name, s->errors);
  }
}

static void
enumerate(MusterUsbhidReader *self)
{
  libusb_device **list = NULL;
  ssize_t n = libusb_get_device_list(self->ctx, &list);
  for (ssize_t i = 0; i < n; i++)
    g_queue_push_tail(&self->arrivals, libusb_ref_device(list[i]));
  if (n >= 0)
    libusb_free_device_list(list, TRUE);
  self->enumerated = TRUE;
}

static int LIBUSB_CALL
on_hotplug(libusb_context *ctx, libusb_device *device, libusb_hotplug_event event, void *data)
{
  MusterUsbhidReader *self = data;
  if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
    g_queue_push_tail(&self->arrivals, libusb_ref_device(device));
  else if (self->scanner != NULL && self->scanner->device == device)
    self->scanner->gone = TRUE;
  return 0;
}

/* Handles libusb's events (transfers, hotplug) for at most EVENT_WAIT_US. */
static void
handle_events(MusterUsbhidReader *self)
{
  struct timeval tv = {0, EVENT_WAIT_US};
  libusb_handle_events_timeout_completed(self->ctx, &tv, &self->interrupted);
}

/* ---- The steps ---- */

static gboolean
parse_match(MusterUsbhidReader *self, GError **error)
{
  self->match_any = g_strcmp0(self->match, "any") == 0;
  if (self->match_any || muster_usb_ids_parse(self->match, &self->match_vid, &self->match_pid))
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "'%s' is not a scanner to match: use \"any\" or VVVV:PPPP as lsusb prints it",
              self->match);
  return FALSE;
}

static void
register_hotplug(MusterUsbhidReader *self)
{
  self->has_hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0;
  if (self->has_hotplug &&
      libusb_hotplug_register_callback(
          self->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
          self->match_any ? LIBUSB_HOTPLUG_MATCH_ANY : self->match_vid,
          self->match_any ? LIBUSB_HOTPLUG_MATCH_ANY : self->match_pid, LIBUSB_HOTPLUG_MATCH_ANY,
          on_hotplug, self, &self->hotplug) != LIBUSB_SUCCESS)
    self->has_hotplug = FALSE;
}

static gboolean
usbhid_setup(MusterReader *reader, GError **error)
{
  MusterUsbhidReader *self = MUSTER_USBHID_READER(reader);
  if (!parse_match(self, error))
    return FALSE;
  const char *files[] = {
      self->scanners_file != NULL ? self->scanners_file : MUSTER_SCANNER_TABLE_SITE_FILE, NULL};
  self->table = muster_scanner_table_load(files, error);
  if (self->table == NULL)
    return FALSE;
  int r = libusb_init(&self->ctx);
  if (r != 0) {
    self->ctx = NULL;
    g_set_error(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_UNAVAILABLE,
                "USB is not available (%s): is /dev/bus/usb there and readable? Scanners cannot "
                "be used until it is; restart the reader then.",
                libusb_strerror(r));
    return FALSE;
  }
  register_hotplug(self);
  g_atomic_int_set(&self->interrupted, 0);
  self->enumerated = FALSE;
  return TRUE;
}

/* Takes the first matching scanner among the devices that arrived (all of them at the
 * first attempt). NOT_FOUND when none is there to take. */
static gboolean
usbhid_open(MusterReader *reader, GError **error)
{
  MusterUsbhidReader *self = MUSTER_USBHID_READER(reader);
  if (!self->enumerated)
    enumerate(self);
  libusb_device *device;
  while ((device = g_queue_pop_head(&self->arrivals)) != NULL) {
    gboolean taken = try_attach(self, device, error);
    libusb_unref_device(device);
    if (taken)
      return TRUE;
    if (*error != NULL)
      return FALSE;
  }
  g_set_error_literal(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_NOT_FOUND,
                      "no scanner to take");
  return FALSE;
}

/* Until a device may be there: one arrived (hotplug), or until_us came and the bus is
 * listed again; without hotplug, the bus is listed every second. */
static void
usbhid_wait_for_device(MusterReader *reader, gint64 until_us)
{
  MusterUsbhidReader *self = MUSTER_USBHID_READER(reader);
  while (!g_atomic_int_get(&self->interrupted) && g_queue_is_empty(&self->arrivals)) {
    gint64 now = g_get_monotonic_time();
    if (until_us == 0 && !self->has_hotplug)
      until_us = now + G_USEC_PER_SEC;
    if (until_us != 0 && now >= until_us) {
      enumerate(self);
      return;
    }
    handle_events(self);
  }
}

/* Reports as they come, for at most EVENT_WAIT_US; FALSE when the scanner went away or
 * stopped answering. Other devices that arrive meanwhile are not for this reader: it
 * has its scanner. */
static gboolean
usbhid_read(MusterReader *reader, GError **error)
{
  MusterUsbhidReader *self = MUSTER_USBHID_READER(reader);
  g_queue_clear_full(&self->arrivals, (GDestroyNotify)libusb_unref_device);
  handle_events(self);
  Scanner *s = self->scanner;
  if (!(s->gone || s->failed))
    return TRUE;
  /* A cancelled transfer comes back CANCELLED or NO_DEVICE; one that does not within a
   * few rounds is dropped by libusb_close(). */
  if (s->in_flight && s->cancel_rounds++ == 0) {
    libusb_cancel_transfer(s->transfer);
    return TRUE;
  }
  if (s->in_flight && s->cancel_rounds <= 4)
    return TRUE;
  set_lost_error(self, error);
  return FALSE;
}

static void
usbhid_close(MusterReader *reader)
{
  MusterUsbhidReader *self = MUSTER_USBHID_READER(reader);
  if (self->scanner != NULL)
    scanner_close(g_steal_pointer(&self->scanner));
}

static void
usbhid_interrupt(MusterReader *reader)
{
  MusterUsbhidReader *self = MUSTER_USBHID_READER(reader);
  g_atomic_int_set(&self->interrupted, 1);
  libusb_interrupt_event_handler(self->ctx);
}

static void
usbhid_teardown(MusterReader *reader)
{
  MusterUsbhidReader *self = MUSTER_USBHID_READER(reader);
  g_queue_clear_full(&self->arrivals, (GDestroyNotify)libusb_unref_device);
  if (self->ctx != NULL) {
    if (self->has_hotplug)
      libusb_hotplug_deregister_callback(self->ctx, self->hotplug);
    libusb_exit(g_steal_pointer(&self->ctx));
  }
  g_clear_pointer(&self->table, muster_scanner_table_free);
}

static char *
usbhid_retry_message(MusterReader *reader, const GError *error, gboolean was_open, guint retry_ms)
{
  return g_strdup_printf("%s Retrying in %u s.", error->message, retry_ms / 1000);
}

static void
muster_usbhid_reader_finalize(GObject *object)
{
  MusterUsbhidReader *self = MUSTER_USBHID_READER(object);
  g_free(self->match);
  g_free(self->scanners_file);
  G_OBJECT_CLASS(muster_usbhid_reader_parent_class)->finalize(object);
}

static void
muster_usbhid_reader_class_init(MusterUsbhidReaderClass *klass)
{
  MusterReaderClass *reader_class = MUSTER_READER_CLASS(klass);
  G_OBJECT_CLASS(klass)->finalize = muster_usbhid_reader_finalize;
  reader_class->setup = usbhid_setup;
  reader_class->open = usbhid_open;
  reader_class->read = usbhid_read;
  reader_class->close = usbhid_close;
  reader_class->teardown = usbhid_teardown;
  reader_class->interrupt = usbhid_interrupt;
  reader_class->wait_for_device = usbhid_wait_for_device;
  reader_class->retry_message = usbhid_retry_message;
}

static void
muster_usbhid_reader_init(MusterUsbhidReader *self)
{
  static const MusterReaderBackoff backoff = {
      .first_ms = RETRY_FIRST_S * 1000,
      .max_ms = RETRY_MAX_S * 1000,
      .reset_after_ms = 0,
  };
  g_queue_init(&self->arrivals);
  muster_reader_set_backoff(MUSTER_READER(self), &backoff);
}

MusterUsbhidReader *
muster_usbhid_reader_new(const char *id, const char *match, const char *scanners_file)
{
  g_autofree char *default_id = g_strconcat("usb-hid:", match != NULL ? match : "any", NULL);
  MusterUsbhidReader *self =
      g_object_new(MUSTER_TYPE_USBHID_READER, "id", id != NULL ? id : default_id, "kind",
                   MUSTER_USBHID_READER_KIND, NULL);
  self->match = g_strdup(match != NULL ? match : "any");
  self->scanners_file = g_strdup(scanners_file);
  return self;
}

guint64
muster_usbhid_reader_get_n_malformed(MusterUsbhidReader *self)
{
  return (guint64)g_atomic_int_get(&self->n_malformed);
}

guint64
muster_usbhid_reader_get_n_discarded(MusterUsbhidReader *self)
{
  return (guint64)g_atomic_int_get(&self->n_discarded);
}
