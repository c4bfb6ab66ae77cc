/*
 * cmd-settings.c: `muster settings ...`: policy values such as overdue_days.
 */
#include <stdio.h>

#include "app/cli.h"
#include "db/settings.h"

static int run_get(int argc, char **argv);
static int run_set(int argc, char **argv);

enum { CMD_GET, CMD_SET, N_CMDS };

const MusterCliCommand muster_cmd_settings[] = {
    [CMD_GET] = {"settings get", "[KEY]", "Show policy settings", run_get},
    [CMD_SET] = {"settings set", "--user ADMIN KEY VALUE", "Change a policy setting (admin)",
                 run_set},
    [N_CMDS] = {NULL}};

static int
run_get(int argc, char **argv)
{
  const CliStart start = {.open = CLI_OPEN_STORE};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_settings[CMD_GET], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  for (const MusterSettingInfo *k = muster_settings_known; k->key != NULL; k++) {
    if (argc == 2 && g_strcmp0(argv[1], k->key) != 0)
      continue;
    gint64 v = muster_settings_get(s.store, k->key);
    cli_json_int(b, k->key, v);
    if (!cli.json)
      printf("%-18s %-6" G_GINT64_FORMAT " %s\n", k->key, v, k->meaning);
  }
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  if (cli.json)
    cli_print_json(root);
  return 0;
}

static int
run_set(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_settings[CMD_SET];
  g_autofree char *actor_name = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "ADMIN"}, {NULL}};
  const CliStart start = {.entries = entries, .usage = "give KEY and VALUE", .args = 2};
  g_auto(CliSession) s = {0};
  int status = cli_start(cmd, &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  gint64 n;
  if (!g_ascii_string_to_signed(argv[2], 10, G_MININT64, G_MAXINT64, &n, NULL))
    return cli_usage_error(cmd, "%s must be a whole number", argv[1]);
  g_autoptr(GError) error = NULL;
  if (!cli_session_open(&s, CLI_OPEN_SIGNED_IN, actor_name, &error) ||
      !muster_settings_set(s.store, s.actor, argv[1], n, &error))
    return cli_fail(error);
  g_autofree char *value = g_strdup_printf("%" G_GINT64_FORMAT, n);
  printf(cli.json ? "{\"%s\": %s}\n" : "%s = %s\n", argv[1], value);
  return 0;
}
