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
 * libsoup runs the HTTP side on the main loop; each request's database work runs on a
 * pool of worker threads, each with its own PostgreSQL connection, so many armouries
 * are served at once and a slow database never stalls the listener.
 *
 * The registry faces a hostile network, so it owns its listening socket rather than
 * leaving it to libsoup (whose 3.2 listener is dropped for good on an accept error such
 * as EMFILE). It accepts, waits on the main loop (no thread, no TLS state) until the
 * client's first TLS record has fully arrived, does the TLS handshake under a deadline,
 * and only then hands the connection to libsoup (with libsoup before 3.3, for one request:
 * it leaks a kept-alive connection its client closes). A request's headers must all be
 * in within the idle timeout of the connection being ready for it, however they
 * trickle, and its body must then keep a minimum average rate. Open connections are
 * capped (by default from the descriptor limit), per client too; when full, the oldest
 * connection that has not finished its handshake makes room, else the established one
 * that has waited longest without a request (never one whose request is being read or
 * handled), so idle, slow-handshaking or slowloris clients cannot lock out a real one.
 * Running out of descriptors anyway is logged once, and accepting resumes shortly
 * after. Every request is size-checked before its body is read, whatever its path.
 * Tracing needs a named query token, is rate-limited per client address, and every
 * attempt is logged with the client, the token name and the marking; a server
 * listening beyond loopback without a token refuses to start.
 */
#pragma once
#include "protocol/keys.h"
#include <gio/gio.h>

G_BEGIN_DECLS

/* A bearer token for the trace API, with the name the log knows its holder by. */
typedef struct {
  const char *name;
  const char *secret;
} RegistryQueryToken;

/* 0 in any field: the default (muster-registry serve --help). */
typedef struct {
  guint max_connections;     /* open at once; default: from RLIMIT_NOFILE */
  guint max_per_client;      /* open at once from one address; 64 */
  guint handshake_timeout_s; /* from accept to the end of the TLS handshake; 10 */
  guint idle_timeout_s;      /* longest silence on an established connection, and longest
                              * wait for a whole request's headers; 30 */
  guint traces_per_minute;   /* trace requests per client address, right or wrong; 30 */
} RegistryLimits;

typedef struct {
  const char *conninfo;             /* libpq connection string */
  const char *address;              /* IPv4 or IPv6 literal to listen on */
  guint port;                       /* 0: any free port */
  const char *cert_file;            /* PEM server certificate (chain) */
  const char *cert_key_file;        /* PEM private key of the certificate */
  const MusterSyncKey *key;         /* the registry's signing key */
  guint workers;                    /* database connections; 0: 8 */
  const RegistryQueryToken *tokens; /* the trace API's tokens; none: no tracing over HTTPS */
  guint n_tokens;
  RegistryLimits limits;
} RegistryServerConfig;

/* Refuses a configuration that would be unsafe to serve: tracing open beyond loopback
 * (an address other than 127.0.0.0/8 or ::1 without a query token), a token too short
 * to resist guessing. registry_server_start() checks it too; call it first to refuse
 * before touching the database. */
gboolean registry_server_check_config(const RegistryServerConfig *config, GError **error);
/* Reads a query tokens file: one "NAME SECRET" per line, # comments; a line with only a
 * secret names it "query-token". Returns RegistryQueryToken (strings owned). */
GArray *registry_query_tokens_load(const char *path, GError **error);

typedef struct _RegistryServer RegistryServer;

RegistryServer *registry_server_start(const RegistryServerConfig *config, GError **error);
/* The https:// address it listens on (with the actual port). */
const char *registry_server_url(RegistryServer *server);
/* Connections it holds now, at every stage (before and during the handshake, and
 * libsoup's). Call on the server's main context (the thread-default one it started on).
 * For monitoring and the benchmarks. */
guint registry_server_connections(RegistryServer *server);
void registry_server_free(RegistryServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegistryServer, registry_server_free)

G_END_DECLS
