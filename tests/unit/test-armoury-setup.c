/*
 * test-armoury-setup.c: a new armoury and its first admin (db/armoury-setup.h), the one
 * engine call behind `muster init` and the kiosk's first-boot screen.
 *
 * Every refusal comes before anything is made (no folder, no file); the folder is made
 * when missing; the file is 0600 with the armoury and its admin, both audited, and the
 * chain verifies; an existing file is never touched; a folder that cannot be made is
 * said with its path.
 */
#include "test-util.h"

#include "db/armoury-setup.h"
#include "db/audit.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

typedef struct {
  char *dir;
  char *path; /* dir/new/armoury.db: its folder does not exist yet */
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp("muster-setup-XXXXXX", NULL);
  g_assert_nonnull(f->dir);
  f->path = g_build_filename(f->dir, "new", "armoury.db", NULL);
}

static void
teardown(Fixture *f, gconstpointer data)
{
  test_rm_rf(f->dir);
  g_free(f->dir);
  g_free(f->path);
}

static mode_t
umask_now(void)
{
  mode_t m = umask(0);
  umask(m);
  return m;
}

static MusterArmourySetup
valid(Fixture *f)
{
  return (MusterArmourySetup){.path = f->path,
                              .code = "ARM-01",
                              .name = "North depot",
                              .admin = "j.smith",
                              .admin_full_name = "Jo Smith",
                              .pin = "246810"};
}

/* Refused with INVALID, and nothing made: not even the folder. */
static void
assert_refused(Fixture *f, const MusterArmourySetup *s, const char *says)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = muster_armoury_set_up(s, NULL, &error);
  g_assert_null(store);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, says));
  g_autofree char *folder = g_path_get_dirname(f->path);
  g_assert_false(g_file_test(folder, G_FILE_TEST_EXISTS));
}

static void
test_refusals_make_nothing(Fixture *f, gconstpointer data)
{
  MusterArmourySetup s = valid(f);
  s.code = "ARM 01";
  assert_refused(f, &s, "Armoury code 'ARM 01' is not valid");
  s = valid(f);
  s.admin = "no spaces!";
  assert_refused(f, &s, "User name 'no spaces!' is not valid");
  s = valid(f);
  s.pin = "12";
  assert_refused(f, &s, "4 to 12 digits");
  s.pin = NULL;
  assert_refused(f, &s, "4 to 12 digits");
  /* valid() itself passes over a missing PIN: a terminal asks for it afterwards. */
  g_assert_true(muster_armoury_setup_valid(&s, NULL));
}

static void
test_creates(Fixture *f, gconstpointer data)
{
  MusterArmourySetup s = valid(f);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) admin = NULL;
  g_autoptr(MusterStore) store = muster_armoury_set_up(&s, &admin, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(muster_store_armoury_code(store), ==, "ARM-01");
  g_assert_cmpstr(muster_store_armoury_name(store), ==, "North depot");
  g_assert_cmpstr(admin->name, ==, "j.smith");
  g_assert_cmpstr(admin->full_name, ==, "Jo Smith");
  g_assert_cmpint(admin->role, ==, MUSTER_ROLE_ADMIN);
  struct stat st;
  g_assert_cmpint(g_stat(f->path, &st), ==, 0);
  g_assert_cmpint(st.st_mode & 0777, ==, 0600);
  /* The folder it made: the records and their backups are nobody else's to read. */
  g_autofree char *folder = g_path_get_dirname(f->path);
  g_assert_cmpint(g_stat(folder, &st), ==, 0);
  g_assert_cmpint(st.st_mode & 0777, ==, 0700 & ~umask_now());
  g_clear_pointer(&store, muster_store_free);
  /* Read back from the file: both steps audited, and the chain verifies. */
  TestDb t = {.path = f->path};
  t.store = muster_store_open(f->path, &error);
  g_assert_no_error(error);
  g_assert_cmpint(
      test_sql_int(&t, "SELECT count(*) FROM audit_log WHERE action = 'armoury.create'"), ==, 1);
  g_assert_cmpint(test_sql_int(&t, "SELECT count(*) FROM audit_log WHERE action = 'user.add'"), ==,
                  1);
  MusterAuditReport report = {0};
  g_assert_true(muster_audit_verify(t.store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
  g_autoptr(MusterUser) signed_in = muster_users_authenticate(t.store, "j.smith", "246810", &error);
  g_assert_no_error(error);
  muster_store_free(t.store);
}

static void
test_defaults(Fixture *f, gconstpointer data)
{
  MusterArmourySetup s = valid(f);
  s.name = "";
  s.admin_full_name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) admin = NULL;
  g_autoptr(MusterStore) store = muster_armoury_set_up(&s, &admin, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(muster_store_armoury_name(store), ==, "ARM-01");
  g_assert_cmpstr(admin->full_name, ==, "j.smith");
}

static void
test_never_overwrites(Fixture *f, gconstpointer data)
{
  g_autofree char *folder = g_path_get_dirname(f->path);
  g_assert_cmpint(g_mkdir_with_parents(folder, 0700), ==, 0);
  g_assert_true(g_file_set_contents(f->path, "someone else's", -1, NULL));
  MusterArmourySetup s = valid(f);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = muster_armoury_set_up(&s, NULL, &error);
  g_assert_null(store);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS);
  g_autofree char *kept = NULL;
  g_assert_true(g_file_get_contents(f->path, &kept, NULL, NULL));
  g_assert_cmpstr(kept, ==, "someone else's");
}

static void
test_folder_cannot_be_made(Fixture *f, gconstpointer data)
{
  MusterArmourySetup s = valid(f);
  s.path = "/proc/muster-setup/armoury.db"; /* no one, not even root, makes a folder there */
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = muster_armoury_set_up(&s, NULL, &error);
  g_assert_null(store);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_IO);
  g_assert_nonnull(strstr(error->message, "Cannot create the folder /proc/muster-setup"));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/armoury-setup/refusals-make-nothing", Fixture, NULL, setup,
             test_refusals_make_nothing, teardown);
  g_test_add("/armoury-setup/creates", Fixture, NULL, setup, test_creates, teardown);
  g_test_add("/armoury-setup/defaults", Fixture, NULL, setup, test_defaults, teardown);
  g_test_add("/armoury-setup/never-overwrites", Fixture, NULL, setup, test_never_overwrites,
             teardown);
  g_test_add("/armoury-setup/folder-cannot-be-made", Fixture, NULL, setup,
             test_folder_cannot_be_made, teardown);
  return g_test_run();
}
