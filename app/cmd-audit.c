/*
 * cmd-audit.c: `muster audit verify`: is the history as it was written?
 */
#include <stdio.h>

#include "app/cli.h"
#include "db/audit.h"

static int run_verify(int argc, char **argv);

const MusterCliCommand muster_cmd_audit[] = {
    {"audit verify", "", "Check the audit hash chain and every sealed history row", run_verify},
    {NULL}};

static int
run_verify(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_audit[0];
  g_autoptr(GOptionContext) ctx = cli_context(
      cmd, NULL,
      "Exit status 0 when intact, 15 when the log or a history table was altered.");
  if (!cli_parse(ctx, cmd, &argc, &argv))
    return 2;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = cli_open_store(&error);
  if (store == NULL)
    return cli_fail(error);
  MusterAuditReport report;
  gboolean ok = muster_audit_verify(store, &report, &error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_bool(b, "intact", ok);
    cli_json_int(b, "entries", report.entries);
    cli_json_int(b, "rows_covered", report.rows_covered);
    cli_json_int(b, "head_seq", report.head_seq);
    cli_json_str(b, "head_hash", report.head_hash);
    cli_json_str(b, "problem", ok ? NULL : error->message);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else if (ok) {
    printf("Audit log intact: %" G_GINT64_FORMAT " entries, %" G_GINT64_FORMAT
           " history rows sealed; head %" G_GINT64_FORMAT " %s\n",
           report.entries, report.rows_covered, report.head_seq, report.head_hash);
  }
  muster_audit_report_clear(&report);
  if (!ok)
    return cli.json ? muster_error_exit_status(error) : cli_fail(error);
  return 0;
}
