/*
 * test-log-event.c: the journal events (core/log-event.h): their table, and the events a
 * count's life sends, as GLib's structured logging hands them to the journal's writer.
 *
 * A writer function stands where the journal would: it receives the same fields
 * muster_log_event() gives g_log_writer_journald() when stderr is the journal.
 */
#include "core/log-event.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/reconcile.h"
#include "scan/scan.h"
#include "test-util.h"

#include <string.h>

/* "EVENT MESSAGE_ID MUSTER_COUNT MUSTER_USER | MESSAGE", one an event logged. */
static GPtrArray *seen;

static const char *
field(const GLogField *fields, gsize n, const char *key)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal(fields[i].key, key))
      return fields[i].value;
  return "-";
}

static GLogWriterOutput
writer(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
  if (g_str_equal(field(fields, n, "MUSTER_EVENT"), "-"))
    return g_log_writer_default(level, fields, n, data);
  g_ptr_array_add(seen, g_strdup_printf("%s %s %s %s | %s", field(fields, n, "MUSTER_EVENT"),
                                        field(fields, n, "MESSAGE_ID"),
                                        field(fields, n, "MUSTER_COUNT"),
                                        field(fields, n, "MUSTER_USER"),
                                        field(fields, n, "MESSAGE")));
  return G_LOG_WRITER_HANDLED;
}

/* Every event has a name and an ID of 32 lower-case hex digits, none twice: journald
 * takes nothing else as a MESSAGE_ID, and two events under one ID cannot be told apart. */
static void
test_table(void)
{
  g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
  g_assert_cmpuint(muster_event_list.n, ==, MUSTER_EVENT_READER_LOST + 1);
  for (guint i = 0; i < muster_event_list.n; i++) {
    const MusterEventInfo *e = &muster_events[i];
    g_assert_nonnull(e->name);
    g_assert_cmpuint(strlen(e->message_id), ==, 32);
    g_assert_cmpuint(strspn(e->message_id, "0123456789abcdef"), ==, 32);
    g_assert_true(g_hash_table_add(ids, (gpointer)e->message_id));
    g_assert_cmpint(muster_closed_list_find(&muster_event_list, e->name), ==, (int)i);
  }
}

/* packaging/systemd/muster.catalog explains exactly the events of the table: an event
 * added without its entry, or an ID changed on one side, fails here. */
static void
test_catalog(void)
{
  g_autofree char *path = g_build_filename(g_getenv("MUSTER_TEST_DATA"), "..", "..", "packaging",
                                           "systemd", "muster.catalog", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_file_get_contents(path, &text, NULL, &error));
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; lines[i] != NULL; i++) {
    if (!g_str_has_prefix(lines[i], "-- "))
      continue;
    const char *id = lines[i] + 3;
    g_assert_true(g_hash_table_add(ids, (gpointer)id));
    g_assert_nonnull(lines[i + 1]);
    g_assert_true(g_str_has_prefix(lines[i + 1], "Subject: "));
    gboolean known = FALSE;
    for (guint e = 0; e < muster_event_list.n; e++)
      known = known || g_str_equal(id, muster_events[e].message_id);
    if (!known)
      g_error("%s names %s, which no event has", path, id);
  }
  g_assert_cmpuint(g_hash_table_size(ids), ==, muster_event_list.n);
}

static void
assert_seen(guint i, MusterEvent event, gint64 count, const char *user, const char *words)
{
  g_assert_cmpuint(seen->len, >, i);
  g_autofree char *head = g_strdup_printf("%s %s %" G_GINT64_FORMAT " %s | ",
                                          muster_events[event].name,
                                          muster_events[event].message_id, count, user);
  const char *got = g_ptr_array_index(seen, i);
  if (!g_str_has_prefix(got, head) || strstr(got, words) == NULL)
    g_error("event %u is '%s'; wanted '%s...%s...'", i, got, head, words);
}

/* Start, close, reconcile and sign-off each send their event once they committed, naming
 * the count and who did it; a refused move sends none. */
static void
test_count_events(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  test_db_import_csv(t,
                     "manufacturer,country_of_manufacture,serial,model,category,calibre,"
                     "status,location,markings\nGlock,AT,GL-1,G17,pistol,9x19,in_store,R1/A,\n",
                     -1);
  g_autoptr(MusterUser) sam = test_db_add_user(t, "sam", MUSTER_ROLE_SUPERVISOR);
  g_ptr_array_set_size(seen, 0);
  gint64 id = test_db_start_count(t, "R1");
  assert_seen(0, MUSTER_EVENT_COUNT_STARTED, id, "admin", "1 items expected, witness will");

  g_autoptr(MusterIngest) ingest = muster_ingest_new(t->store, t->admin, id, &error);
  g_assert_no_error(error);
  g_autoptr(MusterScan) scan = muster_scan_parse_line("GL-1", 4, "test", NULL, NULL);
  muster_ingest_add(ingest, scan);
  g_assert_true(muster_ingest_flush(ingest, NULL, &error));

  /* refused: the supervisor is not the counter and the count is not reconciled */
  g_assert_false(muster_counts_sign_off(t->store, sam, id, NULL, &error));
  g_clear_error(&error);
  g_assert_cmpuint(seen->len, ==, 1);

  g_assert_true(muster_counts_close(t->store, t->admin, id, &error));
  assert_seen(1, MUSTER_EVENT_COUNT_CLOSED, id, "admin", "closed by admin");
  g_assert_true(muster_reconcile(t->store, t->admin, id, NULL, &error));
  g_assert_no_error(error);
  assert_seen(2, MUSTER_EVENT_COUNT_RECONCILED, id, "admin", "0 discrepancies");
  g_assert_true(muster_counts_sign_off(t->store, sam, id, NULL, &error));
  g_assert_no_error(error);
  assert_seen(3, MUSTER_EVENT_COUNT_SIGNED_OFF, id, "sam", "signed off by sam");
  g_assert_cmpuint(seen->len, ==, 4);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  seen = g_ptr_array_new_with_free_func(g_free);
  g_log_set_writer_func(writer, NULL, NULL);
  g_test_add_func("/log-event/table", test_table);
  g_test_add_func("/log-event/catalog", test_catalog);
  g_test_add("/log-event/count", TestDb, NULL, test_db_setup, test_count_events,
             test_db_teardown);
  int rc = g_test_run();
  g_ptr_array_unref(seen);
  return rc;
}
