/*
 * cmd-item.c: `muster item ...`: the weapon records.
 */
#include <stdio.h>

#include "app/cli.h"
#include "app/output.h"
#include "db/items.h"

static int run_import(int argc, char **argv);
static int run_export(int argc, char **argv);
static int run_show(int argc, char **argv);
static int run_set_status(int argc, char **argv);
static int run_move(int argc, char **argv);
static int run_add_marking(int argc, char **argv);
static int run_retire_marking(int argc, char **argv);
static int run_correct(int argc, char **argv);

enum {
  CMD_IMPORT,
  CMD_EXPORT,
  CMD_SHOW,
  CMD_SET_STATUS,
  CMD_MOVE,
  CMD_ADD_MARKING,
  CMD_RETIRE_MARKING,
  CMD_CORRECT,
  N_CMDS
};

const MusterCliCommand muster_cmd_item[] = {
    [CMD_IMPORT] = {"item import", "--user ADMIN FILE.csv",
                    "Import weapon records from CSV (all or nothing)", run_import},
    [CMD_EXPORT] = {"item export", "[FILE.csv]",
                    "Export every weapon record as CSV (with --json: a JSON array of items)",
                    run_export},
    [CMD_SHOW] = {"item show", "MARKING",
                  "Show the record of the item carrying a marking or serial", run_show},
    [CMD_SET_STATUS] = {"item set-status",
                        "--user SUPERVISOR --status STATUS --reason TEXT MARKING",
                        "Record a status change (issued, lost, stolen, ...)", run_set_status},
    [CMD_MOVE] = {"item move", "--user SUPERVISOR --to PATH --reason TEXT MARKING",
                  "Record that an item moved to another location", run_move},
    [CMD_ADD_MARKING] = {"item add-marking",
                         "--user ADMIN --kind KIND --component PART --value V MARKING",
                         "Add a marking (tag, barcode, UII, ...) to an item", run_add_marking},
    [CMD_RETIRE_MARKING] = {"item retire-marking", "--user ADMIN --value V --reason TEXT MARKING",
                            "Retire a marking that is no longer on the item", run_retire_marking},
    [CMD_CORRECT] = {"item correct", "--user ADMIN --field FIELD --value V --reason TEXT MARKING",
                     "Correct a field of the record that was entered wrongly (kept in the history)",
                     run_correct},
    [N_CMDS] = {NULL}};

static const char csv_help[] =
    "CSV: UTF-8, RFC 4180, one header line naming the columns (any order):\n"
    "  manufacturer*, country_of_manufacture* (ISO 3166 alpha-2), serial*, model*,\n"
    "  category*, calibre, year, import_country, import_year, state_marking,\n"
    "  frame_material, status* (in_store, issued, in_repair, in_transit, lost, stolen,\n"
    "  destroyed, seized), location (ROOM/RACK/SLOT), custodian, markings\n"
    "  (kind:component:value;... with kind engraved_serial, barcode, datamatrix_uii,\n"
    "  hf_uid, uhf_epc, ndef and component frame, barrel, slide, bolt, cylinder).\n"
    "  * = required. Every problem is reported with its line; if there is any, nothing\n"
    "  is imported.";

static int
run_import(int argc, char **argv)
{
  g_autofree char *actor_name = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "ADMIN"}, {NULL}};
  const CliStart start = {.entries = entries,
                          .help = csv_help,
                          .usage = "give exactly one FILE (or - for standard input)",
                          .args = 1,
                          .open = CLI_OPEN_SIGNED_IN,
                          .user = &actor_name};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_item[CMD_IMPORT], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!cli_read_input(argv[1], &data, &len, &error))
    return cli_fail(error);
  MusterImportResult result = {0};
  g_autoptr(GPtrArray) problems = NULL;
  gboolean ok = muster_items_import_csv(s.store, s.actor, data, len, &result, &problems, &error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_bool(b, "imported_all", ok);
    cli_json_int(b, "imported", ok ? result.imported : 0);
    cli_json_int(b, "locations_created", ok ? result.locations_created : 0);
    json_builder_set_member_name(b, "errors");
    json_builder_begin_array(b);
    for (guint i = 0; problems != NULL && i < problems->len; i++)
      json_builder_add_string_value(b, problems->pdata[i]);
    if (!ok && (problems == NULL || problems->len == 0))
      json_builder_add_string_value(b, error->message);
    json_builder_end_array(b);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
    return ok ? 0 : muster_error_exit_status(error);
  }
  if (!ok) {
    for (guint i = 0; problems != NULL && i < problems->len; i++)
      g_printerr("%s: %s\n", argv[1], (const char *)problems->pdata[i]);
    return cli_fail(error);
  }
  printf("Imported %" G_GINT64_FORMAT " items (%" G_GINT64_FORMAT " new locations) from %s\n",
         result.imported, result.locations_created, argv[1]);
  return 0;
}

/* One item of the JSON export: the object `item show --json` prints, on one line. */
static void
append_item_json(const MusterItem *item, gpointer out)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  output_item_json(b, item);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autofree char *text = json_to_string(root, FALSE);
  g_string_append(out, ((GString *)out)->len > 2 ? ",\n" : "");
  g_string_append(out, text);
}

/* A JSON array written item by item: a million items never become one JSON tree. */
static gboolean
export_json(MusterStore *store, GString *out, GError **error)
{
  g_string_append(out, "[\n");
  if (!muster_items_foreach(store, append_item_json, out, error))
    return FALSE;
  g_string_append(out, out->len > 2 ? "\n]\n" : "]\n");
  return TRUE;
}

static int
run_export(int argc, char **argv)
{
  const CliStart start = {.help = csv_help,
                          .usage = "give at most one FILE",
                          .optional_args = 1,
                          .open = CLI_OPEN_STORE};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_item[CMD_EXPORT], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new(NULL);
  if (!(cli.json ? export_json(s.store, out, &error)
                 : muster_items_export_csv(s.store, out, &error)))
    return cli_fail(error);
  if (argc == 2 && g_strcmp0(argv[1], "-") != 0) {
    if (!g_file_set_contents(argv[1], out->str, (gssize)out->len, &error)) {
      g_prefix_error(&error, "Writing the export: ");
      return cli_fail(error);
    }
    return 0;
  }
  return output_write_data(out->str, out->len) ? 0 : 14;
}

static int
run_show(int argc, char **argv)
{
  const CliStart start = {.help = "MARKING is a serial, tag UID, UII, barcode or the item's uuid.",
                          .usage = "give exactly one MARKING",
                          .args = 1,
                          .open = CLI_OPEN_STORE};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_item[CMD_SHOW], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = muster_items_find_by_marking(s.store, argv[1], &error);
  if (items == NULL)
    return cli_fail(error);
  if (items->len == 0) {
    g_autoptr(MusterItem) by_uuid = muster_items_get_by_uuid(s.store, argv[1], NULL);
    if (by_uuid != NULL)
      g_ptr_array_add(items, g_steal_pointer(&by_uuid));
  }
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_array(b);
    for (guint i = 0; i < items->len; i++)
      output_item_json(b, items->pdata[i]);
    json_builder_end_array(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    for (guint i = 0; i < items->len; i++)
      output_item_text(stdout, items->pdata[i]);
  }
  if (items->len == 0) {
    g_printerr("muster: no item carries '%s'. 'muster history' also lists unknown scans of "
               "it.\n", argv[1]);
    return 4;
  }
  return 0;
}

static int
print_item_result(MusterStore *store, gint64 id, const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) item = muster_items_get(store, id, &error);
  if (item == NULL)
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    output_item_json(b, item);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    g_autofree char *label = output_item_label(item);
    printf("%s: %s\n", label, what);
  }
  return 0;
}

static int
run_set_status(int argc, char **argv)
{
  g_autofree char *actor_name = NULL, *status_s = NULL, *reason = NULL, *custodian = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Supervisor doing this", "NAME"},
      {"status", 0, 0, G_OPTION_ARG_STRING, &status_s, "New status", "STATUS"},
      {"custodian", 0, 0, G_OPTION_ARG_STRING, &custodian, "Who holds it (when issued)", "WHO"},
      {"reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (required)", "TEXT"},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .usage = "give --status, --reason and one MARKING",
                          .args = 1,
                          .required = (char **const[]){&status_s, &reason, NULL}};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_item[CMD_SET_STATUS], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  MusterStatus new_status;
  if (!muster_status_from_string(status_s, &new_status, &error) ||
      !cli_session_open(&s, CLI_OPEN_SIGNED_IN, actor_name, &error))
    return cli_fail(error);
  g_autoptr(MusterItem) item = muster_items_resolve(s.store, argv[1], &error);
  if (item == NULL ||
      !muster_items_set_status(s.store, s.actor, item->id, new_status, custodian, reason, &error))
    return cli_fail(error);
  return print_item_result(s.store, item->id, status_s);
}

static int
run_move(int argc, char **argv)
{
  g_autofree char *actor_name = NULL, *to = NULL, *reason = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Supervisor doing this", "NAME"},
      {"to", 0, 0, G_OPTION_ARG_STRING, &to, "New location ROOM/RACK/SLOT", "PATH"},
      {"reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (required)", "TEXT"},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .usage = "give --to, --reason and one MARKING",
                          .args = 1,
                          .required = (char **const[]){&to, &reason, NULL},
                          .open = CLI_OPEN_SIGNED_IN,
                          .user = &actor_name};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_item[CMD_MOVE], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) item = muster_items_resolve(s.store, argv[1], &error);
  if (item == NULL || !muster_items_move(s.store, s.actor, item->id, to, reason, &error))
    return cli_fail(error);
  g_autofree char *what = g_strdup_printf("moved to %s", to);
  return print_item_result(s.store, item->id, what);
}

static int
run_add_marking(int argc, char **argv)
{
  g_autofree char *actor_name = NULL, *kind = NULL, *component = NULL, *value = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "NAME"},
      {"kind", 0, 0, G_OPTION_ARG_STRING, &kind,
       "engraved_serial, barcode, datamatrix_uii, hf_uid, uhf_epc or ndef", "KIND"},
      {"component", 0, 0, G_OPTION_ARG_STRING, &component,
       "frame, barrel, slide, bolt or cylinder (default frame)", "PART"},
      {"value", 0, 0, G_OPTION_ARG_STRING, &value, "The marking", "VALUE"},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .usage = "give --kind, --value and one MARKING naming the item",
                          .args = 1,
                          .required = (char **const[]){&kind, &value, NULL},
                          .open = CLI_OPEN_SIGNED_IN,
                          .user = &actor_name};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_item[CMD_ADD_MARKING], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) item = muster_items_resolve(s.store, argv[1], &error);
  if (item == NULL || !muster_items_add_marking(s.store, s.actor, item->id, kind,
                                                component ? component : "frame", value, &error))
    return cli_fail(error);
  return print_item_result(s.store, item->id, "marking added");
}

static int
run_retire_marking(int argc, char **argv)
{
  g_autofree char *actor_name = NULL, *value = NULL, *reason = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "NAME"},
      {"value", 0, 0, G_OPTION_ARG_STRING, &value, "The marking to retire", "VALUE"},
      {"reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (required)", "TEXT"},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .usage = "give --value, --reason and one MARKING naming the item",
                          .args = 1,
                          .required = (char **const[]){&value, &reason, NULL},
                          .open = CLI_OPEN_SIGNED_IN,
                          .user = &actor_name};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_item[CMD_RETIRE_MARKING], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) item = muster_items_resolve(s.store, argv[1], &error);
  if (item == NULL ||
      !muster_items_retire_marking(s.store, s.actor, item->id, value, reason, &error))
    return cli_fail(error);
  return print_item_result(s.store, item->id, "marking retired");
}

static const char correct_help[] =
    "FIELD is one of manufacturer, country_of_manufacture, serial, model, category,\n"
    "calibre, year, import_country, import_year, state_marking, frame_material; V is\n"
    "written as in the CSV (empty clears an optional field). The old value stays in the\n"
    "item's history with the reason. Status, location, custodian and markings are\n"
    "changed with set-status, move, add-marking and retire-marking instead.";

static int
run_correct(int argc, char **argv)
{
  g_autofree char *actor_name = NULL, *field = NULL, *value = NULL, *reason = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "NAME"},
      {"field", 0, 0, G_OPTION_ARG_STRING, &field, "The field to correct", "FIELD"},
      {"value", 0, 0, G_OPTION_ARG_STRING, &value, "The right value", "VALUE"},
      {"reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (required)", "TEXT"},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .help = correct_help,
                          .usage =
                              "give --field, --value, --reason and one MARKING naming the item",
                          .args = 1,
                          .required = (char **const[]){&field, &value, &reason, NULL},
                          .open = CLI_OPEN_SIGNED_IN,
                          .user = &actor_name};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_item[CMD_CORRECT], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) item = muster_items_resolve(s.store, argv[1], &error);
  if (item == NULL ||
      !muster_items_correct(s.store, s.actor, item->id, field, value, reason, &error))
    return cli_fail(error);
  g_autofree char *what = g_strdup_printf("%s corrected", field);
  return print_item_result(s.store, item->id, what);
}
