/*
 * test-audit-anchoring.c: issue 10, row 5. Someone with the database file rewrites a
 * history row and recomputes the whole chain. Nothing inside the file can tell, since
 * the chain has no secret: what finds it is an anchor held elsewhere. Every sync leaves
 * one at the registry and a signed receipt of it here; `audit verify` checks both, and
 * says how much history no anchor covers yet.
 *
 * The rewrite is made the way a careful attacker would: not by patching hashes but by
 * writing the other history through Muster itself from a copy taken before the change,
 * so that every seal and every link of the forged chain is valid.
 */
#include "db/audit-anchors.h"
#include "db/audit.h"
#include "db/items.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "db/sync-state.h"
#include "sync-fixture.h"
#include "sync/client.h"

#include <string.h>

static const char register_csv[] =
    "manufacturer,country_of_manufacture,serial,model,category,status,location\n"
    "Glock,AT,GLK-1001,Glock 17,pistol,in_store,\n"
    "Glock,AT,GLK-1002,Glock 17,pistol,in_store,\n";

static MusterUser *
admin_of(MusterStore *store)
{
  g_autoptr(GError) error = NULL;
  MusterUser *admin = muster_users_get(store, "admin", &error);
  g_assert_no_error(error);
  return admin;
}

static void
import_register(MusterStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) admin = admin_of(store);
  MusterImportResult result = {0};
  g_autoptr(GPtrArray) problems = NULL;
  g_assert_true(muster_items_import_csv(store, admin, register_csv, strlen(register_csv),
                                        &result, &problems, &error));
  g_assert_no_error(error);
}

static void
set_status(MusterStore *store, const char *serial, MusterStatus status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) admin = admin_of(store);
  g_autoptr(GPtrArray) found = muster_items_find_by_marking(store, serial, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(found->len, ==, 1);
  const MusterItem *item = g_ptr_array_index(found, 0);
  g_assert_true(muster_items_set_status(store, admin, item->id, status, NULL,
                                        "police report 7", &error));
  g_assert_no_error(error);
}

static void
push(SyncFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterSyncClient) c = sync_fixture_client(f);
  g_assert_true(muster_sync_push(f->store, f->key, c, 0, NULL, &error));
  g_assert_no_error(error);
}

static MusterAnchorReceipt *
window_of(MusterStore *store)
{
  g_autoptr(GError) error = NULL;
  MusterAnchorReceipt *w = muster_sync_anchor_receipt(store, &error);
  g_assert_no_error(error);
  return w;
}

/* A copy of the appliance's file as it is now, for the attacker to rewrite from. */
static char *
snapshot(SyncFixture *f, const char *name)
{
  g_autofree char *path = g_build_filename(f->dir, name, NULL);
  g_autofree char *sql = g_strdup_printf("VACUUM INTO '%s'", path);
  g_assert_cmpint(sqlite3_exec(muster_store_db(f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  return g_steal_pointer(&path);
}

static void
assert_tampered(gboolean ok, GError *error, const char *expect)
{
  g_assert_false(ok);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  if (strstr(error->message, expect) == NULL)
    g_error("expected '%s' in: %s", expect, error->message);
}

/* The stolen weapon's history rewritten to "in repair" after the theft was synced: the
 * forged chain verifies on its own, the registry's receipts kept in the file and the
 * registry's own anchors do not. */
static void
test_rewrite_of_anchored_history_detected(SyncFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  import_register(f->store);
  push(f);
  g_autofree char *before_theft = snapshot(f, "before-theft.db");
  set_status(f->store, "GLK-1002", MUSTER_STATUS_STOLEN);
  push(f);
  g_autoptr(MusterAnchorReceipt) synced = window_of(f->store);
  g_assert_cmpint(synced->unanchored, ==, 0);

  /* The attacker's history: the same armoury, the weapon sent for repair instead. */
  g_autoptr(MusterStore) forged = muster_store_open(before_theft, &error);
  g_assert_no_error(error);
  set_status(forged, "GLK-1002", MUSTER_STATUS_IN_REPAIR);
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(forged, &report, &error)); /* all links and seals valid */
  g_assert_no_error(error);
  g_assert_cmpint(report.head_seq, >=, synced->audit_seq);
  muster_audit_report_clear(&report);

  /* audit/receipts-find-rewritten-history: the receipts, copied over to look anchored. */
  g_autofree char *copy = g_strdup_printf(
      "ATTACH '%s' AS real; INSERT INTO anchor_receipt SELECT * FROM real.anchor_receipt"
      " WHERE id NOT IN (SELECT id FROM main.anchor_receipt); DETACH real;",
      muster_store_path(f->store));
  g_assert_cmpint(sqlite3_exec(muster_store_db(forged), copy, NULL, NULL, NULL), ==, SQLITE_OK);
  gint64 checked = 0;
  gboolean ok = muster_audit_check_receipts(forged, &checked, &error);
  assert_tampered(ok, error, "not the one the registry holds an anchor of");
  g_clear_error(&error);
  g_assert_true(muster_audit_check_receipts(f->store, &checked, &error)); /* the real one */
  g_assert_cmpint(checked, >=, 2);

  /* audit/registry-anchors-find-rewritten-history: what the registry holds. */
  g_autofree char *anchors =
      sync_fixture_registry_cmd(f, "anchors", muster_store_armoury_uuid(f->store), NULL);
  ok = muster_audit_check_anchors(forged, anchors, &checked, &error);
  assert_tampered(ok, error, "Audit entry");
  g_clear_error(&error);
  g_assert_true(muster_audit_check_anchors(f->store, anchors, &checked, &error));
  g_assert_no_error(error);
}

/* The receipts dropped instead: the forged file then claims no anchor at all, which
 * `audit verify` and the status screen show as history never anchored. */
static void
test_dropped_receipts_show_as_unanchored(SyncFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  import_register(f->store);
  g_autofree char *before = snapshot(f, "before.db");
  set_status(f->store, "GLK-1001", MUSTER_STATUS_STOLEN);
  push(f);
  g_autoptr(MusterStore) forged = muster_store_open(before, &error);
  g_assert_no_error(error);
  set_status(forged, "GLK-1001", MUSTER_STATUS_IN_REPAIR);
  g_autoptr(MusterAnchorReceipt) w = window_of(forged);
  g_assert_cmpint(w->audit_seq, ==, 0);
  g_assert_cmpint(w->unanchored, >, 0);
  g_autoptr(MusterAnchorReceipt) real = window_of(f->store);
  g_assert_cmpint(real->audit_seq, >, 0);
}

/* audit/unanchored-window-visible: a change after the last sync is reported as not yet
 * anchored, from its own time, until the next sync anchors it. */
static void
test_unanchored_window_visible(SyncFixture *f, gconstpointer data)
{
  import_register(f->store);
  push(f);
  g_autoptr(MusterAnchorReceipt) synced = window_of(f->store);
  g_assert_cmpint(synced->audit_seq, >, 0);
  g_assert_cmpint(synced->unanchored, ==, 0);
  g_assert_null(synced->unanchored_since);

  set_status(f->store, "GLK-1002", MUSTER_STATUS_STOLEN);
  g_autoptr(MusterAnchorReceipt) open = window_of(f->store);
  g_assert_cmpint(open->audit_seq, ==, synced->audit_seq);
  g_assert_cmpint(open->unanchored, >=, 1);
  g_assert_nonnull(open->unanchored_since);
  g_assert_cmpstr(open->unanchored_since, >=, synced->audit_at);

  push(f);
  g_autoptr(MusterAnchorReceipt) again = window_of(f->store);
  g_assert_cmpint(again->audit_seq, >, synced->audit_seq);
  g_assert_cmpint(again->unanchored, ==, 0);
}

static const SyncFixtureCase cases[] = {
    {"/audit/rewrite-of-anchored-history-detected", test_rewrite_of_anchored_history_detected},
    {"/audit/dropped-receipts-show-as-unanchored", test_dropped_receipts_show_as_unanchored},
    {"/audit/unanchored-window-visible", test_unanchored_window_visible},
};

int
main(int argc, char **argv)
{
  return sync_fixture_main(argc, argv, cases, G_N_ELEMENTS(cases));
}
