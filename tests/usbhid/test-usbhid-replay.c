/*
 * test-usbhid-replay.c: the USB scanner reader against scanners emulated by umockdev,
 * through the real libusb.
 *
 * Each test builds a umockdev testbed in-process (libumockdev): the device comes from a
 * .umockdev description and its reports from an .ioctl recording (one folder per
 * scanner), or, where the test needs the kernel's side or a scanner that waits, from
 * the emulator in scanner-emulator.c. Unplugs are a reap that fails with -19 (ENODEV) in the
 * recording, replugs are umockdev_testbed_remove_device() then adding the device again, which sends
 * the uevents libusb's hotplug listens to. The program must run under umockdev-wrapper (LD_PRELOAD
 * of libumockdev-preload); see CMakeLists.txt.
 *
 * Assertions are on what the reader delivers on the main loop: scan text and raw bytes,
 * state, last error and counters.
 */
#include "drivers/usbhid/usbhid-reader.h"
#include "scanner-emulator.h"
#include "umockdev-preload.h"

#include <string.h>
#include <umockdev.h>

#define WAIT_US (10 * G_USEC_PER_SEC) /* a replay takes milliseconds; this only stops a hang */

typedef struct {
  UMockdevTestbed *testbed;
  ScannerEmulator *emulator; /* NULL when the device replays a recording */
  MusterUsbhidReader *reader;
  GPtrArray *scans;    /* MusterScan* copies, in order */
  GPtrArray *errors;   /* char*: every last-error notified */
  GPtrArray *messages; /* char*: every message the reader logged */
  GMutex lock;         /* guards messages: the reader logs from its thread */
} Fixture;

static char *
data_file(const char *folder, const char *name)
{
  return g_build_filename(MUSTER_USBHID_TEST_DIR, folder, name, NULL);
}

/* Adds a device: its ioctl recording first, so the reader never opens a device node
 * that has no replay behind it yet (umockdev sends the "add" uevent while adding). */
static void
plug(Fixture *fx, const char *folder, const char *device, const char *recording,
     const char *devnode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ioctl_path = data_file(folder, recording);
  g_autofree char *device_path = data_file(folder, device);
  g_assert_true(umockdev_testbed_load_ioctl(fx->testbed, devnode, ioctl_path, &error));
  g_assert_no_error(error);
  g_assert_true(umockdev_testbed_add_from_file(fx->testbed, device_path, &error));
  g_assert_no_error(error);
}

static void
on_scan(MusterReader *reader, const MusterScan *scan, gpointer data)
{
  Fixture *fx = data;
  g_ptr_array_add(fx->scans, muster_scan_copy(scan));
}

static void
on_last_error(GObject *object, GParamSpec *pspec, gpointer data)
{
  Fixture *fx = data;
  char *error = muster_reader_dup_last_error(MUSTER_READER(object));
  if (error != NULL)
    g_ptr_array_add(fx->errors, error);
}

static void
on_log(const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  Fixture *fx = data;
  g_mutex_lock(&fx->lock);
  g_ptr_array_add(fx->messages, g_strdup(message));
  g_mutex_unlock(&fx->lock);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
  g_mutex_init(&fx->lock);
  fx->messages = g_ptr_array_new_with_free_func(g_free);
  /* The reader's state messages (the base class) and the driver's own. */
  g_log_set_handler("Muster", G_LOG_LEVEL_MESSAGE, on_log, fx);
  g_log_set_handler("Muster-usbhid", G_LOG_LEVEL_MESSAGE, on_log, fx);
  fx->testbed = umockdev_testbed_new();
  g_assert_true(umockdev_in_mock_environment());
  fx->scans = g_ptr_array_new_with_free_func((GDestroyNotify)muster_scan_free);
  fx->errors = g_ptr_array_new_with_free_func(g_free);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
  if (fx->emulator != NULL)
    scanner_emulator_let_go(fx->emulator);
  if (fx->reader != NULL) {
    muster_reader_stop(MUSTER_READER(fx->reader));
    g_object_unref(fx->reader);
  }
  while (g_main_context_iteration(NULL, FALSE))
    ;
  scanner_emulator_free(fx->emulator);
  g_ptr_array_unref(fx->scans);
  g_ptr_array_unref(fx->errors);
  g_log_set_handler("Muster", G_LOG_LEVEL_MESSAGE, g_log_default_handler, NULL);
  g_log_set_handler("Muster-usbhid", G_LOG_LEVEL_MESSAGE, g_log_default_handler, NULL);
  g_ptr_array_unref(fx->messages);
  g_mutex_clear(&fx->lock);
  g_object_unref(fx->testbed);
}

static void
start_reader(Fixture *fx, const char *scanners_file)
{
  fx->reader = muster_usbhid_reader_new(NULL, "any", scanners_file);
  g_signal_connect(fx->reader, "scan", G_CALLBACK(on_scan), fx);
  g_signal_connect(fx->reader, "notify::last-error", G_CALLBACK(on_last_error), fx);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(MUSTER_READER(fx->reader), &error));
  g_assert_no_error(error);
}

typedef gboolean (*Predicate)(Fixture *fx, gconstpointer arg);

/* Runs the main loop until pred holds; fails the test when it never does. */
static void
wait_for(Fixture *fx, Predicate pred, gconstpointer arg, const char *what)
{
  gint64 deadline = g_get_monotonic_time() + WAIT_US;
  while (!pred(fx, arg)) {
    if (g_get_monotonic_time() > deadline)
      g_error("timed out waiting for %s (state %s, %u scans)", what,
              muster_reader_state_to_string(muster_reader_get_state(MUSTER_READER(fx->reader))),
              fx->scans->len);
    if (!g_main_context_iteration(NULL, FALSE))
      g_usleep(1000);
  }
}

static gboolean
state_is(Fixture *fx, gconstpointer state)
{
  return muster_reader_get_state(MUSTER_READER(fx->reader)) ==
         (MusterReaderState)GPOINTER_TO_INT(state);
}

static gboolean
has_scans(Fixture *fx, gconstpointer n)
{
  return fx->scans->len >= (guint)GPOINTER_TO_UINT(n);
}

/* The state is read at once while scans are delivered through the main loop; what the
 * reader queued before the change is dispatched before returning. */
static void
wait_state(Fixture *fx, MusterReaderState state)
{
  wait_for(fx, state_is, GINT_TO_POINTER(state), muster_reader_state_to_string(state));
  while (g_main_context_iteration(NULL, FALSE))
    ;
}

static const MusterScan *
scan_at(Fixture *fx, guint i)
{
  g_assert_cmpuint(i, <, fx->scans->len);
  return g_ptr_array_index(fx->scans, i);
}

static void
assert_raw(const MusterScan *scan, const char *want)
{
  gsize len = 0;
  const void *data = g_bytes_get_data(scan->raw, &len);
  g_assert_cmpmem(data, len, want, strlen(want));
}

/* Whether a last error notified, or a message logged, says this. */
static gboolean
errors_mention(Fixture *fx, const char *fragment)
{
  for (guint i = 0; i < fx->errors->len; i++)
    if (strstr(g_ptr_array_index(fx->errors, i), fragment) != NULL)
      return TRUE;
  g_mutex_lock(&fx->lock);
  gboolean found = FALSE;
  for (guint i = 0; i < fx->messages->len && !found; i++)
    found = strstr(g_ptr_array_index(fx->messages, i), fragment) != NULL;
  g_mutex_unlock(&fx->lock);
  return found;
}

static void
assert_last_error(Fixture *fx, const char *fragment)
{
  g_autofree char *error = muster_reader_dup_last_error(MUSTER_READER(fx->reader));
  g_assert_nonnull(error);
  if (strstr(error, fragment) == NULL)
    g_error("last error '%s' does not mention '%s'", error, fragment);
}

/* Replays a recording of the keyboard-wedge test scanner until its unplug. */
static void
replay_keyboard(Fixture *fx, const char *recording)
{
  plug(fx, "zebra-keyboard", "device.umockdev", recording, "/dev/bus/usb/001/002");
  start_reader(fx, NULL);
  wait_state(fx, MUSTER_READER_STATE_DISCONNECTED);
}

/* Shifted letters, ISO/IEC 15434 with GS/RS/EOT as Ctrl+] Ctrl+^ Ctrl+D, and Alt+keypad
 * codes, each ended by Enter; then the scanner is unplugged between scans. */
static void
test_keyboard_scans(Fixture *fx, gconstpointer data)
{
  plug(fx, "zebra-keyboard", "device.umockdev", "three-scans.ioctl", "/dev/bus/usb/001/002");
  start_reader(fx, NULL);
  wait_for(fx, has_scans, GUINT_TO_POINTER(3), "three scans");
  wait_state(fx, MUSTER_READER_STATE_DISCONNECTED);

  g_assert_cmpuint(fx->scans->len, ==, 3);
  const MusterScan *serial = scan_at(fx, 0);
  g_assert_cmpstr(serial->text, ==, "gl-123456");
  assert_raw(serial, "gl-123456");
  g_assert_cmpstr(serial->reader, ==, "usb-hid:any");
  g_assert_cmpstr(serial->reader_kind, ==, "usb-hid");
  g_assert_null(serial->symbology);
  g_assert_cmpstr(serial->marking_value, ==, "GL-123456");

  const MusterScan *envelope = scan_at(fx, 1);
  assert_raw(envelope, "[)>\x1e"
                       "06\x1d"
                       "17VABC12\x1d"
                       "1PMP5A3\x1d"
                       "S03-933905\x1e\x04");
  /* Kept whole, the separators let the envelope parse into a MIL-STD-130 UII. */
  g_assert_cmpstr(envelope->marking_kind, ==, "datamatrix_uii");
  g_assert_cmpstr(envelope->marking_value, ==, "DABC12MP5A303-933905");

  const MusterScan *alt = scan_at(fx, 2);
  assert_raw(alt, "AB\x1d"
                  "cd\x1e");
  g_assert_null(alt->marking_value); /* separators without an envelope: said, not guessed */
  g_assert_nonnull(alt->problem);

  assert_last_error(fx, "was unplugged");
  g_assert_false(errors_mention(fx, "partial"));
  g_assert_cmpuint(muster_usbhid_reader_get_n_discarded(fx->reader), ==, 0);
  g_assert_cmpuint(muster_usbhid_reader_get_n_malformed(fx->reader), ==, 0);
  g_assert_cmpuint(muster_reader_get_n_scans(MUSTER_READER(fx->reader)), ==, 3);
}

/* Unplugged after "HA11" without its Enter: nothing is delivered, the partial scan is
 * reported; plugged back in (new device number, through hotplug) it scans again. */
static void
test_unplug_mid_scan_then_replug(Fixture *fx, gconstpointer data)
{
  replay_keyboard(fx, "unplug-mid-scan.ioctl");
  g_assert_cmpuint(fx->scans->len, ==, 0);
  assert_last_error(fx, "unplugged in mid-scan: a partial scan of 4 bytes was discarded");
  g_assert_cmpuint(muster_usbhid_reader_get_n_discarded(fx->reader), ==, 1);

  umockdev_testbed_remove_device(fx->testbed, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2");
  plug(fx, "zebra-keyboard", "replugged.umockdev", "replugged-scan.ioctl", "/dev/bus/usb/001/003");
  wait_for(fx, has_scans, GUINT_TO_POINTER(1), "the scan after the replug");
  g_assert_cmpstr(scan_at(fx, 0)->text, ==, "HA112");
  g_assert_cmpstr(scan_at(fx, 0)->marking_value, ==, "HA112");
  /* The replugged recording ends with an unplug between scans. */
  wait_state(fx, MUSTER_READER_STATE_DISCONNECTED);
  g_assert_cmpuint(fx->scans->len, ==, 1);
  g_assert_cmpuint(muster_usbhid_reader_get_n_discarded(fx->reader), ==, 1);
  assert_last_error(fx, "bus 1 device 3");
}

/* A rollover error report, a 5-byte report and an Alt code beyond 255 are counted and
 * reported; the scans around them come through whole. */
static void
test_malformed_reports(Fixture *fx, gconstpointer data)
{
  replay_keyboard(fx, "malformed.ioctl");
  g_assert_cmpuint(fx->scans->len, ==, 2);
  g_assert_cmpstr(scan_at(fx, 0)->text, ==, "X1Y");
  g_assert_cmpstr(scan_at(fx, 1)->text, ==, "Z9");
  g_assert_cmpuint(muster_usbhid_reader_get_n_malformed(fx->reader), ==, 3);
  g_assert_true(errors_mention(fx, "rollover error report"));
  g_assert_true(errors_mention(fx, "a keyboard report of 5 bytes"));
  g_assert_true(errors_mention(fx, "Alt+999"));
  g_assert_true(errors_mention(fx, "(3 malformed reports so far)"));
}

/* Replays a recording of the HID POS test scanner until its unplug. */
static void
replay_hidpos(Fixture *fx, const char *recording)
{
  g_autofree char *table = data_file("hidpos-scanner", "scanners.conf");
  plug(fx, "hidpos-scanner", "device.umockdev", recording, "/dev/bus/usb/001/004");
  start_reader(fx, table);
  wait_state(fx, MUSTER_READER_STATE_DISCONNECTED);
}

/* HID POS: a Data Matrix with ISO/IEC 15434 data in one report, a status report that is
 * no scan, a report whose length overruns it, and a 100-byte Code 128 in two reports
 * joined by the continued flag. */
static void
test_hidpos_scans(Fixture *fx, gconstpointer data)
{
  replay_hidpos(fx, "two-scans.ioctl");
  g_assert_cmpuint(fx->scans->len, ==, 2);

  /* raw is the identifier the report carried and the data (docs/scan-data.md) */
  const MusterScan *matrix = scan_at(fx, 0);
  assert_raw(matrix, "]d1[)>\x1e"
                     "06\x1d"
                     "17VABC12\x1d"
                     "SX1\x1e\x04");
  g_assert_cmpstr(matrix->text, ==, "[)>\x1e" "06\x1d" "17VABC12\x1d" "SX1\x1e\x04");
  g_assert_cmpstr(matrix->symbology, ==, "datamatrix");
  g_assert_cmpstr(matrix->marking_value, ==, "DABC12X1");

  g_autoptr(GString) want = g_string_new(NULL);
  for (int i = 1; i <= 25; i++)
    g_string_append_printf(want, "C%03d", i);
  const MusterScan *long_scan = scan_at(fx, 1);
  g_assert_cmpstr(long_scan->symbology, ==, "code128");
  g_assert_cmpstr(long_scan->text, ==, want->str);
  g_assert_cmpuint(muster_usbhid_reader_get_n_malformed(fx->reader), ==, 1);
  g_assert_true(errors_mention(fx, "claiming 200 data bytes in a 58-byte data area"));
  assert_last_error(fx, "Test HID POS scanner (0c2e:fff0, bus 1 device 4) was unplugged");
}

/* The GS1 Data Matrix both recordings carry, as every reader must deliver it. */
static void
assert_gs1_scan(const MusterScan *scan)
{
  assert_raw(scan, "]d20109506000134352" "10LOT7\x1d" "21ABC123");
  g_assert_cmpstr(scan->text, ==, "0109506000134352" "10LOT7\x1d" "21ABC123");
  g_assert_cmpstr(scan->symbology, ==, "gs1-datamatrix");
  g_assert_cmpstr(scan->payload_format, ==, "gs1");
  g_assert_cmpstr(scan->marking_kind, ==, "datamatrix_uii");
  g_assert_cmpstr(scan->marking_value, ==, "09506000134352ABC123");
  g_assert_null(scan->problem);
}

/* HID POS with AIM identifiers: GS1 data is known by "]d2"; data GS1's engine refuses and
 * an unknown identifier are delivered, with the reason, and unmarked. */
static void
test_hidpos_gs1(Fixture *fx, gconstpointer data)
{
  replay_hidpos(fx, "gs1-scans.ioctl");
  g_assert_cmpuint(fx->scans->len, ==, 3);
  assert_gs1_scan(scan_at(fx, 0));
  const MusterScan *refused = scan_at(fx, 1);
  g_assert_null(refused->marking_value);
  g_assert_cmpstr(refused->payload_format, ==, "gs1");
  g_assert_nonnull(strstr(refused->problem, "GS1 data failed GS1's checks"));
  const MusterScan *unknown = scan_at(fx, 2);
  assert_raw(unknown, "]w1GL-1");
  g_assert_null(unknown->marking_value);
  g_assert_nonnull(strstr(unknown->problem, "]w1"));
}

/* A wedge scanner typing "]d2" and Ctrl+] for GS delivers the same scan as HID POS. */
static void
test_keyboard_gs1(Fixture *fx, gconstpointer data)
{
  replay_keyboard(fx, "gs1-scan.ioctl");
  g_assert_cmpuint(fx->scans->len, ==, 1);
  assert_gs1_scan(scan_at(fx, 0));
}

/* Unplugged after the first report of a scan flagged continued: the 58 bytes received
 * are discarded, not delivered as a scan. */
static void
test_hidpos_unplug_mid_scan(Fixture *fx, gconstpointer data)
{
  replay_hidpos(fx, "unplug-mid-scan.ioctl");
  g_assert_cmpuint(fx->scans->len, ==, 0);
  assert_last_error(fx, "unplugged in mid-scan: a partial scan of 58 bytes was discarded");
  g_assert_cmpuint(muster_usbhid_reader_get_n_discarded(fx->reader), ==, 1);
}

static gboolean
scans_settled(Fixture *fx, gconstpointer data)
{
  return muster_reader_get_n_scans(MUSTER_READER(fx->reader)) >= 5;
}

/* A scanner scanning without end: stop() returns, nothing arrives after it, and under
 * ASan nothing leaks (the transfer in flight is cancelled and freed). */
static void
test_stop_while_scanning(Fixture *fx, gconstpointer data)
{
  plug(fx, "zebra-keyboard", "device.umockdev", "endless.ioctl", "/dev/bus/usb/001/002");
  start_reader(fx, NULL);
  wait_for(fx, scans_settled, NULL, "five scans");
  muster_reader_stop(MUSTER_READER(fx->reader));
  guint seen = fx->scans->len;
  while (g_main_context_iteration(NULL, FALSE))
    ;
  g_assert_cmpuint(fx->scans->len, ==, seen);
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(fx->reader)), ==,
                  MUSTER_READER_STATE_STOPPED);
  for (guint i = 0; i < fx->scans->len; i++)
    g_assert_cmpstr(scan_at(fx, i)->text, ==, "LOOP-1");
}

/* A HID device that is neither listed nor a boot keyboard (the HID POS scanner without
 * its table entry) is left alone: the reader keeps looking. */
static void
test_unlisted_device_ignored(Fixture *fx, gconstpointer data)
{
  plug(fx, "hidpos-scanner", "device.umockdev", "two-scans.ioctl", "/dev/bus/usb/001/004");
  start_reader(fx, NULL);
  gint64 until = g_get_monotonic_time() + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time() < until)
    if (!g_main_context_iteration(NULL, FALSE))
      g_usleep(1000);
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(fx->reader)), ==,
                  MUSTER_READER_STATE_OPENING);
  g_assert_cmpuint(fx->scans->len, ==, 0);
}

static gboolean
emulator_reading(Fixture *fx, gconstpointer data)
{
  return muster_reader_get_state(MUSTER_READER(fx->reader)) == MUSTER_READER_STATE_READY &&
         scanner_emulator_reading(fx->emulator);
}

/* The kernel's keyboard driver (usbhid) holds the interface when the scanner arrives:
 * the reader detaches it before claiming, so no scan reaches the kiosk as keystrokes,
 * reads a scan that waited for nothing, and gives the interface back when it stops. */
static void
test_kernel_driver_detached(Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  fx->emulator = scanner_emulator_new(fx->testbed, "/dev/bus/usb/001/002", &error);
  g_assert_no_error(error);
  g_autofree char *device = data_file("zebra-keyboard", "device.umockdev");
  g_assert_true(umockdev_testbed_add_from_file(fx->testbed, device, &error));
  g_assert_true(scanner_emulator_kernel_driver_bound(fx->emulator));
  start_reader(fx, NULL);
  wait_for(fx, emulator_reading, NULL, "the reader reading the emulated scanner");
  g_assert_false(scanner_emulator_kernel_driver_bound(fx->emulator));

  scanner_emulator_type(fx->emulator, "MP5-A3");
  wait_for(fx, has_scans, GUINT_TO_POINTER(1), "the typed scan");
  g_assert_cmpstr(scan_at(fx, 0)->text, ==, "MP5-A3");

  scanner_emulator_let_go(fx->emulator);
  muster_reader_stop(MUSTER_READER(fx->reader));
  g_assert_true(scanner_emulator_kernel_driver_bound(fx->emulator));
  g_assert_cmpuint(fx->scans->len, ==, 1);
}

/* A match that is not VVVV:PPPP is a configuration error, said at start. */
static void
test_bad_match(void)
{
  g_autoptr(MusterUsbhidReader) reader = muster_usbhid_reader_new(NULL, "zebra", NULL);
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_reader_start(MUSTER_READER(reader), &error));
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "VVVV:PPPP"));
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(reader)), ==, MUSTER_READER_STATE_STOPPED);
}

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  umockdev_preload_require();
  ADD("/usbhid/keyboard/scans", test_keyboard_scans);
  ADD("/usbhid/keyboard/unplug-mid-scan-then-replug", test_unplug_mid_scan_then_replug);
  ADD("/usbhid/keyboard/malformed-reports", test_malformed_reports);
  ADD("/usbhid/keyboard/stop-while-scanning", test_stop_while_scanning);
  ADD("/usbhid/keyboard/kernel-driver-detached", test_kernel_driver_detached);
  ADD("/usbhid/hidpos/scans", test_hidpos_scans);
  ADD("/usbhid/hidpos/unplug-mid-scan", test_hidpos_unplug_mid_scan);
  ADD("/usbhid/hidpos/gs1", test_hidpos_gs1);
  ADD("/usbhid/keyboard/gs1", test_keyboard_gs1);
  ADD("/usbhid/hidpos/unlisted-ignored", test_unlisted_device_ignored);
  g_test_add_func("/usbhid/bad-match", test_bad_match);
  return g_test_run();
}
