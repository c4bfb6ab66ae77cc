/*
 * cmd-count-scan.c: `muster count scan`: scans into an open count, from stdin or from the
 * appliance's readers.
 *
 * Both feeds go through live/live-count.c, the one loop that batches a count's scans
 * (one transaction per batch, each scan committed within 50 ms of being read); this file
 * only reads the input and prints. Each scan is acknowledged on stdout only after it is
 * committed.
 *
 * stdin is the headless reader path: one scan per line. Lines are handed to the live
 * count as they arrive and committed at once when the input pauses, so a person typing
 * sees each scan acknowledged immediately. A headless feed cannot wait for ever: while
 * another program holds the write lock a commit is tried again, 200 ms apart, up to five
 * times; then, or on any other failure, the command stops and what was not committed is
 * said to be not acknowledged. Reading from the readers runs until Ctrl+C (or an idle
 * time), retrying failed commits as the kiosk does and saying why on stderr.
 */
#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <unistd.h>

#include "app/cmd-count.h"
#include "db/ingest.h"
#include "drivers/manager.h"
#include "live/live-count.h"

#define BUSY_RETRIES 5
#define BUSY_RETRY_US 200000

static void
print_ack(const MusterIngestResult *r)
{
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_str(b, "type", "scan");
    cli_json_int(b, "scan_id", r->scan_id);
    cli_json_str(b, "outcome", muster_outcome_to_string(r->outcome));
    cli_json_str(b, "marking", r->marking_value);
    cli_json_str(b, "item_uuid", r->item_uuid);
    cli_json_str(b, "item", r->summary);
    cli_json_str(b, "status", r->item_status);
    cli_json_str(b, "location", r->location_path);
    cli_json_str(b, "recorded_location", r->recorded_location);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    g_autofree char *text = json_to_string(root, FALSE);
    fputs(text, stdout);
    fputc('\n', stdout);
    return;
  }
  printf("#%-8" G_GINT64_FORMAT " %-16s %s", r->scan_id, muster_outcome_to_string(r->outcome),
         r->summary ? r->summary : (r->marking_value ? r->marking_value : ""));
  if (r->outcome == MUSTER_OUTCOME_WRONG_LOCATION && r->recorded_location != NULL)
    printf("  (recorded at %s)", r->recorded_location);
  if (r->outcome == MUSTER_OUTCOME_STATUS_CONFLICT && r->item_status != NULL)
    printf("  (recorded %s)", r->item_status);
  putchar('\n');
}

/* The live count a feed commits through, taking scans at location (NULL: the count's
 * scope) from the start. */
static MusterLiveCount *
open_live(MusterStore *store, const MusterUser *actor, const MusterCount *count,
          MusterReaderManager *manager, const char *location, GError **error)
{
  g_autoptr(MusterLiveCount) live = muster_live_count_new(store, actor, count->id, manager, error);
  if (live == NULL ||
      (location != NULL &&
       !muster_ingest_set_location(muster_live_count_get_ingest(live), location, error)))
    return NULL;
  return g_steal_pointer(&live);
}

static void
print_location(const char *path)
{
  if (!cli.json)
    printf("@ %s\n", *path ? path : "(count scope)");
}

/* ---- scans from stdin ----------------------------------------------------------------- */

typedef struct {
  MusterLiveCount *live;
  GMainLoop *loop;
  guint watch;        /* stdin's */
  const char *reader; /* recorded with each scan */
  GString *buf;       /* input not yet split into lines */
  GError *error;      /* why the feed stopped */
} StdinFeed;

static void
on_stdin_result(MusterLiveCount *live, const MusterIngestResult *r, StdinFeed *f)
{
  print_ack(r);
}

static void
on_stdin_flushed(MusterLiveCount *live, guint n, StdinFeed *f)
{
  fflush(stdout);
}

static void
on_stdin_location(MusterLiveCount *live, const char *path, StdinFeed *f)
{
  print_location(path);
}

/* Commits what is queued; failures: commits of it that failed already. A batch that
 * cannot be committed stops the feed, unacknowledged. */
static gboolean
commit_or_stop(StdinFeed *f, guint failures)
{
  for (;; failures++) {
    if (failures > 0) {
      const GError *why = muster_live_count_get_commit_error(f->live);
      if (!g_error_matches(why, MUSTER_ERROR, MUSTER_ERROR_DB_BUSY) || failures > BUSY_RETRIES) {
        g_propagate_prefixed_error(
            &f->error, g_error_copy(why),
            "%u scans not stored (not acknowledged): ", muster_live_count_pending(f->live));
        muster_live_count_abandon(f->live);
        return FALSE;
      }
      g_usleep(BUSY_RETRY_US);
    }
    if (muster_live_count_flush(f->live, NULL))
      return TRUE;
  }
}

/* A commit the live count started itself (the 50 ms bound came) failed: the same rule
 * as for the commits this feed asks for. */
static void
on_stdin_commit_failed(MusterLiveCount *live, const GError *error, StdinFeed *f)
{
  if (!commit_or_stop(f, 1))
    g_main_loop_quit(f->loop);
}

static gboolean
handle_line(StdinFeed *f, const char *line, gsize len)
{
  while (len > 0 && line[len - 1] == '\r')
    len--;
  if (len == 0)
    return TRUE;
  g_autofree char *location = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(MusterScan) scan =
      muster_scan_parse_line(line, len, f->reader, &location, &parse_error);
  if (parse_error != NULL) {
    g_printerr("muster: %s\n", parse_error->message);
    return TRUE;
  }
  /* a chunk holds thousands of lines: the oldest may not wait for all of them */
  if (scan != NULL)
    return !muster_live_count_add(f->live, scan) || commit_or_stop(f, 0);
  if (location == NULL)
    return TRUE;
  /* Scans already queued were taken at the previous location. */
  if (!commit_or_stop(f, 0))
    return FALSE;
  g_autoptr(GError) loc_error = NULL;
  if (!muster_live_count_set_location(f->live, location, &loc_error))
    g_printerr("muster: %s (scans stay at the previous location)\n", loc_error->message);
  return TRUE;
}

/* Hands each whole line of the buffer in; what follows the last newline waits. */
static gboolean
handle_lines(StdinFeed *f)
{
  GString *buf = f->buf;
  gsize start = 0;
  gboolean ok = TRUE;
  for (gsize i = 0; ok && i < buf->len; i++) {
    if (buf->str[i] != '\n')
      continue;
    ok = handle_line(f, buf->str + start, i - start);
    start = i + 1;
  }
  g_string_erase(buf, 0, (gssize)start);
  return ok;
}

static gboolean
stop_feed(StdinFeed *f)
{
  f->watch = 0;
  g_main_loop_quit(f->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stdin(gint fd, GIOCondition condition, gpointer data)
{
  StdinFeed *f = data;
  char chunk[65536];
  ssize_t n = read(fd, chunk, sizeof chunk);
  if (n < 0 && errno != EINTR && errno != EAGAIN) {
    g_set_error(&f->error, MUSTER_ERROR, MUSTER_ERROR_IO, "Reading scans: %s", g_strerror(errno));
    return stop_feed(f);
  }
  gboolean eof = n == 0;
  if (n > 0)
    g_string_append_len(f->buf, chunk, n);
  if (eof && f->buf->len > 0)
    g_string_append_c(f->buf, '\n'); /* a last line without its newline */
  if (!handle_lines(f))
    return stop_feed(f);
  /* the input paused or ended: what is queued need not wait for more */
  gboolean drained = n >= 0 && (size_t)n < sizeof chunk;
  if (drained && !commit_or_stop(f, 0))
    return stop_feed(f);
  return eof ? stop_feed(f) : G_SOURCE_CONTINUE;
}

static void
print_scan_summary(const MusterCount *count, MusterIngest *ingest)
{
  if (cli.json) {
    printf("{\"type\":\"summary\",\"count\":\"%s\",\"scans\":%" G_GINT64_FORMAT
           ",\"found\":%" G_GINT64_FORMAT "}\n",
           count->uuid, muster_ingest_scans(ingest), muster_ingest_found(ingest));
  } else {
    printf("Count %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT " scans stored, %" G_GINT64_FORMAT
           " items found so far\n",
           count->id, muster_ingest_scans(ingest), muster_ingest_found(ingest));
  }
}

/* Until the end of stdin, then the count's figures as this feed left them. */
static gboolean
feed_stdin(MusterStore *store, const MusterUser *actor, const MusterCount *count,
           const char *location, const char *reader, GError **error)
{
  g_autoptr(MusterLiveCount) live = open_live(store, actor, count, NULL, location, error);
  if (live == NULL)
    return FALSE;
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  g_autoptr(GString) buf = g_string_new(NULL);
  StdinFeed f = {.live = live, .loop = loop, .reader = reader, .buf = buf};
  g_signal_connect(live, "result", G_CALLBACK(on_stdin_result), &f);
  g_signal_connect(live, "flushed", G_CALLBACK(on_stdin_flushed), &f);
  g_signal_connect(live, "location", G_CALLBACK(on_stdin_location), &f);
  g_signal_connect(live, "error", G_CALLBACK(on_stdin_commit_failed), &f);
  f.watch = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, &f);
  g_main_loop_run(loop);
  g_clear_handle_id(&f.watch, g_source_remove);
  g_signal_handlers_disconnect_by_data(live, &f);
  if (f.error != NULL) {
    g_propagate_error(error, f.error);
    return FALSE;
  }
  print_scan_summary(count, muster_live_count_get_ingest(live));
  return TRUE;
}

/* ---- scans from the readers ----------------------------------------------------------- */

typedef struct {
  GMainLoop *loop;
  guint idle_timer;
  double idle_seconds; /* 0: until interrupted */
} ReaderFeed;

static gboolean
feed_quit(gpointer data)
{
  ReaderFeed *f = data;
  f->idle_timer = 0;
  g_main_loop_quit(f->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
feed_signal(gpointer data)
{
  g_main_loop_quit(((ReaderFeed *)data)->loop);
  return G_SOURCE_CONTINUE;
}

static void
feed_rearm(ReaderFeed *f)
{
  if (f->idle_seconds <= 0)
    return;
  g_clear_handle_id(&f->idle_timer, g_source_remove);
  f->idle_timer = g_timeout_add((guint)(f->idle_seconds * 1000), feed_quit, f);
}

static void
on_feed_result(MusterLiveCount *live, const MusterIngestResult *r, ReaderFeed *f)
{
  print_ack(r);
  fflush(stdout);
  feed_rearm(f);
}

static void
on_feed_location(MusterLiveCount *live, const char *path, ReaderFeed *f)
{
  print_location(path);
  feed_rearm(f);
}

static void
on_feed_error(MusterLiveCount *live, const GError *error, ReaderFeed *f)
{
  g_printerr("muster: %s\n", error->message);
}

static void
on_feed_reader(MusterReaderManager *manager, MusterReader *reader, gpointer data)
{
  g_autofree char *error = muster_reader_dup_last_error(reader);
  g_printerr("reader %s: %s%s%s\n", muster_reader_get_id(reader),
             muster_reader_state_to_string(muster_reader_get_state(reader)),
             error != NULL ? " — " : "", error != NULL ? error : "");
}

static gboolean
feed_readers(MusterStore *store, const MusterUser *actor, const MusterCount *count,
             const char *readers_file, const char *location, double idle_seconds, GError **error)
{
  g_autoptr(MusterReaderManager) manager = muster_reader_manager_new(readers_file, error);
  if (manager == NULL || !muster_reader_manager_claim(manager, error))
    return FALSE;
  g_autoptr(MusterLiveCount) live = open_live(store, actor, count, manager, location, error);
  if (live == NULL)
    return FALSE;
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  ReaderFeed f = {.loop = loop, .idle_seconds = idle_seconds};
  g_signal_connect(live, "result", G_CALLBACK(on_feed_result), &f);
  g_signal_connect(live, "location", G_CALLBACK(on_feed_location), &f);
  g_signal_connect(live, "error", G_CALLBACK(on_feed_error), &f);
  g_signal_connect(manager, "reader-changed", G_CALLBACK(on_feed_reader), NULL);
  guint sigint = g_unix_signal_add(SIGINT, feed_signal, &f);
  guint sigterm = g_unix_signal_add(SIGTERM, feed_signal, &f);
  if (!muster_reader_manager_start(manager, error))
    return FALSE;
  feed_rearm(&f);
  g_main_loop_run(loop);
  g_source_remove(sigint);
  g_source_remove(sigterm);
  g_clear_handle_id(&f.idle_timer, g_source_remove);
  muster_reader_manager_stop(manager);
  /* scans read before the stop are stored and acknowledged before we return */
  while (g_main_context_iteration(NULL, FALSE))
    ;
  return muster_live_count_flush(live, error);
}

static const char scan_help[] =
    "Each line is one scan: the marking as read (\"GL-123456\", \"04:A1:B2:C3:D4:E5:F6\"),\n"
    "or a JSON object {\"value\": ..., \"kind\": ..., \"group\": ..., \"component\": ...,\n"
    "\"location\": ..., \"reader\": ..., \"authenticity\": ...}. A line \"@R1/A\" sets the\n"
    "location of the scans that follow. Garbage lines are kept as unreadable scans.\n"
    "With --from-readers the scans come from the readers (tags, barcodes, Data Matrix;\n"
    "a scanned rack label \"@R1/A/03\" sets the location) until Ctrl+C or --idle-exit.\n"
    "Each scan is acknowledged on stdout (with --json: one JSON object per line) only\n"
    "after it is committed to disk.";

int
cmd_count_run_scan(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[CMD_SCAN];
  g_autofree char *actor_name = NULL, *reader = NULL, *location = NULL, *readers_file = NULL;
  gboolean from_readers = FALSE;
  double idle = 0;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Who is scanning", "NAME"},
      {"reader", 0, 0, G_OPTION_ARG_STRING, &reader,
       "Reader name recorded with each scan "
       "(default stdin)",
       "NAME"},
      {"location", 0, 0, G_OPTION_ARG_STRING, &location, "Where the scans are taken", "PATH"},
      {"from-readers", 0, 0, G_OPTION_ARG_NONE, &from_readers,
       "Take scans from the appliance's readers instead of stdin", NULL},
      {"readers", 0, 0, G_OPTION_ARG_FILENAME, &readers_file,
       "Readers file for --from-readers (default $MUSTER_READERS, else " MUSTER_DEFAULT_READERS_FILE
       ")",
       "FILE"},
      {"idle-exit", 0, 0, G_OPTION_ARG_DOUBLE, &idle,
       "With --from-readers: stop after this long without a scan (default: at Ctrl+C)", "SECONDS"},
      {NULL}};
  const CliStart start = {
      .entries = entries, .help = scan_help, .usage = COUNT_USAGE_ONE, .args = 1};
  g_auto(CliSession) s = {0};
  int status = cli_start(cmd, &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  if (!from_readers && (readers_file != NULL || idle != 0))
    return cli_usage_error(cmd, "--readers and --idle-exit go with --from-readers");
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) count = NULL;
  if (!cli_session_open(&s, CLI_OPEN_SIGNED_IN, actor_name, &error) ||
      (count = muster_counts_get(s.store, argv[1], &error)) == NULL)
    return cli_fail(error);
  if (from_readers) {
    if (!feed_readers(s.store, s.actor, count, readers_file, location, idle, &error))
      return cli_fail(error);
    return cli.json ? 0 : count_print(s.store, count->id, s.actor);
  }
  if (!feed_stdin(s.store, s.actor, count, location, reader ? reader : "stdin", &error))
    return cli_fail(error);
  return 0;
}
