/*
 * output.h: how engine records look on the command line, as JSON and as text.
 *
 * One place per record kind, so `item show`, `history`, `count show` and `report` print
 * an item or a discrepancy the same way.
 *
 * And one gate for everything the command prints: output_guard_streams() puts a filter
 * in front of stdout and stderr, so that text that came from outside (a scan line, an
 * item field, a name, an error quoting what was typed) cannot reach the terminal as
 * escape sequences. Data meant for other programs (a CSV export) goes around it with
 * output_write_data().
 */
#pragma once
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "db/counts.h"
#include "db/items.h"
#include "db/reconcile.h"
#include "db/sync-state.h"
#include "db/users.h"

G_BEGIN_DECLS

/* Replaces stdout and stderr with filters that write every control character (C0 but
 * tab and newline, DEL, C1), bidirectional overrides and bytes that are not UTF-8 as
 * escapes: \u001B, \u202E, \xFF. The \u forms are JSON's own escapes, which may appear
 * only inside JSON strings, so JSON passes through as the same JSON values. Call once,
 * before anything is printed. */
void output_guard_streams(void);
/* Appends text to out with the escapes above. Returns how many bytes of text were
 * taken: all but an incomplete UTF-8 sequence at its end (when more may follow). */
gsize output_escape_controls(GString *out, const char *text, gsize len, gboolean more);
/* Writes bytes to standard output exactly as they are (after what is buffered), for
 * data such as CSV. FALSE when writing fails. */
gboolean output_write_data(const char *data, gsize len);

/* "anchor": {audit_seq, audit_at, registry_at, unanchored_entries, unanchored_since}:
 * how far the registry holds this appliance's history (audit verify, sync status). */
void output_anchor_json(JsonBuilder *b, const MusterAnchorReceipt *r);

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
