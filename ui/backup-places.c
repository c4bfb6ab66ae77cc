/*
 * backup-places.c: the backup folders and backup files the kiosk offers (see
 * backup-places.h).
 */
#include "ui/backup-places.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Where desktops and udisks mount removable media, and how deep the medium lies. */
static const struct {
  const char *root;
  guint depth;
} media_roots[] = {
    {"media", 1},     /* /media/NAME (usbmount, fstab) */
    {"media", 2},     /* /media/USER/NAME (udisks2 on Debian) */
    {"run/media", 2}, /* /run/media/USER/NAME (udisks2 elsewhere) */
};

static void
place_free(gpointer p)
{
  MusterKioskBackupPlace *place = p;
  g_free(place->path);
  g_free(place);
}

static void
found_free(gpointer p)
{
  MusterKioskBackupFound *f = p;
  g_free(f->path);
  g_free(f->problem);
  muster_backup_manifest_clear(&f->manifest);
  g_free(f);
}

/* Writable as the kiosk's user, found by making a file there. */
static gboolean
writable(const char *dir)
{
  g_autofree char *probe = g_build_filename(dir, ".muster-kiosk-XXXXXX", NULL);
  int fd = g_mkstemp_full(probe, O_RDWR, 0600);
  if (fd < 0)
    return FALSE;
  close(fd);
  g_unlink(probe);
  return TRUE;
}

static int
by_name(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* The folders depth levels below dir, sorted by name. */
static void
folders_below(const char *dir, guint depth, GPtrArray *out)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  if (d == NULL)
    return;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  for (const char *n; (n = g_dir_read_name(d)) != NULL;)
    if (n[0] != '.')
      g_ptr_array_add(names, g_strdup(n));
  g_ptr_array_sort(names, by_name);
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
    if (!g_file_test(path, G_FILE_TEST_IS_DIR))
      continue;
    if (depth > 1)
      folders_below(path, depth - 1, out);
    else
      g_ptr_array_add(out, g_steal_pointer(&path));
  }
}

static void
add_place(GPtrArray *places, const char *path, gboolean media)
{
  for (guint i = 0; i < places->len; i++)
    if (g_str_equal(((MusterKioskBackupPlace *)g_ptr_array_index(places, i))->path, path))
      return;
  MusterKioskBackupPlace *place = g_new0(MusterKioskBackupPlace, 1);
  place->path = g_strdup(path);
  place->media = media;
  g_ptr_array_add(places, place);
}

GPtrArray *
muster_kiosk_backup_places(const char *default_dir, const char *media_prefix)
{
  GPtrArray *places = g_ptr_array_new_with_free_func(place_free);
  add_place(places, default_dir, FALSE);
  for (guint r = 0; r < G_N_ELEMENTS(media_roots); r++) {
    g_autofree char *root =
        g_build_filename(media_prefix != NULL ? media_prefix : "/", media_roots[r].root, NULL);
    g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func(g_free);
    folders_below(root, media_roots[r].depth, dirs);
    for (guint i = 0; i < dirs->len; i++)
      if (writable(g_ptr_array_index(dirs, i)))
        add_place(places, g_ptr_array_index(dirs, i), TRUE);
  }
  return places;
}

static void
add_found(GPtrArray *found, const char *path)
{
  MusterKioskBackupFound *f = g_new0(MusterKioskBackupFound, 1);
  f->path = g_strdup(path);
  g_autofree char *manifest = muster_backup_manifest_path(path);
  g_autoptr(GError) error = NULL;
  f->has_manifest = muster_backup_manifest_read(manifest, &f->manifest, &error);
  if (!f->has_manifest)
    f->problem = g_strdup(error->message);
  g_ptr_array_add(found, f);
}

/* Newest first by the manifest's time; files without one last, by name. */
static int
newest_first(gconstpointer a, gconstpointer b)
{
  const MusterKioskBackupFound *x = *(MusterKioskBackupFound *const *)a;
  const MusterKioskBackupFound *y = *(MusterKioskBackupFound *const *)b;
  if (x->has_manifest != y->has_manifest)
    return x->has_manifest ? -1 : 1;
  int by_time = g_strcmp0(y->manifest.created_at, x->manifest.created_at);
  return by_time != 0 ? by_time : g_strcmp0(y->path, x->path);
}

GPtrArray *
muster_kiosk_backups_found(GPtrArray *places)
{
  GPtrArray *found = g_ptr_array_new_with_free_func(found_free);
  for (guint i = 0; i < places->len; i++) {
    const MusterKioskBackupPlace *place = g_ptr_array_index(places, i);
    g_autoptr(GDir) d = g_dir_open(place->path, 0, NULL);
    for (const char *n; d != NULL && (n = g_dir_read_name(d)) != NULL;) {
      if (n[0] == '.' || !g_str_has_suffix(n, MUSTER_BACKUP_SUFFIX))
        continue;
      g_autofree char *path = g_build_filename(place->path, n, NULL);
      if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
        add_found(found, path);
    }
  }
  g_ptr_array_sort(found, newest_first);
  return found;
}
