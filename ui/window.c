/*
 * window.c: the kiosk window (see window.h).
 */
#include "ui/window.h"

#include "ui/i18n.h"
#include "ui/labels.h"
#include "ui/screens.h"

struct _MusterKioskWindow {
  GtkWindow parent_instance;
  MusterKioskSession *session;
  GtkWidget *top_bar_box;
  GtkLabel *armoury_label;
  GtkLabel *user_label;
  GtkWidget *home_button;
  GtkWidget *sign_out_button;
  GtkStack *stack;
  gboolean may_close;
};

G_DEFINE_FINAL_TYPE(MusterKioskWindow, muster_kiosk_window, GTK_TYPE_WINDOW)

static void
on_home_clicked(GtkButton *button, MusterKioskWindow *self)
{
  muster_kiosk_session_navigate(self->session, "home");
}

static void
on_sign_out_clicked(GtkButton *button, MusterKioskWindow *self)
{
  muster_kiosk_session_sign_out(self->session);
}

/* The armoury's code and name, once there is a database (first boot: none yet). */
static void
show_armoury(MusterKioskWindow *self)
{
  MusterStore *store = muster_kiosk_session_get_store(self->session);
  g_autofree char *armoury = store != NULL
                                 ? g_strdup_printf("%s · %s", muster_store_armoury_code(store),
                                                   muster_store_armoury_name(store))
                                 : g_strdup(_("New armoury"));
  gtk_label_set_text(self->armoury_label, armoury);
}

static void wrap_button_labels(GtkWidget *root);

static void
on_user_changed(MusterKioskSession *session, MusterKioskWindow *self)
{
  const MusterUser *user = muster_kiosk_session_get_user(session);
  gboolean in = user != NULL;
  gtk_widget_set_visible(self->home_button, in);
  gtk_widget_set_visible(self->sign_out_button, in);
  /* Labelled here, not in the template: the first-boot screen may have changed the
   * language since the window was built. */
  gtk_button_set_label(GTK_BUTTON(self->home_button), _("Menu"));
  gtk_button_set_label(GTK_BUTTON(self->sign_out_button), _("Sign out"));
  wrap_button_labels(self->top_bar_box);
  if (in) {
    g_autofree char *text =
        g_strdup_printf("%s · %s", user->full_name != NULL ? user->full_name : user->name,
                        muster_kiosk_role_label(user->role));
    gtk_label_set_text(self->user_label, text);
  } else {
    gtk_label_set_text(self->user_label, "");
  }
}

static GtkWidget *ensure_screen(MusterKioskWindow *self, const char *page);

static void
on_navigate(MusterKioskSession *session, const char *page, MusterKioskWindow *self)
{
  /* Without a database only the setup screen may show; without a user only sign-in. */
  if (muster_kiosk_session_get_store(session) == NULL)
    page = "setup";
  else if (muster_kiosk_session_get_user(session) == NULL)
    page = "sign-in";
  show_armoury(self);
  if (ensure_screen(self, page) == NULL) {
    g_warning("The kiosk has no screen called %s", page);
    return;
  }
  gtk_stack_set_visible_child_name(self->stack, page);
}

static void
on_session_exit(MusterKioskSession *session, MusterKioskWindow *self)
{
  self->may_close = TRUE;
  gtk_window_destroy(GTK_WINDOW(self));
}

static gboolean
on_close_request(GtkWindow *window)
{
  MusterKioskWindow *self = MUSTER_KIOSK_WINDOW(window);
  /* Staff cannot leave: only an admin's exit through the session sets may_close. */
  return !self->may_close;
}

static gboolean
on_any_event(GtkEventControllerLegacy *controller, GdkEvent *event, MusterKioskWindow *self)
{
  GdkEventType type = gdk_event_get_event_type(event);
  if (type == GDK_BUTTON_PRESS || type == GDK_TOUCH_BEGIN || type == GDK_KEY_PRESS ||
      type == GDK_SCROLL)
    muster_kiosk_session_poke(self->session);
  return FALSE;
}

/* Button labels wrap (centred) instead of widening the screen: long German words and
 * Arabic text must fit 1024 px. */
static void
wrap_button_labels(GtkWidget *root)
{
  if (GTK_IS_BUTTON(root)) {
    GtkWidget *child = gtk_button_get_child(GTK_BUTTON(root));
    if (GTK_IS_LABEL(child)) {
      gtk_label_set_wrap(GTK_LABEL(child), TRUE);
      gtk_label_set_justify(GTK_LABEL(child), GTK_JUSTIFY_CENTER);
    }
  }
  for (GtkWidget *c = gtk_widget_get_first_child(root); c != NULL;
       c = gtk_widget_get_next_sibling(c))
    wrap_button_labels(c);
}

/* Screens are built when first shown: the first frame (sign-in) does not wait for
 * eight templates nobody has asked for yet. */
static GtkWidget *
ensure_screen(MusterKioskWindow *self, const char *page)
{
  GtkWidget *screen = gtk_stack_get_child_by_name(self->stack, page);
  if (screen != NULL)
    return screen;
  for (const MusterKioskScreenInfo *s = muster_kiosk_screens; s->page != NULL; s++) {
    if (g_str_equal(s->page, page)) {
      screen = s->create(self->session);
      wrap_button_labels(screen);
      gtk_stack_add_named(self->stack, screen, s->page);
      return screen;
    }
  }
  return NULL;
}

void
muster_kiosk_window_set_layout_size(MusterKioskWindow *self, int width, int height)
{
  if (width >= 1600 && height >= 900)
    gtk_widget_add_css_class(GTK_WIDGET(self), "large");
  else
    gtk_widget_remove_css_class(GTK_WIDGET(self), "large");
  /* GtkWindow's minimum height is taken at its minimum width, where wrapped labels
   * are tallest; requesting the full width measures the height there instead. */
  gtk_widget_set_size_request(GTK_WIDGET(self), width, -1);
  gtk_window_set_default_size(GTK_WINDOW(self), width, height);
}

/* The kiosk has one screen: its first monitor decides the layout. */
static void
fit_to_monitor(MusterKioskWindow *self)
{
  GListModel *monitors = gdk_display_get_monitors(gtk_widget_get_display(GTK_WIDGET(self)));
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item(monitors, 0);
  if (monitor == NULL)
    return;
  GdkRectangle geometry;
  gdk_monitor_get_geometry(monitor, &geometry);
  muster_kiosk_window_set_layout_size(self, geometry.width, geometry.height);
}

static void
muster_kiosk_window_dispose(GObject *object)
{
  MusterKioskWindow *self = MUSTER_KIOSK_WINDOW(object);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data(self->session, self);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_WINDOW);
  g_clear_object(&self->session);
  G_OBJECT_CLASS(muster_kiosk_window_parent_class)->dispose(object);
}

static void
muster_kiosk_window_class_init(MusterKioskWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_window_dispose;
  GTK_WINDOW_CLASS(klass)->close_request = on_close_request;
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/window.ui");
  gtk_widget_class_bind_template_child_full(widget_class, "top_bar", FALSE,
                                            G_STRUCT_OFFSET(MusterKioskWindow, top_bar_box));
  gtk_widget_class_bind_template_child(widget_class, MusterKioskWindow, armoury_label);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskWindow, user_label);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskWindow, home_button);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskWindow, sign_out_button);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskWindow, stack);
  gtk_widget_class_bind_template_callback(widget_class, on_home_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_sign_out_clicked);
}

static gboolean
swallow_key(GtkWidget *widget, GVariant *args, gpointer user_data)
{
  return TRUE;
}

/* GtkWindow binds these keys to the Inspector whenever GSettings' enable-inspector-
 * keybinding is true, GTK's default, read at each press. A shortcut controller in the
 * capture phase matches them exactly as that binding does (on any keyboard layout) and
 * runs before the window's own bindings, which then never see them. */
void
muster_kiosk_block_inspector_keys(GtkWidget *window)
{
  static const guint keys[] = {GDK_KEY_I, GDK_KEY_D};
  GtkEventController *controller = gtk_shortcut_controller_new();
  gtk_event_controller_set_propagation_phase(controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
    gtk_shortcut_controller_add_shortcut(
        GTK_SHORTCUT_CONTROLLER(controller),
        gtk_shortcut_new(gtk_keyval_trigger_new(keys[i], GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                         gtk_callback_action_new(swallow_key, NULL, NULL)));
  gtk_widget_add_controller(window, controller);
}

/* The first frame on screen, for G_MESSAGES_DEBUG=Muster: bench/bench-kiosk-boot.sh
 * times a session's start to it. */
static void
on_first_paint(GdkFrameClock *clock, MusterKioskWindow *self)
{
  g_debug("muster-kiosk: first frame painted");
  g_signal_handlers_disconnect_by_func(clock, on_first_paint, self);
}

static void
on_realize(GtkWidget *widget)
{
  g_signal_connect_object(gtk_widget_get_frame_clock(widget), "after-paint",
                          G_CALLBACK(on_first_paint), widget, 0);
}

static void
muster_kiosk_window_init(MusterKioskWindow *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
  GtkEventController *legacy = gtk_event_controller_legacy_new();
  gtk_event_controller_set_propagation_phase(legacy, GTK_PHASE_CAPTURE);
  g_signal_connect(legacy, "event", G_CALLBACK(on_any_event), self);
  gtk_widget_add_controller(GTK_WIDGET(self), legacy);
  muster_kiosk_block_inspector_keys(GTK_WIDGET(self));
  g_signal_connect(self, "realize", G_CALLBACK(on_realize), NULL);
}

MusterKioskWindow *
muster_kiosk_window_new(MusterKioskSession *session, gboolean fullscreen)
{
  MusterKioskWindow *self = g_object_new(MUSTER_KIOSK_TYPE_WINDOW, NULL);
  self->session = g_object_ref(session);
  show_armoury(self);
  ensure_screen(self, muster_kiosk_session_get_store(session) != NULL ? "sign-in" : "setup");
  g_signal_connect(session, "user-changed", G_CALLBACK(on_user_changed), self);
  g_signal_connect(session, "navigate", G_CALLBACK(on_navigate), self);
  g_signal_connect(session, "exit", G_CALLBACK(on_session_exit), self);
  on_user_changed(session, self);
  if (fullscreen) {
    fit_to_monitor(self);
    gtk_window_fullscreen(GTK_WINDOW(self));
  } else {
    muster_kiosk_window_set_layout_size(self, 1024, 600);
  }
  return self;
}

MusterKioskSession *
muster_kiosk_window_get_session(MusterKioskWindow *self)
{
  return self->session;
}

const char *
muster_kiosk_window_get_page(MusterKioskWindow *self)
{
  return gtk_stack_get_visible_child_name(self->stack);
}

GtkWidget *
muster_kiosk_window_get_screen(MusterKioskWindow *self, const char *page)
{
  return gtk_stack_get_child_by_name(self->stack, page);
}
