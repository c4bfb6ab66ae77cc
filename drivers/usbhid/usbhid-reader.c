/*
 * usbhid-reader.c: the USB barcode scanner reader (see usbhid-reader.h).
 *
 * Threading: libusb's events are handled on a thread of the reader's own, in
 * libusb_handle_events_timeout_completed() with a 500 ms bound, rather than merged into
 * the GLib main loop through libusb_get_pollfds(). Opening, detaching and claiming a
 * device are blocking ioctls: on their own thread they never hold up the kiosk's main
 * loop. Hotplug and transfer callbacks run on that same thread, which owns every device
 * field, so there are no locks; MusterReader already delivers scans to the main context
 * in order. The thread sleeps in poll() between reports (no busy loop); stop() wakes it
 * at once with libusb_interrupt_event_handler(), and the bound only limits how late a
 * missed wake-up could be noticed.
 *
 * Devices come from libusb hotplug (when libusb has it, as on Linux with udev) plus one
 * enumeration at start; without hotplug the bus is enumerated again every second while
 * no scanner is attached. A device that goes away is never re-enumerated: its replug is
 * a new device, announced by hotplug.
 *
 * One interrupt IN transfer is kept in flight and resubmitted from its callback; its
 * buffer is the endpoint's report size.
 */
#include "drivers/usbhid/usbhid-reader.h"
#include "core/muster-error.h"
#include "drivers/usbhid/hidpos.h"
#include "drivers/usbhid/keymap.h"
#include "drivers/usbhid/scanner-table.h"
#include "marking/payload.h"

#include <libusb.h>

#define EVENT_WAIT_US 500000
#define CLOSE_WAIT_ROUNDS 10   /* × 100 ms for a cancelled transfer to come back */
#define MAX_TRANSFER_ERRORS 10 /* consecutive, before the scanner is reopened */
#define MAX_MALFORMED_LOGGED 20
#define RETRY_MAX_S 30
#define SET_PROTOCOL 0x0B /* HID class request; wValue 0 = boot protocol */

typedef struct {
  MusterUsbHidReader *reader;
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

struct _MusterUsbHidReader {
  MusterReader parent_instance;
  char *match;
  char *scanners_file;
  gboolean match_any;
  guint16 match_vid, match_pid;
  gint n_malformed; /* atomic */
  gint n_discarded; /* atomic */
  /* Set by start(), released by stop(). */
  MusterScannerTable *table;
  libusb_context *ctx;
  GThread *thread;
  int stopping; /* atomic; also libusb's "completed" flag */
  gboolean has_hotplug;
  libusb_hotplug_callback_handle hotplug;
  /* Event thread only. */
  GQueue arrivals; /* libusb_device*, referenced */
  Scanner *scanner;
  gint64 next_enumerate_us; /* 0 = none due */
  guint retry_s;
};

G_DEFINE_FINAL_TYPE(MusterUsbHidReader, muster_usb_hid_reader, MUSTER_TYPE_READER)

static void
emit_scan(Scanner *s, GBytes *bytes, const char *symbology)
{
  MusterScan *scan = muster_scan_new();
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(bytes, &len);
  scan->raw = bytes;
  scan->text = g_utf8_make_valid((const char *)data, (gssize)len);
  scan->symbology = g_strdup(symbology);
  g_autoptr(MusterPayload) payload = muster_payload_parse_barcode(data, len, symbology);
  muster_scan_take_payload(scan, payload, TRUE);
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
  } else if (feed == MUSTER_HID_FEED_SCAN) {
    const char *symbology = NULL;
    GBytes *bytes = s->protocol == MUSTER_SCANNER_PROTOCOL_KEYBOARD
                        ? muster_keyboard_decoder_take_scan(s->keyboard)
                        : muster_hidpos_decoder_take_scan(s->hidpos, &symbology);
    emit_scan(s, bytes, symbology);
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
  if (!g_atomic_int_get(&s->reader->stopping))
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
match_device(MusterUsbHidReader *self, libusb_device *device, Choice *choice)
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

static void
schedule_retry(MusterUsbHidReader *self)
{
  self->retry_s = self->retry_s == 0 ? 1 : MIN(self->retry_s * 2, RETRY_MAX_S);
  self->next_enumerate_us = g_get_monotonic_time() + (gint64)self->retry_s * G_USEC_PER_SEC;
}

static void set_failed(MusterUsbHidReader *self, const char *format, ...) G_GNUC_PRINTF(2, 3);

static void
set_failed(MusterUsbHidReader *self, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  g_autofree char *message = g_strdup_vprintf(format, args);
  va_end(args);
  schedule_retry(self);
  g_autofree char *full = g_strdup_printf("%s Retrying in %u s.", message, self->retry_s);
  muster_reader_set_state(MUSTER_READER(self), MUSTER_READER_STATE_FAILED, full);
}

/* Opens the device and claims its interface, the kernel driver detached. NULL when it
 * could not be taken (the state then says why, unless another reader holds it). */
static libusb_device_handle *
open_and_claim(MusterUsbHidReader *self, libusb_device *device, const Choice *c, const char *name,
               gboolean *detached)
{
  libusb_device_handle *handle = NULL;
  int r = libusb_open(device, &handle);
  if (r == LIBUSB_ERROR_ACCESS) {
    set_failed(self,
               "Cannot open %s: permission denied. Give Muster write access to USB "
               "scanners (a udev rule for /dev/bus/usb); it keeps trying.",
               name);
    return NULL;
  }
  if (r == LIBUSB_ERROR_NO_DEVICE || r == LIBUSB_ERROR_NOT_FOUND)
    return NULL; /* already gone again */
  if (r != 0) {
    set_failed(self, "Cannot open %s: %s.", name, libusb_strerror(r));
    return NULL;
  }
  *detached = FALSE;
  if (libusb_kernel_driver_active(handle, c->interface) == 1) {
    r = libusb_detach_kernel_driver(handle, c->interface);
    if (r != 0) {
      set_failed(self,
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
      schedule_retry(self);
    else
      set_failed(self, "Cannot claim interface %d of %s: %s.", c->interface, name,
                 libusb_strerror(r));
    if (*detached)
      libusb_attach_kernel_driver(handle, c->interface);
    libusb_close(handle);
    return NULL;
  }
  return handle;
}

/* Takes this device as the reader's scanner when it matches. */
static void
try_attach(MusterUsbHidReader *self, libusb_device *device)
{
  Choice c = {0};
  if (self->scanner != NULL || !match_device(self, device, &c))
    return;
  g_autofree char *name = describe(device, c.name);
  gboolean detached = FALSE;
  libusb_device_handle *handle = open_and_claim(self, device, &c, name, &detached);
  if (handle == NULL)
    return;
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
    set_failed(self, "Cannot read from %s.", s->name);
    scanner_close(s);
    return;
  }
  self->scanner = s;
  self->retry_s = 0;
  self->next_enumerate_us = 0;
  muster_reader_set_state(MUSTER_READER(self), MUSTER_READER_STATE_READY, NULL);
}

/* The scanner went away or stopped answering: say so, close it, wait for the next. */
static void
lose_scanner(MusterUsbHidReader *self)
{
  Scanner *s = self->scanner;
  gsize partial = s->protocol == MUSTER_SCANNER_PROTOCOL_KEYBOARD
                      ? muster_keyboard_decoder_pending(s->keyboard)
                      : muster_hidpos_decoder_pending(s->hidpos);
  g_autofree char *message = NULL;
  if (s->gone && partial > 0) {
    g_atomic_int_inc(&self->n_discarded);
    message =
        g_strdup_printf("Scanner %s was unplugged in mid-scan: a partial scan of %" G_GSIZE_FORMAT
                        " bytes was discarded. Plug it back in and scan that item again.",
                        s->name, partial);
  } else if (s->gone) {
    message = g_strdup_printf("Scanner %s was unplugged; it is taken back when plugged in again.",
                              s->name);
  }
  self->scanner = NULL;
  if (s->gone)
    muster_reader_set_state(MUSTER_READER(self), MUSTER_READER_STATE_DISCONNECTED, message);
  else
    set_failed(self, "Scanner %s stopped answering (%u transfer errors in a row).", s->name,
               s->errors);
  scanner_close(s);
}

static void
enumerate(MusterUsbHidReader *self)
{
  libusb_device **list = NULL;
  ssize_t n = libusb_get_device_list(self->ctx, &list);
  for (ssize_t i = 0; i < n; i++)
    g_queue_push_tail(&self->arrivals, libusb_ref_device(list[i]));
  if (n >= 0)
    libusb_free_device_list(list, TRUE);
  self->next_enumerate_us = 0;
}

static int LIBUSB_CALL
on_hotplug(libusb_context *ctx, libusb_device *device, libusb_hotplug_event event, void *data)
{
  MusterUsbHidReader *self = data;
  if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
    g_queue_push_tail(&self->arrivals, libusb_ref_device(device));
  else if (self->scanner != NULL && self->scanner->device == device)
    self->scanner->gone = TRUE;
  return 0;
}

static void
take_arrivals(MusterUsbHidReader *self)
{
  libusb_device *device;
  while ((device = g_queue_pop_head(&self->arrivals)) != NULL) {
    try_attach(self, device);
    libusb_unref_device(device);
  }
}

static void
check_scanner(MusterUsbHidReader *self)
{
  Scanner *s = self->scanner;
  if (s == NULL || !(s->gone || s->failed))
    return;
  /* A cancelled transfer comes back CANCELLED or NO_DEVICE; one that does not within a
   * few rounds is dropped by libusb_close(). */
  if (s->in_flight && s->cancel_rounds++ == 0)
    libusb_cancel_transfer(s->transfer);
  else if (!s->in_flight || s->cancel_rounds > 4)
    lose_scanner(self);
}

static gpointer
event_thread(gpointer data)
{
  MusterUsbHidReader *self = data;
  enumerate(self);
  while (!g_atomic_int_get(&self->stopping)) {
    gint64 now = g_get_monotonic_time();
    if (self->scanner == NULL && self->next_enumerate_us != 0 && now >= self->next_enumerate_us)
      enumerate(self);
    take_arrivals(self);
    if (self->scanner == NULL && !self->has_hotplug && self->next_enumerate_us == 0)
      self->next_enumerate_us = now + G_USEC_PER_SEC;
    struct timeval tv = {0, EVENT_WAIT_US};
    libusb_handle_events_timeout_completed(self->ctx, &tv, &self->stopping);
    check_scanner(self);
  }
  if (self->scanner != NULL)
    scanner_close(g_steal_pointer(&self->scanner));
  g_queue_clear_full(&self->arrivals, (GDestroyNotify)libusb_unref_device);
  return NULL;
}

static gboolean
parse_match(MusterUsbHidReader *self, GError **error)
{
  self->match_any = g_strcmp0(self->match, "any") == 0;
  if (self->match_any || muster_usb_ids_parse(self->match, &self->match_vid, &self->match_pid))
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "'%s' is not a scanner to match: use \"any\" or VVVV:PPPP as lsusb prints it",
              self->match);
  return FALSE;
}

static gboolean
usb_hid_start(MusterReader *reader, GError **error)
{
  MusterUsbHidReader *self = MUSTER_USB_HID_READER(reader);
  if (self->thread != NULL)
    return TRUE;
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
    g_autofree char *message = g_strdup_printf(
        "USB is not available (%s): is /dev/bus/usb there and readable? Scanners cannot be used "
        "until it is; restart the reader then.",
        libusb_strerror(r));
    muster_reader_set_state(reader, MUSTER_READER_STATE_FAILED, message);
    return TRUE;
  }
  self->has_hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0;
  if (self->has_hotplug &&
      libusb_hotplug_register_callback(
          self->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
          self->match_any ? LIBUSB_HOTPLUG_MATCH_ANY : self->match_vid,
          self->match_any ? LIBUSB_HOTPLUG_MATCH_ANY : self->match_pid, LIBUSB_HOTPLUG_MATCH_ANY,
          on_hotplug, self, &self->hotplug) != LIBUSB_SUCCESS)
    self->has_hotplug = FALSE;
  g_atomic_int_set(&self->stopping, 0);
  self->thread = g_thread_new("muster-usbhid", event_thread, self);
  return TRUE;
}

static void
usb_hid_stop(MusterReader *reader)
{
  MusterUsbHidReader *self = MUSTER_USB_HID_READER(reader);
  if (self->thread != NULL) {
    g_atomic_int_set(&self->stopping, 1);
    libusb_interrupt_event_handler(self->ctx);
    g_thread_join(g_steal_pointer(&self->thread));
  }
  if (self->ctx != NULL) {
    if (self->has_hotplug)
      libusb_hotplug_deregister_callback(self->ctx, self->hotplug);
    libusb_exit(g_steal_pointer(&self->ctx));
  }
  g_clear_pointer(&self->table, muster_scanner_table_free);
}

static void
muster_usb_hid_reader_finalize(GObject *object)
{
  MusterUsbHidReader *self = MUSTER_USB_HID_READER(object);
  g_free(self->match);
  g_free(self->scanners_file);
  G_OBJECT_CLASS(muster_usb_hid_reader_parent_class)->finalize(object);
}

static void
muster_usb_hid_reader_class_init(MusterUsbHidReaderClass *klass)
{
  G_OBJECT_CLASS(klass)->finalize = muster_usb_hid_reader_finalize;
  MUSTER_READER_CLASS(klass)->start = usb_hid_start;
  MUSTER_READER_CLASS(klass)->stop = usb_hid_stop;
}

static void
muster_usb_hid_reader_init(MusterUsbHidReader *self)
{
  g_queue_init(&self->arrivals);
}

MusterUsbHidReader *
muster_usb_hid_reader_new(const char *id, const char *match, const char *scanners_file)
{
  g_autofree char *default_id = g_strconcat("usb-hid:", match != NULL ? match : "any", NULL);
  MusterUsbHidReader *self =
      g_object_new(MUSTER_TYPE_USB_HID_READER, "id", id != NULL ? id : default_id, "kind",
                   MUSTER_USB_HID_READER_KIND, NULL);
  self->match = g_strdup(match != NULL ? match : "any");
  self->scanners_file = g_strdup(scanners_file);
  return self;
}

guint64
muster_usb_hid_reader_get_n_malformed(MusterUsbHidReader *self)
{
  return (guint64)g_atomic_int_get(&self->n_malformed);
}

guint64
muster_usb_hid_reader_get_n_discarded(MusterUsbHidReader *self)
{
  return (guint64)g_atomic_int_get(&self->n_discarded);
}
