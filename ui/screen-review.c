/*
 * screen-review.c: supervisor review (see screen-review.h).
 */
#include "ui/screen-review.h"

#include "db/badges.h"
#include "db/counts.h"
#include "db/history.h"
#include "db/items.h"
#include "db/locations.h"
#include "db/unmarked-photos.h"
#include "ui/badge-tap.h"
#include "ui/error-label.h"
#include "ui/i18n.h"
#include "ui/keyboard.h"
#include "ui/labels.h"
#include "ui/pin-pad.h"
#include "ui/review-model.h"
#include "ui/scan-follow.h"
#include "ui/widgets.h"

struct _MusterKioskScreenReview {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GArray *count_ids;         /* gint64, parallel to count_choice's strings */
  GPtrArray *location_paths; /* char*, parallel to location_filter after "All" */
  gboolean filling;          /* ignore filter signals while refilling */
  GtkSingleSelection *selection;
  GtkDropDown *count_choice;
  GtkLabel *heading;
  GtkEntry *note;
  GtkWidget *sign_off_button;
  GtkDropDown *kind_filter;
  GtkDropDown *location_filter;
  GtkCheckButton *unresolved_only;
  GtkLabel *error;
  GtkListView *list;
  GtkLabel *detail_title;
  GtkLabel *detail_text;
  GtkLabel *detail_resolution;
  GtkBox *history;
  GtkWidget *resolve_box;
  GtkDropDown *action;
  GtkDropDown *reason_choice;
  GtkEntry *reason;
  GtkWidget *confirm_box;
  GtkLabel *confirm_hint;
  GtkDropDown *confirmer;
  MusterKioskPinPad *pin_pad;
  GtkWidget *resolve_button;
  MusterKioskKeyboard *keyboard;
  GtkWidget *filters; /* hidden while typing: the keyboard needs the height */
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenReview, muster_kiosk_screen_review, GTK_TYPE_WIDGET)

static const char *const reasons[] = {
    N_("Found in the armourer's workshop"),
    N_("Issued: the issue was not recorded"),
    N_("Record corrected after checking the paperwork"),
    N_("Tag replaced and recorded"),
    N_("Reported to the national registry"),
};

static MusterStore *
store_of(MusterKioskScreenReview *self)
{
  return muster_kiosk_session_get_store(self->session);
}

static gint64
chosen_count(MusterKioskScreenReview *self)
{
  guint i = gtk_drop_down_get_selected(self->count_choice);
  return i < self->count_ids->len ? g_array_index(self->count_ids, gint64, i) : 0;
}

static MusterKioskDiscrepancyRow *
selected_row(MusterKioskScreenReview *self)
{
  return self->selection != NULL ? gtk_single_selection_get_selected_item(self->selection) : NULL;
}

/* Item history: the tracing answer for the item's serial, only that item's events. */
static void
show_history(MusterKioskScreenReview *self, const MusterDiscrepancy *d)
{
  muster_kiosk_box_clear(self->history);
  if (d->item_uuid == NULL)
    return;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) item = muster_items_get_by_uuid(store_of(self), d->item_uuid, &error);
  g_autoptr(GPtrArray) traced =
      item != NULL ? muster_history_trace(store_of(self), item->serial, &error) : NULL;
  if (traced == NULL) {
    GtkWidget *label = gtk_label_new(error != NULL ? error->message : "");
    gtk_label_set_wrap(GTK_LABEL(label), TRUE);
    gtk_box_append(self->history, label);
    return;
  }
  GtkWidget *title = gtk_label_new(_("History"));
  gtk_widget_add_css_class(title, "title-4");
  gtk_label_set_xalign(GTK_LABEL(title), 0);
  gtk_box_append(self->history, title);
  for (guint i = 0; i < traced->len; i++) {
    const MusterItemHistory *h = g_ptr_array_index(traced, i);
    if (g_strcmp0(h->item->uuid, d->item_uuid) != 0)
      continue;
    for (guint j = 0; j < h->events->len; j++) {
      const MusterHistoryEvent *e = g_ptr_array_index(h->events, j);
      g_autofree char *text = g_strdup_printf("%.16s  %s", e->at, e->summary);
      GtkWidget *label = gtk_label_new(text);
      gtk_label_set_xalign(GTK_LABEL(label), 0);
      gtk_label_set_wrap(GTK_LABEL(label), TRUE);
      gtk_box_append(self->history, label);
    }
  }
}

/* An unmarked item's photo, under the history: the bytes the engine checked against
 * their recorded SHA-256 (a photo altered since is refused, and the error says so). */
static void
show_photo(MusterKioskScreenReview *self, const MusterDiscrepancy *d)
{
  if (g_strcmp0(d->kind, "unmarked_item") != 0)
    return;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUnmarkedPhoto) photo =
      muster_unmarked_photos_get(store_of(self), d->subject, &error);
  g_autoptr(GdkTexture) texture =
      photo != NULL ? gdk_texture_new_from_bytes(photo->bytes, &error) : NULL;
  if (texture == NULL) {
    if (!g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND))
      muster_kiosk_show_error(self->error, error);
    return;
  }
  GtkWidget *picture = gtk_picture_new_for_paintable(GDK_PAINTABLE(texture));
  gtk_widget_set_name(picture, "detail-photo");
  gtk_widget_set_halign(picture, GTK_ALIGN_START);
  gtk_picture_set_content_fit(GTK_PICTURE(picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request(picture, 240, 180);
  gtk_box_append(self->history, picture);
}

static void
show_detail(MusterKioskScreenReview *self)
{
  MusterKioskDiscrepancyRow *row = selected_row(self);
  muster_kiosk_pin_pad_clear(self->pin_pad);
  if (row == NULL) {
    gtk_label_set_text(self->detail_title, _("Choose a discrepancy"));
    gtk_label_set_text(self->detail_text, "");
    gtk_label_set_text(self->detail_resolution, "");
    muster_kiosk_box_clear(self->history);
    gtk_widget_set_visible(self->resolve_box, FALSE);
    return;
  }
  /* The list keeps only what it shows: read the whole discrepancy now. */
  g_autofree char *key =
      g_strdup_printf("%" G_GINT64_FORMAT, muster_kiosk_discrepancy_row_get_id(row));
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterDiscrepancy) d = muster_discrepancies_get(store_of(self), key, &error);
  if (d == NULL) {
    muster_kiosk_show_error(self->error, error);
    gtk_widget_set_visible(self->resolve_box, FALSE);
    return;
  }
  g_autofree char *title = g_strdup_printf("#%" G_GINT64_FORMAT " %s", d->id,
                                           muster_kiosk_discrepancy_kind_label(d->kind));
  gtk_label_set_text(self->detail_title, title);
  g_autofree char *text = g_strdup_printf("%s\n%s", d->detail != NULL ? d->detail : "",
                                          d->location_path != NULL ? d->location_path : "");
  gtk_label_set_text(self->detail_text, text);
  g_autofree char *res =
      d->resolution_action != NULL
          ? g_strdup_printf(_("Resolved: %s by %s%s%s: %s"), d->resolution_action, d->resolved_by,
                            d->confirmed_by != NULL ? _(", confirmed by ") : "",
                            d->confirmed_by != NULL ? d->confirmed_by : "", d->resolution_reason)
          : g_strdup(_("Not resolved yet"));
  gtk_label_set_text(self->detail_resolution, res);
  show_history(self, d);
  show_photo(self, d);
  gboolean confirm = muster_kiosk_discrepancy_needs_confirmer(d->kind);
  gtk_widget_set_visible(self->resolve_box, TRUE);
  gtk_widget_set_visible(self->confirm_box, confirm);
  gtk_label_set_text(self->confirm_hint, _("A second person confirms with their PIN"));
  gtk_widget_set_visible(self->resolve_button, !confirm);
  const MusterUser *user = muster_kiosk_session_get_user(self->session);
  g_autoptr(GtkStringList) names =
      muster_kiosk_user_names(store_of(self), user != NULL ? user->name : NULL);
  gtk_drop_down_set_model(self->confirmer, G_LIST_MODEL(names));
}

static void
on_selection_changed(GtkSingleSelection *sel, GParamSpec *pspec, MusterKioskScreenReview *self)
{
  show_detail(self);
}

static void
show_heading(MusterKioskScreenReview *self)
{
  gint64 id = chosen_count(self);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) c = id > 0 ? muster_counts_get_by_id(store_of(self), id, &error) : NULL;
  if (c == NULL) {
    gtk_label_set_text(self->heading, _("No closed count to review"));
    gtk_widget_set_sensitive(self->sign_off_button, FALSE);
    return;
  }
  g_autofree char *text = g_strdup_printf(_("%s · %lld discrepancies, %lld unresolved"),
                                          muster_kiosk_count_state_label(c->state),
                                          (long long)c->discrepancies, (long long)c->unresolved);
  gtk_label_set_text(self->heading, text);
  gtk_widget_set_sensitive(self->sign_off_button, c->state == MUSTER_COUNT_RECONCILED);
}

static void
load_list(MusterKioskScreenReview *self)
{
  gint64 id = chosen_count(self);
  guint kind_i = gtk_drop_down_get_selected(self->kind_filter);
  guint loc_i = gtk_drop_down_get_selected(self->location_filter);
  MusterDiscrepancyFilter filter = {
      .kind = kind_i > 0 && kind_i <= MUSTER_N_DISCREPANCY_KINDS
                  ? muster_discrepancy_kind_name(kind_i - 1)
                  : NULL,
      .location_path = loc_i > 0 && loc_i <= self->location_paths->len
                           ? g_ptr_array_index(self->location_paths, loc_i - 1)
                           : NULL,
      .resolved = gtk_check_button_get_active(self->unresolved_only) ? 0 : -1,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model =
      id > 0 ? muster_kiosk_review_model_load(store_of(self), id, &filter, &error) : NULL;
  if (model == NULL)
    model = G_LIST_MODEL(g_list_store_new(MUSTER_KIOSK_TYPE_DISCREPANCY_ROW));
  muster_kiosk_show_error(self->error, error);
  gtk_single_selection_set_model(self->selection, model);
  show_heading(self);
  show_detail(self);
}

/* A closed count is reconciled on first review: reconciling is idempotent. */
static void
reconcile_if_closed(MusterKioskScreenReview *self)
{
  gint64 id = chosen_count(self);
  g_autoptr(MusterCount) c = id > 0 ? muster_counts_get_by_id(store_of(self), id, NULL) : NULL;
  if (c == NULL || c->state != MUSTER_COUNT_CLOSED)
    return;
  g_autoptr(GError) error = NULL;
  MusterReconcileSummary summary;
  if (!muster_reconcile(store_of(self), muster_kiosk_session_get_user(self->session), id, &summary,
                        &error))
    muster_kiosk_show_error(self->error, error);
}

static void
on_count_chosen(GtkDropDown *d, GParamSpec *pspec, MusterKioskScreenReview *self)
{
  if (self->filling)
    return;
  muster_kiosk_show_error(self->error, NULL);
  reconcile_if_closed(self);
  load_list(self);
}

static void
on_filter_changed(GObject *o, GParamSpec *pspec, MusterKioskScreenReview *self)
{
  if (!self->filling)
    load_list(self);
}

static const char *
chosen_reason(MusterKioskScreenReview *self)
{
  const char *typed = gtk_editable_get_text(GTK_EDITABLE(self->reason));
  if (typed != NULL && *typed != '\0')
    return typed;
  return muster_kiosk_dropdown_get_string(self->reason_choice);
}

static void
resolve(MusterKioskScreenReview *self, const MusterUser *confirmer)
{
  MusterKioskDiscrepancyRow *row = selected_row(self);
  if (row == NULL)
    return;
  gint64 id = muster_kiosk_discrepancy_row_get_id(row);
  guint a = gtk_drop_down_get_selected(self->action);
  const char *action =
      muster_resolution_action_name(a < MUSTER_N_RESOLUTION_ACTIONS ? a : MUSTER_RESOLUTION_FOUND);
  g_autoptr(GError) error = NULL;
  guint position = gtk_single_selection_get_selected(self->selection);
  if (muster_discrepancies_resolve(store_of(self), muster_kiosk_session_get_user(self->session),
                                   confirmer, id, action, chosen_reason(self), &error)) {
    gtk_editable_set_text(GTK_EDITABLE(self->reason), "");
    load_list(self);
    guint n = g_list_model_get_n_items(G_LIST_MODEL(self->selection));
    if (n > 0)
      gtk_single_selection_set_selected(self->selection, MIN(position, n - 1));
  }
  muster_kiosk_show_error(self->error, error);
}

static void
on_resolve_clicked(GtkButton *b, MusterKioskScreenReview *self)
{
  resolve(self, NULL);
}

static void
on_confirm_pin(MusterKioskPinPad *pad, const char *pin, MusterKioskScreenReview *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = muster_kiosk_dropdown_get_string(self->confirmer);
  g_autoptr(MusterUser) confirmer =
      name != NULL ? muster_users_authenticate(store_of(self), name, pin, &error) : NULL;
  if (confirmer == NULL) {
    if (error == NULL)
      g_set_error(&error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  _("Choose who confirms, then type their PIN"));
    muster_kiosk_show_error(self->error, error);
    return;
  }
  resolve(self, confirmer);
}

/* The second person taps their badge: it chooses them (and, where the tap alone may stand
 * for the PIN, resolves), as db/badges.h decides. */
static void
on_scan(GtkWidget *screen, const MusterScan *scan)
{
  MusterKioskScreenReview *self = MUSTER_KIOSK_SCREEN_REVIEW(screen);
  if (!muster_kiosk_scan_is_card(scan) || !gtk_widget_get_mapped(self->confirm_box))
    return;
  g_autoptr(GError) error = NULL;
  g_autofree char *holder = NULL;
  g_autoptr(MusterUser) confirmer = muster_kiosk_badge_choose(
      self->session, scan, MUSTER_BADGE_FOR_CONFIRM, self->confirmer,
      _("%s cannot confirm their own resolution: another person must"), &holder, &error);
  if (confirmer != NULL) {
    resolve(self, confirmer);
    return;
  }
  if (holder != NULL) {
    g_autofree char *text = g_strdup_printf(_("Badge of %s: type their PIN to confirm"), holder);
    gtk_label_set_text(self->confirm_hint, text);
    muster_kiosk_pin_pad_clear(self->pin_pad);
  }
  muster_kiosk_show_error(self->error, error);
}

static void
on_sign_off_clicked(GtkButton *b, MusterKioskScreenReview *self)
{
  g_autoptr(GError) error = NULL;
  const char *note = gtk_editable_get_text(GTK_EDITABLE(self->note));
  if (muster_counts_sign_off(store_of(self), muster_kiosk_session_get_user(self->session),
                             chosen_count(self), *note != '\0' ? note : NULL, &error))
    gtk_editable_set_text(GTK_EDITABLE(self->note), "");
  muster_kiosk_show_error(self->error, error);
  show_heading(self);
}

static GtkStringList *
fill_counts(MusterKioskScreenReview *self)
{
  GtkStringList *names = gtk_string_list_new(NULL);
  g_array_set_size(self->count_ids, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) counts = muster_counts_list(store_of(self), -1, &error);
  for (guint i = 0; counts != NULL && i < counts->len; i++) {
    const MusterCount *c = g_ptr_array_index(counts, i);
    if (c->state == MUSTER_COUNT_OPEN)
      continue;
    g_autofree char *label = g_strdup_printf(_("Count %lld"), (long long)c->id);
    gtk_string_list_append(names, label);
    g_array_append_val(self->count_ids, c->id);
  }
  return names;
}

static void
fill_filters(MusterKioskScreenReview *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new(NULL);
  gtk_string_list_append(kinds, _("All kinds"));
  for (guint k = 0; k < MUSTER_N_DISCREPANCY_KINDS; k++)
    gtk_string_list_append(kinds, muster_discrepancy_kind_label(k));
  gtk_drop_down_set_model(self->kind_filter, G_LIST_MODEL(kinds));

  g_autoptr(GtkStringList) locs = gtk_string_list_new(NULL);
  gtk_string_list_append(locs, _("All locations"));
  g_ptr_array_set_size(self->location_paths, 0);
  g_autoptr(GPtrArray) all = muster_locations_list(store_of(self), NULL);
  for (guint i = 0; all != NULL && i < all->len; i++) {
    const MusterLocation *l = g_ptr_array_index(all, i);
    if (g_strcmp0(l->kind, "room") == 0 || g_strcmp0(l->kind, "rack") == 0) {
      gtk_string_list_append(locs, l->path);
      g_ptr_array_add(self->location_paths, g_strdup(l->path));
    }
  }
  gtk_drop_down_set_model(self->location_filter, G_LIST_MODEL(locs));
}

static void
fill_resolution_choices(MusterKioskScreenReview *self)
{
  g_autoptr(GtkStringList) a = gtk_string_list_new(NULL);
  for (guint i = 0; i < MUSTER_N_RESOLUTION_ACTIONS; i++)
    gtk_string_list_append(a, muster_resolution_action_label(i));
  gtk_drop_down_set_model(self->action, G_LIST_MODEL(a));
  g_autoptr(GtkStringList) r = gtk_string_list_new(NULL);
  for (guint i = 0; i < G_N_ELEMENTS(reasons); i++)
    gtk_string_list_append(r, _(reasons[i]));
  gtk_drop_down_set_model(self->reason_choice, G_LIST_MODEL(r));
}

static void
refresh(MusterKioskScreenReview *self)
{
  self->filling = TRUE;
  muster_kiosk_show_error(self->error, NULL);
  g_autoptr(GtkStringList) counts = fill_counts(self);
  gtk_drop_down_set_model(self->count_choice, G_LIST_MODEL(counts));
  gint64 wanted = muster_kiosk_session_get_review_count(self->session);
  for (guint i = 0; i < self->count_ids->len; i++)
    if (g_array_index(self->count_ids, gint64, i) == wanted)
      gtk_drop_down_set_selected(self->count_choice, i);
  fill_filters(self);
  self->filling = FALSE;
  reconcile_if_closed(self);
  load_list(self);
}

/* One row: the kind's word, where, and the item or marking. */
static void
setup_row(GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class(box, "discrepancy-row");
  for (int i = 0; i < 3; i++) {
    GtkWidget *label = gtk_label_new(NULL);
    gtk_label_set_xalign(GTK_LABEL(label), 0);
    gtk_label_set_ellipsize(GTK_LABEL(label), PANGO_ELLIPSIZE_END);
    gtk_widget_add_css_class(label, "may-ellipsize");
    gtk_label_set_width_chars(GTK_LABEL(label), i == 2 ? 20 : 10);
    gtk_widget_set_hexpand(label, i == 2);
    gtk_box_append(GTK_BOX(box), label);
  }
  gtk_list_item_set_child(item, box);
}

static void
bind_row(GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  MusterKioskDiscrepancyRow *row = MUSTER_KIOSK_DISCREPANCY_ROW(gtk_list_item_get_item(item));
  GtkWidget *box = gtk_list_item_get_child(item);
  GtkWidget *kind = gtk_widget_get_first_child(box);
  GtkWidget *where = gtk_widget_get_next_sibling(kind);
  GtkWidget *what = gtk_widget_get_next_sibling(where);
  gtk_label_set_text(GTK_LABEL(kind), muster_kiosk_discrepancy_kind_label(
                                          muster_kiosk_discrepancy_row_get_kind(row)));
  gtk_label_set_text(GTK_LABEL(where), muster_kiosk_discrepancy_row_get_location(row));
  gtk_label_set_text(GTK_LABEL(what), muster_kiosk_discrepancy_row_get_summary(row));
  if (muster_kiosk_discrepancy_row_get_resolved(row))
    gtk_widget_add_css_class(box, "resolved");
  else
    gtk_widget_remove_css_class(box, "resolved");
}

static void
muster_kiosk_screen_review_map(GtkWidget *widget)
{
  refresh(MUSTER_KIOSK_SCREEN_REVIEW(widget));
  GTK_WIDGET_CLASS(muster_kiosk_screen_review_parent_class)->map(widget);
}

static void
muster_kiosk_screen_review_dispose(GObject *object)
{
  MusterKioskScreenReview *self = MUSTER_KIOSK_SCREEN_REVIEW(object);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_SCREEN_REVIEW);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  g_clear_object(&self->selection);
  g_clear_object(&self->session);
  g_clear_pointer(&self->count_ids, g_array_unref);
  g_clear_pointer(&self->location_paths, g_ptr_array_unref);
  G_OBJECT_CLASS(muster_kiosk_screen_review_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_review_class_init(MusterKioskScreenReviewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_review_dispose;
  widget_class->map = muster_kiosk_screen_review_map;
  g_type_ensure(MUSTER_KIOSK_TYPE_PIN_PAD);
  g_type_ensure(MUSTER_KIOSK_TYPE_KEYBOARD);
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/screen-review.ui");
#define BIND(name) gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenReview, name)
  BIND(count_choice);
  BIND(heading);
  BIND(note);
  BIND(sign_off_button);
  BIND(kind_filter);
  BIND(location_filter);
  BIND(unresolved_only);
  BIND(error);
  BIND(list);
  BIND(detail_title);
  BIND(detail_text);
  BIND(detail_resolution);
  BIND(history);
  BIND(resolve_box);
  BIND(action);
  BIND(reason_choice);
  BIND(reason);
  BIND(confirm_box);
  BIND(confirm_hint);
  BIND(confirmer);
  BIND(pin_pad);
  BIND(resolve_button);
  BIND(keyboard);
  BIND(filters);
#undef BIND
  gtk_widget_class_bind_template_callback(widget_class, on_count_chosen);
  gtk_widget_class_bind_template_callback(widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback(widget_class, on_sign_off_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_resolve_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_confirm_pin);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_review_init(MusterKioskScreenReview *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
  muster_kiosk_keyboard_attach(self->keyboard, GTK_EDITABLE(self->reason));
  muster_kiosk_keyboard_attach(self->keyboard, GTK_EDITABLE(self->note));
  muster_kiosk_keyboard_hide_while_typing(self->keyboard, self->filters);
  self->count_ids = g_array_new(FALSE, FALSE, sizeof(gint64));
  self->location_paths = g_ptr_array_new_with_free_func(g_free);
  self->selection = gtk_single_selection_new(NULL);
  gtk_single_selection_set_autoselect(self->selection, FALSE);
  gtk_single_selection_set_can_unselect(self->selection, TRUE);
  g_signal_connect(self->selection, "notify::selected", G_CALLBACK(on_selection_changed), self);
  gtk_list_view_set_model(self->list, GTK_SELECTION_MODEL(self->selection));
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new();
  g_signal_connect(factory, "setup", G_CALLBACK(setup_row), NULL);
  g_signal_connect(factory, "bind", G_CALLBACK(bind_row), NULL);
  gtk_list_view_set_factory(self->list, factory);
  g_object_unref(factory);
  fill_resolution_choices(self);
}

GtkWidget *
muster_kiosk_screen_review_new(MusterKioskSession *session)
{
  MusterKioskScreenReview *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_REVIEW, NULL);
  self->session = g_object_ref(session);
  muster_kiosk_follow_scans(GTK_WIDGET(self), session, on_scan);
  return GTK_WIDGET(self);
}

GListModel *
muster_kiosk_screen_review_get_model(MusterKioskScreenReview *self)
{
  return G_LIST_MODEL(self->selection);
}

void
muster_kiosk_screen_review_select(MusterKioskScreenReview *self, guint i)
{
  gtk_single_selection_set_selected(self->selection, i);
  show_detail(self);
}
