/*
 * lifecycle.c: the device lifecycle every reader driver shares (see reader.h; the steps
 * a driver writes are in drivers/README.md). libfprint's fpi-device is the model: the
 * base class runs the device, the driver says how to open, read and close it.
 *
 * Shape, and why:
 *  - One thread per reader runs the attempts, because device libraries block (libnfc,
 *    libusb's open and claim, zbar's video): none may hold up the main loop. The steps
 *    run one at a time on it, so a driver's device fields need no lock, but for what
 *    interrupt() reaches from stop().
 *  - An attempt: OPENING, open, READY, read until a read fails or stop(), close. The
 *    failure's GError code says what it means (reader.h): FAILED and GONE set that state
 *    with the retry in the message, BUSY retries quietly, NOT_FOUND waits for a device.
 *  - Backoff: the wait between attempts doubles from first_ms to max_ms and starts over
 *    once a device stayed open reset_after_ms, so a device gone for good is tried a few
 *    times a minute, never spun on.
 *  - A driver that notices devices arriving (USB hotplug, wait_for_device) waits there
 *    after GONE or NOT_FOUND instead of on the clock, and its attempts show no OPENING:
 *    an unplugged scanner stays DISCONNECTED until it is back.
 *  - stop() sets a flag under the lock, wakes the waits, interrupts a blocked step and
 *    joins the thread: once it returns no step runs, and MusterReader drops anything
 *    still queued.
 */
#include "drivers/lifecycle-private.h"
#include "core/log-event.h"

GQuark
muster_reader_error_quark(void)
{
  return g_quark_from_static_string("muster-reader-error-quark");
}

static const MusterReaderBackoff default_backoff = {
    .first_ms = 500,
    .max_ms = 30000,
    .reset_after_ms = 0,
};

/* What the attempts remember between them. */
typedef struct {
  guint backoff_ms; /* the wait after the next failure */
  gint64 retry_at;  /* monotonic µs a retry on the clock is due; 0: none */
} Attempts;

void
muster_lifecycle_init(MusterLifecycle *lifecycle)
{
  g_mutex_init(&lifecycle->lock);
  g_cond_init(&lifecycle->wake);
  lifecycle->backoff = default_backoff;
}

void
muster_lifecycle_clear(MusterLifecycle *lifecycle)
{
  g_mutex_clear(&lifecycle->lock);
  g_cond_clear(&lifecycle->wake);
}

void
muster_reader_set_backoff(MusterReader *self, const MusterReaderBackoff *backoff)
{
  muster_reader_get_lifecycle(self)->backoff = *backoff;
}

gboolean
muster_reader_is_stopping(MusterReader *self)
{
  MusterLifecycle *lifecycle = muster_reader_get_lifecycle(self);
  g_mutex_lock(&lifecycle->lock);
  gboolean stopping = lifecycle->stopping;
  g_mutex_unlock(&lifecycle->lock);
  return stopping;
}

/* Sleeps until until_us (monotonic) unless stop() comes first; TRUE to carry on. */
static gboolean
wait_until(MusterLifecycle *lifecycle, gint64 until_us)
{
  g_mutex_lock(&lifecycle->lock);
  while (!lifecycle->stopping && g_cond_wait_until(&lifecycle->wake, &lifecycle->lock, until_us))
    ;
  gboolean carry_on = !lifecycle->stopping;
  g_mutex_unlock(&lifecycle->lock);
  return carry_on;
}

gboolean
muster_reader_wait_ms(MusterReader *self, guint ms)
{
  return wait_until(muster_reader_get_lifecycle(self),
                    g_get_monotonic_time() + (gint64)ms * G_TIME_SPAN_MILLISECOND);
}

/* ---- The attempts ---- */

static char *
retry_message(MusterReader *self, const GError *error, gboolean was_open, guint retry_ms)
{
  MusterReaderClass *klass = MUSTER_READER_GET_CLASS(self);
  if (klass->retry_message != NULL)
    return klass->retry_message(self, error, was_open, retry_ms);
  return g_strdup_printf("%s; %s in %.1f s", error->message, was_open ? "reopening" : "retrying",
                         retry_ms / 1000.0);
}

/* A step that failed without saying why still fails. */
static void
ensure_error(GError **error)
{
  if (*error == NULL)
    g_set_error_literal(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_FAILED,
                        "the reader's device failed without saying why");
}

/* One attempt: open, read until a read fails or stop(), close. Returns when the device
 * opened (monotonic µs), 0 when it did not; error says why the attempt ended, unless
 * it was stop(). */
static gint64
attempt(MusterReader *self, Attempts *attempts, GError **error)
{
  MusterReaderClass *klass = MUSTER_READER_GET_CLASS(self);
  if (klass->wait_for_device == NULL)
    muster_reader_set_state(self, MUSTER_READER_STATE_OPENING, NULL);
  if (!klass->open(self, error)) {
    ensure_error(error);
    return 0;
  }
  muster_reader_set_state(self, MUSTER_READER_STATE_READY, NULL);
  attempts->retry_at = 0;
  gint64 opened_us = g_get_monotonic_time();
  while (!muster_reader_is_stopping(self) && klass->read(self, error))
    ;
  klass->close(self);
  if (!muster_reader_is_stopping(self))
    ensure_error(error);
  return opened_us;
}

/* A reader that was reading and stopped (unplugged, failed): the one journal event of a
 * loss, however many reopening attempts follow it. */
static void
log_lost(MusterReader *self, const GError *error)
{
  const char *id = muster_reader_get_id(self);
  const char *const fields[] = {"MUSTER_READER", id, "MUSTER_READER_KIND",
                                muster_reader_get_kind(self), NULL};
  muster_log_event(MUSTER_EVENT_READER_LOST, fields, "Reader %s lost: %s", id, error->message);
}

/* After a failed attempt: sets the state the error's code says, and returns when to try
 * again (monotonic µs; 0: when wait_for_device() says a device may be there). */
static gint64
after_failure(MusterReader *self, Attempts *attempts, const GError *error, gint64 opened_us)
{
  MusterReaderClass *klass = MUSTER_READER_GET_CLASS(self);
  const MusterReaderBackoff *backoff = &muster_reader_get_lifecycle(self)->backoff;
  gint64 now = g_get_monotonic_time();
  gboolean gone = g_error_matches(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_GONE) ||
                  g_error_matches(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_NOT_FOUND);
  if (opened_us != 0 && now - opened_us >= (gint64)backoff->reset_after_ms * 1000)
    attempts->backoff_ms = backoff->first_ms;
  if (opened_us != 0)
    log_lost(self, error);
  if (gone && klass->wait_for_device != NULL) {
    if (g_error_matches(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_GONE))
      muster_reader_set_state(self, MUSTER_READER_STATE_DISCONNECTED, error->message);
    return attempts->retry_at;
  }
  guint delay_ms = attempts->backoff_ms;
  attempts->backoff_ms = (guint)MIN((guint64)delay_ms * 2, backoff->max_ms);
  attempts->retry_at = now + (gint64)delay_ms * 1000;
  if (!g_error_matches(error, MUSTER_READER_ERROR, MUSTER_READER_ERROR_BUSY)) {
    g_autofree char *message = retry_message(self, error, opened_us != 0, delay_ms);
    muster_reader_set_state(
        self, gone ? MUSTER_READER_STATE_DISCONNECTED : MUSTER_READER_STATE_FAILED, message);
  }
  return attempts->retry_at;
}

static void
wait_for_retry(MusterReader *self, Attempts *attempts, gint64 until_us)
{
  MusterReaderClass *klass = MUSTER_READER_GET_CLASS(self);
  if (klass->wait_for_device != NULL)
    klass->wait_for_device(self, until_us);
  else
    wait_until(muster_reader_get_lifecycle(self), until_us);
  if (attempts->retry_at != 0 && g_get_monotonic_time() >= attempts->retry_at)
    attempts->retry_at = 0;
}

static gpointer
run(gpointer data)
{
  MusterReader *self = data;
  Attempts attempts = {muster_reader_get_lifecycle(self)->backoff.first_ms, 0};
  while (!muster_reader_is_stopping(self)) {
    g_autoptr(GError) error = NULL;
    gint64 opened_us = attempt(self, &attempts, &error);
    if (muster_reader_is_stopping(self))
      break;
    gint64 until_us = after_failure(self, &attempts, error, opened_us);
    wait_for_retry(self, &attempts, until_us);
  }
  return NULL;
}

/* ---- MusterReader's default start and stop ---- */

gboolean
muster_lifecycle_start(MusterReader *reader, GError **error)
{
  MusterReaderClass *klass = MUSTER_READER_GET_CLASS(reader);
  MusterLifecycle *lifecycle = muster_reader_get_lifecycle(reader);
  if (lifecycle->set_up)
    return TRUE;
  g_return_val_if_fail(klass->open != NULL && klass->read != NULL && klass->close != NULL, FALSE);
  g_autoptr(GError) local = NULL;
  gboolean ok = klass->setup == NULL || klass->setup(reader, &local);
  if (!ok && !g_error_matches(local, MUSTER_READER_ERROR, MUSTER_READER_ERROR_UNAVAILABLE)) {
    if (klass->teardown != NULL)
      klass->teardown(reader);
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
  }
  lifecycle->set_up = TRUE;
  if (!ok) {
    muster_reader_set_state(reader, MUSTER_READER_STATE_FAILED, local->message);
    return TRUE;
  }
  g_mutex_lock(&lifecycle->lock);
  lifecycle->stopping = FALSE;
  g_mutex_unlock(&lifecycle->lock);
  g_autofree char *name = g_strconcat("muster-", muster_reader_get_kind(reader), NULL);
  /* No reference for the thread: the last unref disposes the reader, which stops it
   * (MusterReader's dispose), joining the thread before anything is freed. */
  lifecycle->thread = g_thread_new(name, run, reader);
  return TRUE;
}

void
muster_lifecycle_stop(MusterReader *reader)
{
  MusterReaderClass *klass = MUSTER_READER_GET_CLASS(reader);
  MusterLifecycle *lifecycle = muster_reader_get_lifecycle(reader);
  if (!lifecycle->set_up)
    return;
  g_mutex_lock(&lifecycle->lock);
  lifecycle->stopping = TRUE;
  g_cond_broadcast(&lifecycle->wake);
  g_mutex_unlock(&lifecycle->lock);
  if (lifecycle->thread != NULL) {
    if (klass->interrupt != NULL)
      klass->interrupt(reader);
    g_thread_join(g_steal_pointer(&lifecycle->thread));
  }
  if (klass->teardown != NULL)
    klass->teardown(reader);
  lifecycle->set_up = FALSE;
}
