/*
 * items-private.h: what the files of the item engine share, and nothing outside db/
 * may use (see db/items.h for the public side).
 *
 * The item engine is one module in its own folder, one file per concept. Each file
 * uses only those above it in this list, never one below, so there is no ring:
 *   model.c     the item and its markings as values: status names, copies, the serial key
 *   check.c     the one validation path every item and every field goes through
 *   json.c      JSON for the audit log and the outbox (item.created by hand)
 *   read.c      reading items with their markings; finding them by what is on them
 *   write.c     writing checked new items in bulk (one item or a million)
 *   change.c    how any change is recorded: item_event, audit entry, outbox event
 *   add.c       adding one item by hand
 *   status.c    status and location changes
 *   markings.c  adding and retiring markings
 *   correct.c   corrections of fields entered wrongly
 *   csv.c       CSV import and export
 * registry-changes.c (items arriving from the registry) writes through these too.
 */
#pragma once
#include "db/items.h"
#include "db/store-private.h"

#include "core/json-member.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- model.c ------------------------------------------------------------------------ */

gboolean item_status_known(MusterStatus status);
MusterMarking *item_marking_new(const char *kind, const char *component, const char *value);
/* An empty array of MusterMarking* that frees them. */
GPtrArray *item_markings_new(void);
/* A copy of an item (its markings as kind, component and value only), so that
 * validation may normalise it in place. */
MusterItem *item_copy_fields(const MusterItem *fields);
/* The form a serial is matched by (marking.c's engraved_serial normalisation): the
 * serial itself is kept as written, and two serials with the same key are the same
 * serial. Falls back to the text itself when it cannot be normalised (item_check()
 * refuses such a serial before anything is written). */
char *item_serial_key(const char *serial);

/* ---- check.c ------------------------------------------------------------------------ */

/* The fields of an item as the CSV names them, in export order. The first eleven are
 * the recorded description (correctable); the database columns have the same names. */
typedef enum {
  ITEM_FIELD_MANUFACTURER,
  ITEM_FIELD_COUNTRY,
  ITEM_FIELD_SERIAL,
  ITEM_FIELD_MODEL,
  ITEM_FIELD_CATEGORY,
  ITEM_FIELD_CALIBRE,
  ITEM_FIELD_YEAR,
  ITEM_FIELD_IMPORT_COUNTRY,
  ITEM_FIELD_IMPORT_YEAR,
  ITEM_FIELD_STATE_MARKING,
  ITEM_FIELD_FRAME_MATERIAL,
  ITEM_FIELD_STATUS,
  ITEM_FIELD_LOCATION,
  ITEM_FIELD_CUSTODIAN,
  ITEM_FIELD_MARKINGS,
  ITEM_N_FIELDS
} ItemField;

extern const char *const item_field_names[ITEM_N_FIELDS];

void item_problem(GPtrArray *problems, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* "a; b; c", for an error message. */
char *item_problems_joined(GPtrArray *problems);
void item_check_text(GPtrArray *problems, const char *column, char **value, gboolean required,
                     gboolean multiline);
/* A year cell as the CSV writes it: empty is 0 (unknown). */
int item_parse_year(GPtrArray *problems, const char *column, const char *text);
/* Normalises one marking in place; explains what is wrong with it otherwise. */
gboolean item_check_marking(GPtrArray *problems, MusterMarking *m);
/* The same marking, or the same tag on another component (a tag is on one only). */
gboolean item_marking_same_tag(const MusterMarking *a, const MusterMarking *b);
/* Checks and normalises one field, exactly as item_check() does. */
void item_check_field(GPtrArray *problems, MusterItem *item, ItemField field);
/* The rule between two fields: imported no earlier than made. */
void item_check_year_order(GPtrArray *problems, const MusterItem *item);
/* Every rule an item must meet, wherever it comes from. Normalises in place and puts
 * the engraved serial first among the markings. */
void item_check(GPtrArray *problems, MusterItem *item);

/* ---- json.c ------------------------------------------------------------------------- */

/* Members are added with muster_json_add_str() (core/json-member.h). */
JsonNode *item_json_finish(JsonBuilder *b);
char *item_json_finish_string(JsonBuilder *b);
/* The item.created payload: the whole record with its markings. */
char *item_created_payload(const MusterItem *item);

/* ---- read.c ------------------------------------------------------------------------- */

/* Replaces item->markings with every marking of the item, retired ones too. */
gboolean item_load_markings(MusterStore *store, MusterItem *item, GError **error);
/* The item already recorded with this manufacturer and serial (compared by key): *id 0
 * when none. */
gboolean item_find_same_serial(MusterStore *store, const char *manufacturer, const char *serial,
                               gint64 *id, char **uuid, GError **error);

/* ---- write.c ------------------------------------------------------------------------ */

/* Rows per multi-row INSERT when items are written in bulk. */
#define ITEM_WRITE_BATCH 128

/* A checked item about to be written, with its id already chosen (the caller holds the
 * write lock, so max(id) + 1 onwards are free): its markings and events can then be
 * written in bulk without waiting for each item's rowid. */
typedef struct {
  MusterItem *item;
  char *serial_key;   /* item_serial_key() of its serial */
  gint64 location_id; /* 0: none */
  char *reason;       /* of its 'created' event */
} ItemNew;

/* An empty array of ItemNew that frees what its elements hold. */
GArray *item_new_array(void);
/* Gives a checked item its identity; takes item and reason. */
void item_new_init(ItemNew *n, MusterItem *item, gint64 id, gint64 location_id, const char *now,
                   char *reason);
gboolean item_next_id(MusterStore *store, gint64 *id, GError **error);
/* Writes the items of an ItemNew array with their markings, 'created' events and
 * item.created outbox events. */
gboolean item_write_new(MusterStore *store, const MusterUser *actor, GArray *items, const char *now,
                        GError **error);

/* ---- change.c ----------------------------------------------------------------------- */

/* One item_event row. corrects_id 0: it corrects nothing. */
gboolean item_insert_event(MusterStore *store, gint64 item_id, const char *at, const char *kind,
                           const char *old_value, const char *new_value, const MusterUser *actor,
                           const char *reason, gint64 corrects_id, GError **error);
/* The start of a change's audit detail and outbox payload: who changed which item, when. */
JsonBuilder *item_change_payload(const MusterItem *item, const MusterUser *actor, const char *at);
/* Appends the same change to the audit log (action) and the outbox (kind). */
gboolean item_record_change(MusterStore *store, const MusterUser *actor, const MusterItem *item,
                            const char *action, const char *kind, JsonBuilder *b, GError **error);
/* The trimmed reason, or NULL with an error saying what needs one. */
char *item_required_reason(const char *reason, const char *what, GError **error);

/* ---- markings.c --------------------------------------------------------------------- */

gboolean item_insert_marking(MusterStore *store, gint64 item_id, const MusterMarking *m,
                             const char *at, GError **error);
/* Sets retired_at of the marking row in use; the row itself stays. */
gboolean item_retire_marking_row(MusterStore *store, gint64 item_id, const MusterMarking *m,
                                 const char *at, GError **error);
/* The item_event of a marking added or retired ("kind:component:value"). */
gboolean item_marking_event(MusterStore *store, const MusterUser *actor, const MusterItem *item,
                            const MusterMarking *m, gboolean added, const char *at,
                            const char *reason, GError **error);

G_END_DECLS
