/*
 * fuzz-backup-manifest.c: libFuzzer target over muster_backup_manifest_parse(), which
 * reads the manifest beside a backup (db/backup-file.c). A backup on a removable medium
 * comes from outside: its manifest is what `muster restore` and the kiosk's list of
 * backups read first.
 *
 * The input is the manifest's bytes. Either it is refused with MUSTER_ERROR_INVALID and
 * the manifest is left empty, or it holds what a restore relies on (the armoury's UUID,
 * the SHA-256, a format this version reads, counts that are not negative), and written
 * out again by muster_backup_manifest_to_json() it reads back the same.
 */
#include "db/backup-file.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
check(gboolean ok)
{
  if (!ok)
    abort();
}

static gboolean
empty(const MusterBackupManifest *m)
{
  static const MusterBackupManifest zero;
  return memcmp(m, &zero, sizeof zero) == 0;
}

static gboolean
same(const MusterBackupManifest *a, const MusterBackupManifest *b)
{
  return a->format_version == b->format_version && a->schema_version == b->schema_version &&
         a->head_seq == b->head_seq && a->size == b->size && a->items == b->items &&
         g_strcmp0(a->armoury_code, b->armoury_code) == 0 &&
         g_strcmp0(a->armoury_uuid, b->armoury_uuid) == 0 &&
         g_strcmp0(a->created_at, b->created_at) == 0 &&
         g_strcmp0(a->muster_version, b->muster_version) == 0 &&
         g_strcmp0(a->head_hash, b->head_hash) == 0 && g_strcmp0(a->file, b->file) == 0 &&
         g_strcmp0(a->sha256, b->sha256) == 0 && g_strcmp0(a->reason, b->reason) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* A copy of its own, not NUL-terminated, so that a read past the end is caught. */
  char *text = size > 0 ? g_memdup2(data, size) : NULL;
  MusterBackupManifest m;
  g_autoptr(GError) error = NULL;
  if (!muster_backup_manifest_parse(text, size, "fuzz.manifest.json", &m, &error)) {
    check(g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_INVALID));
    check(empty(&m));
    g_free(text);
    return 0;
  }
  check(m.armoury_uuid != NULL && m.sha256 != NULL);
  check(m.format_version >= 1 && m.format_version <= MUSTER_BACKUP_MANIFEST_VERSION);
  check(m.schema_version >= 0 && m.head_seq >= 0 && m.size >= 0);

  g_autofree char *again = muster_backup_manifest_to_json(&m);
  MusterBackupManifest n;
  check(muster_backup_manifest_parse(again, strlen(again), "again", &n, NULL));
  check(same(&m, &n));
  muster_backup_manifest_clear(&n);
  muster_backup_manifest_clear(&m);
  g_free(text);
  return 0;
}
