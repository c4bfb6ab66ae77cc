/*
 * muster.c: the `muster` command: administration, scripting and headless counts.
 *
 * A table of subcommands, one file per group (app/cmd-*.c). Each subcommand parses its
 * own options, signs people in, calls the engine, and prints text or, with --json,
 * JSON. The engine decides what is allowed; this file only routes.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/output.h"

static const MusterCliCommand *const groups[] = {
    muster_cmd_init,   muster_cmd_user,    muster_cmd_location, muster_cmd_item,
    muster_cmd_count,  muster_cmd_report,  muster_cmd_history,  muster_cmd_overdue,
    muster_cmd_audit,  muster_cmd_settings, muster_cmd_readers, muster_cmd_decode,
    muster_cmd_sync,   muster_cmd_backup,   muster_cmd_demo,
};

static void
print_help(FILE *out)
{
  fprintf(out,
          "Usage: muster [--db PATH] [--json] COMMAND [OPTION...]\n\n"
          "Muster keeps an armoury's weapon records, runs stock counts against them and\n"
          "reconciles what was found with what was expected.\n\nCommands:\n");
  for (guint g = 0; g < G_N_ELEMENTS(groups); g++)
    for (const MusterCliCommand *c = groups[g]; c->name != NULL; c++)
      fprintf(out, "  %-24s %s\n", c->name, c->summary);
  fprintf(out,
          "\nGlobal options:\n"
          "  --db PATH     database file (default: $MUSTER_DB, else %s)\n"
          "  --json        machine-readable output\n"
          "  --help        this help; 'muster COMMAND --help' for a command's options\n"
          "  --version     print the version\n\n"
          "Signing in: --user NAME (or $MUSTER_USER); the PIN comes from $MUSTER_PIN or a\n"
          "prompt on the terminal. Witnesses and confirmers use $MUSTER_WITNESS_PIN and\n"
          "$MUSTER_CONFIRM_PIN. PINs are never taken on the command line.\n",
          MUSTER_DEFAULT_DB);
}

/* Matches the longest command name ("count start" before "count") against argv. */
static const MusterCliCommand *
find_command(int argc, char **argv, int *words)
{
  for (guint g = 0; g < G_N_ELEMENTS(groups); g++) {
    for (const MusterCliCommand *c = groups[g]; c->name != NULL; c++) {
      g_auto(GStrv) parts = g_strsplit(c->name, " ", -1);
      int n = (int)g_strv_length(parts);
      if (n > argc)
        continue;
      gboolean match = TRUE;
      for (int i = 0; i < n && match; i++)
        match = g_strcmp0(parts[i], argv[i]) == 0;
      if (match) {
        *words = n;
        return c;
      }
    }
  }
  return NULL;
}

static void
list_group(const char *word)
{
  g_printerr("'%s' needs a subcommand:\n", word);
  for (guint g = 0; g < G_N_ELEMENTS(groups); g++)
    for (const MusterCliCommand *c = groups[g]; c->name != NULL; c++)
      if (g_str_has_prefix(c->name, word) && c->name[strlen(word)] == ' ')
        g_printerr("  muster %-22s %s\n", c->name, c->summary);
}

int
main(int argc, char **argv)
{
  /* before any thread, and before anything could leak them */
  cli_secrets_take();
  setlocale(LC_ALL, "");
  /* libnfc logs its internals to stderr (every poll of a missing reader); the readers
   * report trouble themselves, in `readers list` and on the kiosk. LIBNFC_LOG_LEVEL set
   * by the user still wins. Set before any thread starts. */
  g_setenv("LIBNFC_LOG_LEVEL", "0", FALSE);
  /* Names, scans and messages quoting them reach a terminal: no escape sequences. */
  output_guard_streams();
  /* Leading global options; the subcommand's parser takes any that follow it. */
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      print_help(stdout);
      return 0;
    } else if (strcmp(argv[i], "--version") == 0) {
      printf("muster %s\n", MUSTER_VERSION);
      return 0;
    } else if (strcmp(argv[i], "--json") == 0) {
      cli.json = TRUE;
    } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
      cli.db_path = g_strdup(argv[++i]);
    } else if (g_str_has_prefix(argv[i], "--db=")) {
      cli.db_path = g_strdup(argv[i] + 5);
    } else {
      g_printerr("muster: unknown option %s\nTry 'muster --help'.\n", argv[i]);
      return 2;
    }
  }
  if (i >= argc) {
    print_help(stderr);
    return 2;
  }
  int words = 0;
  const MusterCliCommand *cmd = find_command(argc - i, argv + i, &words);
  if (cmd == NULL) {
    gboolean is_group = FALSE;
    for (guint g = 0; g < G_N_ELEMENTS(groups) && !is_group; g++)
      for (const MusterCliCommand *c = groups[g]; c->name != NULL && !is_group; c++)
        is_group = g_str_has_prefix(c->name, argv[i]) && c->name[strlen(argv[i])] == ' ';
    if (is_group)
      list_group(argv[i]);
    else
      g_printerr("muster: unknown command '%s'.\nTry 'muster --help'.\n", argv[i]);
    return 2;
  }
  /* The subcommand sees argv[0] = "muster" followed by its own arguments. */
  int sub_argc = argc - i - words + 1;
  g_autofree char **sub_argv = g_new0(char *, sub_argc + 1);
  sub_argv[0] = argv[0];
  for (int k = 1; k < sub_argc; k++)
    sub_argv[k] = argv[i + words + k - 1];
  int status = cmd->run(sub_argc, sub_argv);
  g_free(cli.db_path);
  return status;
}
