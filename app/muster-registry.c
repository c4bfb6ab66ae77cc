/*
 * muster-registry.c: the reference national registry.
 *
 *   muster-registry [--db CONNINFO] serve --cert PEM --cert-key PEM --key FILE
 *                                         [--listen ADDR] [--port N] [--workers N]
 *                                         [--query-tokens FILE] [--max-connections N]
 *                                         [--max-per-client N] [--handshake-timeout S]
 *                                         [--idle-timeout S] [--traces-per-minute N]
 *   muster-registry [--db CONNINFO] enroll --armoury UUID --code CODE --public-key B64
 *                                          [--replace]
 *   muster-registry [--db CONNINFO] change --armoury UUID --kind KIND --payload JSON
 *   muster-registry [--db CONNINFO] trace MARKING
 *   muster-registry [--db CONNINFO] anchors ARMOURY
 *   muster-registry [--db CONNINFO] import FILE --answer OUT --key FILE
 *   muster-registry key --key FILE
 *
 * --db is a libpq connection string (default $MUSTER_REGISTRY_DB, else
 * "dbname=muster_registry"); every command brings the schema up to date first, so
 * `serve` against an empty database is the one command that starts a registry. `serve`
 * prints "listening on URL" once it accepts connections and runs until SIGINT/SIGTERM;
 * it refuses to listen beyond loopback without a query token (registry/server.h).
 */
#include <glib-unix.h>
#include <errno.h>
#include <locale.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <sys/resource.h>

#include "protocol/keys.h"
#include "protocol/media-file.h"
#include "registry/answer.h"
#include "registry/server.h"

static char *opt_db;

static int
fail(GError *error)
{
  g_printerr("muster-registry: %s\n", error->message);
  g_error_free(error);
  return 1;
}

/* The connection string may carry the database password: taken out of the environment
 * at start (see main), so that /proc/PID/environ does not keep it. */
static char *env_conninfo;

static RegistryDb *
open_db(GError **error)
{
  const char *conninfo = opt_db != NULL ? opt_db : env_conninfo;
  g_autoptr(RegistryDb) db =
      registry_db_connect(conninfo != NULL ? conninfo : "dbname=muster_registry", error);
  if (db == NULL || !registry_db_migrate(db, error))
    return NULL;
  return g_steal_pointer(&db);
}

static gboolean
parse(GOptionContext *ctx, const GOptionEntry *entries, int *argc, char ***argv)
{
  static const GOptionEntry global[] = {
      {"db", 0, 0, G_OPTION_ARG_STRING, &opt_db, "libpq connection string", "CONNINFO"}, {NULL}};
  GError *error = NULL;
  g_option_context_add_main_entries(ctx, global, NULL);
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!g_option_context_parse(ctx, argc, argv, &error)) {
    g_printerr("muster-registry: %s (see --help)\n", error->message);
    g_error_free(error);
    return FALSE;
  }
  return TRUE;
}

static gboolean
quit_loop(gpointer loop)
{
  g_main_loop_quit(loop);
  return G_SOURCE_REMOVE;
}

/* A service's soft descriptor limit is often far below its hard one (1,024 against
 * 524,288 under systemd); the registry uses what it is allowed, and sizes its
 * connection cap from that. */
static void
raise_descriptor_limit(void)
{
  struct rlimit r;
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

static const char serve_help[] =
    "Tracing over HTTPS needs a query token: --query-tokens names a file of \"NAME SECRET\"\n"
    "lines (# comments; secrets of 16 characters or more), and the log names the token\n"
    "behind each trace. Without one, /v1/trace is off, and listening on anything but a\n"
    "loopback address is refused.\n"
    "\n"
    "Limits (0: the default): --max-connections defaults to the descriptor limit less a\n"
    "reserve; when full (or a client at --max-per-client), the oldest connection still in\n"
    "its TLS handshake, else the one established that has waited longest without sending\n"
    "a request, makes room; one whose request is being read or answered never does.\n"
    "--max-per-client 64, --handshake-timeout 10 s, --idle-timeout 30 s (the longest\n"
    "silence, and the longest wait for a whole request's headers, however they trickle;\n"
    "a body then has that long plus 1 s per 32 KiB), --traces-per-minute 30 per client\n"
    "address (wrong tokens count).";

static int
cmd_serve(int argc, char **argv)
{
  g_autofree char *listen = NULL, *cert = NULL, *cert_key = NULL, *key_file = NULL;
  g_autofree char *tokens_file = NULL, *token_file = NULL;
  int port = 8443, workers = 8;
  int max_connections = 0, max_per_client = 0, handshake_s = 0, idle_s = 0, traces = 0;
  const GOptionEntry entries[] = {
      {"listen", 0, 0, G_OPTION_ARG_STRING, &listen, "address (default 127.0.0.1)", "ADDR"},
      {"port", 0, 0, G_OPTION_ARG_INT, &port, "port (default 8443; 0: any free)", "N"},
      {"cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "TLS certificate (PEM)", "FILE"},
      {"cert-key", 0, 0, G_OPTION_ARG_FILENAME, &cert_key, "its private key (PEM)", "FILE"},
      {"key", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "registry signing key", "FILE"},
      {"workers", 0, 0, G_OPTION_ARG_INT, &workers, "database connections (8)", "N"},
      {"query-tokens", 0, 0, G_OPTION_ARG_FILENAME, &tokens_file,
       "named bearer tokens the trace API accepts", "FILE"},
      {"query-token-file", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &token_file,
       "the same (older name)", "FILE"},
      {"max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
       "connections open at once (from the descriptor limit)", "N"},
      {"max-per-client", 0, 0, G_OPTION_ARG_INT, &max_per_client,
       "connections open at once from one address (64)", "N"},
      {"handshake-timeout", 0, 0, G_OPTION_ARG_INT, &handshake_s,
       "seconds from connecting to the end of the TLS handshake (10)", "S"},
      {"idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_s,
       "seconds a connection may stay silent, or take to send a request's headers (30)", "S"},
      {"traces-per-minute", 0, 0, G_OPTION_ARG_INT, &traces,
       "trace requests per client address, refused or not (30)", "N"},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- serve appliances and tracing");
  g_option_context_set_description(ctx, serve_help);
  if (!parse(ctx, entries, &argc, &argv))
    return 2;
  if (cert == NULL || cert_key == NULL || key_file == NULL) {
    g_printerr("muster-registry serve: --cert, --cert-key and --key are required\n");
    return 2;
  }
  if (port < 0 || workers < 0 || max_connections < 0 || max_per_client < 0 || handshake_s < 0 ||
      idle_s < 0 || traces < 0) {
    g_printerr("muster-registry serve: numbers must not be negative\n");
    return 2;
  }
  GError *error = NULL;
  const char *tokens_path = tokens_file != NULL ? tokens_file : token_file;
  g_autoptr(GArray) tokens =
      tokens_path != NULL ? registry_query_tokens_load(tokens_path, &error) : NULL;
  if (tokens_path != NULL && tokens == NULL)
    return fail(error);
  const char *conninfo = opt_db != NULL ? opt_db : env_conninfo;
  RegistryServerConfig config = {
      .conninfo = conninfo != NULL ? conninfo : "dbname=muster_registry",
      .address = listen != NULL ? listen : "127.0.0.1",
      .port = (guint)port,
      .cert_file = cert,
      .cert_key_file = cert_key,
      .workers = (guint)workers,
      .tokens = tokens != NULL ? (RegistryQueryToken *)(void *)tokens->data : NULL,
      .n_tokens = tokens != NULL ? tokens->len : 0,
      .limits = {(guint)max_connections, (guint)max_per_client, (guint)handshake_s, (guint)idle_s,
                 (guint)traces}};
  /* An unsafe configuration is refused before anything else is touched. */
  if (!registry_server_check_config(&config, &error))
    return fail(error);
  g_autoptr(RegistryDb) db = open_db(&error); /* the schema, and a check the DB is there */
  if (db == NULL)
    return fail(error);
  g_autoptr(MusterSyncKey) key = muster_sync_key_load_or_create(key_file, &error);
  if (key == NULL)
    return fail(error);
  config.key = key;
  raise_descriptor_limit();
  g_autoptr(RegistryServer) server = registry_server_start(&config, &error);
  if (server == NULL)
    return fail(error);
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  g_unix_signal_add(SIGINT, quit_loop, loop);
  g_unix_signal_add(SIGTERM, quit_loop, loop);
  printf("listening on %s\n", registry_server_url(server));
  fflush(stdout);
  g_main_loop_run(loop);
  return 0;
}

static int
cmd_enroll(int argc, char **argv)
{
  g_autofree char *armoury = NULL, *code = NULL, *pk = NULL;
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
      {"armoury", 0, 0, G_OPTION_ARG_STRING, &armoury, "the armoury's uuid", "UUID"},
      {"code", 0, 0, G_OPTION_ARG_STRING, &code, "its code", "CODE"},
      {"public-key", 0, 0, G_OPTION_ARG_STRING, &pk, "its key ('muster sync key')", "B64"},
      {"replace", 0, 0, G_OPTION_ARG_NONE, &replace, "replace the key of an enrolled armoury",
       NULL},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- enrol an armoury's key");
  if (!parse(ctx, entries, &argc, &argv))
    return 2;
  if (armoury == NULL || code == NULL || pk == NULL) {
    g_printerr("muster-registry enroll: --armoury, --code and --public-key are required\n");
    return 2;
  }
  GError *error = NULL;
  g_autoptr(RegistryDb) db = open_db(&error);
  if (db == NULL || !registry_db_enroll(db, armoury, code, pk, replace, &error))
    return fail(error);
  return 0;
}

static int
cmd_change(int argc, char **argv)
{
  g_autofree char *armoury = NULL, *kind = NULL, *payload = NULL;
  const GOptionEntry entries[] = {
      {"armoury", 0, 0, G_OPTION_ARG_STRING, &armoury, "the armoury's uuid", "UUID"},
      {"kind", 0, 0, G_OPTION_ARG_STRING, &kind, "item.assigned, item.status or marking.assigned",
       "KIND"},
      {"payload", 0, 0, G_OPTION_ARG_STRING, &payload, "the change (docs/sync-protocol.md)",
       "JSON"},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- record a central change");
  if (!parse(ctx, entries, &argc, &argv))
    return 2;
  if (armoury == NULL || kind == NULL || payload == NULL) {
    g_printerr("muster-registry change: --armoury, --kind and --payload are required\n");
    return 2;
  }
  GError *error = NULL;
  g_autoptr(RegistryDb) db = open_db(&error);
  gint64 version =
      db != NULL ? registry_db_add_change(db, armoury, kind, payload, g_get_user_name(), &error)
                 : 0;
  if (version == 0)
    return fail(error);
  printf("%" G_GINT64_FORMAT "\n", version);
  return 0;
}

static int
cmd_trace(int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new("MARKING - a weapon's history");
  const GOptionEntry entries[] = {{NULL}};
  if (!parse(ctx, entries, &argc, &argv))
    return 2;
  if (argc != 2) {
    g_printerr("muster-registry trace: give one marking\n");
    return 2;
  }
  GError *error = NULL;
  g_autoptr(RegistryDb) db = open_db(&error);
  g_autofree char *json = db != NULL ? registry_db_trace(db, argv[1], &error) : NULL;
  if (json == NULL)
    return fail(error);
  printf("%s\n", json);
  return 0;
}

static int
cmd_anchors(int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("ARMOURY - the audit anchors an armoury (uuid or code) has sent");
  const GOptionEntry entries[] = {{NULL}};
  if (!parse(ctx, entries, &argc, &argv))
    return 2;
  if (argc != 2) {
    g_printerr("muster-registry anchors: give one armoury (uuid or code)\n");
    return 2;
  }
  GError *error = NULL;
  g_autoptr(RegistryDb) db = open_db(&error);
  g_autofree char *json = db != NULL ? registry_db_anchors(db, argv[1], &error) : NULL;
  if (json == NULL)
    return fail(error);
  printf("%s\n", json);
  return 0;
}

/* Answers each signed document of an appliance's sync file, in order. */
static GPtrArray *
answer_file(RegistryDb *db, const MusterSyncKey *key, MusterMediaFile *in)
{
  GPtrArray *answers = g_ptr_array_new_with_free_func((GDestroyNotify)muster_signed_free);
  for (guint i = 0; i < in->items->len; i++) {
    const MusterSigned *s = g_ptr_array_index(in->items, i);
    gsize len = 0;
    const char *body = g_bytes_get_data(s->body, &len);
    guint status = 0;
    g_autofree char *answer =
        muster_signed_is_pull(s)
            ? registry_answer_pull(db, in->armoury, body, len, s->signature, &status)
            : registry_answer_batch(db, in->armoury, body, len, s->signature, &status);
    g_autofree char *sig = muster_sync_sign_b64(key, answer, strlen(answer));
    g_ptr_array_add(answers, muster_signed_new(g_bytes_new(answer, strlen(answer)), sig));
  }
  return answers;
}

static int
cmd_import(int argc, char **argv)
{
  g_autofree char *answer = NULL, *key_file = NULL;
  const GOptionEntry entries[] = {
      {"answer", 0, 0, G_OPTION_ARG_FILENAME, &answer, "where to write the answer file", "FILE"},
      {"key", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "registry signing key", "FILE"},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - import an appliance's sync file");
  if (!parse(ctx, entries, &argc, &argv))
    return 2;
  if (argc != 2 || answer == NULL || key_file == NULL) {
    g_printerr("muster-registry import: give FILE, --answer and --key\n");
    return 2;
  }
  GError *error = NULL;
  g_autoptr(MusterMediaFile) in = muster_media_read(argv[1], MUSTER_MEDIA_TO_REGISTRY, &error);
  g_autoptr(MusterSyncKey) key = in != NULL ? muster_sync_key_load(key_file, &error) : NULL;
  g_autoptr(RegistryDb) db = key != NULL ? open_db(&error) : NULL;
  if (db == NULL)
    return fail(error);
  g_autoptr(GPtrArray) answers = answer_file(db, key, in);
  if (!muster_media_write(answer, MUSTER_MEDIA_TO_APPLIANCE, in->armoury, answers, &error))
    return fail(error);
  return 0;
}

static int
cmd_key(int argc, char **argv)
{
  g_autofree char *key_file = NULL;
  const GOptionEntry entries[] = {
      {"key", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "registry signing key", "FILE"}, {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- print the registry's public key");
  if (!parse(ctx, entries, &argc, &argv))
    return 2;
  GError *error = NULL;
  g_autoptr(MusterSyncKey) key =
      key_file != NULL ? muster_sync_key_load_or_create(key_file, &error) : NULL;
  if (key == NULL)
    return key_file == NULL ? (g_printerr("muster-registry key: --key is required\n"), 2)
                            : fail(error);
  g_autofree char *pk = muster_sync_key_public_b64(key);
  printf("%s\n", pk);
  return 0;
}

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} commands[] = {
    {"serve", cmd_serve, "serve appliances (HTTPS) and tracing requests"},
    {"enroll", cmd_enroll, "enrol an armoury and its public key"},
    {"change", cmd_change, "record a central change for an armoury"},
    {"trace", cmd_trace, "print a weapon's history across every armoury"},
    {"anchors", cmd_anchors, "print the audit anchors an armoury has sent (for audit verify)"},
    {"import", cmd_import, "import an appliance's removable-media sync file"},
    {"key", cmd_key, "print (making it if needed) the registry's public key"},
};

/* The registry holds its signing key and the database password: no core dumps, no
 * ptrace by other processes of the same user, no password left in the environment. */
static void
guard_secrets(void)
{
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_warning("could not make the process undumpable: %s", g_strerror(errno));
  const char *db = g_getenv("MUSTER_REGISTRY_DB");
  if (db == NULL)
    return;
  env_conninfo = g_strdup(db);
  /* unsetenv() alone leaves the bytes in the block /proc/PID/environ shows */
  memset((char *)db, 0, strlen(db));
  g_unsetenv("MUSTER_REGISTRY_DB");
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  guard_secrets();
  for (int i = 1; i < argc; i++) {
    for (guint c = 0; c < G_N_ELEMENTS(commands); c++)
      if (g_str_equal(argv[i], commands[c].name)) {
        /* The command word is dropped; the options before and after it stay. */
        memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
        return commands[c].run(argc - 1, argv);
      }
  }
  g_printerr("Usage: muster-registry [--db CONNINFO] COMMAND [OPTION...]\n\nCommands:\n");
  for (guint c = 0; c < G_N_ELEMENTS(commands); c++)
    g_printerr("  %-8s %s\n", commands[c].name, commands[c].summary);
  g_printerr("\nSee docs/sync-protocol.md, \"Running the registry\".\n");
  return 2;
}
