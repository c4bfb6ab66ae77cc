/*
 * armoury.c: the synthetic armoury behind `muster demo` (see demo.h).
 *
 * A catalogue of real-world makes and models (maker, ISO 3166 country, model, category,
 * calibre, frame material, years made) from which each armoury takes a few models per
 * category, as a real one standardises on a handful and buys from its own industry
 * first. Items get serials in their maker's own format, HF tags and Data Matrix UIIs as
 * a modern armoury adds them, and slots in racks grouped by model. Anomalies are then
 * planted on items drawn at random, each item playing at most one part, so every finding
 * has exactly one cause and the manifest can say what reconciliation must report.
 *
 * Everything random comes from one GRand seeded by the caller, and nothing depends on
 * hash-table order or the clock, so the same seed gives byte-identical output. Every
 * marking value (serial, UID, UII, component barcode) is unique across the armoury
 * unless planted otherwise: an accidental collision would be a finding nobody planted.
 * The CAGE/NCAGE codes in the UIIs are invented.
 */
#include "demo/demo.h"
#include "core/csv.h"

#include <string.h>

/* ---- the catalogue ------------------------------------------------------------------ */

typedef enum {
  CAT_PISTOL,
  CAT_REVOLVER,
  CAT_RIFLE,
  CAT_CARBINE,
  CAT_SMG,
  CAT_LMG,
  CAT_SHOTGUN,
  CAT_LAUNCHER,
  N_CATS
} Category;

typedef struct {
  const char *name;
  guint share;                  /* per mille of the armoury */
  guint models_min, models_max; /* how many of its models one armoury holds */
  guint rack_min, rack_max;     /* slots per rack */
  guint tag_pct;                /* items carrying an HF tag */
  const char *parts[2];         /* components that may carry their own barcode */
} CategoryInfo;

static const CategoryInfo categories[N_CATS] = {
    [CAT_PISTOL] = {"pistol", 240, 3, 4, 30, 40, 85, {"slide", "barrel"}},
    [CAT_REVOLVER] = {"revolver", 40, 1, 2, 10, 20, 60, {"cylinder", "barrel"}},
    [CAT_RIFLE] = {"rifle", 340, 3, 4, 20, 40, 85, {"bolt", "barrel"}},
    [CAT_CARBINE] = {"carbine", 120, 2, 3, 20, 30, 85, {"bolt", "barrel"}},
    [CAT_SMG] = {"submachine gun", 90, 2, 3, 20, 30, 80, {"bolt", "barrel"}},
    [CAT_LMG] = {"light machine gun", 60, 1, 2, 10, 16, 60, {"barrel", "bolt"}},
    [CAT_SHOTGUN] = {"shotgun", 60, 1, 2, 10, 20, 55, {"barrel", NULL}},
    [CAT_LAUNCHER] = {"grenade launcher", 50, 1, 2, 10, 12, 55, {"barrel", NULL}},
};

typedef struct {
  const char *name;
  const char *country;       /* ISO 3166 alpha-2 */
  const char *cage;          /* invented CAGE/NCAGE code for UIIs */
  const char *serial_format; /* a: letter, 9: digit, y: two-digit year, else literal */
  gboolean iuid;             /* marks Data Matrix UIIs on recent production */
} Maker;

enum {
  GLOCK,
  FN,
  HK,
  CZ,
  BERETTA,
  KALASHNIKOV,
  IZHMEKH,
  TULA,
  NORINCO,
  COLT,
  SIG,
  STEYR,
  IWI,
  IMI,
  TAURUS,
  ZASTAVA,
  SMITH_WESSON,
  RUGER,
  REMINGTON,
  MOSSBERG,
  BENELLI,
  WALTHER,
  MILKOR,
  MANURHIN,
  N_MAKERS
};

static const Maker makers[N_MAKERS] = {
    [GLOCK] = {"Glock", "AT", "0G7K2", "aaa999", TRUE},
    [FN] = {"FN Herstal", "BE", "B4F17", "yC99999", TRUE},
    [HK] = {"Heckler & Koch", "DE", "C8H31", "y-999999", TRUE},
    [CZ] = {"Ceska zbrojovka", "CZ", "1CZ58", "a999999", TRUE},
    [BERETTA] = {"Beretta", "IT", "A2B93", "BER999999", TRUE},
    [KALASHNIKOV] = {"Kalashnikov Concern", "RU", "R7K40", "y9999999", FALSE},
    [IZHMEKH] = {"Izhevsk Mechanical Plant", "RU", "R7M12", "aa9999", FALSE},
    [TULA] = {"Tula Arms Plant", "RU", "R5T66", "aa99999", FALSE},
    [NORINCO] = {"Norinco", "CN", "N3C08", "99999999", FALSE},
    [COLT] = {"Colt", "US", "1C9T4", "a999999", TRUE},
    [SIG] = {"SIG Sauer", "CH", "S1G55", "yA999999", TRUE},
    [STEYR] = {"Steyr Arms", "AT", "0S4R9", "9S99999", TRUE},
    [IWI] = {"IWI", "IL", "L6W20", "T9999999", TRUE},
    [IMI] = {"IMI", "IL", "L6M03", "999999", FALSE},
    [TAURUS] = {"Taurus", "BR", "T2R77", "Taa99999", FALSE},
    [ZASTAVA] = {"Zastava", "RS", "Z9S14", "y99999", FALSE},
    [SMITH_WESSON] = {"Smith & Wesson", "US", "3SW61", "aaa9999", TRUE},
    [RUGER] = {"Ruger", "US", "2R8G0", "999-99999", TRUE},
    [REMINGTON] = {"Remington", "US", "4R3M8", "RS99999a", TRUE},
    [MOSSBERG] = {"Mossberg", "US", "5M0S2", "V9999999", TRUE},
    [BENELLI] = {"Benelli", "IT", "A7B26", "M999999", TRUE},
    [WALTHER] = {"Walther", "DE", "C2W85", "aa99999", TRUE},
    [MILKOR] = {"Milkor", "ZA", "Z4M37", "ML99999", FALSE},
    [MANURHIN] = {"Manurhin", "FR", "F1M49", "MR99999", FALSE},
};

typedef struct {
  guint maker;
  const char *model;
  Category category;
  const char *calibre;
  const char *frame;
  guint from, to;      /* years made (clamped to 1960-2024) */
  const char *country; /* where this model is made, when not the maker's home */
} Model;

static const Model models[] = {
    {GLOCK, "17", CAT_PISTOL, "9x19mm", "polymer", 1983, 2024, NULL},
    {GLOCK, "19", CAT_PISTOL, "9x19mm", "polymer", 1988, 2024, NULL},
    {BERETTA, "92FS", CAT_PISTOL, "9x19mm", "aluminium", 1989, 2024, NULL},
    {CZ, "CZ 75 B", CAT_PISTOL, "9x19mm", "steel", 1993, 2024, NULL},
    {CZ, "P-10 C", CAT_PISTOL, "9x19mm", "polymer", 2017, 2024, NULL},
    {SIG, "P226", CAT_PISTOL, "9x19mm", "aluminium", 1984, 2024, "DE"},
    {SIG, "P320", CAT_PISTOL, "9x19mm", "polymer", 2014, 2024, "US"},
    {HK, "USP", CAT_PISTOL, "9x19mm", "polymer", 1993, 2024, NULL},
    {HK, "P30", CAT_PISTOL, "9x19mm", "polymer", 2006, 2024, NULL},
    {WALTHER, "P99", CAT_PISTOL, "9x19mm", "polymer", 1997, 2024, NULL},
    {WALTHER, "PPK", CAT_PISTOL, "7.65x17mm", "steel", 1960, 2024, NULL},
    {FN, "Five-seveN", CAT_PISTOL, "5.7x28mm", "polymer", 2000, 2024, NULL},
    {FN, "Hi-Power", CAT_PISTOL, "9x19mm", "steel", 1960, 2017, NULL},
    {IZHMEKH, "PM", CAT_PISTOL, "9x18mm Makarov", "steel", 1960, 1995, NULL},
    {ZASTAVA, "CZ 99", CAT_PISTOL, "9x19mm", "aluminium", 1990, 2024, NULL},
    {ZASTAVA, "M57", CAT_PISTOL, "7.62x25mm Tokarev", "steel", 1960, 2024, NULL},
    {NORINCO, "Type 54", CAT_PISTOL, "7.62x25mm Tokarev", "steel", 1960, 2000, NULL},
    {NORINCO, "QSZ-92", CAT_PISTOL, "9x19mm", "polymer", 1998, 2024, NULL},
    {TAURUS, "PT 92", CAT_PISTOL, "9x19mm", "aluminium", 1983, 2024, NULL},
    {COLT, "Government Model", CAT_PISTOL, ".45 ACP", "steel", 1960, 2024, NULL},
    {STEYR, "M9-A1", CAT_PISTOL, "9x19mm", "polymer", 2010, 2024, NULL},
    {IWI, "Jericho 941", CAT_PISTOL, "9x19mm", "steel", 1990, 2024, NULL},

    {SMITH_WESSON, "Model 10", CAT_REVOLVER, ".38 Special", "steel", 1960, 2024, NULL},
    {SMITH_WESSON, "Model 686", CAT_REVOLVER, ".357 Magnum", "steel", 1980, 2024, NULL},
    {COLT, "Python", CAT_REVOLVER, ".357 Magnum", "steel", 1960, 2005, NULL},
    {RUGER, "GP100", CAT_REVOLVER, ".357 Magnum", "steel", 1985, 2024, NULL},
    {TAURUS, "Model 82", CAT_REVOLVER, ".38 Special", "steel", 1970, 2024, NULL},
    {MANURHIN, "MR 73", CAT_REVOLVER, ".357 Magnum", "steel", 1973, 2024, NULL},

    {KALASHNIKOV, "AKM", CAT_RIFLE, "7.62x39mm", "steel", 1960, 1977, NULL},
    {KALASHNIKOV, "AK-74M", CAT_RIFLE, "5.45x39mm", "steel", 1991, 2024, NULL},
    {KALASHNIKOV, "AK-103", CAT_RIFLE, "7.62x39mm", "steel", 1994, 2024, NULL},
    {NORINCO, "Type 56", CAT_RIFLE, "7.62x39mm", "steel", 1960, 2000, NULL},
    {NORINCO, "Type 81", CAT_RIFLE, "7.62x39mm", "steel", 1981, 2000, NULL},
    {ZASTAVA, "M70", CAT_RIFLE, "7.62x39mm", "steel", 1970, 2024, NULL},
    {FN, "FAL", CAT_RIFLE, "7.62x51mm", "steel", 1960, 1988, NULL},
    {FN, "FNC", CAT_RIFLE, "5.56x45mm", "aluminium", 1979, 2004, NULL},
    {FN, "SCAR-L", CAT_RIFLE, "5.56x45mm", "aluminium", 2009, 2024, NULL},
    {HK, "G3", CAT_RIFLE, "7.62x51mm", "steel", 1960, 1997, NULL},
    {HK, "G36", CAT_RIFLE, "5.56x45mm", "polymer", 1997, 2024, NULL},
    {HK, "HK416", CAT_RIFLE, "5.56x45mm", "aluminium", 2005, 2024, NULL},
    {COLT, "M16A2", CAT_RIFLE, "5.56x45mm", "aluminium", 1983, 2000, NULL},
    {STEYR, "AUG A1", CAT_RIFLE, "5.56x45mm", "polymer", 1978, 2024, NULL},
    {IWI, "Tavor TAR-21", CAT_RIFLE, "5.56x45mm", "polymer", 2001, 2024, NULL},
    {IWI, "Galil ACE 32", CAT_RIFLE, "7.62x39mm", "steel", 2008, 2024, NULL},
    {SIG, "SG 550", CAT_RIFLE, "5.56x45mm", "steel", 1990, 2024, NULL},
    {CZ, "BREN 2", CAT_RIFLE, "5.56x45mm", "aluminium", 2016, 2024, NULL},
    {CZ, "vz. 58", CAT_RIFLE, "7.62x39mm", "steel", 1960, 1984, NULL},
    {BERETTA, "ARX160", CAT_RIFLE, "5.56x45mm", "polymer", 2008, 2024, NULL},
    {REMINGTON, "M24", CAT_RIFLE, "7.62x51mm", "steel", 1988, 2010, NULL},

    {COLT, "M4A1", CAT_CARBINE, "5.56x45mm", "aluminium", 1994, 2024, NULL},
    {KALASHNIKOV, "AKS-74U", CAT_CARBINE, "5.45x39mm", "steel", 1979, 1993, NULL},
    {HK, "G36K", CAT_CARBINE, "5.56x45mm", "polymer", 1997, 2024, NULL},
    {SIG, "SG 551", CAT_CARBINE, "5.56x45mm", "steel", 1990, 2024, NULL},
    {ZASTAVA, "M92", CAT_CARBINE, "7.62x39mm", "steel", 1992, 2024, NULL},
    {CZ, "805 BREN A2", CAT_CARBINE, "5.56x45mm", "aluminium", 2011, 2016, NULL},
    {IWI, "X95", CAT_CARBINE, "5.56x45mm", "polymer", 2009, 2024, NULL},

    {HK, "MP5A3", CAT_SMG, "9x19mm", "steel", 1966, 2024, NULL},
    {HK, "MP7A1", CAT_SMG, "4.6x30mm", "polymer", 2001, 2024, NULL},
    {BERETTA, "PM12-S", CAT_SMG, "9x19mm", "steel", 1978, 2010, NULL},
    {IMI, "Uzi", CAT_SMG, "9x19mm", "steel", 1960, 2005, NULL},
    {FN, "P90", CAT_SMG, "5.7x28mm", "polymer", 1990, 2024, NULL},
    {CZ, "Scorpion EVO 3 A1", CAT_SMG, "9x19mm", "polymer", 2009, 2024, NULL},
    {CZ, "vz. 61 Skorpion", CAT_SMG, "7.65x17mm", "steel", 1961, 1979, NULL},
    {STEYR, "MPi 69", CAT_SMG, "9x19mm", "steel", 1969, 1990, NULL},
    {SIG, "MPX", CAT_SMG, "9x19mm", "aluminium", 2015, 2024, "US"},
    {KALASHNIKOV, "PP-19 Bizon", CAT_SMG, "9x18mm Makarov", "steel", 1996, 2024, NULL},

    {FN, "Minimi", CAT_LMG, "5.56x45mm", "steel", 1974, 2024, NULL},
    {KALASHNIKOV, "RPK-74", CAT_LMG, "5.45x39mm", "steel", 1974, 2024, NULL},
    {KALASHNIKOV, "RPK", CAT_LMG, "7.62x39mm", "steel", 1961, 1978, NULL},
    {HK, "MG4", CAT_LMG, "5.56x45mm", "steel", 2005, 2024, NULL},
    {IWI, "Negev", CAT_LMG, "5.56x45mm", "steel", 1997, 2024, NULL},
    {ZASTAVA, "M72", CAT_LMG, "7.62x39mm", "steel", 1972, 2024, NULL},
    {NORINCO, "Type 81 LMG", CAT_LMG, "7.62x39mm", "steel", 1981, 2000, NULL},

    {REMINGTON, "870", CAT_SHOTGUN, "12 gauge", "steel", 1960, 2024, NULL},
    {MOSSBERG, "590A1", CAT_SHOTGUN, "12 gauge", "aluminium", 1987, 2024, NULL},
    {MOSSBERG, "500", CAT_SHOTGUN, "12 gauge", "aluminium", 1961, 2024, NULL},
    {BENELLI, "M4 Super 90", CAT_SHOTGUN, "12 gauge", "aluminium", 1999, 2024, NULL},
    {BERETTA, "1301 Tactical", CAT_SHOTGUN, "12 gauge", "aluminium", 2013, 2024, NULL},
    {KALASHNIKOV, "Saiga-12", CAT_SHOTGUN, "12 gauge", "steel", 1997, 2024, NULL},

    {HK, "HK69A1", CAT_LAUNCHER, "40x46mm", "steel", 1969, 2000, NULL},
    {HK, "AG36", CAT_LAUNCHER, "40x46mm", "aluminium", 2002, 2024, NULL},
    {COLT, "M203", CAT_LAUNCHER, "40x46mm", "aluminium", 1969, 1995, NULL},
    {MILKOR, "MGL Mk1S", CAT_LAUNCHER, "40x46mm", "steel", 1983, 2024, NULL},
    {FN, "FN40GL", CAT_LAUNCHER, "40x46mm", "aluminium", 2004, 2024, NULL},
    {TULA, "GP-25", CAT_LAUNCHER, "40mm VOG-25", "steel", 1978, 2024, NULL},
};

/* States whose armouries the demo imitates: each has an arms industry of its own. */
static const char *const home_countries[] = {"AT", "BE", "CZ", "DE", "IT", "RS"};

static const char *const units[] = {
    "1st Infantry Battalion", "2nd Infantry Battalion", "Military Police Company",
    "Guard Company", "Border Guard Station North", "Special Operations Group",
    "Training Centre", "Rapid Response Unit",
};

static const struct {
  const char *status;
  guint weight;
} statuses[] = {
    {"in_store", 870}, {"issued", 75}, {"in_repair", 22}, {"in_transit", 10},
    {"destroyed", 14}, {"lost", 2},    {"stolen", 1},
};

static const char *const unmarked_descriptions[] = {
    "Pistol, polymer frame, no manufacturer, serial or proof marks (possibly 3D-printed)",
    "Revolver, .38 Special, serial number ground off the frame",
    "Assault rifle, AK pattern, receiver marks removed, no tag",
    "Pump-action shotgun, barrel shortened, no visible markings",
    "Submachine gun, receiver plate missing, no markings found",
};

static const char *const csv_columns[] = {
    "manufacturer", "country_of_manufacture", "serial", "model", "category", "calibre",
    "year", "import_country", "import_year", "state_marking", "frame_material", "status",
    "location", "custodian", "markings",
};

/* How many of each anomaly are planted: a handful, enough to see each kind at work. */
enum {
  N_MISSING = 6,
  N_WRONG_RACK = 2,
  N_DUPLICATE_PAIRS = 2,
  N_COMPONENT = 2,
  N_MISMATCH = 2,
  N_NOT_GENUINE = 2,
  N_REPEATED = 5,
  N_UNMARKED = 3,
};

/* ---- generator state ---------------------------------------------------------------- */

typedef enum {
  ROLE_NONE,
  ROLE_MISSING,        /* never scanned */
  ROLE_WRONG_RACK,     /* scanned while walking another rack */
  ROLE_SWAPPED,        /* in its neighbour's slot, and the neighbour in its own */
  ROLE_STATUS,         /* recorded issued, lost or stolen, yet scanned in store */
  ROLE_DUPLICATE,      /* shares its serial with an item of another maker */
  ROLE_PARTNER,        /* lends a marking to a host's item check; scanned normally first */
  ROLE_COMPONENT_HOST, /* carries its partner's barrel */
  ROLE_MISMATCH_HOST,  /* its tag checked together with its partner's engraved serial */
  ROLE_NOT_GENUINE,    /* its tag fails the originality check */
  ROLE_REPEATED,       /* its tag read several times */
} Role;

typedef struct {
  const char *component;
  char *value;
} Part;

typedef struct _Item {
  const Model *model;
  guint rank; /* position of the model in the armoury's catalogue */
  char *serial;
  guint year;
  const char *import_country;
  guint import_year;
  char *state_marking;
  const char *status;
  const char *custodian;
  char *location; /* slot path; in-store items only */
  char *uid;      /* HF tag UID, NULL when untagged */
  const char *tag_type;
  char *uii; /* Data Matrix UII, NULL when none */
  Part parts[2];
  Role role;
  gint rack; /* index in racks, -1 when not racked */
  guint slot;
  struct _Item *partner;
  guint repeats;
  char *group; /* item-check id of planted checks */
} Item;

typedef struct {
  char *path;
  Category category;
  guint n_slots;
  gint *slots;       /* item index, -1 when empty */
  GPtrArray *extras; /* Extra*: lines read after a slot */
} Rack;

typedef struct {
  guint after_slot;
  char *line;
} Extra;

typedef struct {
  GRand *rand;
  MusterDemo *demo;
  const char *home;
  Item *items;
  guint n;
  GPtrArray *racks;
  GHashTable *used; /* every serial and marking value given out */
  const Model *catalogue[N_CATS][4];
  guint catalogue_len[N_CATS];
  guint checks; /* item checks numbered so far */
} Gen;

/* ---- randomness ----------------------------------------------------------------------- */

static guint
rnd(Gen *g, guint n)
{
  return (guint)g_rand_int_range(g->rand, 0, (gint32)n);
}

static guint
rnd_between(Gen *g, guint lo, guint hi)
{
  return lo + rnd(g, hi - lo + 1);
}

static gboolean
chance(Gen *g, guint percent)
{
  return rnd(g, 100) < percent;
}

static guint
pick_weighted(Gen *g, const guint *weights, guint n)
{
  guint total = 0;
  for (guint i = 0; i < n; i++)
    total += weights[i];
  guint r = rnd(g, total);
  for (guint i = 0; i < n; i++) {
    if (r < weights[i])
      return i;
    r -= weights[i];
  }
  return n - 1;
}

/* Claims a value for the armoury; FALSE when it is already given out. */
static gboolean
claim(Gen *g, const char *value)
{
  if (g_hash_table_contains(g->used, value))
    return FALSE;
  g_hash_table_add(g->used, g_strdup(value));
  return TRUE;
}

/* ---- records -------------------------------------------------------------------------- */

static const char *
model_country(const Model *m)
{
  return m->country != NULL ? m->country : makers[m->maker].country;
}

static const char *
maker_name(const Item *it)
{
  return makers[it->model->maker].name;
}

static void
choose_catalogue(Gen *g)
{
  for (guint c = 0; c < N_CATS; c++) {
    const Model *pool[G_N_ELEMENTS(models)];
    guint n = 0;
    for (guint i = 0; i < G_N_ELEMENTS(models); i++)
      if (models[i].category == c)
        pool[n++] = &models[i];
    for (guint i = n; i > 1; i--) {
      guint j = rnd(g, i);
      const Model *t = pool[i - 1];
      pool[i - 1] = pool[j];
      pool[j] = t;
    }
    /* A state buys from its own industry first: often a domestic model is the main one. */
    gboolean domestic_first = chance(g, 60);
    for (guint i = 0; i < n && domestic_first; i++) {
      if (strcmp(model_country(pool[i]), g->home) == 0) {
        const Model *t = pool[0];
        pool[0] = pool[i];
        pool[i] = t;
        break;
      }
    }
    guint wanted = rnd_between(g, categories[c].models_min, categories[c].models_max);
    guint k = MIN(n, wanted);
    for (guint i = 0; i < k; i++)
      g->catalogue[c][i] = pool[i];
    g->catalogue_len[c] = k;
  }
}

static char *
format_serial(Gen *g, const char *format, guint year, guint extra_digits)
{
  static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
  GString *s = g_string_new(NULL);
  for (const char *p = format; *p != '\0'; p++) {
    if (*p == 'a')
      g_string_append_c(s, letters[rnd(g, sizeof letters - 1)]);
    else if (*p == '9')
      g_string_append_c(s, (char)('0' + rnd(g, 10)));
    else if (*p == 'y')
      g_string_append_printf(s, "%02u", year % 100);
    else
      g_string_append_c(s, *p);
  }
  for (guint i = 0; i < extra_digits; i++)
    g_string_append_c(s, (char)('0' + rnd(g, 10)));
  return g_string_free(s, FALSE);
}

/* A serial in the maker's format that nothing in the armoury carries yet. A format that
 * runs out of numbers (a huge armoury, one year) grows a digit rather than looping. */
static char *
new_serial(Gen *g, const Maker *maker, guint year)
{
  for (guint tries = 0;; tries++) {
    char *serial = format_serial(g, maker->serial_format, year, tries / 64);
    if (claim(g, serial))
      return serial;
    g_free(serial);
  }
}

static char *
new_uid(Gen *g)
{
  for (;;) {
    /* NXP NTAG UIDs are 7 bytes and start with the manufacturer byte 04. */
    GString *s = g_string_new("04");
    for (guint i = 0; i < 6; i++)
      g_string_append_printf(s, "%02X", rnd(g, 256));
    if (claim(g, s->str))
      return g_string_free(s, FALSE);
    g_string_free(s, TRUE);
  }
}

/* MIL-STD-130 UII, construct 1: issuing agency code "D" (CAGE), the enterprise's CAGE
 * code, then the serial. */
static char *
make_uii(Gen *g, const Maker *maker, const char *serial)
{
  char *uii = g_strconcat("D", maker->cage, serial, NULL);
  if (!claim(g, uii))
    g_clear_pointer(&uii, g_free);
  return uii;
}

static const char *
part_prefix(const char *component)
{
  if (strcmp(component, "barrel") == 0)
    return "BRL";
  if (strcmp(component, "slide") == 0)
    return "SLD";
  if (strcmp(component, "bolt") == 0)
    return "BLT";
  return "CYL";
}

/* A Code 128 label on a component: part prefix and the weapon's serial. */
static gboolean
add_part(Gen *g, Item *it, const char *component)
{
  for (guint i = 0; i < G_N_ELEMENTS(it->parts); i++) {
    if (it->parts[i].component != NULL && strcmp(it->parts[i].component, component) == 0)
      return TRUE;
  }
  for (guint i = 0; i < G_N_ELEMENTS(it->parts); i++) {
    if (it->parts[i].component != NULL)
      continue;
    g_autofree char *value = g_strdup_printf("%s-%s", part_prefix(component), it->serial);
    if (!claim(g, value))
      return FALSE;
    it->parts[i].component = component;
    it->parts[i].value = g_steal_pointer(&value);
    return TRUE;
  }
  return FALSE;
}

static void
add_tag(Gen *g, Item *it)
{
  static const char *const types[] = {"ntag213", "ntag215", "ntag216"};
  it->uid = new_uid(g);
  it->tag_type = types[rnd(g, G_N_ELEMENTS(types))];
}

static void
set_markings(Gen *g, Item *it)
{
  const CategoryInfo *ci = &categories[it->model->category];
  const Maker *maker = &makers[it->model->maker];
  if (chance(g, ci->tag_pct))
    add_tag(g, it);
  /* IUID marking is recent and mostly on Western production. */
  if (chance(g, maker->iuid && it->year >= 2005 ? 40 : 3))
    it->uii = make_uii(g, maker, it->serial);
  /* Machine guns come with spare barrels, which are marked on their own. */
  guint part_pct = it->model->category == CAT_LMG ? 50 : 12;
  for (guint i = 0; i < G_N_ELEMENTS(ci->parts); i++)
    if (ci->parts[i] != NULL && chance(g, part_pct))
      add_part(g, it, ci->parts[i]);
}

static void
set_import(Gen *g, Item *it)
{
  if (strcmp(model_country(it->model), g->home) == 0)
    return;
  /* Older transfers often predate import marking (the ITI dates from 2005). */
  if (it->year < 2005 && chance(g, 15))
    return;
  it->import_country = g->home;
  guint delay = rnd(g, 5); /* years between making and import */
  it->import_year = MIN(2024, it->year + delay);
  if (it->year < 1990 && chance(g, 20))
    it->import_year = 0; /* imported, year not recorded */
}

static void
set_status(Gen *g, Item *it)
{
  guint weights[G_N_ELEMENTS(statuses)];
  for (guint i = 0; i < G_N_ELEMENTS(statuses); i++)
    weights[i] = statuses[i].weight;
  it->status = statuses[pick_weighted(g, weights, G_N_ELEMENTS(statuses))].status;
  if (strcmp(it->status, "issued") == 0)
    it->custodian = units[rnd(g, G_N_ELEMENTS(units))];
  else if (strcmp(it->status, "in_repair") == 0)
    it->custodian = "Central Armourer Workshop";
  else if (strcmp(it->status, "in_transit") == 0)
    it->custodian = "Logistics Company";
}

static void
make_item(Gen *g, Item *it)
{
  guint shares[N_CATS];
  for (guint c = 0; c < N_CATS; c++)
    shares[c] = categories[c].share;
  Category c = (Category)pick_weighted(g, shares, N_CATS);
  static const guint model_weights[] = {6, 4, 3, 2};
  it->rank = c * 8 + pick_weighted(g, model_weights, g->catalogue_len[c]);
  it->model = g->catalogue[c][it->rank % 8];
  it->year = rnd_between(g, MAX(it->model->from, 1960), MIN(it->model->to, 2024));
  it->serial = new_serial(g, &makers[it->model->maker], it->year);
  set_import(g, it);
  if (!chance(g, 8))
    it->state_marking = g_strdup_printf("%s %s", g->home, chance(g, 75) ? "MOD" : "MOI");
  set_status(g, it);
  set_markings(g, it);
  it->rack = -1;
}

/* ---- racks ------------------------------------------------------------------------------ */

static void
rack_free(gpointer data)
{
  Rack *rack = data;
  g_free(rack->path);
  g_free(rack->slots);
  g_ptr_array_unref(rack->extras);
  g_free(rack);
}

static void
extra_free(gpointer data)
{
  Extra *extra = data;
  g_free(extra->line);
  g_free(extra);
}

static Rack *
new_rack(Gen *g, Category c)
{
  Rack *rack = g_new0(Rack, 1);
  rack->category = c;
  rack->n_slots = rnd_between(g, categories[c].rack_min, categories[c].rack_max);
  rack->slots = g_new(gint, rack->n_slots);
  for (guint i = 0; i < rack->n_slots; i++)
    rack->slots[i] = -1;
  rack->extras = g_ptr_array_new_with_free_func(extra_free);
  g_ptr_array_add(g->racks, rack);
  return rack;
}

static gint
compare_for_racks(gconstpointer a, gconstpointer b, gpointer data)
{
  const Gen *g = data;
  const Item *x = &g->items[*(const guint *)a];
  const Item *y = &g->items[*(const guint *)b];
  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  if (x->year != y->year)
    return x->year < y->year ? -1 : 1;
  return strcmp(x->serial, y->serial);
}

/* "A".."Z", "AA", "AB", ... */
static char *
rack_code(guint index)
{
  char buf[8];
  guint len = 0;
  for (guint i = index + 1; i > 0; i = (i - 1) / 26)
    buf[len++] = (char)('A' + (i - 1) % 26);
  char *code = g_malloc(len + 1);
  for (guint i = 0; i < len; i++)
    code[i] = buf[len - 1 - i];
  code[len] = '\0';
  return code;
}

/* Spreads the racks over 2 to 4 rooms in order and names every slot. */
static void
name_locations(Gen *g)
{
  guint wanted = rnd_between(g, 2, 4);
  guint rooms = MIN(wanted, g->racks->len);
  guint per_room = (g->racks->len + rooms - 1) / rooms;
  for (guint r = 0; r < g->racks->len; r++) {
    Rack *rack = g_ptr_array_index(g->racks, r);
    g_autofree char *code = rack_code(r % per_room);
    rack->path = g_strdup_printf("R%u/%s", r / per_room + 1, code);
    for (guint s = 0; s < rack->n_slots; s++)
      if (rack->slots[s] >= 0)
        g->items[rack->slots[s]].location = g_strdup_printf("%s/%02u", rack->path, s + 1);
  }
}

/* In-store items go to racks by model, as an armoury keeps them, with an empty slot now
 * and then where a weapon is out. */
static void
place_items(Gen *g)
{
  g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < g->n; i++)
    if (strcmp(g->items[i].status, "in_store") == 0)
      g_array_append_val(order, i);
  g_array_sort_with_data(order, compare_for_racks, g);
  Rack *rack = NULL;
  guint slot = 0;
  for (guint k = 0; k < order->len; k++) {
    guint idx = g_array_index(order, guint, k);
    Item *it = &g->items[idx];
    if (rack == NULL || slot >= rack->n_slots ||
        (k > 0 && g->items[g_array_index(order, guint, k - 1)].model != it->model)) {
      rack = new_rack(g, it->model->category);
      slot = 0;
    }
    while (slot + 1 < rack->n_slots && chance(g, 4))
      slot++;
    rack->slots[slot] = (gint)idx;
    it->rack = (gint)(g->racks->len - 1);
    it->slot = slot++;
  }
  name_locations(g);
}

static Rack *
rack_of(Gen *g, const Item *it)
{
  return g_ptr_array_index(g->racks, it->rack);
}

/* A rack for an item that does not belong there: one of the same category if there is
 * another, else any other. */
static Rack *
pick_rack(Gen *g, gint category, gint exclude)
{
  g_autoptr(GPtrArray) same = g_ptr_array_new();
  g_autoptr(GPtrArray) other = g_ptr_array_new();
  for (guint r = 0; r < g->racks->len; r++) {
    Rack *rack = g_ptr_array_index(g->racks, r);
    if ((gint)r == exclude)
      continue;
    g_ptr_array_add(category < 0 || (gint)rack->category == category ? same : other, rack);
  }
  GPtrArray *from = same->len > 0 ? same : other;
  return g_ptr_array_index(from, rnd(g, from->len));
}

static void
add_extra(Gen *g, Rack *rack, char *line)
{
  Extra *extra = g_new0(Extra, 1);
  extra->after_slot = rnd(g, rack->n_slots);
  extra->line = line;
  g_ptr_array_add(rack->extras, extra);
}

/* ---- feed lines ----------------------------------------------------------------------- */

typedef struct {
  const char *value;
  const char *kind;
  const char *symbology;
  const char *group;
  const char *component;
  const char *authenticity;
} Read;

static void
json_member(GString *s, const char *key, const char *value)
{
  if (value == NULL)
    return;
  if (s->len > 1)
    g_string_append_c(s, ',');
  g_string_append_printf(s, "\"%s\":\"", key);
  for (const char *p = value; *p != '\0'; p++) {
    guchar c = (guchar)*p;
    if (c == '"' || c == '\\')
      g_string_append_printf(s, "\\%c", c);
    else if (c < 0x20)
      g_string_append_printf(s, "\\u%04x", c);
    else
      g_string_append_c(s, (char)c);
  }
  g_string_append_c(s, '"');
}

static char *
read_line(const Read *r)
{
  GString *s = g_string_new("{");
  json_member(s, "value", r->value);
  json_member(s, "kind", r->kind);
  json_member(s, "symbology", r->symbology);
  json_member(s, "group", r->group);
  json_member(s, "component", r->component);
  json_member(s, "authenticity", r->authenticity);
  g_string_append_c(s, '}');
  return g_string_free(s, FALSE);
}

/* "@R1/A": the counter is now here. (scan.c reads a JSON object with only "location" as
 * a scan with nothing read, so the plain form is used.) */
static char *
location_line(const char *path)
{
  return g_strconcat("@", path, NULL);
}

/* How a counter reads the item: its tag if it has one, else its Data Matrix, else the
 * engraved serial typed in. */
static Read
item_read(const Item *it)
{
  if (it->uid != NULL)
    return (Read){it->uid, "hf_uid", it->tag_type};
  if (it->uii != NULL)
    return (Read){it->uii, "datamatrix_uii", "datamatrix"};
  return (Read){it->serial, "engraved_serial", NULL};
}

static Read
serial_read(const Item *it, const char *group)
{
  return (Read){it->serial, "engraved_serial", NULL, group, "frame"};
}

static Read
tag_read(const Item *it, const char *group)
{
  return (Read){it->uid, "hf_uid", it->tag_type, group, "frame"};
}

static const char *
part_value(const Item *it, const char *component)
{
  for (guint i = 0; i < G_N_ELEMENTS(it->parts); i++)
    if (it->parts[i].component != NULL && strcmp(it->parts[i].component, component) == 0)
      return it->parts[i].value;
  return NULL;
}

/* ---- the manifest --------------------------------------------------------------------- */

static void
anomaly_free(gpointer data)
{
  MusterDemoAnomaly *a = data;
  g_free(a->subject);
  g_free(a->manufacturer);
  g_free(a->serial);
  g_free(a->other_manufacturer);
  g_free(a->other_serial);
  g_free(a->location);
  g_free(a->note);
  g_free(a);
}

static void
unmarked_free(gpointer data)
{
  MusterDemoUnmarked *u = data;
  g_free(u->description);
  g_free(u->location);
  g_free(u);
}

static MusterDemoAnomaly *anomaly_add(Gen *g, const char *kind, const char *subject,
                                      const Item *item, const Item *other, const char *location,
                                      const char *fmt, ...) G_GNUC_PRINTF(7, 8);

static MusterDemoAnomaly *
anomaly_add(Gen *g, const char *kind, const char *subject, const Item *item, const Item *other,
            const char *location, const char *fmt, ...)
{
  MusterDemoAnomaly *a = g_new0(MusterDemoAnomaly, 1);
  a->kind = kind;
  a->discrepancy = strcmp(kind, "repeated_scan") != 0 && strcmp(kind, "unreadable") != 0;
  a->subject = g_strdup(subject);
  if (item != NULL) {
    a->manufacturer = g_strdup(maker_name(item));
    a->serial = g_strdup(item->serial);
  }
  if (other != NULL) {
    a->other_manufacturer = g_strdup(maker_name(other));
    a->other_serial = g_strdup(other->serial);
  }
  a->location = g_strdup(location);
  va_list ap;
  va_start(ap, fmt);
  a->note = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_ptr_array_add(g->demo->anomalies, a);
  return a;
}

static char *
describe(const Item *it)
{
  return g_strdup_printf("%s %s %s SN %s", maker_name(it), it->model->model, it->model->calibre,
                         it->serial);
}

/* ---- planting ------------------------------------------------------------------------- */

typedef gboolean (*ItemFilter)(const Item *it, const Item *other);

static gboolean
is_free(const Item *it, const Item *other)
{
  return it->role == ROLE_NONE && strcmp(it->status, "in_store") == 0;
}

static gboolean
is_free_tagged(const Item *it, const Item *other)
{
  return is_free(it, other) && it->uid != NULL;
}

/* Tagged, and nothing derived from its serial, so the serial can be changed. */
static gboolean
is_free_plain(const Item *it, const Item *other)
{
  return is_free_tagged(it, other) && it->uii == NULL && it->parts[0].value == NULL &&
         it->parts[1].value == NULL && (other == NULL || other->model->maker != it->model->maker);
}

static Item *
pick_item(Gen *g, ItemFilter filter, const Item *other)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new();
  for (guint i = 0; i < g->n; i++)
    if (filter(&g->items[i], other))
      g_ptr_array_add(candidates, &g->items[i]);
  if (candidates->len == 0)
    return NULL;
  return g_ptr_array_index(candidates, rnd(g, candidates->len));
}

/* Before racking: recorded as out of the armoury, yet they will be scanned in it. */
static void
plant_status_records(Gen *g)
{
  static const char *const planted[] = {"issued", "issued", "lost", "stolen"};
  for (guint i = 0; i < G_N_ELEMENTS(planted); i++) {
    Item *it = pick_item(g, is_free, NULL);
    if (it == NULL)
      return;
    it->status = planted[i];
    it->custodian = strcmp(planted[i], "issued") == 0 ? units[rnd(g, G_N_ELEMENTS(units))] : NULL;
    it->role = ROLE_STATUS;
  }
}

/* Two makers' numbering schemes meeting on one number: allowed by the register (the key
 * is maker and serial), and a finding for reconciliation. Both are tagged, so both are
 * found by tag. */
static void
plant_duplicate_serials(Gen *g)
{
  for (guint i = 0; i < N_DUPLICATE_PAIRS; i++) {
    Item *a = pick_item(g, is_free_plain, NULL);
    Item *b = a != NULL ? pick_item(g, is_free_plain, a) : NULL;
    if (b == NULL)
      return;
    g_free(b->serial);
    b->serial = g_strdup(a->serial);
    a->role = b->role = ROLE_DUPLICATE;
    g_autofree char *subject = g_strconcat("serial:", a->serial, NULL);
    anomaly_add(g, "duplicate_marking", subject, a, b, a->location,
                "Serial %s is on a %s %s and a %s %s", a->serial, maker_name(a), a->model->model,
                maker_name(b), b->model->model);
  }
}

static void
plant_missing(Gen *g)
{
  for (guint i = 0; i < N_MISSING; i++) {
    Item *it = pick_item(g, is_free, NULL);
    if (it == NULL)
      return;
    it->role = ROLE_MISSING;
    g_autofree char *what = describe(it);
    anomaly_add(g, "missing", it->serial, it, NULL, it->location,
                "%s expected at %s, never scanned", what, it->location);
  }
}

/* Put back in the wrong rack: read while the counter walks that rack. */
static void
plant_wrong_racks(Gen *g)
{
  for (guint i = 0; i < N_WRONG_RACK; i++) {
    Item *it = pick_item(g, is_free, NULL);
    if (it == NULL)
      return;
    it->role = ROLE_WRONG_RACK;
    Rack *there = pick_rack(g, it->model->category, it->rack);
    Read r = item_read(it);
    add_extra(g, there, read_line(&r));
    g_autofree char *what = describe(it);
    anomaly_add(g, "wrong_location", it->serial, it, NULL, there->path,
                "%s recorded at %s, found in rack %s", what, it->location, there->path);
  }
}

/* Two neighbours in each other's slot; the counter reads them slot by slot. */
static void
plant_swapped_pair(Gen *g)
{
  guint start = rnd(g, g->racks->len);
  for (guint k = 0; k < g->racks->len; k++) {
    Rack *rack = g_ptr_array_index(g->racks, (start + k) % g->racks->len);
    for (guint s = 0; s + 1 < rack->n_slots; s++) {
      if (rack->slots[s] < 0 || rack->slots[s + 1] < 0)
        continue;
      Item *a = &g->items[rack->slots[s]];
      Item *b = &g->items[rack->slots[s + 1]];
      if (!is_free(a, NULL) || !is_free(b, NULL))
        continue;
      a->role = b->role = ROLE_SWAPPED;
      a->partner = b;
      b->partner = a;
      g_autofree char *what_a = describe(a);
      g_autofree char *what_b = describe(b);
      anomaly_add(g, "wrong_location", b->serial, b, NULL, a->location,
                  "%s recorded at %s, found in slot %s", what_b, b->location, a->location);
      anomaly_add(g, "wrong_location", a->serial, a, NULL, b->location,
                  "%s recorded at %s, found in slot %s", what_a, a->location, b->location);
      return;
    }
  }
}

static guint
walk_position(const Item *it)
{
  return (guint)it->rack * 64 + it->slot;
}

/* A host and a partner, both tagged; the partner comes first in the walk, so that it is
 * found in its own slot before its marking turns up in the host's item check. */
static gboolean
pick_pair(Gen *g, Role host_role, Item **host, Item **partner)
{
  Item *a = pick_item(g, is_free_tagged, NULL);
  if (a == NULL)
    return FALSE;
  a->role = ROLE_PARTNER;
  Item *b = pick_item(g, is_free_tagged, NULL);
  if (b == NULL)
    return FALSE;
  if (walk_position(b) < walk_position(a)) {
    Item *t = a;
    a = b;
    b = t;
  }
  *partner = a;
  *host = b;
  a->role = ROLE_PARTNER;
  b->role = host_role;
  b->partner = a;
  b->group = g_strdup_printf("chk-%04u", ++g->checks);
  return TRUE;
}

static void
plant_component_mismatches(Gen *g)
{
  for (guint i = 0; i < N_COMPONENT; i++) {
    Item *host, *partner;
    if (!pick_pair(g, ROLE_COMPONENT_HOST, &host, &partner))
      return;
    if (!add_part(g, partner, "barrel")) {
      host->role = ROLE_PARTNER; /* cannot happen with unique serials; read it plainly */
      continue;
    }
    g_autofree char *what = describe(host);
    g_autofree char *owner = describe(partner);
    anomaly_add(g, "component_mismatch", part_value(partner, "barrel"), host, partner,
                rack_of(g, host)->path, "Barrel %s of %s found on %s (item check %s)",
                part_value(partner, "barrel"), owner, what, host->group);
  }
}

static void
plant_marking_mismatches(Gen *g)
{
  for (guint i = 0; i < N_MISMATCH; i++) {
    Item *host, *partner;
    if (!pick_pair(g, ROLE_MISMATCH_HOST, &host, &partner))
      return;
    g_autofree char *subject = g_strconcat("group:", host->group, NULL);
    anomaly_add(g, "marking_mismatch", subject, host, partner, rack_of(g, host)->path,
                "Item check %s: tag %s is %s %s, engraved serial %s is %s %s", host->group,
                host->uid, maker_name(host), host->serial, partner->serial, maker_name(partner),
                partner->model->model);
  }
}

static void
plant_not_genuine(Gen *g)
{
  for (guint i = 0; i < N_NOT_GENUINE; i++) {
    Item *it = pick_item(g, is_free_tagged, NULL);
    if (it == NULL)
      return;
    it->role = ROLE_NOT_GENUINE;
    it->group = g_strdup_printf("chk-%04u", ++g->checks);
    g_autofree char *what = describe(it);
    anomaly_add(g, "not_genuine", it->uid, it, NULL, rack_of(g, it)->path,
                "Tag %s on %s fails its originality check (a clone?)", it->uid, what);
  }
}

static void
plant_repeats(Gen *g)
{
  for (guint i = 0; i < N_REPEATED; i++) {
    Item *it = pick_item(g, is_free_tagged, NULL);
    if (it == NULL)
      return;
    it->role = ROLE_REPEATED;
    it->repeats = rnd_between(g, 2, 4);
    anomaly_add(g, "repeated_scan", it->uid, it, NULL, rack_of(g, it)->path,
                "Tag %s read %u times: one find", it->uid, it->repeats);
  }
}

/* Items recorded out of the armoury, back on a rack of their kind. */
static void
place_status_conflicts(Gen *g)
{
  for (guint i = 0; i < g->n; i++) {
    Item *it = &g->items[i];
    if (it->role != ROLE_STATUS)
      continue;
    Rack *there = pick_rack(g, it->model->category, -1);
    Read r = item_read(it);
    add_extra(g, there, read_line(&r));
    g_autofree char *what = describe(it);
    anomaly_add(g, "status_conflict", it->serial, it, NULL, there->path,
                "%s recorded as %s%s%s, found in rack %s", what, it->status,
                it->custodian != NULL ? " to " : "", it->custodian != NULL ? it->custodian : "",
                there->path);
  }
}

static void
plant_unknown(Gen *g, const char *kind, const char *symbology, const char *shown, const char *value)
{
  Rack *there = pick_rack(g, -1, -1);
  Read r = {shown, kind, symbology};
  add_extra(g, there, read_line(&r));
  anomaly_add(g, "unknown_marking", value, NULL, NULL, there->path, "%s %s matches no record", kind,
              value);
}

/* Markings of weapons the register does not know: two tags (one as a reader that prints
 * lower-case hex with colons shows it), an engraved serial and a Data Matrix UII. */
static void
plant_unknowns(Gen *g)
{
  for (guint i = 0; i < 2; i++) {
    g_autofree char *uid = new_uid(g);
    g_autoptr(GString) shown = g_string_new(NULL);
    for (guint k = 0; uid[k] != '\0'; k += 2)
      g_string_append_printf(shown, "%s%c%c", k > 0 ? ":" : "", g_ascii_tolower(uid[k]),
                             g_ascii_tolower(uid[k + 1]));
    plant_unknown(g, "hf_uid", "ntag215", i == 0 ? uid : shown->str, uid);
  }
  const Maker *maker = &makers[rnd(g, N_MAKERS)];
  g_autofree char *serial = new_serial(g, maker, rnd_between(g, 1960, 2024));
  plant_unknown(g, "engraved_serial", NULL, serial, serial);
  g_autofree char *other = new_serial(g, &makers[COLT], 2019);
  g_autofree char *uii = make_uii(g, &makers[COLT], other);
  if (uii != NULL)
    plant_unknown(g, "datamatrix_uii", "datamatrix", uii, uii);
}

/* What broken reads look like: a line cut off mid-object, keyboard-wedge escape noise,
 * and an object with nothing read in it. */
static void
plant_garbage(Gen *g)
{
  static const char *const lines[] = {
      "{\"value\":\"04A1B2C3",
      "\x1b[A\x1b[A\x1b",
      "{\"kind\":\"hf_uid\",\"symbology\":\"ntag215\"}",
  };
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
    Rack *there = pick_rack(g, -1, -1);
    add_extra(g, there, g_strdup(lines[i]));
    anomaly_add(g, "unreadable", lines[i], NULL, NULL, there->path,
                "Garbage line kept as an unreadable scan");
  }
}

static void
plant_unmarked(Gen *g)
{
  guint order[G_N_ELEMENTS(unmarked_descriptions)];
  for (guint i = 0; i < G_N_ELEMENTS(order); i++)
    order[i] = i;
  for (guint i = 0; i < N_UNMARKED; i++) {
    guint j = i + rnd(g, G_N_ELEMENTS(order) - i);
    guint t = order[i];
    order[i] = order[j];
    order[j] = t;
    MusterDemoUnmarked *u = g_new0(MusterDemoUnmarked, 1);
    u->description = g_strdup(unmarked_descriptions[order[i]]);
    u->location = g_strdup(((Rack *)g_ptr_array_index(g->racks, rnd(g, g->racks->len)))->path);
    g_ptr_array_add(g->demo->unmarked, u);
    anomaly_add(g, "unmarked_item", u->description, NULL, NULL, u->location,
                "Found without any marking in rack %s", u->location);
  }
}

/* ---- output ----------------------------------------------------------------------------- */

static char *
markings_field(const Item *it)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
  if (it->uid != NULL)
    g_ptr_array_add(parts, g_strconcat("hf_uid:frame:", it->uid, NULL));
  if (it->uii != NULL)
    g_ptr_array_add(parts, g_strconcat("datamatrix_uii:frame:", it->uii, NULL));
  for (guint i = 0; i < G_N_ELEMENTS(it->parts); i++)
    if (it->parts[i].value != NULL)
      g_ptr_array_add(
          parts, g_strconcat("barcode:", it->parts[i].component, ":", it->parts[i].value, NULL));
  g_ptr_array_add(parts, NULL);
  return g_strjoinv(";", (char **)parts->pdata);
}

static void
emit_csv_row(GString *csv, const Item *it)
{
  g_autofree char *year = g_strdup_printf("%u", it->year);
  g_autofree char *import_year =
      it->import_year > 0 ? g_strdup_printf("%u", it->import_year) : NULL;
  g_autofree char *markings = markings_field(it);
  const char *fields[G_N_ELEMENTS(csv_columns)] = {
      maker_name(it),
      model_country(it->model),
      it->serial,
      it->model->model,
      categories[it->model->category].name,
      it->model->calibre,
      year,
      it->import_country,
      import_year,
      it->state_marking,
      it->model->frame,
      it->status,
      it->location,
      it->custodian,
      markings,
  };
  for (guint i = 0; i < G_N_ELEMENTS(fields); i++)
    muster_csv_append_field(csv, fields[i], i + 1 == G_N_ELEMENTS(fields));
}

static void
emit_csv(Gen *g)
{
  for (guint i = 0; i < G_N_ELEMENTS(csv_columns); i++)
    muster_csv_append_field(g->demo->csv, csv_columns[i], i + 1 == G_N_ELEMENTS(csv_columns));
  for (guint i = 0; i < g->n; i++)
    emit_csv_row(g->demo->csv, &g->items[i]);
}

static void
push(Gen *g, char *line)
{
  g_ptr_array_add(g->demo->feed, line);
}

static void
push_read(Gen *g, Read r)
{
  push(g, read_line(&r));
}

static void
emit_item(Gen *g, const Rack *rack, const Item *it)
{
  switch (it->role) {
  case ROLE_MISSING:
  case ROLE_WRONG_RACK:
  case ROLE_STATUS: break;
  case ROLE_SWAPPED:
    /* Emitted at the first of the two slots: each slot read with its own location. */
    if (it->slot < it->partner->slot) {
      push(g, location_line(it->location));
      push_read(g, item_read(it->partner));
      push(g, location_line(it->partner->location));
      push_read(g, item_read(it));
      push(g, location_line(rack->path));
    }
    break;
  case ROLE_COMPONENT_HOST:
    push_read(g, tag_read(it, it->group));
    push_read(g,
              (Read){part_value(it->partner, "barrel"), "barcode", "code128", it->group, "barrel"});
    break;
  case ROLE_MISMATCH_HOST:
    push_read(g, tag_read(it, it->group));
    push_read(g, serial_read(it->partner, it->group));
    break;
  case ROLE_NOT_GENUINE: {
    Read tag = tag_read(it, it->group);
    tag.authenticity = "not_genuine";
    push_read(g, tag);
    push_read(g, serial_read(it, it->group));
    break;
  }
  case ROLE_REPEATED:
    for (guint i = 0; i < it->repeats; i++)
      push_read(g, item_read(it));
    break;
  case ROLE_NONE:
  case ROLE_DUPLICATE:
  case ROLE_PARTNER: push_read(g, item_read(it)); break;
  }
}

/* The counter walks the racks in order, slot by slot, saying which rack before each. */
static void
emit_feed(Gen *g)
{
  for (guint r = 0; r < g->racks->len; r++) {
    Rack *rack = g_ptr_array_index(g->racks, r);
    push(g, location_line(rack->path));
    for (guint s = 0; s < rack->n_slots; s++) {
      if (rack->slots[s] >= 0)
        emit_item(g, rack, &g->items[rack->slots[s]]);
      for (guint e = 0; e < rack->extras->len; e++) {
        Extra *extra = g_ptr_array_index(rack->extras, e);
        if (extra->after_slot == s)
          push(g, g_strdup(extra->line));
      }
    }
  }
}

/* ---- the API --------------------------------------------------------------------------- */

static void
gen_clear(Gen *g)
{
  for (guint i = 0; i < g->n; i++) {
    Item *it = &g->items[i];
    g_free(it->serial);
    g_free(it->state_marking);
    g_free(it->location);
    g_free(it->uid);
    g_free(it->uii);
    g_free(it->parts[0].value);
    g_free(it->parts[1].value);
    g_free(it->group);
  }
  g_free(g->items);
  g_ptr_array_unref(g->racks);
  g_hash_table_unref(g->used);
  g_rand_free(g->rand);
}

static void
plant_anomalies(Gen *g)
{
  plant_missing(g);
  plant_wrong_racks(g);
  plant_swapped_pair(g);
  plant_component_mismatches(g);
  plant_marking_mismatches(g);
  plant_not_genuine(g);
  plant_repeats(g);
  place_status_conflicts(g);
  plant_unknowns(g);
  plant_garbage(g);
  plant_unmarked(g);
}

MusterDemo *
muster_demo_generate(guint n_items, guint32 seed)
{
  MusterDemo *demo = g_new0(MusterDemo, 1);
  demo->n_items = MAX(n_items, MUSTER_DEMO_MIN_ITEMS);
  demo->seed = seed;
  demo->csv = g_string_new(NULL);
  demo->feed = g_ptr_array_new_with_free_func(g_free);
  demo->unmarked = g_ptr_array_new_with_free_func(unmarked_free);
  demo->anomalies = g_ptr_array_new_with_free_func(anomaly_free);

  Gen g = {
      .rand = g_rand_new_with_seed(seed),
      .demo = demo,
      .n = demo->n_items,
      .racks = g_ptr_array_new_with_free_func(rack_free),
      .used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
  };
  g.home = home_countries[rnd(&g, G_N_ELEMENTS(home_countries))];
  demo->home_country = g_strdup(g.home);
  choose_catalogue(&g);
  g.items = g_new0(Item, g.n);
  for (guint i = 0; i < g.n; i++)
    make_item(&g, &g.items[i]);
  plant_status_records(&g);
  place_items(&g);
  plant_duplicate_serials(&g);
  plant_anomalies(&g);
  for (guint i = 0; i < g.n; i++)
    if (strcmp(g.items[i].status, "in_store") == 0)
      demo->expected++;
  emit_csv(&g);
  emit_feed(&g);
  gen_clear(&g);
  return demo;
}

void
muster_demo_free(MusterDemo *demo)
{
  if (demo == NULL)
    return;
  g_free(demo->home_country);
  g_string_free(demo->csv, TRUE);
  g_ptr_array_unref(demo->feed);
  g_ptr_array_unref(demo->unmarked);
  g_ptr_array_unref(demo->anomalies);
  g_free(demo);
}

guint
muster_demo_count_kind(const MusterDemo *demo, const char *kind)
{
  guint n = 0;
  for (guint i = 0; i < demo->anomalies->len; i++) {
    const MusterDemoAnomaly *a = g_ptr_array_index(demo->anomalies, i);
    n += strcmp(a->kind, kind) == 0;
  }
  return n;
}

char *
muster_demo_feed_text(const MusterDemo *demo)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < demo->feed->len; i++) {
    g_string_append(s, g_ptr_array_index(demo->feed, i));
    g_string_append_c(s, '\n');
  }
  return g_string_free(s, FALSE);
}
