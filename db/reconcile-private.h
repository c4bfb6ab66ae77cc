/*
 * reconcile-private.h: what the run (reconcile.c) and the discrepancy records
 * (discrepancies.c) share, and nothing outside them may use.
 */
#pragma once
#include "db/store-private.h"

G_BEGIN_DECLS

/* An item as one line of SQL text: "Glock 17 9x19 SN GL-123456" (i: the item's alias). */
/* clang-format off */
#define SQL_ITEM(i) \
  i ".manufacturer || ' ' || " i ".model || coalesce(' ' || " i ".calibre, '')" \
  " || ' SN ' || " i ".serial"
/* clang-format on */

/* Binds a named parameter when the statement has it. */
static inline void
bind_named_text(sqlite3_stmt *stmt, const char *name, const char *value)
{
  int idx = sqlite3_bind_parameter_index(stmt, name);
  if (idx > 0)
    sqlite3_bind_text(stmt, idx, value, -1, SQLITE_TRANSIENT);
}

static inline void
bind_named_int(sqlite3_stmt *stmt, const char *name, gint64 value)
{
  int idx = sqlite3_bind_parameter_index(stmt, name);
  if (idx > 0)
    sqlite3_bind_int64(stmt, idx, value);
}

/* NOT_FOUND, saying how to list the counts, when there is no count count_id. */
gboolean reconcile_count_exists(MusterStore *store, gint64 count_id, GError **error);

G_END_DECLS
