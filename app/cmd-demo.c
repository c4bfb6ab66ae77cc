/*
 * cmd-demo.c: `muster demo`: a whole stock count on a synthetic armoury.
 *
 * What an administrator runs first. It creates a new database with a few thousand
 * realistic weapons and a handful of planted problems (missing, misplaced, unknown,
 * unmarked, status conflicts, duplicate and mismatched markings, a cloned tag), has a
 * counter and a witness count the whole armoury with the simulated reader, closes and
 * reconciles the count, prints the reconciliation, and checks that every planted
 * problem was found and nothing else.
 *
 * Everything goes through the same engine calls the kiosk and the other commands use.
 */
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/output.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/reconcile.h"
#include "demo/demo.h"
#include "drivers/sim/sim-feed.h"

static int run_demo(int argc, char **argv);

enum { CMD_DEMO, N_CMDS };

const MusterCliCommand muster_cmd_demo[] = {
    [CMD_DEMO] = {"demo", "[--items N] [--seed S]",
                  "Create a demo armoury and run a complete count from the simulated reader",
                  run_demo},
    [N_CMDS] = {NULL}};

/* The demo's people. PINs are printed so the administrator can carry on by hand. */
static const struct {
  const char *name, *full_name;
  MusterRole role;
} people[] = {
    {"cpl.okafor", "Cpl. Adaeze Okafor", MUSTER_ROLE_STAFF},
    {"pte.lindqvist", "Pte. Erik Lindqvist", MUSTER_ROLE_STAFF},
    {"lt.haddad", "Lt. Samira Haddad", MUSTER_ROLE_SUPERVISOR},
    {"capt.moreau", "Capt. Julien Moreau", MUSTER_ROLE_SUPERVISOR},
};
#define DEMO_ADMIN_PIN "123456"
#define DEMO_PIN "1234"

typedef struct {
  MusterStore *store;
  MusterUser *admin, *counter, *witness, *supervisor;
  MusterDemo *demo;
  MusterCount *count;
} Demo;

static void
demo_clear(Demo *d)
{
  g_clear_pointer(&d->count, muster_count_free);
  g_clear_pointer(&d->demo, muster_demo_free);
  g_clear_pointer(&d->supervisor, muster_user_free);
  g_clear_pointer(&d->witness, muster_user_free);
  g_clear_pointer(&d->counter, muster_user_free);
  g_clear_pointer(&d->admin, muster_user_free);
  g_clear_pointer(&d->store, muster_store_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Demo, demo_clear)

static char *
default_demo_path(void)
{
  g_autofree char *dir = g_build_filename(g_get_user_state_dir(), "muster", NULL);
  g_mkdir_with_parents(dir, 0700);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
  return g_strdup_printf("%s/demo-%s.db", dir, stamp);
}

static gboolean
create_people(Demo *d, GError **error)
{
  d->admin = muster_users_bootstrap_admin(d->store, "admin", "Armoury administrator",
                                          DEMO_ADMIN_PIN, error);
  if (d->admin == NULL)
    return FALSE;
  MusterUser **slots[] = {&d->counter, &d->witness, &d->supervisor, NULL};
  for (guint i = 0; i < G_N_ELEMENTS(people); i++) {
    g_autoptr(MusterUser) u = muster_users_add(d->store, d->admin, people[i].name,
                                               people[i].full_name, people[i].role, DEMO_PIN,
                                               error);
    if (u == NULL)
      return FALSE;
    if (i < 3)
      *slots[i] = muster_users_authenticate(d->store, people[i].name, DEMO_PIN, error);
    if (i < 3 && *slots[i] == NULL)
      return FALSE;
  }
  return TRUE;
}

typedef struct {
  MusterIngest *ingest;
  GMainLoop *loop;
  GError *error;
} Feed;

static void
on_scan(MusterSimFeed *reader, const MusterScan *scan, const char *location, gpointer data)
{
  Feed *f = data;
  if (f->error != NULL)
    return;
  if (location != NULL) {
    /* Queued scans were taken at the previous location: commit them first. */
    if (!muster_ingest_flush(f->ingest, NULL, &f->error) ||
        !muster_ingest_set_location(f->ingest, location, &f->error))
      g_main_loop_quit(f->loop);
    return;
  }
  muster_ingest_add(f->ingest, scan);
  if (muster_ingest_due(f->ingest, 50000) && !muster_ingest_flush(f->ingest, NULL, &f->error))
    g_main_loop_quit(f->loop);
}

static void
on_done(MusterSimFeed *reader, gpointer data)
{
  Feed *f = data;
  g_main_loop_quit(f->loop);
}

/* Plays the demo feed through the simulated reader into the count. */
static gboolean
run_feed(Demo *d, GError **error)
{
  g_autoptr(MusterIngest) ingest = muster_ingest_new(d->store, d->counter, d->count->id, error);
  if (ingest == NULL)
    return FALSE;
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  Feed f = {ingest, loop, NULL};
  g_autoptr(MusterSimFeed) reader = muster_sim_feed_new("sim0", d->demo->feed, 0);
  muster_sim_feed_start(reader, on_scan, on_done, &f);
  g_main_loop_run(loop);
  if (f.error == NULL)
    muster_ingest_flush(ingest, NULL, &f.error);
  if (f.error != NULL) {
    g_propagate_prefixed_error(error, f.error, "Feeding the simulated reader: ");
    return FALSE;
  }
  return TRUE;
}

static gboolean
run_count(Demo *d, GError **error)
{
  MusterImportResult imported = {0};
  g_autoptr(GPtrArray) problems = NULL;
  if (!muster_items_import_csv(d->store, d->admin, d->demo->csv->str, d->demo->csv->len,
                               &imported, &problems, error)) {
    for (guint i = 0; problems != NULL && i < problems->len && i < 5; i++)
      g_printerr("demo CSV: %s\n", (const char *)problems->pdata[i]);
    return FALSE;
  }
  const char *const whole[] = {"", NULL};
  d->count = muster_counts_start(d->store, d->counter, d->witness, whole, FALSE, error);
  if (d->count == NULL || !run_feed(d, error))
    return FALSE;
  for (guint i = 0; i < d->demo->unmarked->len; i++) {
    const MusterDemoUnmarked *u = d->demo->unmarked->pdata[i];
    if (!muster_counts_record_unmarked(d->store, d->counter, d->count->id, u->description,
                                       u->location, NULL, NULL, error))
      return FALSE;
  }
  MusterReconcileSummary summary;
  if (!muster_counts_close(d->store, d->counter, d->count->id, error) ||
      !muster_reconcile(d->store, d->supervisor, d->count->id, &summary, error))
    return FALSE;
  gint64 id = d->count->id;
  muster_count_free(d->count);
  d->count = muster_counts_get_by_id(d->store, id, error);
  return d->count != NULL;
}

/* The uuid of the planted item, to compare with uuid-keyed discrepancies. */
static char *
item_uuid(Demo *d, const char *manufacturer, const char *serial)
{
  g_autoptr(GPtrArray) items = muster_items_find_by_marking(d->store, serial, NULL);
  for (guint i = 0; items != NULL && i < items->len; i++) {
    const MusterItem *it = items->pdata[i];
    if (g_strcmp0(it->manufacturer, manufacturer) == 0 && g_strcmp0(it->serial, serial) == 0)
      return g_strdup(it->uuid);
  }
  return NULL;
}

static gboolean
anomaly_found(Demo *d, const MusterDemoAnomaly *a, GPtrArray *list)
{
  g_autofree char *uuid = a->serial ? item_uuid(d, a->manufacturer, a->serial) : NULL;
  for (guint i = 0; i < list->len; i++) {
    const MusterDiscrepancy *x = list->pdata[i];
    if (g_strcmp0(x->kind, a->kind) != 0)
      continue;
    if (g_strcmp0(x->subject, a->subject) == 0 || (uuid && g_strcmp0(x->item_uuid, uuid) == 0))
      return TRUE;
    if (g_str_equal(a->kind, "unmarked_item") && strstr(x->detail, a->subject) != NULL)
      return TRUE;
  }
  return FALSE;
}

/* Every planted problem must be among the discrepancies, and there must be exactly as
 * many discrepancies of each kind as were planted. */
static gboolean
check_against_manifest(Demo *d, GPtrArray *list, JsonBuilder *b, GString *text)
{
  gboolean ok = TRUE;
  json_builder_begin_array(b);
  for (guint k = 0; k < MUSTER_N_DISCREPANCY_KINDS; k++) {
    const char *kind = muster_discrepancy_kind_name(k);
    guint planted = 0, found = 0, reported = 0;
    for (guint i = 0; i < d->demo->anomalies->len; i++) {
      const MusterDemoAnomaly *a = d->demo->anomalies->pdata[i];
      if (!a->discrepancy || g_strcmp0(a->kind, kind) != 0)
        continue;
      planted++;
      found += anomaly_found(d, a, list);
    }
    for (guint i = 0; i < list->len; i++)
      reported += g_strcmp0(((MusterDiscrepancy *)list->pdata[i])->kind, kind) == 0;
    gboolean kind_ok = found == planted && reported == planted;
    ok = ok && kind_ok;
    json_builder_begin_object(b);
    cli_json_str(b, "kind", kind);
    cli_json_int(b, "planted", planted);
    cli_json_int(b, "found", found);
    cli_json_int(b, "reported", reported);
    cli_json_bool(b, "ok", kind_ok);
    json_builder_end_object(b);
    if (planted > 0 || reported > 0)
      g_string_append_printf(text, "  %-20s planted %3u  found %3u  reported %3u  %s\n", kind,
                             planted, found, reported, kind_ok ? "ok" : "MISMATCH");
  }
  json_builder_end_array(b);
  return ok;
}

static void
print_text(Demo *d, const char *path, GPtrArray *list, const char *check, gboolean ok)
{
  printf("Demo armoury %s: %u weapons, database %s\n\n", muster_store_armoury_code(d->store),
         d->demo->n_items, path);
  output_count_text(stdout, d->count, TRUE);
  printf("\nReconciliation (%u discrepancies):\n", list->len);
  const char *kind = NULL;
  guint shown = 0;
  for (guint i = 0; i < list->len; i++) {
    const MusterDiscrepancy *x = list->pdata[i];
    if (g_strcmp0(kind, x->kind) != 0) {
      kind = x->kind;
      shown = 0;
      printf("%s\n", kind);
    }
    if (shown++ < 6)
      output_discrepancy_text(stdout, x);
    else if (shown == 7)
      printf("          ... ('muster count discrepancies --kind %s %" G_GINT64_FORMAT "')\n",
             kind, d->count->id);
  }
  printf("\nSelf-check against the planted problems:\n%s%s\n", check,
         ok ? "All planted problems found, nothing else reported."
            : "MISMATCH: reconciliation differs from what was planted.");
  printf("\nCarry on by hand (PINs: admin %s, everyone else %s):\n"
         "  export MUSTER_DB=%s\n"
         "  muster report %" G_GINT64_FORMAT "\n"
         "  muster history <serial or tag>\n"
         "  MUSTER_PIN=%s MUSTER_CONFIRM_PIN=%s muster count resolve --user lt.haddad "
         "--confirm-by capt.moreau --action found --reason '...' <discrepancy id>\n",
         DEMO_ADMIN_PIN, DEMO_PIN, path, d->count->id, DEMO_PIN, DEMO_PIN);
}

static const char demo_help[] =
    "Creates a NEW database: --db PATH (or $MUSTER_DB) if given, which must not exist,\n"
    "else a fresh file under $XDG_STATE_HOME/muster/. Exit status 1 when the\n"
    "reconciliation does not find exactly the planted problems.";

static int
run_demo(int argc, char **argv)
{
  const MusterCliCommand *cmd = &muster_cmd_demo[CMD_DEMO];
  int n_items = MUSTER_DEMO_DEFAULT_ITEMS;
  int seed = 2026;
  const GOptionEntry entries[] = {
      {"items", 'n', 0, G_OPTION_ARG_INT, &n_items, "Number of weapons (default 2400)", "N"},
      {"seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed (same seed, same armoury)", "S"},
      {NULL}};
  /* Nothing to open: the demo makes its own database. */
  const CliStart start = {.entries = entries, .help = demo_help};
  int status = cli_start(cmd, &start, &argc, &argv, NULL);
  if (status != CLI_GO_ON)
    return status;
  if (argc != 1 || n_items < MUSTER_DEMO_MIN_ITEMS || n_items > 2000000)
    return cli_usage_error(cmd, "--items must be from %d to 2000000", MUSTER_DEMO_MIN_ITEMS);
  g_autofree char *path = cli.db_path != NULL || g_getenv("MUSTER_DB") != NULL
                              ? g_strdup(cli_db_path())
                              : default_demo_path();
  g_autoptr(GError) error = NULL;
  g_auto(Demo) d = {0};
  d.demo = muster_demo_generate((guint)n_items, (guint32)seed);
  d.store = muster_store_create(path, "DEMO-01", "Demo armoury", &error);
  if (d.store == NULL || !create_people(&d, &error) || !run_count(&d, &error))
    return cli_fail(error);
  MusterDiscrepancyFilter all = {NULL, NULL, -1};
  g_autoptr(GPtrArray) list = muster_discrepancies_list(d.store, d.count->id, &all, &error);
  if (list == NULL)
    return cli_fail(error);
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(GString) check = g_string_new(NULL);
  json_builder_begin_object(b);
  cli_json_str(b, "database", path);
  json_builder_set_member_name(b, "count");
  output_count_json(b, d.count, TRUE);
  json_builder_set_member_name(b, "check");
  gboolean ok = check_against_manifest(&d, list, b, check);
  cli_json_bool(b, "all_planted_found", ok);
  json_builder_set_member_name(b, "discrepancies");
  json_builder_begin_array(b);
  for (guint i = 0; i < list->len; i++)
    output_discrepancy_json(b, list->pdata[i]);
  json_builder_end_array(b);
  json_builder_end_object(b);
  if (cli.json) {
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    cli_print_json(root);
  } else {
    print_text(&d, path, list, check->str, ok);
  }
  return ok ? 0 : 1;
}
