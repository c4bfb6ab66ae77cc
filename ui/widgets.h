/*
 * widgets.h: small things the screens do with GTK widgets: dropdowns over a list of
 * strings, the people a dropdown offers, emptying a box.
 */
#pragma once
#include "db/store.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Active users' names, sorted, except `except` (may be NULL). */
GtkStringList *muster_kiosk_user_names(MusterStore *store, const char *except);
/* The selected string of a dropdown over a GtkStringList, or NULL. */
const char *muster_kiosk_dropdown_get_string(GtkDropDown *dropdown);
/* Selects the string in a dropdown over a GtkStringList; FALSE when absent. */
gboolean muster_kiosk_dropdown_select(GtkDropDown *dropdown, const char *value);
/* Removes every child of a box. */
void muster_kiosk_box_clear(GtkBox *box);

G_END_DECLS
