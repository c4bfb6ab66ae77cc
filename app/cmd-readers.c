/*
 * cmd-readers.c: `muster readers list|watch|drivers`: the appliance's readers.
 *
 * `list` shows every reader's state, last read and last error. When another program (the
 * kiosk, a running watch or count) holds the readers, it shows what that program last
 * wrote; otherwise it opens them itself for a moment (--wait) and shows how they came up.
 * `watch` holds the readers and prints each scan, as JSON lines with --json, until
 * interrupted: what a technician runs to check a reader before a count.
 */
#include <glib-unix.h>
#include <stdio.h>

#include "app/cli.h"
#include "scan/scan-json.h"
#include "drivers/manager.h"

static int run_list(int argc, char **argv);
static int run_watch(int argc, char **argv);
static int run_drivers(int argc, char **argv);

enum { CMD_LIST, CMD_WATCH, CMD_DRIVERS, N_CMDS };

const MusterCliCommand muster_cmd_readers[] = {
    [CMD_LIST] = {"readers list", "[--readers FILE] [--wait SECONDS]",
                  "Show every reader: state, last read, last error", run_list},
    [CMD_WATCH] = {"readers watch", "[--readers FILE]",
                   "Print every scan from every reader until stopped", run_watch},
    [CMD_DRIVERS] = {"readers drivers", "", "List the reader kinds a readers file may name",
                     run_drivers},
    [N_CMDS] = {NULL}};

static gboolean
quit_loop(gpointer data)
{
  g_main_loop_quit(data);
  return G_SOURCE_CONTINUE;
}

static void
print_states(JsonNode *states)
{
  if (cli.json) {
    cli_print_json(states);
    return;
  }
  JsonArray *a = json_node_get_array(states);
  if (json_array_get_length(a) == 0)
    printf("No readers configured.\n");
  for (guint i = 0; i < json_array_get_length(a); i++) {
    JsonObject *o = json_array_get_object_element(a, i);
    printf("%-36s %-8s %-12s scans %-6" G_GINT64_FORMAT " last %s\n",
           json_object_get_string_member(o, "id"), json_object_get_string_member(o, "kind"),
           json_object_get_string_member(o, "state"), json_object_get_int_member(o, "scans"),
           json_object_get_string_member_with_default(o, "last_read", "never") ?: "never");
    const char *error = json_object_get_string_member_with_default(o, "last_error", NULL);
    if (error != NULL)
      printf("    last error: %s\n", error);
  }
}

/* Opens the readers for wait seconds, or until each has left "opening". */
static void
probe(MusterReaderManager *manager, double wait)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  guint timer = g_timeout_add((guint)(wait * 1000), quit_loop, loop);
  g_autoptr(GError) error = NULL;
  if (!muster_reader_manager_start(manager, &error))
    g_printerr("muster: %s\n", error->message);
  else
    g_main_loop_run(loop);
  g_source_remove(timer);
}

static int
run_list(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_readers[CMD_LIST];
  g_autofree char *readers_file = NULL;
  double wait = 2.0;
  const GOptionEntry entries[] = {
      {"readers", 0, 0, G_OPTION_ARG_FILENAME, &readers_file,
       "Readers file (default $MUSTER_READERS, else " MUSTER_DEFAULT_READERS_FILE ")", "FILE"},
      {"wait", 0, 0, G_OPTION_ARG_DOUBLE, &wait,
       "How long to let the readers open when no program holds them (default 2)", "SECONDS"},
      {NULL}};
  const CliStart start = {.entries = entries};
  int status = cli_start(cmd, &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  if (argc != 1 || wait < 0 || wait > 60)
    return cli_usage_error(cmd, "--wait must be 0 to 60 seconds");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) held = muster_reader_manager_read_holder_status(&error);
  if (error != NULL)
    return cli_fail(g_steal_pointer(&error));
  if (held != NULL) {
    print_states(held);
    return 0;
  }
  g_autoptr(MusterReaderManager) manager = muster_reader_manager_new(readers_file, &error);
  if (manager == NULL)
    return cli_fail(g_steal_pointer(&error));
  if (!muster_reader_manager_claim(manager, &error))
    return cli_fail(g_steal_pointer(&error));
  probe(manager, wait);
  g_autoptr(JsonNode) states = muster_reader_manager_status_json(manager);
  print_states(states);
  return 0;
}

static void
on_watch_scan(MusterReaderManager *manager, MusterReader *reader, const MusterScan *scan,
              gpointer data)
{
  (void)manager;
  (void)reader;
  (void)data;
  if (cli.json) {
    g_autoptr(JsonNode) node = muster_scan_to_json(scan);
    cli_print_json_line(node);
  } else {
    g_autofree char *line = muster_scan_describe(scan);
    printf("%s\n", line);
  }
  fflush(stdout);
}

static void
on_watch_changed(MusterReaderManager *manager, MusterReader *reader, gpointer data)
{
  (void)manager;
  (void)data;
  g_autofree char *error = muster_reader_dup_last_error(reader);
  g_printerr("%s: %s%s%s\n", muster_reader_get_id(reader),
             muster_reader_state_to_string(muster_reader_get_state(reader)),
             error != NULL ? " — " : "", error != NULL ? error : "");
}

static const char watch_help[] =
    "Each scan is printed as it is read (with --json one object per line: reader,\n"
    "reader_kind, symbology, raw_hex, text, marking, authenticity, read_at). Reader\n"
    "state changes go to stderr. Nothing is stored. Stop with Ctrl+C.";

static int
run_watch(int argc, char **argv)
{
  g_autofree char *readers_file = NULL;
  const GOptionEntry entries[] = {
      {"readers", 0, 0, G_OPTION_ARG_FILENAME, &readers_file,
       "Readers file (default $MUSTER_READERS, else " MUSTER_DEFAULT_READERS_FILE ")", "FILE"},
      {NULL}};
  const CliStart start = {.entries = entries, .help = watch_help, .usage = "no arguments expected"};
  int status = cli_start(&muster_cmd_readers[CMD_WATCH], &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterReaderManager) manager = muster_reader_manager_new(readers_file, &error);
  if (manager == NULL || !muster_reader_manager_claim(manager, &error))
    return cli_fail(g_steal_pointer(&error));
  g_signal_connect(manager, "scan", G_CALLBACK(on_watch_scan), NULL);
  g_signal_connect(manager, "reader-changed", G_CALLBACK(on_watch_changed), NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  guint sigint = g_unix_signal_add(SIGINT, quit_loop, loop);
  guint sigterm = g_unix_signal_add(SIGTERM, quit_loop, loop);
  if (!muster_reader_manager_start(manager, &error))
    return cli_fail(g_steal_pointer(&error));
  g_main_loop_run(loop);
  g_source_remove(sigint);
  g_source_remove(sigterm);
  muster_reader_manager_stop(manager);
  return 0;
}

static int
run_drivers(int argc, char **argv)
{
  const CliStart start = {0};
  int status = cli_start(&muster_cmd_readers[CMD_DRIVERS], &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  for (guint i = 0; muster_reader_drivers[i] != NULL; i++)
    printf("%-10s %s\n", muster_reader_drivers[i]->kind, muster_reader_drivers[i]->summary);
  return 0;
}
