/*
 * readers-list.c: the readers listed on a screen (see readers-list.h).
 */
#include "ui/readers-list.h"

#include "ui/i18n.h"
#include "ui/labels.h"
#include "ui/widgets.h"

static void
append_line(GtkBox *box, const char *text, const char *css_class, const char *name)
{
  GtkWidget *l = gtk_label_new(text);
  gtk_label_set_xalign(GTK_LABEL(l), 0);
  gtk_label_set_wrap(GTK_LABEL(l), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class(l, css_class);
  if (name != NULL)
    gtk_widget_set_name(l, name);
  gtk_box_append(box, l);
}

void
muster_kiosk_show_readers(GtkBox *box, MusterKioskSession *session)
{
  muster_kiosk_box_clear(box);
  const char *problem = muster_kiosk_session_get_readers_problem(session);
  if (problem != NULL)
    append_line(box, problem, "error-text", "readers-problem");
  GListModel *readers = muster_kiosk_session_get_readers(session);
  guint n = g_list_model_get_n_items(readers);
  if (n == 0 && problem == NULL)
    append_line(box, _("No reader is configured"), NULL, "readers-none");
  for (guint i = 0; i < n; i++) {
    g_autoptr(MusterReader) r = g_list_model_get_item(readers, i);
    MusterReaderState s = muster_reader_get_state(r);
    g_autofree char *err = muster_reader_dup_last_error(r);
    g_autofree char *text = g_strdup_printf(
        _("%s (%s): %s · %llu scans"), muster_reader_get_id(r), muster_reader_get_kind(r),
        muster_kiosk_reader_state_label(s), (unsigned long long)muster_reader_get_n_scans(r));
    g_autofree char *name = g_strconcat("reader:", muster_reader_get_id(r), NULL);
    append_line(box, text, s == MUSTER_READER_STATE_READY ? "reader-ok" : "reader-problem", name);
    if (err != NULL)
      append_line(box, err, "error-text", NULL);
  }
}
