/*
 * envelope.c: signed documents. See envelope.h.
 */
#include "protocol/envelope.h"

#include <string.h>

MusterSigned *
muster_signed_new(GBytes *body, const char *signature)
{
  MusterSigned *s = g_new0(MusterSigned, 1);
  s->body = body;
  s->signature = g_strdup(signature);
  return s;
}

MusterSigned *
muster_signed_request(GBytes *body, const char *signature, const char *armoury, const char *nonce)
{
  MusterSigned *s = muster_signed_new(body, signature);
  s->armoury = g_strdup(armoury);
  s->nonce = g_strdup(nonce);
  return s;
}

void
muster_signed_free(MusterSigned *s)
{
  if (s == NULL)
    return;
  g_bytes_unref(s->body);
  g_free(s->signature);
  g_free(s->armoury);
  g_free(s->nonce);
  g_free(s);
}

gboolean
muster_signed_is_pull(const MusterSigned *s)
{
  gsize len = 0;
  const char *body = g_bytes_get_data(s->body, &len);
  static const char head[] = "{\"format\":\"muster-pull/1\"";
  return len >= sizeof head - 1 && memcmp(body, head, sizeof head - 1) == 0;
}
