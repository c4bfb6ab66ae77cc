/*
 * sync-fixture.h: what the sync tests share: a real PostgreSQL cluster started in a
 * temporary directory (unix socket only, dropped to nobody when run as root, since
 * initdb refuses root), a test CA and server certificate made with the openssl CLI,
 * the muster-registry binary run as a child process, and an appliance database with
 * its key enrolled at that registry.
 */
#pragma once
#include "db/store.h"
#include "protocol/keys.h"
#include "sync/client.h"
#include <gio/gio.h>
#include <libpq-fe.h>

/* Once per test program: cluster and certificates. Returns FALSE (after printing why)
 * when PostgreSQL cannot be started here. */
gboolean sync_fixture_global_start(void);
void sync_fixture_global_stop(void);

typedef struct {
  char *dir;      /* this test's temp dir */
  char *conninfo; /* its own registry database */
  char *key_path; /* registry key */
  GSubprocess *registry;
  char *url;
  MusterStore *store; /* the appliance */
  MusterSyncKey *key; /* its key */
  PGconn *pg;         /* the test's own look at the registry's database */
  char *registry_log; /* its stderr, when started with a log (SyncRegistryOptions) */
} SyncFixture;

/* How sync_fixture_start_registry_with() starts the registry; zero: as the default. */
typedef struct {
  const char *const *args; /* more `serve` arguments, NULL-terminated */
  const char *conninfo;    /* instead of the test's database */
  guint max_files;         /* the registry's RLIMIT_NOFILE (soft and hard) */
  gboolean log;            /* its stderr to f->registry_log rather than the test's */
} SyncRegistryOptions;

/* One test case on the fixture. */
typedef struct {
  const char *path;
  void (*fn)(SyncFixture *f, gconstpointer data);
} SyncFixtureCase;

/* Registers cases on the fixture when PostgreSQL started (pg); otherwise each still
 * shows up, failing under CI and skipped elsewhere (test_missing_case(), tests/support/
 * missing.h), so that test_missing_run() ends the program with 77: never missing. */
void sync_fixture_add_cases(gboolean pg, const SyncFixtureCase *cases, guint n);
/* A test program's main: g_test_init, the cluster, the cases, test_missing_run,
 * clean-up. */
int sync_fixture_main(int argc, char **argv, const SyncFixtureCase *cases, guint n);

void sync_fixture_setup(SyncFixture *f, gconstpointer data);
void sync_fixture_teardown(SyncFixture *f, gconstpointer data);

/* Starts (again) the registry on a free port; f->url is its address. */
void sync_fixture_start_registry(SyncFixture *f);
void sync_fixture_start_registry_with(SyncFixture *f, const SyncRegistryOptions *options);
/* The command line that starts it so (NULL-terminated; strings not owned). */
GPtrArray *sync_fixture_serve_argv(SyncFixture *f, const SyncRegistryOptions *options);
/* Its process id. */
GPid sync_fixture_registry_pid(SyncFixture *f);
/* SIGKILL, as a crash. */
void sync_fixture_kill_registry(SyncFixture *f);
/* Runs muster-registry with args (NULL-terminated) against the test database; returns
 * its stdout, asserting success. */
char *sync_fixture_registry_cmd(SyncFixture *f, ...) G_GNUC_NULL_TERMINATED;
/* The CA file the client verifies the registry by. */
const char *sync_fixture_ca(void);
/* A client for the running registry. */
MusterSyncClient *sync_fixture_client(SyncFixture *f);

/* Appends n test events to the appliance's outbox in one transaction. */
void sync_fixture_add_events(SyncFixture *f, guint n);
/* A single integer from the registry's database. */
gint64 sync_fixture_pg_int(SyncFixture *f, const char *sql);
/* Asserts the registry holds events 1..n of the appliance, each exactly once. */
void sync_fixture_assert_stored_once(SyncFixture *f, gint64 n);
