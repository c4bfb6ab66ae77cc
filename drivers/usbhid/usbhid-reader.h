/*
 * usbhid-reader.h: USB barcode scanners (HID keyboard wedge and HID POS) through libusb.
 *
 * One reader stands for one scanner: the first device that matches ("any" known or
 * generic scanner, or one VID:PID) and is not already taken. It claims the scanner's
 * HID interface, detaching the kernel's driver, so scans never become keystrokes in the
 * kiosk, and decodes the reports itself (keymap.h, hidpos.h). Unplugged, it waits in
 * state DISCONNECTED and takes the scanner back when it is plugged in again (libusb
 * hotplug); a scan cut short by the unplug is discarded and said so in last-error.
 *
 * Malformed reports are counted and reported (last-error), never fatal.
 */
#pragma once
#include "drivers/reader.h"

G_BEGIN_DECLS

#define MUSTER_USBHID_READER_KIND "usb-hid"

#define MUSTER_TYPE_USBHID_READER (muster_usbhid_reader_get_type())
G_DECLARE_FINAL_TYPE(MusterUsbhidReader, muster_usbhid_reader, MUSTER, USBHID_READER, MusterReader)

/* id: the reader's id; NULL means "usb-hid:" + match. match: "any" (or NULL) for any
 * scanner of the table, or "VVVV:PPPP" for one model (checked at start). scanners_file:
 * a scanner table read over the built-in one; NULL means the site file
 * (/etc/muster/scanners.conf) when it exists. */
MusterUsbhidReader *muster_usbhid_reader_new(const char *id, const char *match,
                                             const char *scanners_file);

/* Reports ignored as malformed, and partial scans discarded by an unplug, since creation. */
guint64 muster_usbhid_reader_get_n_malformed(MusterUsbhidReader *self);
guint64 muster_usbhid_reader_get_n_discarded(MusterUsbhidReader *self);

G_END_DECLS
