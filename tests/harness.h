/* Minimal unit-test harness: each tests/<component>/test_*.c is one program whose main calls
 * RUN(fn) per test; each prints "ok - name" or "not ok - name" (TAP-like), which tests/run.sh
 * counts. EXPECT records a failure and goes on; the program exits non-zero on any failure. */
#ifndef DP_TEST_HARNESS_H
#define DP_TEST_HARNESS_H
#include <stdio.h>
#include <string.h>

static int t_ok_ = 1, t_failed_ = 0;

#define EXPECT(c) do { if (!(c)) { \
    fprintf(stderr, "%s:%d: EXPECT(%s) failed\n", __FILE__, __LINE__, #c); t_ok_ = 0; } } while (0)
#define EXPECT_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) { \
        fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__, \
                b_ ? b_ : "(null)", a_ ? a_ : "(null)"); t_ok_ = 0; } } while (0)
#define EXPECT_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    if (a_ != b_) { fprintf(stderr, "%s:%d: %s: expected %lld, got %lld\n", __FILE__, __LINE__, \
                            #a, b_, a_); t_ok_ = 0; } } while (0)

#define RUN(fn) do { t_ok_ = 1; fn(); printf("%s - %s\n", t_ok_ ? "ok" : "not ok", #fn); \
    fflush(stdout); if (!t_ok_) t_failed_++; } while (0)
#define TEST_END() return t_failed_ ? 1 : 0

/* "dir/name" in one of four rotating buffers, so a call can take a few such paths at once. */
static inline const char *t_path(const char *dir, const char *name)
{
    static char buf[4][600];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

#endif
