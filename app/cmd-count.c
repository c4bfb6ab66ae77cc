/*
 * cmd-count.c: `muster count ...`: a stock count from start to sign-off.
 *
 * `count scan` is the headless reader path: one scan per line on stdin, acknowledged
 * on stdout only after it is committed. Lines are batched while they arrive faster than
 * the disk can sync (one transaction per batch, at most 50 ms old), and flushed at once
 * when the input pauses, so a person typing sees each scan acknowledged immediately.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/output.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/reconcile.h"
#include "drivers/manager.h"
#include "live/live-count.h"
#include <glib-unix.h>

static int run_start(int argc, char **argv);
static int run_scan(int argc, char **argv);
static int run_unmarked(int argc, char **argv);
static int run_close(int argc, char **argv);
static int run_reconcile(int argc, char **argv);
static int run_discrepancies(int argc, char **argv);
static int run_resolve(int argc, char **argv);
static int run_sign_off(int argc, char **argv);
static int run_list(int argc, char **argv);
static int run_show(int argc, char **argv);
static int run_photo(int argc, char **argv);

const MusterCliCommand muster_cmd_count[] = {
    {"count start", "--user COUNTER --witness NAME --scope PATH... [--blind]",
     "Start a count of one or more locations", run_start},
    {"count scan", "--user NAME COUNT", "Feed scans, one per line on stdin (plain or JSON)",
     run_scan},
    {"count unmarked", "--user NAME --description TEXT --location PATH [--photo FILE] COUNT",
     "Record an item found without any marking", run_unmarked},
    {"count close", "--user NAME COUNT", "Close a count: no more scans", run_close},
    {"count reconcile", "--user NAME COUNT", "Compare what was found with what was expected",
     run_reconcile},
    {"count discrepancies", "COUNT [--kind K] [--location PATH] [--unresolved]",
     "List a count's discrepancies", run_discrepancies},
    {"count resolve", "--user SUPERVISOR [--confirm-by NAME] --action A --reason TEXT ID",
     "Resolve a discrepancy", run_resolve},
    {"count sign-off", "--user SUPERVISOR [--note TEXT] COUNT",
     "Sign a reconciled count off (not by its counter)", run_sign_off},
    {"count list", "[--state STATE]", "List counts, newest first", run_list},
    {"count show", "[--user NAME] COUNT", "Show a count and its progress", run_show},
    {"count photo", "--out FILE UNMARKED",
     "Write the photo of an unmarked item (the subject of its discrepancy) to a file", run_photo},
    {NULL}};

/* Everything a count subcommand needs, opened and signed in. */
typedef struct {
  MusterStore *store;
  MusterUser *actor;
  MusterCount *count;
} CountCtx;

static void
count_ctx_clear(CountCtx *c)
{
  g_clear_pointer(&c->count, muster_count_free);
  g_clear_pointer(&c->actor, muster_user_free);
  g_clear_pointer(&c->store, muster_store_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CountCtx, count_ctx_clear)

static gboolean
count_ctx_open(CountCtx *c, const char *actor_name, gboolean sign_in, const char *count_id,
               GError **error)
{
  c->store = cli_open_store(error);
  if (c->store == NULL)
    return FALSE;
  if (sign_in && (c->actor = cli_sign_in_actor(c->store, actor_name, error)) == NULL)
    return FALSE;
  if (count_id != NULL && (c->count = muster_counts_get(c->store, count_id, error)) == NULL)
    return FALSE;
  return TRUE;
}

static gboolean
may_see_expected(const MusterCount *count, const MusterUser *actor)
{
  if (actor != NULL)
    return muster_count_may_see_expected(count, actor);
  /* Nobody signed in: treat the viewer as possibly the counter. */
  return !count->blind || count->state >= MUSTER_COUNT_RECONCILED;
}

static int
print_count(MusterStore *store, gint64 id, const MusterUser *viewer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) count = muster_counts_get_by_id(store, id, &error);
  if (count == NULL)
    return cli_fail(error);
  gboolean show = may_see_expected(count, viewer);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    output_count_json(b, count, show);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    output_count_text(stdout, count, show);
  }
  return 0;
}

static int
run_start(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[0];
  g_autofree char *actor_name = NULL, *witness_name = NULL;
  g_auto(GStrv) scope = NULL;
  gboolean blind = FALSE, all = FALSE;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "The counter", "NAME"},
      {"witness", 'w', 0, G_OPTION_ARG_STRING, &witness_name, "The witness (another person)",
       "NAME"},
      {"scope", 's', 0, G_OPTION_ARG_STRING_ARRAY, &scope, "A location to count (repeat)", "PATH"},
      {"all", 0, 0, G_OPTION_ARG_NONE, &all, "Count the whole armoury", NULL},
      {"blind", 0, 0, G_OPTION_ARG_NONE, &blind,
       "Blind count: the counter sees no expected "
       "figures",
       NULL},
      {NULL}};
  g_autoptr(GOptionContext) ctx =
      cli_context(cmd, entries,
                  "The counter's PIN comes from $MUSTER_PIN, the witness's from "
                  "$MUSTER_WITNESS_PIN (or prompts).");
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (witness_name == NULL || (scope == NULL && !all) || (scope != NULL && all) || argc != 1)
    return cli_usage_error(cmd, "give --witness and either --scope PATH (repeatable) or --all");
  g_autoptr(GError) error = NULL;
  g_auto(CountCtx) c = {0};
  if (!count_ctx_open(&c, actor_name, TRUE, NULL, &error))
    return cli_fail(error);
  g_autoptr(MusterUser) witness =
      cli_sign_in(c.store, witness_name, "MUSTER_WITNESS_PIN", "witness", &error);
  if (witness == NULL)
    return cli_fail(error);
  const char *const whole[] = {"", NULL};
  g_autoptr(MusterCount) count = muster_counts_start(
      c.store, c.actor, witness, all ? whole : (const char *const *)scope, blind, &error);
  if (count == NULL)
    return cli_fail(error);
  return print_count(c.store, count->id, c.actor);
}

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

/* Commits the queue, retrying while another program holds the write lock, then
 * acknowledges each scan. Nothing is printed for a batch that did not commit. */
static gboolean
flush_and_ack(MusterIngest *ingest, GError **error)
{
  if (muster_ingest_pending(ingest) == 0)
    return TRUE;
  g_autoptr(GArray) results = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(results, (GDestroyNotify)muster_ingest_result_clear);
  for (int attempt = 0;; attempt++) {
    g_autoptr(GError) local = NULL;
    if (muster_ingest_flush(ingest, results, &local))
      break;
    if (!g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_DB_BUSY) || attempt >= 5) {
      g_propagate_prefixed_error(
          error, g_steal_pointer(&local),
          "%u scans not stored (not acknowledged): ", muster_ingest_pending(ingest));
      return FALSE;
    }
    g_usleep(200000);
  }
  for (guint i = 0; i < results->len; i++)
    print_ack(&g_array_index(results, MusterIngestResult, i));
  fflush(stdout);
  return TRUE;
}

static gboolean
handle_line(MusterIngest *ingest, const char *line, gsize len, const char *reader, GError **error)
{
  while (len > 0 && line[len - 1] == '\r')
    len--;
  if (len == 0)
    return TRUE;
  g_autofree char *location = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(MusterScan) scan = muster_scan_parse_line(line, len, reader, &location, &parse_error);
  if (parse_error != NULL) {
    g_printerr("muster: %s\n", parse_error->message);
    return TRUE;
  }
  if (scan != NULL) {
    muster_ingest_add(ingest, scan);
    return TRUE;
  }
  if (location == NULL)
    return TRUE;
  /* Scans already queued were taken at the previous location. */
  if (!flush_and_ack(ingest, error))
    return FALSE;
  g_autoptr(GError) loc_error = NULL;
  if (!muster_ingest_set_location(ingest, location, &loc_error))
    g_printerr("muster: %s (scans stay at the previous location)\n", loc_error->message);
  else if (!cli.json)
    printf("@ %s\n", *location ? location : "(count scope)");
  return TRUE;
}

/* Every scan is committed (and acknowledged) within this of being read: the engine
 * sizes each batch so that its flush ends in time (muster_ingest_due()). */
#define MAX_WAIT_US 50000

/* How long poll() may wait for more input: until a flush is due, or for ever. */
static int
poll_timeout_ms(MusterIngest *ingest)
{
  gint64 us = muster_ingest_due_in(ingest, MAX_WAIT_US);
  return us < 0 ? -1 : (int)((us + 999) / 1000);
}

static gboolean
feed_stdin(MusterIngest *ingest, const char *reader, GError **error)
{
  g_autoptr(GString) buf = g_string_new(NULL);
  char chunk[65536];
  gboolean eof = FALSE;
  while (!eof) {
    int timeout = poll_timeout_ms(ingest);
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    int rc = poll(&p, 1, timeout);
    if (rc < 0 && errno != EINTR) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Reading scans: %s", g_strerror(errno));
      return FALSE;
    }
    gboolean drained = rc == 0;
    if (rc > 0) {
      ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
      if (n < 0 && errno != EINTR && errno != EAGAIN) {
        g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Reading scans: %s", g_strerror(errno));
        return FALSE;
      }
      eof = n == 0;
      drained = n >= 0 && (size_t)n < sizeof chunk;
      if (n > 0)
        g_string_append_len(buf, chunk, n);
      if (eof && buf->len > 0)
        g_string_append_c(buf, '\n'); /* a last line without its newline */
      gsize start = 0;
      for (gsize i = 0; i < buf->len; i++) {
        if (buf->str[i] != '\n')
          continue;
        if (!handle_line(ingest, buf->str + start, i - start, reader, error))
          return FALSE;
        start = i + 1;
        /* a chunk holds thousands of lines: the oldest may not wait for all of them */
        if (muster_ingest_due(ingest, MAX_WAIT_US) && !flush_and_ack(ingest, error))
          return FALSE;
      }
      g_string_erase(buf, 0, (gssize)start);
    }
    if ((drained || eof || muster_ingest_due(ingest, MAX_WAIT_US)) && !flush_and_ack(ingest, error))
      return FALSE;
  }
  return TRUE;
}

/* ---- scans from the readers --------------------------------------------------------- */

typedef struct {
  GMainLoop *loop;
  guint idle_timer;
  double idle_seconds; /* 0: until interrupted */
  gboolean failed;
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
  (void)live;
  print_ack(r);
  fflush(stdout);
  feed_rearm(f);
}

static void
on_feed_location(MusterLiveCount *live, const char *path, ReaderFeed *f)
{
  (void)live;
  if (!cli.json)
    printf("@ %s\n", *path ? path : "(count scope)");
  feed_rearm(f);
}

static void
on_feed_error(MusterLiveCount *live, const GError *error, ReaderFeed *f)
{
  (void)live;
  (void)f;
  g_printerr("muster: %s\n", error->message);
}

static void
on_feed_reader(MusterReaderManager *manager, MusterReader *reader, gpointer data)
{
  (void)manager;
  (void)data;
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
  g_autoptr(MusterLiveCount) live = muster_live_count_new(store, actor, count->id, manager, error);
  if (live == NULL)
    return FALSE;
  if (location != NULL &&
      !muster_ingest_set_location(muster_live_count_get_ingest(live), location, error))
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

static int
run_scan(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[1];
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
  g_autoptr(GOptionContext) ctx = cli_context(
      cmd, entries,
      "Each line is one scan: the marking as read (\"GL-123456\", \"04:A1:B2:C3:D4:E5:F6\"),\n"
      "or a JSON object {\"value\": ..., \"kind\": ..., \"group\": ..., \"component\": ...,\n"
      "\"location\": ..., \"reader\": ..., \"authenticity\": ...}. A line \"@R1/A\" sets the\n"
      "location of the scans that follow. Garbage lines are kept as unreadable scans.\n"
      "With --from-readers the scans come from the readers (tags, barcodes, Data Matrix;\n"
      "a scanned rack label \"@R1/A/03\" sets the location) until Ctrl+C or --idle-exit.\n"
      "Each scan is acknowledged on stdout (with --json: one JSON object per line) only\n"
      "after it is committed to disk.");
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (argc != 2)
    return cli_usage_error(cmd, "give exactly one COUNT");
  if (!from_readers && (readers_file != NULL || idle != 0))
    return cli_usage_error(cmd, "--readers and --idle-exit go with --from-readers");
  g_autoptr(GError) error = NULL;
  g_auto(CountCtx) c = {0};
  if (!count_ctx_open(&c, actor_name, TRUE, argv[1], &error))
    return cli_fail(error);
  if (from_readers) {
    if (!feed_readers(c.store, c.actor, c.count, readers_file, location, idle, &error))
      return cli_fail(error);
    return cli.json ? 0 : print_count(c.store, c.count->id, c.actor);
  }
  g_autoptr(MusterIngest) ingest = muster_ingest_new(c.store, c.actor, c.count->id, &error);
  if (ingest == NULL)
    return cli_fail(error);
  if (location != NULL && !muster_ingest_set_location(ingest, location, &error))
    return cli_fail(error);
  if (!feed_stdin(ingest, reader ? reader : "stdin", &error))
    return cli_fail(error);
  print_scan_summary(c.count, ingest);
  return 0;
}

/* A photo file's bytes, checked to be a PNG or JPEG of at most 8 MiB before anything
 * is recorded; the error names the file. Big files are refused before being read. */
static GBytes *
read_photo(const char *path, MusterPhotoFacts *facts, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new(path, FALSE, &local);
  if (file == NULL) {
    g_set_error(error, MUSTER_ERROR,
                g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? MUSTER_ERROR_NOT_FOUND
                                                                         : MUSTER_ERROR_IO,
                "Photo %s cannot be read (%s): give the path of a PNG or JPEG file.", path,
                local->message);
    return NULL;
  }
  gsize len = g_mapped_file_get_length(file);
  if (len > MUSTER_PHOTO_MAX_BYTES) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "Photo %s is %.1f MiB; at most %d MiB is kept: save it at a lower resolution "
                "or as a JPEG.",
                path, (double)len / (1024 * 1024), MUSTER_PHOTO_MAX_BYTES / (1024 * 1024));
    return NULL;
  }
  /* A copy: the bytes checked and hashed are the bytes stored, whatever the file does. */
  g_autoptr(GBytes) bytes = g_bytes_new(g_mapped_file_get_contents(file), len);
  if (!muster_photo_inspect(bytes, NULL, facts, error)) {
    g_prefix_error(error, "Photo %s: ", path);
    return NULL;
  }
  return g_steal_pointer(&bytes);
}

static void
print_unmarked(const char *uuid, const char *location, const char *photo_file,
               const MusterPhotoFacts *facts)
{
  if (!cli.json) {
    printf("Recorded unmarked item %s at %s\n", uuid, location);
    if (photo_file != NULL)
      printf("with photo %s (%s, %" G_GSIZE_FORMAT " bytes, SHA-256 %s)\n", photo_file,
             facts->media_type, facts->size, facts->sha256);
    return;
  }
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  cli_json_str(b, "unmarked_item", uuid);
  json_builder_set_member_name(b, "photo");
  if (photo_file == NULL) {
    json_builder_add_null_value(b);
  } else {
    json_builder_begin_object(b);
    cli_json_str(b, "media_type", facts->media_type);
    cli_json_int(b, "size", (gint64)facts->size);
    cli_json_str(b, "sha256", facts->sha256);
    json_builder_end_object(b);
  }
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  cli_print_json(root);
}

static int
run_unmarked(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[2];
  g_autofree char *actor_name = NULL, *description = NULL, *location = NULL, *photo = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Who found it", "NAME"},
      {"description", 'd', 0, G_OPTION_ARG_STRING, &description, "What it is (required)", "TEXT"},
      {"location", 0, 0, G_OPTION_ARG_STRING, &location, "Where it was found (required)", "PATH"},
      {"photo", 0, 0, G_OPTION_ARG_FILENAME, &photo,
       "A photo of it, PNG or JPEG, at most 8 MiB: its bytes are stored", "FILE"},
      {NULL}};
  g_autoptr(GOptionContext) ctx = cli_context(cmd, entries, NULL);
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (argc != 2 || description == NULL || location == NULL)
    return cli_usage_error(cmd, "give --description, --location and one COUNT");
  g_autoptr(GError) error = NULL;
  MusterPhotoFacts facts = {0};
  g_autoptr(GBytes) bytes = photo != NULL ? read_photo(photo, &facts, &error) : NULL;
  if (photo != NULL && bytes == NULL)
    return cli_fail(error);
  MusterPhotoInput input = {bytes, facts.media_type, 0};
  g_auto(CountCtx) c = {0};
  g_autofree char *uuid = NULL;
  if (!count_ctx_open(&c, actor_name, TRUE, argv[1], &error) ||
      !muster_counts_record_unmarked_photo(c.store, c.actor, c.count->id, description, location,
                                           bytes != NULL ? &input : NULL, &uuid, &error))
    return cli_fail(error);
  print_unmarked(uuid, location, photo, &facts);
  return 0;
}

typedef gboolean (*CountStep)(MusterStore *, const MusterUser *, gint64, GError **);

static int
run_step(const MusterCliCommand *cmd, int argc, char **argv, CountStep step)
{
  g_autofree char *actor_name = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Who is doing this", "NAME"}, {NULL}};
  g_autoptr(GOptionContext) ctx = cli_context(cmd, entries, NULL);
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (argc != 2)
    return cli_usage_error(cmd, "give exactly one COUNT");
  g_autoptr(GError) error = NULL;
  g_auto(CountCtx) c = {0};
  if (!count_ctx_open(&c, actor_name, TRUE, argv[1], &error) ||
      !step(c.store, c.actor, c.count->id, &error))
    return cli_fail(error);
  return print_count(c.store, c.count->id, c.actor);
}

static int
run_close(int argc, char **argv)
{
  return run_step(&muster_cmd_count[3], argc, argv, muster_counts_close);
}

static gboolean
reconcile_step(MusterStore *store, const MusterUser *actor, gint64 id, GError **error)
{
  MusterReconcileSummary summary;
  return muster_reconcile(store, actor, id, &summary, error);
}

static int
run_reconcile(int argc, char **argv)
{
  return run_step(&muster_cmd_count[4], argc, argv, reconcile_step);
}

static int
run_discrepancies(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[5];
  g_autofree char *kind = NULL, *location = NULL;
  gboolean unresolved = FALSE;
  const GOptionEntry entries[] = {
      {"kind", 0, 0, G_OPTION_ARG_STRING, &kind, "Only this kind (missing, wrong_location, ...)",
       "KIND"},
      {"location", 0, 0, G_OPTION_ARG_STRING, &location, "Only at or under this location", "PATH"},
      {"unresolved", 0, 0, G_OPTION_ARG_NONE, &unresolved, "Only those without a resolution", NULL},
      {NULL}};
  g_autoptr(GOptionContext) ctx = cli_context(cmd, entries, NULL);
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (argc != 2)
    return cli_usage_error(cmd, "give exactly one COUNT");
  g_autoptr(GError) error = NULL;
  g_auto(CountCtx) c = {0};
  if (!count_ctx_open(&c, NULL, FALSE, argv[1], &error))
    return cli_fail(error);
  MusterDiscrepancyFilter filter = {kind, location, unresolved ? 0 : -1};
  g_autoptr(GPtrArray) list = muster_discrepancies_list(c.store, c.count->id, &filter, &error);
  if (list == NULL)
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_array(b);
    for (guint i = 0; i < list->len; i++)
      output_discrepancy_json(b, list->pdata[i]);
    json_builder_end_array(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
    return 0;
  }
  for (guint i = 0; i < list->len; i++)
    output_discrepancy_text(stdout, list->pdata[i]);
  printf("%u discrepancies\n", list->len);
  return 0;
}

static int
run_resolve(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[6];
  g_autofree char *actor_name = NULL, *confirm = NULL, *action = NULL, *reason = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Supervisor resolving", "NAME"},
      {"confirm-by", 0, 0, G_OPTION_ARG_STRING, &confirm,
       "Second person confirming (needed for missing and status_conflict)", "NAME"},
      {"action", 0, 0, G_OPTION_ARG_STRING, &action,
       "found, recorded, corrected, written_off, reported, accepted or reopened", "ACTION"},
      {"reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (required)", "TEXT"},
      {NULL}};
  g_autoptr(GOptionContext) ctx =
      cli_context(cmd, entries,
                  "ID is the discrepancy's number or uuid ('muster count discrepancies').\n"
                  "The confirmer's PIN comes from $MUSTER_CONFIRM_PIN (or a prompt).");
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (argc != 2 || action == NULL || reason == NULL)
    return cli_usage_error(cmd, "give --action, --reason and one discrepancy ID");
  g_autoptr(GError) error = NULL;
  g_auto(CountCtx) c = {0};
  if (!count_ctx_open(&c, actor_name, TRUE, NULL, &error))
    return cli_fail(error);
  g_autoptr(MusterDiscrepancy) d = muster_discrepancies_get(c.store, argv[1], &error);
  if (d == NULL)
    return cli_fail(error);
  g_autoptr(MusterUser) confirmer = NULL;
  if (confirm != NULL && (confirmer = cli_sign_in(c.store, confirm, "MUSTER_CONFIRM_PIN",
                                                  "confirmer", &error)) == NULL)
    return cli_fail(error);
  if (!muster_discrepancies_resolve(c.store, c.actor, confirmer, d->id, action, reason, &error))
    return cli_fail(error);
  g_autoptr(MusterDiscrepancy) after = muster_discrepancies_get(c.store, d->uuid, &error);
  if (after == NULL)
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    output_discrepancy_json(b, after);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    output_discrepancy_text(stdout, after);
  }
  return 0;
}

static int
run_sign_off(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[7];
  g_autofree char *actor_name = NULL, *note = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Supervisor signing off", "NAME"},
      {"note", 0, 0, G_OPTION_ARG_STRING, &note, "A note kept with the sign-off", "TEXT"},
      {NULL}};
  g_autoptr(GOptionContext) ctx = cli_context(cmd, entries, NULL);
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (argc != 2)
    return cli_usage_error(cmd, "give exactly one COUNT");
  g_autoptr(GError) error = NULL;
  g_auto(CountCtx) c = {0};
  if (!count_ctx_open(&c, actor_name, TRUE, argv[1], &error) ||
      !muster_counts_sign_off(c.store, c.actor, c.count->id, note, &error))
    return cli_fail(error);
  return print_count(c.store, c.count->id, c.actor);
}

static int
run_list(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[8];
  g_autofree char *state_s = NULL;
  const GOptionEntry entries[] = {{"state", 0, 0, G_OPTION_ARG_STRING, &state_s,
                                   "open, closed, reconciled or signed_off", "STATE"},
                                  {NULL}};
  g_autoptr(GOptionContext) ctx = cli_context(cmd, entries, NULL);
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  int state = -1;
  for (int s = MUSTER_COUNT_OPEN; state_s != NULL && s <= MUSTER_COUNT_SIGNED_OFF; s++)
    if (g_strcmp0(state_s, muster_count_state_to_string((MusterCountState)s)) == 0)
      state = s;
  if (state_s != NULL && state < 0)
    return cli_usage_error(cmd, "unknown state '%s'", state_s);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = cli_open_store(&error);
  if (store == NULL)
    return cli_fail(error);
  g_autoptr(GPtrArray) counts = muster_counts_list(store, state, &error);
  if (counts == NULL)
    return cli_fail(error);
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_array(b);
  for (guint i = 0; i < counts->len; i++) {
    MusterCount *k = counts->pdata[i];
    gboolean show = may_see_expected(k, NULL);
    if (cli.json) {
      output_count_json(b, k, show);
      continue;
    }
    printf("%-5" G_GINT64_FORMAT " %-11s %s  %-10s %-10s found %" G_GINT64_FORMAT "%s\n", k->id,
           muster_count_state_to_string(k->state), k->started_at, k->counter, k->witness, k->found,
           k->blind ? " (blind)" : "");
  }
  json_builder_end_array(b);
  if (cli.json) {
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  }
  return 0;
}

static int
run_show(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[9];
  g_autofree char *actor_name = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name,
       "Sign in to see expected figures of a blind count you do not take part in", "NAME"},
      {NULL}};
  g_autoptr(GOptionContext) ctx = cli_context(cmd, entries, NULL);
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (argc != 2)
    return cli_usage_error(cmd, "give exactly one COUNT");
  g_autoptr(GError) error = NULL;
  g_auto(CountCtx) c = {0};
  if (!count_ctx_open(&c, actor_name, actor_name != NULL, argv[1], &error))
    return cli_fail(error);
  return print_count(c.store, c.count->id, c.actor);
}

/* The stored bytes, checked against their digest by the engine, written as they are. */
static int
run_photo(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[10];
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Where to write the photo (required)", "FILE"},
      {NULL}};
  g_autoptr(GOptionContext) ctx = cli_context(
      cmd, entries,
      "UNMARKED is the unmarked item's uuid: the subject of its unmarked_item discrepancy\n"
      "('muster --json count discrepancies --kind unmarked_item COUNT').");
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (argc != 2 || out == NULL)
    return cli_usage_error(cmd, "give --out FILE and one UNMARKED uuid");
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = cli_open_store(&error);
  if (store == NULL)
    return cli_fail(error);
  g_autoptr(MusterUnmarkedPhoto) photo = muster_unmarked_photos_get(store, argv[1], &error);
  if (photo == NULL)
    return cli_fail(error);
  gsize size = 0;
  const char *bytes = g_bytes_get_data(photo->bytes, &size);
  if (!g_file_set_contents(out, bytes, (gssize)size, &error)) {
    g_prefix_error(&error, "Writing the photo: ");
    return cli_fail(error);
  }
  if (cli.json)
    printf("{\"file\": \"%s\", \"media_type\": \"%s\", \"sha256\": \"%s\", \"size\": %zu}\n", out,
           photo->media_type, photo->sha256, (size_t)size);
  else
    printf("%s: %s, %zu bytes, SHA-256 %s, taken %s by %s\n", out, photo->media_type, (size_t)size,
           photo->sha256, photo->taken_at, photo->taken_by);
  return 0;
}
