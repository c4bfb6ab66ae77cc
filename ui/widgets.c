/*
 * widgets.c: dropdowns, the people they offer, boxes emptied (see widgets.h).
 */
#include "ui/widgets.h"

#include "db/users.h"

GtkStringList *
muster_kiosk_user_names(MusterStore *store, const char *except)
{
  GtkStringList *names = gtk_string_list_new(NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = muster_users_list(store, &error);
  if (users == NULL) {
    g_warning("Listing the users: %s", error->message);
    return names;
  }
  for (guint i = 0; i < users->len; i++) {
    const MusterUser *u = g_ptr_array_index(users, i);
    if (u->active && g_strcmp0(u->name, except) != 0)
      gtk_string_list_append(names, u->name);
  }
  return names;
}

const char *
muster_kiosk_dropdown_get_string(GtkDropDown *dropdown)
{
  GObject *item = gtk_drop_down_get_selected_item(dropdown);
  return item != NULL ? gtk_string_object_get_string(GTK_STRING_OBJECT(item)) : NULL;
}

gboolean
muster_kiosk_dropdown_select(GtkDropDown *dropdown, const char *value)
{
  GListModel *model = gtk_drop_down_get_model(dropdown);
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items(model); i++) {
    g_autoptr(GtkStringObject) s = g_list_model_get_item(model, i);
    if (g_strcmp0(gtk_string_object_get_string(s), value) == 0) {
      gtk_drop_down_set_selected(dropdown, i);
      return TRUE;
    }
  }
  return FALSE;
}

void
muster_kiosk_box_clear(GtkBox *box)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child(GTK_WIDGET(box))) != NULL)
    gtk_box_remove(box, child);
}
