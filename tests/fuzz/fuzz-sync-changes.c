/*
 * fuzz-sync-changes.c: libFuzzer target over the registry's answers as the appliance
 * applies them: acknowledgements and changes documents (new items assigned, central
 * status changes, marking assignments) going into the record store.
 *
 * The signature is checked before an answer is read, so only the registry could send
 * these; a registry bug, or a compromised one, must still never crash the appliance or
 * leave the store half-changed. Each input is applied to one temporary database
 * (created on the first input, synchronous=OFF) as an ack and as a changes document;
 * afterwards no transaction may be left open, and every so often the audit chain must
 * still verify. "@ARMOURY@" in an input is replaced by the database's armoury uuid, and
 * answers are taken as answering the request with nonce "fuzz-nonce", so seeds can be
 * real documents for it.
 */
#include "db/audit.h"
#include "db/store-private.h" /* white-box: checks the connection left no transaction open */
#include "db/users.h"
#include "sync/apply.h"

#include "support/fuzz-temp-db.h"

#include <stdint.h>

static MusterStore *store;
static guint64 runs;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (store == NULL)
    store = fuzz_temp_db_create("changes", NULL);
  g_autofree char *raw = g_strndup((const char *)data, size);
  g_autoptr(GString) text = g_string_new(raw);
  g_string_replace(text, "@ARMOURY@", muster_store_armoury_uuid(store), 0);
  gsize len = text->len;
  g_autoptr(MusterSigned) answer =
      muster_signed_new(g_bytes_new_take(g_string_free(g_steal_pointer(&text), FALSE), len), "");
  g_autoptr(GError) ack_error = NULL;
  gint64 acked = 0;
  gboolean out_of_order = FALSE;
  if (!muster_sync_apply_ack(store, answer, "fuzz-nonce", &acked, &out_of_order, &ack_error))
    fuzz_check(ack_error != NULL);
  g_autoptr(GError) media_error = NULL;
  if (!muster_sync_check_media_answer(store, answer, &media_error))
    fuzz_check(media_error != NULL);
  g_autoptr(GError) error = NULL;
  gint64 applied = 0;
  gboolean more = FALSE;
  if (!muster_sync_apply_changes(store, answer, "fuzz-nonce", &applied, &more, &error))
    fuzz_check(error != NULL);
  fuzz_check(sqlite3_get_autocommit(muster_store_db(store)));
  if (++runs % 512 == 0) {
    MusterAuditReport report = {0};
    g_autoptr(GError) audit_error = NULL;
    gboolean ok = muster_audit_verify(store, &report, &audit_error);
    if (!ok)
      g_printerr("audit verify: %s\n", audit_error->message);
    fuzz_check(ok);
    muster_audit_report_clear(&report);
  }
  return 0;
}
