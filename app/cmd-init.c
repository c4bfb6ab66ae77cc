/*
 * cmd-init.c: `muster init`, the only command that creates a database.
 *
 * Everything that can be refused (the admin's name, the PIN, the armoury code) is
 * checked before the file is made, and a database whose admin could not be added after
 * all is removed again: a failed init leaves no file behind, never one without an admin.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "app/cli.h"

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
  if (!muster_store_code_valid(code, &error) || !muster_user_name_valid(admin, &error))
    return cli_fail(error);
  g_auto(CliPin) pin = cli_read_new_pin("MUSTER_PIN", "PIN for admin", &error);
  if (pin == NULL || !muster_pin_valid(pin, &error))
    return cli_fail(error);
  const char *path = cli_db_path();
  g_autofree char *dir = g_path_get_dirname(path);
  /* The appliance default lives in /var/lib/muster, which a fresh system lacks. */
  if (!g_file_test(path, G_FILE_TEST_EXISTS) && g_mkdir_with_parents(dir, 0750) != 0) {
    g_set_error(&error, MUSTER_ERROR, MUSTER_ERROR_IO, "Cannot create the folder %s: %s", dir,
                g_strerror(errno));
    return cli_fail(error);
  }
  g_autoptr(MusterStore) store = muster_store_create(path, code, name ? name : code, &error);
  if (store == NULL)
    return cli_fail(error);
  g_autoptr(MusterUser) user =
      muster_users_bootstrap_admin(store, admin, admin_full ? admin_full : admin, pin, &error);
  if (user == NULL) {
    muster_store_discard_new(g_steal_pointer(&store));
    g_prefix_error(&error, "The database %s could not be given its admin, so it was not "
                   "created: ", path);
    return cli_fail(error);
  }
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
