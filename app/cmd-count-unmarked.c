/*
 * cmd-count-unmarked.c: `muster count unmarked` and `muster count photo`: items found
 * without any marking, and the photos kept of them.
 *
 * A photo is given as a file: its bytes are checked to be a PNG or JPEG of at most 8 MiB
 * before anything is recorded, and stored in the record store with the item (the engine
 * hashes them). `count photo` writes the stored bytes back out as they are, once the
 * engine has checked them against their digest.
 */
#include <stdio.h>

#include "app/cmd-count.h"
#include "db/unmarked-photos.h"

/* A photo file's bytes, checked to be a PNG or JPEG of at most 8 MiB before anything
 * is recorded; the error names the file. Big files are refused before being read. */
static GBytes *
read_photo(const char *path, MusterPhotoFacts *facts, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new(path, FALSE, &local);
  if (file == NULL) {
    g_set_error(error, MUSTER_ERROR,
                g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? MUSTER_ERROR_NOT_FOUND
                                                                         : MUSTER_ERROR_IO,
                "Photo %s cannot be read (%s): give the path of a PNG or JPEG file.", path,
                local->message);
    return NULL;
  }
  gsize len = g_mapped_file_get_length(file);
  if (len > MUSTER_PHOTO_MAX_BYTES) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "Photo %s is %.1f MiB; at most %d MiB is kept: save it at a lower resolution "
                "or as a JPEG.",
                path, (double)len / (1024 * 1024), MUSTER_PHOTO_MAX_BYTES / (1024 * 1024));
    return NULL;
  }
  /* A copy: the bytes checked and hashed are the bytes stored, whatever the file does. */
  g_autoptr(GBytes) bytes = g_bytes_new(g_mapped_file_get_contents(file), len);
  if (!muster_photo_inspect(bytes, NULL, facts, error)) {
    g_prefix_error(error, "Photo %s: ", path);
    return NULL;
  }
  return g_steal_pointer(&bytes);
}

static void
print_unmarked(const char *uuid, const char *location, const char *photo_file,
               const MusterPhotoFacts *facts)
{
  if (!cli.json) {
    printf("Recorded unmarked item %s at %s\n", uuid, location);
    if (photo_file != NULL)
      printf("with photo %s (%s, %" G_GSIZE_FORMAT " bytes, SHA-256 %s)\n", photo_file,
             facts->media_type, facts->size, facts->sha256);
    return;
  }
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  cli_json_str(b, "unmarked_item", uuid);
  json_builder_set_member_name(b, "photo");
  if (photo_file == NULL) {
    json_builder_add_null_value(b);
  } else {
    json_builder_begin_object(b);
    cli_json_str(b, "media_type", facts->media_type);
    cli_json_int(b, "size", (gint64)facts->size);
    cli_json_str(b, "sha256", facts->sha256);
    json_builder_end_object(b);
  }
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  cli_print_json(root);
}

int
cmd_count_run_unmarked(int argc, char **argv)
{
  g_autofree char *actor_name = NULL, *description = NULL, *location = NULL, *photo = NULL;
  const GOptionEntry entries[] = {
      {"user", 'u', 0, G_OPTION_ARG_STRING, &actor_name, "Who found it", "NAME"},
      {"description", 'd', 0, G_OPTION_ARG_STRING, &description, "What it is (required)", "TEXT"},
      {"location", 0, 0, G_OPTION_ARG_STRING, &location, "Where it was found (required)", "PATH"},
      {"photo", 0, 0, G_OPTION_ARG_FILENAME, &photo,
       "A photo of it, PNG or JPEG, at most 8 MiB: its bytes are stored", "FILE"},
      {NULL}};
  const CliStart start = {.entries = entries,
                          .usage = "give --description, --location and one COUNT",
                          .args = 1,
                          .required = (char **const[]){&description, &location, NULL}};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_count[CMD_UNMARKED], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  /* the photo is checked before anything is opened: a bad file changes nothing */
  MusterPhotoFacts facts = {0};
  g_autoptr(GBytes) bytes = photo != NULL ? read_photo(photo, &facts, &error) : NULL;
  if (photo != NULL && bytes == NULL)
    return cli_fail(error);
  MusterPhotoInput input = {bytes, facts.media_type, 0};
  g_autoptr(MusterCount) count = NULL;
  g_autofree char *uuid = NULL;
  if (!cli_session_open(&s, CLI_OPEN_SIGNED_IN, actor_name, &error) ||
      (count = muster_counts_get(s.store, argv[1], &error)) == NULL ||
      !muster_counts_record_unmarked_photo(s.store, s.actor, count->id, description, location,
                                           bytes != NULL ? &input : NULL, &uuid, &error))
    return cli_fail(error);
  print_unmarked(uuid, location, photo, &facts);
  return 0;
}

/* The stored bytes, checked against their digest by the engine, written as they are. */
int
cmd_count_run_photo(int argc, char **argv)
{
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
      {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Where to write the photo (required)", "FILE"},
      {NULL}};
  const CliStart start = {
      .entries = entries,
      .help = "UNMARKED is the unmarked item's uuid: the subject of its unmarked_item discrepancy\n"
              "('muster --json count discrepancies --kind unmarked_item COUNT').",
      .usage = "give --out FILE and one UNMARKED uuid",
      .args = 1,
      .required = (char **const[]){&out, NULL},
      .open = CLI_OPEN_STORE};
  g_auto(CliSession) s = {0};
  int status = cli_start(&muster_cmd_count[CMD_PHOTO], &start, &argc, &argv, &s);
  if (status != CLI_GO_ON)
    return status;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUnmarkedPhoto) photo = muster_unmarked_photos_get(s.store, argv[1], &error);
  if (photo == NULL)
    return cli_fail(error);
  gsize size = 0;
  const char *bytes = g_bytes_get_data(photo->bytes, &size);
  if (!g_file_set_contents(out, bytes, (gssize)size, &error)) {
    g_prefix_error(&error, "Writing the photo: ");
    return cli_fail(error);
  }
  if (cli.json)
    printf("{\"file\": \"%s\", \"media_type\": \"%s\", \"sha256\": \"%s\", \"size\": %zu}\n", out,
           photo->media_type, photo->sha256, (size_t)size);
  else
    printf("%s: %s, %zu bytes, SHA-256 %s, taken %s by %s\n", out, photo->media_type, (size_t)size,
           photo->sha256, photo->taken_at, photo->taken_by);
  return 0;
}
