/*
 * cmd-location.c: `muster location ...`: rooms, racks and slots.
 */
#include <stdio.h>

#include "app/cli.h"
#include "db/locations.h"

static int run_add(int argc, char **argv);
static int run_list(int argc, char **argv);

enum { CMD_ADD, CMD_LIST, N_CMDS };

const MusterCliCommand muster_cmd_location[] = {
    [CMD_ADD] = {"location add", "--user ADMIN PATH", "Add a room, rack or slot (ROOM/RACK/SLOT)",
                 run_add},
    [CMD_LIST] = {"location list", "", "List every location", run_list},
    [N_CMDS] = {NULL}};

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
  g_autofree char *actor_name = NULL, *name = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "ADMIN"},
      {"name", 0, 0, G_OPTION_ARG_STRING, &name, "A readable name", "TEXT"},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .usage = "give exactly one PATH, e.g. R1/A/03",
                          .args = 1,
                          .open = CLI_OPEN_SIGNED_IN,
                          .user = &actor_name};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_location[CMD_ADD], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterLocation) loc = muster_locations_add(s.store, s.actor, argv[1], name, &error);
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
  const CliStart start = {.open = CLI_OPEN_STORE};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_location[CMD_LIST], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) locs = muster_locations_list(s.store, &error);
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
