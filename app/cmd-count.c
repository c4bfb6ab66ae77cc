/*
 * cmd-count.c: `muster count ...`: a stock count from start to sign-off.
 *
 * This file holds the command table and the count's lifecycle as people drive it
 * (start, close, reconcile, discrepancies and their resolution, sign-off, list, show).
 * Feeding scans is cmd-count-scan.c, unmarked items and their photos
 * cmd-count-unmarked.c; app/cmd-count.h is what they share.
 */
#include <stdio.h>
#include <string.h>

#include "app/cmd-count.h"
#include "app/output.h"
#include "db/reconcile.h"

static int run_start(int argc, char **argv);
static int run_close(int argc, char **argv);
static int run_reconcile(int argc, char **argv);
static int run_discrepancies(int argc, char **argv);
static int run_resolve(int argc, char **argv);
static int run_sign_off(int argc, char **argv);
static int run_list(int argc, char **argv);
static int run_show(int argc, char **argv);

const MusterCliCommand muster_cmd_count[] = {
    [CMD_START] = {"count start", "--user COUNTER --witness NAME --scope PATH... [--blind]",
                   "Start a count of one or more locations", run_start},
    [CMD_SCAN] = {"count scan", "--user NAME COUNT",
                  "Feed scans, one per line on stdin (plain or JSON)", cmd_count_run_scan},
    [CMD_UNMARKED] = {"count unmarked",
                      "--user NAME --description TEXT --location PATH [--photo FILE] COUNT",
                      "Record an item found without any marking", cmd_count_run_unmarked},
    [CMD_CLOSE] = {"count close", "--user NAME COUNT", "Close a count: no more scans", run_close},
    [CMD_RECONCILE] = {"count reconcile", "--user NAME COUNT",
                       "Compare what was found with what was expected", run_reconcile},
    [CMD_DISCREPANCIES] = {"count discrepancies",
                           "COUNT [--kind K] [--location PATH] [--unresolved]",
                           "List a count's discrepancies", run_discrepancies},
    [CMD_RESOLVE] = {"count resolve",
                     "--user SUPERVISOR [--confirm-by NAME] --action A --reason TEXT ID",
                     "Resolve a discrepancy", run_resolve},
    [CMD_SIGN_OFF] = {"count sign-off", "--user SUPERVISOR [--note TEXT] COUNT",
                      "Sign a reconciled count off (not by its counter)", run_sign_off},
    [CMD_LIST] = {"count list", "[--state STATE]", "List counts, newest first", run_list},
    [CMD_SHOW] = {"count show", "[--user NAME] COUNT", "Show a count and its progress", run_show},
    [CMD_PHOTO] = {"count photo", "--out FILE UNMARKED",
                   "Write the photo of an unmarked item (the subject of its discrepancy) to a "
                   "file",
                   cmd_count_run_photo},
    [N_CMDS] = {NULL}};

int
count_start(const MusterCliCommand *cmd, const CliStart *how, int *argc, char ***argv,
            CliSession *s, MusterCount **count)
{
  int status = cli_start(cmd, how, argc, argv, s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  *count = muster_counts_get(s->store, (*argv)[1], &error);
  return *count != NULL ? CLI_GO_ON : cli_fail(error);
}

static gboolean
may_see_expected(const MusterCount *count, const MusterUser *actor)
{
  if (actor != NULL)
    return muster_count_may_see_expected(count, actor);
  /* Nobody signed in: treat the viewer as possibly the counter. */
  return !count->blind || count->state >= MUSTER_COUNT_RECONCILED;
}

int
count_print(MusterStore *store, gint64 id, const MusterUser *viewer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterCount) count = muster_counts_get_by_id(store, id, &error);
  if (count == NULL)
    return cli_fail(error);
  gboolean show = may_see_expected(count, viewer);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    output_count_json(b, count, show);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    output_count_text(stdout, count, show);
  }
  return 0;
}

static int
run_start(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[CMD_START];
  const char *usage = "give --witness and either --scope PATH (repeatable) or --all";
  g_autofree char *actor_name = NULL, *witness_name = NULL;
  g_auto(GStrv) scope = NULL;
  gboolean blind = FALSE, all = FALSE;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "The counter", "NAME"},
      {"witness", 'w', 0, G_OPTION_ARG_STRING, &witness_name, "The witness (another person)",
       "NAME"},
      {"scope", 's', 0, G_OPTION_ARG_STRING_ARRAY, &scope, "A location to count (repeat)", "PATH"},
      {"all", 0, 0, G_OPTION_ARG_NONE, &all, "Count the whole armoury", NULL},
      {"blind", 0, 0, G_OPTION_ARG_NONE, &blind,
       "Blind count: the counter sees no expected "
       "figures",
       NULL},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .help = "The counter's PIN comes from $MUSTER_PIN, the witness's from "
                                  "$MUSTER_WITNESS_PIN (or prompts).",
                          .usage = usage,
                          .required = (char **const[]){&witness_name, NULL}};
  g_auto(CliSession) s = {0};
  int status = cli_start(cmd, &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  if ((scope == NULL && !all) || (scope != NULL && all))
    return cli_usage_error(cmd, "%s", usage);
  g_autoptr(GError) error = NULL;
  if (!cli_session_open(&s, CLI_OPEN_SIGNED_IN, actor_name, &error))
    return cli_fail(error);
  g_autoptr(MusterUser) witness =
      cli_sign_in(s.store, witness_name, "MUSTER_WITNESS_PIN", "witness", &error);
  if (witness == NULL)
    return cli_fail(error);
  const char *const whole[] = {"", NULL};
  g_autoptr(MusterCount) count = muster_counts_start(
      s.store, s.actor, witness, all ? whole : (const char *const *)scope, blind, &error);
  if (count == NULL)
    return cli_fail(error);
  return count_print(s.store, count->id, s.actor);
}

/* A change of a count's state; note is --note, NULL for the steps that take none. */
typedef gboolean (*CountStep)(MusterStore *, const MusterUser *, gint64, const char *note,
                              GError **);

/* A subcommand on one COUNT by --user, which then prints the count. */
typedef struct {
  const char *who; /* --user's help */
  CliOpen open;    /* CLI_OPEN_SIGNED_IN, or CLI_OPEN_VIEWER to only look */
  gboolean note;   /* it takes --note */
  CountStep step;  /* NULL: it only shows the count */
} CountStepHow;

static int
run_step(const MusterCliCommand *cmd, int argc, char **argv, const CountStepHow *how)
{
  g_autofree char *actor_name = NULL, *note = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, how->who, "NAME"},
      how->note ? (GOptionEntry){"note", 0, 0, G_OPTION_ARG_STRING, &note,
                                 "A note kept with the sign-off", "TEXT"}
                : (GOptionEntry){NULL},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .usage = COUNT_USAGE_ONE,
                          .args = 1,
                          .open = how->open,
                          .user = &actor_name};
  g_auto(CliSession) s = {0};
  g_autoptr(MusterCount) count = NULL;
  int status = count_start(cmd, &start, &argc, &argv, &s, &count);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  if (how->step != NULL && !how->step(s.store, s.actor, count->id, note, &error))
    return cli_fail(error);
  return count_print(s.store, count->id, s.actor);
}

static gboolean
close_step(MusterStore *store, const MusterUser *actor, gint64 id, const char *note, GError **error)
{
  return muster_counts_close(store, actor, id, error);
}

static int
run_close(int argc, char **argv)
{
  const CountStepHow how = {"Who is doing this", CLI_OPEN_SIGNED_IN, FALSE, close_step};
  return run_step(&muster_cmd_count[CMD_CLOSE], argc, argv, &how);
}

static gboolean
reconcile_step(MusterStore *store, const MusterUser *actor, gint64 id, const char *note,
               GError **error)
{
  MusterReconcileSummary summary;
  return muster_reconcile(store, actor, id, &summary, error);
}

static int
run_reconcile(int argc, char **argv)
{
  const CountStepHow how = {"Who is doing this", CLI_OPEN_SIGNED_IN, FALSE, reconcile_step};
  return run_step(&muster_cmd_count[CMD_RECONCILE], argc, argv, &how);
}

static int
run_discrepancies(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[CMD_DISCREPANCIES];
  g_autofree char *kind = NULL, *location = NULL;
  gboolean unresolved = FALSE;
  const GOptionEntry entries[] = {
      {"kind", 0, 0, G_OPTION_ARG_STRING, &kind, "Only this kind (missing, wrong_location, ...)",
       "KIND"},
      {"location", 0, 0, G_OPTION_ARG_STRING, &location, "Only at or under this location", "PATH"},
      {"unresolved", 0, 0, G_OPTION_ARG_NONE, &unresolved, "Only those without a resolution", NULL},
      {NULL}};
  const CliStart start = {
      .entries = entries, .usage = COUNT_USAGE_ONE, .args = 1, .open = CLI_OPEN_STORE};
  g_auto(CliSession) s = {0};
  g_autoptr(MusterCount) count = NULL;
  int status = count_start(cmd, &start, &argc, &argv, &s, &count);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  MusterDiscrepancyFilter filter = {kind, location, unresolved ? 0 : -1};
  g_autoptr(GPtrArray) list = muster_discrepancies_list(s.store, count->id, &filter, &error);
  if (list == NULL)
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_array(b);
    for (guint i = 0; i < list->len; i++)
      output_discrepancy_json(b, list->pdata[i]);
    json_builder_end_array(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
    return 0;
  }
  for (guint i = 0; i < list->len; i++)
    output_discrepancy_text(stdout, list->pdata[i]);
  printf("%u discrepancies\n", list->len);
  return 0;
}

static int
run_resolve(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[CMD_RESOLVE];
  g_autofree char *actor_name = NULL, *confirm = NULL, *action = NULL, *reason = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Supervisor resolving", "NAME"},
      {"confirm-by", 0, 0, G_OPTION_ARG_STRING, &confirm,
       "Second person confirming (needed for missing and status_conflict)", "NAME"},
      {"action", 0, 0, G_OPTION_ARG_STRING, &action,
       "found, recorded, corrected, written_off, reported, accepted or reopened", "ACTION"},
      {"reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (required)", "TEXT"},
      {NULL}};
  const CliStart start = {
      .entries = entries,
      .help = "ID is the discrepancy's number or uuid ('muster count discrepancies').\n"
              "The confirmer's PIN comes from $MUSTER_CONFIRM_PIN (or a prompt).",
      .usage = "give --action, --reason and one discrepancy ID",
      .args = 1,
      .required = (char **const[]){&action, &reason, NULL},
      .open = CLI_OPEN_SIGNED_IN,
      .user = &actor_name};
  g_auto(CliSession) s = {0};
  int status = cli_start(cmd, &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterDiscrepancy) d = muster_discrepancies_get(s.store, argv[1], &error);
  if (d == NULL)
    return cli_fail(error);
  g_autoptr(MusterUser) confirmer = NULL;
  if (confirm != NULL && (confirmer = cli_sign_in(s.store, confirm, "MUSTER_CONFIRM_PIN",
                                                  "confirmer", &error)) == NULL)
    return cli_fail(error);
  if (!muster_discrepancies_resolve(s.store, s.actor, confirmer, d->id, action, reason, &error))
    return cli_fail(error);
  g_autoptr(MusterDiscrepancy) after = muster_discrepancies_get(s.store, d->uuid, &error);
  if (after == NULL)
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    output_discrepancy_json(b, after);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    output_discrepancy_text(stdout, after);
  }
  return 0;
}

static int
run_sign_off(int argc, char **argv)
{
  const CountStepHow how = {"Supervisor signing off", CLI_OPEN_SIGNED_IN, TRUE,
                            muster_counts_sign_off};
  return run_step(&muster_cmd_count[CMD_SIGN_OFF], argc, argv, &how);
}

static int
run_list(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_count[CMD_LIST];
  g_autofree char *state_s = NULL,
                  *choices = muster_closed_list_join(&muster_count_state_list, " or ");
  const GOptionEntry entries[] = {{"state", 0, 0, G_OPTION_ARG_STRING, &state_s, choices, "STATE"},
                                  {NULL}};
  const CliStart start = {.entries = entries};
  int status = cli_start(cmd, &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  MusterCountState state = (MusterCountState)-1;
  if (state_s != NULL && !muster_count_state_from_name(state_s, &state))
    return cli_usage_error(cmd, "unknown state '%s'", state_s);
  g_autoptr(GError) error = NULL;
  g_auto(CliSession) s = {0};
  if (!cli_session_open(&s, CLI_OPEN_STORE, NULL, &error))
    return cli_fail(error);
  g_autoptr(GPtrArray) counts = muster_counts_list(s.store, (int)state, &error);
  if (counts == NULL)
    return cli_fail(error);
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_array(b);
  for (guint i = 0; i < counts->len; i++) {
    MusterCount *k = counts->pdata[i];
    gboolean show = may_see_expected(k, NULL);
    if (cli.json) {
      output_count_json(b, k, show);
      continue;
    }
    printf("%-5" G_GINT64_FORMAT " %-11s %s  %-10s %-10s found %" G_GINT64_FORMAT "%s\n", k->id,
           muster_count_state_to_string(k->state), k->started_at, k->counter, k->witness, k->found,
           k->blind ? " (blind)" : "");
  }
  json_builder_end_array(b);
  if (cli.json) {
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  }
  return 0;
}

static int
run_show(int argc, char **argv)
{
  const CountStepHow how = {
      "Sign in to see expected figures of a blind count you do not take part in", CLI_OPEN_VIEWER,
      FALSE, NULL};
  return run_step(&muster_cmd_count[CMD_SHOW], argc, argv, &how);
}
