/*
 * kiosk.h: what every program showing the kiosk screens calls first.
 *
 * muster-kiosk, the tests and the benchmark share it, so they render exactly the same
 * screens: templates and style from the compiled-in resources, the gettext domain and
 * the text direction.
 */
#pragma once
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* After gtk_init() (or in GApplication::startup). Safe to call more than once. */
void muster_kiosk_init(void);

G_END_DECLS
