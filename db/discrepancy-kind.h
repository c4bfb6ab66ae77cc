/*
 * discrepancy-kind.h: the kinds of discrepancy a reconciliation reports, as one table.
 *
 * The table (discrepancy-kind.c) is the list: its order is the order discrepancies are
 * listed and counted in, its labels are what the kiosk shows, and its rules say who may
 * resolve each kind. The schema's CHECK on discrepancy.kind, the README's table and the
 * demo's planted problems are tested against it (tests/unit/test-closed-lists.c).
 *
 * Adding a kind: a row here and in the table, its INSERT ... SELECT in db/reconcile.c
 * (its kind_statements[]), a migration widening the CHECK, and a case in
 * tests/unit/test-reconcile.c; the README's table and the translations (db/po/) follow.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MUSTER_DISCREPANCY_MISSING,
  MUSTER_DISCREPANCY_WRONG_LOCATION,
  MUSTER_DISCREPANCY_UNKNOWN_MARKING,
  MUSTER_DISCREPANCY_UNMARKED_ITEM,
  MUSTER_DISCREPANCY_STATUS_CONFLICT,
  MUSTER_DISCREPANCY_DUPLICATE_MARKING,
  MUSTER_DISCREPANCY_COMPONENT_MISMATCH,
  MUSTER_DISCREPANCY_MARKING_MISMATCH,
  MUSTER_DISCREPANCY_OVERDUE,
  MUSTER_DISCREPANCY_NOT_GENUINE,
  MUSTER_N_DISCREPANCY_KINDS
} MusterDiscrepancyKind;

typedef struct {
  const char *name;          /* as stored (discrepancy.kind) and typed: "missing" */
  const char *label;         /* as a person reads it, untranslated: see _label() */
  const char *in_a_sentence; /* in an English sentence: "a missing item" */
  /* Resolving it needs a supervisor (not an admin) and a second person to confirm. */
  gboolean second_person;
} MusterDiscrepancyKindInfo;

extern const MusterDiscrepancyKindInfo muster_discrepancy_kind_table[MUSTER_N_DISCREPANCY_KINDS];

/* The kind named name; FALSE when there is none. */
gboolean muster_discrepancy_kind_from_name(const char *name, MusterDiscrepancyKind *kind);
/* "missing", ...; "unknown" past the end. */
const char *muster_discrepancy_kind_name(MusterDiscrepancyKind kind);
/* The label in the reader's language (the engine's gettext domain, db/po/). */
const char *muster_discrepancy_kind_label(MusterDiscrepancyKind kind);
/* TRUE for a kind whose resolution needs a second person; FALSE for an unknown one. */
gboolean muster_discrepancy_kind_needs_second_person(const char *name);
/* TRUE when name is a kind, else FALSE with INVALID naming them all. */
gboolean muster_discrepancy_kind_check(const char *name, GError **error);

G_END_DECLS
