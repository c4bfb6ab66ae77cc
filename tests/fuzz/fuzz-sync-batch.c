/*
 * fuzz-sync-batch.c: libFuzzer target over the batch parser the registry runs on every
 * request body an appliance (or anyone on the network) sends.
 *
 * Any bytes must give a batch or an INVALID error, never a crash. A batch it accepts
 * keeps the promises of batch.h: seqs from first to last, each event an object with
 * its payload; and encoding is not checked here (that is the unit tests').
 */
#include "core/muster-error.h"
#include "protocol/batch.h"

#include <stdint.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterBatch) batch = muster_batch_parse(data, size, &error);
  if (batch == NULL) {
    if (error == NULL || !g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_INVALID))
      __builtin_trap();
    return 0;
  }
  if (batch->first_seq > batch->last_seq || batch->armoury == NULL)
    __builtin_trap();
  JsonObject *root = json_node_get_object(batch->root);
  JsonArray *events = json_object_get_array_member(root, "events");
  if (events == NULL ||
      (gint64)json_array_get_length(events) != batch->last_seq - batch->first_seq + 1)
    __builtin_trap();
  return 0;
}
