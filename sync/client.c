/*
 * client.c: HTTPS push and pull, and the background runner. See client.h.
 */
#include "sync/client.h"
#include "core/log-event.h"

#include "db/sync-state.h"
#include "protocol/batch.h"
#include "sync/apply.h"
#include "sync/outbox-batch.h"
#include <curl/curl.h>

struct _MusterSyncClient {
  CURL *curl;
  char *url;
  char *ca_file;
  guint timeout_s;
};

static gsize
collect(char *data, gsize size, gsize n, void *user)
{
  g_byte_array_append(user, (const guint8 *)data, (guint)(size * n));
  return size * n;
}

/* Keeps the Muster-Signature header of the answer. */
static gsize
header_line(char *data, gsize size, gsize n, void *user)
{
  static const char name[] = "muster-signature:";
  gsize len = size * n;
  if (len > sizeof name - 1 && g_ascii_strncasecmp(data, name, sizeof name - 1) == 0) {
    g_autofree char *value = g_strndup(data + sizeof name - 1, len - (sizeof name - 1));
    g_free(*(char **)user);
    *(char **)user = g_strdup(g_strstrip(value));
  }
  return len;
}

MusterSyncClient *
muster_sync_client_new(const char *url, const char *ca_file, GError **error)
{
  static gsize curl_ready = 0;
  if (g_once_init_enter(&curl_ready))
    g_once_init_leave(&curl_ready, curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 1 : 2);
  if (url == NULL || !g_str_has_prefix(url, "https://")) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The registry address \"%s\" must start with https://; configure it with "
                "'muster sync configure --url'.",
                url != NULL ? url : "");
    return NULL;
  }
  MusterSyncClient *c = g_new0(MusterSyncClient, 1);
  c->curl = curl_easy_init();
  c->url = g_strdup(url);
  while (g_str_has_suffix(c->url, "/"))
    c->url[strlen(c->url) - 1] = '\0';
  c->ca_file = g_strdup(ca_file);
  c->timeout_s = 60;
  return c;
}

void
muster_sync_client_free(MusterSyncClient *client)
{
  if (client == NULL)
    return;
  curl_easy_cleanup(client->curl);
  g_free(client->url);
  g_free(client->ca_file);
  g_free(client);
}

void
muster_sync_client_set_timeout(MusterSyncClient *client, guint seconds)
{
  client->timeout_s = seconds;
}

MusterSigned *
muster_sync_client_post(MusterSyncClient *client, const char *path, const MusterSigned *request,
                        guint *status, GError **error)
{
  CURL *h = client->curl;
  gsize len = 0;
  const void *body = g_bytes_get_data(request->body, &len);
  g_autofree char *url = g_strconcat(client->url, path, NULL);
  g_autofree char *sig_header = g_strconcat("Muster-Signature: ", request->signature, NULL);
  /* The registry looks the armoury's key up from this header and checks the signature
   * before it parses the body; the body must then name the same armoury. */
  g_autofree char *armoury_header =
      g_strconcat("Muster-Armoury: ", request->armoury != NULL ? request->armoury : "", NULL);
  struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
  headers = curl_slist_append(headers, sig_header);
  headers = curl_slist_append(headers, armoury_header);
  headers = curl_slist_append(headers, "Expect:"); /* no 100-continue round trip */
  g_autoptr(GByteArray) answer = g_byte_array_new();
  g_autofree char *answer_sig = NULL;
  char errbuf[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, answer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_line);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &answer_sig);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
  if (client->ca_file != NULL)
    curl_easy_setopt(h, CURLOPT_CAINFO, client->ca_file);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)client->timeout_s);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(h);
  curl_slist_free_all(headers);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  *status = (guint)code;
  if (rc != CURLE_OK) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO,
                "Reaching the registry at %s: %s. Nothing is lost: the events stay queued and "
                "are sent again.",
                url, errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
    return NULL;
  }
  return muster_signed_new(g_byte_array_free_to_bytes(g_steal_pointer(&answer)), answer_sig);
}

/* ---- push and pull ------------------------------------------------------------------ */

/* A signed batch of the events after seq after, ready to send; last is its last seq.
 * NULL without error when nothing is left. */
typedef struct {
  MusterSigned *req;
  gint64 after;
  gint64 last;
} Prepared;

static gboolean
prepare(MusterStore *store, const MusterSyncKey *key, gint64 after, guint batch_events, Prepared *p,
        GError **error)
{
  p->req = NULL;
  p->after = after;
  g_autoptr(GPtrArray) events = muster_sync_outbox_after(store, after, batch_events, error);
  if (events == NULL)
    return FALSE;
  if (events->len > 0) {
    p->req = muster_sync_sign_batch(store, key, events, NULL);
    p->last = ((MusterOutboxEvent *)g_ptr_array_index(events, events->len - 1))->seq;
  }
  return TRUE;
}

/* One POST on a worker thread, so that the next batch is read, encoded and signed
 * while this one crosses the network and the registry stores it. The client is used
 * by this thread only while the request is in flight; the store never leaves the
 * caller's thread. */
typedef struct {
  MusterSyncClient *client;
  const MusterSigned *req;
  MusterSigned *answer;
  guint status;
  GError *error;
} InFlight;

static gpointer
post_thread(gpointer data)
{
  InFlight *f = data;
  f->answer = muster_sync_client_post(f->client, "/v1/batches", f->req, &f->status, &f->error);
  return NULL;
}

/* Handles the answer to the batch sent after seq after; *acked is where to go on. */
static gboolean
take_answer(MusterStore *store, InFlight *f, gint64 after, gint64 *acked, MusterPushStats *stats,
            GError **error)
{
  stats->batches++;
  stats->bytes_sent += (gint64)g_bytes_get_size(f->req->body);
  if (f->answer == NULL) {
    g_propagate_error(error, g_steal_pointer(&f->error));
    return FALSE;
  }
  stats->bytes_received += (gint64)g_bytes_get_size(f->answer->body);
  gboolean out_of_order = FALSE;
  if (!muster_sync_check_answer(store, f->answer, FALSE, error) ||
      !muster_sync_apply_ack(store, f->answer, f->req->nonce, acked, &out_of_order, error))
    return FALSE;
  if (*acked == after) { /* out of order, yet the registry holds exactly what we sent from */
    g_autofree char *text = g_strndup(g_bytes_get_data(f->answer->body, NULL),
                                      MIN(g_bytes_get_size(f->answer->body), 200));
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The registry made no progress on events %" G_GINT64_FORMAT " on (HTTP %u): %s",
                after + 1, f->status, text);
    return FALSE;
  }
  return TRUE;
}

/* Sends cur and prepares the following batch meanwhile, assuming cur is stored whole;
 * if the registry answers otherwise, that guess is dropped and made again from where
 * it stands. */
static gboolean
push_step(MusterStore *store, const MusterSyncKey *key, MusterSyncClient *client, guint batch,
          Prepared *cur, MusterPushStats *stats, gint64 *acked, GError **error)
{
  InFlight f = {client, cur->req, NULL, 0, NULL};
  GThread *t = g_thread_new("muster-sync-post", post_thread, &f);
  Prepared next = {NULL, 0, 0};
  g_autoptr(GError) prep_error = NULL;
  gboolean prepared = prepare(store, key, cur->last, batch, &next, &prep_error);
  g_thread_join(t);
  gboolean ok = take_answer(store, &f, cur->after, acked, stats, error);
  g_clear_pointer(&f.answer, muster_signed_free);
  g_clear_error(&f.error);
  g_clear_pointer(&cur->req, muster_signed_free);
  if (ok && prepared && *acked == cur->last) {
    *cur = next;
    return TRUE;
  }
  g_clear_pointer(&next.req, muster_signed_free);
  if (ok && !prepared) {
    g_propagate_error(error, g_steal_pointer(&prep_error));
    return FALSE;
  }
  return ok && prepare(store, key, *acked, batch, cur, error);
}

gboolean
muster_sync_push(MusterStore *store, const MusterSyncKey *key, MusterSyncClient *client,
                 guint batch_events, MusterPushStats *stats, GError **error)
{
  MusterPushStats local = {0};
  if (stats == NULL)
    stats = &local;
  memset(stats, 0, sizeof *stats);
  guint batch = batch_events ? batch_events : MUSTER_BATCH_DEFAULT_EVENTS;
  g_autoptr(MusterSyncState) state = NULL;
  if (!muster_sync_anchor_audit(store, error) ||
      (state = muster_sync_state_get(store, error)) == NULL)
    return FALSE;
  gint64 start = state->acked_seq, acked = start;
  Prepared cur = {NULL, 0, 0};
  if (!prepare(store, key, start, batch, &cur, error))
    return FALSE;
  while (cur.req != NULL) {
    if (!push_step(store, key, client, batch, &cur, stats, &acked, error)) {
      g_clear_pointer(&cur.req, muster_signed_free);
      g_prefix_error(error, "Sending events to the registry: ");
      return FALSE;
    }
    stats->events = MAX(stats->events, acked - start);
  }
  return TRUE;
}

gboolean
muster_sync_pull(MusterStore *store, const MusterSyncKey *key, MusterSyncClient *client,
                 gint64 *applied, GError **error)
{
  gboolean more = TRUE;
  *applied = 0;
  while (more) {
    g_autoptr(MusterSigned) req = muster_sync_pull_request(store, key, error);
    guint status = 0;
    g_autoptr(MusterSigned) answer =
        req != NULL ? muster_sync_client_post(client, "/v1/changes", req, &status, error) : NULL;
    if (answer == NULL || !muster_sync_check_answer(store, answer, FALSE, error))
      return FALSE;
    gint64 n = 0;
    if (!muster_sync_apply_changes(store, answer, req->nonce, &n, &more, error)) {
      g_prefix_error(error, "Applying the registry's changes: ");
      return FALSE;
    }
    *applied += n;
  }
  return TRUE;
}

static void
log_sync_done(const char *url, const MusterPushStats *pushed, gint64 applied)
{
  g_autofree char *events = g_strdup_printf("%" G_GINT64_FORMAT, pushed->events);
  g_autofree char *pulled = g_strdup_printf("%" G_GINT64_FORMAT, applied);
  const char *const fields[] = {"MUSTER_REGISTRY", url, "MUSTER_EVENTS_SENT", events,
                                "MUSTER_CHANGES_APPLIED", pulled, NULL};
  muster_log_event(MUSTER_EVENT_SYNC_DONE, fields,
                   "Sync with %s done: %s events sent, %s changes applied", url, events, pulled);
}

gboolean
muster_sync_now(MusterStore *store, const MusterSyncKey *key, GError **error)
{
  g_autoptr(MusterSyncState) state = muster_sync_state_get(store, error);
  if (state == NULL)
    return FALSE;
  g_autoptr(MusterSyncClient) client =
      muster_sync_client_new(state->registry_url, state->registry_ca, error);
  gint64 applied = 0;
  MusterPushStats pushed = {0};
  GError *failure = NULL;
  if (client != NULL && muster_sync_push(store, key, client, 0, &pushed, &failure) &&
      muster_sync_pull(store, key, client, &applied, &failure)) {
    if (!muster_sync_record_success(store, error))
      return FALSE;
    log_sync_done(state->registry_url, &pushed, applied);
    return TRUE;
  }
  if (failure == NULL)
    return FALSE; /* not configured: nothing was attempted */
  muster_sync_record_failure(store, failure->message, NULL);
  const char *const fields[] = {"MUSTER_REGISTRY", state->registry_url, NULL};
  muster_log_event(MUSTER_EVENT_SYNC_FAILED, fields, "Sync with %s failed: %s",
                   state->registry_url, failure->message);
  g_propagate_error(error, failure);
  return FALSE;
}

/* ---- background --------------------------------------------------------------------- */

struct _MusterSyncRunner {
  GThread *thread;
  GMutex lock;
  GCond wake;
  gboolean triggered;
  gboolean stopping;
  char *db_path;
  char *key_path;
  guint interval_s;
};

guint
muster_sync_backoff_s(guint interval_s, gint64 failures)
{
  if (failures <= 0)
    return interval_s;
  guint delay = 30u << MIN(failures - 1, 7); /* 30 s, 1 min, ... capped at 1 h below */
  delay = MIN(delay, 3600u);
  return delay + (guint)g_random_int_range(0, (gint32)(delay / 5 + 1));
}

static gint64
attempt(MusterSyncRunner *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = muster_store_open(r->db_path, &error);
  g_autofree char *key_path = g_strdup(r->key_path);
  g_autoptr(MusterSyncKey) key = store ? muster_sync_key_load_or_create(key_path, &error) : NULL;
  if (key != NULL && !muster_sync_now(store, key, &error))
    g_message("Sync with the registry failed (will retry): %s", error->message);
  else if (error != NULL)
    g_warning("Sync could not start: %s", error->message);
  g_autoptr(MusterSyncState) state = store ? muster_sync_state_get(store, NULL) : NULL;
  return state != NULL ? state->failures : 1;
}

static gpointer
run(gpointer data)
{
  MusterSyncRunner *r = data;
  g_mutex_lock(&r->lock);
  while (!r->stopping) {
    /* Cleared before the attempt: a trigger during it asks for another one. */
    r->triggered = FALSE;
    g_mutex_unlock(&r->lock);
    gint64 failures = attempt(r);
    g_mutex_lock(&r->lock);
    gint64 until = g_get_monotonic_time() +
                   (gint64)muster_sync_backoff_s(r->interval_s, failures) * G_USEC_PER_SEC;
    while (!r->stopping && !r->triggered)
      if (!g_cond_wait_until(&r->wake, &r->lock, until))
        break;
  }
  g_mutex_unlock(&r->lock);
  return NULL;
}

MusterSyncRunner *
muster_sync_runner_start(const char *db_path, const char *key_path, guint interval_s)
{
  MusterSyncRunner *r = g_new0(MusterSyncRunner, 1);
  g_mutex_init(&r->lock);
  g_cond_init(&r->wake);
  r->db_path = g_strdup(db_path);
  r->key_path = g_strdup(key_path);
  r->interval_s = interval_s;
  r->thread = g_thread_new("muster-sync", run, r);
  return r;
}

void
muster_sync_runner_trigger(MusterSyncRunner *runner)
{
  g_mutex_lock(&runner->lock);
  runner->triggered = TRUE;
  g_cond_signal(&runner->wake);
  g_mutex_unlock(&runner->lock);
}

void
muster_sync_runner_stop(MusterSyncRunner *runner)
{
  if (runner == NULL)
    return;
  g_mutex_lock(&runner->lock);
  runner->stopping = TRUE;
  g_cond_signal(&runner->wake);
  g_mutex_unlock(&runner->lock);
  g_thread_join(runner->thread);
  g_mutex_clear(&runner->lock);
  g_cond_clear(&runner->wake);
  g_free(runner->db_path);
  g_free(runner->key_path);
  g_free(runner);
}
