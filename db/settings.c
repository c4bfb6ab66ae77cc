/*
 * settings.c: policy settings. See settings.h.
 */
#include "db/settings.h"
#include "db/audit.h"
#include "core/i18n.h"

const MusterSettingInfo muster_settings_known[] = {
    {"overdue_days", 90, 1, 3650, "a location not counted for this many days is overdue"},
    {"lockout_attempts", 5, 1, 20, "wrong PINs in a row that lock an account"},
    {"kiosk_lock_seconds", 120, 15, 3600, "idle seconds before the kiosk signs its user out"},
    {"badge_needs_pin", 1, 0, 1,
     "1: a badge tap names its holder, who then types the PIN; 0: the tap alone signs in"},
    {NULL}};

static const MusterSettingInfo *
lookup(const char *key)
{
  for (const MusterSettingInfo *s = muster_settings_known; s->key != NULL; s++)
    if (g_strcmp0(s->key, key) == 0)
      return s;
  return NULL;
}

gint64
muster_settings_get(MusterStore *store, const char *key)
{
  const MusterSettingInfo *info = lookup(key);
  return muster_store_setting_int(store, key, info != NULL ? info->fallback : 0);
}

gboolean
muster_settings_set(MusterStore *store, const MusterUser *actor, const char *key, gint64 value,
                    GError **error)
{
  const MusterSettingInfo *info = lookup(key);
  if (info == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("Unknown setting '%s'; 'muster settings get' lists them."), key);
    return FALSE;
  }
  if (value < info->min || value > info->max) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s must be from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ".", key, info->min,
                info->max);
    return FALSE;
  }
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Changing a setting",
                             error))
    return FALSE;
  g_autofree char *text = g_strdup_printf("%" G_GINT64_FORMAT, value);
  g_autofree char *detail = g_strdup_printf("{\"key\":\"%s\",\"value\":%s}", key, text);
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!muster_store_set_setting(store, key, text, error) ||
      !muster_audit_append(store, actor->name, "setting.set", key, detail, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}
