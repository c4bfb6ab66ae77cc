/*
 * settings.h: the armoury's policy settings, with their defaults and meaning.
 *
 * Only known keys can be set (a typo is refused rather than silently stored), only by
 * an admin, and every change is audited.
 */
#pragma once
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef struct {
  const char *key;
  gint64 fallback;
  gint64 min, max;
  const char *meaning;
} MusterSettingInfo;

/* NULL-key-terminated table of every setting. */
extern const MusterSettingInfo muster_settings_known[];

gint64 muster_settings_get(MusterStore *store, const char *key);
gboolean muster_settings_set(MusterStore *store, const MusterUser *actor, const char *key,
                             gint64 value, GError **error);

G_END_DECLS
