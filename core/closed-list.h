/*
 * closed-list.h: reading a closed list kept as one table.
 *
 * A closed list (the kinds of discrepancy, the resolution actions, the roles, the item
 * statuses, the scan outcomes, ...) is written once, as a C array of rows whose first
 * member is the row's name: the word the database stores, its CHECK constraint allows
 * and the command line takes. A row's position is its enum value and its order; the
 * other members are its label and its rules. These functions read any such table, so no
 * list needs to_string and from_string loops of its own, and tests can walk every table.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const void *rows; /* n rows of stride bytes, each starting with `const char *name` */
  guint n;
  gsize stride;
} MusterClosedList;

/* The closed list of a C array of rows (or of a plain array of names). */
#define MUSTER_CLOSED_LIST(table) {(table), G_N_ELEMENTS(table), sizeof((table)[0])}

/* Row i's name; "unknown" when i is past the end. */
const char *muster_closed_list_name(const MusterClosedList *list, guint i);
/* The position of name, or -1 when it is NULL or not in the list. */
int muster_closed_list_find(const MusterClosedList *list, const char *name);
/* TRUE when name is in list; else FALSE with MUSTER_ERROR_INVALID from message, a
 * format taking the name given and then every name: "Unknown kind '%s': use one of %s." */
gboolean muster_closed_list_check(const MusterClosedList *list, const char *name,
                                  const char *message, GError **error);
/* Every name, for messages: "a, b, c" (last_sep ", ") or "a, b or c" (last_sep " or "). */
char *muster_closed_list_join(const MusterClosedList *list, const char *last_sep);

G_END_DECLS
