/*
 * envelope.h: a signed document, as it crosses HTTPS or travels in a sync file.
 *
 * Every request (a batch, a pull request) and every answer is a body with a detached
 * Ed25519 signature over exactly its bytes (protocol/keys.h). The same envelope goes over
 * HTTPS (the signature in the Muster-Signature header) and into sync files
 * (protocol/media-file.h), so both paths hand the same thing to the same checks.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GBytes *body;
  char *signature; /* base64 */
  /* Requests only, NULL otherwise: the armoury sending it, named outside the body
   * (Muster-Armoury) so the registry verifies before it parses, and the nonce in the
   * body, which the answer must name. */
  char *armoury;
  char *nonce;
} MusterSigned;

MusterSigned *muster_signed_new(GBytes *body, const char *signature); /* takes body */
MusterSigned *muster_signed_request(GBytes *body, const char *signature, const char *armoury,
                                    const char *nonce); /* takes body */
void muster_signed_free(MusterSigned *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterSigned, muster_signed_free)
/* Whether the body is a pull request (else a batch). */
gboolean muster_signed_is_pull(const MusterSigned *s);

G_END_DECLS
