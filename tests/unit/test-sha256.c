/*
 * test-sha256.c: the SHA-256 of the audit seal gives standard digests.
 *
 * Seals written on one appliance must verify on any other, so the libcrypto wrapper must
 * agree with the standard (known answers from FIPS 180-4) and with libsodium, however
 * the input is split into updates: every length across the block and padding edges,
 * and random splits of a large input.
 */
#include <sodium.h>
#include <string.h>

#include "core/sha256.h"

static void
hex_digest(const guint8 *digest, char out[65])
{
  sodium_bin2hex(out, 65, digest, MUSTER_SHA256_BYTES);
}

static void
test_known_answers(void)
{
  static const struct {
    const char *input;
    const char *digest;
  } cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    guint8 digest[MUSTER_SHA256_BYTES];
    char hex[65];
    g_autoptr(MusterSha256) h = muster_sha256_new();
    muster_sha256_update(h, cases[i].input, strlen(cases[i].input));
    muster_sha256_final(h, digest);
    hex_digest(digest, hex);
    g_assert_cmpstr(hex, ==, cases[i].digest);
  }
}

/* A million 'a': the long known answer, fed in uneven pieces. */
static void
test_million_a(void)
{
  g_autofree char *a = g_malloc(1000000);
  memset(a, 'a', 1000000);
  guint8 digest[MUSTER_SHA256_BYTES];
  char hex[65];
  g_autoptr(MusterSha256) h = muster_sha256_new();
  for (gsize at = 0, step = 1; at < 1000000; at += step, step = step * 3 % 997 + 1)
    muster_sha256_update(h, a + at, MIN(step, 1000000 - at));
  muster_sha256_final(h, digest);
  hex_digest(digest, hex);
  g_assert_cmpstr(hex, ==, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Every length from 0 to 300 (all the padding cases), whole and split in two. */
static void
test_lengths_match_libsodium(void)
{
  guint8 data[300];
  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8)(i * 37 + 11);
  for (gsize len = 0; len <= sizeof data; len++) {
    guint8 want[MUSTER_SHA256_BYTES], whole[MUSTER_SHA256_BYTES], split[MUSTER_SHA256_BYTES];
    crypto_hash_sha256(want, data, len);
    g_autoptr(MusterSha256) h = muster_sha256_new();
    muster_sha256_update(h, data, len);
    muster_sha256_final(h, whole);
    g_assert_cmpmem(whole, sizeof whole, want, sizeof want);
    g_autoptr(MusterSha256) h2 = muster_sha256_new();
    muster_sha256_update(h2, data, len / 3);
    muster_sha256_update(h2, data + len / 3, 0);
    muster_sha256_update(h2, data + len / 3, len - len / 3);
    muster_sha256_final(h2, split);
    g_assert_cmpmem(split, sizeof split, want, sizeof want);
  }
}

/* Random bytes in random pieces, as the seal feeds rows of any size. */
static void
test_random_splits_match_libsodium(void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed(42);
  gsize size = 200000;
  g_autofree guint8 *data = g_malloc(size);
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8)g_rand_int(rand);
  for (int round = 0; round < 20; round++) {
    gsize len = (gsize)g_rand_int_range(rand, 0, (gint32)size);
    guint8 want[MUSTER_SHA256_BYTES], got[MUSTER_SHA256_BYTES];
    crypto_hash_sha256(want, data, len);
    g_autoptr(MusterSha256) h = muster_sha256_new();
    for (gsize at = 0; at < len;) {
      gsize piece = (gsize)g_rand_int_range(rand, 0, 5000);
      piece = MIN(piece, len - at);
      muster_sha256_update(h, data + at, piece);
      at += piece;
    }
    muster_sha256_final(h, got);
    g_assert_cmpmem(got, sizeof got, want, sizeof want);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_assert_cmpint(sodium_init(), >=, 0);
  g_test_add_func("/sha256/known-answers", test_known_answers);
  g_test_add_func("/sha256/million-a", test_million_a);
  g_test_add_func("/sha256/lengths-match-libsodium", test_lengths_match_libsodium);
  g_test_add_func("/sha256/random-splits-match-libsodium", test_random_splits_match_libsodium);
  return g_test_run();
}
