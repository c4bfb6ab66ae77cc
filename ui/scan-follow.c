/*
 * scan-follow.c: a screen taking what the readers read while it is shown (see
 * scan-follow.h).
 */
#include "ui/scan-follow.h"

typedef struct {
  GtkWidget *screen; /* owns this */
  MusterKioskSession *session;
  MusterKioskScanFunc func;
  MusterReaderManager *manager; /* while mapped */
  gulong handler;
} ScanFollower;

static void
follower_scan(MusterReaderManager *manager, MusterReader *reader, const MusterScan *scan,
              ScanFollower *f)
{
  if (muster_scan_location_label(scan) == NULL)
    f->func(f->screen, scan);
}

static void
follower_stop(ScanFollower *f)
{
  if (f->manager == NULL)
    return;
  g_signal_handler_disconnect(f->manager, f->handler);
  g_clear_object(&f->manager);
}

static void
follower_map(GtkWidget *screen, ScanFollower *f)
{
  follower_stop(f);
  f->manager = g_object_ref(muster_kiosk_session_get_reader_manager(f->session));
  f->handler = g_signal_connect(f->manager, "scan", G_CALLBACK(follower_scan), f);
}

static void
follower_unmap(GtkWidget *screen, ScanFollower *f)
{
  follower_stop(f);
}

static void
follower_free(ScanFollower *f)
{
  follower_stop(f);
  g_object_unref(f->session);
  g_free(f);
}

void
muster_kiosk_follow_scans(GtkWidget *screen, MusterKioskSession *session, MusterKioskScanFunc func)
{
  ScanFollower *f = g_new0(ScanFollower, 1);
  f->screen = screen;
  f->session = g_object_ref(session);
  f->func = func;
  g_signal_connect(screen, "map", G_CALLBACK(follower_map), f);
  g_signal_connect(screen, "unmap", G_CALLBACK(follower_unmap), f);
  g_object_set_data_full(G_OBJECT(screen), "muster-kiosk-scan-follower", f,
                         (GDestroyNotify)follower_free);
}
