/*
 * keyboard.h: the on-screen keyboard for the kiosk's free-text fields.
 *
 * Staff wear gloves at a touch screen with no keyboard attached: every free-text entry
 * (an unmarked item's description, a resolve reason, the sign-off note, the marking to
 * look up) is typed on this. A screen puts one keyboard at the bottom of its layout
 * (hidden until needed) and attaches its entries, one line each:
 *
 *   muster_kiosk_keyboard_attach(self->keyboard, GTK_EDITABLE(self->reason));
 *
 * Tapping an attached entry shows the keyboard; the screen's content above it gets less
 * height (a screen may hide what typing does not need), and a scrolled window holding
 * the entry scrolls it into view. Focus alone
 * does not: GtkStack puts the focus into the first entry of a screen it shows, and the
 * lookup screen, mostly used by scanning, would open half covered.
 * Keys type into that entry through GtkEditable (at the cursor, replacing a selection;
 * erase deletes before the cursor): no synthetic key events. Keys never take the focus,
 * so the entry keeps its cursor. ⏎ hides the keyboard and activates the entry (the
 * lookup screen looks up); ⌨▾ hides it; leaving the screen hides it too.
 *
 * Why a panel in the screen rather than a window over it: at 1024×600 a keyboard of
 * five 56 px rows takes half the height, and a popup would cover the very entry being
 * typed into; in the screen's own layout the content shrinks instead, the window never
 * needs more than the screen, and the screens' fit checks cover it.
 *
 * The layout follows the UI language (English QWERTY, German QWERTZ, Arabic), from the
 * translation itself as the text direction is (ui/i18n.c); layouts are data
 * (ui/keyboard-layouts.c). A non-Latin layout has a key switching to Latin letters, for
 * markings. Shift types one capital, pressed twice it locks, a third time it releases.
 */
#pragma once
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_KEYBOARD (muster_kiosk_keyboard_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskKeyboard, muster_kiosk_keyboard, MUSTER_KIOSK, KEYBOARD, GtkWidget)

/* Hidden until an attached entry is tapped. */
GtkWidget *muster_kiosk_keyboard_new(void);

/* Shows the keyboard for entry whenever entry is tapped. Entries of the same screen
 * share one keyboard; attaching lasts as long as both exist. */
void muster_kiosk_keyboard_attach(MusterKioskKeyboard *self, GtkEditable *entry);

/* Hides widget while the keyboard is shown, and shows it again after: what the screen
 * does not need while typing (filters, say) gives its height to the keyboard. Only for
 * a widget whose visibility nothing else sets. */
void muster_kiosk_keyboard_hide_while_typing(MusterKioskKeyboard *self, GtkWidget *widget);

/* Shows the keyboard typing into entry (what a tap on it does), or hides it. */
void muster_kiosk_keyboard_show_for(MusterKioskKeyboard *self, GtkEditable *entry);
void muster_kiosk_keyboard_hide(MusterKioskKeyboard *self);
/* The entry keys type into, or NULL. */
GtkEditable *muster_kiosk_keyboard_get_target(MusterKioskKeyboard *self);

/* The layout keyboards made from now on start with ("en", "de", "ar"), whatever the UI
 * language: the one chosen at first boot. NULL or an unknown id: the UI language's. */
void muster_kiosk_keyboard_choose_layout(const char *id);

/* The layout shown ("en", "de", "ar"), and the one it starts with (chosen, else the UI
 * language's). */
const char *muster_kiosk_keyboard_get_layout(MusterKioskKeyboard *self);
const char *muster_kiosk_keyboard_get_home_layout(MusterKioskKeyboard *self);

G_END_DECLS
