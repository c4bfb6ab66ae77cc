/*
 * test-util.h: shared fixtures for the unit tests: a fresh database in a temp folder,
 * and users already signed in.
 */
#pragma once
#include "db/items.h"
#include "db/store.h"
#include "db/users.h"

typedef struct {
  char *dir;  /* temp folder, removed at teardown */
  char *path; /* dir/armoury.db */
  MusterStore *store;
  MusterUser *admin; /* "admin", PIN 123456 */
} TestDb;

/* A fresh database with armoury code TEST and one admin. */
void test_db_setup(TestDb *t, gconstpointer data);
void test_db_teardown(TestDb *t, gconstpointer data);

/* Adds a user with PIN 1234 + role, returns it authenticated. */
MusterUser *test_db_add_user(TestDb *t, const char *name, MusterRole role);

/* Imports a register CSV (len -1: up to the NUL) as the admin; every row must import
 * (the problems are printed otherwise). */
MusterImportResult test_db_import_csv(TestDb *t, const char *csv, gssize len);

/* Starts a count of scope_path ("" = the whole armoury), counted by the admin and
 * witnessed by staff "will" (added on first use); returns its id. */
gint64 test_db_start_count(TestDb *t, const char *scope_path);

/* Reads the first column of the first row of sql (which must return a row), straight
 * from the file: tests check what was stored, not what the engine says it stored. */
gint64 test_sql_int(TestDb *t, const char *sql);
char *test_sql_text(TestDb *t, const char *sql);
/* The same for a query with one parameter ('?'): a number or a text. */
gint64 test_sql_int_arg(TestDb *t, const char *sql, gint64 arg);
char *test_sql_text_arg(TestDb *t, const char *sql, gint64 arg);
gint64 test_sql_int_str(TestDb *t, const char *sql, const char *arg);
char *test_sql_text_str(TestDb *t, const char *sql, const char *arg);
/* Runs sql, which must succeed (used to tamper with the file behind the engine). */
void test_sql_exec(TestDb *t, const char *sql);
/* The same on a connection of its own, as the sqlite3 shell would: the engine's
 * connection notes its own writes to state rows (db/state-seal.c), an outsider's not. */
void test_sql_exec_outside(TestDb *t, const char *sql);

/* A registry key pair, made by test_registry_configure(), which configures its public
 * half as the registry's key (as the admin, sync settings of https://registry.test). */
typedef struct {
  guint8 pk[32]; /* crypto_sign_PUBLICKEYBYTES */
  guint8 sk[64]; /* crypto_sign_SECRETKEYBYTES */
} TestRegistryKey;
void test_registry_configure(TestDb *t, TestRegistryKey *key);
/* A new key pair that is not the registry's (a forger's). */
void test_registry_key_new(TestRegistryKey *key);
/* Keeps a receipt of audit entry seq (as it is now), its answer signed with key, as
 * sync keeps the registry's. */
void test_registry_keep_receipt(TestDb *t, const TestRegistryKey *key, gint64 seq);
/* base64 (sodium's original variant) of data. */
char *test_base64(const guint8 *data, gsize len);

/* A structured log field's value, "-" when the entry has none: for writer functions
 * that stand where the journal would (test-log-event.c). */
const char *test_log_field(const GLogField *fields, gsize n, const char *key);

/* Removes a folder tree. */
void test_rm_rf(const char *dir);
