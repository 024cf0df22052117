/* safetensors reader and writer: hand-made files, good and bad (each violation must be a
 * one-line error naming the file and the tensor), sharded folders, the atomic writer's round
 * trip, and the 16-bit float conversions against values numpy prints. */
#include "harness.h"
#include "base/file.h"
#include "base/str.h"
#include "nn/safetensors.h"
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* A file image: 8-byte length, header, then ndata bytes of data (0, 1, 2, ...). */
static size_t image(unsigned char *buf, const char *header, size_t ndata)
{
    size_t hl = strlen(header);
    for (int i = 0; i < 8; i++) buf[i] = (unsigned char)((uint64_t)hl >> (8 * i));
    memcpy(buf + 8, header, hl);
    for (size_t i = 0; i < ndata; i++) buf[8 + hl + i] = (unsigned char)i;
    return 8 + hl + ndata;
}

/* Opens the image; returns the error message ("" when it opened). */
static const char *try_open(const char *header, size_t ndata)
{
    static unsigned char buf[4096];
    static char msg[1200];
    size_t n = image(buf, header, ndata);
    struct dp_st st;
    struct dp_error e = {0};
    if (dp_st_open_mem(&st, buf, n, "t.safetensors", &e)) {
        dp_error_format(&e, msg, sizeof msg);
        return msg;
    }
    dp_st_close(&st);
    return "";
}

#define EXPECT_ERR(header, ndata, want) do { const char *m_ = try_open(header, ndata); \
    if (!strstr(m_, want) || strncmp(m_, "t.safetensors: ", 15)) { \
        fprintf(stderr, "%s:%d: want '%s', got '%s'\n", __FILE__, __LINE__, want, m_); \
        t_ok_ = 0; } } while (0)

static void test_good(void)
{
    unsigned char buf[512];
    size_t n = image(buf, "{\"__metadata__\":{\"format\":\"pt\"},"
                          "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                          "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                          "\"e\":{\"dtype\":\"F16\",\"shape\":[0,3],\"data_offsets\":[12,12]}}  ", 12);
    struct dp_st st;
    struct dp_error e = {0};
    EXPECT_INT(dp_st_open_mem(&st, buf, n, "t.safetensors", &e), 0);
    EXPECT_INT(st.ntensors, 3);
    const struct dp_st_tensor *a = dp_st_get(&st, "a"), *b = dp_st_get(&st, "b");
    EXPECT(a && b && !dp_st_get(&st, "c"));
    if (a && b) {
        EXPECT_INT(a->dtype, DP_DTYPE_F32);
        EXPECT_INT(a->nbytes, 8);
        EXPECT_INT(b->numel, 2);
        EXPECT(((const unsigned char *)b->data)[0] == 8);
        dp_st_release(&st, b);   /* an in-memory image is borrowed: left alone */
        EXPECT(((const unsigned char *)b->data)[0] == 8 && ((const unsigned char *)b->data)[3] == 11);
    }
    int64_t s2[] = {2}, s3[] = {3};
    const struct dp_st_tensor *t;
    EXPECT_INT(dp_st_require(&st, "a", 1, s2, &t, &e), 0);
    EXPECT(dp_st_require(&st, "a", 1, s3, &t, &e) == DP_EFORMAT && strstr(e.msg, "shape [2], expected [3]"));
    EXPECT(dp_st_require(&st, "zz", 1, s3, &t, &e) == DP_EFORMAT && strstr(e.msg, "'zz': missing"));
    dp_st_close(&st);
}

static void test_bad_headers(void)
{
    unsigned char buf[64];
    struct dp_st st;
    struct dp_error e = {0};
    EXPECT_INT(dp_st_open_mem(&st, buf, 5, "t.safetensors", &e), DP_EFORMAT);
    EXPECT(strstr(e.msg, "too short"));
    size_t n = image(buf, "{}", 0);
    buf[0] = 200;   /* header length past the end */
    EXPECT_INT(dp_st_open_mem(&st, buf, n, "t.safetensors", &e), DP_EFORMAT);
    EXPECT(strstr(e.msg, "runs past the end"));
    memset(buf, 0xff, 8);
    EXPECT_INT(dp_st_open_mem(&st, buf, n, "t.safetensors", &e), DP_EFORMAT);
    EXPECT(strstr(e.msg, "100 MB"));
    EXPECT_ERR("[1,2]", 0, "does not start with '{'");
    EXPECT_ERR("{\"a\":", 0, "header JSON 1:6");
    EXPECT_ERR("{\"a\":1}", 0, "tensor 'a': entry is not an object");
    EXPECT_ERR("{\"__metadata__\":{\"k\":1}}", 0, "'__metadata__' value 'k' is not a string");
}

static void test_bad_tensors(void)
{
    EXPECT_ERR("{\"w\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
               "tensor 'w': unknown dtype 'F33'");
    EXPECT_ERR("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'w': missing string 'dtype'");
    EXPECT_ERR("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "tensor 'w': missing array 'shape'");
    EXPECT_ERR("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4,
               "tensor 'w': shape holds a value that is not a size");
    EXPECT_ERR("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4,
               "not a size");
    EXPECT_ERR("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4,
               "tensor 'w': 'data_offsets' is not an array");
    EXPECT_ERR("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4, "begin <= end");
    EXPECT_ERR("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 24,
               "tensor 'w': shape [2, 3] x F32 = 24 bytes but data_offsets span 20");
    EXPECT_ERR("{\"w\":{\"dtype\":\"BF16\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}",
               4, "tensor 'w': shape overflows");
    EXPECT_ERR("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 6,
               "tensor 'w': data_offsets [0, 8] run past the data area (6 bytes)");
    EXPECT_ERR("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
               "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
               "tensor 'b': data_offsets [4, 8] overlap tensor 'a' [0, 8]");
    EXPECT_ERR("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
               "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
               "tensor 'a': defined twice");
    EXPECT_ERR("{\"w\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}", 4,
               "more than 8 dimensions");
    /* require: a non-float dtype is refused */
    unsigned char buf[256];
    size_t n = image(buf, "{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
    struct dp_st st;
    struct dp_error e = {0};
    EXPECT_INT(dp_st_open_mem(&st, buf, n, "t.safetensors", &e), 0);
    const struct dp_st_tensor *t;
    int64_t s1[] = {1};
    EXPECT(dp_st_require(&st, "w", 1, s1, &t, &e) == DP_EFORMAT && strstr(e.msg, "dtype I64"));
    dp_st_close(&st);
}

static char tmpdir[256];

static void write_file(const char *name, const void *data, size_t n)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    struct dp_error e = {0};
    EXPECT_INT(dp_file_write_atomic(p, data, n, &e), 0);
}

static void test_write_roundtrip_and_shards(void)
{
    float a[6] = {1, 2, 3, 4, 5, 6};
    uint16_t b[3] = {0x3f80, 0x4000, 0xc040};
    struct dp_st_wtensor w[2] = {
        {.name = "x.a", .dtype = DP_DTYPE_F32, .ndim = 2, .shape = {2, 3}, .data = a},
        {.name = "x.b", .dtype = DP_DTYPE_BF16, .ndim = 1, .shape = {3}, .data = b},
    };
    const char *meta[] = {"format", "pt"};
    char p1[512], p2[512], idx[512];
    snprintf(p1, sizeof p1, "%s/s1.safetensors", tmpdir);
    snprintf(p2, sizeof p2, "%s/s2.safetensors", tmpdir);
    struct dp_error e = {0};
    EXPECT_INT(dp_st_write(p1, &w[0], 1, meta, 1, &e), 0);
    EXPECT_INT(dp_st_write(p2, &w[1], 1, NULL, 0, &e), 0);
    const char *index = "{\"metadata\":{\"total_size\":30},\"weight_map\":"
                        "{\"x.a\":\"s1.safetensors\",\"x.b\":\"s2.safetensors\"}}";
    write_file("model.safetensors.index.json", index, strlen(index));
    struct dp_st st;
    EXPECT_INT(dp_st_open(&st, tmpdir, &e), 0);
    const struct dp_st_tensor *ta = dp_st_get(&st, "x.a"), *tb = dp_st_get(&st, "x.b");
    EXPECT(ta && tb);
    if (ta && tb) {
        EXPECT(dp_load_f32(ta->data, ta->dtype, 5) == 6.0f);
        EXPECT(dp_load_f32(tb->data, tb->dtype, 2) == -3.0f);
        EXPECT(strstr(tb->file, "s2.safetensors") != NULL);
        /* released pages of a mapped file come back with the same bytes */
        dp_st_release(&st, ta);
        dp_st_release(&st, tb);
        EXPECT(dp_load_f32(ta->data, ta->dtype, 0) == 1.0f && dp_load_f32(ta->data, ta->dtype, 5) == 6.0f);
        EXPECT(dp_load_f32(tb->data, tb->dtype, 2) == -3.0f);
    }
    dp_st_close(&st);
    /* a listed tensor missing from its shard; a path in the shard name */
    snprintf(idx, sizeof idx, "%s/model.safetensors.index.json", tmpdir);
    index = "{\"weight_map\":{\"x.a\":\"s1.safetensors\",\"x.c\":\"s2.safetensors\"}}";
    write_file("model.safetensors.index.json", index, strlen(index));
    EXPECT_INT(dp_st_open(&st, tmpdir, &e), DP_EFORMAT);
    EXPECT(strstr(e.msg, "tensor 'x.c': not found in s2.safetensors") && !strcmp(e.path, idx));
    index = "{\"weight_map\":{\"x.a\":\"../s1.safetensors\"}}";
    write_file("model.safetensors.index.json", index, strlen(index));
    EXPECT_INT(dp_st_open(&st, tmpdir, &e), DP_EFORMAT);
    EXPECT(strstr(e.msg, "plain file name"));
    /* the same tensor in two shards */
    EXPECT_INT(dp_st_write(p2, w, 2, NULL, 0, &e), 0);
    index = "{\"weight_map\":{\"x.a\":\"s1.safetensors\",\"x.b\":\"s2.safetensors\"}}";
    write_file("model.safetensors.index.json", index, strlen(index));
    EXPECT_INT(dp_st_open(&st, tmpdir, &e), DP_EFORMAT);
    EXPECT(strstr(e.msg, "tensor 'x.a': defined twice") && strstr(e.path, "s2.safetensors"));
    /* a missing shard file */
    index = "{\"weight_map\":{\"x.a\":\"s9.safetensors\"}}";
    write_file("model.safetensors.index.json", index, strlen(index));
    EXPECT_INT(dp_st_open(&st, tmpdir, &e), DP_EIO);
    EXPECT(strstr(e.path, "s9.safetensors") != NULL);
    /* header is 8-aligned and the writer refuses duplicates */
    FILE *f = fopen(p1, "rb");
    unsigned char h[8] = {0};
    EXPECT(f && fread(h, 1, 8, f) == 8);
    if (f) fclose(f);
    EXPECT(h[0] % 8 == 0);
    struct dp_st_wtensor dup[2] = {w[0], w[0]};
    EXPECT_INT(dp_st_write(p1, dup, 2, NULL, 0, &e), DP_EINVAL);
}

static void test_f16(void)
{
    /* numpy: np.float16(x).view(np.uint16) */
    EXPECT_INT(dp_f32_to_f16(1.0f), 0x3c00);
    EXPECT_INT(dp_f32_to_f16(-2.5f), 0xc100);
    EXPECT_INT(dp_f32_to_f16(65504.0f), 0x7bff);
    EXPECT_INT(dp_f32_to_f16(65520.0f), 0x7c00);
    EXPECT_INT(dp_f32_to_f16(6.0e-8f), 0x0001);
    EXPECT_INT(dp_f32_to_f16(1e-4f), 0x068e);
    EXPECT_INT(dp_f32_to_f16(0.1f), 0x2e66);
    EXPECT_INT(dp_f32_to_f16(2.9802322e-08f), 0x0000);  /* 2^-25 ties to even: 0 */
    EXPECT(dp_f16_to_f32(0x0001) == 5.9604645e-08f);
    EXPECT(dp_f16_to_f32(0x068e) == 0.00010001659393310547f);
    EXPECT(dp_f16_to_f32(0xfbff) == -65504.0f);
    for (uint32_t h = 0; h < 0x7c00; h++)   /* every finite half round-trips */
        if (dp_f32_to_f16(dp_f16_to_f32((uint16_t)h)) != h) { EXPECT(0); break; }
    EXPECT_INT(dp_f32_to_bf16(1.00390625f), 0x3f80);   /* tie to even */
    EXPECT_INT(dp_f32_to_bf16(1.01171875f), 0x3f82);
    EXPECT(dp_bf16_to_f32(0xc040) == -3.0f);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dp_st_test.%d", (int)getpid());
    struct dp_error e = {0};
    dp_mkdirs(tmpdir, &e);
    RUN(test_good);
    RUN(test_bad_headers);
    RUN(test_bad_tensors);
    RUN(test_write_roundtrip_and_shards);
    RUN(test_f16);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd)) return 1;
    TEST_END();
}
