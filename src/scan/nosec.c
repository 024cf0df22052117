/* What Bandit reads from the text rather than the tree: `# nosec` comments (found the way
 * Python's tokenize finds COMMENT tokens, parsed with Bandit 1.9.4's two regular expressions and
 * their quirks), the lines-of-code metric, the numbered code snippet of an issue
 * (Issue.get_code, via linecache's universal newlines) and the documentation URL of a test. */
#include "scan/scan_int.h"
#include "scan/rules/blacklist.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- lines of code */

/* Metrics.count_locs over bytes.splitlines(): lines that are not blank after bytes.strip()
 * and do not start with '#'. */
long dp_scan_count_loc(const char *s, size_t n)
{
    long loc = 0;
    bool has_cr = memchr(s, '\r', n) != NULL;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\v' || s[j] == '\f')) j++;
        /* first non-blank char of the line, or the line's end */
        if (j < n && s[j] != '\n' && s[j] != '\r') {
            if (s[j] != '#') loc++;
        } else if (j < n && s[j] == '\r' && !(j + 1 < n && s[j + 1] == '\n')) {
            i = j + 1;    /* a lone \r ends an empty line */
            continue;
        }
        /* skip to the end of the line */
        const char *nl = memchr(s + j, '\n', n - j);
        size_t e = nl ? (size_t)(nl - s) : n;
        if (has_cr) {
            const char *cr = memchr(s + j, '\r', e - j);
            if (cr && !((size_t)(cr - s) + 1 < n && cr[1] == '\n')) e = (size_t)(cr - s);
        }
        i = e + 1;
    }
    return loc;
}

/* ---------------------------------------------------------------- nosec comments */

static bool py_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }
static bool word(unsigned char c) { return isalnum(c) || c == '_'; }

/* NOSEC_COMMENT_TESTS = (?:(B\d+|[a-z\d_]+),?)+ (IGNORECASE), finditer: each match keeps only
 * the last repetition's group, so "B101,B102" names B102 alone while "B101, B102" names both. */
static int nosec_tokens(const char *s, size_t n, const char **tok, size_t *len, int max)
{
    int k = 0;
    size_t i = 0;
    while (i < n) {
        if (!word((unsigned char)s[i])) { i++; continue; }
        const char *last = NULL;
        size_t lastn = 0;
        for (;;) {
            size_t j = i;
            if (i >= n) break;
            if ((s[i] == 'B' || s[i] == 'b') && i + 1 < n && isdigit((unsigned char)s[i + 1])) {
                j = i + 1;
                while (j < n && isdigit((unsigned char)s[j])) j++;
            } else if (word((unsigned char)s[i])) {
                while (j < n && word((unsigned char)s[j])) j++;
            } else {
                break;
            }
            last = s + i, lastn = j - i;
            i = j;
            if (i < n && s[i] == ',') i++;
        }
        if (k < max) tok[k] = last, len[k] = lastn, k++;
    }
    return k;
}

/* NOSEC_COMMENT = #\s*nosec:?\s*(?P<tests>[^#]+)?#? searched in one comment. Returns false when
 * it does not match; else fills the entry (ids: recognised test ids and names only). */
static bool parse_nosec(struct dp_scan_file *f, const char *c, size_t n, struct dp_scan_nosec *out)
{
    size_t p = 0;
    for (;; p++) {
        while (p < n && c[p] != '#') p++;
        if (p >= n) return false;
        size_t q = p + 1;
        while (q < n && py_space((unsigned char)c[q])) q++;
        if (q + 5 <= n && !memcmp(c + q, "nosec", 5)) { p = q + 5; break; }
    }
    if (p < n && c[p] == ':') p++;
    while (p < n && py_space((unsigned char)c[p])) p++;
    size_t end = p;
    while (end < n && c[end] != '#') end++;
    const char *tok[64];
    size_t len[64];
    int nt = nosec_tokens(c + p, end - p, tok, len, 64);
    out->nids = 0;
    out->ids = nt ? dp_arena_alloc(&f->tmp, (size_t)nt * sizeof *out->ids) : NULL;
    for (int i = 0; i < nt; i++) {
        void **id = dp_map_get(&f->sc->known, tok[i], len[i]);
        if (!id) continue;   /* Bandit: "Test in comment: X is not a test name or id, ignoring" */
        bool dup = false;
        for (int j = 0; j < out->nids; j++) dup |= out->ids[j] == (const char *)*id;
        if (!dup) out->ids[out->nids++] = (const char *)*id;
    }
    return true;
}

static size_t skip_newline(const char *s, size_t n, size_t i, int *line)
{
    (*line)++;
    return s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? i + 2 : i + 1;
}

/* A string literal starting at s[i] (the quote); returns the index after it. Backslashes escape
 * the next character (also in raw strings, as the tokenizer sees them); a single-quoted string
 * ends at an unescaped line end. */
static size_t skip_string(const char *s, size_t n, size_t i, int *line)
{
    char q = s[i];
    bool triple = i + 2 < n && s[i + 1] == q && s[i + 2] == q;
    i += triple ? 3 : 1;
    while (i < n) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            i++;
            if (s[i] == '\n' || s[i] == '\r') i = skip_newline(s, n, i, line);
            else i++;
        } else if (c == '\n' || c == '\r') {
            if (!triple) return i;
            i = skip_newline(s, n, i, line);
        } else if (c == q) {
            if (!triple) return i + 1;
            if (i + 2 < n && s[i + 1] == q && s[i + 2] == q) return i + 3;
            i++;
        } else {
            i++;
        }
    }
    return n;
}

void dp_scan_find_nosec(struct dp_scan_file *f)
{
    const char *s = f->text;
    size_t n = f->text_len;
    if (n < 5 || !memmem(s, n, "nosec", 5)) return;
    int cap = 0, line = 1;
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == '\n' || c == '\r') {
            i = skip_newline(s, n, i, &line);
        } else if (c == '#') {
            size_t j = i;
            while (j < n && s[j] != '\n' && s[j] != '\r') j++;
            struct dp_scan_nosec e = {.line = line};
            if (memmem(s + i, j - i, "nosec", 5) && parse_nosec(f, s + i, j - i, &e)) {
                if (f->nnosec == cap) {
                    int nc = cap ? 2 * cap : 16;
                    struct dp_scan_nosec *a = dp_arena_alloc(&f->tmp, (size_t)nc * sizeof *a);
                    if (f->nnosec) memcpy(a, f->nosec, (size_t)f->nnosec * sizeof *a);
                    f->nosec = a;
                    cap = nc;
                }
                f->nosec[f->nnosec++] = e;
            }
            i = j;
        } else if (c == '\'' || c == '"') {
            i = skip_string(s, n, i, &line);
        } else {
            i++;
        }
    }
}

const struct dp_scan_nosec *dp_scan_nosec_in(const struct dp_scan_file *f, int first, int last)
{
    int lo = 0, hi = f->nnosec;
    while (lo < hi) {   /* first entry with line >= first */
        int mid = (lo + hi) / 2;
        if (f->nosec[mid].line < first) lo = mid + 1;
        else hi = mid;
    }
    return lo < f->nnosec && f->nosec[lo].line <= last ? &f->nosec[lo] : NULL;
}

/* ---------------------------------------------------------------- code snippets */

static void build_lines(struct dp_scan_file *f)
{
    const char *s = f->text;
    size_t n = f->text_len;
    int cap = 1024, k = 0;
    uint32_t *ls = dp_arena_alloc_raw(&f->tmp, (size_t)cap * sizeof *ls);
    size_t i = 0;
    while (i < n) {
        if (k + 2 >= cap) {
            uint32_t *b = dp_arena_alloc_raw(&f->tmp, (size_t)cap * 2 * sizeof *b);
            memcpy(b, ls, (size_t)k * sizeof *b);
            ls = b;
            cap *= 2;
        }
        ls[k++] = (uint32_t)i;
        while (i < n && s[i] != '\n' && s[i] != '\r') i++;
        if (i < n) i += s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    }
    ls[k] = (uint32_t)n;
    f->line_start = ls;
    f->nlines = k;
}

const char *dp_scan_code(struct dp_scan_file *f, int lineno, int nrange, int context_lines)
{
    if (!f->line_start) build_lines(f);
    int m = context_lines > 1 ? context_lines : 1;
    int lmin = lineno - m / 2 > 1 ? lineno - m / 2 : 1;
    long lmax = (long)lmin + nrange + m - 1;
    struct dp_sbuf *b = &f->sb;
    dp_sbuf_reset(b);
    for (long l = lmin; l < lmax && l <= f->nlines; l++) {
        size_t a = f->line_start[l - 1], e = f->line_start[l];
        if (e > a && f->text[e - 1] == '\n') e--;
        if (e > a && f->text[e - 1] == '\r') e--;
        char num[24];
        int k = (int)sizeof num;
        num[--k] = ' ';
        for (long v = l; v > 0 || k == (int)sizeof num - 1; v /= 10) num[--k] = (char)('0' + v % 10);
        dp_sbuf_put(b, num + k, sizeof num - (size_t)k);
        dp_sbuf_put(b, f->text + a, e - a);
        dp_sbuf_putc(b, '\n');
    }
    return dp_arena_strndup(f->keep, b->p ? b->p : "", b->n);
}

/* ---------------------------------------------------------------- documentation URLs */

#define BANDIT_DOCS "https://bandit.readthedocs.io/en/1.9.4/"

/* docs_utils.get_url: plugins/<id>_<name>.html, blacklists/blacklist_<calls|imports>.html#<id>-<name>
 * (lower case, '_' -> '-', with the combined B304-B305 and B313-B320 anchors). */
const char *dp_scan_more_info(struct dp_arena *a, const struct dp_scan_rule *rule, const char *id,
                              const char *name)
{
    if (rule && rule->more_info) return rule->more_info;
    char buf[256];
    const struct dp_scan_blacklist *bl = dp_blacklist_find(id);
    if (bl) {
        char nm[96];
        size_t k = 0;
        for (const char *p = bl->name; *p && k + 1 < sizeof nm; p++)
            nm[k++] = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
        nm[k] = 0;
        int num = atoi(id + 1);
        if (num == 304 || num == 305)
            snprintf(buf, sizeof buf, BANDIT_DOCS "blacklists/blacklist_calls.html#b304-b305-ciphers-and-modes");
        else if (num >= 313 && num <= 320)
            snprintf(buf, sizeof buf, BANDIT_DOCS "blacklists/blacklist_calls.html#b313-b320-%s", nm);
        else
            snprintf(buf, sizeof buf, BANDIT_DOCS "blacklists/blacklist_%s.html#b%s-%s",
                     id[1] == '3' ? "calls" : "imports", id + 1, nm);
    } else if (id[0] == 'B' && isdigit((unsigned char)id[1])) {
        snprintf(buf, sizeof buf, BANDIT_DOCS "plugins/b%s_%s.html", id + 1, name ? name : "");
    } else {
        return "";
    }
    return dp_arena_strndup(a, buf, strlen(buf));
}
