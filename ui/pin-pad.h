/*
 * pin-pad.h: the on-screen PIN pad.
 *
 * Big keys (at least 64 px, for gloves), digits shown as dots, a key to erase and one
 * to clear. "submitted" is emitted with the PIN when OK is pressed; the pad never keeps
 * a PIN after that (it is wiped from memory). Physical digit keys work too, for a
 * kiosk with a keypad.
 */
#pragma once
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_PIN_PAD (muster_kiosk_pin_pad_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskPinPad, muster_kiosk_pin_pad, MUSTER_KIOSK, PIN_PAD, GtkWidget)

GtkWidget *muster_kiosk_pin_pad_new(void);
/* Presses a key as a finger would: "0".."9", "back", "clear", "ok". */
void muster_kiosk_pin_pad_press(MusterKioskPinPad *self, const char *key);
void muster_kiosk_pin_pad_clear(MusterKioskPinPad *self);
guint muster_kiosk_pin_pad_get_length(MusterKioskPinPad *self);

/* Signal "submitted" (const char *pin). */

G_END_DECLS
