/*
 * bench/register.c: the synthetic register the benchmarks count, and the scan lines of
 * its items (see bench/README.md for the mix).
 *
 * Shape, and why:
 *  - Item i (1..n) is a pure function of i: its make and model (one of 8), its serial
 *    "<prefix>-<i>", its HF tag UID (every other item) and its rack. So the register
 *    CSV and the feed are written independently, and a feed line names an item without
 *    the generator keeping the register in memory.
 *  - Both benchmarks go through the real import (muster_items_import_csv()) and the real
 *    parser (muster_scan_parse_line()), so what is written here is exactly the text a
 *    user would import or a reader would send.
 *  - The feed's order and mix are the benchmark's own (what it plants differs); the
 *    random choices here are drawn from its GRand, so a seed gives the same file.
 */
#include "register.h"

#include "harness.h"

#define ITEMS_PER_RACK 1000
#define RACKS_PER_ROOM 50

typedef struct {
  const char *manufacturer, *country, *prefix, *model, *category, *calibre, *material;
} Model;

static const Model models[] = {
    {"Glock", "AT", "GL", "17", "pistol", "9x19", "polymer"},
    {"Heckler & Koch", "DE", "HK", "G36", "rifle", "5.56x45", "polymer"},
    {"FN Herstal", "BE", "FN", "FNC", "rifle", "5.56x45", "steel"},
    {"SIG Sauer", "CH", "SG", "P226", "pistol", "9x19", "aluminium"},
    {"Beretta", "IT", "BE", "92FS", "pistol", "9x19", "aluminium"},
    {"Steyr Mannlicher", "AT", "ST", "AUG A3", "rifle", "5.56x45", "polymer"},
    {"Kalashnikov Concern", "RU", "KC", "AK-74M", "rifle", "5.45x39", "steel"},
    {"Colt", "US", "CO", "M4A1", "carbine", "5.56x45", "aluminium"},
};

static const Model *
item_model(gint64 i)
{
  return &models[i % G_N_ELEMENTS(models)];
}

static void
item_serial(char *buf, gsize len, gint64 i)
{
  g_snprintf(buf, len, "%s-%07" G_GINT64_FORMAT, item_model(i)->prefix, i);
}

/* Every other item carries an HF tag. Its 7-byte UID is 04 and 48 bits of an odd
 * multiple of i: a bijection, so UIDs never collide; 05... never occurs (unknown tags). */
static gboolean
item_has_tag(gint64 i)
{
  return i % 2 == 0;
}

static guint64
tag_bits(gint64 i)
{
  return ((guint64)i * G_GUINT64_CONSTANT(0x9E3779B97F4B) ^ G_GUINT64_CONSTANT(0x5A5A5A5A5A5A)) &
         G_GUINT64_CONSTANT(0xFFFFFFFFFFFF);
}

/* "R01/K001": rack place / 1000, 50 racks to a room. */
static void
rack_location(char *buf, gsize len, gint64 place)
{
  gint64 rack = place / ITEMS_PER_RACK;
  g_snprintf(buf, len, "R%02" G_GINT64_FORMAT "/K%03" G_GINT64_FORMAT, rack / RACKS_PER_ROOM + 1,
             rack % RACKS_PER_ROOM + 1);
}

static void
write_csv_row(FILE *f, gint64 i, BenchMix mix)
{
  const Model *m = item_model(i);
  gboolean varied = mix == BENCH_MIX_VARIED;
  gboolean issued = varied && i % 200 == 7;
  int year = (int)(1990 + i % 34);
  char serial[32], loc[32], import_year[8] = "";
  item_serial(serial, sizeof serial, i);
  /* The varied register has always counted racks from item 0 (999 items in the first):
   * kept, so that its data and figures stay comparable with earlier runs. */
  rack_location(loc, sizeof loc, varied ? i : i - 1);
  if (varied && i % 10 == 3)
    g_snprintf(import_year, sizeof import_year, "%d", year + 1);
  fprintf(f, "%s,%s,%s,%s,%s,%s,%d,%s,%s,,%s,%s,%s,%s,", m->manufacturer, m->country, serial,
          m->model, m->category, m->calibre, year, *import_year ? "NG" : "", import_year,
          m->material, issued ? "issued" : "in_store", issued ? "" : loc,
          issued ? "2nd Company" : "");
  if (item_has_tag(i))
    fprintf(f, "hf_uid:frame:04%012" G_GINT64_MODIFIER "X", tag_bits(i));
  fputc('\n', f);
}

gboolean
bench_register_write_csv(const char *path, gint64 n_items, BenchMix mix, GError **error)
{
  FILE *f = fopen(path, "w");
  if (f == NULL)
    return bench_errno_fail(error, path);
  fputs("manufacturer,country_of_manufacture,serial,model,category,calibre,year,"
        "import_country,import_year,state_marking,frame_material,status,location,custodian,"
        "markings\n",
        f);
  for (gint64 i = 1; i <= n_items; i++)
    write_csv_row(f, i, mix);
  return fclose(f) == 0 || bench_errno_fail(error, path);
}

gint64 *
bench_register_walk_order(GRand *rand, gint64 n)
{
  gint64 *order = g_new(gint64, n);
  for (gint64 i = 0; i < n; i++)
    order[i] = i + 1;
  for (gint64 start = 0; start < n; start += 64) {
    gint64 len = MIN(64, n - start);
    for (gint64 k = len - 1; k > 0; k--) {
      gint64 j = g_rand_int_range(rand, 0, (gint32)k + 1);
      gint64 t = order[start + k];
      order[start + k] = order[start + j];
      order[start + j] = t;
    }
  }
  return order;
}

/* A tagged item is read as its UID in hex one time in four, as an NFC reader's JSON line
 * one in four; otherwise by its serial (varied: one draw in ten as a Code 128 reader's
 * JSON line). One random draw per line whatever the mix. */
void
bench_register_write_scan(FILE *f, GRand *rand, gint64 i, BenchMix mix)
{
  char serial[32];
  guint r = (guint)g_rand_int_range(rand, 0, 100);
  if (item_has_tag(i) && r < 25) {
    guint64 t = tag_bits(i);
    fprintf(f, "04:%02X:%02X:%02X:%02X:%02X:%02X\n", (guint)(t >> 40) & 0xff,
            (guint)(t >> 32) & 0xff, (guint)(t >> 24) & 0xff, (guint)(t >> 16) & 0xff,
            (guint)(t >> 8) & 0xff, (guint)t & 0xff);
    return;
  }
  if (item_has_tag(i) && r < 50) {
    fprintf(f,
            "{\"value\":\"04%012" G_GINT64_MODIFIER "X\",\"kind\":\"hf_uid\",\"reader\":"
            "\"nfc-1\",\"reader_kind\":\"nfc\",\"symbology\":\"ntag215\"}\n",
            tag_bits(i));
    return;
  }
  item_serial(serial, sizeof serial, i);
  if (mix == BENCH_MIX_VARIED && r >= 90)
    fprintf(f,
            "{\"value\":\"%s\",\"kind\":\"engraved_serial\",\"reader\":\"usb-1\","
            "\"reader_kind\":\"usb-hid\",\"symbology\":\"code128\"}\n",
            serial);
  else
    fprintf(f, "%s\n", serial);
}

/* Which items stay missing: n distinct ones spread over the register. */
static GHashTable *
pick_missing(GRand *rand, gint64 n_items, gint64 n)
{
  GHashTable *missing = g_hash_table_new(g_direct_hash, g_direct_equal);
  while ((gint64)g_hash_table_size(missing) < n)
    g_hash_table_add(missing,
                     GSIZE_TO_POINTER((gsize)g_rand_int_range(rand, 1, (gint32)n_items + 1)));
  return missing;
}

/* Every item once in walk order, except the missing ones; the unknown markings (all
 * distinct, never in the register) at random places in between. */
static gboolean
write_count_feed(const char *path, guint32 seed, gint64 n_items, gint64 n_missing, gint64 n_unknown,
                 GError **error)
{
  FILE *f = fopen(path, "w");
  if (f == NULL)
    return bench_errno_fail(error, path);
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  g_autofree gint64 *order = bench_register_walk_order(rand, n_items);
  g_autoptr(GHashTable) missing = pick_missing(rand, n_items, n_missing);
  gint64 unknown = 0;
  for (gint64 k = 0; k < n_items; k++) {
    if (unknown < n_unknown && g_rand_int_range(rand, 0, (gint32)n_items) < n_unknown)
      fprintf(f, "XX-%07" G_GINT64_FORMAT "\n", ++unknown);
    if (!g_hash_table_contains(missing, GSIZE_TO_POINTER((gsize)order[k])))
      bench_register_write_scan(f, rand, order[k], BENCH_MIX_PLAIN);
  }
  while (unknown < n_unknown)
    fprintf(f, "XX-%07" G_GINT64_FORMAT "\n", ++unknown);
  return fclose(f) == 0 || bench_errno_fail(error, path);
}

gboolean
bench_register_write_count(const char *csv_path, const char *feed_path, guint32 seed,
                           gint64 n_items, gint64 n_missing, gint64 n_unknown, GString *out,
                           GError **error)
{
  gint64 t0 = g_get_monotonic_time();
  if (!bench_register_write_csv(csv_path, n_items, BENCH_MIX_PLAIN, error) ||
      !write_count_feed(feed_path, seed, n_items, n_missing, n_unknown, error))
    return FALSE;
  bench_report(out, "generate_seconds", "%.3f", bench_seconds_since(t0));
  return TRUE;
}
