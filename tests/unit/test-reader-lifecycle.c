/*
 * test-reader-lifecycle.c: the device lifecycle every driver shares (drivers/lifecycle.c),
 * with a scripted driver that writes only the steps.
 *
 * The script says what each open and read does; the driver logs every step it is asked
 * to take, with the state the reader shows then, and the states the reader logs as
 * failures, so a test reads the lifecycle as a sentence: the order of the steps, the
 * backoff's delays, when OPENING is shown, what a failure's code does to the state, and
 * that stop() interrupts a blocked step.
 */
#include "core/log-event.h"
#include "drivers/reader.h"

#include <string.h>

#define WAIT_US (10 * G_USEC_PER_SEC)

/* ---- A driver that follows a script ---------------------------------------------- */

#define TEST_TYPE_STEP_READER (test_step_reader_get_type())
G_DECLARE_DERIVABLE_TYPE(TestStepReader, test_step_reader, TEST, STEP_READER, MusterReader)

struct _TestStepReaderClass {
  MusterReaderClass parent_class;
};

typedef struct {
  /* What each open (O opens; F, G, B, N fail FAILED, GONE, BUSY, NOT_FOUND) and each read
   * (s scans; f, g fail) does, in turn. At its end a step blocks until interrupt(). */
  const char *script;
  int setup_code; /* -1: setup works; else the code of a MUSTER_READER_ERROR */
  gboolean config_error;
  GMutex lock; /* guards the fields below: steps log from the reader's thread */
  GCond interrupted_cond;
  gboolean interrupted;
  GString *log;
} TestStepReaderPrivate;

G_DEFINE_TYPE_WITH_PRIVATE(TestStepReader, test_step_reader, MUSTER_TYPE_READER)

static TestStepReaderPrivate *
priv_of(MusterReader *reader)
{
  return test_step_reader_get_instance_private(TEST_STEP_READER(reader));
}

static void log_step(MusterReader *reader, const char *format, ...) G_GNUC_PRINTF(2, 3);

static void
log_step(MusterReader *reader, const char *format, ...)
{
  TestStepReaderPrivate *priv = priv_of(reader);
  va_list args;
  va_start(args, format);
  g_mutex_lock(&priv->lock);
  if (priv->log->len > 0)
    g_string_append_c(priv->log, ' ');
  g_string_append_vprintf(priv->log, format, args);
  g_mutex_unlock(&priv->lock);
  va_end(args);
}

/* The next step of the script; '-' at its end. */
static char
next_step(MusterReader *reader)
{
  TestStepReaderPrivate *priv = priv_of(reader);
  return *priv->script != '\0' ? *priv->script++ : '-';
}

/* A step blocked in its device, until interrupt(). */
static void
block(MusterReader *reader)
{
  TestStepReaderPrivate *priv = priv_of(reader);
  g_mutex_lock(&priv->lock);
  while (!priv->interrupted)
    g_cond_wait(&priv->interrupted_cond, &priv->lock);
  g_mutex_unlock(&priv->lock);
}

static int
code_of(char step)
{
  switch (g_ascii_toupper(step)) {
  case 'G': return MUSTER_READER_ERROR_GONE;
  case 'B': return MUSTER_READER_ERROR_BUSY;
  case 'N': return MUSTER_READER_ERROR_NOT_FOUND;
  default: return MUSTER_READER_ERROR_FAILED;
  }
}

static gboolean
step_setup(MusterReader *reader, GError **error)
{
  TestStepReaderPrivate *priv = priv_of(reader);
  log_step(reader, "setup");
  if (priv->config_error)
    g_set_error_literal(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "bad connstring");
  else if (priv->setup_code >= 0)
    g_set_error_literal(error, MUSTER_READER_ERROR, priv->setup_code, "no library");
  return !priv->config_error && priv->setup_code < 0;
}

static gboolean
step_open(MusterReader *reader, GError **error)
{
  const char *state = muster_reader_state_to_string(muster_reader_get_state(reader));
  char step = next_step(reader);
  log_step(reader, "open:%c@%s", step, state);
  if (step == 'O')
    return TRUE;
  if (step == '-')
    block(reader);
  g_set_error(error, MUSTER_READER_ERROR, code_of(step), "open %c", step);
  return FALSE;
}

static gboolean
step_read(MusterReader *reader, GError **error)
{
  char step = next_step(reader);
  log_step(reader, "read:%c", step);
  if (step == '-') {
    block(reader);
  } else if (step == 's') {
    MusterScan *scan = muster_scan_new();
    scan->text = g_strdup("T-1");
    muster_reader_emit_scan(reader, scan);
  } else {
    g_set_error(error, MUSTER_READER_ERROR, code_of(step), "read %c", step);
    return FALSE;
  }
  return TRUE;
}

static void
step_close(MusterReader *reader)
{
  log_step(reader, "close");
}

static void
step_teardown(MusterReader *reader)
{
  log_step(reader, "teardown");
}

static void
step_interrupt(MusterReader *reader)
{
  TestStepReaderPrivate *priv = priv_of(reader);
  log_step(reader, "interrupt");
  g_mutex_lock(&priv->lock);
  priv->interrupted = TRUE;
  g_cond_broadcast(&priv->interrupted_cond);
  g_mutex_unlock(&priv->lock);
}

static char *
step_retry_message(MusterReader *reader, const GError *error, gboolean was_open, guint retry_ms)
{
  log_step(reader, "retry:%u%s", retry_ms, was_open ? "(was open)" : "");
  return g_strdup_printf("%s, again in %u ms", error->message, retry_ms);
}

static void
test_step_reader_finalize(GObject *object)
{
  TestStepReaderPrivate *priv = priv_of(MUSTER_READER(object));
  g_string_free(priv->log, TRUE);
  g_mutex_clear(&priv->lock);
  g_cond_clear(&priv->interrupted_cond);
  G_OBJECT_CLASS(test_step_reader_parent_class)->finalize(object);
}

static void
test_step_reader_class_init(TestStepReaderClass *klass)
{
  MusterReaderClass *reader_class = MUSTER_READER_CLASS(klass);
  G_OBJECT_CLASS(klass)->finalize = test_step_reader_finalize;
  reader_class->setup = step_setup;
  reader_class->open = step_open;
  reader_class->read = step_read;
  reader_class->close = step_close;
  reader_class->teardown = step_teardown;
  reader_class->interrupt = step_interrupt;
  reader_class->retry_message = step_retry_message;
}

static void
test_step_reader_init(TestStepReader *self)
{
  TestStepReaderPrivate *priv = test_step_reader_get_instance_private(self);
  g_mutex_init(&priv->lock);
  g_cond_init(&priv->interrupted_cond);
  priv->log = g_string_new(NULL);
  priv->setup_code = -1;
}

/* The same driver, noticing devices arriving (as USB hotplug does): it waits for them
 * itself, and logs whether a wait has a deadline. */
#define TEST_TYPE_HOTPLUG_READER (test_hotplug_reader_get_type())
G_DECLARE_FINAL_TYPE(TestHotplugReader, test_hotplug_reader, TEST, HOTPLUG_READER, TestStepReader)

struct _TestHotplugReader {
  TestStepReader parent_instance;
};

G_DEFINE_FINAL_TYPE(TestHotplugReader, test_hotplug_reader, TEST_TYPE_STEP_READER)

static void
step_wait_for_device(MusterReader *reader, gint64 until_us)
{
  log_step(reader, until_us == 0 ? "wait:device" : "wait:clock");
}

static void
test_hotplug_reader_class_init(TestHotplugReaderClass *klass)
{
  MUSTER_READER_CLASS(klass)->wait_for_device = step_wait_for_device;
}

static void
test_hotplug_reader_init(TestHotplugReader *self)
{
  (void)self;
}

/* A failure the reader logs ("Reader test:steps failed: ...", on the thread that set the
 * state), as its state's name in the reader's log. */
static void
on_message(const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  const char *state = message + strlen("Reader test:steps ");
  log_step(data, "%.*s", (int)strcspn(state, ":"), state);
}

static guint message_handler;

/* The journal's "reader lost" events, counted where the journal's writer would get them. */
static gint lost_events;

static GLogWriterOutput
count_lost(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal(fields[i].key, "MESSAGE_ID") &&
        g_str_equal(fields[i].value, muster_events[MUSTER_EVENT_READER_LOST].message_id)) {
      g_atomic_int_inc(&lost_events);
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default(level, fields, n, data);
}

static MusterReader *
step_reader_new(GType type, const char *script, guint first_ms, guint max_ms, guint reset_ms)
{
  MusterReader *reader = g_object_new(type, "id", "test:steps", "kind", "test", NULL);
  g_atomic_int_set(&lost_events, 0);
  priv_of(reader)->script = script;
  MusterReaderBackoff backoff = {first_ms, max_ms, reset_ms};
  muster_reader_set_backoff(reader, &backoff);
  if (message_handler != 0)
    g_log_remove_handler("Muster", message_handler);
  message_handler = g_log_set_handler("Muster", G_LOG_LEVEL_MESSAGE, on_message, reader);
  return reader;
}

/* Runs the main loop until the reader has taken the steps want ends with. */
static void
run_until_logged(MusterReader *reader, const char *want)
{
  TestStepReaderPrivate *priv = priv_of(reader);
  gint64 deadline = g_get_monotonic_time() + WAIT_US;
  for (;;) {
    g_mutex_lock(&priv->lock);
    gboolean done = g_str_has_suffix(priv->log->str, want);
    g_mutex_unlock(&priv->lock);
    if (done)
      break;
    if (g_get_monotonic_time() > deadline)
      g_error("timed out waiting for '%s'; the log says '%s'", want, priv->log->str);
    if (!g_main_context_iteration(NULL, FALSE))
      g_usleep(1000);
  }
  while (g_main_context_iteration(NULL, FALSE))
    ;
}

/* Starts the reader and plays its script until the log ends with until. */
static void
play_until(MusterReader *reader, const char *until)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(reader, &error));
  g_assert_no_error(error);
  run_until_logged(reader, until);
}

static void
assert_last_error(MusterReader *reader, const char *want)
{
  g_autofree char *error = muster_reader_dup_last_error(reader);
  g_assert_cmpstr(error, ==, want);
}

/* Stops the reader: it then shows STOPPED, its last error is last_error, and its log is
 * the whole of log. */
static void
stop_and_assert(MusterReader *reader, const char *last_error, const char *log)
{
  assert_last_error(reader, last_error);
  muster_reader_stop(reader);
  g_assert_cmpint(muster_reader_get_state(reader), ==, MUSTER_READER_STATE_STOPPED);
  g_assert_cmpstr(priv_of(reader)->log->str, ==, log);
}

/* ---- The tests ----------------------------------------------------------------------- */

/* Failed opens are retried after a wait that doubles up to the maximum, each shown as
 * OPENING first; a device that opened starts the backoff over; stop() interrupts the
 * blocked read, then the device is closed and the library let go, in that order. */
static void
test_backoff_and_stop(void)
{
  g_autoptr(MusterReader) reader = step_reader_new(TEST_TYPE_STEP_READER, "FFFOsgO", 10, 30, 0);
  play_until(reader, "read:-"); /* blocked after the script */
  g_assert_cmpint(muster_reader_get_state(reader), ==, MUSTER_READER_STATE_READY);
  g_assert_cmpuint(muster_reader_get_n_scans(reader), ==, 1);
  stop_and_assert(reader, "read g, again in 10 ms",
                  "setup open:F@opening retry:10 failed open:F@opening retry:20 failed "
                  "open:F@opening retry:30 failed open:O@opening read:s read:g close "
                  "retry:10(was open) disconnected open:O@opening read:- interrupt close "
                  "teardown");
  /* the journal hears of the one loss of an open device, not of the failed opens */
  g_assert_cmpint(g_atomic_int_get(&lost_events), ==, 1);
}

/* GONE is DISCONNECTED, any other failure FAILED; a device that stayed open less than
 * reset_after does not start the backoff over; stop() interrupts a blocked open. */
static void
test_states_and_reset_rule(void)
{
  g_autoptr(MusterReader) reader = step_reader_new(TEST_TYPE_STEP_READER, "GOfOgF", 5, 40, 60000);
  play_until(reader, "open:-@opening");
  stop_and_assert(reader, "open F, again in 40 ms",
                  "setup open:G@opening retry:5 disconnected open:O@opening read:f close "
                  "retry:10(was open) failed open:O@opening read:g close retry:20(was open) "
                  "disconnected open:F@opening retry:40 failed open:-@opening interrupt "
                  "teardown");
  g_assert_cmpint(g_atomic_int_get(&lost_events), ==, 2);
}

/* A driver that notices devices waits for one after NOT_FOUND and GONE, shows no
 * OPENING (unplugged stays DISCONNECTED, with the driver's message as it is), and
 * retries BUSY quietly on the clock. */
static void
test_waits_for_device(void)
{
  g_autoptr(MusterReader) reader = step_reader_new(TEST_TYPE_HOTPLUG_READER, "NOsgBO", 10, 30, 0);
  play_until(reader, "read:-");
  stop_and_assert(reader, "read g",
                  "setup open:N@opening wait:device open:O@opening read:s read:g close "
                  "disconnected wait:device open:B@disconnected wait:clock "
                  "open:O@disconnected read:- interrupt close teardown");
}

/* A configuration that can never work fails start() and leaves nothing set up; a device
 * library that cannot start is FAILED, with no attempt to open, until restarted. */
static void
test_setup_failures(void)
{
  g_autoptr(MusterReader) bad = step_reader_new(TEST_TYPE_STEP_READER, "O", 10, 30, 0);
  priv_of(bad)->config_error = TRUE;
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_reader_start(bad, &error));
  g_assert_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  g_assert_cmpstr(error->message, ==, "Reader test:steps: bad connstring");
  stop_and_assert(bad, "Reader test:steps: bad connstring", "setup teardown");

  g_autoptr(MusterReader) broken = step_reader_new(TEST_TYPE_STEP_READER, "O", 10, 30, 0);
  priv_of(broken)->setup_code = MUSTER_READER_ERROR_UNAVAILABLE;
  g_assert_true(muster_reader_start(broken, NULL));
  g_assert_cmpint(muster_reader_get_state(broken), ==, MUSTER_READER_STATE_FAILED);
  stop_and_assert(broken, "no library", "setup failed teardown");
}

/* The state is an enum property: its type names the states. */
static void
test_state_property(void)
{
  g_autoptr(MusterReader) reader = step_reader_new(TEST_TYPE_STEP_READER, "", 10, 30, 0);
  GParamSpec *pspec = g_object_class_find_property(G_OBJECT_GET_CLASS(reader), "state");
  g_assert_true(G_IS_PARAM_SPEC_ENUM(pspec));
  g_assert_cmpuint(pspec->value_type, ==, MUSTER_TYPE_READER_STATE);
  MusterReaderState state = MUSTER_READER_STATE_READY;
  g_object_get(reader, "state", &state, NULL);
  g_assert_cmpint(state, ==, MUSTER_READER_STATE_STOPPED);
  const char *names[] = {"stopped", "opening", "ready", "disconnected", "failed"};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++)
    g_assert_cmpstr(muster_reader_state_to_string(i), ==, names[i]);
  g_assert_cmpstr(muster_reader_state_to_string(G_N_ELEMENTS(names)), ==, "unknown");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_log_set_writer_func(count_lost, NULL, NULL);
  g_test_add_func("/reader-lifecycle/backoff-and-stop", test_backoff_and_stop);
  g_test_add_func("/reader-lifecycle/states-and-reset-rule", test_states_and_reset_rule);
  g_test_add_func("/reader-lifecycle/waits-for-device", test_waits_for_device);
  g_test_add_func("/reader-lifecycle/setup-failures", test_setup_failures);
  g_test_add_func("/reader-lifecycle/state-property", test_state_property);
  return g_test_run();
}
