/*
 * fuzz-temp-db.c: see fuzz-temp-db.h.
 */
#include "fuzz-temp-db.h"
#include "db/store-private.h" /* white-box: a fuzz database need not survive a crash */

#include <glib/gstdio.h>
#include <stdlib.h>

static char *dir;
static char *path;
static MusterStore *store;
static MusterUser *admin;

void
fuzz_check(gboolean ok)
{
  if (!ok)
    abort();
}

static void
remove_database(void)
{
  g_clear_pointer(&admin, muster_user_free);
  g_clear_pointer(&store, muster_store_free);
  const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
  for (guint i = 0; path != NULL && i < G_N_ELEMENTS(suffixes); i++) {
    g_autofree char *file = g_strconcat(path, suffixes[i], NULL);
    g_unlink(file);
  }
  if (dir != NULL)
    g_rmdir(dir);
  g_clear_pointer(&path, g_free);
  g_clear_pointer(&dir, g_free);
}

MusterStore *
fuzz_temp_db_create(const char *tag, MusterUser **admin_out)
{
  GError *error = NULL;
  g_autofree char *template = g_strdup_printf("muster-fuzz-%s-XXXXXX", tag);
  dir = g_dir_make_tmp(template, &error);
  fuzz_check(dir != NULL);
  path = g_build_filename(dir, "armoury.db", NULL);
  store = muster_store_create(path, "FUZZ", "Fuzz armoury", &error);
  fuzz_check(store != NULL);
  fuzz_check(muster_store_exec(store, "PRAGMA synchronous=OFF", &error));
  admin = muster_users_bootstrap_admin(store, "admin", "Fuzz", "123456", &error);
  fuzz_check(admin != NULL);
  atexit(remove_database);
  if (admin_out != NULL)
    *admin_out = admin;
  return store;
}
