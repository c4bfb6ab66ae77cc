/*
 * answer.h: the registry's answers to appliances, the same over HTTPS and on media.
 *
 * Each function runs one request against the store and returns the JSON answer with
 * the HTTP status it stands for; failures are answers too ({"error":CODE,"message":..,
 * "acked":N}), so that a removable-media answer file carries exactly what an online
 * appliance would have been told.
 */
#pragma once
#include "registry/registry-db.h"

G_BEGIN_DECLS

/* Changes per pull answer. */
#define REGISTRY_PULL_LIMIT 1000

/* armoury: the sender the request names outside its signed body (the Muster-Armoury
 * header, or the sync file's "armoury"), whose key verifies it before it is parsed.
 * Answers to a verified batch name the armoury and the batch's nonce; a changes document
 * names the pull request's nonce. */
char *registry_answer_batch(RegistryDb *db, const char *armoury, const void *body, gsize len,
                            const char *signature, guint *http_status);
char *registry_answer_pull(RegistryDb *db, const char *armoury, const void *body, gsize len,
                           const char *signature, guint *http_status);
/* An error answer for a request that never reached the store. */
char *registry_answer_error(const GError *error, gint64 acked, guint *http_status);

G_END_DECLS
