/*
 * screens.c: the screen table and helpers the screens share (see screens.h).
 */
#include "ui/screens.h"

#include "ui/i18n.h"
#include "ui/window.h"

#include "ui/screen-home.h"
#include "ui/screen-live.h"
#include "ui/screen-lookup.h"
#include "ui/screen-review.h"
#include "ui/screen-settings.h"
#include "ui/screen-sign-in.h"
#include "ui/screen-start.h"
#include "ui/screen-status.h"
#include "ui/screen-unmarked.h"

const MusterKioskScreenInfo muster_kiosk_screens[] = {
    {"sign-in", muster_kiosk_screen_sign_in_new},   {"home", muster_kiosk_screen_home_new},
    {"start", muster_kiosk_screen_start_new},       {"live", muster_kiosk_screen_live_new},
    {"unmarked", muster_kiosk_screen_unmarked_new}, {"review", muster_kiosk_screen_review_new},
    {"lookup", muster_kiosk_screen_lookup_new},     {"status", muster_kiosk_screen_status_new},
    {"settings", muster_kiosk_screen_settings_new}, {NULL, NULL},
};

void
muster_kiosk_show_error(GtkLabel *label, const GError *error)
{
  gtk_label_set_text(label, error != NULL ? error->message : "");
  gtk_widget_set_visible(GTK_WIDGET(label), error != NULL);
  /* A refusal may mean the person signed in may act no more (deactivated, locked out):
   * the session asks the engine, and sends them back to sign-in if so. */
  GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(label));
  if (g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION) && MUSTER_KIOSK_IS_WINDOW(root))
    muster_kiosk_session_check_user(muster_kiosk_window_get_session(MUSTER_KIOSK_WINDOW(root)));
}

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

const char *
muster_kiosk_reader_state_label(MusterReaderState state)
{
  switch (state) {
  case MUSTER_READER_STATE_STOPPED: return _("stopped");
  case MUSTER_READER_STATE_OPENING: return _("opening");
  case MUSTER_READER_STATE_READY: return _("ready");
  case MUSTER_READER_STATE_DISCONNECTED: return _("disconnected: plug it back in");
  case MUSTER_READER_STATE_FAILED: return _("failed: retrying");
  }
  return "?";
}

const char *
muster_kiosk_role_label(MusterRole role)
{
  switch (role) {
  case MUSTER_ROLE_STAFF: return _("staff");
  case MUSTER_ROLE_SUPERVISOR: return _("supervisor");
  case MUSTER_ROLE_ADMIN: return _("admin");
  }
  return "?";
}

const char *
muster_kiosk_count_state_label(MusterCountState state)
{
  switch (state) {
  case MUSTER_COUNT_OPEN: return _("open");
  case MUSTER_COUNT_CLOSED: return _("closed");
  case MUSTER_COUNT_RECONCILED: return _("reconciled");
  case MUSTER_COUNT_SIGNED_OFF: return _("signed off");
  }
  return "?";
}

/* ---- following the readers while shown ---------------------------------------------- */

typedef struct {
  GtkWidget *screen; /* owns this */
  MusterKioskSession *session;
  MusterKioskScanFunc func;
  MusterReaderManager *manager; /* while mapped */
  gulong handler;
} ScanFollower;

static void
follower_scan(MusterReaderManager *manager, MusterReader *reader, const MusterScan *scan,
              ScanFollower *f)
{
  if (muster_scan_location_label(scan) == NULL)
    f->func(f->screen, scan);
}

static void
follower_stop(ScanFollower *f)
{
  if (f->manager == NULL)
    return;
  g_signal_handler_disconnect(f->manager, f->handler);
  g_clear_object(&f->manager);
}

static void
follower_map(GtkWidget *screen, ScanFollower *f)
{
  follower_stop(f);
  f->manager = g_object_ref(muster_kiosk_session_get_reader_manager(f->session));
  f->handler = g_signal_connect(f->manager, "scan", G_CALLBACK(follower_scan), f);
}

static void
follower_unmap(GtkWidget *screen, ScanFollower *f)
{
  follower_stop(f);
}

static void
follower_free(ScanFollower *f)
{
  follower_stop(f);
  g_object_unref(f->session);
  g_free(f);
}

void
muster_kiosk_follow_scans(GtkWidget *screen, MusterKioskSession *session, MusterKioskScanFunc func)
{
  ScanFollower *f = g_new0(ScanFollower, 1);
  f->screen = screen;
  f->session = g_object_ref(session);
  f->func = func;
  g_signal_connect(screen, "map", G_CALLBACK(follower_map), f);
  g_signal_connect(screen, "unmap", G_CALLBACK(follower_unmap), f);
  g_object_set_data_full(G_OBJECT(screen), "muster-kiosk-scan-follower", f,
                         (GDestroyNotify)follower_free);
}

gboolean
muster_kiosk_scan_is_card(const MusterScan *scan)
{
  return g_strcmp0(scan->marking_kind, "hf_uid") == 0 && scan->marking_value != NULL;
}

MusterUser *
muster_kiosk_badge_choose(MusterKioskSession *session, const MusterScan *scan,
                          MusterBadgePurpose purpose, GtkDropDown *people, const char *not_listed,
                          char **holder, GError **error)
{
  *holder = NULL;
  g_autofree char *name = NULL;
  g_autoptr(MusterUser) user =
      muster_badges_tap(muster_kiosk_session_get_store(session), scan->marking_value,
                        scan->authenticity, purpose, &name, error);
  const char *who = user != NULL ? user->name : name;
  if (who == NULL)
    return NULL;
  if (!muster_kiosk_dropdown_select(people, who)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION, not_listed, who);
    return NULL;
  }
  *holder = g_steal_pointer(&name);
  return g_steal_pointer(&user);
}
