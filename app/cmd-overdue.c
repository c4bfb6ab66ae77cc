/*
 * cmd-overdue.c: `muster overdue`: racks and weapons not counted for too long.
 */
#include <stdio.h>

#include "app/cli.h"
#include "db/overdue.h"
#include "db/settings.h"

static int run_overdue(int argc, char **argv);

enum { CMD_OVERDUE, N_CMDS };

const MusterCliCommand muster_cmd_overdue[] = {
    [CMD_OVERDUE] = {"overdue", "[--days N]",
                     "List racks and weapons not counted within the policy", run_overdue},
    [N_CMDS] = {NULL}};

static const char overdue_help[] =
    "A rack or weapon is counted when a reconciled or signed-off count "
    "covered or found it.\nNever-counted ones are listed too.";

static int
run_overdue(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_overdue[CMD_OVERDUE];
  int days = 0;
  const GOptionEntry entries[] = {
      {"days", 0, 0, G_OPTION_ARG_INT, &days, "Override the policy (setting overdue_days)", "N"},
      {NULL}};
  const CliStart start = {.entries = entries, .help = overdue_help};
  g_auto(CliSession) s = {0};
  int status = cli_start(cmd, &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  if (argc != 1 || days < 0)
    return cli_usage_error(cmd, "--days must be a positive number");
  g_autoptr(GError) error = NULL;
  if (!cli_session_open(&s, CLI_OPEN_STORE, NULL, &error))
    return cli_fail(error);
  gint64 policy = days > 0 ? days : muster_settings_get(s.store, "overdue_days");
  g_autoptr(GPtrArray) list = muster_overdue_list(s.store, NULL, policy, &error);
  if (list == NULL)
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_int(b, "days", policy);
    json_builder_set_member_name(b, "overdue");
    json_builder_begin_array(b);
    for (guint i = 0; i < list->len; i++) {
      const MusterOverdue *o = list->pdata[i];
      json_builder_begin_object(b);
      cli_json_str(b, "kind", o->kind);
      cli_json_str(b, "uuid", o->uuid);
      cli_json_str(b, "label", o->label);
      cli_json_str(b, "location", o->location_path);
      cli_json_str(b, "last_counted_at", o->last_counted_at);
      json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
    return 0;
  }
  guint racks = 0;
  for (guint i = 0; i < list->len; i++) {
    const MusterOverdue *o = list->pdata[i];
    gboolean rack = g_str_equal(o->kind, "location");
    racks += rack;
    printf("%-5s %-12s %-50s last counted %s\n", rack ? "rack" : "item",
           o->location_path ? o->location_path : "-", rack ? "" : o->label,
           o->last_counted_at ? o->last_counted_at : "never");
  }
  printf("%u racks and %u weapons not counted in the last %" G_GINT64_FORMAT " days\n", racks,
         list->len - racks, policy);
  return 0;
}
