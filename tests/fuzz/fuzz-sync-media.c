/*
 * fuzz-sync-media.c: libFuzzer target over the removable-media sync file reader.
 *
 * A sync file arrives on a USB stick from who knows where. Any bytes must give a file
 * or an error naming the file, never a crash. Each input is written to one temporary
 * file and read back in both directions.
 */
#include "protocol/media-file.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static char *path;

static void
remove_file(void)
{
  g_unlink(path);
}

static void
read_as(const char *direction)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterMediaFile) file = muster_media_read(path, direction, &error);
  if (file == NULL) {
    if (error == NULL || error->message == NULL)
      __builtin_trap();
    return;
  }
  if (g_strcmp0(file->direction, direction) != 0 || file->items == NULL)
    __builtin_trap();
  for (guint i = 0; i < file->items->len; i++) {
    MusterSigned *s = g_ptr_array_index(file->items, i);
    if (s->body == NULL || s->signature == NULL)
      __builtin_trap();
    (void)muster_signed_is_pull(s);
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (path == NULL) {
    int fd = g_file_open_tmp("muster-fuzz-media-XXXXXX", &path, NULL);
    if (fd < 0)
      abort();
    close(fd);
    atexit(remove_file);
  }
  if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL))
    abort();
  read_as(MUSTER_MEDIA_TO_REGISTRY);
  read_as(MUSTER_MEDIA_TO_APPLIANCE);
  return 0;
}
