/*
 * cmd-history.c: `muster history`: the answer to a tracing request.
 */
#include <stdio.h>

#include "app/cli.h"
#include "app/output.h"
#include "db/history.h"

static int run_history(int argc, char **argv);

enum { CMD_HISTORY, N_CMDS };

const MusterCliCommand muster_cmd_history[] = {
    [CMD_HISTORY] = {"history", "MARKING",
                     "Trace a weapon: its record and full history from any marking", run_history},
    [N_CMDS] = {NULL}};

static void
event_json(JsonBuilder *b, const MusterHistoryEvent *e)
{
  json_builder_begin_object(b);
  cli_json_str(b, "at", e->at);
  cli_json_str(b, "kind", e->kind);
  cli_json_str(b, "summary", e->summary);
  cli_json_str(b, "user", e->user);
  cli_json_str(b, "count_uuid", e->count_uuid);
  cli_json_str(b, "location", e->location_path);
  json_builder_end_object(b);
}

static void
print_json(const char *query, GPtrArray *traces, GPtrArray *unknown)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  cli_json_str(b, "query", query);
  json_builder_set_member_name(b, "items");
  json_builder_begin_array(b);
  for (guint i = 0; i < traces->len; i++) {
    const MusterItemHistory *h = traces->pdata[i];
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "item");
    output_item_json(b, h->item);
    cli_json_str(b, "last_counted_at", h->last_counted_at);
    json_builder_set_member_name(b, "history");
    json_builder_begin_array(b);
    for (guint k = 0; k < h->events->len; k++)
      event_json(b, h->events->pdata[k]);
    json_builder_end_array(b);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_set_member_name(b, "unknown_scans");
  json_builder_begin_array(b);
  for (guint i = 0; i < unknown->len; i++)
    event_json(b, unknown->pdata[i]);
  json_builder_end_array(b);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  cli_print_json(root);
}

static void
print_text(GPtrArray *traces, GPtrArray *unknown)
{
  for (guint i = 0; i < traces->len; i++) {
    const MusterItemHistory *h = traces->pdata[i];
    if (i > 0)
      printf("\n");
    output_item_text(stdout, h->item);
    printf("  last counted  %s\n\nHistory:\n", h->last_counted_at ? h->last_counted_at : "never");
    for (guint k = 0; k < h->events->len; k++) {
      const MusterHistoryEvent *e = h->events->pdata[k];
      printf("  %s  %-12s %s%s%s\n", e->at, e->kind, e->summary, e->user ? "  — " : "",
             e->user ? e->user : "");
    }
  }
  if (unknown->len > 0) {
    printf("%sScans of this marking that matched no record:\n", traces->len ? "\n" : "");
    for (guint i = 0; i < unknown->len; i++) {
      const MusterHistoryEvent *e = unknown->pdata[i];
      printf("  %s  %s\n", e->at, e->summary);
    }
  }
}

static const char history_help[] =
    "MARKING is any marking: engraved serial, tag UID, UII, barcode. Every item carrying\n"
    "it is shown with where it was, in whose custody, every count that found or missed\n"
    "it, and every status change. Exit status 4 when nothing at all is known of it.";

static int
run_history(int argc, char **argv)
{
  const CliStart start = {
      .help = history_help, .usage = "give exactly one MARKING", .args = 1, .open = CLI_OPEN_STORE};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_history[CMD_HISTORY], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) traces = muster_history_trace(s.store, argv[1], &error);
  if (traces == NULL)
    return cli_fail(error);
  g_autoptr(GPtrArray) unknown = muster_history_unknown_scans(s.store, argv[1], &error);
  if (unknown == NULL)
    return cli_fail(error);
  if (cli.json)
    print_json(argv[1], traces, unknown);
  else
    print_text(traces, unknown);
  if (traces->len == 0 && unknown->len == 0) {
    g_printerr("muster: nothing in %s carries or scanned '%s'.\n", cli_db_path(), argv[1]);
    return 4;
  }
  return 0;
}
