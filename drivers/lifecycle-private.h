/*
 * lifecycle-private.h: the device lifecycle of MusterReader, between reader.c and lifecycle.c
 * only (drivers see its steps in reader.h).
 *
 * Each reader holds one MusterLifecycle; MusterReader's default start and stop run it.
 */
#pragma once
#include "drivers/reader.h"

G_BEGIN_DECLS

typedef struct {
  GMutex lock; /* guards stopping: read by the reader's thread, set by stop() */
  GCond wake;  /* signalled by stop(), ends a wait */
  gboolean stopping;
  gboolean set_up; /* setup() ran and teardown() has not */
  GThread *thread; /* the attempts to open and read; NULL when not running */
  MusterReaderBackoff backoff;
} MusterLifecycle;

void muster_lifecycle_init(MusterLifecycle *lifecycle);
void muster_lifecycle_clear(MusterLifecycle *lifecycle);

/* MusterReaderClass's default start and stop. */
gboolean muster_lifecycle_start(MusterReader *reader, GError **error);
void muster_lifecycle_stop(MusterReader *reader);

/* The reader's own (reader.c). */
MusterLifecycle *muster_reader_get_lifecycle(MusterReader *self);

G_END_DECLS
