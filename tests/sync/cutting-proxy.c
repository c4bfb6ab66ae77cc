/*
 * cutting-proxy.c: see cutting-proxy.h.
 */
#include "cutting-proxy.h"

/* Bytes from the client after which the next server bytes are its answer. */
#define REQUEST_BYTES 4096
/* How much of that answer gets through before the cut. */
#define PARTIAL_ANSWER 7

struct _CuttingProxy {
  GSocket *listener;
  guint16 upstream_port;
  guint16 port;
  GThread *acceptor;
  gint cuts_left;
  gint cuts_done;
  gint stopping;
  gint links; /* still running: freed only when none are */
};

typedef struct {
  CuttingProxy *proxy;
  GSocket *client;
  GSocket *server;
  gint sent_by_client;
  gboolean cut;
} Link;

static void
close_link(Link *l)
{
  g_socket_shutdown(l->client, TRUE, TRUE, NULL);
  g_socket_shutdown(l->server, TRUE, TRUE, NULL);
}

static gpointer
client_to_server(gpointer data)
{
  Link *l = data;
  char buf[16384];
  gssize n;
  while ((n = g_socket_receive(l->client, buf, sizeof buf, NULL, NULL)) > 0) {
    g_atomic_int_add(&l->sent_by_client, (gint)n);
    if (g_socket_send(l->server, buf, (gsize)n, NULL, NULL) != n)
      break;
  }
  close_link(l);
  return NULL;
}

static void
server_to_client(Link *l)
{
  char buf[16384];
  gssize n;
  while ((n = g_socket_receive(l->server, buf, sizeof buf, NULL, NULL)) > 0) {
    if (l->cut && g_atomic_int_get(&l->sent_by_client) > REQUEST_BYTES) {
      g_socket_send(l->client, buf, MIN((gsize)n, PARTIAL_ANSWER), NULL, NULL);
      g_atomic_int_inc(&l->proxy->cuts_done);
      break;
    }
    if (g_socket_send(l->client, buf, (gsize)n, NULL, NULL) != n)
      break;
  }
  close_link(l);
}

static gpointer
serve_link(gpointer data)
{
  Link *l = data;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) up = g_inet_socket_address_new(lo, l->proxy->upstream_port);
  l->server = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  if (l->server != NULL && g_socket_connect(l->server, up, NULL, NULL)) {
    GThread *back = g_thread_new("proxy-up", client_to_server, l);
    server_to_client(l);
    g_thread_join(back);
  }
  g_clear_object(&l->server);
  g_object_unref(l->client);
  g_atomic_int_dec_and_test(&l->proxy->links);
  g_free(l);
  return NULL;
}

static gpointer
accept_loop(gpointer data)
{
  CuttingProxy *p = data;
  GSocket *client;
  while ((client = g_socket_accept(p->listener, NULL, NULL)) != NULL) {
    if (g_atomic_int_get(&p->stopping)) {
      g_object_unref(client);
      break;
    }
    Link *l = g_new0(Link, 1);
    l->proxy = p;
    l->client = client;
    l->cut = g_atomic_int_add(&p->cuts_left, -1) > 0;
    g_atomic_int_inc(&p->links);
    g_thread_unref(g_thread_new("proxy-link", serve_link, l));
  }
  return NULL;
}

CuttingProxy *
cutting_proxy_new(guint16 upstream_port, guint cuts)
{
  CuttingProxy *p = g_new0(CuttingProxy, 1);
  p->upstream_port = upstream_port;
  p->cuts_left = (gint)cuts;
  p->listener =
      g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new(lo, 0);
  g_assert_true(g_socket_bind(p->listener, any, TRUE, NULL));
  g_assert_true(g_socket_listen(p->listener, NULL));
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address(p->listener, NULL);
  p->port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
  p->acceptor = g_thread_new("proxy-accept", accept_loop, p);
  return p;
}

guint16
cutting_proxy_port(CuttingProxy *proxy)
{
  return proxy->port;
}

guint
cutting_proxy_cuts_done(CuttingProxy *proxy)
{
  return (guint)g_atomic_int_get(&proxy->cuts_done);
}

void
cutting_proxy_free(CuttingProxy *proxy)
{
  g_atomic_int_set(&proxy->stopping, 1);
  g_socket_shutdown(proxy->listener, TRUE, TRUE, NULL);
  g_socket_close(proxy->listener, NULL);
  g_thread_join(proxy->acceptor);
  while (g_atomic_int_get(&proxy->links) > 0)
    g_usleep(1000);
  g_object_unref(proxy->listener);
  g_free(proxy);
}
