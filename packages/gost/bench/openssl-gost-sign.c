/*
 * GOST R 34.10-2012 sign and verify throughput of OpenSSL's GOST engine, for gost3410.bench.ts:
 * `openssl speed` in OpenSSL 3.0 has no GOST signature test, so this loops over EVP_PKEY_sign and
 * EVP_PKEY_verify on one pre-computed digest, single-threaded, for about a second each.
 *
 * Usage: openssl-gost-sign KEY.pem DIGEST_HEX [sign|verify]
 *   KEY.pem     a private key from `openssl genpkey -algorithm gost2012_256|gost2012_512 ...`
 *   DIGEST_HEX  the 32- or 64-byte digest, as Streebog outputs it (the engine reads it little-endian)
 * Prints "signature <hex>" (s || r, each big-endian) and then "sign <ops/s>" and/or "verify <ops/s>".
 *
 * The GOST engine is loaded by the OpenSSL configuration (OPENSSL_CONF pointing at
 * tooling/test-support/openssl-gost.cnf), which keeps the program free of the deprecated ENGINE API.
 * Build: cc -O2 -o openssl-gost-sign openssl-gost-sign.c -lcrypto (Debian package libssl-dev).
 */
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SECONDS 1.0
#define MAX_DIGEST 64
#define MAX_SIGNATURE 128

static int fail(const char *what) {
  fprintf(stderr, "openssl-gost-sign: %s\n", what);
  ERR_print_errors_fp(stderr);
  return 1;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t parse_hex(const char *hex, unsigned char *out, size_t cap) {
  size_t n = strlen(hex);
  if (n % 2 != 0 || n / 2 > cap) return 0;
  for (size_t i = 0; i < n / 2; i++) {
    unsigned int byte;
    if (sscanf(hex + 2 * i, "%2x", &byte) != 1) return 0;
    out[i] = (unsigned char)byte;
  }
  return n / 2;
}

/* Signs repeatedly for SECONDS (after a short warm-up); returns operations per second, or -1. */
static double time_sign(EVP_PKEY_CTX *ctx, const unsigned char *digest, size_t digest_len) {
  unsigned char sig[MAX_SIGNATURE];
  long ops = 0;
  double start = 0;
  for (long i = -20;; i++) {
    if (i == 0) start = now();
    size_t sig_len = sizeof sig;
    if (EVP_PKEY_sign(ctx, sig, &sig_len, digest, digest_len) != 1) return -1;
    if (i >= 0 && ++ops % 16 == 0 && now() - start >= SECONDS) break;
  }
  return (double)ops / (now() - start);
}

/* Verifies repeatedly for SECONDS (after a short warm-up); returns operations per second, or -1. */
static double time_verify(EVP_PKEY_CTX *ctx, const unsigned char *sig, size_t sig_len,
                          const unsigned char *digest, size_t digest_len) {
  long ops = 0;
  double start = 0;
  for (long i = -20;; i++) {
    if (i == 0) start = now();
    if (EVP_PKEY_verify(ctx, sig, sig_len, digest, digest_len) != 1) return -1;
    if (i >= 0 && ++ops % 16 == 0 && now() - start >= SECONDS) break;
  }
  return (double)ops / (now() - start);
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: openssl-gost-sign KEY.pem DIGEST_HEX [sign|verify]\n");
    return 2;
  }
  const char *only = argc == 4 ? argv[3] : "";
  if (*only && strcmp(only, "sign") != 0 && strcmp(only, "verify") != 0) {
    return fail("the last argument must be sign or verify");
  }
  unsigned char digest[MAX_DIGEST];
  size_t digest_len = parse_hex(argv[2], digest, sizeof digest);
  if (digest_len != 32 && digest_len != 64) return fail("the digest must be 32 or 64 bytes of hex");

  OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL);
  FILE *f = fopen(argv[1], "r");
  if (!f) return fail("cannot open the key file");
  EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
  fclose(f);
  if (!key) return fail("cannot read the key (is the GOST engine loaded through OPENSSL_CONF?)");
  int id = EVP_PKEY_get_base_id(key);
  size_t expected = id == NID_id_GostR3410_2012_256 ? 32 : id == NID_id_GostR3410_2012_512 ? 64 : 0;
  if (expected == 0) return fail("the key is not a GOST R 34.10-2012 key");
  if (expected != digest_len) return fail("the digest length does not match the key size");

  EVP_PKEY_CTX *sctx = EVP_PKEY_CTX_new(key, NULL);
  EVP_PKEY_CTX *vctx = EVP_PKEY_CTX_new(key, NULL);
  if (!sctx || !vctx || EVP_PKEY_sign_init(sctx) != 1 || EVP_PKEY_verify_init(vctx) != 1) {
    return fail("cannot set up signing");
  }
  unsigned char sig[MAX_SIGNATURE];
  size_t sig_len = sizeof sig;
  if (EVP_PKEY_sign(sctx, sig, &sig_len, digest, digest_len) != 1) return fail("EVP_PKEY_sign failed");
  if (EVP_PKEY_verify(vctx, sig, sig_len, digest, digest_len) != 1) {
    return fail("the engine does not verify its own signature");
  }
  printf("signature ");
  for (size_t i = 0; i < sig_len; i++) printf("%02x", sig[i]);
  printf("\n");

  if (strcmp(only, "verify") != 0) {
    double ops = time_sign(sctx, digest, digest_len);
    if (ops < 0) return fail("EVP_PKEY_sign failed while timing");
    printf("sign %.2f\n", ops);
  }
  if (strcmp(only, "sign") != 0) {
    double ops = time_verify(vctx, sig, sig_len, digest, digest_len);
    if (ops < 0) return fail("EVP_PKEY_verify failed while timing");
    printf("verify %.2f\n", ops);
  }
  EVP_PKEY_CTX_free(sctx);
  EVP_PKEY_CTX_free(vctx);
  EVP_PKEY_free(key);
  return 0;
}
