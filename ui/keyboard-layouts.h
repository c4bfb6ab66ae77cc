/*
 * keyboard-layouts.h: the on-screen keyboard's layouts, as data.
 *
 * A layout is five rows of keys written as text, as one would draw the keyboard:
 * characters separated by spaces, and "@name" for a key that does something
 * (@backspace, @enter, @shift, @switch, @space, @hide; ui/keyboard.c says how each looks
 * and how wide it is). A key types exactly the text it shows, so "لا" types two letters.
 * Shift upper-cases a single letter; `shifted` lists the keys whose shifted text is
 * something else (the Arabic hamza forms, say). Adding a language is adding an entry.
 *
 * The keyboard picks its layout from the UI language (ui/keyboard.c). A layout that
 * cannot type Latin letters (`latin` FALSE) gets a switch key to the Latin one, because
 * markings (serials, barcodes) are Latin letters and digits in every language.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_KEYBOARD_ROWS 5
/* The layout the switch key offers to a layout that is not Latin. */
#define MUSTER_KIOSK_KEYBOARD_LATIN "en"

typedef struct {
  const char *id;    /* "en", "de", "ar": what the UI language asks for */
  const char *name;  /* on the space bar, in its own language: which layout is on */
  const char *label; /* on the key that switches to this layout */
  gboolean latin;    /* types Latin letters (markings) itself */
  const char *rows[MUSTER_KIOSK_KEYBOARD_ROWS];
  const char *shifted; /* "key shifted" pairs, space-separated; NULL: upper case only */
} MusterKioskKeyboardLayout;

/* The layout with that id, or NULL. */
const MusterKioskKeyboardLayout *muster_kiosk_keyboard_layout_find(const char *id);

/* What shift makes of a key of this layout: its `shifted` text, else the upper case of
 * a single letter, else the key itself. Newly allocated. */
char *muster_kiosk_keyboard_layout_shift(const MusterKioskKeyboardLayout *layout, const char *key);

G_END_DECLS
