/*
 * cmd-location.c: `muster location ...`: rooms, racks and slots.
 */
#include <stdio.h>

#include "app/cli.h"
#include "db/locations.h"

static int run_add(int argc, char **argv);
static int run_list(int argc, char **argv);

const MusterCliCommand muster_cmd_location[] = {
    {"location add", "--user ADMIN PATH", "Add a room, rack or slot (ROOM/RACK/SLOT)", run_add},
    {"location list", "", "List every location", run_list},
    {NULL}};

static void
location_json(JsonBuilder *b, const MusterLocation *l)
{
  json_builder_begin_object(b);
  cli_json_str(b, "uuid", l->uuid);
  cli_json_str(b, "path", l->path);
  cli_json_str(b, "kind", l->kind);
  cli_json_str(b, "name", l->name);
  json_builder_end_object(b);
}

static int
run_add(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_location[0];
  g_autofree char *actor_name = NULL, *name = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "ADMIN"},
      {"name", 0, 0, G_OPTION_ARG_STRING, &name, "A readable name", "TEXT"},
      {NULL}};
  g_autoptr(GOptionContext) ctx = cli_context(cmd, entries, NULL);
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  if (argc != 2)
    return cli_usage_error(cmd, "give exactly one PATH, e.g. R1/A/03");
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = NULL;
  g_autoptr(MusterUser) actor = NULL;
  if (!cli_open_signed_in(actor_name, &store, &actor, &error))
    return cli_fail(error);
  g_autoptr(MusterLocation) loc = muster_locations_add(store, actor, argv[1], name, &error);
  if (loc == NULL)
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    location_json(b, loc);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    printf("Added %s %s\n", loc->kind, loc->path);
  }
  return 0;
}

static int
run_list(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_location[1];
  g_autoptr(GOptionContext) ctx = cli_context(cmd, NULL, NULL);
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = cli_open_store(&error);
  if (store == NULL)
    return cli_fail(error);
  g_autoptr(GPtrArray) locs = muster_locations_list(store, &error);
  if (locs == NULL)
    return cli_fail(error);
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_array(b);
  for (guint i = 0; i < locs->len; i++) {
    MusterLocation *l = locs->pdata[i];
    if (cli.json)
      location_json(b, l);
    else
      printf("%-8s %-20s %s\n", l->kind, *l->path ? l->path : "(armoury)", l->name ? l->name : "");
  }
  json_builder_end_array(b);
  if (cli.json) {
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  }
  return 0;
}
