/*
 * media-file.c: sync files on removable media. See media-file.h.
 */
#include "protocol/media-file.h"
#include "core/json-member.h"
#include "core/muster-error.h"
#include "protocol/batch.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>
#include <unistd.h>

#define MEDIA_FORMAT "muster-sync-file/1"

void
muster_media_file_free(MusterMediaFile *file)
{
  if (file == NULL)
    return;
  g_free(file->direction);
  g_free(file->armoury);
  g_clear_pointer(&file->items, g_ptr_array_unref);
  g_free(file);
}

gboolean
muster_media_write(const char *path, const char *direction, const char *armoury, GPtrArray *items,
                   GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "format");
  json_builder_add_string_value(b, MEDIA_FORMAT);
  json_builder_set_member_name(b, "direction");
  json_builder_add_string_value(b, direction);
  json_builder_set_member_name(b, "armoury");
  json_builder_add_string_value(b, armoury);
  json_builder_set_member_name(b, "items");
  json_builder_begin_array(b);
  for (guint i = 0; i < items->len; i++) {
    const MusterSigned *s = g_ptr_array_index(items, i);
    gsize len = 0;
    const char *body = g_bytes_get_data(s->body, &len);
    g_autofree char *text = g_strndup(body, len);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "body");
    json_builder_add_string_value(b, text);
    json_builder_set_member_name(b, "signature");
    json_builder_add_string_value(b, s->signature);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autofree char *json = json_to_string(root, FALSE);
  /* Created 0600 less the umask, never more open; then exactly 0600. */
  if (!g_file_set_contents_full(path, json, -1,
                                G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                error)) {
    g_prefix_error(error, "Writing the sync file: ");
    return FALSE;
  }
  if (g_chmod(path, 0600) != 0) {
    int e = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
                "Making the sync file %s private (mode 0600): %s", path, g_strerror(e));
    return FALSE;
  }
  return TRUE;
}

static gboolean
bad_file(const char *path, const char *why, GError **error)
{
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "%s is not a usable Muster sync file: %s. Export it again.", path, why);
  return FALSE;
}

static gboolean
read_items(JsonArray *arr, GPtrArray *items, const char *path, GError **error)
{
  for (guint i = 0; i < json_array_get_length(arr); i++) {
    JsonNode *n = json_array_get_element(arr, i);
    JsonObject *o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
    const char *body = o ? muster_json_str(o, "body", NULL) : NULL;
    const char *sig = o ? muster_json_str(o, "signature", NULL) : NULL;
    if (body == NULL || sig == NULL)
      return bad_file(path, "an item lacks its body or signature", error);
    g_ptr_array_add(items, muster_signed_new(g_bytes_new(body, strlen(body)), sig));
  }
  return TRUE;
}

static gboolean
read_failed(const char *path, int e, GError **error)
{
  g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "Reading the sync file %s: %s%s",
              path, g_strerror(e),
              e == ELOOP ? " (it is a symbolic link: give the file itself)" : "");
  return FALSE;
}

/* The whole of a regular file of at most MUSTER_MEDIA_MAX_BYTES, or NULL: a link to a
 * device, a FIFO or a huge file is refused before anything is read from it. */
static GBytes *
read_regular(const char *path, GError **error)
{
  int fd = g_open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0) {
    read_failed(path, errno, error);
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    read_failed(path, e, error);
    return NULL;
  }
  if (!S_ISREG(st.st_mode) || st.st_size > MUSTER_MEDIA_MAX_BYTES) {
    close(fd);
    bad_file(path,
             !S_ISREG(st.st_mode) ? "not a regular file (a device, FIFO or directory is never read)"
                                  : "larger than a sync file can be (32 MiB)",
             error);
    return NULL;
  }
  g_autofree guint8 *data = g_malloc((gsize)st.st_size + 1);
  gsize got = 0;
  while (got < (gsize)st.st_size + 1) { /* one byte more: a file that grew is refused */
    ssize_t n = read(fd, data + got, (gsize)st.st_size + 1 - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      int e = errno;
      if (n < 0) {
        close(fd);
        read_failed(path, e, error);
        return NULL;
      }
      break;
    }
    got += (gsize)n;
  }
  close(fd);
  if (got != (gsize)st.st_size) {
    bad_file(path, "it changed while it was read", error);
    return NULL;
  }
  return g_bytes_new_take(g_steal_pointer(&data), got);
}

MusterMediaFile *
muster_media_read(const char *path, const char *direction, GError **error)
{
  g_autoptr(GBytes) bytes = read_regular(path, error);
  if (bytes == NULL)
    return NULL;
  g_autoptr(JsonParser) parser = json_parser_new();
  gsize len = 0;
  const char *text = g_bytes_get_data(bytes, &len);
  if (!muster_json_nesting_ok(text, len, MUSTER_JSON_MAX_DEPTH)) {
    bad_file(path, "nested deeper than any sync file is", error);
    return NULL;
  }
  if (len == 0 || !json_parser_load_from_data(parser, text, (gssize)len, error)) {
    if (len == 0)
      bad_file(path, "it is empty", error);
    else
      g_prefix_error(error, "Reading the sync file %s: ", path);
    return NULL;
  }
  JsonNode *root = json_parser_get_root(parser);
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  JsonNode *items = o ? json_object_get_member(o, "items") : NULL;
  if (o == NULL ||
      g_strcmp0(muster_json_str(o, "format", ""), MEDIA_FORMAT) != 0 ||
      items == NULL || !JSON_NODE_HOLDS_ARRAY(items)) {
    bad_file(path, "not a " MEDIA_FORMAT " document", error);
    return NULL;
  }
  if (g_strcmp0(muster_json_str(o, "direction", ""), direction) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s is a sync file going %s, not %s: import it at the other end.", path,
                muster_json_str(o, "direction", "?"), direction);
    return NULL;
  }
  g_autoptr(MusterMediaFile) f = g_new0(MusterMediaFile, 1);
  f->direction = g_strdup(direction);
  f->armoury = g_strdup(muster_json_str(o, "armoury", ""));
  f->items = g_ptr_array_new_with_free_func((GDestroyNotify)muster_signed_free);
  if (!read_items(json_node_get_array(items), f->items, path, error))
    return NULL;
  return g_steal_pointer(&f);
}
