/*
 * server.c: the registry's HTTPS API. See server.h.
 *
 * A connection's life: accepted on our own listening socket (accept_ready), held in
 * the "hello" queue until its first TLS record is in (hello_check), then in the
 * "handshake" queue while GIO's TLS does the handshake on a thread (handshake_done),
 * then handed to libsoup, which owns it until it closes (connection_gone). There it is
 * in the "awaiting" queue until a request's headers are wholly in (request_started,
 * request_headers_in), then its body is read, then it is handled (request_read) until
 * the answer is written. The queues are oldest first, which is the order connections
 * are evicted in when the cap or the descriptor limit is reached: first those that
 * have not finished their handshake, then those established with no request yet. A
 * connection whose request is being read or handled is never evicted.
 */
#include "registry/server.h"

#include "registry/answer.h"
#include <errno.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sodium.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

struct _RegistryServer {
  SoupServer *soup;
  GThreadPool *pool;
  GMainContext *context;
  char *conninfo;
  const MusterSyncKey *key;
  GArray *tokens; /* RegistryQueryToken, strings owned */
  RegistryLimits limits;
  GTlsCertificate *cert;
  GSocket *listener;
  int keepalive_peer;     /* see keep_alive_possible() */
  GSource *accept_source; /* NULL while backing off after an accept error */
  GSource *resume_source;
  GSource *sweep_source;
  GHashTable *clients;     /* address text -> Client */
  GHashTable *established; /* remote address (libsoup's messages carry it) -> Established */
  GQueue hello;            /* Pending: waiting for the first TLS record */
  GQueue handshake;        /* Pending: in the TLS handshake */
  GQueue awaiting;         /* Established: no request yet, or not all its headers */
  guint open;              /* connections held, at every stage */
  gboolean cap_logged;
  gint64 accept_failure_logged_us; /* failures are logged once a minute at most */
  guint accept_failures;           /* since then */
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

/* The registry's log: structured (journald keeps the fields), with the client's address
 * in every line about a request, since tracing and refusals are what an operator audits. */
static void server_log(GLogLevelFlags level, const char *client, const char *token,
                       const char *marking, const char *format, ...) G_GNUC_PRINTF(5, 6);

static void
server_log(GLogLevelFlags level, const char *client, const char *token, const char *marking,
           const char *format, ...)
{
  va_list ap;
  va_start(ap, format);
  g_autofree char *text = g_strdup_vprintf(format, ap);
  va_end(ap);
  const GLogField fields[] = {
      {"GLIB_DOMAIN", "muster-registry", -1},
      {"MESSAGE", text, -1},
      {"MUSTER_CLIENT", client != NULL ? client : "", -1},
      {"MUSTER_TOKEN", token != NULL ? token : "", -1},
      {"MUSTER_MARKING", marking != NULL ? marking : "", -1},
  };
  g_log_structured_array(level, fields, G_N_ELEMENTS(fields));
}

/* ---- clients: connections and trace allowance per address ---- */

typedef struct {
  guint connections;
  double trace_tokens; /* token bucket: one trace request costs one */
  gint64 refilled_us;
  gint64 refused_log_us; /* refusals are logged once a minute, not once a request */
} Client;

static Client *
client_get(RegistryServer *server, const char *address)
{
  Client *c = g_hash_table_lookup(server->clients, address);
  if (c == NULL) {
    c = g_new0(Client, 1);
    c->trace_tokens = server->limits.traces_per_minute;
    c->refilled_us = g_get_monotonic_time();
    g_hash_table_insert(server->clients, g_strdup(address), c);
  }
  return c;
}

/* Forgets clients with nothing open and a full allowance, so the table stays as small
 * as the set of addresses active in the last minute. */
static gboolean
sweep_clients(gpointer data)
{
  RegistryServer *server = data;
  gint64 now = g_get_monotonic_time();
  GHashTableIter it;
  Client *c;
  g_hash_table_iter_init(&it, server->clients);
  while (g_hash_table_iter_next(&it, NULL, (gpointer *)&c))
    if (c->connections == 0 && now - c->refilled_us > 60 * G_USEC_PER_SEC)
      g_hash_table_iter_remove(&it);
  return G_SOURCE_CONTINUE;
}

static gboolean
refusal_not_logged_lately(Client *c)
{
  gint64 now = g_get_monotonic_time();
  if (c->refused_log_us != 0 && now - c->refused_log_us < 60 * G_USEC_PER_SEC)
    return FALSE;
  c->refused_log_us = now;
  return TRUE;
}

/* ---- connections before libsoup has them ---- */

typedef enum { STAGE_HELLO, STAGE_HANDSHAKE } Stage;

typedef struct {
  RegistryServer *server;
  GSocket *socket;
  GSocketAddress *remote;
  char *client;
  Stage stage;
  GList *link;       /* in server->hello or server->handshake */
  GSource *recheck;  /* hello: the next look at what has arrived */
  GSource *deadline; /* the whole handshake's */
  guint delay_ms;
  GIOStream *tls; /* handshake */
  GCancellable *cancel;
  gboolean evicted;
} Pending;

static void
connection_closed(RegistryServer *server, const char *address)
{
  Client *c = g_hash_table_lookup(server->clients, address);
  if (c != NULL && c->connections > 0)
    c->connections--;
  server->open--;
}

/* Stops a timer or watch of ours, if set. */
static void
source_clear(GSource **source)
{
  if (*source != NULL)
    g_source_destroy(*source);
  g_clear_pointer(source, g_source_unref);
}

/* Forgets a connection that is closed, or now libsoup's. */
static void
pending_forget(Pending *p)
{
  RegistryServer *server = p->server;
  g_queue_delete_link(p->stage == STAGE_HELLO ? &server->hello : &server->handshake, p->link);
  source_clear(&p->recheck);
  source_clear(&p->deadline);
  g_clear_object(&p->tls);
  g_clear_object(&p->cancel);
  g_object_unref(p->socket);
  g_object_unref(p->remote);
  g_free(p->client);
  g_free(p);
}

/* Closes it (no TLS goodbye: it never got that far, or it failed). */
static void
pending_free(Pending *p)
{
  g_socket_close(p->socket, NULL);
  connection_closed(p->server, p->client);
  pending_forget(p);
}

/* Drops a connection that has not finished its handshake. One in the handshake belongs
 * to a TLS thread until it returns: it is shut down (which wakes that thread) and
 * freed by handshake_done, so its descriptor is never reused under the thread. */
static void
pending_drop(Pending *p)
{
  if (p->stage == STAGE_HELLO)
    return pending_free(p);
  if (p->evicted)
    return;
  p->evicted = TRUE;
  g_cancellable_cancel(p->cancel);
  g_socket_shutdown(p->socket, TRUE, TRUE, NULL);
}

static gboolean
deadline_passed(gpointer data)
{
  Pending *p = data;
  g_clear_pointer(&p->deadline, g_source_unref);
  pending_drop(p);
  return G_SOURCE_REMOVE;
}

/* ---- connections libsoup has ---- */

/* Once a request's headers are in, its body must arrive at this rate on average, after
 * a grace of the idle timeout: a client trickling a body holds its slot no longer than
 * an appliance on a slow link would, and holding many costs real bandwidth. */
#define MIN_BODY_BYTES_PER_S (32 * 1024)

/* Established: libsoup holds the TLS stream; when it lets it go, the slot is free. */
typedef struct {
  RegistryServer *server;
  char *client;
  GObject *stream;        /* libsoup's TLS stream (not a reference: see connection_gone) */
  GSocket *socket;        /* under it: shut down to evict the connection */
  GSocketAddress *remote; /* its key in server->established */
  GList *link;            /* in server->awaiting, while it waits for a request */
  GSource *deadline;      /* for the request's headers, then for its body */
  gboolean evicted;
} Established;

static void
established_stop_waiting(Established *e)
{
  if (e->link != NULL)
    g_queue_delete_link(&e->server->awaiting, e->link);
  e->link = NULL;
  source_clear(&e->deadline);
}

static void
established_free(Established *e)
{
  established_stop_waiting(e);
  g_object_unref(e->socket);
  g_object_unref(e->remote);
  g_free(e->client);
  g_free(e);
}

/* Drops a connection libsoup holds by shutting its socket down: libsoup sees the end
 * of the stream and lets it go (connection_gone). The descriptor stays open until
 * then, so it is never reused under libsoup. */
static void
established_drop(Established *e)
{
  if (e->evicted)
    return;
  e->evicted = TRUE;
  established_stop_waiting(e);
  g_socket_shutdown(e->socket, TRUE, TRUE, NULL);
}

static gboolean
request_too_slow(gpointer data)
{
  Established *e = data;
  g_clear_pointer(&e->deadline, g_source_unref);
  established_drop(e);
  return G_SOURCE_REMOVE;
}

static void
established_deadline(Established *e, guint seconds)
{
  established_stop_waiting(e);
  e->deadline = g_timeout_source_new_seconds(seconds);
  g_source_set_callback(e->deadline, request_too_slow, e, NULL);
  g_source_attach(e->deadline, e->server->context);
}

/* The connection a message of libsoup's came on; NULL once it is dropped. */
static Established *
established_of(RegistryServer *server, SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address(msg);
  Established *e = remote != NULL ? g_hash_table_lookup(server->established, remote) : NULL;
  return e != NULL && !e->evicted ? e : NULL;
}

/* All its headers are in: the body has until its own deadline, and the connection is
 * no longer one to evict. */
static void
request_headers_in(SoupServerMessage *msg, gpointer data)
{
  Established *e = established_of(data, msg);
  if (e == NULL)
    return;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
  goffset length = soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH
                       ? soup_message_headers_get_content_length(headers)
                       : 0;
  established_deadline(e, e->server->limits.idle_timeout_s +
                              (guint)MIN(length / MIN_BODY_BYTES_PER_S, G_MAXINT32));
}

/* libsoup waits for a request (the first, or the next on a kept-alive connection). All
 * its headers must be in within the idle timeout, however they trickle (GSocket's
 * timeout alone would be put off by each byte); until then the connection may be
 * evicted. */
static void
request_started(SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  Established *e = established_of(data, msg);
  if (e == NULL)
    return;
  established_deadline(e, e->server->limits.idle_timeout_s);
  g_queue_push_tail(&e->server->awaiting, e);
  e->link = e->server->awaiting.tail;
  g_signal_connect(msg, "got-headers", G_CALLBACK(request_headers_in), data);
}

/* Read whole: its handler and a worker have it now, until the answer is written. */
static void
request_read(SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  Established *e = established_of(data, msg);
  if (e == NULL)
    return;
  established_stop_waiting(e);
}

static void
connection_gone(gpointer data, GObject *where_the_stream_was)
{
  Established *e = data;
  g_hash_table_remove(e->server->established, e->remote);
  connection_closed(e->server, e->client);
  established_free(e);
}

/* Makes room by dropping the oldest connection that has not finished its handshake,
 * preferring one that has not even sent its first TLS record, else the established one
 * that has waited longest for a request; address: only that client's. */
static gboolean
evict_oldest(RegistryServer *server, const char *address)
{
  GQueue *queues[] = {&server->hello, &server->handshake};
  for (guint q = 0; q < G_N_ELEMENTS(queues); q++)
    for (GList *l = queues[q]->head; l != NULL; l = l->next) {
      Pending *p = l->data;
      if (!p->evicted && (address == NULL || g_str_equal(p->client, address))) {
        pending_drop(p);
        return TRUE;
      }
    }
  for (GList *l = server->awaiting.head; l != NULL; l = l->next) {
    Established *e = l->data;
    if (address == NULL || g_str_equal(e->client, address)) {
      established_drop(e);
      return TRUE;
    }
  }
  return FALSE;
}

static void
hand_to_soup(Pending *p)
{
  RegistryServer *server = p->server;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address(p->socket, NULL);
  if (local == NULL)
    return pending_free(p);
  /* GSocket's timeout bounds every wait of libsoup's on this connection: a client silent
   * that long, in the middle of a request or of its answer, is disconnected. */
  g_socket_set_timeout(p->socket, server->limits.idle_timeout_s);
  Established *e = g_new0(Established, 1); /* takes over the pending one's slot */
  e->server = server;
  e->client = g_strdup(p->client);
  e->stream = G_OBJECT(p->tls);
  e->socket = g_object_ref(p->socket);
  e->remote = g_object_ref(p->remote);
  g_object_weak_ref(e->stream, connection_gone, e);
  g_hash_table_insert(server->established, e->remote, e);
  /* libsoup's messages carry this very address object, and it waits for the first
   * request (request_started) before this returns. */
  soup_server_accept_iostream(server->soup, p->tls, local, p->remote, NULL);
  pending_forget(p);
}

static void
handshake_done(GObject *source, GAsyncResult *result, gpointer data)
{
  Pending *p = data;
  g_autoptr(GError) error = NULL;
  if (!g_tls_connection_handshake_finish(G_TLS_CONNECTION(source), result, &error) || p->evicted)
    return pending_free(p);
  hand_to_soup(p);
}

static void
handshake_start(Pending *p)
{
  RegistryServer *server = p->server;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) tcp = g_socket_connection_factory_create_connection(p->socket);
  p->tls = (GIOStream *)g_tls_server_connection_new(G_IO_STREAM(tcp), server->cert, &error);
  if (p->tls == NULL) {
    server_log(G_LOG_LEVEL_WARNING, p->client, NULL, NULL, "TLS for %s: %s", p->client,
               error->message);
    return pending_free(p);
  }
  g_queue_delete_link(&server->hello, p->link);
  g_queue_push_tail(&server->handshake, p);
  p->link = server->handshake.tail;
  p->stage = STAGE_HANDSHAKE;
  p->cancel = g_cancellable_new();
  g_tls_connection_handshake_async(G_TLS_CONNECTION(p->tls), G_PRIORITY_DEFAULT, p->cancel,
                                   handshake_done, p);
}

static gboolean hello_check(gpointer data);

static void
hello_recheck_later(Pending *p)
{
  /* A client sends its ClientHello in one go; one that trickles it is looked at again
   * less and less often, and never costs a thread. */
  p->delay_ms = MIN(p->delay_ms != 0 ? p->delay_ms * 2 : 20, 500);
  p->recheck = g_timeout_source_new(p->delay_ms);
  g_source_set_callback(p->recheck, hello_check, p, NULL);
  g_source_attach(p->recheck, p->server->context);
}

static gboolean
hello_readable(GSocket *socket, GIOCondition condition, gpointer data)
{
  return hello_check(data);
}

/* Starts the handshake once the client's first TLS record (its ClientHello) is wholly
 * in the socket's buffer, so GIO's TLS thread never waits on a slow client for it. */
static gboolean
hello_check(gpointer data)
{
  Pending *p = data;
  g_clear_pointer(&p->recheck, g_source_unref);
  int fd = g_socket_get_fd(p->socket), avail = 0;
  guint8 head[5];
  gssize n = recv(fd, head, sizeof head, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) || (n > 0 && head[0] != 0x16) ||
      ioctl(fd, FIONREAD, &avail) != 0) {
    pending_free(p); /* gone, or not TLS (0x16: a handshake record) */
    return G_SOURCE_REMOVE;
  }
  if (n == (gssize)sizeof head && avail >= 5 + ((head[3] << 8) | head[4]))
    handshake_start(p);
  else if (n > 0)
    hello_recheck_later(p);
  else {
    p->recheck = g_socket_create_source(p->socket, G_IO_IN, NULL);
    g_source_set_callback(p->recheck, G_SOURCE_FUNC(hello_readable), p, NULL);
    g_source_attach(p->recheck, p->server->context);
  }
  return G_SOURCE_REMOVE;
}

/* Takes an accepted socket, or closes it when its client or the server is full and no
 * unfinished connection can make room. */
static void
admit(RegistryServer *server, GSocket *socket)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address(socket, NULL);
  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS(remote)) {
    g_socket_close(socket, NULL);
    return;
  }
  g_autofree char *address =
      g_inet_address_to_string(g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(remote)));
  Client *c = client_get(server, address);
  if (c->connections >= server->limits.max_per_client && !evict_oldest(server, address)) {
    if (refusal_not_logged_lately(c))
      server_log(G_LOG_LEVEL_WARNING, address, NULL, NULL,
                 "%s has %u connections open, its limit: refusing more", address, c->connections);
    g_socket_close(socket, NULL);
    return;
  }
  if (server->open >= server->limits.max_connections && !evict_oldest(server, NULL)) {
    if (!server->cap_logged)
      server_log(G_LOG_LEVEL_WARNING, address, NULL, NULL,
                 "%u connections open, the limit (--max-connections): refusing new ones",
                 server->open);
    server->cap_logged = TRUE;
    g_socket_close(socket, NULL);
    return;
  }
  if (server->open < server->limits.max_connections / 2)
    server->cap_logged = FALSE;
  Pending *p = g_new0(Pending, 1);
  p->server = server;
  p->socket = g_object_ref(socket);
  p->remote = g_steal_pointer(&remote);
  p->client = g_steal_pointer(&address);
  g_queue_push_tail(&server->hello, p);
  p->link = server->hello.tail;
  server->open++;
  c->connections++;
  p->deadline = g_timeout_source_new_seconds(server->limits.handshake_timeout_s);
  g_source_set_callback(p->deadline, deadline_passed, p, NULL);
  g_source_attach(p->deadline, server->context);
  g_socket_set_option(socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  hello_check(p);
}

static void listen_resume(RegistryServer *server);

static gboolean
resume_accepting(gpointer data)
{
  RegistryServer *server = data;
  g_clear_pointer(&server->resume_source, g_source_unref);
  listen_resume(server);
  return G_SOURCE_REMOVE;
}

/* Accepts what is queued. An accept that fails (EMFILE, ENFILE, ...) must not end
 * accepting for good, as libsoup's own listener does: the failure is logged once, the
 * oldest unfinished connection gives its descriptor back, and accepting resumes 100 ms
 * later. */
static gboolean
accept_ready(GSocket *listener, GIOCondition condition, gpointer data)
{
  RegistryServer *server = data;
  for (guint i = 0; i < 64; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GSocket) socket = g_socket_accept(listener, NULL, &error);
    if (socket != NULL) {
      admit(server, socket);
      continue;
    }
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
      break;
    gint64 now = g_get_monotonic_time();
    server->accept_failures++;
    if (server->accept_failure_logged_us == 0 ||
        now - server->accept_failure_logged_us > 60 * G_USEC_PER_SEC) {
      server_log(G_LOG_LEVEL_WARNING, NULL, NULL, NULL,
                 "Accepting a connection failed (%s; %u times in the last minute) with %u open; "
                 "the oldest unfinished connection is dropped and accepting resumes in 100 ms. "
                 "If descriptors ran out, raise the service's LimitNOFILE or lower "
                 "--max-connections.",
                 error->message, server->accept_failures, server->open);
      server->accept_failure_logged_us = now;
      server->accept_failures = 0;
    }
    evict_oldest(server, NULL);
    g_clear_pointer(&server->accept_source, g_source_destroy);
    server->resume_source = g_timeout_source_new(100);
    g_source_set_callback(server->resume_source, resume_accepting, server, NULL);
    g_source_attach(server->resume_source, server->context);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static void
listen_resume(RegistryServer *server)
{
  server->accept_source = g_socket_create_source(server->listener, G_IO_IN, NULL);
  g_source_set_callback(server->accept_source, G_SOURCE_FUNC(accept_ready), server, NULL);
  g_source_attach(server->accept_source, server->context);
  g_source_unref(server->accept_source); /* the context holds it until destroyed */
}

/* ---- requests ---- */

static char *
error_answer(const char *message)
{
  g_autoptr(GError) e = g_error_new_literal(REGISTRY_ERROR, REGISTRY_ERROR_BAD_REQUEST, message);
  guint ignored = 0;
  return registry_answer_error(e, -1, &ignored);
}

static void
reply_now(SoupServerMessage *msg, guint status, const char *message)
{
  g_autofree char *answer = error_answer(message);
  soup_server_message_set_status(msg, status, NULL);
  soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_COPY, answer,
                                   strlen(answer));
}

typedef struct {
  SoupServerMessage *msg;
  GIOStream *stream;
  char *reply;
} Refusal;

static void
refusal_free(Refusal *r)
{
  g_clear_object(&r->msg);
  g_clear_object(&r->stream);
  g_free(r->reply);
  g_free(r);
}

static void
refusal_written(GObject *out, GAsyncResult *result, gpointer data)
{
  Refusal *r = data;
  g_output_stream_write_all_finish(G_OUTPUT_STREAM(out), result, NULL, NULL);
  g_io_stream_close_async(r->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  refusal_free(r);
}

/* libsoup would read the whole body before sending any answer set while reading the
 * headers; so the connection is taken back from it and the refusal written by hand,
 * then the connection closed, the body never read. */
static gboolean
refusal_send(gpointer data)
{
  Refusal *r = data;
  r->stream = soup_server_message_steal_connection(r->msg);
  if (r->stream == NULL) {
    refusal_free(r);
    return G_SOURCE_REMOVE;
  }
  g_output_stream_write_all_async(g_io_stream_get_output_stream(r->stream), r->reply,
                                  strlen(r->reply), G_PRIORITY_DEFAULT, NULL, refusal_written, r);
  return G_SOURCE_REMOVE;
}

static void
refuse_unread(SoupServerMessage *msg, guint status, const char *message)
{
  g_autofree char *answer = error_answer(message);
  Refusal *r = g_new0(Refusal, 1);
  r->msg = g_object_ref(msg);
  r->reply = g_strdup_printf("HTTP/1.1 %u %s\r\nContent-Type: application/json\r\n"
                             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                             status, soup_status_get_phrase(status), strlen(answer), answer);
  soup_server_message_pause(msg); /* no further reading, until the connection is taken */
  g_idle_add(refusal_send, r);
}

static gboolean
route(SoupServerMessage *msg, const char *path, JobKind *kind)
{
  const char *method = soup_server_message_get_method(msg);
  if (g_str_equal(path, "/v1/batches") && g_str_equal(method, "POST"))
    *kind = JOB_BATCH;
  else if (g_str_equal(path, "/v1/changes") && g_str_equal(method, "POST"))
    *kind = JOB_PULL;
  else if (g_str_equal(path, "/v1/trace") && g_str_equal(method, "GET"))
    *kind = JOB_TRACE;
  else
    return FALSE;
  return TRUE;
}

/* A batch of 2,000 events is about 0.8 MB; anything far larger is refused before its
 * body is read, so nobody on the network can make the registry hold gigabytes. A body
 * of unknown length (chunked) is refused for the same reason: the appliance always
 * sends Content-Length. This runs for every path, not only the API's: a request nobody
 * answers is refused before its body too. */
#define MAX_REQUEST_BYTES (16 * 1024 * 1024)

/* libsoup before 3.3 never closes a kept-alive connection whose client closes it between
 * requests ("server: do not leak idle connections closed by the client", 3.3.0): each
 * would keep its descriptor (CLOSE-WAIT) and its slot under the connection caps for
 * good, so a few dozen syncs from one address would lock it out. There, every connection
 * carries one request: libsoup closes it after the answer (it has no listener of its
 * own, see keep_alive_possible()), and the answer says so. */
static gboolean
server_keeps_alive(void)
{
  return soup_get_major_version() > 3 ||
         (soup_get_major_version() == 3 && soup_get_minor_version() >= 3);
}

static void
check_request(SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
              gpointer user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
  SoupEncoding encoding = soup_message_headers_get_encoding(headers);
  goffset length = encoding == SOUP_ENCODING_CONTENT_LENGTH
                       ? soup_message_headers_get_content_length(headers)
                       : 0;
  JobKind kind;
  if (!server_keeps_alive())
    soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Connection",
                                 "close");
  if (!route(msg, path, &kind))
    refuse_unread(msg, 404, "No such endpoint: see docs/sync-protocol.md.");
  else if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    refuse_unread(msg, 411, "Send the request with a Content-Length.");
  else if (kind == JOB_TRACE && length > 0)
    refuse_unread(msg, 413, "A trace request has no body.");
  else if (length > MAX_REQUEST_BYTES)
    refuse_unread(msg, 413,
                  "The request is larger than the registry accepts (16 MiB): send "
                  "smaller batches.");
}

/* One trace request from this client may go ahead: a token bucket of traces_per_minute,
 * refilled continuously. Wrong tokens cost the same, so guessing is as slow as tracing. */
static gboolean
trace_rate_ok(RegistryServer *server, const char *address)
{
  Client *c = client_get(server, address);
  gint64 now = g_get_monotonic_time();
  double per_us = server->limits.traces_per_minute / (60.0 * G_USEC_PER_SEC);
  c->trace_tokens =
      MIN(server->limits.traces_per_minute, c->trace_tokens + (now - c->refilled_us) * per_us);
  c->refilled_us = now;
  if (c->trace_tokens < 1.0)
    return FALSE;
  c->trace_tokens -= 1.0;
  return TRUE;
}

/* The name of the query token the request carries, or NULL. */
static const char *
trace_token_name(RegistryServer *server, SoupServerMessage *msg)
{
  const char *auth =
      soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Authorization");
  if (auth == NULL || !g_str_has_prefix(auth, "Bearer "))
    return NULL;
  const char *given = auth + strlen("Bearer ");
  const char *name = NULL;
  /* each compared in constant time, all of them always, so the answer's timing tells
   * nothing of any token */
  for (guint i = 0; i < server->tokens->len; i++) {
    const RegistryQueryToken *t = &g_array_index(server->tokens, RegistryQueryToken, i);
    gsize len = strlen(t->secret);
    if (strlen(given) == len && sodium_memcmp(given, t->secret, len) == 0)
      name = t->name;
  }
  return name;
}

/* Tracing answers whole weapon histories: only to a named token, at a bounded rate per
 * client, and every answer and refusal is in the log. */
static gboolean
trace_allowed(RegistryServer *server, SoupServerMessage *msg, const char *marking)
{
  const char *address = soup_server_message_get_remote_host(msg);
  g_autofree char *shown = g_strescape(marking, NULL);
  if (!trace_rate_ok(server, address)) {
    if (refusal_not_logged_lately(client_get(server, address)))
      server_log(G_LOG_LEVEL_WARNING, address, NULL, marking,
                 "trace refused: %s is over its %u requests a minute", address,
                 server->limits.traces_per_minute);
    soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Retry-After",
                                 "60");
    reply_now(msg, 429, "Too many trace requests from this address: wait a minute.");
    return FALSE;
  }
  if (server->tokens->len == 0) {
    reply_now(msg, 403, "Tracing over HTTPS is off on this registry (no --query-tokens).");
    return FALSE;
  }
  const char *name = trace_token_name(server, msg);
  if (name == NULL) {
    server_log(G_LOG_LEVEL_WARNING, address, NULL, marking,
               "trace refused: no or wrong query token from %s (marking \"%s\")", address, shown);
    reply_now(msg, 401, "The trace API needs a query token of this registry.");
    return FALSE;
  }
  server_log(G_LOG_LEVEL_MESSAGE, address, name, marking,
             "trace of marking \"%s\" by token \"%s\" from %s", shown, name, address);
  return TRUE;
}

static void
handle(SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
       gpointer user_data)
{
  RegistryServer *server = user_data;
  JobKind kind;
  if (!route(msg, path, &kind))
    return reply_now(msg, 404, "No such endpoint: see docs/sync-protocol.md.");
  const char *marking = query != NULL ? g_hash_table_lookup(query, "marking") : NULL;
  if (kind == JOB_TRACE && (marking == NULL || *marking == '\0'))
    return reply_now(msg, 400, "Give the marking to trace: /v1/trace?marking=TEXT");
  if (kind == JOB_TRACE && !trace_allowed(server, msg, marking))
    return;
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

/* ---- the server ---- */

void
registry_server_free(RegistryServer *server)
{
  if (server == NULL)
    return;
  if (server->accept_source != NULL)
    g_source_destroy(server->accept_source);
  if (server->resume_source != NULL)
    g_source_destroy(server->resume_source);
  g_clear_pointer(&server->resume_source, g_source_unref);
  if (server->sweep_source != NULL)
    g_source_destroy(server->sweep_source);
  g_clear_pointer(&server->sweep_source, g_source_unref);
  if (server->listener != NULL)
    g_socket_close(server->listener, NULL);
  while (server->hello.head != NULL)
    pending_free(server->hello.head->data);
  for (GList *l = server->handshake.head; l != NULL; l = l->next)
    pending_drop(l->data);
  if (server->soup != NULL)
    soup_server_disconnect(server->soup);
  if (server->pool != NULL)
    g_thread_pool_free(server->pool, FALSE, TRUE);
  /* Answers queued by the workers hold the messages, handshakes their connections:
   * let them finish. */
  while (g_main_context_pending(server->context) || server->handshake.head != NULL)
    g_main_context_iteration(server->context, server->handshake.head != NULL);
  if (server->soup != NULL)
    g_signal_handlers_disconnect_by_data(server->soup, server);
  g_clear_object(&server->soup);
  /* Connections libsoup still closes later must not call back into a freed server. */
  GHashTableIter it;
  Established *e;
  g_hash_table_iter_init(&it, server->established);
  while (g_hash_table_iter_next(&it, NULL, (gpointer *)&e)) {
    g_object_weak_unref(e->stream, connection_gone, e);
    established_free(e);
  }
  g_clear_pointer(&server->established, g_hash_table_unref);
  if (server->keepalive_peer >= 0)
    close(server->keepalive_peer);
  g_clear_object(&server->listener);
  g_clear_object(&server->cert);
  g_clear_pointer(&server->clients, g_hash_table_unref);
  g_clear_pointer(&server->tokens, g_array_unref);
  g_main_context_unref(server->context);
  g_free(server->conninfo);
  g_free(server->url);
  g_free(server);
}

static gboolean
is_loopback(const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(address);
  return inet != NULL && g_inet_address_get_is_loopback(inet);
}

gboolean
registry_server_check_config(const RegistryServerConfig *config, GError **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(config->address);
  if (inet == NULL) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                "\"%s\" is not an IP address to listen on", config->address);
    return FALSE;
  }
  if (config->n_tokens == 0 && !is_loopback(config->address)) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                "Listening on %s without a query token would let anyone who reaches the "
                "registry trace weapons: give --query-tokens FILE, or listen on 127.0.0.1",
                config->address);
    return FALSE;
  }
  for (guint i = 0; i < config->n_tokens; i++)
    if (strlen(config->tokens[i].secret) < 16) {
      g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                  "The query token \"%s\" is shorter than 16 characters, too easy to guess: "
                  "make a longer one (for example `openssl rand -hex 24`)",
                  config->tokens[i].name);
      return FALSE;
    }
  return TRUE;
}

static void
query_token_clear(gpointer data)
{
  RegistryQueryToken *t = data;
  g_free((char *)t->name);
  g_free((char *)t->secret);
}

GArray *
registry_query_tokens_load(const char *path, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, error))
    return NULL;
  g_autoptr(GArray) tokens = g_array_new(FALSE, TRUE, sizeof(RegistryQueryToken));
  g_array_set_clear_func(tokens, query_token_clear);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    g_auto(GStrv) words = g_strsplit_set(g_strstrip(lines[i]), " \t", -1);
    g_autoptr(GPtrArray) fields = g_ptr_array_new();
    for (guint w = 0; words[w] != NULL; w++)
      if (*words[w] != '\0')
        g_ptr_array_add(fields, words[w]);
    if (fields->len == 0 || *(char *)fields->pdata[0] == '#')
      continue;
    if (fields->len > 2) {
      g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                  "%s, line %u: expected \"NAME SECRET\" (or a lone secret)", path, i + 1);
      return NULL;
    }
    RegistryQueryToken t = {g_strdup(fields->len == 2 ? fields->pdata[0] : "query-token"),
                            g_strdup(fields->pdata[fields->len - 1])};
    g_array_append_val(tokens, t);
  }
  return g_steal_pointer(&tokens);
}

/* What a registry left at 0 gets: connections up to the descriptor limit, less what
 * the database connections, TLS threads and libraries need. */
static RegistryLimits
limits_or_defaults(const RegistryLimits *given, guint workers)
{
  RegistryLimits l = *given;
  if (l.max_connections == 0) {
    struct rlimit r = {0};
    rlim_t soft = getrlimit(RLIMIT_NOFILE, &r) == 0 ? r.rlim_cur : 1024;
    rlim_t reserve = 48 + 2 * (rlim_t)workers;
    l.max_connections = soft > reserve + 16 ? (guint)MIN(soft - reserve, 100000) : 16;
  }
  if (l.max_per_client == 0)
    l.max_per_client = 64;
  if (l.handshake_timeout_s == 0)
    l.handshake_timeout_s = 10;
  if (l.idle_timeout_s == 0)
    l.idle_timeout_s = 30;
  if (l.traces_per_minute == 0)
    l.traces_per_minute = 30;
  return l;
}

/* libsoup 3.2 keeps a connection open after an answer only while it has a listener of
 * its own (request_finished() in soup-server.c). It is given one that can never accept:
 * one end of a socket pair whose other end stays here, silent, until the server goes. */
static gboolean
keep_alive_possible(RegistryServer *server, GError **error)
{
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "socketpair: %s",
                g_strerror(errno));
    return FALSE;
  }
  server->keepalive_peer = pair[1];
  g_autoptr(GSocket) end = g_socket_new_from_fd(pair[0], error);
  if (end == NULL) {
    close(pair[0]);
    return FALSE;
  }
  return soup_server_listen_socket(server->soup, end, 0, error);
}

static gboolean
listen_on(RegistryServer *server, const RegistryServerConfig *config, GError **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(config->address);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(inet, config->port);
  server->listener = g_socket_new(g_inet_address_get_family(inet), G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, error);
  if (server->listener == NULL)
    return FALSE;
  g_socket_set_blocking(server->listener, FALSE);
  g_socket_set_listen_backlog(server->listener, 1024);
  if (!g_socket_bind(server->listener, addr, TRUE, error) ||
      !g_socket_listen(server->listener, error))
    return FALSE;
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address(server->listener, error);
  if (bound == NULL)
    return FALSE;
  g_autofree char *host = g_inet_address_to_string(inet);
  guint port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
  server->url = strchr(host, ':') != NULL ? g_strdup_printf("https://[%s]:%u/", host, port)
                                          : g_strdup_printf("https://%s:%u/", host, port);
  listen_resume(server);
  return TRUE;
}

RegistryServer *
registry_server_start(const RegistryServerConfig *config, GError **error)
{
  if (!registry_server_check_config(config, error))
    return NULL;
  g_autoptr(GTlsCertificate) cert =
      g_tls_certificate_new_from_files(config->cert_file, config->cert_key_file, error);
  if (cert == NULL) {
    g_prefix_error(error, "Loading the TLS certificate %s: ", config->cert_file);
    return NULL;
  }
  guint workers = config->workers ? config->workers : 8;
  g_autoptr(RegistryServer) server = g_new0(RegistryServer, 1);
  server->context = g_main_context_ref_thread_default();
  server->conninfo = g_strdup(config->conninfo);
  server->key = config->key;
  server->cert = g_steal_pointer(&cert);
  server->limits = limits_or_defaults(&config->limits, workers);
  server->clients = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  server->established = g_hash_table_new(NULL, NULL);
  server->keepalive_peer = -1;
  server->tokens = g_array_new(FALSE, TRUE, sizeof(RegistryQueryToken));
  g_array_set_clear_func(server->tokens, query_token_clear);
  for (guint i = 0; i < config->n_tokens; i++) {
    RegistryQueryToken t = {g_strdup(config->tokens[i].name), g_strdup(config->tokens[i].secret)};
    g_array_append_val(server->tokens, t);
  }
  server->soup = soup_server_new("server-header", "muster-registry", NULL);
  soup_server_add_early_handler(server->soup, NULL, check_request, server, NULL);
  soup_server_add_handler(server->soup, NULL, handle, server, NULL);
  g_signal_connect(server->soup, "request-started", G_CALLBACK(request_started), server);
  g_signal_connect(server->soup, "request-read", G_CALLBACK(request_read), server);
  server->sweep_source = g_timeout_source_new_seconds(60);
  g_source_set_callback(server->sweep_source, sweep_clients, server, NULL);
  g_source_attach(server->sweep_source, server->context);
  server->pool = g_thread_pool_new(run_job, server, (int)workers, FALSE, error);
  if (server->pool == NULL || (server_keeps_alive() && !keep_alive_possible(server, error)) ||
      !listen_on(server, config, error)) {
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

guint
registry_server_connections(RegistryServer *server)
{
  return server->open;
}
