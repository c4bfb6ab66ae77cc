/*
 * checkpointer.c: see checkpointer.h.
 *
 * The WAL hook runs on the writer's thread after each commit and only signals; the
 * thread does the checkpoint. A failed checkpoint (busy, disk full) is harmless, the WAL
 * just grows until the next one succeeds, so it is logged and retried at the next
 * commit. The default autocheckpoint (1,000 pages) is restored when detaching, so a
 * process that keeps the store open afterwards checkpoints as usual.
 */
#include "db/checkpointer.h"
#include "core/muster-error.h"
#include "db/store-private.h"

#define CHECKPOINT_PAGES 1000

struct _MusterCheckpointer {
  sqlite3 *writer;
  sqlite3 *db; /* the thread's own connection */
  char *path;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean wanted;
  gboolean quit;
  guint runs;
};

static int
wal_hook(void *data, sqlite3 *db, const char *schema, int pages)
{
  (void)db;
  (void)schema;
  MusterCheckpointer *cp = data;
  if (pages < CHECKPOINT_PAGES)
    return SQLITE_OK;
  g_mutex_lock(&cp->lock);
  cp->wanted = TRUE;
  g_cond_signal(&cp->cond);
  g_mutex_unlock(&cp->lock);
  return SQLITE_OK;
}

static void
checkpoint(MusterCheckpointer *cp)
{
  int rc = sqlite3_wal_checkpoint_v2(cp->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    g_message("WAL checkpoint of %s failed (%s); it is retried after the next commit",
              cp->path, sqlite3_errmsg(cp->db));
}

static gpointer
checkpoint_thread(gpointer data)
{
  MusterCheckpointer *cp = data;
  g_mutex_lock(&cp->lock);
  while (!cp->quit) {
    if (!cp->wanted) {
      g_cond_wait(&cp->cond, &cp->lock);
      continue;
    }
    cp->wanted = FALSE;
    g_mutex_unlock(&cp->lock);
    checkpoint(cp);
    g_mutex_lock(&cp->lock);
    cp->runs++;
  }
  g_mutex_unlock(&cp->lock);
  return NULL;
}

MusterCheckpointer *
muster_checkpointer_new(MusterStore *store, GError **error)
{
  sqlite3 *writer = muster_store_db(store);
  const char *path = muster_store_path(store);
  g_autoptr(MusterCheckpointer) cp = g_new0(MusterCheckpointer, 1);
  g_mutex_init(&cp->lock);
  g_cond_init(&cp->cond);
  cp->path = g_strdup(path);
  int rc = sqlite3_open_v2(path, &cp->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_busy_timeout(cp->db, 1000);
  /* A connection opens the file lazily: until it has read the schema it does not know
   * the database is in WAL mode, and a checkpoint would do nothing. */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(cp->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED, "Opening %s for checkpoints failed: %s",
                path, cp->db != NULL ? sqlite3_errmsg(cp->db) : sqlite3_errstr(rc));
    return NULL;
  }
  cp->thread = g_thread_try_new("muster-checkpoint", checkpoint_thread, cp, error);
  if (cp->thread == NULL)
    return NULL;
  cp->writer = writer;
  sqlite3_wal_hook(writer, wal_hook, cp); /* replaces the autocheckpoint hook */
  return g_steal_pointer(&cp);
}

void
muster_checkpointer_free(MusterCheckpointer *cp)
{
  if (cp == NULL)
    return;
  if (cp->writer != NULL)
    sqlite3_wal_autocheckpoint(cp->writer, CHECKPOINT_PAGES);
  if (cp->thread != NULL) {
    g_mutex_lock(&cp->lock);
    cp->quit = TRUE;
    g_cond_signal(&cp->cond);
    g_mutex_unlock(&cp->lock);
    g_thread_join(cp->thread);
  }
  sqlite3_close(cp->db);
  g_mutex_clear(&cp->lock);
  g_cond_clear(&cp->cond);
  g_free(cp->path);
  g_free(cp);
}

guint
muster_checkpointer_runs(MusterCheckpointer *cp)
{
  g_mutex_lock(&cp->lock);
  guint runs = cp->runs;
  g_mutex_unlock(&cp->lock);
  return runs;
}
