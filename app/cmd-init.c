/*
 * cmd-init.c: `muster init`, the only command that creates a database.
 *
 * The rules of a new armoury (what is checked before the file is made, no overwrite, no
 * file left behind on failure) are the engine's (db/armoury-setup.h), shared with the
 * kiosk's first-boot screen; this file reads the options and the PIN and prints.
 */
#include <stdio.h>

#include "app/cli.h"
#include "db/armoury-setup.h"

static int run_init(int argc, char **argv);

enum { CMD_INIT, N_CMDS };

const MusterCliCommand muster_cmd_init[] = {
    [CMD_INIT] = {"init", "--code CODE --admin NAME", "Create the record database of an armoury",
                  run_init},
    [N_CMDS] = {NULL}};

static const char init_help[] =
    "Creates the database file given by --db (or $MUSTER_DB, or the appliance default) and\n"
    "its first admin, whose PIN is read from $MUSTER_PIN or asked twice on the terminal.\n"
    "An existing file is never overwritten.";

static int
run_init(int argc, char **argv)
{
  g_autofree char *code = NULL, *name = NULL, *admin = NULL, *admin_full = NULL;
  const GOptionEntry entries[] = {
      {"code", 0, 0, G_OPTION_ARG_STRING, &code, "Armoury code, e.g. ARM-01 (required)", "CODE"},
      {"name", 0, 0, G_OPTION_ARG_STRING, &name, "Armoury name", "TEXT"},
      {"admin", 0, 0, G_OPTION_ARG_STRING, &admin, "Login name of the first admin (required)",
       "NAME"},
      {"admin-full-name", 0, 0, G_OPTION_ARG_STRING, &admin_full, "The admin's full name",
       "TEXT"},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .help = init_help,
                          .usage = "--code and --admin are required",
                          .optional_args = CLI_ANY,
                          .required = (char **const[]){&code, &admin, NULL}};
  int status = cli_start(&muster_cmd_init[CMD_INIT], &start, &argc, &argv,
                         NULL); /* nothing to open: init makes the database */
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  MusterArmourySetup setup = {.path = cli_db_path(),
                              .code = code,
                              .name = name,
                              .admin = admin,
                              .admin_full_name = admin_full};
  /* A wrong code or name is refused before the PIN is asked for. */
  if (!muster_armoury_setup_valid(&setup, &error))
    return cli_fail(error);
  g_auto(CliPin) pin = cli_read_new_pin("MUSTER_PIN", "PIN for admin", &error);
  if (pin == NULL)
    return cli_fail(error);
  setup.pin = pin;
  g_autoptr(MusterUser) user = NULL;
  g_autoptr(MusterStore) store = muster_armoury_set_up(&setup, &user, &error);
  if (store == NULL)
    return cli_fail(error);
  const char *path = setup.path;
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_str(b, "database", path);
    cli_json_str(b, "armoury_code", muster_store_armoury_code(store));
    cli_json_str(b, "armoury_uuid", muster_store_armoury_uuid(store));
    cli_json_str(b, "admin", user->name);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    printf("Created armoury %s (%s) in %s; admin: %s\n", muster_store_armoury_code(store),
           muster_store_armoury_uuid(store), path, user->name);
  }
  return 0;
}
