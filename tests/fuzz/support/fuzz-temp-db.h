/*
 * fuzz-temp-db.h: what the fuzz targets that need a record store share — a fresh
 * database in a temp folder with one admin, removed when the fuzzer exits, and the
 * check that stops the fuzzer at a broken promise.
 */
#pragma once
#include "db/store.h"
#include "db/users.h"

/* abort()s when ok is FALSE: libFuzzer reports the input as a crash. */
void fuzz_check(gboolean ok);

/* Creates the database (armoury FUZZ, admin "admin", synchronous off: the fuzzer cares
 * for behaviour, not durability) in a temp folder named after tag, and removes it at
 * exit. *admin, when not NULL, gets the admin, signed in. */
MusterStore *fuzz_temp_db_create(const char *tag, MusterUser **admin);
