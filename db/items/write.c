/*
 * write.c: writing checked new items, with everything that records their creation.
 *
 * The serial is written as it was given; serial_key beside it is the form it is
 * matched by (item_serial_key()), which the unique index compares.
 *
 * A new item is four kinds of row: the item, its markings, its 'created' item_event, and
 * its item.created outbox event (the audit entry is the caller's: one per add, one per
 * import). Adding one item and importing a million go through the same writer, so both
 * record exactly the same rows.
 *
 * The rows are written with multi-row INSERTs, ITEM_WRITE_BATCH at a time. Each
 * statement run has a fixed cost (cursors, a savepoint, the CHECK constraints' setup);
 * one statement for many rows pays it once, about a tenth of an import's time. Item ids
 * are chosen up front (item_next_id, under the write lock) so that markings and events
 * can be written in bulk without waiting for each item's rowid.
 */
#include "db/items/items-private.h"
#include "db/store-private.h"

typedef struct {
  gint64 item_id;
  const MusterMarking *marking;
} NewMarking;

typedef struct {
  const char *uuid;
  char *payload;
} NewOutbox;

typedef struct {
  const MusterUser *actor;
  const char *now;
} WriteContext;

typedef void (*BindRow)(sqlite3_stmt *stmt, int base, gconstpointer row, const WriteContext *ctx);

static void
item_new_clear(gpointer p)
{
  ItemNew *n = p;
  g_clear_pointer(&n->item, muster_item_free);
  g_clear_pointer(&n->serial_key, g_free);
  g_clear_pointer(&n->reason, g_free);
}

GArray *
item_new_array(void)
{
  GArray *a = g_array_new(FALSE, TRUE, sizeof(ItemNew));
  g_array_set_clear_func(a, item_new_clear);
  return a;
}

void
item_new_init(ItemNew *n, MusterItem *item, gint64 id, gint64 location_id, const char *now,
              char *reason)
{
  item->id = id;
  g_free(item->uuid);
  item->uuid = muster_uuid_new();
  g_free(item->created_at);
  item->created_at = g_strdup(now);
  n->item = item;
  n->serial_key = item_serial_key(item->serial);
  n->location_id = location_id;
  n->reason = reason;
}

gboolean
item_next_id(MusterStore *store, gint64 *id, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, "SELECT coalesce(max(id), 0) + 1 FROM item", error);
  if (stmt == NULL)
    return FALSE;
  int rc = sqlite3_step(stmt);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Reading the records", error);
  return TRUE;
}

/* "INSERT INTO t (a, b) VALUES (?,?),(?,?)..." for nrows rows of ncols columns. */
static char *
insert_sql(const char *head, guint ncols, guint nrows)
{
  GString *sql = g_string_new(head);
  g_string_append(sql, " VALUES ");
  for (guint r = 0; r < nrows; r++) {
    g_string_append(sql, r > 0 ? ",(" : "(");
    for (guint c = 0; c < ncols; c++)
      g_string_append(sql, c > 0 ? ",?" : "?");
    g_string_append_c(sql, ')');
  }
  return g_string_free(sql, FALSE);
}

/* Inserts the rows of an array, ITEM_WRITE_BATCH at a time and the rest one by one (one
 * statement per size keeps the statement cache small). */
static gboolean
insert_rows(MusterStore *store, const char *head, guint ncols, GArray *rows, BindRow bind,
            const WriteContext *ctx, const char *doing, GError **error)
{
  g_autofree char *one = insert_sql(head, ncols, 1);
  g_autofree char *many =
      rows->len >= ITEM_WRITE_BATCH ? insert_sql(head, ncols, ITEM_WRITE_BATCH) : NULL;
  gsize size = g_array_get_element_size(rows);
  for (guint i = 0; i < rows->len;) {
    guint n = rows->len - i >= ITEM_WRITE_BATCH ? ITEM_WRITE_BATCH : 1;
    sqlite3_stmt *stmt = muster_store_stmt(store, n > 1 ? many : one, error);
    if (stmt == NULL)
      return FALSE;
    for (guint r = 0; r < n; r++)
      bind(stmt, (int)(r * ncols), rows->data + (i + r) * size, ctx);
    if (!muster_store_step_done(store, stmt, doing, error))
      return FALSE;
    i += n;
  }
  return TRUE;
}

/* Binds text that outlives the statement's step; NULL binds NULL. */
static void
bind_str(sqlite3_stmt *stmt, int idx, const char *s)
{
  if (s != NULL)
    sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC);
}

static void
bind_int_or_null(sqlite3_stmt *stmt, int idx, gint64 v)
{
  if (v != 0)
    sqlite3_bind_int64(stmt, idx, v);
}

#define ITEM_INSERT                                                                       \
  "INSERT INTO item (id, uuid, manufacturer, country_of_manufacture, serial, model, "     \
  "category, calibre, year, import_country, import_year, state_marking, frame_material, " \
  "status, location_id, custodian, created_at, serial_key)"

static void
bind_item(sqlite3_stmt *stmt, int base, gconstpointer row, const WriteContext *ctx)
{
  const ItemNew *n = row;
  const MusterItem *item = n->item;
  sqlite3_bind_int64(stmt, base + 1, item->id);
  bind_str(stmt, base + 2, item->uuid);
  bind_str(stmt, base + 3, item->manufacturer);
  bind_str(stmt, base + 4, item->country);
  bind_str(stmt, base + 5, item->serial);
  bind_str(stmt, base + 6, item->model);
  bind_str(stmt, base + 7, item->category);
  bind_str(stmt, base + 8, item->calibre);
  bind_int_or_null(stmt, base + 9, item->year);
  bind_str(stmt, base + 10, item->import_country);
  bind_int_or_null(stmt, base + 11, item->import_year);
  bind_str(stmt, base + 12, item->state_marking);
  bind_str(stmt, base + 13, item->frame_material);
  bind_str(stmt, base + 14, muster_status_to_string(item->status));
  bind_int_or_null(stmt, base + 15, n->location_id);
  bind_str(stmt, base + 16, item->custodian);
  bind_str(stmt, base + 17, item->created_at);
  bind_str(stmt, base + 18, n->serial_key);
}

#define MARKING_INSERT "INSERT INTO marking (item_id, kind, component, value, created_at)"

static void
bind_marking(sqlite3_stmt *stmt, int base, gconstpointer row, const WriteContext *ctx)
{
  const NewMarking *m = row;
  sqlite3_bind_int64(stmt, base + 1, m->item_id);
  bind_str(stmt, base + 2, m->marking->kind);
  bind_str(stmt, base + 3, m->marking->component);
  bind_str(stmt, base + 4, m->marking->value);
  bind_str(stmt, base + 5, ctx->now);
}

/* The same rows muster_outbox_append() writes, in bulk (see item_created_payload()). */
#define OUTBOX_INSERT "INSERT INTO outbox (at, kind, entity_uuid, payload)"

static void
new_outbox_clear(gpointer p)
{
  g_free(((NewOutbox *)p)->payload);
}

static void
bind_outbox(sqlite3_stmt *stmt, int base, gconstpointer row, const WriteContext *ctx)
{
  const NewOutbox *o = row;
  bind_str(stmt, base + 1, ctx->now);
  bind_str(stmt, base + 2, "item.created");
  bind_str(stmt, base + 3, o->uuid);
  bind_str(stmt, base + 4, o->payload);
}

#define CREATED_INSERT "INSERT INTO item_event (item_id, at, kind, new_value, user_id, reason)"

static void
bind_created(sqlite3_stmt *stmt, int base, gconstpointer row, const WriteContext *ctx)
{
  const ItemNew *n = row;
  sqlite3_bind_int64(stmt, base + 1, n->item->id);
  bind_str(stmt, base + 2, ctx->now);
  bind_str(stmt, base + 3, "created");
  bind_str(stmt, base + 4, muster_status_to_string(n->item->status));
  if (ctx->actor != NULL)
    sqlite3_bind_int64(stmt, base + 5, ctx->actor->id);
  bind_str(stmt, base + 6, n->reason);
}

/* Items go first: markings and events refer to them. */
gboolean
item_write_new(MusterStore *store, const MusterUser *actor, GArray *items, const char *now,
               GError **error)
{
  WriteContext ctx = {actor, now};
  g_autoptr(GArray) markings = g_array_new(FALSE, FALSE, sizeof(NewMarking));
  g_autoptr(GArray) outbox = g_array_sized_new(FALSE, FALSE, sizeof(NewOutbox), items->len);
  g_array_set_clear_func(outbox, new_outbox_clear);
  for (guint i = 0; i < items->len; i++) {
    const MusterItem *item = g_array_index(items, ItemNew, i).item;
    for (guint j = 0; j < item->markings->len; j++) {
      NewMarking m = {item->id, g_ptr_array_index(item->markings, j)};
      g_array_append_val(markings, m);
    }
    NewOutbox o = {item->uuid, item_created_payload(item)};
    g_array_append_val(outbox, o);
  }
  if (!insert_rows(store, ITEM_INSERT, 18, items, bind_item, &ctx, "Recording the items", error) ||
      !insert_rows(store, MARKING_INSERT, 5, markings, bind_marking, &ctx, "Recording the markings",
                   error) ||
      !insert_rows(store, CREATED_INSERT, 6, items, bind_created, &ctx,
                   "Recording the items' history", error))
    return FALSE;
  return insert_rows(store, OUTBOX_INSERT, 4, outbox, bind_outbox, &ctx,
                     "Queueing the items for the registry", error);
}
