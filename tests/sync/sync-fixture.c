/*
 * sync-fixture.c: see sync-fixture.h.
 */
#include "sync-fixture.h"
#include "missing.h"
#include "test-env.h"

#include "db/outbox.h"
#include "db/sync-state.h"
#include "db/users.h"
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

const char *
sync_fixture_ca(void)
{
  return test_env_ca();
}

gboolean
sync_fixture_global_start(void)
{
  return test_env_start();
}

void
sync_fixture_global_stop(void)
{
  test_env_stop();
}

static const char *
registry_binary(void)
{
  const char *bin = g_getenv("MUSTER_REGISTRY");
  g_assert_nonnull(bin);
  return bin;
}

char *
sync_fixture_registry_cmd(SyncFixture *f, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer)registry_binary());
  g_ptr_array_add(argv, "--db");
  g_ptr_array_add(argv, f->conninfo);
  va_list ap;
  va_start(ap, f);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
    g_ptr_array_add(argv, (gpointer)a);
  va_end(ap);
  g_ptr_array_add(argv, NULL);
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;
  g_assert_true(
      g_spawn_sync(NULL, (char **)argv->pdata, NULL, 0, NULL, NULL, &out, &err, &status, &error));
  if (!g_spawn_check_wait_status(status, NULL))
    g_error("muster-registry %s failed: %s", (char *)argv->pdata[3], err);
  return g_strstrip(out);
}

typedef struct {
  guint max_files;
} ChildSetup;

/* A test that fails aborts; its registry must not outlive it. */
static void
child_setup(gpointer data)
{
  const ChildSetup *setup = data;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (setup->max_files != 0) {
    struct rlimit r = {setup->max_files, setup->max_files};
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

GPtrArray *
sync_fixture_serve_argv(SyncFixture *f, const SyncRegistryOptions *o)
{
  GPtrArray *argv = g_ptr_array_new();
  const char *const fixed[] = {registry_binary(),
                               "--db",
                               o->conninfo != NULL ? o->conninfo : f->conninfo,
                               "serve",
                               "--port",
                               "0",
                               "--cert",
                               test_env_server_cert(),
                               "--cert-key",
                               test_env_server_key(),
                               "--key",
                               f->key_path,
                               "--workers",
                               "4"};
  for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
    g_ptr_array_add(argv, (gpointer)fixed[i]);
  for (guint i = 0; o->args != NULL && o->args[i] != NULL; i++)
    g_ptr_array_add(argv, (gpointer)o->args[i]);
  g_ptr_array_add(argv, NULL);
  return argv;
}

void
sync_fixture_start_registry(SyncFixture *f)
{
  sync_fixture_start_registry_with(f, NULL);
}

void
sync_fixture_start_registry_with(SyncFixture *f, const SyncRegistryOptions *options)
{
  static const SyncRegistryOptions defaults = {0};
  const SyncRegistryOptions *o = options != NULL ? options : &defaults;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  ChildSetup setup = {o->max_files};
  g_subprocess_launcher_set_child_setup(launcher, child_setup, g_memdup2(&setup, sizeof setup),
                                        g_free);
  if (o->log) {
    g_free(f->registry_log);
    f->registry_log = g_build_filename(f->dir, "registry.log", NULL);
    g_subprocess_launcher_set_stderr_file_path(launcher, f->registry_log);
  }
  g_autoptr(GPtrArray) argv = sync_fixture_serve_argv(f, o);
  f->registry = g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, &error);
  g_assert_no_error(error);
  g_autoptr(GDataInputStream) in =
      g_data_input_stream_new(g_subprocess_get_stdout_pipe(f->registry));
  g_autofree char *line = g_data_input_stream_read_line(in, NULL, NULL, &error);
  g_assert_no_error(error);
  g_assert_nonnull(line);
  g_assert_true(g_str_has_prefix(line, "listening on https://127.0.0.1:"));
  g_free(f->url);
  f->url = g_strdup(line + strlen("listening on "));
}

GPid
sync_fixture_registry_pid(SyncFixture *f)
{
  const char *id = g_subprocess_get_identifier(f->registry);
  g_assert_nonnull(id);
  return (GPid)g_ascii_strtoll(id, NULL, 10);
}

void
sync_fixture_kill_registry(SyncFixture *f)
{
  if (f->registry == NULL)
    return;
  g_subprocess_force_exit(f->registry);
  g_subprocess_wait(f->registry, NULL, NULL);
  g_clear_object(&f->registry);
}

MusterSyncClient *
sync_fixture_client(SyncFixture *f)
{
  g_autoptr(GError) error = NULL;
  MusterSyncClient *c = muster_sync_client_new(f->url, sync_fixture_ca(), &error);
  g_assert_no_error(error);
  muster_sync_client_set_timeout(c, 30);
  return c;
}

static void
make_appliance(SyncFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename(f->dir, "armoury.db", NULL);
  f->store = muster_store_create(db, "ARM-01", "Test armoury", &error);
  g_assert_no_error(error);
  g_autoptr(MusterUser) admin =
      muster_users_bootstrap_admin(f->store, "admin", "Admin", "1234", &error);
  g_assert_no_error(error);
  g_autofree char *key_path = muster_sync_key_path_for_db(db);
  f->key = muster_sync_key_load_or_create(key_path, &error);
  g_assert_no_error(error);
  g_autofree char *pk = muster_sync_key_public_b64(f->key);
  g_autofree char *out =
      sync_fixture_registry_cmd(f, "enroll", "--armoury", muster_store_armoury_uuid(f->store),
                                "--code", "ARM-01", "--public-key", pk, NULL);
  g_assert_cmpstr(out, ==, ""); /* enrolment prints nothing */
  g_autofree char *registry_pk = sync_fixture_registry_cmd(f, "key", "--key", f->key_path, NULL);
  g_assert_true(
      muster_sync_state_configure(f->store, admin, f->url, sync_fixture_ca(), registry_pk, &error));
  g_assert_no_error(error);
}

void
sync_fixture_setup(SyncFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  f->dir = g_dir_make_tmp("muster-sync-XXXXXX", &error);
  g_assert_no_error(error);
  f->conninfo = test_env_new_database();
  f->key_path = g_build_filename(f->dir, "registry.key", NULL);
  sync_fixture_start_registry(f);
  f->pg = PQconnectdb(f->conninfo);
  g_assert_cmpint(PQstatus(f->pg), ==, CONNECTION_OK);
  make_appliance(f);
}

void
sync_fixture_teardown(SyncFixture *f, gconstpointer data)
{
  sync_fixture_kill_registry(f);
  PQfinish(f->pg);
  g_clear_pointer(&f->store, muster_store_free);
  g_clear_pointer(&f->key, muster_sync_key_free);
  const char *rm[] = {"rm", "-rf", f->dir, NULL};
  g_spawn_sync(NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_free(f->dir);
  g_free(f->conninfo);
  g_free(f->key_path);
  g_free(f->url);
  g_free(f->registry_log);
}

void
sync_fixture_add_events(SyncFixture *f, guint n)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_store_begin(f->store, &error));
  for (guint i = 0; i < n; i++) {
    g_autoptr(JsonNode) payload =
        json_from_string("{\"n\":1,\"text\":\"a \\\"quoted\\\" é\"}", NULL);
    g_autofree char *uuid = muster_uuid_new();
    g_assert_true(muster_outbox_append(f->store, "test.event", uuid, payload, &error));
  }
  g_assert_true(muster_store_commit(f->store, &error));
  g_assert_no_error(error);
}

gint64
sync_fixture_pg_int(SyncFixture *f, const char *sql)
{
  PGresult *r = PQexec(f->pg, sql);
  g_assert_cmpint(PQresultStatus(r), ==, PGRES_TUPLES_OK);
  gint64 v = g_ascii_strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return v;
}

void
sync_fixture_assert_stored_once(SyncFixture *f, gint64 n)
{
  /* The primary key makes a duplicate impossible; these say nothing is missing either. */
  g_assert_cmpint(sync_fixture_pg_int(f, "SELECT count(*) FROM event"), ==, n);
  g_assert_cmpint(sync_fixture_pg_int(f, "SELECT count(DISTINCT seq) FROM event"), ==, n);
  g_assert_cmpint(sync_fixture_pg_int(f, "SELECT coalesce(min(seq), 0) FROM event"), ==, n > 0);
  g_assert_cmpint(sync_fixture_pg_int(f, "SELECT coalesce(max(seq), 0) FROM event"), ==, n);
  g_assert_cmpint(sync_fixture_pg_int(f, "SELECT acked_seq FROM armoury"), ==, n);
}

static void
no_postgresql(gconstpointer data)
{
  test_missing_case(test_env_problem(),
                    "install postgresql (apt-get install postgresql; "
                    "packaging/debian-packages.txt) and make sure initdb and pg_ctl run here");
}

void
sync_fixture_add_cases(gboolean pg, const SyncFixtureCase *cases, guint n)
{
  for (guint i = 0; i < n; i++)
    if (pg)
      g_test_add(cases[i].path, SyncFixture, NULL, sync_fixture_setup, cases[i].fn,
                 sync_fixture_teardown);
    else
      g_test_add_data_func(cases[i].path, NULL, no_postgresql);
}

int
sync_fixture_main(int argc, char **argv, const SyncFixtureCase *cases, guint n)
{
  g_test_init(&argc, &argv, NULL);
  gboolean pg = sync_fixture_global_start();
  sync_fixture_add_cases(pg, cases, n);
  int rc = test_missing_run();
  if (pg)
    sync_fixture_global_stop();
  return rc;
}
