/*
 * cli.c: shared plumbing of the `muster` command. See cli.h.
 */
#include "app/cli.h"

#include <errno.h>
#include <sodium.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

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
  return g_strdup(buf);
}

static char *
read_pin(const char *pin_env, const char *who, GError **error)
{
  const char *env = g_getenv(pin_env);
  if (env != NULL)
    return g_strdup(env);
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
  g_autofree char *pin = read_pin(pin_env, label, error);
  if (pin == NULL)
    return NULL;
  MusterUser *user = muster_users_authenticate(store, name, pin, error);
  sodium_memzero(pin, strlen(pin));
  return user;
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

gboolean
cli_open_signed_in(const char *user_opt, MusterStore **store, MusterUser **actor,
                   GError **error)
{
  *actor = NULL;
  *store = cli_open_store(error);
  if (*store == NULL)
    return FALSE;
  *actor = cli_sign_in_actor(*store, user_opt, error);
  if (*actor == NULL)
    g_clear_pointer(store, muster_store_free);
  return *actor != NULL;
}

char *
cli_read_new_pin(const char *pin_env, const char *who, GError **error)
{
  const char *env = g_getenv(pin_env);
  if (env != NULL)
    return g_strdup(env);
  g_autofree char *label = g_strdup_printf("new %s", who);
  g_autofree char *first = read_pin(pin_env, label, error);
  if (first == NULL)
    return NULL;
  g_autofree char *again_label = g_strdup_printf("new %s (again)", who);
  g_autofree char *second = read_pin(pin_env, again_label, error);
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
  json_builder_set_member_name(b, key);
  if (value != NULL)
    json_builder_add_string_value(b, value);
  else
    json_builder_add_null_value(b);
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
