/*
 * items.h: weapons, their markings, and changes to their status and location.
 *
 * The item row holds the current state; every change appends an item_event row (the
 * tracing history), an audit entry, and an outbox event for the registry, in one
 * transaction. Two items may share a serial if their manufacturers differ (that is a
 * duplicate-marking finding for reconciliation, not an error); the same manufacturer
 * and serial twice is refused.
 *
 * Implemented in db/items/, one file per concept (listed in db/items/items-private.h).
 */
#pragma once
#include "core/closed-list.h"
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef enum {
  MUSTER_STATUS_IN_STORE,
  MUSTER_STATUS_ISSUED,
  MUSTER_STATUS_IN_REPAIR,
  MUSTER_STATUS_IN_TRANSIT,
  MUSTER_STATUS_LOST,
  MUSTER_STATUS_STOLEN,
  MUSTER_STATUS_DESTROYED,
  MUSTER_STATUS_SEIZED,
} MusterStatus;

/* The statuses, named as stored: "in_store", ... (items.c, with their rules). */
extern const MusterClosedList muster_status_list;
const char *muster_status_to_string(MusterStatus s);   /* "in_store", ... */
gboolean muster_status_from_string(const char *s, MusterStatus *out, GError **error);
/* TRUE for a status (by name) an item found in a count should not have: issued, lost,
 * stolen, destroyed, in transit. Ingest reports such a find as a status conflict. */
gboolean muster_status_conflicts_with_found(const char *status);

typedef struct {
  char *kind;       /* engraved_serial, barcode, datamatrix_uii, hf_uid, uhf_epc, ndef */
  char *component;  /* frame, barrel, slide, bolt, cylinder */
  char *value;      /* normalised (marking/marking.h) */
  char *created_at;
  char *retired_at; /* NULL while in use */
} MusterMarking;
void muster_marking_free(MusterMarking *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterMarking, muster_marking_free)

typedef struct {
  gint64 id;
  char *uuid;
  char *manufacturer;
  char *country;          /* ISO 3166 alpha-2 of manufacture */
  char *serial;
  char *model;            /* type/model */
  char *category;
  char *calibre;
  int year;               /* 0 when unknown */
  char *import_country;   /* NULL when not imported */
  int import_year;        /* 0 when unknown */
  char *state_marking;
  char *frame_material;
  MusterStatus status;
  char *location_path;    /* NULL when it has no location (issued, lost, ...) */
  char *custodian;        /* unit or person holding it when issued */
  char *created_at;
  GPtrArray *markings;    /* MusterMarking*, may be NULL when not loaded */
} MusterItem;

void muster_item_free(MusterItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterItem, muster_item_free)

/* Admin: adds one item (fields as in MusterItem; id/uuid/created_at are ignored) with its
 * markings; the engraved serial is always added as a frame marking. */
MusterItem *muster_items_add(MusterStore *store, const MusterUser *actor,
                             const MusterItem *fields, GError **error);

MusterItem *muster_items_get(MusterStore *store, gint64 id, GError **error);
/* Calls func with every item in the order recorded, markings (retired ones too) loaded;
 * one at a time, so that a million items are never all in memory. */
typedef void (*MusterItemFunc)(const MusterItem *item, gpointer user_data);
gboolean muster_items_foreach(MusterStore *store, MusterItemFunc func, gpointer user_data,
                              GError **error);
MusterItem *muster_items_get_by_uuid(MusterStore *store, const char *uuid, GError **error);

/* Every item that carries marking text (normalised first), or whose serial is it. Empty
 * array when nothing matches. Element type MusterItem* with markings loaded. Retired
 * markings still match (for tracing); their retired_at says so. */
GPtrArray *muster_items_find_by_marking(MusterStore *store, const char *text, GError **error);

/* The normalised forms a typed or scanned text may be stored under (as any marking, as
 * a serial, without spaces, as a UID with '-' separators), without repeats: what
 * find_by_marking looks up. Element type char*. */
GPtrArray *muster_items_lookup_forms(const char *text);

/* Resolves "what the user typed" (a uuid, a marking or serial) to exactly one item;
 * NOT_FOUND or INVALID ("matches 2 items: ...; use the uuid") otherwise. */
MusterItem *muster_items_resolve(MusterStore *store, const char *text, GError **error);

/* Supervisor or admin. reason is required. custodian (the unit or person holding it)
 * is required for issued and replaces the recorded one (NULL clears it); the location
 * stays as recorded until the item is moved. */
gboolean muster_items_set_status(MusterStore *store, const MusterUser *actor, gint64 item_id,
                                 MusterStatus status, const char *custodian,
                                 const char *reason, GError **error);
/* Supervisor or admin. The location must exist. */
gboolean muster_items_move(MusterStore *store, const MusterUser *actor, gint64 item_id,
                           const char *location_path, const char *reason, GError **error);
/* Admin. add_marking refuses a marking the item carries or once carried. retire_marking
 * retires every marking in use on the item whose value matches value (normalised as for
 * find_by_marking); reason is required. */
gboolean muster_items_add_marking(MusterStore *store, const MusterUser *actor, gint64 item_id,
                                  const char *kind, const char *component, const char *value,
                                  GError **error);
gboolean muster_items_retire_marking(MusterStore *store, const MusterUser *actor,
                                     gint64 item_id, const char *value, const char *reason,
                                     GError **error);

/* Admin. Corrects one recorded field of an item that was entered wrongly; reason is
 * required. field is the CSV column: manufacturer, country_of_manufacture, serial,
 * model, category, calibre, year, import_country, import_year, state_marking or
 * frame_material. status, location, custodian and markings are not corrected but
 * changed, by their own calls; they are refused with a message naming the command.
 * new_value is written as in the CSV and judged exactly as import judges it (empty
 * clears an optional field); a manufacturer or serial another item already has with the
 * other half is refused (MUSTER_ERROR_EXISTS), as is a value equal to the recorded one
 * (MUSTER_ERROR_STATE).
 *
 * Nothing is overwritten without a trace: an item_event of kind 'correction' records
 * old_value "FIELD: OLD" and new_value "FIELD: NEW" (nothing after ": " when there is no
 * value), the reason, the user, and corrects_id: the event that last set the field (the
 * item's 'created' event, or the previous correction of the same field). A corrected
 * serial also retires the engraved_serial frame marking of the old serial and adds one
 * for the new ('marking' events), so the old serial still traces to the item; a serial
 * whose marking the item once carried cannot be put back (markings are not reinstated).
 * One audit entry "item.correct" and one outbox event "item.corrected". */
gboolean muster_items_correct(MusterStore *store, const MusterUser *actor, gint64 item_id,
                              const char *field, const char *new_value, const char *reason,
                              GError **error);

gint64 muster_items_count(MusterStore *store, GError **error);

/* CSV, RFC 4180, UTF-8, with a header line. Columns (in any order, names exact):
 *   manufacturer, country_of_manufacture, serial, model, category, calibre, year,
 *   import_country, import_year, state_marking, frame_material, status, location,
 *   custodian, markings
 * Required: manufacturer, country_of_manufacture, serial, model, category, status.
 * Countries: ISO 3166-1 alpha-2, upper case. Years: 1800 to next year, or empty.
 * location: empty for none, "/" for the armoury itself, else a path (created as
 * needed). Only model, category, calibre, state_marking, frame_material and custodian
 * may span lines.
 * markings: "kind:component:value" entries separated by ';' (the value may contain ':').
 * The engraved serial is always recorded as engraved_serial:frame:<serial>, so listing
 * it is allowed but not needed. A tag (hf_uid, uhf_epc, datamatrix_uii) may be on one
 * item of a file only.
 *
 * Import is all or nothing, in one transaction: every problem is collected into errors
 * (one string each, starting "line N:" or "line N, field F:", at most 1000) and, if
 * there is any, nothing is imported and FALSE is returned with MUSTER_ERROR_INVALID.
 * *errors is set (empty on success) unless the actor was refused. One audit entry
 * "items.import" records the count and the SHA-256 of data. Admin only. */
typedef struct {
  gint64 imported;
  gint64 locations_created;
} MusterImportResult;
gboolean muster_items_import_csv(MusterStore *store, const MusterUser *actor,
                                 const char *data, gsize len, MusterImportResult *result,
                                 GPtrArray **errors, GError **error);
/* Writes every item in the import format (so export then import round-trips). */
gboolean muster_items_export_csv(MusterStore *store, GString *out, GError **error);

G_END_DECLS
