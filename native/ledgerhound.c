/*
 * Ledgerhound's optional native accelerator: batch SHA-256 work of block parsing and address encoding
 * (and the hex text of the hashes),
 * with the SHA-256 of the OpenSSL that Node itself links (SHA-NI where the CPU has it), called in a loop
 * over a whole block or batch instead of once per message from JavaScript.
 *
 * Every function has a WebAssembly/JavaScript twin that gives the same bytes (src/chain/bitcoin/native.ts
 * chooses; the tests compare both on the same inputs). Arguments are checked here as well: an offset
 * outside its buffer is a RangeError, never a read out of bounds.
 *
 * Node-API (C), so one build serves every Node version of the same ABI and worker threads alike.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(call)                                  \
  do {                                               \
    if ((call) != napi_ok) return throw_type(env, #call); \
  } while (0)

static napi_value throw_type(napi_env env, const char *what) {
  napi_throw_type_error(env, NULL, what);
  return NULL;
}

static napi_value throw_range(napi_env env, const char *what) {
  napi_throw_range_error(env, NULL, what);
  return NULL;
}

/* A typed array argument: its data and length in elements, of the expected element type. */
typedef struct {
  void *data;
  size_t length;
} view_t;

static int get_view(napi_env env, napi_value v, napi_typedarray_type want, view_t *out) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value ab;
  size_t offset;
  int is = 0;
  bool b = false;
  if (napi_is_typedarray(env, v, &b) != napi_ok || !b) return 0;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok) return 0;
  is = type == want || (want == napi_uint8_array && type == napi_uint8_clamped_array);
  if (!is) return 0;
  out->data = data;
  out->length = length;
  return 1;
}

static int get_u32(napi_env env, napi_value v, uint32_t *out) { return napi_get_value_uint32(env, v, out) == napi_ok; }

/* SHA-256 through the low-level interface: OpenSSL 3's one-shot SHA256() fetches the algorithm from its
 * provider on every call (~4x slower for short messages). */
static void sha256(const uint8_t *m, size_t len, uint8_t out[32]) {
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, m, len);
  SHA256_Final(out, &c);
}

static void sha256d(const uint8_t *m, size_t len, uint8_t out[32]) {
  uint8_t first[32];
  sha256(m, len, first);
  sha256(first, 32, out);
}

/*
 * txHashes(buf, count, start, end, segwit, body, wit, txids, wtxids): for transaction t of the block in
 * `buf`, txid = SHA256d of its legacy serialization (for a segwit transaction: version | buf[body, wit) |
 * locktime, BIP141) and wtxid = SHA256d of buf[start, end); written at 32 t of `txids` and `wtxids`.
 * start, end, body, wit: Uint32Array; segwit: Uint8Array (1 = has witness data).
 */
static napi_value tx_hashes(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  view_t buf, start, end, segwit, body, wit, txids, wtxids;
  uint32_t count;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 9) return throw_type(env, "txHashes: 9 arguments");
  if (!get_view(env, argv[0], napi_uint8_array, &buf) || !get_u32(env, argv[1], &count) ||
      !get_view(env, argv[2], napi_uint32_array, &start) || !get_view(env, argv[3], napi_uint32_array, &end) ||
      !get_view(env, argv[4], napi_uint8_array, &segwit) || !get_view(env, argv[5], napi_uint32_array, &body) ||
      !get_view(env, argv[6], napi_uint32_array, &wit) || !get_view(env, argv[7], napi_uint8_array, &txids) ||
      !get_view(env, argv[8], napi_uint8_array, &wtxids))
    return throw_type(env, "txHashes(buf, count, start, end, segwit, body, wit, txids, wtxids): wrong argument types");
  if (start.length < count || end.length < count || segwit.length < count || body.length < count || wit.length < count ||
      txids.length < 32 * (size_t)count || wtxids.length < 32 * (size_t)count)
    return throw_range(env, "txHashes: a column is shorter than count");
  const uint8_t *b = buf.data;
  const uint32_t *s = start.data, *e = end.data, *bo = body.data, *w = wit.data;
  const uint8_t *sw = segwit.data;
  uint8_t *ti = txids.data, *wi = wtxids.data;
  for (uint32_t t = 0; t < count; t++) {
    if (!(s[t] <= e[t] && e[t] <= buf.length && e[t] - s[t] >= 10)) return throw_range(env, "txHashes: transaction bytes outside the buffer");
    sha256d(b + s[t], e[t] - s[t], wi + 32 * (size_t)t);
    if (!sw[t]) {
      memcpy(ti + 32 * (size_t)t, wi + 32 * (size_t)t, 32);
      continue;
    }
    if (!(s[t] + 4 <= bo[t] && bo[t] <= w[t] && w[t] + 4 <= e[t])) return throw_range(env, "txHashes: segwit body outside its transaction");
    SHA256_CTX c;
    uint8_t first[32];
    SHA256_Init(&c);
    SHA256_Update(&c, b + s[t], 4);
    SHA256_Update(&c, b + bo[t], w[t] - bo[t]);
    SHA256_Update(&c, b + e[t] - 4, 4);
    SHA256_Final(first, &c);
    sha256(first, 32, ti + 32 * (size_t)t);
  }
  return NULL;
}

/*
 * merkleRoot(hashes, count, out): Bitcoin's merkle root of `count` 32-byte hashes packed in `hashes` (an
 * odd last node paired with itself) into out[0..32). `hashes` is not modified.
 */
static napi_value merkle_root(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  view_t hashes, out;
  uint32_t count;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 3 || !get_view(env, argv[0], napi_uint8_array, &hashes) || !get_u32(env, argv[1], &count) ||
      !get_view(env, argv[2], napi_uint8_array, &out))
    return throw_type(env, "merkleRoot(hashes, count, out): wrong argument types");
  if (count == 0 || hashes.length < 32 * (size_t)count || out.length < 32) return throw_range(env, "merkleRoot: count is 0 or beyond hashes, or out is shorter than 32 bytes");
  if (count == 1) {
    memcpy(out.data, hashes.data, 32);
    return NULL;
  }
  /* One level at a time into a scratch copy, each level's odd last node duplicated. */
  uint8_t *level = malloc(32 * ((size_t)count + 1));
  if (!level) return throw_range(env, "merkleRoot: out of memory");
  memcpy(level, hashes.data, 32 * (size_t)count);
  size_t n = count;
  while (n > 1) {
    if (n & 1) {
      memcpy(level + 32 * n, level + 32 * (n - 1), 32);
      n++;
    }
    for (size_t i = 0; i < n / 2; i++) sha256d(level + 64 * i, 64, level + 32 * i);
    n /= 2;
  }
  memcpy(out.data, level, 32);
  free(level);
  return NULL;
}

static const char B58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
#define B58_5 656356768ULL /* 58^5 */
/* W[j][d]: digit d (base 58^5, least significant first) of 2^(16 (12 - j)), the weight of 16-bit limb j.
 * Computed per base58checkMany call (about 9,000 additions, microseconds) into the caller's stack, so worker
 * threads loading the addon share no mutable state. */
typedef uint64_t weights_t[13][7];

static void init_weights(weights_t W) {
  for (int j = 0; j < 13; j++) {
    /* 2^(16 (12 - j)) in base 58^5 by repeated doubling of a 7-digit number. */
    uint64_t d[7] = {1, 0, 0, 0, 0, 0, 0};
    for (int bit = 0; bit < 16 * (12 - j); bit++) {
      uint64_t carry = 0;
      for (int k = 0; k < 7; k++) {
        uint64_t v = 2 * d[k] + carry;
        carry = v / B58_5;
        d[k] = v % B58_5;
      }
    }
    for (int k = 0; k < 7; k++) W[j][k] = d[k];
  }
}

/* The Base58Check string of the 21 bytes `body21` (version + 20) into out; returns its length (at most 34). */
static int base58check(const weights_t W, const uint8_t body21[21], uint8_t *out) {
  uint8_t full[25];
  uint8_t check[32];
  memcpy(full, body21, 21);
  sha256d(full, 21, check);
  memcpy(full + 21, check, 4);
  int zeros = 0;
  while (zeros < 25 && full[zeros] == 0) zeros++;
  /* 13 big-endian 16-bit limbs (the first holds one byte) times their weights: sums below 2^50. */
  uint64_t a[7] = {0, 0, 0, 0, 0, 0, 0};
  for (int j = 0; j < 13; j++) {
    uint64_t limb = j == 0 ? full[0] : ((uint64_t)full[2 * j - 1] << 8) | full[2 * j];
    for (int k = 0; k < 7; k++) a[k] += limb * W[j][k];
  }
  for (int k = 0; k < 6; k++) {
    a[k + 1] += a[k] / B58_5;
    a[k] %= B58_5;
  }
  int p = 0;
  for (int z = 0; z < zeros; z++) out[p++] = '1';
  int top = 6;
  while (top >= 0 && a[top] == 0) top--;
  if (top >= 0) {
    uint32_t v = (uint32_t)a[top];
    int n = 0;
    for (uint32_t t = v; t > 0; t /= 58) n++;
    for (int k = n - 1; k >= 0; k--) {
      out[p + k] = B58[v % 58];
      v /= 58;
    }
    p += n;
    for (int d = top - 1; d >= 0; d--) {
      v = (uint32_t)a[d];
      for (int k = 4; k >= 0; k--) {
        out[p + k] = B58[v % 58];
        v /= 58;
      }
      p += 5;
    }
  }
  return p;
}

/*
 * base58checkMany(bytes, offsets, which, count, p2pkhVersion, p2shVersion, out, lengths): for j < count,
 * key i = which[j] is bytes[offsets[i], offsets[i+1]): a kind byte (1 P2PKH, 2 P2SH) and 20 bytes; its
 * Base58Check address (version byte of its kind + the 20 bytes + checksum) is written at out[35 j] with
 * its length in lengths[j].
 */
static napi_value base58check_many(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  view_t bytes, offsets, which, out, lengths;
  uint32_t count, v1, v2;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8 || !get_view(env, argv[0], napi_uint8_array, &bytes) || !get_view(env, argv[1], napi_uint32_array, &offsets) ||
      !get_view(env, argv[2], napi_uint32_array, &which) || !get_u32(env, argv[3], &count) || !get_u32(env, argv[4], &v1) ||
      !get_u32(env, argv[5], &v2) || !get_view(env, argv[6], napi_uint8_array, &out) || !get_view(env, argv[7], napi_uint8_array, &lengths))
    return throw_type(env, "base58checkMany(bytes, offsets, which, count, p2pkh, p2sh, out, lengths): wrong argument types");
  if (which.length < count || out.length < 35 * (size_t)count || lengths.length < count || v1 > 255 || v2 > 255)
    return throw_range(env, "base58checkMany: which, out or lengths too short for count, or a version above 255");
  const uint8_t *kb = bytes.data;
  const uint32_t *off = offsets.data, *wh = which.data;
  uint8_t *o = out.data, *len = lengths.data;
  weights_t W;
  init_weights(W);
  for (uint32_t j = 0; j < count; j++) {
    uint32_t i = wh[j];
    if ((size_t)i + 1 >= offsets.length) return throw_range(env, "base58checkMany: key index beyond offsets");
    uint32_t s = off[i], e = off[i + 1];
    if (!(s <= e && e <= bytes.length && e - s == 21 && (kb[s] == 1 || kb[s] == 2)))
      return throw_range(env, "base58checkMany: a key is not a P2PKH or P2SH key of 21 bytes inside bytes");
    uint8_t body[21];
    body[0] = (uint8_t)(kb[s] == 1 ? v1 : v2);
    memcpy(body + 1, kb + s + 1, 20);
    len[j] = (uint8_t)base58check((const uint64_t(*)[7])W, body, o + 35 * (size_t)j);
  }
  return NULL;
}

/*
 * revHexMany(src, count, mask, dst): the display hex (byte-reversed) of the 32-byte hashes src[32 i..] for
 * i < count, 64 ASCII bytes each, packed into dst; with a mask (Uint8Array), only of the hashes whose mask
 * byte is not 0. Returns how many were written.
 */
static napi_value rev_hex_many(napi_env env, napi_callback_info info) {
  static const char HEX[] = "0123456789abcdef";
  size_t argc = 4;
  napi_value argv[4];
  view_t src, mask = {NULL, 0}, dst;
  uint32_t count;
  napi_valuetype mt;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4 || !get_view(env, argv[0], napi_uint8_array, &src) || !get_u32(env, argv[1], &count) ||
      napi_typeof(env, argv[2], &mt) != napi_ok || (mt != napi_null && !get_view(env, argv[2], napi_uint8_array, &mask)) ||
      !get_view(env, argv[3], napi_uint8_array, &dst))
    return throw_type(env, "revHexMany(src, count, mask | null, dst): wrong argument types");
  if (src.length < 32 * (size_t)count || (mask.data && mask.length < count)) return throw_range(env, "revHexMany: src or mask shorter than count");
  const uint8_t *s = src.data, *m = mask.data;
  uint8_t *d = dst.data;
  size_t written = 0;
  for (uint32_t i = 0; i < count; i++) {
    if (m && !m[i]) continue;
    if (64 * (written + 1) > dst.length) return throw_range(env, "revHexMany: dst too short");
    const uint8_t *h = s + 32 * (size_t)i;
    uint8_t *o = d + 64 * written++;
    for (int k = 0; k < 32; k++) {
      o[2 * k] = (uint8_t)HEX[h[31 - k] >> 4];
      o[2 * k + 1] = (uint8_t)HEX[h[31 - k] & 15];
    }
  }
  napi_value result;
  CHECK(napi_create_uint32(env, (uint32_t)written, &result));
  return result;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
      {"txHashes", NULL, tx_hashes, NULL, NULL, NULL, napi_enumerable, NULL},
      {"merkleRoot", NULL, merkle_root, NULL, NULL, NULL, napi_enumerable, NULL},
      {"base58checkMany", NULL, base58check_many, NULL, NULL, NULL, napi_enumerable, NULL},
      {"revHexMany", NULL, rev_hex_many, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
