/*
 * armoury-setup.c: a new armoury's database and first admin (see armoury-setup.h).
 */
#include "db/armoury-setup.h"

#include "core/i18n.h"

#include <errno.h>
#include <glib/gstdio.h>

static const char *
or_default(const char *value, const char *fallback)
{
  return value != NULL && *value != '\0' ? value : fallback;
}

gboolean
muster_armoury_setup_valid(const MusterArmourySetup *setup, GError **error)
{
  return muster_store_code_valid(setup->code, error) &&
         muster_user_name_valid(setup->admin, error) &&
         (setup->pin == NULL || muster_pin_valid(setup->pin, error));
}

/* The appliance's default lives in /var/lib/muster, which a fresh system may lack. Made
 * 0700 as the packages' tmpfiles.d makes it: the records and their backups are nobody
 * else's to read. */
static gboolean
make_folder(const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname(path);
  if (g_file_test(path, G_FILE_TEST_EXISTS) || g_mkdir_with_parents(dir, 0700) == 0)
    return TRUE;
  int saved = errno;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, _("Cannot create the folder %s: %s"), dir,
              g_strerror(saved));
  return FALSE;
}

MusterStore *
muster_armoury_set_up(const MusterArmourySetup *setup, MusterUser **admin, GError **error)
{
  /* A PIN is needed here: valid() passes over a missing one. */
  if (!muster_armoury_setup_valid(setup, error) || !muster_pin_valid(setup->pin, error) ||
      !make_folder(setup->path, error))
    return NULL;
  g_autoptr(MusterStore) store =
      muster_store_create(setup->path, setup->code, or_default(setup->name, setup->code), error);
  if (store == NULL)
    return NULL;
  g_autoptr(MusterUser) user = muster_users_bootstrap_admin(
      store, setup->admin, or_default(setup->admin_full_name, setup->admin), setup->pin, error);
  if (user == NULL) {
    muster_store_discard_new(g_steal_pointer(&store));
    g_prefix_error(error,
                   _("The database %s could not be given its admin, so it was not "
                     "created: "),
                   setup->path);
    return NULL;
  }
  if (admin != NULL)
    *admin = g_steal_pointer(&user);
  return g_steal_pointer(&store);
}
