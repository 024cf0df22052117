/* Literal values and reprs against CPython 3.11: tests/py/golden/literals.txt (written by
 * tools/ref/gen_literal_golden.py) holds str/bytes bodies, NUMBER tokens and double bit
 * patterns with the repr or SyntaxError message CPython gives; hand-written cases cover what
 * the golden file cannot (error offsets, appending, int64 fields, the whole name table). */
#include "harness.h"
#include "base/arena.h"
#include "base/str.h"
#include "py/literal.h"
#include "py/repr.h"
#include "py/unicode_tables.h"
#include <inttypes.h>
#include <stdlib.h>

#define GOLDEN "tests/py/golden/literals.txt"

/* Undoes the %XX escaping of a golden field in place; returns the new length. */
static size_t unpct(char *s)
{
    size_t k = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '%' && s[i + 1] && s[i + 2]) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            s[k++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            s[k++] = s[i];
        }
    }
    s[k] = '\0';
    return k;
}

static double bits_to_double(const char *hex)
{
    uint64_t u = strtoull(hex, NULL, 16);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* What dpoison gives for one case, in the golden file's terms (repr, or "!" + message). */
static void actual(char kind, const char *in, size_t n, struct dp_sbuf *got)
{
    struct dp_sbuf val = {0};
    size_t bad = 0;
    const char *reason = NULL;
    dp_sbuf_reset(got);
    if (kind == 's' || kind == 'b') {
        int rc = kind == 's' ? dp_py_unescape_str(&val, in, n, &bad, &reason)
                             : dp_py_unescape_bytes(&val, in, n, &bad, &reason);
        if (rc == 0 && kind == 's') dp_py_repr_str(got, val.p, val.n);
        else if (rc == 0) dp_py_repr_bytes(got, val.p, val.n);
        else dp_sbuf_printf(got, "!%s", reason);
    } else if (kind == 'n') {
        struct dp_arena a;
        struct dp_py_const c;
        dp_arena_init(&a, 4096);
        if (dp_py_number_parse(&a, in, n, &c, &reason) == 0) dp_py_repr_const(got, &c);
        else dp_sbuf_printf(got, "!%s", reason);
        dp_arena_free(&a);
    } else if (kind == 'f') {
        dp_py_repr_float(got, bits_to_double(in));
    } else if (kind == 'j') {
        dp_py_repr_imag(got, bits_to_double(in));
    }
    dp_sbuf_free(&val);
}

/* Runs every golden case of the given kind; returns the number of cases checked. */
static int run_golden(char kind)
{
    FILE *f = fopen(GOLDEN, "rb");
    EXPECT(f != NULL);
    if (!f) return 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int cases = 0, fails = 0;
    struct dp_sbuf got = {0};
    while ((len = getline(&line, &cap, f)) > 0) {
        if (line[0] != kind || line[1] != '\t') continue;
        if (line[len - 1] == '\n') line[--len] = '\0';
        char *in = line + 2, *tab = strchr(in, '\t');
        EXPECT(tab != NULL);
        if (!tab) continue;
        *tab = '\0';
        char *want = tab + 1;
        size_t n = unpct(in);
        unpct(want);
        actual(kind, in, n, &got);
        cases++;
        if (strcmp(got.p, want) != 0) {
            if (fails++ < 15)
                fprintf(stderr, "%s: %c case %d: input [%s]\n  want %s\n  got  %s\n", GOLDEN,
                        kind, cases, in, want, got.p);
            t_ok_ = 0;
        }
    }
    if (fails) fprintf(stderr, "%c: %d of %d cases differ\n", kind, fails, cases);
    free(line);
    dp_sbuf_free(&got);
    fclose(f);
    return cases;
}

static void test_golden_str(void) { EXPECT(run_golden('s') > 5000); }
static void test_golden_bytes(void) { EXPECT(run_golden('b') > 50); }
static void test_golden_numbers(void) { EXPECT(run_golden('n') > 1000); }
static void test_golden_float_repr(void) { EXPECT(run_golden('f') > 5000); }
static void test_golden_imag_repr(void) { EXPECT(run_golden('j') > 1000); }

/* Every stored name and alias finds its code point, in upper and lower case. */
static void test_name_table(void)
{
    size_t nblocks = (dp_uni_name_count + DP_UNI_NAME_BLOCK - 1) / DP_UNI_NAME_BLOCK, idx = 0;
    char name[128], lower[128];
    int bad = 0;
    for (size_t b = 0; b < nblocks; b++) {
        const unsigned char *p = (const unsigned char *)dp_uni_name_blocks[b];
        while (*p) {
            size_t len = *p++ & 0x7F;
            while (*p && *p < 0x80) name[len++] = (char)*p++;
            name[len] = '\0';
            for (size_t i = 0; i <= len; i++)
                lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
            long want = (long)dp_uni_name_cps[idx++];
            if (dp_py_unicode_lookup(name, len) != want || dp_py_unicode_lookup(lower, len) != want)
                if (bad++ < 10) fprintf(stderr, "name %s: lookup failed\n", name);
        }
    }
    EXPECT_INT(idx, dp_uni_name_count);
    EXPECT_INT(bad, 0);
    EXPECT(dp_uni_name_count > 34000);
    EXPECT_INT(dp_py_unicode_lookup("HANGUL SYLLABLE HIH", 19), 0xD7A3);
    EXPECT_INT(dp_py_unicode_lookup("HANGUL SYLLABLE GA", 18), 0xAC00);
    EXPECT_INT(dp_py_unicode_lookup("CJK UNIFIED IDEOGRAPH-9FFF", 26), 0x9FFF);
    EXPECT_INT(dp_py_unicode_lookup("", 0), -1);
    EXPECT_INT(dp_py_unicode_lookup("SPACE", 5), 0x20);
    EXPECT_INT(dp_py_unicode_lookup("SPACEX", 5), 0x20);   /* n bounds the name */
    EXPECT_INT(dp_py_unicode_lookup("SPAC\xc3\x89", 6), -1);
    EXPECT_INT(dp_py_unicode_lookup("ZZZZZZZZ", 8), -1);
    EXPECT_INT(dp_py_unicode_lookup("A", 1), -1);
}

/* Decoding appends; on error out keeps its old content and *bad_off is the backslash. */
static void test_str_append_and_errors(void)
{
    struct dp_sbuf out = {0};
    size_t bad = 99;
    const char *reason = NULL;
    dp_sbuf_puts(&out, "keep");
    EXPECT_INT(dp_py_unescape_str(&out, "a\\tb", 4, &bad, &reason), 0);
    EXPECT_STR(out.p, "keepa\tb");
    EXPECT_INT(dp_py_unescape_str(&out, "xy\xc3\xa4\\x4g", 9, &bad, &reason), -1);
    EXPECT_STR(out.p, "keepa\tb");
    EXPECT_INT(out.n, 7);
    EXPECT_INT(bad, 4);
    EXPECT_STR(reason, "(unicode error) 'unicodeescape' codec can't decode bytes in position "
                       "12-14: truncated \\xXX escape");
    EXPECT_INT(dp_py_unescape_str(&out, "\\N{nope}", 8, &bad, &reason), -1);
    EXPECT_INT(bad, 0);
    dp_sbuf_reset(&out);
    EXPECT_INT(dp_py_unescape_str(&out, "\\ud800\\udc00", 12, &bad, &reason), 0);
    EXPECT_INT(out.n, 6);
    EXPECT(memcmp(out.p, "\xed\xa0\x80\xed\xb0\x80", 6) == 0);
    dp_sbuf_reset(&out);
    EXPECT_INT(dp_py_unescape_str(&out, "a\\", 2, &bad, &reason), 0);  /* CPython: \u005c */
    EXPECT_STR(out.p, "a\\");
    dp_sbuf_reset(&out);
    EXPECT_INT(dp_py_unescape_str(&out, "a\\0b", 4, &bad, &reason), 0);
    EXPECT_INT(out.n, 3);
    dp_sbuf_reset(&out);
    EXPECT_INT(dp_py_unescape_str(&out, "ab\xff", 3, &bad, &reason), -1);
    EXPECT_INT(bad, 2);
    EXPECT_INT(dp_py_unescape_str(&out, "\xed\xa0\x80", 3, &bad, &reason), -1);
    dp_sbuf_free(&out);
    EXPECT_INT(dp_py_unescape_str(&out, "\\\n", 2, &bad, &reason), 0);
    EXPECT(out.p != NULL && out.n == 0 && out.p[0] == 0);
    dp_sbuf_free(&out);
}

static void test_bytes_errors(void)
{
    struct dp_sbuf out = {0};
    size_t bad = 99;
    const char *reason = NULL;
    EXPECT_INT(dp_py_unescape_bytes(&out, "ab\\x4", 5, &bad, &reason), -1);
    EXPECT_INT(bad, 2);
    EXPECT_STR(reason, "(value error) invalid \\x escape at position 2");
    EXPECT_INT(dp_py_unescape_bytes(&out, "a\\", 2, &bad, &reason), -1);
    EXPECT_STR(reason, "(value error) Trailing \\ in string");
    EXPECT_INT(dp_py_unescape_bytes(&out, "ab\xc3\xa4", 4, &bad, &reason), -1);
    EXPECT_INT(bad, 2);
    EXPECT_INT(dp_py_unescape_bytes(&out, "\\777\\0", 6, &bad, &reason), 0);
    EXPECT_INT(out.n, 2);
    EXPECT(out.p[0] == (char)0xFF && out.p[1] == 0);
    dp_sbuf_free(&out);
}

static void test_int_fields(void)
{
    struct dp_arena a;
    struct dp_py_const c;
    const char *reason = NULL;
    dp_arena_init(&a, 4096);
    EXPECT_INT(dp_py_number_parse(&a, "0x7fff_ffff_ffff_ffff", 21, &c, &reason), 0);
    EXPECT_INT(c.kind, DP_PY_CONST_INT);
    EXPECT(c.i_fits && c.i == INT64_MAX);
    EXPECT_STR(c.s, "9223372036854775807");
    EXPECT_INT(c.n, 19);
    EXPECT_INT(dp_py_number_parse(&a, "9223372036854775808", 19, &c, &reason), 0);
    EXPECT(!c.i_fits);
    EXPECT_INT(dp_py_number_parse(&a, "000", 3, &c, &reason), 0);
    EXPECT(c.i_fits && c.i == 0 && c.n == 1);
    EXPECT_INT(dp_py_number_parse(&a, "0b0", 3, &c, &reason), 0);
    EXPECT_STR(c.s, "0");
    EXPECT_INT(dp_py_number_parse(&a, "1_5j", 4, &c, &reason), 0);
    EXPECT(c.kind == DP_PY_CONST_COMPLEX && c.f == 15.0);
    EXPECT_INT(dp_py_number_parse(&a, "12", 1, &c, &reason), 0);   /* n bounds the token */
    EXPECT_INT(c.i, 1);
    EXPECT_INT(dp_py_number_parse(&a, "", 0, &c, &reason), -1);
    EXPECT_INT(dp_py_number_parse(&a, "0", 1, &c, &reason), 0);
    dp_arena_free(&a);
}

static void test_repr_const(void)
{
    struct dp_sbuf out = {0};
    struct dp_py_const c = {0};
    const int kinds[] = {DP_PY_CONST_NONE, DP_PY_CONST_TRUE, DP_PY_CONST_FALSE,
                         DP_PY_CONST_ELLIPSIS};
    for (int k = 0; k < 4; k++) {
        c.kind = (enum dp_py_const_kind)kinds[k];
        dp_py_repr_const(&out, &c);
        dp_sbuf_putc(&out, ' ');
    }
    EXPECT_STR(out.p, "None True False Ellipsis ");
    dp_sbuf_reset(&out);
    c.kind = DP_PY_CONST_INT;
    c.i = 42;
    dp_py_repr_const(&out, &c);
    EXPECT_STR(out.p, "42");
    dp_sbuf_reset(&out);
    c.kind = DP_PY_CONST_STR;
    c.s = "it's \xed\xa0\x80\xff";
    c.n = strlen(c.s);
    dp_py_repr_const(&out, &c);
    EXPECT_STR(out.p, "\"it's \\ud800\\udcff\"");
    dp_sbuf_reset(&out);
    c.kind = DP_PY_CONST_BYTES;
    c.s = "\0\x7f\x80'\"";
    c.n = 5;
    dp_py_repr_const(&out, &c);
    EXPECT_STR(out.p, "b'\\x00\\x7f\\x80\\'\"'");
    dp_sbuf_free(&out);
    EXPECT(dp_py_isprintable(' ') && !dp_py_isprintable(0xA0) && dp_py_isprintable(0x301));
    EXPECT(!dp_py_isprintable(0xD800) && !dp_py_isprintable(0x110000));
    EXPECT(!dp_py_isprintable(0x10FFFF) && dp_py_isprintable(0x1F600));
}

int main(void)
{
    RUN(test_golden_str);
    RUN(test_golden_bytes);
    RUN(test_golden_numbers);
    RUN(test_golden_float_repr);
    RUN(test_golden_imag_repr);
    RUN(test_name_table);
    RUN(test_str_append_and_errors);
    RUN(test_bytes_errors);
    RUN(test_int_fields);
    RUN(test_repr_const);
    TEST_END();
}
