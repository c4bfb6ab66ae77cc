/*
 * sim-driver.c: [reader NAME] kind=sim groups of the readers file (see sim-reader.h).
 */
#include "core/muster-error.h"
#include "drivers/manager.h"
#include "drivers/sim/sim-reader.h"

static gboolean
sim_create(const char *name, GKeyFile *file, const char *group, GPtrArray *readers,
           GError **error)
{
  g_autofree char *feed = g_key_file_get_string(file, group, "feed", NULL);
  if (feed == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "a sim reader needs feed=PATH (a scan feed file, one scan per line)");
    return FALSE;
  }
  double rate = 2.0;
  if (g_key_file_has_key(file, group, "rate", NULL)) {
    g_autoptr(GError) local = NULL;
    rate = g_key_file_get_double(file, group, "rate", &local);
    if (local != NULL) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "rate must be scans per second: %s",
                  local->message);
      return FALSE;
    }
  }
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents(feed, &text, &len, error)) {
    g_prefix_error(error, "feed: ");
    return FALSE;
  }
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  g_autoptr(GPtrArray) arr = g_ptr_array_new();
  for (guint i = 0; lines[i] != NULL; i++)
    g_ptr_array_add(arr, lines[i]);
  g_autofree char *id = g_strdup_printf("sim:%s", name);
  g_ptr_array_add(readers, muster_sim_reader_new(id, arr, rate));
  return TRUE;
}

const MusterReaderDriver muster_sim_driver = {
    .kind = "sim",
    .summary = "a scripted feed played at a set pace (demos, tests)",
    .create = sim_create,
};
