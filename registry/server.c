/*
 * server.c: the registry's HTTPS API. See server.h.
 */
#include "registry/server.h"

#include "registry/answer.h"
#include <libsoup/soup.h>
#include <sodium.h>

struct _RegistryServer {
  SoupServer *soup;
  GThreadPool *pool;
  GMainContext *context;
  char *conninfo;
  const MusterSyncKey *key;
  char *query_token;
  char *url;
};

typedef enum { JOB_BATCH, JOB_PULL, JOB_TRACE } JobKind;

typedef struct {
  RegistryServer *server;
  SoupServerMessage *msg;
  JobKind kind;
  GBytes *body;
  char *signature;
  char *armoury; /* Muster-Armoury: whose key verifies the body, before it is parsed */
  char *marking;
  guint status;
  char *answer;
} Job;

static void
job_free(Job *job)
{
  g_object_unref(job->msg);
  g_bytes_unref(job->body);
  g_free(job->signature);
  g_free(job->armoury);
  g_free(job->marking);
  g_free(job->answer);
  g_free(job);
}

/* Each worker thread's own connection, made on first use and remade after a failure. */
static GPrivate worker_db = G_PRIVATE_INIT((GDestroyNotify)registry_db_free);

static RegistryDb *
worker_connection(RegistryServer *server, GError **error)
{
  RegistryDb *db = g_private_get(&worker_db);
  if (db == NULL) {
    db = registry_db_connect(server->conninfo, error);
    g_private_replace(&worker_db, db);
  }
  return db;
}

static void
respond(Job *job)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers(job->msg);
  if (job->kind != JOB_TRACE) {
    g_autofree char *sig = muster_sync_sign_b64(job->server->key, job->answer, strlen(job->answer));
    soup_message_headers_replace(h, "Muster-Signature", sig);
  }
  if (job->status == 503)
    soup_message_headers_replace(h, "Retry-After", "30");
  soup_server_message_set_status(job->msg, job->status, NULL);
  soup_server_message_set_response(job->msg, "application/json", SOUP_MEMORY_COPY, job->answer,
                                   strlen(job->answer));
}

static gboolean
finish_on_main(gpointer data)
{
  Job *job = data;
  respond(job);
  soup_server_message_unpause(job->msg);
  job_free(job);
  return G_SOURCE_REMOVE;
}

static void
run_job(gpointer data, gpointer user_data)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  RegistryDb *db = worker_connection(job->server, &error);
  gsize len = 0;
  const void *body = job->body != NULL ? g_bytes_get_data(job->body, &len) : NULL;
  if (db == NULL) {
    job->answer = registry_answer_error(error, -1, &job->status);
  } else if (job->kind == JOB_BATCH) {
    job->answer = registry_answer_batch(db, job->armoury, body, len, job->signature,
                                        &job->status);
  } else if (job->kind == JOB_PULL) {
    job->answer = registry_answer_pull(db, job->armoury, body, len, job->signature,
                                       &job->status);
  } else {
    job->answer = registry_db_trace(db, job->marking, &error);
    job->status = 200;
    if (job->answer == NULL)
      job->answer = registry_answer_error(error, -1, &job->status);
  }
  g_main_context_invoke(job->server->context, finish_on_main, job);
}

static void
reply_now(SoupServerMessage *msg, guint status, const char *message)
{
  g_autoptr(GError) e = g_error_new_literal(REGISTRY_ERROR, REGISTRY_ERROR_BAD_REQUEST, message);
  guint ignored = 0;
  g_autofree char *answer = registry_answer_error(e, -1, &ignored);
  soup_server_message_set_status(msg, status, NULL);
  soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_COPY, answer,
                                   strlen(answer));
}

/* A batch of 2,000 events is about 0.8 MB; anything far larger is refused before its
 * body is read, so nobody on the network can make the registry hold gigabytes. A body
 * of unknown length (chunked) is refused for the same reason: the appliance always
 * sends Content-Length. */
#define MAX_REQUEST_BYTES (16 * 1024 * 1024)

static void
check_size(SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
           gpointer user_data)
{
  (void)soup;
  (void)path;
  (void)query;
  (void)user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
  SoupEncoding encoding = soup_message_headers_get_encoding(headers);
  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    reply_now(msg, 411, "Send the request with a Content-Length.");
  else if (soup_message_headers_get_content_length(headers) > MAX_REQUEST_BYTES)
    reply_now(msg, 413, "The request is larger than the registry accepts (16 MiB): send "
                        "smaller batches.");
}

static gboolean
trace_allowed(RegistryServer *server, SoupServerMessage *msg)
{
  if (server->query_token == NULL)
    return TRUE;
  const char *auth =
      soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Authorization");
  if (auth == NULL || !g_str_has_prefix(auth, "Bearer "))
    return FALSE;
  /* compared in constant time, so the answer's timing tells nothing of the token */
  const char *given = auth + strlen("Bearer ");
  gsize len = strlen(server->query_token);
  return strlen(given) == len && sodium_memcmp(given, server->query_token, len) == 0;
}

static void
handle(SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
       gpointer user_data)
{
  RegistryServer *server = user_data;
  const char *method = soup_server_message_get_method(msg);
  JobKind kind;
  if (g_str_equal(path, "/v1/batches") && g_str_equal(method, "POST"))
    kind = JOB_BATCH;
  else if (g_str_equal(path, "/v1/changes") && g_str_equal(method, "POST"))
    kind = JOB_PULL;
  else if (g_str_equal(path, "/v1/trace") && g_str_equal(method, "GET"))
    kind = JOB_TRACE;
  else
    return reply_now(msg, 404, "No such endpoint: see docs/sync-protocol.md.");
  const char *marking = query != NULL ? g_hash_table_lookup(query, "marking") : NULL;
  if (kind == JOB_TRACE && (marking == NULL || *marking == '\0'))
    return reply_now(msg, 400, "Give the marking to trace: /v1/trace?marking=TEXT");
  if (kind == JOB_TRACE && !trace_allowed(server, msg))
    return reply_now(msg, 401, "The trace API needs the registry's query token.");
  Job *job = g_new0(Job, 1);
  job->server = server;
  job->msg = g_object_ref(msg);
  job->kind = kind;
  job->body = soup_message_body_flatten(soup_server_message_get_request_body(msg));
  job->signature = g_strdup(soup_message_headers_get_one(
      soup_server_message_get_request_headers(msg), "Muster-Signature"));
  job->armoury = g_strdup(soup_message_headers_get_one(
      soup_server_message_get_request_headers(msg), "Muster-Armoury"));
  job->marking = g_strdup(marking);
  soup_server_message_pause(msg);
  g_thread_pool_push(server->pool, job, NULL);
}

void
registry_server_free(RegistryServer *server)
{
  if (server == NULL)
    return;
  if (server->soup != NULL)
    soup_server_disconnect(server->soup);
  if (server->pool != NULL)
    g_thread_pool_free(server->pool, FALSE, TRUE);
  /* Answers queued by the workers hold the messages: let them finish. */
  while (g_main_context_pending(server->context))
    g_main_context_iteration(server->context, FALSE);
  g_clear_object(&server->soup);
  g_main_context_unref(server->context);
  g_free(server->conninfo);
  g_free(server->query_token);
  g_free(server->url);
  g_free(server);
}

static gboolean
listen_on(RegistryServer *server, const RegistryServerConfig *config, GError **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(config->address);
  if (inet == NULL) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                "\"%s\" is not an IP address to listen on", config->address);
    return FALSE;
  }
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(inet, config->port);
  if (!soup_server_listen(server->soup, addr, SOUP_SERVER_LISTEN_HTTPS, error))
    return FALSE;
  GSList *uris = soup_server_get_uris(server->soup);
  if (uris != NULL)
    server->url = g_uri_to_string(uris->data);
  g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
  return TRUE;
}

RegistryServer *
registry_server_start(const RegistryServerConfig *config, GError **error)
{
  g_autoptr(GTlsCertificate) cert =
      g_tls_certificate_new_from_files(config->cert_file, config->cert_key_file, error);
  if (cert == NULL) {
    g_prefix_error(error, "Loading the TLS certificate %s: ", config->cert_file);
    return NULL;
  }
  g_autoptr(RegistryServer) server = g_new0(RegistryServer, 1);
  server->context = g_main_context_ref_thread_default();
  server->conninfo = g_strdup(config->conninfo);
  server->key = config->key;
  server->query_token = g_strdup(config->query_token);
  server->soup = soup_server_new("tls-certificate", cert, "server-header", "muster-registry", NULL);
  soup_server_add_early_handler(server->soup, "/v1", check_size, server, NULL);
  soup_server_add_handler(server->soup, "/v1", handle, server, NULL);
  server->pool =
      g_thread_pool_new(run_job, server, config->workers ? (int)config->workers : 8, FALSE, error);
  if (server->pool == NULL || !listen_on(server, config, error)) {
    g_prefix_error(error, "Starting the registry on %s: ", config->address);
    return NULL;
  }
  return g_steal_pointer(&server);
}

const char *
registry_server_url(RegistryServer *server)
{
  return server->url;
}
