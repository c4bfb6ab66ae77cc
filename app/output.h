/*
 * output.h: how engine records look on the command line, as JSON and as text.
 *
 * One place per record kind, so `item show`, `history`, `count show` and `report` print
 * an item or a discrepancy the same way.
 */
#pragma once
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "db/counts.h"
#include "db/items.h"
#include "db/reconcile.h"
#include "db/users.h"

G_BEGIN_DECLS

void output_item_json(JsonBuilder *b, const MusterItem *item);
void output_item_text(FILE *out, const MusterItem *item);
/* "Glock 17 (9x19mm) SN GL-123456" */
char *output_item_label(const MusterItem *item);

/* show_expected FALSE hides expected figures (blind count, counter or witness). */
void output_count_json(JsonBuilder *b, const MusterCount *count, gboolean show_expected);
void output_count_text(FILE *out, const MusterCount *count, gboolean show_expected);

void output_discrepancy_json(JsonBuilder *b, const MusterDiscrepancy *d);
void output_discrepancy_text(FILE *out, const MusterDiscrepancy *d);

G_END_DECLS
