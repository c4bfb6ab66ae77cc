/*
 * test-debounce.c: sightings of a mark becoming one read (drivers/debounce.h), the rule
 * the camera reader's frames go through: new again only after enough frames and enough
 * time out of view, told apart by value.
 */
#include "drivers/debounce.h"

/* The rule, on a made-up clock. */
static void
test_rule(void)
{
  g_autoptr(MusterDebounce) d = muster_debounce_new(2, 100);
  gint64 t = 1000000;
  g_assert_true(muster_debounce_seen(d, "a", t));
  g_assert_false(muster_debounce_seen(d, "a", t)); /* twice in a frame: once */
  muster_debounce_end_frame(d, t);
  t += 10000;
  muster_debounce_end_frame(d, t); /* absent 1 frame */
  t += 200000;
  g_assert_false(muster_debounce_seen(d, "a", t)); /* 1 frame is not enough */
  muster_debounce_end_frame(d, t);
  muster_debounce_end_frame(d, t + 1000);
  muster_debounce_end_frame(d, t + 2000); /* 2 frames, but 2 ms: not long enough */
  g_assert_cmpuint(muster_debounce_n_in_view(d), ==, 1);
  muster_debounce_end_frame(d, t + 100000); /* 3 frames and 100 ms: gone */
  g_assert_cmpuint(muster_debounce_n_in_view(d), ==, 0);
  g_assert_true(muster_debounce_seen(d, "a", t + 110000));
  g_assert_true(muster_debounce_seen(d, "b", t + 110000));
  muster_debounce_reset(d);
  g_assert_true(muster_debounce_seen(d, "b", t + 120000));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/debounce/rule", test_rule);
  return g_test_run();
}
