/*
 * cmd-count.h: what the files of `muster count ...` share (app/cmd-count*.c only).
 *
 * The subcommands are split by concept: the count's lifecycle and its discrepancies
 * (cmd-count.c), feeding scans (cmd-count-scan.c), unmarked items and their photos
 * (cmd-count-unmarked.c). They name their entry of muster_cmd_count by these indices,
 * and open what they need with cli_start() (count_start() when the argument is a count).
 */
#pragma once
#include "app/cli.h"
#include "db/counts.h"

G_BEGIN_DECLS

/* The entries of muster_cmd_count, in the order `muster --help` lists them. */
enum {
  CMD_START,
  CMD_SCAN,
  CMD_UNMARKED,
  CMD_CLOSE,
  CMD_RECONCILE,
  CMD_DISCREPANCIES,
  CMD_RESOLVE,
  CMD_SIGN_OFF,
  CMD_LIST,
  CMD_SHOW,
  CMD_PHOTO,
  N_CMDS
};

int cmd_count_run_scan(int argc, char **argv);
int cmd_count_run_unmarked(int argc, char **argv);
int cmd_count_run_photo(int argc, char **argv);

/* The usage error of a subcommand whose one argument is a count. */
#define COUNT_USAGE_ONE "give exactly one COUNT"

/* cli_start(), then the count its one argument names (a number or uuid): CLI_GO_ON with
 * *count set, or the exit status to return, the message printed. */
int count_start(const MusterCliCommand *cmd, const CliStart *how, int *argc, char ***argv,
                CliSession *s, MusterCount **count);

/* Prints count id as viewer may see it (expected figures hidden from those who may not
 * see them: nobody signed in counts as possibly the counter). Returns the exit status. */
int count_print(MusterStore *store, gint64 id, const MusterUser *viewer);

G_END_DECLS
