/*
 * cmd-audit.c: `muster audit verify`: is the history as it was written?
 */
#include <stdio.h>

#include "app/cli.h"
#include "db/audit-anchors.h"
#include "db/audit.h"

static int run_verify(int argc, char **argv);

const MusterCliCommand muster_cmd_audit[] = {
    {"audit verify", "[--anchors FILE]",
     "Check the audit hash chain, every sealed history row, and the registry's anchors",
     run_verify},
    {NULL}};

static int
run_verify(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_audit[0];
  g_autofree char *anchors_file = NULL;
  const GOptionEntry entries[] = {
      {"anchors", 0, 0, G_OPTION_ARG_FILENAME, &anchors_file,
       "Also check against the anchors the registry holds ('muster-registry anchors "
       "ARMOURY' > FILE): finds history cut off at its end, which the chain alone cannot",
       "FILE"},
      {NULL}};
  g_autoptr(GOptionContext) ctx = cli_context(
      cmd, entries,
      "Exit status 0 when intact, 15 when the log or a history table was altered.");
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  g_autoptr(GError) error = NULL;
  g_autofree char *anchors = NULL;
  gsize anchors_len = 0;
  if (anchors_file != NULL && !cli_read_input(anchors_file, &anchors, &anchors_len, &error))
    return cli_fail(error);
  g_autoptr(MusterStore) store = cli_open_store(&error);
  if (store == NULL)
    return cli_fail(error);
  MusterAuditReport report;
  gint64 anchored = 0;
  gboolean ok = muster_audit_verify(store, &report, &error) &&
                (anchors == NULL || muster_audit_check_anchors(store, anchors, &anchored, &error));
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_bool(b, "intact", ok);
    cli_json_int(b, "entries", report.entries);
    cli_json_int(b, "rows_covered", report.rows_covered);
    cli_json_int(b, "head_seq", report.head_seq);
    cli_json_str(b, "head_hash", report.head_hash);
    cli_json_int(b, "anchors_checked", anchored);
    cli_json_str(b, "problem", ok ? NULL : error->message);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else if (ok) {
    printf("Audit log intact: %" G_GINT64_FORMAT " entries, %" G_GINT64_FORMAT
           " history rows sealed; head %" G_GINT64_FORMAT " %s\n",
           report.entries, report.rows_covered, report.head_seq, report.head_hash);
    if (anchors != NULL)
      printf("All %" G_GINT64_FORMAT " registry anchors match.\n", anchored);
  }
  muster_audit_report_clear(&report);
  if (!ok)
    return cli.json ? muster_error_exit_status(error) : cli_fail(error);
  return 0;
}
