/*
 * sync-fixture.c: see sync-fixture.h.
 */
#include "sync-fixture.h"
#include "test-env.h"

#include "db/outbox.h"
#include "db/sync-state.h"
#include "db/users.h"
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sys/prctl.h>
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

/* A test that fails aborts; its registry must not outlive it. */
static void
die_with_parent(gpointer data)
{
  prctl(PR_SET_PDEATHSIG, SIGKILL);
}

void
sync_fixture_start_registry(SyncFixture *f)
{
  g_autoptr(GError) error = NULL;
  const char *cert = test_env_server_cert(), *cert_key = test_env_server_key();
  g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup(launcher, die_with_parent, NULL, NULL);
  f->registry = g_subprocess_launcher_spawn(
      launcher, &error, registry_binary(), "--db", f->conninfo, "serve", "--port", "0", "--cert",
      cert, "--cert-key", cert_key, "--key", f->key_path, "--workers", "4", NULL);
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
