/*
 * count-row.h: a count's row as a change reads it, and the rules that read it.
 *
 * Every change to a count, and every feed into one, starts by loading its row inside the
 * change's transaction (muster_count_load()) and asking the two questions here: may this
 * person act on it, and is it in a state that allows this. Starting, closing, unmarked
 * items and sign-off (db/count-*.c), reconciliation and ingest all ask them here, so each
 * rule is written once. The fuller view of a count, with names and progress, is
 * MusterCount (counts.h).
 */
#pragma once
#include "core/log-event.h"
#include "db/count-state.h"
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef struct {
  gint64 id;
  char *uuid;
  MusterCountState state;
  gint64 counter_id;
  gint64 witness_id;
  char *counter;   /* the counter's user name */
  char *closed_at; /* NULL while open */
} MusterCountRow;

void muster_count_row_clear(MusterCountRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MusterCountRow, muster_count_row_clear)

/* Fills row (zeroed by the caller) with count id; NOT_FOUND when there is none. */
gboolean muster_count_load(MusterStore *store, gint64 id, MusterCountRow *row, GError **error);

/* The NOT_FOUND error for a count number nothing has, saying where to look. FALSE. */
gboolean muster_count_not_found(gint64 id, GError **error);

/* Who may act on a count: someone active, staff or above, who is its counter (or its
 * witness too, when witness_may); anyone else must be a supervisor or an admin. Roles
 * are read as the store has them now. what names the action for the first refusal
 * ("Scanning"); as_other names it for the second, or NULL for "<what> count 12 as
 * someone other than its counter". */
gboolean muster_count_require_participant(MusterStore *store, const MusterCountRow *c,
                                          const MusterUser *actor, gboolean witness_may,
                                          const char *what, const char *as_other, GError **error);

/* Something done within one state (an unmarked item is recorded in an open count):
 * STATE error naming doing ("Recording an unmarked item") otherwise. */
gboolean muster_count_require_state(const MusterCountRow *c, MusterCountState want,
                                    const char *doing, GError **error);

/* A change that moves the count to state to: STATE error unless the table of states
 * allows it from the count's state (count-state.h). */
gboolean muster_count_require_move(const MusterCountRow *c, MusterCountState to, const char *doing,
                                   GError **error);

/* Tells the journal (core/log-event.h) that count c moved, by actor; detail adds to the
 * message (NULL: nothing). Called once the move's transaction has committed. */
void muster_count_log_event(MusterEvent event, const MusterCountRow *c, const char *actor,
                            const char *detail);

G_END_DECLS
