/*
 * cmd-settings.c: `muster settings ...`: policy values such as overdue_days.
 */
#include <stdio.h>

#include "app/cli.h"
#include "db/settings.h"

static int run_get(int argc, char **argv);
static int run_set(int argc, char **argv);

const MusterCliCommand muster_cmd_settings[] = {
    {"settings get", "[KEY]", "Show policy settings", run_get},
    {"settings set", "--user ADMIN KEY VALUE", "Change a policy setting (admin)", run_set},
    {NULL}};

static int
run_get(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_settings[0];
  g_autoptr(GOptionContext) ctx = cli_context(cmd, NULL, NULL);
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = cli_open_store(&error);
  if (store == NULL)
    return cli_fail(error);
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  for (const MusterSettingInfo *s = muster_settings_known; s->key != NULL; s++) {
    if (argc == 2 && g_strcmp0(argv[1], s->key) != 0)
      continue;
    gint64 v = muster_settings_get(store, s->key);
    cli_json_int(b, s->key, v);
    if (!cli.json)
      printf("%-18s %-6" G_GINT64_FORMAT " %s\n", s->key, v, s->meaning);
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
  const MusterCliCommand *cmd = &muster_cmd_settings[1];
  g_autofree char *actor_name = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "ADMIN"}, {NULL}};
  g_autoptr(GOptionContext) ctx = cli_context(cmd, entries, NULL);
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (argc != 3)
    return cli_usage_error(cmd, "give KEY and VALUE");
  gint64 n;
  if (!g_ascii_string_to_signed(argv[2], 10, G_MININT64, G_MAXINT64, &n, NULL))
    return cli_usage_error(cmd, "%s must be a whole number", argv[1]);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = NULL;
  g_autoptr(MusterUser) actor = NULL;
  if (!cli_open_signed_in(actor_name, &store, &actor, &error) || !muster_settings_set(store, actor, argv[1], n, &error))
    return cli_fail(error);
  g_autofree char *value = g_strdup_printf("%" G_GINT64_FORMAT, n);
  printf(cli.json ? "{\"%s\": %s}\n" : "%s = %s\n", argv[1], value);
  return 0;
}
