/*
 * cli.c: shared plumbing of the `muster` command. See cli.h.
 */
#include "app/cli.h"

#include "core/json-member.h"

#include <errno.h>
#include <sodium.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

MusterCliGlobals cli;

static const GOptionEntry global_entries[] = {
    {"db", 0, 0, G_OPTION_ARG_FILENAME, &cli.db_path,
     "Database file (default: $MUSTER_DB or " MUSTER_DEFAULT_DB ")", "PATH"},
    {"json", 0, 0, G_OPTION_ARG_NONE, &cli.json, "Print machine-readable JSON", NULL},
    {NULL}};

GOptionContext *
cli_context(const MusterCliCommand *cmd, const GOptionEntry *entries, const char *description)
{
  g_autofree char *param = g_strdup_printf("%s %s", cmd->name, cmd->args ? cmd->args : "");
  GOptionContext *ctx = g_option_context_new(param);
  g_option_context_set_summary(ctx, cmd->summary);
  if (description != NULL)
    g_option_context_set_description(ctx, description);
  if (entries != NULL)
    g_option_context_add_main_entries(ctx, entries, NULL);
  GOptionGroup *global = g_option_group_new("global", "Global options:",
                                            "Show global options", NULL, NULL);
  g_option_group_add_entries(global, global_entries);
  g_option_context_add_group(ctx, global);
  return ctx;
}

gboolean
cli_parse(GOptionContext *ctx, const MusterCliCommand *cmd, int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;
  if (g_option_context_parse(ctx, argc, argv, &error))
    return TRUE;
  g_printerr("muster %s: %s\nTry 'muster %s --help'.\n", cmd->name, error->message, cmd->name);
  return FALSE;
}

const char *
cli_db_path(void)
{
  if (cli.db_path != NULL)
    return cli.db_path;
  const char *env = g_getenv("MUSTER_DB");
  return env != NULL && *env != '\0' ? env : MUSTER_DEFAULT_DB;
}

MusterStore *
cli_open_store(GError **error)
{
  return muster_store_open(cli_db_path(), error);
}

void
cli_pin_free(char *pin)
{
  if (pin == NULL)
    return;
  sodium_memzero(pin, strlen(pin));
  g_free(pin);
}

/* The environment variables that carry PINs, and their values once taken. */
static const char *const secret_names[] = {"MUSTER_PIN", "MUSTER_WITNESS_PIN",
                                           "MUSTER_CONFIRM_PIN", "MUSTER_NEW_PIN"};
static char *secret_values[G_N_ELEMENTS(secret_names)];

/* Takes name's value out of the environment. Every NAME= entry is wiped where it lies:
 * unsetenv() alone only drops the pointer, and the block the process was started with
 * stays readable in /proc/PID/environ. */
static char *
take_from_environment(const char *name)
{
  gsize len = strlen(name);
  char *value = NULL;
  for (char **e = environ; e != NULL && *e != NULL; e++) {
    if (strncmp(*e, name, len) != 0 || (*e)[len] != '=')
      continue;
    char *v = *e + len + 1;
    if (value == NULL)
      value = g_strdup(v);
    sodium_memzero(v, strlen(v));
  }
  g_unsetenv(name);
  return value;
}

static void
secrets_wipe(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(secret_names); i++)
    g_clear_pointer(&secret_values[i], cli_pin_free);
}

void
cli_secrets_take(void)
{
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_warning("could not make the process undumpable: %s", g_strerror(errno));
  for (guint i = 0; i < G_N_ELEMENTS(secret_names); i++)
    secret_values[i] = take_from_environment(secret_names[i]);
  atexit(secrets_wipe);
}

/* The PIN given in the environment variable name, or NULL. */
static char *
secret_from_environment(const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS(secret_names); i++)
    if (g_str_equal(name, secret_names[i]))
      return g_strdup(secret_values[i]);
  g_return_val_if_reached(NULL);
}

/* Reads one line from fd with echo off when it is a terminal. */
static char *
prompt_secret(const char *prompt, GError **error)
{
  int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_AUTH, "No terminal to ask for the PIN.");
    return NULL;
  }
  struct termios old, quiet;
  gboolean restore = tcgetattr(fd, &old) == 0;
  if (restore) {
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  if (write(fd, prompt, strlen(prompt)) < 0)
    g_debug("prompt write failed: %s", g_strerror(errno));
  char buf[64];
  gsize n = 0;
  char c;
  while (n < sizeof buf - 1 && read(fd, &c, 1) == 1 && c != '\n')
    buf[n++] = c;
  buf[n] = '\0';
  if (restore)
    tcsetattr(fd, TCSAFLUSH, &old);
  if (write(fd, "\n", 1) < 0)
    g_debug("newline write failed");
  close(fd);
  char *pin = g_strdup(buf);
  sodium_memzero(buf, sizeof buf);
  sodium_memzero(&c, sizeof c);
  return pin;
}

static char *
read_pin(const char *pin_env, const char *who, GError **error)
{
  char *env = secret_from_environment(pin_env);
  if (env != NULL)
    return env;
  if (!isatty(STDIN_FILENO) && !isatty(STDERR_FILENO)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_AUTH,
                "No PIN for %s: set %s, or run the command on a terminal to be asked.", who,
                pin_env);
    return NULL;
  }
  g_autofree char *prompt = g_strdup_printf("PIN for %s: ", who);
  return prompt_secret(prompt, error);
}

MusterUser *
cli_sign_in(MusterStore *store, const char *name, const char *pin_env, const char *who,
            GError **error)
{
  g_autofree char *label = g_strdup_printf("%s %s", who, name);
  g_auto(CliPin) pin = read_pin(pin_env, label, error);
  if (pin == NULL)
    return NULL;
  return muster_users_authenticate(store, name, pin, error);
}

MusterUser *
cli_sign_in_actor(MusterStore *store, const char *user_opt, GError **error)
{
  const char *name = user_opt != NULL ? user_opt : g_getenv("MUSTER_USER");
  if (name == NULL || *name == '\0') {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_AUTH,
                "Who is doing this? Give --user NAME (or set MUSTER_USER).");
    return NULL;
  }
  return cli_sign_in(store, name, "MUSTER_PIN", "user", error);
}

/* ---- how a subcommand starts ---------------------------------------------------------- */

void
cli_session_clear(CliSession *s)
{
  g_clear_pointer(&s->actor, muster_user_free);
  g_clear_pointer(&s->store, muster_store_free);
}

gboolean
cli_session_open(CliSession *s, CliOpen open, const char *user_opt, GError **error)
{
  if (open == CLI_OPEN_NOTHING)
    return TRUE;
  s->store = cli_open_store(error);
  if (s->store == NULL)
    return FALSE;
  if (open == CLI_OPEN_STORE || (open == CLI_OPEN_VIEWER && user_opt == NULL))
    return TRUE;
  s->actor = cli_sign_in_actor(s->store, user_opt, error);
  if (s->actor == NULL)
    g_clear_pointer(&s->store, muster_store_free);
  return s->actor != NULL;
}

static gboolean
arguments_good(const CliStart *how, int argc)
{
  int n = argc - 1; /* after the command's name */
  if (how->usage == NULL)
    return TRUE;
  if (n < how->args || (how->optional_args != CLI_ANY && n > how->args + how->optional_args))
    return FALSE;
  for (char **const *option = how->required; option != NULL && *option != NULL; option++)
    if (**option == NULL)
      return FALSE;
  return TRUE;
}

int
cli_start(const MusterCliCommand *cmd, const CliStart *how, int *argc, char ***argv, CliSession *s)
{
  g_autoptr(GOptionContext) ctx = cli_context(cmd, how->entries, how->help);
  if (!cli_parse(ctx, cmd, argc, argv))
    return 2;
  if (!arguments_good(how, *argc))
    return cli_usage_error(cmd, "%s", how->usage);
  g_autoptr(GError) error = NULL;
  const char *user = how->user != NULL ? *how->user : NULL;
  if (!cli_session_open(s, how->open, user, &error) ||
      (how->doing != NULL && s != NULL && s->actor != NULL &&
       !muster_require_role(s->store, s->actor, how->role, how->doing, &error)))
    return cli_fail(error);
  return CLI_GO_ON;
}

char *
cli_read_new_pin(const char *pin_env, const char *who, GError **error)
{
  char *env = secret_from_environment(pin_env);
  if (env != NULL)
    return env;
  g_autofree char *label = g_strdup_printf("new %s", who);
  g_auto(CliPin) first = read_pin(pin_env, label, error);
  if (first == NULL)
    return NULL;
  g_autofree char *again_label = g_strdup_printf("new %s (again)", who);
  g_auto(CliPin) second = read_pin(pin_env, again_label, error);
  if (second == NULL)
    return NULL;
  if (g_strcmp0(first, second) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The two PINs differ; nothing changed.");
    return NULL;
  }
  return g_steal_pointer(&first);
}

int
cli_fail(GError *error)
{
  int status = muster_error_exit_status(error);
  g_printerr("muster: %s\n", error != NULL ? error->message : "failed");
  return status;
}

int
cli_usage_error(const MusterCliCommand *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_printerr("muster %s: %s\nTry 'muster %s --help'.\n", cmd->name, msg, cmd->name);
  return 2;
}

void
cli_print_json(JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new();
  json_generator_set_pretty(gen, TRUE);
  json_generator_set_root(gen, node);
  g_autofree char *text = json_generator_to_data(gen, NULL);
  fputs(text, stdout);
  fputc('\n', stdout);
  fflush(stdout);
}

void
cli_print_json_line(JsonNode *node)
{
  g_autofree char *text = json_to_string(node, FALSE);
  fputs(text, stdout);
  fputc('\n', stdout);
  fflush(stdout);
}

void
cli_json_str(JsonBuilder *b, const char *key, const char *value)
{
  muster_json_add_str(b, key, value);
}

void
cli_json_int(JsonBuilder *b, const char *key, gint64 value)
{
  json_builder_set_member_name(b, key);
  json_builder_add_int_value(b, value);
}

void
cli_json_bool(JsonBuilder *b, const char *key, gboolean value)
{
  json_builder_set_member_name(b, key);
  json_builder_add_boolean_value(b, value);
}

gboolean
cli_read_input(const char *path, char **data, gsize *len, GError **error)
{
  if (g_strcmp0(path, "-") != 0) {
    if (g_file_get_contents(path, data, len, error))
      return TRUE;
    g_prefix_error(error, "Reading %s: ", path);
    return FALSE;
  }
  g_autoptr(GString) buf = g_string_new(NULL);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
    g_string_append_len(buf, chunk, (gssize)n);
  if (ferror(stdin)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Reading standard input failed.");
    return FALSE;
  }
  *len = buf->len;
  *data = g_string_free(g_steal_pointer(&buf), FALSE);
  return TRUE;
}
