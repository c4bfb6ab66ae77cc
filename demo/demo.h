/*
 * demo.h: a synthetic armoury for the demo and the tests.
 *
 * From a size and a seed it makes, deterministically (the same seed gives byte-identical
 * output), the four things a demonstration of a full count needs:
 *   - the register, as CSV text in the import format of db/items.h;
 *   - the scan feed a counter would produce walking every rack, one line each, in the
 *     format muster_scan_parse_line() reads (JSON objects; "@R1/A" lines say where the
 *     counter is);
 *   - the unmarked items the counter finds, to be recorded by hand;
 *   - the manifest of the anomalies planted in the feed, so a test or the demo can check
 *     that reconciliation finds exactly these and nothing else.
 *
 * The generator knows nothing of the database: it produces text, like a real armoury's
 * export and a real reader would.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* Smaller registers cannot hold every planted anomaly apart from normal items. */
#define MUSTER_DEMO_MIN_ITEMS 200
#define MUSTER_DEMO_DEFAULT_ITEMS 2400

typedef struct {
  char *description; /* what the counter writes down */
  char *location;    /* rack where it was found ("R2/C") */
} MusterDemoUnmarked;

/* One planted anomaly. kind is a discrepancy kind (the table of db/discrepancy-kind.h;
 * every one but overdue is planted, which unit/test-closed-lists checks) with
 * discrepancy TRUE, or one that is not a discrepancy but must be handled:
 * "repeated_scan" (one tag read several times: one find) and "unreadable" (a garbage
 * line: kept as an unreadable scan). */
typedef struct {
  const char *kind;
  gboolean discrepancy;
  /* The key reconciliation files it under where that does not depend on the database:
   * the marking value (unknown_marking, not_genuine, component_mismatch, repeated_scan),
   * "serial:S" (duplicate_marking), "group:G" (marking_mismatch), the raw line
   * (unreadable). For missing, wrong_location and status_conflict (keyed by the item's
   * uuid) the serial; for unmarked_item (keyed by its record's uuid) the description. */
  char *subject;
  char *manufacturer; /* the item concerned, with serial; NULL when none */
  char *serial;
  char *other_manufacturer; /* the other item of a pair; NULL when none */
  char *other_serial;
  char *location; /* where it was found (for missing: where it was expected) */
  char *note;     /* one line a person reads */
} MusterDemoAnomaly;

typedef struct {
  guint n_items;
  guint32 seed;
  char *home_country;   /* ISO 3166 code of the armoury's state: domestic makes are not
                         * import-marked */
  guint expected;       /* items in store: what a count of the whole armoury expects */
  GString *csv;         /* the register, with header */
  GPtrArray *feed;      /* char*, one scan-feed line each, no line terminator */
  GPtrArray *unmarked;  /* MusterDemoUnmarked* */
  GPtrArray *anomalies; /* MusterDemoAnomaly*, in the order they were planted */
} MusterDemo;

/* n_items is clamped to at least MUSTER_DEMO_MIN_ITEMS. */
MusterDemo *muster_demo_generate(guint n_items, guint32 seed);
void muster_demo_free(MusterDemo *demo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterDemo, muster_demo_free)

/* The anomalies of one kind. */
guint muster_demo_count_kind(const MusterDemo *demo, const char *kind);

/* The feed as text, one line each, ending with a newline: what `muster count feed`
 * reads on stdin. */
char *muster_demo_feed_text(const MusterDemo *demo);

G_END_DECLS
