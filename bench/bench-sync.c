/*
 * bench-sync.c: pushing an appliance's outbox to the registry on loopback (issue 5).
 *
 *   muster-bench-sync [--events N] [--quick] [--batch N] [--per-appliance N] [--dir DIR]
 *
 * What it does, and why so:
 *  - A throw-away PostgreSQL cluster (tests/sync/test-env.c: initdb in a temp dir, unix
 *    socket, fsync off, so the figures are the registry's work, not this disk's) and a
 *    test CA. The registry runs in this process on its own thread and main loop, with
 *    its real HTTPS server and worker pool; the appliances push over TLS on loopback,
 *    verified against the CA, through the same muster_sync_push() the CLI uses.
 *  - One appliance with N outbox events (1,000,000; --quick 100,000), each the size of
 *    a real item.status event. Writing them is set-up, not timed. Timed: the whole push,
 *    from reading the outbox to the last acknowledgement recorded.
 *  - Figures: events/s end to end; bytes on the wire per event (request and answer
 *    bodies; TLS and HTTP headers add about 1 %); the registry's apply rate as the
 *    database saw it (events over the span of the storing transactions' start times).
 *  - Scaling: 1, 4 and 16 appliances pushing --per-appliance events each (50,000) at
 *    once; aggregate events/s. On a 2-core machine the clients, the TLS server and
 *    PostgreSQL share the cores, so this shows contention as much as scaling.
 * Goal: the 1,000,000-event push in under 60 s.
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <stdio.h>

#include "db/outbox.h"
#include "db/store.h"
#include "registry/registry-db.h"
#include "registry/server.h"
#include "sync/client.h"
#include "test-env.h"

#define GOAL_SECONDS 60.0

typedef struct {
  char *conninfo;
  MusterSyncKey *key;
  char *url;
  GMainLoop *loop;
  GMutex lock;
  GCond ready;
} Registry;

static gpointer
registry_thread(gpointer data)
{
  Registry *r = data;
  GMainContext *ctx = g_main_context_new();
  g_main_context_push_thread_default(ctx);
  g_autoptr(GError) error = NULL;
  RegistryServerConfig config = {r->conninfo,           "127.0.0.1", 0,  test_env_server_cert(),
                                 test_env_server_key(), r->key,      16, NULL};
  RegistryServer *server = registry_server_start(&config, &error);
  if (server == NULL)
    g_error("Starting the registry: %s", error->message);
  g_mutex_lock(&r->lock);
  r->url = g_strdup(registry_server_url(server));
  r->loop = g_main_loop_new(ctx, FALSE);
  g_cond_signal(&r->ready);
  g_mutex_unlock(&r->lock);
  g_main_loop_run(r->loop);
  registry_server_free(server);
  g_main_context_pop_thread_default(ctx);
  g_main_context_unref(ctx);
  return NULL;
}

static JsonNode *
event_payload(void)
{
  return json_from_string(
      "{\"uuid\":\"0b7d1c4e-5a6f-4f7e-9a0b-1c2d3e4f5a6b\",\"manufacturer\":\"Heckler & Koch\","
      "\"serial\":\"20-659225\",\"by\":\"sgt.okafor\",\"at\":\"2026-11-25T20:14:57.123Z\","
      "\"old_status\":\"in_store\",\"status\":\"issued\",\"old_custodian\":null,"
      "\"custodian\":\"2nd battalion, B company\",\"reason\":\"exercise order 2026/114\"}",
      NULL);
}

/* An appliance database with n outbox events, enrolled at the registry. */
static MusterStore *
make_appliance(const char *dir, guint index, gint64 n, RegistryDb *db, MusterSyncKey **key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf("armoury-%u.db", index);
  g_autofree char *path = g_build_filename(dir, name, NULL);
  g_autofree char *code = g_strdup_printf("ARM-%02u", index);
  MusterStore *store = muster_store_create(path, code, "Benchmark armoury", &error);
  g_autofree char *key_path = g_strconcat(path, ".sync-key", NULL);
  *key = store ? muster_sync_key_load_or_create(key_path, &error) : NULL;
  if (*key == NULL || !muster_store_begin(store, &error))
    g_error("Setting up an appliance: %s", error->message);
  g_autoptr(JsonNode) payload = event_payload();
  for (gint64 i = 0; i < n; i++) {
    g_autofree char *uuid = muster_uuid_new();
    if (!muster_outbox_append(store, "item.status", uuid, payload, &error))
      g_error("Filling the outbox: %s", error->message);
  }
  g_autofree char *pk = muster_sync_key_public_b64(*key);
  if (!muster_store_commit(store, &error) ||
      !registry_db_enroll(db, muster_store_armoury_uuid(store), code, pk, FALSE, &error))
    g_error("Setting up an appliance: %s", error->message);
  return store;
}

typedef struct {
  MusterStore *store;
  MusterSyncKey *key;
  const char *url;
  guint batch;
  MusterPushStats stats;
} Pusher;

static gpointer
push_thread(gpointer data)
{
  Pusher *p = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterSyncClient) c = muster_sync_client_new(p->url, test_env_ca(), &error);
  if (c == NULL || !muster_sync_push(p->store, p->key, c, p->batch, &p->stats, &error))
    g_error("Pushing: %s", error->message);
  return NULL;
}

static double
pg_double(const char *conninfo, const char *sql)
{
  PGconn *c = PQconnectdb(conninfo);
  PGresult *r = PQexec(c, sql);
  double v = PQresultStatus(r) == PGRES_TUPLES_OK ? g_ascii_strtod(PQgetvalue(r, 0, 0), NULL) : 0;
  PQclear(r);
  PQfinish(c);
  return v;
}

/* k appliances with n events each push at once; returns the wall time. */
static double
run_round(const char *dir, Registry *reg, RegistryDb *db, guint k, gint64 n, guint batch,
          MusterPushStats *total)
{
  Pusher *p = g_new0(Pusher, k);
  GThread **threads = g_new0(GThread *, k);
  for (guint i = 0; i < k; i++) {
    static guint serial;
    p[i].store = make_appliance(dir, ++serial, n, db, &p[i].key);
    p[i].url = reg->url;
    p[i].batch = batch;
  }
  gint64 t0 = g_get_monotonic_time();
  for (guint i = 0; i < k; i++)
    threads[i] = g_thread_new("push", push_thread, &p[i]);
  memset(total, 0, sizeof *total);
  for (guint i = 0; i < k; i++) {
    g_thread_join(threads[i]);
    total->events += p[i].stats.events;
    total->batches += p[i].stats.batches;
    total->bytes_sent += p[i].stats.bytes_sent;
    total->bytes_received += p[i].stats.bytes_received;
    muster_store_free(p[i].store);
    muster_sync_key_free(p[i].key);
  }
  double s = (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
  g_free(p);
  g_free(threads);
  return s;
}

int
main(int argc, char **argv)
{
  gint64 events = 1000000, per_appliance = 50000;
  gboolean quick = FALSE;
  int batch = 2000;
  g_autofree char *dir_opt = NULL;
  const GOptionEntry entries[] = {
      {"events", 0, 0, G_OPTION_ARG_INT64, &events, "events of the single push", "N"},
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "100,000 and 10,000 per appliance", NULL},
      {"batch", 0, 0, G_OPTION_ARG_INT, &batch, "events per batch (2000)", "N"},
      {"per-appliance", 0, 0, G_OPTION_ARG_INT64, &per_appliance,
       "events per appliance when "
       "scaling (50,000)",
       "N"},
      {"dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_opt, "where the appliance databases go", "DIR"},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- sync push benchmark");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    g_printerr("muster-bench-sync: %s\n", error->message);
    return 2;
  }
  if (quick) {
    events = 100000;
    per_appliance = 10000;
  }
  if (!test_env_start())
    return 1;
  g_autofree char *tmpl =
      g_build_filename(dir_opt ? dir_opt : g_get_tmp_dir(), "muster-bench-sync-XXXXXX", NULL);
  char *dir = g_mkdtemp(tmpl);
  Registry reg = {test_env_new_database(), g_new0(MusterSyncKey, 1)};
  crypto_sign_keypair(reg.key->public_key, reg.key->secret_key);
  g_autoptr(RegistryDb) db = registry_db_connect(reg.conninfo, &error);
  if (db == NULL || !registry_db_migrate(db, &error))
    g_error("The registry's database: %s", error->message);
  g_mutex_init(&reg.lock);
  g_cond_init(&reg.ready);
  g_mutex_lock(&reg.lock);
  GThread *server = g_thread_new("registry", registry_thread, &reg);
  while (reg.url == NULL)
    g_cond_wait(&reg.ready, &reg.lock);
  g_mutex_unlock(&reg.lock);

  MusterPushStats st;
  double s = run_round(dir, &reg, db, 1, events, (guint)batch, &st);
  double apply_span = pg_double(reg.conninfo, "SELECT extract(epoch FROM max(received_at) - "
                                              "min(received_at)) FROM event");
  double stored = pg_double(reg.conninfo, "SELECT count(*) FROM event");
  printf("events=%" G_GINT64_FORMAT "\nbatch_events=%d\nbatches=%" G_GINT64_FORMAT
         "\npush_seconds=%.2f\npush_events_per_s=%.0f\nwire_bytes_per_event=%.1f\n"
         "registry_stored=%.0f\nregistry_apply_events_per_s=%.0f\n",
         st.events, batch, st.batches, s, st.events / s,
         (double)(st.bytes_sent + st.bytes_received) / (double)st.events, stored,
         apply_span > 0 ? stored / apply_span : 0);
  gboolean met = s < GOAL_SECONDS * (double)events / 1e6 && stored == (double)st.events;
  printf("goal_push_under_60s_per_million=%s\n", met ? "ok" : "MISSED");
  fflush(stdout);
  const guint fleet[] = {1, 4, 16};
  for (guint i = 0; i < G_N_ELEMENTS(fleet); i++) {
    double fs = run_round(dir, &reg, db, fleet[i], per_appliance, (guint)batch, &st);
    printf("appliances_%u_events=%" G_GINT64_FORMAT "\nappliances_%u_seconds=%.2f\n"
           "appliances_%u_events_per_s=%.0f\n",
           fleet[i], st.events, fleet[i], fs, fleet[i], st.events / fs);
    fflush(stdout);
  }
  printf("RESULT: %s\n", met ? "all sync goals met" : "MISSED (see the goals above)");
  g_main_loop_quit(reg.loop);
  g_thread_join(server);
  g_main_loop_unref(reg.loop);
  test_env_stop();
  const char *rm[] = {"rm", "-rf", dir, NULL};
  g_spawn_sync(NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_free(reg.conninfo);
  g_free(reg.url);
  muster_sync_key_free(reg.key);
  return 0;
}
