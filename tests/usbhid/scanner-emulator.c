/*
 * scanner-emulator.c: the usbfs side of an emulated keyboard-wedge scanner (see
 * scanner-emulator.h).
 *
 * One URB in flight at a time, as the reader submits it. A reap with no report waits
 * ("parked") until one is typed, the URB is discarded or the device is unplugged:
 * answering EAGAIN instead would make libusb spin, since an emulated device node is
 * always ready to poll. Ioctls it does not know get umockdev's ENOTTY.
 */
#include "scanner-emulator.h"

#include <errno.h>
#include <linux/usbdevice_fs.h>
#include <string.h>
#include <sys/ioctl.h>

typedef struct {
  guint8 data[8];
  gboolean last; /* the report that completes a scan */
} Report;

struct _ScannerEmulator {
  UMockdevIoctlBase *handler;
  GMainContext *context; /* umockdev's handler thread, known at the first ioctl */
  GMutex lock;           /* guards context, last_report_us */
  gint64 last_report_us;
  gint reading;      /* atomic */
  gint driver_bound; /* atomic */
  /* Handler thread only. */
  UMockdevIoctlData *urb; /* the URB in flight, NULL when none */
  gboolean urb_control;
  gboolean discarded;
  gboolean unplugged;
  gboolean draining;
  UMockdevIoctlClient *parked;
  GQueue reports; /* Report* */
};

static void
complete(UMockdevIoctlClient *client, long ret, int err)
{
  umockdev_ioctl_client_complete(client, ret, err);
}

static void
deliver(ScannerEmulator *em, UMockdevIoctlClient *client)
{
  struct usbdevfs_urb *urb = (struct usbdevfs_urb *)em->urb->data;
  urb->status = 0;
  urb->actual_length = 0;
  if (em->unplugged) {
    urb->status = -ENODEV;
  } else if (em->discarded) {
    urb->status = -ENOENT;
  } else if (!em->urb_control) {
    Report *report = g_queue_pop_head(&em->reports);
    int n = MIN(urb->buffer_length, (int)sizeof report->data);
    memcpy(urb->buffer, report->data, (gsize)n);
    urb->actual_length = n;
    if (report->last) {
      g_mutex_lock(&em->lock);
      em->last_report_us = g_get_monotonic_time();
      g_mutex_unlock(&em->lock);
    }
    g_free(report);
  }
  g_autoptr(UMockdevIoctlData) ptr =
      umockdev_ioctl_data_resolve(umockdev_ioctl_client_get_arg(client), 0, sizeof(gpointer), NULL);
  umockdev_ioctl_data_set_ptr(ptr, 0, em->urb);
  g_clear_pointer(&em->urb, umockdev_ioctl_data_unref);
  g_atomic_int_set(&em->reading, FALSE);
  complete(client, 0, 0);
}

static gboolean
reap_ready(ScannerEmulator *em)
{
  return em->urb != NULL &&
         (em->urb_control || em->discarded || em->unplugged || !g_queue_is_empty(&em->reports));
}

static void
wake_parked(ScannerEmulator *em)
{
  if (em->parked != NULL && reap_ready(em)) {
    g_autoptr(UMockdevIoctlClient) parked = g_steal_pointer(&em->parked);
    deliver(em, parked);
  }
}

static void
submit(ScannerEmulator *em, UMockdevIoctlClient *client)
{
  UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
  g_autoptr(UMockdevIoctlData) urb_data =
      umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
  struct usbdevfs_urb *urb = (struct usbdevfs_urb *)urb_data->data;
  /* Resolving the buffer makes urb->buffer a local copy, written back on completion. */
  g_autoptr(UMockdevIoctlData) buffer = umockdev_ioctl_data_resolve(
      urb_data, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer), (gsize)urb->buffer_length, NULL);
  g_clear_pointer(&em->urb, umockdev_ioctl_data_unref);
  em->urb = umockdev_ioctl_data_ref(urb_data);
  em->urb_control = urb->type == USBDEVFS_URB_TYPE_CONTROL;
  em->discarded = FALSE;
  if (!em->urb_control)
    g_atomic_int_set(&em->reading, TRUE);
  complete(client, 0, 0);
}

static void
reap(ScannerEmulator *em, UMockdevIoctlClient *client)
{
  if (reap_ready(em))
    deliver(em, client);
  else if (em->urb == NULL || em->draining)
    complete(client, -1, EAGAIN);
  else
    em->parked = g_object_ref(client); /* until a report comes: the reader waits */
}

static void
discard(ScannerEmulator *em, UMockdevIoctlClient *client)
{
  if (em->urb == NULL) {
    complete(client, -1, EINVAL);
    return;
  }
  em->discarded = TRUE;
  complete(client, 0, 0);
  wake_parked(em);
}

/* GETDRIVER: which driver holds the interface (ENODATA: none). */
static void
get_driver(ScannerEmulator *em, UMockdevIoctlClient *client)
{
  if (!g_atomic_int_get(&em->driver_bound)) {
    complete(client, -1, ENODATA);
    return;
  }
  g_autoptr(UMockdevIoctlData) data = umockdev_ioctl_data_resolve(
      umockdev_ioctl_client_get_arg(client), 0, sizeof(struct usbdevfs_getdriver), NULL);
  struct usbdevfs_getdriver *getdriver = (struct usbdevfs_getdriver *)data->data;
  g_strlcpy(getdriver->driver, "usbhid", sizeof getdriver->driver);
  complete(client, 0, 0);
}

/* USBDEVFS_IOCTL: DISCONNECT unbinds the kernel driver, CONNECT binds it again. */
static void
driver_ioctl(ScannerEmulator *em, UMockdevIoctlClient *client)
{
  g_autoptr(UMockdevIoctlData) data = umockdev_ioctl_data_resolve(
      umockdev_ioctl_client_get_arg(client), 0, sizeof(struct usbdevfs_ioctl), NULL);
  struct usbdevfs_ioctl *command = (struct usbdevfs_ioctl *)data->data;
  gboolean bound = g_atomic_int_get(&em->driver_bound);
  if (command->ioctl_code == (int)USBDEVFS_DISCONNECT && bound) {
    g_atomic_int_set(&em->driver_bound, FALSE);
    complete(client, 0, 0);
  } else if (command->ioctl_code == (int)USBDEVFS_CONNECT && !bound) {
    g_atomic_int_set(&em->driver_bound, TRUE);
    complete(client, 0, 0);
  } else {
    complete(client, -1, ENODATA);
  }
}

static gboolean
on_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
  ScannerEmulator *em = data;
  g_mutex_lock(&em->lock);
  if (em->context == NULL)
    em->context = g_main_context_ref_thread_default();
  g_mutex_unlock(&em->lock);
  if (em->unplugged) {
    complete(client, -1, ENODEV);
    return TRUE;
  }
  switch (umockdev_ioctl_client_get_request(client)) {
  case USBDEVFS_CLAIMINTERFACE:
    /* The kernel refuses a claim while its own driver holds the interface. */
    complete(client, g_atomic_int_get(&em->driver_bound) ? -1 : 0,
             g_atomic_int_get(&em->driver_bound) ? EBUSY : 0);
    return TRUE;
  case USBDEVFS_RELEASEINTERFACE:
  case USBDEVFS_CLEAR_HALT: complete(client, 0, 0); return TRUE;
  case USBDEVFS_GETDRIVER: get_driver(em, client); return TRUE;
  case USBDEVFS_IOCTL: driver_ioctl(em, client); return TRUE;
  case USBDEVFS_SUBMITURB: submit(em, client); return TRUE;
  case USBDEVFS_REAPURB:
  case USBDEVFS_REAPURBNDELAY: reap(em, client); return TRUE;
  case USBDEVFS_DISCARDURB: discard(em, client); return TRUE;
  default: return FALSE;
  }
}

ScannerEmulator *
scanner_emulator_new(UMockdevTestbed *testbed, const char *devnode, GError **error)
{
  ScannerEmulator *em = g_new0(ScannerEmulator, 1);
  g_mutex_init(&em->lock);
  g_queue_init(&em->reports);
  em->driver_bound = TRUE;
  em->handler = umockdev_ioctl_base_new();
  g_signal_connect(em->handler, "handle-ioctl", G_CALLBACK(on_ioctl), em);
  if (!umockdev_testbed_attach_ioctl(testbed, devnode, em->handler, error)) {
    scanner_emulator_free(em);
    return NULL;
  }
  return em;
}

/* One call handed to the handler thread, waited for. */
typedef struct {
  GSourceFunc func;
  gpointer data;
  GMutex lock;
  GCond cond;
  gboolean done;
} Call;

static gboolean
run_call(gpointer data)
{
  Call *call = data;
  call->func(call->data);
  g_mutex_lock(&call->lock);
  call->done = TRUE;
  g_cond_signal(&call->cond);
  g_mutex_unlock(&call->lock);
  return G_SOURCE_REMOVE;
}

/* Runs func on the handler thread and waits for it, so nothing is left queued that
 * could outlive the emulator. */
static void
run_on_handler(ScannerEmulator *em, GSourceFunc func, gpointer data)
{
  g_mutex_lock(&em->lock);
  GMainContext *context = em->context != NULL ? g_main_context_ref(em->context) : NULL;
  g_mutex_unlock(&em->lock);
  if (context == NULL) {
    func(data); /* no client yet: the handler thread has nothing of ours */
    return;
  }
  Call call = {.func = func, .data = data};
  g_mutex_init(&call.lock);
  g_cond_init(&call.cond);
  g_main_context_invoke(context, run_call, &call);
  g_mutex_lock(&call.lock);
  while (!call.done)
    g_cond_wait(&call.cond, &call.lock);
  g_mutex_unlock(&call.lock);
  g_mutex_clear(&call.lock);
  g_cond_clear(&call.cond);
  g_main_context_unref(context);
}

static gboolean
drain(gpointer data)
{
  ScannerEmulator *em = data;
  em->draining = TRUE;
  if (em->parked != NULL) {
    g_autoptr(UMockdevIoctlClient) parked = g_steal_pointer(&em->parked);
    complete(parked, -1, EAGAIN);
  }
  return G_SOURCE_REMOVE;
}

void
scanner_emulator_let_go(ScannerEmulator *em)
{
  run_on_handler(em, drain, em);
}

void
scanner_emulator_free(ScannerEmulator *em)
{
  if (em == NULL)
    return;
  g_signal_handlers_disconnect_by_data(em->handler, em);
  g_clear_object(&em->handler);
  g_clear_pointer(&em->urb, umockdev_ioctl_data_unref);
  g_clear_object(&em->parked);
  g_queue_clear_full(&em->reports, g_free);
  if (em->context != NULL)
    g_main_context_unref(em->context);
  g_mutex_clear(&em->lock);
  g_free(em);
}

gboolean
scanner_emulator_reading(ScannerEmulator *em)
{
  return g_atomic_int_get(&em->reading);
}

gboolean
scanner_emulator_kernel_driver_bound(ScannerEmulator *em)
{
  return g_atomic_int_get(&em->driver_bound);
}

gint64
scanner_emulator_last_report_us(ScannerEmulator *em)
{
  g_mutex_lock(&em->lock);
  gint64 t = em->last_report_us;
  g_mutex_unlock(&em->lock);
  return t;
}

typedef struct {
  ScannerEmulator *em;
  GPtrArray *reports;
} Push;

static gboolean
push(gpointer data)
{
  Push *p = data;
  for (guint i = 0; i < p->reports->len; i++)
    g_queue_push_tail(&p->em->reports, g_ptr_array_index(p->reports, i));
  g_ptr_array_unref(p->reports);
  wake_parked(p->em);
  g_free(p);
  return G_SOURCE_REMOVE;
}

static void
add_report(GPtrArray *reports, guint8 modifier, guint8 usage, gboolean last)
{
  Report *report = g_new0(Report, 1);
  report->data[0] = modifier;
  report->data[2] = usage;
  report->last = last;
  g_ptr_array_add(reports, report);
}

static guint8
usage_of(char c, guint8 *modifier)
{
  *modifier = g_ascii_isupper(c) ? 0x02 : 0;
  if (g_ascii_isalpha(c))
    return (guint8)(0x04 + g_ascii_tolower(c) - 'a');
  if (c == '-')
    return 0x2D;
  if (c == '0')
    return 0x27;
  g_assert(c >= '1' && c <= '9');
  return (guint8)(0x1E + c - '1');
}

void
scanner_emulator_type(ScannerEmulator *em, const char *text)
{
  Push *p = g_new0(Push, 1);
  p->em = em;
  p->reports = g_ptr_array_new();
  for (const char *c = text; *c != '\0'; c++) {
    guint8 modifier;
    guint8 usage = usage_of(*c, &modifier);
    add_report(p->reports, modifier, usage, FALSE);
    add_report(p->reports, 0, 0, FALSE);
  }
  add_report(p->reports, 0, 0x28, TRUE); /* Enter */
  add_report(p->reports, 0, 0, FALSE);
  run_on_handler(em, push, p);
}

static gboolean
unplug(gpointer data)
{
  ScannerEmulator *em = data;
  em->unplugged = TRUE;
  wake_parked(em);
  return G_SOURCE_REMOVE;
}

void
scanner_emulator_unplug(ScannerEmulator *em)
{
  run_on_handler(em, unplug, em);
}
