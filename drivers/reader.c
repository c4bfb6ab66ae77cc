/*
 * reader.c: the MusterReader base class (see reader.h): its properties, its state, and
 * the delivery of scans and changes to listeners. The device lifecycle is lifecycle.c.
 *
 * Drivers read on their own threads (libnfc blocks, zbar's video loop blocks), while
 * listeners live on a main loop. So every scan and state change is queued to the
 * context the reader was created on, in order, and the signal and notifications are
 * emitted there. A stop() that has returned must not let queued scans through, so each
 * queued item carries the run it belongs to and is dropped if the run has ended.
 */
#include "drivers/reader.h"
#include "drivers/lifecycle-private.h"

typedef struct {
  char *id;
  char *kind;
  GMainContext *context;
  GMutex lock; /* guards the fields below, written from driver threads */
  MusterReaderState state;
  char *last_error;
  gint64 last_read_us;
  guint64 n_scans;
  guint run; /* incremented at each start and stop */
  MusterLifecycle lifecycle;
} MusterReaderPrivate;

G_DEFINE_TYPE_WITH_PRIVATE(MusterReader, muster_reader, G_TYPE_OBJECT)

enum { PROP_0, PROP_ID, PROP_KIND, PROP_STATE, PROP_LAST_ERROR, PROP_LAST_READ_US, PROP_N_SCANS, N_PROPS };
static GParamSpec *props[N_PROPS];
enum { SIGNAL_SCAN, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE(MusterReaderState, muster_reader_state,
                   G_DEFINE_ENUM_VALUE(MUSTER_READER_STATE_STOPPED, "stopped"),
                   G_DEFINE_ENUM_VALUE(MUSTER_READER_STATE_OPENING, "opening"),
                   G_DEFINE_ENUM_VALUE(MUSTER_READER_STATE_READY, "ready"),
                   G_DEFINE_ENUM_VALUE(MUSTER_READER_STATE_DISCONNECTED, "disconnected"),
                   G_DEFINE_ENUM_VALUE(MUSTER_READER_STATE_FAILED, "failed"))

const char *
muster_reader_state_to_string(MusterReaderState state)
{
  GEnumClass *states = g_type_class_ref(MUSTER_TYPE_READER_STATE);
  const GEnumValue *value = g_enum_get_value(states, (gint)state);
  g_type_class_unref(states); /* a static type's class stays, and its nicks with it */
  return value != NULL ? value->value_nick : "unknown";
}

MusterLifecycle *
muster_reader_get_lifecycle(MusterReader *self)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  return &priv->lifecycle;
}

static void
muster_reader_finalize(GObject *object)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(MUSTER_READER(object));
  g_free(priv->id);
  g_free(priv->kind);
  g_free(priv->last_error);
  g_main_context_unref(priv->context);
  g_mutex_clear(&priv->lock);
  muster_lifecycle_clear(&priv->lifecycle);
  G_OBJECT_CLASS(muster_reader_parent_class)->finalize(object);
}

static void
muster_reader_dispose(GObject *object)
{
  muster_reader_stop(MUSTER_READER(object));
  G_OBJECT_CLASS(muster_reader_parent_class)->dispose(object);
}

static void
muster_reader_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MusterReader *self = MUSTER_READER(object);
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  switch (prop_id) {
  case PROP_ID:
    g_value_set_string(value, priv->id);
    break;
  case PROP_KIND:
    g_value_set_string(value, priv->kind);
    break;
  case PROP_STATE:
    g_value_set_enum(value, muster_reader_get_state(self));
    break;
  case PROP_LAST_ERROR:
    g_value_take_string(value, muster_reader_dup_last_error(self));
    break;
  case PROP_LAST_READ_US:
    g_value_set_int64(value, muster_reader_get_last_read_us(self));
    break;
  case PROP_N_SCANS:
    g_value_set_uint64(value, muster_reader_get_n_scans(self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void
muster_reader_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(MUSTER_READER(object));
  switch (prop_id) {
  case PROP_ID:
    priv->id = g_value_dup_string(value);
    break;
  case PROP_KIND:
    priv->kind = g_value_dup_string(value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void
muster_reader_class_init(MusterReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS(klass);
  object_class->finalize = muster_reader_finalize;
  object_class->dispose = muster_reader_dispose;
  object_class->get_property = muster_reader_get_property;
  object_class->set_property = muster_reader_set_property;
  klass->start = muster_lifecycle_start;
  klass->stop = muster_lifecycle_stop;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  props[PROP_ID] = g_param_spec_string("id", NULL, NULL, NULL, construct);
  props[PROP_KIND] = g_param_spec_string("kind", NULL, NULL, NULL, construct);
  props[PROP_STATE] = g_param_spec_enum("state", NULL, NULL, MUSTER_TYPE_READER_STATE,
                                        MUSTER_READER_STATE_STOPPED, ro);
  props[PROP_LAST_ERROR] = g_param_spec_string("last-error", NULL, NULL, NULL, ro);
  props[PROP_LAST_READ_US] = g_param_spec_int64("last-read-us", NULL, NULL, 0, G_MAXINT64, 0, ro);
  props[PROP_N_SCANS] = g_param_spec_uint64("n-scans", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  g_object_class_install_properties(object_class, N_PROPS, props);
  signals[SIGNAL_SCAN] = g_signal_new("scan", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                      NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
muster_reader_init(MusterReader *self)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  g_mutex_init(&priv->lock);
  muster_lifecycle_init(&priv->lifecycle);
  priv->context = g_main_context_ref_thread_default();
}

gboolean
muster_reader_start(MusterReader *self, GError **error)
{
  g_return_val_if_fail(MUSTER_IS_READER(self), FALSE);
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  MusterReaderClass *klass = MUSTER_READER_GET_CLASS(self);
  g_mutex_lock(&priv->lock);
  priv->run++;
  g_mutex_unlock(&priv->lock);
  muster_reader_set_state(self, MUSTER_READER_STATE_OPENING, NULL);
  if (klass->start != NULL && !klass->start(self, error)) {
    g_prefix_error(error, "Reader %s: ", priv->id);
    muster_reader_set_state(self, MUSTER_READER_STATE_STOPPED, error != NULL && *error != NULL ? (*error)->message : NULL);
    return FALSE;
  }
  return TRUE;
}

void
muster_reader_stop(MusterReader *self)
{
  g_return_if_fail(MUSTER_IS_READER(self));
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  MusterReaderClass *klass = MUSTER_READER_GET_CLASS(self);
  if (klass->stop != NULL)
    klass->stop(self);
  g_mutex_lock(&priv->lock);
  priv->run++;
  gboolean was_stopped = priv->state == MUSTER_READER_STATE_STOPPED;
  priv->state = MUSTER_READER_STATE_STOPPED;
  g_mutex_unlock(&priv->lock);
  if (!was_stopped)
    g_object_notify_by_pspec(G_OBJECT(self), props[PROP_STATE]);
}

const char *
muster_reader_get_id(MusterReader *self)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  return priv->id;
}

const char *
muster_reader_get_kind(MusterReader *self)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  return priv->kind;
}

MusterReaderState
muster_reader_get_state(MusterReader *self)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  g_mutex_lock(&priv->lock);
  MusterReaderState state = priv->state;
  g_mutex_unlock(&priv->lock);
  return state;
}

char *
muster_reader_dup_last_error(MusterReader *self)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  g_mutex_lock(&priv->lock);
  char *error = g_strdup(priv->last_error);
  g_mutex_unlock(&priv->lock);
  return error;
}

gint64
muster_reader_get_last_read_us(MusterReader *self)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  g_mutex_lock(&priv->lock);
  gint64 t = priv->last_read_us;
  g_mutex_unlock(&priv->lock);
  return t;
}

guint64
muster_reader_get_n_scans(MusterReader *self)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  g_mutex_lock(&priv->lock);
  guint64 n = priv->n_scans;
  g_mutex_unlock(&priv->lock);
  return n;
}

GMainContext *
muster_reader_get_context(MusterReader *self)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  return priv->context;
}

/* One queued delivery: a scan, or a state change (scan NULL). */
typedef struct {
  MusterReader *reader; /* a reference */
  guint run;
  MusterScan *scan;
  gboolean notify_error;
} Delivery;

static void
delivery_free(gpointer data)
{
  Delivery *d = data;
  g_object_unref(d->reader);
  muster_scan_free(d->scan);
  g_free(d);
}

static gboolean
deliver(gpointer data)
{
  Delivery *d = data;
  MusterReaderPrivate *priv = muster_reader_get_instance_private(d->reader);
  g_mutex_lock(&priv->lock);
  gboolean current = d->run == priv->run;
  g_mutex_unlock(&priv->lock);
  if (d->scan != NULL) {
    if (current) {
      g_signal_emit(d->reader, signals[SIGNAL_SCAN], 0, d->scan);
      g_object_notify_by_pspec(G_OBJECT(d->reader), props[PROP_LAST_READ_US]);
      g_object_notify_by_pspec(G_OBJECT(d->reader), props[PROP_N_SCANS]);
    }
  } else {
    g_object_notify_by_pspec(G_OBJECT(d->reader), props[PROP_STATE]);
    if (d->notify_error)
      g_object_notify_by_pspec(G_OBJECT(d->reader), props[PROP_LAST_ERROR]);
  }
  return G_SOURCE_REMOVE;
}

static void
queue(MusterReader *self, guint run, MusterScan *scan, gboolean notify_error)
{
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  Delivery *d = g_new0(Delivery, 1);
  d->reader = g_object_ref(self);
  d->run = run;
  d->scan = scan;
  d->notify_error = notify_error;
  /* g_main_context_invoke would run inline on the owner thread, out of order with
   * deliveries already queued; an idle source keeps the order. */
  GSource *source = g_idle_source_new();
  g_source_set_priority(source, G_PRIORITY_DEFAULT);
  g_source_set_callback(source, deliver, d, delivery_free);
  g_source_set_static_name(source, "muster-reader-delivery");
  g_source_attach(source, priv->context);
  g_source_unref(source);
}

void
muster_reader_emit_scan(MusterReader *self, MusterScan *scan)
{
  g_return_if_fail(MUSTER_IS_READER(self));
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  if (scan->reader == NULL)
    scan->reader = g_strdup(priv->id);
  if (scan->reader_kind == NULL)
    scan->reader_kind = g_strdup(priv->kind);
  g_mutex_lock(&priv->lock);
  priv->last_read_us = scan->read_at_us;
  priv->n_scans++;
  guint run = priv->run;
  g_mutex_unlock(&priv->lock);
  queue(self, run, scan, FALSE);
}

void
muster_reader_set_state(MusterReader *self, MusterReaderState state, const char *error)
{
  g_return_if_fail(MUSTER_IS_READER(self));
  MusterReaderPrivate *priv = muster_reader_get_instance_private(self);
  gboolean bad = state == MUSTER_READER_STATE_FAILED || state == MUSTER_READER_STATE_DISCONNECTED;
  g_mutex_lock(&priv->lock);
  gboolean state_changed = priv->state != state;
  /* The last error stays visible (`muster readers list`) until a new one replaces it. */
  gboolean error_changed = error != NULL && g_strcmp0(priv->last_error, error) != 0;
  if (error_changed) {
    g_free(priv->last_error);
    priv->last_error = g_strdup(error);
  }
  priv->state = state;
  guint run = priv->run;
  g_mutex_unlock(&priv->lock);
  if (bad && error != NULL && (state_changed || error_changed))
    g_message("Reader %s %s: %s", priv->id, muster_reader_state_to_string(state), error);
  if (state_changed || error_changed)
    queue(self, run, NULL, error_changed);
}
