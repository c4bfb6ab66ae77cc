/*
 * cli.h: what every subcommand of `muster` shares.
 *
 * Global options (--db, --json) are accepted before or after the subcommand. Signing
 * in takes a user name from an option and the PIN from an environment variable or, on
 * a terminal, from a prompt without echo; PINs never appear in argv (ps would show
 * them). Every error goes to stderr as one message that says what, where and what to
 * do, and the exit status tells scripts which kind of error it was.
 */
#pragma once
#include <glib.h>
#include <json-glib/json-glib.h>

#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef struct {
  char *db_path;   /* --db, else $MUSTER_DB, else MUSTER_DEFAULT_DB */
  gboolean json;   /* --json: machine-readable output */
} MusterCliGlobals;

extern MusterCliGlobals cli;

typedef struct {
  const char *name;     /* "count start" */
  const char *args;     /* "[OPTION...] COUNT" */
  const char *summary;  /* one line for `muster --help` */
  int (*run)(int argc, char **argv);
} MusterCliCommand;

/* A GOptionContext for a subcommand with the global options added and help text. */
GOptionContext *cli_context(const MusterCliCommand *cmd, const GOptionEntry *entries,
                            const char *description);
/* Parses; on error prints it with usage hint and returns FALSE. */
gboolean cli_parse(GOptionContext *ctx, const MusterCliCommand *cmd, int *argc, char ***argv);

const char *cli_db_path(void);
/* Opens the database named by --db/MUSTER_DB (never creates one). */
MusterStore *cli_open_store(GError **error);

/* A PIN in memory, wiped when freed: g_auto(CliPin) pin = cli_read_new_pin(...). */
typedef char *CliPin;
void cli_pin_free(char *pin);
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(CliPin, cli_pin_free, NULL)

/* First thing in main, before any thread: takes the PINs given in the environment
 * (MUSTER_PIN, MUSTER_WITNESS_PIN, MUSTER_CONFIRM_PIN, MUSTER_NEW_PIN) out of it,
 * wiping the copy the process was started with (the one /proc/PID/environ shows), and
 * makes the process not dumpable: no core file, and no other process of the same user
 * may read its memory. The PINs are then read from here, and wiped at exit. */
void cli_secrets_take(void);

/* Signs name in. The PIN comes from the environment variable pin_env (MUSTER_PIN,
 * MUSTER_WITNESS_PIN, ...) or, when stdin or /dev/tty is a terminal, a prompt naming
 * who is asked ("PIN for witness bob: "). */
MusterUser *cli_sign_in(MusterStore *store, const char *name, const char *pin_env,
                        const char *who, GError **error);
/* --user NAME or $MUSTER_USER, signed in with MUSTER_PIN. */
MusterUser *cli_sign_in_actor(MusterStore *store, const char *user_opt, GError **error);
/* ---- how a subcommand starts ---------------------------------------------------------- */

/* What a subcommand opens once its options and arguments are good. */
typedef enum {
  CLI_OPEN_NOTHING,   /* nothing: it opens what it needs itself, if anything */
  CLI_OPEN_STORE,     /* the database named by --db/MUSTER_DB (cli_open_store()) */
  CLI_OPEN_SIGNED_IN, /* the database, and the actor signed in (cli_sign_in_actor()) */
  CLI_OPEN_VIEWER,    /* the database, and the actor signed in only when --user was given */
} CliOpen;

/* What a subcommand has opened: g_auto(CliSession) s = {0}. */
typedef struct {
  MusterStore *store;
  MusterUser *actor; /* NULL unless signed in */
} CliSession;
void cli_session_clear(CliSession *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CliSession, cli_session_clear)

/* How a subcommand starts. Fields left 0 or NULL: no options of its own, no help text,
 * arguments not checked, nothing opened. */
typedef struct {
  const GOptionEntry *entries; /* its own options (cli_context()) */
  const char *help;            /* shown under the options by --help */
  /* When usage is set, the arguments after the command's name must number args, or up
   * to optional_args more (CLI_ANY: any number more), and every option in required
   * (NULL-terminated) must have been given; else usage is printed as
   * cli_usage_error() prints it. */
  const char *usage;
  int args, optional_args;
  char **const *required;
  CliOpen open;
  char **user;       /* CLI_OPEN_SIGNED_IN, CLI_OPEN_VIEWER: the variable of its --user */
  const char *doing; /* with a signed-in actor: refused (muster_require_role(), saying
                      * doing) unless the actor has role at least */
  MusterRole role;
} CliStart;

/* optional_args: any number. */
#define CLI_ANY (-1)
/* cli_start()'s answer when the command goes on. */
#define CLI_GO_ON (-1)

/* Every subcommand's opening, in this order: parses argc/argv (cli_parse()), checks the
 * arguments (how->usage), opens what how->open says into *s (s may be NULL when it
 * opens nothing), checks the actor's role (how->doing). Returns CLI_GO_ON, or the exit
 * status to return at once with the message printed (2 for a usage error, cli_fail()'s
 * status otherwise). */
int cli_start(const MusterCliCommand *cmd, const CliStart *how, int *argc, char ***argv,
              CliSession *s);
/* The open step of cli_start() alone, for a command that checks more of its arguments
 * first: FALSE with error set, and nothing left open, when it fails. */
gboolean cli_session_open(CliSession *s, CliOpen open, const char *user_opt, GError **error);

/* Reads a new PIN from env or a prompt, asked twice on a terminal. */
char *cli_read_new_pin(const char *pin_env, const char *who, GError **error);

/* Prints error to stderr ("muster: ...") and returns its exit status. */
int cli_fail(GError *error);
/* Prints a usage error for cmd and returns 2. */
int cli_usage_error(const MusterCliCommand *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Prints a JSON node to stdout, pretty, with a newline. */
void cli_print_json(JsonNode *node);
/* Prints one compact JSON line (JSON Lines streams) and flushes. */
void cli_print_json_line(JsonNode *node);

/* JsonBuilder shorthands; a NULL string is written as null (muster_json_add_str()). */
void cli_json_str(JsonBuilder *b, const char *key, const char *value);
void cli_json_int(JsonBuilder *b, const char *key, gint64 value);
void cli_json_bool(JsonBuilder *b, const char *key, gboolean value);

/* Reads a whole file, or stdin when path is "-". */
gboolean cli_read_input(const char *path, char **data, gsize *len, GError **error);

/* Subcommand groups, one file each. */
extern const MusterCliCommand muster_cmd_init[];
extern const MusterCliCommand muster_cmd_user[];
extern const MusterCliCommand muster_cmd_location[];
extern const MusterCliCommand muster_cmd_item[];
extern const MusterCliCommand muster_cmd_count[];
extern const MusterCliCommand muster_cmd_report[];
extern const MusterCliCommand muster_cmd_history[];
extern const MusterCliCommand muster_cmd_overdue[];
extern const MusterCliCommand muster_cmd_audit[];
extern const MusterCliCommand muster_cmd_settings[];
extern const MusterCliCommand muster_cmd_demo[];
extern const MusterCliCommand muster_cmd_readers[];
extern const MusterCliCommand muster_cmd_decode[];
extern const MusterCliCommand muster_cmd_sync[];
extern const MusterCliCommand muster_cmd_backup[];

G_END_DECLS
