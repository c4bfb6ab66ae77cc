/*
 * scanner-emulator.h: a keyboard-wedge USB scanner emulated in code, behind umockdev.
 *
 * Recordings (.ioctl) replay as fast as libusb reaps them; this emulator instead answers
 * the usbfs ioctls itself (a umockdev "handle-ioctl" handler) and holds a reap until it
 * is given a report, as a real scanner does until something is scanned. It also keeps
 * the kernel's side of the interface: a keyboard driver (usbhid) is bound until the
 * reader detaches it, a claim while it is bound fails with EBUSY as the kernel's does,
 * and it is bound again when the reader gives it back. Used by the reader tests (kernel
 * driver, stop while waiting) and by bench/bench-usb-latency.c.
 *
 * Must run under umockdev-wrapper. The emulator's state lives on umockdev's handler
 * thread; the functions here hand work to it and are safe from the test's thread.
 */
#pragma once
#include <glib.h>
#include <umockdev.h>

G_BEGIN_DECLS

typedef struct _ScannerEmulator ScannerEmulator;

/* Attaches to devnode ("/dev/bus/usb/001/002") of testbed; add the device after. */
ScannerEmulator *scanner_emulator_new(UMockdevTestbed *testbed, const char *devnode,
                                      GError **error);
/* Answers every reap at once from now on (EAGAIN): call it before stopping the reader,
 * whose thread would otherwise wait in the emulated reap for ever (a real reap never
 * blocks; libusb waits in poll(), which stop() interrupts). */
void scanner_emulator_let_go(ScannerEmulator *em);
/* After the reader has stopped. */
void scanner_emulator_free(ScannerEmulator *em);

/* TRUE once the reader has an interrupt URB in flight (it reads). */
gboolean scanner_emulator_reading(ScannerEmulator *em);
/* Whether the kernel's keyboard driver is bound to the interface. */
gboolean scanner_emulator_kernel_driver_bound(ScannerEmulator *em);

/* Types text (letters, digits, '-') with US key codes, then Enter. */
void scanner_emulator_type(ScannerEmulator *em, const char *text);
/* When the last report of the last scan typed was handed to libusb (monotonic µs). */
gint64 scanner_emulator_last_report_us(ScannerEmulator *em);
/* The URB in flight ends with ENODEV, and so does everything after: an unplug. */
void scanner_emulator_unplug(ScannerEmulator *em);

G_END_DECLS
