/* Tests for base/unicode: NFC, NFKC, the quick checks and the XID classes against
 * tests/base/golden/unicode_norm.txt (CPython 3.11's unicodedata, written by
 * tools/ref/gen_unicode_norm_golden.py), plus invalid UTF-8, hostile runs of marks and a
 * throughput report on stderr (not a pass/fail criterion). Run from the repo root. */
#include "base/file.h"
#include "base/str.h"
#include "base/unicode.h"
#include "base/utf8.h"
#include "harness.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GOLDEN "tests/base/golden/unicode_norm.txt"
#define NCP 0x110000u

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void put_cp(struct dp_sbuf *b, uint32_t cp)
{
    char u[4];
    dp_sbuf_put(b, u, dp_utf8_encode(cp, u));
}

/* "0041 030A" as hex code points, for failure messages. */
static void hex_of(struct dp_sbuf *hex, const char *s, size_t n)
{
    dp_sbuf_reset(hex);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = dp_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (len == 0) len = 1;   /* invalid byte: shown as its value */
        dp_sbuf_printf(hex, "%s%04X", i ? " " : "", (unsigned)cp);
        i += len;
    }
    if (!hex->p) dp_sbuf_puts(hex, "");
}

/* Parses one field of space-separated hex code points, ending at ';' or the end of the line,
 * into UTF-8 in out; "=" stands for a copy of *same_as. Returns the position after the field,
 * or NULL on bad syntax. */
static const char *parse_field(const char *p, struct dp_sbuf *out, const struct dp_sbuf *same_as)
{
    dp_sbuf_reset(out);
    if (*p == '=' && same_as) {
        dp_sbuf_put(out, same_as->p, same_as->n);
        p++;
    } else {
        while (*p && *p != ';' && *p != '\n') {
            char *end;
            unsigned long cp = strtoul(p, &end, 16);
            if (end == p || cp >= NCP) return NULL;
            put_cp(out, (uint32_t)cp);
            p = end;
            while (*p == ' ') p++;
        }
    }
    if (*p == ';') p++;
    return p;
}

static char *read_golden(size_t *n)
{
    char *data = NULL;
    struct dp_error e;
    if (dp_file_read(GOLDEN, &data, n, &e) != 0) {
        fprintf(stderr, "%s: cannot read (run from the repo root)\n", GOLDEN);
        return NULL;
    }
    return data;
}

/* ---------------------------------------------------------------- golden strings */

struct golden_case {
    struct dp_sbuf in, nfc, nfkc, got, hex, hexw;
    int lineno, failures;
};

static void check_form(struct golden_case *g, const char *form, const struct dp_sbuf *want,
                       bool compat)
{
    dp_sbuf_reset(&g->got);
    if (compat) dp_unicode_nfkc(&g->got, g->in.p, g->in.n);
    else dp_unicode_nfc(&g->got, g->in.p, g->in.n);
    if (g->got.n == want->n && memcmp(g->got.p, want->p, want->n) == 0) return;
    if (++g->failures <= 10) {
        hex_of(&g->hex, g->got.p, g->got.n);
        hex_of(&g->hexw, want->p, want->n);
        fprintf(stderr, "%s:%d: %s: expected %s, got %s\n", GOLDEN, g->lineno, form, g->hexw.p,
                g->hex.p);
    }
}

static void check_is(struct golden_case *g, const char *form, bool got, int want)
{
    if (got == (want != 0)) return;
    if (++g->failures <= 10)
        fprintf(stderr, "%s:%d: is_%s: expected %d\n", GOLDEN, g->lineno, form, want);
}

static void test_golden_strings(void)
{
    size_t n;
    char *data = read_golden(&n);
    EXPECT(data != NULL);
    if (!data) return;
    struct golden_case g = {0};
    int cases = 0, bad_syntax = 0;
    for (char *line = data; line && *line;) {
        char *next = strchr(line, '\n');
        if (next) *next++ = 0;
        g.lineno++;
        if (line[0] == 'n' && line[1] == ' ') {
            int isc, isk;
            const char *p = parse_field(line + 2, &g.in, NULL);
            if (p) p = parse_field(p, &g.nfc, &g.in);
            if (p) p = parse_field(p, &g.nfkc, &g.in);
            if (!p || sscanf(p, "%d %d", &isc, &isk) != 2) {
                bad_syntax++;
            } else {
                cases++;
                check_form(&g, "NFC", &g.nfc, false);
                check_form(&g, "NFKC", &g.nfkc, true);
                check_is(&g, "nfc", dp_unicode_is_nfc(g.in.p, g.in.n), isc);
                check_is(&g, "nfkc", dp_unicode_is_nfkc(g.in.p, g.in.n), isk);
            }
        }
        line = next;
    }
    fprintf(stderr, "golden strings: %d cases, %d failures\n", cases, g.failures);
    EXPECT_INT(bad_syntax, 0);
    EXPECT(cases > 9000);
    EXPECT_INT(g.failures, 0);
    dp_sbuf_free(&g.in), dp_sbuf_free(&g.nfc), dp_sbuf_free(&g.nfkc);
    dp_sbuf_free(&g.got), dp_sbuf_free(&g.hex), dp_sbuf_free(&g.hexw);
    free(data);
}

/* ---------------------------------------------------------------- golden ranges */

enum { P_NOT_NFC = 1, P_NOT_NFKC = 2, P_XID_START = 4, P_XID_CONTINUE = 8 };

/* Per code point bit set of the r-line properties; NULL when the file is unreadable. */
static uint8_t *read_ranges(int counts[4])
{
    static const char *const names[4] = {"not_nfc", "not_nfkc", "xid_start", "xid_continue"};
    size_t n;
    char *data = read_golden(&n);
    if (!data) return NULL;
    uint8_t *bits = calloc(NCP, 1);
    for (char *line = data; line && *line;) {
        char *next = strchr(line, '\n');
        if (next) *next++ = 0;
        char name[32];
        unsigned lo, hi;
        if (line[0] == 'r' && sscanf(line, "r %31s %x %x", name, &lo, &hi) == 3 && lo <= hi &&
            hi < NCP) {
            for (int k = 0; k < 4; k++) {
                if (strcmp(name, names[k]) != 0) continue;
                counts[k]++;
                for (unsigned c = lo; c <= hi; c++) bits[c] |= (uint8_t)(1u << k);
            }
        }
        line = next;
    }
    free(data);
    return bits;
}

static void test_golden_ranges(void)
{
    int counts[4] = {0};
    uint8_t *bits = read_ranges(counts);
    EXPECT(bits != NULL);
    if (!bits) return;
    for (int k = 0; k < 4; k++) EXPECT(counts[k] > 10);
    struct dp_sbuf out = {0};
    int failures = 0;
    for (uint32_t c = 0; c < NCP; c++) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        char u[4];
        size_t len = dp_utf8_encode(c, u);
        bool want_nfc = !(bits[c] & P_NOT_NFC), want_nfkc = !(bits[c] & P_NOT_NFKC);
        bool ok = dp_unicode_is_nfc(u, len) == want_nfc && dp_unicode_is_nfkc(u, len) == want_nfkc &&
                  dp_unicode_xid_start(c) == !!(bits[c] & P_XID_START) &&
                  dp_unicode_xid_continue(c) == !!(bits[c] & P_XID_CONTINUE);
        /* Code points the golden strings do not list must map to themselves. */
        if (want_nfc) {
            dp_sbuf_reset(&out);
            dp_unicode_nfc(&out, u, len);
            ok = ok && out.n == len && memcmp(out.p, u, len) == 0;
        }
        if (want_nfkc) {
            dp_sbuf_reset(&out);
            dp_unicode_nfkc(&out, u, len);
            ok = ok && out.n == len && memcmp(out.p, u, len) == 0;
        }
        if (!ok && ++failures <= 10)
            fprintf(stderr, "U+%04X: is_nfc %d is_nfkc %d xid %d%d, expected %d %d %d%d\n",
                    (unsigned)c, dp_unicode_is_nfc(u, len), dp_unicode_is_nfkc(u, len),
                    dp_unicode_xid_start(c), dp_unicode_xid_continue(c), want_nfc, want_nfkc,
                    !!(bits[c] & P_XID_START), !!(bits[c] & P_XID_CONTINUE));
    }
    EXPECT_INT(failures, 0);
    dp_sbuf_free(&out);
    free(bits);
}

/* ---------------------------------------------------------------- edge cases */

static void expect_norm(const char *in, size_t n, const char *nfc, const char *nfkc)
{
    struct dp_sbuf out = {0};
    dp_unicode_nfc(&out, in, n);
    EXPECT(out.n == strlen(nfc) && memcmp(out.p ? out.p : "", nfc, out.n) == 0);
    dp_sbuf_reset(&out);
    dp_unicode_nfkc(&out, in, n);
    EXPECT(out.n == strlen(nfkc) && memcmp(out.p ? out.p : "", nfkc, out.n) == 0);
    EXPECT(dp_unicode_is_nfc(in, n) == (n == strlen(nfc) && memcmp(in, nfc, n) == 0));
    EXPECT(dp_unicode_is_nfkc(in, n) == (n == strlen(nfkc) && memcmp(in, nfkc, n) == 0));
    dp_sbuf_free(&out);
}

static void test_small_cases(void)
{
    expect_norm("", 0, "", "");
    expect_norm("abc", 3, "abc", "abc");
    expect_norm("e\xcc\x81", 3, "\xc3\xa9", "\xc3\xa9");                /* e + acute */
    expect_norm("\xef\xac\x81", 3, "\xef\xac\x81", "fi");                /* U+FB01 */
    expect_norm("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", 9, "\xea\xb0\x81", "\xea\xb0\x81");
    expect_norm("\xe2\x84\xab", 3, "\xc3\x85", "\xc3\x85");              /* Angstrom sign */
    expect_norm("\xef\xbd\xb6\xef\xbe\x9e", 6, "\xef\xbd\xb6\xef\xbe\x9e",
                "\xe3\x82\xac");                                         /* halfwidth ka + dakuten */
    /* Invalid bytes pass through and block composition and reordering across them. */
    expect_norm("\xff", 1, "\xff", "\xff");
    expect_norm("e\x80\xcc\x81", 4, "e\x80\xcc\x81", "e\x80\xcc\x81");
    expect_norm("e\xcc\x81\xff", 4, "\xc3\xa9\xff", "\xc3\xa9\xff");
    expect_norm("a\xff\xcc\x81\xcc\xa3", 6, "a\xff\xcc\xa3\xcc\x81", "a\xff\xcc\xa3\xcc\x81");
    expect_norm("\xed\xa0\x80\xcc\x81", 5, "\xed\xa0\x80\xcc\x81", "\xed\xa0\x80\xcc\x81");
    expect_norm("e\xcc", 2, "e\xcc", "e\xcc");                           /* truncated */
    expect_norm("\xc0\xaf" "e\xcc\x81", 5, "\xc0\xaf\xc3\xa9", "\xc0\xaf\xc3\xa9"); /* overlong */
    /* Output is appended. */
    struct dp_sbuf out = {0};
    dp_sbuf_puts(&out, "x:");
    dp_unicode_nfkc(&out, "\xef\xac\x81", 3);
    EXPECT_STR(out.p, "x:fi");
    dp_sbuf_free(&out);
    dp_unicode_nfc(&out, NULL, 0);
    EXPECT_INT(out.n, 0);
    dp_sbuf_free(&out);
}

static void test_xid(void)
{
    EXPECT(dp_unicode_xid_start('a') && dp_unicode_xid_start('Z') && dp_unicode_xid_start('_'));
    EXPECT(!dp_unicode_xid_start('1') && dp_unicode_xid_continue('1'));
    EXPECT(!dp_unicode_xid_start('$') && !dp_unicode_xid_continue('$'));
    EXPECT(dp_unicode_xid_start(0x00E9) && dp_unicode_xid_start(0x4E00));
    EXPECT(!dp_unicode_xid_start(0x0301) && dp_unicode_xid_continue(0x0301));
    EXPECT(!dp_unicode_xid_start(0x110000) && !dp_unicode_xid_continue(0xFFFFFFFFu));
}

/* 'a' followed by many marks in scrambled class order: the linear sort path. */
static void test_long_mark_run(void)
{
    static const uint32_t marks[4] = {0x0345, 0x0301, 0x0323, 0x0334};   /* ccc 240 230 220 1 */
    enum { N = 200000 };
    struct dp_sbuf in = {0}, out = {0}, want = {0};
    dp_sbuf_putc(&in, 'a');
    size_t count[4] = {0};
    for (int i = 0; i < N; i++) {
        int k = (i * 7 + i / 3) % 4;
        put_cp(&in, marks[k]);
        count[k]++;
    }
    put_cp(&want, 0x1EA1);   /* a + dot below: the first ccc-220 mark composes */
    for (int k = 3; k >= 0; k--)
        for (size_t i = (k == 2); i < count[k]; i++) put_cp(&want, marks[k]);
    double t0 = now_s();
    dp_unicode_nfc(&out, in.p, in.n);
    double t1 = now_s();
    EXPECT(out.n == want.n && memcmp(out.p, want.p, want.n) == 0);
    EXPECT(!dp_unicode_is_nfc(in.p, in.n));
    EXPECT(dp_unicode_is_nfc(out.p, out.n));
    fprintf(stderr, "%d scrambled marks: NFC in %.1f ms\n", N, (t1 - t0) * 1e3);
    dp_sbuf_free(&in), dp_sbuf_free(&out), dp_sbuf_free(&want);
}

/* ---------------------------------------------------------------- throughput */

static double mb_per_s(size_t n, double secs) { return (double)n / 1e6 / (secs > 1e-9 ? secs : 1e-9); }

static void report(const char *what, const struct dp_sbuf *in, bool compat, struct dp_sbuf *out)
{
    dp_sbuf_reset(out);
    double t0 = now_s();
    if (compat) dp_unicode_nfkc(out, in->p, in->n);
    else dp_unicode_nfc(out, in->p, in->n);
    double t1 = now_s();
    bool is = compat ? dp_unicode_is_nfkc(in->p, in->n) : dp_unicode_is_nfc(in->p, in->n);
    double t2 = now_s();
    fprintf(stderr, "%-22s %s: %7.0f MB/s, is_%s %7.0f MB/s (%d)\n", what, compat ? "NFKC" : "NFC ",
            mb_per_s(in->n, t1 - t0), compat ? "nfkc" : "nfc ", mb_per_s(in->n, t2 - t1), is);
}

static void test_throughput(void)
{
    enum { SIZE = 10 * 1000 * 1000 };
    static const char words[] = "def normalize(self, token): return token.strip() + ' ' # ok\n";
    static const char mixed[] = "Grüße aus Köln — Ελληνικά ώρα, русский, 日本語のテキスト, "
                                "한국어 문장, naïve café, Đà Nẵng. ";
    struct dp_sbuf ascii = {0}, text = {0}, nfd = {0}, out = {0};
    while (ascii.n < SIZE) dp_sbuf_put(&ascii, words, sizeof words - 1);
    while (text.n < SIZE) dp_sbuf_put(&text, mixed, sizeof mixed - 1);
    /* The decomposed text: NFKC of a fully decomposed Hangul/Latin text must give it back. */
    for (size_t i = 0; i < text.n;) {
        uint32_t cp;
        size_t len = dp_utf8_decode((const unsigned char *)text.p + i, text.n - i, &cp);
        if (cp >= 0xAC00 && cp <= 0xD7A3) {
            uint32_t s = cp - 0xAC00;
            put_cp(&nfd, 0x1100 + s / 588);
            put_cp(&nfd, 0x1161 + (s % 588) / 28);
            if (s % 28) put_cp(&nfd, 0x11A7 + s % 28);
        } else if (cp == 0xFC) {
            dp_sbuf_puts(&nfd, "u\xcc\x88");
        } else if (cp == 0xEF) {
            dp_sbuf_puts(&nfd, "i\xcc\x88");
        } else {
            dp_sbuf_put(&nfd, text.p + i, len);
        }
        i += len;
    }
    double t0 = now_s();
    dp_unicode_nfc(&out, ascii.p, ascii.n);
    double dt = now_s() - t0;
    EXPECT(out.n == ascii.n && memcmp(out.p, ascii.p, out.n) == 0);
    fprintf(stderr, "10 MB ASCII NFC in %.1f ms\n", dt * 1e3);
    report("ASCII", &ascii, false, &out);
    report("ASCII", &ascii, true, &out);
    report("mixed NFC text", &text, false, &out);
    EXPECT(out.n == text.n && memcmp(out.p, text.p, out.n) == 0);
    report("mixed NFC text", &text, true, &out);
    report("partly decomposed", &nfd, false, &out);
    EXPECT(out.n == text.n && memcmp(out.p, text.p, out.n) == 0);
    dp_sbuf_free(&ascii), dp_sbuf_free(&text), dp_sbuf_free(&nfd), dp_sbuf_free(&out);
}

int main(void)
{
    RUN(test_small_cases);
    RUN(test_xid);
    RUN(test_golden_strings);
    RUN(test_golden_ranges);
    RUN(test_long_mark_run);
    RUN(test_throughput);
    TEST_END();
}
