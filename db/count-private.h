/*
 * count-private.h: what the files of the count model share and nobody else needs.
 *
 * The count model is split by concept (counts.c reads, count-lifecycle.c starts and
 * closes, count-unmarked.c records unmarked items, count-sign-off.c signs off); these few
 * pieces are used by more than one of them. Only db/count*.c include this.
 */
#pragma once
#include "core/json-member.h"
#include "db/store-private.h"

/* How many discrepancies of count ?1 have no resolution in force: one is unresolved when
 * its newest resolution is missing or "reopened". */
#define MUSTER_COUNT_SQL_UNRESOLVED                                                         \
  "(SELECT count(*) FROM discrepancy d WHERE d.count_id = ?1 AND coalesce((SELECT r.action" \
  " FROM resolution r WHERE r.discrepancy_id = d.id ORDER BY r.id DESC LIMIT 1),"           \
  " 'reopened') = 'reopened')"

/* A scope path in a sentence: "" is the whole armoury. */
static inline const char *
count_place_words(const char *path)
{
  return *path != '\0' ? path : "the whole armoury";
}

static inline void
count_json_int(JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name(b, name);
  json_builder_add_int_value(b, value);
}
