/*
 * test-env.c: see test-env.h.
 */
#include "test-env.h"

#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#define PG_BIN "/usr/lib/postgresql/15/bin"

static char *cluster_dir; /* socket, data, certificates */
static guint db_counter;
static char *start_problem; /* why test_env_start() last failed */

/* argv run as nobody when we are root (initdb and postgres refuse root). */
static gboolean
run_as_pg(const char *const *argv, GError **error)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new();
  if (geteuid() == 0) {
    const char *drop[] = {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};
    for (guint i = 0; i < G_N_ELEMENTS(drop); i++)
      g_ptr_array_add(full, (gpointer)drop[i]);
  }
  for (const char *const *a = argv; *a != NULL; a++)
    g_ptr_array_add(full, (gpointer)*a);
  g_ptr_array_add(full, NULL);
  g_autofree char *err = NULL;
  int status = 0;
  if (!g_spawn_sync(cluster_dir, (char **)full->pdata, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                    &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status(status, error)) {
    g_prefix_error(error, "%s: %s", argv[0], err);
    return FALSE;
  }
  return TRUE;
}

static gboolean
run_quiet(const char *const *argv)
{
  int status = 0;
  return g_spawn_sync(cluster_dir, (char **)argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status(status, NULL);
}

/* A CA and a server certificate for 127.0.0.1 and localhost, signed by it. */
static gboolean
make_certificates(void)
{
  const char *ca[] = {"openssl",
                      "req",
                      "-x509",
                      "-newkey",
                      "ec",
                      "-pkeyopt",
                      "ec_paramgen_curve:prime256v1",
                      "-nodes",
                      "-keyout",
                      "ca.key",
                      "-out",
                      "ca.pem",
                      "-days",
                      "2",
                      "-subj",
                      "/CN=Muster test CA",
                      NULL};
  const char *csr[] = {"openssl",       "req",
                       "-newkey",       "ec",
                       "-pkeyopt",      "ec_paramgen_curve:prime256v1",
                       "-nodes",        "-keyout",
                       "server.key",    "-out",
                       "server.csr",    "-subj",
                       "/CN=localhost", NULL};
  const char *sign[] = {"openssl", "x509",       "-req",   "-in",    "server.csr",
                        "-CA",     "ca.pem",     "-CAkey", "ca.key", "-CAcreateserial",
                        "-out",    "server.pem", "-days",  "2",      "-extfile",
                        "san.cnf", NULL};
  g_autofree char *san = g_build_filename(cluster_dir, "san.cnf", NULL);
  return g_file_set_contents(san, "subjectAltName=IP:127.0.0.1,DNS:localhost\n", -1, NULL) &&
         run_quiet(ca) && run_quiet(csr) && run_quiet(sign);
}

/* A failed assertion aborts (SIGABRT), a fatal GLib warning traps (SIGTRAP): the
 * cluster must not outlive the test. (Not async-signal-safe, but good enough for a
 * test that is dying anyway. SIGSEGV is left to AddressSanitizer's report.) */
static void
stop_on_abort(int sig)
{
  test_env_stop();
  signal(sig, SIG_DFL);
  raise(sig);
}

gboolean
test_env_start(void)
{
  return test_env_start_with(&(TestEnvOptions){NULL, FALSE});
}

gboolean
test_env_start_with(const TestEnvOptions *options)
{
  g_autoptr(GError) error = NULL;
  if (cluster_dir != NULL)
    return TRUE;
  g_clear_pointer(&start_problem, g_free);
  if (!g_file_test(PG_BIN "/initdb", G_FILE_TEST_IS_EXECUTABLE)) {
    start_problem = g_strdup("PostgreSQL 15 is not installed (no " PG_BIN "/initdb)");
    g_printerr("%s; install packaging/debian-packages.txt\n", start_problem);
    return FALSE;
  }
  g_autofree char *tmpl = g_build_filename(options->parent ? options->parent : g_get_tmp_dir(),
                                           "muster-pg-XXXXXX", NULL);
  cluster_dir = g_mkdtemp(g_steal_pointer(&tmpl));
  g_assert_nonnull(cluster_dir);
  if (geteuid() == 0)
    g_assert_cmpint(chown(cluster_dir, 65534, 65534), ==, 0);
  g_autofree char *data = g_build_filename(cluster_dir, "data", NULL);
  g_autofree char *log = g_build_filename(cluster_dir, "postgres.log", NULL);
  g_autofree char *opts = g_strdup_printf("-k %s -c listen_addresses= %s -c max_connections=200",
                                          cluster_dir, options->fsync ? "" : "-c fsync=off");
  const char *initdb[] = {PG_BIN "/initdb", "-D",        data, "-A",   "trust", "-U",
                          "muster",         "--no-sync", "-E", "UTF8", NULL};
  const char *start[] = {PG_BIN "/pg_ctl", "-D", data, "-o", opts, "-l", log, "-w", "start", NULL};
  if (!run_as_pg(initdb, &error) || !run_as_pg(start, &error)) {
    start_problem = g_strdup_printf("PostgreSQL did not start: %s", error->message);
    g_strdelimit(g_strstrip(start_problem), "\n", ' '); /* one line, for a SKIP line */
    g_printerr("%s\n", start_problem);
    const char *rm[] = {"rm", "-rf", cluster_dir, NULL};
    run_quiet(rm);
    g_clear_pointer(&cluster_dir, g_free); /* not started: a later call tries again */
    return FALSE;
  }
  signal(SIGABRT, stop_on_abort);
  signal(SIGTRAP, stop_on_abort);
  g_assert_true(make_certificates());
  return TRUE;
}

const char *
test_env_problem(void)
{
  return start_problem;
}

void
test_env_stop(void)
{
  if (cluster_dir == NULL)
    return;
  g_autofree char *data = g_build_filename(cluster_dir, "data", NULL);
  const char *stop[] = {PG_BIN "/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", NULL};
  g_autoptr(GError) error = NULL;
  if (!run_as_pg(stop, &error))
    g_printerr("Stopping PostgreSQL: %s\n", error->message);
  const char *rm[] = {"rm", "-rf", cluster_dir, NULL};
  run_quiet(rm);
  g_clear_pointer(&cluster_dir, g_free);
}

static const char *
env_file(const char *name, char **slot)
{
  if (*slot == NULL)
    *slot = g_build_filename(cluster_dir, name, NULL);
  return *slot;
}

const char *
test_env_ca(void)
{
  static char *path;
  return env_file("ca.pem", &path);
}

const char *
test_env_server_cert(void)
{
  static char *path;
  return env_file("server.pem", &path);
}

const char *
test_env_server_key(void)
{
  static char *path;
  return env_file("server.key", &path);
}

char *
test_env_new_database(void)
{
  g_autofree char *name = g_strdup_printf("registry_%d_%u", (int)getpid(), ++db_counter);
  g_autofree char *admin = g_strdup_printf("host=%s user=muster dbname=postgres", cluster_dir);
  PGconn *c = PQconnectdb(admin);
  g_assert_cmpint(PQstatus(c), ==, CONNECTION_OK);
  g_autofree char *sql = g_strdup_printf("CREATE DATABASE %s", name);
  PGresult *r = PQexec(c, sql);
  g_assert_cmpint(PQresultStatus(r), ==, PGRES_COMMAND_OK);
  PQclear(r);
  PQfinish(c);
  return g_strdup_printf("host=%s user=muster dbname=%s", cluster_dir, name);
}
