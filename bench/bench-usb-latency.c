/*
 * bench-usb-latency.c: USB barcode scanner latency and idle cost (issue 3, "Benchmark").
 *
 *   umockdev-wrapper muster-bench-usb-latency [--quick]
 *
 * Drives the real reader (drivers/usbhid, through libusb) against a keyboard-wedge
 * scanner emulated in-process behind umockdev (tests/usbhid/scanner-emulator.c). The
 * emulator holds each reap until the benchmark "scans", as a real scanner does: a
 * recording would be replayed as fast as libusb reaps it, and could show neither when a
 * report arrives nor what the reader costs while nothing happens.
 *
 * Figures (key=value lines, then a summary):
 *  - latency: from the emulator handing the scan's last report (the Enter key) to
 *    libusb, to the "scan" signal on the main loop (decode, marking parse, delivery).
 *    It includes umockdev's socket round trip, so it overstates the real figure.
 *  - idle CPU of the whole process with the scanner attached and nothing scanned. The
 *    reader's thread then waits in the emulated reap (on real hardware: in poll(),
 *    woken every 500 ms by its bound).
 *  - idle CPU with no scanner attached (waiting for a hotplug): the thread's poll() with
 *    its 500 ms bound, the real path.
 * Goals: latency p99 ≤ 50 ms (a scan is in the count "within a fraction of a second");
 * idle CPU ≤ 1 % of one core in both (no busy loop).
 */
#include "drivers/usbhid/usbhid-reader.h"
#include "harness.h"
#include "scanner-emulator.h"

#include <stdio.h>

#define DEVNODE "/dev/bus/usb/001/002"
#define SYSFS_PATH "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2"
#define WAIT_US (5 * G_USEC_PER_SEC)
#define GOAL_P99_MS 50.0
#define GOAL_IDLE_PERCENT 1.0

typedef struct {
  UMockdevTestbed *testbed;
  ScannerEmulator *emulator;
  MusterUsbhidReader *reader;
  GArray *latencies_ms; /* double, one per scan */
  guint want_scans;
} Bench;

static void
on_scan(MusterReader *reader, const MusterScan *scan, gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time();
  double ms = (double)(now - scanner_emulator_last_report_us(b->emulator)) / 1000.0;
  g_array_append_val(b->latencies_ms, ms);
}

/* Runs the main loop until done(b); FALSE after timeout_us. */
static gboolean
run_until(gboolean (*done)(Bench *), Bench *b)
{
  gint64 deadline = g_get_monotonic_time() + WAIT_US;
  while (!done(b)) {
    if (g_get_monotonic_time() > deadline)
      return FALSE;
    if (!g_main_context_iteration(NULL, FALSE))
      g_usleep(100);
  }
  return TRUE;
}

static gboolean
is_reading(Bench *b)
{
  return muster_reader_get_state(MUSTER_READER(b->reader)) == MUSTER_READER_STATE_READY &&
         scanner_emulator_reading(b->emulator);
}

static gboolean
is_disconnected(Bench *b)
{
  return muster_reader_get_state(MUSTER_READER(b->reader)) == MUSTER_READER_STATE_DISCONNECTED;
}

static gboolean
all_seen(Bench *b)
{
  return b->latencies_ms->len >= b->want_scans;
}

/* CPU used by the whole process while its main loop idles, in % of one core. */
static double
idle_cpu_percent(double seconds)
{
  double cpu0 = bench_cpu_seconds();
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  g_timeout_add_once((guint)(seconds * 1000), (GSourceOnceFunc)g_main_loop_quit, loop);
  g_main_loop_run(loop);
  return (bench_cpu_seconds() - cpu0) / seconds * 100.0;
}

static gboolean
timed_out(GError **error, const char *what)
{
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s (after %d s)", what,
              (int)(WAIT_US / G_USEC_PER_SEC));
  return FALSE;
}

static gboolean
attach(Bench *b, GError **error)
{
  g_autofree char *device =
      g_build_filename(MUSTER_USBHID_TEST_DIR, "zebra-keyboard", "device.umockdev", NULL);
  b->emulator = scanner_emulator_new(b->testbed, DEVNODE, error);
  if (b->emulator == NULL || !umockdev_testbed_add_from_file(b->testbed, device, error))
    return FALSE;
  b->reader = muster_usbhid_reader_new(NULL, "any", NULL);
  g_signal_connect(b->reader, "scan", G_CALLBACK(on_scan), b);
  if (!muster_reader_start(MUSTER_READER(b->reader), error))
    return FALSE;
  return run_until(is_reading, b) || timed_out(error, "the emulated scanner was not taken");
}

static gboolean
measure(Bench *b, guint n_scans, double idle_seconds, GError **error)
{
  if (!attach(b, error))
    return FALSE;
  for (guint i = 0; i < n_scans; i++) {
    g_autofree char *text = g_strdup_printf("SN-%06u", i);
    b->want_scans = i + 1;
    scanner_emulator_type(b->emulator, text);
    if (!run_until(all_seen, b))
      return timed_out(error, "a scan never arrived");
  }
  double median = bench_percentile(b->latencies_ms, 0.5);
  double p99 = bench_percentile(b->latencies_ms, 0.99);
  printf("scans=%u\n", n_scans);
  printf("latency_median_ms=%.3f\n", median);
  printf("latency_p99_ms=%.3f\n", p99);
  printf("latency_max_ms=%.3f\n", bench_percentile(b->latencies_ms, 1.0));
  double attached = idle_cpu_percent(idle_seconds);
  printf("idle_attached_cpu_percent=%.3f\n", attached);

  /* Unplugged: the reader goes back to waiting for a hotplug. */
  scanner_emulator_unplug(b->emulator);
  umockdev_testbed_remove_device(b->testbed, SYSFS_PATH);
  if (!run_until(is_disconnected, b))
    return timed_out(error, "the unplug was not noticed");
  double detached = idle_cpu_percent(idle_seconds);
  printf("idle_detached_cpu_percent=%.3f\n", detached);
  printf("idle_seconds=%.1f\n", idle_seconds);

  double idle = attached + detached; /* NaN if either is */
  BenchVerdict v_latency = bench_goal("latency", p99, p99 <= GOAL_P99_MS);
  BenchVerdict v_idle = bench_goal("idle", idle, MAX(attached, detached) <= GOAL_IDLE_PERCENT);
  printf("\nUSB scanner, report → scan event: median %.3f ms, p99 %.3f ms over %u scans "
         "(goal p99 ≤ %.0f ms): %s\n",
         median, p99, n_scans, GOAL_P99_MS, bench_verdict_text(v_latency));
  printf("Idle CPU over %.0f s: %.2f %% with a scanner attached, %.2f %% with none "
         "(goal ≤ %.0f %%): %s\n",
         idle_seconds, attached, detached, GOAL_IDLE_PERCENT, bench_verdict_text(v_idle));
  bench_print_result(TRUE, "USB latency");
  return TRUE;
}

int
main(int argc, char **argv)
{
  gboolean quick = FALSE;
  GOptionEntry entries[] = {
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "50 scans and 1 s idle instead of 500 and 5 s",
       NULL},
      {NULL},
  };
  if (!bench_parse_options("usb-latency", "- USB scanner latency and idle CPU", entries, &argc,
                           &argv))
    return 2;
  Bench b = {0};
  b.testbed = umockdev_testbed_new();
  if (!umockdev_in_mock_environment()) {
    g_printerr("muster-bench-usb-latency: run it under umockdev-wrapper, which emulates the "
               "scanner\n");
    return 2;
  }
  b.latencies_ms = g_array_new(FALSE, FALSE, sizeof(double));
  g_autoptr(GError) error = NULL;
  gboolean ok = measure(&b, quick ? 50 : 500, quick ? 1.0 : 5.0, &error);
  if (b.emulator != NULL)
    scanner_emulator_let_go(b.emulator);
  if (b.reader != NULL) {
    muster_reader_stop(MUSTER_READER(b.reader));
    g_object_unref(b.reader);
  }
  scanner_emulator_free(b.emulator);
  g_object_unref(b.testbed);
  g_array_unref(b.latencies_ms);
  if (!ok) {
    printf("muster-bench-usb-latency: FAILED: %s\n", error->message);
    return 1;
  }
  return bench_goals_exit_status("usb-latency");
}
