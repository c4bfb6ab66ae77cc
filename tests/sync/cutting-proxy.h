/*
 * cutting-proxy.h: a TCP proxy for fault tests that drops connections in mid-answer.
 *
 * It forwards bytes both ways without looking into TLS. For the first `cuts`
 * connections, once the client has sent more than a request's worth of bytes (a
 * batch, so the TLS handshake is over and the request is complete), the server's next
 * bytes (its answer, which the registry sends only after it committed) are forwarded
 * in part and the connection is then closed. The client sees an answer cut off; the
 * registry has stored the batch.
 */
#pragma once
#include <gio/gio.h>

typedef struct _CuttingProxy CuttingProxy;

/* Listens on 127.0.0.1 (any port) and forwards to upstream_port. */
CuttingProxy *cutting_proxy_new(guint16 upstream_port, guint cuts);
guint16 cutting_proxy_port(CuttingProxy *proxy);
guint cutting_proxy_cuts_done(CuttingProxy *proxy);
void cutting_proxy_free(CuttingProxy *proxy);
