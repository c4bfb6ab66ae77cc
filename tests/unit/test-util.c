/*
 * test-util.c: see test-util.h.
 */
#include "test-util.h"

#include <glib/gstdio.h>

void
test_rm_rf(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  if (d != NULL) {
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
      g_autofree char *p = g_build_filename(dir, name, NULL);
      if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
        test_rm_rf(p);
      else
        g_unlink(p);
    }
  }
  g_rmdir(dir);
}

void
test_db_setup(TestDb *t, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  t->dir = g_dir_make_tmp("muster-test-XXXXXX", &error);
  g_assert_no_error(error);
  t->path = g_build_filename(t->dir, "armoury.db", NULL);
  t->store = muster_store_create(t->path, "TEST", "Test armoury", &error);
  g_assert_no_error(error);
  g_autoptr(MusterUser) boot =
      muster_users_bootstrap_admin(t->store, "admin", "Ada Admin", "123456", &error);
  g_assert_no_error(error);
  g_assert_cmpint(boot->role, ==, MUSTER_ROLE_ADMIN);
  t->admin = muster_users_authenticate(t->store, "admin", "123456", &error);
  g_assert_no_error(error);
}

void
test_db_teardown(TestDb *t, gconstpointer data)
{
  muster_user_free(t->admin);
  muster_store_free(t->store);
  test_rm_rf(t->dir);
  g_free(t->dir);
  g_free(t->path);
}

MusterUser *
test_db_add_user(TestDb *t, const char *name, MusterRole role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) u = muster_users_add(t->store, t->admin, name, name, role, "1234",
                                             &error);
  g_assert_no_error(error);
  g_assert_cmpint(u->role, ==, role);
  MusterUser *signed_in = muster_users_authenticate(t->store, name, "1234", &error);
  g_assert_no_error(error);
  return signed_in;
}
