/* Tests for the small base modules: utf8, map, rng, log, file. Reference values for the RNG
 * come from a Python transcription of splitmix64 + xoshiro256** (Vigna's reference C). */
#include "base/file.h"
#include "base/log.h"
#include "base/map.h"
#include "base/rng.h"
#include "base/str.h"
#include "base/utf8.h"
#include "harness.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- utf8 */

static void test_utf8_decode(void)
{
    struct { const char *s; size_t n, want_len; uint32_t want_cp; } cases[] = {
        {"A", 1, 1, 'A'},
        {"\0", 1, 1, 0},
        {"\302\200", 2, 2, 0x80},
        {"\337\277", 2, 2, 0x7FF},
        {"\340\240\200", 3, 3, 0x800},
        {"\355\237\277", 3, 3, 0xD7FF},
        {"\356\200\200", 3, 3, 0xE000},
        {"\357\277\277", 3, 3, 0xFFFF},
        {"\360\220\200\200", 4, 4, 0x10000},
        {"\364\217\277\277", 4, 4, 0x10FFFF},
        /* rejected: *cp is the first byte */
        {"\300\200", 2, 0, 0xC0},          /* overlong NUL */
        {"\301\277", 2, 0, 0xC1},          /* overlong */
        {"\340\237\277", 3, 0, 0xE0},      /* overlong 3-byte */
        {"\360\217\277\277", 4, 0, 0xF0},  /* overlong 4-byte */
        {"\355\240\200", 3, 0, 0xED},      /* U+D800 */
        {"\355\277\277", 3, 0, 0xED},      /* U+DFFF */
        {"\364\220\200\200", 4, 0, 0xF4},  /* U+110000 */
        {"\365\200\200\200", 4, 0, 0xF5},
        {"\377", 1, 0, 0xFF},
        {"\200", 1, 0, 0x80},              /* stray continuation */
        {"\342\202", 2, 0, 0xE2},          /* truncated */
        {"\342\202\254", 2, 0, 0xE2},      /* truncated by n */
        {"\342(\254", 3, 0, 0xE2},         /* bad continuation */
        {"\360\237\230", 3, 0, 0xF0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp = 12345;
        size_t k = dp_utf8_decode((const unsigned char *)cases[i].s, cases[i].n, &cp);
        EXPECT_INT(k, cases[i].want_len);
        EXPECT_INT(cp, cases[i].want_cp);
    }
}

static void test_utf8_encode(void)
{
    struct { uint32_t cp; const char *want; size_t n; } cases[] = {
        {0, "\0", 1}, {0x7F, "\177", 1}, {0x80, "\302\200", 2}, {0x7FF, "\337\277", 2},
        {0x800, "\340\240\200", 3}, {0xD800, "\355\240\200", 3}, {0xDFFF, "\355\277\277", 3},
        {0xFFFF, "\357\277\277", 3}, {0x10000, "\360\220\200\200", 4},
        {0x1F600, "\360\237\230\200", 4}, {0x10FFFF, "\364\217\277\277", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[4];
        EXPECT_INT(dp_utf8_encode(cases[i].cp, out), cases[i].n);
        EXPECT(memcmp(out, cases[i].want, cases[i].n) == 0);
    }
    char out[4];
    EXPECT_INT(dp_utf8_encode(0x110000, out), 0);
    EXPECT_INT(dp_utf8_encode(0xFFFFFFFF, out), 0);
    /* every scalar value round-trips through encode and decode */
    int bad = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        uint32_t back;
        size_t n = dp_utf8_encode(cp, out);
        if (dp_utf8_decode((const unsigned char *)out, n, &back) != n || back != cp) bad++;
    }
    EXPECT_INT(bad, 0);
}

static void test_utf8_valid_count(void)
{
    const unsigned char *s = (const unsigned char *)"a\303\251\342\202\254\360\237\230\200z";
    size_t off = 99;
    EXPECT(dp_utf8_valid(s, 11, &off));
    EXPECT_INT(off, 11);
    EXPECT_INT(dp_utf8_count(s, 11), 5);
    EXPECT(dp_utf8_valid(s, 0, NULL));
    EXPECT(!dp_utf8_valid(s, 5, &off));   /* cut inside the euro sign */
    EXPECT_INT(off, 3);
    EXPECT(!dp_utf8_valid((const unsigned char *)"ok\355\240\200", 5, &off));
    EXPECT_INT(off, 2);
    EXPECT(!dp_utf8_valid((const unsigned char *)"\300\200", 2, NULL));
}

/* ---------------------------------------------------------------- map */

static void test_map_100k(void)
{
    enum { N = 100000 };
    char *keys = malloc((size_t)N * 16);
    size_t *lens = malloc(N * sizeof *lens);
    struct dp_map m;
    dp_map_init(&m);
    EXPECT(dp_map_get(&m, "x", 1) == NULL);
    for (size_t i = 0; i < N; i++) {
        lens[i] = (size_t)snprintf(keys + i * 16, 16, "key%zu", i);
        EXPECT_INT(dp_map_put(&m, keys + i * 16, lens[i], (void *)(uintptr_t)(i + 1)), 1);
        EXPECT(m.len * 10 <= m.cap * 7);
    }
    EXPECT_INT(m.len, N);
    EXPECT_INT(m.cap & (m.cap - 1), 0);
    size_t wrong = 0;
    for (size_t i = 0; i < N; i++) {
        void **v = dp_map_get(&m, keys + i * 16, lens[i]);
        if (!v || *v != (void *)(uintptr_t)(i + 1)) wrong++;
    }
    EXPECT_INT(wrong, 0);
    EXPECT(dp_map_get(&m, "key100000", 9) == NULL);
    EXPECT(dp_map_get(&m, "key1", 3) == NULL);   /* prefix of a key */
    /* a key is compared by bytes, not by pointer */
    char other[] = "key77";
    EXPECT_INT(dp_map_put(&m, other, 5, (void *)1), 0);
    EXPECT_INT(m.len, N);
    EXPECT(*dp_map_get(&m, "key77", 5) == (void *)1);
    size_t seen = 0;
    for (size_t i = 0; i < m.cap; i++) seen += m.slots[i].key != NULL;
    EXPECT_INT(seen, N);
    /* empty key and keys with NUL bytes */
    EXPECT_INT(dp_map_put(&m, "", 0, (void *)2), 1);
    EXPECT_INT(dp_map_put(&m, "a\0b", 3, (void *)3), 1);
    EXPECT_INT(dp_map_put(&m, "a\0c", 3, (void *)4), 1);
    EXPECT(*dp_map_get(&m, "", 0) == (void *)2);
    EXPECT(*dp_map_get(&m, "a\0b", 3) == (void *)3);
    EXPECT(dp_map_get(&m, "a", 1) == NULL);
    dp_map_free(&m);
    EXPECT(m.cap == 0 && m.len == 0 && m.slots == NULL);
    free(keys);
    free(lens);
}

static void test_hash_fnv1a(void)
{
    /* FNV-1a 64 reference values (offset basis; "a"; "foobar") */
    EXPECT(dp_hash_bytes("", 0) == 0xcbf29ce484222325ull);
    EXPECT(dp_hash_bytes("a", 1) == 0xaf63dc4c8601ec8cull);
    EXPECT(dp_hash_bytes("foobar", 6) == 0x85944171f73967e8ull);
}

/* ---------------------------------------------------------------- rng */

static void test_rng_reference(void)
{
    struct dp_rng r;
    dp_rng_seed(&r, 42);
    EXPECT(dp_rng_u64(&r) == 0x15780b2e0c2ec716ull);
    EXPECT(dp_rng_u64(&r) == 0x6104d9866d113a7eull);
    EXPECT(dp_rng_u64(&r) == 0xae17533239e499a1ull);
}

static void test_rng_determinism(void)
{
    struct dp_rng a, b, c;
    dp_rng_seed(&a, 7);
    dp_rng_seed(&b, 7);
    dp_rng_seed(&c, 8);
    int same = 1, differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = dp_rng_u64(&a), y = dp_rng_u64(&b), z = dp_rng_u64(&c);
        same &= x == y;
        differ += x != z;
    }
    EXPECT(same);
    EXPECT(differ > 990);
    /* forks: deterministic, index-dependent, and they leave the parent alone */
    struct dp_rng f1, f2, f3;
    struct dp_rng before = a;
    dp_rng_fork(&a, 3, &f1);
    dp_rng_fork(&a, 3, &f2);
    dp_rng_fork(&a, 4, &f3);
    EXPECT(memcmp(&a, &before, sizeof a) == 0);
    EXPECT(memcmp(&f1, &f2, sizeof f1) == 0);
    uint64_t x1 = dp_rng_u64(&f1), x3 = dp_rng_u64(&f3), xa = dp_rng_u64(&a);
    EXPECT(x1 != x3 && x1 != xa);
    /* forking is a function of the state: same seed, same forks */
    struct dp_rng p, q, fp, fq;
    dp_rng_seed(&p, 99);
    dp_rng_seed(&q, 99);
    dp_rng_fork(&p, 12345, &fp);
    dp_rng_fork(&q, 12345, &fq);
    EXPECT(dp_rng_u64(&fp) == dp_rng_u64(&fq));
}

static void test_rng_uniformity(void)
{
    struct dp_rng r;
    dp_rng_seed(&r, 1);
    enum { K = 10, N = 200000 };
    long counts[K] = {0};
    for (int i = 0; i < N; i++) counts[dp_rng_below(&r, K)]++;
    double chi2 = 0, expct = (double)N / K;
    for (int k = 0; k < K; k++) chi2 += (counts[k] - expct) * (counts[k] - expct) / expct;
    EXPECT(chi2 < 27.9);   /* p = 0.001 for 9 degrees of freedom */
    /* a bound that is not a power of two and near 2^32: still in range, halves balanced */
    uint32_t n = 3000000001u;
    long low = 0;
    int in_range = 1;
    for (int i = 0; i < 100000; i++) {
        uint32_t x = dp_rng_below(&r, n);
        in_range &= x < n;
        low += x < n / 2;
    }
    EXPECT(in_range);
    EXPECT(labs(low - 50000) < 1000);
    EXPECT_INT(dp_rng_below(&r, 1), 0);
    double sum = 0, sumsq = 0, nsum = 0, nsq = 0;
    int unit = 1;
    for (int i = 0; i < N; i++) {
        double d = dp_rng_double(&r);
        float f = dp_rng_float(&r);
        unit &= d >= 0 && d < 1 && f >= 0 && f < 1;
        sum += d;
        sumsq += d * d;
        double g = dp_rng_normal(&r);
        unit &= isfinite(g);
        nsum += g;
        nsq += g * g;
    }
    EXPECT(unit);
    EXPECT(fabs(sum / N - 0.5) < 0.005);
    EXPECT(fabs(sumsq / N - 1.0 / 3) < 0.005);
    EXPECT(fabs(nsum / N) < 0.01);
    EXPECT(fabs(nsq / N - 1) < 0.02);
}

/* ---------------------------------------------------------------- log */

static char *slurp(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    rewind(f);
    char *s = calloc(1, (size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) s[0] = 0;
    return s;
}

static void test_log(void)
{
    FILE *f = tmpfile();
    struct dp_log l;
    dp_log_init(&l, f, DP_LOG_INFO);
    EXPECT(!l.tty);
    dp_log(&l, DP_LOG_DEBUG, "hidden %d", 1);
    dp_log(&l, DP_LOG_INFO, "loaded %d files", 3);
    dp_log(&l, DP_LOG_WARN, "odd\n");
    dp_log(&l, DP_LOG_ERROR, "bad %s", "thing");
    for (long i = 1; i <= 100; i++) dp_log_progress(&l, "scan", i, 100, 2.0, 50.0, "file");
    char *s = slurp(f);
    const char *want = "loaded 3 files\nwarning: odd\nerror: bad thing\n";
    EXPECT(strncmp(s, want, strlen(want)) == 0);
    const char *p = s + strlen(want);
    int lines = 0;
    for (const char *q = p; *q; q++) lines += *q == '\n';
    EXPECT_INT(lines, 10);   /* one per 10% */
    EXPECT(strstr(p, "scan 10/100  25.0 file/s  ETA 00:18\n") == p);
    EXPECT(strstr(p, "scan 100/100  25.0 file/s  ETA 00:00\n") != NULL);
    free(s);
    fclose(f);

    f = tmpfile();
    dp_log_init(&l, f, DP_LOG_QUIET);
    dp_log(&l, DP_LOG_ERROR, "nothing");
    dp_log_progress(&l, "x", 1, 1, 1, 1, "u");
    s = slurp(f);
    EXPECT_STR(s, "");
    free(s);
    fclose(f);

    double t0 = dp_now(), t1 = dp_now();
    EXPECT(t0 > 0 && t1 >= t0);
}

/* ---------------------------------------------------------------- file */

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dp_test_base_XXXXXX");
    if (!mkdtemp(tmpdir)) tmpdir[0] = 0;
}

static void path_in(char *buf, size_t n, const char *rel) { snprintf(buf, n, "%s/%s", tmpdir, rel); }

static void test_file_atomic_write_read(void)
{
    char p[512];
    struct dp_error e = {0};
    path_in(p, sizeof p, "out.txt");
    EXPECT_INT(dp_file_exists(p), 0);
    EXPECT_INT(dp_file_write_atomic(p, "hello\0world", 11, &e), 0);
    EXPECT_INT(dp_file_exists(p), 1);
    char *data;
    size_t n;
    EXPECT_INT(dp_file_read(p, &data, &n, &e), 0);
    EXPECT_INT(n, 11);
    EXPECT(memcmp(data, "hello\0world", 12) == 0);   /* NUL-terminated too */
    free(data);
    /* overwrite with something larger, and keep the file's mode */
    chmod(p, 0600);
    struct dp_sbuf big = {0};
    for (int i = 0; i < 100000; i++) dp_sbuf_printf(&big, "%d\n", i);
    EXPECT_INT(dp_file_write_atomic(p, big.p, big.n, &e), 0);
    EXPECT_INT(dp_file_read(p, &data, &n, &e), 0);
    EXPECT_INT(n, big.n);
    EXPECT(n == big.n && memcmp(data, big.p, n) == 0);
    free(data);
    struct stat st;
    EXPECT(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
    dp_sbuf_free(&big);
    /* no temporary file is left behind */
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s/.out.txt.tmp.%ld", tmpdir, (long)getpid());
    EXPECT_INT(dp_file_exists(tmp), 0);
    /* empty file */
    EXPECT_INT(dp_file_write_atomic(p, "", 0, &e), 0);
    EXPECT_INT(dp_file_read(p, &data, &n, &e), 0);
    EXPECT_INT(n, 0);
    EXPECT_STR(data, "");
    free(data);
    unlink(p);
}

static void test_file_errors(void)
{
    char p[512], msg[1200];
    struct dp_error e = {0};
    char *data = (char *)1;
    path_in(p, sizeof p, "missing.txt");
    EXPECT_INT(dp_file_read(p, &data, NULL, &e), DP_EIO);
    EXPECT(data == NULL);
    dp_error_format(&e, msg, sizeof msg);
    char want[600];
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", p);
    EXPECT_STR(msg, want);
    /* a folder is not a file */
    EXPECT_INT(dp_file_read(tmpdir, &data, NULL, &e), DP_EIO);
    EXPECT_STR(e.path, tmpdir);
    EXPECT(strstr(e.msg, "Is a directory") != NULL);
    /* writing into a missing folder names the target */
    path_in(p, sizeof p, "no/such/dir/f.txt");
    EXPECT_INT(dp_file_write_atomic(p, "x", 1, &e), DP_EIO);
    EXPECT_STR(e.path, p);
    EXPECT_STR(e.msg, "cannot create temporary file: No such file or directory");
    /* renaming over a folder fails and cleans up the temporary file */
    char d[512];
    path_in(d, sizeof d, "adir");
    EXPECT_INT(dp_mkdirs(d, &e), 0);
    char f[600];
    snprintf(f, sizeof f, "%s/x", d);
    EXPECT_INT(dp_file_write_atomic(f, "1", 1, &e), 0);
    EXPECT_INT(dp_file_write_atomic(d, "x", 1, &e), DP_EIO);
    EXPECT(strncmp(e.msg, "cannot rename temporary file: ", 30) == 0);
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s/.adir.tmp.%ld", tmpdir, (long)getpid());
    EXPECT_INT(dp_file_exists(tmp), 0);
    unlink(f);
    rmdir(d);
    EXPECT_INT(dp_file_write_atomic("dir/", "x", 1, &e), DP_EINVAL);
}

static void test_mkdirs(void)
{
    char p[512], f[600];
    struct dp_error e = {0};
    path_in(p, sizeof p, "m1/m2/m3");
    EXPECT_INT(dp_mkdirs(p, &e), 0);
    EXPECT_INT(dp_file_exists(p), 2);
    EXPECT_INT(dp_mkdirs(p, &e), 0);   /* already there */
    snprintf(f, sizeof f, "%s/file", p);
    EXPECT_INT(dp_file_write_atomic(f, "x", 1, &e), 0);
    snprintf(f, sizeof f, "%s/file/sub", p);
    EXPECT_INT(dp_mkdirs(f, &e), DP_EIO);
    snprintf(f, sizeof f, "%s/file", p);
    unlink(f);
    rmdir(p);
    path_in(p, sizeof p, "m1/m2");
    rmdir(p);
    path_in(p, sizeof p, "m1");
    rmdir(p);
}

struct walk_log {
    struct dp_sbuf s;
    int stop_after;
    int seen;
};

static int walk_cb(const char *path, void *ud)
{
    struct walk_log *w = ud;
    dp_sbuf_puts(&w->s, path + strlen(tmpdir) + 1);
    dp_sbuf_putc(&w->s, '\n');
    return ++w->seen == w->stop_after ? 42 : 0;
}

static void test_dir_walk(void)
{
    const char *files[] = {"w/b.py", "w/a/z.py", "w/a/b.txt", "w/A.py", "w/a.py", "w/.hidden.py",
                           "w/a/deep/er/x.py", "w/a-b/y.py", "target/t.py"};
    char p[512];
    struct dp_error e = {0};
    path_in(p, sizeof p, "w/a/deep/er");
    dp_mkdirs(p, &e);
    path_in(p, sizeof p, "w/a-b");
    dp_mkdirs(p, &e);
    path_in(p, sizeof p, "target");
    dp_mkdirs(p, &e);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        path_in(p, sizeof p, files[i]);
        EXPECT_INT(dp_file_write_atomic(p, "x", 1, &e), 0);
    }
    char t[512];
    path_in(t, sizeof t, "target");
    path_in(p, sizeof p, "w/sub");
    EXPECT(symlink(t, p) == 0);    /* symlinked folder: not followed */
    path_in(t, sizeof t, "w/b.py");
    path_in(p, sizeof p, "w/c_link.py");
    EXPECT(symlink(t, p) == 0);    /* symlinked file: reported */
    path_in(p, sizeof p, "w/dangling.py");
    EXPECT(symlink("/nonexistent/x", p) == 0);

    struct walk_log w = {{0}, 0, 0};
    path_in(p, sizeof p, "w");
    EXPECT_INT(dp_dir_walk(p, ".py", walk_cb, &w, &e), 0);
    EXPECT_STR(w.s.p, "w/.hidden.py\nw/A.py\nw/a/deep/er/x.py\nw/a/z.py\nw/a-b/y.py\nw/a.py\n"
                      "w/b.py\nw/c_link.py\n");
    /* no filter, and a trailing slash on the root */
    dp_sbuf_reset(&w.s);
    path_in(p, sizeof p, "w/a/");
    EXPECT_INT(dp_dir_walk(p, NULL, walk_cb, &w, &e), 0);
    EXPECT_STR(w.s.p, "w/a/b.txt\nw/a/deep/er/x.py\nw/a/z.py\n");
    /* a file given directly is reported whatever its extension */
    dp_sbuf_reset(&w.s);
    path_in(p, sizeof p, "w/a/b.txt");
    EXPECT_INT(dp_dir_walk(p, ".py", walk_cb, &w, &e), 0);
    EXPECT_STR(w.s.p, "w/a/b.txt\n");
    /* the callback stops the walk */
    dp_sbuf_reset(&w.s);
    w.seen = 0;
    w.stop_after = 2;
    path_in(p, sizeof p, "w");
    EXPECT_INT(dp_dir_walk(p, ".py", walk_cb, &w, &e), 42);
    EXPECT_STR(w.s.p, "w/.hidden.py\nw/A.py\n");
    /* a missing root is an error naming it */
    path_in(p, sizeof p, "nope");
    EXPECT_INT(dp_dir_walk(p, NULL, walk_cb, &w, &e), DP_EIO);
    EXPECT_STR(e.path, p);
    EXPECT_STR(e.msg, "cannot stat: No such file or directory");
    dp_sbuf_free(&w.s);
}

static int rm_cb(const char *path, void *ud)
{
    (void)ud;
    return unlink(path);
}

static void cleanup(void)
{
    struct dp_error e;
    const char *links[] = {"w/sub", "w/c_link.py", "w/dangling.py"};
    char p[512];
    for (size_t i = 0; i < 3; i++) path_in(p, sizeof p, links[i]), unlink(p);
    dp_dir_walk(tmpdir, NULL, rm_cb, NULL, &e);
    const char *dirs[] = {"w/a/deep/er", "w/a/deep", "w/a", "w/a-b", "w", "target"};
    for (size_t i = 0; i < 6; i++) path_in(p, sizeof p, dirs[i]), rmdir(p);
    rmdir(tmpdir);
}

int main(void)
{
    RUN(test_utf8_decode);
    RUN(test_utf8_encode);
    RUN(test_utf8_valid_count);
    RUN(test_map_100k);
    RUN(test_hash_fnv1a);
    RUN(test_rng_reference);
    RUN(test_rng_determinism);
    RUN(test_rng_uniformity);
    RUN(test_log);
    make_tmpdir();
    RUN(test_file_atomic_write_read);
    RUN(test_file_errors);
    RUN(test_mkdirs);
    RUN(test_dir_walk);
    cleanup();
    TEST_END();
}
