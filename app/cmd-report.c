/*
 * cmd-report.c: `muster report`: a count's record as text, CSV or JSON.
 *
 * The report is what a supervisor signs and files: who counted and witnessed, when,
 * which locations, what was found, every discrepancy and how it was resolved.
 */
#include <stdio.h>

#include "app/cli.h"
#include "app/output.h"
#include "db/counts.h"
#include "core/csv.h"
#include "db/reconcile.h"

static int run_report(int argc, char **argv);

enum { CMD_REPORT, N_CMDS };

const MusterCliCommand muster_cmd_report[] = {
    [CMD_REPORT] = {"report", "COUNT [--format text|csv|json]",
                    "Report a count and its discrepancies", run_report},
    [N_CMDS] = {NULL}};

static void
report_text(MusterStore *store, const MusterCount *count, GPtrArray *list, gboolean show)
{
  printf("Armoury %s (%s)\n", muster_store_armoury_code(store), muster_store_armoury_name(store));
  output_count_text(stdout, count, show);
  if (!show) {
    printf("\nDiscrepancies are shown once the count is reconciled.\n");
    return;
  }
  const char *kind = NULL;
  for (guint i = 0; i < list->len; i++) {
    const MusterDiscrepancy *d = list->pdata[i];
    if (g_strcmp0(kind, d->kind) != 0) {
      guint n = 0;
      for (guint j = i; j < list->len; j++)
        n += g_strcmp0(((MusterDiscrepancy *)list->pdata[j])->kind, d->kind) == 0;
      printf("\n%s (%u)\n", d->kind, n);
      kind = d->kind;
    }
    output_discrepancy_text(stdout, d);
  }
  if (list->len == 0 && count->state >= MUSTER_COUNT_RECONCILED)
    printf("\nNo discrepancies.\n");
}

static void
report_csv(const MusterCount *count, GPtrArray *list)
{
  static const char *const header[] = {
      "count_uuid", "count_id", "discrepancy_id", "discrepancy_uuid", "kind", "subject",
      "item_uuid", "item", "location", "detail", "resolution", "reason", "resolved_by",
      "confirmed_by", "resolved_at"};
  g_autoptr(GString) out = g_string_new(NULL);
  for (guint i = 0; i < G_N_ELEMENTS(header); i++)
    muster_csv_append_field(out, header[i], i + 1 == G_N_ELEMENTS(header));
  g_autofree char *count_id = g_strdup_printf("%" G_GINT64_FORMAT, count->id);
  for (guint i = 0; i < list->len; i++) {
    const MusterDiscrepancy *d = list->pdata[i];
    g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, d->id);
    const char *row[] = {count->uuid, count_id, id, d->uuid, d->kind, d->subject, d->item_uuid,
                         d->item_summary, d->location_path, d->detail, d->resolution_action,
                         d->resolution_reason, d->resolved_by, d->confirmed_by, d->resolved_at};
    for (guint k = 0; k < G_N_ELEMENTS(row); k++)
      muster_csv_append_field(out, row[k] ? row[k] : "", k + 1 == G_N_ELEMENTS(row));
  }
  /* Data, not text for a terminal: exactly as written (see output.h). */
  output_write_data(out->str, out->len);
}

static void
report_json(MusterStore *store, const MusterCount *count, GPtrArray *list, gboolean show)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "armoury");
  json_builder_begin_object(b);
  cli_json_str(b, "code", muster_store_armoury_code(store));
  cli_json_str(b, "uuid", muster_store_armoury_uuid(store));
  cli_json_str(b, "name", muster_store_armoury_name(store));
  json_builder_end_object(b);
  json_builder_set_member_name(b, "count");
  output_count_json(b, count, show);
  json_builder_set_member_name(b, "discrepancies");
  json_builder_begin_array(b);
  for (guint i = 0; show && i < list->len; i++)
    output_discrepancy_json(b, list->pdata[i]);
  json_builder_end_array(b);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  cli_print_json(root);
}

static int
run_report(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_report[CMD_REPORT];
  g_autofree char *format = NULL, *actor_name = NULL;
  const GOptionEntry entries[] = {
      {"format", 'f', 0, G_OPTION_ARG_STRING, &format, "text (default), csv or json", "FORMAT"},
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name,
       "Sign in to see a blind count's figures before it is reconciled", "NAME"},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .help = "CSV has one row per discrepancy with its resolution in force.",
                          .usage = "give exactly one COUNT",
                          .args = 1};
  g_auto(CliSession) s = {0};
  int status = cli_start(cmd, &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  if (format == NULL)
    format = g_strdup(cli.json ? "json" : "text");
  if (!g_str_equal(format, "text") && !g_str_equal(format, "csv") && !g_str_equal(format, "json"))
    return cli_usage_error(cmd, "unknown format '%s': use text, csv or json", format);
  g_autoptr(GError) error = NULL;
  if (!cli_session_open(&s, CLI_OPEN_VIEWER, actor_name, &error))
    return cli_fail(error);
  g_autoptr(MusterCount) count = muster_counts_get(s.store, argv[1], &error);
  if (count == NULL)
    return cli_fail(error);
  gboolean show = s.actor != NULL ? muster_count_may_see_expected(count, s.actor)
                                  : !count->blind || count->state >= MUSTER_COUNT_RECONCILED;
  MusterDiscrepancyFilter all = {NULL, NULL, -1};
  g_autoptr(GPtrArray) list = muster_discrepancies_list(s.store, count->id, &all, &error);
  if (list == NULL)
    return cli_fail(error);
  if (g_str_equal(format, "json"))
    report_json(s.store, count, list, show);
  else if (g_str_equal(format, "csv"))
    report_csv(count, show ? list : g_ptr_array_new());
  else
    report_text(s.store, count, list, show);
  return fflush(stdout) == 0 ? 0 : 14;
}
