/*
 * cmd-audit.c: `muster audit verify`: is the history as it was written?
 */
#include <stdio.h>

#include "app/cli.h"
#include "app/output.h"
#include "db/audit-anchors.h"
#include "db/audit.h"
#include "db/sync-state.h"

static int run_verify(int argc, char **argv);

enum { CMD_VERIFY, N_CMDS };

const MusterCliCommand muster_cmd_audit[] = {
    [CMD_VERIFY] = {"audit verify", "[--anchors FILE]",
                    "Check the audit hash chain, every sealed history row, and the registry's "
                    "anchors",
                    run_verify},
    [N_CMDS] = {NULL}};

/* What the registry does not hold yet could still be rewritten unseen by someone who
 * can write this file: say how much (docs/threat-model.md). */
static void
print_window(const MusterAnchorReceipt *w)
{
  if (w->unanchored == 0)
    printf("The registry holds an anchor of the whole history.\n");
  else if (w->audit_seq == 0)
    printf("No part of this history is anchored at the registry yet (%" G_GINT64_FORMAT
           " entries since %s): sync, or export to media, to anchor it.\n",
           w->unanchored, w->unanchored_since != NULL ? w->unanchored_since : "?");
  else
    printf("Anchored at the registry up to entry %" G_GINT64_FORMAT " (%s); the %" G_GINT64_FORMAT
           " entries since %s are not anchored yet: until the next sync they are only as safe "
           "as this file.\n",
           w->audit_seq, w->audit_at != NULL ? w->audit_at : "?", w->unanchored,
           w->unanchored_since != NULL ? w->unanchored_since : "?");
}

static const char verify_help[] =
    "Exit status 0 when intact, 15 when the log, a history table or a record (item, user, "
    "setting, ...) was altered outside Muster. Also says how much of the history the "
    "registry does not hold an anchor of yet.";

static int
run_verify(int argc, char **argv)
{
  g_autofree char *anchors_file = NULL;
  const GOptionEntry entries[] = {
      {"anchors", 0, 0, G_OPTION_ARG_FILENAME, &anchors_file,
       "Also check against the anchors the registry holds ('muster-registry anchors "
       "ARMOURY' > FILE): finds history cut off at its end, which the chain alone cannot",
       "FILE"},
      {NULL}};
  const CliStart start = {.entries = entries, .help = verify_help};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_audit[CMD_VERIFY], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autofree char *anchors = NULL;
  gsize anchors_len = 0;
  if (anchors_file != NULL && !cli_read_input(anchors_file, &anchors, &anchors_len, &error))
    return cli_fail(error);
  if (!cli_session_open(&s, CLI_OPEN_STORE, NULL, &error))
    return cli_fail(error);
  MusterAuditReport report;
  g_autoptr(MusterAnchorReceipt) window = NULL;
  gint64 anchored = 0, receipts = 0;
  gboolean ok =
      muster_audit_verify(s.store, &report, &error) &&
      muster_audit_check_receipts(s.store, &receipts, &error) &&
      (anchors == NULL || muster_audit_check_anchors(s.store, anchors, &anchored, &error)) &&
      (window = muster_sync_anchor_receipt(s.store, &error)) != NULL;
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_bool(b, "intact", ok);
    cli_json_int(b, "entries", report.entries);
    cli_json_int(b, "rows_covered", report.rows_covered);
    cli_json_int(b, "head_seq", report.head_seq);
    cli_json_str(b, "head_hash", report.head_hash);
    cli_json_int(b, "state_rows", report.state_rows);
    cli_json_int(b, "counts_checked", report.counts_frozen);
    cli_json_int(b, "anchors_checked", anchored);
    cli_json_int(b, "receipts_checked", receipts);
    if (window != NULL)
      output_anchor_json(b, window);
    cli_json_str(b, "problem", ok ? NULL : error->message);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else if (ok) {
    printf("Audit log intact: %" G_GINT64_FORMAT " entries, %" G_GINT64_FORMAT
           " history rows sealed, %" G_GINT64_FORMAT " records as sealed, %" G_GINT64_FORMAT
           " counts' expected lists as frozen; head %" G_GINT64_FORMAT " %s\n",
           report.entries, report.rows_covered, report.state_rows, report.counts_frozen,
           report.head_seq, report.head_hash);
    if (receipts > 0)
      printf("All %" G_GINT64_FORMAT " receipts the registry signed for anchors match.\n",
             receipts);
    if (anchors != NULL)
      printf("All %" G_GINT64_FORMAT " registry anchors match.\n", anchored);
    print_window(window);
  }
  muster_audit_report_clear(&report);
  if (!ok)
    return cli.json ? muster_error_exit_status(error) : cli_fail(error);
  return 0;
}
