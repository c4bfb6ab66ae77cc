/*
 * cmd-user.c: `muster user ...`: people, roles and PINs.
 */
#include <stdio.h>

#include "app/cli.h"
#include "db/badges.h"
#include "drivers/manager.h"

static int run_add(int argc, char **argv);
static int run_list(int argc, char **argv);
static int run_unlock(int argc, char **argv);
static int run_deactivate(int argc, char **argv);
static int run_activate(int argc, char **argv);
static int run_set_pin(int argc, char **argv);
static int run_badge(int argc, char **argv);

enum {
  CMD_ADD,
  CMD_LIST,
  CMD_UNLOCK,
  CMD_DEACTIVATE,
  CMD_ACTIVATE,
  CMD_SET_PIN,
  CMD_BADGE,
  N_CMDS
};

const MusterCliCommand muster_cmd_user[] = {
    [CMD_ADD] = {"user add", "--user ADMIN --role ROLE NAME", "Add a user (admin)", run_add},
    [CMD_LIST] = {"user list", "", "List users, their roles and lock state", run_list},
    [CMD_UNLOCK] = {"user unlock", "--user ADMIN NAME",
                    "Unlock an account after wrong PINs (admin)", run_unlock},
    [CMD_DEACTIVATE] = {"user deactivate", "--user ADMIN NAME", "Deactivate an account (admin)",
                        run_deactivate},
    [CMD_ACTIVATE] = {"user activate", "--user ADMIN NAME", "Reactivate an account (admin)",
                      run_activate},
    [CMD_SET_PIN] = {"user set-pin", "--user NAME [TARGET]",
                     "Change your PIN, or anyone's as admin", run_set_pin},
    [CMD_BADGE] = {"user badge", "--user ADMIN NAME (UID | --tap [--readers FILE]) | --revoke NAME",
                   "Give someone an NFC badge for signing in at the kiosk, or take it back (admin)",
                   run_badge},
    [N_CMDS] = {NULL}};

static void
user_json(JsonBuilder *b, const MusterUser *u)
{
  json_builder_begin_object(b);
  cli_json_str(b, "uuid", u->uuid);
  cli_json_str(b, "name", u->name);
  cli_json_str(b, "full_name", u->full_name);
  cli_json_str(b, "role", muster_role_to_string(u->role));
  cli_json_bool(b, "active", u->active);
  cli_json_bool(b, "locked", u->locked);
  cli_json_int(b, "failed_attempts", u->failed_attempts);
  cli_json_bool(b, "badge", u->has_badge);
  cli_json_str(b, "created_at", u->created_at);
  json_builder_end_object(b);
}

static int
run_add(int argc, char **argv)
{
  g_autofree char *actor_name = NULL, *role_s = NULL, *full = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "ADMIN"},
      {"role", 0, 0, G_OPTION_ARG_STRING, &role_s, "staff, supervisor or admin", "ROLE"},
      {"full-name", 0, 0, G_OPTION_ARG_STRING, &full, "Full name", "TEXT"},
      {NULL}};
  const CliStart start = {
      .entries = entries,
      .help = "The new user's PIN is read from $MUSTER_NEW_PIN or asked on the terminal.",
      .usage = "give --role and exactly one NAME",
      .args = 1,
      .required = (char **const[]){&role_s, NULL}};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_user[CMD_ADD], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  MusterRole role;
  if (!muster_role_from_string(role_s, &role, &error) ||
      !cli_session_open(&s, CLI_OPEN_SIGNED_IN, actor_name, &error))
    return cli_fail(error);
  g_autofree char *label = g_strdup_printf("PIN for %s", argv[1]);
  g_auto(CliPin) pin = cli_read_new_pin("MUSTER_NEW_PIN", label, &error);
  if (pin == NULL)
    return cli_fail(error);
  g_autoptr(MusterUser) user =
      muster_users_add(s.store, s.actor, argv[1], full ? full : argv[1], role, pin, &error);
  if (user == NULL)
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    user_json(b, user);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    printf("Added %s (%s)\n", user->name, muster_role_to_string(user->role));
  }
  return 0;
}

static int
run_list(int argc, char **argv)
{
  const CliStart start = {.open = CLI_OPEN_STORE};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_user[CMD_LIST], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = muster_users_list(s.store, &error);
  if (users == NULL)
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_array(b);
    for (guint i = 0; i < users->len; i++)
      user_json(b, users->pdata[i]);
    json_builder_end_array(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
    return 0;
  }
  printf("%-20s %-11s %-8s %-5s %s\n", "NAME", "ROLE", "STATE", "BADGE", "FULL NAME");
  for (guint i = 0; i < users->len; i++) {
    MusterUser *u = users->pdata[i];
    printf("%-20s %-11s %-8s %-5s %s\n", u->name, muster_role_to_string(u->role),
           !u->active  ? "inactive"
           : u->locked ? "locked"
                       : "active",
           u->has_badge ? "yes" : "-", u->full_name);
  }
  return 0;
}

typedef gboolean (*UserChange)(MusterStore *, const MusterUser *, const char *, GError **);

static gboolean
do_deactivate(MusterStore *s, const MusterUser *a, const char *n, GError **e)
{
  return muster_users_set_active(s, a, n, FALSE, e);
}

static gboolean
do_activate(MusterStore *s, const MusterUser *a, const char *n, GError **e)
{
  return muster_users_set_active(s, a, n, TRUE, e);
}

static int
run_change(const MusterCliCommand *cmd, int argc, char **argv, UserChange change, const char *done)
{
  g_autofree char *actor_name = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "ADMIN"}, {NULL}};
  const CliStart start = {.entries = entries,
                          .usage = "give exactly one NAME",
                          .args = 1,
                          .open = CLI_OPEN_SIGNED_IN,
                          .user = &actor_name};
  g_auto(CliSession) s = {0};
  int status = cli_start(cmd, &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  if (!change(s.store, s.actor, argv[1], &error))
    return cli_fail(error);
  if (cli.json)
    printf("{\"user\": \"%s\", \"result\": \"%s\"}\n", argv[1], done);
  else
    printf("%s: %s\n", argv[1], done);
  return 0;
}

static int
run_unlock(int argc, char **argv)
{
  return run_change(&muster_cmd_user[CMD_UNLOCK], argc, argv, muster_users_unlock, "unlocked");
}

static int
run_deactivate(int argc, char **argv)
{
  return run_change(&muster_cmd_user[CMD_DEACTIVATE], argc, argv, do_deactivate, "deactivated");
}

static int
run_activate(int argc, char **argv)
{
  return run_change(&muster_cmd_user[CMD_ACTIVATE], argc, argv, do_activate, "activated");
}

static int
run_set_pin(int argc, char **argv)
{
  g_autofree char *actor_name = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Who is doing this", "NAME"}, {NULL}};
  const CliStart start = {
      .entries = entries,
      .help = "The new PIN is read from $MUSTER_NEW_PIN or asked twice on the terminal.",
      .usage = "give at most one TARGET",
      .optional_args = 1,
      .open = CLI_OPEN_SIGNED_IN,
      .user = &actor_name};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_user[CMD_SET_PIN], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  const char *target = argc == 2 ? argv[1] : s.actor->name;
  g_autofree char *label = g_strdup_printf("PIN for %s", target);
  g_auto(CliPin) pin = cli_read_new_pin("MUSTER_NEW_PIN", label, &error);
  if (pin == NULL || !muster_users_set_pin(s.store, s.actor, target, pin, &error))
    return cli_fail(error);
  if (cli.json)
    printf("{\"user\": \"%s\", \"result\": \"pin changed\"}\n", target);
  else
    printf("%s: PIN changed\n", target);
  return 0;
}

typedef struct {
  GMainLoop *loop;
  char *uid;
  MusterAuthenticity auth;
} BadgeTap;

static void
on_badge_scan(MusterReaderManager *manager, MusterReader *reader, const MusterScan *scan,
              BadgeTap *tap)
{
  if (tap->uid != NULL || g_strcmp0(scan->marking_kind, "hf_uid") != 0) {
    if (tap->uid == NULL)
      g_printerr("Not an NFC card (%s); tap the badge on an NFC reader.\n",
                 scan->text != NULL ? scan->text : "unreadable");
    return;
  }
  tap->uid = g_strdup(scan->marking_value);
  tap->auth = scan->authenticity;
  g_main_loop_quit(tap->loop);
}

static gboolean
on_badge_timeout(gpointer data)
{
  g_main_loop_quit(((BadgeTap *)data)->loop);
  return G_SOURCE_REMOVE;
}

/* Waits for the first NFC card tapped on any reader of readers_file. */
static char *
read_badge(const char *readers_file, guint timeout_s, MusterAuthenticity *auth, GError **error)
{
  g_autoptr(MusterReaderManager) manager = muster_reader_manager_new(readers_file, error);
  if (manager == NULL || !muster_reader_manager_claim(manager, error))
    return NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  BadgeTap tap = {loop, NULL, MUSTER_AUTH_UNKNOWN};
  g_signal_connect(manager, "scan", G_CALLBACK(on_badge_scan), &tap);
  if (!muster_reader_manager_start(manager, error))
    return NULL;
  g_printerr("Tap the badge on an NFC reader (%u s)...\n", timeout_s);
  guint timer = g_timeout_add_seconds(timeout_s, on_badge_timeout, &tap);
  g_main_loop_run(loop);
  if (tap.uid != NULL)
    g_source_remove(timer);
  muster_reader_manager_stop(manager);
  if (tap.uid == NULL)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "No badge was tapped within %u s. Check the reader ('muster readers list') and "
                "try again.",
                timeout_s);
  *auth = tap.auth;
  return tap.uid;
}

static const char badge_help[] =
    "Whether a tap alone signs in or the PIN is still asked is the setting badge_needs_pin\n"
    "(1, the default: the PIN is asked). The badge's UID is stored only as a keyed hash.";

static int
run_badge(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_user[CMD_BADGE];
  g_autofree char *actor_name = NULL, *readers_file = NULL;
  gboolean revoke = FALSE, by_tap = FALSE;
  int timeout_s = 60;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Admin doing this", "ADMIN"},
      {"revoke", 0, 0, G_OPTION_ARG_NONE, &revoke, "Take NAME's badge back", NULL},
      {"tap", 0, 0, G_OPTION_ARG_NONE, &by_tap, "Read the badge from an NFC reader", NULL},
      {"readers", 0, 0, G_OPTION_ARG_FILENAME, &readers_file,
       "Readers file for --tap (default $MUSTER_READERS, else " MUSTER_DEFAULT_READERS_FILE ")",
       "FILE"},
      {"timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, "Seconds to wait for the tap (60)", "S"},
      {NULL}};
  const CliStart start = {.entries = entries, .help = badge_help};
  g_auto(CliSession) s = {0};
  int status = cli_start(cmd, &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  if (argc != (revoke || by_tap ? 2 : 3) || (revoke && by_tap) || timeout_s < 1 || timeout_s > 3600)
    return cli_usage_error(cmd, "give NAME and a UID, NAME with --tap, or --revoke NAME");
  g_autoptr(GError) error = NULL;
  if (!cli_session_open(&s, CLI_OPEN_SIGNED_IN, actor_name, &error))
    return cli_fail(error);
  const char *name = argv[1];
  if (revoke) {
    if (!muster_badges_revoke(s.store, s.actor, name, &error))
      return cli_fail(error);
  } else {
    /* Checked before waiting for a tap: a refusal should not need a card in hand. */
    if (!muster_require_one_of(s.store, s.actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN),
                               "Giving a badge", &error))
      return cli_fail(error);
    MusterAuthenticity auth = MUSTER_AUTH_UNKNOWN;
    g_autofree char *uid =
        by_tap ? read_badge(readers_file, (guint)timeout_s, &auth, &error) : g_strdup(argv[2]);
    if (uid == NULL || !muster_badges_assign(s.store, s.actor, name, uid, auth, &error))
      return cli_fail(error);
  }
  const char *done = revoke ? "badge taken back" : "badge given";
  if (cli.json)
    printf("{\"user\": \"%s\", \"result\": \"%s\"}\n", name, done);
  else
    printf("%s: %s\n", name, done);
  return 0;
}
