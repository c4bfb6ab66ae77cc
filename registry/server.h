/*
 * server.h: the registry's HTTPS API (libsoup 3), for appliances and tracing.
 *
 *   POST /v1/batches   a signed batch (Muster-Signature header) -> {"acked":N,...}
 *   POST /v1/changes   a signed pull request -> the changes document
 *   GET  /v1/trace?marking=TEXT   the weapon's history across every armoury
 *
 * Every answer to an appliance is signed with the registry's key (Muster-Signature),
 * so the same answer can travel on removable media and still be trusted.
 *
 * libsoup runs the HTTP and TLS side on the main loop; each request's database work
 * runs on a pool of worker threads, each with its own PostgreSQL connection, so many
 * armouries are served at once and a slow database never stalls the listener.
 */
#pragma once
#include "sync/keys.h"
#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  const char *conninfo;      /* libpq connection string */
  const char *address;       /* IPv4 or IPv6 literal to listen on */
  guint port;                /* 0: any free port */
  const char *cert_file;     /* PEM server certificate (chain) */
  const char *cert_key_file; /* PEM private key of the certificate */
  const MusterSyncKey *key;  /* the registry's signing key */
  guint workers;             /* database connections; 0: 8 */
  const char *query_token;   /* bearer token the trace API requires; NULL: none */
} RegistryServerConfig;

typedef struct _RegistryServer RegistryServer;

RegistryServer *registry_server_start(const RegistryServerConfig *config, GError **error);
/* The https:// address it listens on (with the actual port). */
const char *registry_server_url(RegistryServer *server);
void registry_server_free(RegistryServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegistryServer, registry_server_free)

G_END_DECLS
