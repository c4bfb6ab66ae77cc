/*
 * test-env.h: a throw-away PostgreSQL cluster and TLS CA, for the sync tests and the
 * sync benchmark.
 *
 * The cluster lives in a temporary directory, listens on a unix socket there only
 * (no TCP port to collide with), runs with fsync off (a test's data need not survive
 * a power cut; the sync benchmark asks for it on, test_env_start_with()), and is
 * started as nobody when we are root, since initdb and postgres refuse to run as root.
 * The CA and a server certificate for 127.0.0.1 are made with the openssl CLI, so the
 * client verifies the registry exactly as in production.
 */
#pragma once
#include <glib.h>

/* Starts the cluster and makes the certificates (once per process). FALSE, after
 * printing why, when PostgreSQL is not installed or does not start. */
gboolean test_env_start(void);

/* How the sync benchmark wants the cluster: on the disk it measures, and durable as a
 * registry runs it (fsync on, PostgreSQL's defaults) instead of the tests' fsync off. */
typedef struct {
  const char *parent; /* where its temporary directory goes; NULL: $TMPDIR */
  gboolean fsync;     /* on: left to PostgreSQL's default, so ALTER SYSTEM can change it */
} TestEnvOptions;
/* test_env_start() with options; test_env_start() is {NULL, FALSE}. */
gboolean test_env_start_with(const TestEnvOptions *options);

/* Why the last test_env_start() failed (NULL when it did not): what is missing. */
const char *test_env_problem(void);
/* Stops the cluster and removes the directory. */
void test_env_stop(void);

/* A new, empty database; its libpq connection string. */
char *test_env_new_database(void);

const char *test_env_ca(void);
const char *test_env_server_cert(void);
const char *test_env_server_key(void);
