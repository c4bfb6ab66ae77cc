/*
 * cmd-sync.c: `muster sync ...`: the registry sync, by hand or as a service.
 *
 * status, push, pull and key need no sign-in: they change no record by a person's
 * authority (changes pulled from the registry are applied as the system, and audited
 * so). configure, export and import are an administrator's, as the issue asks: a
 * sync file carries the armoury's history out of the building.
 */
#include <glib-unix.h>
#include <stdio.h>

#include "app/cli.h"
#include "app/output.h"
#include "db/sync-state.h"
#include "sync/client.h"
#include "sync/media.h"

static int run_status(int argc, char **argv);
static int run_configure(int argc, char **argv);
static int run_push(int argc, char **argv);
static int run_pull(int argc, char **argv);
static int run_daemon(int argc, char **argv);
static int run_export(int argc, char **argv);
static int run_import(int argc, char **argv);
static int run_key(int argc, char **argv);

enum {
  CMD_STATUS,
  CMD_CONFIGURE,
  CMD_PUSH,
  CMD_PULL,
  CMD_RUN,
  CMD_EXPORT,
  CMD_IMPORT,
  CMD_KEY,
  N_CMDS
};

const MusterCliCommand muster_cmd_sync[] = {
    [CMD_STATUS] = {"sync status", "", "Last successful sync, backlog and last error", run_status},
    [CMD_CONFIGURE] = {"sync configure", "--url URL [--ca FILE] [--registry-key B64]",
                       "Where the registry is and how to trust it (admin)", run_configure},
    [CMD_PUSH] = {"sync push", "[--batch N]", "Send every queued event to the registry now",
                  run_push},
    [CMD_PULL] = {"sync pull", "", "Fetch and apply the registry's changes now", run_pull},
    [CMD_RUN] = {"sync run", "[--interval S]", "Sync in the background until stopped (a service)",
                 run_daemon},
    [CMD_EXPORT] = {"sync export", "FILE", "Write a sync file for removable media (admin)",
                    run_export},
    [CMD_IMPORT] = {"sync import", "FILE", "Apply the registry's answer file (admin)", run_import},
    [CMD_KEY] = {"sync key", "", "Print this appliance's public key, to enrol at the registry",
                 run_key},
    [N_CMDS] = {NULL}};

static MusterSyncKey *
open_key(MusterStore *store, GError **error)
{
  g_autofree char *path = muster_sync_key_path_for_db(muster_store_path(store));
  return muster_sync_key_load_or_create(path, error);
}

/* "history since <time> (<N> audit entries) is not anchored at the registry" */
static void
print_anchor(const MusterAnchorReceipt *r)
{
  if (r->audit_seq > 0)
    printf("Anchored        audit entry %" G_GINT64_FORMAT " (%s), held by the registry since %s\n",
           r->audit_seq, r->audit_at ? r->audit_at : "?", r->registry_at);
  else
    printf("Anchored        never: the registry has confirmed no audit anchor\n");
  if (r->unanchored > 0)
    printf("Not anchored    history since %s (%" G_GINT64_FORMAT
           " audit entries) is not anchored at the registry\n",
           r->unanchored_since, r->unanchored);
}

static void
print_state(const MusterSyncState *s, const MusterAnchorReceipt *r)
{
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_str(b, "registry_url", s->registry_url);
    cli_json_int(b, "acked_seq", s->acked_seq);
    cli_json_int(b, "last_seq", s->last_seq);
    cli_json_int(b, "backlog", s->backlog);
    cli_json_int(b, "pulled_version", s->pulled_version);
    cli_json_str(b, "last_success_at", s->last_success_at);
    cli_json_str(b, "last_attempt_at", s->last_attempt_at);
    cli_json_str(b, "last_error", s->last_error);
    cli_json_int(b, "failures", s->failures);
    output_anchor_json(b, r);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
    return;
  }
  printf("Registry        %s\n", s->registry_url ? s->registry_url : "(not configured)");
  printf("Last success    %s\n", s->last_success_at ? s->last_success_at : "never");
  printf("Backlog         %" G_GINT64_FORMAT " events (sent up to %" G_GINT64_FORMAT
         " of %" G_GINT64_FORMAT ")\n",
         s->backlog, s->acked_seq, s->last_seq);
  printf("Registry changes applied up to %" G_GINT64_FORMAT "\n", s->pulled_version);
  if (s->last_error != NULL)
    printf("Last error      %s (attempts failed in a row: %" G_GINT64_FORMAT ", last at %s)\n",
           s->last_error, s->failures, s->last_attempt_at);
  print_anchor(r);
}

static int
run_status(int argc, char **argv)
{
  const CliStart start = {.open = CLI_OPEN_STORE};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_sync[CMD_STATUS], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterSyncState) state = muster_sync_state_get(s.store, &error);
  g_autoptr(MusterAnchorReceipt) r = state ? muster_sync_anchor_receipt(s.store, &error) : NULL;
  if (r == NULL)
    return cli_fail(error);
  print_state(state, r);
  return 0;
}

static int
run_configure(int argc, char **argv)
{
  g_autofree char *user = NULL, *url = NULL, *ca = NULL, *key = NULL;
  const GOptionEntry entries[] = {
      {"user", 0, 0, G_OPTION_ARG_STRING, &user, "who signs in (an admin)", "NAME"},
      {"url", 0, 0, G_OPTION_ARG_STRING, &url, "the registry, https://host:port", "URL"},
      {"ca", 0, 0, G_OPTION_ARG_FILENAME, &ca, "CA file to verify it by; kept when not given",
       "FILE"},
      {"registry-key", 0, 0, G_OPTION_ARG_STRING, &key,
       "its public key ('muster-registry key'); kept when not given", "B64"},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .usage = "--url is required",
                          .optional_args = CLI_ANY,
                          .required = (char **const[]){&url, NULL},
                          .open = CLI_OPEN_SIGNED_IN,
                          .user = &user};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_sync[CMD_CONFIGURE], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  /* What is not given stays as it was: moving the registry to a new address must not
   * silently forget the key its answers are checked with. */
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterSyncState) now = muster_sync_state_get(s.store, &error);
  if (now == NULL)
    return cli_fail(error);
  if (!muster_sync_state_configure(s.store, s.actor, url, ca != NULL ? ca : now->registry_ca,
                                   key != NULL ? key : now->registry_key, &error))
    return cli_fail(error);
  return 0;
}

static void
print_push(const MusterPushStats *st, gint64 applied)
{
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_int(b, "events", st->events);
    cli_json_int(b, "batches", st->batches);
    cli_json_int(b, "bytes_sent", st->bytes_sent);
    cli_json_int(b, "changes_applied", applied);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    printf("Sent %" G_GINT64_FORMAT " events in %" G_GINT64_FORMAT
           " batches; applied %" G_GINT64_FORMAT " registry changes.\n",
           st->events, st->batches, applied);
  }
}

/* Push and/or pull with the configured registry, recording the outcome. */
static int
exchange(gboolean push, gboolean pull, guint batch)
{
  g_autoptr(GError) error = NULL;
  g_auto(CliSession) s = {0};
  if (!cli_session_open(&s, CLI_OPEN_STORE, NULL, &error))
    return cli_fail(error);
  MusterStore *store = s.store;
  g_autoptr(MusterSyncKey) key = open_key(store, &error);
  g_autoptr(MusterSyncState) state = key ? muster_sync_state_get(store, &error) : NULL;
  if (state == NULL)
    return cli_fail(error);
  g_autoptr(MusterSyncClient) client =
      muster_sync_client_new(state->registry_url, state->registry_ca, &error);
  if (client == NULL)
    return cli_fail(error);
  MusterPushStats st = {0};
  gint64 applied = 0;
  if ((push && !muster_sync_push(store, key, client, batch, &st, &error)) ||
      (pull && !muster_sync_pull(store, key, client, &applied, &error))) {
    muster_sync_record_failure(store, error->message, NULL);
    return cli_fail(error);
  }
  /* A push with nothing to send talked to no one: that is no successful sync. */
  if ((pull || st.batches > 0) && !muster_sync_record_success(store, &error))
    return cli_fail(error);
  print_push(&st, applied);
  return 0;
}

static int
run_push(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_sync[CMD_PUSH];
  int batch = 0;
  const GOptionEntry entries[] = {
      {"batch", 0, 0, G_OPTION_ARG_INT, &batch, "events per batch (default 2000)", "N"}, {NULL}};
  const CliStart start = {.entries = entries};
  int status = cli_start(cmd, &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  if (batch < 0)
    return cli_usage_error(cmd, "--batch must be positive");
  return exchange(TRUE, FALSE, (guint)batch);
}

static int
run_pull(int argc, char **argv)
{
  const CliStart start = {0};
  int status = cli_start(&muster_cmd_sync[CMD_PULL], &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  return exchange(FALSE, TRUE, 0);
}

static gboolean
quit_loop(gpointer loop)
{
  g_main_loop_quit(loop);
  return G_SOURCE_REMOVE;
}

static gboolean
trigger(gpointer runner)
{
  muster_sync_runner_trigger(runner);
  return G_SOURCE_CONTINUE;
}

static int
run_daemon(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_sync[CMD_RUN];
  int interval = 900;
  const GOptionEntry entries[] = {
      {"interval", 0, 0, G_OPTION_ARG_INT, &interval, "seconds between syncs (900)", "S"}, {NULL}};
  const CliStart start = {.entries = entries,
                          .help = "SIGUSR1 syncs at once; SIGINT or SIGTERM stops."};
  g_auto(CliSession) s = {0};
  int status = cli_start(cmd, &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  if (interval < 1)
    return cli_usage_error(cmd, "--interval must be at least 1");
  g_autoptr(GError) error = NULL;
  /* Opened to fail now, not in the thread. */
  if (!cli_session_open(&s, CLI_OPEN_STORE, NULL, &error))
    return cli_fail(error);
  MusterStore *store = s.store;
  g_autoptr(MusterSyncKey) key = open_key(store, &error);
  if (key == NULL)
    return cli_fail(error);
  g_autofree char *key_path = muster_sync_key_path_for_db(muster_store_path(store));
  MusterSyncRunner *runner =
      muster_sync_runner_start(muster_store_path(store), key_path, (guint)interval);
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  g_unix_signal_add(SIGINT, quit_loop, loop);
  g_unix_signal_add(SIGTERM, quit_loop, loop);
  g_unix_signal_add(SIGUSR1, trigger, runner);
  g_main_loop_run(loop);
  muster_sync_runner_stop(runner);
  return 0;
}

/* export and import: `--user ADMIN FILE`, signed in as an admin, for what. Returns
 * CLI_GO_ON with *s and *file set to go on, or the exit status to return. */
static int
start_for_file(const MusterCliCommand *cmd, int argc, char **argv, const char *usage,
               const char *what, CliSession *s, const char **file)
{
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
      {"user", 0, 0, G_OPTION_ARG_STRING, &user, "who signs in (an admin)", "NAME"}, {NULL}};
  const CliStart start = {.entries = entries,
                          .usage = usage,
                          .args = 1,
                          .open = CLI_OPEN_SIGNED_IN,
                          .user = &user,
                          .doing = what,
                          .role = MUSTER_ROLE_ADMIN};
  int status = cli_start(cmd, &start, &argc, &argv, s);
  if (status == CLI_GO_ON)
    *file = argv[1];
  return status;
}

static int
run_export(int argc, char **argv)
{
  g_auto(CliSession) s = {0};
  const char *file = NULL;
  int status = start_for_file(&muster_cmd_sync[CMD_EXPORT], argc, argv, "give the file to write",
                              "Exporting a sync file", &s, &file);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  gint64 events = 0;
  g_autoptr(MusterSyncKey) key = open_key(s.store, &error);
  if (key == NULL || !muster_media_export(s.store, s.actor, key, file, &events, &error))
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_str(b, "file", file);
    cli_json_int(b, "events", events);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    printf("Wrote %" G_GINT64_FORMAT " events and a request for changes to %s.\n", events, file);
  }
  g_autoptr(MusterSyncState) state = muster_sync_state_get(s.store, NULL);
  if (state != NULL && state->backlog > events) /* the file is full: the rest goes in the next */
    fprintf(stderr,
            "%" G_GINT64_FORMAT " more events did not fit; export again once the registry's "
            "answer to this file is imported.\n",
            state->backlog - events);
  return 0;
}

static int
run_import(int argc, char **argv)
{
  g_auto(CliSession) s = {0};
  const char *file = NULL;
  int status =
      start_for_file(&muster_cmd_sync[CMD_IMPORT], argc, argv, "give the registry's answer file",
                     "Importing a sync file", &s, &file);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  gint64 acked = 0, changes = 0;
  if (!muster_media_import(s.store, file, &acked, &changes, &error))
    return cli_fail(error);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_int(b, "acked_seq", acked);
    cli_json_int(b, "changes_applied", changes);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    printf("The registry holds events up to %" G_GINT64_FORMAT "; applied %" G_GINT64_FORMAT
           " registry changes.\n",
           acked, changes);
  }
  return 0;
}

static int
run_key(int argc, char **argv)
{
  const CliStart start = {.open = CLI_OPEN_STORE};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_sync[CMD_KEY], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  MusterStore *store = s.store;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterSyncKey) key = open_key(store, &error);
  if (key == NULL)
    return cli_fail(error);
  g_autofree char *pk = muster_sync_key_public_b64(key);
  if (cli.json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    cli_json_str(b, "armoury_uuid", muster_store_armoury_uuid(store));
    cli_json_str(b, "armoury_code", muster_store_armoury_code(store));
    cli_json_str(b, "public_key", pk);
    json_builder_end_object(b);
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    printf("%s\n", pk);
    fprintf(stderr,
            "Enrol at the registry with: muster-registry enroll --armoury %s --code %s "
            "--public-key %s\n",
            muster_store_armoury_uuid(store), muster_store_armoury_code(store), pk);
  }
  return 0;
}
